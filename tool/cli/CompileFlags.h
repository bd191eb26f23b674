//===- CompileFlags.h - compile commands as clang can parse them ----------===//
//
// corolint parses with clang whatever compiler the project builds with,
// usually GCC. Two things break such a parse that the code itself does not
// cause, and corolint changes the commands for them, saying so once per run:
//
// - GCC's flags that clang's driver does not know (-fno-gnu-unique,
//   -fconcepts-diagnostics-depth=3, ...) are errors: they are dropped, as
//   clangd drops them. Flags clang accepts and ignores stay.
// - asio before 1.26 (Boost.Asio before Boost 1.81) declares
//   asio::awaitable, co_spawn and use_awaitable under clang only when
//   ASIO_HAS_CO_AWAIT (BOOST_ASIO_HAS_CO_AWAIT) is defined; GCC gets them
//   without. C++20 commands get the definitions unless they define,
//   undefine or disable them themselves; without coroutines they would
//   break asio (it includes <experimental/coroutine>), so C++17 commands
//   are left alone.
//
// A file that still fails because asio's coroutine names are missing gets a
// one-line hint naming the flag.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_COMPILEFLAGS_H
#define COROLINT_TOOL_CLI_COMPILEFLAGS_H

#include "tool/cli/TuRunner.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace corolint::cli {

/// The positions in \p Args (a command line without the compiler's name) of
/// the options clang's driver does not know.
std::vector<size_t> unknownFlags(llvm::ArrayRef<const char *> Args);

/// What the run changed in the compile commands, and the notes that say so.
/// Thread-safe: the commands are made in every worker.
class CompileFlags {
public:
  /// \p Inner's commands with the changes above; each file's changes are
  /// recorded here.
  std::unique_ptr<clang::tooling::CompilationDatabase>
  adjust(std::unique_ptr<clang::tooling::CompilationDatabase> Inner);

  /// Records flags dropped before the commands were made (those after '--').
  void recordDropped(llvm::ArrayRef<std::string> Flags);

  /// One line each, "" when there is nothing to say: the dropped flags; the
  /// asio macros, when a unit that got them read asio; the hint for units
  /// that fail because asio's coroutine names are missing.
  std::string droppedNote() const;
  std::string asioNote(const std::vector<TuResult> &Results) const;
  std::string asioHint(const std::vector<TuResult> &Results) const;

  /// \p Args with the changes for \p File (the path the tool asked for).
  std::vector<std::string> adjustCommand(const std::vector<std::string> &Args,
                                         llvm::StringRef File);

private:
  /// What a file's command got.
  struct FileFlags {
    bool Cxx20 = false;
    bool AsioDefined = false;
    bool BoostAsioDefined = false;
  };

  mutable std::mutex Mutex;
  std::set<std::string> Dropped; ///< sorted: the order of the units varies
  llvm::StringMap<FileFlags> PerFile;
};

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_COMPILEFLAGS_H
