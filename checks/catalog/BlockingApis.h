//===- BlockingApis.h - the catalog of APIs that block a thread -*- C++ -*-===//
//
// Data, not logic: one entry per API that blocks the calling thread, with
// the category it belongs to, the condition under which a call blocks, and
// the kind of fix corolint proposes. The table is BlockingApis.def.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_CATALOG_BLOCKINGAPIS_H
#define COROLINT_CHECKS_CATALOG_BLOCKINGAPIS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace corolint::catalog {

enum class Category : std::uint8_t {
  Sleep,
  Stdin,
  File,
  Network,
  Http,
  Database,
  Process,
  ThreadWait,
  SyncWait,
  Lock,
  /// Writes to the standard streams and calls of the usual loggers: off by
  /// default, and then not followed into either.
  Logging,
  /// Functions and types annotated `corolint::blocking` or
  /// `[[clang::blocking]]`.
  Annotated,
  /// Entries of the `BlockingFunctions` option without a category.
  User,
  /// CPU-heavy functions: reported by coro-cpu-bound-loop, not by
  /// coro-blocking-call.
  Cpu,
};

/// How a call is rewritten.
enum class FixKind : std::uint8_t {
  None,              ///< message only
  SleepFor,          ///< await the runtime's sleep with the call's duration
  SleepUntil,        ///< await the runtime's sleep until the call's time point
  SleepSeconds,      ///< as SleepFor, the argument counts seconds
  SleepMicroseconds, ///< as SleepFor, the argument counts microseconds
  Offload,           ///< run the call on the runtime's I/O pool and await it
  OffloadOnNote,     ///< as Offload, on a note: errno is read on another thread
  AwaitArgument,     ///< `sync_wait(t)` becomes `co_await t`
  OffloadCpu,        ///< run the call on the runtime's CPU executor
};

/// When a call to the API blocks; the subject is the object of a member
/// call, or the argument `SubjectArg` of a function.
enum class Condition : std::uint8_t {
  None,
  SubjectIsStdin,      ///< the subject is std::cin (or wcin) or stdin
  SubjectNotStdStream, ///< the subject is not a standard stream (logging)
  SubjectIsStdStream,  ///< the subject is std::cout, cerr, clog, stdout or stderr
  SubjectIsFileStream, ///< the subject is a std::basic_[io]fstream
  NotFileStatus,       ///< the argument is a path, not a file_status value
  NonZeroTimeout,      ///< the timeout is not a literal zero (a poll)
  HasArguments,        ///< a constructor given arguments
  FdNotAwaited,        ///< the fd was not awaited for readiness before
};

enum class ApiKind : std::uint8_t { Function, Method, Constructor };

struct BlockingApi {
  ApiKind Kind;
  /// Function: qualified name (`::name` for C). Method: the member
  /// function's name. Constructor: unused.
  llvm::StringRef Name;
  /// Method and Constructor: the qualified name of the class.
  llvm::StringRef Class;
  Category Cat;
  FixKind Fix;
  Condition Cond;
  unsigned SubjectArg;
};

/// Every catalog entry, in the order of BlockingApis.def.
llvm::ArrayRef<BlockingApi> blockingApis();

/// The option spelling of a category (`sleep`, `thread-wait`, ...).
llvm::StringRef categoryName(Category Cat);

/// The category spelled \p Name, if any.
std::optional<Category> parseCategory(llvm::StringRef Name);

/// All category spellings, `, `-separated, for messages.
std::string categoryNames();

/// The categories enabled when the option `EnabledCategories` is not set.
bool enabledByDefault(Category Cat);

/// What the message says the category is about (`file I/O`), or empty.
llvm::StringRef categoryDescription(Category Cat);

/// Strips a leading `::` from a C name.
inline llvm::StringRef plainName(llvm::StringRef QualifiedName) {
  QualifiedName.consume_front("::");
  return QualifiedName;
}

} // namespace corolint::catalog

#endif // COROLINT_CHECKS_CATALOG_BLOCKINGAPIS_H
