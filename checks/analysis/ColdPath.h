//===- ColdPath.h - statements that run only when something is off -*- C++ -*-===//
//
// A helper that blocks only when something already went wrong, or when an
// option is on, does not block the loop in the common case: a logger that
// runs `popen` to print a stack trace at error severity, a response setter
// that compresses only when the client asked for gzip, a helper whose
// blocking call sits in the branch that throws. Which statements are on
// such a cold path is decided from the shape of the code where the branch
// is, never from the names of the functions:
//
//  - a catch handler;
//  - a branch of an `if` that ends in a `throw` or a call of a function
//    that does not return (`abort`, `exit`, `[[noreturn]]`);
//  - an `[[unlikely]]` branch (or the other branch of a `[[likely]]` one),
//    and a branch that `__builtin_expect` says is not taken;
//  - a branch on a log severity (a comparison of something whose name or
//    enum type is level-like) or on an optional feature's flag (`debug_`,
//    `opts.trace`, `encoding == gzip`): the words are the catalog's
//    (catalog/ColdPaths.h);
//  - what an assertion macro expands to.
//
// Calls written in a logging macro are not cold but logging: the
// `logging` category decides about them.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_COLDPATH_H
#define COROLINT_CHECKS_ANALYSIS_COLDPATH_H

#include "checks/analysis/AsyncContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace corolint::analysis {

enum class ColdReason : std::uint8_t {
  None,
  Handler,    ///< in a catch handler
  Throws,     ///< on a branch that ends in a throw
  NoReturn,   ///< on a branch that ends in a call that does not return
  Unlikely,   ///< on a branch marked unlikely
  Expected,   ///< on a branch that __builtin_expect says is not taken
  Severity,   ///< on a branch on a log severity
  Feature,    ///< on a branch on an optional feature's flag
  Assertion,  ///< in an assertion macro
};

/// Why \p S (visited by walkAsyncBody at \p Where, below \p Parents) runs
/// only on a cold path of its function, or None.
ColdReason coldReason(const clang::Stmt &S, const AsyncPlacement &Where,
                      ParentChain Parents, const clang::ASTContext &Ctx);

/// How diagnostics say where a cold statement is ("on a branch that
/// throws").
llvm::StringRef describeColdReason(ColdReason Reason);

/// True if \p Loc is in the condition of the standard `assert` macro,
/// which exists only in builds without NDEBUG: a debug build's check.
bool inStandardAssert(clang::SourceLocation Loc, const clang::ASTContext &Ctx);

/// True if \p Loc is spelled in the expansion of a logging macro (its name
/// has a word of catalog::loggingMacroWords()).
bool inLoggingMacro(clang::SourceLocation Loc, const clang::ASTContext &Ctx);

/// True if \p S, a call of a coroutine's body below \p Parents, turns an
/// optional feature on: an argument names one (`content_encoding::gzip`),
/// or the call is in the branch an `if` on one takes (`if (deflate_) ...`).
/// The callee's branches on optional features are then not cold for it.
bool engagesOptionalFeature(const clang::Stmt &S, ParentChain Parents);

/// The lower-case words of an identifier, split at `_` and case changes.
void identifierWords(llvm::StringRef Identifier,
                     llvm::SmallVectorImpl<std::string> &Words);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_COLDPATH_H
