//===- Regions.h - blocking calls that stall the loop together ---*- C++ -*-===//
//
// A blocking region is a run of consecutive statements of one block that
// stall the loop one after another, with no suspension point between them:
// a stream's construction, reads and close; an SQLite open, prepare and
// step. The calls in it share a handle (the object, the descriptor or the
// variable they work on) or a statement. One region is one finding, and
// where it is mechanical one offload of the whole run of statements.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_REGIONS_H
#define COROLINT_CHECKS_ANALYSIS_REGIONS_H

#include "checks/analysis/AsyncContext.h"

#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace corolint::analysis {

/// A blocking call of an async body, as a region sees it.
struct RegionCall {
  /// The call or the construction.
  const clang::Stmt *Site = nullptr;
  /// Its parents, outermost first (a copy of the walk's chain).
  std::vector<const clang::Stmt *> Parents;
  /// The coroutine whose body runs it.
  const clang::FunctionDecl *Coroutine = nullptr;
  /// Its fix moves it to another thread: only such calls make a region.
  bool Offloaded = false;
};

struct BlockingRegion {
  /// Indices of its calls in the input, in source order; the first is the
  /// one the finding is reported at.
  llvm::SmallVector<unsigned, 4> Calls;
  /// The block whose statements First..Last make the region; null for a
  /// call that is in no block.
  const clang::CompoundStmt *Block = nullptr;
  unsigned First = 0, Last = 0;
  /// The variables and members the calls work on, by which they belong
  /// together.
  llvm::SmallVector<const clang::ValueDecl *, 4> Handles;
  /// How each call joined the calls before it.
  struct Link {
    enum KindType { First, SameStatement, NextStatement, Handle } Kind = First;
    /// The handle it has in common with them, if any.
    const clang::ValueDecl *On = nullptr;
  };
  llvm::SmallVector<Link, 4> Links;

  llvm::ArrayRef<const clang::Stmt *> statements() const;
};

/// Groups \p Calls (in the order the walk found them) into regions: every
/// call is in exactly one, and regions come in source order. A call joins
/// the region before it if it is in the same statement of the same block,
/// in the next statement, or in a later one with a handle in common where
/// the statements up to it declare variables, work on the region's handles
/// or only on locals; a statement with a suspension point ends a region and
/// joins none.
std::vector<BlockingRegion> groupBlockingRegions(llvm::ArrayRef<RegionCall> Calls,
                                                 const clang::SourceManager &SM);

/// The variables declared by the statements of \p R and used by the
/// statements of its block after it.
llvm::SmallVector<const clang::VarDecl *, 2>
variablesLivingPast(const BlockingRegion &R);

/// Why the statements of \p R cannot move into a lambda as they are (they
/// contain a `return`, a jump out, a suspension point, a label, a macro, or
/// use a global that is not one of its handles), or empty if they can.
llvm::StringRef whyNotMovable(const BlockingRegion &R,
                              const clang::SourceManager &SM);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_REGIONS_H
