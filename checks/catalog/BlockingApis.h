//===- BlockingApis.h - the catalog of APIs that block a thread -*- C++ -*-===//
//
// Data, not logic: one entry per API that blocks the calling thread, with
// the category it belongs to and the kind of fix corolint proposes. The
// table itself lives in BlockingApis.def.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_CATALOG_BLOCKINGAPIS_H
#define COROLINT_CHECKS_CATALOG_BLOCKINGAPIS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace corolint::catalog {

enum class Category {
  Sleep,
};

/// How a call is rewritten.
enum class FixKind {
  None,              ///< message only
  SleepFor,          ///< await the runtime's sleep with the call's duration
  SleepUntil,        ///< await the runtime's sleep until the call's time point
  SleepSeconds,      ///< as SleepFor, the argument counts seconds
  SleepMicroseconds, ///< as SleepFor, the argument counts microseconds
};

struct BlockingApi {
  /// Fully qualified name as `hasAnyName` takes it (`::sleep` for C).
  llvm::StringRef QualifiedName;
  Category Cat;
  FixKind Fix;
};

/// Every catalog entry.
llvm::ArrayRef<BlockingApi> blockingApis();

/// The entry for \p QualifiedName (with or without a leading `::`).
const BlockingApi *findBlockingApi(llvm::StringRef QualifiedName);

/// The option spelling of a category (`sleep`).
llvm::StringRef categoryName(Category Cat);

} // namespace corolint::catalog

#endif // COROLINT_CHECKS_CATALOG_BLOCKINGAPIS_H
