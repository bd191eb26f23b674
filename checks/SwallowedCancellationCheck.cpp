//===- SwallowedCancellationCheck.cpp - coro-swallowed-cancellation -------===//

#include "checks/SwallowedCancellationCheck.h"
#include "checks/analysis/Rewrite.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

using namespace clang;
using namespace clang::ast_matchers;

namespace corolint {

namespace {

llvm::StringRef defaultCancellationExceptions() {
  return "aio::cancelled_error;folly::OperationCancelled;"
         "cppcoro::operation_cancelled;seastar::abort_requested_exception;"
         "seastar::gate_closed_exception";
}

llvm::StringRef defaultErrorCodeCancellation() {
  return "std::system_error=asio::error::operation_aborted;"
         "boost::system::system_error=boost::asio::error::operation_aborted";
}

/// The class named \p QualifiedName, if this TU declares it.
const CXXRecordDecl *findClass(ASTContext &Ctx, llvm::StringRef QualifiedName) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  QualifiedName.split(Parts, "::");
  const DeclContext *DC = Ctx.getTranslationUnitDecl();
  for (size_t I = 0; I < Parts.size(); ++I) {
    const IdentifierInfo &II = Ctx.Idents.get(Parts[I]);
    const NamedDecl *Next = nullptr;
    for (const NamedDecl *ND : DC->lookup(DeclarationName(&II)))
      if (llvm::isa<NamespaceDecl, CXXRecordDecl, TypedefNameDecl>(ND)) {
        Next = ND;
        break;
      }
    if (!Next) {
      // Inline namespaces (std::__1::, asio's detail versions).
      for (const Decl *D : DC->decls())
        if (const auto *NS = llvm::dyn_cast<NamespaceDecl>(D); NS && NS->isInline())
          for (const NamedDecl *ND : NS->lookup(DeclarationName(&II)))
            if (llvm::isa<NamespaceDecl, CXXRecordDecl, TypedefNameDecl>(ND))
              Next = ND;
      if (!Next)
        return nullptr;
    }
    if (I + 1 == Parts.size()) {
      if (const auto *TD = llvm::dyn_cast<TypedefNameDecl>(Next))
        return TD->getUnderlyingType()->getAsCXXRecordDecl();
      const auto *RD = llvm::dyn_cast<CXXRecordDecl>(Next);
      return RD && RD->hasDefinition() ? RD->getDefinition() : nullptr;
    }
    DC = llvm::dyn_cast<DeclContext>(Next);
    if (!DC)
      return nullptr;
  }
  return nullptr;
}

bool isAwaitOrYield(const Stmt *S) {
  return llvm::isa<CoawaitExpr, DependentCoawaitExpr, CoyieldExpr>(S) &&
         !(llvm::isa<CoawaitExpr>(S) && llvm::cast<CoawaitExpr>(S)->isImplicit());
}

/// The first co_await / co_yield of \p S (where a cancellation is raised).
const Stmt *firstSuspension(const Stmt *S) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return nullptr;
  if (isAwaitOrYield(S))
    return S;
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (const Stmt *Found = firstSuspension(Child))
      return Found;
  return nullptr;
}

/// The expression that the statement \p S evaluates, without parentheses,
/// implicit conversions, cleanups and a cast to void; null if S is not an
/// expression.
const Expr *statementExpr(const Stmt *S) {
  const auto *E = llvm::dyn_cast_or_null<Expr>(S);
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *Cleanups = llvm::dyn_cast<ExprWithCleanups>(E))
    E = Cleanups->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Cast = llvm::dyn_cast<CStyleCastExpr>(E);
      Cast && Cast->getType()->isVoidType())
    E = Cast->getSubExpr()->IgnoreParenImpCasts();
  return E;
}

