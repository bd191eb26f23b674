// The shape of cppcoro::sync_wait and cppcoro::task (cppcoro is not
// packaged by Debian).
#pragma once
#include <coroutine>
#include <type_traits>
namespace cppcoro {
template <class T = void> class task {
public:
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
template <class Awaitable> void sync_wait(Awaitable &&) {}
} // namespace cppcoro
