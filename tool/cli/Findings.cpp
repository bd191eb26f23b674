//===- Findings.cpp - from diagnostics to the findings a run reports ------===//

#include "tool/cli/Findings.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace clang::tidy;

namespace corolint::cli {

namespace {

/// The line without any white space: re-indenting or re-spacing a line
/// keeps its fingerprint.
std::string withoutSpaces(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text)
    if (!llvm::isSpace(C))
      Out += C;
  return Out;
}

Position position(llvm::StringRef File, unsigned Offset, llvm::StringRef Root,
                  SourceCache &Sources) {
  Position P;
  P.Path = displayPath(File, Root);
  P.Offset = Offset;
  std::tie(P.Line, P.Column) = Sources.lineColumn(File, Offset);
  return P;
}

std::vector<Edit> edits(const llvm::StringMap<clang::tooling::Replacements> &Fix,
                        llvm::StringRef Root, SourceCache &Sources) {
  std::vector<Edit> Out;
  for (const auto &Entry : Fix)
    for (const clang::tooling::Replacement &R : Entry.getValue()) {
      Edit E;
      E.Begin = position(R.getFilePath(), R.getOffset(), Root, Sources);
      E.End = position(R.getFilePath(), R.getOffset() + R.getLength(), Root,
                       Sources);
      E.Replacement = R.getReplacementText().str();
      Out.push_back(std::move(E));
    }
  std::sort(Out.begin(), Out.end(), [](const Edit &A, const Edit &B) {
    return std::tie(A.Begin.Path, A.Begin.Offset) <
           std::tie(B.Begin.Path, B.Begin.Offset);
  });
  return Out;
}

auto findingKey(const Finding &F) {
  return std::tie(F.Where.Path, F.Where.Line, F.Where.Column, F.Check,
                  F.Message);
}

/// Fingerprints: the check, the file, the enclosing function and the
/// finding's line without white space, plus the rank among findings
/// that share all four. Line numbers are left out so that edits elsewhere
/// in the file keep the fingerprint.
void assignFingerprints(Report &R) {
  std::map<std::string, unsigned> Seen;
  for (Finding &F : R.Findings) {
    std::string Key = F.Check + '\0' + F.Where.Path + '\0' + F.Function + '\0' +
                      withoutSpaces(F.LineText);
    unsigned Rank = Seen[Key]++;
    F.Fingerprint = hex64(llvm::xxh3_64bits(Key)) + ":" + std::to_string(Rank);
  }
}

/// A report path (relative to the root when inside it) made absolute again.
std::string underRoot(llvm::StringRef RootDir, llvm::StringRef Path) {
  if (llvm::sys::path::is_absolute(Path))
    return Path.str();
  llvm::SmallString<256> Out(RootDir);
  llvm::sys::path::append(Out, Path);
  return std::string(Out);
}

} // namespace

void normalise(Report &R) {
  std::sort(R.Findings.begin(), R.Findings.end(),
                   [](const Finding &A, const Finding &B) {
                     return findingKey(A) < findingKey(B);
                   });
  R.Findings.erase(std::unique(R.Findings.begin(), R.Findings.end(),
                               [](const Finding &A, const Finding &B) {
                                 return findingKey(A) == findingKey(B);
                               }),
                   R.Findings.end());
  std::sort(R.Files.begin(), R.Files.end(),
            [](const FileRecord &A, const FileRecord &B) { return A.Path < B.Path; });
}

