//===- Checks.h - what each coro-* check is, from Checks.def ----*- C++ -*-===//

#ifndef COROLINT_CHECKS_CHECKS_H
#define COROLINT_CHECKS_CHECKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace corolint {

namespace analysis {
struct ChainWording;
}

/// One row of checks/Checks.def.
struct CheckInfo {
  llvm::StringRef Name;
  bool ExportsSummaries;
  llvm::StringRef DocsPage;
  llvm::StringRef Summary;
  llvm::StringRef Description;
  /// A call-chain check's words (analysis/ChainText.h), for the texts of the
  /// findings the corolint command's link makes; null for other checks.
  const analysis::ChainWording *Wording;
};

/// Every coro-* check, in the order of Checks.def (defined with the
/// module registration, which sees every check's class).
llvm::ArrayRef<CheckInfo> coroChecks();

/// The check named \p Name, or null if it is not a coro-* check.
const CheckInfo *findCoroCheck(llvm::StringRef Name);

} // namespace corolint

#endif // COROLINT_CHECKS_CHECKS_H
