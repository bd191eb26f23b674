// Handlers after which the task only ends are not reported: nothing carries
// on after the cancellation. A handler is reported when, after it, the task
// can suspend again (a loop goes round, more co_await after the try in any
// enclosing block, a jump that leads there) or returns a value as success.
// With ReportTerminalHandlers every swallowing handler is reported (ALL).
// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t
// RUN: %check_corolint --mode=plugin --check-suffix=ALL %s coro-swallowed-cancellation %t.all --config="{CheckOptions: {coro-swallowed-cancellation.ReportTerminalHandlers: true}}"
// RUN: %check_corolint --mode=cli --check-suffix=ALL %s coro-swallowed-cancellation %t.all --config="{CheckOptions: {coro-swallowed-cancellation.ReportTerminalHandlers: true}}"

#include <aio/aio.hpp>
#include <stdexcept>

using namespace std::chrono_literals;

aio::task<int> read_request();
aio::task<void> write_reply(int);
aio::task<void> flush();
void log_error(const char *);
void stop();

// --- Reported: the task carries on ------------------------------------------

// The try is in an if, in a loop: the next round waits again.
aio::task<void> serve(bool verbose) {
  for (int i = 0; i < 10; ++i) {
    if (verbose) {
      try {
        co_await write_reply(co_await read_request());
      } catch (const std::exception &e) {
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: handler in coroutine 'serve' catches the cancellation 'aio::cancelled_error' raised at a suspension point and does not rethrow it: the task carries on after it was cancelled, and shutdowns and timeouts hang; rethrow the cancellation [coro-swallowed-cancellation]
        // CHECK-MESSAGES-ALL: :[[@LINE-2]]:9: warning: handler in coroutine 'serve' {{.*}} does not rethrow it{{.*}}
        // CHECK-FIXES: {{^}}      } catch (const aio::cancelled_error &) { throw; }{{$}}
        // CHECK-FIXES-NEXT: {{^}}        catch (const std::exception &e) {{{$}}
        // CHECK-FIXES-ALL: {{^}}      } catch (const aio::cancelled_error &) { throw; }{{$}}
        log_error(e.what());
      }
    }
  }
}

// More suspension after the enclosing if, two blocks up.
aio::task<void> then_flush(bool first) {
  if (first) {
    {
      try {
        co_await read_request();
      } catch (const std::exception &) {
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: handler in coroutine 'then_flush' {{.*}} does not rethrow it{{.*}}
        // CHECK-MESSAGES-ALL: :[[@LINE-2]]:9: warning: handler in coroutine 'then_flush' {{.*}}
        log_error("no request");
      }
    }
    log_error("flushing");
  }
  co_await flush();
}

// Nested in the block of another try: the outer block goes on after it.
aio::task<void> nested_try() {
  try {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'nested_try' {{.*}} does not rethrow it{{.*}}
      // CHECK-MESSAGES-ALL: :[[@LINE-2]]:7: warning: handler in coroutine 'nested_try' {{.*}}
      log_error("ignored");
    }
    co_await flush();
  } catch (const std::runtime_error &e) {
    log_error(e.what());
  }
}

// A break that leads to more suspension after the loop.
aio::task<void> break_then_flush() {
  for (;;) {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'break_then_flush' catches the cancellation 'aio::cancelled_error' raised at a suspension point and leaves with 'break': the task reports success after it was cancelled; rethrow the cancellation [coro-swallowed-cancellation]
      // CHECK-MESSAGES-ALL: :[[@LINE-2]]:7: warning: handler in coroutine 'break_then_flush' {{.*}} leaves with 'break'{{.*}}
      break;
    }
  }
  co_await flush();
}

// A continue in a switch of the handler goes round the loop.
aio::task<void> continue_in_switch(int mode) {
  while (mode > 0) {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'continue_in_switch' {{.*}} leaves with 'continue'{{.*}}
      // CHECK-MESSAGES-ALL: :[[@LINE-2]]:7: warning: handler in coroutine 'continue_in_switch' {{.*}}
      switch (mode) {
      case 1:
        continue;
      default:
        break;
      }
      co_return;
    }
  }
}

// A non-void task that falls through to a co_return of a value: success.
aio::task<int> with_fallback() {
  int value = -1;
  try {
    value = co_await read_request();
  } catch (const std::exception &) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'with_fallback' {{.*}} does not rethrow it{{.*}}
    // CHECK-MESSAGES-ALL: :[[@LINE-2]]:5: warning: handler in coroutine 'with_fallback' {{.*}}
    log_error("using the fallback");
  }
  co_return value;
}

// A do-while whose condition may hold goes round.
aio::task<void> poll(const bool &more) {
  do {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'poll' {{.*}}
      // CHECK-MESSAGES-ALL: :[[@LINE-2]]:7: warning: handler in coroutine 'poll' {{.*}}
    }
  } while (more);
}

