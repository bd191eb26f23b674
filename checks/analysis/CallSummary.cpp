//===- CallSummary.cpp - what a function does when it is called -----------===//

#include "checks/analysis/CallSummary.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>

using namespace clang;

namespace corolint::analysis {

constexpr llvm::StringLiteral BlockingAnnotation = "corolint::blocking";
constexpr llvm::StringLiteral NonBlockingAnnotation = "corolint::nonblocking";

bool hasAnnotation(const Decl *D, llvm::StringRef Value) {
  if (!D)
    return false;
  for (const auto *A : D->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation() == Value)
      return true;
  return false;
}

namespace {

bool hasEffect(const FunctionDecl &FD, FunctionEffect::Kind Kind) {
  for (const FunctionEffect &Effect : FD.getFunctionEffects().effects())
    if (Effect.kind() == Kind)
      return true;
  return false;
}

const CXXRecordDecl *classOf(const FunctionDecl &FD) {
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(&FD))
    return MD->getParent();
  return nullptr;
}

bool isLambdaCallOperator(const FunctionDecl &FD) {
  const CXXRecordDecl *RD = classOf(FD);
  return RD && RD->isLambda();
}

/// The lambda of \p E, if E is one as written.
const LambdaExpr *asLambda(const Expr *E) {
  return E ? llvm::dyn_cast<LambdaExpr>(E->IgnoreUnlessSpelledInSource()) : nullptr;
}

/// The destructor that ends the life of an object of type \p T, if it does
/// something (a user-provided or non-trivial one).
const CXXDestructorDecl *destructorOf(QualType T) {
  if (T.isNull() || T->isReferenceType())
    return nullptr;
  const Type *Base = T->getBaseElementTypeUnsafe();
  const CXXRecordDecl *RD = Base ? Base->getAsCXXRecordDecl() : nullptr;
  if (!RD || !RD->hasDefinition())
    return nullptr;
  RD = RD->getDefinition();
  if (RD->hasTrivialDestructor())
    return nullptr;
  return RD->getDestructor();
}

/// The method a call of \p MD on \p Object runs: MD itself when the call
/// is not virtual, or when it is and the dynamic type is known (a final
/// class, a local object); null for a virtual call unless \p FollowVirtual.
const FunctionDecl *dispatch(const CXXMethodDecl *MD, const Expr *Object,
                             bool Qualified, bool FollowVirtual) {
  if (!MD->isVirtual() || Qualified)
    return MD;
  if (Object)
    if (const CXXMethodDecl *Known =
            MD->getDevirtualizedMethod(Object, /*IsAppleKext=*/false))
      return Known;
  return FollowVirtual ? MD : nullptr;
}

/// Collects the return and co_return statements of a body, not those of
/// nested lambdas.
void collectReturns(const Stmt *S, llvm::SmallVectorImpl<const Stmt *> &Out) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return;
  if (llvm::isa<ReturnStmt, CoreturnStmt>(S)) {
    Out.push_back(S);
    return;
  }
  for (const Stmt *Child : writtenChildren(S))
    collectReturns(Child, Out);
}

/// True if every return of the function that declares \p Var moves it out
/// (`co_return std::move(client);`): its destructor then runs on a
/// moved-from object, which owns nothing.
bool movedOutByEveryReturn(const VarDecl &Var) {
  const auto *FD = llvm::dyn_cast<FunctionDecl>(Var.getDeclContext());
  if (!FD || !FD->getBody())
    return false;
  const Stmt *Body = FD->getBody();
  if (const auto *Coro = llvm::dyn_cast<CoroutineBodyStmt>(Body))
    Body = Coro->getBody();
  llvm::SmallVector<const Stmt *, 4> Returns;
  collectReturns(Body, Returns);
  return !Returns.empty() && llvm::all_of(Returns, [&](const Stmt *R) {
    const Expr *Value = nullptr;
    if (const auto *Return = llvm::dyn_cast<ReturnStmt>(R))
      Value = Return->getRetValue();
    else
      Value = llvm::cast<CoreturnStmt>(R)->getOperand();
    const auto *Move = llvm::dyn_cast_or_null<CallExpr>(
        Value ? Value->IgnoreUnlessSpelledInSource() : nullptr);
    const FunctionDecl *Callee = Move ? Move->getDirectCallee() : nullptr;
    if (!Callee || Move->getNumArgs() != 1 ||
        qualifiedName(*Callee) != "std::move")
      return false;
    const auto *Ref =
        llvm::dyn_cast<DeclRefExpr>(Move->getArg(0)->IgnoreParenImpCasts());
    return Ref && Ref->getDecl() == &Var;
  });
}

