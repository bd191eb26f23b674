// aio::event_loop: callback order, timers, wake-ups from other threads, the
// running loop, a main task that can never wake, and what happens to
// unfinished tasks when the loop is destroyed.
#include <aio/event_loop.hpp>
#include <aio/timeout.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

namespace event_loop_test {
using namespace aio_test;

TEST(EventLoop, CallSoonRunsCallbacksInFifoOrderOneBatchPerIteration) {
  aio::event_loop loop;
  std::string order;
  loop.call_soon([&] { order += "a"; });
  loop.call_soon([&] {
    order += "b";
    loop.call_soon([&] { order += "d"; }); // waits for the next iteration
  });
  loop.call_soon([&] { order += "c"; });
  EXPECT_TRUE(loop.run_once());
  EXPECT_EQ(order, "abc");
  EXPECT_TRUE(loop.run_once());
  EXPECT_EQ(order, "abcd");
  EXPECT_FALSE(loop.run_once());
}

TEST(EventLoop, TimersRunInDeadlineOrderThenInSchedulingOrder) {
  aio::event_loop loop;
  std::string order;
  const aio::event_loop::time_point t = loop.time() + 10ms;
  loop.call_later(30ms, [&] { order += "3"; });
  loop.call_at(t, [&] { order += "x"; });
  loop.call_later(20ms, [&] { order += "2"; });
  loop.call_at(t, [&] { order += "y"; });
  const steady::time_point start = steady::now();
  while (loop.run_once()) {
  }
  EXPECT_EQ(order, "xy23");
  EXPECT_GE(ms_since(start), 30);
}

TEST(EventLoop, CallLaterWithANegativeDelayRunsSoon) {
  aio::event_loop loop;
  bool ran = false;
  loop.call_later(-5s, [&] { ran = true; });
  const steady::time_point start = steady::now();
  EXPECT_TRUE(loop.run_once());
  EXPECT_TRUE(ran);
  EXPECT_LT(ms_since(start), 1000);
}

TEST(EventLoop, RunOnceReportsThatNothingIsScheduled) {
  aio::event_loop loop;
  EXPECT_FALSE(loop.run_once());
}

TEST(EventLoop, CallSoonThreadsafeWakesALoopWaitingForATimer) {
  aio::event_loop loop;
  loop.call_later(10s, [] {});
  std::atomic<bool> ran{false};
  std::thread::id ran_on;
  std::thread poster([&] {
    std::this_thread::sleep_for(20ms);
    loop.call_soon_threadsafe([&] {
      ran_on = std::this_thread::get_id();
      ran = true;
    });
  });
  const steady::time_point start = steady::now();
  while (!ran)
    loop.run_once();
  poster.join();
  EXPECT_LT(ms_since(start), 5000);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(EventLoop, GetRunningLoopThrowsOutsideARun) {
  EXPECT_THROW(aio::get_running_loop(), std::runtime_error);
}

aio::task<aio::event_loop *> running_loop_address() {
  co_await aio::yield();
  co_return &aio::get_running_loop();
}

TEST(EventLoop, GetRunningLoopIsTheLoopRunningTheTask) {
  aio::event_loop loop;
  EXPECT_EQ(loop.run_until_complete(running_loop_address()), &loop);
}

aio::task<long long> measure_sleep(std::chrono::milliseconds d) {
  aio::event_loop &loop = aio::get_running_loop();
  const aio::event_loop::time_point start = loop.time();
  co_await aio::sleep_for(d);
  co_return std::chrono::duration_cast<std::chrono::milliseconds>(loop.time() -
                                                                  start)
      .count();
}

TEST(EventLoop, TimeAdvancesWithASleep) {
  EXPECT_GE(aio::run(measure_sleep(30ms)), 30);
}

aio::task<> wait_forever() { co_await never_resumes{}; }

TEST(EventLoop, ReportsAMainTaskThatCanNeverWake) {
  EXPECT_THROW(aio::run(wait_forever()), std::runtime_error);
}

aio::task<> cancelled_timers_then_wait_forever() {
  // Each wait_for leaves a cancelled one-hour timer behind.
  for (int i = 0; i < 1000; ++i)
    co_await aio::wait_for(aio::yield(), 1h);
  co_await never_resumes{};
}

TEST(EventLoop, CancelledTimersDoNotKeepItWaiting) {
  const steady::time_point start = steady::now();
  EXPECT_THROW(aio::run(cancelled_timers_then_wait_forever()),
               std::runtime_error);
  EXPECT_LT(ms_since(start), 5000);
}

struct destroyed_flag {
  bool *flag;
  ~destroyed_flag() { *flag = true; }
};

aio::task<> hold_guard(bool *destroyed, bool *finished) {
  destroyed_flag guard{destroyed};
  co_await aio::sleep_for(10s);
  *finished = true;
}

aio::task<aio::join_handle<void>> leave_task_behind(bool *destroyed,
                                                    bool *finished) {
  aio::join_handle<void> h = aio::spawn(hold_guard(destroyed, finished));
  co_await aio::sleep_for(1ms);
  co_return h;
}

TEST(EventLoop, DestroysUnfinishedTasksWithoutResumingThem) {
  bool destroyed = false;
  bool finished = false;
  const steady::time_point start = steady::now();
  aio::join_handle<void> h = aio::run(leave_task_behind(&destroyed, &finished));
  EXPECT_LT(ms_since(start), 5000);
  EXPECT_TRUE(destroyed);
  EXPECT_FALSE(finished);
  EXPECT_FALSE(h.done());
  EXPECT_FALSE(h.cancel()); // its coroutines are gone
}

} // namespace event_loop_test
