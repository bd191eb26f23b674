//===- ResultCache.cpp - skip translation units that did not change -------===//

#include "tool/cli/ResultCache.h"

#include "tool/cli/Report.h"

#include "clang/Basic/Version.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace clang::tidy;

namespace corolint::cli {

namespace {

constexpr int EntryVersion = 4;

json messageJson(const clang::tooling::DiagnosticMessage &M) {
  json Fix = json::object();
  for (const auto &Entry : M.Fix) {
    json Replacements = json::array();
    for (const clang::tooling::Replacement &R : Entry.getValue())
      Replacements.push_back({R.getOffset(), R.getLength(),
                              R.getReplacementText().str()});
    Fix[Entry.getKey().str()] = std::move(Replacements);
  }
  return {{"message", M.Message},
          {"file", M.FilePath},
          {"offset", M.FileOffset},
          {"fix", std::move(Fix)}};
}

clang::tooling::DiagnosticMessage readMessage(const json &J) {
  clang::tooling::DiagnosticMessage M(J.at("message").get<std::string>());
  M.FilePath = J.at("file").get<std::string>();
  M.FileOffset = J.at("offset").get<unsigned>();
  for (const auto &[File, Replacements] : J.at("fix").items())
    for (const json &R : Replacements) {
      llvm::Error Err = M.Fix[File].add(clang::tooling::Replacement(
          File, R.at(0).get<unsigned>(), R.at(1).get<unsigned>(),
          R.at(2).get<std::string>()));
      if (Err)
        throw std::runtime_error(llvm::toString(std::move(Err)));
    }
  return M;
}

json resultJson(const TuResult &R) {
  json Diagnostics = json::array();
  for (const TuDiagnostic &D : R.Diagnostics) {
    json Notes = json::array();
    for (const auto &N : D.Error.Notes)
      Notes.push_back(messageJson(N));
    Diagnostics.push_back({{"name", D.Error.DiagnosticName},
                           {"level", static_cast<int>(D.Error.DiagLevel)},
                           {"build_directory", D.Error.BuildDirectory},
                           {"warning_as_error", D.Error.IsWarningAsError},
                           {"message", messageJson(D.Error.Message)},
                           {"notes", std::move(Notes)},
                           {"function", D.Function}});
  }
  return {{"file", R.File},
          {"summaries", summariesToJson(R.Summaries)},
          {"diagnostics", std::move(Diagnostics)},
          {"stats",
           {R.Stats.ErrorsDisplayed, R.Stats.ErrorsIgnoredCheckFilter,
            R.Stats.ErrorsIgnoredNOLINT, R.Stats.ErrorsIgnoredNonUserCode,
            R.Stats.ErrorsIgnoredLineFilter}}};
}

TuResult readResult(const json &J) {
  TuResult R;
  R.File = J.at("file").get<std::string>();
  for (const json &D : J.at("diagnostics")) {
    ClangTidyError E(D.at("name").get<std::string>(),
                     static_cast<ClangTidyError::Level>(D.at("level").get<int>()),
                     D.at("build_directory").get<std::string>(),
                     D.at("warning_as_error").get<bool>());
    E.Message = readMessage(D.at("message"));
    for (const json &N : D.at("notes"))
      E.Notes.push_back(readMessage(N));
    R.Diagnostics.push_back({std::move(E), D.at("function").get<std::string>()});
  }
  std::optional<UnitSummaries> Summaries =
      summariesFromJson(J.at("summaries").get<std::string>());
  if (!Summaries)
    throw std::runtime_error("bad summaries");
  R.Summaries = std::move(*Summaries);
  const json &S = J.at("stats");
  R.Stats.ErrorsDisplayed = S.at(0).get<unsigned>();
  R.Stats.ErrorsIgnoredCheckFilter = S.at(1).get<unsigned>();
  R.Stats.ErrorsIgnoredNOLINT = S.at(2).get<unsigned>();
  R.Stats.ErrorsIgnoredNonUserCode = S.at(3).get<unsigned>();
  R.Stats.ErrorsIgnoredLineFilter = S.at(4).get<unsigned>();
  return R;
}

} // namespace

std::optional<std::string> ResultCache::prepare() {
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory))
    return "cannot create --cache-dir '" + Directory + "': " + EC.message();
  return std::nullopt;
}

std::string ResultCache::key(llvm::StringRef File, llvm::StringRef CompileCommand,
                             llvm::StringRef Configuration, llvm::StringRef Mode) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << "corolint " << toolVersion() << '\0' << LLVM_VERSION_STRING << '\0'
     << File << '\0' << CompileCommand << '\0' << Configuration << '\0'
     << Mode << '\0' << EntryVersion;
  return hex64(llvm::xxh3_64bits(Text)) +
         hex64(llvm::xxHash64(llvm::StringRef(Text)));
}

std::string ResultCache::entryPath(llvm::StringRef Key) const {
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, Key + ".json");
  return std::string(Path);
}

std::optional<uint64_t> ResultCache::contentHash(llvm::StringRef Path) {
  {
    std::lock_guard<std::mutex> Lock(HashesMutex);
    auto It = Hashes.find(Path);
    if (It != Hashes.end())
      return It->second;
  }
  std::optional<uint64_t> Hash;
  if (auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false))
    Hash = llvm::xxh3_64bits((*Buffer)->getBuffer());
  std::lock_guard<std::mutex> Lock(HashesMutex);
  Hashes[Path] = Hash;
  return Hash;
}

std::optional<TuResult> ResultCache::lookup(llvm::StringRef Key) {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Key));
  if (!Buffer)
    return std::nullopt;
  json J = json::parse((*Buffer)->getBuffer().begin(),
                       (*Buffer)->getBuffer().end(), nullptr,
                       /*allow_exceptions=*/false);
  if (J.is_discarded() || !J.is_object() || J.value("version", 0) != EntryVersion)
    return std::nullopt; // unreadable entries are misses
  try {
    std::vector<std::string> Dependencies;
    for (const json &D : J.at("dependencies")) {
      std::string Path = D.at(0).get<std::string>();
      std::optional<uint64_t> Now = contentHash(Path);
      if (!Now || hex64(*Now) != D.at(1).get<std::string>())
        return std::nullopt;
      Dependencies.push_back(std::move(Path));
    }
    TuResult R = readResult(J.at("result"));
    R.Dependencies = std::move(Dependencies);
    R.FromCache = true;
    return R;
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

void ResultCache::store(llvm::StringRef Key, const TuResult &Result) {
  if (Result.compileErrors() || !Result.ToolFailure.empty() ||
      Result.Dependencies.empty())
    return;
  json Dependencies = json::array();
  for (const std::string &Path : Result.Dependencies) {
    std::optional<uint64_t> Hash = contentHash(Path);
    if (!Hash)
      return;
    Dependencies.push_back({Path, hex64(*Hash)});
  }
  json Entry = {{"version", EntryVersion},
                {"dependencies", std::move(Dependencies)},
                {"result", resultJson(Result)}};
  std::string Final = entryPath(Key);
  llvm::SmallString<256> Temporary;
  int FD;
  if (llvm::sys::fs::createUniqueFile(Final + ".%%%%%%.tmp", FD, Temporary))
    return;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Entry.dump();
  }
  if (llvm::sys::fs::rename(Temporary, Final)) {
    std::error_code Ignored = llvm::sys::fs::remove(Temporary);
    (void)Ignored;
  }
}

} // namespace corolint::cli
