// Cancellation of spawned tasks, asyncio-style: where cancelled_error is
// raised, how it propagates, that it is sticky until delivered, counted,
// and that a task swallowing it simply goes on.
#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>

namespace cancellation_test {
using namespace aio_test;

static_assert(std::is_base_of_v<std::exception, aio::cancelled_error>);
static_assert(!std::is_base_of_v<aio::cancelled_error, aio::timeout_error>);

aio::task<> cancel_a_sleeper() {
  bool saw_cancel = false;
  aio::join_handle<int> h = aio::spawn(sleep_recording(10s, &saw_cancel));
  co_await aio::sleep_for(5ms); // asleep now
  const steady::time_point start = steady::now();
  EXPECT_TRUE(h.cancel());
  EXPECT_FALSE(h.done());
  EXPECT_EQ(h.cancelling(), 1u);
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_LT(ms_since(start), 1000); // the 10 s timer was not waited for
  EXPECT_TRUE(saw_cancel);
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_FALSE(h.cancel()); // done: nothing to cancel
  EXPECT_THROW(h.result(), aio::cancelled_error);
}

TEST(Cancellation, InterruptsASleepingTaskAtOnce) {
  aio::run(cancel_a_sleeper());
}

aio::task<> cancel_before_start() {
  bool ran = false;
  aio::join_handle<void> h = aio::spawn(set_flag_task(&ran));
  EXPECT_TRUE(h.cancel());
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(h.cancelled());
}

TEST(Cancellation, BeforeTheTaskStartsSkipsItsBody) {
  aio::run(cancel_before_start());
}

aio::task<> cancel_finished() {
  aio::join_handle<int> h = aio::spawn(after(1ms, 5));
  co_await aio::sleep_for(10ms);
  EXPECT_TRUE(h.done());
  EXPECT_FALSE(h.cancel());
  EXPECT_EQ(h.cancelling(), 0u);
  EXPECT_EQ(co_await h, 5);
}

TEST(Cancellation, OfAFinishedTaskReturnsFalse) { aio::run(cancel_finished()); }

// Three coroutines deep in one spawned task; each layer records the
// exception passing through.
aio::task<> layer(int depth, std::string *trace) {
  try {
    if (depth == 0)
      co_await aio::sleep_for(10s);
    else
      co_await layer(depth - 1, trace);
  } catch (const aio::cancelled_error &) {
    *trace += std::to_string(depth);
    throw;
  }
}

aio::task<> cancel_nested() {
  std::string trace;
  aio::join_handle<void> h = aio::spawn(layer(2, &trace));
  co_await aio::sleep_for(5ms);
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_EQ(trace, "012"); // raised innermost, propagated outwards
}

TEST(Cancellation, IsRaisedAtTheInnermostSuspensionAndPropagatesOut) {
  aio::run(cancel_nested());
}

aio::task<int> await_spawned(bool *child_cancelled,
                             aio::join_handle<int> *child) {
  *child = aio::spawn(sleep_recording(10s, child_cancelled));
  co_return co_await *child;
}

aio::task<> cancel_propagates_to_awaited_task() {
  bool child_cancelled = false;
  aio::join_handle<int> child;
  aio::join_handle<int> parent =
      aio::spawn(await_spawned(&child_cancelled, &child));
  co_await aio::sleep_for(5ms);
  parent.cancel();
  EXPECT_THROW(co_await parent, aio::cancelled_error);
  EXPECT_TRUE(child_cancelled);
  EXPECT_TRUE(child.cancelled());
  EXPECT_TRUE(parent.cancelled());
}

TEST(Cancellation, PropagatesIntoAnAwaitedSpawnedTask) {
  aio::run(cancel_propagates_to_awaited_task());
}

aio::task<int> swallow_then_continue(int *phase) {
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    *phase = 1; // swallowed: the task goes on normally
  }
  co_await aio::sleep_for(5ms); // not cancelled again
  *phase = 2;
  co_return 7;
}

aio::task<> swallowing() {
  int phase = 0;
  aio::join_handle<int> h = aio::spawn(swallow_then_continue(&phase));
  co_await aio::sleep_for(5ms);
  EXPECT_TRUE(h.cancel());
  EXPECT_EQ(co_await h, 7);
  EXPECT_EQ(phase, 2);
  EXPECT_FALSE(h.cancelled());
  EXPECT_EQ(h.cancelling(), 1u); // the request still counts, as in asyncio
}

TEST(Cancellation, SwallowingItLetsTheTaskContinueNormally) {
  aio::run(swallowing());
}

