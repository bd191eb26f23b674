//===- Report.cpp - findings as data: JSON, SARIF, GitHub, baselines ------===//

#include "tool/cli/Report.h"

#include "checks/analysis/InputFiles.h"

#include "clang/Basic/Version.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

#ifndef COROLINT_VERSION
#define COROLINT_VERSION "unknown"
#endif

using nlohmann::json;
using namespace clang::tidy;

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

struct RuleInfo {
  const char *Short;
  const char *Full;
};

RuleInfo ruleInfo(llvm::StringRef Check) {
  if (Check == "coro-blocking-call")
    return {"A coroutine calls a function that blocks its thread",
            "A coroutine calls a function that blocks the thread it runs on "
            "(sleep, file or network I/O, a synchronous database call, a wait "
            "on a future or a thread, directly or through the functions it "
            "calls); every other task of the event loop waits until it "
            "returns. Await the runtime's asynchronous equivalent or offload "
            "the call to a thread pool."};
  if (Check == "coro-cpu-bound-loop")
    return {"A coroutine runs a long CPU-bound loop on the event loop",
            "A coroutine runs a loop, or calls a function, whose CPU work is "
            "long enough to stall every other task of the event loop. Run it "
            "on a CPU executor and await the result."};
  if (Check == "coro-swallowed-cancellation")
    return {"A handler around a suspension point swallows cancellation",
            "A catch handler around a co_await catches the runtime's "
            "cancellation exception and does not rethrow it, so the task "
            "keeps running after it was cancelled and shutdowns or timeouts "
            "hang. Rethrow the cancellation before handling other errors."};
  return {nullptr, nullptr};
}

std::string helpUri(llvm::StringRef Check) {
  if (Check.starts_with("coro-"))
    return "";
  auto [Module, Name] = Check.split('-');
  if (Name.empty())
    return "";
  return ("https://clang.llvm.org/extra/clang-tidy/checks/" + Module + "/" +
          Name + ".html")
      .str();
}

std::string uriEscape(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/").contains(C))
      Out += C;
    else {
      const char *Digits = "0123456789ABCDEF";
      Out += '%';
      Out += Digits[C >> 4];
      Out += Digits[C & 15];
    }
  }
  return Out;
}

json artifactLocation(llvm::StringRef Path) {
  if (llvm::sys::path::is_absolute(Path))
    return {{"uri", "file://" + uriEscape(Path)}};
  return {{"uri", uriEscape(Path)}, {"uriBaseId", "SRCROOT"}};
}

json sarifRegion(const Position &Begin, const Position *End = nullptr) {
  json Region = {{"startLine", Begin.Line}, {"startColumn", Begin.Column}};
  if (End) {
    Region["endLine"] = End->Line;
    Region["endColumn"] = End->Column;
  }
  return Region;
}

std::string githubEscape(llvm::StringRef Text, bool Property) {
  std::string Out;
  for (char C : Text) {
    switch (C) {
    case '%': Out += "%25"; break;
    case '\r': Out += "%0D"; break;
    case '\n': Out += "%0A"; break;
    case ':': Out += Property ? "%3A" : ":"; break;
    case ',': Out += Property ? "%2C" : ","; break;
    default: Out += C;
    }
  }
  return Out;
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

/// The text of \p Path; \p What names the file in errors ("--baseline
/// 'b.json'").
std::unique_ptr<llvm::MemoryBuffer> readFileText(llvm::StringRef Path,
                                                 std::uint64_t Limit,
                                                 const std::string &What,
                                                 std::string &Error) {
  std::unique_ptr<llvm::MemoryBuffer> Buffer =
      analysis::readInputFile(Path, Limit, Error);
  if (!Buffer)
    Error = What + ": " + Error;
  return Buffer;
}

} // namespace

std::optional<Report> readJson(llvm::StringRef Path, std::uint64_t Limit,
                               std::string &Error) {
  std::string What = "'" + Path.str() + "'";
  std::unique_ptr<llvm::MemoryBuffer> Text = readFileText(Path, Limit, What, Error);
  return Text ? readJsonText(Text->getBuffer(), What, Error) : std::nullopt;
}

