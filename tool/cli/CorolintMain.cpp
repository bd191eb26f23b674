//===- CorolintMain.cpp - the corolint command line -----------------------===//
//
// corolint [options] FILES... [-- compiler args]
// corolint [options] -p BUILD_DIR [FILES...]
//
// corolint merge [options] REPORT.json...
//
// Runs the coro-* checks through the clang-tidy library on every translation
// unit (in parallel, skipping unchanged ones with --cache-dir), prints the
// findings as text, JSON, SARIF or GitHub annotations, and turns the result
// into an exit code a CI gate can trust: 0 clean, 1 findings, 2 the tool
// could not do its job. A run is a sequence of stages, each in its file:
// the options (Options.h), the configuration (CheckSelection.h), the work
// list (WorkList.h), the analysis and the link step (Analysis.h), the
// findings (Findings.h) and the output (output/).
//
//===----------------------------------------------------------------------===//

#include "tool/cli/Analysis.h"
#include "tool/cli/CheckSelection.h"
#include "tool/cli/CompileFlags.h"
#include "tool/cli/Findings.h"
#include "tool/cli/Options.h"
#include "tool/cli/Report.h"
#include "tool/cli/ResultCache.h"
#include "tool/cli/TidyCompat.h"
#include "tool/cli/WorkList.h"
#include "tool/cli/output/Formats.h"
#include "tool/cli/output/Output.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <iterator>

using namespace clang::tidy;
using namespace corolint::cli;

namespace corolint {
extern volatile int CoroModuleAnchorSource;
} // namespace corolint