aio::task<int> swallow_and_return(int value) {
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
  }
  co_return value;
}

aio::task<int> await_swallower(aio::join_handle<int> *child) {
  *child = aio::spawn(swallow_and_return(5));
  const int v = co_await *child;
  co_await aio::sleep_for(1ms); // the parent is not cancelled either
  co_return v + 1;
}

aio::task<> awaiter_of_swallower() {
  aio::join_handle<int> child;
  aio::join_handle<int> parent = aio::spawn(await_swallower(&child));
  co_await aio::sleep_for(5ms);
  parent.cancel();
  EXPECT_EQ(co_await parent, 6);
  EXPECT_FALSE(child.cancelled());
  EXPECT_FALSE(parent.cancelled());
}

TEST(Cancellation, TheAwaiterOfATaskSwallowingItGetsTheValue) {
  aio::run(awaiter_of_swallower());
}

aio::task<long long> cancel_self_then_sleep(bool *reached) {
  aio::task_handle self = co_await aio::current_task();
  EXPECT_TRUE(self.cancel()); // running: nothing to interrupt, so pending
  *reached = true;            // synchronous code goes on
  const steady::time_point start = steady::now();
  try {
    co_await aio::sleep_for(10s); // a later operation still sees it
  } catch (const aio::cancelled_error &) {
    co_return ms_since(start);
  }
  co_return -1;
}

TEST(Cancellation, IsStickyUntilTheNextSuspensionPoint) {
  bool reached = false;
  const long long ms = aio::run(cancel_self_then_sleep(&reached));
  EXPECT_TRUE(reached);
  EXPECT_GE(ms, 0);
  EXPECT_LT(ms, 1000);
}

aio::task<int> cancelled_during_foreign_wait() {
  aio::task_handle self = co_await aio::current_task();
  self.cancel();
  co_await foreign_yield{}; // not an aio suspension point
  try {
    co_await aio::yield();
  } catch (const aio::cancelled_error &) {
    co_return 1;
  }
  co_return 0;
}

TEST(Cancellation, SurvivesAForeignAwaitableAndReachesTheNextAioOne) {
  EXPECT_EQ(aio::run(cancelled_during_foreign_wait()), 1);
}

aio::task<int> cancel_self_and_return() {
  aio::task_handle self = co_await aio::current_task();
  self.cancel();
  co_return 1;
}

aio::task<> returning_with_pending_cancel() {
  aio::join_handle<int> h = aio::spawn(cancel_self_and_return());
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_TRUE(h.cancelled()); // asyncio marks such a task cancelled
}

TEST(Cancellation, ATaskReturningWithARequestPendingEndsCancelled) {
  aio::run(returning_with_pending_cancel());
}

aio::task<int> swallow_once(int *caught) {
  for (int i = 0; i < 2; ++i) {
    try {
      co_await aio::sleep_for(i == 0 ? 10s : 5ms);
    } catch (const aio::cancelled_error &) {
      ++*caught;
    }
  }
  co_return 3;
}

aio::task<> repeated_cancel() {
  int caught = 0;
  aio::join_handle<int> h = aio::spawn(swallow_once(&caught));
  co_await aio::sleep_for(5ms);
  EXPECT_TRUE(h.cancel());
  EXPECT_TRUE(h.cancel()); // before the task has run again
  EXPECT_EQ(h.cancelling(), 2u);
  EXPECT_EQ(co_await h, 3);
  EXPECT_EQ(caught, 1); // delivered once
}

TEST(Cancellation, RepeatedRequestsAreCountedButDeliveredOnce) {
  aio::run(repeated_cancel());
}

aio::task<int> uncancel_drops_pending() {
  aio::task_handle self = co_await aio::current_task();
  EXPECT_EQ(self.cancelling(), 0u);
  self.cancel();
  self.cancel();
  EXPECT_EQ(self.cancelling(), 2u);
  EXPECT_EQ(self.uncancel(), 1u);
  EXPECT_EQ(self.uncancel(), 0u); // no request left: the pending one goes
  EXPECT_EQ(self.uncancel(), 0u);
  co_await aio::sleep_for(1ms); // not cancelled
  co_return 1;
}

TEST(Cancellation, UncancelCountsDownAndDropsAPendingRequestAtZero) {
  EXPECT_EQ(aio::run(uncancel_drops_pending()), 1);
}

aio::task<int> yield_forever() {
  int turns = 0;
  try {
    for (;;) {
      ++turns;
      co_await aio::yield();
    }
  } catch (const aio::cancelled_error &) {
  }
  co_return turns;
}

