// aio::to_thread and aio::run_in_executor: results (values, references) and
// exceptions, any executor, the callable, the loop running meanwhile and
// waiting for the work at its end, how offloaded work meets cancellation,
// the expressions corolint's fixes produce, and to_thread under load.
#include <aio/current_task.hpp>
#include <aio/offload.hpp>
#include <aio/thread_pool.hpp>
#include <aio/timeout.hpp>
#include <aio/wait.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <unistd.h>

namespace offload_test {
using namespace aio_test;

aio::task<> round_trips() {
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::thread::id worker;
  const int n = co_await aio::to_thread([&] {
    worker = std::this_thread::get_id();
    return 6 * 7;
  });
  EXPECT_EQ(n, 42);
  EXPECT_NE(worker, loop_thread);
  EXPECT_EQ(std::this_thread::get_id(), loop_thread);

  std::unique_ptr<int> p =
      co_await aio::to_thread([] { return std::make_unique<int>(3); });
  EXPECT_EQ(*p, 3);

  std::string target = "x";
  decltype(auto) ref =
      co_await aio::to_thread([&]() -> std::string & { return target; });
  static_assert(std::is_same_v<decltype(ref), std::string &>);
  EXPECT_EQ(&ref, &target);
  decltype(auto) cref = co_await aio::run_in_executor(
      aio::cpu_executor(), [&]() -> const std::string & { return target; });
  static_assert(std::is_same_v<decltype(cref), const std::string &>);
  EXPECT_EQ(&cref, &target);
  std::string moved_from = "rvalue";
  decltype(auto) rref = co_await aio::to_thread(
      [&]() -> std::string && { return std::move(moved_from); });
  static_assert(std::is_same_v<decltype(rref), std::string &&>);
  EXPECT_EQ(&rref, &moved_from);

  EXPECT_THROW(co_await aio::to_thread([]() -> int {
                 throw std::runtime_error("worker");
               }),
               std::runtime_error);
  EXPECT_THROW(co_await aio::run_in_executor(
                   aio::cpu_executor(), [] { throw std::logic_error("cpu"); }),
               std::logic_error);
}

TEST(Offload, ResultsAndExceptionsComeBackOnTheLoopThread) {
  aio::run(round_trips());
}

struct inline_executor {
  int jobs = 0;
  void submit(std::function<void()> job) {
    ++jobs;
    job();
  }
};

struct refusing_executor {
  void submit(std::function<void()>) { throw std::runtime_error("refused"); }
};

aio::task<> custom_executors() {
  inline_executor now;
  EXPECT_EQ(co_await aio::run_in_executor(now, [] { return 5; }), 5);
  EXPECT_EQ(now.jobs, 1);
  refusing_executor no;
  EXPECT_THROW(co_await aio::run_in_executor(no, [] { return 1; }),
               std::runtime_error);
  co_await aio::sleep_for(1ms); // the refused work is not waited for
}

TEST(Offload, RunInExecutorUsesAnyExecutor) { aio::run(custom_executors()); }

TEST(Offload, CreatingTheAwaitableStartsNothing) {
  inline_executor now;
  bool ran = false;
  {
    auto awaitable = aio::run_in_executor(now, [&ran] { ran = true; });
    auto offloaded = aio::to_thread([] {}); // outside a loop, too
    (void)awaitable;
    (void)offloaded;
  }
  EXPECT_EQ(now.jobs, 0);
  EXPECT_FALSE(ran);
}

aio::task<> lvalue_callable() {
  int calls = 0;
  auto counted = [&calls, tag = std::string("kept")] {
    ++calls;
    return tag;
  };
  EXPECT_EQ(co_await aio::to_thread(counted), "kept");
  EXPECT_EQ(co_await aio::to_thread(counted), "kept");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(counted(), "kept"); // copied, not moved from
  EXPECT_EQ(calls, 3);
}

TEST(Offload, AnLvalueCallableIsCopiedAndRunsOncePerAwait) {
  aio::run(lvalue_callable());
}

aio::task<> heartbeat(int *beats, const bool *stop) {
  while (!*stop) {
    ++*beats;
    co_await aio::sleep_for(5ms);
  }
}

aio::task<int> loop_keeps_running() {
  int beats = 0;
  bool stop = false;
  aio::join_handle<void> beat = aio::spawn(heartbeat(&beats, &stop));
  co_await aio::to_thread([] { std::this_thread::sleep_for(60ms); });
  stop = true;
  co_await beat;
  co_return beats;
}

TEST(Offload, TheLoopKeepsRunningTasksMeanwhile) {
  EXPECT_GE(aio::run(loop_keeps_running()), 4);
}

aio::task<std::thread::id> offloaded_sleep() {
  std::thread::id worker;
  co_await aio::to_thread([&] {
    worker = std::this_thread::get_id();
    std::this_thread::sleep_for(100ms);
  });
  co_return worker;
}

aio::task<> two_offloaded_sleeps() {
  // Start the pool's threads first: what is timed is the overlap, not the
  // one-time start of its threads (slow under ThreadSanitizer).
  aio::io_executor();
  const steady::time_point start = steady::now();
  aio::join_handle<std::thread::id> a = aio::spawn(offloaded_sleep());
  aio::join_handle<std::thread::id> b = aio::spawn(offloaded_sleep());
  const std::thread::id worker_a = co_await a;
  const std::thread::id worker_b = co_await b;
  const long long ms = ms_since(start);
  EXPECT_NE(worker_a, worker_b);
  EXPECT_GE(ms, 100);
  EXPECT_LT(ms, 180); // the two sleeps overlap
}

TEST(Offload, ConcurrentCallsRunOnTwoPoolThreadsAtOnce) {
  aio::run(two_offloaded_sleeps());
}

aio::task<> write_into_frame(std::atomic<int> *wrote, bool *resumed) {
  int local = 0;
  co_await aio::to_thread([&] {
    std::this_thread::sleep_for(40ms);
    local = 1; // the frame must still exist
    wrote->store(local);
  });
  *resumed = true;
}

aio::task<int> abandon_offload(std::atomic<int> *wrote, bool *resumed) {
  aio::spawn(write_into_frame(wrote, resumed));
  co_await aio::yield();
  co_return 3;
}

TEST(Offload, DestroyingTheLoopWaitsForOffloadedWork) {
  std::atomic<int> wrote{0};
  bool resumed = false;
  EXPECT_EQ(aio::run(abandon_offload(&wrote, &resumed)), 3);
  EXPECT_EQ(wrote.load(), 1);
  EXPECT_FALSE(resumed); // the task is destroyed, not resumed
}

aio::task<int> cancelled_offload(std::atomic<int> *finished) {
  co_return co_await aio::to_thread([finished] {
    std::this_thread::sleep_for(30ms);
    finished->fetch_add(1);
    return 1;
  });
}

aio::task<> cancel_many_offloads() {
  std::atomic<int> finished{0};
  std::vector<aio::join_handle<int>> hs;
  for (int i = 0; i < 8; ++i)
    hs.push_back(aio::spawn(cancelled_offload(&finished)));
  co_await aio::sleep_for(5ms);
  for (aio::join_handle<int> &h : hs)
    h.cancel();
  for (aio::join_handle<int> &h : hs)
    EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_EQ(finished.load(), 8); // every one ran to the end first
}

TEST(Offload, CancelledWorkRunsToTheEndAndItsResultIsDiscarded) {
  aio::run(cancel_many_offloads());
}

// The expressions corolint's fixes wrap blocking calls in. Opening and
// removing the scratch file happens outside the coroutine, which makes no
// blocking call of its own.
int hash(const std::string &pw) {
  unsigned h = 7;
  for (char c : pw)
    h = h * 31 + static_cast<unsigned char>(c);
  return static_cast<int>(h & 0x7fffffff);
}

aio::task<> fixed_calls(std::FILE *f, std::istream &in,
                        const std::filesystem::path &file) {
  char b[5] = {};
  std::size_t k = 4;
  auto n = co_await aio::to_thread([&] { return fread(b, 1, k, f); });
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(std::string(b), "firs");
  int fd = fileno(f);
  co_await aio::to_thread([&] { return fsync(fd); }); // the int is discarded

  const steady::time_point start = steady::now();
  co_await aio::to_thread(
      [&] { return std::this_thread::sleep_for(10ms); }); // a void expression
  EXPECT_GE(ms_since(start), 10);

  std::string storage;
  std::string &line = storage;
  decltype(auto) r = co_await aio::to_thread(
      [&]() -> decltype(auto) { return std::getline(in, line); });
  static_assert(std::is_same_v<decltype(r), std::istream &>);
  EXPECT_EQ(&r, &in);
  EXPECT_EQ(line, "first line");

  const std::filesystem::path &p = file;
  bool existed = false;
  if (co_await aio::to_thread([&] { return std::filesystem::exists(p); }))
    existed = true;
  EXPECT_TRUE(existed);

  std::vector<int> squares(1000);
  co_await aio::run_in_executor(aio::cpu_executor(), [&] {
    for (std::size_t i = 0; i < squares.size(); ++i)
      squares[i] = static_cast<int>(i * i);
  });
  EXPECT_EQ(squares[999], 999 * 999);

  std::string pw = "hunter2";
  int h = co_await aio::run_in_executor(aio::cpu_executor(),
                                        [&] { return hash(pw); });
  EXPECT_EQ(h, hash(pw));
}

TEST(Offload, TheExpressionsOfCorolintsFixesRun) {
  const std::filesystem::path file =
      testing::TempDir() + "aio_offload_test_fixes.txt";
  {
    std::ofstream out(file);
    out << "first line\nsecond line\n";
  }
  std::FILE *f = std::fopen(file.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::ifstream in(file);
  aio::run(fixed_calls(f, in, file));
  std::fclose(f);
  std::filesystem::remove(file);
}

aio::task<> offload_cancelled_midway(std::atomic<bool> *work_done,
                                     bool *saw_done_at_cancel) {
  try {
    co_await aio::to_thread([work_done] {
      std::this_thread::sleep_for(60ms);
      work_done->store(true);
      return 1;
    });
  } catch (const aio::cancelled_error &) {
    *saw_done_at_cancel = work_done->load();
    throw;
  }
}

aio::task<> cancel_during_to_thread() {
  std::atomic<bool> work_done{false};
  bool saw_done_at_cancel = false;
  aio::join_handle<void> h =
      aio::spawn(offload_cancelled_midway(&work_done, &saw_done_at_cancel));
  co_await aio::sleep_for(10ms);
  const steady::time_point start = steady::now();
  EXPECT_TRUE(h.cancel());
  EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_GE(ms_since(start), 30); // waited for the work to return
  EXPECT_TRUE(saw_done_at_cancel);
  EXPECT_TRUE(h.cancelled());
}

TEST(Cancellation, OfToThreadIsHonouredWhenTheWorkReturns) {
  aio::run(cancel_during_to_thread());
}

aio::task<int> offload_after_self_cancel(std::atomic<bool> *ran) {
  aio::task_handle self = co_await aio::current_task();
  self.cancel();
  try {
    co_await aio::to_thread([ran] { ran->store(true); });
  } catch (const aio::cancelled_error &) {
    co_return 1;
  }
  co_return 0;
}

TEST(Cancellation, PendingBeforeToThreadKeepsTheWorkFromStarting) {
  std::atomic<bool> ran{false};
  EXPECT_EQ(aio::run(offload_after_self_cancel(&ran)), 1);
  EXPECT_FALSE(ran.load());
}

// Stress: to_thread under load.

struct offload_counters {
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  int raised_while_running = 0; // loop thread only
};

struct job_result {
  int value = 0;
  bool timed_out = false;
};

// What one offloaded call has got to, written by the worker.
struct job_progress {
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
};

aio::task<job_result> offloader(int i, offload_counters *c) {
  job_result r;
  auto progress = std::make_shared<job_progress>();
  try {
    for (int k = 0; k < 4; ++k) {
      progress = std::make_shared<job_progress>();
      // Named: GCC 12 destroys a lambda with non-trivial captures twice
      // when it is created in the co_await expression (docs/runtime.md).
      auto job = [c, i, k, progress] {
        progress->started.store(true);
        c->started.fetch_add(1);
        if ((i + k) % 3 == 0)
          std::this_thread::sleep_for(std::chrono::microseconds(300));
        c->finished.fetch_add(1);
        progress->done.store(true);
        return i + k;
      };
      r.value += co_await aio::to_thread(std::move(job));
    }
  } catch (const aio::cancelled_error &) {
    // Raised before the work was submitted, or after it returned.
    if (progress->started.load() && !progress->done.load())
      ++c->raised_while_running;
    throw;
  }
  co_return r;
}

aio::task<job_result> offloader_with_timeout(int i, offload_counters *c) {
  try {
    co_return co_await aio::wait_for(offloader(i, c), 2ms);
  } catch (const aio::timeout_error &) {
    job_result r;
    r.timed_out = true;
    co_return r;
  }
}

aio::task<> to_thread_under_load(int n) {
  offload_counters counters;
  xorshift rng(5);
  aio::event_loop &loop = aio::get_running_loop();
  std::vector<aio::join_handle<job_result>> hs;
  for (int i = 0; i < n; ++i) {
    if (i % 7 == 0)
      hs.push_back(aio::spawn(offloader_with_timeout(i, &counters)));
    else
      hs.push_back(aio::spawn(offloader(i, &counters)));
    if (rng.below(5) == 0) {
      aio::task_handle h = hs.back();
      loop.call_later(std::chrono::microseconds(rng.below(5000)),
                      [h]() mutable { h.cancel(); });
    }
  }
  bool stop = false;
  int beats = 0;
  aio::join_handle<void> beat =
      aio::spawn([](bool *stop, int *beats) -> aio::task<> {
        while (!*stop) {
          ++*beats;
          co_await aio::sleep_for(1ms);
        }
      }(&stop, &beats));
  co_await aio::wait(hs);
  stop = true;
  co_await beat;
  co_await aio::sleep_for(10ms); // the remaining cancel callbacks are no-ops
  int ok = 0, cancelled = 0, timed_out = 0, bad = 0;
  for (int i = 0; i < n; ++i) {
    aio::join_handle<job_result> &h = hs[static_cast<std::size_t>(i)];
    if (h.cancelled()) {
      ++cancelled;
      EXPECT_THROW(h.result(), aio::cancelled_error);
      continue;
    }
    job_result r = h.result();
    if (r.timed_out) {
      ++timed_out;
    } else if (r.value == 4 * i + 6) {
      ++ok;
    } else {
      ++bad;
    }
  }
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(ok + cancelled + timed_out, n);
  EXPECT_GT(ok, 0);
  EXPECT_GT(cancelled, 0);
  // Every job that started ran to its end before its task went on.
  EXPECT_EQ(counters.started.load(), counters.finished.load());
  EXPECT_EQ(counters.raised_while_running, 0);
  EXPECT_GT(beats, 0);
}

aio::task<bool> raised_only_after_work(offload_counters *c) {
  aio::join_handle<job_result> h = aio::spawn(offloader(1, c));
  co_await aio::yield();
  co_await aio::yield();
  h.cancel();
  try {
    co_await h;
  } catch (const aio::cancelled_error &) {
  }
  co_return h.cancelled();
}

TEST(Stress, ToThreadUnderLoad) {
  aio::run(to_thread_under_load(1500));
  offload_counters c;
  EXPECT_TRUE(aio::run(raised_only_after_work(&c)));
  EXPECT_EQ(c.started.load(), c.finished.load());
  EXPECT_EQ(c.raised_while_running, 0);
}

} // namespace offload_test
