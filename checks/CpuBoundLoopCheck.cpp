//===- CpuBoundLoopCheck.cpp - coro-cpu-bound-loop ------------------------===//

#include "checks/CpuBoundLoopCheck.h"
#include "checks/analysis/Rewrite.h"
#include "checks/catalog/BlockingApis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <limits>

using namespace clang;
using namespace clang::ast_matchers;

namespace corolint {

namespace {

bool isLoop(const Stmt *S) {
  return llvm::isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

const Stmt *loopBody(const Stmt &Loop) {
  if (const auto *For = llvm::dyn_cast<ForStmt>(&Loop))
    return For->getBody();
  if (const auto *While = llvm::dyn_cast<WhileStmt>(&Loop))
    return While->getBody();
  if (const auto *Do = llvm::dyn_cast<DoStmt>(&Loop))
    return Do->getBody();
  if (const auto *Range = llvm::dyn_cast<CXXForRangeStmt>(&Loop))
    return Range->getBody();
  return nullptr;
}

const Expr *loopCondition(const Stmt &Loop) {
  if (const auto *For = llvm::dyn_cast<ForStmt>(&Loop))
    return For->getCond();
  if (const auto *While = llvm::dyn_cast<WhileStmt>(&Loop))
    return While->getCond();
  if (const auto *Do = llvm::dyn_cast<DoStmt>(&Loop))
    return Do->getCond();
  return nullptr;
}

/// The loops directly nested in \p S (not inside a nested loop or lambda).
void directInnerLoops(const Stmt *S, llvm::SmallVectorImpl<const Stmt *> &Out) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return;
  if (isLoop(S)) {
    Out.push_back(S);
    return;
  }
  for (const Stmt *Child : analysis::writtenChildren(S))
    directInnerLoops(Child, Out);
}

/// True if something in \p S leaves the enclosing loop: `break` (not one of
/// a nested loop or switch), `return`, `co_return`, `goto`, `throw`, or a
/// call to a function that does not return.
bool leavesLoop(const Stmt *S, bool InNested = false) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return false;
  if (llvm::isa<BreakStmt>(S))
    return !InNested;
  if (llvm::isa<ReturnStmt, CoreturnStmt, GotoStmt, CXXThrowExpr>(S))
    return true;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && Callee->isNoReturn())
      return true;
  bool Nested = InNested || isLoop(S) || llvm::isa<SwitchStmt>(S);
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (leavesLoop(Child, Nested))
      return true;
  return false;
}

/// The statement that would leave a lambda wrapped around the loop wrongly:
/// `return` (it would return from the lambda) or `goto`.
const Stmt *escapingJump(const Stmt *S) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return nullptr;
  if (llvm::isa<ReturnStmt, GotoStmt>(S))
    return S;
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (const Stmt *Found = escapingJump(Child))
      return Found;
  return nullptr;
}

const VarDecl *referencedVar(const Expr *E) {
  if (!E)
    return nullptr;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return llvm::dyn_cast<VarDecl>(Ref->getDecl());
  return nullptr;
}

std::optional<llvm::APSInt> constantOf(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return std::nullopt;
  Expr::EvalResult Result;
  if (!E->EvaluateAsInt(Result, Ctx))
    return std::nullopt;
  return Result.Val.getInt();
}

