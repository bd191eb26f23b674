//===- CoroTidyModule.cpp - registers the coro-* checks -------------------===//
//
// The same registration serves the clang-tidy plugin, the corolint CLI and
// corolint-clangd. In the plugin, tool/plugin/PluginLoader.cpp has checked
// the host's LLVM major before this library is loaded.
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
    Factories.registerCheck<BlockingCallCheck>("coro-blocking-call");
    Factories.registerCheck<CpuBoundLoopCheck>("coro-cpu-bound-loop");
    Factories.registerCheck<SwallowedCancellationCheck>(
        "coro-swallowed-cancellation");
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