Report buildReport(const std::vector<TuResult> &Results, llvm::StringRef Root,
                   SourceCache &Sources) {
  Report R;
  for (const TuResult &TU : Results) {
    FileRecord Record;
    Record.Path = displayPath(TU.File, Root);
    Record.CompileErrors = TU.compileErrors();
    Record.Status = TU.FromCache ? "cached" : "analysed";
    if (Record.CompileErrors || !TU.ToolFailure.empty()) {
      Record.Status = "failed";
      Record.Reason = !TU.ToolFailure.empty()
                          ? TU.ToolFailure
                          : std::to_string(Record.CompileErrors) +
                                " compile error" +
                                (Record.CompileErrors == 1 ? "" : "s");
    }
    R.Files.push_back(std::move(Record));
    for (const TuDiagnostic &D : TU.Diagnostics) {
      const ClangTidyError &E = D.Error;
      if (llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-"))
        continue;
      if (E.Message.FilePath.empty())
        continue;
      Finding F;
      F.Check = E.DiagnosticName;
      F.Level = (E.DiagLevel == ClangTidyError::Error || E.IsWarningAsError)
                    ? "error"
                    : "warning";
      F.Message = E.Message.Message;
      F.Where = position(E.Message.FilePath, E.Message.FileOffset, Root, Sources);
      F.Function = D.Function;
      F.LineText = Sources.lineText(E.Message.FilePath, F.Where.Line);
      F.Fix = edits(E.Message.Fix, Root, Sources);
      for (const clang::tooling::DiagnosticMessage &N : E.Notes) {
        Note Out;
        Out.Message = N.Message;
        if (!N.FilePath.empty())
          Out.Where = position(N.FilePath, N.FileOffset, Root, Sources);
        Out.Fix = edits(N.Fix, Root, Sources);
        F.Notes.push_back(std::move(Out));
      }
      R.Findings.push_back(std::move(F));
    }
  }
  normalise(R);
  assignFingerprints(R);
  return R;
}

void applyBaseline(Report &R, std::multiset<std::string> Known) {
  std::vector<Finding> Kept;
  for (Finding &F : R.Findings) {
    auto It = Known.find(F.Fingerprint);
    if (It != Known.end()) {
      Known.erase(It);
      ++R.Baselined;
      continue;
    }
    Kept.push_back(std::move(F));
  }
  R.Findings = std::move(Kept);
}

void keepChangedLines(Report &R, const ChangedLines &Changes,
                      llvm::StringRef RootDir) {
  std::vector<Finding> Kept;
  for (Finding &F : R.Findings) {
    if (Changes.contains(underRoot(RootDir, F.Where.Path), F.Where.Line))
      Kept.push_back(std::move(F));
    else
      ++R.OutsideDiff;
  }
  R.Findings = std::move(Kept);
}

std::vector<ClangTidyError> reportedDiagnostics(std::vector<TuResult> &Results,
                                                const Report &R,
                                                llvm::StringRef RootDir,
                                                bool PrintsText) {
  std::set<std::tuple<std::string, unsigned, std::string, std::string>> Reported;
  for (const Finding &F : R.Findings)
    Reported.insert(
        {underRoot(RootDir, F.Where.Path), F.Where.Offset, F.Check, F.Message});
  // Diagnostics without a place (an invalid check option) are printed
  // once, whatever the format.
  std::vector<ClangTidyError> Errors;
  std::set<std::pair<std::string, std::string>> Placeless;
  for (TuResult &TU : Results)
    for (TuDiagnostic &D : TU.Diagnostics) {
      ClangTidyError &E = D.Error;
      bool Compile = llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
      if (E.Message.FilePath.empty()) {
        if (!Placeless.insert({E.DiagnosticName, E.Message.Message}).second)
          continue;
        if (!PrintsText) {
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
  return Errors;
}

unsigned compileErrors(const Report &R) {
  unsigned Count = 0;
  for (const FileRecord &F : R.Files)
    Count += F.CompileErrors;
  return Count;
}

int exitCodeFor(const Report &R, const Options &Opts) {
  if (R.failedFiles() && Opts.CompileErrors == CompileErrorPolicy::Fail)
    return ExitToolError;
  switch (Opts.FailOn) {
  case FailLevel::Never:
    return ExitClean;
  case FailLevel::Error:
    return llvm::any_of(R.Findings,
                        [](const Finding &F) { return F.Level == "error"; })
               ? ExitFindings
               : ExitClean;
  case FailLevel::Warning:
    break;
  }
  return R.Findings.empty() ? ExitClean : ExitFindings;
}

} // namespace corolint::cli
