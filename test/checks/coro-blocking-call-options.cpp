// Options: BlockingFunctions, AllowedFunctions, EnabledCategories (lock),
// AsyncContextFunctions, InlineFunctions; annotations.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.BlockingFunctions: 'store::Db::query;legacy_fetch=network', coro-blocking-call.AllowedFunctions: 'fsync', coro-blocking-call.EnabledCategories: 'sleep;file;lock;annotated;user;network', coro-blocking-call.AsyncContextFunctions: 'on_timer', coro-blocking-call.InlineFunctions: 'run_now'}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.BlockingFunctions: 'store::Db::query;legacy_fetch=network', coro-blocking-call.AllowedFunctions: 'fsync', coro-blocking-call.EnabledCategories: 'sleep;file;lock;annotated;user;network', coro-blocking-call.AsyncContextFunctions: 'on_timer', coro-blocking-call.InlineFunctions: 'run_now'}}"

#include <aio/aio.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

namespace store {
struct Db {
  int query(const std::string &) { return 0; }
};
} // namespace store
int legacy_fetch(int id) { return id; }

aio::task<int> user_entries(store::Db &db) {
  int rows = db.query("SELECT 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: blocking call to 'store::Db::query' (listed in BlockingFunctions) in coroutine 'user_entries' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  int rows = co_await aio::to_thread([&] { return db.query("SELECT 1"); });{{$}}
  rows += legacy_fetch(7);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: blocking call to 'legacy_fetch' (network I/O) {{.*}}
  // CHECK-FIXES: {{^}}  rows += co_await aio::to_thread([&] { return legacy_fetch(7); });{{$}}
  fsync(3);
  co_return rows;
}

aio::task<void> locking(std::mutex &m) {
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::mutex::lock' (takes a lock) in coroutine 'locking' stalls the event loop; use an asynchronous mutex, or keep waits out of the critical section [coro-blocking-call]
  m.unlock();
  co_return;
}

// An event-loop callback that is not a coroutine.
void on_timer() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'on_timer' stalls the event loop; use the runtime's asynchronous sleep [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(std::chrono::milliseconds(1));{{$}}
}

template <class F> void run_now(F f) { f(); }
aio::task<void> inline_function() {
  run_now([] { usleep(10); });
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: blocking call to 'usleep' in coroutine 'inline_function' {{.*}}
  co_return;
}

// Annotations: a blocking wrapper and a non-blocking one.
[[clang::annotate("corolint::blocking")]] int load_blob(int id) { return id; }
struct [[clang::annotate("corolint::blocking")]] Archive {
  int extract(int n) { return n; }
};
[[clang::annotate("corolint::nonblocking")]] unsigned quick_sleep(unsigned s) {
  return sleep(s);
}
aio::task<int> annotated(Archive &a) {
  int x = load_blob(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: blocking call to 'load_blob' (annotated as blocking) {{.*}}
  // CHECK-FIXES: {{^}}  int x = co_await aio::to_thread([&] { return load_blob(1); });{{$}}
  x += a.extract(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: blocking call to 'Archive::extract' (annotated as blocking) {{.*}}
  x += static_cast<int>(quick_sleep(0));
  co_return x;
}
