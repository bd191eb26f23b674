//===- ResultCache.h - skip translation units that did not change ---------===//
//
// An entry per translation unit, named by a hash of everything that decides
// its result except file contents: the tool and LLVM versions, the compile
// command, the effective configuration and the driver's mode (note fixes,
// call summaries). The entry lists
// every file the parse read with a hash of its content, so the result is
// reused only while none of them changed (a header edit invalidates every
// translation unit that includes it).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_RESULTCACHE_H
#define COROLINT_TOOL_CLI_RESULTCACHE_H

#include "tool/cli/TuRunner.h"

#include "llvm/ADT/StringMap.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace corolint::cli {

class ResultCache {
public:
  /// \p Limit: the largest entry (and dependency) read, in bytes.
  ResultCache(std::string Directory, std::uint64_t Limit)
      : Directory(std::move(Directory)), Limit(Limit) {}

  /// Creates the directory; an error message on failure.
  std::optional<std::string> prepare();

  /// The key of a translation unit from what decides its result; \p Mode
  /// names the driver's settings that change it (note fixes, summaries).
  static std::string key(llvm::StringRef File, llvm::StringRef CompileCommand,
                         llvm::StringRef Configuration, llvm::StringRef Mode);

  /// The stored result for \p Key if every file it read is unchanged. An
  /// entry that is corrupt (torn, changed, of the wrong shape) is a miss:
  /// it is removed and the first such entry of a run is warned about.
  std::optional<TuResult> lookup(llvm::StringRef Key);
  /// Stores \p Result (not when the file failed to compile). Best effort: a
  /// cache that cannot be written only costs time.
  void store(llvm::StringRef Key, const TuResult &Result);

  /// An entry's content after its first line: the files it read with
  /// their hashes, and the result. Null and \p Error (naming the field)
  /// when it is of the wrong shape.
  struct Entry {
    std::vector<std::pair<std::string, std::string>> Dependencies;
    TuResult Result;
  };
  static std::optional<Entry> parseEntry(llvm::StringRef Body, std::string &Error);

private:
  std::optional<uint64_t> contentHash(llvm::StringRef Path);
  std::string entryPath(llvm::StringRef Key) const;
  void discard(llvm::StringRef Path, llvm::StringRef Why);

  std::string Directory;
  std::uint64_t Limit;
  std::atomic<bool> Warned{false};
  std::mutex HashesMutex;
  llvm::StringMap<std::optional<uint64_t>> Hashes;
};

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_RESULTCACHE_H
