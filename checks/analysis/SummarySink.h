//===- SummarySink.h - hand a TU's call summaries to the driver -*- C++ -*-===//
//
// The corolint command links the call summaries of all translation units
// (blocking through callees across files). The checks compute them; a
// driver that wants them installs a sink on the thread that runs a
// translation unit, and each check that summarises calls passes its
// summaries to it at the end of the unit. Without a sink (clang-tidy,
// clangd) nothing is exported and nothing is paid.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_SUMMARYSINK_H
#define COROLINT_CHECKS_ANALYSIS_SUMMARYSINK_H

#include "checks/analysis/CallSummary.h"

#include <functional>
#include <vector>

namespace corolint::analysis {

/// Receives the check's name and the summaries of one translation unit.
using SummarySink =
    std::function<void(llvm::StringRef Check, std::vector<ExportedSummary>)>;

/// The sink of the calling thread, or null.
SummarySink *threadSummarySink();

/// Installs \p Sink for the calling thread until the guard is destroyed.
class ScopedSummarySink {
public:
  explicit ScopedSummarySink(SummarySink *Sink);
  ~ScopedSummarySink();
  ScopedSummarySink(const ScopedSummarySink &) = delete;
  ScopedSummarySink &operator=(const ScopedSummarySink &) = delete;

private:
  SummarySink *Previous;
};

/// If the thread has a sink, exports \p Summaries to it under \p Check.
void exportToSink(llvm::StringRef Check, CallSummaries *Summaries,
                  AdviceFor Advice);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_SUMMARYSINK_H
