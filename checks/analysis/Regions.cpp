//===- Regions.cpp - blocking calls that stall the loop together ----------===//

#include "checks/analysis/Regions.h"
#include "checks/analysis/Descriptors.h"
#include "checks/analysis/Rewrite.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace corolint::analysis {

llvm::ArrayRef<const Stmt *> BlockingRegion::statements() const {
  if (!Block)
    return {};
  return llvm::ArrayRef<const Stmt *>(Block->body_begin(), Block->size())
      .slice(First, Last - First + 1);
}

namespace {

using HandleList = llvm::SmallVector<const ValueDecl *, 4>;

/// The variable or member an argument works on: `db` of `&db`, `in` of
/// `in`, `path` of `path.c_str()`, `m_fd` of `this->m_fd`.
const ValueDecl *handleOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Unary = llvm::dyn_cast<UnaryOperator>(E);
        Unary && (Unary->getOpcode() == UO_AddrOf || Unary->getOpcode() == UO_Deref)) {
      E = Unary->getSubExpr();
      continue;
    }
    break;
  }
  const ValueDecl *D = descriptorRoot(E);
  return D && (llvm::isa<VarDecl>(D) || llvm::isa<FieldDecl>(D)) ? D : nullptr;
}

void addHandle(HandleList &Handles, const ValueDecl *D) {
  if (D && !llvm::is_contained(Handles, D))
    Handles.push_back(D);
}

/// What the call \p Site works on, and what the statement \p Unit that
/// holds it defines (the variable a result initialises or is assigned to).
HandleList handlesOf(const Stmt &Site, const Stmt *Unit) {
  HandleList Handles;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(&Site)) {
    for (const Expr *Arg : Call->arguments())
      addHandle(Handles, handleOf(Arg));
    if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
      addHandle(Handles, handleOf(Member->getImplicitObjectArgument()));
  } else if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&Site)) {
    for (const Expr *Arg : Construct->arguments())
      addHandle(Handles, handleOf(Arg));
  }
  if (const auto *Decls = llvm::dyn_cast_or_null<DeclStmt>(Unit)) {
    for (const Decl *D : Decls->decls())
      if (const auto *Var = llvm::dyn_cast<VarDecl>(D))
        addHandle(Handles, Var);
  } else if (const auto *UnitExpr = llvm::dyn_cast_or_null<Expr>(Unit)) {
    const Expr *E = UnitExpr->IgnoreImplicit();
    if (const auto *Assign = llvm::dyn_cast<BinaryOperator>(E);
        Assign && Assign->isAssignmentOp())
      addHandle(Handles, handleOf(Assign->getLHS()));
    else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      addHandle(Handles, handleOf(Op->getArg(0)));
  }
  return Handles;
}

/// The first of \p A that is one of \p B.
const ValueDecl *sharedHandle(llvm::ArrayRef<const ValueDecl *> A,
                              llvm::ArrayRef<const ValueDecl *> B) {
  for (const ValueDecl *D : A)
    if (llvm::is_contained(B, D))
      return D;
  return nullptr;
}

