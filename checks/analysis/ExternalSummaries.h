//===- ExternalSummaries.h - summaries of functions in other files -*- C++ -*-===//
//
// The checks' SummaryFile option: the linked summaries the corolint command
// wrote with --export-summaries. A call of a function with no body in the
// translation unit is looked up by USR; if the other file's function blocks,
// the call is reported as if its body were here. Files are read once per
// process (and again when they change on disk).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_EXTERNALSUMMARIES_H
#define COROLINT_CHECKS_ANALYSIS_EXTERNALSUMMARIES_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace corolint::analysis {

/// How a function in another file blocks: the chain of functions from it
/// down to the blocking call.
struct ExternalChain {
  struct Step {
    std::string Name;
    std::string File;
    unsigned Line = 0;
    unsigned Column = 0;
  };
  unsigned Depth = 0;
  std::string Api;
  std::string Category;
  std::vector<Step> Steps;
};

class ExternalSummaries {
public:
  /// The summaries of \p Check in the file \p Path. A missing file gives
  /// null and no error (the analysis stays per file); an unreadable or
  /// malformed one, or one larger than \p Limit bytes, gives null and
  /// \p Error (naming the field that is wrong).
  static std::shared_ptr<const ExternalSummaries>
  load(llvm::StringRef Path, llvm::StringRef Check, std::uint64_t Limit,
       std::string &Error);

  /// The summaries of \p Check in the text of a summary file; null and
  /// \p Error (naming the field that is wrong) when it is not one.
  static std::shared_ptr<const ExternalSummaries>
  parse(llvm::StringRef Text, llvm::StringRef Check, std::string &Error);

  /// The chain of the function with \p USR, or null if it does not block.
  const ExternalChain *find(llvm::StringRef USR) const;

private:
  llvm::StringMap<ExternalChain> Chains;
};

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_EXTERNALSUMMARIES_H
