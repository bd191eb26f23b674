//===- Baseline.cpp - the baseline file: writer and reader ----------------===//

#include "tool/cli/output/Formats.h"

#include "checks/analysis/InputFiles.h"

#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace corolint::cli {

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
  std::unique_ptr<llvm::MemoryBuffer> Text = readReportFile(Path, Limit, What, Error);
  return Text ? readBaselineText(Text->getBuffer(), What, Error) : std::nullopt;
}

std::optional<std::multiset<std::string>>
readBaselineText(llvm::StringRef Text, const std::string &What, std::string &Error) {
  std::optional<json> J =
      parseMarkedJson(Text, What, "corolint baseline", "corolint_baseline",
                      "write one with --write-baseline", Error);
  if (!J)
    return std::nullopt;
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

} // namespace corolint::cli
