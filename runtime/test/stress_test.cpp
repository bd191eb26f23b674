// Stress: many sleeping tasks, cancellations racing completions, nested
// timeouts under load, and offloading under load.
#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stress_test {
using namespace aio_test;

// --- 100k concurrent sleepers ---------------------------------------------

struct sleep_stats {
  int asleep = 0;
  int peak = 0;
  int woke = 0;
};

aio::task<> sleeper(int ms, sleep_stats *stats) {
  stats->peak = std::max(stats->peak, ++stats->asleep);
  co_await aio::sleep_for(std::chrono::milliseconds(ms));
  --stats->asleep;
  ++stats->woke;
}

aio::task<> many_sleepers(int n, sleep_stats *stats) {
  xorshift rng(42);
  std::vector<aio::join_handle<void>> hs;
  hs.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    hs.push_back(aio::spawn(sleeper(1 + rng.below(50), stats)));
  for (aio::join_handle<void> &h : hs)
    co_await h;
}

TEST(Stress, HundredThousandConcurrentSleepingTasks) {
  constexpr int n = 100000;
  sleep_stats stats;
  const steady::time_point start = steady::now();
  aio::run(many_sleepers(n, &stats));
  EXPECT_EQ(stats.woke, n);
  EXPECT_EQ(stats.peak, n); // all asleep at once
  EXPECT_LT(ms_since(start), 30000);
}

aio::task<std::size_t> gather_sleepers(int n, sleep_stats *stats) {
  std::vector<aio::task<>> tasks;
  tasks.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    tasks.push_back(sleeper(1 + i % 20, stats));
  co_return (co_await aio::gather(std::move(tasks))).size();
}

TEST(Stress, GatherOfHundredThousandTasks) {
  constexpr int n = 100000;
  sleep_stats stats;
  EXPECT_EQ(aio::run(gather_sleepers(n, &stats)), static_cast<std::size_t>(n));
  EXPECT_EQ(stats.peak, n);
}

// --- 10k cancellations racing completions ---------------------------------

aio::task<int> child_sleep(int ms, int value) {
  co_await aio::sleep_for(std::chrono::milliseconds(ms));
  co_return value;
}

// Schedules a cancel() of the calling task delay_us from now; records in
// accepted[i] whether it was accepted (the task was not done yet).
struct race_plan {
  int i;
  int delay_us;
  bool twice;
  std::shared_ptr<std::vector<char>> accepted;
};

aio::task<> schedule_cancel(const race_plan &plan) {
  aio::task_handle self = co_await aio::current_task();
  aio::get_running_loop().call_later(
      std::chrono::microseconds(plan.delay_us),
      [self, i = plan.i, twice = plan.twice,
       accepted = plan.accepted]() mutable {
        (*accepted)[static_cast<std::size_t>(i)] = self.cancel();
        if (twice)
          self.cancel();
      });
}

// Each racer has its cancel scheduled when it starts, so that the race
// between its work (0-3 ms) and the cancel (0-4 ms) is the same however
// fast the build is. kind 0: sleeps; 1: awaits a spawned child; 2: yields;
// 3: swallows the cancellation once and returns -i; 4: nested coroutine
// sleeping.
aio::task<int> racer(int kind, int ms, race_plan plan) {
  const int i = plan.i;
  co_await schedule_cancel(plan);
  switch (kind) {
  case 0:
    co_await aio::sleep_for(std::chrono::milliseconds(ms));
    co_return i;
  case 1:
    co_return co_await aio::spawn(child_sleep(ms, i));
  case 2:
    for (int k = 0; k < ms * 3; ++k)
      co_await aio::yield();
    co_return i;
  case 3:
    try {
      co_await aio::sleep_for(std::chrono::milliseconds(ms));
    } catch (const aio::cancelled_error &) {
      co_return -i;
    }
    co_return i;
  default:
    co_return co_await child_sleep(ms, i);
  }
}

struct race_totals {
  int cancelled = 0;
  int completed = 0;
  int swallowed = 0;
  int late_cancel = 0; // cancel() came after the task finished
  int violations = 0;
};

aio::task<> cancellation_race(int n, race_totals *totals) {
  xorshift rng(7);
  std::vector<aio::join_handle<int>> hs;
  std::vector<int> kinds;
  auto accepted = std::make_shared<std::vector<char>>(n, 0);
  for (int i = 0; i < n; ++i) {
    const int kind = rng.below(5);
    kinds.push_back(kind);
    const int ms = rng.below(4);
    race_plan plan{i, rng.below(4000), rng.below(10) == 0, accepted};
    hs.push_back(aio::spawn(racer(kind, ms, std::move(plan))));
  }
  // A tenth are cancelled before they start.
  for (int i = 0; i < n; i += 10)
    (*accepted)[static_cast<std::size_t>(i)] =
        hs[static_cast<std::size_t>(i)].cancel();
  aio::wait_result<aio::join_handle<int>> all = co_await aio::wait(hs);
  EXPECT_EQ(all.done.size(), static_cast<std::size_t>(n));
  co_await aio::sleep_for(5ms); // every cancel() callback has run
  for (int i = 0; i < n; ++i) {
    aio::join_handle<int> &h = hs[static_cast<std::size_t>(i)];
    const bool was_accepted = (*accepted)[static_cast<std::size_t>(i)] != 0;
    if (!h.done()) {
      ++totals->violations;
      continue;
    }
    if (h.cancelled()) {
      ++totals->cancelled;
      if (!was_accepted)
        ++totals->violations; // cancelled without an accepted request
      EXPECT_THROW(h.result(), aio::cancelled_error);
      continue;
    }
    const int v = h.result();
    if (v == -i && kinds[static_cast<std::size_t>(i)] == 3 && i != 0) {
      ++totals->swallowed;
      if (!was_accepted)
        ++totals->violations;
    } else if (v == i) {
      ++totals->completed;
      if (was_accepted)
        ++totals->violations; // accepted, yet it neither raised nor swallowed
      else
        ++totals->late_cancel;
    } else {
      ++totals->violations;
    }
  }
}

