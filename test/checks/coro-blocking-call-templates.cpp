// User templates replace the profile's: the fix names the project's own
// runtime and includes its header with quotes.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.Runtime: none, coro-blocking-call.SleepForTemplate: 'co_await net::nap({0})', coro-blocking-call.RuntimeHeader: '\"net/nap.h\"'}}" -- -I %S/Inputs
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.Runtime: none, coro-blocking-call.SleepForTemplate: 'co_await net::nap({0})', coro-blocking-call.RuntimeHeader: '\"net/nap.h\"'}}" -- -I %S/Inputs

#include <chrono>
#include <coroutine>
#include <thread>
// CHECK-FIXES: #include "net/nap.h"

struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

job poll(std::chrono::milliseconds interval) {
  std::this_thread::sleep_for(interval * 2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'poll' stalls the event loop; use 'co_await net::nap(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await net::nap(interval * 2);{{$}}
  std::this_thread::sleep_until(std::chrono::steady_clock::now());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_until' in coroutine 'poll' stalls the event loop; use 'co_await net::nap(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_until(std::chrono::steady_clock::now());{{$}}
  co_return;
}
