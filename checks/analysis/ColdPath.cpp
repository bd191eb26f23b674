//===- ColdPath.cpp - statements that run only when something is off ------===//

#include "checks/analysis/ColdPath.h"
#include "checks/analysis/Descriptors.h"
#include "checks/catalog/ColdPaths.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"

#include <cctype>

using namespace clang;

namespace corolint::analysis {

void identifierWords(llvm::StringRef Identifier,
                     llvm::SmallVectorImpl<std::string> &Words) {
  std::string Word;
  auto Flush = [&] {
    if (!Word.empty())
      Words.push_back(Word);
    Word.clear();
  };
  for (size_t I = 0; I < Identifier.size(); ++I) {
    char C = Identifier[I];
    if (!std::isalnum(static_cast<unsigned char>(C))) {
      Flush();
      continue;
    }
    bool Upper = std::isupper(static_cast<unsigned char>(C));
    if (Upper && I > 0) {
      char Prev = Identifier[I - 1];
      bool PrevLower = std::islower(static_cast<unsigned char>(Prev)) ||
                       std::isdigit(static_cast<unsigned char>(Prev));
      // `logLevel` -> log|Level; `HTTPServer` -> HTTP|Server.
      bool NextLower = I + 1 < Identifier.size() &&
                       std::islower(static_cast<unsigned char>(Identifier[I + 1]));
      if (PrevLower ||
          (std::isupper(static_cast<unsigned char>(Prev)) && NextLower))
        Flush();
    }
    Word += static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  }
  Flush();
}

namespace {

/// True if a word of \p Identifier is one of \p Known, or, with \p Suffix,
/// one of them followed by one letter.
bool hasWord(llvm::StringRef Identifier, llvm::ArrayRef<llvm::StringRef> Known,
             bool Suffix = false) {
  if (Identifier.empty())
    return false;
  llvm::SmallVector<std::string, 4> Words;
  identifierWords(Identifier, Words);
  return llvm::any_of(Words, [&](const std::string &W) {
    llvm::StringRef Word = W;
    if (llvm::is_contained(Known, Word))
      return true;
    return Suffix && Word.size() > 1 &&
           std::isalpha(static_cast<unsigned char>(Word.back())) &&
           llvm::is_contained(Known, Word.drop_back());
  });
}

bool nameHasWord(const NamedDecl *D, llvm::ArrayRef<llvm::StringRef> Known) {
  if (!D)
    return false;
  // An unnamed declaration (a parameter, a bit-field) has no identifier.
  const IdentifierInfo *II = D->getDeclName().getAsIdentifierInfo();
  return II && hasWord(II->getName(), Known);
}

/// The declaration an operand names directly: a variable, a member, an
/// enumerator, or the function of a call (`level()`, `opts.is_tracing()`).
const NamedDecl *namedBy(const Expr *E) {
  if (const ValueDecl *D = referencedDecl(E))
    return D;
  if (const auto *Call = llvm::dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenImpCasts() : nullptr))
    return Call->getDirectCallee();
  return nullptr;
}

/// True if \p E, or something it names anywhere (not inside lambdas), is
/// called or typed with one of \p Known: a variable, a member, a function,
/// an enum type, or a string literal (`find("gzip")`).
bool mentionsWord(const Stmt *S, llvm::ArrayRef<llvm::StringRef> Known) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return false;
  if (const auto *E = llvm::dyn_cast<Expr>(S)) {
    if (nameHasWord(namedBy(E), Known))
      return true;
    if (QualType T = E->getType(); !T.isNull())
      if (const auto *Enum = T->getAs<EnumType>())
        if (nameHasWord(Enum->getDecl(), Known))
          return true;
    if (const auto *Str = llvm::dyn_cast<StringLiteral>(E))
      if (Str->getCharByteWidth() == 1 && hasWord(Str->getString(), Known))
        return true;
  }
  for (const Stmt *Child : writtenChildren(S))
    if (mentionsWord(Child, Known))
      return true;
  return false;
}

const Stmt *stripAttributes(const Stmt *S) {
  while (const auto *A = llvm::dyn_cast_or_null<AttributedStmt>(S))
    S = A->getSubStmt();
  return S;
}

/// The reason a branch that ends in \p S never comes back: a throw, or a
/// call of a function that does not return.
ColdReason endsInNoReturn(const Stmt *S) {
  S = stripAttributes(S);
  while (const auto *Block = llvm::dyn_cast_or_null<CompoundStmt>(S)) {
    const Stmt *Last = nullptr;
    for (const Stmt *Child : Block->body())
      if (!llvm::isa<NullStmt>(Child))
        Last = Child;
    S = stripAttributes(Last);
  }
  const auto *E = llvm::dyn_cast_or_null<Expr>(S);
  if (!E)
    return ColdReason::None;
  E = E->IgnoreParenImpCasts();
  if (const auto *Cleanups = llvm::dyn_cast<ExprWithCleanups>(E))
    E = Cleanups->getSubExpr()->IgnoreParenImpCasts();
  if (llvm::isa<CXXThrowExpr>(E))
    return ColdReason::Throws;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && Callee->isNoReturn())
      return ColdReason::NoReturn;
  return ColdReason::None;
}

