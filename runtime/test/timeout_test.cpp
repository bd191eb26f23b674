// aio::wait_for, aio::timeout and aio::timeout_scope: only the cancellation
// a timeout caused becomes timeout_error, so nested timeouts and outer
// cancellations compose; timeouts nested three deep under load.
#include <aio/current_task.hpp>
#include <aio/gather.hpp>
#include <aio/offload.hpp>
#include <aio/task_group.hpp>
#include <aio/timeout.hpp>
#include <aio/wait.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace timeout_test {
using namespace aio_test;

aio::task<> value_in_time() {
  EXPECT_EQ(co_await aio::wait_for(after(5ms, 3), 5s), 3);
  co_await aio::wait_for(nap(1ms), 5s); // void
  std::unique_ptr<int> p = co_await aio::wait_for(
      [](int v) -> aio::task<std::unique_ptr<int>> {
        co_return std::make_unique<int>(v);
      }(4),
      5s);
  EXPECT_EQ(*p, 4);
  EXPECT_EQ(co_await aio::timeout(5s, after(1ms, 8)), 8);
  aio::task_handle self = co_await aio::current_task();
  EXPECT_EQ(self.cancelling(), 0u);
}

TEST(WaitFor, ReturnsTheValueWhenInTime) { aio::run(value_in_time()); }

aio::task<> times_out() {
  bool inner_cancelled = false;
  const steady::time_point start = steady::now();
  EXPECT_THROW(co_await aio::wait_for(sleep_recording(10s, &inner_cancelled),
                                      20ms),
               aio::timeout_error);
  const long long ms = ms_since(start);
  EXPECT_GE(ms, 20);
  EXPECT_LT(ms, 2000);
  EXPECT_TRUE(inner_cancelled);
  aio::task_handle self = co_await aio::current_task();
  EXPECT_EQ(self.cancelling(), 0u); // the timeout undid its request
  co_await aio::sleep_for(1ms);     // and nothing is left pending
}

TEST(WaitFor, RaisesTimeoutErrorAndCancelsTheAwaitable) {
  aio::run(times_out());
}

aio::task<int> slow_cleanup(bool *cleaned) {
  std::exception_ptr error;
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    error = std::current_exception();
  }
  if (error) {
    co_await aio::sleep_for(30ms); // cleanup that suspends
    *cleaned = true;
    std::rethrow_exception(error);
  }
  co_return 0;
}

aio::task<> waits_for_cleanup() {
  bool cleaned = false;
  const steady::time_point start = steady::now();
  EXPECT_THROW(co_await aio::wait_for(slow_cleanup(&cleaned), 10ms),
               aio::timeout_error);
  EXPECT_TRUE(cleaned);
  EXPECT_GE(ms_since(start), 40);
}

TEST(WaitFor, WaitsForTheCancelledAwaitableToUnwind) {
  aio::run(waits_for_cleanup());
}

aio::task<> on_join_handle() {
  bool cancelled = false;
  aio::join_handle<int> h = aio::spawn(sleep_recording(10s, &cancelled));
  EXPECT_THROW(co_await aio::wait_for(h, 10ms), aio::timeout_error);
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_TRUE(cancelled);
}

TEST(WaitFor, OnAJoinHandleCancelsTheSpawnedTaskAndWaitsForIt) {
  aio::run(on_join_handle());
}

aio::task<int> wait_for_long(int *outcome) {
  try {
    co_await aio::wait_for(nap(10s), 5s);
  } catch (const aio::timeout_error &) {
    *outcome = 1;
  } catch (const aio::cancelled_error &) {
    *outcome = 2;
    throw;
  }
  co_return 0;
}

aio::task<> outer_cancel() {
  int outcome = 0;
  aio::join_handle<int> h = aio::spawn(wait_for_long(&outcome));
  co_await aio::sleep_for(5ms);
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_EQ(outcome, 2);
  EXPECT_TRUE(h.cancelled());
}

TEST(WaitFor, AnOuterCancelArrivesAsCancelledError) {
  aio::run(outer_cancel());
}

// The timeout fires; while the awaitable cleans up, the task is cancelled
// from outside as well: that cancellation must come out, not a timeout.
aio::task<> cleanup_then_signal(bool *in_cleanup) {
  bool timed_out = false;
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    timed_out = true; // swallowed for now; the cleanup below re-raises
  }
  if (timed_out) {
    *in_cleanup = true;
    co_await aio::sleep_for(10s); // interrupted by the outer cancel
  }
}

aio::task<int> timeout_then_outer(bool *in_cleanup) {
  try {
    co_await aio::wait_for(cleanup_then_signal(in_cleanup), 10ms);
  } catch (const aio::timeout_error &) {
    co_return 1;
  } catch (const aio::cancelled_error &) {
    co_return 2;
  }
  co_return 0;
}