std::optional<Report> readJsonText(llvm::StringRef Text, const std::string &What,
                                   std::string &Error) {
  std::optional<json> J = analysis::parseJson(Text, Error);
  if (!J) {
    Error = What + ": " + Error;
    return std::nullopt;
  }
  if (!analysis::hasField(*J, "version")) {
    Error = What + " is not a corolint JSON report (it has no field "
                   "'version'); pass files written by 'corolint --format=json'";
    return std::nullopt;
  }
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

void writeSarif(const Report &R, llvm::StringRef Root, llvm::raw_ostream &OS) {
  // Rules: every check that has a finding, in name order.
  std::map<std::string, unsigned> RuleIndex;
  for (const Finding &F : R.Findings)
    RuleIndex.emplace(F.Check, 0);
  json Rules = json::array();
  unsigned Next = 0;
  for (auto &[Check, Index] : RuleIndex) {
    Index = Next++;
    RuleInfo Info = ruleInfo(Check);
    std::string Short = Info.Short ? Info.Short : "clang-tidy check " + Check;
    std::string Full = Info.Full ? Info.Full : Short;
    json Rule = {{"id", Check},
                 {"name", Check},
                 {"shortDescription", {{"text", Short}}},
                 {"fullDescription", {{"text", Full}}},
                 {"defaultConfiguration", {{"level", "warning"}}}};
    std::string Uri = helpUri(Check);
    if (Check.rfind("coro-", 0) == 0) {
      std::string Doc = "docs/checks/" + Check + ".md";
      Rule["help"] = {{"text", Full + " See " + Doc + "."},
                      {"markdown", Full + " See [" + Doc + "](" + Doc + ")."}};
    } else {
      Rule["help"] = {{"text", Full + " See " + Uri + "."}};
      Rule["helpUri"] = Uri;
    }
    Rules.push_back(std::move(Rule));
  }

  json Results = json::array();
  for (const Finding &F : R.Findings) {
    json Location = {
        {"physicalLocation",
         {{"artifactLocation", artifactLocation(F.Where.Path)},
          {"region", sarifRegion(F.Where)}}}};
    if (!F.Function.empty())
      Location["logicalLocations"] =
          json::array({{{"fullyQualifiedName", F.Function}, {"kind", "function"}}});
    json Result = {{"ruleId", F.Check},
                   {"ruleIndex", RuleIndex[F.Check]},
                   {"level", F.Level},
                   {"message", {{"text", F.Message}}},
                   {"locations", json::array({Location})},
                   {"partialFingerprints", {{"corolint/v1", F.Fingerprint}}}};
    json Related = json::array();
    int Id = 1;
    for (const Note &N : F.Notes) {
      if (N.Where.Path.empty())
        continue;
      Related.push_back(
          {{"id", Id++},
           {"message", {{"text", N.Message}}},
           {"physicalLocation",
            {{"artifactLocation", artifactLocation(N.Where.Path)},
             {"region", sarifRegion(N.Where)}}}});
    }
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    if (!F.Fix.empty()) {
      std::map<std::string, json> PerFile;
      for (const Edit &E : F.Fix) {
        json Replacement = {{"deletedRegion", sarifRegion(E.Begin, &E.End)}};
        Replacement["insertedContent"] = {{"text", E.Replacement}};
        PerFile[E.Begin.Path].push_back(std::move(Replacement));
      }
      json Changes = json::array();
      for (auto &[Path, Replacements] : PerFile)
        Changes.push_back({{"artifactLocation", artifactLocation(Path)},
                           {"replacements", std::move(Replacements)}});
      Result["fixes"] = json::array(
          {{{"description", {{"text", "corolint's suggested fix"}}},
            {"artifactChanges", std::move(Changes)}}});
    }
    Results.push_back(std::move(Result));
  }

  json Notifications = json::array();
  for (const FileRecord &F : R.Files)
    if (F.Status == "failed")
      Notifications.push_back(
          {{"level", "error"},
           {"message", {{"text", F.Path + ": " + F.Reason}}},
           {"locations",
            json::array({{{"physicalLocation",
                           {{"artifactLocation", artifactLocation(F.Path)}}}}})}});

  std::string RootUri = Root.str();
  if (!llvm::StringRef(RootUri).ends_with("/"))
    RootUri += '/';
  json Run = {
      {"tool",
       {{"driver",
         {{"name", "corolint"},
          {"version", toolVersion()},
          {"semanticVersion", toolVersion()},
          {"rules", std::move(Rules)}}}}},
      {"originalUriBaseIds",
       {{"SRCROOT", {{"uri", "file://" + uriEscape(RootUri)}}}}},
      {"results", std::move(Results)},
      {"columnKind", "unicodeCodePoints"},
      {"invocations",
       json::array({{{"executionSuccessful", R.failedFiles() == 0},
                     {"toolExecutionNotifications", std::move(Notifications)}}})}};
  json Out = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(Run)})}};
  OS << Out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

