//===- ReaderFuzzer.cpp - libFuzzer targets for corolint's file readers ---===//
//
// One binary, one target per file format corolint reads, chosen by the name
// it is run under (the build links each name to it):
//
//   fuzz-report        a JSON report given to `corolint merge`
//   fuzz-baseline      a --baseline file
//   fuzz-summaries     a summary file (the checks' SummaryFile option) and
//                      a unit's summaries as the cache stores them
//   fuzz-cache-entry   the content of a cache entry
//
// Each reader must return a result or an error for any input: an exception
// that escapes, a crash or a sanitizer report is a finding of the fuzzer.
//
//===----------------------------------------------------------------------===//

#include "checks/analysis/ExternalSummaries.h"
#include "tool/cli/output/Formats.h"
#include "tool/cli/ResultCache.h"
#include "tool/cli/SummaryLink.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

enum class Reader { Report, Baseline, Summaries, CacheEntry };
Reader Chosen;

void read(llvm::StringRef Text) {
  std::string Error;
  bool Ok = false;
  switch (Chosen) {
  case Reader::Report:
    Ok = corolint::cli::readJsonText(Text, "'input'", Error).has_value();
    break;
  case Reader::Baseline:
    Ok = corolint::cli::readBaselineText(Text, "--baseline 'input'", Error)
             .has_value();
    break;
  case Reader::Summaries: {
    Ok = corolint::analysis::ExternalSummaries::parse(Text, "coro-blocking-call",
                                                      Error) != nullptr;
    std::string UnitError;
    bool UnitOk = corolint::cli::summariesFromJson(Text, UnitError).has_value();
    if (!UnitOk && UnitError.empty())
      std::abort(); // a failure without its reason
    break;
  }
  case Reader::CacheEntry:
    Ok = corolint::cli::ResultCache::parseEntry(Text, Error).has_value();
    break;
  }
  if (!Ok && Error.empty())
    std::abort(); // a failure without its reason
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *Argc, char ***Argv) {
  llvm::StringRef Name = llvm::sys::path::filename((*Argv)[0]);
  if (Name == "fuzz-report")
    Chosen = Reader::Report;
  else if (Name == "fuzz-baseline")
    Chosen = Reader::Baseline;
  else if (Name == "fuzz-summaries")
    Chosen = Reader::Summaries;
  else if (Name == "fuzz-cache-entry")
    Chosen = Reader::CacheEntry;
  else {
    std::fprintf(stderr,
                 "run this fuzzer as fuzz-report, fuzz-baseline, fuzz-summaries "
                 "or fuzz-cache-entry (not '%s')\n",
                 Name.str().c_str());
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  read(llvm::StringRef(reinterpret_cast<const char *>(Data), Size));
  return 0;
}
