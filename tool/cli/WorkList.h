//===- WorkList.h - the translation units a run analyses ------------------===//
//
// The compile database (the command after `--`, -p, or one found next to
// the sources), the files in a stable order, and the filters applied in
// turn: --include/--exclude, the diff, the shard.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_WORKLIST_H
#define COROLINT_TOOL_CLI_WORKLIST_H

#include "tool/cli/ChangedLines.h"
#include "tool/cli/CompileFlags.h"
#include "tool/cli/Options.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corolint::cli {

struct WorkList {
  /// Absolute paths, sorted, after every filter.
  std::vector<std::string> Files;
  /// Their commands, with --extra-arg(-before) and the changes of
  /// CompileFlags applied (null only when Files is empty).
  std::unique_ptr<clang::tooling::CompilationDatabase> Compilations;
  /// The changed files and lines in diff mode.
  std::optional<ChangedLines> Changes;
};

/// The work list of \p Opts; \p Fixed is the command after `--` (or null).
/// The commands are adjusted through \p FlagChanges, which records what it
/// changed. On an error, prints it and returns nullopt.
std::optional<WorkList>
makeWorkList(const Options &Opts,
             std::unique_ptr<clang::tooling::CompilationDatabase> Fixed,
             CompileFlags &FlagChanges);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_WORKLIST_H
