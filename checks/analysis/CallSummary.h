//===- CallSummary.h - what a function does when it is called ---*- C++ -*-===//
//
// Blocking through callees. For a function with a body in the translation
// unit, its summary holds the blocking (or CPU-heavy) facts written directly
// in its body and the functions it calls; from the summaries, the shortest
// chain of calls from a function down to a fact. Summaries are computed on
// demand and memoised per function, so only the functions reached from
// async bodies are walked, and no parent map is built.
//
// What a fact is belongs to the check (a catalog call for
// coro-blocking-call, a heavy loop or call for coro-cpu-bound-loop): the
// check passes a classifier. Which calls are followed is decided here:
// direct calls, constructors, destructors of locals and temporaries,
// `delete`, user operators, calls of lambdas through a variable or a
// template parameter; not calls into system headers, coroutines, functions
// declared non-blocking, OffloadFunctions and InlineFunctions entries, nor
// virtual calls (unless FollowVirtualCalls) or calls through pointers.
// Facts and calls on a cold path of a function (an error branch, a branch
// on a log severity; analysis/ColdPath.h) are recorded with the reason and
// left out of chains unless ReportColdPaths; calls written in logging
// macros are not recorded unless FollowLogging.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_CALLSUMMARY_H
#define COROLINT_CHECKS_ANALYSIS_CALLSUMMARY_H

#include "checks/analysis/AsyncContext.h"
#include "checks/analysis/ColdPath.h"
#include "checks/catalog/BlockingApis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corolint::analysis {

/// True if \p D carries `[[clang::annotate("<Value>")]]`.
bool hasAnnotation(const clang::Decl *D, llvm::StringRef Value);

/// `corolint::nonblocking` on the function or its class, or clang's
/// `nonblocking` effect.
bool isDeclaredNonBlocking(const clang::FunctionDecl &FD);

/// `corolint::blocking` on the function or its class, or clang's `blocking`
/// effect.
bool isDeclaredBlocking(const clang::FunctionDecl &FD);

/// True if \p D (a function, or the class of a constructor) is named by one
/// of \p Names (qualified, or unqualified for any scope).
bool isListed(const clang::NamedDecl *D, llvm::ArrayRef<std::string> Names);

/// A name for \p FD as diagnostics print it: `ns::f`, `S::m`, the class of
/// a constructor, `S::~S`, `lambda` for a lambda's call operator.
std::string functionName(const clang::FunctionDecl &FD);

/// Something written directly in a function body that blocks the thread or
/// keeps it busy, as the check that classifies it decides.
struct Fact {
  enum KindType : std::uint8_t { Call, Construction, Loop };
  KindType Kind = Call;
  /// The call, the construction or the loop.
  const clang::Stmt *Site = nullptr;
  /// What is called or constructed, as diagnostics print it; empty for a
  /// loop.
  std::string Api;
  catalog::Category Cat = catalog::Category::User;
  catalog::FixKind Fix = catalog::FixKind::None;
  /// The catalog condition under which the call blocks.
  catalog::Condition Cond = catalog::Condition::None;
  /// A loop: its constant trip count, or 0 for a deep nest.
  std::uint64_t Iterations = 0;
  /// A loop nest: its depth.
  unsigned Depth = 0;
  /// Set when the fact is on a cold path of its function.
  ColdReason Cold = ColdReason::None;
};

/// A call from a function body: a call expression, a construction, a
/// `delete`, or the end of a local's or a temporary's lifetime.
struct CallEdge {
  /// The callee's canonical declaration.
  const clang::FunctionDecl *Callee = nullptr;
  /// The expression, or the DeclStmt of a local whose destructor runs.
  const clang::Stmt *Site = nullptr;
  /// Where diagnostics point: the call's start, or the local's name.
  clang::SourceLocation Loc;
  /// Set when the call is on a cold path of its function.
  ColdReason Cold = ColdReason::None;
};

/// What one function does when it is called, as far as its own body shows.
struct FunctionSummary {
  const clang::FunctionDecl *Definition = nullptr;
  /// Facts written in the body (and in lambdas that it runs inline), in
  /// source order.
  std::vector<Fact> Facts;
  /// Calls of functions outside the system headers, in source order, with
  /// or without a body in this translation unit.
  std::vector<CallEdge> Calls;
  /// Calls of OffloadFunctions entries: their work runs elsewhere.
  std::vector<CallEdge> Offloads;
};

/// A chain from a function called by an async body down to a fact:
/// `Functions[0]` calls `Functions[1]` at `Calls[0]`, ..., and
/// `Functions.back()` holds `Final`.
struct CallChain {
  llvm::SmallVector<const clang::FunctionDecl *, 4> Functions;
  llvm::SmallVector<CallEdge, 4> Calls;
  const Fact *Final = nullptr;
  /// The number of functions in the chain (1: the callee blocks itself).
  unsigned depth() const { return static_cast<unsigned>(Functions.size()); }
};

struct CallSummaryOptions {
  /// The longest chain reported, counted in functions; 0 follows nothing.
  unsigned MaxCallDepth = 8;
  /// Follow a virtual call to the body of the method it names.
  bool FollowVirtualCalls = false;
  /// Functions never followed (besides those declared non-blocking).
  std::vector<std::string> StopFunctions;
  /// Keep the facts and calls of a function that are on a cold path
  /// (analysis/ColdPath.h); by default a chain never goes through one.
  bool ReportColdPaths = false;
  /// Follow the calls written in logging macros (the `logging` category
  /// is enabled).
  bool FollowLogging = false;
};

