//===- ResultCache.cpp - skip translation units that did not change -------===//

#include "tool/cli/ResultCache.h"

#include "tool/cli/Report.h"

#include "checks/analysis/InputFiles.h"

#include "clang/Basic/Version.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <chrono>

using nlohmann::json;
using namespace clang::tidy;

namespace corolint::cli {

namespace {

constexpr int EntryVersion = 6;

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

clang::tooling::DiagnosticMessage readMessage(const analysis::JsonField &J) {
  clang::tooling::DiagnosticMessage M(J.at("message").string());
  M.FilePath = J.at("file").string();
  M.FileOffset = J.at("offset").number();
  for (const auto &[File, Replacements] : J.at("fix").members())
    for (const analysis::JsonField &R : Replacements.elements()) {
      std::vector<analysis::JsonField> Parts = R.elements();
      if (Parts.size() != 3)
        R.fail("must be [offset, length, text]");
      llvm::Error Err = M.Fix[File].add(clang::tooling::Replacement(
          File, Parts[0].number(), Parts[1].number(), Parts[2].string()));
      if (Err)
        R.fail("overlaps another replacement (" + llvm::toString(std::move(Err)) +
               ")");
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

TuResult readResult(const analysis::JsonField &J) {
  TuResult R;
  R.File = J.at("file").string();
  for (const analysis::JsonField &D : J.at("diagnostics").elements()) {
    std::int64_t Level = D.at("level").integer();
    if (Level < ClangTidyError::Remark || Level > ClangTidyError::Error)
      D.at("level").fail("is not a diagnostic level");
    ClangTidyError E(D.at("name").string(),
                     static_cast<ClangTidyError::Level>(Level),
                     D.at("build_directory").string(),
                     D.at("warning_as_error").boolean());
    E.Message = readMessage(D.at("message"));
    for (const analysis::JsonField &N : D.at("notes").elements())
      E.Notes.push_back(readMessage(N));
    R.Diagnostics.push_back({std::move(E), D.at("function").string()});
  }
  std::string Error;
  std::optional<UnitSummaries> Summaries =
      summariesFromJson(J.at("summaries").string(), Error);
  if (!Summaries)
    J.at("summaries").fail("holds no summaries: " + Error);
  R.Summaries = std::move(*Summaries);
  std::vector<analysis::JsonField> S = J.at("stats").elements();
  if (S.size() != 5)
    J.at("stats").fail("must hold 5 counts");
  R.Stats.ErrorsDisplayed = S[0].number();
  R.Stats.ErrorsIgnoredCheckFilter = S[1].number();
  R.Stats.ErrorsIgnoredNOLINT = S[2].number();
  R.Stats.ErrorsIgnoredNonUserCode = S[3].number();
  R.Stats.ErrorsIgnoredLineFilter = S[4].number();
  return R;
}

/// The first line of an entry: the format's name and version, and a hash
/// of the rest, which a torn or corrupt entry does not match.
constexpr llvm::StringLiteral EntryMagic = "corolint-cache-entry";

} // namespace

std::optional<std::string> ResultCache::prepare() {
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory))
    return "cannot create --cache-dir '" + Directory + "': " + EC.message();
  // A run killed while it wrote an entry leaves its temporary file; one an
  // hour old has no writer left (a live write takes milliseconds).
  auto Now = std::chrono::system_clock::now();
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Directory, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::sys::fs::file_status Status;
    if (!llvm::StringRef(It->path()).ends_with(".tmp") ||
        llvm::sys::fs::status(It->path(), Status) ||
        Now - Status.getLastModificationTime() < std::chrono::hours(1))
      continue;
    std::error_code Ignored = llvm::sys::fs::remove(It->path());
    (void)Ignored;
  }
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
  std::string Ignored;
  if (auto Buffer = analysis::readInputFile(Path, Limit, Ignored))
    Hash = llvm::xxh3_64bits(Buffer->getBuffer());
  std::lock_guard<std::mutex> Lock(HashesMutex);
  Hashes[Path] = Hash;
  return Hash;
}

