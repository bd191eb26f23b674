// aio::task_handle and aio::join_handle: state and result, one awaiter at a
// time, exceptions (reported if never retrieved), hashing, and cancellation
// (cancel, cancelling, uncancel): where cancelled_error is raised, how it
// propagates into an awaited task, that it is sticky until delivered,
// counted, and that a task swallowing it simply goes on; 10k cancellations
// racing completions.
#include <aio/current_task.hpp>
#include <aio/task_handle.hpp>
#include <aio/wait.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace task_handle_test {
using namespace aio_test;

aio::task<> handle_states() {
  aio::join_handle<int> h = aio::spawn(after(5ms, 7));
  EXPECT_TRUE(h.valid());
  EXPECT_FALSE(h.done());
  EXPECT_THROW(h.result(), std::logic_error);
  co_await aio::sleep_for(20ms);
  EXPECT_TRUE(h.done());
  EXPECT_FALSE(h.cancelled());
  EXPECT_EQ(h.result(), 7);
  aio::join_handle<int> empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_FALSE(empty.done());
  EXPECT_FALSE(empty.cancel());
  EXPECT_THROW(empty.result(), std::logic_error);
}

TEST(Spawn, TheHandleReportsStateAndResult) { aio::run(handle_states()); }

aio::task<int> await_handle(aio::join_handle<int> h) { co_return co_await h; }

aio::task<> awaited_twice() {
  aio::join_handle<int> h = aio::spawn(after(20ms, 3));
  aio::join_handle<int> first = aio::spawn(await_handle(h));
  aio::join_handle<int> second = aio::spawn(await_handle(h));
  co_await aio::sleep_for(1ms);
  EXPECT_THROW(co_await second, std::logic_error);
  EXPECT_EQ(co_await first, 3);
}

TEST(Spawn, OnlyOneCoroutineMayAwaitAHandleAtATime) {
  aio::run(awaited_twice());
}

aio::task<std::string> catch_from_spawned() {
  aio::join_handle<int> h = aio::spawn(fail_after<std::runtime_error>(1ms));
  try {
    co_await h;
  } catch (const std::runtime_error &e) {
    co_return e.what();
  }
  co_return "not thrown";
}

TEST(Spawn, AnExceptionReachesTheAwaiterOfTheHandle) {
  EXPECT_EQ(aio::run(catch_from_spawned()), "boom");
}

aio::task<> abandon_failure() {
  aio::spawn(fail_after<std::runtime_error>(1ms));
  co_await aio::sleep_for(20ms);
}

TEST(Spawn, AnExceptionNeverRetrievedIsReported) {
  testing::internal::CaptureStderr();
  aio::run(abandon_failure());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("never retrieved"), std::string::npos) << err;
}

aio::task<> abandon_cancelled() {
  aio::join_handle<void> h = aio::spawn(nap(10s));
  co_await aio::sleep_for(1ms);
  h.cancel();
  co_await aio::sleep_for(5ms);
  EXPECT_TRUE(h.cancelled());
}

