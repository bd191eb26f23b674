// A stand-in for a project's own offload helper, named by the template test:
// a coroutine that runs the callable it is given (on a pool, in a real
// project) and is awaited for its result.
#pragma once
#include <coroutine>
#include <exception>
#include <utility>
namespace net {
template <class T> struct result {
  struct promise_type {
    T value{};
    result get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  T await_resume() { return std::move(handle.promise().value); }
};
template <class F> auto offload(F f) -> result<decltype(f())> {
  co_return f();
}
} // namespace net
