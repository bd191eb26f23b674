//===- Output.h - what a run prints ---------------------------------------===//
//
// The report in the format of --format (to --output or standard output),
// the fixes, and the lines on standard error that end a run.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_OUTPUT_OUTPUT_H
#define COROLINT_TOOL_CLI_OUTPUT_OUTPUT_H

#include "tool/cli/Options.h"
#include "tool/cli/Report.h"
#include "tool/cli/TuRunner.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"

#include <memory>
#include <optional>
#include <vector>

namespace corolint::cli {

/// Writes \p R in --format to --output or standard output; false after
/// printing the error. A live run's text output is printDiagnostics'.
bool writeReport(const Report &R, const Options &Opts);

/// Hands \p Errors to clang-tidy's printer, which applies the fixes as
/// --fix and its variants say (\p CompileErrors: the run's compile errors,
/// which hold the fixes back without --fix-errors). With --format=text it
/// prints them, to --output when given; otherwise it only applies the
/// fixes, and the report is written by writeReport. The count of warnings
/// made errors, or nullopt after printing an error.
std::optional<unsigned>
printDiagnostics(std::vector<clang::tidy::ClangTidyError> &Errors,
                 std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Provider,
                 unsigned CompileErrors, const Options &Opts);

/// "Suppressed N warnings (...)", as clang-tidy says it (unless --quiet).
void printSuppressed(const std::vector<TuResult> &Results, const Options &Opts);

/// "corolint: N findings (per check) in M files; ...; T s" (unless --quiet).
void printSummary(const Report &R, double Seconds, const Options &Opts);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_OUTPUT_OUTPUT_H
