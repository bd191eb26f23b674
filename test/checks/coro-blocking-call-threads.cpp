// thread-wait and sync-wait; lookalike members of other classes are not.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -I %S/Inputs/mirror
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -I %S/Inputs/mirror

#include <aio/aio.hpp>
#include <condition_variable>
#include <cppcoro/sync_wait.hpp>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>

using namespace std::chrono_literals;

aio::task<int> wait_for_worker(std::future<std::string> result, std::thread &worker) {
  std::size_t n = result.get().size();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: blocking call to 'std::future::get' (waits for another thread) in coroutine 'wait_for_worker' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::size_t n = (co_await aio::to_thread([&] { return result.get(); })).size();{{$}}
  worker.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::thread::join' (waits for another thread) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return worker.join(); });{{$}}
  co_return static_cast<int>(n);
}

aio::task<void> poll_future(std::shared_future<int> f) {
  // A zero timeout is a poll, not a wait.
  if (f.wait_for(0s) == std::future_status::ready)
    co_return;
  f.wait_for(std::chrono::milliseconds(50));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::shared_future::wait_for' (waits for another thread) {{.*}}
  co_return;
}

aio::task<void> handoff(std::mutex &m, std::condition_variable &cv, bool &ready,
                        std::counting_semaphore<4> &slots, std::latch &done) {
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return ready; });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::condition_variable::wait' (waits for another thread) in coroutine 'handoff' stalls the event loop; wait on an asynchronous event of the runtime instead [coro-blocking-call]
  // CHECK-FIXES: {{^}}  cv.wait(lock, [&] { return ready; });{{$}}
  lock.unlock();
  slots.acquire();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::counting_semaphore::acquire' (waits for another thread) {{.*}}
  done.arrive_and_wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::latch::arrive_and_wait' (waits for another thread) {{.*}}
  co_return;
}

aio::task<int> compute() { co_return 42; }
cppcoro::task<> legacy();

aio::task<int> nested_run() {
  int v = aio::run(compute());
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'aio::run' in coroutine 'nested_run' waits synchronously for asynchronous work and deadlocks the event loop; co_await the work instead [coro-blocking-call]
  // CHECK-FIXES: {{^}}  int v = co_await compute();{{$}}
  cppcoro::sync_wait(legacy());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'cppcoro::sync_wait' in coroutine 'nested_run' waits synchronously {{.*}}
  // CHECK-FIXES: {{^}}  co_await legacy();{{$}}
  co_return v;
}

// Members that share a blocking name on other classes.
struct handle {
  int get() const { return 1; }
  void wait() {}
  void join() {}
};
aio::task<int> lookalikes(std::unique_ptr<int> p, std::shared_ptr<handle> h) {
  handle local;
  local.wait();
  local.join();
  co_return *p.get() + h.get()->get() + local.get();
}

// Locks are opt-in (EnabledCategories): not reported by default.
aio::task<void> short_critical_section(std::mutex &m, int &counter) {
  std::lock_guard guard(m);
  ++counter;
  co_return;
}
