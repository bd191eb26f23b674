//===- Findings.h - from diagnostics to the findings a run reports --------===//
//
// The findings stage: the units' diagnostics become one sorted list without
// duplicates, each with a fingerprint; the baseline and the diff filter
// remove what is known or outside the change; the diagnostics behind what
// is left go to clang-tidy's printer and --fix; the result decides the exit
// code.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_FINDINGS_H
#define COROLINT_TOOL_CLI_FINDINGS_H

#include "tool/cli/ChangedLines.h"
#include "tool/cli/Options.h"
#include "tool/cli/Report.h"
#include "tool/cli/TuRunner.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"

#include <set>
#include <string>
#include <vector>

namespace corolint::cli {

/// Builds the findings of \p Results: compile errors are not findings (they
/// are counted per file), duplicates across TUs are dropped, the order is by
/// file, line, column and check. Paths under \p Root are made relative.
Report buildReport(const std::vector<TuResult> &Results, llvm::StringRef Root,
                   SourceCache &Sources);

/// Sorts and de-duplicates findings, the order every output uses.
void normalise(Report &R);

/// Drops the findings whose fingerprints are in \p Known (each entry hides
/// one finding).
void applyBaseline(Report &R, std::multiset<std::string> Known);

/// Keeps the findings on the changed lines of \p Changes; counts the others.
void keepChangedLines(Report &R, const ChangedLines &Changes,
                      llvm::StringRef RootDir);

/// The diagnostics behind the findings still in \p R, and every compile
/// error, once each (they move out of \p Results): what the text output
/// prints and --fix applies. A diagnostic without a place (an invalid check
/// option) is kept once when \p PrintsText, and printed as a warning here
/// otherwise.
std::vector<clang::tidy::ClangTidyError>
reportedDiagnostics(std::vector<TuResult> &Results, const Report &R,
                    llvm::StringRef RootDir, bool PrintsText);

/// The compile errors of all files of \p R.
unsigned compileErrors(const Report &R);

/// ExitClean, ExitFindings or ExitToolError, as --fail-on and
/// --compile-errors say.
int exitCodeFor(const Report &R, const Options &Opts);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_FINDINGS_H
