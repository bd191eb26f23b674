// aio::as_completed: tasks in the order they finish, each once, and a
// next() cancelled by a timeout.
#include <aio/as_completed.hpp>
#include <aio/timeout.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace as_completed_test {
using namespace aio_test;

aio::task<> completion_order() {
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(30ms, 3)),
                                        aio::spawn(after(10ms, 1)),
                                        aio::spawn(after(20ms, 2))};
  aio::as_completed pending(hs);
  EXPECT_EQ(pending.size(), 3u);
  std::vector<int> order;
  while (!pending.empty())
    order.push_back((co_await pending.next()).result());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_THROW((void)pending.next(), std::logic_error);
}

TEST(AsCompleted, YieldsTasksInTheOrderTheyFinish) {
  aio::run(completion_order());
}

aio::task<> next_with_timeout() {
  std::vector<aio::join_handle<int>> hs{aio::spawn(after(50ms, 1)),
                                        aio::spawn(fail_after<std::runtime_error>(1ms))};
  aio::as_completed pending(hs);
  aio::join_handle<int> first = co_await pending.next();
  EXPECT_THROW(first.result(), std::runtime_error);
  EXPECT_THROW(co_await aio::wait_for(pending.next(), 5ms), aio::timeout_error);
  EXPECT_EQ(pending.size(), 1u); // nothing lost
  aio::join_handle<int> second = co_await pending.next();
  EXPECT_EQ(second.result(), 1);
}

aio::task<> duplicates() {
  aio::join_handle<int> done = aio::spawn(after(1ms, 1));
  aio::join_handle<int> running = aio::spawn(after(20ms, 2));
  co_await aio::sleep_for(5ms);
  aio::as_completed pending(
      std::vector<aio::join_handle<int>>{done, running, done, running});
  EXPECT_EQ(pending.size(), 2u);
  EXPECT_EQ((co_await pending.next()).result(), 1);
  EXPECT_EQ((co_await pending.next()).result(), 2);
  EXPECT_TRUE(pending.empty());
}

TEST(AsCompleted, YieldsEachTaskOnceEvenIfGivenTwice) {
  aio::run(duplicates());
}

TEST(AsCompleted, ANextCancelledByATimeoutLosesNothing) {
  aio::run(next_with_timeout());
}

} // namespace as_completed_test
