//===- Analysis.cpp - the checks run on every unit, and the link step -----===//

#include "tool/cli/Analysis.h"

#include "checks/Checks.h"
#include "tool/cli/SummaryLink.h"
#include "tool/cli/TidyCompat.h"

#include "clang-tidy/GlobList.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace clang;
using namespace clang::tidy;

namespace corolint::cli {

namespace {

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

} // namespace

std::vector<TuResult> analyse(const Options &Opts, const WorkList &Work,
                              ResultCache *Cache, IgnoredChecks &Ignored) {
  const std::vector<std::string> &Files = Work.Files;
  if (Files.empty())
    return {};
  bool ShowProgress =
      Opts.Progress == ProgressPolicy::Always ||
      (Opts.Progress == ProgressPolicy::Auto && Files.size() > 1 &&
       llvm::sys::Process::StandardErrIsDisplayed());
  Progress Bar(Files.size(), ShowProgress);
  bool CollectSummaries = Opts.linksUnits();

  std::vector<TuResult> Results(Files.size());
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
          compat::makeContext(makeOptionsProvider(Opts, Ignored, Error));
      std::string Key;
      std::optional<TuResult> Result;
      if (Cache) {
        Context->setCurrentFile(File);
        Key = ResultCache::key(
            File, compileCommandText(*Work.Compilations, File),
            configurationAsText(Context->getOptionsForFile(File)),
            std::string(Opts.FixNotes ? "fix-notes;" : "") +
                (CollectSummaries ? "summaries;" : ""));
        Result = Cache->lookup(Key);
      }
      if (!Result) {
        Result = runTranslationUnit(*Context, *Work.Compilations, File, FS,
                                    Opts.anyFix(), CollectSummaries);
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
  unsigned Count = std::max(1u, std::min<unsigned>(Opts.Jobs, Files.size()));
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

std::optional<std::string>
linkAcrossUnits(std::vector<TuResult> &Results,
                const ClangTidyOptions &TidyOptions, SourceCache &Sources,
                const Options &Opts) {
  // The summaries move to the link; each unit's findings are added below.
  std::vector<UnitSummaries> Units;
  llvm::StringMap<size_t> UnitOf;
  for (size_t I = 0; I < Results.size(); ++I) {
    Units.push_back(std::move(Results[I].Summaries));
    UnitOf.try_emplace(Results[I].File, I);
  }
  GlobList AsErrors(TidyOptions.WarningsAsErrors.value_or(""));

  std::vector<std::unique_ptr<SummaryLink>> Links;
  for (const CheckInfo &Info : coroChecks()) {
    if (!Info.ExportsSummaries)
      continue;
    llvm::StringRef Check = Info.Name;
    unsigned Depth = 8;
    llvm::StringRef(checkOption(TidyOptions, (Check + ".MaxCallDepth").str(), "8"))
        .getAsInteger(10, Depth);
    Links.push_back(
        std::make_unique<SummaryLink>(Units, Check.str(), Depth, Info.Wording));
    if (!Opts.CrossTu)
      continue;
    for (const LinkedFinding &F : Links.back()->findings()) {
      // The finding belongs to the unit that defines the coroutine (a
      // coroutine in a header: to the first unit).
      auto Found = UnitOf.find(F.At.File);
      auto Unit = Results.begin() + (Found == UnitOf.end() ? 0 : Found->second);
      unsigned Offset = Sources.offsetOf(F.At.File, F.At.Line, F.At.Column);
      // Already reported by the check itself (its SummaryFile option).
      if (llvm::any_of(Unit->Diagnostics, [&](const TuDiagnostic &D) {
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

  if (!Opts.ExportSummaries.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Opts.ExportSummaries, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return "cannot write --export-summaries '" + Opts.ExportSummaries +
             "': " + EC.message();
    std::vector<const SummaryLink *> Written;
    for (const auto &Link : Links)
      Written.push_back(Link.get());
    writeSummaries(Written, OS);
  }
  return std::nullopt;
}

} // namespace corolint::cli
