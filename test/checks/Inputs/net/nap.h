// A stand-in for a project's own runtime header, used by the template test.
#pragma once
#include <chrono>
#include <coroutine>
namespace net {
struct nap_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
template <class Rep, class Period>
nap_awaiter nap(std::chrono::duration<Rep, Period>) { return {}; }
} // namespace net
