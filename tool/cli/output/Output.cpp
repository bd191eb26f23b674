//===- Output.cpp - what a run prints -------------------------------------===//

#include "tool/cli/output/Output.h"

#include "tool/cli/output/Formats.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"

using namespace clang::tidy;

namespace corolint::cli {

bool writeReport(const Report &R, const Options &Opts) {
  std::error_code EC;
  std::unique_ptr<llvm::raw_fd_ostream> File;
  if (!Opts.Output.empty()) {
    File = std::make_unique<llvm::raw_fd_ostream>(Opts.Output, EC,
                                                  llvm::sys::fs::OF_Text);
    if (EC) {
      toolError("cannot write --output '" + Opts.Output + "': " + EC.message());
      return false;
    }
  }
  llvm::raw_ostream &OS = File ? *File : llvm::outs();
  switch (Opts.Format) {
  case OutputFormat::Json:
    writeJson(R, OS);
    break;
  case OutputFormat::Sarif:
    writeSarif(R, Opts.RootDir, OS);
    break;
  case OutputFormat::Github:
    writeGithub(R, OS);
    break;
  case OutputFormat::Text:
    writePlainText(R, OS);
    break;
  }
  return true;
}

void printSuppressed(const std::vector<TuResult> &Results, const Options &Opts) {
  ClangTidyStats Stats;
  for (const TuResult &TU : Results) {
    Stats.ErrorsIgnoredCheckFilter += TU.Stats.ErrorsIgnoredCheckFilter;
    Stats.ErrorsIgnoredNOLINT += TU.Stats.ErrorsIgnoredNOLINT;
    Stats.ErrorsIgnoredNonUserCode += TU.Stats.ErrorsIgnoredNonUserCode;
    Stats.ErrorsIgnoredLineFilter += TU.Stats.ErrorsIgnoredLineFilter;
  }
  if (Opts.Quiet || !Stats.errorsIgnored())
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

void printSummary(const Report &R, double Seconds, const Options &Opts) {
  if (Opts.Quiet)
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
      R.Files, [](const FileRecord &F) { return F.CompileErrors > 0; }));
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

} // namespace corolint::cli