aio::task<> timeout_and_outer_cancel() {
  bool in_cleanup = false;
  aio::join_handle<int> h = aio::spawn(timeout_then_outer(&in_cleanup));
  while (!in_cleanup)
    co_await aio::sleep_for(1ms);
  h.cancel();
  EXPECT_EQ(co_await h, 2);
  EXPECT_EQ(h.cancelling(), 1u); // the outer request; the timeout's undone
}

TEST(WaitFor, AnOuterCancelDuringATimeoutStillComesOutAsCancelledError) {
  aio::run(timeout_and_outer_cancel());
}

aio::task<int> swallows(std::chrono::milliseconds d) {
  try {
    co_await aio::sleep_for(d);
  } catch (const aio::cancelled_error &) {
  }
  co_return 9;
}

aio::task<> swallowed_timeout() {
  EXPECT_EQ(co_await aio::wait_for(swallows(10s), 10ms), 9);
  aio::task_handle self = co_await aio::current_task();
  EXPECT_EQ(self.cancelling(), 0u);
  const steady::time_point start = steady::now();
  co_await aio::sleep_for(20ms); // no stale request
  EXPECT_GE(ms_since(start), 20);
}

TEST(WaitFor, ReturnsTheValueIfTheAwaitableSwallowsTheCancellation) {
  aio::run(swallowed_timeout());
}

aio::task<> to_thread_timeout() {
  std::atomic<bool> finished{false};
  const steady::time_point start = steady::now();
  EXPECT_THROW(co_await aio::wait_for(aio::to_thread([&finished] {
                                        std::this_thread::sleep_for(60ms);
                                        finished.store(true);
                                      }),
                                      10ms),
               aio::timeout_error);
  EXPECT_TRUE(finished.load());
  EXPECT_GE(ms_since(start), 50);
}

TEST(WaitFor, OnToThreadTimesOutWhenTheWorkReturns) {
  aio::run(to_thread_timeout());
}

aio::task<int> immediate() { co_return 6; }

aio::task<> zero_timeout() {
  EXPECT_THROW(co_await aio::wait_for(nap(10ms), 0ms), aio::timeout_error);
  EXPECT_THROW(co_await aio::wait_for(nap(10ms), -5ms), aio::timeout_error);
  // Finishing without suspending beats even a zero timeout.
  EXPECT_EQ(co_await aio::wait_for(immediate(), 0ms), 6);
}

TEST(WaitFor, AZeroTimeoutTimesOutAnythingThatSuspends) {
  aio::run(zero_timeout());
}

aio::task<> exceptions_pass_through() {
  EXPECT_THROW(co_await aio::wait_for(fail_after<std::runtime_error>(1ms), 5s),
               std::runtime_error);
  aio::task_handle self = co_await aio::current_task();
  EXPECT_EQ(self.cancelling(), 0u);
}

TEST(WaitFor, OtherExceptionsPassThrough) { aio::run(exceptions_pass_through()); }

// Three nested timeout scopes around a long sleep; `fires` says which
// deadline is the shortest.
struct nest_result {
  bool inner_expired, middle_expired, outer_expired;
  std::string error; // what came out at the top
  std::size_t cancelling_after;
};

aio::task<> innermost(aio::timeout_scope *inner) {
  co_await inner->run(nap(10s));
}
aio::task<> middle_layer(aio::timeout_scope *inner,
                         aio::timeout_scope *middle) {
  co_await middle->run(innermost(inner));
}

// Three nested scopes with the given deadlines around middle_layer.
aio::task<nest_result> nest_at(steady::time_point a, steady::time_point b,
                               steady::time_point c) {
  aio::timeout_scope inner = aio::timeout_at(a);
  aio::timeout_scope middle = aio::timeout_at(b);
  aio::timeout_scope outer = aio::timeout_at(c);
  nest_result r{};
  try {
    co_await outer.run(middle_layer(&inner, &middle));
    r.error = "none";
  } catch (const aio::timeout_error &) {
    r.error = "timeout";
  } catch (const aio::cancelled_error &) {
    r.error = "cancelled";
  }
  r.inner_expired = inner.expired();
  r.middle_expired = middle.expired();
  r.outer_expired = outer.expired();
  r.cancelling_after = (co_await aio::current_task()).cancelling();
  co_return r;
}

aio::task<nest_result> nest(std::chrono::milliseconds a,
                            std::chrono::milliseconds b,
                            std::chrono::milliseconds c) {
  steady::time_point now = steady::now();
  co_return co_await nest_at(now + a, now + b, now + c);
}

