//===- AsyncContext.cpp - where does a statement run? ---------------------===//

#include "checks/analysis/AsyncContext.h"
#include "checks/analysis/Rewrite.h"

#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace corolint::analysis {

llvm::StringRef defaultSyncGenerators() {
  return "std::generator;cppcoro::generator;cppcoro::recursive_generator;"
         "coro::generator;folly::coro::Generator";
}

llvm::StringRef defaultOffloadFunctions() {
  return "aio::to_thread;aio::run_in_executor;std::thread;std::jthread;"
         "std::async;asio::post;asio::dispatch;asio::defer;boost::asio::post;"
         "boost::asio::dispatch;boost::asio::defer;folly::via;submit;execute;"
         "schedule;enqueue";
}

llvm::StringRef defaultThreadHops() {
  return "cppcoro::static_thread_pool::schedule;coro::thread_pool::schedule;"
         "concurrencpp::resume_on";
}

llvm::StringRef defaultInlineFunctions() {
  return "std::invoke;std::invoke_r;std::apply;std::call_once;std::for_each;"
         "std::for_each_n;std::transform;std::generate;std::generate_n;"
         "std::all_of;std::any_of;std::none_of;std::find_if;std::find_if_not;"
         "std::count_if;std::accumulate;std::reduce;std::sort;"
         "std::stable_sort;std::remove_if";
}

std::string qualifiedName(const NamedDecl &D) {
  // The declaration's own name may be an operator (`operator<<`).
  std::string Out = D.getDeclName().getAsString();
  for (const DeclContext *DC = D.getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = llvm::dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline())
        continue;
      Out = (NS->isAnonymousNamespace() ? std::string("(anonymous namespace)")
                                        : NS->getName().str()) +
            "::" + Out;
    } else if (const auto *RD = llvm::dyn_cast<RecordDecl>(DC)) {
      Out = RD->getName().str() + "::" + Out;
    } else if (llvm::isa<FunctionDecl>(DC)) {
      break; // a local class: its name is enough
    }
  }
  return Out;
}

bool nameMatches(const NamedDecl &D, llvm::StringRef Name) {
  if (!D.getDeclName().isIdentifier() && !llvm::isa<FunctionDecl>(D))
    return false;
  if (Name.contains("::")) {
    Name.consume_front("::");
    return qualifiedName(D) == Name;
  }
  return D.getNameAsString() == Name;
}

