//===- Report.h - findings as data ----------------------------------------===//
//
// The CLI turns the diagnostics of every translation unit into one list of
// findings with resolved lines and columns, a fingerprint that survives
// unrelated edits, and the fixes (Findings.h); every output format, the
// baseline and `corolint merge` work on this list (output/Formats.h).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_REPORT_H
#define COROLINT_TOOL_CLI_REPORT_H

#include "tool/cli/TuRunner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
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

/// Path of \p Absolute relative to \p Root when inside it.
std::string displayPath(llvm::StringRef Absolute, llvm::StringRef Root);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_REPORT_H