/// True if \p S rethrows the exception of \p Handler: `throw;`,
/// `std::rethrow_exception(std::current_exception())`, `throw e;` of the
/// caught variable, or a throw written by a macro (a test framework's
/// assertion: it may be anything).
bool isRethrow(const Stmt *S, const CXXCatchStmt &Handler) {
  const Expr *E = statementExpr(S);
  if (!E)
    return false;
  if (const auto *Throw = llvm::dyn_cast<CXXThrowExpr>(E)) {
    if (Throw->getBeginLoc().isMacroID())
      return true;
    const Expr *Operand = Throw->getSubExpr();
    if (!Operand)
      return true; // throw;
    const Expr *Inner = Operand->IgnoreUnlessSpelledInSource();
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(Inner))
      return Handler.getExceptionDecl() && Ref->getDecl() == Handler.getExceptionDecl();
    return false;
  }
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return false;
    if (analysis::qualifiedName(*Callee) == "std::rethrow_exception")
      return true;
    // A call that never returns (terminate, a reporting function that
    // rethrows): the handler does not carry on.
    return Callee->isNoReturn();
  }
  return false;
}

bool isLoop(const Stmt *S) {
  return llvm::isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

/// The jumps that leave \p S (return, co_return, break, continue, goto), in
/// source order: not a break or continue that stays in a loop of S, nor a
/// break that ends a switch of S, nor those of lambdas.
void collectJumps(const Stmt *S, llvm::SmallVectorImpl<const Stmt *> &Out,
                  bool InLoop = false, bool InSwitch = false) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return;
  if (llvm::isa<ReturnStmt, CoreturnStmt, GotoStmt, IndirectGotoStmt>(S)) {
    Out.push_back(S);
    return;
  }
  if (llvm::isa<ContinueStmt>(S)) {
    if (!InLoop)
      Out.push_back(S);
    return;
  }
  if (llvm::isa<BreakStmt>(S)) {
    if (!InLoop && !InSwitch)
      Out.push_back(S);
    return;
  }
  bool Loop = InLoop || isLoop(S);
  bool Switch = InSwitch || llvm::isa<SwitchStmt>(S);
  for (const Stmt *Child : analysis::writtenChildren(S))
    collectJumps(Child, Out, Loop, Switch);
}

bool hasJump(const Stmt *S) {
  llvm::SmallVector<const Stmt *, 4> Jumps;
  collectJumps(S, Jumps);
  return !Jumps.empty();
}

/// The keyword of a jump, as the diagnostics name it.
llvm::StringRef jumpName(const Stmt &Jump) {
  return llvm::isa<CoreturnStmt>(Jump)   ? "co_return"
         : llvm::isa<ReturnStmt>(Jump)   ? "return"
         : llvm::isa<BreakStmt>(Jump)    ? "break"
         : llvm::isa<ContinueStmt>(Jump) ? "continue"
                                         : "goto";
}

/// True if every path through \p S rethrows before it can complete or
/// leave: a structured walk of the handler's statements (a rethrow on one
/// branch only is not enough).
bool alwaysRethrows(const Stmt *S, const CXXCatchStmt &Handler) {
  if (!S)
    return false;
  if (isRethrow(S, Handler))
    return true;
  if (const auto *Block = llvm::dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Child : Block->body()) {
      if (alwaysRethrows(Child, Handler))
        return true;
      if (hasJump(Child))
        return false; // leaves on some path before any rethrow
    }
    return false;
  }
  if (const auto *If = llvm::dyn_cast<IfStmt>(S))
    return If->getElse() && alwaysRethrows(If->getThen(), Handler) &&
           alwaysRethrows(If->getElse(), Handler);
  if (const auto *Try = llvm::dyn_cast<CXXTryStmt>(S)) {
    if (!alwaysRethrows(Try->getTryBlock(), Handler))
      return false;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (!alwaysRethrows(Try->getHandler(I)->getHandlerBlock(), Handler))
        return false;
    return true;
  }
  if (const auto *Label = llvm::dyn_cast<LabelStmt>(S))
    return alwaysRethrows(Label->getSubStmt(), Handler);
  return false;
}

/// True if \p S captures the exception (`std::current_exception()`) to
/// hand it on, as a promise or a task's state does: it is propagated later,
/// not swallowed.
bool capturesException(const Stmt *S) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return false;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && analysis::qualifiedName(*Callee) == "std::current_exception")
      return true;
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (capturesException(Child))
      return true;
  return false;
}