// A goto may lead anywhere: reported.
aio::task<void> retry_with_goto() {
again:
  try {
    co_await read_request();
  } catch (...) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: handler in coroutine 'retry_with_goto' {{.*}} leaves with 'goto'{{.*}}
    // CHECK-MESSAGES-ALL: :[[@LINE-2]]:5: warning: handler in coroutine 'retry_with_goto' {{.*}}
    goto again;
  }
}

// A lambda coroutine counts like a function.
void start_loop_lambda() {
  auto loop = []() -> aio::task<void> {
    while (true) {
      try {
        co_await read_request();
      } catch (...) {
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: handler in coroutine lambda {{.*}}
        // CHECK-MESSAGES-ALL: :[[@LINE-2]]:9: warning: handler in coroutine lambda {{.*}}
        log_error("again");
      }
    }
  };
  aio::spawn(loop());
}

// A template, reported once for its instantiations.
template <class T> aio::task<T> retry_forever(T fallback) {
  for (;;) {
    try {
      co_return static_cast<T>(co_await read_request());
    } catch (...) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'retry_forever' {{.*}} does not rethrow it{{.*}}
      // CHECK-MESSAGES-ALL: :[[@LINE-2]]:7: warning: handler in coroutine 'retry_forever' {{.*}}
      log_error("retrying");
    }
  }
}
template aio::task<int> retry_forever(int);
template aio::task<long> retry_forever(long);

// --- Not reported by default: after the handler the task only ends --------

// asio's session shape: the last thing the coroutine does.
aio::task<void> session() {
  try {
    for (;;)
      co_await write_reply(co_await read_request());
  } catch (const std::exception &e) {
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: handler in coroutine 'session' {{.*}} does not rethrow it{{.*}}
    log_error(e.what());
    stop();
  }
}

// Calls that do not suspend after the try.
aio::task<void> then_cleanup() {
  try {
    co_await flush();
  } catch (...) {
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: handler in coroutine 'then_cleanup' {{.*}}
    log_error("flush failed");
  }
  stop();
  log_error("done");
}

// co_return; in a loop's handler ends the task.
aio::task<void> loop_until_error() {
  for (;;) {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: handler in coroutine 'loop_until_error' {{.*}} leaves with 'co_return'{{.*}}
      log_error("stopping");
      co_return;
    }
  }
}

// A break out of the loop, after which nothing suspends.
aio::task<void> break_then_end() {
  while (true) {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: handler in coroutine 'break_then_end' {{.*}} leaves with 'break'{{.*}}
      break;
    }
  }
  stop();
}

// The handler falls through to a break: the loop does not go round.
aio::task<void> once_in_loop() {
  for (;;) {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: handler in coroutine 'once_in_loop' {{.*}}
      log_error("failed");
    }
    break;
  }
}

// do { ... } while (false) does not go round.
aio::task<void> block_to_break_out_of() {
  do {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: handler in coroutine 'block_to_break_out_of' {{.*}}
      break;
    }
    co_await flush();
  } while (false);
}

// A test asserting that the cancellation happened, then ending.
aio::task<void> expect_cancelled(bool *saw) {
  try {
    co_await aio::sleep_for(10s);
  } catch (const aio::cancelled_error &) {
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: handler in coroutine 'expect_cancelled' {{.*}}
    *saw = true;
  }
  if (!*saw)
    stop();
}

// The other branch suspends, but it does not run after the handler.
aio::task<void> one_branch_waits(bool first) {
  if (first) {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: handler in coroutine 'one_branch_waits' {{.*}}
    }
  } else {
    co_await flush();
  }
}

// Nested in another try's block, with nothing that suspends after either.
aio::task<void> nested_and_done() {
  try {
    if (true) {
      try {
        co_await read_request();
      } catch (...) {
        // CHECK-MESSAGES-ALL: :[[@LINE-1]]:9: warning: handler in coroutine 'nested_and_done' {{.*}}
        log_error("ignored");
      }
    }
    stop();
  } catch (const std::runtime_error &e) {
    log_error(e.what());
  }
}

// A handler that turns the cancellation into another error ends the task.
aio::task<int> translate() {
  try {
    co_return co_await read_request();
  } catch (...) {
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: handler in coroutine 'translate' {{.*}}
    throw std::runtime_error("request failed");
  }
}

// A template that only ends after its handler.
template <class T> aio::task<void> once_then_end(T) {
  try {
    co_await read_request();
  } catch (...) {
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: handler in coroutine 'once_then_end' {{.*}}
    log_error("failed");
  }
}
template aio::task<void> once_then_end(int);

// A lambda coroutine that only ends after its handler.
void start_once_lambda() {
  auto once = []() -> aio::task<void> {
    try {
      co_await read_request();
    } catch (...) {
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: handler in coroutine lambda {{.*}}
      co_return;
    }
    co_await flush();
  };
  aio::spawn(once());
}