TEST(TimeoutScope, NestedThreeDeepTheInnermostFiresFirst) {
  nest_result r = aio::run(nest(10ms, 2s, 3s));
  EXPECT_EQ(r.error, "timeout");
  EXPECT_TRUE(r.inner_expired);
  EXPECT_FALSE(r.middle_expired);
  EXPECT_FALSE(r.outer_expired);
  EXPECT_EQ(r.cancelling_after, 0u);
}

TEST(TimeoutScope, NestedThreeDeepTheMiddleFiresFirst) {
  nest_result r = aio::run(nest(2s, 10ms, 3s));
  EXPECT_EQ(r.error, "timeout");
  EXPECT_FALSE(r.inner_expired);
  EXPECT_TRUE(r.middle_expired);
  EXPECT_FALSE(r.outer_expired);
  EXPECT_EQ(r.cancelling_after, 0u);
}

TEST(TimeoutScope, NestedThreeDeepTheOuterFiresFirst) {
  nest_result r = aio::run(nest(3s, 2s, 10ms));
  EXPECT_EQ(r.error, "timeout");
  EXPECT_FALSE(r.inner_expired);
  EXPECT_FALSE(r.middle_expired);
  EXPECT_TRUE(r.outer_expired);
  EXPECT_EQ(r.cancelling_after, 0u);
}

TEST(TimeoutScope, NestedThreeDeepFiringTogetherGiveOneTimeoutAtTheTop) {
  steady::time_point when = steady::now() + 10ms;
  nest_result r = aio::run(nest_at(when, when, when));
  EXPECT_EQ(r.error, "timeout");
  EXPECT_TRUE(r.inner_expired && r.middle_expired && r.outer_expired);
  EXPECT_EQ(r.cancelling_after, 0u);
}

aio::task<> shared_deadline() {
  const steady::time_point start = steady::now();
  aio::timeout_scope budget = aio::timeout(80ms);
  co_await budget.run(nap(30ms));
  EXPECT_FALSE(budget.expired());
  EXPECT_THROW(co_await budget.run(nap(10s)), aio::timeout_error);
  EXPECT_TRUE(budget.expired());
  const long long ms = ms_since(start);
  EXPECT_GE(ms, 80);
  EXPECT_LT(ms, 2000);
  // Past the deadline, a run that suspends times out at once.
  EXPECT_THROW(co_await budget.run(nap(10s)), aio::timeout_error);
}

TEST(TimeoutScope, ADeadlineIsSharedAcrossRuns) { aio::run(shared_deadline()); }

aio::task<> extend(aio::timeout_scope *scope) {
  co_await aio::sleep_for(5ms);
  scope->reschedule(steady::now() + 5s);
  co_await aio::sleep_for(60ms); // past the original deadline
}

aio::task<> rescheduled() {
  aio::timeout_scope scope = aio::timeout(30ms);
  const steady::time_point first = scope.when();
  co_await scope.run(extend(&scope));
  EXPECT_FALSE(scope.expired());
  EXPECT_GT(scope.when(), first);
}

TEST(TimeoutScope, RescheduleMovesTheDeadlineWhileRunning) {
  aio::run(rescheduled());
}

aio::task<int> reschedule_after_expiry(aio::timeout_scope *scope) {
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    try {
      scope->reschedule(steady::now() + 1s);
    } catch (const std::logic_error &) {
      co_return 1;
    }
  }
  co_return 0;
}

aio::task<> expired_reschedule() {
  aio::timeout_scope scope = aio::timeout(5ms);
  EXPECT_EQ(co_await scope.run(reschedule_after_expiry(&scope)), 1);
  EXPECT_TRUE(scope.expired());
}

TEST(TimeoutScope, RescheduleAfterItFiredIsALogicError) {
  aio::run(expired_reschedule());
}

aio::task<> no_deadline() {
  aio::timeout_scope never = aio::timeout_at(steady::time_point::max());
  EXPECT_EQ(co_await never.run(after(5ms, 2)), 2);
  aio::timeout_scope huge = aio::timeout(std::chrono::hours::max());
  EXPECT_EQ(huge.when(), steady::time_point::max());
  co_await huge.run(nap(1ms));
}

TEST(TimeoutScope, TimePointMaxMeansNoDeadline) { aio::run(no_deadline()); }

aio::task<int> run_in_two(aio::timeout_scope *scope) {
  aio::join_handle<void> other = aio::spawn(scope->run(nap(20ms)));
  co_await aio::sleep_for(5ms);
  int refused = 0;
  try {
    co_await scope->run(nap(1ms));
  } catch (const std::logic_error &) {
    refused = 1;
  }
  co_await other;
  co_return refused;
}

TEST(TimeoutScope, RunsOneAwaitAtATime) {
  aio::timeout_scope scope = aio::timeout_at(steady::now() + 5s);
  EXPECT_EQ(aio::run(run_in_two(&scope)), 1);
}

