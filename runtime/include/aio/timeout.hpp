// Deadlines: aio::wait_for, aio::timeout and aio::timeout_at
// (asyncio.wait_for, asyncio.timeout, asyncio.timeout_at), and
// aio::timeout_scope.
#ifndef AIO_TIMEOUT_HPP
#define AIO_TIMEOUT_HPP

#include <aio/detail/await_result.hpp>
#include <aio/detail/clock.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aio {

class timeout_scope;

namespace detail {

// While alive, a timer that cancels the task at the scope's deadline. On
// leaving, undoes that cancellation request and tells whether the
// cancelled_error coming out is the timeout's own: no other request arrived
// since the scope was entered (asyncio's uncancel() <= cancelling at entry).
class timeout_arm {
public:
  timeout_arm(timeout_scope &scope, task_state &ctx);
  timeout_arm(const timeout_arm &) = delete;
  timeout_arm &operator=(const timeout_arm &) = delete;
  ~timeout_arm();

  void arm();
  void disarm() noexcept {
    if (timer_ != 0)
      loop_access::cancel_timer(loop_, std::exchange(timer_, 0));
  }
  bool fired() const noexcept { return fired_; }
  bool leave() noexcept {
    disarm();
    if (!std::exchange(fired_, false))
      return false;
    return ctx_.uncancel() <= baseline_;
  }

private:
  timeout_scope &scope_;
  task_state &ctx_;
  event_loop &loop_;
  std::size_t baseline_;
  std::uint64_t timer_ = 0;
  bool fired_ = false;
};

} // namespace detail

// A deadline for one or more awaits of the current task (asyncio.Timeout):
//
//   aio::timeout_scope deadline = aio::timeout(2s);
//   auto conn = co_await deadline.run(connect());   // both share the
//   co_await deadline.run(handshake(conn));         // same 2 s budget
//
// run(aw) awaits aw in the current task with a timer armed for the
// deadline; when it fires, the task is cancelled, and the cancelled_error
// that comes out of aw is turned into timeout_error. Only that one: if the
// task was also cancelled otherwise meanwhile, cancelled_error propagates,
// so nested timeouts and outer cancellations compose. If aw swallows the
// cancellation and returns normally, run returns its value. The deadline
// may be moved with reschedule (also while run is in progress). A scope is
// not copyable or movable and must outlive the runs, which a local (or a
// temporary in the co_await expression) does. time_point::max() means no
// deadline.
class timeout_scope {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit timeout_scope(time_point when) noexcept : when_(when) {}
  timeout_scope(const timeout_scope &) = delete;
  timeout_scope &operator=(const timeout_scope &) = delete;

  // The deadline.
  time_point when() const noexcept { return when_; }
  // True if the deadline passed during a run (since the last reschedule).
  bool expired() const noexcept { return expired_; }
  // Moves the deadline; throws std::logic_error if it has already fired
  // during the run in progress.
  void reschedule(time_point when) {
    if (active_ != nullptr && active_->fired())
      throw std::logic_error("aio: rescheduling an expired timeout");
    when_ = when;
    expired_ = false;
    if (active_ != nullptr) {
      active_->disarm();
      active_->arm();
    }
  }

  // co_await scope.run(aw): aw's result, or timeout_error. aw is a task,
  // a join_handle (cancelled on timeout, and waited for), sleep_for,
  // to_thread (the timeout is honoured when the work returns), ... Must be
  // awaited by an aio task; one run at a time.
  template <class Awaitable>
  task<detail::await_result_t<Awaitable>> run(Awaitable aw) {
    using R = detail::await_result_t<Awaitable>;
    static_assert(!std::is_reference_v<R>,
                  "aio: timeouts of awaitables returning references are not "
                  "supported");
    detail::task_state *ctx = co_await detail::context_probe{};
    if (ctx == nullptr)
      throw std::logic_error("aio: a timeout must be awaited by an aio task");
    detail::timeout_arm arm(*this, *ctx);
    try {
      if constexpr (std::is_void_v<R>) {
        co_await std::move(aw);
        arm.leave();
        co_return;
      } else {
        R value = co_await std::move(aw);
        arm.leave();
        co_return value;
      }
    } catch (const cancelled_error &) {
      if (arm.leave())
        throw timeout_error();
      throw;
    } catch (...) {
      arm.leave();
      throw;
    }
  }

private:
  friend class detail::timeout_arm;
  time_point when_;
  bool expired_ = false;
  detail::timeout_arm *active_ = nullptr;
};

namespace detail {

inline timeout_arm::timeout_arm(timeout_scope &scope, task_state &ctx)
    : scope_(scope), ctx_(ctx), loop_(ctx.loop()),
      baseline_(ctx.cancelling()) {
  if (scope.active_ != nullptr)
    throw std::logic_error("aio: a timeout_scope is already running");
  arm();
  scope.active_ = this;
}

inline timeout_arm::~timeout_arm() {
  disarm();
  if (fired_)
    ctx_.uncancel(); // left by a path that did not call leave()
  scope_.active_ = nullptr;
}

inline void timeout_arm::arm() {
  if (scope_.when_ == timeout_scope::time_point::max())
    return;
  timer_ = loop_access::schedule_timer(loop_, scope_.when_, [this] {
    timer_ = 0;
    fired_ = true;
    scope_.expired_ = true;
    ctx_.cancel();
  });
}

} // namespace detail

// aio::timeout(d): a timeout_scope with its deadline d from now.
template <class Rep, class Period>
timeout_scope timeout(std::chrono::duration<Rep, Period> d) {
  return timeout_scope(detail::deadline_after(detail::steady_clock::now(), d));
}
// aio::timeout_at(t): a timeout_scope with its deadline at t (any clock).
template <class Clock, class Duration>
timeout_scope timeout_at(std::chrono::time_point<Clock, Duration> t) {
  return timeout_scope(detail::to_steady_deadline(t));
}

// co_await aio::wait_for(aw, d): aw's result if it completes within d,
// else timeout_error (asyncio.wait_for). aw is awaited in the current task,
// which is cancelled when d elapses; wait_for then waits for aw to finish
// unwinding (a join_handle: the spawned task is cancelled and waited for)
// before raising. A cancellation of the task from elsewhere comes out as
// cancelled_error. The deadline starts when wait_for is awaited.
template <class Awaitable, class Rep, class Period>
task<detail::await_result_t<Awaitable>>
wait_for(Awaitable aw, std::chrono::duration<Rep, Period> d) {
  timeout_scope scope(detail::deadline_after(detail::steady_clock::now(), d));
  if constexpr (std::is_void_v<detail::await_result_t<Awaitable>>)
    co_await scope.run(std::move(aw));
  else
    co_return co_await scope.run(std::move(aw));
}

// co_await aio::timeout(d, aw): the same as wait_for(aw, d).
template <class Rep, class Period, class Awaitable>
task<detail::await_result_t<Awaitable>>
timeout(std::chrono::duration<Rep, Period> d, Awaitable aw) {
  return wait_for(std::move(aw), d);
}

} // namespace aio

#endif // AIO_TIMEOUT_HPP