bool isSameOrDerivedFrom(const CXXRecordDecl *RD, llvm::StringRef QualifiedName) {
  if (!RD)
    return false;
  if (qualifiedName(*RD) == QualifiedName)
    return true;
  if (!RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (isSameOrDerivedFrom(Base.getType()->getAsCXXRecordDecl(), QualifiedName))
      return true;
  return false;
}

Stmt::const_child_range writtenChildren(const Stmt *S) {
  Stmt::const_child_range All = S->children();
  if (llvm::isa<CoroutineSuspendExpr>(S) && All.begin() != All.end())
    return {All.begin(), std::next(All.begin())};
  return All;
}

namespace {

const CoroutineBodyStmt *coroutineBody(const FunctionDecl &FD) {
  return llvm::dyn_cast_or_null<CoroutineBodyStmt>(FD.getBody());
}

struct SuspensionCounts {
  unsigned Awaits = 0;
  unsigned Yields = 0;
};

/// Counts the explicit co_await / co_yield of one coroutine body, without
/// entering nested lambdas (their own contexts).
void countSuspensions(const Stmt *S, SuspensionCounts &Counts) {
  if (!S)
    return;
  if (llvm::isa<LambdaExpr>(S))
    return;
  if (const auto *Await = llvm::dyn_cast<CoawaitExpr>(S)) {
    if (!Await->isImplicit())
      ++Counts.Awaits;
  } else if (llvm::isa<DependentCoawaitExpr>(S)) {
    ++Counts.Awaits;
  } else if (llvm::isa<CoyieldExpr>(S)) {
    ++Counts.Yields;
  }
  for (const Stmt *Child : writtenChildren(S))
    countSuspensions(Child, Counts);
}

SuspensionCounts suspensionsOf(const FunctionDecl &FD) {
  SuspensionCounts Counts;
  if (const CoroutineBodyStmt *Body = coroutineBody(FD))
    countSuspensions(Body->getBody(), Counts);
  return Counts;
}

/// Looks up \p Name in \p RD and its bases.
void collectMembers(const CXXRecordDecl *RD, llvm::StringRef Name,
                    llvm::SmallVectorImpl<const NamedDecl *> &Out,
                    unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 8)
    return;
  RD = RD->getDefinition();
  const IdentifierInfo &II = RD->getASTContext().Idents.get(Name);
  for (const NamedDecl *ND : RD->lookup(DeclarationName(&II)))
    Out.push_back(ND);
  for (const CXXBaseSpecifier &Base : RD->bases())
    collectMembers(Base.getType()->getAsCXXRecordDecl(), Name, Out, Depth + 1);
}

bool isDeletedFunction(const NamedDecl *ND) {
  if (const auto *FTD = llvm::dyn_cast<FunctionTemplateDecl>(ND))
    ND = FTD->getTemplatedDecl();
  const auto *FD = llvm::dyn_cast<FunctionDecl>(ND);
  return FD && FD->isDeleted();
}

/// Qualified name of the class (or class template) named by \p T.
bool listed(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  return D && llvm::any_of(Names, [&](const std::string &Name) {
           return nameMatches(*D, Name);
         });
}

/// True if \p E has the type of a thread pool of asio or Boost.Asio, or of
/// one of its executors.
bool isAsioThreadPool(const Expr *E) {
  const CXXRecordDecl *RD = E->getType().getNonReferenceType()->getAsCXXRecordDecl();
  for (const DeclContext *DC = RD; DC; DC = DC->getParent())
    if (const auto *Class = llvm::dyn_cast<CXXRecordDecl>(DC)) {
      std::string Name = qualifiedName(*Class);
      if (Name == "asio::thread_pool" || Name == "boost::asio::thread_pool")
        return true;
    }
  return false;
}

} // namespace

bool isThreadHop(const Expr *Operand, const AsyncContextOptions &Opts) {
  const auto *Call =
      Operand ? llvm::dyn_cast<CallExpr>(Operand->IgnoreImplicit()) : nullptr;
  if (!Call)
    return false;
  if (listed(Call->getDirectCallee(), Opts.ThreadHops))
    return true;
  // asio resumes an awaitable through the completion token's executor: the
  // coroutine's own, unless the token is bound to another one.
  for (const Expr *Arg : Call->arguments()) {
    const auto *Bind = llvm::dyn_cast<CallExpr>(Arg->IgnoreImplicit());
    const FunctionDecl *Callee = Bind ? Bind->getDirectCallee() : nullptr;
    if (!Callee || Bind->getNumArgs() < 2)
      continue;
    std::string Name = qualifiedName(*Callee);
    if ((Name == "asio::bind_executor" || Name == "boost::asio::bind_executor") &&
        isAsioThreadPool(Bind->getArg(0)->IgnoreParenImpCasts()))
      return true;
  }
  return false;
}

bool isCoroutine(const FunctionDecl &FD) { return coroutineBody(FD) != nullptr; }

std::string typeName(QualType T) {
  T = T.getCanonicalType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return qualifiedName(*RD);
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
      return qualifiedName(*TD);
  return {};
}

bool containsOwnCoawait(const FunctionDecl &FD) {
  return suspensionsOf(FD).Awaits > 0;
}