/// True if \p S compares something with \p Code (`e.code() == X`), which
/// an error-code cancellation needs before it rethrows.
bool mentionsCode(const Stmt *S, llvm::StringRef Code) {
  if (!S)
    return false;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S))
    if (analysis::qualifiedName(*Ref->getDecl()) == Code ||
        Code.ends_with("::" + Ref->getDecl()->getNameAsString()))
      return true;
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (mentionsCode(Child, Code))
      return true;
  return false;
}

/// True if \p S rethrows the exception of \p Handler on some path (under a
/// condition, as when it tells its own cancellation from another's).
bool rethrowsOnSomePath(const Stmt *S, const CXXCatchStmt &Handler) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return false;
  if (isRethrow(S, Handler))
    return true;
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (rethrowsOnSomePath(Child, Handler))
      return true;
  return false;
}

// --- What runs after a handler ---------------------------------------------
//
// A handler that swallows the cancellation matters when the task goes on as
// if it had not been cancelled: it suspends again (the next wait hangs a
// shutdown, a retry loop spins) or it returns a value as success. A handler
// after which a task only ends (falls off its end, `co_return;`, calls that
// do not suspend) stops the task all the same. The questions below follow
// the statements structurally: the rest of each enclosing block up to the
// body, another round of each enclosing loop, and where a break, continue
// or co_return leads; anything they cannot follow counts as carrying on.

/// True if the statement \p S never completes: a throw, or a call of a
/// function that does not return.
bool neverReturns(const Stmt *S) {
  const Expr *E = statementExpr(S);
  if (!E)
    return false;
  if (llvm::isa<CXXThrowExpr>(E))
    return true;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      return Callee->isNoReturn();
  return false;
}

/// True if control can reach the end of \p S: not when every path jumps
/// away or throws. Loops and switches may always end.
bool canCompleteNormally(const Stmt *S) {
  if (!S)
    return true;
  if (llvm::isa<BreakStmt, ContinueStmt, ReturnStmt, CoreturnStmt, GotoStmt,
                IndirectGotoStmt>(S) ||
      neverReturns(S))
    return false;
  if (const auto *Block = llvm::dyn_cast<CompoundStmt>(S)) {
    bool Reachable = true;
    for (const Stmt *Child : Block->body()) {
      if (llvm::isa<LabelStmt, SwitchCase>(Child))
        Reachable = true; // a jump may land here
      if (Reachable && !canCompleteNormally(Child))
        Reachable = false;
    }
    return Reachable;
  }
  if (const auto *If = llvm::dyn_cast<IfStmt>(S))
    return !If->getElse() || canCompleteNormally(If->getThen()) ||
           canCompleteNormally(If->getElse());
  if (const auto *Try = llvm::dyn_cast<CXXTryStmt>(S)) {
    if (canCompleteNormally(Try->getTryBlock()))
      return true;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (canCompleteNormally(Try->getHandler(I)->getHandlerBlock()))
        return true;
    return false;
  }
  if (const auto *Label = llvm::dyn_cast<LabelStmt>(S))
    return canCompleteNormally(Label->getSubStmt());
  if (const auto *Attributed = llvm::dyn_cast<AttributedStmt>(S))
    return canCompleteNormally(Attributed->getSubStmt());
  return true;
}

/// True if \p Return hands a value to the promise: the task reports a
/// result. A dependent operand may be one.
bool returnsValue(const CoreturnStmt &Return) {
  const Expr *Operand = Return.getOperand();
  return Operand && !Return.isImplicit() &&
         (Operand->isTypeDependent() || !Operand->getType()->isVoidType());
}

/// True if \p S, run after a handler, carries on: it contains a suspension
/// point or a `co_return` of a value (not counting nested lambdas).
bool carriesOn(const Stmt *S) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return false;
  if (isAwaitOrYield(S))
    return true;
  if (const auto *Return = llvm::dyn_cast<CoreturnStmt>(S))
    return returnsValue(*Return);
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (carriesOn(Child))
      return true;
  return false;
}

/// True if the loop \p Loop runs its body again after a round: not the
/// `do { ... } while (false)` of a macro or a block to break out of.
bool goesRound(const Stmt &Loop, const ASTContext &Ctx) {
  const auto *Do = llvm::dyn_cast<DoStmt>(&Loop);
  if (!Do)
    return true;
  const Expr *Cond = Do->getCond();
  bool Value = true;
  if (Cond && !Cond->isValueDependent() &&
      Cond->EvaluateAsBooleanCondition(Value, Ctx))
    return Value;
  return true;
}

