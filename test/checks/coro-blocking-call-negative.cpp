// Traps a name-matching linter falls into; none of them blocks the loop.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <chrono>
#include <coroutine>
#include <functional>
#include <memory>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

// An async runtime's own sleep, found by unqualified lookup: awaited, not
// blocking, although it is spelled `sleep(...)`.
namespace rt {
struct timer_awaiter {
  bool await_ready() { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
timer_awaiter sleep(std::chrono::milliseconds);
namespace this_thread {
timer_awaiter sleep_for(std::chrono::milliseconds);
}
template <class F> timer_awaiter to_thread(F &&) { return {}; }
void post(std::function<void()>);
} // namespace rt

job runtime_sleep() {
  using namespace rt;
  co_await sleep(100ms);
  co_await rt::this_thread::sleep_for(5ms);
}

// Plain functions are not async contexts (a worker thread may sleep).
void worker_loop() {
  for (int i = 0; i < 3; ++i)
    std::this_thread::sleep_for(1ms);
}

// A lambda handed to an offload function or a thread runs elsewhere.
job offloads() {
  co_await rt::to_thread([] { std::this_thread::sleep_for(1s); });
  std::thread t([] { sleep(1); });
  t.detach();
  rt::post([] { usleep(10); });
  auto later = [] { std::this_thread::sleep_for(1ms); };
  rt::post(later);
  co_return;
}

// A synchronous generator never runs on the loop by itself.
struct counter {
  struct promise_type {
    counter get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) { return {}; }
    void return_void() {}
    void unhandled_exception() {}
    template <class U> void await_transform(U &&) = delete;
  };
};
counter slow_counter() {
  for (int i = 0;; ++i) {
    std::this_thread::sleep_for(1ms);
    co_yield i;
  }
}

// Unevaluated operands do not run.
job unevaluated() {
  using slept = decltype(sleep(1));
  static_assert(sizeof(sleep(1)) == sizeof(unsigned));
  constexpr bool no_throw = noexcept(usleep(1));
  (void)no_throw;
  slept value = 0;
  (void)value;
  co_return;
}

// A member named like a blocking API is not that API.
struct clock_like {
  void sleep_for(std::chrono::milliseconds) {}
  unsigned sleep(unsigned) { return 0; }
};
job lookalikes() {
  clock_like c;
  c.sleep_for(1ms);
  c.sleep(1);
  std::unique_ptr<int> p = std::make_unique<int>(1);
  (void)p.get();
  co_return;
}

// A local class's method is its own function.
job local_class() {
  struct helper {
    static void wait() { std::this_thread::sleep_for(1ms); }
  };
  (void)&helper::wait;
  co_return;
}

// NOLINT silences a deliberate call.
job deliberate() {
  std::this_thread::sleep_for(1ms); // NOLINT(coro-blocking-call)
  // NOLINTNEXTLINE(coro-blocking-call)
  usleep(5);
  co_return;
}