bool isSyncGenerator(const FunctionDecl &FD, const AsyncContextOptions &Opts) {
  const CoroutineBodyStmt *Body = coroutineBody(FD);
  if (!Body)
    return false;
  SuspensionCounts Counts = suspensionsOf(FD);
  if (Counts.Awaits > 0)
    return false;

  std::string ReturnName = typeName(FD.getReturnType());
  if (!ReturnName.empty() && llvm::is_contained(Opts.SyncGenerators, ReturnName))
    return true;

  const CXXRecordDecl *Promise = nullptr;
  if (const VarDecl *PD = Body->getPromiseDecl())
    Promise = PD->getType()->getAsCXXRecordDecl();
  if (!Promise)
    return false;

  // A promise that deletes await_transform forbids co_await in the body: the
  // shape of std::generator and cppcoro::generator.
  llvm::SmallVector<const NamedDecl *, 4> AwaitTransforms;
  collectMembers(Promise, "await_transform", AwaitTransforms);
  if (!AwaitTransforms.empty())
    return llvm::all_of(AwaitTransforms, isDeletedFunction);

  // A coroutine that only yields into a type iterated with begin()/end().
  if (Counts.Yields > 0) {
    llvm::SmallVector<const NamedDecl *, 2> Begins;
    collectMembers(FD.getReturnType()->getAsCXXRecordDecl(), "begin", Begins);
    return !Begins.empty();
  }
  return false;
}

bool isAsyncCoroutine(const FunctionDecl &FD, const AsyncContextOptions &Opts) {
  if (isCoroutine(FD))
    return !isSyncGenerator(FD, Opts);
  return !Opts.AsyncContextFunctions.empty() &&
         listed(&FD, Opts.AsyncContextFunctions);
}

namespace {

/// The lambda of \p E, if E is one as written (through conversions to
/// std::function and copies).
const LambdaExpr *asLambda(const Expr *E) {
  return E ? llvm::dyn_cast<LambdaExpr>(E->IgnoreUnlessSpelledInSource()) : nullptr;
}

class Walker {
public:
  Walker(const AsyncContextOptions &Opts, AsyncVisitor Visit)
      : Opts(Opts), Visit(Visit) {}

  void walk(const Stmt *S, AsyncPlacement Where) {
    if (!S)
      return;
    Where.IsAwaitedOperand = S == AwaitedOperand;
    Visit(*S, Where, Stack);
    Where.IsAwaitedOperand = false;
    Stack.push_back(S);
    walkChildren(S, Where);
    Stack.pop_back();
  }

private:
  void walkChildren(const Stmt *S, const AsyncPlacement &Where) {
    // Unevaluated operands do not run; a block is its own context.
    if (llvm::isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, RequiresExpr,
                  BlockExpr>(S))
      return;
    if (const auto *Typeid = llvm::dyn_cast<CXXTypeidExpr>(S);
        Typeid && !Typeid->isPotentiallyEvaluated())
      return;

    // A lambda expression evaluates its captures here; its body runs when
    // it is called (see the calls below).
    if (const auto *L = llvm::dyn_cast<LambdaExpr>(S)) {
      for (const Expr *Init : L->capture_inits())
        walk(Init, Where);
      return;
    }

    // co_await X: X is evaluated here and its result awaited. Only the
    // operand as written is walked; the rest is the compiler's.
    if (const auto *Await = llvm::dyn_cast<CoawaitExpr>(S))
      return walkAwaited(Await->getOperand(), Where);
    if (const auto *Await = llvm::dyn_cast<DependentCoawaitExpr>(S))
      return walkAwaited(Await->getOperand(), Where);
    if (const auto *Yield = llvm::dyn_cast<CoyieldExpr>(S))
      return walk(Yield->getOperand(), Where);
    if (const auto *Return = llvm::dyn_cast<CoreturnStmt>(S))
      return walk(Return->getOperand(), Where);

    if (const auto *Catch = llvm::dyn_cast<CXXCatchStmt>(S)) {
      AsyncPlacement InHandler = Where;
      InHandler.InHandler = true;
      return walk(Catch->getHandlerBlock(), InHandler);
    }

    if (const auto *Block = llvm::dyn_cast<CompoundStmt>(S)) {
      // After `co_await pool.schedule();` the block runs on the pool up to
      // its next suspension point.
      bool OnPool = false;
      for (const Stmt *Child : Block->body()) {
        if (OnPool && !containsSuspension(Child))
          continue;
        OnPool = false;
        walk(Child, Where);
        if (const auto *E = llvm::dyn_cast<Expr>(Child))
          if (const auto *Await = llvm::dyn_cast<CoawaitExpr>(E->IgnoreImplicit()))
            OnPool = isThreadHop(Await->getOperand(), Opts);
      }
      return;
    }

    for (const Stmt *Child : writtenChildren(S))
      walk(Child, Where);

    // Lambdas that this expression runs on the spot.
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S)) {
      if (Op->getOperator() == OO_Call && Op->getNumArgs() > 0)
        if (const LambdaExpr *L = asLambda(Op->getArg(0)))
          walkInlineLambda(*L, Op, Where);
      return;
    }
    const NamedDecl *Callee = nullptr;
    llvm::ArrayRef<const Expr *> Args;
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      Callee = Call->getDirectCallee();
      Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
    } else if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(S)) {
      Callee = Construct->getConstructor()->getParent();
      Args = llvm::ArrayRef(Construct->getArgs(), Construct->getNumArgs());
    }
    if (!Callee || Args.empty() || !listed(Callee, Opts.InlineFunctions) ||
        listed(Callee, Opts.OffloadFunctions))
      return;
    for (const Expr *Arg : Args)
      if (const LambdaExpr *L = asLambda(Arg))
        walkInlineLambda(*L, llvm::cast<Expr>(S), Where);
  }

  void walkAwaited(const Expr *Operand, const AsyncPlacement &Where) {
    if (!Operand)
      return;
    const Stmt *Saved = AwaitedOperand;
    AwaitedOperand = Operand->IgnoreUnlessSpelledInSource();
    walk(Operand, Where);
    AwaitedOperand = Saved;
  }

  void walkInlineLambda(const LambdaExpr &L, const Expr *Invocation,
                        const AsyncPlacement &Where) {
    const CXXMethodDecl *Op = L.getCallOperator();
    if (!Op || isCoroutine(*Op))
      return; // a coroutine lambda is its own context
    AsyncPlacement Inside = Where;
    Inside.InlineLambdaCall = Invocation;
    walk(L.getBody(), Inside);
  }

  const AsyncContextOptions &Opts;
  AsyncVisitor Visit;
  llvm::SmallVector<const Stmt *, 32> Stack;
  const Stmt *AwaitedOperand = nullptr;
};

} // namespace

