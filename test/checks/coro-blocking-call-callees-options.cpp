// Blocking through callees, options: MaxCallDepth (8 by default; 1: only
// helpers that block themselves; 0: only direct calls), FollowVirtualCalls,
// and AllowedFunctions, which also stops the search.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=DEFAULT --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=DEFAULT --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=DEPTH1 --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.MaxCallDepth: 1}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=DEPTH1 --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.MaxCallDepth: 1}}"
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=DEPTH0 --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.MaxCallDepth: 0}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=DEPTH0 --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.MaxCallDepth: 0}}"
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=VIRTUAL --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.FollowVirtualCalls: true, coro-blocking-call.AllowedFunctions: 'warm_cache', coro-blocking-call.MaxCallDepth: 3}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=VIRTUAL --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.FollowVirtualCalls: true, coro-blocking-call.AllowedFunctions: 'warm_cache', coro-blocking-call.MaxCallDepth: 3}}"

#include <aio/aio.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

void pause_briefly() { std::this_thread::sleep_for(5ms); }
void retry_pause() { pause_briefly(); }
void backoff() { retry_pause(); }
void warm_cache() { pause_briefly(); }

struct Probe {
  virtual ~Probe() = default;
  virtual void check() { pause_briefly(); }
};

aio::task<void> depth(Probe &probe) {
  std::this_thread::sleep_for(1ms);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'depth' {{.*}}
  // CHECK-MESSAGES-DEPTH1: :[[@LINE-2]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'depth' {{.*}}
  // CHECK-MESSAGES-DEPTH0: :[[@LINE-3]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'depth' {{.*}}
  // CHECK-MESSAGES-VIRTUAL: :[[@LINE-4]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'depth' {{.*}}
  // CHECK-FIXES-DEFAULT: {{^}}  co_await aio::sleep_for(1ms);{{$}}
  pause_briefly();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'pause_briefly' in coroutine 'depth' blocks the event loop: it calls 'std::this_thread::sleep_for'; {{.*}}
  // CHECK-MESSAGES-DEPTH1: :[[@LINE-2]]:3: warning: call to 'pause_briefly' in coroutine 'depth' {{.*}}
  // CHECK-MESSAGES-VIRTUAL: :[[@LINE-3]]:3: warning: call to 'pause_briefly' in coroutine 'depth' {{.*}}
  // CHECK-FIXES-DEFAULT: {{^}}  co_await aio::to_thread([&] { return pause_briefly(); });{{$}}
  // CHECK-FIXES-DEPTH0: {{^}}  pause_briefly();{{$}}
  retry_pause();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'retry_pause' in coroutine 'depth' {{.*}}
  // CHECK-MESSAGES-VIRTUAL: :[[@LINE-2]]:3: warning: call to 'retry_pause' in coroutine 'depth' {{.*}}
  backoff();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'backoff' in coroutine 'depth' {{.*}}
  // CHECK-MESSAGES-VIRTUAL: :[[@LINE-2]]:3: warning: call to 'backoff' in coroutine 'depth' {{.*}}
  // CHECK-FIXES-DEPTH1: {{^}}  backoff();{{$}}
  warm_cache();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'warm_cache' in coroutine 'depth' {{.*}}
  probe.check();
  // CHECK-MESSAGES-VIRTUAL: :[[@LINE-1]]:3: warning: call to 'Probe::check' in coroutine 'depth' blocks the event loop: it calls 'std::this_thread::sleep_for'; {{.*}}
  // CHECK-FIXES-VIRTUAL: {{^}}  co_await aio::to_thread([&] { return probe.check(); });{{$}}
  co_return;
}
