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

#include <mutex>
#include <optional>
#include <string>

namespace corolint::cli {

class ResultCache {
public:
  explicit ResultCache(std::string Directory) : Directory(std::move(Directory)) {}

  /// Creates the directory; an error message on failure.
  std::optional<std::string> prepare();

  /// The key of a translation unit from what decides its result; \p Mode
  /// names the driver's settings that change it (note fixes, summaries).
  static std::string key(llvm::StringRef File, llvm::StringRef CompileCommand,
                         llvm::StringRef Configuration, llvm::StringRef Mode);

  /// The stored result for \p Key if every file it read is unchanged.
  std::optional<TuResult> lookup(llvm::StringRef Key);
  /// Stores \p Result (not when the file failed to compile). Best effort: a
  /// cache that cannot be written only costs time.
  void store(llvm::StringRef Key, const TuResult &Result);

private:
  std::optional<uint64_t> contentHash(llvm::StringRef Path);
  std::string entryPath(llvm::StringRef Key) const;

  std::string Directory;
  std::mutex HashesMutex;
  llvm::StringMap<std::optional<uint64_t>> Hashes;
};

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_RESULTCACHE_H
