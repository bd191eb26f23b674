//===- TuRunner.h - run the checks on one translation unit ----------------===//
//
// The CLI's unit of work: parse one translation unit once, run the enabled
// checks on it, and keep what the report and the result cache need besides
// the findings: the enclosing function of every finding (baseline
// fingerprints survive line moves) and the files the parse read (a cached
// result is valid while they are unchanged).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_TURUNNER_H
#define COROLINT_TOOL_CLI_TURUNNER_H

#include "tool/cli/SummaryLink.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <string>
#include <vector>

namespace corolint::cli {

/// One finding or compile error, with what the tidy diagnostic lacks.
struct TuDiagnostic {
  clang::tidy::ClangTidyError Error;
  /// Qualified name of the function around the finding, or "".
  std::string Function;
};

struct TuResult {
  std::string File;
  std::vector<TuDiagnostic> Diagnostics;
  /// Absolute paths of every file the parse read, the main file first.
  std::vector<std::string> Dependencies;
  clang::tidy::ClangTidyStats Stats;
  /// The call summaries the checks exported, for the cross-file link.
  UnitSummaries Summaries;
  /// The tool could not run on the file at all (no compile command, a
  /// driver error): the message says why.
  std::string ToolFailure;
  bool FromCache = false;
  double Seconds = 0;

  unsigned compileErrors() const;
};

/// Runs the checks of \p Context on \p File. Thread-compatible: concurrent
/// calls need their own context and file system.
TuResult runTranslationUnit(clang::tidy::ClangTidyContext &Context,
                            const clang::tooling::CompilationDatabase &Compilations,
                            llvm::StringRef File,
                            const llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> &FS,
                            bool ApplyAnyFix, bool CollectSummaries);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_TURUNNER_H