/// The index in \p Block of the statement of it that \p Parents (or the
/// call \p Site itself) passes through, if the chain passes through Block.
std::optional<unsigned> indexIn(const CompoundStmt &Block, const Stmt &Site,
                                llvm::ArrayRef<const Stmt *> Parents) {
  for (size_t I = 0; I < Parents.size(); ++I) {
    if (Parents[I] != &Block)
      continue;
    const Stmt *Child = I + 1 < Parents.size() ? Parents[I + 1] : &Site;
    unsigned Index = 0;
    for (const Stmt *S : Block.body()) {
      if (S == Child)
        return Index;
      ++Index;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

/// The innermost block of \p Parents.
const CompoundStmt *innermostBlock(llvm::ArrayRef<const Stmt *> Parents) {
  for (auto It = Parents.rbegin(); It != Parents.rend(); ++It)
    if (const auto *Block = llvm::dyn_cast<CompoundStmt>(*It))
      return Block;
  return nullptr;
}

/// True if \p S works only on locals and parameters: it reads and writes
/// them, calls their member functions and operators and functions of the
/// system headers, and nothing of `this` or of the program's globals. Run on
/// the pool while the coroutine waits, it touches nothing another task of
/// the loop may use.
bool worksOnLocalsOnly(const Stmt *S, const SourceManager &SM) {
  if (!S)
    return true;
  if (llvm::isa<CXXThisExpr, LambdaExpr>(S))
    return false;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = Ref->getDecl();
    if (const auto *Var = llvm::dyn_cast<VarDecl>(D))
      return Var->hasLocalStorage();
    if (llvm::isa<CXXMethodDecl>(D) || llvm::isa<EnumConstantDecl>(D))
      return true;
    if (llvm::isa<FunctionDecl>(D))
      return SM.isInSystemHeader(D->getLocation());
    return false;
  }
  for (const Stmt *Child : writtenChildren(S))
    if (!worksOnLocalsOnly(Child, SM))
      return false;
  return true;
}

struct OpenRegion {
  unsigned Index;  ///< into the result
  bool Closed = false;
};

/// True if \p S contains a `return`, a `goto` or a label, or a `break`,
/// `continue` or `case` whose loop or switch is outside \p S (\p InLoop,
/// \p InSwitch: inside one).
bool jumpsOut(const Stmt *S, bool InLoop, bool InSwitch) {
  if (!S)
    return false;
  if (llvm::isa<ReturnStmt, GotoStmt, IndirectGotoStmt, LabelStmt>(S))
    return true;
  if (llvm::isa<ContinueStmt>(S))
    return !InLoop;
  if (llvm::isa<SwitchCase>(S))
    return !InSwitch; // a label of a switch around the region
  if (llvm::isa<BreakStmt>(S))
    return !InLoop && !InSwitch;
  if (llvm::isa<LambdaExpr>(S))
    return false; // its own function
  bool Loop = InLoop || llvm::isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
  bool Switch = InSwitch || llvm::isa<SwitchStmt>(S);
  for (const Stmt *Child : writtenChildren(S))
    if (jumpsOut(Child, Loop, Switch))
      return true;
  return false;
}

/// A variable of static storage of the program's own that \p S uses, other
/// than \p Handles: moved to another thread, a use of it races with the
/// loop's other tasks.
const VarDecl *sharedVariable(const Stmt *S, llvm::ArrayRef<const ValueDecl *> Handles,
                              const SourceManager &SM) {
  if (!S)
    return nullptr;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S))
    if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl());
        Var && Var->hasGlobalStorage() && !Var->getType().isConstQualified() &&
        !SM.isInSystemHeader(Var->getLocation()) &&
        !llvm::is_contained(Handles, Var))
      return Var;
  for (const Stmt *Child : writtenChildren(S))
    if (const VarDecl *Var = sharedVariable(Child, Handles, SM))
      return Var;
  return nullptr;
}

} // namespace

