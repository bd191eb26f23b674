// Tasks and spawned tasks: values, exceptions, laziness, concurrency,
// handles, names and the current task.
#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace task_test {
using namespace aio_test;

aio::task<int> answer() { co_return 42; }

aio::task<int> sum_of_answers() {
  int a = co_await answer();
  int b = co_await answer();
  co_return a + b;
}

TEST(Task, RunReturnsTheValue) { EXPECT_EQ(aio::run(answer()), 42); }

TEST(Task, AwaitingNestedTasksReturnsTheirValues) {
  EXPECT_EQ(aio::run(sum_of_answers()), 84);
}

aio::task<std::unique_ptr<std::string>> make_unique_string() {
  co_await aio::yield();
  co_return std::make_unique<std::string>("moved");
}

TEST(Task, MoveOnlyValuesComeThrough) {
  std::unique_ptr<std::string> p = aio::run(make_unique_string());
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "moved");
}

aio::task<std::string> catch_from_child() {
  try {
    co_await fail_after<std::runtime_error>(1ms);
  } catch (const std::runtime_error &e) {
    co_return e.what();
  }
  co_return "not thrown";
}

TEST(Task, AnExceptionReachesTheAwaiter) {
  EXPECT_EQ(aio::run(catch_from_child()), "boom");
  EXPECT_THROW(aio::run(fail_after<std::logic_error>(1ms)), std::logic_error);
}

aio::task<> set_flag(bool *flag) {
  *flag = true;
  co_return;
}

aio::task<bool> lazy_until_awaited() {
  bool flag = false;
  aio::task<> t = set_flag(&flag);
  const bool before = flag;
  co_await t;
  co_return !before && flag && t.done();
}

TEST(Task, IsLazyUntilAwaited) { EXPECT_TRUE(aio::run(lazy_until_awaited())); }

aio::task<int> count_up(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i)
    total += co_await answer() / 42;
  co_return total;
}

TEST(Task, ManySynchronousAwaitsDoNotGrowTheStack) {
  EXPECT_EQ(aio::run(count_up(200000)), 200000);
}

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
  aio::join_handle<void> h = aio::spawn(set_flag(&flag));
  const bool before = flag;
  co_await aio::yield();
  co_return !before && flag && h.done();
}

TEST(Spawn, ASpawnedTaskStartsInTheNextIteration) {
  EXPECT_TRUE(aio::run(starts_in_next_iteration()));
}

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

aio::task<aio::task_handle> inner_current() {
  co_await aio::yield();
  co_return co_await aio::current_task();
}

aio::task<bool> who_am_i() {
  aio::task_handle outer = co_await aio::current_task();
  aio::task_handle inner = co_await inner_current();
  co_return outer.valid() && outer == inner && !outer.done();
}

aio::task<> current_task_is_the_spawned_one() {
  aio::join_handle<bool> h = aio::spawn(who_am_i());
  EXPECT_TRUE(co_await h);
  aio::task_handle self = co_await aio::current_task();
  EXPECT_TRUE(self.valid());
  EXPECT_FALSE(self == h);
}

TEST(Spawn, CurrentTaskIsTheSpawnedTaskTheCoroutineRunsIn) {
  aio::run(current_task_is_the_spawned_one());
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

aio::task<> take_turns(std::vector<std::string> *log, std::string name) {
  for (int i = 0; i < 3; ++i) {
    log->push_back(name + std::to_string(i));
    co_await aio::yield();
  }
}

aio::task<> interleave(std::vector<std::string> *log) {
  aio::join_handle<void> a = aio::spawn(take_turns(log, "a"));
  aio::join_handle<void> b = aio::spawn(take_turns(log, "b"));
  co_await a;
  co_await b;
}

TEST(Yield, InterleavesTasksInOrder) {
  std::vector<std::string> log;
  aio::run(interleave(&log));
  EXPECT_EQ(log, (std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"}));
}

aio::task<> sleep_until_system(std::chrono::system_clock::time_point t) {
  co_await aio::sleep_until(t);
}

TEST(Sleep, SleepUntilAcceptsAnyClock) {
  steady::time_point start = steady::now();
  aio::run(sleep_until_system(std::chrono::system_clock::now() + 30ms));
  EXPECT_GE(ms_since(start), 25); // the system clock may step a little
  start = steady::now();
  aio::run(sleep_until_system(std::chrono::system_clock::now() - 1h));
  EXPECT_LT(ms_since(start), 1000);
}

} // namespace task_test
