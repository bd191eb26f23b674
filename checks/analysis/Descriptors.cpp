//===- Descriptors.cpp - where a file descriptor comes from ---------------===//

#include "checks/analysis/Descriptors.h"
#include "checks/analysis/AsyncContext.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLFunctionalExtras.h"

using namespace clang;

namespace corolint::analysis {

namespace {

/// The C functions that create descriptors, and which of their arguments
/// holds the creation flags.
struct Creator {
  llvm::StringRef Name;
  unsigned FlagsArg;
  /// An eventfd: a write adds to a counter and does not wait.
  bool EventCounter;
};

constexpr Creator Creators[] = {
    {"socket", 1, false},       {"accept4", 3, false},
    {"eventfd", 1, true},       {"timerfd_create", 1, false},
    {"signalfd", 2, false},     {"inotify_init1", 0, false},
};

/// The C library function \p Call calls, or null.
const FunctionDecl *cFunction(const CallExpr &Call, const ASTContext &Ctx) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return nullptr;
  if (!Callee->isExternC() &&
      !Ctx.getSourceManager().isInSystemHeader(Callee->getLocation()))
    return nullptr;
  return Callee;
}

} // namespace

/// The array of `fds[1]`, built-in or `std::array`'s operator[].
const Expr *subscriptBase(const Expr *E) {
  if (const auto *Subscript = llvm::dyn_cast<ArraySubscriptExpr>(E))
    return Subscript->getBase();
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2)
    return Op->getArg(0);
  return nullptr;
}

/// The expression an accessor returns: the one statement of a member
/// function's body, `return m_fds[1];`, or null.
const Expr *accessorResult(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *MD = Call.getMethodDecl();
  const FunctionDecl *Def = nullptr;
  if (!MD || MD->getNumParams() != 0 || !MD->hasBody(Def) || !Def)
    return nullptr;
  const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body || Body->size() != 1)
    return nullptr;
  const auto *Return = llvm::dyn_cast<ReturnStmt>(Body->body_front());
  const Expr *Value = Return ? Return->getRetValue() : nullptr;
  // Only what the object holds: a member of `this`.
  if (!Value)
    return nullptr;
  const Expr *Inner = Value->IgnoreParenImpCasts();
  while (const Expr *Base = subscriptBase(Inner))
    Inner = Base->IgnoreParenImpCasts();
  const auto *Field = llvm::dyn_cast<MemberExpr>(Inner);
  return Field && llvm::isa<CXXThisExpr>(Field->getBase()->IgnoreParenImpCasts())
             ? Value
             : nullptr;
}

const ValueDecl *referencedDecl(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E))
    return Ref->getDecl();
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(E))
    return Member->getMemberDecl();
  return nullptr;
}

bool mentionsAny(const Stmt *S, llvm::ArrayRef<const ValueDecl *> Decls) {
  if (!S)
    return false;
  if (const auto *E = llvm::dyn_cast<Expr>(S))
    if (const ValueDecl *D = referencedDecl(E); D && llvm::is_contained(Decls, D))
      return true;
  for (const Stmt *Child : writtenChildren(S))
    if (mentionsAny(Child, Decls))
      return true;
  return false;
}

const ValueDecl *descriptorRoot(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      // `write_fd()` returning `m_fds[1]`: the member it reads.
      const Expr *Object = Member->getImplicitObjectArgument();
      if (Object && llvm::isa<CXXThisExpr>(Object->IgnoreParenImpCasts()))
        if (const Expr *Result = accessorResult(*Member)) {
          E = Result;
          continue;
        }
      E = Object;
      continue;
    }
    if (const Expr *Base = subscriptBase(E)) {
      E = Base;
      continue;
    }
    if (const auto *Field = llvm::dyn_cast<MemberExpr>(E)) {
      if (llvm::isa<CXXThisExpr>(Field->getBase()->IgnoreParenImpCasts()))
        return Field->getMemberDecl();
      E = Field->getBase();
      continue;
    }
    return referencedDecl(E);
  }
  return nullptr;
}

/// True if \p S sets the variable \p Var from something that mentions a
/// NONBLOCK flag (`flags |= O_NONBLOCK;`).
static bool setsFlagVariable(const Stmt *S, const VarDecl *Var,
                             llvm::function_ref<bool(const Expr *)> Mentions) {
  if (!S)
    return false;
  if (const auto *Assign = llvm::dyn_cast<BinaryOperator>(S);
      Assign && Assign->isAssignmentOp() &&
      referencedDecl(Assign->getLHS()) == Var && Mentions(Assign->getRHS()))
    return true;
  for (const Stmt *Child : writtenChildren(S))
    if (setsFlagVariable(Child, Var, Mentions))
      return true;
  return false;
}

bool DescriptorOrigins::mentionsNonBlock(const Expr *Arg) const {
  // Flags computed in a local first: `int flags = fcntl(fd, F_GETFL);
  // flags |= O_NONBLOCK; fcntl(fd, F_SETFL, flags);`.
  if (const auto *Var = llvm::dyn_cast_or_null<VarDecl>(referencedDecl(Arg));
      Var && Var->hasLocalStorage() && !llvm::isa<ParmVarDecl>(Var)) {
    auto Mentions = [&](const Expr *E) { return mentionsNonBlock(E); };
    if (Var->getInit() && Var->getInit() != Arg && mentionsNonBlock(Var->getInit()))
      return true;
    return setsFlagVariable(ScanRoot, Var, Mentions);
  }
  // The flags as written: `SOCK_STREAM | SOCK_NONBLOCK`, `O_NONBLOCK`,
  // `EFD_NONBLOCK | EFD_CLOEXEC`, FIONBIO.
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Arg->getSourceRange()), SM, Ctx.getLangOpts());
  if (Range.isInvalid())
    return false;
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, Ctx.getLangOpts());
  return Text.contains("NONBLOCK") || Text.contains("FIONBIO");
}