/// True if \p S always leaves the function: `return`, or a block that ends
/// in one, a throw, or a call that does not return.
bool alwaysLeaves(const Stmt *S) {
  S = stripAttributes(S);
  if (const auto *Block = llvm::dyn_cast_or_null<CompoundStmt>(S)) {
    if (Block->body_empty())
      return false;
    return alwaysLeaves(Block->body_back());
  }
  return llvm::isa_and_nonnull<ReturnStmt>(S) ||
         endsInNoReturn(S) != ColdReason::None;
}

enum class Branch { None, Then, Else };

/// Which branch of `if (Cond)` runs only when an optional feature is on:
/// `if (debug_)`, `if (opts.trace && x)`, `if (!verbose) ... else`,
/// `if (encoding == gzip)`.
Branch featureBranch(const Expr *Cond) {
  if (!Cond)
    return Branch::None;
  Cond = Cond->IgnoreParenImpCasts();
  llvm::ArrayRef<llvm::StringRef> Words = catalog::optionalFeatureWords();
  if (const auto *Not = llvm::dyn_cast<UnaryOperator>(Cond);
      Not && Not->getOpcode() == UO_LNot) {
    Branch Inner = featureBranch(Not->getSubExpr());
    return Inner == Branch::Then ? Branch::Else
           : Inner == Branch::Else ? Branch::Then
                                   : Inner;
  }
  if (const auto *Bin = llvm::dyn_cast<BinaryOperator>(Cond)) {
    if (Bin->getOpcode() == BO_LAnd)
      return featureBranch(Bin->getLHS()) == Branch::Then ||
                     featureBranch(Bin->getRHS()) == Branch::Then
                 ? Branch::Then
                 : Branch::None;
    if (Bin->getOpcode() == BO_EQ || Bin->getOpcode() == BO_NE) {
      // The feature named by an operand itself: `==` is on, `!=` off.
      bool Direct = nameHasWord(namedBy(Bin->getLHS()), Words) ||
                    nameHasWord(namedBy(Bin->getRHS()), Words);
      if (Direct)
        return Bin->getOpcode() == BO_EQ ? Branch::Then : Branch::Else;
    }
  }
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && (Op->getOperator() == OO_EqualEqual ||
             Op->getOperator() == OO_ExclaimEqual) &&
      Op->getNumArgs() == 2) {
    bool Direct = nameHasWord(namedBy(Op->getArg(0)), Words) ||
                  nameHasWord(namedBy(Op->getArg(1)), Words);
    if (Direct)
      return Op->getOperator() == OO_EqualEqual ? Branch::Then : Branch::Else;
  }
  // A flag, a predicate, or a test that names the feature deeper down
  // (`accept.find("gzip") != npos`): the branch taken when it holds.
  return mentionsWord(Cond, Words) ? Branch::Then : Branch::None;
}