/// The trip count of `for (i = A; i OP B; i STEP)` with constant A, B and
/// step; std::nullopt for any other loop.
std::optional<std::uint64_t> constantTrips(const Stmt &Loop, const ASTContext &Ctx) {
  const auto *For = llvm::dyn_cast<ForStmt>(&Loop);
  if (!For || !For->getCond() || !For->getInc())
    return std::nullopt;

  // The counter and its start.
  const VarDecl *Counter = nullptr;
  std::optional<llvm::APSInt> Start;
  if (const auto *Decl = llvm::dyn_cast_or_null<DeclStmt>(For->getInit())) {
    if (!Decl->isSingleDecl())
      return std::nullopt;
    Counter = llvm::dyn_cast<VarDecl>(Decl->getSingleDecl());
    if (Counter)
      Start = constantOf(Counter->getInit(), Ctx);
  } else if (const auto *Assign =
                 llvm::dyn_cast_or_null<BinaryOperator>(For->getInit())) {
    if (Assign->getOpcode() == BO_Assign) {
      Counter = referencedVar(Assign->getLHS());
      Start = constantOf(Assign->getRHS(), Ctx);
    }
  }
  if (!Counter || !Start || !Counter->getType()->isIntegerType())
    return std::nullopt;

  // The bound, with the counter on the left.
  const auto *Cond = llvm::dyn_cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts());
  if (!Cond || !Cond->isComparisonOp())
    return std::nullopt;
  BinaryOperatorKind Op = Cond->getOpcode();
  std::optional<llvm::APSInt> Bound;
  if (referencedVar(Cond->getLHS()) == Counter) {
    Bound = constantOf(Cond->getRHS(), Ctx);
  } else if (referencedVar(Cond->getRHS()) == Counter) {
    Bound = constantOf(Cond->getLHS(), Ctx);
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  if (!Bound)
    return std::nullopt;

  // The step.
  std::int64_t Step = 0;
  const Expr *Inc = For->getInc()->IgnoreParenImpCasts();
  if (const auto *Unary = llvm::dyn_cast<UnaryOperator>(Inc)) {
    if (referencedVar(Unary->getSubExpr()) != Counter)
      return std::nullopt;
    if (Unary->isIncrementOp())
      Step = 1;
    else if (Unary->isDecrementOp())
      Step = -1;
  } else if (const auto *Compound = llvm::dyn_cast<CompoundAssignOperator>(Inc)) {
    std::optional<llvm::APSInt> By = constantOf(Compound->getRHS(), Ctx);
    if (referencedVar(Compound->getLHS()) != Counter || !By)
      return std::nullopt;
    if (Compound->getOpcode() == BO_AddAssign)
      Step = By->getExtValue();
    else if (Compound->getOpcode() == BO_SubAssign)
      Step = -By->getExtValue();
  } else if (const auto *Op2 = llvm::dyn_cast<CXXOperatorCallExpr>(Inc)) {
    (void)Op2; // iterators: not a constant count
    return std::nullopt;
  }
  if (Step == 0)
    return std::nullopt;

  // 128-bit arithmetic: the bounds may be any 64-bit values.
  __int128 A = Start->isSigned() ? __int128(Start->getExtValue())
                                 : __int128(Start->getZExtValue());
  __int128 B = Bound->isSigned() ? __int128(Bound->getExtValue())
                                 : __int128(Bound->getZExtValue());
  __int128 Span = 0;
  if (Step > 0) {
    if (Op == BO_LT || Op == BO_NE)
      Span = B - A;
    else if (Op == BO_LE)
      Span = B - A + 1;
    else
      return std::nullopt;
  } else {
    if (Op == BO_GT || Op == BO_NE)
      Span = A - B;
    else if (Op == BO_GE)
      Span = A - B + 1;
    else
      return std::nullopt;
  }
  if (Span <= 0)
    return 0;
  __int128 Magnitude = Step > 0 ? Step : -__int128(Step);
  __int128 Trips = (Span + Magnitude - 1) / Magnitude;
  if (Trips > __int128(std::numeric_limits<std::uint64_t>::max()))
    return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(Trips);
}

/// Iterations of \p Loop with its nested constant loops multiplied in;
/// std::nullopt if its own count is not a constant.
std::optional<std::uint64_t> nestedTrips(const Stmt &Loop, const ASTContext &Ctx,
                                         const Stmt **Inner) {
  std::optional<std::uint64_t> Own = constantTrips(Loop, Ctx);
  if (!Own)
    return std::nullopt;
  llvm::SmallVector<const Stmt *, 4> Children;
  directInnerLoops(loopBody(Loop), Children);
  std::uint64_t Most = 1;
  for (const Stmt *Child : Children) {
    const Stmt *Ignored = nullptr;
    if (std::optional<std::uint64_t> N = nestedTrips(*Child, Ctx, &Ignored);
        N && *N > Most) {
      Most = *N;
      *Inner = Child;
    }
  }
  if (Most > 1 && *Own > std::numeric_limits<std::uint64_t>::max() / Most)
    return std::numeric_limits<std::uint64_t>::max();
  return *Own * Most;
}

