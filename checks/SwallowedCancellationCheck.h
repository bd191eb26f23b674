//===- SwallowedCancellationCheck.h - coro-swallowed-cancellation -*- C++ -*-===//

#ifndef COROLINT_CHECKS_SWALLOWEDCANCELLATIONCHECK_H
#define COROLINT_CHECKS_SWALLOWEDCANCELLATIONCHECK_H

#include "checks/CoroCheckBase.h"

namespace corolint {

/// Finds catch handlers in async coroutines that catch the runtime's
/// cancellation exception around a suspension point, do not rethrow it and
/// carry on after it; inserts a rethrowing handler before them.
///
/// Documentation: docs/checks/coro-swallowed-cancellation.md
class SwallowedCancellationCheck : public CoroCheckBase {
public:
  SwallowedCancellationCheck(llvm::StringRef Name,
                             clang::tidy::ClangTidyContext *Context);

  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// A cancellation type declared in this TU, with the code that marks a
  /// cancellation for types whose cancellation is an error code.
  struct Cancellation {
    const clang::CXXRecordDecl *Type = nullptr;
    std::string Name;
    std::string Code; ///< empty: the type itself is the cancellation
  };

  void checkTry(const clang::CXXTryStmt &Try, const analysis::AsyncPlacement &Where,
                analysis::ParentChain Parents,
                const clang::ast_matchers::MatchFinder::MatchResult &Result);
  std::vector<Cancellation> cancellationsIn(clang::ASTContext &Ctx,
                                            bool ErrorCodes);

  std::vector<std::string> CancellationExceptions;
  std::vector<std::string> ErrorCodeCancellation;
  /// The handler the fix inserts; empty: the profile's.
  std::string RethrowHandler;
  /// What a handler tests to rethrow only the task's own cancellation after
  /// awaiting a task it cancelled; empty: the profile's.
  std::string CancellingCondition;
  /// Also report handlers after which the task only ends.
  bool ReportTerminalHandlers;
};

} // namespace corolint

#endif // COROLINT_CHECKS_SWALLOWEDCANCELLATIONCHECK_H
