// aio::sleep_for and aio::sleep_until: time points of any clock, and 100k
// tasks asleep at once.
#include <aio/sleep.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace sleep_test {
using namespace aio_test;

aio::task<> sleep_until_system(std::chrono::system_clock::time_point t) {
  co_await aio::sleep_until(t);
}

aio::task<> sleep_until_steady(steady::time_point t) {
  co_await aio::sleep_until(t);
}

TEST(Sleep, SleepUntilAcceptsAnyClock) {
  steady::time_point start = steady::now();
  aio::run(sleep_until_system(std::chrono::system_clock::now() + 30ms));
  EXPECT_GE(ms_since(start), 25); // the system clock may step a little
  start = steady::now();
  aio::run(sleep_until_system(std::chrono::system_clock::now() - 1h));
  EXPECT_LT(ms_since(start), 1000);
  start = steady::now();
  aio::run(sleep_until_steady(start + 30ms));
  EXPECT_GE(steady::now(), start + 30ms);
  EXPECT_LT(ms_since(start), 1000);
  start = steady::now();
  aio::run(sleep_until_steady(start - 1s));
  EXPECT_LT(ms_since(start), 1000);
}

// Stress: 100k concurrent sleepers.

aio::task<> many_sleepers(int n, sleep_stats *stats) {
  xorshift rng(42);
  std::vector<aio::join_handle<void>> hs;
  hs.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    hs.push_back(aio::spawn(sleeper(1 + rng.below(50), stats)));
  for (aio::join_handle<void> &h : hs)
    co_await h;
}

TEST(Stress, HundredThousandConcurrentSleepingTasks) {
  constexpr int n = 100000;
  sleep_stats stats;
  const steady::time_point start = steady::now();
  aio::run(many_sleepers(n, &stats));
  EXPECT_EQ(stats.woke, n);
  EXPECT_EQ(stats.peak, n); // all asleep at once
  EXPECT_LT(ms_since(start), 30000);
}

} // namespace sleep_test
