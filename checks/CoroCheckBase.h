//===- CoroCheckBase.h - what every coro-* check shares ---------*- C++ -*-===//
//
// The runtime profile of each coroutine (`Runtime`, global or local; `auto`
// reads it off the coroutine's type), the fix templates and the offload
// rewrite built from it, the async-context options, the include inserter
// for the runtime's header, and the once-per-location rule for template
// instantiations.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_COROCHECKBASE_H
#define COROLINT_CHECKS_COROCHECKBASE_H

#include "checks/analysis/AsyncContext.h"
#include "checks/analysis/CallSummary.h"
#include "checks/analysis/Regions.h"
#include "checks/catalog/RuntimeProfiles.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"

namespace corolint {

class CoroCheckBase : public clang::tidy::ClangTidyCheck {
public:
  CoroCheckBase(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_AsIs;
  }
  void registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override {
    Reported.clear();
    Walked.clear();
  }

protected:
  /// Matches the async bodies: coroutine functions and lambdas, and the
  /// AsyncContextFunctions entries.
  void registerAsyncBodyMatchers(clang::ast_matchers::MatchFinder *Finder);

  /// Walks the async body those matchers bound (analysis::walkAsyncBody),
  /// the first time it is seen in this TU: a lambda's call operator is
  /// reachable twice, a template's pattern and instantiations share
  /// locations (see firstReportAt).
  void walkMatchedBody(const clang::ast_matchers::MatchFinder::MatchResult &Result,
                       analysis::AsyncVisitor Visit);

  /// A fix template option: the user's template, or, left empty, the
  /// coroutine's profile's.
  struct TemplateOption {
    std::string Name;
    std::string User;
    llvm::StringRef catalog::RuntimeProfile::*Field = nullptr;
    llvm::StringRef in(const catalog::RuntimeProfile &P) const {
      return User.empty() ? P.*Field : llvm::StringRef(User);
    }
  };

  /// Reads template option \p OptionName, whose default is the profile's
  /// \p Field; a template without `{0}` is reported and ignored.
  TemplateOption readTemplate(llvm::StringRef OptionName,
                              llvm::StringRef catalog::RuntimeProfile::*Field);
  void storeTemplate(clang::tidy::ClangTidyOptions::OptionMap &Opts,
                     const TemplateOption &T);

  /// The profile that the messages and fixes of a finding in \p Coroutine
  /// use: the `Runtime` option's, or with `auto` the runtime of the
  /// coroutine's type (`none` for a type of no known runtime).
  const catalog::RuntimeProfile &profileFor(const clang::FunctionDecl &Coroutine) const;

  /// The advice of a message for work that \p T moves to another thread:
  /// the profile's \p Hint, or `<Verb> it with '<the template>'`.
  std::string offloadAdvice(const TemplateOption &T,
                            llvm::StringRef catalog::RuntimeProfile::*Hint,
                            const catalog::RuntimeProfile &P,
                            llvm::StringRef Verb) const;

  /// The rewrite of \p Call, where \p Where and \p Parents place it, into
  /// the awaited offload of it with \p T, and in \p Range what it replaces;
  /// empty if it cannot be rewritten (no template, not the coroutine's own
  /// body, a macro, a suspension inside, a result the runtime cannot carry).
  std::string offloadReplacement(const clang::Expr &Call, const TemplateOption &T,
                                 const analysis::AsyncPlacement &Where,
                                 analysis::ParentChain Parents,
                                 const clang::ast_matchers::MatchFinder::MatchResult &Result,
                                 clang::CharSourceRange &Range) const;

  /// The rewrite of the statements of \p Region, where \p Where places
  /// them, into one awaited offload with \p T (one variable they declare
  /// and later statements use is returned from it; more are declared before
  /// it and assigned in it), and in \p Range what it replaces; empty, with
  /// the reason in \p Why, if it cannot be made.
  std::string offloadRegionReplacement(
      const analysis::BlockingRegion &Region, const TemplateOption &T,
      const analysis::AsyncPlacement &Where,
      const clang::ast_matchers::MatchFinder::MatchResult &Result,
      clang::CharSourceRange &Range, std::string &Why) const;

  /// The insertion of the runtime's header (RuntimeHeader, or \p P's) into
  /// the file of \p Loc, once per file.
  std::optional<clang::FixItHint> includeFor(clang::SourceLocation Loc,
                                             const clang::SourceManager &SM,
                                             const catalog::RuntimeProfile &P);

  /// The fixes of a rewrite into the runtime's code: \p Range replaced by
  /// \p Replacement, and the runtime's header included (includeFor).
  llvm::SmallVector<clang::FixItHint, 2>
  runtimeRewrite(clang::CharSourceRange Range, llvm::StringRef Replacement,
                 const clang::SourceManager &SM, const catalog::RuntimeProfile &P);

  /// Records \p Loc as reported; false if it was already (a template's
  /// instantiations share the pattern's locations and are reported once).
  bool firstReportAt(clang::SourceLocation Loc);

  /// For a finding inside a lambda invoked on the spot: a note at the
  /// invocation saying the lambda runs on the coroutine's thread.
  void noteInlineLambda(const analysis::AsyncPlacement &Where);

  std::string RuntimeName;
  /// The profile `Runtime` names; null for `auto`.
  const catalog::RuntimeProfile *FixedProfile = nullptr;
  /// The user's header; empty: the profile's.
  std::string RuntimeHeader;
  analysis::AsyncContextOptions ContextOptions;

private:
  /// OffloadFunctions as configured, without the templates' helpers.
  std::vector<std::string> OffloadFunctionsOption;
  clang::tidy::utils::IncludeInserter Inserter;
  llvm::DenseSet<unsigned> Reported;
  llvm::DenseSet<const clang::FunctionDecl *> Walked;
};

} // namespace corolint

#endif // COROLINT_CHECKS_COROCHECKBASE_H
