//===- CoroTidyModule.cpp - registers the coro-* checks -------------------===//
//
// The checks are the rows of checks/Checks.def; each Class is declared in
// checks/<Class>.h, included below. The same registration serves the
// clang-tidy plugin, the corolint CLI and corolint-clangd. In the plugin,
// tool/plugin/PluginLoader.cpp has checked the host's LLVM major before this
// library is loaded.
//
//===----------------------------------------------------------------------===//

#include "checks/Checks.h"

#include "checks/BlockingCallCheck.h"
#include "checks/CpuBoundLoopCheck.h"
#include "checks/SwallowedCancellationCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "llvm/Config/llvm-config.h"

#include <type_traits>
#if LLVM_VERSION_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace corolint {
namespace {

/// The class's Wording if it is a call-chain check, else null.
template <class Check, class = void> struct WordingOf {
  static constexpr const analysis::ChainWording *Value = nullptr;
};
template <class Check>
struct WordingOf<Check, std::void_t<decltype(Check::Wording)>> {
  static constexpr const analysis::ChainWording *Value = &Check::Wording;
};

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

llvm::ArrayRef<CheckInfo> coroChecks() {
  static const CheckInfo Table[] = {
#define CORO_CHECK(Name, Class, ExportsSummaries, DocsPage, Summary, Description) \
  {Name, ExportsSummaries, DocsPage, Summary, Description, WordingOf<Class>::Value},
#include "checks/Checks.def"
  };
  return Table;
}

const CheckInfo *findCoroCheck(llvm::StringRef Name) {
  const CheckInfo *Found = llvm::find_if(
      coroChecks(), [&](const CheckInfo &C) { return C.Name == Name; });
  return Found == coroChecks().end() ? nullptr : Found;
}

// Referenced by front ends that link the checks statically, so the linker
// keeps this object and its registration.
volatile int CoroModuleAnchorSource = 0;

} // namespace corolint
