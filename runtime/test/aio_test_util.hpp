// Helpers shared by the aio GoogleTest suite (runtime/test/*_test.cpp,
// one file per public header, named after it). Every test file keeps its
// own helpers in a namespace of its own, so the files can also be compiled
// as one translation unit (aio_tests_all.cpp).
//
// This header brings what nearly every test drives its subject with (run,
// spawn, tasks, sleeps, the exceptions, the loop); a test file includes the
// header it tests and any other its tests use, never aio/aio.hpp.
#ifndef AIO_TEST_UTIL_HPP
#define AIO_TEST_UTIL_HPP

#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/spawn.hpp>
#include <aio/task.hpp>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <string>

namespace aio_test {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

inline long long ms_since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() -
                                                               start)
      .count();
}

// Returns value after sleeping for d.
template <class T> aio::task<T> after(std::chrono::milliseconds d, T value) {
  co_await aio::sleep_for(d);
  co_return value;
}

inline aio::task<> set_flag_task(bool *flag) {
  *flag = true;
  co_return;
}

inline aio::task<> nap(std::chrono::milliseconds d) {
  co_await aio::sleep_for(d);
}

inline aio::task<std::string> text_after(std::chrono::milliseconds d,
                                         std::string s) {
  co_await aio::sleep_for(d);
  co_return s;
}

template <class E> aio::task<int> fail_after(std::chrono::milliseconds d) {
  co_await aio::sleep_for(d);
  throw E("boom");
}

// Sleeps for d; records in *cancelled whether it was cancelled (and then
// rethrows).
inline aio::task<int> sleep_recording(std::chrono::milliseconds d,
                                      bool *cancelled, int value = 0) {
  try {
    co_await aio::sleep_for(d);
  } catch (const aio::cancelled_error &) {
    *cancelled = true;
    throw;
  }
  co_return value;
}

// An awaitable of no library: it suspends and only the callback it queued
// resumes it, so cancellation cannot reach it.
struct foreign_yield {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> caller) const {
    aio::get_running_loop().call_soon([caller] { caller.resume(); });
  }
  void await_resume() const noexcept {}
};

// Never resumes.
struct never_resumes {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

// The stress tests' sleepers: how many sleep at once, at most, and how many
// woke.
struct sleep_stats {
  int asleep = 0;
  int peak = 0;
  int woke = 0;
};

inline aio::task<> sleeper(int ms, sleep_stats *stats) {
  stats->peak = std::max(stats->peak, ++stats->asleep);
  co_await aio::sleep_for(std::chrono::milliseconds(ms));
  --stats->asleep;
  ++stats->woke;
}

// A small deterministic pseudo-random generator for the stress tests.
struct xorshift {
  std::uint64_t state;
  explicit xorshift(std::uint64_t seed) : state(seed ? seed : 1) {}
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<unsigned>(n)); }
};

} // namespace aio_test

#endif // AIO_TEST_UTIL_HPP