/// What the coroutine can do after a handler of the try statement at the
/// end of \p Chain (the statements from the coroutine's body down to the
/// try): whether it carries on after the cancellation it swallowed.
class Continuation {
public:
  Continuation(analysis::ParentChain Chain, const ASTContext &Ctx)
      : Chain(Chain), Ctx(Ctx), Memo(Chain.size()) {}

  /// True if the coroutine can carry on once Chain[I] completes normally.
  bool afterCompletion(unsigned I) {
    if (I == 0)
      return false; // the end of the body: the task ends
    if (!Memo[I])
      Memo[I] = computeAfterCompletion(I);
    return *Memo[I];
  }

  /// True if the coroutine can carry on after \p Jump, a jump inside
  /// Chain[I] (Chain[0..I] enclose it).
  bool afterJump(const Stmt &Jump, unsigned I) {
    if (const auto *Return = llvm::dyn_cast<CoreturnStmt>(&Jump))
      return returnsValue(*Return);
    if (llvm::isa<ReturnStmt>(Jump))
      return false; // a function on the loop (AsyncContextFunctions) ends
    if (!llvm::isa<BreakStmt, ContinueStmt>(Jump))
      return true; // a goto may land anywhere
    bool Continue = llvm::isa<ContinueStmt>(Jump);
    for (unsigned K = I + 1; K-- > 0;) {
      const Stmt &Target = *Chain[K];
      if (isLoop(&Target)) {
        // Another round runs the try again, which suspends.
        if (Continue && goesRound(Target, Ctx))
          return true;
        return afterCompletion(K);
      }
      if (!Continue && llvm::isa<SwitchStmt>(Target))
        return afterCompletion(K);
    }
    return true; // no target in the chain: assume the worst
  }

private:
  bool computeAfterCompletion(unsigned I) {
    const Stmt *Parent = Chain[I - 1];
    const Stmt *Done = Chain[I];
    if (const auto *Block = llvm::dyn_cast<CompoundStmt>(Parent)) {
      bool After = false;
      for (const Stmt *Next : Block->body()) {
        if (!After) {
          After = Next == Done;
          continue;
        }
        if (carriesOn(Next))
          return true;
        llvm::SmallVector<const Stmt *, 4> Jumps;
        collectJumps(Next, Jumps);
        for (const Stmt *Jump : Jumps)
          if (afterJump(*Jump, I - 1))
            return true;
        if (!canCompleteNormally(Next))
          return false; // every path left through the jumps above
      }
      return afterCompletion(I - 1);
    }
    if (isLoop(Parent)) {
      // The try is in the loop's body: the next round runs it again.
      if (goesRound(*Parent, Ctx))
        return true;
      return afterCompletion(I - 1);
    }
    // A branch, a switch's body, a handler or try block of an enclosing try
    // ends where its statement ends.
    if (llvm::isa<IfStmt, SwitchStmt, SwitchCase, LabelStmt, AttributedStmt,
                  CXXTryStmt, CXXCatchStmt>(Parent))
      return afterCompletion(I - 1);
    return true; // an expression (a statement expression): assume the worst
  }

  analysis::ParentChain Chain;
  const ASTContext &Ctx;
  llvm::SmallVector<std::optional<bool>, 8> Memo;
};

// --- Awaiting a task this coroutine cancelled -------------------------------
//
// `h.cancel(); try { co_await h; } catch (...) {}` waits until the child is
// gone: the cancellation it catches is the child's, which the coroutine
// asked for. Only the coroutine's own cancellation, arriving while it waits,
// must not be swallowed.

