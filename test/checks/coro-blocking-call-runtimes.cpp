// Runtime: auto (the default). The advice and the fix of each finding are
// those of the runtime of its coroutine's type, found by the type's
// declaration (an alias is its target's); a type of no known runtime gets
// advice and no code. A set Runtime wins for every coroutine, and a
// check's own option wins over the global one.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=NONE --config="{CheckOptions: {Runtime: aio, coro-blocking-call.Runtime: none}}" -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=NONE --config="{CheckOptions: {Runtime: aio, coro-blocking-call.Runtime: none}}" -- -DASIO_HAS_CO_AWAIT

#include <aio/aio.hpp>
#include <asio.hpp>
#include <chrono>
#include <coroutine>
#include <thread>

// The coroutine types of runtimes this file does not have, as they declare
// them: what matters is the namespace of the declaration.
struct promise_base {
  std::suspend_always initial_suspend() { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};
namespace cppcoro {
template <class T = void> struct task {
  struct promise_type : promise_base {
    task get_return_object() { return {}; }
  };
};
} // namespace cppcoro
namespace folly::coro {
template <class T = void> struct Task {
  struct promise_type : promise_base {
    Task get_return_object() { return {}; }
  };
};
} // namespace folly::coro
namespace app {
struct job {
  struct promise_type : promise_base {
    job get_return_object() { return {}; }
  };
};
using task = aio::task<>;
} // namespace app

aio::task<> with_aio(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} in coroutine 'with_aio' stalls the event loop; use 'co_await aio::sleep_for(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(d);{{$}}
  // CHECK-MESSAGES-NONE: :[[@LINE-3]]:3: warning: {{.*}} in coroutine 'with_aio' stalls the event loop; use the runtime's asynchronous sleep [coro-blocking-call]
  // CHECK-FIXES-NONE: {{^}}  std::this_thread::sleep_for(d);{{$}}
  co_return;
}

app::task through_alias(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} in coroutine 'through_alias' stalls the event loop; use 'co_await aio::sleep_for(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(d);{{$}}
  // CHECK-MESSAGES-NONE: :[[@LINE-3]]:3: warning: {{.*}} use the runtime's asynchronous sleep [coro-blocking-call]
  co_return;
}

asio::awaitable<void> with_asio(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} in coroutine 'with_asio' stalls the event loop; use 'co_await asio::steady_timer(co_await asio::this_coro::executor, ...).async_wait(asio::use_awaitable)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asio::steady_timer(co_await asio::this_coro::executor, d).async_wait(asio::use_awaitable);{{$}}
  // CHECK-MESSAGES-NONE: :[[@LINE-3]]:3: warning: {{.*}} use the runtime's asynchronous sleep [coro-blocking-call]
  co_return;
}

cppcoro::task<> with_cppcoro(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} in coroutine 'with_cppcoro' stalls the event loop; use 'co_await io_service.schedule_after(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(d);{{$}}
  // CHECK-MESSAGES-NONE: :[[@LINE-3]]:3: warning: {{.*}} use the runtime's asynchronous sleep [coro-blocking-call]
  co_return;
}

template <class T> folly::coro::Task<T> with_folly(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} in coroutine 'with_folly' stalls the event loop; use 'co_await folly::coro::sleep(...)' [coro-blocking-call]
  // CHECK-MESSAGES-NONE: :[[@LINE-2]]:3: warning: {{.*}} use the runtime's asynchronous sleep [coro-blocking-call]
  co_return;
}

app::job home_made(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} in coroutine 'home_made' stalls the event loop; use the runtime's asynchronous sleep [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(d);{{$}}
  // CHECK-MESSAGES-NONE: :[[@LINE-3]]:3: warning: {{.*}} use the runtime's asynchronous sleep [coro-blocking-call]
  co_return;
}
