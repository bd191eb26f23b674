//===- CoroTidyModule.cpp - registers the coro-* checks -------------------===//
//
// The checks are the rows of checks/Checks.def; each Class is declared in
// checks/<Class>.h, included below. The same registration serves the
// clang-tidy plugin, the corolint CLI and corolint-clangd. In the plugin,
// tool/plugin/PluginLoader.cpp has checked the host's LLVM major before this
// library is loaded.
//
//===----------------------------------------------------------------------===//

#include "checks/BlockingCallCheck.h"
#include "checks/CpuBoundLoopCheck.h"
#include "checks/SwallowedCancellationCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "llvm/Config/llvm-config.h"
#if LLVM_VERSION_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace corolint {
namespace {

class CoroModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
#define CORO_CHECK(Name, Class, ...) Factories.registerCheck<Class>(Name);
#include "checks/Checks.def"
  }
};

const clang::tidy::ClangTidyModuleRegistry::Add<CoroModule>
    Registration("coro-module",
                 "Checks for code that stalls a coroutine event loop.");

} // namespace

// Referenced by front ends that link the checks statically, so the linker
// keeps this object and its registration.
volatile int CoroModuleAnchorSource = 0;

} // namespace corolint
