// Handlers written by a library's macro (a test framework's assertions,
// from a system header) are the framework's, not the code's: not reported.
// A macro of the project, in the main file or in a project header, is the
// project's handler and stays reported. A vendored framework included with
// -I is not a system header (VENDORED) unless the build says so with
// --system-header-prefix.
// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t -- -isystem %S/Inputs/swallowed-macros/system -I %S/Inputs/swallowed-macros/project
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t -- -isystem %S/Inputs/swallowed-macros/system -I %S/Inputs/swallowed-macros/project
// RUN: %check_corolint --mode=plugin --check-suffix=VENDORED %s coro-swallowed-cancellation %t.vendored -- -I %S/Inputs/swallowed-macros/vendored -isystem %S/Inputs/swallowed-macros/system -I %S/Inputs/swallowed-macros/project
// RUN: %check_corolint --mode=cli --check-suffix=VENDORED %s coro-swallowed-cancellation %t.vendored -- -I %S/Inputs/swallowed-macros/vendored -isystem %S/Inputs/swallowed-macros/system -I %S/Inputs/swallowed-macros/project
// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t.prefix -- -I %S/Inputs/swallowed-macros/vendored --system-header-prefix=doctest/ -isystem %S/Inputs/swallowed-macros/system -I %S/Inputs/swallowed-macros/project
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t.prefix -- -I %S/Inputs/swallowed-macros/vendored --system-header-prefix=doctest/ -isystem %S/Inputs/swallowed-macros/system -I %S/Inputs/swallowed-macros/project

#include <aio/aio.hpp>
#include <doctest/doctest.h>
#include <gtest/gtest.h>

#include "retry.h"

using namespace std::chrono_literals;

aio::task<int> fetch();
aio::task<bool> ready();
void log_line(const char *);

// Assertions around awaits, one after the other: the handlers but the last
// are followed by more suspension, yet none is the test's own handling.
aio::task<void> test_fetch() {
  CHECK(co_await ready());
  // CHECK-MESSAGES-VENDORED: :[[@LINE-1]]:3: warning: handler in coroutine 'test_fetch' catches the cancellation 'aio::cancelled_error' {{.*}}
  CHECK_THROWS_AS(co_await fetch(), std::runtime_error);
  // CHECK-MESSAGES-VENDORED: :[[@LINE-1]]:3: warning: handler in coroutine 'test_fetch' {{.*}}
  REQUIRE_NOTHROW(co_await fetch());
  // CHECK-MESSAGES-VENDORED: :[[@LINE-1]]:3: warning: handler in coroutine 'test_fetch' {{.*}}
  EXPECT_THROW(co_await fetch(), std::runtime_error);
  EXPECT_NO_THROW(co_await fetch());
  CHECK(co_await ready()); // the last: the task only ends after it
}

// In a loop, as a soak test does.
aio::task<void> test_soak() {
  for (int i = 0; i < 100; ++i) {
    EXPECT_NO_THROW(co_await aio::sleep_for(1ms));
    CHECK_THROWS_AS(co_await fetch(), std::logic_error);
    // CHECK-MESSAGES-VENDORED: :[[@LINE-1]]:5: warning: handler in coroutine 'test_soak' {{.*}}
  }
}

// A macro the project defines in this file: its handler is the project's.
#define LOG_AND_GO_ON(...)                                                     \
  try {                                                                        \
    __VA_ARGS__;                                                               \
  } catch (...) {                                                              \
    log_line("ignored");                                                       \
  }

aio::task<void> worker() {
  for (;;) {
    LOG_AND_GO_ON(co_await fetch())
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'worker' catches the cancellation 'aio::cancelled_error' raised at a suspension point and does not rethrow it: {{.*}} [coro-swallowed-cancellation]
    // CHECK-MESSAGES-VENDORED: :[[@LINE-2]]:5: warning: handler in coroutine 'worker' {{.*}}
  }
}

// A macro of a project header (retry.h, through -I): the project's too.
aio::task<void> poller() {
  while (true) {
    PROJECT_LOG_ERRORS(co_await aio::sleep_for(1s))
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'poller' {{.*}} does not rethrow it{{.*}}
    // CHECK-MESSAGES-VENDORED: :[[@LINE-2]]:5: warning: handler in coroutine 'poller' {{.*}}
  }
}

// A framework macro wrapped by one of the project: the `catch` is still the
// framework's.
#define CHECK_FETCH() CHECK_THROWS_AS(co_await fetch(), std::runtime_error)

aio::task<void> test_wrapped() {
  CHECK_FETCH();
  // CHECK-MESSAGES-VENDORED: :[[@LINE-1]]:3: warning: handler in coroutine 'test_wrapped' {{.*}}
  co_await fetch();
}
