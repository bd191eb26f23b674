//===- AsyncContext.h - where does a statement run? -------------*- C++ -*-===//
//
// The questions every corolint check asks first: is this function an async
// coroutine, and does this statement run on the event loop's thread as part
// of one? See docs/checks/coro-blocking-call.md for the rules.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_ASYNCCONTEXT_H
#define COROLINT_CHECKS_ANALYSIS_ASYNCCONTEXT_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace corolint::analysis {

/// Configuration shared by the checks that need an async context.
struct AsyncContextOptions {
  /// Qualified names of coroutine return types that are synchronous
  /// generators (never run on an event loop by themselves).
  std::vector<std::string> SyncGenerators;
  /// Functions (and classes, for constructors) whose lambda arguments run on
  /// another thread. An unqualified name matches any function or member
  /// function of that name.
  std::vector<std::string> OffloadFunctions;
  /// Functions that call their lambda arguments before they return, on the
  /// caller's thread (std::invoke, the algorithms).
  std::vector<std::string> InlineFunctions;
  /// Non-coroutine functions that run on the event loop (callbacks).
  std::vector<std::string> AsyncContextFunctions;
  /// Functions whose awaited call resumes the coroutine on a thread pool
  /// (`co_await pool.schedule()`): what follows, up to the next suspension
  /// point, does not run on the loop.
  std::vector<std::string> ThreadHops;
};

/// The children of \p S as written: a co_await or co_yield has its operand
/// only. Its other children hold the operand again inside the await
/// machinery (the awaiter, await_ready/suspend/resume), so a walk over all
/// of them visits nested awaits twice per level.
clang::Stmt::const_child_range writtenChildren(const clang::Stmt *S);

/// The defaults of the options above (`;`-separated).
llvm::StringRef defaultSyncGenerators();
llvm::StringRef defaultOffloadFunctions();
llvm::StringRef defaultInlineFunctions();
llvm::StringRef defaultThreadHops();

/// True if `co_await` of \p Operand resumes the coroutine on another
/// thread than the loop's: a call of a ThreadHops entry, or an asio
/// operation whose completion token is bound to a thread pool's executor
/// (`asio::post(asio::bind_executor(pool, asio::use_awaitable))`).
bool isThreadHop(const clang::Expr *Operand, const AsyncContextOptions &Opts);

/// The qualified name of \p D without inline namespaces (`std::__cxx11::`,
/// `std::__1::` become `std::`) and without template arguments; an
/// anonymous namespace is `(anonymous namespace)`.
std::string qualifiedName(const clang::NamedDecl &D);

/// True if \p Name (`ns::f`, or unqualified `f` for any scope) names \p D.
bool nameMatches(const clang::NamedDecl &D, llvm::StringRef Name);

/// True if \p RD is the class named \p QualifiedName or derives from it.
bool isSameOrDerivedFrom(const clang::CXXRecordDecl *RD,
                         llvm::StringRef QualifiedName);

/// The qualified name (qualifiedName) of the class or class template that
/// \p T names, through aliases; empty for any other type.
std::string typeName(clang::QualType T);

/// True if \p FD has a coroutine body (contains co_await, co_yield or
/// co_return).
bool isCoroutine(const clang::FunctionDecl &FD);

/// True if the coroutine body of \p FD contains a `co_await` of its own
/// (not one inside a nested lambda or local class).
bool containsOwnCoawait(const clang::FunctionDecl &FD);

/// True if \p FD is a coroutine that is a synchronous generator: it never
/// awaits, and its promise forbids awaiting (deleted `await_transform`), or
/// its return type is a listed generator, or it yields values into a type
/// that is iterated with `begin()`.
bool isSyncGenerator(const clang::FunctionDecl &FD,
                     const AsyncContextOptions &Opts);

/// True if \p FD is an async coroutine: a coroutine that is not a
/// synchronous generator, or a function listed in AsyncContextFunctions.
bool isAsyncCoroutine(const clang::FunctionDecl &FD,
                      const AsyncContextOptions &Opts);

/// Where a statement executes, when it executes inside an async coroutine.
struct AsyncPlacement {
  /// The coroutine whose body runs the statement.
  const clang::FunctionDecl *Coroutine = nullptr;
  /// Set when the coroutine is a lambda's call operator.
  const clang::LambdaExpr *CoroutineLambda = nullptr;
  /// Innermost non-coroutine lambda, invoked on the spot or by an inline
  /// function, that runs the statement on the coroutine's thread (no
  /// `co_await` is possible there): the invoking call.
  const clang::Expr *InlineLambdaCall = nullptr;
  /// The statement is inside a `catch` handler (no `co_await` allowed).
  bool InHandler = false;
  /// The statement is the operand of `co_await` / `co_yield`: the awaitable
  /// it produces is awaited, so it does not block by itself.
  bool IsAwaitedOperand = false;
};

/// True if `co_await` can be written where \p Where places a statement:
/// the coroutine's own body, not a handler and not a lambda invoked on the
/// spot. A rewrite into an awaited offload needs it.
bool canAwaitAt(const AsyncPlacement &Where);

/// The statements above the one visited, outermost first.
using ParentChain = llvm::ArrayRef<const clang::Stmt *>;

/// Called for every statement that runs on the loop's thread as part of an
/// async body, with where it runs and its parents.
using AsyncVisitor = llvm::function_ref<void(
    const clang::Stmt &S, const AsyncPlacement &Where, ParentChain Parents)>;

/// Walks the body of \p FD, an async coroutine or an AsyncContextFunctions
/// entry (see isAsyncCoroutine), top-down: what runs on the loop's thread is
/// visited; unevaluated operands, nested coroutine lambdas (their own
/// contexts) and lambdas that are stored or handed to other functions (they
/// run elsewhere or later) are not. Lambdas invoked on the spot or by an
/// InlineFunctions entry are walked as part of the body; a constructor's
/// initializers are walked before its body. The statements of a block
/// after a statement `co_await HOP;` (isThreadHop), up to the next one
/// with a suspension point, run on the pool and are not visited. The walk needs no
/// parent map, so its cost is that of the body alone.
void walkAsyncBody(const clang::FunctionDecl &FD, const clang::LambdaExpr *Lambda,
                   const AsyncContextOptions &Opts, AsyncVisitor Visit);

/// A name for the coroutine of \p P as diagnostics print it.
std::string coroutineName(const AsyncPlacement &P);
/// The same for the async function \p FD (a lambda's call operator is a
/// coroutine lambda).
std::string coroutineName(const clang::FunctionDecl &FD);

/// Splits a `;`-separated option value into trimmed, non-empty items.
std::vector<std::string> splitList(llvm::StringRef Value);

/// Joins items with `;`.
std::string joinList(llvm::ArrayRef<std::string> Items);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_ASYNCCONTEXT_H