/// The variable or member that the `x.cancel()` call \p S, as a whole
/// statement, cancels; null if S is something else.
const ValueDecl *cancelledBy(const Stmt *S) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(statementExpr(S));
  if (!Call || Call->getNumArgs() != 0)
    return nullptr;
  const Expr *Object = nullptr;
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *Method = Member->getMethodDecl();
    if (Method && Method->getIdentifier() && Method->getName() == "cancel")
      Object = Member->getImplicitObjectArgument();
  } else if (const auto *Dependent = llvm::dyn_cast<CXXDependentScopeMemberExpr>(
                 Call->getCallee()->IgnoreParens())) {
    // `h.cancel()` of a handle of a template parameter's type.
    if (!Dependent->isImplicitAccess() &&
        Dependent->getMember().getAsString() == "cancel")
      Object = Dependent->getBase();
  }
  if (!Object)
    return nullptr;
  Object = Object->IgnoreParenImpCasts();
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(Object))
    return Ref->getDecl();
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(Object);
      Member &&
      llvm::isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()))
    return Member->getMemberDecl();
  return nullptr;
}

/// The variable or member of `this` that \p E names, as written.
const ValueDecl *namedValue(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreUnlessSpelledInSource();
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E))
    return Ref->getDecl();
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(E);
      Member &&
      llvm::isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()))
    return Member->getMemberDecl();
  return nullptr;
}

/// True if \p RD or a base declares a member \p Name (an identifier) or, for
/// an empty name, `operator co_await`.
bool hasMember(const CXXRecordDecl *RD, llvm::StringRef Name) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  for (const Decl *D : RD->decls()) {
    const auto *ND = llvm::dyn_cast<NamedDecl>(D);
    if (!ND)
      continue;
    DeclarationName DN = ND->getDeclName();
    if (Name.empty() ? DN.getCXXOverloadedOperator() == OO_Coawait
                     : DN.isIdentifier() && ND->getName() == Name)
      return true;
  }
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (hasMember(Base.getType()->getAsCXXRecordDecl(), Name))
      return true;
  return false;
}

/// True if values of \p Type can raise a cancellation when awaited: an
/// awaiter, a type with `operator co_await`, a task (it has a promise), or
/// a handle of a task (it can be cancelled).
bool isAwaitable(QualType Type) {
  const CXXRecordDecl *RD = Type.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && (hasMember(RD, "await_ready") || hasMember(RD, "") ||
                hasMember(RD, "promise_type") || hasMember(RD, "cancel"));
}

/// True if awaiting \p E waits for tasks of \p Cancelled only: E names one,
/// or is a call (wait_for, gather, wait, std::move) that names one as an
/// argument and whose other awaitable arguments wait for cancelled tasks
/// too. Other arguments (durations, flags) do not raise cancellations.
/// \p Found is the first task of \p Cancelled that E names.
bool waitsForCancelled(
    const Expr *E,
    const llvm::DenseMap<const ValueDecl *, const Expr *> &Cancelled,
    const ValueDecl *&Found) {
  if (!E)
    return false;
  if (const ValueDecl *Named = namedValue(E)) {
    if (!Cancelled.contains(Named))
      return false;
    if (!Found)
      Found = Named;
    return true;
  }
  const auto *Call = llvm::dyn_cast<CallExpr>(E->IgnoreUnlessSpelledInSource());
  if (!Call)
    return false;
  bool Any = false;
  for (const Expr *Arg : Call->arguments()) {
    if (waitsForCancelled(Arg, Cancelled, Found))
      Any = true;
    else if (isAwaitable(Arg->getType()))
      return false;
  }
  return Any;
}

/// Collects the suspension points of \p S, not those of nested lambdas.
void collectSuspensions(const Stmt *S,
                        llvm::SmallVectorImpl<const Stmt *> &Out) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return;
  if (isAwaitOrYield(S))
    Out.push_back(S);
  for (const Stmt *Child : analysis::writtenChildren(S))
    collectSuspensions(Child, Out);
}

