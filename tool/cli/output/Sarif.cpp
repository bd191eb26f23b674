//===- Sarif.cpp - the SARIF 2.1.0 report, for code scanning --------------===//

#include "tool/cli/output/Formats.h"

#include "checks/Checks.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <map>

using nlohmann::json;

namespace corolint::cli {

namespace {

/// The page of a stock clang-tidy check.
std::string helpUri(llvm::StringRef Check) {
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

} // namespace

void writeSarif(const Report &R, llvm::StringRef Root, llvm::raw_ostream &OS) {
  // Rules: every check that has a finding, in name order.
  std::map<std::string, unsigned> RuleIndex;
  for (const Finding &F : R.Findings)
    RuleIndex.emplace(F.Check, 0);
  json Rules = json::array();
  unsigned Next = 0;
  for (auto &[Check, Index] : RuleIndex) {
    Index = Next++;
    const CheckInfo *Coro = findCoroCheck(Check);
    std::string Short =
        Coro ? Coro->Summary.str() : "clang-tidy check " + Check;
    std::string Full = Coro ? Coro->Description.str() : Short;
    json Rule = {{"id", Check},
                 {"name", Check},
                 {"shortDescription", {{"text", Short}}},
                 {"fullDescription", {{"text", Full}}},
                 {"defaultConfiguration", {{"level", "warning"}}}};
    if (Coro) {
      std::string Doc = Coro->DocsPage.str();
      Rule["help"] = {{"text", Full + " See " + Doc + "."},
                      {"markdown", Full + " See [" + Doc + "](" + Doc + ")."}};
    } else {
      std::string Uri = helpUri(Check);
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

} // namespace corolint::cli
