// Awaiting a task that this coroutine cancelled (`h.cancel(); try { co_await
// aio::wait_for(h, 2s); } catch (...) {}`): the cancellation caught is the
// child's, which the coroutine asked for, but the coroutine's own
// cancellation can arrive while it waits. Reported with a fix that rethrows
// only when the task itself is being cancelled; a handler that already
// rethrows under a condition is not reported.
// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t -- -pthread
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t -- -pthread
//
// The fixed program runs: stopping the worker completes, and a session
// cancelled while it waits for the worker ends cancelled.
// RUN: %clangxx -std=c++20 -pthread -I %aio_include %t.cli.cpp -o %t.fixed
// RUN: %t.fixed | FileCheck --check-prefix=FIXED %s
// FIXED: session finished: worker gone; closed
// FIXED-NEXT: session cancelled: {{$}}
// FIXED-NEXT: all sessions done
//
// As written, the cancelled session carries on and closes as if nothing
// happened.
// RUN: %clangxx -std=c++20 -pthread -I %aio_include %s -o %t.original
// RUN: %t.original | FileCheck --check-prefix=ORIGINAL %s
// ORIGINAL: session finished: worker gone; closed
// ORIGINAL-NEXT: session finished: worker gone; closed
// ORIGINAL-NEXT: all sessions done

#include <aio/aio.hpp>
#include <coroutine>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

// An awaitable of no library: aio cannot interrupt a wait there, so the
// worker's cancellation stays pending until the gate opens.
struct gate {
  std::coroutine_handle<> waiter;
  bool open = false;
  bool await_ready() const noexcept { return open; }
  void await_suspend(std::coroutine_handle<> h) noexcept { waiter = h; }
  void await_resume() const noexcept {}
  void release() {
    open = true;
    if (waiter)
      aio::get_running_loop().call_soon([h = waiter] { h.resume(); });
  }
};

aio::task<void> worker(gate *g) {
  co_await *g;
  co_await aio::yield(); // raises the pending cancellation
}

// Stops its worker and waits until it is gone, then closes the connection.
aio::task<void> session(gate *g, std::string *log) {
  aio::join_handle<void> child = aio::spawn(worker(g));
  co_await aio::yield(); // the worker waits at the gate
  child.cancel();
  try {
    co_await aio::wait_for(child, 2s);
  } catch (const std::exception &) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'session' catches the cancellation 'aio::cancelled_error' of 'child', which it cancelled, and its own cancellation as well: cancelled while it waits, the task carries on; rethrow when this task itself is being cancelled [coro-swallowed-cancellation]
    // CHECK-FIXES: {{^}}  } catch (const std::exception &) { if (aio::current_task_cancelling()) throw;{{$}}
    *log += "worker gone; ";
  }
  co_await aio::yield(); // closing
  *log += "closed";
}

// Runs a session until its worker is gone; cancels the session meanwhile
// if asked to. Prints how the session ended.
aio::task<void> drive_session(bool cancel_session) {
  gate g;
  std::string log;
  aio::join_handle<void> s = aio::spawn(session(&g, &log));
  for (int i = 0; i < 5; ++i)
    co_await aio::yield(); // the session cancelled the worker and waits
  if (cancel_session)
    s.cancel();
  g.release();
  try {
    co_await s;
    std::printf("session finished: %s\n", log.c_str());
  } catch (const aio::cancelled_error &) {
    std::printf("session cancelled: %s\n", log.c_str());
  }
}

int main() {
  aio::run(drive_session(false));
  aio::run(drive_session(true));
  std::printf("all sessions done\n");
}

// --- More shapes (compiled, not run) ----------------------------------------

aio::task<int> fetch() { co_return 1; }
aio::task<void> flush() { co_return; }
void note(const char *) {}

