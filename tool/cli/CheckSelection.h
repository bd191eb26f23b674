//===- CheckSelection.h - which checks a corolint run runs ----------------===//
//
// corolint runs the coro-* checks, and other clang-tidy checks only when the
// command line names them (--checks, --config, --config-file). The
// .clang-tidy files of a project were written for clang-tidy: corolint keeps
// their options and what they say about the coro-* checks, and leaves out
// the other checks they enable, which would slow the gate down and fail it
// on findings it is not about. One line on stderr says so.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_CHECKSELECTION_H
#define COROLINT_TOOL_CLI_CHECKSELECTION_H

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace corolint::cli {

/// The checks of a run without configuration: every coro-* check.
inline constexpr llvm::StringLiteral DefaultChecks = "-*,coro-*";

/// What a run keeps of the Checks of a discovered .clang-tidy file.
struct DiscoveredChecks {
  /// The globs about coro-* checks, in their order (may be empty).
  std::string Kept;
  /// The left-out globs that enable other checks, as written.
  std::vector<std::string> Ignored;
};

/// The globs of \p Checks that start with "coro-" or "-coro-". A "-*" counts
/// for the coro-* checks only when a coro-* check is enabled after it in the
/// same list ("-*,coro-blocking-call" runs that check alone); otherwise it
/// is clang-tidy's reset of its own checks. Every other glob is dropped.
DiscoveredChecks coroChecksOf(llvm::StringRef Checks);

/// The discovered files whose other checks were left out, for one note per
/// run. Thread-safe: each worker's options provider records into it.
class IgnoredChecks {
public:
  void record(llvm::StringRef ConfigFile,
              const std::vector<std::string> &Globs);

  /// One line naming the files and globs (paths relative to \p Root), or ""
  /// when nothing was left out.
  std::string note(llvm::StringRef Root) const;

private:
  mutable std::mutex Mutex;
  std::set<std::string> Files;
  std::vector<std::string> Globs; ///< in the order first seen, once each
};

/// clang-tidy's discovery of .clang-tidy files, each file's Checks reduced
/// by coroChecksOf; what was left out is recorded in \p Ignored. The
/// defaults and the command line's options are used as given.
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeDiscoveringProvider(clang::tidy::ClangTidyGlobalOptions GlobalOptions,
                        clang::tidy::ClangTidyOptions DefaultOptions,
                        clang::tidy::ClangTidyOptions OverrideOptions,
                        IgnoredChecks &Ignored);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_CHECKSELECTION_H
