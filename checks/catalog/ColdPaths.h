//===- ColdPaths.h - the words that mark a path as cold ---------*- C++ -*-===//
//
// Data, not logic: the words of identifiers by which the cold-path analysis
// (analysis/ColdPath.h) recognises a branch on a log severity or on an
// optional feature, a logging macro and an assertion macro. Identifiers are
// split into lower-case words at `_` and at case changes
// (`kLogLevel` -> k, log, level; `SPDLOG_INFO` -> spdlog, info).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_CATALOG_COLDPATHS_H
#define COROLINT_CHECKS_CATALOG_COLDPATHS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace corolint::catalog {

/// A comparison of something so named (a variable, a member, an enum
/// type) is a branch on a log severity: `if (level >= severity::error)`.
llvm::ArrayRef<llvm::StringRef> severityWords();

/// A flag so named is optional behaviour, off in the common case: the
/// branch it guards runs only when it is on (`if (debug_)`, `if
/// (opts.trace)`, `if (encoding == content_encoding::gzip)`).
llvm::ArrayRef<llvm::StringRef> optionalFeatureWords();

/// A macro with one of these words, or one of them and a letter (`LOGF`,
/// `ELOGV`, `LOGI`), is a logging macro: what it expands to is logging (the
/// `logging` category).
llvm::ArrayRef<llvm::StringRef> loggingMacroWords();

/// A macro with one of these words is an assertion: what it runs beyond
/// the test itself runs when the assertion fails.
llvm::ArrayRef<llvm::StringRef> assertionMacroWords();

} // namespace corolint::catalog

#endif // COROLINT_CHECKS_CATALOG_COLDPATHS_H
