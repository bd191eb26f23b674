// aio::sleep_for and aio::sleep_until (asyncio.sleep).
#ifndef AIO_SLEEP_HPP
#define AIO_SLEEP_HPP

#include <aio/detail/clock.hpp>
#include <aio/detail/current_step.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/event_loop.hpp>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <source_location>
#include <utility>

namespace aio {

namespace detail {

// The awaitable of sleep_for / sleep_until: resumes at a steady deadline,
// or at once with cancelled_error when its task is cancelled.
class [[nodiscard]] sleep_awaiter final : suspension {
public:
  explicit sleep_awaiter(steady_clock::time_point deadline,
                         std::source_location where = {}) noexcept
      : deadline_(deadline), where_(where) {}
  sleep_awaiter(const sleep_awaiter &other) noexcept
      : suspension(other), deadline_(other.deadline_), where_(other.where_) {}
  sleep_awaiter &operator=(const sleep_awaiter &) = delete;
  ~sleep_awaiter() { stop_timer(); }

  bool await_ready() const noexcept { return false; } // sleeping 0 yields
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> caller) {
    bind(caller);
    if (cancel_pending())
      return false; // raise at once, without a timer
    loop_ = &get_running_loop();
    caller_ = caller;
    timer_ = loop_access::schedule_timer(*loop_, deadline_,
                                         resume_callback{caller});
    note_suspend(where_);
    listen();
    return true;
  }
  void await_resume() {
    if (timer_ != 0 || interrupted_)
      note_resume(ctx_, where_);
    timer_ = 0; // it ran, or interrupt() cancelled it
    deliver();
  }

private:
  bool interrupt() noexcept override {
    if (interrupted_)
      return false; // already waking up with cancelled_error
    interrupted_ = true;
    stop_timer();
    loop_->call_soon(resume_callback{caller_});
    return true;
  }
  void stop_timer() noexcept {
    if (timer_ != 0)
      loop_access::cancel_timer(*loop_, std::exchange(timer_, 0));
  }

  steady_clock::time_point deadline_;
  std::source_location where_;
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
  std::uint64_t timer_ = 0;
};

} // namespace detail

// co_await aio::sleep_for(d): suspends the current task for d (any
// std::chrono duration) while the loop runs other work. Cancelling the task
// cancels the timer and raises cancelled_error here at once.
template <class Rep, class Period>
detail::sleep_awaiter
sleep_for(std::chrono::duration<Rep, Period> d,
          std::source_location where = std::source_location::current()) {
  return detail::sleep_awaiter(
      detail::deadline_after(detail::steady_clock::now(), d), where);
}

// co_await aio::sleep_until(t): suspends the current task until t, a time
// point of steady_clock, system_clock or any other clock.
template <class Clock, class Duration>
detail::sleep_awaiter
sleep_until(std::chrono::time_point<Clock, Duration> t,
            std::source_location where = std::source_location::current()) {
  return detail::sleep_awaiter(detail::to_steady_deadline(t), where);
}

} // namespace aio

#endif // AIO_SLEEP_HPP