unsigned nestingDepth(const Stmt &Loop, const Stmt **Inner) {
  llvm::SmallVector<const Stmt *, 4> Children;
  directInnerLoops(loopBody(Loop), Children);
  unsigned Deepest = 0;
  for (const Stmt *Child : Children) {
    const Stmt *Ignored = nullptr;
    unsigned D = nestingDepth(*Child, &Ignored);
    if (D > Deepest) {
      Deepest = D;
      *Inner = Child;
    }
  }
  return Deepest + 1;
}

bool isAlwaysTrue(const Stmt &Loop, const ASTContext &Ctx) {
  const Expr *Cond = loopCondition(Loop);
  if (!Cond)
    return llvm::isa<ForStmt>(Loop); // for (;;)
  bool Value = false;
  return !Cond->isValueDependent() &&
         Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

} // namespace

CpuBoundLoopCheck::CpuBoundLoopCheck(StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : CallChainCheck(Name, Context, Wording),
      MinIterations(Options.get<std::uint64_t>("MinIterations", 100000)),
      MinNestingDepth(Options.get<unsigned>("MinNestingDepth", 0)),
      RegexConstruction(Options.get("RegexConstruction", false)),
      CpuHeavyFunctions(
          analysis::splitList(Options.get("CpuHeavyFunctions", ""))) {
  if (MinIterations == 0) {
    configurationDiag("option 'MinIterations' must be at least 1; using 100000");
    MinIterations = 100000;
  }
  CpuOffloadTemplate =
      readTemplate("CpuOffloadTemplate", &catalog::RuntimeProfile::CpuOffload);
  for (const catalog::BlockingApi &Entry : catalog::blockingApis())
    if (Entry.Cat == catalog::Category::Cpu &&
        Entry.Kind == catalog::ApiKind::Function)
      HeavyFunctions.insert(catalog::plainName(Entry.Name));
}

void CpuBoundLoopCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  CallChainCheck::storeOptions(Opts);
  Options.store(Opts, "MinIterations", MinIterations);
  Options.store(Opts, "MinNestingDepth", MinNestingDepth);
  Options.store(Opts, "RegexConstruction", RegexConstruction);
  Options.store(Opts, "CpuHeavyFunctions", analysis::joinList(CpuHeavyFunctions));
  storeTemplate(Opts, CpuOffloadTemplate);
}

CpuBoundLoopCheck::Verdict
CpuBoundLoopCheck::judge(const Stmt &Loop, const ASTContext &Ctx) const {
  Verdict V;
  if (analysis::containsSuspension(&Loop))
    return V; // it lets the loop run at every suspension
  if (isAlwaysTrue(Loop, Ctx) && !leavesLoop(loopBody(Loop))) {
    V.K = Verdict::Infinite;
    return V;
  }
  const Stmt *Inner = nullptr;
  if (std::optional<std::uint64_t> N = nestedTrips(Loop, Ctx, &Inner);
      N && *N >= MinIterations) {
    V.K = Verdict::ConstantTrips;
    V.Iterations = *N;
    V.Inner = Inner;
    return V;
  }
  if (MinNestingDepth > 0) {
    const Stmt *Deeper = nullptr;
    unsigned Depth = nestingDepth(Loop, &Deeper);
    if (Depth >= MinNestingDepth) {
      V.K = Verdict::DeepNesting;
      V.Depth = Depth;
      V.Inner = Deeper;
    }
  }
  return V;
}

std::string CpuBoundLoopCheck::advice(const FunctionDecl &Coroutine) const {
  return offloadAdvice(CpuOffloadTemplate, &catalog::RuntimeProfile::CpuOffloadHint,
                       profileFor(Coroutine), "run");
}