aio::task<> around_combinators() {
  bool a = false, b = false;
  EXPECT_THROW(co_await aio::wait_for(aio::gather(sleep_recording(10s, &a),
                                                  sleep_recording(10s, &b)),
                                      10ms),
               aio::timeout_error);
  EXPECT_TRUE(a && b); // every child was cancelled and waited for

  bool child = false, body = false;
  EXPECT_THROW(
      co_await aio::wait_for(
          aio::with_task_group([&](aio::task_group &group) -> aio::task<> {
            group.spawn(sleep_recording(10s, &child));
            co_await sleep_recording(10s, &body);
          }),
          10ms),
      aio::timeout_error);
  EXPECT_TRUE(child && body);
  EXPECT_EQ((co_await aio::current_task()).cancelling(), 0u);
}

TEST(WaitFor, AroundGatherAndTaskGroupsCancelsEveryChild) {
  aio::run(around_combinators());
}

// Stress: timeouts nested three deep, under load.

aio::task<int> work(int ms) {
  co_await aio::sleep_for(std::chrono::milliseconds(ms));
  co_return ms;
}

aio::task<int> level3(int w, int d3) {
  co_return co_await aio::wait_for(work(w), std::chrono::milliseconds(d3));
}
aio::task<int> level2(int w, int d2, int d3) {
  co_return co_await aio::wait_for(level3(w, d3), std::chrono::milliseconds(d2));
}

enum class ending { value, timeout, cancelled, other };

struct nested_outcome {
  ending how = ending::other;
  std::size_t cancelling_after = 99;
};

aio::task<nested_outcome> level1(int w, int d1, int d2, int d3) {
  nested_outcome r;
  try {
    co_await aio::wait_for(level2(w, d2, d3), std::chrono::milliseconds(d1));
    r.how = ending::value;
  } catch (const aio::timeout_error &) {
    r.how = ending::timeout;
  }
  r.cancelling_after = (co_await aio::current_task()).cancelling();
  co_return r;
}

aio::task<> nested_timeouts_under_load(int n) {
  xorshift rng(99);
  aio::event_loop &loop = aio::get_running_loop();
  std::vector<aio::join_handle<nested_outcome>> hs;
  std::vector<int> fast;
  std::vector<char> cancel_accepted(static_cast<std::size_t>(n), 0);
  std::vector<char> *accepted = &cancel_accepted;
  for (int i = 0; i < n; ++i) {
    const bool quick = rng.below(2) == 0;
    fast.push_back(quick);
    const int w = quick ? 1 : 400;
    hs.push_back(aio::spawn(level1(w, 60 + rng.below(100), 60 + rng.below(100),
                                   60 + rng.below(100))));
    if (rng.below(10) == 0) { // an outer cancel at a random moment
      aio::task_handle h = hs.back();
      loop.call_later(std::chrono::milliseconds(rng.below(200)),
                      [h, i, accepted]() mutable {
                        (*accepted)[static_cast<std::size_t>(i)] = h.cancel();
                      });
    }
  }
  // Load: tasks yielding all along.
  bool stop = false;
  std::vector<aio::join_handle<void>> noise;
  for (int i = 0; i < 50; ++i)
    noise.push_back(aio::spawn([](const bool *stop) -> aio::task<> {
      while (!*stop)
        co_await aio::yield();
    }(&stop)));
  co_await aio::wait(hs);
  stop = true;
  for (aio::join_handle<void> &h : noise)
    co_await h;
  co_await aio::sleep_for(210ms); // every cancel callback has run
  int values = 0, timeouts = 0, cancels = 0, bad = 0;
  for (int i = 0; i < n; ++i) {
    aio::join_handle<nested_outcome> &h = hs[static_cast<std::size_t>(i)];
    if (h.cancelled()) {
      ++cancels;
      if (!cancel_accepted[static_cast<std::size_t>(i)])
        ++bad;
      EXPECT_THROW(h.result(), aio::cancelled_error);
      continue;
    }
    if (cancel_accepted[static_cast<std::size_t>(i)])
      ++bad; // an outer cancel must come out as cancelled_error
    nested_outcome r = h.result();
    if (r.cancelling_after != 0)
      ++bad;
    if (r.how == ending::value) {
      ++values;
      if (!fast[static_cast<std::size_t>(i)])
        ++bad;
    } else if (r.how == ending::timeout) {
      ++timeouts;
      if (fast[static_cast<std::size_t>(i)])
        ++bad;
    } else {
      ++bad;
    }
  }
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(values + timeouts + cancels, n);
  EXPECT_GT(values, n / 4);
  EXPECT_GT(timeouts, n / 4);
  EXPECT_GT(cancels, 0);
}

TEST(Stress, TimeoutsNestedThreeDeepUnderLoad) {
  aio::run(nested_timeouts_under_load(2000));
}

} // namespace timeout_test
