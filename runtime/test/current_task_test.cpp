// aio::current_task and aio::current_task_cancelling: the spawned task a
// coroutine runs in, and its cancellation requests, per task and without
// co_await, as a handler tells a cancelled child's cancelled_error from the
// task's own.
#include <aio/current_task.hpp>
#include <aio/offload.hpp>
#include <aio/timeout.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <thread>

namespace current_task_test {
using namespace aio_test;

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

// current_task_cancelling(): the running task's requests, without co_await.
aio::task<> count_own_requests(std::size_t *from_thread) {
  EXPECT_EQ(aio::current_task_cancelling(), 0u);
  aio::task_handle self = co_await aio::current_task();
  self.cancel();
  self.cancel();
  EXPECT_EQ(aio::current_task_cancelling(), 2u);
  // Another thread runs no task.
  std::thread([from_thread] {
    *from_thread = aio::current_task_cancelling();
  }).join();
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    EXPECT_EQ(aio::current_task_cancelling(), 2u); // delivered, still counted
  }
  self.uncancel();
  self.uncancel();
  EXPECT_EQ(aio::current_task_cancelling(), 0u);
}

TEST(Cancellation, CurrentTaskCancellingCountsTheRunningTasksRequests) {
  EXPECT_EQ(aio::current_task_cancelling(), 0u); // no loop
  std::size_t from_thread = 99;
  aio::run(count_own_requests(&from_thread));
  EXPECT_EQ(from_thread, 0u);
  EXPECT_EQ(aio::current_task_cancelling(), 0u); // the loop is gone
}

// Each task sees its own count, whichever ran before it.
aio::task<> report_after_sleep(std::chrono::milliseconds d, std::size_t *seen) {
  co_await aio::sleep_for(d);
  *seen = aio::current_task_cancelling();
}

aio::task<> report_cancelled_offload(std::size_t *seen) {
  try {
    co_await aio::to_thread([] {
      std::this_thread::sleep_for(5ms); // not interruptible: the request waits
    });
  } catch (const aio::cancelled_error &) {
    *seen = aio::current_task_cancelling();
    throw;
  }
}

aio::task<> each_task_its_own() {
  std::size_t before = 99;
  std::size_t cancelled = 99;
  std::size_t after = 99;
  aio::join_handle<void> a = aio::spawn(report_after_sleep(1ms, &before));
  aio::join_handle<void> b = aio::spawn(report_cancelled_offload(&cancelled));
  aio::join_handle<void> c = aio::spawn(report_after_sleep(20ms, &after));
  co_await aio::yield(); // b is in to_thread
  b.cancel();
  co_await a;
  EXPECT_THROW(co_await b, aio::cancelled_error);
  co_await c;
  EXPECT_EQ(before, 0u);
  EXPECT_EQ(cancelled, 1u);
  EXPECT_EQ(after, 0u);
}

TEST(Cancellation, CurrentTaskCancellingIsPerTask) {
  aio::run(each_task_its_own());
}

// asyncio's "cancel the child and wait until it is gone": the handler tells
// the child's cancellation from the waiting task's own with
// current_task_cancelling().

// An awaitable of no library: the worker cannot be interrupted there, so its
// cancellation waits until the gate opens.
struct gate {
  std::coroutine_handle<> waiter;
  bool open = false;
  bool await_ready() const noexcept { return open; }
  void await_suspend(std::coroutine_handle<> h) noexcept { waiter = h; }
  void await_resume() const noexcept {}
  void release() {
    open = true;
    if (waiter)
      aio::get_running_loop().call_soon([h = waiter] { h.resume(); });
  }
};

aio::task<> gated_worker(gate *g) {
  co_await *g;
  co_await aio::yield(); // raises the pending cancellation
}

aio::task<> stop_worker(gate *g, std::string *trace) {
  aio::join_handle<void> worker = aio::spawn(gated_worker(g));
  co_await aio::yield(); // the worker waits at the gate
  worker.cancel();
  try {
    co_await aio::wait_for(worker, 2s);
  } catch (const aio::cancelled_error &) {
    *trace += aio::current_task_cancelling() ? "own;" : "child's;";
    if (aio::current_task_cancelling())
      throw;
  }
  co_await aio::yield();
  *trace += "closed";
}

aio::task<> stop_worker_scenario(bool cancel_stopper, std::string *trace) {
  gate g;
  aio::join_handle<void> stopper = aio::spawn(stop_worker(&g, trace));
  for (int i = 0; i < 5; ++i)
    co_await aio::yield(); // the stopper cancelled the worker and waits
  if (cancel_stopper)
    stopper.cancel();
  g.release();
  if (cancel_stopper) {
    EXPECT_THROW(co_await stopper, aio::cancelled_error);
    EXPECT_TRUE(stopper.cancelled());
  } else {
    co_await stopper;
  }
}

TEST(Cancellation, CurrentTaskCancellingTellsTheChildsCancellationFromOurs) {
  std::string trace;
  aio::run(stop_worker_scenario(false, &trace));
  EXPECT_EQ(trace, "child's;closed");
  trace.clear();
  aio::run(stop_worker_scenario(true, &trace));
  EXPECT_EQ(trace, "own;");
}

} // namespace current_task_test
