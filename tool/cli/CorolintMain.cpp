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
// could not do its job.
//
//===----------------------------------------------------------------------===//

#include "checks/analysis/InputFiles.h"
#include "tool/cli/ChangedLines.h"
#include "tool/cli/CheckSelection.h"
#include "tool/cli/CompileFlags.h"
#include "tool/cli/Report.h"
#include "tool/cli/ResultCache.h"
#include "tool/cli/SummaryLink.h"
#include "tool/cli/TidyCompat.h"
#include "tool/cli/TuRunner.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"
#include "clang/Basic/Version.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include <fcntl.h>
#include <unistd.h>

#ifndef COROLINT_VERSION
#define COROLINT_VERSION "unknown"
#endif

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

namespace corolint {
extern volatile int CoroModuleAnchorSource;
} // namespace corolint

namespace {

constexpr int ExitClean = 0;
constexpr int ExitFindings = 1;
constexpr int ExitToolError = 2;

cl::OptionCategory Category("corolint options");

cl::list<std::string> Sources(cl::Positional, cl::desc("[<file> ...]"),
                              cl::cat(Category));
cl::opt<std::string> BuildPath(
    "p", cl::desc("Build directory holding compile_commands.json; without "
                  "files, every translation unit in it is analysed"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> Checks(
    "checks",
    cl::desc("Comma-separated globs of checks to run, appended to the "
             "configured ones (default: '-*,coro-*'; .clang-tidy files "
             "select coro-* checks only)"),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> Config(
    "config", cl::desc("Configuration in YAML, as in a .clang-tidy file; "
                       "replaces .clang-tidy discovery, and its Checks may "
                       "enable any check"),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> ConfigFile(
    "config-file",
    cl::desc("Read the configuration from this file instead of discovering "
             ".clang-tidy files"),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regular expression of headers whose findings are shown"),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Checks whose findings are reported as errors (globs)"),
    cl::init(""), cl::cat(Category));
cl::opt<bool> Fix("fix", cl::desc("Apply the suggested fixes in place"),
                  cl::cat(Category));
cl::opt<bool> FixNotes(
    "fix-notes",
    cl::desc("Also apply the fixes offered on notes (those that may change "
             "behaviour; see the check's documentation)"),
    cl::cat(Category));
cl::opt<bool> FixErrors(
    "fix-errors",
    cl::desc("Apply fixes even if the files have compile errors"),
    cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the fixes as YAML for clang-apply-replacements"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the enabled checks and exit"),
                         cl::cat(Category));
cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the effective configuration, with every check option, "
             "and exit"),
    cl::cat(Category));
cl::list<std::string> ExtraArgs(
    "extra-arg", cl::desc("Extra compiler argument to append"),
    cl::cat(Category));
cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before", cl::desc("Extra compiler argument to prepend"),
    cl::cat(Category));
cl::opt<bool> Quiet("quiet",
                    cl::desc("Do not print statistics about suppressed "
                             "findings"),
                    cl::cat(Category));
cl::opt<bool> UseColor("use-color",
                       cl::desc("Colour the output (default: on a terminal)"),
                       cl::cat(Category));

enum class OutputFormat { Text, Json, Sarif, Github };
cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format:"), cl::init(OutputFormat::Text),
    cl::values(
        clEnumValN(OutputFormat::Text, "text",
                   "clang-tidy's text with source lines (default)"),
        clEnumValN(OutputFormat::Json, "json",
                   "JSON (schema in docs/integration.md)"),
        clEnumValN(OutputFormat::Sarif, "sarif",
                   "SARIF 2.1.0, for GitHub code scanning"),
        clEnumValN(OutputFormat::Github, "github",
                   "GitHub Actions workflow annotations")),
    cl::cat(Category));
cl::opt<std::string> Output("output",
                            cl::desc("Write the report to this file instead "
                                     "of standard output"),
                            cl::value_desc("file"), cl::cat(Category));
cl::alias OutputShort("o", cl::desc("Alias for --output"),
                      cl::aliasopt(Output), cl::cat(Category));
enum class FailLevel { Warning, Error, Never };
cl::opt<FailLevel> FailOn(
    "fail-on", cl::desc("Lowest finding level that makes the exit code 1:"),
    cl::init(FailLevel::Warning),
    cl::values(clEnumValN(FailLevel::Warning, "warning",
                          "any finding (default)"),
               clEnumValN(FailLevel::Error, "error",
                          "findings reported as errors (--warnings-as-errors)"),
               clEnumValN(FailLevel::Never, "never",
                          "exit 0 whatever is found (tool errors still 2)")),
    cl::cat(Category));
enum class CompileErrorPolicy { Fail, Report };
cl::opt<CompileErrorPolicy> CompileErrorsMode(
    "compile-errors",
    cl::desc("What a translation unit that does not compile does to the exit "
             "code:"),
    cl::init(CompileErrorPolicy::Fail),
    cl::values(clEnumValN(CompileErrorPolicy::Fail, "fail",
                          "exit 2 after analysing the rest (default)"),
               clEnumValN(CompileErrorPolicy::Report, "report",
                          "print and count it; the findings decide the exit "
                          "code")),
    cl::cat(Category));
