//===- Formats.h - the report formats corolint writes and reads -----------===//
//
// One file each: Json.cpp (the report, and its reader for corolint merge),
// Sarif.cpp, Github.cpp, Text.cpp, Baseline.cpp (the baseline file and its
// reader). docs/integration.md documents the JSON schema.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_OUTPUT_FORMATS_H
#define COROLINT_TOOL_CLI_OUTPUT_FORMATS_H

#include "tool/cli/Report.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace corolint::cli {

void writeJson(const Report &R, llvm::raw_ostream &OS);
/// Reads a report written by writeJson, of at most \p Limit bytes; an error
/// message naming the file and the field on failure.
std::optional<Report> readJson(llvm::StringRef Path, std::uint64_t Limit,
                               std::string &Error);
/// The same from the file's text; \p What names it in errors.
std::optional<Report> readJsonText(llvm::StringRef Text, const std::string &What,
                                   std::string &Error);

void writeSarif(const Report &R, llvm::StringRef Root, llvm::raw_ostream &OS);

void writeGithub(const Report &R, llvm::raw_ostream &OS);

/// One line per finding and note, as a compiler prints them (for reports
/// read back from JSON, which carry no source snippets).
void writePlainText(const Report &R, llvm::raw_ostream &OS);

/// Baselines: the fingerprints of known findings, as a multiset.
void writeBaseline(const Report &R, llvm::raw_ostream &OS);
std::optional<std::multiset<std::string>>
readBaseline(llvm::StringRef Path, std::uint64_t Limit, std::string &Error);
std::optional<std::multiset<std::string>>
readBaselineText(llvm::StringRef Text, const std::string &What, std::string &Error);

/// The text of a report or baseline \p Path, of at most \p Limit bytes;
/// \p What names the file in errors ("--baseline 'b.json'").
std::unique_ptr<llvm::MemoryBuffer> readReportFile(llvm::StringRef Path,
                                                   std::uint64_t Limit,
                                                   const std::string &What,
                                                   std::string &Error);

/// The JSON document \p Text of a file corolint wrote, which has the field
/// \p Marker at its top; otherwise an error naming \p What, saying it is not
/// a \p Kind, and ending with \p Hint.
std::optional<nlohmann::json> parseMarkedJson(llvm::StringRef Text,
                                              const std::string &What,
                                              llvm::StringRef Kind,
                                              llvm::StringRef Marker,
                                              llvm::StringRef Hint,
                                              std::string &Error);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_OUTPUT_FORMATS_H
