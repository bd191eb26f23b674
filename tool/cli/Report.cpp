//===- Report.cpp - findings as data --------------------------------------===//

#include "tool/cli/Report.h"

#include "checks/analysis/InputFiles.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>

#ifndef COROLINT_VERSION
#define COROLINT_VERSION "unknown"
#endif


namespace corolint::cli {

std::string hex64(uint64_t Value) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format_hex_no_prefix(Value, 16);
  return Out;
}

const char *toolVersion() { return COROLINT_VERSION; }

unsigned Report::failedFiles() const {
  return std::count_if(Files.begin(), Files.end(),
                       [](const FileRecord &F) { return F.Status == "failed"; });
}

unsigned Report::cachedFiles() const {
  return std::count_if(Files.begin(), Files.end(),
                       [](const FileRecord &F) { return F.Status == "cached"; });
}

std::map<std::string, unsigned> Report::findingsPerCheck() const {
  std::map<std::string, unsigned> Counts;
  for (const Finding &F : Findings)
    ++Counts[F.Check];
  return Counts;
}

const SourceCache::File &SourceCache::get(llvm::StringRef Path) {
  auto It = Files.find(Path);
  if (It != Files.end())
    return It->second;
  File F;
  std::string Ignored;
  if (auto Buffer = analysis::readInputFile(Path, analysis::DefaultInputSizeLimit,
                                            Ignored))
    F.Text = Buffer->getBuffer().str();
  F.LineStarts.push_back(0);
  for (unsigned I = 0; I < F.Text.size(); ++I)
    if (F.Text[I] == '\n')
      F.LineStarts.push_back(I + 1);
  return Files.try_emplace(Path, std::move(F)).first->second;
}

std::pair<unsigned, unsigned> SourceCache::lineColumn(llvm::StringRef Path,
                                                      unsigned Offset) {
  const File &F = get(Path);
  auto It = std::upper_bound(F.LineStarts.begin(), F.LineStarts.end(), Offset);
  unsigned Line = It - F.LineStarts.begin();
  return {Line, Offset - F.LineStarts[Line - 1] + 1};
}

unsigned SourceCache::offsetOf(llvm::StringRef Path, unsigned Line,
                               unsigned Column) {
  const File &F = get(Path);
  if (Line == 0 || Line > F.LineStarts.size())
    return 0;
  return F.LineStarts[Line - 1] + (Column ? Column - 1 : 0);
}

std::string SourceCache::lineText(llvm::StringRef Path, unsigned Line) {
  const File &F = get(Path);
  if (Line == 0 || Line > F.LineStarts.size())
    return "";
  unsigned Begin = F.LineStarts[Line - 1];
  unsigned End = Line < F.LineStarts.size() ? F.LineStarts[Line] : F.Text.size();
  llvm::StringRef Text(F.Text.data() + Begin, End - Begin);
  return Text.rtrim("\r\n").str();
}

std::string displayPath(llvm::StringRef Absolute, llvm::StringRef Root) {
  if (Root.empty() || !llvm::sys::path::is_absolute(Absolute))
    return Absolute.str();
  std::string Prefix = Root.str();
  if (!llvm::StringRef(Prefix).ends_with("/"))
    Prefix += '/';
  if (Absolute.starts_with(Prefix))
    return Absolute.substr(Prefix.size()).str();
  return Absolute.str();
}

} // namespace corolint::cli
