// aio::run: a cancelled main task comes out of it, and it refuses to run
// inside a running loop.
#include <aio/current_task.hpp>
#include <aio/run.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace run_test {
using namespace aio_test;

aio::task<> cancel_main_from_a_spawned_task(aio::task_handle main) {
  co_await aio::sleep_for(5ms);
  main.cancel();
}

aio::task<int> main_cancelled() {
  aio::task_handle self = co_await aio::current_task();
  aio::join_handle<void> h = aio::spawn(cancel_main_from_a_spawned_task(self));
  co_await aio::sleep_for(10s);
  co_return 0;
}

TEST(Cancellation, OfTheMainTaskComesOutOfRun) {
  EXPECT_THROW(aio::run(main_cancelled()), aio::cancelled_error);
}

aio::task<int> nested_run() {
  try {
    aio::run(after(1ms, 1));
  } catch (const std::runtime_error &) {
    co_return 1;
  }
  co_return 0;
}

TEST(EventLoop, RefusesToRunInsideARunningLoop) {
  EXPECT_EQ(aio::run(nested_run()), 1);
}

} // namespace run_test