/// If every suspension point of the try statement at the end of \p Chain
/// awaits tasks that the coroutine cancelled on every path before it (an
/// `x.cancel();` statement earlier in an enclosing block), the cancel()
/// call of the task that the first one awaits.
const Expr *cancelledChildWait(analysis::ParentChain Chain) {
  const auto &Try = *llvm::cast<CXXTryStmt>(Chain.back());
  // Each cancelled task, with a cancel() call of it (for the note).
  llvm::DenseMap<const ValueDecl *, const Expr *> Cancelled;
  for (unsigned I = Chain.size() - 1; I > 0; --I) {
    const auto *Block = llvm::dyn_cast<CompoundStmt>(Chain[I - 1]);
    if (!Block)
      continue;
    for (const Stmt *Before : Block->body()) {
      if (Before == Chain[I])
        break;
      if (const ValueDecl *Handle = cancelledBy(Before))
        Cancelled.try_emplace(Handle, statementExpr(Before));
    }
  }
  if (Cancelled.empty())
    return nullptr;
  llvm::SmallVector<const Stmt *, 4> Suspensions;
  collectSuspensions(Try.getTryBlock(), Suspensions);
  const ValueDecl *Found = nullptr;
  for (const Stmt *S : Suspensions) {
    const Expr *Operand = nullptr;
    if (const auto *Await = llvm::dyn_cast<CoawaitExpr>(S))
      Operand = Await->getOperand();
    else if (const auto *Await = llvm::dyn_cast<DependentCoawaitExpr>(S))
      Operand = Await->getOperand();
    if (!waitsForCancelled(Operand, Cancelled, Found))
      return nullptr; // a co_yield, or a wait for something else
  }
  return Found ? Cancelled.lookup(Found) : nullptr;
}

} // namespace

SwallowedCancellationCheck::SwallowedCancellationCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : CoroCheckBase(Name, Context),
      CancellationExceptions(analysis::splitList(Options.get(
          "CancellationExceptions", defaultCancellationExceptions()))),
      ErrorCodeCancellation(analysis::splitList(Options.get(
          "ErrorCodeCancellation", defaultErrorCodeCancellation()))),
      RethrowHandler(Options.get("RethrowHandler", "").str()),
      CancellingCondition(Options.get("CancellingCondition", "").str()),
      ReportTerminalHandlers(Options.get("ReportTerminalHandlers", false)) {
  for (const std::string &Item : ErrorCodeCancellation)
    if (!llvm::StringRef(Item).contains('='))
      configurationDiag("entry '%0' of option 'ErrorCodeCancellation' must be "
                        "'type=code', e.g. "
                        "'std::system_error=asio::error::operation_aborted'")
          << Item;
}

void SwallowedCancellationCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  CoroCheckBase::storeOptions(Opts);
  Options.store(Opts, "CancellationExceptions",
                analysis::joinList(CancellationExceptions));
  Options.store(Opts, "ErrorCodeCancellation",
                analysis::joinList(ErrorCodeCancellation));
  Options.store(Opts, "RethrowHandler", RethrowHandler);
  Options.store(Opts, "CancellingCondition", CancellingCondition);
  Options.store(Opts, "ReportTerminalHandlers", ReportTerminalHandlers);
}

void SwallowedCancellationCheck::registerMatchers(MatchFinder *Finder) {
  registerAsyncBodyMatchers(Finder);
}

std::vector<SwallowedCancellationCheck::Cancellation>
SwallowedCancellationCheck::cancellationsIn(ASTContext &Ctx, bool ErrorCodes) {
  std::vector<Cancellation> Out;
  for (const std::string &Name : CancellationExceptions)
    if (const CXXRecordDecl *RD = findClass(Ctx, Name))
      Out.push_back({RD, Name, ""});
  // An error-code cancellation (asio's operation_aborted inside a
  // system_error) only arises where asio's operations are awaited.
  if (ErrorCodes)
    for (const std::string &Item : ErrorCodeCancellation) {
      auto [Type, Code] = llvm::StringRef(Item).split('=');
      if (const CXXRecordDecl *RD = findClass(Ctx, Type.trim()))
        Out.push_back({RD, Type.trim().str(), Code.trim().str()});
    }
  return Out;
}

void SwallowedCancellationCheck::check(const MatchFinder::MatchResult &Result) {
  walkMatchedBody(
      Result,
      [&](const Stmt &S, const analysis::AsyncPlacement &Where,
          analysis::ParentChain Parents) {
        if (const auto *Try = llvm::dyn_cast<CXXTryStmt>(&S))
          checkTry(*Try, Where, Parents, Result);
      });
}