cl::opt<std::string> Baseline(
    "baseline",
    cl::desc("Do not report findings recorded in this baseline file"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaseline(
    "write-baseline",
    cl::desc("Record the current findings as the baseline in this file"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ChangedSince(
    "changed-since",
    cl::desc("Analyse the translation units changed since this git revision "
             "and report findings on changed lines only"),
    cl::value_desc("rev"), cl::cat(Category));
cl::opt<std::string> DiffFile(
    "diff",
    cl::desc("As --changed-since, with a unified diff read from this file "
             "('-' for standard input)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Translation units analysed in parallel "
                                "(default: the number of cores)"),
                       cl::init(std::max(1u, std::thread::hardware_concurrency())),
                       cl::Prefix,
                       cl::cat(Category));
cl::opt<std::string> ShardText(
    "shard",
    cl::desc("Analyse only part K of N of the translation units (sorted by "
             "path, dealt round-robin); merge the reports with 'corolint merge'"),
    cl::value_desc("K/N"), cl::cat(Category));
cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Reuse the results of translation units whose files, compile "
             "command and configuration did not change"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<unsigned> MaxInputSize(
    "max-input-size",
    cl::desc("The largest file corolint reads besides the sources, in MiB: "
             "cache entries, baselines, summary files, merge inputs "
             "(default 256; also sets the checks' option MaxInputSize)"),
    cl::value_desc("MiB"), cl::init(256), cl::cat(Category));
cl::list<std::string> IncludeGlobs(
    "include",
    cl::desc("Analyse only translation units whose path matches this glob "
             "(repeatable; relative to --root or absolute)"),
    cl::value_desc("glob"), cl::cat(Category));
cl::list<std::string> ExcludeGlobs(
    "exclude",
    cl::desc("Skip translation units whose path matches this glob "
             "(repeatable)"),
    cl::value_desc("glob"), cl::cat(Category));
cl::opt<std::string> Root(
    "root",
    cl::desc("Directory that report paths, baselines and --include are "
             "relative to (default: the current directory)"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> CrossTu(
    "cross-tu",
    cl::desc("Link the call summaries of all translation units and report "
             "coroutines that block through functions in other files "
             "(default: on; --cross-tu=false to turn off)"),
    cl::init(true), cl::cat(Category));
cl::opt<std::string> ExportSummaries(
    "export-summaries",
    cl::desc("Write the linked call summaries as JSON, for the checks' "
             "SummaryFile option (editor and plugin)"),
    cl::value_desc("file"), cl::cat(Category));
enum class ProgressPolicy { Auto, Always, Never };
cl::opt<ProgressPolicy> ProgressMode(
    "progress", cl::desc("Progress line on standard error:"),
    cl::init(ProgressPolicy::Auto),
    cl::values(clEnumValN(ProgressPolicy::Auto, "auto",
                          "on a terminal, for more than one file (default)"),
               clEnumValN(ProgressPolicy::Always, "always", "always"),
               clEnumValN(ProgressPolicy::Never, "never", "never")),
    cl::cat(Category));

/// A one-line error: what went wrong and what to do.
int toolError(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "corolint") << Message << "\n";
  return ExitToolError;
}

void printVersion(llvm::raw_ostream &OS) {
  OS << "corolint " << COROLINT_VERSION << " (built with LLVM "
     << LLVM_VERSION_STRING << ", running on " << getClangFullVersion()
     << ")\n";
}

std::string absolutePath(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  if (llvm::sys::fs::make_absolute(Abs))
    return Path.str(); // no working directory: keep the path as given
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

/// Every positive glob of --checks must select at least one check: a typo
/// would otherwise turn the gate off without a word.
std::optional<std::string> unknownCheckGlob(llvm::StringRef ChecksValue) {
  std::vector<std::string> Known = corolint::compat::allChecks();
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  ChecksValue.split(Globs, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Glob : Globs) {
    Glob = Glob.trim();
    if (Glob.empty() || Glob.starts_with("-"))
      continue;
    if (Glob.starts_with("clang-diagnostic-") ||
        Glob.starts_with("clang-analyzer-"))
      continue;
    GlobList Single(Glob);
    bool Matches = llvm::any_of(
        Known, [&](const std::string &Name) { return Single.contains(Name); });
    if (!Matches)
      return Glob.str();
  }
  return std::nullopt;
}

/// The other checks that discovered .clang-tidy files enabled, for one note.
corolint::cli::IgnoredChecks IgnoredByDiscovery;

/// --max-input-size in bytes.
std::uint64_t inputSizeLimit() { return std::uint64_t(MaxInputSize) << 20; }

/// The configuration of every unit, in one place. The defaults run the
/// coro-* checks; --checks, --config and --config-file are the user's
/// explicit choice and may enable any check; discovered .clang-tidy files
/// contribute their options and their coro-* selections only (see
/// CheckSelection.h).
std::unique_ptr<ClangTidyOptionsProvider> makeOptionsProvider(
    std::string &Error,
    corolint::cli::IgnoredChecks &Ignored = IgnoredByDiscovery) {
  ClangTidyGlobalOptions GlobalOptions;

  ClangTidyOptions DefaultOptions;
  DefaultOptions.Checks = corolint::cli::DefaultChecks.str();
  DefaultOptions.WarningsAsErrors = "";
  DefaultOptions.HeaderFilterRegex = "";
  DefaultOptions.SystemHeaders = false;
  DefaultOptions.FormatStyle = "none";
  DefaultOptions.User = llvm::sys::Process::GetEnv("USER");

  ClangTidyOptions OverrideOptions;
  if (Checks.getNumOccurrences() > 0)
    OverrideOptions.Checks = Checks;
  if (WarningsAsErrors.getNumOccurrences() > 0)
    OverrideOptions.WarningsAsErrors = WarningsAsErrors;
  if (HeaderFilter.getNumOccurrences() > 0)
    OverrideOptions.HeaderFilterRegex = HeaderFilter;
  if (UseColor.getNumOccurrences() > 0)
    OverrideOptions.UseColor = UseColor;
  if (MaxInputSize.getNumOccurrences() > 0)
    for (const char *Key : {"MaxInputSize", "coro-blocking-call.MaxInputSize"})
      OverrideOptions.CheckOptions[Key] =
          ClangTidyOptions::ClangTidyValue(std::to_string(MaxInputSize));

  auto FromText = [&](llvm::StringRef Text, llvm::StringRef Origin)
      -> std::unique_ptr<ClangTidyOptionsProvider> {
    llvm::ErrorOr<ClangTidyOptions> Parsed =
        parseConfiguration(llvm::MemoryBufferRef(Text, Origin));
    if (!Parsed) {
      Error = ("invalid configuration in " + Origin + ": " +
               Parsed.getError().message() +
               "; fix the YAML (see 'corolint --dump-config' for the shape)")
                  .str();
      return nullptr;
    }
    return std::make_unique<ConfigOptionsProvider>(
        std::move(GlobalOptions), std::move(DefaultOptions),
        std::move(*Parsed), std::move(OverrideOptions));
  };

  if (!Config.empty())
    return FromText(Config, "--config");
  if (!ConfigFile.empty()) {
    std::unique_ptr<llvm::MemoryBuffer> Buffer = corolint::analysis::readInputFile(
        ConfigFile, inputSizeLimit(), Error);
    if (!Buffer) {
      Error = "--config-file '" + ConfigFile + "': " + Error;
      return nullptr;
    }
    std::string Text = Buffer->getBuffer().str();
    return FromText(Text, ConfigFile);
  }
  return corolint::cli::makeDiscoveringProvider(
      std::move(GlobalOptions), std::move(DefaultOptions),
      std::move(OverrideOptions), Ignored);
}

/// Says which checks of discovered .clang-tidy files were left out, so that
/// none is dropped without a word.
void noteIgnoredChecks(const corolint::cli::IgnoredChecks &Ignored,
                       llvm::StringRef RootDir) {
  std::string Note = Ignored.note(RootDir);
  if (!Quiet && !Note.empty())
    llvm::WithColor::note(llvm::errs(), "corolint") << Note << "\n";
}

/// Drops the globs before the last "-*", which disables everything before
/// it: defaults and configuration concatenate, and a dumped configuration
/// must read back to the same text.
std::string simplifyChecks(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  Value.split(Globs, ',', -1, /*KeepEmpty=*/false);
  size_t Start = 0;
  for (size_t I = 0; I < Globs.size(); ++I) {
    Globs[I] = Globs[I].trim();
    if (Globs[I] == "-*")
      Start = I;
  }
  std::string Out;
  for (size_t I = Start; I < Globs.size(); ++I) {
    if (Globs[I].empty())
      continue;
    if (!Out.empty())
      Out += ',';
    Out += Globs[I].str();
  }
  return Out;
}

void printSuppressed(const ClangTidyStats &Stats) {
  if (Quiet || !Stats.errorsIgnored())
    return;
  llvm::raw_ostream &OS = llvm::errs();
  OS << "Suppressed " << Stats.errorsIgnored() << " warnings (";
  llvm::StringRef Separator;
  if (Stats.ErrorsIgnoredNonUserCode) {
    OS << Stats.ErrorsIgnoredNonUserCode << " in non-user code";
    Separator = ", ";
  }
  if (Stats.ErrorsIgnoredLineFilter) {
    OS << Separator << Stats.ErrorsIgnoredLineFilter
       << " due to line filter";
    Separator = ", ";
  }
  if (Stats.ErrorsIgnoredNOLINT) {
    OS << Separator << Stats.ErrorsIgnoredNOLINT << " NOLINT";
    Separator = ", ";
  }
  if (Stats.ErrorsIgnoredCheckFilter)
    OS << Separator << Stats.ErrorsIgnoredCheckFilter
       << " with check filters";
  OS << ").\n";
  if (Stats.ErrorsIgnoredNonUserCode)
    OS << "Use --header-filter=.* to display findings from all non-system "
          "headers.\n";
}

/// A report path (relative to --root when inside it) made absolute again.
std::string underRoot(llvm::StringRef RootDir, llvm::StringRef Path) {
  if (llvm::sys::path::is_absolute(Path))
    return Path.str();
  llvm::SmallString<256> Out(RootDir);
  llvm::sys::path::append(Out, Path);
  return std::string(Out);
}

/// The work list: files in a stable order, after the path filters, the diff
/// and the shard are applied.
struct ShardSpec {
  unsigned Index = 1, Count = 1;
};

std::optional<ShardSpec> parseShard(llvm::StringRef Text) {
  auto [K, N] = Text.split('/');
  ShardSpec S;
  if (K.getAsInteger(10, S.Index) || N.getAsInteger(10, S.Count) ||
      S.Count == 0 || S.Index == 0 || S.Index > S.Count)
    return std::nullopt;
  return S;
}

bool matchesAny(const std::vector<llvm::GlobPattern> &Patterns,
                llvm::StringRef Absolute, llvm::StringRef Relative) {
  return llvm::any_of(Patterns, [&](const llvm::GlobPattern &P) {
    return P.match(Relative) || P.match(Absolute);
  });
}

/// Text output on a terminal: "[done/total] rate, ETA, file" on one line.
class Progress {
public:
  Progress(size_t Total, bool Enabled) : Total(Total), Enabled(Enabled) {
    Start = std::chrono::steady_clock::now();
  }
  void update(size_t Done, llvm::StringRef Last) {
    if (!Enabled)
      return;
    double Elapsed = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - Start)
                         .count();
    double Rate = Elapsed > 0 ? Done / Elapsed : 0;
    llvm::errs() << "\r\x1b[K[" << Done << "/" << Total << "] ";
    if (Done && Rate > 0)
      llvm::errs() << llvm::format("%.1f files/s, ETA %.0f s", Rate,
                                   (Total - Done) / Rate);
    llvm::errs() << "  " << llvm::sys::path::filename(Last);
    llvm::errs().flush();
  }
  void finish() {
    if (Enabled)
      llvm::errs() << "\r\x1b[K";
  }

private:
  size_t Total;
  bool Enabled;
  std::chrono::steady_clock::time_point Start;
};

std::string compileCommandText(const tooling::CompilationDatabase &DB,
                               llvm::StringRef File) {
  std::string Text;
  for (const tooling::CompileCommand &C : DB.getCompileCommands(File)) {
    Text += C.Directory;
    for (const std::string &Arg : C.CommandLine)
      Text += '\0' + Arg;
    Text += '\n';
  }
  return Text;
}

/// Analyses \p Files on \p Jobs threads; each thread has its own tidy
/// context and file system. Results are in the order of \p Files.
std::vector<corolint::cli::TuResult>
analyse(const std::vector<std::string> &Files,
        const tooling::CompilationDatabase &Compilations, unsigned Jobs,
        bool ApplyAnyFix, bool CollectSummaries,
        corolint::cli::ResultCache *Cache, Progress &Bar) {
  std::vector<corolint::cli::TuResult> Results(Files.size());
  std::atomic<size_t> Next{0};
  std::mutex Mutex;
  std::condition_variable Changed;
  size_t Done = 0;
  std::string LastFile;

  auto Worker = [&] {
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
        new llvm::vfs::OverlayFileSystem(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>(
            llvm::vfs::createPhysicalFileSystem().release())));
    for (size_t I = Next++; I < Files.size(); I = Next++) {
      const std::string &File = Files[I];
      // A context per translation unit: a context maps diagnostic IDs to
      // check names, and the IDs of one run mean other checks in the next.
      std::string Error;
      std::unique_ptr<ClangTidyContext> Context =
          corolint::compat::makeContext(makeOptionsProvider(Error));
      std::string Key;
      std::optional<corolint::cli::TuResult> Result;
      if (Cache) {
        Context->setCurrentFile(File);
        Key = corolint::cli::ResultCache::key(
            File, compileCommandText(Compilations, File),
            configurationAsText(Context->getOptionsForFile(File)),
            std::string(FixNotes ? "fix-notes;" : "") +
                (CollectSummaries ? "summaries;" : ""));
        Result = Cache->lookup(Key);
      }
      if (!Result) {
        Result = corolint::cli::runTranslationUnit(
            *Context, Compilations, File, FS, ApplyAnyFix, CollectSummaries);
        if (Cache)
          Cache->store(Key, *Result);
      }
      std::lock_guard<std::mutex> Lock(Mutex);
      Results[I] = std::move(*Result);
      ++Done;
      LastFile = File;
      Changed.notify_one();
    }
  };

  std::vector<std::thread> Threads;
  unsigned Count = std::max(1u, std::min<unsigned>(Jobs, Files.size()));
  for (unsigned I = 0; I < Count; ++I)
    Threads.emplace_back(Worker);
  {
    std::unique_lock<std::mutex> Lock(Mutex);
    size_t Shown = 0;
    while (Done < Files.size()) {
      Changed.wait(Lock, [&] { return Done != Shown; });
      Shown = Done;
      Bar.update(Done, LastFile);
    }
  }
  for (std::thread &T : Threads)
    T.join();
  Bar.finish();
  return Results;
}

/// Writes \p Report in \p Format to --output or standard output; text
/// output of a live run goes through clang-tidy's printer instead.
bool writeReport(const corolint::cli::Report &R, llvm::StringRef Root) {
  std::error_code EC;
  std::unique_ptr<llvm::raw_fd_ostream> File;
  if (!Output.empty()) {
    File = std::make_unique<llvm::raw_fd_ostream>(Output, EC, llvm::sys::fs::OF_Text);
    if (EC) {
      toolError("cannot write --output '" + Output + "': " + EC.message());
      return false;
    }
  }
  llvm::raw_ostream &OS = File ? *File : llvm::outs();
  switch (Format) {
  case OutputFormat::Json:
    corolint::cli::writeJson(R, OS);
    break;
  case OutputFormat::Sarif:
    corolint::cli::writeSarif(R, Root, OS);
    break;
  case OutputFormat::Github:
    corolint::cli::writeGithub(R, OS);
    break;
  case OutputFormat::Text:
    corolint::cli::writePlainText(R, OS);
    break;
  }
  return true;
}

void printSummary(const corolint::cli::Report &R, double Seconds) {
  if (Quiet)
    return;
  llvm::raw_ostream &OS = llvm::errs();
  OS << "corolint: " << R.Findings.size() << " finding"
     << (R.Findings.size() == 1 ? "" : "s");
  auto PerCheck = R.findingsPerCheck();
  if (!PerCheck.empty()) {
    OS << " (";
    llvm::StringRef Separator;
    for (const auto &[Check, Count] : PerCheck) {
      OS << Separator << Check << ": " << Count;
      Separator = ", ";
    }
    OS << ")";
  }
  OS << " in " << R.Files.size() << " file" << (R.Files.size() == 1 ? "" : "s");
  if (unsigned Cached = R.cachedFiles())
    OS << " (" << Cached << " from the cache)";
  unsigned Failed = R.failedFiles();
  unsigned NotCompiled = static_cast<unsigned>(llvm::count_if(
      R.Files, [](const corolint::cli::FileRecord &F) { return F.CompileErrors > 0; }));
  if (NotCompiled)
    OS << "; " << NotCompiled << " failed to compile";
  if (Failed > NotCompiled)
    OS << "; " << Failed - NotCompiled << " could not be analysed";
  if (R.Baselined)
    OS << "; " << R.Baselined << " known from the baseline";
  if (R.OutsideDiff)
    OS << "; " << R.OutsideDiff << " outside the changed lines";
  OS << llvm::format("; %.1f s", Seconds);
  if (R.LinkSeconds > 0)
    OS << llvm::format(" (cross-file link %.1f ms)", R.LinkSeconds * 1000);
  OS << "\n";
}

int exitCodeFor(const corolint::cli::Report &R) {
  if (R.failedFiles() && CompileErrorsMode == CompileErrorPolicy::Fail)
    return ExitToolError;
  switch (FailOn) {
  case FailLevel::Never:
    return ExitClean;
  case FailLevel::Error:
    return llvm::any_of(R.Findings,
                        [](const corolint::cli::Finding &F) {
                          return F.Level == "error";
                        })
               ? ExitFindings
               : ExitClean;
  case FailLevel::Warning:
    break;
  }
  return R.Findings.empty() ? ExitClean : ExitFindings;
}

/// `corolint merge`: one report from the JSON reports of several runs (the
/// shards of a CI matrix).
int runMerge() {
  if (Sources.empty())
    return toolError("merge needs the JSON reports to merge: corolint merge "
                     "shard1.json shard2.json --format=sarif --output all.sarif");
  corolint::cli::Report Merged;
  for (const std::string &Path : Sources) {
    std::string Error;
    std::optional<corolint::cli::Report> Part = corolint::cli::readJson(Path, inputSizeLimit(), Error);
    if (!Part)
      return toolError(Error);
    std::move(Part->Findings.begin(), Part->Findings.end(),
              std::back_inserter(Merged.Findings));
    std::move(Part->Files.begin(), Part->Files.end(),
              std::back_inserter(Merged.Files));
    Merged.Baselined += Part->Baselined;
    Merged.OutsideDiff += Part->OutsideDiff;
  }
  corolint::cli::normalise(Merged);
  if (!writeReport(Merged, absolutePath(Root.empty() ? std::string(".") : std::string(Root))))
    return ExitToolError;
  printSummary(Merged, 0);
  return exitCodeFor(Merged);
}

/// The value of a check option for the run, or \p Default.
std::string checkOption(const ClangTidyOptions &Options, llvm::StringRef Name,
                        llvm::StringRef Default) {
  auto It = Options.CheckOptions.find(Name);
  return It == Options.CheckOptions.end() ? Default.str() : It->second.Value;
}

/// Links the units' call summaries, adds the cross-file findings to the
/// unit of each coroutine, and writes --export-summaries.
std::optional<std::string>
linkAcrossUnits(std::vector<corolint::cli::TuResult> &Results,
                const ClangTidyOptions &Options,
                corolint::cli::SourceCache &Sources) {
  // The summaries move to the link; each unit's findings are added below.
  std::vector<corolint::cli::UnitSummaries> Units;
  llvm::StringMap<size_t> UnitOf;
  for (size_t I = 0; I < Results.size(); ++I) {
    Units.push_back(std::move(Results[I].Summaries));
    UnitOf.try_emplace(Results[I].File, I);
  }
  GlobList AsErrors(Options.WarningsAsErrors.value_or(""));

  std::vector<std::unique_ptr<corolint::cli::SummaryLink>> Links;
  for (llvm::StringRef Check : {"coro-blocking-call", "coro-cpu-bound-loop"}) {
    unsigned Depth = 8;
    llvm::StringRef(checkOption(Options, (Check + ".MaxCallDepth").str(), "8"))
        .getAsInteger(10, Depth);
    Links.push_back(
        std::make_unique<corolint::cli::SummaryLink>(Units, Check.str(), Depth));
    if (!CrossTu)
      continue;
    for (const corolint::cli::LinkedFinding &F : Links.back()->findings()) {
      // The finding belongs to the unit that defines the coroutine (a
      // coroutine in a header: to the first unit).
      auto Found = UnitOf.find(F.At.File);
      auto Unit = Results.begin() + (Found == UnitOf.end() ? 0 : Found->second);
      unsigned Offset = Sources.offsetOf(F.At.File, F.At.Line, F.At.Column);
      // Already reported by the check itself (its SummaryFile option).
      if (llvm::any_of(Unit->Diagnostics, [&](const corolint::cli::TuDiagnostic &D) {
            return D.Error.DiagnosticName == F.Check &&
                   D.Error.Message.FilePath == F.At.File &&
                   D.Error.Message.FileOffset == Offset;
          }))
        continue;
      ClangTidyError Error(F.Check, ClangTidyError::Warning, "",
                           AsErrors.contains(F.Check));
      Error.Message.Message = F.Message;
      Error.Message.FilePath = F.At.File;
      Error.Message.FileOffset = Offset;
      for (const auto &[Text, At] : F.Notes) {
        tooling::DiagnosticMessage Note(Text);
        Note.FilePath = At.File;
        Note.FileOffset = Sources.offsetOf(At.File, At.Line, At.Column);
        Error.Notes.push_back(std::move(Note));
      }
      Unit->Diagnostics.push_back({std::move(Error), ""});
    }
  }

  if (!ExportSummaries.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportSummaries, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return "cannot write --export-summaries '" + ExportSummaries +
             "': " + EC.message();
    std::vector<const corolint::cli::SummaryLink *> Written;
    for (const auto &Link : Links)
      Written.push_back(Link.get());
    corolint::cli::writeSummaries(Written, OS);
  }
  return std::nullopt;
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM X(argc, argv);
  (void)corolint::CoroModuleAnchorSource;
  corolint::compat::anchorTidyModules();

  // `corolint merge FILES...` reads reports instead of sources.
  bool MergeMode = argc > 1 && llvm::StringRef(argv[1]) == "merge";
  std::vector<const char *> Args(argv, argv + argc);
  if (MergeMode)
    Args.erase(Args.begin() + 1);
  argc = Args.size();
  argv = Args.data();

  // Everything after `--` is the compile command for the files. The flags
  // clang does not know are dropped first, as from a compile database:
  // the fixed database refuses them.
  corolint::cli::CompileFlags CommandChanges;
  if (auto DashDash = llvm::find_if(
          Args, [](const char *Arg) { return llvm::StringRef(Arg) == "--"; });
      DashDash != Args.end()) {
    size_t First = DashDash - Args.begin() + 1;
    std::vector<size_t> Unknown = corolint::cli::unknownFlags(
        llvm::ArrayRef(Args).drop_front(First));
    std::vector<std::string> Dropped;
    for (size_t I : llvm::reverse(Unknown)) {
      Dropped.insert(Dropped.begin(), Args[First + I]);
      Args.erase(Args.begin() + First + I);
    }
    CommandChanges.recordDropped(Dropped);
    argc = Args.size();
    argv = Args.data();
  }
  std::string FixedError;
  std::unique_ptr<tooling::CompilationDatabase> Compilations =
      tooling::FixedCompilationDatabase::loadFromCommandLine(argc, argv,
                                                             FixedError);
  if (!FixedError.empty())
    return toolError("invalid compiler arguments after '--': " + FixedError);

  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  std::string ParseErrors;
  llvm::raw_string_ostream ParseErrorStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "corolint: finds code that stalls a C++20 coroutine event loop\n\n"
          "  corolint [options] FILES... [-- compiler args]\n"
          "  corolint [options] -p BUILD_DIR [FILES...]\n"
          "  corolint merge [--format=F] [--output=FILE] REPORT.json...\n\n"
          "  The fixes use the runtime of each coroutine's type (asio::awaitable:\n"
          "  asio, aio::task: aio, ...; a type of the project's own: advice only).\n"
          "  Name the runtime of such a type in .clang-tidy or --config:\n"
          "    CheckOptions: {Runtime: asio}\n",
          &ParseErrorStream)) {
    ParseErrorStream.flush();
    // LLVM's message names argv[0] and ends in "Try: ..."; keep its first
    // sentence and say what to do once.
    llvm::StringRef First = llvm::StringRef(ParseErrors).split('\n').first;
    if (size_t Colon = First.find(": "); Colon != llvm::StringRef::npos)
      First = First.substr(Colon + 2);
    First = First.split(".  Try:").first.trim();
    First.consume_back(".");
    if (First.empty()) // a bad option value: LLVM printed the reason above
      return toolError("invalid command line; run 'corolint --help' for the "
                       "options and their values");
    return toolError(First + "; run 'corolint --help' for the options");
  }

  if (MaxInputSize == 0)
    return toolError("--max-input-size must be at least 1 (MiB)");
  if (MergeMode)
    return runMerge();

  if (!Config.empty() && !ConfigFile.empty())
    return toolError("--config and --config-file are exclusive; pass one");
  if (!Baseline.empty() && !WriteBaseline.empty())
    return toolError("--baseline and --write-baseline are exclusive; pass one");
  if (!ChangedSince.empty() && !DiffFile.empty())
    return toolError("--changed-since and --diff are exclusive; pass one");
  std::optional<ShardSpec> Shard;
  if (!ShardText.empty()) {
    Shard = parseShard(ShardText);
    if (!Shard)
      return toolError("--shard '" + ShardText +
                       "' is not K/N with 1 <= K <= N (e.g. --shard=2/4)");
  }
  if (Jobs == 0)
    return toolError("-j must be at least 1");
  std::vector<llvm::GlobPattern> Includes, Excludes;
  for (auto [List, Out, Name] :
       {std::tuple(&IncludeGlobs, &Includes, "--include"),
        std::tuple(&ExcludeGlobs, &Excludes, "--exclude")})
    for (const std::string &Glob : *List) {
      llvm::Expected<llvm::GlobPattern> Pattern = llvm::GlobPattern::create(Glob);
      if (!Pattern)
        return toolError(llvm::Twine(Name) + " pattern '" + Glob +
                         "' is invalid: " + llvm::toString(Pattern.takeError()));
      Out->push_back(std::move(*Pattern));
    }
  std::string RootDir = absolutePath(Root.empty() ? std::string(".") : std::string(Root));
  if (!llvm::sys::fs::is_directory(RootDir))
    return toolError("--root '" + Root + "' is not a directory");

  // This provider answers for the first file (or the working directory):
  // what it leaves out is told only when the run ends here. The units'
  // providers tell what the units' own files left out.
  corolint::cli::IgnoredChecks IgnoredForFirstFile;
  std::string ProviderError;
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      makeOptionsProvider(ProviderError, IgnoredForFirstFile);
  if (!Provider)
    return toolError(ProviderError);

  if (Checks.getNumOccurrences() > 0)
    if (std::optional<std::string> Bad = unknownCheckGlob(Checks))
      return toolError("--checks pattern '" + *Bad +
                       "' selects no check; run 'corolint --list-checks "
                       "--checks=*' to see every name");

  std::string FileForOptions =
      Sources.empty() ? absolutePath("dummy") : absolutePath(Sources.front());
  ClangTidyOptions EffectiveOptions = Provider->getOptions(FileForOptions);
  std::vector<std::string> Enabled =
      corolint::compat::enabledChecks(EffectiveOptions);

  if (ListChecks || DumpConfig || Enabled.empty())
    noteIgnoredChecks(IgnoredForFirstFile, RootDir);
  if (ListChecks) {
    if (Enabled.empty())
      return toolError("no checks are enabled; pass --checks=coro-* or fix "
                       "the 'Checks' of your configuration");
    llvm::outs() << "Enabled checks:";
    for (const std::string &Name : Enabled)
      llvm::outs() << "\n    " << Name;
    llvm::outs() << "\n\n";
    return ExitClean;
  }

  if (DumpConfig) {
    EffectiveOptions.Checks = simplifyChecks(EffectiveOptions.Checks.value_or(""));
    EffectiveOptions.CheckOptions = corolint::compat::checkOptions(EffectiveOptions);
    llvm::outs() << configurationAsText(ClangTidyOptions::getDefaults().merge(
                        EffectiveOptions, 0))
                 << "\n";
    return ExitClean;
  }

  if (Enabled.empty())
    return toolError("no checks are enabled; pass --checks=coro-* or fix the "
                     "'Checks' of your configuration");

  std::optional<corolint::cli::ResultCache> Cache;
  if (!CacheDir.empty()) {
    Cache.emplace(CacheDir, inputSizeLimit());
    if (std::optional<std::string> Error = Cache->prepare())
      return toolError(*Error);
  }

  // The compile database: `--` flags, -p, or one found next to the sources.
  if (!Compilations && !BuildPath.empty()) {
    if (!llvm::sys::fs::is_directory(BuildPath))
      return toolError("build directory '" + BuildPath +
                       "' does not exist; pass -p the directory that holds "
                       "compile_commands.json");
    llvm::SmallString<256> DatabaseFile(BuildPath);
    llvm::sys::path::append(DatabaseFile, "compile_commands.json");
    if (std::string Why = corolint::analysis::whyNotAFile(DatabaseFile);
        llvm::sys::fs::exists(DatabaseFile) && !Why.empty())
      return toolError("cannot read the compile database '" +
                       std::string(DatabaseFile) + "': " + Why);
    std::string LoadError;
    Compilations =
        tooling::CompilationDatabase::loadFromDirectory(BuildPath, LoadError);
    if (!Compilations)
      return toolError("no compile database in '" + BuildPath +
                       "'; generate one (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
                       "or bear) or pass the flags after '--'");
  }

  // Diff mode: which files and lines changed.
  std::optional<corolint::cli::ChangedLines> Changes;
  if (!ChangedSince.empty()) {
    std::string Error;
    Changes = corolint::cli::ChangedLines::fromGit(ChangedSince, RootDir, Error);
    if (!Changes)
      return toolError(Error);
  } else if (!DiffFile.empty()) {
    auto Buffer = DiffFile == "-" ? llvm::MemoryBuffer::getSTDIN()
                                  : llvm::MemoryBuffer::getFile(DiffFile);
    if (!Buffer)
      return toolError("cannot read --diff '" + DiffFile +
                       "': " + Buffer.getError().message());
    Changes = corolint::cli::ChangedLines::parse((*Buffer)->getBuffer(), RootDir);
  }

  std::vector<std::string> Files;
  for (const std::string &Source : Sources) {
    if (!llvm::sys::fs::exists(Source))
      return toolError("no such file: '" + Source + "'");
    if (std::string Why = corolint::analysis::whyNotAFile(Source); !Why.empty())
      return toolError("cannot analyse '" + Source + "': " + Why);
    Files.push_back(absolutePath(Source));
  }
  bool FromDatabase = Files.empty();
  if (FromDatabase) {
    if (Changes && !Compilations)
      return toolError("diff mode without files needs -p BUILD_DIR to know the "
                       "translation units");
    if (!Compilations || BuildPath.empty())
      return toolError("no input files; pass source files or -p BUILD_DIR "
                       "(run 'corolint --help' for usage)");
    for (const std::string &File : Compilations->getAllFiles())
      Files.push_back(absolutePath(File));
    if (Files.empty())
      return toolError("the compile database in '" + BuildPath +
                       "' lists no files");
  }

  // Filters, in a stable order: path globs, the diff, then the shard.
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  size_t Listed = Files.size();
  llvm::erase_if(Files, [&](const std::string &File) {
    std::string Relative = corolint::cli::displayPath(File, RootDir);
    if (!Includes.empty() && !matchesAny(Includes, File, Relative))
      return true;
    return matchesAny(Excludes, File, Relative);
  });
  if (Files.empty() && Listed)
    return toolError(llvm::Twine(Listed) +
                     " files listed, none left after --include/--exclude");
  if (Changes) {
    // Changed sources are analysed. A changed file that is not a translation
    // unit (a header) may be read by any of them: then all are analysed
    // (with --cache-dir, only those that read it miss the cache).
    std::set<std::string> Units(Files.begin(), Files.end());
    bool HeaderChanged = llvm::any_of(Changes->files(), [&](const std::string &F) {
      return !Units.count(F);
    });
    if (!HeaderChanged)
      llvm::erase_if(Files, [&](const std::string &File) {
        return !Changes->touches(File);
      });
  }
  if (Shard) {
    std::vector<std::string> Mine;
    for (size_t I = 0; I < Files.size(); ++I)
      if (I % Shard->Count == Shard->Index - 1)
        Mine.push_back(Files[I]);
    Files = std::move(Mine);
  }

  if (!Compilations && !Files.empty()) {
    std::string DetectError;
    Compilations = tooling::CompilationDatabase::autoDetectFromSource(
        Files.front(), DetectError);
    if (!Compilations) {
      if (!Quiet)
        llvm::WithColor::note(llvm::errs(), "corolint")
            << "no compile database found for '" << Sources.front()
            << "'; analysing with -std=c++20 (pass -p BUILD_DIR or the flags "
               "after '--')\n";
      Compilations = std::make_unique<tooling::FixedCompilationDatabase>(
          ".", std::vector<std::string>{"-std=c++20"});
    }
  }

  // Extra arguments, as clang-tidy applies them; then the changes that let
  // clang parse what GCC builds (CompileFlags.h), which see the extra
  // arguments too. The cache keys on the commands as changed.
  if (Compilations) {
    auto Adjusted = std::make_unique<tooling::ArgumentsAdjustingCompilations>(
        std::move(Compilations));
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(ExtraArgsBefore.begin(), ExtraArgsBefore.end()),
        tooling::ArgumentInsertPosition::BEGIN));
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(ExtraArgs.begin(), ExtraArgs.end()),
        tooling::ArgumentInsertPosition::END));
    Compilations = CommandChanges.adjust(std::move(Adjusted));
  }

  auto Start = std::chrono::steady_clock::now();
  bool ShowProgress =
      ProgressMode == ProgressPolicy::Always ||
      (ProgressMode == ProgressPolicy::Auto && Files.size() > 1 &&
       llvm::sys::Process::StandardErrIsDisplayed());
  Progress Bar(Files.size(), ShowProgress);
  bool ApplyAnyFix = Fix || FixErrors || FixNotes;
  std::vector<corolint::cli::TuResult> Results =
      Files.empty() ? std::vector<corolint::cli::TuResult>()
                    : analyse(Files, *Compilations, Jobs, ApplyAnyFix,
                              CrossTu || !ExportSummaries.empty(),
                              Cache ? &*Cache : nullptr, Bar);
  double Seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - Start)
                       .count();

  noteIgnoredChecks(IgnoredByDiscovery, RootDir);
  // Before the diagnostics move to the printer below.
  std::string AsioHint = CommandChanges.asioHint(Results);
  if (!Quiet)
    for (const std::string &Note : {CommandChanges.droppedNote(),
                                    CommandChanges.asioNote(Results)})
      if (!Note.empty())
        llvm::WithColor::note(llvm::errs(), "corolint") << Note << "\n";

  corolint::cli::SourceCache SourceText;
  double LinkSeconds = 0;
  if (CrossTu || !ExportSummaries.empty()) {
    auto LinkStart = std::chrono::steady_clock::now();
    ClangTidyOptions Options = Provider->getOptions(
        Files.empty() ? FileForOptions : Files.front());
    if (std::optional<std::string> Error =
            linkAcrossUnits(Results, Options, SourceText))
      return toolError(*Error);
    LinkSeconds = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - LinkStart)
                      .count();
  }
  corolint::cli::Report Report =
      corolint::cli::buildReport(Results, RootDir, SourceText);
  Report.Seconds = Seconds;
  Report.LinkSeconds = LinkSeconds;

  if (!WriteBaseline.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(WriteBaseline, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return toolError("cannot write --write-baseline '" + WriteBaseline +
                       "': " + EC.message());
    corolint::cli::writeBaseline(Report, OS);
  }
  if (!Baseline.empty()) {
    std::string Error;
    auto Known = corolint::cli::readBaseline(Baseline, inputSizeLimit(), Error);
    if (!Known)
      return toolError(Error);
    corolint::cli::applyBaseline(Report, std::move(*Known));
  }
  if (Changes) {
    std::vector<corolint::cli::Finding> Kept;
    for (corolint::cli::Finding &F : Report.Findings) {
      if (Changes->contains(underRoot(RootDir, F.Where.Path), F.Where.Line))
        Kept.push_back(std::move(F));
      else
        ++Report.OutsideDiff;
    }
    Report.Findings = std::move(Kept);
  }

  // The diagnostics behind the findings that are still reported (and every
  // compile error), once each: what the text output prints and --fix
  // applies.
  std::set<std::tuple<std::string, unsigned, std::string, std::string>> Reported;
  for (const corolint::cli::Finding &F : Report.Findings) {
    Reported.insert(
        {underRoot(RootDir, F.Where.Path), F.Where.Offset, F.Check, F.Message});
  }
  // Diagnostics without a place (an invalid check option) are printed
  // once, whatever the format.
  std::vector<ClangTidyError> Errors;
  std::set<std::pair<std::string, std::string>> Placeless;
  for (corolint::cli::TuResult &TU : Results)
    for (corolint::cli::TuDiagnostic &D : TU.Diagnostics) {
      ClangTidyError &E = D.Error;
      bool Compile = llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
      if (E.Message.FilePath.empty()) {
        if (!Placeless.insert({E.DiagnosticName, E.Message.Message}).second)
          continue;
        if (Format != OutputFormat::Text) {
          llvm::WithColor::warning(llvm::errs(), "corolint")
              << E.Message.Message << " [" << E.DiagnosticName << "]\n";
          continue;
        }
      } else if (!Compile &&
                 !Reported.erase({E.Message.FilePath, E.Message.FileOffset,
                                  E.DiagnosticName, E.Message.Message})) {
        continue;
      }
      Errors.push_back(std::move(E));
    }

  unsigned CompileErrors = 0;
  for (const corolint::cli::FileRecord &F : Report.Files)
    CompileErrors += F.CompileErrors;
  FixBehaviour Behaviour =
      FixNotes ? FB_FixNotes : (Fix || FixErrors) ? FB_Fix : FB_NoFix;
  if (CompileErrors && (Fix || FixNotes) && !FixErrors) {
    Behaviour = FB_NoFix;
    llvm::errs() << "Found compiler errors, but --fix-errors was not "
                    "specified.\nFixes have NOT been applied.\n\n";
  }

  std::unique_ptr<ClangTidyContext> Context =
      corolint::compat::makeContext(std::move(Provider));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  unsigned WarningsAsErrorsCount = 0;
  if (Format == OutputFormat::Text) {
    // clang-tidy's printer writes to standard output; --output redirects it.
    int SavedStdout = -1;
    if (!Output.empty()) {
      int FD;
      if (std::error_code EC = llvm::sys::fs::openFileForWrite(
              Output, FD, llvm::sys::fs::CD_CreateAlways, llvm::sys::fs::OF_Text))
        return toolError("cannot write --output '" + Output + "': " + EC.message());
      llvm::outs().flush();
      SavedStdout = ::dup(1);
      ::dup2(FD, 1);
      ::close(FD);
    }
    handleErrors(Errors, *Context, Behaviour, WarningsAsErrorsCount, BaseFS);
    if (SavedStdout >= 0) {
      llvm::outs().flush();
      ::dup2(SavedStdout, 1);
      ::close(SavedStdout);
    }
  } else {
    if (Behaviour != FB_NoFix) {
      // Apply the fixes without printing: clang-tidy's printer is the text
      // format.
      int SavedStdout = ::dup(1);
      int Null = ::open("/dev/null", O_WRONLY);
      llvm::outs().flush();
      ::dup2(Null, 1);
      ::close(Null);
      handleErrors(Errors, *Context, Behaviour, WarningsAsErrorsCount, BaseFS);
      llvm::outs().flush();
      ::dup2(SavedStdout, 1);
      ::close(SavedStdout);
    }
    if (!writeReport(Report, RootDir))
      return ExitToolError;
  }

  if (!ExportFixes.empty() && !Errors.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC)
      return toolError("cannot write --export-fixes file '" + ExportFixes +
                       "': " + EC.message());
    exportReplacements(Files.front(), Errors, OS);
  }

  ClangTidyStats Stats;
  for (const corolint::cli::TuResult &TU : Results) {
    Stats.ErrorsIgnoredCheckFilter += TU.Stats.ErrorsIgnoredCheckFilter;
    Stats.ErrorsIgnoredNOLINT += TU.Stats.ErrorsIgnoredNOLINT;
    Stats.ErrorsIgnoredNonUserCode += TU.Stats.ErrorsIgnoredNonUserCode;
    Stats.ErrorsIgnoredLineFilter += TU.Stats.ErrorsIgnoredLineFilter;
  }
  printSuppressed(Stats);
  if (WarningsAsErrorsCount)
    llvm::errs() << WarningsAsErrorsCount << " warning"
                 << (WarningsAsErrorsCount == 1 ? "" : "s")
                 << " treated as error"
                 << (WarningsAsErrorsCount == 1 ? "" : "s") << "\n";
  for (const corolint::cli::TuResult &TU : Results)
    if (!TU.ToolFailure.empty())
      llvm::WithColor::error(llvm::errs(), "corolint")
          << TU.File << ": " << TU.ToolFailure << "\n";
  // Not --quiet's to drop: it says how to fix the failure.
  if (!AsioHint.empty())
    llvm::WithColor::note(llvm::errs(), "corolint") << AsioHint << "\n";
  printSummary(Report, Seconds);

  if (Report.failedFiles() && CompileErrorsMode == CompileErrorPolicy::Fail) {
    unsigned Failed = Report.failedFiles();
    if (CompileErrors == 0)
      return toolError(llvm::Twine(Failed) + " file" + (Failed == 1 ? "" : "s") +
                       " could not be analysed (the reason above)");
    return toolError(llvm::Twine(Failed) + " file" + (Failed == 1 ? "" : "s") +
                     " failed to compile (" + llvm::Twine(CompileErrors) +
                     " error" + (CompileErrors == 1 ? "" : "s") +
                     " above); fix the build flags (-p or '--') or the code");
  }
  return exitCodeFor(Report);
}