void DescriptorOrigins::scanCreation(const Expr *E, Origin &Out) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!Call)
    return;
  const FunctionDecl *Callee = cFunction(*Call, Ctx);
  if (!Callee)
    return;
  for (const Creator &C : Creators)
    if (Callee->getName() == C.Name) {
      if (C.EventCounter)
        Out.EventCounter = true;
      if (C.FlagsArg < Call->getNumArgs() &&
          mentionsNonBlock(Call->getArg(C.FlagsArg)))
        Out.NonBlocking = true;
    }
}

bool DescriptorOrigins::setsNonBlocking(const FunctionDecl &FD, unsigned Param,
                                        unsigned Depth) {
  auto Key = std::make_pair(FD.getCanonicalDecl(), Param);
  if (auto It = Setters.find(Key); It != Setters.end())
    return It->second;
  Setters[Key] = false; // recursion ends here
  const FunctionDecl *Def = nullptr;
  if (!FD.hasBody(Def) || !Def || Param >= Def->getNumParams() ||
      Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return false;
  Origin Found;
  const Stmt *Saved = ScanRoot;
  ScanRoot = Def->getBody();
  scan(Def->getBody(), *Def->getParamDecl(Param), Found, Depth + 1);
  ScanRoot = Saved;
  Setters[Key] = Found.NonBlocking;
  return Found.NonBlocking;
}

void DescriptorOrigins::scan(const Stmt *S, const ValueDecl &Fd, Origin &Out,
                             unsigned Depth) {
  if (!S || Out.NonBlocking)
    return;
  if (const auto *Decl = llvm::dyn_cast<DeclStmt>(S))
    for (const clang::Decl *D : Decl->decls())
      if (const auto *Var = llvm::dyn_cast<VarDecl>(D); Var == &Fd)
        scanCreation(Var->getInit(), Out);
  if (const auto *Assign = llvm::dyn_cast<BinaryOperator>(S);
      Assign && Assign->getOpcode() == BO_Assign &&
      descriptorRoot(Assign->getLHS()) == &Fd)
    scanCreation(Assign->getRHS(), Out);
  if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    bool PassesFd = false;
    unsigned FdArg = 0;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I)
      if (descriptorRoot(Call->getArg(I)) == &Fd) {
        PassesFd = true;
        FdArg = I;
        break;
      }
    if (PassesFd && Callee) {
      if (cFunction(*Call, Ctx)) {
        llvm::StringRef Name = Callee->getName();
        // fcntl(fd, F_SETFL, ... O_NONBLOCK), ioctl(fd, FIONBIO, &on),
        // pipe2(fds, O_NONBLOCK).
        if ((Name == "fcntl" && FdArg == 0 && Call->getNumArgs() >= 3 &&
             mentionsNonBlock(Call->getArg(2))) ||
            (Name == "ioctl" && FdArg == 0 && Call->getNumArgs() >= 2 &&
             mentionsNonBlock(Call->getArg(1))) ||
            (Name == "pipe2" && FdArg == 0 && Call->getNumArgs() >= 2 &&
             mentionsNonBlock(Call->getArg(1))))
          Out.NonBlocking = true;
      } else if (Depth < 3 && setsNonBlocking(*Callee, FdArg, Depth)) {
        Out.NonBlocking = true; // a helper such as set_nonblocking(fd)
      }
    }
  }
  // `for (int fd : m_fds) fcntl(fd, F_SETFL, ...)`: each element.
  if (const auto *For = llvm::dyn_cast<CXXForRangeStmt>(S);
      For && For->getLoopVariable() &&
      descriptorRoot(For->getRangeInit()) == &Fd)
    scan(For->getBody(), *For->getLoopVariable(), Out, Depth);
  for (const Stmt *Child : writtenChildren(S))
    scan(Child, Fd, Out, Depth);
}

DescriptorOrigins::Origin
DescriptorOrigins::originOf(const ValueDecl &Fd, const FunctionDecl &Within) {
  const auto *Field = llvm::dyn_cast<FieldDecl>(&Fd);
  if (!Field) {
    Origin Out;
    ScanRoot = Within.getBody();
    if (const auto *Var = llvm::dyn_cast<VarDecl>(&Fd))
      scanCreation(Var->getInit(), Out);
    scan(Within.getBody(), Fd, Out, 0);
    return Out;
  }
  // A member: what any member function of its class does with it.
  if (auto It = Members.find(Field); It != Members.end())
    return It->second;
  Origin Out;
  const auto *RD = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
  if (RD && RD->hasDefinition()) {
    if (const Expr *Init = Field->getInClassInitializer())
      scanCreation(Init, Out);
    for (const CXXMethodDecl *MD : RD->getDefinition()->methods()) {
      const FunctionDecl *Def = nullptr;
      if (!MD->hasBody(Def) || !Def)
        continue;
      ScanRoot = Def->getBody();
      if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *CI : Ctor->inits())
          if (CI->getMember() == Field)
            scanCreation(CI->getInit(), Out);
      scan(Def->getBody(), *Field, Out, 0);
    }
  }
  Members[Field] = Out;
  return Out;
}

bool DescriptorOrigins::isNonBlocking(const ValueDecl &Fd,
                                      const FunctionDecl &Within, bool IsWrite) {
  Origin O = originOf(Fd, Within);
  return O.NonBlocking || (IsWrite && O.EventCounter);
}

} // namespace corolint::analysis