void SwallowedCancellationCheck::checkTry(const CXXTryStmt &Try,
                                          const analysis::AsyncPlacement &Where,
                                          analysis::ParentChain Parents,
                                          const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  const Stmt *Suspension = firstSuspension(Try.getTryBlock());
  if (!Suspension)
    return; // nothing in the try block can raise a cancellation

  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  std::vector<Cancellation> Pending = cancellationsIn(Ctx, P.ErrorCodeCancellation);
  llvm::StringRef Rethrow =
      RethrowHandler.empty() ? P.RethrowHandler : llvm::StringRef(RethrowHandler);
  llvm::StringRef Cancelling = CancellingCondition.empty()
                                   ? P.CancellingCondition
                                   : llvm::StringRef(CancellingCondition);
  if (Pending.empty())
    return;

  // The statements from the body down to the try, for the questions of
  // what runs before and after it.
  llvm::SmallVector<const Stmt *, 16> Chain(Parents.begin(), Parents.end());
  Chain.push_back(&Try);
  Continuation After(Chain, Ctx);
  std::optional<const Expr *> ChildCancel; // computed once, when needed

  for (unsigned I = 0; I < Try.getNumHandlers() && !Pending.empty(); ++I) {
    const CXXCatchStmt &Handler = *Try.getHandler(I);
    const CXXRecordDecl *Caught = nullptr;
    if (!Handler.getCaughtType().isNull())
      Caught = Handler.getCaughtType().getNonReferenceType()->getAsCXXRecordDecl();
    bool CatchAll = Handler.getCaughtType().isNull();

    // The cancellations this handler catches.
    std::vector<Cancellation> Catches;
    for (const Cancellation &C : Pending)
      if (CatchAll ||
          (Caught && analysis::isSameOrDerivedFrom(C.Type, analysis::qualifiedName(*Caught))))
        Catches.push_back(C);
    if (Catches.empty())
      continue;

    const Stmt *HandlerBody = Handler.getHandlerBlock();
    bool Rethrows = alwaysRethrows(HandlerBody, Handler) ||
                    capturesException(HandlerBody);
    // Later handlers never see what this one catches.
    llvm::erase_if(Pending, [&](const Cancellation &P) {
      return llvm::any_of(Catches, [&](const Cancellation &C) { return C.Type == P.Type; });
    });
    // A handler whose `catch` a library's macro writes (a test framework's
    // CHECK_THROWS_AS, EXPECT_NO_THROW) checks the awaited expression for
    // the test; it is not the code's handling of the cancellation.
    if (Rethrows || SM.isInSystemMacro(Handler.getBeginLoc()))
      continue;

    const Cancellation *Swallowed = nullptr;
    for (const Cancellation &C : Catches) {
      // An error-code cancellation handled by a handler that checks the
      // code is the handler's business.
      if (!C.Code.empty() && mentionsCode(HandlerBody, C.Code))
        continue;
      Swallowed = &C;
      break;
    }
    if (!Swallowed)
      continue;

    // How the handler leaves: its jumps, and falling off its end. Unless
    // ReportTerminalHandlers, it matters only if the task carries on after
    // one of them.
    llvm::SmallVector<const Stmt *, 4> Jumps;
    collectJumps(HandlerBody, Jumps);
    const Stmt *Exit = nullptr;
    if (ReportTerminalHandlers) {
      Exit = Jumps.empty() ? nullptr : Jumps.front();
    } else {
      for (const Stmt *Jump : Jumps)
        if (After.afterJump(*Jump, Chain.size() - 1)) {
          Exit = Jump;
          break;
        }
      if (!Exit && !(canCompleteNormally(HandlerBody) &&
                     After.afterCompletion(Chain.size() - 1)))
        continue; // after the handler the task only ends
    }

    // Waiting for tasks the coroutine cancelled: the cancellation caught is
    // theirs, unless the coroutine is cancelled itself meanwhile.
    if (!ChildCancel)
      ChildCancel = cancelledChildWait(Chain);
    const Expr *CancelCall = Swallowed->Code.empty() ? *ChildCancel : nullptr;
    // A handler that rethrows under a condition tells the two apart.
    if (CancelCall && rethrowsOnSomePath(HandlerBody, Handler))
      continue;
    if (!firstReportAt(Handler.getBeginLoc()))
      continue;

    std::string Coroutine = analysis::coroutineName(Where);
    {
      auto Diag =
          CancelCall
              ? diag(Handler.getBeginLoc(),
                     "handler in %0 catches the cancellation '%1' of '%2', "
                     "which it cancelled, and its own cancellation as well: "
                     "cancelled while it waits, the task carries on; rethrow "
                     "when this task itself is being cancelled")
          : Exit ? diag(Handler.getBeginLoc(),
                        "handler in %0 catches the cancellation '%1' raised "
                        "at a suspension point and leaves with '%2': the task "
                        "reports success after it was cancelled; rethrow the "
                        "cancellation")
                 : diag(Handler.getBeginLoc(),
                        "handler in %0 catches the cancellation '%1' raised "
                        "at a suspension point and does not rethrow it: the "
                        "task carries on after it was cancelled, and "
                        "shutdowns and timeouts hang; rethrow the "
                        "cancellation");
      Diag << Coroutine << Swallowed->Name;
      if (CancelCall)
        Diag << cancelledBy(CancelCall)->getName();
      else if (Exit)
        Diag << jumpName(*Exit);
      bool ThroughBase =
          CatchAll || Swallowed->Type->getCanonicalDecl() != Caught->getCanonicalDecl();
      SourceLocation BodyStart =
          HandlerBody->getBeginLoc().isFileID()
              ? Lexer::getLocForEndOfToken(HandlerBody->getBeginLoc(), 0, SM,
                                           Ctx.getLangOpts())
              : SourceLocation();
      if (CancelCall) {
        // Rethrow only the coroutine's own cancellation: the child's is
        // the one it waits for.
        if (!Cancelling.empty() && BodyStart.isValid())
          Diag << FixItHint::CreateInsertion(
              BodyStart, " if (" + Cancelling.str() + ") throw;");
      } else if (Swallowed->Code.empty() && ThroughBase && !Rethrow.empty() &&
                 Handler.getBeginLoc().isFileID() &&
                 Rethrow.contains(Swallowed->Name)) {
        // The fix: a rethrowing handler for the cancellation type, before a
        // handler that catches it through `...` or a base class. It keeps
        // every other exception's handling, so it is on the warning.
        unsigned Column = SM.getSpellingColumnNumber(Handler.getBeginLoc());
        Diag << FixItHint::CreateInsertion(
            Handler.getBeginLoc(),
            Rethrow.str() + "\n" + std::string(Column > 0 ? Column - 1 : 0, ' '));
      } else if (!Swallowed->Code.empty() && BodyStart.isValid()) {
        // An error code: check it first in the handler, and rethrow. A
        // handler of the exception's own type tests its code; one of a
        // base class or of `...` cannot, and a handler before it could not
        // pass the other errors on to it, so the handler rethrows the
        // exception into a test of the right type.
        const VarDecl *Param = Handler.getExceptionDecl();
        std::string Check;
        if (!ThroughBase && Param && !Param->getName().empty())
          Check = " if (" + Param->getName().str() + ".code() == " +
                  Swallowed->Code + ") throw;";
        else
          Check = " try { throw; } catch (const " + Swallowed->Name +
                  " &caught) { if (caught.code() == " + Swallowed->Code +
                  ") throw; } catch (...) {}";
        Diag << FixItHint::CreateInsertion(BodyStart, Check);
      }
    }
    diag(Suspension->getBeginLoc(), "the cancellation is raised here",
         DiagnosticIDs::Note);
    if (CancelCall)
      diag(CancelCall->getBeginLoc(), "'%0' is cancelled here",
           DiagnosticIDs::Note)
          << cancelledBy(CancelCall)->getName();
    if (Swallowed->Code.empty())
      diag(Swallowed->Type->getLocation(),
           "'%0' is a cancellation exception (option CancellationExceptions)",
           DiagnosticIDs::Note)
          << Swallowed->Name;
    else
      diag(Swallowed->Type->getLocation(),
           "'%0' carries a cancellation as '%1' (option ErrorCodeCancellation)",
           DiagnosticIDs::Note)
          << Swallowed->Name << Swallowed->Code;
    if (Exit)
      diag(Exit->getBeginLoc(), "the handler leaves here", DiagnosticIDs::Note);
  }
}

} // namespace corolint