namespace {

double secondsSince(std::chrono::steady_clock::time_point Start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
      .count();
}

/// `corolint merge`: one report from the JSON reports of several runs (the
/// shards of a CI matrix).
int runMerge(const Options &Opts) {
  if (Opts.Sources.empty())
    return toolError("merge needs the JSON reports to merge: corolint merge "
                     "shard1.json shard2.json --format=sarif --output all.sarif");
  Report Merged;
  for (const std::string &Path : Opts.Sources) {
    std::string Error;
    std::optional<Report> Part = readJson(Path, Opts.MaxInputBytes, Error);
    if (!Part)
      return toolError(Error);
    std::move(Part->Findings.begin(), Part->Findings.end(),
              std::back_inserter(Merged.Findings));
    std::move(Part->Files.begin(), Part->Files.end(),
              std::back_inserter(Merged.Files));
    Merged.Baselined += Part->Baselined;
    Merged.OutsideDiff += Part->OutsideDiff;
  }
  normalise(Merged);
  if (!writeReport(Merged, Opts))
    return ExitToolError;
  printSummary(Merged, 0, Opts);
  return exitCodeFor(Merged, Opts);
}

/// --list-checks and --dump-config: what the configuration says, for the
/// first file (or the working directory).
int describeConfiguration(const Options &Opts, ClangTidyOptions Effective,
                          const std::vector<std::string> &Enabled) {
  if (Opts.ListChecks) {
    if (Enabled.empty())
      return toolError("no checks are enabled; pass --checks=coro-* or fix "
                       "the 'Checks' of your configuration");
    llvm::outs() << "Enabled checks:";
    for (const std::string &Name : Enabled)
      llvm::outs() << "\n    " << Name;
    llvm::outs() << "\n\n";
    return ExitClean;
  }
  Effective.Checks = simplifyChecks(Effective.Checks.value_or(""));
  Effective.CheckOptions = corolint::compat::checkOptions(Effective);
  llvm::outs() << configurationAsText(
                      ClangTidyOptions::getDefaults().merge(Effective, 0))
               << "\n";
  return ExitClean;
}

/// The notes on what the run changed in the compile commands (unless
/// --quiet).
void noteCommandChanges(const CompileFlags &FlagChanges,
                        const std::vector<TuResult> &Results,
                        const Options &Opts) {
  if (Opts.Quiet)
    return;
  for (const std::string &Note :
       {FlagChanges.droppedNote(), FlagChanges.asioNote(Results)})
    if (!Note.empty())
      llvm::WithColor::note(llvm::errs(), "corolint") << Note << "\n";
}

/// The error that ends a run whose units did not all compile or run
/// (--compile-errors=fail).
int failedUnitsError(unsigned Failed, unsigned CompileErrors) {
  if (CompileErrors == 0)
    return toolError(llvm::Twine(Failed) + " file" + (Failed == 1 ? "" : "s") +
                     " could not be analysed (the reason above)");
  return toolError(llvm::Twine(Failed) + " file" + (Failed == 1 ? "" : "s") +
                   " failed to compile (" + llvm::Twine(CompileErrors) +
                   " error" + (CompileErrors == 1 ? "" : "s") +
                   " above); fix the build flags (-p or '--') or the code");
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM X(argc, argv);
  (void)corolint::CoroModuleAnchorSource;
  corolint::compat::anchorTidyModules();

  // The options.
  Options Opts;
  CompileFlags FlagChanges;
  std::unique_ptr<clang::tooling::CompilationDatabase> Fixed;
  if (!parseCommandLine(argc, argv, Opts, FlagChanges, Fixed))
    return ExitToolError;
  if (Opts.Merge)
    return runMerge(Opts);

  // The configuration. This provider answers for the first file (or the
  // working directory): what it leaves out is told only when the run ends
  // here. The units' providers tell what the units' own files left out.
  IgnoredChecks IgnoredForFirstFile, IgnoredByUnits;
  std::string ProviderError;
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      makeOptionsProvider(Opts, IgnoredForFirstFile, ProviderError);
  if (!Provider)
    return toolError(ProviderError);
  if (Opts.Checks)
    if (std::optional<std::string> Bad = unknownCheckGlob(*Opts.Checks))
      return toolError("--checks pattern '" + *Bad +
                       "' selects no check; run 'corolint --list-checks "
                       "--checks=*' to see every name");
  std::string FileForOptions = absolutePath(
      Opts.Sources.empty() ? std::string("dummy") : Opts.Sources.front());
  ClangTidyOptions EffectiveOptions = Provider->getOptions(FileForOptions);
  std::vector<std::string> Enabled = corolint::compat::enabledChecks(EffectiveOptions);
  if (Opts.ListChecks || Opts.DumpConfig || Enabled.empty())
    noteIgnoredChecks(Opts, IgnoredForFirstFile);
  if (Opts.ListChecks || Opts.DumpConfig)
    return describeConfiguration(Opts, EffectiveOptions, Enabled);
  if (Enabled.empty())
    return toolError("no checks are enabled; pass --checks=coro-* or fix the "
                     "'Checks' of your configuration");

  std::optional<ResultCache> Cache;
  if (!Opts.CacheDir.empty()) {
    Cache.emplace(Opts.CacheDir, Opts.MaxInputBytes);
    if (std::optional<std::string> Error = Cache->prepare())
      return toolError(*Error);
  }

  // The work list.
  std::optional<WorkList> Work = makeWorkList(Opts, std::move(Fixed), FlagChanges);
  if (!Work)
    return ExitToolError;

  // The analysis.
  auto Start = std::chrono::steady_clock::now();
  std::vector<TuResult> Results =
      analyse(Opts, *Work, Cache ? &*Cache : nullptr, IgnoredByUnits);
  double Seconds = secondsSince(Start);
  noteIgnoredChecks(Opts, IgnoredByUnits);
  // Before the diagnostics move to the printer below.
  std::string AsioHint = FlagChanges.asioHint(Results);
  noteCommandChanges(FlagChanges, Results, Opts);
  SourceCache SourceText;
  double LinkSeconds = 0;
  if (Opts.linksUnits()) {
    auto LinkStart = std::chrono::steady_clock::now();
    ClangTidyOptions Options = Provider->getOptions(
        Work->Files.empty() ? FileForOptions : Work->Files.front());
    if (std::optional<std::string> Error =
            linkAcrossUnits(Results, Options, SourceText, Opts))
      return toolError(*Error);
    LinkSeconds = secondsSince(LinkStart);
  }

  // The findings.
  Report R = buildReport(Results, Opts.RootDir, SourceText);
  R.Seconds = Seconds;
  R.LinkSeconds = LinkSeconds;
  if (!Opts.WriteBaseline.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Opts.WriteBaseline, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return toolError("cannot write --write-baseline '" + Opts.WriteBaseline +
                       "': " + EC.message());
    writeBaseline(R, OS);
  }
  if (!Opts.Baseline.empty()) {
    std::string Error;
    auto Known = readBaseline(Opts.Baseline, Opts.MaxInputBytes, Error);
    if (!Known)
      return toolError(Error);
    applyBaseline(R, std::move(*Known));
  }
  if (Work->Changes)
    keepChangedLines(R, *Work->Changes, Opts.RootDir);
  std::vector<ClangTidyError> Errors = reportedDiagnostics(
      Results, R, Opts.RootDir, Opts.Format == OutputFormat::Text);

  // The output.
  unsigned CompileErrors = compileErrors(R);
  std::optional<unsigned> WarningsAsErrors =
      printDiagnostics(Errors, std::move(Provider), CompileErrors, Opts);
  if (!WarningsAsErrors)
    return ExitToolError;
  if (Opts.Format != OutputFormat::Text && !writeReport(R, Opts))
    return ExitToolError;
  if (!Opts.ExportFixes.empty() && !Errors.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Opts.ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC)
      return toolError("cannot write --export-fixes file '" + Opts.ExportFixes +
                       "': " + EC.message());
    exportReplacements(Work->Files.front(), Errors, OS);
  }
  printSuppressed(Results, Opts);
  if (*WarningsAsErrors)
    llvm::errs() << *WarningsAsErrors << " warning"
                 << (*WarningsAsErrors == 1 ? "" : "s") << " treated as error"
                 << (*WarningsAsErrors == 1 ? "" : "s") << "\n";
  for (const TuResult &TU : Results)
    if (!TU.ToolFailure.empty())
      llvm::WithColor::error(llvm::errs(), "corolint")
          << TU.File << ": " << TU.ToolFailure << "\n";
  // Not --quiet's to drop: it says how to fix the failure.
  if (!AsioHint.empty())
    llvm::WithColor::note(llvm::errs(), "corolint") << AsioHint << "\n";
  printSummary(R, Seconds, Opts);

  if (unsigned Failed = R.failedFiles();
      Failed && Opts.CompileErrors == CompileErrorPolicy::Fail)
    return failedUnitsError(Failed, CompileErrors);
  return exitCodeFor(R, Opts);
}
