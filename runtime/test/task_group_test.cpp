// aio::task_group (co_await group) and aio::with_task_group (asyncio's
// `async with TaskGroup()` block).
#include <aio/current_task.hpp>
#include <aio/task_group.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace task_group_test {
using namespace aio_test;

aio::task<> waits_for_all() {
  aio::task_group group;
  aio::join_handle<int> a = group.spawn(after(20ms, 1));
  aio::join_handle<int> b = group.spawn(after(5ms, 2), "b");
  group.spawn(nap(10ms));
  EXPECT_EQ(group.size(), 3u);
  EXPECT_EQ(b.name(), "b");
  co_await group;
  EXPECT_EQ(group.size(), 0u);
  EXPECT_EQ(a.result() + b.result(), 3);
}

TEST(TaskGroup, WaitsForEveryChild) { aio::run(waits_for_all()); }

aio::task<> empty_group() {
  aio::task_group group;
  co_await group;
  EXPECT_THROW(group.spawn(nap(1ms)), std::logic_error); // closed
}

TEST(TaskGroup, AnEmptyGroupIsDoneAtOnceAndThenClosed) {
  aio::run(empty_group());
}

aio::task<> failure_cancels_siblings() {
  bool cancelled = false;
  aio::task_group group;
  aio::join_handle<int> slow = group.spawn(sleep_recording(10s, &cancelled));
  group.spawn(fail_after<std::runtime_error>(5ms));
  aio::join_handle<int> fast = group.spawn(after(1ms, 4));
  const steady::time_point start = steady::now();
  try {
    co_await group;
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_LT(ms_since(start), 2000);
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(slow.cancelled());
  EXPECT_EQ(fast.result(), 4); // finished before the failure
  // Spawning into a group that is shutting down is refused once it closed.
  EXPECT_THROW(group.spawn(nap(1ms)), std::logic_error);
}

TEST(TaskGroup, AFailingChildCancelsTheOthersAndItsErrorIsRethrown) {
  aio::run(failure_cancels_siblings());
}

aio::task<int> fail_on_cancel() {
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    throw std::logic_error("second"); // fails while being cancelled
  }
  co_return 0;
}

aio::task<> first_error_wins() {
  aio::task_group group;
  group.spawn(fail_on_cancel());
  group.spawn(fail_after<std::runtime_error>(5ms));
  try {
    co_await group;
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "boom");
  } catch (const std::logic_error &) {
    ADD_FAILURE() << "the second error won";
  }
}

TEST(TaskGroup, TheFirstErrorWinsAndOthersAreRetrieved) {
  testing::internal::CaptureStderr();
  aio::run(first_error_wins());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

aio::task<> late_spawn() {
  aio::task_group group;
  group.spawn(fail_after<std::runtime_error>(1ms));
  co_await aio::sleep_for(10ms); // the failure has happened
  bool ran = false;
  aio::join_handle<void> late = group.spawn(set_flag_task(&ran));
  EXPECT_THROW(co_await group, std::runtime_error);
  EXPECT_TRUE(late.cancelled());
  EXPECT_FALSE(ran);
}

TEST(TaskGroup, ChildrenSpawnedAfterAFailureStartCancelled) {
  aio::run(late_spawn());
}

aio::task<int> group_of_sleepers(bool *a, bool *b) {
  aio::task_group group;
  group.spawn(sleep_recording(10s, a));
  group.spawn(sleep_recording(10s, b));
  co_await group;
  co_return 1;
}

aio::task<> cancel_awaiter() {
  bool a = false, b = false;
  aio::join_handle<int> h = aio::spawn(group_of_sleepers(&a, &b));
  co_await aio::sleep_for(5ms);
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_TRUE(a && b);
}

TEST(TaskGroup, CancellingTheAwaiterCancelsTheChildren) {
  aio::run(cancel_awaiter());
}

aio::task<> child_cancelled_alone() {
  aio::task_group group;
  aio::join_handle<void> victim = group.spawn(nap(10s));
  aio::join_handle<int> other = group.spawn(after(20ms, 2));
  co_await aio::sleep_for(1ms);
  victim.cancel();
  co_await group; // a cancelled child is not an error
  EXPECT_TRUE(victim.cancelled());
  EXPECT_EQ(other.result(), 2);
}

aio::task<> cancel_group() {
  bool a = false, b = false;
  aio::task_group group;
  group.spawn(sleep_recording(10s, &a));
  group.spawn(sleep_recording(10s, &b));
  co_await aio::sleep_for(1ms);
  group.cancel();
  co_await group; // cancelled children are not errors
  EXPECT_TRUE(a && b);
}

TEST(TaskGroup, CancelCancelsEveryChild) { aio::run(cancel_group()); }

TEST(TaskGroup, AChildCancelledOnItsOwnIsNotAnError) {
  aio::run(child_cancelled_alone());
}

aio::task<> leave_early(bool *cancelled) {
  aio::task_group group;
  group.spawn(sleep_recording(10s, cancelled));
  co_await aio::sleep_for(1ms);
  throw std::runtime_error("left before co_await group");
}

aio::task<> destroyed_early() {
  bool cancelled = false;
  EXPECT_THROW(co_await leave_early(&cancelled), std::runtime_error);
  co_await aio::sleep_for(5ms);
  EXPECT_TRUE(cancelled);
}

TEST(TaskGroup, DestroyedWithRunningChildrenCancelsThemAndSaysSo) {
  testing::internal::CaptureStderr();
  aio::run(destroyed_early());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("task_group destroyed"), std::string::npos) << err;
}

