// The asio profile, picked by the coroutines' type (asio::awaitable) with no
// Runtime option: a sleep awaits a steady_timer, and every offload is
// asio code, co_spawn of the call on the system executor, awaited with
// use_awaitable. The fixed file compiles against the real standalone asio
// headers (asio 1.22 enables co_await under clang only when told to:
// -DASIO_HAS_CO_AWAIT); test/fixes/asio-offload.test runs the same form.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -DASIO_HAS_CO_AWAIT

#include <asio.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

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

std::unique_ptr<std::string> load_owned(const std::string &path)
    __attribute__((annotate("corolint::blocking")));

struct Reading {
  explicit Reading(int v) : value(v) {}
  int value;
};
Reading sample() __attribute__((annotate("corolint::blocking")));

template <class T> using task = asio::awaitable<T>;

// An alias of asio::awaitable is asio's type. A value comes back as the
// awaited result, a statement's call returns nothing, a reference comes
// back as the address of what it refers to (asio has no awaitable<T&>), and
// a move-only result moves.
task<std::size_t> offloads(std::ifstream &in, int fd, char *buf) {
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line))
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: blocking call to 'std::getline' (file I/O) in coroutine 'offloads' stalls the event loop; offload it to a thread with 'co_await asio::co_spawn(asio::system_executor(), ..., asio::use_awaitable)' [coro-blocking-call]
    // CHECK-FIXES: {{^}}  while ((*co_await asio::co_spawn(asio::system_executor(), []<class F>(F f) -> asio::awaitable<std::invoke_result_t<F &>> { co_await asio::post(asio::use_awaitable); co_return std::invoke(f); }([&] { return std::addressof(std::getline(in, line)); }), asio::use_awaitable)))
    ++lines;
  ::read(fd, buf, 16);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'read' (file I/O) in coroutine 'offloads' {{.*}}
  // (errno: the offload is on a note, not applied)
  // CHECK-FIXES: {{^}}  ::read(fd, buf, 16);{{$}}
  std::unique_ptr<std::string> owned = load_owned("/etc/hosts");
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: blocking call to 'load_owned' (annotated as blocking) in coroutine 'offloads' {{.*}}
  // CHECK-FIXES: {{^}}  std::unique_ptr<std::string> owned = co_await asio::co_spawn(asio::system_executor(), []<class F>(F f) -> asio::awaitable<std::invoke_result_t<F &>> { co_await asio::post(asio::use_awaitable); co_return std::invoke(f); }([&] { return load_owned("/etc/hosts"); }), asio::use_awaitable);{{$}}
  load_owned("/tmp/warm");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'load_owned' (annotated as blocking) in coroutine 'offloads' {{.*}}
  // CHECK-FIXES: {{^}}  co_await asio::co_spawn(asio::system_executor(), []<class F>(F f) -> asio::awaitable<std::invoke_result_t<F &>> { co_await asio::post(asio::use_awaitable); co_return std::invoke(f); }([&] { load_owned("/tmp/warm"); }), asio::use_awaitable);{{$}}
  // co_spawn default-constructs the result it carries: a class without a
  // default constructor gets the advice and no fix.
  Reading r = sample();
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: blocking call to 'sample' (annotated as blocking) in coroutine 'offloads' {{.*}}
  // CHECK-FIXES: {{^}}  Reading r = sample();{{$}}
  co_return lines + owned->size() + r.value;
}
