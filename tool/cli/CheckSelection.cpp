//===- CheckSelection.cpp - which checks a corolint run runs --------------===//

#include "tool/cli/CheckSelection.h"

#include "checks/analysis/InputFiles.h"
#include "tool/cli/Options.h"
#include "tool/cli/Report.h"
#include "tool/cli/TidyCompat.h"

#include "clang-tidy/GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"

using namespace clang::tidy;

namespace corolint::cli {

namespace {

struct Glob {
  llvm::StringRef Text; ///< as written, trimmed
  llvm::StringRef Pattern;
  bool Negative;
};

/// The globs of a Checks value, split as clang-tidy's GlobList splits them
/// (at commas and newlines).
llvm::SmallVector<Glob, 8> splitGlobs(llvm::StringRef Checks) {
  llvm::SmallVector<Glob, 8> Out;
  while (!Checks.empty()) {
    size_t End = Checks.find_first_of(",\n");
    llvm::StringRef Text = Checks.substr(0, End).trim();
    Checks = End == llvm::StringRef::npos ? "" : Checks.substr(End + 1);
    llvm::StringRef Pattern = Text;
    bool Negative = Pattern.consume_front("-");
    Pattern = Pattern.trim();
    if (!Pattern.empty())
      Out.push_back({Text, Pattern, Negative});
  }
  return Out;
}

bool isCoroGlob(const Glob &G) { return G.Pattern.starts_with("coro-"); }

/// Discovery as clang-tidy does it; each file's Checks reduced to what it
/// says about the coro-* checks.
class DiscoveringProvider : public FileOptionsProvider {
public:
  DiscoveringProvider(ClangTidyGlobalOptions GlobalOptions,
                      ClangTidyOptions DefaultOptions,
                      ClangTidyOptions OverrideOptions, IgnoredChecks &Ignored)
      : FileOptionsProvider(std::move(GlobalOptions), std::move(DefaultOptions),
                            std::move(OverrideOptions)),
        Ignored(Ignored) {}

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources =
        FileOptionsProvider::getRawOptions(FileName);
    for (OptionsSource &Source : Sources) {
      // The defaults and the command line's --checks are corolint's own;
      // the other sources are the files found above FileName.
      if (Source.second == OptionsSourceTypeDefaultBinary ||
          Source.second == OptionsSourceTypeCheckCommandLineOption ||
          !Source.first.Checks)
        continue;
      DiscoveredChecks Selected = coroChecksOf(*Source.first.Checks);
      if (!Selected.Ignored.empty())
        Ignored.record(Source.second, Selected.Ignored);
      // Unset rather than empty: merged Checks are concatenated with a comma.
      if (Selected.Kept.empty())
        Source.first.Checks.reset();
      else
        Source.first.Checks = std::move(Selected.Kept);
    }
    return Sources;
  }

private:
  IgnoredChecks &Ignored;
};

} // namespace

DiscoveredChecks coroChecksOf(llvm::StringRef Checks) {
  llvm::SmallVector<Glob, 8> Globs = splitGlobs(Checks);
  DiscoveredChecks Out;
  for (size_t I = 0; I < Globs.size(); ++I) {
    const Glob &G = Globs[I];
    std::string Kept;
    if (isCoroGlob(G)) {
      Kept = G.Text.str();
    } else if (G.Negative && G.Pattern == "*" &&
               std::any_of(Globs.begin() + I + 1, Globs.end(),
                           [](const Glob &Later) {
                             return !Later.Negative && isCoroGlob(Later);
                           })) {
      // Between the defaults and --checks only coro-* checks are enabled:
      // there "-*" resets those alone.
      Kept = G.Text.str();
    } else if (!G.Negative) {
      Out.Ignored.push_back(G.Text.str());
    }
    if (Kept.empty())
      continue;
    if (!Out.Kept.empty())
      Out.Kept += ',';
    Out.Kept += Kept;
  }
  return Out;
}

