//===- CpuBoundLoopCheck.h - coro-cpu-bound-loop ----------------*- C++ -*-===//

#ifndef COROLINT_CHECKS_CPUBOUNDLOOPCHECK_H
#define COROLINT_CHECKS_CPUBOUNDLOOPCHECK_H

#include "checks/CallChainCheck.h"

#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <memory>

namespace corolint {

/// Finds CPU-heavy work in async coroutines that never lets the event loop
/// run: long loops without a suspension point, infinite loops, and calls to
/// known CPU-heavy functions; offloads them to the runtime's CPU executor.
///
/// Documentation: docs/checks/coro-cpu-bound-loop.md
class CpuBoundLoopCheck : public CallChainCheck {
public:
  CpuBoundLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  static constexpr analysis::ChainWording Wording{"CPU-heavy call to", "stalls",
                                        "is CPU-heavy"};

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

  /// Why a loop is CPU-heavy.
  struct Verdict {
    enum Kind { None, Infinite, ConstantTrips, DeepNesting } K = None;
    /// ConstantTrips: the iterations, nested constant loops multiplied in.
    std::uint64_t Iterations = 0;
    /// DeepNesting: the depth of the loop nest.
    unsigned Depth = 0;
    /// The nested loop that multiplied the count or deepened the nest.
    const clang::Stmt *Inner = nullptr;
  };

private:
  void checkBody(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  /// The CPU-heavy fact of a statement of a helper's body, if any.
  std::optional<analysis::Fact> factOf(const clang::Stmt &S,
                                       const analysis::AsyncPlacement &Where,
                                       clang::ASTContext &Ctx) const override;
  std::string advice(const clang::FunctionDecl &Coroutine) const override;
  Verdict judge(const clang::Stmt &Loop, const clang::ASTContext &Ctx) const;
  void reportLoop(const clang::Stmt &Loop, const Verdict &V,
                  const analysis::AsyncPlacement &Where,
                  const clang::ast_matchers::MatchFinder::MatchResult &Result);
  void reportCall(const clang::Expr &Call, llvm::StringRef Name,
                  const analysis::AsyncPlacement &Where,
                  analysis::ParentChain Parents,
                  const clang::ast_matchers::MatchFinder::MatchResult &Result);
  /// True if \p Callee is a known CPU-heavy function.
  bool isHeavy(const clang::FunctionDecl &Callee,
               const clang::SourceManager &SM) const;
  void reportChain(const clang::Stmt &S, const analysis::CallEdge &Edge,
                   const analysis::CallChain &Chain,
                   const analysis::AsyncPlacement &Where,
                   analysis::ParentChain Parents,
                   const clang::ast_matchers::MatchFinder::MatchResult &Result);

  std::uint64_t MinIterations;
  unsigned MinNestingDepth;
  bool RegexConstruction;
  std::vector<std::string> CpuHeavyFunctions;
  TemplateOption CpuOffloadTemplate;
  /// Catalog and user entries of CPU-heavy functions, by qualified name.
  llvm::StringSet<> HeavyFunctions;
};

} // namespace corolint

#endif // COROLINT_CHECKS_CPUBOUNDLOOPCHECK_H
