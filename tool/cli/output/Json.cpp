//===- Json.cpp - the JSON report: writer and reader (corolint merge) -----===//
//
// docs/integration.md documents the schema.
//
//===----------------------------------------------------------------------===//

#include "tool/cli/output/Formats.h"

#include "checks/analysis/InputFiles.h"

#include "clang/Basic/Version.h"
#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace corolint::cli {

namespace {

json positionJson(const Position &P) {
  return {{"file", P.Path}, {"offset", P.Offset}, {"line", P.Line},
          {"column", P.Column}};
}

json editsJson(const std::vector<Edit> &Edits) {
  json Out = json::array();
  for (const Edit &E : Edits)
    Out.push_back({{"file", E.Begin.Path},
                   {"offset", E.Begin.Offset},
                   {"length", E.End.Offset - E.Begin.Offset},
                   {"line", E.Begin.Line},
                   {"column", E.Begin.Column},
                   {"end_line", E.End.Line},
                   {"end_column", E.End.Column},
                   {"replacement", E.Replacement}});
  return Out;
}

} // namespace

void writeJson(const Report &R, llvm::raw_ostream &OS) {
  json Findings = json::array();
  for (const Finding &F : R.Findings) {
    json Notes = json::array();
    for (const Note &N : F.Notes) {
      json Entry = {{"message", N.Message}, {"location", positionJson(N.Where)}};
      if (!N.Fix.empty())
        Entry["fix"] = editsJson(N.Fix);
      Notes.push_back(std::move(Entry));
    }
    Findings.push_back({{"check", F.Check},
                        {"level", F.Level},
                        {"message", F.Message},
                        {"location", positionJson(F.Where)},
                        {"function", F.Function},
                        {"line_text", F.LineText},
                        {"fingerprint", F.Fingerprint},
                        {"notes", std::move(Notes)},
                        {"fix", editsJson(F.Fix)}});
  }
  json Files = json::array();
  for (const FileRecord &F : R.Files) {
    json Entry = {{"file", F.Path}, {"status", F.Status},
                  {"compile_errors", F.CompileErrors}};
    if (!F.Reason.empty())
      Entry["reason"] = F.Reason;
    Files.push_back(std::move(Entry));
  }
  json PerCheck = json::object();
  for (const auto &[Check, Count] : R.findingsPerCheck())
    PerCheck[Check] = Count;
  json Out = {
      {"version", JsonSchemaVersion},
      {"tool",
       {{"name", "corolint"}, {"version", toolVersion()},
        {"llvm", LLVM_VERSION_STRING}}},
      {"findings", std::move(Findings)},
      {"files", std::move(Files)},
      {"summary",
       {{"findings", R.Findings.size()},
        {"per_check", std::move(PerCheck)},
        {"files", R.Files.size()},
        {"failed_files", R.failedFiles()},
        {"cached_files", R.cachedFiles()},
        {"baselined", R.Baselined},
        {"outside_diff", R.OutsideDiff}}}};
  OS << Out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

namespace {

// The readers require every field the writers always write; `reason` of a
// file and the `fix` of a note are written when they are not empty.

Position readPosition(const analysis::JsonField &J) {
  Position P;
  P.Path = J.at("file").string();
  P.Offset = J.at("offset").number();
  P.Line = J.at("line").number();
  P.Column = J.at("column").number();
  return P;
}

std::vector<Edit> readEdits(const analysis::JsonField &J) {
  std::vector<Edit> Out;
  for (const analysis::JsonField &E : J.elements()) {
    Edit Out1;
    Out1.Begin.Path = Out1.End.Path = E.at("file").string();
    Out1.Begin.Offset = E.at("offset").number();
    unsigned Length = E.at("length").number();
    if (Length > UINT32_MAX - Out1.Begin.Offset)
      E.at("length").fail("runs past the end of any file");
    Out1.End.Offset = Out1.Begin.Offset + Length;
    Out1.Begin.Line = E.at("line").number();
    Out1.Begin.Column = E.at("column").number();
    Out1.End.Line = E.at("end_line").number();
    Out1.End.Column = E.at("end_column").number();
    Out1.Replacement = E.at("replacement").string();
    Out.push_back(std::move(Out1));
  }
  return Out;
}

} // namespace

std::unique_ptr<llvm::MemoryBuffer> readReportFile(llvm::StringRef Path,
                                                   std::uint64_t Limit,
                                                   const std::string &What,
                                                   std::string &Error) {
  std::unique_ptr<llvm::MemoryBuffer> Buffer =
      analysis::readInputFile(Path, Limit, Error);
  if (!Buffer)
    Error = What + ": " + Error;
  return Buffer;
}

std::optional<json> parseMarkedJson(llvm::StringRef Text, const std::string &What,
                                    llvm::StringRef Kind, llvm::StringRef Marker,
                                    llvm::StringRef Hint, std::string &Error) {
  std::optional<json> J = analysis::parseJson(Text, Error);
  if (!J) {
    Error = What + ": " + Error;
    return std::nullopt;
  }
  if (!analysis::hasField(*J, Marker)) {
    Error = What + " is not a " + Kind.str() + " (it has no field '" +
            Marker.str() + "'); " + Hint.str();
    return std::nullopt;
  }
  return J;
}

std::optional<Report> readJson(llvm::StringRef Path, std::uint64_t Limit,
                               std::string &Error) {
  std::string What = "'" + Path.str() + "'";
  std::unique_ptr<llvm::MemoryBuffer> Text = readReportFile(Path, Limit, What, Error);
  return Text ? readJsonText(Text->getBuffer(), What, Error) : std::nullopt;
}

std::optional<Report> readJsonText(llvm::StringRef Text, const std::string &What,
                                   std::string &Error) {
  std::optional<json> J =
      parseMarkedJson(Text, What, "corolint JSON report", "version",
                      "pass files written by 'corolint --format=json'", Error);
  if (!J)
    return std::nullopt;
  try {
    analysis::JsonField Top(*J, "");
    analysis::checkVersion(Top, "version", JsonSchemaVersion);
    Report R;
    for (const analysis::JsonField &F : Top.at("findings").elements()) {
      Finding Out;
      Out.Check = F.at("check").string();
      Out.Level = F.at("level").string();
      if (Out.Level != "warning" && Out.Level != "error")
        F.at("level").fail("must be \"warning\" or \"error\"");
      Out.Message = F.at("message").string();
      Out.Where = readPosition(F.at("location"));
      Out.Function = F.at("function").string();
      Out.LineText = F.at("line_text").string();
      Out.Fingerprint = F.at("fingerprint").string();
      Out.Fix = readEdits(F.at("fix"));
      for (const analysis::JsonField &N : F.at("notes").elements()) {
        Note Note1;
        Note1.Message = N.at("message").string();
        Note1.Where = readPosition(N.at("location"));
        if (std::optional<analysis::JsonField> Fix = N.find("fix"))
          Note1.Fix = readEdits(*Fix);
        Out.Notes.push_back(std::move(Note1));
      }
      R.Findings.push_back(std::move(Out));
    }
    for (const analysis::JsonField &F : Top.at("files").elements()) {
      FileRecord Out;
      Out.Path = F.at("file").string();
      Out.Status = F.at("status").string();
      if (Out.Status != "analysed" && Out.Status != "cached" &&
          Out.Status != "failed")
        F.at("status").fail("must be \"analysed\", \"cached\" or \"failed\"");
      Out.CompileErrors = F.at("compile_errors").number();
      Out.Reason = F.string("reason", "");
      R.Files.push_back(std::move(Out));
    }
    for (const auto &[Key, Value] : Top.at("tool").members())
      Value.string();
    analysis::JsonField Summary = Top.at("summary");
    for (const auto &[Key, Value] : Summary.members()) {
      if (Key != "per_check")
        Value.number();
      else
        for (const auto &[Check, Count] : Value.members())
          Count.number();
    }
    R.Baselined = Summary.at("baselined").number();
    R.OutsideDiff = Summary.at("outside_diff").number();
    return R;
  } catch (const std::exception &E) {
    Error = What + " is not a valid corolint report: " + E.what();
    return std::nullopt;
  }
}

} // namespace corolint::cli