void IgnoredChecks::record(llvm::StringRef ConfigFile,
                           const std::vector<std::string> &NewGlobs) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Files.insert(ConfigFile.str());
  for (const std::string &G : NewGlobs)
    if (!llvm::is_contained(Globs, G))
      Globs.push_back(G);
}

std::string IgnoredChecks::note(llvm::StringRef Root) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Files.empty())
    return "";
  std::string Names;
  for (const std::string &G : Globs)
    Names += (Names.empty() ? "" : ",") + G;
  std::string Which = displayPath(*Files.begin(), Root);
  if (Files.size() > 1)
    Which += " and " + std::to_string(Files.size() - 1) + " more";
  return Which + (Files.size() > 1 ? " enable" : " enables") +
         " checks other than coro-* ('" + Names +
         "'); they are not run (pass --checks to run them)";
}

std::unique_ptr<ClangTidyOptionsProvider> makeDiscoveringProvider(
    ClangTidyGlobalOptions GlobalOptions, ClangTidyOptions DefaultOptions,
    ClangTidyOptions OverrideOptions, IgnoredChecks &Ignored) {
  return std::make_unique<DiscoveringProvider>(
      std::move(GlobalOptions), std::move(DefaultOptions),
      std::move(OverrideOptions), Ignored);
}

std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const Options &Opts, IgnoredChecks &Ignored,
                    std::string &Error) {
  ClangTidyGlobalOptions GlobalOptions;

  ClangTidyOptions DefaultOptions;
  DefaultOptions.Checks = DefaultChecks.str();
  DefaultOptions.WarningsAsErrors = "";
  DefaultOptions.HeaderFilterRegex = "";
  DefaultOptions.SystemHeaders = false;
  DefaultOptions.FormatStyle = "none";
  DefaultOptions.User = llvm::sys::Process::GetEnv("USER");

  ClangTidyOptions OverrideOptions;
  if (Opts.Checks)
    OverrideOptions.Checks = *Opts.Checks;
  if (Opts.WarningsAsErrors)
    OverrideOptions.WarningsAsErrors = *Opts.WarningsAsErrors;
  if (Opts.HeaderFilter)
    OverrideOptions.HeaderFilterRegex = *Opts.HeaderFilter;
  if (Opts.UseColor)
    OverrideOptions.UseColor = *Opts.UseColor;
  if (Opts.MaxInputSizeOption)
    for (const char *Key : {"MaxInputSize", "coro-blocking-call.MaxInputSize"})
      OverrideOptions.CheckOptions[Key] = ClangTidyOptions::ClangTidyValue(
          std::to_string(*Opts.MaxInputSizeOption));

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

  if (!Opts.Config.empty())
    return FromText(Opts.Config, "--config");
  if (!Opts.ConfigFile.empty()) {
    std::unique_ptr<llvm::MemoryBuffer> Buffer =
        analysis::readInputFile(Opts.ConfigFile, Opts.MaxInputBytes, Error);
    if (!Buffer) {
      Error = "--config-file '" + Opts.ConfigFile + "': " + Error;
      return nullptr;
    }
    std::string Text = Buffer->getBuffer().str();
    return FromText(Text, Opts.ConfigFile);
  }
  return makeDiscoveringProvider(std::move(GlobalOptions),
                                 std::move(DefaultOptions),
                                 std::move(OverrideOptions), Ignored);
}

std::optional<std::string> unknownCheckGlob(llvm::StringRef ChecksValue) {
  std::vector<std::string> Known = compat::allChecks();
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

std::string checkOption(const ClangTidyOptions &Options, llvm::StringRef Name,
                        llvm::StringRef Default) {
  auto It = Options.CheckOptions.find(Name);
  return It == Options.CheckOptions.end() ? Default.str() : It->second.Value;
}

void noteIgnoredChecks(const Options &Opts, const IgnoredChecks &Ignored) {
  std::string Note = Ignored.note(Opts.RootDir);
  if (!Opts.Quiet && !Note.empty())
    llvm::WithColor::note(llvm::errs(), "corolint") << Note << "\n";
}

} // namespace corolint::cli
