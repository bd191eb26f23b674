// Notes: a call inside a lambda invoked on the spot points at the place
// where the lambda runs on the coroutine's thread.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <functional>
#include <thread>

using namespace std::chrono_literals;

aio::task<int> load_settings() {
  int attempts = [&] {
    std::this_thread::sleep_for(5ms);
    return 1;
  }();
  // CHECK-NOTES: :[[@LINE-3]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'load_settings' stalls the event loop; use 'co_await aio::sleep_for(...)' [coro-blocking-call]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: the lambda runs on the coroutine's thread: it is invoked here
  std::invoke([] { std::this_thread::sleep_until(std::chrono::steady_clock::now()); });
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: blocking call to 'std::this_thread::sleep_until' in coroutine 'load_settings' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:3: note: the lambda runs on the coroutine's thread: it is invoked here
  co_return attempts;
}
