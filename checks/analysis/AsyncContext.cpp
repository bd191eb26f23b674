//===- AsyncContext.cpp - where does a statement run? ---------------------===//

#include "checks/analysis/AsyncContext.h"

#include "clang/AST/ExprConcepts.h"
#include "clang/AST/ParentMapContext.h"
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
  for (const Stmt *Child : S->children())
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
std::string typeName(QualType T) {
  T = T.getCanonicalType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return RD->getQualifiedNameAsString();
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
      return TD->getQualifiedNameAsString();
  return {};
}

bool listed(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  return D && llvm::any_of(Names, [&](const std::string &Name) {
           return nameMatches(*D, Name);
         });
}

/// The expression that runs lambda \p L on the caller's thread before the
/// enclosing statement completes: `L()`, `std::invoke(L)`, or a call of an
/// InlineFunctions entry with L as an argument. Null when L is stored,
/// returned, or handed to anything else (it may run elsewhere or later).
const Expr *inlineInvocation(const LambdaExpr &L, ASTContext &Ctx,
                             const AsyncContextOptions &Opts) {
  DynTypedNode Node = DynTypedNode::create(L);
  for (unsigned Hops = 0; Hops < 6; ++Hops) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    const auto *PS = Parents[0].get<Stmt>();
    if (!PS)
      return nullptr;
    if (llvm::isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                  CXXBindTemporaryExpr, ParenExpr>(PS)) {
      Node = Parents[0];
      continue;
    }
    if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(PS)) {
      const CXXRecordDecl *Class = Construct->getConstructor()->getParent();
      if (listed(Class, Opts.OffloadFunctions))
        return nullptr; // std::thread t([&] { ... })
      if (listed(Class, Opts.InlineFunctions))
        return Construct;
      if (Construct->getNumArgs() == 1) {
        Node = Parents[0]; // a conversion: std::function, a copy
        continue;
      }
      return nullptr;
    }
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(PS)) {
      if (Op->getOperator() == OO_Call && Op->getNumArgs() > 0 &&
          Op->getArg(0)->IgnoreUnlessSpelledInSource() == &L)
        return Op;
      return nullptr;
    }
    const NamedDecl *Callee = nullptr;
    if (const auto *Call = llvm::dyn_cast<CallExpr>(PS))
      Callee = Call->getDirectCallee();
    if (!Callee || listed(Callee, Opts.OffloadFunctions))
      return nullptr;
    if (listed(Callee, Opts.InlineFunctions))
      return llvm::cast<Expr>(PS);
    return nullptr;
  }
  return nullptr;
}

/// The LambdaExpr whose call operator is \p MD, found through the parent map.
const LambdaExpr *lambdaOf(const CXXMethodDecl &MD, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(MD);
  for (unsigned Hops = 0; Hops < 4; ++Hops) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    if (const auto *L = Parents[0].get<LambdaExpr>())
      return L;
    Node = Parents[0];
  }
  return nullptr;
}

} // namespace

bool isCoroutine(const FunctionDecl &FD) { return coroutineBody(FD) != nullptr; }

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

std::optional<AsyncPlacement>
findAsyncPlacement(const Stmt &S, ASTContext &Ctx,
                   const AsyncContextOptions &Opts) {
  AsyncPlacement P;
  DynTypedNode Node = DynTypedNode::create(S);
  const Stmt *Child = &S;

  // A lambda's call operator reached either as LambdaExpr body or as the
  // method itself, depending on how the parent map recorded it.
  auto EnterLambda = [&](const LambdaExpr &L) -> std::optional<bool> {
    const CXXMethodDecl *Op = L.getCallOperator();
    if (Op && isCoroutine(*Op)) {
      if (!isAsyncCoroutine(*Op, Opts))
        return std::nullopt;
      P.Coroutine = Op;
      P.CoroutineLambda = &L;
      return true; // found
    }
    const Expr *Call = inlineInvocation(L, Ctx, Opts);
    if (!Call)
      return std::nullopt; // a callback or an offloaded function
    if (!P.InlineLambdaCall)
      P.InlineLambdaCall = Call;
    return false; // keep walking from the lambda
  };

  for (unsigned Hops = 0; Hops < 4096; ++Hops) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return std::nullopt;
    const DynTypedNode &Parent = Parents[0];

    if (const auto *PS = Parent.get<Stmt>()) {
      if (const auto *Await = llvm::dyn_cast<CoawaitExpr>(PS)) {
        if (Await->getOperand() &&
            Await->getOperand()->IgnoreUnlessSpelledInSource() == &S)
          P.IsAwaitedOperand = true;
      } else if (const auto *DAwait = llvm::dyn_cast<DependentCoawaitExpr>(PS)) {
        if (DAwait->getOperand() &&
            DAwait->getOperand()->IgnoreUnlessSpelledInSource() == &S)
          P.IsAwaitedOperand = true;
      } else if (llvm::isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr,
                           RequiresExpr, BlockExpr>(PS)) {
        return std::nullopt; // unevaluated, or a block (its own context)
      } else if (const auto *Typeid = llvm::dyn_cast<CXXTypeidExpr>(PS)) {
        if (!Typeid->isPotentiallyEvaluated())
          return std::nullopt;
      } else if (const auto *Catch = llvm::dyn_cast<CXXCatchStmt>(PS)) {
        if (Catch->getHandlerBlock() == Child)
          P.InHandler = true;
      } else if (const auto *L = llvm::dyn_cast<LambdaExpr>(PS)) {
        bool InCapture = llvm::is_contained(L->capture_inits(), Child);
        if (!InCapture) {
          std::optional<bool> Found = EnterLambda(*L);
          if (!Found)
            return std::nullopt;
          if (*Found)
            return P;
        }
      }
      Child = PS;
      Node = Parent;
      continue;
    }

    if (const auto *PD = Parent.get<Decl>()) {
      if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(PD);
          MD && MD->getParent()->isLambda()) {
        const LambdaExpr *L = lambdaOf(*MD, Ctx);
        if (!L)
          return std::nullopt;
        std::optional<bool> Found = EnterLambda(*L);
        if (!Found)
          return std::nullopt;
        if (*Found)
          return P;
        Node = DynTypedNode::create(*L);
        Child = L;
        continue;
      }
      if (const auto *FD = llvm::dyn_cast<FunctionDecl>(PD)) {
        if (FD->getBody() != Child || !isAsyncCoroutine(*FD, Opts))
          return std::nullopt;
        P.Coroutine = FD;
        return P;
      }
      if (const auto *VD = llvm::dyn_cast<VarDecl>(PD);
          VD && !llvm::isa<ParmVarDecl>(VD) && VD->isLocalVarDecl()) {
        Node = Parent; // initializer of a local variable: keep walking
        continue;
      }
      return std::nullopt;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::string coroutineName(const AsyncPlacement &P) {
  if (P.CoroutineLambda || !P.Coroutine)
    return "coroutine lambda";
  std::string Name;
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(P.Coroutine))
    Name = MD->getParent()->getNameAsString() + "::";
  Name += P.Coroutine->getNameAsString();
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
