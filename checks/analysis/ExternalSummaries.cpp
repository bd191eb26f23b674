//===- ExternalSummaries.cpp - summaries of functions in other files ------===//

#include "checks/analysis/ExternalSummaries.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

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
                        std::string &Error) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status) || !llvm::sys::fs::exists(Status))
    return nullptr; // not written yet: per-file analysis

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

  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Entry.Error = Error = "cannot read it: " + Buffer.getError().message();
    return nullptr;
  }
  json J = json::parse((*Buffer)->getBuffer().begin(),
                       (*Buffer)->getBuffer().end(), nullptr,
                       /*allow_exceptions=*/false);
  if (J.is_discarded() || !J.is_object() || J.value("corolint_summaries", 0) != 1 ||
      !J.contains("checks") || !J["checks"].is_object()) {
    Entry.Error = Error = "it is not a summary file written by "
                          "'corolint --export-summaries'";
    return nullptr;
  }
  auto Out = std::make_shared<ExternalSummaries>();
  try {
    if (J["checks"].contains(Check.str()))
      for (const json &F : J["checks"][Check.str()]) {
        if (!F.contains("blocks"))
          continue;
        const json &B = F.at("blocks");
        ExternalChain Chain;
        Chain.Depth = B.at("depth").get<unsigned>();
        Chain.Api = B.at("api").get<std::string>();
        Chain.Category = B.at("category").get<std::string>();
        for (const json &S : B.at("chain")) {
          ExternalChain::Step Step;
          Step.Name = S.at("name").get<std::string>();
          const json &L = S.at("location");
          Step.File = L.at("file").get<std::string>();
          Step.Line = L.at("line").get<unsigned>();
          Step.Column = L.at("column").get<unsigned>();
          Chain.Steps.push_back(std::move(Step));
        }
        if (Chain.Steps.empty())
          continue;
        Out->Chains[F.at("usr").get<std::string>()] = std::move(Chain);
      }
  } catch (const json::exception &E) {
    Entry.Error = Error = std::string("a function entry is malformed (") +
                          E.what() + ")";
    return nullptr;
  }
  Entry.Summaries = Out;
  return Out;
}

} // namespace corolint::analysis