/// True if the statement under \p Parents initializes a static local: that
/// runs once, on the first call, not on every call.
bool inStaticInitializer(ParentChain Parents) {
  for (const Stmt *P : Parents)
    if (const auto *Decls = llvm::dyn_cast<DeclStmt>(P))
      for (const Decl *D : Decls->decls())
        if (const auto *Var = llvm::dyn_cast<VarDecl>(D);
            Var && Var->isStaticLocal())
          return true;
  return false;
}

/// True if \p S, or something in it (not inside other lambdas), hands the
/// lambda of class \p Closure to an OffloadFunctions entry.
bool handsToOffload(const Stmt *S, const CXXRecordDecl *Closure,
                    const AsyncContextOptions &Context) {
  if (!S)
    return false;
  llvm::ArrayRef<const Expr *> Args;
  const NamedDecl *Callee = nullptr;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
    Callee = Call->getDirectCallee();
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
  } else if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(S)) {
    Callee = Construct->getConstructor();
    Args = llvm::ArrayRef(Construct->getArgs(), Construct->getNumArgs());
  }
  if (Callee && isListed(Callee, Context.OffloadFunctions))
    for (const Expr *Arg : Args)
      if (const LambdaExpr *L = asLambda(Arg); L && L->getLambdaClass() == Closure)
        return true;
  for (const Stmt *Child : writtenChildren(S))
    if (handsToOffload(Child, Closure, Context))
      return true;
  return false;
}

/// True if \p FD is the call operator of a lambda that, where it is
/// written, is handed to an OffloadFunctions entry: its work runs on the
/// offload's thread, also when the machinery that takes it there (an
/// executor's bridge coroutine) calls it.
bool isOffloadedLambda(const FunctionDecl &FD, const AsyncContextOptions &Context) {
  const CXXRecordDecl *Closure = classOf(FD);
  if (!Closure || !Closure->isLambda() || Context.OffloadFunctions.empty())
    return false;
  const auto *Writer = llvm::dyn_cast<FunctionDecl>(Closure->getDeclContext());
  return Writer && handsToOffload(Writer->getBody(), Closure, Context);
}

} // namespace

bool isDeclaredNonBlocking(const FunctionDecl &FD) {
  return hasAnnotation(&FD, NonBlockingAnnotation) ||
         hasAnnotation(classOf(FD), NonBlockingAnnotation) ||
         hasEffect(FD, FunctionEffect::Kind::NonBlocking);
}

bool isDeclaredBlocking(const FunctionDecl &FD) {
  return hasAnnotation(&FD, BlockingAnnotation) ||
         hasAnnotation(classOf(FD), BlockingAnnotation) ||
         hasEffect(FD, FunctionEffect::Kind::Blocking);
}

bool isListed(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  if (!D || Names.empty())
    return false;
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(D))
    D = Ctor->getParent();
  return llvm::any_of(Names, [&](const std::string &Name) {
    return nameMatches(*D, Name);
  });
}

std::string functionName(const FunctionDecl &FD) {
  if (isLambdaCallOperator(FD))
    return "lambda";
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(&FD))
    return qualifiedName(*Ctor->getParent());
  return qualifiedName(FD);
}

CallSummaries::CallSummaries(ASTContext &Ctx, const AsyncContextOptions &Context,
                             CallSummaryOptions Options, FactClassifier Classify)
    : Ctx(Ctx), Context(Context), Options(std::move(Options)),
      Classify(std::move(Classify)) {}