void ResultCache::discard(llvm::StringRef Path, llvm::StringRef Why) {
  std::error_code Ignored = llvm::sys::fs::remove(Path);
  (void)Ignored;
  if (Warned.exchange(true))
    return;
  llvm::WithColor::warning(llvm::errs(), "corolint")
      << "discarded the cache entry '" << Path << "': " << Why
      << "; it is written anew (a later corrupt entry is discarded without "
         "this warning)\n";
}

std::optional<TuResult> ResultCache::lookup(llvm::StringRef Key) {
  std::string Path = entryPath(Key);
  if (!llvm::sys::fs::exists(Path))
    return std::nullopt;
  std::string Error;
  std::unique_ptr<llvm::MemoryBuffer> Buffer =
      analysis::readInputFile(Path, Limit, Error);
  if (!Buffer)
    return std::nullopt; // unreadable now (descriptors, permissions, size): kept
  // "corolint-cache-entry VERSION HASH\n" and the JSON that HASH is of.
  auto [Header, Body] = Buffer->getBuffer().split('\n');
  llvm::SmallVector<llvm::StringRef, 3> Fields;
  Header.split(Fields, ' ');
  if (Fields.size() != 3 || Fields[0] != EntryMagic) {
    discard(Path, "it is not a cache entry");
    return std::nullopt;
  }
  if (Fields[1] != std::to_string(EntryVersion))
    return std::nullopt; // another format: its key differs anyway
  if (Fields[2] != hex64(llvm::xxh3_64bits(Body))) {
    discard(Path, "its content does not match its checksum (a write was cut "
                  "short or the file was changed)");
    return std::nullopt;
  }
  std::optional<Entry> Parsed = parseEntry(Body, Error);
  if (!Parsed) {
    discard(Path, Error);
    return std::nullopt;
  }
  for (const auto &[Dependency, Hash] : Parsed->Dependencies) {
    std::optional<uint64_t> Now = contentHash(Dependency);
    if (!Now || hex64(*Now) != Hash)
      return std::nullopt; // a file changed: a plain miss
    Parsed->Result.Dependencies.push_back(Dependency);
  }
  Parsed->Result.FromCache = true;
  return std::move(Parsed->Result);
}

std::optional<ResultCache::Entry> ResultCache::parseEntry(llvm::StringRef Body,
                                                          std::string &Error) {
  std::optional<json> J = analysis::parseJson(Body, Error);
  if (!J)
    return std::nullopt;
  try {
    analysis::JsonField Top(*J, "");
    Entry Out;
    for (const analysis::JsonField &D : Top.at("dependencies").elements()) {
      std::vector<analysis::JsonField> Pair = D.elements();
      if (Pair.size() != 2)
        D.fail("must be [path, hash]");
      Out.Dependencies.emplace_back(Pair[0].string(), Pair[1].string());
    }
    Out.Result = readResult(Top.at("result"));
    return Out;
  } catch (const std::exception &E) {
    Error = E.what();
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
  json Entry = {{"dependencies", std::move(Dependencies)},
                {"result", resultJson(Result)}};
  // Bytes that are not UTF-8 (in a path) become U+FFFD: such an entry's
  // dependencies do not hash, so it is a miss, never a wrong result.
  std::string Body = Entry.dump(-1, ' ', false, json::error_handler_t::replace);
  // Written whole to a file of its own, then renamed over the entry: a
  // reader sees the old entry or the new one, never part of one.
  std::string Final = entryPath(Key);
  llvm::SmallString<256> Temporary;
  int FD;
  if (llvm::sys::fs::createUniqueFile(Final + ".%%%%%%.tmp", FD, Temporary))
    return;
  bool Written;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << EntryMagic << ' ' << EntryVersion << ' '
       << hex64(llvm::xxh3_64bits(Body)) << '\n'
       << Body;
    OS.close();
    Written = !OS.has_error();
    OS.clear_error();
  }
  if (!Written || llvm::sys::fs::rename(Temporary, Final)) {
    std::error_code Ignored = llvm::sys::fs::remove(Temporary);
    (void)Ignored;
  }
}

} // namespace corolint::cli
