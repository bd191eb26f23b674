//===- Options.cpp - the corolint command line, parsed and validated ------===//

#include "tool/cli/Options.h"

#include "tool/cli/Report.h"

#include "clang/Basic/Version.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <thread>
#include <tuple>

namespace cl = llvm::cl;
using namespace corolint::cli;

namespace {

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
cl::opt<ProgressPolicy> ProgressMode(
    "progress", cl::desc("Progress line on standard error:"),
    cl::init(ProgressPolicy::Auto),
    cl::values(clEnumValN(ProgressPolicy::Auto, "auto",
                          "on a terminal, for more than one file (default)"),
               clEnumValN(ProgressPolicy::Always, "always", "always"),
               clEnumValN(ProgressPolicy::Never, "never", "never")),
    cl::cat(Category));

/// toolError for the parsing functions, which return whether to go on.
bool fail(const llvm::Twine &Message) {
  toolError(Message);
  return false;
}

void printVersion(llvm::raw_ostream &OS) {
  OS << "corolint " << toolVersion() << " (built with LLVM "
     << LLVM_VERSION_STRING << ", running on " << clang::getClangFullVersion()
     << ")\n";
}

std::optional<ShardSpec> parseShard(llvm::StringRef Text) {
  auto [K, N] = Text.split('/');
  ShardSpec S;
  if (K.getAsInteger(10, S.Index) || N.getAsInteger(10, S.Count) ||
      S.Count == 0 || S.Index == 0 || S.Index > S.Count)
    return std::nullopt;
  return S;
}

template <class T>
std::optional<T> ifGiven(const cl::opt<T> &Option) {
  if (Option.getNumOccurrences() == 0)
    return std::nullopt;
  return T(Option);
}

/// The values of every option, before the checks that need the mode.
void copyOptions(Options &Out) {
  Out.Sources.assign(Sources.begin(), Sources.end());
  Out.BuildPath = BuildPath;
  Out.Checks = ifGiven(Checks);
  Out.WarningsAsErrors = ifGiven(WarningsAsErrors);
  Out.HeaderFilter = ifGiven(HeaderFilter);
  Out.UseColor = ifGiven(UseColor);
  Out.MaxInputSizeOption = ifGiven(MaxInputSize);
  Out.Config = Config;
  Out.ConfigFile = ConfigFile;
  Out.ListChecks = ListChecks;
  Out.DumpConfig = DumpConfig;
  Out.Fix = Fix;
  Out.FixNotes = FixNotes;
  Out.FixErrors = FixErrors;
  Out.ExportFixes = ExportFixes;
  Out.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Out.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  Out.ChangedSince = ChangedSince;
  Out.DiffFile = DiffFile;
  Out.Root = Root;
  Out.RootDir = absolutePath(Root.empty() ? std::string(".") : std::string(Root));
  Out.Jobs = Jobs;
  Out.CacheDir = CacheDir;
  Out.CrossTu = CrossTu;
  Out.ExportSummaries = ExportSummaries;
  Out.MaxInputBytes = std::uint64_t(MaxInputSize) << 20;
  Out.Baseline = Baseline;
  Out.WriteBaseline = WriteBaseline;
  Out.Quiet = Quiet;
  Out.Format = Format;
  Out.Output = Output;
  Out.FailOn = FailOn;
  Out.CompileErrors = CompileErrorsMode;
  Out.Progress = ProgressMode;
}

/// The checks of an analysing run (merge reads reports, and needs none).
bool validateAnalysis(Options &Out) {
  if (!Out.Config.empty() && !Out.ConfigFile.empty())
    return fail("--config and --config-file are exclusive; pass one");
  if (!Out.Baseline.empty() && !Out.WriteBaseline.empty())
    return fail("--baseline and --write-baseline are exclusive; pass one");
  if (!Out.ChangedSince.empty() && !Out.DiffFile.empty())
    return fail("--changed-since and --diff are exclusive; pass one");
  if (!ShardText.empty()) {
    Out.Shard = parseShard(ShardText);
    if (!Out.Shard)
      return fail("--shard '" + ShardText +
                       "' is not K/N with 1 <= K <= N (e.g. --shard=2/4)");
  }
  if (Out.Jobs == 0)
    return fail("-j must be at least 1");
  for (auto [List, Patterns, Name] :
       {std::tuple(&IncludeGlobs, &Out.Includes, "--include"),
        std::tuple(&ExcludeGlobs, &Out.Excludes, "--exclude")})
    for (const std::string &Glob : *List) {
      llvm::Expected<llvm::GlobPattern> Pattern = llvm::GlobPattern::create(Glob);
      if (!Pattern)
        return fail(llvm::Twine(Name) + " pattern '" + Glob +
                         "' is invalid: " + llvm::toString(Pattern.takeError()));
      Patterns->push_back(std::move(*Pattern));
    }
  if (!llvm::sys::fs::is_directory(Out.RootDir))
    return fail("--root '" + Out.Root + "' is not a directory");
  return true;
}

} // namespace

namespace corolint::cli {

int toolError(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "corolint") << Message << "\n";
  return ExitToolError;
}

std::string absolutePath(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  if (llvm::sys::fs::make_absolute(Abs))
    return Path.str(); // no working directory: keep the path as given
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

bool parseCommandLine(int Argc, const char **Argv, Options &Out,
                      CompileFlags &FlagChanges,
                      std::unique_ptr<clang::tooling::CompilationDatabase> &Fixed) {
  // `corolint merge FILES...` reads reports instead of sources.
  Out.Merge = Argc > 1 && llvm::StringRef(Argv[1]) == "merge";
  std::vector<const char *> Args(Argv, Argv + Argc);
  if (Out.Merge)
    Args.erase(Args.begin() + 1);
  int ArgCount = Args.size();
  const char **ArgValues = Args.data();

  // Everything after `--` is the compile command for the files. The flags
  // clang does not know are dropped first, as from a compile database:
  // the fixed database refuses them.
  if (auto DashDash = llvm::find_if(
          Args, [](const char *Arg) { return llvm::StringRef(Arg) == "--"; });
      DashDash != Args.end()) {
    size_t First = DashDash - Args.begin() + 1;
    std::vector<size_t> Unknown =
        unknownFlags(llvm::ArrayRef(Args).drop_front(First));
    std::vector<std::string> Dropped;
    for (size_t I : llvm::reverse(Unknown)) {
      Dropped.insert(Dropped.begin(), Args[First + I]);
      Args.erase(Args.begin() + First + I);
    }
    FlagChanges.recordDropped(Dropped);
    ArgCount = Args.size();
    ArgValues = Args.data();
  }
  std::string FixedError;
  Fixed = clang::tooling::FixedCompilationDatabase::loadFromCommandLine(
      ArgCount, ArgValues, FixedError);
  if (!FixedError.empty())
    return fail("invalid compiler arguments after '--': " + FixedError);

  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  std::string ParseErrors;
  llvm::raw_string_ostream ParseErrorStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          ArgCount, ArgValues,
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
      return fail("invalid command line; run 'corolint --help' for the "
                       "options and their values");
    return fail(First + "; run 'corolint --help' for the options");
  }

  if (MaxInputSize == 0)
    return fail("--max-input-size must be at least 1 (MiB)");
  copyOptions(Out);
  return Out.Merge || validateAnalysis(Out);
}

} // namespace corolint::cli
