//===- Analysis.h - the checks run on every unit, and the link step -------===//
//
// The units of the work list are analysed on --j threads (each with its own
// clang-tidy context and file system), through the cache when there is one;
// then the call summaries of all units are linked and the cross-file
// findings added to the units that define the coroutines.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_ANALYSIS_H
#define COROLINT_TOOL_CLI_ANALYSIS_H

#include "tool/cli/CheckSelection.h"
#include "tool/cli/Options.h"
#include "tool/cli/Report.h"
#include "tool/cli/ResultCache.h"
#include "tool/cli/TuRunner.h"
#include "tool/cli/WorkList.h"

#include <optional>
#include <string>
#include <vector>

namespace corolint::cli {

/// The results of the units of \p Work, in its order; a progress line on
/// stderr as --progress says. What discovered configuration files left out
/// is recorded in \p Ignored.
std::vector<TuResult> analyse(const Options &Opts, const WorkList &Work,
                              ResultCache *Cache, IgnoredChecks &Ignored);

/// Links the units' call summaries (they move out of \p Results), adds the
/// cross-file findings to the unit of each coroutine (with --cross-tu), and
/// writes --export-summaries. \p TidyOptions is the run's configuration.
/// An error message when the summaries cannot be written.
std::optional<std::string>
linkAcrossUnits(std::vector<TuResult> &Results,
                const clang::tidy::ClangTidyOptions &TidyOptions,
                SourceCache &Sources, const Options &Opts);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_ANALYSIS_H
