//===- SwallowedCancellationCheck.cpp - coro-swallowed-cancellation -------===//

#include "checks/SwallowedCancellationCheck.h"
#include "checks/analysis/Rewrite.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

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

/// The handler the fix inserts for each profile.
llvm::StringRef rethrowHandlerOf(llvm::StringRef Runtime) {
  if (Runtime == "aio")
    return "catch (const aio::cancelled_error &) { throw; }";
  if (Runtime == "cppcoro")
    return "catch (const cppcoro::operation_cancelled &) { throw; }";
  if (Runtime == "folly")
    return "catch (const folly::OperationCancelled &) { throw; }";
  return "";
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
  for (const Stmt *Child : S->children())
    if (const Stmt *Found = firstSuspension(Child))
      return Found;
  return nullptr;
}

/// True if \p S rethrows the exception of \p Handler: `throw;`,
/// `std::rethrow_exception(std::current_exception())`, `throw e;` of the
/// caught variable, or a throw written by a macro (a test framework's
/// assertion: it may be anything).
bool isRethrow(const Stmt *S, const CXXCatchStmt &Handler) {
  const auto *E = llvm::dyn_cast_or_null<Expr>(S);
  if (!E)
    return false;
  E = E->IgnoreParenImpCasts();
  if (const auto *Cleanups = llvm::dyn_cast<ExprWithCleanups>(E))
    E = Cleanups->getSubExpr()->IgnoreParenImpCasts();
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

/// The jump that leaves a handler early (return, co_return, break,
/// continue, goto), outside nested loops, switches and lambdas.
const Stmt *earlyExit(const Stmt *S, bool InLoop = false) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return nullptr;
  if (llvm::isa<ReturnStmt, CoreturnStmt, GotoStmt>(S))
    return S;
  if (llvm::isa<BreakStmt, ContinueStmt>(S) && !InLoop)
    return S;
  bool Loop = InLoop || llvm::isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt,
                                  SwitchStmt>(S);
  for (const Stmt *Child : S->children())
    if (const Stmt *Found = earlyExit(Child, Loop))
      return Found;
  return nullptr;
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
      if (earlyExit(Child))
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
  for (const Stmt *Child : S->children())
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
  for (const Stmt *Child : S->children())
    if (mentionsCode(Child, Code))
      return true;
  return false;
}

} // namespace

SwallowedCancellationCheck::SwallowedCancellationCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : CoroCheckBase(Name, Context),
      CancellationExceptions(analysis::splitList(Options.get(
          "CancellationExceptions", defaultCancellationExceptions()))),
      ErrorCodeCancellation(analysis::splitList(Options.get(
          "ErrorCodeCancellation", defaultErrorCodeCancellation()))),
      RethrowHandler(
          Options.get("RethrowHandler", rethrowHandlerOf(RuntimeName)).str()) {
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
}

void SwallowedCancellationCheck::registerMatchers(MatchFinder *Finder) {
  registerAsyncBodyMatchers(Finder);
}

std::vector<SwallowedCancellationCheck::Cancellation>
SwallowedCancellationCheck::cancellationsIn(ASTContext &Ctx, bool AsioCoroutine) {
  std::vector<Cancellation> Out;
  for (const std::string &Name : CancellationExceptions)
    if (const CXXRecordDecl *RD = findClass(Ctx, Name))
      Out.push_back({RD, Name, ""});
  // An error-code cancellation (asio's operation_aborted inside a
  // system_error) only arises where asio's operations are awaited.
  if (AsioCoroutine)
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
          analysis::ParentChain) {
        if (const auto *Try = llvm::dyn_cast<CXXTryStmt>(&S))
          checkTry(*Try, Where, Result);
      });
}

void SwallowedCancellationCheck::checkTry(const CXXTryStmt &Try,
                                          const analysis::AsyncPlacement &Where,
                                          const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  const Stmt *Suspension = firstSuspension(Try.getTryBlock());
  if (!Suspension)
    return; // nothing in the try block can raise a cancellation

  std::string ReturnName;
  if (const CXXRecordDecl *RD = Where.Coroutine->getReturnType()->getAsCXXRecordDecl())
    ReturnName = analysis::qualifiedName(*RD);
  bool Asio = ReturnName == "asio::awaitable" || ReturnName == "boost::asio::awaitable";
  std::vector<Cancellation> Pending = cancellationsIn(Ctx, Asio);
  if (Pending.empty())
    return;

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
    if (Rethrows)
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
    if (!Swallowed || !firstReportAt(Handler.getBeginLoc()))
      continue;

    std::string Coroutine = analysis::coroutineName(Where);
    const Stmt *Exit = earlyExit(HandlerBody);
    StringRef ExitName;
    if (Exit)
      ExitName = llvm::isa<CoreturnStmt>(Exit)  ? "co_return"
                 : llvm::isa<ReturnStmt>(Exit)  ? "return"
                 : llvm::isa<BreakStmt>(Exit)   ? "break"
                 : llvm::isa<ContinueStmt>(Exit) ? "continue"
                                                 : "goto";
    {
      auto Diag =
          Exit ? diag(Handler.getBeginLoc(),
                      "handler in %0 catches the cancellation '%1' raised at a "
                      "suspension point and leaves with '%2': the task reports "
                      "success after it was cancelled; rethrow the "
                      "cancellation")
               : diag(Handler.getBeginLoc(),
                      "handler in %0 catches the cancellation '%1' raised at a "
                      "suspension point and does not rethrow it: the task "
                      "carries on after it was cancelled, and shutdowns and "
                      "timeouts hang; rethrow the cancellation");
      Diag << Coroutine << Swallowed->Name;
      if (Exit)
        Diag << ExitName;
      // The fix: a rethrowing handler for the cancellation type, before a
      // handler that catches it through `...` or a base class. It keeps
      // every other exception's handling, so it is on the warning.
      bool ThroughBase = CatchAll || Swallowed->Type != Caught;
      if (Swallowed->Code.empty() && ThroughBase && !RethrowHandler.empty() &&
          Handler.getBeginLoc().isFileID() &&
          StringRef(RethrowHandler).contains(Swallowed->Name)) {
        unsigned Column = SM.getSpellingColumnNumber(Handler.getBeginLoc());
        Diag << FixItHint::CreateInsertion(
            Handler.getBeginLoc(),
            RethrowHandler + "\n" + std::string(Column > 0 ? Column - 1 : 0, ' '));
      } else if (!Swallowed->Code.empty() && Handler.getExceptionDecl() &&
                 !Handler.getExceptionDecl()->getName().empty() &&
                 HandlerBody->getBeginLoc().isFileID()) {
        // An error code: check it first in the handler, and rethrow.
        std::string Check = " if (" + Handler.getExceptionDecl()->getName().str() +
                            ".code() == " + Swallowed->Code + ") throw;";
        Diag << FixItHint::CreateInsertion(
            Lexer::getLocForEndOfToken(HandlerBody->getBeginLoc(), 0, SM,
                                       Ctx.getLangOpts()),
            Check);
      }
    }
    diag(Suspension->getBeginLoc(), "the cancellation is raised here",
         DiagnosticIDs::Note);
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
