// detail::step_watchdog, debug mode's thread that spots slow steps.
#ifndef AIO_DETAIL_STEP_WATCHDOG_HPP
#define AIO_DETAIL_STEP_WATCHDOG_HPP

#include <aio/detail/clock.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace aio {

namespace detail {

// The clock of debug mode's watchdog, in steady_clock ticks.
using steady_ticks = steady_clock::duration::rep;

// Debug mode's sampling thread. The loop bumps `seq` around every step (odd
// while one runs: two relaxed stores are the whole per-step cost of debug
// mode); every `period` the watchdog reads it and records when it first saw
// a step running. At the end of a step the loop asks whether the watchdog
// saw that step, and only then reads the clock. The duration, end minus
// first sighting, is a lower bound short of the truth by less than a
// period, so a fast step is never reported as slow.
class step_watchdog {
public:
  explicit step_watchdog(std::chrono::microseconds period)
      : period_(period), thread_([this] { watch(); }) {}
  step_watchdog(const step_watchdog &) = delete;
  step_watchdog &operator=(const step_watchdog &) = delete;
  ~step_watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wakeup_.notify_one();
    thread_.join();
  }

  // Around each step, on the loop's thread. Step k is 2k-1 while it runs
  // and 2k once done; a step left by an exception just stays odd.
  void begin() noexcept {
    ++steps_;
    seq_.store(2 * steps_ - 1, std::memory_order_relaxed);
  }
  void end() noexcept { seq_.store(2 * steps_, std::memory_order_relaxed); }
  // After end(): true, with when it was first seen, if the watchdog saw
  // the step that just ended running.
  bool seen(steady_clock::time_point &first) const noexcept {
    // Acquire pairs with the release in watch(): seen_at_ belongs to it.
    if (seen_seq_.load(std::memory_order_acquire) != 2 * steps_ - 1)
      return false;
    first = steady_clock::time_point(steady_clock::duration(
        seen_at_.load(std::memory_order_relaxed)));
    return true;
  }

private:
  void watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    std::uint64_t last = 0;
    while (!wakeup_.wait_for(lock, period_, [this] { return stopping_; })) {
      // Acquire keeps the clock read below after this load: the step had
      // begun when it was seen, so the sighting is not before its start.
      const std::uint64_t seq = seq_.load(std::memory_order_acquire);
      if ((seq & 1) != 0 && seq != last) {
        seen_at_.store(steady_clock::now().time_since_epoch().count(),
                       std::memory_order_relaxed);
        seen_seq_.store(seq, std::memory_order_release);
      }
      last = seq;
    }
  }

  std::chrono::microseconds period_;
  std::uint64_t steps_ = 0; // loop thread only
  std::atomic<std::uint64_t> seq_{0};
  std::atomic<std::uint64_t> seen_seq_{0};
  std::atomic<steady_ticks> seen_at_{0};
  std::mutex mutex_; // guards stopping_
  std::condition_variable wakeup_;
  bool stopping_ = false;
  std::thread thread_; // last: starts using the members above
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_STEP_WATCHDOG_HPP
