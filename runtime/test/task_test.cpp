// aio::task: values, move-only values, exceptions, laziness, a deep loop of
// synchronous awaits, and a cancellation crossing nested tasks.
#include <aio/task.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

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

} // namespace task_test
