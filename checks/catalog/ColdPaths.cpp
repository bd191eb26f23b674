//===- ColdPaths.cpp - the words that mark a path as cold -----------------===//

#include "checks/catalog/ColdPaths.h"

namespace corolint::catalog {

namespace {

constexpr llvm::StringRef Severity[] = {"level", "severity", "verbosity",
                                        "loglevel"};

constexpr llvm::StringRef OptionalFeatures[] = {
    "debug", "debugging", "trace", "tracing", "verbose", "profiling",
    "gzip", "deflate", "compress", "compression", "brotli"};

// `log` and its usual spellings in logging libraries (glog's DLOG and
// VLOG, spdlog, easylog's ELOG, syslog).
constexpr llvm::StringRef LoggingMacros[] = {
    "log", "logger", "logging", "dlog", "vlog", "plog", "elog", "glog",
    "spdlog", "syslog", "trace"};

constexpr llvm::StringRef AssertionMacros[] = {
    "assert", "assertion", "check", "dcheck", "verify", "ensure", "ensures",
    "expects", "require", "requires", "panic", "unreachable", "abort"};

} // namespace

llvm::ArrayRef<llvm::StringRef> severityWords() { return Severity; }
llvm::ArrayRef<llvm::StringRef> optionalFeatureWords() { return OptionalFeatures; }
llvm::ArrayRef<llvm::StringRef> loggingMacroWords() { return LoggingMacros; }
llvm::ArrayRef<llvm::StringRef> assertionMacroWords() { return AssertionMacros; }

} // namespace corolint::catalog
