// aio::gather: values in order, vectors and handles, lazy children,
// fail-fast and return_exceptions, cancellation; 100k children.
#include <aio/gather.hpp>
#include <aio/outcome.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace gather_test {
using namespace aio_test;

aio::task<> values_in_order() {
  const steady::time_point start = steady::now();
  auto [a, b, c] = co_await aio::gather(after(60ms, 1), text_after(20ms, "two"),
                                        after(40ms, 3.0));
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, "two");
  EXPECT_EQ(c, 3.0);
  EXPECT_LT(ms_since(start), 150); // concurrently: 60 ms, not 120
}

TEST(Gather, ReturnsValuesInArgumentOrderAndRunsConcurrently) {
  aio::run(values_in_order());
}

aio::task<> void_and_empty() {
  std::tuple<std::monostate, int> r =
      co_await aio::gather(nap(1ms), after(1ms, 2));
  EXPECT_EQ(std::get<1>(r), 2);
  std::tuple<> none = co_await aio::gather();
  (void)none;
  std::vector<std::monostate> voids =
      co_await aio::gather(std::vector<aio::task<>>{});
  EXPECT_TRUE(voids.empty());
}

TEST(Gather, VoidResultsAreMonostateAndEmptyGathersReturnAtOnce) {
  aio::run(void_and_empty());
}

aio::task<> vector_of_tasks() {
  std::vector<aio::task<int>> tasks;
  for (int i = 0; i < 10; ++i)
    tasks.push_back(after(std::chrono::milliseconds(10 - i), i));
  std::vector<int> values = co_await aio::gather(std::move(tasks));
  EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));

  std::vector<aio::task<>> naps;
  naps.push_back(nap(1ms));
  naps.push_back(nap(2ms));
  EXPECT_EQ((co_await aio::gather(std::move(naps))).size(), 2u);
}

TEST(Gather, OfAVectorReturnsAVectorInOrder) { aio::run(vector_of_tasks()); }

aio::task<> handles() {
  aio::join_handle<int> h = aio::spawn(after(5ms, 1));
  auto [a, b] = co_await aio::gather(h, after(1ms, 2));
  EXPECT_EQ(a + b, 3);
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(2ms, 4)),
                                        aio::spawn(after(1ms, 5))};
  // Not in one expression with a braced temporary: GCC 12 miscompiles that.
  std::vector<int> values = co_await aio::gather(hs);
  EXPECT_EQ(values, (std::vector<int>{4, 5}));
}

TEST(Gather, AcceptsHandlesOfSpawnedTasks) { aio::run(handles()); }

aio::task<int> lazy_child(bool *started) {
  *started = true;
  co_return 1;
}

aio::task<> lazy() {
  bool started = false;
  aio::task<std::tuple<int>> g = aio::gather(lazy_child(&started));
  co_await aio::sleep_for(5ms);
  EXPECT_FALSE(started);
  co_await g;
  EXPECT_TRUE(started);
}

TEST(Gather, ChildrenStartWhenItIsAwaited) { aio::run(lazy()); }

aio::task<int> slow_cleanup(bool *cancelled, bool *cleaned) {
  std::exception_ptr error;
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    *cancelled = true;
    error = std::current_exception();
  }
  if (error) { // cleanup that suspends (not allowed in the handler)
    co_await aio::sleep_for(20ms);
    *cleaned = true;
    std::rethrow_exception(error);
  }
  co_return 0;
}

aio::task<> first_exception() {
  bool cancelled = false, cleaned = false;
  const steady::time_point start = steady::now();
  try {
    co_await aio::gather(slow_cleanup(&cancelled, &cleaned),
                         fail_after<std::runtime_error>(5ms), after(1ms, 3));
    ADD_FAILURE() << "gather did not throw";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "boom");
    // The sibling was cancelled and gather waited for its cleanup.
    EXPECT_TRUE(cancelled);
    EXPECT_TRUE(cleaned);
  }
  EXPECT_LT(ms_since(start), 2000);
}

TEST(Gather, TheFirstExceptionPropagatesAfterTheOthersAreCancelled) {
  testing::internal::CaptureStderr();
  aio::run(first_exception());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), ""); // all retrieved
}

aio::task<> return_exceptions() {
  bool cancelled = false;
  auto [a, b, c] = co_await aio::gather(
      aio::return_exceptions, fail_after<std::runtime_error>(1ms),
      sleep_recording(20ms, &cancelled, 2), nap(1ms));
  EXPECT_TRUE(a.has_error());
  EXPECT_THROW(a.value(), std::runtime_error);
  EXPECT_TRUE(b.has_value());
  EXPECT_EQ(b.value(), 2);
  EXPECT_TRUE(c.has_value());
  EXPECT_FALSE(cancelled); // a failure does not cancel the others

  std::vector<aio::task<int>> tasks;
  tasks.push_back(after(1ms, 1));
  tasks.push_back(fail_after<std::logic_error>(2ms));
  std::vector<aio::outcome<int>> outcomes =
      co_await aio::gather(aio::return_exceptions, std::move(tasks));
  EXPECT_EQ(outcomes.size(), 2u);
  if (outcomes.size() == 2) {
    EXPECT_EQ(outcomes[0].value(), 1);
    EXPECT_TRUE(outcomes[1].error() != nullptr);
  }
}

TEST(Gather, ReturnExceptionsCollectsAnOutcomePerChild) {
  aio::run(return_exceptions());
}

aio::task<int> gather_two(bool *a_cancelled, bool *b_cancelled) {
  auto [a, b] = co_await aio::gather(sleep_recording(10s, a_cancelled),
                                     sleep_recording(10s, b_cancelled));
  co_return a + b;
}

aio::task<> cancel_gather() {
  bool a = false, b = false;
  aio::join_handle<int> h = aio::spawn(gather_two(&a, &b));
  co_await aio::sleep_for(5ms);
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
  EXPECT_TRUE(h.cancelled());
}

TEST(Gather, CancellingTheAwaiterCancelsEveryChild) { aio::run(cancel_gather()); }

aio::task<int> swallow(int v) {
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
  }
  co_return v;
}

aio::task<int> gather_swallowers() {
  auto [a, b] = co_await aio::gather(swallow(1), swallow(2));
  co_return a + b;
}

aio::task<> cancel_swallowing_children() {
  aio::join_handle<int> h = aio::spawn(gather_swallowers());
  co_await aio::sleep_for(5ms);
  h.cancel();
  // As asyncio's gather: once cancelled, it raises even if no child did.
  EXPECT_THROW(co_await h, aio::cancelled_error);
}

TEST(Gather, CancelledRaisesCancelledErrorEvenIfChildrenSwallowIt) {
  aio::run(cancel_swallowing_children());
}

// Stress: 100k children.

aio::task<std::size_t> gather_sleepers(int n, sleep_stats *stats) {
  std::vector<aio::task<>> tasks;
  tasks.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    tasks.push_back(sleeper(1 + i % 20, stats));
  co_return (co_await aio::gather(std::move(tasks))).size();
}

TEST(Stress, GatherOfHundredThousandTasks) {
  constexpr int n = 100000;
  sleep_stats stats;
  EXPECT_EQ(aio::run(gather_sleepers(n, &stats)), static_cast<std::size_t>(n));
  EXPECT_EQ(stats.peak, n);
}

} // namespace gather_test
