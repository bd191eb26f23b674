//===- BlockingCallCheck.h - coro-blocking-call -----------------*- C++ -*-===//

#ifndef COROLINT_CHECKS_BLOCKINGCALLCHECK_H
#define COROLINT_CHECKS_BLOCKINGCALLCHECK_H

#include "checks/analysis/AsyncContext.h"
#include "checks/catalog/RuntimeProfiles.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "llvm/ADT/DenseSet.h"

namespace corolint {

/// Finds calls that block the thread inside async coroutine bodies and
/// rewrites them into the runtime's awaitable equivalent.
///
/// Documentation: docs/checks/coro-blocking-call.md
class BlockingCallCheck : public clang::tidy::ClangTidyCheck {
public:
  BlockingCallCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_AsIs;
  }
  void registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }

private:
  std::string RuntimeName;
  catalog::RuntimeProfile Profile;
  std::string SleepForTemplate;
  std::string SleepUntilTemplate;
  std::string RuntimeHeader;
  analysis::AsyncContextOptions ContextOptions;
  clang::tidy::utils::IncludeInserter Inserter;
  /// Calls already reported in this TU: a template's instantiations share
  /// the pattern's locations and must be reported once.
  llvm::DenseSet<unsigned> Reported;
};

} // namespace corolint

#endif // COROLINT_CHECKS_BLOCKINGCALLCHECK_H
