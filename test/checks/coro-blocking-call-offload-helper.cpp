// A project's own offload helper, named in OffloadTemplate, is an offload
// function without being listed in OffloadFunctions: its lambda argument is
// not the coroutine's work, and its own body, a coroutine that calls the
// work, is not reported.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.OffloadTemplate: 'co_await net::offload({0})', coro-blocking-call.RuntimeHeader: '\"net/offload.h\"'}}" -- -I %S/Inputs
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.OffloadTemplate: 'co_await net::offload({0})', coro-blocking-call.RuntimeHeader: '\"net/offload.h\"'}}" -- -I %S/Inputs

#include <coroutine>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
// CHECK-FIXES: #include "net/offload.h"

// The helper, as the project's header declares it (Inputs/net/offload.h),
// where the fixed file finds it.
#ifndef NET_OFFLOAD_H
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
#endif

std::string read_config(const char *path) {
  std::FILE *f = std::fopen(path, "r");
  std::string text;
  if (f) {
    char buf[256];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f))
      text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

net::result<int> serve() {
  std::string config = read_config("/etc/app.conf");
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'read_config' in coroutine 'serve' blocks the event loop: it calls 'fopen' (file I/O); offload it with 'co_await net::offload(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::string config = co_await net::offload([&] { return read_config("/etc/app.conf"); });{{$}}
  std::string again = co_await net::offload([&] { return read_config("/etc/app.conf"); });
  co_return static_cast<int>(config.size() + again.size());
}
