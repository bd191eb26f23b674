// A coroutine type of the file's own, in a project that names its runtime:
// the fixes are aio's and include its header.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {Runtime: aio}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {Runtime: aio}}"

#include <chrono>
#include <thread>
#include <time.h>
#include <unistd.h>
// CHECK-FIXES: #include <aio/aio.hpp>

using namespace std::chrono_literals;

// Minimal awaitable task for the file to stand alone before the fix.
#include <coroutine>
struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

job retry_with_backoff(std::chrono::milliseconds backoff) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::this_thread::sleep_for(backoff);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'retry_with_backoff' stalls the event loop; use 'co_await aio::sleep_for(...)' [coro-blocking-call]
    // CHECK-FIXES: {{^}}    co_await aio::sleep_for(backoff);{{$}}
  }
  co_return;
}

job wait_until_deadline(std::chrono::steady_clock::time_point deadline) {
  std::this_thread::sleep_until(deadline);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_until' in coroutine 'wait_until_deadline' stalls the event loop; use 'co_await aio::sleep_until(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await aio::sleep_until(deadline);{{$}}
  co_return;
}

job posix_sleeps(unsigned seconds) {
  sleep(seconds);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'sleep' in coroutine 'posix_sleeps' {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(std::chrono::seconds(seconds));{{$}}
  ::usleep(250 * 1000);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'usleep' in coroutine 'posix_sleeps' {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(std::chrono::microseconds(250 * 1000));{{$}}
  timespec ts{0, 1000};
  nanosleep(&ts, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'nanosleep' in coroutine 'posix_sleeps' stalls the event loop; use 'co_await aio::sleep_for(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  nanosleep(&ts, nullptr);{{$}}
  clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'clock_nanosleep' {{.*}}
  // CHECK-FIXES: {{^}}  clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);{{$}}
  co_return;
}

// The result is used: no statement to turn into a co_await, message only.
job value_used() {
  unsigned left = sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: blocking call to 'sleep' {{.*}}
  // CHECK-FIXES: {{^}}  unsigned left = sleep(1);{{$}}
  (void)left;
  co_return;
}

// co_await is ill-formed in a handler: message only.
job in_handler() {
  try {
    throw 1;
  } catch (...) {
    std::this_thread::sleep_for(10ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'in_handler' {{.*}}
    // CHECK-FIXES: {{^}}    std::this_thread::sleep_for(10ms);{{$}}
  }
  co_return;
}

// A macro hides the call: no rewrite inside it.
#define NAP() std::this_thread::sleep_for(1ms)
job in_macro() {
  NAP();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'in_macro' {{.*}}
  // CHECK-FIXES: {{^}}  NAP();{{$}}
  co_return;
}

struct connection {
  job reconnect();
};

job connection::reconnect() {
  std::this_thread::sleep_for(2s);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'connection::reconnect' {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(2s);{{$}}
  co_return;
}

void spawn_lambda() {
  auto handler = []() -> job {
    std::this_thread::sleep_for(5ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine lambda stalls the event loop; use 'co_await aio::sleep_for(...)' [coro-blocking-call]
    // CHECK-FIXES: {{^}}    co_await aio::sleep_for(5ms);{{$}}
    co_return;
  };
  (void)handler;
}

// A lambda invoked on the spot runs on the coroutine's thread; co_await is
// not possible inside it, so the message comes without a rewrite.
job inline_lambda() {
  auto total = [&] {
    std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'inline_lambda' {{.*}}
    // CHECK-FIXES: {{^}}    std::this_thread::sleep_for(1ms);{{$}}
    return 1;
  }();
  (void)total;
  co_return;
}

// A template is reported once, at the pattern, whatever its instantiations.
template <class Duration> job generic_pause(Duration d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'generic_pause' {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(d);{{$}}
  co_return;
}
void instantiate() {
  generic_pause(1ms);
  generic_pause(2s);
}

// Branch bodies without braces are statements too.
job branch(bool slow) {
  if (slow)
    std::this_thread::sleep_for(3ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'branch' {{.*}}
  // CHECK-FIXES: {{^}}    co_await aio::sleep_for(3ms);{{$}}
  co_return;
}