/// Classifies a statement of a function body as a fact, given where it
/// runs and its parents (see walkAsyncBody).
using FactClassifier = std::function<std::optional<Fact>(
    const clang::Stmt &S, const AsyncPlacement &Where, ParentChain Parents)>;

/// The call summaries of one translation unit, computed on demand.
class CallSummaries {
public:
  CallSummaries(clang::ASTContext &Ctx, const AsyncContextOptions &Context,
                CallSummaryOptions Options, FactClassifier Classify);

  /// The calls that \p S itself makes (not those of its children), at most
  /// one per callee kind: a call's callee, a construction's constructor, the
  /// destructor of a `delete`d object, of a temporary, or of the locals a
  /// DeclStmt declares. A call of a lambda written on the spot is not one:
  /// walkAsyncBody walks that lambda's body in place.
  void callsOf(const clang::Stmt &S,
               llvm::SmallVectorImpl<CallEdge> &Out) const;

  /// True if the analysis looks into \p Callee: it has a body in this
  /// translation unit outside the system headers, and is not a coroutine, a
  /// function declared non-blocking, an OffloadFunctions, InlineFunctions or
  /// StopFunctions entry.
  bool isFollowed(const clang::FunctionDecl &Callee);

  /// The summary of \p FD's definition (memoised); null if it has none.
  const FunctionSummary *summaryOf(const clang::FunctionDecl &FD);

  /// The shortest chain from \p FD down to a fact, of at most MaxCallDepth
  /// functions (memoised); null if there is none or FD is not followed.
  /// Calls are followed breadth first, so recursion ends and the chain is
  /// the shortest one; between chains of one length, source order decides.
  /// Facts and calls on cold paths are skipped unless ReportColdPaths; with
  /// \p FeatureOn (the call turns an optional feature on, see
  /// engagesOptionalFeature), those on a branch on such a feature are not.
  const CallChain *chainFrom(const clang::FunctionDecl &FD,
                             bool FeatureOn = false);

  /// The chain of a call \p Call (below \p Parents in an async body) of
  /// \p Callee: the common-path chain, or, when there is none and the call
  /// turns an optional feature on, the chain through the feature's branches.
  const CallChain *chainFromCall(const clang::FunctionDecl &Callee,
                                 const clang::Stmt &Call, ParentChain Parents);

  /// True if a chain goes through a fact or a call on a path that is cold
  /// for \p Reason.
  bool takes(ColdReason Reason, bool FeatureOn) const;

  const CallSummaryOptions &options() const { return Options; }
  const AsyncContextOptions &contextOptions() const { return Context; }
  clang::ASTContext &context() const { return Ctx; }

private:
  std::unique_ptr<FunctionSummary> summarize(const clang::FunctionDecl &Def);

  clang::ASTContext &Ctx;
  const AsyncContextOptions &Context;
  CallSummaryOptions Options;
  FactClassifier Classify;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionSummary>>
      Summaries;
  /// Per FeatureOn.
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<CallChain>>
      Chains[2];
  llvm::DenseMap<const clang::FunctionDecl *, bool> Followed;
  /// Temporaries that initialize a local: one object with it (callsOf sees
  /// the DeclStmt first).
  mutable llvm::DenseSet<const clang::Stmt *> LocalInitializers;
};

/// A source position, independent of the SourceManager.
struct ExportedLocation {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// One function's summary in a form that can be written out and linked
/// with the summaries of other translation units: functions are named by
/// their USR.
struct ExportedSummary {
  struct ExportedFact {
    std::string Api;
    /// The catalog category (`file`, `cpu`, ...); `loop` for a loop.
    std::string Category;
    ExportedLocation Loc;
  };
  struct ExportedCall {
    std::string CalleeUSR;
    std::string CalleeName;
    ExportedLocation Loc;
  };
  std::string USR;
  std::string Name;
  ExportedLocation Loc;
  bool IsCoroutine = false;
  /// Runs on the event loop: an async coroutine (not a synchronous
  /// generator) or an AsyncContextFunctions entry.
  bool IsAsync = false;
  /// Declared non-blocking: calls to it are not followed.
  bool IsNonBlocking = false;
  /// An OffloadFunctions entry: calls to it are not followed.
  bool IsOffload = false;
  /// For an async function, the advice of a finding in it that the link of
  /// all units finds: its runtime's, with the check's templates.
  std::string Advice;
  /// For an async function, how findings in it name it (coroutineName).
  std::string DisplayName;
  std::vector<ExportedFact> Facts;
  std::vector<ExportedCall> Calls;
  std::vector<ExportedCall> Offloads;
};

/// The USR of \p D, or empty if clang has none for it.
std::string usrOf(const clang::Decl &D);

/// What a finding in an async function advises (ExportedSummary::Advice).
using AdviceFor = llvm::function_ref<std::string(const clang::FunctionDecl &)>;

/// The summaries of every function defined with a body outside the system
/// headers of the translation unit of \p Summaries (template patterns
/// excluded, instantiations included), in declaration order.
std::vector<ExportedSummary> exportSummaries(CallSummaries &Summaries,
                                             AdviceFor Advice);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_CALLSUMMARY_H