/// The branch `__builtin_expect` says is not taken.
Branch unexpectedBranch(const Expr *Cond, const ASTContext &Ctx) {
  if (!Cond)
    return Branch::None;
  Cond = Cond->IgnoreParenImpCasts();
  bool Negated = false;
  while (const auto *Not = llvm::dyn_cast<UnaryOperator>(Cond)) {
    if (Not->getOpcode() != UO_LNot)
      break;
    Negated = !Negated;
    Cond = Not->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *Call = llvm::dyn_cast<CallExpr>(Cond);
  if (!Call || Call->getNumArgs() < 2)
    return Branch::None;
  unsigned ID = Call->getBuiltinCallee();
  if (ID != Builtin::BI__builtin_expect &&
      ID != Builtin::BI__builtin_expect_with_probability)
    return Branch::None;
  Expr::EvalResult Result;
  const Expr *Expected = Call->getArg(1);
  if (Expected->isValueDependent() || !Expected->EvaluateAsInt(Result, Ctx))
    return Branch::None;
  bool TrueExpected = Result.Val.getInt() != 0;
  if (Negated)
    TrueExpected = !TrueExpected;
  return TrueExpected ? Branch::Else : Branch::Then;
}

ColdReason branchReason(const IfStmt &If, bool Then, const ASTContext &Ctx) {
  const Stmt *Taken = Then ? If.getThen() : If.getElse();
  const Stmt *Other = Then ? If.getElse() : If.getThen();
  if (ColdReason R = endsInNoReturn(Taken); R != ColdReason::None)
    return R;
  if (Stmt::getLikelihood(Taken) == Stmt::LH_Unlikely ||
      (Other && Stmt::getLikelihood(Other) == Stmt::LH_Likely))
    return ColdReason::Unlikely;
  Branch Mine = Then ? Branch::Then : Branch::Else;
  if (unexpectedBranch(If.getCond(), Ctx) == Mine)
    return ColdReason::Expected;
  if (mentionsWord(If.getCond(), catalog::severityWords()))
    return ColdReason::Severity;
  Branch Feature = featureBranch(If.getCond());
  if (Feature == Mine)
    return ColdReason::Feature;
  return ColdReason::None;
}

/// Why what follows \p Guard in its block runs only on a cold path: an
/// `if` without `else` that leaves the function unless the log severity
/// or an optional feature says otherwise (`if (level < min_) return;`,
/// `if (!debug_) return;`).
ColdReason guardReason(const Stmt *Guard) {
  const auto *If = llvm::dyn_cast<IfStmt>(Guard);
  if (!If || If->getElse() || !alwaysLeaves(If->getThen()))
    return ColdReason::None;
  if (mentionsWord(If->getCond(), catalog::severityWords()))
    return ColdReason::Severity;
  // Leaving when the feature is off: what follows needs it on.
  if (featureBranch(If->getCond()) == Branch::Else)
    return ColdReason::Feature;
  return ColdReason::None;
}

/// True if \p Loc comes from the body of a macro with a word of \p Known
/// (not from one of its arguments: `ASSERT(f())` evaluates `f()` always),
/// or, with \p Arguments, from either.
bool inMacroWithWord(SourceLocation Loc, const SourceManager &SM,
                     const LangOptions &LO, llvm::ArrayRef<llvm::StringRef> Known,
                     bool Arguments, bool Suffix) {
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 32; ++Depth) {
    bool IsArgument = SM.isMacroArgExpansion(Loc);
    if ((Arguments || !IsArgument) &&
        hasWord(Lexer::getImmediateMacroName(Loc, SM, LO), Known, Suffix))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

} // namespace

ColdReason coldReason(const Stmt &S, const AsyncPlacement &Where,
                      ParentChain Parents, const ASTContext &Ctx) {
  if (Where.InHandler)
    return ColdReason::Handler;
  for (size_t I = 0; I < Parents.size(); ++I) {
    const Stmt *Child = I + 1 < Parents.size() ? Parents[I + 1] : &S;
    if (const auto *If = llvm::dyn_cast<IfStmt>(Parents[I])) {
      bool Then = Child == If->getThen();
      if (!Then && Child != If->getElse())
        continue; // the condition or the initializer
      if (ColdReason R = branchReason(*If, Then, Ctx); R != ColdReason::None)
        return R;
    } else if (const auto *Block = llvm::dyn_cast<CompoundStmt>(Parents[I])) {
      for (const Stmt *Sibling : Block->body()) {
        if (Sibling == Child)
          break;
        if (ColdReason R = guardReason(Sibling); R != ColdReason::None)
          return R;
      }
    }
  }
  SourceLocation Loc = S.getBeginLoc();
  if (Loc.isMacroID() &&
      inMacroWithWord(Loc, Ctx.getSourceManager(), Ctx.getLangOpts(),
                      catalog::assertionMacroWords(), /*Arguments=*/false,
                      /*Suffix=*/false))
    return ColdReason::Assertion;
  return ColdReason::None;
}

bool inStandardAssert(SourceLocation Loc, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 32; ++Depth) {
    if (SM.isMacroArgExpansion(Loc) &&
        Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts()) == "assert")
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

bool inLoggingMacro(SourceLocation Loc, const ASTContext &Ctx) {
  return Loc.isMacroID() &&
         inMacroWithWord(Loc, Ctx.getSourceManager(), Ctx.getLangOpts(),
                         catalog::loggingMacroWords(), /*Arguments=*/true,
                         /*Suffix=*/true);
}

bool engagesOptionalFeature(const Stmt &S, ParentChain Parents) {
  llvm::ArrayRef<llvm::StringRef> Words = catalog::optionalFeatureWords();
  llvm::ArrayRef<const Expr *> Args;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(&S))
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
  else if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&S))
    Args = llvm::ArrayRef(Construct->getArgs(), Construct->getNumArgs());
  for (const Expr *Arg : Args)
    if (!llvm::isa<CXXDefaultArgExpr>(Arg) && mentionsWord(Arg, Words))
      return true;
  for (size_t I = 0; I < Parents.size(); ++I)
    if (const auto *If = llvm::dyn_cast<IfStmt>(Parents[I])) {
      const Stmt *Child = I + 1 < Parents.size() ? Parents[I + 1] : &S;
      Branch Taken = Child == If->getThen()   ? Branch::Then
                     : Child == If->getElse() ? Branch::Else
                                              : Branch::None;
      if (Taken != Branch::None && featureBranch(If->getCond()) == Taken)
        return true;
    }
  return false;
}

llvm::StringRef describeColdReason(ColdReason Reason) {
  switch (Reason) {
  case ColdReason::None:
    return "";
  case ColdReason::Handler:
    return "in a catch handler";
  case ColdReason::Throws:
    return "on a branch that throws";
  case ColdReason::NoReturn:
    return "on a branch that does not return";
  case ColdReason::Unlikely:
    return "on a branch marked unlikely";
  case ColdReason::Expected:
    return "on a branch expected not to be taken";
  case ColdReason::Severity:
    return "on a branch on a log severity";
  case ColdReason::Feature:
    return "on a branch on an optional feature";
  case ColdReason::Assertion:
    return "in an assertion macro";
  }
  return "";
}

} // namespace corolint::analysis
