// Notes, a project's own cancellation type, and asio's error-code
// cancellation (operation_aborted inside a system_error).
// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t --config="{CheckOptions: {coro-swallowed-cancellation.CancellationExceptions: 'jobs::stopped', coro-swallowed-cancellation.RethrowHandler: 'catch (const jobs::stopped &) { throw; }'}}" -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t --config="{CheckOptions: {coro-swallowed-cancellation.CancellationExceptions: 'jobs::stopped', coro-swallowed-cancellation.RethrowHandler: 'catch (const jobs::stopped &) { throw; }'}}" -- -DASIO_HAS_CO_AWAIT

#include <aio/aio.hpp>
#include <asio.hpp>
#include <cstdio>

namespace jobs {
struct stopped : std::exception {};
} // namespace jobs

aio::task<int> step();

aio::task<void> worker() {
  while (true) {
    try {
      co_await step();
    } catch (...) {
      // CHECK-NOTES: :[[@LINE-1]]:7: warning: handler in coroutine 'worker' catches the cancellation 'jobs::stopped' raised at a suspension point and leaves with 'continue': the task reports success after it was cancelled; rethrow the cancellation [coro-swallowed-cancellation]
      // CHECK-NOTES: :[[@LINE-3]]:7: note: the cancellation is raised here
      // CHECK-FIXES: {{^}}    } catch (const jobs::stopped &) { throw; }{{$}}
      // CHECK-NOTES: :11:8: note: 'jobs::stopped' is a cancellation exception (option CancellationExceptions)
      std::puts("retrying");
      continue;
      // CHECK-NOTES: :[[@LINE-1]]:7: note: the handler leaves here
    }
    break;
  }
}

asio::awaitable<void> reader(asio::ip::tcp::socket &socket) {
  char data[64];
  for (;;) {
    try {
      co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
    } catch (const std::system_error &e) {
      // CHECK-NOTES: :[[@LINE-1]]:7: warning: handler in coroutine 'reader' catches the cancellation 'std::system_error' raised at a suspension point and does not rethrow it{{.*}}
      // CHECK-NOTES: :[[@LINE-3]]:7: note: the cancellation is raised here
      // CHECK-NOTES: note: 'std::system_error' carries a cancellation as 'asio::error::operation_aborted' (option ErrorCodeCancellation)
      // CHECK-FIXES: {{^}}    } catch (const std::system_error &e) { if (e.code() == asio::error::operation_aborted) throw;{{$}}
      std::puts(e.what());
    }
  }
}

// A handler that checks the code and rethrows is fine.
asio::awaitable<void> careful(asio::ip::tcp::socket &socket) {
  char data[64];
  try {
    co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
  } catch (const std::system_error &e) {
    if (e.code() == asio::error::operation_aborted)
      throw;
    std::puts(e.what());
  }
}

// Waiting for a task this coroutine cancelled: a note at the cancel().
aio::task<void> stopper(aio::join_handle<int> child) {
  child.cancel();
  try {
    co_await child;
  } catch (...) {
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: handler in coroutine 'stopper' catches the cancellation 'jobs::stopped' of 'child', which it cancelled, and its own cancellation as well: cancelled while it waits, the task carries on; rethrow when this task itself is being cancelled [coro-swallowed-cancellation]
    // CHECK-NOTES: :[[@LINE-3]]:5: note: the cancellation is raised here
    // CHECK-NOTES: :[[@LINE-6]]:3: note: 'child' is cancelled here
    // CHECK-NOTES: :11:8: note: 'jobs::stopped' is a cancellation exception (option CancellationExceptions)
    // CHECK-FIXES: {{^}}  } catch (...) { if (aio::current_task_cancelling()) throw;{{$}}
    std::puts("child stopped");
  }
  co_await step();
}