aio::task<> cancel_yielding_task() {
  aio::join_handle<int> h = aio::spawn(yield_forever());
  for (int i = 0; i < 5; ++i)
    co_await aio::yield();
  h.cancel();
  const int turns = co_await h;
  EXPECT_GE(turns, 3);
  EXPECT_LE(turns, 7);
}

TEST(Cancellation, IsRaisedByYield) { aio::run(cancel_yielding_task()); }

aio::task<int> finish_then_cancel_awaiter(aio::task_handle *awaiter) {
  co_await aio::sleep_for(5ms);
  // Queued before the awaiter's resumption, which finishing queues.
  aio::task_handle target = *awaiter;
  aio::get_running_loop().call_soon([target]() mutable { target.cancel(); });
  co_return 5;
}

aio::task<int> await_child(aio::join_handle<int> child) {
  co_return co_await child;
}

aio::task<> cancel_after_child_finished() {
  aio::task_handle parent_handle;
  aio::join_handle<int> child =
      aio::spawn(finish_then_cancel_awaiter(&parent_handle));
  aio::join_handle<int> parent = aio::spawn(await_child(child));
  parent_handle = parent;
  EXPECT_THROW(co_await parent, aio::cancelled_error);
  EXPECT_FALSE(child.cancelled());
  EXPECT_EQ(child.result(), 5); // still there for whoever wants it
}

TEST(Cancellation, AfterTheAwaitedTaskFinishedIsRaisedInTheAwaiter) {
  aio::run(cancel_after_child_finished());
}

aio::task<> offload_cancelled_midway(std::atomic<bool> *work_done,
                                     bool *saw_done_at_cancel) {
  try {
    co_await aio::to_thread([work_done] {
      std::this_thread::sleep_for(60ms);
      work_done->store(true);
      return 1;
    });
  } catch (const aio::cancelled_error &) {
    *saw_done_at_cancel = work_done->load();
    throw;
  }
}

aio::task<> cancel_during_to_thread() {
  std::atomic<bool> work_done{false};
  bool saw_done_at_cancel = false;
  aio::join_handle<void> h =
      aio::spawn(offload_cancelled_midway(&work_done, &saw_done_at_cancel));
  co_await aio::sleep_for(10ms);
  const steady::time_point start = steady::now();
  EXPECT_TRUE(h.cancel());
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_GE(ms_since(start), 30); // waited for the work to return
  EXPECT_TRUE(saw_done_at_cancel);
  EXPECT_TRUE(h.cancelled());
}

TEST(Cancellation, OfToThreadIsHonouredWhenTheWorkReturns) {
  aio::run(cancel_during_to_thread());
}

aio::task<int> offload_after_self_cancel(std::atomic<bool> *ran) {
  aio::task_handle self = co_await aio::current_task();
  self.cancel();
  try {
    co_await aio::to_thread([ran] { ran->store(true); });
  } catch (const aio::cancelled_error &) {
    co_return 1;
  }
  co_return 0;
}

TEST(Cancellation, PendingBeforeToThreadKeepsTheWorkFromStarting) {
  std::atomic<bool> ran{false};
  EXPECT_EQ(aio::run(offload_after_self_cancel(&ran)), 1);
  EXPECT_FALSE(ran.load());
}

aio::task<int> catch_as_std_exception() {
  aio::join_handle<void> h = aio::spawn(nap(10s));
  co_await aio::sleep_for(1ms);
  h.cancel();
  try {
    co_await h;
  } catch (const std::exception &e) {
    co_return std::string(e.what()).find("cancel") != std::string::npos ? 1
                                                                        : 2;
  }
  co_return 0;
}

TEST(Cancellation, CancelledErrorIsAStdException) {
  EXPECT_EQ(aio::run(catch_as_std_exception()), 1);
}

aio::task<> cancel_main_from_a_spawned_task(aio::task_handle main) {
  co_await aio::sleep_for(5ms);
  main.cancel();
}

aio::task<int> main_cancelled() {
  aio::task_handle self = co_await aio::current_task();
  aio::join_handle<void> h = aio::spawn(cancel_main_from_a_spawned_task(self));
  co_await aio::sleep_for(10s);
  co_return 0;
}

TEST(Cancellation, OfTheMainTaskComesOutOfRun) {
  EXPECT_THROW(aio::run(main_cancelled()), aio::cancelled_error);
}