void CallSummaries::callsOf(const Stmt &S,
                            llvm::SmallVectorImpl<CallEdge> &Out) const {
  // Locations come from Stmt, which dispatches to the node's own class: an
  // operator call begins at its left operand, not at the operator.
  auto Add = [&](const FunctionDecl *Callee, const Stmt *Site,
                 SourceLocation Loc) {
    if (Callee)
      Out.push_back({Callee->getCanonicalDecl(), Site, Loc});
  };
  bool FollowVirtual = Options.FollowVirtualCalls;
  // What a logging macro expands to is logging, whatever it calls; the
  // condition of `assert` runs in debug builds only.
  if ((!Options.FollowLogging && inLoggingMacro(S.getBeginLoc(), Ctx)) ||
      inStandardAssert(S.getBeginLoc(), Ctx))
    return;

  if (const auto *Call = llvm::dyn_cast<CallExpr>(&S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || Callee->getBuiltinID() != 0 || Callee->isConsteval())
      return;
    if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(Callee);
        MD && !MD->isStatic()) {
      const Expr *Object = nullptr;
      bool Qualified = false;
      if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
        Object = Member->getImplicitObjectArgument();
        if (const auto *ME =
                llvm::dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens()))
          Qualified = ME->hasQualifier();
      } else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(Call)) {
        // `[&] { ... }()`: walkAsyncBody walks that lambda in place.
        if (Op->getOperator() == OO_Call && asLambda(Op->getArg(0)))
          return;
        Object = Op->getArg(0);
      }
      Callee = dispatch(MD, Object, Qualified, FollowVirtual);
    }
    Add(Callee, Call, S.getBeginLoc());
    return;
  }
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&S)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (Ctor && !Ctor->isTrivial())
      Add(Ctor, Construct, S.getBeginLoc());
    return;
  }
  if (const auto *Delete = llvm::dyn_cast<CXXDeleteExpr>(&S)) {
    if (const CXXDestructorDecl *Dtor = destructorOf(Delete->getDestroyedType()))
      Add(dispatch(Dtor, Delete->getArgument(), false, FollowVirtual), Delete,
          S.getBeginLoc());
    return;
  }
  if (const auto *Bind = llvm::dyn_cast<CXXBindTemporaryExpr>(&S)) {
    // The prvalue that initializes a local is the local (C++17 elision):
    // its destructor is the local's, found at the DeclStmt.
    if (LocalInitializers.contains(Bind))
      return;
    if (const CXXTemporary *Temp = Bind->getTemporary())
      if (const CXXDestructorDecl *Dtor = Temp->getDestructor();
          Dtor && !Dtor->isTrivial())
        Add(Dtor, Bind, S.getBeginLoc());
    return;
  }
  if (const auto *Decls = llvm::dyn_cast<DeclStmt>(&S)) {
    // A local's destructor runs when its scope ends; diagnostics point at
    // its name, where its construction (visited next, at the same place)
    // comes first.
    for (const Decl *D : Decls->decls())
      if (const auto *Var = llvm::dyn_cast<VarDecl>(D);
          Var && Var->hasLocalStorage() && !llvm::isa<ParmVarDecl>(Var))
        if (const CXXDestructorDecl *Dtor = destructorOf(Var->getType())) {
          const Expr *Init = Var->getInit();
          if (const auto *Full = llvm::dyn_cast_or_null<FullExpr>(Init))
            Init = Full->getSubExpr();
          if (const auto *Bind = llvm::dyn_cast_or_null<CXXBindTemporaryExpr>(
                  Init ? Init->IgnoreParenImpCasts() : nullptr))
            LocalInitializers.insert(Bind);
          if (const auto *Construct = llvm::dyn_cast_or_null<CXXConstructExpr>(
                  Var->getInit() ? Var->getInit()->IgnoreImplicit() : nullptr))
            callsOf(*Construct, Out);
          if (!movedOutByEveryReturn(*Var))
            Add(Dtor, Decls, Var->getLocation());
        }
  }
}

