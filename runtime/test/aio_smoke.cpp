// Smoke test of the aio runtime: a plain program that prints every failed
// check and exits non-zero if there was one.
#include <aio/aio.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
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

// --- call_soon_threadsafe wakes a waiting loop ----------------------------

// Hands the awaiting coroutine to a thread, which resumes it on the loop
// through call_soon_threadsafe after a delay.
struct resumed_by_thread {
  std::thread &thread;
  std::thread::id &resumed_on;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> caller) const {
    aio::event_loop *loop = &aio::get_running_loop();
    thread = std::thread([loop, caller] {
      std::this_thread::sleep_for(20ms);
      loop->call_soon_threadsafe([caller] { caller.resume(); });
    });
  }
  void await_resume() const { resumed_on = std::this_thread::get_id(); }
};

aio::task<long long> woken_by_thread(std::thread &thread,
                                     std::thread::id &resumed_on) {
  // The loop has a timer 10 s away and nothing else: it must be woken.
  aio::get_running_loop().call_later(10s, [] {});
  steady::time_point start = steady::now();
  co_await resumed_by_thread{thread, resumed_on};
  co_return elapsed_ms(start);
}

void test_call_soon_threadsafe() {
  std::thread thread;
  std::thread::id resumed_on;
  long long ms = aio::run(woken_by_thread(thread, resumed_on));
  thread.join();
  check(ms >= 20 && ms < 1000,
        "call_soon_threadsafe wakes a loop waiting for a timer");
  check(resumed_on == std::this_thread::get_id(),
        "a callback posted from another thread runs on the loop's thread");
  if (ms < 20 || ms >= 1000)
    std::printf("      woken after %lld ms\n", ms);
}

// --- to_thread keeps the loop running -------------------------------------

aio::task<std::thread::id> offloaded_sleep() {
  std::thread::id worker;
  co_await aio::to_thread([&] {
    worker = std::this_thread::get_id();
    std::this_thread::sleep_for(100ms);
  });
  check(std::this_thread::get_id() != worker,
        "to_thread resumes on the loop's thread, not the worker's");
  co_return worker;
}

aio::task<> heartbeat(int &beats, const bool &stop) {
  while (!stop) {
    ++beats;
    co_await aio::sleep_for(10ms);
  }
}

struct offload_timing {
  long long ms;
  int beats;
  bool distinct_workers;
};

aio::task<offload_timing> two_offloaded_sleeps() {
  int beats = 0;
  bool stop = false;
  aio::join_handle<void> beat = aio::spawn(heartbeat(beats, stop));
  // Start the pool's threads first: what is timed is the overlap, not the
  // one-time start of 8 threads (slow under ThreadSanitizer).
  aio::io_executor();
  steady::time_point start = steady::now();
  aio::join_handle<std::thread::id> a = aio::spawn(offloaded_sleep());
  aio::join_handle<std::thread::id> b = aio::spawn(offloaded_sleep());
  std::thread::id worker_a = co_await a;
  std::thread::id worker_b = co_await b;
  long long ms = elapsed_ms(start);
  stop = true;
  co_await beat;
  co_return offload_timing{ms, beats, worker_a != worker_b};
}

void test_to_thread_concurrency() {
  offload_timing t = aio::run(two_offloaded_sleeps());
  check(t.ms >= 100, "an offloaded 100ms sleep lasts at least 100ms");
  check(t.ms < 180, "two offloaded 100ms sleeps overlap (< 180ms in total)");
  check(t.distinct_workers, "the two sleeps ran on two pool threads");
  // 100ms of 10ms beats; the first one runs before the sleeps start.
  check(t.beats >= 5, "the loop keeps running tasks while work is offloaded");
  std::printf("      two offloaded 100ms sleeps: %lld ms, %d heartbeats\n",
              t.ms, t.beats);
}

// --- results round-trip ----------------------------------------------------

struct thrown_by_worker : std::runtime_error {
  using std::runtime_error::runtime_error;
};

