// aio::cancelled_error and aio::timeout_error: what they derive from.
#include <aio/errors.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <type_traits>

namespace errors_test {
using namespace aio_test;

static_assert(std::is_base_of_v<std::exception, aio::cancelled_error>);
static_assert(!std::is_base_of_v<aio::cancelled_error, aio::timeout_error>);

aio::task<int> catch_as_std_exception() {
  aio::join_handle<void> h = aio::spawn(nap(10s));
  co_await aio::sleep_for(1ms);
  h.cancel();
  try {
    co_await h;
  } catch (const std::exception &e) {
    co_return std::string(e.what()).find("cancel") != std::string::npos ? 1
                                                                        : 2;
  }
  co_return 0;
}

TEST(Cancellation, CancelledErrorIsAStdException) {
  EXPECT_EQ(aio::run(catch_as_std_exception()), 1);
}

} // namespace errors_test
