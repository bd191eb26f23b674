// aio::wait: all_completed, first_completed, first_exception, a timeout,
// cancellation of the waiting task, task_handles of mixed types.
#include <aio/task_handle.hpp>
#include <aio/wait.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace wait_test {
using namespace aio_test;

aio::task<> wait_all() {
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(5ms, 1)),
                                        aio::spawn(after(1ms, 2))};
  aio::wait_result<aio::join_handle<int>> r = co_await aio::wait(hs);
  EXPECT_EQ(r.done.size(), 2u);
  EXPECT_TRUE(r.pending.empty());
  EXPECT_EQ(r.done[0].result(), 1); // in the order given
}

TEST(Wait, AllCompletedWaitsForEveryTask) { aio::run(wait_all()); }

aio::task<> wait_first() {
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(500ms, 1)),
                                        aio::spawn(after(5ms, 2)),
                                        aio::spawn(after(500ms, 3))};
  const steady::time_point start = steady::now();
  auto r = co_await aio::wait(hs, aio::first_completed);
  EXPECT_LT(ms_since(start), 400);
  EXPECT_EQ(r.done.size(), 1u);
  if (r.done.size() == 1) {
    EXPECT_EQ(r.done[0].result(), 2);
  }
  EXPECT_EQ(r.pending.size(), 2u);
  for (aio::join_handle<int> &p : r.pending) {
    EXPECT_FALSE(p.done()); // not cancelled by wait
    p.cancel();
  }
}

TEST(Wait, FirstCompletedReturnsAfterTheFirstTask) { aio::run(wait_first()); }

aio::task<> wait_first_exception() {
  std::vector<aio::join_handle<int>> hs{
      aio::spawn(after(500ms, 1)), aio::spawn(fail_after<std::runtime_error>(5ms)),
      aio::spawn(after(1ms, 3))};
  auto r = co_await aio::wait(hs, aio::first_exception);
  EXPECT_EQ(r.done.size(), 2u);
  EXPECT_EQ(r.pending.size(), 1u);
  if (r.done.size() == 2) {
    EXPECT_THROW(r.done[0].result(), std::runtime_error);
  }
  for (aio::join_handle<int> &p : r.pending)
    p.cancel();

  // A cancelled task is not an exception; without one, it waits for all.
  std::vector<aio::join_handle<int>> quiet{aio::spawn(after(10s, 1)),
                                           aio::spawn(after(20ms, 2))};
  quiet[0].cancel();
  auto all = co_await aio::wait(quiet, aio::first_exception);
  EXPECT_EQ(all.done.size(), 2u);
  EXPECT_TRUE(all.done[0].cancelled());
}

TEST(Wait, FirstExceptionReturnsWhenATaskFails) {
  aio::run(wait_first_exception());
}

aio::task<> wait_timeout() {
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(10s, 1)),
                                        aio::spawn(after(1ms, 2))};
  const steady::time_point start = steady::now();
  auto r = co_await aio::wait(hs, 20ms);
  const long long ms = ms_since(start);
  EXPECT_GE(ms, 20);
  EXPECT_LT(ms, 2000);
  EXPECT_EQ(r.done.size(), 1u);
  EXPECT_EQ(r.pending.size(), 1u);
  for (aio::join_handle<int> &p : r.pending) {
    EXPECT_FALSE(p.done());
    p.cancel();
  }
}

TEST(Wait, ATimeoutReturnsWithTheUnfinishedTasksPending) {
  aio::run(wait_timeout());
}

aio::task<int> wait_on(std::vector<aio::join_handle<int>> hs) {
  auto r = co_await aio::wait(hs);
  co_return static_cast<int>(r.done.size());
}

aio::task<> cancel_wait() {
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(40ms, 1))};
  aio::join_handle<int> waiter = aio::spawn(wait_on(hs));
  co_await aio::sleep_for(5ms);
  waiter.cancel();
  EXPECT_THROW(co_await waiter, aio::cancelled_error);
  EXPECT_FALSE(hs[0].cancelled());
  EXPECT_EQ(co_await hs[0], 1); // the task itself went on
}

TEST(Wait, CancellingItDoesNotCancelTheTasks) { aio::run(cancel_wait()); }

aio::task<> mixed_types_and_edge_cases() {
  std::vector<aio::task_handle> hs{aio::spawn(after(1ms, 1)),
                                   aio::spawn(text_after(2ms, "x")),
                                   aio::spawn(nap(3ms))};
  auto r = co_await aio::wait(hs);
  EXPECT_EQ(r.done.size(), 3u);
  // All done already: returns at once.
  auto again = co_await aio::wait(r.done, aio::first_completed);
  EXPECT_EQ(again.done.size(), 3u);
  EXPECT_THROW(co_await aio::wait(std::vector<aio::task_handle>{}),
               std::invalid_argument);
}

TEST(Wait, WorksOnTaskHandlesOfMixedTypes) {
  aio::run(mixed_types_and_edge_cases());
}

} // namespace wait_test