bool CpuBoundLoopCheck::isHeavy(const FunctionDecl &Callee,
                                const SourceManager &SM) const {
  if (!Callee.getDeclName().isIdentifier())
    return false;
  bool IsC = Callee.isExternC() || SM.isInSystemHeader(Callee.getLocation());
  return (IsC && HeavyFunctions.contains(analysis::qualifiedName(Callee))) ||
         llvm::any_of(CpuHeavyFunctions, [&](const std::string &N) {
           return analysis::nameMatches(Callee, N);
         });
}

namespace {

bool isRegexConstruction(const CXXConstructExpr &Construct) {
  return Construct.getNumArgs() > 0 &&
         !llvm::isa<CXXDefaultArgExpr>(Construct.getArg(0)) &&
         analysis::qualifiedName(*Construct.getConstructor()->getParent()) ==
             "std::basic_regex";
}

} // namespace

std::optional<analysis::Fact>
CpuBoundLoopCheck::factOf(const Stmt &S, const analysis::AsyncPlacement &Where,
                          ASTContext &Ctx) const {
  analysis::Fact F;
  F.Site = &S;
  F.Cat = catalog::Category::Cpu;
  F.Fix = catalog::FixKind::OffloadCpu;
  if (isLoop(&S)) {
    // An infinite loop in a helper is the body of a thread more often than
    // a stall: only loops that end count.
    Verdict V = judge(S, Ctx);
    if (V.K != Verdict::ConstantTrips && V.K != Verdict::DeepNesting)
      return std::nullopt;
    F.Kind = analysis::Fact::Loop;
    F.Iterations = V.Iterations;
    F.Depth = V.Depth;
    return F;
  }
  if (Where.IsAwaitedOperand)
    return std::nullopt;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(&S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !isHeavy(*Callee, Ctx.getSourceManager()))
      return std::nullopt;
    F.Api = analysis::qualifiedName(*Callee);
    return F;
  }
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&S);
      Construct && RegexConstruction && isRegexConstruction(*Construct)) {
    F.Kind = analysis::Fact::Construction;
    F.Api = "std::basic_regex";
    return F;
  }
  return std::nullopt;
}

void CpuBoundLoopCheck::checkBody(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  llvm::SmallVector<analysis::CallEdge, 2> Edges;
  walkMatchedBody(
      Result,
      [&](const Stmt &S, const analysis::AsyncPlacement &Where,
          analysis::ParentChain Parents) {
        if (isLoop(&S)) {
          // The outermost heavy loop is the one to report and to move.
          for (const Stmt *Outer : Parents)
            if (isLoop(Outer) && judge(*Outer, Ctx).K != Verdict::None)
              return;
          Verdict V = judge(S, Ctx);
          if (V.K != Verdict::None && firstReportAt(S.getBeginLoc()))
            reportLoop(S, V, Where, Result);
          return;
        }
        if (Where.IsAwaitedOperand)
          return;
        if (const auto *Call = llvm::dyn_cast<CallExpr>(&S)) {
          const FunctionDecl *Callee = Call->getDirectCallee();
          if (Callee && isHeavy(*Callee, SM)) {
            if (firstReportAt(Call->getBeginLoc()))
              reportCall(*Call, analysis::qualifiedName(*Callee), Where,
                         Parents, Result);
            return;
          }
        }
        if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&S);
            Construct && RegexConstruction && isRegexConstruction(*Construct)) {
          if (firstReportAt(Construct->getBeginLoc()))
            diag(Construct->getBeginLoc(),
                 "CPU-heavy construction of 'std::basic_regex' in %0 compiles "
                 "the pattern on the event loop; build it once outside the "
                 "coroutine or %1")
                << analysis::coroutineName(Where) << advice(*Where.Coroutine);
          return;
        }
        if (MaxCallDepth == 0)
          return;
        // CPU-heavy work in the functions this statement calls.
        analysis::CallSummaries &Calls = summaries(Ctx);
        Edges.clear();
        Calls.callsOf(S, Edges);
        for (const analysis::CallEdge &Edge : Edges)
          if (const analysis::CallChain *Chain = Calls.chainFromCall(
                  *Edge.Callee, S, Parents)) {
            if (firstChainReportAt(Edge.Loc, *Chain, *Result.SourceManager))
              reportChain(S, Edge, *Chain, Where, Parents, Result);
            return;
          }
      });
}

