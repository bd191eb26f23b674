//===- Checks.h - what each coro-* check is, from Checks.def ----*- C++ -*-===//

#ifndef COROLINT_CHECKS_CHECKS_H
#define COROLINT_CHECKS_CHECKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace corolint {

/// One row of checks/Checks.def.
struct CheckInfo {
  llvm::StringRef Name;
  bool ExportsSummaries;
  llvm::StringRef DocsPage;
  llvm::StringRef Summary;
  llvm::StringRef Description;
};

/// Every coro-* check, in the order of Checks.def.
llvm::ArrayRef<CheckInfo> coroChecks();

/// The check named \p Name, or null if it is not a coro-* check.
const CheckInfo *findCoroCheck(llvm::StringRef Name);

} // namespace corolint

#endif // COROLINT_CHECKS_CHECKS_H
