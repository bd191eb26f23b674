//===- Rewrite.cpp - building fixes that are valid C++ --------------------===//

#include "checks/analysis/Rewrite.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace corolint::analysis {

bool containsSuspension(const Stmt *S) {
  if (!S)
    return false;
  if (llvm::isa<CoroutineSuspendExpr, DependentCoawaitExpr, CoreturnStmt>(S))
    return true;
  if (llvm::isa<LambdaExpr>(S))
    return false;
  for (const Stmt *Child : writtenChildren(S))
    if (containsSuspension(Child))
      return true;
  return false;
}

namespace {

/// The nearest parent of \p S in \p Parents that is not an implicit node,
/// and in \p Child the node below it on the way to S.
const Stmt *explicitParent(const Stmt &S, ParentChain Parents,
                           const Stmt **Child) {
  *Child = &S;
  for (auto It = Parents.rbegin(); It != Parents.rend(); ++It) {
    if (llvm::isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                  CXXBindTemporaryExpr, FullExpr>(*It)) {
      *Child = *It;
      continue;
    }
    return *It;
  }
  return nullptr;
}

} // namespace

/// True if \p Call is a whole expression statement: its value is unused, so
/// it can become a `co_await` of a runtime call that returns nothing.
bool isStatementPosition(const Stmt &S, ParentChain Parents) {
  const Stmt *Child = nullptr;
  const Stmt *PS = explicitParent(S, Parents, &Child);
  if (!PS)
    return false;
  if (llvm::isa<CompoundStmt, CaseStmt, DefaultStmt, LabelStmt>(PS))
    return true;
  if (const auto *If = llvm::dyn_cast<IfStmt>(PS))
    return If->getThen() == Child || If->getElse() == Child;
  if (const auto *While = llvm::dyn_cast<WhileStmt>(PS))
    return While->getBody() == Child;
  if (const auto *For = llvm::dyn_cast<ForStmt>(PS))
    return For->getBody() == Child;
  if (const auto *Range = llvm::dyn_cast<CXXForRangeStmt>(PS))
    return Range->getBody() == Child;
  if (const auto *Do = llvm::dyn_cast<DoStmt>(PS))
    return Do->getBody() == Child;
  return false;
}

/// True if `co_await X` in place of \p Call needs parentheses: a postfix
/// operator applies to the call's result (`f().size()`, `f()[0]`, `f()++`).
bool needsParentheses(const Expr &Call, ParentChain Parents) {
  const Stmt *Child = nullptr;
  const Stmt *PS = explicitParent(Call, Parents, &Child);
  if (!PS)
    return false;
  if (llvm::isa<MemberExpr, ArraySubscriptExpr, CXXDependentScopeMemberExpr>(PS))
    return true;
  if (const auto *Unary = llvm::dyn_cast<UnaryOperator>(PS))
    return Unary->isPostfix();
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(PS)) {
    if (Op->getNumArgs() == 0 || Op->getArg(0) != Child)
      return false;
    switch (Op->getOperator()) {
    case OO_Subscript:
    case OO_Call:
    case OO_Arrow:
      return true;
    case OO_PlusPlus:
    case OO_MinusMinus:
      return Op->getNumArgs() == 2; // the postfix form
    default:
      return false;
    }
  }
  if (const auto *Outer = llvm::dyn_cast<CallExpr>(PS))
    return Outer->getCallee() == Child;
  return false;
}

std::optional<std::string> sourceText(SourceRange Range, const SourceManager &SM,
                                      const LangOptions &LO) {
  CharSourceRange Chars = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Range), SM, LO);
  if (Chars.isInvalid())
    return std::nullopt;
  bool Invalid = false;
  StringRef Text = Lexer::getSourceText(Chars, SM, LO, &Invalid);
  if (Invalid)
    return std::nullopt;
  return Text.str();
}


std::string offloadLambda(const Expr &E, llvm::StringRef Text) {
  if (E.isGLValue())
    return "[&]() -> decltype(auto) { return " + Text.str() + "; }";
  return "[&] { return " + Text.str() + "; }";
}

} // namespace corolint::analysis
