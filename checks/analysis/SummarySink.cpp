//===- SummarySink.cpp - hand a TU's call summaries to the driver ---------===//

#include "checks/analysis/SummarySink.h"

namespace corolint::analysis {

namespace {
thread_local SummarySink *CurrentSink = nullptr;
} // namespace

SummarySink *threadSummarySink() { return CurrentSink; }

ScopedSummarySink::ScopedSummarySink(SummarySink *Sink) : Previous(CurrentSink) {
  CurrentSink = Sink;
}

ScopedSummarySink::~ScopedSummarySink() { CurrentSink = Previous; }

void exportToSink(llvm::StringRef Check, CallSummaries *Summaries,
                  AdviceFor Advice) {
  if (!CurrentSink || !Summaries)
    return;
  (*CurrentSink)(Check, exportSummaries(*Summaries, Advice));
}

} // namespace corolint::analysis