std::vector<BlockingRegion> groupBlockingRegions(llvm::ArrayRef<RegionCall> Calls,
                                                 const SourceManager &SM) {
  // The statements that hold a call: none of them is passed over.
  llvm::DenseSet<const Stmt *> HoldCalls;
  for (const RegionCall &Call : Calls)
    HoldCalls.insert(Call.Parents.begin(), Call.Parents.end());

  std::vector<BlockingRegion> Regions;
  std::vector<OpenRegion> Open;
  for (unsigned I = 0; I < Calls.size(); ++I) {
    const RegionCall &Call = Calls[I];
    bool Joined = false;
    // The innermost open region whose block holds the call.
    for (auto It = Open.rbegin(); It != Open.rend(); ++It) {
      BlockingRegion &R = Regions[It->Index];
      std::optional<unsigned> At = indexIn(*R.Block, *Call.Site, Call.Parents);
      if (!At || Calls[R.Calls.front()].Coroutine != Call.Coroutine)
        continue;
      if (It->Closed)
        break; // the innermost region around the call decides
      const Stmt *Unit = R.Block->body_begin()[*At];
      HandleList Handles = handlesOf(*Call.Site, Unit);
      BlockingRegion::Link Link{BlockingRegion::Link::SameStatement,
                                sharedHandle(Handles, R.Handles)};
      if (*At > R.Last || !Call.Offloaded) {
        // The next statement, or a later one on a handle of the region.
        Link.Kind = Link.On ? BlockingRegion::Link::Handle
                            : BlockingRegion::Link::NextStatement;
        bool Passable = Call.Offloaded && !containsSuspension(Unit) &&
                        (Link.On || *At == R.Last + 1);
        for (unsigned K = R.Last + 1; Passable && K < *At; ++K) {
          const Stmt *Between = R.Block->body_begin()[K];
          Passable = !HoldCalls.contains(Between) && !containsSuspension(Between) &&
                     (llvm::isa<DeclStmt, NullStmt>(Between) ||
                      mentionsAny(Between, R.Handles) ||
                      worksOnLocalsOnly(Between, SM));
        }
        if (!Passable) {
          It->Closed = true; // a blocking call of its own comes between
          break;
        }
        R.Last = *At;
      }
      R.Calls.push_back(I);
      R.Links.push_back(Link);
      for (const ValueDecl *D : Handles)
        addHandle(R.Handles, D);
      Joined = true;
      break;
    }
    if (Joined)
      continue;

    BlockingRegion R;
    R.Calls.push_back(I);
    R.Links.push_back({});
    const CompoundStmt *Block = innermostBlock(Call.Parents);
    std::optional<unsigned> At =
        Block ? indexIn(*Block, *Call.Site, Call.Parents) : std::nullopt;
    if (At) {
      R.Block = Block;
      R.First = R.Last = *At;
      R.Handles = handlesOf(*Call.Site, Block->body_begin()[*At]);
    }
    Regions.push_back(std::move(R));
    if (At && Call.Offloaded && !containsSuspension(Block->body_begin()[*At]))
      Open.push_back(OpenRegion{static_cast<unsigned>(Regions.size() - 1)});
  }
  return Regions;
}

llvm::SmallVector<const VarDecl *, 2> variablesLivingPast(const BlockingRegion &R) {
  llvm::SmallVector<const VarDecl *, 2> Living;
  if (!R.Block)
    return Living;
  llvm::ArrayRef<const Stmt *> After(R.Block->body_begin() + R.Last + 1,
                                     R.Block->body_end());
  for (const Stmt *S : R.statements()) {
    const auto *Decls = llvm::dyn_cast<DeclStmt>(S);
    if (!Decls)
      continue;
    for (const Decl *D : Decls->decls()) {
      const auto *Var = llvm::dyn_cast<VarDecl>(D);
      const ValueDecl *AsValue = Var;
      if (Var && llvm::any_of(After, [&](const Stmt *Later) {
            return mentionsAny(Later, AsValue);
          }))
        Living.push_back(Var);
    }
  }
  return Living;
}

llvm::StringRef whyNotMovable(const BlockingRegion &R, const SourceManager &SM) {
  if (!R.Block)
    return "they are not statements of a block";
  for (const Stmt *S : R.statements()) {
    if (containsSuspension(S))
      return "they contain a suspension point";
    if (jumpsOut(S, /*InLoop=*/false, /*InSwitch=*/false))
      return "they contain a return, a jump out or a label";
    if (!S->getBeginLoc().isFileID() || !S->getEndLoc().isFileID())
      return "they contain a macro";
    if (sharedVariable(S, R.Handles, SM))
      return "they use a global variable, which the loop's other tasks may use "
             "meanwhile";
  }
  return "";
}

} // namespace corolint::analysis
