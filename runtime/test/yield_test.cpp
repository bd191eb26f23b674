// aio::yield: interleaves ready tasks in order, and raises a pending
// cancellation.
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace yield_test {
using namespace aio_test;

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

aio::task<int> yield_forever() {
  int turns = 0;
  try {
    for (;;) {
      ++turns;
      co_await aio::yield();
    }
  } catch (const aio::cancelled_error &) {
  }
  co_return turns;
}

aio::task<> cancel_yielding_task() {
  aio::join_handle<int> h = aio::spawn(yield_forever());
  for (int i = 0; i < 5; ++i)
    co_await aio::yield();
  h.cancel();
  const int turns = co_await h;
  EXPECT_GE(turns, 3);
  EXPECT_LE(turns, 7);
}

TEST(Cancellation, IsRaisedByYield) { aio::run(cancel_yielding_task()); }

} // namespace yield_test
