//===- SummaryLink.h - blocking through callees across files --------------===//
//
// The link step of the corolint command. Every translation unit exports the
// call summaries its checks computed (functions by USR, the blocking or
// CPU-heavy facts written in them, the functions they call); after all
// units ran, the summaries are merged and linked: a function blocks if it
// has a fact or calls a function that blocks, and the shortest chain down
// to a fact is kept. A coroutine's call of a function whose chain leaves
// the coroutine's own translation unit is a finding the per-unit checks
// could not see; it is reported with the whole chain as notes.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_TOOL_CLI_SUMMARYLINK_H
#define COROLINT_TOOL_CLI_SUMMARYLINK_H

#include "checks/analysis/CallSummary.h"
#include "checks/analysis/ChainText.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corolint::cli {

/// The summaries one translation unit exported, per check.
struct UnitSummaries {
  std::string File;
  std::map<std::string, std::vector<analysis::ExportedSummary>> PerCheck;
};

/// One step of a linked chain: a function and where it calls the next one
/// (for the last function, where the fact is).
struct ChainStep {
  std::string USR;
  std::string Name;
  analysis::ExportedLocation At;
};

struct LinkedFunction {
  const analysis::ExportedSummary *Summary = nullptr;
  /// Translation units (indexes into the link's input) that define it.
  std::vector<unsigned> DefinedIn;
  /// Functions in the shortest chain down to a fact, this one first; 0 if
  /// it does not block.
  unsigned Depth = 0;
  /// The callee the chain continues with, and the call's index in Calls.
  std::string Next;
  unsigned NextCall = 0;
};

/// A cross-file finding, before it becomes a report entry.
struct LinkedFinding {
  std::string Check;
  std::string Message;
  analysis::ExportedLocation At;
  std::vector<std::pair<std::string, analysis::ExportedLocation>> Notes;
};

class SummaryLink {
public:
  /// Links the summaries of \p Units (their order does not change the
  /// result) for \p Check, whose findings are worded with \p Words (none
  /// without them).
  SummaryLink(const std::vector<UnitSummaries> &Units, std::string Check,
              unsigned MaxCallDepth, const analysis::ChainWording *Words);

  /// Findings of coroutines calling functions whose chain reaches into
  /// another translation unit; the coroutine's summary gives the advice
  /// that ends the message ("offload it with ...").
  std::vector<LinkedFinding> findings() const;

  /// The chain from \p USR down to its fact.
  std::vector<ChainStep> chainFrom(llvm::StringRef USR) const;

  const std::map<std::string, LinkedFunction> &functions() const {
    return Functions;
  }
  const std::string &check() const { return Check; }
  unsigned edges() const { return EdgeCount; }

private:
  bool followed(const LinkedFunction &F) const;

  const std::vector<UnitSummaries> &Units;
  std::string Check;
  unsigned MaxCallDepth;
  const analysis::ChainWording *Words;
  std::vector<unsigned> Order; ///< units sorted by file
  std::map<std::string, LinkedFunction> Functions;
  unsigned EdgeCount = 0;
};

/// Writes the linked summaries of \p Links as JSON (deterministic: sorted
/// by check and USR, paths as given).
void writeSummaries(const std::vector<const SummaryLink *> &Links,
                    llvm::raw_ostream &OS);

/// JSON of one unit's summaries, and back (for the result cache).
std::string summariesToJson(const UnitSummaries &U);
std::optional<UnitSummaries> summariesFromJson(llvm::StringRef Text,
                                               std::string &Error);

} // namespace corolint::cli

#endif // COROLINT_TOOL_CLI_SUMMARYLINK_H
