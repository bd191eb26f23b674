//===- CallChainCheck.cpp - checks that follow calls into helpers ---------===//

#include "checks/CallChainCheck.h"

#include "checks/analysis/SummarySink.h"

namespace corolint {

CallChainCheck::CallChainCheck(llvm::StringRef Name,
                               clang::tidy::ClangTidyContext *Context,
                               const analysis::ChainWording &Wording)
    : CoroCheckBase(Name, Context), Words(Wording),
      MaxCallDepth(Options.get<unsigned>("MaxCallDepth", 8)),
      FollowVirtualCalls(Options.get("FollowVirtualCalls", false)),
      ReportColdPaths(Options.getLocalOrGlobal("ReportColdPaths", false)),
      Name(Name.str()) {}

void CallChainCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  CoroCheckBase::storeOptions(Opts);
  Options.store(Opts, "MaxCallDepth", MaxCallDepth);
  Options.store(Opts, "FollowVirtualCalls", FollowVirtualCalls);
  Options.store(Opts, "ReportColdPaths", ReportColdPaths);
}

void CallChainCheck::registerMatchers(clang::ast_matchers::MatchFinder *Finder) {
  registerAsyncBodyMatchers(Finder);
  if (analysis::threadSummarySink())
    Finder->addMatcher(
        clang::ast_matchers::translationUnitDecl().bind("export-summaries"), this);
}

void CallChainCheck::check(
    const clang::ast_matchers::MatchFinder::MatchResult &Result) {
  if (!Result.Nodes.getNodeAs<clang::TranslationUnitDecl>("export-summaries")) {
    checkBody(Result);
    return;
  }
  analysis::exportToSink(
      Name, MaxCallDepth > 0 ? &summaries(*Result.Context) : nullptr,
      [&](const clang::FunctionDecl &Coroutine) { return advice(Coroutine); });
}

analysis::CallSummaries &CallChainCheck::summaries(clang::ASTContext &Ctx) {
  if (!Summaries || &Summaries->context() != &Ctx) {
    analysis::CallSummaryOptions Opts;
    Opts.MaxCallDepth = MaxCallDepth;
    Opts.FollowVirtualCalls = FollowVirtualCalls;
    Opts.ReportColdPaths = ReportColdPaths;
    configureSummaries(Opts);
    Summaries = std::make_unique<analysis::CallSummaries>(
        Ctx, ContextOptions, std::move(Opts),
        [this, &Ctx](const clang::Stmt &S, const analysis::AsyncPlacement &Where,
                     analysis::ParentChain) { return factOf(S, Where, Ctx); });
  }
  return *Summaries;
}

bool CallChainCheck::firstChainReportAt(clang::SourceLocation Loc,
                                        const analysis::CallChain &Chain,
                                        const clang::SourceManager &SM) {
  if (!firstReportAt(Loc))
    return false;
  clang::SourceLocation At = SM.getExpansionLoc(Loc);
  std::uint64_t Line =
      (static_cast<std::uint64_t>(SM.getFileID(At).getHashValue()) << 32) |
      SM.getExpansionLineNumber(At);
  return ReportedChains.insert({Chain.Final ? Chain.Final->Site : nullptr, Line})
      .second;
}

void CallChainCheck::noteChainCalls(const analysis::CallChain &Chain) {
  for (unsigned I = 0; I < Chain.Calls.size(); ++I)
    diag(Chain.Calls[I].Loc, "%0", clang::DiagnosticIDs::Note)
        << analysis::crossfile::callNote(analysis::functionName(*Chain.Functions[I]),
                               analysis::functionName(*Chain.Functions[I + 1]));
}

void CallChainCheck::noteChainFact(const analysis::CallChain &Chain) {
  const analysis::Fact &Final = *Chain.Final;
  diag(Final.Site->getBeginLoc(),
       Final.Kind == analysis::Fact::Construction
           ? "'%0' constructs '%1', which %2"
           : "'%0' calls '%1', which %2",
       clang::DiagnosticIDs::Note)
      << analysis::functionName(*Chain.Functions.back()) << Final.Api
      << Words.Effect;
}

void CallChainCheck::noteColdPath(const analysis::CallChain &Chain) {
  // Without the option, a chain is cold only where the call turned an
  // optional feature on, which is the common path for that call.
  if (!ReportColdPaths)
    return;
  for (const analysis::CallEdge &Call : Chain.Calls)
    if (Call.Cold != analysis::ColdReason::None) {
      diag(Call.Loc, "this call is %0: a cold path, reported because of "
                     "option ReportColdPaths",
           clang::DiagnosticIDs::Note)
          << analysis::describeColdReason(Call.Cold);
      return;
    }
  if (Chain.Final && Chain.Final->Cold != analysis::ColdReason::None)
    diag(Chain.Final->Site->getBeginLoc(),
         "this is %0: a cold path, reported because of option ReportColdPaths",
         clang::DiagnosticIDs::Note)
        << analysis::describeColdReason(Chain.Final->Cold);
}

} // namespace corolint