void walkAsyncBody(const FunctionDecl &FD, const LambdaExpr *Lambda,
                   const AsyncContextOptions &Opts, AsyncVisitor Visit) {
  AsyncPlacement Where;
  Where.Coroutine = &FD;
  Where.CoroutineLambda = Lambda;
  const Stmt *Body = FD.getBody();
  if (const auto *Coro = llvm::dyn_cast_or_null<CoroutineBodyStmt>(Body))
    Body = Coro->getBody(); // the user's statements, not the promise's
  Walker W(Opts, Visit);
  // A constructor runs its base and member initializers before its body.
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(&FD))
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      const Expr *E = Init->getInit();
      if (const auto *Default = llvm::dyn_cast_or_null<CXXDefaultInitExpr>(E))
        E = Default->getExpr();
      W.walk(E, Where);
    }
  W.walk(Body, Where);
}

bool canAwaitAt(const AsyncPlacement &Where) {
  return Where.Coroutine && isCoroutine(*Where.Coroutine) && !Where.InHandler &&
         !Where.InlineLambdaCall;
}

std::string coroutineName(const AsyncPlacement &P) {
  if (P.CoroutineLambda || !P.Coroutine)
    return "coroutine lambda";
  return coroutineName(*P.Coroutine);
}

std::string coroutineName(const FunctionDecl &FD) {
  std::string Name;
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(&FD)) {
    if (MD->getParent()->isLambda())
      return "coroutine lambda";
    Name = MD->getParent()->getNameAsString() + "::";
  }
  Name += FD.getNameAsString();
  return "coroutine '" + Name + "'";
}

std::vector<std::string> splitList(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Out;
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (!Part.empty())
      Out.push_back(Part.str());
  }
  return Out;
}

std::string joinList(llvm::ArrayRef<std::string> Items) {
  std::string Out;
  for (const std::string &Item : Items) {
    if (!Out.empty())
      Out += ';';
    Out += Item;
  }
  return Out;
}

} // namespace corolint::analysis
