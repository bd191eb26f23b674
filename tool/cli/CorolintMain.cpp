//===- CorolintMain.cpp - the corolint command line -----------------------===//
//
// corolint [options] FILES... [-- compiler args]
// corolint [options] -p BUILD_DIR [FILES...]
//
// Runs the coro-* checks through the clang-tidy library, prints findings in
// clang-tidy's format and turns the result into an exit code a CI gate can
// trust: 0 clean, 1 findings, 2 the tool could not do its job.
//
//===----------------------------------------------------------------------===//

#include "tool/cli/TidyCompat.h"

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
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <iterator>

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

constexpr llvm::StringLiteral DefaultChecks = "-*,coro-*";

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
             "configured ones (default: '-*,coro-*')"),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> Config(
    "config", cl::desc("Configuration in YAML, as in a .clang-tidy file; "
                       "replaces .clang-tidy discovery"),
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

std::unique_ptr<ClangTidyOptionsProvider> makeOptionsProvider(std::string &Error) {
  ClangTidyGlobalOptions GlobalOptions;

  ClangTidyOptions DefaultOptions;
  DefaultOptions.Checks = DefaultChecks.str();
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
    auto Buffer = llvm::MemoryBuffer::getFile(ConfigFile);
    if (!Buffer) {
      Error = "cannot read --config-file '" + ConfigFile +
              "': " + Buffer.getError().message();
      return nullptr;
    }
    std::string Text = (*Buffer)->getBuffer().str();
    return FromText(Text, ConfigFile);
  }
  return std::make_unique<FileOptionsProvider>(
      std::move(GlobalOptions), std::move(DefaultOptions),
      std::move(OverrideOptions));
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

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM X(argc, argv);
  (void)corolint::CoroModuleAnchorSource;

  // Everything after `--` is the compile command for the files.
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
          "corolint: finds code that stalls a C++20 coroutine event loop\n",
          &ParseErrorStream)) {
    ParseErrorStream.flush();
    // LLVM's message names argv[0] and ends in "Try: ..."; keep its first
    // sentence and say what to do once.
    llvm::StringRef First = llvm::StringRef(ParseErrors).split('\n').first;
    if (size_t Colon = First.find(": "); Colon != llvm::StringRef::npos)
      First = First.substr(Colon + 2);
    First = First.split(".  Try:").first.trim();
    First.consume_back(".");
    return toolError(First + "; run 'corolint --help' for the options");
  }

  if (!Config.empty() && !ConfigFile.empty())
    return toolError("--config and --config-file are exclusive; pass one");

  std::string ProviderError;
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      makeOptionsProvider(ProviderError);
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

  // The compile database: `--` flags, -p, or one found next to the sources.
  if (!Compilations && !BuildPath.empty()) {
    if (!llvm::sys::fs::is_directory(BuildPath))
      return toolError("build directory '" + BuildPath +
                       "' does not exist; pass -p the directory that holds "
                       "compile_commands.json");
    std::string LoadError;
    Compilations =
        tooling::CompilationDatabase::loadFromDirectory(BuildPath, LoadError);
    if (!Compilations)
      return toolError("no compile database in '" + BuildPath +
                       "'; generate one (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
                       "or bear) or pass the flags after '--'");
  }

  std::vector<std::string> Files;
  for (const std::string &Source : Sources) {
    if (!llvm::sys::fs::exists(Source))
      return toolError("no such file: '" + Source + "'");
    Files.push_back(absolutePath(Source));
  }
  if (Files.empty()) {
    if (!Compilations || BuildPath.empty())
      return toolError("no input files; pass source files or -p BUILD_DIR "
                       "(run 'corolint --help' for usage)");
    Files = Compilations->getAllFiles();
    if (Files.empty())
      return toolError("the compile database in '" + BuildPath +
                       "' lists no files");
  }

  if (!Compilations) {
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

  // Extra arguments, as clang-tidy applies them.
  if (!ExtraArgs.empty() || !ExtraArgsBefore.empty()) {
    auto Adjusted = std::make_unique<tooling::ArgumentsAdjustingCompilations>(
        std::move(Compilations));
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(ExtraArgsBefore.begin(), ExtraArgsBefore.end()),
        tooling::ArgumentInsertPosition::BEGIN));
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(ExtraArgs.begin(), ExtraArgs.end()),
        tooling::ArgumentInsertPosition::END));
    Compilations = std::move(Adjusted);
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  std::unique_ptr<ClangTidyContext> Context =
      corolint::compat::makeContext(std::move(Provider));
  // One run per translation unit, so that a TU that fails to compile is
  // known by its name.
  std::vector<ClangTidyError> Errors;
  unsigned CompileErrors = 0, Findings = 0;
  std::vector<std::string> BrokenFiles;
  // Progress on a terminal only, for more than one TU: "[3/68] file.cpp".
  bool ShowProgress = Files.size() > 1 && llvm::sys::Process::StandardErrIsDisplayed();
  for (size_t Index = 0; Index < Files.size(); ++Index) {
    const std::string &File = Files[Index];
    if (ShowProgress)
      llvm::errs() << "[" << Index + 1 << "/" << Files.size() << "] " << File
                   << "\n";
    std::vector<ClangTidyError> FileErrors = corolint::compat::runChecks(
        *Context, *Compilations, File, BaseFS,
        /*ApplyAnyFix=*/Fix || FixErrors || FixNotes, Quiet);
    unsigned FileCompileErrors = 0;
    for (const ClangTidyError &Error : FileErrors) {
      if (llvm::StringRef(Error.DiagnosticName).starts_with("clang-diagnostic-")) {
        if (Error.DiagLevel == ClangTidyError::Error)
          ++FileCompileErrors;
        continue;
      }
      ++Findings;
    }
    if (FileCompileErrors)
      BrokenFiles.push_back(File);
    CompileErrors += FileCompileErrors;
    std::move(FileErrors.begin(), FileErrors.end(), std::back_inserter(Errors));
  }

  FixBehaviour Behaviour =
      FixNotes ? FB_FixNotes : (Fix || FixErrors) ? FB_Fix : FB_NoFix;
  if (CompileErrors && (Fix || FixNotes) && !FixErrors) {
    Behaviour = FB_NoFix;
    llvm::errs() << "Found compiler errors, but --fix-errors was not "
                    "specified.\nFixes have NOT been applied.\n\n";
  }
  unsigned WarningsAsErrorsCount = 0;
  handleErrors(Errors, *Context, Behaviour, WarningsAsErrorsCount, BaseFS);

  if (!ExportFixes.empty() && !Errors.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC)
      return toolError("cannot write --export-fixes file '" + ExportFixes +
                       "': " + EC.message());
    exportReplacements(Files.front(), Errors, OS);
  }

  printSuppressed(Context->getStats());
  if (WarningsAsErrorsCount)
    llvm::errs() << WarningsAsErrorsCount << " warning"
                 << (WarningsAsErrorsCount == 1 ? "" : "s")
                 << " treated as error"
                 << (WarningsAsErrorsCount == 1 ? "" : "s") << "\n";

  if (CompileErrors)
    return toolError(llvm::Twine(BrokenFiles.size()) + " file" +
                     (BrokenFiles.size() == 1 ? "" : "s") +
                     " failed to compile (" + llvm::Twine(CompileErrors) +
                     " error" + (CompileErrors == 1 ? "" : "s") +
                     " above); fix the build flags (-p or '--') or the code");
  return Findings ? ExitFindings : ExitClean;
}
