//===- WorkList.cpp - the translation units a run analyses ----------------===//

#include "tool/cli/WorkList.h"

#include "checks/analysis/InputFiles.h"
#include "tool/cli/Report.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <set>

using namespace clang;

namespace corolint::cli {

namespace {

/// toolError for makeWorkList.
std::nullopt_t refuse(const llvm::Twine &Message) {
  toolError(Message);
  return std::nullopt;
}

bool matchesAny(const std::vector<llvm::GlobPattern> &Patterns,
                llvm::StringRef Absolute, llvm::StringRef Relative) {
  return llvm::any_of(Patterns, [&](const llvm::GlobPattern &P) {
    return P.match(Relative) || P.match(Absolute);
  });
}

/// The database of -p, when given and not replaced by `--`. Sets \p Failed
/// after printing the error.
std::unique_ptr<tooling::CompilationDatabase>
loadBuildDirectory(const std::string &BuildPath, bool &Failed) {
  Failed = true;
  if (!llvm::sys::fs::is_directory(BuildPath)) {
    toolError("build directory '" + BuildPath +
              "' does not exist; pass -p the directory that holds "
              "compile_commands.json");
    return nullptr;
  }
  llvm::SmallString<256> DatabaseFile(BuildPath);
  llvm::sys::path::append(DatabaseFile, "compile_commands.json");
  if (std::string Why = analysis::whyNotAFile(DatabaseFile);
      llvm::sys::fs::exists(DatabaseFile) && !Why.empty()) {
    toolError("cannot read the compile database '" + std::string(DatabaseFile) +
              "': " + Why);
    return nullptr;
  }
  std::string LoadError;
  std::unique_ptr<tooling::CompilationDatabase> Loaded =
      tooling::CompilationDatabase::loadFromDirectory(BuildPath, LoadError);
  if (!Loaded) {
    toolError("no compile database in '" + BuildPath +
              "'; generate one (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
              "or bear) or pass the flags after '--'");
    return nullptr;
  }
  Failed = false;
  return Loaded;
}

/// Diff mode: which files and lines changed. Sets \p Failed after printing
/// the error.
std::optional<ChangedLines> loadChanges(const Options &Opts, bool &Failed) {
  Failed = false;
  std::string Error;
  if (!Opts.ChangedSince.empty()) {
    std::optional<ChangedLines> Changes =
        ChangedLines::fromGit(Opts.ChangedSince, Opts.RootDir, Error);
    if (!Changes) {
      Failed = true;
      toolError(Error);
    }
    return Changes;
  }
  if (Opts.DiffFile.empty())
    return std::nullopt;
  auto Buffer = Opts.DiffFile == "-" ? llvm::MemoryBuffer::getSTDIN()
                                     : llvm::MemoryBuffer::getFile(Opts.DiffFile);
  if (!Buffer) {
    Failed = true;
    toolError("cannot read --diff '" + Opts.DiffFile +
              "': " + Buffer.getError().message());
    return std::nullopt;
  }
  return ChangedLines::parse((*Buffer)->getBuffer(), Opts.RootDir);
}

} // namespace

std::optional<WorkList>
makeWorkList(const Options &Opts,
             std::unique_ptr<tooling::CompilationDatabase> Fixed,
             CompileFlags &FlagChanges) {
  WorkList Work;
  Work.Compilations = std::move(Fixed);
  bool Failed = false;
  if (!Work.Compilations && !Opts.BuildPath.empty()) {
    Work.Compilations = loadBuildDirectory(Opts.BuildPath, Failed);
    if (Failed)
      return std::nullopt;
  }
  Work.Changes = loadChanges(Opts, Failed);
  if (Failed)
    return std::nullopt;

  std::vector<std::string> &Files = Work.Files;
  for (const std::string &Source : Opts.Sources) {
    if (!llvm::sys::fs::exists(Source))
      return refuse("no such file: '" + Source + "'");
    if (std::string Why = analysis::whyNotAFile(Source); !Why.empty())
      return refuse("cannot analyse '" + Source + "': " + Why);
    Files.push_back(absolutePath(Source));
  }
  if (Files.empty()) {
    if (Work.Changes && !Work.Compilations)
      return refuse("diff mode without files needs -p BUILD_DIR to know the "
                       "translation units");
    if (!Work.Compilations || Opts.BuildPath.empty())
      return refuse("no input files; pass source files or -p BUILD_DIR "
                       "(run 'corolint --help' for usage)");
    for (const std::string &File : Work.Compilations->getAllFiles())
      Files.push_back(absolutePath(File));
    if (Files.empty())
      return refuse("the compile database in '" + Opts.BuildPath +
                       "' lists no files");
  }

  // Filters, in a stable order: path globs, the diff, then the shard.
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  size_t Listed = Files.size();
  llvm::erase_if(Files, [&](const std::string &File) {
    std::string Relative = displayPath(File, Opts.RootDir);
    if (!Opts.Includes.empty() && !matchesAny(Opts.Includes, File, Relative))
      return true;
    return matchesAny(Opts.Excludes, File, Relative);
  });
  if (Files.empty() && Listed)
    return refuse(llvm::Twine(Listed) +
                     " files listed, none left after --include/--exclude");
  if (Work.Changes) {
    // Changed sources are analysed. A changed file that is not a translation
    // unit (a header) may be read by any of them: then all are analysed
    // (with --cache-dir, only those that read it miss the cache).
    std::set<std::string> Units(Files.begin(), Files.end());
    bool HeaderChanged =
        llvm::any_of(Work.Changes->files(),
                     [&](const std::string &F) { return !Units.count(F); });
    if (!HeaderChanged)
      llvm::erase_if(Files, [&](const std::string &File) {
        return !Work.Changes->touches(File);
      });
  }
  if (Opts.Shard) {
    std::vector<std::string> Mine;
    for (size_t I = 0; I < Files.size(); ++I)
      if (I % Opts.Shard->Count == Opts.Shard->Index - 1)
        Mine.push_back(Files[I]);
    Files = std::move(Mine);
  }

  if (!Work.Compilations && !Files.empty()) {
    std::string DetectError;
    Work.Compilations = tooling::CompilationDatabase::autoDetectFromSource(
        Files.front(), DetectError);
    if (!Work.Compilations) {
      if (!Opts.Quiet)
        llvm::WithColor::note(llvm::errs(), "corolint")
            << "no compile database found for '" << Opts.Sources.front()
            << "'; analysing with -std=c++20 (pass -p BUILD_DIR or the flags "
               "after '--')\n";
      Work.Compilations = std::make_unique<tooling::FixedCompilationDatabase>(
          ".", std::vector<std::string>{"-std=c++20"});
    }
  }

  // Extra arguments, as clang-tidy applies them; then the changes that let
  // clang parse what GCC builds (CompileFlags.h), which see the extra
  // arguments too. The cache keys on the commands as changed.
  if (Work.Compilations) {
    auto Adjusted = std::make_unique<tooling::ArgumentsAdjustingCompilations>(
        std::move(Work.Compilations));
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        Opts.ExtraArgsBefore, tooling::ArgumentInsertPosition::BEGIN));
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        Opts.ExtraArgs, tooling::ArgumentInsertPosition::END));
    Work.Compilations = FlagChanges.adjust(std::move(Adjusted));
  }
  return Work;
}

} // namespace corolint::cli