void CpuBoundLoopCheck::reportLoop(const Stmt &Loop, const Verdict &V,
                                   const analysis::AsyncPlacement &Where,
                                   const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  const LangOptions &LO = Ctx.getLangOpts();
  std::string Coroutine = analysis::coroutineName(Where);
  const Expr *Cond = loopCondition(Loop);
  SourceLocation ReasonLoc = Cond ? Cond->getBeginLoc() : Loop.getBeginLoc();

  if (V.K == Verdict::Infinite) {
    diag(Loop.getBeginLoc(),
         "infinite loop without a suspension point in %0 never lets the "
         "event loop run again; put a suspension point inside it or run it "
         "on a dedicated thread")
        << Coroutine;
    diag(ReasonLoc,
         "the condition is always true and nothing in the body leaves the "
         "loop or suspends",
         DiagnosticIDs::Note);
    return;
  }

  // The rewrite: the loop, verbatim, in a lambda run on the CPU executor.
  // The profile may have no template: then the message says what to do.
  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  StringRef Template = CpuOffloadTemplate.in(P);
  std::string WhyNoFix;
  const Stmt *Jump = escapingJump(loopBody(Loop));
  if (!Template.empty()) {
    if (!analysis::canAwaitAt(Where))
      WhyNoFix = "no fix: 'co_await' is not allowed here";
    else if (Jump)
      WhyNoFix = llvm::isa<ReturnStmt>(Jump)
                     ? "no fix: the 'return' would leave the offloaded lambda, "
                       "not the coroutine"
                     : "no fix: the 'goto' would jump out of the offloaded "
                       "lambda";
    else if (!Loop.getBeginLoc().isFileID() || !Loop.getEndLoc().isFileID())
      WhyNoFix = "no fix: the loop is written by a macro";
  }

  CharSourceRange Range;
  std::string Replacement;
  if (!Template.empty() && WhyNoFix.empty()) {
    // A loop whose body is not a block (and a do-while) ends before its ';'.
    SourceLocation End = Loop.getEndLoc();
    if (!llvm::isa<CompoundStmt>(loopBody(Loop)) || llvm::isa<DoStmt>(Loop)) {
      std::optional<Token> Next = Lexer::findNextToken(End, SM, LO);
      if (Next && Next->is(tok::semi))
        End = Next->getLocation();
    }
    Range = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Loop.getBeginLoc(), End), SM, LO);
    bool Invalid = false;
    StringRef Text = Lexer::getSourceText(Range, SM, LO, &Invalid);
    if (Range.isValid() && !Invalid) {
      unsigned Column = SM.getSpellingColumnNumber(Loop.getBeginLoc());
      std::string Indent(Column > 0 ? Column - 1 : 0, ' ');
      std::string Lambda = "[&] {\n" + Indent + Text.str() + "\n" + Indent + "}";
      Replacement = catalog::expandTemplate(Template, Lambda) + ";";
    }
  }

  {
    auto Diag =
        V.K == Verdict::ConstantTrips
            ? diag(Loop.getBeginLoc(),
                   "CPU-heavy loop in %0 runs %1 iterations without a "
                   "suspension point and stalls the event loop; %2")
            : diag(Loop.getBeginLoc(),
                   "loop nest of depth %1 in %0 runs without a suspension "
                   "point and can stall the event loop; %2");
    Diag << Coroutine;
    if (V.K == Verdict::ConstantTrips)
      Diag << std::to_string(V.Iterations);
    else
      Diag << V.Depth;
    Diag << advice(*Where.Coroutine);
    if (!Replacement.empty())
      Diag << runtimeRewrite(Range, Replacement, SM, P);
  }
  if (V.K == Verdict::ConstantTrips)
    diag(ReasonLoc, "%0 iterations, at least MinIterations (%1), and no "
                    "co_await, co_yield or co_return inside",
         DiagnosticIDs::Note)
        << std::to_string(V.Iterations) << std::to_string(MinIterations);
  if (V.Inner)
    diag(V.Inner->getBeginLoc(),
         V.K == Verdict::ConstantTrips ? "multiplied by this nested loop"
                                       : "nested down to this loop",
         DiagnosticIDs::Note);
  if (!WhyNoFix.empty())
    diag(Loop.getBeginLoc(), WhyNoFix, DiagnosticIDs::Note);
}

