//===- ExternalSummaries.cpp - summaries of functions in other files ------===//

#include "checks/analysis/ExternalSummaries.h"

#include "checks/analysis/InputFiles.h"

#include "llvm/Support/FileSystem.h"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <tuple>

using nlohmann::json;

namespace corolint::analysis {

namespace {

struct CacheKey {
  std::string Path;
  std::string Check;
  bool operator<(const CacheKey &O) const {
    return std::tie(Path, Check) < std::tie(O.Path, O.Check);
  }
};

struct CacheEntry {
  llvm::sys::TimePoint<> Modified;
  uint64_t Size = 0;
  std::shared_ptr<const ExternalSummaries> Summaries;
  std::string Error;
};

std::mutex CacheMutex;
std::map<CacheKey, CacheEntry> Cache;

} // namespace

const ExternalChain *ExternalSummaries::find(llvm::StringRef USR) const {
  auto It = Chains.find(USR);
  return It == Chains.end() ? nullptr : &It->second;
}

std::shared_ptr<const ExternalSummaries>
ExternalSummaries::load(llvm::StringRef Path, llvm::StringRef Check,
                        std::uint64_t Limit, std::string &Error) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status)) {
    if (EC != std::errc::no_such_file_or_directory)
      Error = "cannot read it: " + EC.message();
    return nullptr; // not written yet: per-file analysis
  }

  std::lock_guard<std::mutex> Lock(CacheMutex);
  CacheEntry &Entry = Cache[{Path.str(), Check.str()}];
  if ((Entry.Summaries || !Entry.Error.empty()) &&
      Entry.Modified == Status.getLastModificationTime() &&
      Entry.Size == Status.getSize()) {
    Error = Entry.Error;
    return Entry.Summaries;
  }
  Entry = CacheEntry();
  Entry.Modified = Status.getLastModificationTime();
  Entry.Size = Status.getSize();

  std::unique_ptr<llvm::MemoryBuffer> Buffer = readInputFile(Path, Limit, Error);
  if (!Buffer) {
    Entry.Error = Error;
    return nullptr;
  }
  std::shared_ptr<const ExternalSummaries> Out =
      parse(Buffer->getBuffer(), Check, Error);
  if (!Out) {
    Entry.Error = Error;
    return nullptr;
  }
  Entry.Summaries = Out;
  return Out;
}

std::shared_ptr<const ExternalSummaries>
ExternalSummaries::parse(llvm::StringRef Text, llvm::StringRef Check,
                         std::string &Error) {
  auto Out = std::make_shared<ExternalSummaries>();
  try {
    std::optional<json> J = parseJson(Text, Error);
    if (!J)
      throw SchemaError(Error);
    JsonField Top(*J, "");
    if (!hasField(*J, "corolint_summaries"))
      throw SchemaError("it is not a summary file written by 'corolint "
                        "--export-summaries' (it has no field "
                        "'corolint_summaries')");
    checkVersion(Top, "corolint_summaries", 1);
    if (std::optional<JsonField> Functions = Top.at("checks").find(Check))
      for (const JsonField &F : Functions->elements()) {
        std::optional<JsonField> B = F.find("blocks");
        if (!B)
          continue;
        ExternalChain Chain;
        Chain.Depth = B->at("depth").number();
        Chain.Api = B->at("api").string();
        Chain.Category = B->at("category").string();
        for (const JsonField &S : B->at("chain").elements()) {
          ExternalChain::Step Step;
          Step.Name = S.at("name").string();
          JsonField L = S.at("location");
          Step.File = L.at("file").string();
          Step.Line = L.at("line").number();
          Step.Column = L.at("column").number();
          Chain.Steps.push_back(std::move(Step));
        }
        if (Chain.Steps.empty())
          continue;
        Out->Chains[F.at("usr").string()] = std::move(Chain);
      }
  } catch (const std::exception &E) {
    // SchemaError names the field; anything else (memory) must not reach
    // the host of the plugin either.
    Error = E.what();
    return nullptr;
  }
  return Out;
}

} // namespace corolint::analysis
