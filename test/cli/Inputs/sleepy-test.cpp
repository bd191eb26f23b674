// A test that sleeps in a coroutine to order events (deliberate), and one
// that runs a loop inside a coroutine (a deadlock, also in a test).
#include <aio/aio.hpp>
#include <chrono>
#include <thread>

aio::task<int> reply() { co_return 42; }

aio::task<void> test_order() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  co_return;
}

aio::task<void> test_reply() {
  int value = aio::run(reply());
  (void)value;
  co_return;
}