void writeGithub(const Report &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings)
    OS << "::" << F.Level << " file=" << githubEscape(F.Where.Path, true)
       << ",line=" << F.Where.Line << ",col=" << F.Where.Column
       << ",title=" << githubEscape(F.Check, true)
       << "::" << githubEscape(F.Message, false) << "\n";
  for (const FileRecord &F : R.Files)
    if (F.Status == "failed")
      OS << "::error file=" << githubEscape(F.Path, true)
         << ",title=corolint::" << githubEscape("not analysed: " + F.Reason, false)
         << "\n";
}

void writePlainText(const Report &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings) {
    OS << F.Where.Path << ":" << F.Where.Line << ":" << F.Where.Column << ": "
       << F.Level << ": " << F.Message << " [" << F.Check << "]\n";
    for (const Note &N : F.Notes) {
      if (!N.Where.Path.empty())
        OS << N.Where.Path << ":" << N.Where.Line << ":" << N.Where.Column << ": ";
      OS << "note: " << N.Message << "\n";
    }
  }
}

void writeBaseline(const Report &R, llvm::raw_ostream &OS) {
  json Entries = json::array();
  for (const Finding &F : R.Findings)
    Entries.push_back({{"fingerprint", F.Fingerprint},
                       {"check", F.Check},
                       {"file", F.Where.Path},
                       {"function", F.Function},
                       {"line_text", F.LineText}});
  json Out = {{"corolint_baseline", JsonSchemaVersion},
              {"findings", std::move(Entries)}};
  OS << Out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

std::optional<std::multiset<std::string>>
readBaseline(llvm::StringRef Path, std::uint64_t Limit, std::string &Error) {
  std::string What = "--baseline '" + Path.str() + "'";
  std::unique_ptr<llvm::MemoryBuffer> Text = readFileText(Path, Limit, What, Error);
  return Text ? readBaselineText(Text->getBuffer(), What, Error) : std::nullopt;
}

std::optional<std::multiset<std::string>>
readBaselineText(llvm::StringRef Text, const std::string &What, std::string &Error) {
  std::optional<json> J = analysis::parseJson(Text, Error);
  if (!J) {
    Error = What + ": " + Error;
    return std::nullopt;
  }
  if (!analysis::hasField(*J, "corolint_baseline")) {
    Error = What + " is not a corolint baseline (it has no field "
                   "'corolint_baseline'); write one with --write-baseline";
    return std::nullopt;
  }
  try {
    analysis::JsonField Top(*J, "");
    analysis::checkVersion(Top, "corolint_baseline", JsonSchemaVersion);
    std::multiset<std::string> Known;
    for (const analysis::JsonField &Entry : Top.at("findings").elements())
      Known.insert(Entry.at("fingerprint").string());
    return Known;
  } catch (const std::exception &E) {
    Error = What + " is not a valid corolint baseline: " + E.what();
    return std::nullopt;
  }
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

} // namespace corolint::cli
