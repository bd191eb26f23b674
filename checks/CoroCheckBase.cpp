//===- CoroCheckBase.cpp - what every coro-* check shares -----------------===//

#include "checks/CoroCheckBase.h"

#include "checks/analysis/SummarySink.h"

#include "clang/AST/ExprCXX.h"

namespace corolint {

CoroCheckBase::CoroCheckBase(llvm::StringRef Name,
                             clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RuntimeName(Options.getLocalOrGlobal("Runtime", "aio").str()),
      Profile(catalog::runtimeProfiles().front()), Name(Name.str()),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        clang::tidy::utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {
  if (const catalog::RuntimeProfile *P = catalog::findRuntimeProfile(RuntimeName)) {
    Profile = *P;
  } else {
    configurationDiag("invalid value '%0' for option 'Runtime'; expected one "
                      "of %1 (using 'aio')")
        << RuntimeName << catalog::runtimeProfileNames();
    RuntimeName = "aio";
  }
  RuntimeHeader = Options.get("RuntimeHeader", Profile.Header).str();

  ContextOptions.SyncGenerators = analysis::splitList(
      Options.get("SyncGenerators", analysis::defaultSyncGenerators()));
  ContextOptions.OffloadFunctions = analysis::splitList(
      Options.get("OffloadFunctions", analysis::defaultOffloadFunctions()));
  ContextOptions.InlineFunctions = analysis::splitList(
      Options.get("InlineFunctions", analysis::defaultInlineFunctions()));
  ContextOptions.AsyncContextFunctions =
      analysis::splitList(Options.get("AsyncContextFunctions", ""));
}

void CoroCheckBase::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "Runtime", RuntimeName);
  Options.store(Opts, "RuntimeHeader", RuntimeHeader);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
  Options.store(Opts, "SyncGenerators",
                analysis::joinList(ContextOptions.SyncGenerators));
  Options.store(Opts, "OffloadFunctions",
                analysis::joinList(ContextOptions.OffloadFunctions));
  Options.store(Opts, "InlineFunctions",
                analysis::joinList(ContextOptions.InlineFunctions));
  Options.store(Opts, "AsyncContextFunctions",
                analysis::joinList(ContextOptions.AsyncContextFunctions));
}

void CoroCheckBase::registerPPCallbacks(const clang::SourceManager &SM,
                                        clang::Preprocessor *PP,
                                        clang::Preprocessor *ModuleExpanderPP) {
  Inserter.registerPreprocessor(PP);
}

std::string CoroCheckBase::readTemplate(llvm::StringRef OptionName,
                                        llvm::StringRef Default) {
  std::string Value = Options.get(OptionName, Default).str();
  if (!Value.empty() && llvm::StringRef(Value).find("{0}") == llvm::StringRef::npos) {
    configurationDiag("option '%0' must contain '{0}' where the argument "
                      "goes; the template '%1' is ignored")
        << OptionName << Value;
    Value.clear();
  }
  return Value;
}

std::optional<clang::FixItHint>
CoroCheckBase::includeFor(clang::SourceLocation Loc,
                          const clang::SourceManager &SM) {
  if (RuntimeHeader.empty())
    return std::nullopt;
  // The inserter takes <h> as written and adds the quotes of "h".
  llvm::StringRef Header = RuntimeHeader;
  if (Header.size() > 1 && Header.front() == '"' && Header.back() == '"')
    Header = Header.drop_front().drop_back();
  return Inserter.createIncludeInsertion(SM.getFileID(Loc), Header);
}

void CoroCheckBase::registerAsyncBodyMatchers(
    clang::ast_matchers::MatchFinder *Finder) {
  using namespace clang::ast_matchers;
  // Bodies are found from the top and walked once, without a parent map.
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(coroutineBodyStmt()),
                                  unless(isExpansionInSystemHeader()))
                         .bind("async-function"),
                     this);
  Finder->addMatcher(
      lambdaExpr(unless(isExpansionInSystemHeader())).bind("async-lambda"), this);
  std::vector<llvm::StringRef> Callbacks(
      ContextOptions.AsyncContextFunctions.begin(),
      ContextOptions.AsyncContextFunctions.end());
  if (!Callbacks.empty())
    Finder->addMatcher(functionDecl(isDefinition(), hasAnyName(Callbacks),
                                    unless(isExpansionInSystemHeader()))
                           .bind("async-function"),
                       this);
}

void CoroCheckBase::walkMatchedBody(
    const clang::ast_matchers::MatchFinder::MatchResult &Result,
    analysis::AsyncVisitor Visit) {
  const auto *Body = Result.Nodes.getNodeAs<clang::FunctionDecl>("async-function");
  const auto *Lambda = Result.Nodes.getNodeAs<clang::LambdaExpr>("async-lambda");
  if (Lambda) {
    Body = Lambda->getCallOperator();
    if (!Body || !analysis::isCoroutine(*Body))
      return;
  } else if (const auto *MD = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(Body);
             MD && MD->getParent()->isLambda()) {
    return; // reached through its LambdaExpr
  }
  if (!Body || !Walked.insert(Body).second ||
      !analysis::isAsyncCoroutine(*Body, ContextOptions))
    return;
  const clang::SourceManager &SM = *Result.SourceManager;
  analysis::walkAsyncBody(*Body, Lambda, ContextOptions,
                          [&](const clang::Stmt &S,
                              const analysis::AsyncPlacement &Where,
                              analysis::ParentChain Parents) {
                            // What a system header's code does is not ours.
                            if (!SM.isInSystemHeader(S.getBeginLoc()))
                              Visit(S, Where, Parents);
                          });
}

bool CoroCheckBase::firstReportAt(clang::SourceLocation Loc) {
  return Loc.isValid() && Reported.insert(Loc.getRawEncoding()).second;
}

bool CoroCheckBase::firstChainReportAt(clang::SourceLocation Loc,
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

void CoroCheckBase::noteInlineLambda(const analysis::AsyncPlacement &Where) {
  const clang::Expr *Invocation = Where.InlineLambdaCall;
  if (!Invocation)
    return;
  // `[&] { ... }()` points at its closing parenthesis, `std::invoke(...)` at
  // its name (clang's begin location of the former differs between majors).
  clang::SourceLocation At = Invocation->getBeginLoc();
  if (const auto *Op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(Invocation))
    At = Op->getRParenLoc();
  diag(At, "the lambda runs on the coroutine's thread: it is invoked here",
       clang::DiagnosticIDs::Note);
}

void CoroCheckBase::registerSummaryExport(clang::ast_matchers::MatchFinder *Finder) {
  if (analysis::threadSummarySink())
    Finder->addMatcher(
        clang::ast_matchers::translationUnitDecl().bind("export-summaries"), this);
}

bool CoroCheckBase::exportSummaries(
    const clang::ast_matchers::MatchFinder::MatchResult &Result,
    llvm::function_ref<analysis::CallSummaries *()> Summaries) {
  if (!Result.Nodes.getNodeAs<clang::TranslationUnitDecl>("export-summaries"))
    return false;
  analysis::exportToSink(Name, Summaries());
  return true;
}

void CoroCheckBase::noteChainCalls(const analysis::CallChain &Chain) {
  for (unsigned I = 0; I < Chain.Calls.size(); ++I)
    diag(Chain.Calls[I].Loc, "'%0' calls '%1'", clang::DiagnosticIDs::Note)
        << analysis::functionName(*Chain.Functions[I])
        << analysis::functionName(*Chain.Functions[I + 1]);
}

void CoroCheckBase::noteColdPath(const analysis::CallChain &Chain,
                                 bool ReportColdPaths) {
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
