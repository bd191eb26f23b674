//===- TidyCompat.h - clang-tidy API differences between LLVM majors ------===//
//
// The few places where the clang-tidy library changed between 19 and 22,
// kept next to each other so the driver reads the same on every major.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_TIDYCOMPAT_H
#define COROLINT_TOOL_CLI_TIDYCOMPAT_H

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Option/OptTable.h"
#if LLVM_VERSION_MAJOR >= 22
#include "clang/Options/Options.h"
#else
#include "clang/Driver/Options.h"
#endif

#include <memory>

namespace clang::tidy {
extern volatile int BugproneModuleAnchorSource;
extern volatile int CppCoreGuidelinesModuleAnchorSource;
extern volatile int MiscModuleAnchorSource;
} // namespace clang::tidy

namespace corolint::compat {

/// Links clang-tidy's modules with coroutine checks into the CLI, so that
/// misc-coroutine-hostile-raii, cppcoreguidelines-no-suspend-with-lock and
/// bugprone-empty-catch can run in the same pass.
inline void anchorTidyModules() {
  (void)clang::tidy::BugproneModuleAnchorSource;
  (void)clang::tidy::CppCoreGuidelinesModuleAnchorSource;
  (void)clang::tidy::MiscModuleAnchorSource;
}

inline std::unique_ptr<clang::tidy::ClangTidyContext>
makeContext(std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Provider) {
#if LLVM_VERSION_MAJOR >= 22
  return std::make_unique<clang::tidy::ClangTidyContext>(
      std::move(Provider), /*AllowEnablingAnalyzerAlphaCheckers=*/false,
      /*EnableModuleHeadersParsing=*/false, /*ExperimentalCustomChecks=*/false);
#else
  return std::make_unique<clang::tidy::ClangTidyContext>(std::move(Provider));
#endif
}

inline std::vector<std::string>
enabledChecks(const clang::tidy::ClangTidyOptions &Options) {
#if LLVM_VERSION_MAJOR >= 22
  return clang::tidy::getCheckNames(Options, false, false);
#else
  return clang::tidy::getCheckNames(Options, false);
#endif
}

inline clang::tidy::ClangTidyOptions::OptionMap
checkOptions(const clang::tidy::ClangTidyOptions &Options) {
#if LLVM_VERSION_MAJOR >= 22
  return clang::tidy::getCheckOptions(Options, false, false);
#else
  return clang::tidy::getCheckOptions(Options, false);
#endif
}

/// Runs the checks on one TU; \p Quiet drops clang's "N warnings
/// generated." where the library can (LLVM 22).
inline std::vector<clang::tidy::ClangTidyError>
runChecks(clang::tidy::ClangTidyContext &Context,
          const clang::tooling::CompilationDatabase &Compilations,
          llvm::StringRef File,
          const llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> &BaseFS,
          bool ApplyAnyFix, bool Quiet) {
  std::vector<std::string> Files{File.str()};
#if LLVM_VERSION_MAJOR >= 22
  return clang::tidy::runClangTidy(Context, Compilations, Files, BaseFS,
                                   ApplyAnyFix, false, llvm::StringRef(), Quiet);
#else
  (void)Quiet;
  return clang::tidy::runClangTidy(Context, Compilations, Files, BaseFS,
                                   ApplyAnyFix);
#endif
}

/// The diagnostics engine a tidy context reports through, for one run.
class DiagnosticsEngineHolder {
public:
  DiagnosticsEngineHolder(clang::tidy::ClangTidyContext &Context,
                          clang::DiagnosticConsumer &Consumer)
#if LLVM_VERSION_MAJOR >= 22
      : Options(std::make_unique<clang::DiagnosticOptions>()),
        Engine(clang::DiagnosticIDs::create(), *Options, &Consumer,
               /*ShouldOwnClient=*/false) {
    Context.setDiagnosticsEngine(std::move(Options), &Engine);
  }
#else
      : Engine(new clang::DiagnosticIDs(), new clang::DiagnosticOptions(),
               &Consumer, /*ShouldOwnClient=*/false) {
    Context.setDiagnosticsEngine(&Engine);
  }
#endif

private:
#if LLVM_VERSION_MAJOR >= 22
  std::unique_ptr<clang::DiagnosticOptions> Options;
#endif
  clang::DiagnosticsEngine Engine;
};

/// The clang driver's options (the IDs and the table), which LLVM 22 moved
/// from clangDriver to clangOptions.
#if LLVM_VERSION_MAJOR >= 22
namespace driver_options = clang::options;
inline const llvm::opt::OptTable &driverOptTable() {
  return clang::getDriverOptTable();
}
#else
namespace driver_options = clang::driver::options;
inline const llvm::opt::OptTable &driverOptTable() {
  return clang::driver::getDriverOptTable();
}
#endif

/// Names of every registered check.
inline std::vector<std::string> allChecks() {
  std::vector<std::string> Names;
#if LLVM_VERSION_MAJOR >= 22
  auto All = clang::tidy::getAllChecksAndOptions(false, false);
  for (const auto &Entry : All.Checks)
    Names.push_back(Entry.getKey().str());
#else
  auto All = clang::tidy::getAllChecksAndOptions(false);
  for (const auto &Entry : All.Names)
    Names.push_back(Entry.getKey().str());
#endif
  return Names;
}

} // namespace corolint::compat

#endif // COROLINT_TOOL_CLI_TIDYCOMPAT_H