TEST(Spawn, ACancelledTaskIsNotReportedAsUnretrieved) {
  testing::internal::CaptureStderr();
  aio::run(abandon_cancelled());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

aio::task<> handles_in_a_set() {
  aio::join_handle<int> a = aio::spawn(after(1ms, 1));
  aio::join_handle<int> b = aio::spawn(after(1ms, 2));
  std::unordered_set<aio::task_handle> set{a, b, a};
  EXPECT_EQ(set.size(), 2u);
  aio::task_handle copy = a;
  EXPECT_TRUE(copy == a);
  EXPECT_EQ(set.count(copy), 1u);
  co_await a;
  co_await b;
}

TEST(Spawn, HandlesCompareAndHashByTask) { aio::run(handles_in_a_set()); }

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

// Stress: 10k cancellations racing completions.

aio::task<int> child_sleep(int ms, int value) {
  co_await aio::sleep_for(std::chrono::milliseconds(ms));
  co_return value;
}

// Schedules a cancel() of the calling task delay_us from now; records in
// accepted[i] whether it was accepted (the task was not done yet).
struct race_plan {
  int i;
  int delay_us;
  bool twice;
  std::shared_ptr<std::vector<char>> accepted;
};

aio::task<> schedule_cancel(const race_plan &plan) {
  aio::task_handle self = co_await aio::current_task();
  aio::get_running_loop().call_later(
      std::chrono::microseconds(plan.delay_us),
      [self, i = plan.i, twice = plan.twice,
       accepted = plan.accepted]() mutable {
        (*accepted)[static_cast<std::size_t>(i)] = self.cancel();
        if (twice)
          self.cancel();
      });
}

// Each racer has its cancel scheduled when it starts, so that the race
// between its work (0-3 ms) and the cancel (0-4 ms) is the same however
// fast the build is. kind 0: sleeps; 1: awaits a spawned child; 2: yields;
// 3: swallows the cancellation once and returns -i; 4: nested coroutine
// sleeping.
aio::task<int> racer(int kind, int ms, race_plan plan) {
  const int i = plan.i;
  co_await schedule_cancel(plan);
  switch (kind) {
  case 0:
    co_await aio::sleep_for(std::chrono::milliseconds(ms));
    co_return i;
  case 1:
    co_return co_await aio::spawn(child_sleep(ms, i));
  case 2:
    for (int k = 0; k < ms * 3; ++k)
      co_await aio::yield();
    co_return i;
  case 3:
    try {
      co_await aio::sleep_for(std::chrono::milliseconds(ms));
    } catch (const aio::cancelled_error &) {
      co_return -i;
    }
    co_return i;
  default:
    co_return co_await child_sleep(ms, i);
  }
}

struct race_totals {
  int cancelled = 0;
  int completed = 0;
  int swallowed = 0;
  int late_cancel = 0; // cancel() came after the task finished
  int violations = 0;
};

aio::task<> cancellation_race(int n, race_totals *totals) {
  xorshift rng(7);
  std::vector<aio::join_handle<int>> hs;
  std::vector<int> kinds;
  auto accepted = std::make_shared<std::vector<char>>(n, 0);
  for (int i = 0; i < n; ++i) {
    const int kind = rng.below(5);
    kinds.push_back(kind);
    const int ms = rng.below(4);
    race_plan plan{i, rng.below(4000), rng.below(10) == 0, accepted};
    hs.push_back(aio::spawn(racer(kind, ms, std::move(plan))));
  }
  // A tenth are cancelled before they start.
  for (int i = 0; i < n; i += 10)
    (*accepted)[static_cast<std::size_t>(i)] =
        hs[static_cast<std::size_t>(i)].cancel();
  aio::wait_result<aio::join_handle<int>> all = co_await aio::wait(hs);
  EXPECT_EQ(all.done.size(), static_cast<std::size_t>(n));
  co_await aio::sleep_for(5ms); // every cancel() callback has run
  for (int i = 0; i < n; ++i) {
    aio::join_handle<int> &h = hs[static_cast<std::size_t>(i)];
    const bool was_accepted = (*accepted)[static_cast<std::size_t>(i)] != 0;
    if (!h.done()) {
      ++totals->violations;
      continue;
    }
    if (h.cancelled()) {
      ++totals->cancelled;
      if (!was_accepted)
        ++totals->violations; // cancelled without an accepted request
      EXPECT_THROW(h.result(), aio::cancelled_error);
      continue;
    }
    const int v = h.result();
    if (v == -i && kinds[static_cast<std::size_t>(i)] == 3 && i != 0) {
      ++totals->swallowed;
      if (!was_accepted)
        ++totals->violations;
    } else if (v == i) {
      ++totals->completed;
      if (was_accepted)
        ++totals->violations; // accepted, yet it neither raised nor swallowed
      else
        ++totals->late_cancel;
    } else {
      ++totals->violations;
    }
  }
}

TEST(Stress, TenThousandCancellationsRacingCompletions) {
  constexpr int n = 10000;
  race_totals t;
  aio::run(cancellation_race(n, &t));
  EXPECT_EQ(t.violations, 0);
  EXPECT_EQ(t.cancelled + t.completed + t.swallowed, n);
  // Both sides of the race happened often.
  EXPECT_GT(t.cancelled, n / 10);
  EXPECT_GT(t.completed, n / 20);
  EXPECT_GT(t.swallowed, 0);
  RecordProperty("cancelled", t.cancelled);
  RecordProperty("completed", t.completed);
}

} // namespace task_handle_test
