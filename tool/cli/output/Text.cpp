//===- Text.cpp - the text format -----------------------------------------===//
//
// A live run prints through clang-tidy's printer (source lines, fixes);
// a report read back from JSON has no source snippets, and prints one line
// per finding and note.
//
//===----------------------------------------------------------------------===//

#include "tool/cli/output/Formats.h"
#include "tool/cli/output/Output.h"

#include "tool/cli/TidyCompat.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <fcntl.h>
#include <unistd.h>

using namespace clang::tidy;

namespace corolint::cli {

namespace {

/// Standard output sent to another descriptor for a scope: clang-tidy's
/// printer writes to standard output.
class RedirectedStdout {
public:
  explicit RedirectedStdout(int FD) {
    llvm::outs().flush();
    Saved = ::dup(1);
    ::dup2(FD, 1);
    ::close(FD);
  }
  ~RedirectedStdout() {
    llvm::outs().flush();
    ::dup2(Saved, 1);
    ::close(Saved);
  }
  RedirectedStdout(const RedirectedStdout &) = delete;
  RedirectedStdout &operator=(const RedirectedStdout &) = delete;

private:
  int Saved;
};

} // namespace

std::optional<unsigned>
printDiagnostics(std::vector<ClangTidyError> &Errors,
                 std::unique_ptr<ClangTidyOptionsProvider> Provider,
                 unsigned CompileErrors, const Options &Opts) {
  FixBehaviour Behaviour = Opts.FixNotes                 ? FB_FixNotes
                           : (Opts.Fix || Opts.FixErrors) ? FB_Fix
                                                          : FB_NoFix;
  if (CompileErrors && (Opts.Fix || Opts.FixNotes) && !Opts.FixErrors) {
    Behaviour = FB_NoFix;
    llvm::errs() << "Found compiler errors, but --fix-errors was not "
                    "specified.\nFixes have NOT been applied.\n\n";
  }

  std::unique_ptr<ClangTidyContext> Context =
      compat::makeContext(std::move(Provider));
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  unsigned WarningsAsErrors = 0;
  if (Opts.Format == OutputFormat::Text) {
    // --output redirects the printer.
    std::optional<RedirectedStdout> ToFile;
    if (!Opts.Output.empty()) {
      int FD;
      if (std::error_code EC = llvm::sys::fs::openFileForWrite(
              Opts.Output, FD, llvm::sys::fs::CD_CreateAlways,
              llvm::sys::fs::OF_Text)) {
        toolError("cannot write --output '" + Opts.Output + "': " + EC.message());
        return std::nullopt;
      }
      ToFile.emplace(FD);
    }
    handleErrors(Errors, *Context, Behaviour, WarningsAsErrors, BaseFS);
  } else if (Behaviour != FB_NoFix) {
    // Apply the fixes without printing: clang-tidy's printer is the text
    // format.
    RedirectedStdout ToNull(::open("/dev/null", O_WRONLY));
    handleErrors(Errors, *Context, Behaviour, WarningsAsErrors, BaseFS);
  }
  return WarningsAsErrors;
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
} // namespace corolint::cli
