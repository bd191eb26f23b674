//===- Report.h - findings as data: JSON, SARIF, GitHub, baselines --------===//
//
// The CLI turns the diagnostics of every translation unit into one list of
// findings with resolved lines and columns, a fingerprint that survives
// unrelated edits, and the fixes; every output format, the baseline and
// `corolint merge` work on this list. docs/integration.md documents the
// JSON schema.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_REPORT_H
#define COROLINT_TOOL_CLI_REPORT_H

#include "tool/cli/TuRunner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace corolint::cli {

constexpr int JsonSchemaVersion = 1;

/// corolint's version, as the reports and the cache record it.
const char *toolVersion();
/// \p Value as 16 hexadecimal digits.
std::string hex64(uint64_t Value);

struct Position {
  std::string Path; ///< as reported: relative to the root when inside it
  unsigned Offset = 0;
  unsigned Line = 0;
  unsigned Column = 0;
};

struct Edit {
  Position Begin;
  Position End;
  std::string Replacement;
};

struct Note {
  std::string Message;
  Position Where;
  std::vector<Edit> Fix;
};

struct Finding {
  std::string Check;
  std::string Level; ///< "warning" or "error"
  std::string Message;
  Position Where;
  std::string Function;
  std::string LineText;
  std::string Fingerprint;
  std::vector<Note> Notes;
  std::vector<Edit> Fix;
};

struct FileRecord {
  std::string Path;
  std::string Status; ///< "analysed", "cached" or "failed"
  unsigned CompileErrors = 0;
  std::string Reason; ///< why it failed, when it did
};

struct Report {
  std::vector<Finding> Findings;
  std::vector<FileRecord> Files;
  unsigned Baselined = 0;   ///< findings hidden by --baseline
  unsigned OutsideDiff = 0; ///< findings hidden by the diff filter
  double Seconds = 0;
  double LinkSeconds = 0; ///< the cross-file link step

  unsigned failedFiles() const;
  unsigned cachedFiles() const;
  std::map<std::string, unsigned> findingsPerCheck() const;
};

/// Reads source files once and answers line/column questions about them.
class SourceCache {
public:
  /// Line and column (1-based, bytes) of \p Offset in \p Path.
  std::pair<unsigned, unsigned> lineColumn(llvm::StringRef Path, unsigned Offset);
  /// The byte offset of \p Line and \p Column (1-based) in \p Path.
  unsigned offsetOf(llvm::StringRef Path, unsigned Line, unsigned Column);
  /// The text of line \p Line (1-based) without its newline.
  std::string lineText(llvm::StringRef Path, unsigned Line);

private:
  struct File {
    std::string Text;
    std::vector<unsigned> LineStarts;
  };
  const File &get(llvm::StringRef Path);
  llvm::StringMap<File> Files;
};

/// Builds the findings of \p Results: compile errors are not findings (they
/// are counted per file), duplicates across TUs are dropped, the order is by
/// file, line, column and check. Paths under \p Root are made relative.
Report buildReport(const std::vector<TuResult> &Results, llvm::StringRef Root,
                   SourceCache &Sources);

/// Path of \p Absolute relative to \p Root when inside it.
std::string displayPath(llvm::StringRef Absolute, llvm::StringRef Root);

void writeJson(const Report &R, llvm::raw_ostream &OS);
void writeSarif(const Report &R, llvm::StringRef Root, llvm::raw_ostream &OS);
void writeGithub(const Report &R, llvm::raw_ostream &OS);
/// One line per finding and note, as a compiler prints them (for reports
/// read back from JSON, which carry no source snippets).
void writePlainText(const Report &R, llvm::raw_ostream &OS);

/// Reads a report written by writeJson, of at most \p Limit bytes; an error
/// message naming the file and the field on failure.
std::optional<Report> readJson(llvm::StringRef Path, std::uint64_t Limit,
                               std::string &Error);
/// The same from the file's text; \p What names it in errors.
std::optional<Report> readJsonText(llvm::StringRef Text, const std::string &What,
                                   std::string &Error);

/// Baselines: the fingerprints of known findings, as a multiset.
void writeBaseline(const Report &R, llvm::raw_ostream &OS);
std::optional<std::multiset<std::string>>
readBaseline(llvm::StringRef Path, std::uint64_t Limit, std::string &Error);
std::optional<std::multiset<std::string>>
readBaselineText(llvm::StringRef Text, const std::string &What, std::string &Error);
/// Drops the findings whose fingerprints are in \p Known (each entry hides
/// one finding).
void applyBaseline(Report &R, std::multiset<std::string> Known);

/// Sorts and de-duplicates findings, the order every output uses.
void normalise(Report &R);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_REPORT_H
