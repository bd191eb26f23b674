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
#include <optional>
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

struct Options;

/// The configuration of every unit of a run, in one place. The defaults run
/// the coro-* checks; --checks, --config and --config-file are the user's
/// explicit choice and may enable any check; discovered .clang-tidy files
/// contribute their options and their coro-* selections only. Null, with
/// \p Error set, when the configuration cannot be read.
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(const Options &Opts, IgnoredChecks &Ignored,
                    std::string &Error);

/// The first positive glob of \p ChecksValue that selects no known check:
/// a typo would otherwise turn the gate off without a word.
std::optional<std::string> unknownCheckGlob(llvm::StringRef ChecksValue);

/// \p Value without the globs before its last "-*", which disables
/// everything before it: defaults and configuration concatenate, and a
/// dumped configuration must read back to the same text.
std::string simplifyChecks(llvm::StringRef Value);

/// The value of check option \p Name in \p Options, or \p Default.
std::string checkOption(const clang::tidy::ClangTidyOptions &Options,
                        llvm::StringRef Name, llvm::StringRef Default);

/// Says on stderr which checks of discovered .clang-tidy files were left
/// out (unless --quiet), so that none is dropped without a word.
void noteIgnoredChecks(const Options &Opts, const IgnoredChecks &Ignored);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_CHECKSELECTION_H
