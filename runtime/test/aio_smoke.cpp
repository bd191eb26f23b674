// Smoke test of the aio runtime: a plain program that prints every failed
// check and exits non-zero if there was one.
#include <aio/aio.hpp>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

int failures = 0;

void check(bool ok, const char *what) {
  if (!ok) {
    ++failures;
    std::printf("FAIL: %s\n", what);
  }
}

long long elapsed_ms(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() -
                                                               start)
      .count();
}

// --- run returns a value --------------------------------------------------

aio::task<int> answer() { co_return 42; }

aio::task<int> add_answers() {
  int a = co_await answer();
  int b = co_await answer();
  co_return a + b;
}

aio::task<std::unique_ptr<std::string>> move_only() {
  co_return std::make_unique<std::string>("moved");
}

aio::task<> set_flag(bool &flag) {
  flag = true;
  co_return;
}

void test_run_returns_value() {
  check(aio::run(answer()) == 42, "run returns the task's value");
  check(aio::run(add_answers()) == 84, "awaiting nested tasks");
  std::unique_ptr<std::string> p = aio::run(move_only());
  check(p && *p == "moved", "a move-only value comes through");
  bool flag = false;
  aio::run(set_flag(flag));
  check(flag, "run runs a task<void>");
}

// --- exceptions propagate -------------------------------------------------

aio::task<int> fail_after_sleep() {
  co_await aio::sleep_for(1ms);
  throw std::runtime_error("boom");
}

aio::task<std::string> catch_from_child() {
  try {
    co_await fail_after_sleep();
  } catch (const std::runtime_error &e) {
    co_return e.what();
  }
  co_return "not thrown";
}

aio::task<std::string> catch_from_spawned() {
  aio::join_handle<int> handle = aio::spawn(fail_after_sleep());
  try {
    co_await handle;
  } catch (const std::runtime_error &e) {
    co_return e.what();
  }
  co_return "not thrown";
}

void test_exceptions_propagate() {
  check(aio::run(catch_from_child()) == "boom",
        "an exception reaches the awaiting task");
  check(aio::run(catch_from_spawned()) == "boom",
        "an exception reaches the awaiter of a spawned task");
  bool thrown = false;
  try {
    aio::run(fail_after_sleep());
  } catch (const std::runtime_error &e) {
    thrown = std::string(e.what()) == "boom";
  }
  check(thrown, "run rethrows the main task's exception");
}

// --- spawned tasks run concurrently ---------------------------------------

aio::task<int> sleepy(int id) {
  co_await aio::sleep_for(100ms);
  co_return id;
}

aio::task<int> two_sleepers() {
  aio::join_handle<int> a = aio::spawn(sleepy(1));
  aio::join_handle<int> b = aio::spawn(sleepy(2));
  int first = co_await a;
  int second = co_await b;
  co_return first * 10 + second;
}

void test_concurrency() {
  steady::time_point start = steady::now();
  int r = aio::run(two_sleepers());
  long long ms = elapsed_ms(start);
  check(r == 12, "spawned tasks return their values");
  check(ms >= 100, "a 100ms sleep lasts at least 100ms");
  check(ms < 180, "two 100ms sleeps run concurrently (< 180ms in total)");
  if (ms >= 180 || ms < 100)
    std::printf("      two sleepers took %lld ms\n", ms);
}

// --- sleep_until with steady and system clock time points -----------------

aio::task<> sleep_until_steady(steady::time_point when) {
  co_await aio::sleep_until(when);
}

aio::task<> sleep_until_system(std::chrono::system_clock::time_point when) {
  co_await aio::sleep_until(when);
}

void test_sleep_until() {
  steady::time_point start = steady::now();
  aio::run(sleep_until_steady(start + 50ms));
  check(steady::now() >= start + 50ms, "sleep_until(steady) waits");
  check(elapsed_ms(start) < 150, "sleep_until(steady) does not oversleep");

  start = steady::now();
  aio::run(sleep_until_system(std::chrono::system_clock::now() + 50ms));
  // The system clock may step; allow a little slack on the lower bound.
  check(elapsed_ms(start) >= 45, "sleep_until(system_clock) waits");
  check(elapsed_ms(start) < 150, "sleep_until(system_clock) does not oversleep");

  start = steady::now();
  aio::run(sleep_until_steady(start - 1s));
  check(elapsed_ms(start) < 50, "sleep_until a past time point returns soon");
}

// --- yield interleaves tasks ----------------------------------------------

aio::task<> take_turns(std::vector<std::string> &log, std::string name) {
  for (int i = 0; i < 3; ++i) {
    log.push_back(name + std::to_string(i));
    co_await aio::yield();
  }
}

aio::task<> interleave(std::vector<std::string> &log) {
  aio::join_handle<void> a = aio::spawn(take_turns(log, "a"));
  aio::join_handle<void> b = aio::spawn(take_turns(log, "b"));
  co_await a;
  co_await b;
}

void test_yield() {
  std::vector<std::string> log;
  aio::run(interleave(log));
  const std::vector<std::string> expected = {"a0", "b0", "a1",
                                             "b1", "a2", "b2"};
  check(log == expected, "yield interleaves two tasks in order");
  if (log != expected) {
    std::printf("      got:");
    for (const std::string &s : log)
      std::printf(" %s", s.c_str());
    std::printf("\n");
  }
}

// --- the event loop -------------------------------------------------------

aio::task<std::string> loop_callbacks() {
  aio::event_loop &loop = aio::get_running_loop();
  std::string order;
  loop.call_later(20ms, [&order] { order += "L"; });
  loop.call_soon([&order] { order += "1"; });
  loop.call_soon([&order] { order += "2"; });
  aio::event_loop::time_point start = loop.time();
  co_await aio::sleep_for(std::chrono::microseconds(30000));
  check(loop.time() - start >= 30ms, "loop.time() advances with the sleep");
  co_return order;
}

void test_event_loop() {
  check(aio::run(loop_callbacks()) == "12L",
        "call_soon runs in FIFO order, call_later after its delay");

  bool threw = false;
  try {
    aio::get_running_loop();
  } catch (const std::runtime_error &) {
    threw = true;
  }
  check(threw, "get_running_loop throws outside a running loop");
}

// --- robustness -----------------------------------------------------------

aio::task<int> count_up(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i)
    total += co_await answer() / 42; // completes synchronously every time
  co_return total;
}

aio::task<int> leave_sleeper_behind() {
  aio::spawn(sleepy(3)); // still asleep when main returns
  co_await aio::sleep_for(std::chrono::seconds(0));
  co_return 7;
}

struct never_resumes {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

aio::task<> wait_forever() { co_await never_resumes{}; }

void test_robustness() {
  check(aio::run(count_up(100000)) == 100000,
        "symmetric transfer: 100000 synchronous awaits in a loop");

  steady::time_point start = steady::now();
  check(aio::run(leave_sleeper_behind()) == 7,
        "run returns while a spawned task still sleeps");
  check(elapsed_ms(start) < 50, "run does not wait for spawned tasks");

  bool threw = false;
  try {
    aio::run(wait_forever());
  } catch (const std::runtime_error &) {
    threw = true;
  }
  check(threw, "run reports a main task that can never wake up");
}

} // namespace

int main() {
  test_run_returns_value();
  test_exceptions_propagate();
  test_concurrency();
  test_sleep_until();
  test_yield();
  test_event_loop();
  test_robustness();
  if (failures != 0) {
    std::printf("aio_smoke: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("aio_smoke: all checks passed\n");
  return 0;
}
