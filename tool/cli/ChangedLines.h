//===- ChangedLines.h - the lines a diff adds or changes ------------------===//
//
// Diff mode: from `git diff REV` or a unified diff on standard input, which
// files changed and which of their lines (new numbering) are added or
// modified. Findings elsewhere are not reported.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_CHANGEDLINES_H
#define COROLINT_TOOL_CLI_CHANGEDLINES_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace corolint::cli {

class ChangedLines {
public:
  /// Parses a unified diff (any context size); paths are taken from the
  /// "+++ " lines, without git's "b/" prefix, relative to \p Base.
  static ChangedLines parse(llvm::StringRef Diff, llvm::StringRef Base);

  /// Runs `git diff -U0 REV` in \p Directory; an error message on failure.
  static std::optional<ChangedLines> fromGit(llvm::StringRef Revision,
                                             llvm::StringRef Directory,
                                             std::string &Error);

  bool touches(llvm::StringRef AbsolutePath) const {
    return Ranges.count(AbsolutePath);
  }
  bool contains(llvm::StringRef AbsolutePath, unsigned Line) const;
  std::vector<std::string> files() const;

private:
  /// Inclusive line ranges per absolute path.
  llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> Ranges;
};

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_CHANGEDLINES_H
