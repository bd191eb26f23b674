// Blocking through callees on a cold path: a helper that blocks only when
// something went wrong or an option is on is not reported by default
// (ReportColdPaths turns such chains on, with a note at the cold branch).
// The coroutine's own statements are never cold: the rule is about where
// the branch is in a callee.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=DEFAULT --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=DEFAULT --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=COLD --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, ReportColdPaths: true}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=COLD --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, ReportColdPaths: true}}"

#include <aio/aio.hpp>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;

[[noreturn]] void fatal(const char *what);

// A branch that ends in a throw.
void validate(bool ok) {
  if (!ok) {
    std::this_thread::sleep_for(10ms);
    throw std::runtime_error("invalid");
  }
}

// A branch that ends in a call that does not return.
void require_config(const char *path) {
  if (!path) {
    std::FILE *f = std::fopen("/tmp/crash.log", "w");
    std::fclose(f);
    fatal("no config");
  }
}

// A catch handler.
void parse_or_report(const char *text) {
  try {
    if (!text)
      throw std::invalid_argument("empty");
  } catch (const std::exception &) {
    std::this_thread::sleep_for(1ms);
  }
}

// [[unlikely]], and the other branch of [[likely]].
void maybe_spill(int size) {
  if (size > 1 << 20) [[unlikely]] {
    std::this_thread::sleep_for(1ms);
  }
}
void fast_or_slow(bool fast) {
  if (fast) [[likely]] {
    return;
  } else {
    std::this_thread::sleep_for(1ms);
  }
}

// __builtin_expect(..., 0).
void expect_rare(int err) {
  if (__builtin_expect(err != 0, 0))
    std::this_thread::sleep_for(1ms);
}

// A branch on a log severity, and a guard on one.
enum class severity { debug, info, error, critical };
struct logger {
  severity threshold = severity::info;
  bool debug_output = false;
  void write(severity level, const char *msg) {
    if (level >= severity::critical) {
      std::FILE *trace = ::popen("addr2line", "r");
      ::pclose(trace);
    }
  }
  void emit(int level, const char *msg) {
    if (level < 3)
      return;
    std::this_thread::sleep_for(1ms);
  }
  // A branch on an optional feature's flag, and a guard on one.
  void dump(const char *msg) {
    if (debug_output)
      std::this_thread::sleep_for(1ms);
  }
  void dump_guarded(const char *msg) {
    if (!debug_output)
      return;
    std::this_thread::sleep_for(1ms);
  }
};

// An optional feature named by an enumerator: compression only for gzip.
enum class content_encoding { none, gzip };
void set_body(const char *body, content_encoding encoding = content_encoding::none) {
  if (encoding == content_encoding::gzip) {
    std::FILE *scratch = std::fopen("/tmp/gz", "w");
    std::fclose(scratch);
  }
}

// The body of an assertion macro runs when the assertion fails; its
// condition runs every time.
void report_failure(const char *expr) {
  std::FILE *f = std::fopen("/tmp/assert.log", "a");
  std::fclose(f);
}
#define APP_ASSERT(cond) do { if (!(cond)) report_failure(#cond); } while (0)
bool load_flag() {
  std::this_thread::sleep_for(1ms);
  return true;
}
void checked(int n) { APP_ASSERT(n > 0); }
void checked_load() { APP_ASSERT(load_flag()); }

// Hot: what stays reported.
void hot_branch(bool retry) {
  if (retry)
    std::this_thread::sleep_for(1ms);
}
void after_guard(bool ok) {
  if (!ok)
    throw std::runtime_error("bad");
  std::this_thread::sleep_for(1ms);
}
void else_of_throw(bool ok) {
  if (!ok)
    throw std::runtime_error("bad");
  else
    std::this_thread::sleep_for(1ms);
}

aio::task<void> handle(bool ok, int n, const char *text) {
  logger log;
  validate(ok);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'validate' in coroutine 'handle' blocks the event loop: it calls 'std::this_thread::sleep_for'; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return validate(ok); });{{$}}
  require_config(text);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'require_config' in coroutine 'handle' blocks the event loop: it calls 'fopen' (file I/O)
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return require_config(text); });{{$}}
  parse_or_report(text);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'parse_or_report' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return parse_or_report(text); });{{$}}
  maybe_spill(n);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'maybe_spill' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return maybe_spill(n); });{{$}}
  fast_or_slow(ok);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'fast_or_slow' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return fast_or_slow(ok); });{{$}}
  expect_rare(n);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'expect_rare' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return expect_rare(n); });{{$}}
  log.write(severity::info, "request");
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'logger::write' in coroutine 'handle' blocks the event loop: it calls 'popen' (subprocess)
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return log.write(severity::info, "request"); });{{$}}
  log.emit(1, "request");
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'logger::emit' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return log.emit(1, "request"); });{{$}}
  log.dump("request");
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'logger::dump' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return log.dump("request"); });{{$}}
  log.dump_guarded("request");
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'logger::dump_guarded' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return log.dump_guarded("request"); });{{$}}
  set_body("ok");
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'set_body' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return set_body("ok"); });{{$}}
  checked(n);
  // CHECK-MESSAGES-COLD: :[[@LINE-1]]:3: warning: call to 'checked' in coroutine 'handle'
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return checked(n); });{{$}}

  checked_load();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'checked_load' in coroutine 'handle' blocks the event loop: it calls 'std::this_thread::sleep_for'; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-MESSAGES-COLD: :[[@LINE-2]]:3: warning: call to 'checked_load' in coroutine 'handle'
  // CHECK-FIXES-DEFAULT: {{^}}  co_await aio::to_thread([&] { return checked_load(); });{{$}}
  // CHECK-FIXES-COLD: {{^}}  co_await aio::to_thread([&] { return checked_load(); });{{$}}
  hot_branch(ok);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'hot_branch' in coroutine 'handle'
  // CHECK-MESSAGES-COLD: :[[@LINE-2]]:3: warning: call to 'hot_branch' in coroutine 'handle'
  // CHECK-FIXES-DEFAULT: {{^}}  co_await aio::to_thread([&] { return hot_branch(ok); });{{$}}
  after_guard(ok);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'after_guard' in coroutine 'handle'
  // CHECK-MESSAGES-COLD: :[[@LINE-2]]:3: warning: call to 'after_guard' in coroutine 'handle'
  // CHECK-FIXES-DEFAULT: {{^}}  co_await aio::to_thread([&] { return after_guard(ok); });{{$}}
  else_of_throw(ok);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'else_of_throw' in coroutine 'handle'
  // CHECK-MESSAGES-COLD: :[[@LINE-2]]:3: warning: call to 'else_of_throw' in coroutine 'handle'
  // CHECK-FIXES-DEFAULT: {{^}}  co_await aio::to_thread([&] { return else_of_throw(ok); });{{$}}

  // The condition of the standard assert runs in debug builds only.
  assert(load_flag());

  // The coroutine's own error branch is its own code: reported.
  if (!ok) {
    std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'handle'
    // CHECK-MESSAGES-COLD: :[[@LINE-2]]:5: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'handle'
    // CHECK-FIXES-DEFAULT: {{^}}    co_await aio::sleep_for(1ms);{{$}}
    throw std::runtime_error("bad");
  }
  co_return;
}