// current_task_cancelling(): the running task's requests, without co_await.
aio::task<> count_own_requests(std::size_t *from_thread) {
  EXPECT_EQ(aio::current_task_cancelling(), 0u);
  aio::task_handle self = co_await aio::current_task();
  self.cancel();
  self.cancel();
  EXPECT_EQ(aio::current_task_cancelling(), 2u);
  // Another thread runs no task.
  std::thread([from_thread] {
    *from_thread = aio::current_task_cancelling();
  }).join();
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    EXPECT_EQ(aio::current_task_cancelling(), 2u); // delivered, still counted
  }
  self.uncancel();
  self.uncancel();
  EXPECT_EQ(aio::current_task_cancelling(), 0u);
}

TEST(Cancellation, CurrentTaskCancellingCountsTheRunningTasksRequests) {
  EXPECT_EQ(aio::current_task_cancelling(), 0u); // no loop
  std::size_t from_thread = 99;
  aio::run(count_own_requests(&from_thread));
  EXPECT_EQ(from_thread, 0u);
  EXPECT_EQ(aio::current_task_cancelling(), 0u); // the loop is gone
}

// Each task sees its own count, whichever ran before it.
aio::task<> report_after_sleep(std::chrono::milliseconds d, std::size_t *seen) {
  co_await aio::sleep_for(d);
  *seen = aio::current_task_cancelling();
}

aio::task<> report_cancelled_offload(std::size_t *seen) {
  try {
    co_await aio::to_thread([] {
      std::this_thread::sleep_for(5ms); // not interruptible: the request waits
    });
  } catch (const aio::cancelled_error &) {
    *seen = aio::current_task_cancelling();
    throw;
  }
}

aio::task<> each_task_its_own() {
  std::size_t before = 99;
  std::size_t cancelled = 99;
  std::size_t after = 99;
  aio::join_handle<void> a = aio::spawn(report_after_sleep(1ms, &before));
  aio::join_handle<void> b = aio::spawn(report_cancelled_offload(&cancelled));
  aio::join_handle<void> c = aio::spawn(report_after_sleep(20ms, &after));
  co_await aio::yield(); // b is in to_thread
  b.cancel();
  co_await a;
  EXPECT_THROW(co_await b, aio::cancelled_error);
  co_await c;
  EXPECT_EQ(before, 0u);
  EXPECT_EQ(cancelled, 1u);
  EXPECT_EQ(after, 0u);
}

TEST(Cancellation, CurrentTaskCancellingIsPerTask) {
  aio::run(each_task_its_own());
}

// asyncio's "cancel the child and wait until it is gone": the handler tells
// the child's cancellation from the waiting task's own with
// current_task_cancelling().

// An awaitable of no library: the worker cannot be interrupted there, so its
// cancellation waits until the gate opens.
struct gate {
  std::coroutine_handle<> waiter;
  bool open = false;
  bool await_ready() const noexcept { return open; }
  void await_suspend(std::coroutine_handle<> h) noexcept { waiter = h; }
  void await_resume() const noexcept {}
  void release() {
    open = true;
    if (waiter)
      aio::get_running_loop().call_soon([h = waiter] { h.resume(); });
  }
};

aio::task<> gated_worker(gate *g) {
  co_await *g;
  co_await aio::yield(); // raises the pending cancellation
}

aio::task<> stop_worker(gate *g, std::string *trace) {
  aio::join_handle<void> worker = aio::spawn(gated_worker(g));
  co_await aio::yield(); // the worker waits at the gate
  worker.cancel();
  try {
    co_await aio::wait_for(worker, 2s);
  } catch (const aio::cancelled_error &) {
    *trace += aio::current_task_cancelling() ? "own;" : "child's;";
    if (aio::current_task_cancelling())
      throw;
  }
  co_await aio::yield();
  *trace += "closed";
}

aio::task<> stop_worker_scenario(bool cancel_stopper, std::string *trace) {
  gate g;
  aio::join_handle<void> stopper = aio::spawn(stop_worker(&g, trace));
  for (int i = 0; i < 5; ++i)
    co_await aio::yield(); // the stopper cancelled the worker and waits
  if (cancel_stopper)
    stopper.cancel();
  g.release();
  if (cancel_stopper) {
    EXPECT_THROW(co_await stopper, aio::cancelled_error);
    EXPECT_TRUE(stopper.cancelled());
  } else {
    co_await stopper;
  }
}

TEST(Cancellation, CurrentTaskCancellingTellsTheChildsCancellationFromOurs) {
  std::string trace;
  aio::run(stop_worker_scenario(false, &trace));
  EXPECT_EQ(trace, "child's;closed");
  trace.clear();
  aio::run(stop_worker_scenario(true, &trace));
  EXPECT_EQ(trace, "own;");
}

} // namespace cancellation_test