// Awaiting the handle itself, and gather of two cancelled handles, with the
// cancel() calls in an enclosing block and the try in an if; the handler of
// the cancellation type itself gets the same fix.
aio::task<void> stop_both(bool verbose) {
  aio::join_handle<int> a = aio::spawn(fetch());
  aio::join_handle<int> b = aio::spawn(fetch());
  a.cancel();
  (void)b.cancel();
  if (verbose) {
    try {
      co_await a;
    } catch (const aio::cancelled_error &) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'stop_both' {{.*}} of 'a', which it cancelled{{.*}}
      // CHECK-FIXES: {{^}}    } catch (const aio::cancelled_error &) { if (aio::current_task_cancelling()) throw;{{$}}
      note("a stopped");
    }
  }
  try {
    co_await aio::gather(a, b);
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'stop_both' {{.*}} of 'a', which it cancelled{{.*}}
    // CHECK-FIXES: {{^}}  } catch (...) { if (aio::current_task_cancelling()) throw;{{$}}
  }
  co_await flush();
}

// A member handle, cancelled by a member coroutine.
class connection {
public:
  aio::task<void> close() {
    reader_.cancel();
    try {
      co_await aio::wait_for(reader_, 1s);
    } catch (const std::exception &) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'connection::close' {{.*}} of 'reader_', which it cancelled{{.*}}
      note("reader gone");
    }
    co_await flush();
  }

private:
  aio::join_handle<int> reader_;
};

// In a template, for any handle type (reported once).
template <class Handle> aio::task<void> stop_any(Handle h) {
  h.cancel();
  try {
    co_await h;
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'stop_any' {{.*}} of 'h', which it cancelled{{.*}}
    // CHECK-FIXES: {{^}}  } catch (...) { if (aio::current_task_cancelling()) throw;{{$}}
  }
  co_await flush();
}
template aio::task<void> stop_any(aio::join_handle<int>);
template aio::task<void> stop_any(aio::join_handle<void>);

// Not this case: the usual report and fix. The cancel() is on one path
// only; the try also awaits something else; gather waits for a task that
// was not cancelled.
aio::task<void> not_every_path(bool stop) {
  aio::join_handle<int> h = aio::spawn(fetch());
  if (stop)
    h.cancel();
  try {
    co_await h;
  } catch (const std::exception &) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'not_every_path' catches the cancellation 'aio::cancelled_error' raised at a suspension point and does not rethrow it{{.*}}
    // CHECK-FIXES: {{^}}  } catch (const aio::cancelled_error &) { throw; }{{$}}
    note("failed");
  }
  co_await flush();
}

aio::task<void> waits_for_more(aio::join_handle<int> h) {
  h.cancel();
  try {
    co_await h;
    co_await flush();
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'waits_for_more' catches the cancellation 'aio::cancelled_error' raised at a suspension point and does not rethrow it{{.*}}
  }
  co_await flush();
}

aio::task<void> gathers_another(aio::join_handle<int> a, aio::join_handle<int> b) {
  a.cancel();
  try {
    co_await aio::gather(a, b);
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'gathers_another' catches the cancellation 'aio::cancelled_error' raised at a suspension point and does not rethrow it{{.*}}
  }
  co_await flush();
}

// Not reported: a handler that already tells its own cancellation from the
// child's, with current_task_cancelling() or the task's handle; and the
// idiom as the last thing a void task does (nothing carries on).
aio::task<void> already_careful(aio::join_handle<int> h) {
  h.cancel();
  try {
    co_await aio::wait_for(h, 2s);
  } catch (const std::exception &) {
    if (aio::current_task_cancelling())
      throw;
  }
  co_await flush();
}

aio::task<void> careful_with_handle(aio::join_handle<int> h) {
  aio::task_handle self = co_await aio::current_task();
  h.cancel();
  try {
    co_await h;
  } catch (const aio::cancelled_error &) {
    if (self.cancelling() > 0)
      throw;
    note("child stopped");
  }
  co_await flush();
}

aio::task<void> stop_and_end(aio::join_handle<int> h) {
  h.cancel();
  try {
    co_await aio::wait_for(h, 2s);
  } catch (const std::exception &) {
  }
  note("stopped");
}