aio::task<> round_trips() {
  int n = co_await aio::to_thread([] { return 6 * 7; });
  check(n == 42, "to_thread returns a value");

  std::unique_ptr<std::string> p = co_await aio::to_thread(
      [] { return std::make_unique<std::string>("moved"); });
  check(p && *p == "moved", "to_thread returns a move-only value");

  bool ran = false;
  co_await aio::to_thread([&] { ran = true; });
  check(ran, "to_thread runs a void callable");

  std::string target = "x";
  decltype(auto) ref =
      co_await aio::to_thread([&]() -> std::string & { return target; });
  static_assert(std::is_same_v<decltype(ref), std::string &>);
  check(&ref == &target, "a reference result refers to the same object");
  ref += "y";
  check(target == "xy", "writing through a reference result");

  decltype(auto) cref = co_await aio::run_in_executor(
      aio::cpu_executor(), [&]() -> const std::string & { return target; });
  static_assert(std::is_same_v<decltype(cref), const std::string &>);
  check(&cref == &target, "a const reference result keeps identity");

  std::string moved_from = "rvalue";
  decltype(auto) rref = co_await aio::to_thread(
      [&]() -> std::string && { return std::move(moved_from); });
  static_assert(std::is_same_v<decltype(rref), std::string &&>);
  check(&rref == &moved_from, "an rvalue reference result keeps identity");

  std::string what;
  try {
    co_await aio::to_thread([]() -> int { throw thrown_by_worker("offload"); });
  } catch (const thrown_by_worker &e) {
    what = e.what();
  }
  check(what == "offload", "an exception thrown by the callable reaches the "
                           "awaiter with its type");

  what.clear();
  try {
    co_await aio::run_in_executor(
        aio::cpu_executor(), [] { throw std::logic_error("void offload"); });
  } catch (const std::logic_error &e) {
    what = e.what();
  }
  check(what == "void offload", "an exception of a void callable propagates");

  // An lvalue callable is copied; the original stays usable.
  int calls = 0;
  auto counted = [&calls] { return ++calls; };
  int first = co_await aio::to_thread(counted);
  int second = co_await aio::to_thread(counted);
  check(first == 1 && second == 2 && counted() == 3,
        "an lvalue callable is copied and runs once per await");
}

aio::task<long long> offload_value(int i) {
  co_return co_await aio::to_thread([i] { return static_cast<long long>(i); });
}

// Many small offloads at once: the loop's queue of posted callbacks is
// contended by all pool threads.
aio::task<long long> many_offloads(int count) {
  std::vector<aio::join_handle<long long>> handles;
  for (int i = 0; i < count; ++i)
    handles.push_back(aio::spawn(offload_value(i)));
  long long sum = 0;
  for (aio::join_handle<long long> &h : handles)
    sum += co_await h;
  co_return sum;
}

void test_round_trips() {
  aio::run(round_trips());
  check(aio::run(many_offloads(2000)) == 2000LL * 1999 / 2,
        "2000 concurrent offloads all come back");
}

// --- the expressions corolint's fix-its produce ---------------------------

int hash(const std::string &pw) {
  unsigned h = 7;
  for (char c : pw)
    h = h * 31 + static_cast<unsigned char>(c);
  return static_cast<int>(h & 0x7fffffff);
}

// Opening and removing the scratch file happens outside the coroutine: the
// coroutine itself is held to corolint's checks and makes no blocking call.
aio::task<> fixit_shapes(std::FILE *f, std::istream &in,
                         const std::filesystem::path &file) {
  using namespace std::chrono_literals;
  char b[5] = {};
  std::size_t k = 4;
  auto n = co_await aio::to_thread([&] { return fread(b, 1, k, f); });
  check(n == 4 && std::string(b) == "firs", "fread through to_thread");
  int fd = fileno(f);
  co_await aio::to_thread([&] { return fsync(fd); }); // int discarded

  steady::time_point start = steady::now();
  co_await aio::to_thread(
      [&] { return std::this_thread::sleep_for(10ms); }); // return void-expr
  check(elapsed_ms(start) >= 10, "a `return void-expr;` lambda runs");

  std::string storage;
  std::string &line = storage;
  decltype(auto) r = co_await aio::to_thread(
      [&]() -> decltype(auto) { return std::getline(in, line); });
  static_assert(std::is_same_v<decltype(r), std::istream &>);
  check(&r == &in && line == "first line",
        "getline through to_thread returns the same stream");

  const std::filesystem::path &p = file;
  bool existed = false;
  if (co_await aio::to_thread([&] { return std::filesystem::exists(p); }))
    existed = true;
  check(existed, "to_thread in a condition");

  std::vector<int> squares(1000);
  co_await aio::run_in_executor(aio::cpu_executor(), [&] {
    for (std::size_t i = 0; i < squares.size(); ++i)
      squares[i] = static_cast<int>(i * i);
  });
  check(squares[999] == 999 * 999, "CPU work on cpu_executor, void");

  std::string pw = "hunter2";
  int h = co_await aio::run_in_executor(aio::cpu_executor(),
                                        [&] { return hash(pw); });
  check(h == hash(pw), "CPU work on cpu_executor returns its value");
}

void test_fixit_shapes() {
  std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("aio_smoke_offload." + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(file);
    out << "first line\nsecond line\n";
  }
  std::FILE *f = std::fopen(file.c_str(), "rb");
  check(f != nullptr, "fopen the scratch file");
  if (f != nullptr) {
    std::ifstream in(file);
    aio::run(fixit_shapes(f, in, file));
    std::fclose(f);
  }
  std::filesystem::remove(file);
}

// --- executors ------------------------------------------------------------

