// The asio profile: the fix awaits a steady_timer with use_awaitable, and
// compiles against the real standalone asio headers (asio 1.22 enables
// co_await under clang only when told to: -DASIO_HAS_CO_AWAIT).
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.Runtime: asio}}" -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.Runtime: asio}}" -- -DASIO_HAS_CO_AWAIT

#include <asio.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

asio::awaitable<void> reconnect(asio::ip::tcp::socket &socket,
                                std::chrono::milliseconds backoff) {
  std::this_thread::sleep_for(backoff);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'reconnect' stalls the event loop; use 'co_await asio::steady_timer(co_await asio::this_coro::executor, ...).async_wait(asio::use_awaitable)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await asio::steady_timer(co_await asio::this_coro::executor, backoff).async_wait(asio::use_awaitable);{{$}}
  co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), 9},
                                asio::use_awaitable);
}

// No expression fits a time point of any clock: message only.
asio::awaitable<void> at(std::chrono::system_clock::time_point when) {
  std::this_thread::sleep_until(when);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_until' in coroutine 'at' stalls the event loop; use 'co_await asio::steady_timer(co_await asio::this_coro::executor, ...).async_wait(asio::use_awaitable)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_until(when);{{$}}
  co_return;
}