TEST(Stress, TenThousandCancellationsRacingCompletions) {
  constexpr int n = 10000;
  race_totals t;
  aio::run(cancellation_race(n, &t));
  EXPECT_EQ(t.violations, 0);
  EXPECT_EQ(t.cancelled + t.completed + t.swallowed, n);
  // Both sides of the race happened often.
  EXPECT_GT(t.cancelled, n / 10);
  EXPECT_GT(t.completed, n / 20);
  EXPECT_GT(t.swallowed, 0);
  RecordProperty("cancelled", t.cancelled);
  RecordProperty("completed", t.completed);
}

// --- timeouts nested three deep, under load --------------------------------

aio::task<int> work(int ms) {
  co_await aio::sleep_for(std::chrono::milliseconds(ms));
  co_return ms;
}

aio::task<int> level3(int w, int d3) {
  co_return co_await aio::wait_for(work(w), std::chrono::milliseconds(d3));
}
aio::task<int> level2(int w, int d2, int d3) {
  co_return co_await aio::wait_for(level3(w, d3), std::chrono::milliseconds(d2));
}

enum class ending { value, timeout, cancelled, other };

struct nested_outcome {
  ending how = ending::other;
  std::size_t cancelling_after = 99;
};

aio::task<nested_outcome> level1(int w, int d1, int d2, int d3) {
  nested_outcome r;
  try {
    co_await aio::wait_for(level2(w, d2, d3), std::chrono::milliseconds(d1));
    r.how = ending::value;
  } catch (const aio::timeout_error &) {
    r.how = ending::timeout;
  }
  r.cancelling_after = (co_await aio::current_task()).cancelling();
  co_return r;
}

aio::task<> nested_timeouts_under_load(int n) {
  xorshift rng(99);
  aio::event_loop &loop = aio::get_running_loop();
  std::vector<aio::join_handle<nested_outcome>> hs;
  std::vector<int> fast;
  std::vector<char> cancel_accepted(static_cast<std::size_t>(n), 0);
  std::vector<char> *accepted = &cancel_accepted;
  for (int i = 0; i < n; ++i) {
    const bool quick = rng.below(2) == 0;
    fast.push_back(quick);
    const int w = quick ? 1 : 400;
    hs.push_back(aio::spawn(level1(w, 60 + rng.below(100), 60 + rng.below(100),
                                   60 + rng.below(100))));
    if (rng.below(10) == 0) { // an outer cancel at a random moment
      aio::task_handle h = hs.back();
      loop.call_later(std::chrono::milliseconds(rng.below(200)),
                      [h, i, accepted]() mutable {
                        (*accepted)[static_cast<std::size_t>(i)] = h.cancel();
                      });
    }
  }
  // Load: tasks yielding all along.
  bool stop = false;
  std::vector<aio::join_handle<void>> noise;
  for (int i = 0; i < 50; ++i)
    noise.push_back(aio::spawn([](const bool *stop) -> aio::task<> {
      while (!*stop)
        co_await aio::yield();
    }(&stop)));
  co_await aio::wait(hs);
  stop = true;
  for (aio::join_handle<void> &h : noise)
    co_await h;
  co_await aio::sleep_for(210ms); // every cancel callback has run
  int values = 0, timeouts = 0, cancels = 0, bad = 0;
  for (int i = 0; i < n; ++i) {
    aio::join_handle<nested_outcome> &h = hs[static_cast<std::size_t>(i)];
    if (h.cancelled()) {
      ++cancels;
      if (!cancel_accepted[static_cast<std::size_t>(i)])
        ++bad;
      EXPECT_THROW(h.result(), aio::cancelled_error);
      continue;
    }
    if (cancel_accepted[static_cast<std::size_t>(i)])
      ++bad; // an outer cancel must come out as cancelled_error
    nested_outcome r = h.result();
    if (r.cancelling_after != 0)
      ++bad;
    if (r.how == ending::value) {
      ++values;
      if (!fast[static_cast<std::size_t>(i)])
        ++bad;
    } else if (r.how == ending::timeout) {
      ++timeouts;
      if (fast[static_cast<std::size_t>(i)])
        ++bad;
    } else {
      ++bad;
    }
  }
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(values + timeouts + cancels, n);
  EXPECT_GT(values, n / 4);
  EXPECT_GT(timeouts, n / 4);
  EXPECT_GT(cancels, 0);
}

TEST(Stress, TimeoutsNestedThreeDeepUnderLoad) {
  aio::run(nested_timeouts_under_load(2000));
}

// --- to_thread under load --------------------------------------------------

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

} // namespace stress_test
