//===- RuntimeProfiles.h - fix templates per coroutine runtime --*- C++ -*-===//
//
// A fix names real APIs of the user's runtime. A profile is a small table of
// templates; `{0}` stands for the argument text taken from the user's call.
// An empty template means the runtime has no expression that fits there
// (the diagnostic then carries only the hint).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_CATALOG_RUNTIMEPROFILES_H
#define COROLINT_CHECKS_CATALOG_RUNTIMEPROFILES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace corolint::catalog {

struct RuntimeProfile {
  llvm::StringRef Name;
  /// Awaits a duration `{0}`.
  llvm::StringRef SleepFor;
  /// Awaits until a time point `{0}`.
  llvm::StringRef SleepUntil;
  /// The advice of the message for a sleep when there is no template.
  llvm::StringRef SleepHint;
  /// Awaits a callable `{0}` run on the runtime's I/O thread pool.
  llvm::StringRef Offload;
  /// The advice of the message for an offload when there is no template.
  llvm::StringRef OffloadHint;
  /// Awaits a callable `{0}` run on the runtime's CPU executor.
  llvm::StringRef CpuOffload;
  /// The advice of the message for CPU work when there is no template.
  llvm::StringRef CpuOffloadHint;
  /// The header that declares the templates' names (with <> or "").
  llvm::StringRef Header;
  /// The coroutine types of the runtime, `;`-separated: a class
  /// (`asio::awaitable`), or every class of a namespace (`cppcoro::`).
  llvm::StringRef CoroutineTypes;
  /// The handler that rethrows the runtime's cancellation exception.
  llvm::StringRef RethrowHandler;
  /// A condition a handler can test without co_await, true when the
  /// running task itself is being cancelled.
  llvm::StringRef CancellingCondition;
  /// The runtime's awaited operations report cancellation as an error code
  /// in an exception (option ErrorCodeCancellation), as asio's do.
  bool ErrorCodeCancellation = false;
  /// `co_await` of the offload templates may yield a reference; without it
  /// a reference result is carried as a pointer.
  bool AwaitsReferences = false;
  /// The offload templates' result is default-constructed before it is
  /// assigned (asio's co_spawn): a class without a default constructor
  /// gets no fix.
  bool DefaultConstructsResult = false;
};

/// All profiles; the first is `aio`, the runtime this project ships.
llvm::ArrayRef<RuntimeProfile> runtimeProfiles();

/// The value of the `Runtime` option that picks the profile of each
/// coroutine from its type (runtimeOfCoroutineType).
constexpr llvm::StringLiteral AutoRuntime = "auto";

/// The profile whose CoroutineTypes name \p QualifiedName (a class's
/// qualified name without template arguments), or `none`.
const RuntimeProfile &runtimeOfCoroutineType(llvm::StringRef QualifiedName);

/// The profile named \p Name, if there is one.
const RuntimeProfile *findRuntimeProfile(llvm::StringRef Name);

/// `auto, aio, asio, ...` for error messages.
std::string runtimeProfileNames();

/// Substitutes \p Argument for every `{0}` in \p Template.
std::string expandTemplate(llvm::StringRef Template, llvm::StringRef Argument);

/// A short form of \p Template for messages: `{0}` becomes `...`.
std::string templateHint(llvm::StringRef Template);

} // namespace corolint::catalog

#endif // COROLINT_CHECKS_CATALOG_RUNTIMEPROFILES_H
