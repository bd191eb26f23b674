// CPU-heavy work in an asio coroutine moves to a thread of the system
// context with co_spawn, awaited with use_awaitable: the loop, and a call of
// a helper that runs one. The fixed file compiles against standalone asio.
// RUN: %check_corolint --mode=plugin %s coro-cpu-bound-loop %t -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-cpu-bound-loop %t -- -DASIO_HAS_CO_AWAIT

#include <asio.hpp>
#include <cstdint>

std::uint64_t checksum(const unsigned char *data) {
  std::uint64_t sum = 0;
  for (int i = 0; i < 50'000'000; ++i)
    sum = sum * 31 + data[i % 64];
  return sum;
}

asio::awaitable<std::uint64_t> digest(const unsigned char *data) {
  std::uint64_t sum = 0;
  for (int i = 0; i < 10'000'000; ++i) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: CPU-heavy loop in coroutine 'digest' runs 10000000 iterations without a suspension point and stalls the event loop; run it on a thread with 'co_await asio::co_spawn(asio::system_executor(), ..., asio::use_awaitable)' [coro-cpu-bound-loop]
    // CHECK-FIXES: {{^}}  co_await asio::co_spawn(asio::system_executor(), []<class F>(F f) -> asio::awaitable<std::invoke_result_t<F &>> { co_await asio::post(asio::use_awaitable); co_return std::invoke(f); }([&] {{{$}}
    // CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < 10'000'000; ++i) {{{$}}
    sum += data[i % 64];
  }
  // CHECK-FIXES: {{^}}  }{{$}}
  // CHECK-FIXES-NEXT: {{^}}  }), asio::use_awaitable);{{$}}
  std::uint64_t more = checksum(data);
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: CPU-heavy call to 'checksum' in coroutine 'digest' stalls the event loop: it runs a loop of 50000000 iterations; run it on a thread with {{.*}} [coro-cpu-bound-loop]
  // CHECK-FIXES: {{^}}  std::uint64_t more = co_await asio::co_spawn(asio::system_executor(), []<class F>(F f) -> asio::awaitable<std::invoke_result_t<F &>> { co_await asio::post(asio::use_awaitable); co_return std::invoke(f); }([&] { return checksum(data); }), asio::use_awaitable);{{$}}
  co_return sum + more;
}
