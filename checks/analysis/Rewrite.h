//===- Rewrite.h - building fixes that are valid C++ ------------*- C++ -*-===//
//
// Shared by the checks that turn a call or a loop into an awaited
// expression: where a `co_await` may go, when it needs parentheses, and
// the lambda that carries a call to another thread.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_REWRITE_H
#define COROLINT_CHECKS_ANALYSIS_REWRITE_H

#include "checks/analysis/AsyncContext.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include <optional>
#include <string>

namespace corolint::analysis {

/// True if \p S contains a suspension point of its own coroutine
/// (`co_await`, `co_yield`, `co_return`), not counting nested lambdas.
bool containsSuspension(const clang::Stmt *S);

/// True if \p S, under \p Parents, is a whole statement: a statement of a
/// block or of a branch, or an expression whose value is unused.
bool isStatementPosition(const clang::Stmt &S, ParentChain Parents);

/// True if `co_await X` in place of \p E needs parentheses: a postfix
/// operator applies to its result (`f().size()`, `f()[0]`, `f()++`).
bool needsParentheses(const clang::Expr &E, ParentChain Parents);

/// The source text of \p Range, if it is not split by a macro.
std::optional<std::string> sourceText(clang::SourceRange Range,
                                      const clang::SourceManager &SM,
                                      const clang::LangOptions &LO);

/// A lambda that evaluates \p Text (the source of \p E) on another thread
/// and returns its result; a reference result stays a reference.
std::string offloadLambda(const clang::Expr &E, llvm::StringRef Text);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_REWRITE_H
