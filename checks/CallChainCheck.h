//===- CallChainCheck.h - checks that follow calls into helpers -*- C++ -*-===//
//
// What coro-blocking-call and coro-cpu-bound-loop share: a coroutine's call
// of a helper is reported when the helper, or a function it calls, holds
// the check's fact. The options of the call graph (MaxCallDepth,
// FollowVirtualCalls, ReportColdPaths), the translation unit's call
// summaries, their export to the corolint command's cross-file link, and
// the notes of a chain live here.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_CALLCHAINCHECK_H
#define COROLINT_CHECKS_CALLCHAINCHECK_H

#include "checks/CoroCheckBase.h"
#include "checks/analysis/CallSummary.h"
#include "checks/analysis/ChainText.h"

#include "llvm/ADT/DenseSet.h"

#include <memory>
#include <optional>

namespace corolint {

class CallChainCheck : public CoroCheckBase {
public:
  CallChainCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context,
                 const analysis::ChainWording &Wording);

  /// The async bodies, and with the corolint command's summary sink
  /// installed on this thread (analysis/SummarySink.h) the unit once.
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  /// Exports the summaries on the unit's match; checks a body otherwise.
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) final;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override {
    CoroCheckBase::onStartOfTranslationUnit();
    Summaries.reset();
    ReportedChains.clear();
  }

protected:
  /// Checks the async body of \p Result (registerAsyncBodyMatchers).
  virtual void checkBody(const clang::ast_matchers::MatchFinder::MatchResult &Result) = 0;
  /// The check's fact in statement \p S of a helper's body, if any.
  virtual std::optional<analysis::Fact> factOf(const clang::Stmt &S,
                                               const analysis::AsyncPlacement &Where,
                                               clang::ASTContext &Ctx) const = 0;
  /// The advice that ends a message about work in \p Coroutine.
  virtual std::string advice(const clang::FunctionDecl &Coroutine) const = 0;
  /// The check's own settings of its summaries (functions not followed,
  /// logging); MaxCallDepth, FollowVirtualCalls and ReportColdPaths are set.
  virtual void configureSummaries(analysis::CallSummaryOptions &Opts) const {}

  /// The call summaries of this translation unit, created on first use.
  analysis::CallSummaries &summaries(clang::ASTContext &Ctx);

  /// As firstReportAt for a call of a helper that reaches a fact through
  /// \p Chain; also false if a call on the same line was reported reaching
  /// the same fact (a temporary's and a local's destructor, one finding).
  bool firstChainReportAt(clang::SourceLocation Loc,
                          const analysis::CallChain &Chain,
                          const clang::SourceManager &SM);

  /// The notes of a chain's calls (`'f' calls 'g'`), from the helper the
  /// coroutine calls down to the function that holds the fact.
  void noteChainCalls(const analysis::CallChain &Chain);

  /// The note at a chain's fact when it is a call or a construction:
  /// `'f' calls 'api', which <Effect>`.
  void noteChainFact(const analysis::CallChain &Chain);

  /// With ReportColdPaths, a note where the chain leaves the common path:
  /// the first of its calls, or its fact, that is on a cold path.
  void noteColdPath(const analysis::CallChain &Chain);

  const analysis::ChainWording &Words;
  unsigned MaxCallDepth;
  bool FollowVirtualCalls;
  bool ReportColdPaths;

private:
  std::string Name; ///< the check's name, for the summary sink
  std::unique_ptr<analysis::CallSummaries> Summaries;
  /// (the fact, the file and line of the call) of reported chains.
  llvm::DenseSet<std::pair<const void *, std::uint64_t>> ReportedChains;
};

} // namespace corolint

#endif // COROLINT_CHECKS_CALLCHAINCHECK_H