bool CallSummaries::isFollowed(const FunctionDecl &Callee) {
  const FunctionDecl *Key = Callee.getCanonicalDecl();
  auto [It, Inserted] = Followed.try_emplace(Key, false);
  if (!Inserted)
    return It->second;
  const FunctionDecl *Def = nullptr;
  bool Result =
      Key->hasBody(Def) && Def && !Def->isDependentContext() &&
      !Ctx.getSourceManager().isInSystemHeader(Def->getLocation()) &&
      !isCoroutine(*Def) && !isDeclaredNonBlocking(*Def) &&
      !isDeclaredNonBlocking(*Key) &&
      !isListed(Def, Context.OffloadFunctions) &&
      !isListed(Def, Context.InlineFunctions) &&
      !isListed(Def, Options.StopFunctions) &&
      !isOffloadedLambda(*Def, Context);
  It->second = Result;
  return Result;
}

const FunctionSummary *CallSummaries::summaryOf(const FunctionDecl &FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD.hasBody(Def) || !Def)
    return nullptr;
  const FunctionDecl *Key = FD.getCanonicalDecl();
  auto It = Summaries.find(Key);
  if (It != Summaries.end())
    return It->second.get();
  std::unique_ptr<FunctionSummary> Summary = summarize(*Def);
  const FunctionSummary *Out = Summary.get();
  Summaries[Key] = std::move(Summary);
  return Out;
}

std::unique_ptr<FunctionSummary>
CallSummaries::summarize(const FunctionDecl &Def) {
  auto Summary = std::make_unique<FunctionSummary>();
  Summary->Definition = &Def;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<CallEdge, 4> Edges;
  // A local's construction is found at its DeclStmt and again by itself.
  llvm::DenseSet<std::pair<const FunctionDecl *, unsigned>> Added;
  auto AddEdges = [&](llvm::ArrayRef<CallEdge> Found) {
    for (const CallEdge &E : Found) {
      const FunctionDecl *Callee = E.Callee;
      if (!Added.insert({Callee, E.Loc.getRawEncoding()}).second)
        continue;
      if (isListed(Callee, Context.OffloadFunctions))
        Summary->Offloads.push_back(E);
      else if (!SM.isInSystemHeader(Callee->getLocation()))
        Summary->Calls.push_back(E);
    }
  };

  walkAsyncBody(Def, nullptr, Context,
                [&](const Stmt &S, const AsyncPlacement &Where,
                    ParentChain Parents) {
                  if (SM.isInSystemHeader(S.getBeginLoc()) ||
                      inStaticInitializer(Parents))
                    return;
                  // Where a helper blocks only when something went wrong
                  // or an option is on, the common case does not block.
                  auto Cold = [&] {
                    return coldReason(S, Where, Parents, Ctx);
                  };
                  // They are kept with the reason: a call that turns an
                  // optional feature on takes that path (chainFrom).
                  if (std::optional<Fact> F = Classify(S, Where, Parents)) {
                    F->Cold = Cold();
                    Summary->Facts.push_back(std::move(*F));
                    return;
                  }
                  Edges.clear();
                  callsOf(S, Edges);
                  if (Edges.empty())
                    return;
                  ColdReason Reason = Cold();
                  for (CallEdge &E : Edges)
                    E.Cold = Reason;
                  AddEdges(Edges);
                });

  // A destructor destroys the members and bases after its body.
  if (const auto *Dtor = llvm::dyn_cast<CXXDestructorDecl>(&Def)) {
    const CXXRecordDecl *RD = Dtor->getParent();
    Edges.clear();
    SourceLocation At = Dtor->getBody() ? Dtor->getBody()->getEndLoc()
                                        : Dtor->getLocation();
    for (const FieldDecl *Field : RD->fields())
      if (const CXXDestructorDecl *Member = destructorOf(Field->getType()))
        Edges.push_back({Member->getCanonicalDecl(), nullptr, At});
    for (const CXXBaseSpecifier &Base : RD->bases())
      if (const CXXDestructorDecl *Of = destructorOf(Base.getType()))
        Edges.push_back({Of->getCanonicalDecl(), nullptr, At});
    AddEdges(Edges);
  }
  return Summary;
}