// Runs every job at once on the submitting thread (here the loop's).
struct inline_executor {
  int jobs = 0;
  void submit(std::function<void()> job) {
    ++jobs;
    job();
  }
};

// Refuses every job.
struct refusing_executor {
  void submit(std::function<void()>) { throw std::runtime_error("refused"); }
};

aio::task<> custom_executors() {
  inline_executor now;
  int v = co_await aio::run_in_executor(now, [] { return 5; });
  check(v == 5 && now.jobs == 1, "run_in_executor with an inline executor");

  refusing_executor no;
  bool refused = false;
  try {
    co_await aio::run_in_executor(no, [] { return 1; });
  } catch (const std::runtime_error &) {
    refused = true;
  }
  check(refused, "an executor's submit error reaches the awaiter");
  // The refused work must not be counted: this sleep would otherwise be
  // followed by a wait for work that never comes.
  co_await aio::sleep_for(1ms);
}

void test_executors() {
  aio::run(custom_executors());

  std::atomic<int> done{0};
  {
    aio::thread_pool pool(2);
    check(pool.size() == 2, "thread_pool::size");
    for (int i = 0; i < 100; ++i)
      pool.submit([&done] {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        done.fetch_add(1, std::memory_order_relaxed);
      });
  } // the destructor runs the queued jobs, then joins
  check(done.load() == 100, "a thread_pool runs every queued job before "
                            "its destructor returns");

  bool threw = false;
  try {
    aio::thread_pool empty(0);
  } catch (const std::invalid_argument &) {
    threw = true;
  }
  check(threw, "a thread_pool of 0 threads is refused");

  check(aio::cpu_executor().size() >= 1, "cpu_executor has a thread");
  check(&aio::io_executor() == &aio::io_executor(),
        "io_executor is one process-wide pool");

  threw = false;
  try {
    auto awaitable = aio::to_thread([] {});
    (void)awaitable;
  } catch (...) {
    threw = true;
  }
  check(!threw, "creating an offload awaitable does not start the work");
}

// --- offloaded work outlives its task -------------------------------------

aio::task<> offload_into_frame(bool &resumed, std::atomic<int> &wrote) {
  int local = 0; // in this coroutine's frame
  co_await aio::to_thread([&] {
    std::this_thread::sleep_for(50ms);
    local = 1; // the frame must still exist
    wrote.store(local);
  });
  resumed = true;
}

aio::task<int> abandon_offload(bool &resumed, std::atomic<int> &wrote) {
  aio::spawn(offload_into_frame(resumed, wrote));
  co_await aio::yield(); // let it submit its work
  co_return 3;
}

aio::task<> no_timers_but_offloaded() {
  // Nothing but offloaded work keeps the loop busy here.
  co_await aio::to_thread([] { std::this_thread::sleep_for(20ms); });
}

void test_offload_shutdown() {
  bool resumed = false;
  std::atomic<int> wrote{0};
  steady::time_point start = steady::now();
  check(aio::run(abandon_offload(resumed, wrote)) == 3,
        "run returns while a spawned task's work is offloaded");
  check(wrote.load() == 1 && elapsed_ms(start) >= 50,
        "destroying the loop waits for offloaded work");
  check(!resumed, "the abandoned task is destroyed, not resumed");

  bool threw = false;
  try {
    aio::run(no_timers_but_offloaded());
  } catch (const std::runtime_error &) {
    threw = true;
  }
  check(!threw, "a loop waiting only for offloaded work does not give up");
}

// --- at exit, the process-wide pools are joined ---------------------------

#ifdef __linux__
int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key)
    if (key == "Threads:") {
      int n = 0;
      status >> n;
      return n;
    }
  return -1;
}

int threads_at_start = -1;

// Registered before the pools exist, so it runs after they are destroyed.
void check_pools_joined() {
  int now = thread_count();
  if (now != threads_at_start) {
    std::fprintf(stderr, "aio_smoke: FAIL: %d thread(s) at exit, %d at start\n",
                 now, threads_at_start);
    std::fflush(stdout);
    std::_Exit(1);
  }
}
#endif

} // namespace

int main() {
#ifdef __linux__
  // ThreadSanitizer starts a thread of its own along with the first one the
  // program creates; start and join one so that the baseline includes it.
  std::thread([] {}).join();
  threads_at_start = thread_count();
  std::atexit(check_pools_joined);
#endif
  test_run_returns_value();
  test_exceptions_propagate();
  test_concurrency();
  test_sleep_until();
  test_yield();
  test_event_loop();
  test_robustness();
  test_call_soon_threadsafe();
  test_to_thread_concurrency();
  test_round_trips();
  test_fixit_shapes();
  test_executors();
  test_offload_shutdown();
  if (failures != 0) {
    std::printf("aio_smoke: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("aio_smoke: all checks passed\n");
  return 0;
}
