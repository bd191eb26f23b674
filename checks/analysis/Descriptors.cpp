//===- Descriptors.cpp - where a file descriptor comes from ---------------===//

#include "checks/analysis/Descriptors.h"
#include "checks/analysis/AsyncContext.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

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

const ValueDecl *referenced(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E))
    return Ref->getDecl();
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(E))
    return Member->getMemberDecl();
  return nullptr;
}

} // namespace

const ValueDecl *descriptorRoot(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      E = Member->getImplicitObjectArgument();
      continue;
    }
    if (const auto *Subscript = llvm::dyn_cast<ArraySubscriptExpr>(E)) {
      E = Subscript->getBase();
      continue;
    }
    if (const auto *Field = llvm::dyn_cast<MemberExpr>(E)) {
      if (llvm::isa<CXXThisExpr>(Field->getBase()->IgnoreParenImpCasts()))
        return Field->getMemberDecl();
      E = Field->getBase();
      continue;
    }
    return referenced(E);
  }
  return nullptr;
}

bool DescriptorOrigins::mentionsNonBlock(const Expr *Arg) const {
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
  scan(Def->getBody(), *Def->getParamDecl(Param), Found, Depth + 1);
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
  for (const Stmt *Child : S->children())
    scan(Child, Fd, Out, Depth);
}

DescriptorOrigins::Origin
DescriptorOrigins::originOf(const ValueDecl &Fd, const FunctionDecl &Within) {
  const auto *Field = llvm::dyn_cast<FieldDecl>(&Fd);
  if (!Field) {
    Origin Out;
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
