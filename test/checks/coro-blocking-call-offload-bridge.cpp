// The offload machinery itself: a bridge coroutine that runs a function it
// was handed is not where the blocking is when the function reached it
// through an offload function (it runs where the offload puts it). A
// function handed to the same bridge directly runs on the loop: reported.
// One call whose temporary and local reach the same blocking destructor
// on one line is one finding; a local moved out by every co_return is not
// destroyed owning anything.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.OffloadFunctions: 'exec::offload;aio::to_thread'}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.OffloadFunctions: 'exec::offload;aio::to_thread'}}"

#include <aio/aio.hpp>
#include <chrono>
#include <thread>
#include <utility>

using namespace std::chrono_literals;

namespace exec {
// Hops to another executor (here: yields), then runs the caller's function.
template <typename F> aio::task<void> bridge(F f) {
  co_await aio::yield();
  f();
}
template <typename F> aio::task<void> offload(F f) { return bridge(std::move(f)); }

// The same shape, handed the function directly: it runs on the loop.
template <typename F> aio::task<void> run_here(F f) {
  co_await aio::yield();
  f();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'lambda' in coroutine 'run_here' blocks the event loop: it calls 'std::this_thread::sleep_for'; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return f(); });{{$}}
}
} // namespace exec

struct handle {
  ~handle() { std::this_thread::sleep_for(1ms); }
  handle dup() const { return {}; }
};
handle open_handle() { return {}; }

// A local moved out by every co_return: its destructor runs on a
// moved-from object. One that is not moved out is reported.
aio::task<handle> make_handle(bool dup) {
  handle h = open_handle();
  if (dup)
    co_return std::move(h);
  co_return std::move(h);
}
aio::task<handle> keep_handle(bool dup) {
  handle h = open_handle();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: call to 'handle::~handle' in coroutine 'keep_handle' blocks the event loop
  if (dup)
    co_return std::move(h);
  co_return open_handle();
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'handle::~handle' in coroutine 'keep_handle' blocks the event loop
}

aio::task<void> user() {
  co_await exec::offload([] { std::this_thread::sleep_for(1ms); });
  co_await exec::run_here([] { std::this_thread::sleep_for(1ms); });
  handle h = open_handle().dup();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: call to 'handle::~handle' in coroutine 'user' blocks the event loop: it calls 'std::this_thread::sleep_for'
}
