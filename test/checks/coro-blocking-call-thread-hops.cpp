// Thread hops: after `co_await` of an operation that resumes the coroutine
// on a thread pool, the statements of the block up to the next suspension
// point run on the pool, not on the loop, and are not reported. Which
// operations do is the runtime's (test/runtime/asio-thread-hops.test runs
// them): in asio only a completion token bound to the pool's executor;
// post and dispatch to the pool resume on the coroutine's own executor.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t -- -DASIO_HAS_CO_AWAIT

#include <aio/aio.hpp>
#include <asio.hpp>
#include <chrono>
#include <coroutine>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

asio::awaitable<void> bound_token(asio::thread_pool &pool) {
  co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
  std::this_thread::sleep_for(5ms);
  ::sleep(1);
  asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
  co_await timer.async_wait(asio::use_awaitable);
  std::this_thread::sleep_for(5ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'bound_token' {{.*}}
  // CHECK-FIXES: {{^}}  co_await asio::steady_timer(co_await asio::this_coro::executor, 5ms).async_wait(asio::use_awaitable);{{$}}
  co_return;
}

asio::awaitable<void> post_and_dispatch(asio::thread_pool &pool) {
  co_await asio::post(pool, asio::use_awaitable);
  std::this_thread::sleep_for(5ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'post_and_dispatch' {{.*}}
  // CHECK-FIXES: {{^}}  co_await asio::steady_timer(co_await asio::this_coro::executor, 5ms).async_wait(asio::use_awaitable);{{$}}
  co_await asio::dispatch(pool.get_executor(), asio::use_awaitable);
  std::this_thread::sleep_for(5ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'post_and_dispatch' {{.*}}
  // CHECK-FIXES: {{^}}  co_await asio::steady_timer(co_await asio::this_coro::executor, 5ms).async_wait(asio::use_awaitable);{{$}}
  co_return;
}

// The hop of a branch ends with it: after the branch the coroutine may be
// on either thread.
asio::awaitable<void> in_a_branch(asio::thread_pool &pool, bool heavy) {
  if (heavy) {
    co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
    std::this_thread::sleep_for(5ms);
  }
  std::this_thread::sleep_for(5ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'in_a_branch' {{.*}}
  // CHECK-FIXES: {{^}}  co_await asio::steady_timer(co_await asio::this_coro::executor, 5ms).async_wait(asio::use_awaitable);{{$}}
  co_return;
}

// The ThreadHops entries: cppcoro's static_thread_pool::schedule() (here a
// stand-in with its interface).
namespace cppcoro {
struct static_thread_pool {
  struct schedule_operation {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() const noexcept {}
  };
  schedule_operation schedule() noexcept { return {}; }
};
} // namespace cppcoro

aio::task<void> scheduled(cppcoro::static_thread_pool &pool) {
  co_await pool.schedule();
  std::this_thread::sleep_for(5ms);
  co_await aio::sleep_for(1ms);
  std::this_thread::sleep_for(5ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'scheduled' {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::sleep_for(5ms);{{$}}
}