aio::task<> scoped_value() {
  std::vector<int> results; // children may use the caller's locals
  int v = co_await aio::with_task_group(
      [&](aio::task_group &group) -> aio::task<int> {
        for (int i = 0; i < 5; ++i)
          group.spawn([](std::vector<int> *out, int i) -> aio::task<> {
            co_await aio::sleep_for(std::chrono::milliseconds(10 * (5 - i)));
            out->push_back(i);
          }(&results, i));
        co_return 42;
      });
  EXPECT_EQ(v, 42);
  EXPECT_EQ(results, (std::vector<int>{4, 3, 2, 1, 0}));
}

TEST(WithTaskGroup, ReturnsTheBodysValueOnceAllChildrenFinished) {
  aio::run(scoped_value());
}

aio::task<> body_cancelled_by_child() {
  bool body_cancelled = false;
  const steady::time_point start = steady::now();
  try {
    co_await aio::with_task_group(
        [&](aio::task_group &group) -> aio::task<> {
          group.spawn(fail_after<std::runtime_error>(5ms));
          try {
            co_await aio::sleep_for(10s);
          } catch (const aio::cancelled_error &) {
            body_cancelled = true;
            throw;
          }
        });
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_TRUE(body_cancelled);
  EXPECT_LT(ms_since(start), 2000);
  aio::task_handle self = co_await aio::current_task();
  EXPECT_EQ(self.cancelling(), 0u); // the group undid its own request
  co_await aio::sleep_for(1ms);     // and nothing stays pending
}

TEST(WithTaskGroup, AFailingChildCancelsTheBody) {
  aio::run(body_cancelled_by_child());
}

aio::task<> body_failure() {
  bool child_cancelled = false;
  try {
    co_await aio::with_task_group([&](aio::task_group &group) -> aio::task<> {
      group.spawn(sleep_recording(10s, &child_cancelled));
      co_await aio::sleep_for(1ms);
      throw std::logic_error("body");
    });
  } catch (const std::logic_error &e) {
    EXPECT_STREQ(e.what(), "body");
  }
  EXPECT_TRUE(child_cancelled);
}

TEST(WithTaskGroup, ABodyFailureCancelsTheChildren) { aio::run(body_failure()); }

aio::task<int> scoped_sleepers(bool *child_cancelled) {
  co_return co_await aio::with_task_group(
      [child_cancelled](aio::task_group &group) -> aio::task<int> {
        group.spawn(sleep_recording(10s, child_cancelled));
        co_await aio::sleep_for(10s);
        co_return 1;
      });
}

aio::task<> outer_cancel() {
  bool child_cancelled = false;
  aio::join_handle<int> h = aio::spawn(scoped_sleepers(&child_cancelled));
  co_await aio::sleep_for(5ms);
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_TRUE(child_cancelled);
  EXPECT_TRUE(h.cancelled());
}

TEST(WithTaskGroup, AnOuterCancelCancelsBodyAndChildrenAndPropagates) {
  aio::run(outer_cancel());
}

aio::task<int> scoped_in_join(bool *child_cancelled) {
  co_return co_await aio::with_task_group(
      [child_cancelled](aio::task_group &group) -> aio::task<int> {
        group.spawn(sleep_recording(10s, child_cancelled));
        co_return 1; // the body is done; the group waits
      });
}

aio::task<> outer_cancel_while_joining() {
  bool child_cancelled = false;
  aio::join_handle<int> h = aio::spawn(scoped_in_join(&child_cancelled));
  co_await aio::sleep_for(5ms);
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_TRUE(child_cancelled);
}

TEST(WithTaskGroup, AnOuterCancelWhileJoiningPropagates) {
  aio::run(outer_cancel_while_joining());
}

} // namespace task_group_test
