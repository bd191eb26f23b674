// aio::spawn: spawned tasks run concurrently, start in the next loop
// iteration, and are named.
#include <aio/spawn.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace spawn_test {
using namespace aio_test;

aio::task<long long> two_sleepers() {
  const steady::time_point start = steady::now();
  aio::join_handle<int> a = aio::spawn(after(100ms, 1));
  aio::join_handle<int> b = aio::spawn(after(100ms, 2));
  EXPECT_EQ(co_await a, 1);
  EXPECT_EQ(co_await b, 2);
  co_return ms_since(start);
}

TEST(Spawn, SpawnedTasksRunConcurrently) {
  const long long ms = aio::run(two_sleepers());
  EXPECT_GE(ms, 100);
  EXPECT_LT(ms, 190);
}

aio::task<bool> starts_in_next_iteration() {
  bool flag = false;
  aio::join_handle<void> h = aio::spawn(set_flag_task(&flag));
  const bool before = flag;
  co_await aio::yield();
  co_return !before && flag && h.done();
}

TEST(Spawn, ASpawnedTaskStartsInTheNextIteration) {
  EXPECT_TRUE(aio::run(starts_in_next_iteration()));
}

aio::task<> names() {
  aio::join_handle<void> a = aio::spawn(nap(1ms));
  aio::join_handle<void> b = aio::spawn(nap(1ms), "worker");
  EXPECT_EQ(a.name().rfind("Task-", 0), 0u);
  EXPECT_NE(a.name(), aio::spawn(nap(1ms)).name());
  EXPECT_EQ(b.name(), "worker");
  a.set_name("renamed");
  EXPECT_EQ(a.name(), "renamed");
  co_await a;
  co_await b;
}

TEST(Spawn, TasksHaveDefaultNamesAndCanBeRenamed) { aio::run(names()); }

} // namespace spawn_test
