//===- CheckSelection.cpp - which checks a corolint run runs --------------===//

#include "tool/cli/CheckSelection.h"

#include "tool/cli/Report.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

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

} // namespace corolint::cli