void CpuBoundLoopCheck::reportCall(const Expr &Call, StringRef Name,
                                   const analysis::AsyncPlacement &Where,
                                   analysis::ParentChain Parents,
                                   const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  CharSourceRange Range;
  std::string Replacement = offloadReplacement(Call, CpuOffloadTemplate, Where,
                                               Parents, Result, Range);
  auto Diag = diag(Call.getBeginLoc(), "CPU-heavy call to '%0' in %1 stalls "
                                       "the event loop; %2")
              << Name << analysis::coroutineName(Where) << advice(*Where.Coroutine);
  if (!Replacement.empty())
    Diag << runtimeRewrite(Range, Replacement, SM, profileFor(*Where.Coroutine));
}

void CpuBoundLoopCheck::reportChain(const Stmt &S, const analysis::CallEdge &Edge,
                                    const analysis::CallChain &Chain,
                                    const analysis::AsyncPlacement &Where,
                                    analysis::ParentChain Parents,
                                    const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  const analysis::Fact &Final = *Chain.Final;

  // The call of the helper moves to the CPU executor, as a heavy call does.
  const auto *AsCall = llvm::dyn_cast<CallExpr>(&S);
  std::string Replacement;
  CharSourceRange Range;
  if (AsCall)
    Replacement = offloadReplacement(*AsCall, CpuOffloadTemplate, Where, Parents,
                                     Result, Range);

  std::string Helper = analysis::functionName(*Chain.Functions.front());
  std::string Last = analysis::functionName(*Chain.Functions.back());
  {
    auto Diag = [&] {
      if (Final.Kind != analysis::Fact::Loop)
        return diag(Edge.Loc, "CPU-heavy call to '%0' in %1 stalls the event "
                              "loop: it calls '%3'; %2")
               << Helper << analysis::coroutineName(Where) << advice(*Where.Coroutine)
               << Final.Api;
      if (Final.Iterations > 0)
        return diag(Edge.Loc, "CPU-heavy call to '%0' in %1 stalls the event "
                              "loop: it runs a loop of %3 iterations; %2")
               << Helper << analysis::coroutineName(Where) << advice(*Where.Coroutine)
               << std::to_string(Final.Iterations);
      return diag(Edge.Loc, "CPU-heavy call to '%0' in %1 can stall the event "
                            "loop: it runs a loop nest of depth %3; %2")
             << Helper << analysis::coroutineName(Where) << advice(*Where.Coroutine)
             << Final.Depth;
    }();
    if (!Replacement.empty())
      Diag << runtimeRewrite(Range, Replacement, SM, profileFor(*Where.Coroutine));
  } // the warning is emitted here, before its notes

  noteChainCalls(Chain);
  if (Final.Kind != analysis::Fact::Loop)
    noteChainFact(Chain);
  else if (Final.Iterations > 0)
    diag(Final.Site->getBeginLoc(),
         "'%0' runs %1 iterations without a suspension point",
         DiagnosticIDs::Note)
        << Last << std::to_string(Final.Iterations);
  else
    diag(Final.Site->getBeginLoc(), "'%0' runs a loop nest of depth %1",
         DiagnosticIDs::Note)
        << Last << Final.Depth;
  noteColdPath(Chain);
  noteInlineLambda(Where);
}

} // namespace corolint
