// Blocking through callees: helpers whose blocking call never runs on the
// loop's thread when the coroutine calls them. Nothing is reported.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

void write_log(const std::string &line) {
  FILE *f = fopen("/var/log/app.log", "a");
  fputs(line.c_str(), f);
  fclose(f);
}

// Declared non-blocking: its body is not looked into.
[[clang::annotate("corolint::nonblocking")]] void fast_log(const std::string &line) {
  write_log(line);
}
struct [[clang::annotate("corolint::nonblocking")]] Cache {
  void refresh() { write_log("refresh"); }
};

// Helpers that hand the blocking work to another thread.
void log_in_background(std::string line) {
  std::thread([line] { write_log(line); }).detach();
}
auto log_async(std::string line) {
  return aio::to_thread([line] { write_log(line); });
}

// Helpers that create coroutines: the coroutine's body is checked on its
// own (here it offloads); calling it only creates the task.
aio::task<void> log_task(std::string line) {
  co_await aio::to_thread([&] { write_log(line); });
}
aio::task<void> start_logging() { return log_task("start"); }

// Lambdas that a helper stores or hands over without calling them.
std::vector<std::function<void()>> pending;
void defer_log(std::string line) {
  auto job = [line] { write_log(line); };
  pending.push_back(job);
}
void register_log() {
  pending.emplace_back([] { write_log("registered"); });
}

// A helper that runs a coroutine lambda: the lambda is its own context.
void make_task() {
  auto t = []() -> aio::task<void> {
    co_await aio::sleep_for(1ms);
  };
  (void)t;
}

// A static local is initialized once, on the first call, not on each.
struct Pool {
  Pool() { std::this_thread::sleep_for(1ms); }
};
Pool &shared_pool() {
  static Pool pool;
  return pool;
}
int &counter() {
  static int value = (write_log("init"), 0);
  return value;
}

// A descriptor the coroutine awaited for readiness is non-blocking: the
// helper's read does not stall, as a direct read would not.
struct readiness {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
readiness readable(int fd);
long read_some(int fd, char *buf, std::size_t size) { return ::read(fd, buf, size); }

aio::task<long> read_when_ready(int fd) {
  char buf[64];
  co_await readable(fd);
  co_return read_some(fd, buf, sizeof buf);
}

// Unevaluated operands.
std::size_t log_size() { return sizeof(write_log("x"), 0); }
bool log_noexcept() { return noexcept(write_log("x")); }

// Mutual recursion that never blocks.
int even(int n);
int odd(int n) { return n == 0 ? 0 : even(n - 1); }
int even(int n) { return n == 0 ? 1 : odd(n - 1); }

// A virtual call and a call through a pointer are not followed.
struct Sink {
  virtual ~Sink() = default;
  virtual void put(const std::string &line) { write_log(line); }
};
using LogFn = void (*)(const std::string &);

aio::task<int> handler(Sink &sink, LogFn fn, Cache &cache) {
  fast_log("fast");
  cache.refresh();
  log_in_background("background");
  co_await log_async("async");
  auto waiting = log_async("async");
  co_await std::move(waiting);
  co_await start_logging();
  auto task = start_logging();
  co_await std::move(task);
  defer_log("later");
  register_log();
  make_task();
  std::size_t n = log_size() + log_noexcept();
  int parity = odd(7);
  Pool &pool = shared_pool();
  (void)pool;
  ++counter();
  sink.put("virtual");
  fn("pointer");
  // Called inside an offloaded lambda.
  co_await aio::to_thread([] { write_log("offloaded"); });
  // A stored lambda that is never called.
  auto later = [] { write_log("never"); };
  (void)later;
  co_return static_cast<int>(n) + parity;
}
