// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t

#include <aio/aio.hpp>
#include <cstdio>
#include <stdexcept>

using namespace std::chrono_literals;

aio::task<int> fetch();
void log_error(const char *);
[[noreturn]] void fatal(const char *);

// A housekeeping loop that logs and carries on: shutdown hangs.
aio::task<void> housekeeping() {
  for (;;) {
    try {
      co_await aio::sleep_for(1s);
    } catch (const std::exception &e) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'housekeeping' catches the cancellation 'aio::cancelled_error' raised at a suspension point and does not rethrow it: the task carries on after it was cancelled, and shutdowns and timeouts hang; rethrow the cancellation [coro-swallowed-cancellation]
      // CHECK-FIXES: {{^}}    } catch (const aio::cancelled_error &) { throw; }{{$}}
      // CHECK-FIXES-NEXT: {{^}}      catch (const std::exception &e) {{{$}}
      log_error(e.what());
    }
  }
}

// catch (...) that leaves with co_return: the task reports success.
aio::task<int> with_default() {
  try {
    co_return co_await fetch();
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'with_default' catches the cancellation 'aio::cancelled_error' raised at a suspension point and leaves with 'co_return': the task reports success after it was cancelled; rethrow the cancellation [coro-swallowed-cancellation]
    // CHECK-FIXES: {{^}}  } catch (const aio::cancelled_error &) { throw; }{{$}}
    co_return -1;
  }
}

// A rethrow on one branch only is not enough: the task goes on to the next
// fetch.
aio::task<void> one_branch(bool strict) {
  try {
    co_await fetch();
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'one_branch' {{.*}}
    if (strict)
      throw;
    log_error("ignored");
  }
  co_await fetch();
}

// The handler of the cancellation type itself: no fix (it would shadow it).
aio::task<void> explicit_swallow() {
  try {
    co_await fetch();
  } catch (const aio::cancelled_error &) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'explicit_swallow' {{.*}}
    // CHECK-FIXES: {{^}}  } catch (const aio::cancelled_error &) {{{$}}
    log_error("cancelled");
  }
  co_await fetch();
}

// Not reported: rethrowing handlers, a more specific handler that rethrows
// first, unrelated types, no suspension in the try block, plain functions,
// deliberate swallows with NOLINT.
aio::task<void> fine() {
  try {
    co_await fetch();
  } catch (...) {
    log_error("failed");
    throw;
  }
  try {
    co_await fetch();
  } catch (const aio::cancelled_error &) {
    throw;
  } catch (const std::exception &e) {
    log_error(e.what());
  }
  try {
    co_await fetch();
  } catch (const std::runtime_error &e) {
    log_error(e.what());
  }
  try {
    co_await fetch();
  } catch (const std::exception &e) {
    if (e.what()[0] == 'x')
      throw;
    else
      std::rethrow_exception(std::current_exception());
  }
  try {
    co_await fetch();
  } catch (const std::exception &e) {
    fatal(e.what());
  }
  try {
    log_error("no suspension here");
  } catch (...) {
  }
  try {
    co_await fetch();
  } catch (...) { // NOLINT(coro-swallowed-cancellation): shutdown is handled by the caller
  }
}

void plain() {
  try {
    throw std::runtime_error("x");
  } catch (...) {
  }
}
