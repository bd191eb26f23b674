//===- Options.h - the corolint command line, parsed and validated --------===//
//
// The command line is read once, here: the cl::opt declarations live in
// Options.cpp, and every later stage reads the validated Options struct it is
// handed, never a global.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_OPTIONS_H
#define COROLINT_TOOL_CLI_OPTIONS_H

#include "tool/cli/CompileFlags.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/GlobPattern.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corolint::cli {

constexpr int ExitClean = 0;
constexpr int ExitFindings = 1;
constexpr int ExitToolError = 2;

/// Prints a one-line error (what went wrong and what to do) and returns
/// ExitToolError.
int toolError(const llvm::Twine &Message);

/// \p Path made absolute, without "." and ".." components.
std::string absolutePath(llvm::StringRef Path);

enum class OutputFormat { Text, Json, Sarif, Github };
enum class FailLevel { Warning, Error, Never };
enum class CompileErrorPolicy { Fail, Report };
enum class ProgressPolicy { Auto, Always, Never };

/// --shard=K/N.
struct ShardSpec {
  unsigned Index = 1, Count = 1;
};

/// One run's options. Those clang-tidy merges with its configuration files
/// are optional: set only when given on the command line.
struct Options {
  bool Merge = false; ///< `corolint merge REPORT.json...`
  std::vector<std::string> Sources;
  std::string BuildPath;

  // The configuration.
  std::optional<std::string> Checks;
  std::optional<std::string> WarningsAsErrors;
  std::optional<std::string> HeaderFilter;
  std::optional<bool> UseColor;
  std::optional<unsigned> MaxInputSizeOption; ///< --max-input-size, as given
  std::string Config;
  std::string ConfigFile;
  bool ListChecks = false;
  bool DumpConfig = false;

  // The fixes.
  bool Fix = false;
  bool FixNotes = false;
  bool FixErrors = false;
  std::string ExportFixes;

  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;

  // The work list.
  std::string ChangedSince;
  std::string DiffFile;
  std::optional<ShardSpec> Shard;
  std::vector<llvm::GlobPattern> Includes;
  std::vector<llvm::GlobPattern> Excludes;
  std::string Root;    ///< --root as given
  std::string RootDir; ///< its absolute path (the working directory by default)

  // The analysis.
  unsigned Jobs = 1;
  std::string CacheDir;
  bool CrossTu = true;
  std::string ExportSummaries;
  std::uint64_t MaxInputBytes = 0; ///< --max-input-size in bytes

  // The findings and their output.
  std::string Baseline;
  std::string WriteBaseline;
  bool Quiet = false;
  OutputFormat Format = OutputFormat::Text;
  std::string Output;
  FailLevel FailOn = FailLevel::Warning;
  CompileErrorPolicy CompileErrors = CompileErrorPolicy::Fail;
  ProgressPolicy Progress = ProgressPolicy::Auto;

  /// Whether the run changes files (--fix, --fix-errors, --fix-notes).
  bool anyFix() const { return Fix || FixErrors || FixNotes; }
  /// Whether the units collect call summaries for the link step.
  bool linksUnits() const { return CrossTu || !ExportSummaries.empty(); }
};

/// Parses and validates the command line into \p Out. The compile command
/// after `--` becomes \p Fixed (null without `--`), with the flags clang
/// does not know dropped and recorded in \p FlagChanges. On an error, prints
/// it and returns false (the run exits with ExitToolError).
bool parseCommandLine(int Argc, const char **Argv, Options &Out,
                      CompileFlags &FlagChanges,
                      std::unique_ptr<clang::tooling::CompilationDatabase> &Fixed);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_OPTIONS_H
