// With ReportColdPaths (and GroupRegions off), a chain through a cold path has
// a note where it leaves the common path: at the cold call, or at the fact.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.ReportColdPaths: true}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.ReportColdPaths: true}}"

#include <aio/aio.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;

void nap() { std::this_thread::sleep_for(1ms); }

void on_error(bool failed) {
  if (failed) {
    nap();
    throw std::runtime_error("failed");
  }
}

void rare(int n) {
  if (n > 100) [[unlikely]]
    std::this_thread::sleep_for(1ms);
}

aio::task<void> run(bool failed, int n) {
  on_error(failed);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: call to 'on_error' in coroutine 'run' blocks the event loop: it calls 'std::this_thread::sleep_for'; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-NOTES: :17:5: note: 'on_error' calls 'nap'
  // CHECK-NOTES: :13:14: note: 'nap' calls 'std::this_thread::sleep_for', which blocks
  // CHECK-NOTES: :17:5: note: this call is on a branch that throws: a cold path, reported because of option ReportColdPaths
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return on_error(failed); });{{$}}
  rare(n);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: call to 'rare' in coroutine 'run' blocks the event loop
  // CHECK-NOTES: :24:5: note: 'rare' calls 'std::this_thread::sleep_for', which blocks
  // CHECK-NOTES: :24:5: note: this is on a branch marked unlikely: a cold path, reported because of option ReportColdPaths
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return rare(n); });{{$}}
  co_return;
}