const CallChain *CallSummaries::chainFromCall(const FunctionDecl &Callee,
                                              const Stmt &Call,
                                              ParentChain Parents) {
  if (const CallChain *Chain = chainFrom(Callee))
    return Chain;
  // Only a call without a common-path chain pays for the look at its
  // arguments and enclosing conditions.
  if (Options.ReportColdPaths || !engagesOptionalFeature(Call, Parents))
    return nullptr;
  return chainFrom(Callee, /*FeatureOn=*/true);
}

bool CallSummaries::takes(ColdReason Reason, bool FeatureOn) const {
  return Reason == ColdReason::None || Options.ReportColdPaths ||
         (FeatureOn && Reason == ColdReason::Feature);
}

const CallChain *CallSummaries::chainFrom(const FunctionDecl &FD,
                                          bool FeatureOn) {
  const FunctionDecl *Root = FD.getCanonicalDecl();
  auto &Chains = this->Chains[FeatureOn ? 1 : 0];
  if (auto It = Chains.find(Root); It != Chains.end())
    return It->second.get();
  if (Options.MaxCallDepth == 0 || !isFollowed(*Root)) {
    Chains[Root] = nullptr;
    return nullptr;
  }

  // Breadth first: level L holds the functions first reached through L-1
  // calls. Each function is entered once, so cycles end.
  struct Reached {
    const FunctionDecl *Parent;
    CallEdge Via;
  };
  llvm::DenseMap<const FunctionDecl *, Reached> Seen;
  Seen[Root] = {nullptr, {}};
  std::vector<const FunctionDecl *> Level{Root}, Next;
  const FunctionDecl *Found = nullptr;
  const Fact *FoundFact = nullptr;
  for (unsigned Depth = 1; !Level.empty() && Depth <= Options.MaxCallDepth;
       ++Depth) {
    for (const FunctionDecl *F : Level) {
      const FunctionSummary *S = summaryOf(*F);
      if (!S)
        continue;
      for (const Fact &Candidate : S->Facts)
        if (takes(Candidate.Cold, FeatureOn)) {
          FoundFact = &Candidate;
          break;
        }
      if (FoundFact) {
        Found = F;
        break;
      }
    }
    if (Found || Depth == Options.MaxCallDepth)
      break;
    Next.clear();
    for (const FunctionDecl *F : Level) {
      const FunctionSummary *S = summaryOf(*F);
      if (!S)
        continue;
      for (const CallEdge &E : S->Calls) {
        if (!takes(E.Cold, FeatureOn) || Seen.count(E.Callee) ||
            !isFollowed(*E.Callee))
          continue;
        // A function already known to reach nothing within MaxCallDepth
        // reaches nothing within what is left of it either.
        if (auto Known = Chains.find(E.Callee);
            Known != Chains.end() && !Known->second)
          continue;
        Seen[E.Callee] = {F, E};
        Next.push_back(E.Callee);
      }
    }
    std::swap(Level, Next);
  }

  if (!Found) {
    Chains[Root] = nullptr;
    return nullptr;
  }
  auto Chain = std::make_unique<CallChain>();
  Chain->Final = FoundFact;
  for (const FunctionDecl *F = Found; F; F = Seen[F].Parent) {
    Chain->Functions.push_back(F);
    if (Seen[F].Parent)
      Chain->Calls.push_back(Seen[F].Via);
  }
  std::reverse(Chain->Functions.begin(), Chain->Functions.end());
  std::reverse(Chain->Calls.begin(), Chain->Calls.end());
  const CallChain *Out = Chain.get();
  Chains[Root] = std::move(Chain);
  return Out;
}

std::string usrOf(const Decl &D) {
  llvm::SmallString<128> Buffer;
  if (index::generateUSRForDecl(&D, Buffer))
    return {};
  return Buffer.str().str();
}

