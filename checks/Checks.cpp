//===- Checks.cpp - the table of Checks.def -------------------------------===//

#include "checks/Checks.h"

#include "llvm/ADT/STLExtras.h"

namespace corolint {

llvm::ArrayRef<CheckInfo> coroChecks() {
  static const CheckInfo Table[] = {
#define CORO_CHECK(Name, Class, ExportsSummaries, DocsPage, Summary, Description) \
  {Name, ExportsSummaries, DocsPage, Summary, Description},
#include "checks/Checks.def"
  };
  return Table;
}

const CheckInfo *findCoroCheck(llvm::StringRef Name) {
  const CheckInfo *Found = llvm::find_if(
      coroChecks(), [&](const CheckInfo &C) { return C.Name == Name; });
  return Found == coroChecks().end() ? nullptr : Found;
}

} // namespace corolint