namespace {

ExportedLocation exportLocation(SourceLocation Loc, const SourceManager &SM) {
  ExportedLocation Out;
  PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Loc));
  if (P.isInvalid())
    return Out;
  Out.File = P.getFilename();
  Out.Line = P.getLine();
  Out.Column = P.getColumn();
  return Out;
}

/// Every function definition with a body, template instantiations
/// included, in the order of the declarations.
class DefinitionCollector : public RecursiveASTVisitor<DefinitionCollector> {
public:
  explicit DefinitionCollector(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool shouldVisitLambdaExpr() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        !SM.isInSystemHeader(FD->getLocation()) &&
        Seen.insert(FD->getCanonicalDecl()).second)
      Found.push_back(FD);
    return true;
  }

  // A co_await or co_yield holds its operand again inside the await
  // machinery (the awaiter, await_ready/suspend/resume): visiting all of
  // its children doubles the walk at every nested await.
  bool TraverseCoawaitExpr(CoawaitExpr *E) { return TraverseStmt(E->getOperand()); }
  bool TraverseCoyieldExpr(CoyieldExpr *E) { return TraverseStmt(E->getOperand()); }

  bool TraverseDecl(Decl *D) {
    // The system headers hold nothing of ours; skip them whole.
    if (D && !llvm::isa<TranslationUnitDecl>(D) &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  std::vector<const FunctionDecl *> Found;

private:
  const SourceManager &SM;
  llvm::DenseSet<const FunctionDecl *> Seen;
};

} // namespace

std::vector<ExportedSummary> exportSummaries(CallSummaries &Summaries,
                                             AdviceFor Advice) {
  ASTContext &Ctx = Summaries.context();
  const SourceManager &SM = Ctx.getSourceManager();
  DefinitionCollector Collector(SM);
  Collector.TraverseDecl(Ctx.getTranslationUnitDecl());

  auto ExportCall = [&](const CallEdge &E) {
    ExportedSummary::ExportedCall Call;
    Call.CalleeUSR = usrOf(*E.Callee);
    Call.CalleeName = functionName(*E.Callee);
    Call.Loc = exportLocation(E.Loc, SM);
    return Call;
  };

  std::vector<ExportedSummary> Out;
  for (const FunctionDecl *FD : Collector.Found) {
    const FunctionSummary *S = Summaries.summaryOf(*FD);
    if (!S)
      continue;
    ExportedSummary E;
    E.USR = usrOf(*FD);
    E.Name = functionName(*FD);
    E.Loc = exportLocation(FD->getLocation(), SM);
    E.IsCoroutine = isCoroutine(*S->Definition);
    E.IsAsync = isAsyncCoroutine(*S->Definition, Summaries.contextOptions());
    E.IsNonBlocking = isDeclaredNonBlocking(*S->Definition) ||
                      isDeclaredNonBlocking(*FD->getCanonicalDecl());
    E.IsOffload = isListed(FD, Summaries.contextOptions().OffloadFunctions);
    if (E.IsAsync) {
      E.Advice = Advice(*S->Definition);
      E.DisplayName = coroutineName(*S->Definition);
    }
    for (const Fact &F : S->Facts) {
      if (!Summaries.takes(F.Cold, /*FeatureOn=*/false))
        continue;
      ExportedSummary::ExportedFact Fact;
      Fact.Api = F.Api;
      Fact.Category = F.Kind == Fact::Loop
                          ? std::string("loop")
                          : catalog::categoryName(F.Cat).str();
      Fact.Loc = exportLocation(F.Site->getBeginLoc(), SM);
      E.Facts.push_back(std::move(Fact));
    }
    for (const CallEdge &Call : S->Calls)
      if (Summaries.takes(Call.Cold, /*FeatureOn=*/false))
        E.Calls.push_back(ExportCall(Call));
    for (const CallEdge &Call : S->Offloads)
      E.Offloads.push_back(ExportCall(Call));
    Out.push_back(std::move(E));
  }
  return Out;
}

} // namespace corolint::analysis
