// Offloading blocking work to other threads: aio::run_in_executor and
// aio::to_thread (loop.run_in_executor, asyncio.to_thread).
#ifndef AIO_OFFLOAD_HPP
#define AIO_OFFLOAD_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/thread_pool.hpp>

#include <concepts>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <source_location>
#include <type_traits>
#include <utility>
#include <variant>

namespace aio {

// What run_in_executor needs from an executor: submit(job) either queues job
// to run once on some thread and returns, or throws without queuing it. An
// executor must run every job it accepted, even while it is being destroyed.
template <class E>
concept executor = requires(E &e, std::function<void()> job) {
  e.submit(std::move(job));
};

namespace detail {

// The outcome of offloaded work: a value, a pointer to the referent of a
// reference result, nothing (void), or an exception.
template <class R> class offload_outcome {
  using stored = std::conditional_t<
      std::is_void_v<R>, std::monostate,
      std::conditional_t<std::is_reference_v<R>,
                         std::add_pointer_t<std::remove_reference_t<R>>,
                         std::remove_cv_t<R>>>;

public:
  // Calls fn (as an rvalue, once) and records what it returned or threw.
  template <class Fn> void capture(Fn &fn) noexcept {
    try {
      if constexpr (std::is_void_v<R>) {
        std::invoke(std::move(fn));
        state_.template emplace<1>();
      } else if constexpr (std::is_reference_v<R>) {
        R &&referent = std::invoke(std::move(fn));
        state_.template emplace<1>(std::addressof(referent));
      } else {
        state_.template emplace<1>(std::invoke(std::move(fn)));
      }
    } catch (...) {
      state_.template emplace<2>(std::current_exception());
    }
  }

  // The recorded result, or the recorded exception rethrown.
  R get() {
    if (state_.index() == 2)
      std::rethrow_exception(std::get<2>(state_));
    if constexpr (std::is_void_v<R>)
      return;
    else if constexpr (std::is_reference_v<R>)
      return static_cast<R>(*std::get<1>(state_));
    else
      return std::move(std::get<1>(state_));
  }

private:
  std::variant<std::monostate, stored, std::exception_ptr> state_;
};

// The half of run_in_executor's awaitable that deals with the loop: which
// loop and coroutine to resume, and keeping the loop's count of offloaded
// work, which makes the loop wait for it (and outlive it).
class offload_base {
protected:
  // On the loop's thread, before submitting.
  void begin(std::coroutine_handle<> caller) {
    event_loop &loop = get_running_loop();
    loop.offload_started();
    loop_ = &loop;
    caller_ = caller;
  }
  // On the loop's thread, if submitting threw.
  void abandon() noexcept { loop_->offload_abandoned(); }
  // On the worker, after the outcome is recorded: queues the caller's
  // resumption on the loop. The coroutine frame holding *this may be gone
  // as soon as that is queued, so this is the last touch of *this.
  void finish() noexcept {
    event_loop *loop = loop_;
    resume_callback resume{caller_};
    loop->offload_finished(resume);
  }

private:
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
};

// The awaitable of run_in_executor and to_thread. It owns the callable,
// which lives in the awaiting coroutine's frame until the awaitable is
// destroyed there, on the loop's thread.
//
// Running work cannot be interrupted: a cancellation of the awaiting task
// stays pending until the work is done, then the result is discarded and
// cancelled_error raised. Work whose task was cancelled before it was
// submitted is not submitted at all.
template <class Executor, class Fn>
class [[nodiscard]] offload_awaiter : private offload_base {
public:
  using result_type = std::invoke_result_t<Fn>;

  template <class F>
  offload_awaiter(Executor &ex, F &&fn, std::source_location where = {})
      : executor_(&ex), fn_(std::forward<F>(fn)), where_(where) {}
  offload_awaiter(offload_awaiter &&) = default;
  offload_awaiter(const offload_awaiter &) = delete;
  offload_awaiter &operator=(const offload_awaiter &) = delete;

  bool await_ready() const noexcept { return false; }
  // Submits the call; the worker resumes caller on the loop when it ends.
  // The lock in the executor's submit orders everything written here
  // before the worker's reads; the loop's lock in offload_finished orders
  // the worker's writes before await_resume.
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> caller) {
    ctx_ = context_of(caller);
    if (ctx_ != nullptr && ctx_->cancel_pending())
      return false; // cancelled before it started: raise, submit nothing
    begin(caller);
    try {
      executor_->submit([this]() noexcept {
        outcome_.capture(fn_);
        finish();
      });
    } catch (...) {
      abandon();
      throw;
    }
    note_suspend(where_);
    suspended_ = true;
    return true;
  }
  // On the loop's thread: the callable's result, or its exception rethrown;
  // cancelled_error (the result discarded) if the task was cancelled.
  result_type await_resume() {
    if (suspended_)
      note_resume(ctx_, where_);
    if (ctx_ != nullptr && ctx_->consume_cancel())
      throw cancelled_error();
    return outcome_.get();
  }

private:
  Executor *executor_;
  Fn fn_;
  std::source_location where_;
  offload_outcome<result_type> outcome_;
  task_state *ctx_ = nullptr;
  bool suspended_ = false;
};

} // namespace detail

// co_await aio::run_in_executor(ex, fn): calls fn() on a thread of ex while
// the loop runs other tasks, then resumes the awaiting coroutine on the
// loop's thread with fn's result (a value, void, or a reference to the same
// object fn returned a reference to) or rethrows fn's exception. fn is
// moved (or copied, if an lvalue) into the awaitable, so a temporary lambda
// capturing the coroutine's locals by reference is fine. Must be awaited on
// a running loop; the loop waits for the call even if it is destroyed first.
// Cancelling the awaiting task does not interrupt fn: cancelled_error is
// raised once fn has returned, and its result is discarded.
template <executor Executor, class F>
  requires std::constructible_from<std::decay_t<F>, F> &&
           std::invocable<std::decay_t<F>>
detail::offload_awaiter<Executor, std::decay_t<F>>
run_in_executor(Executor &ex, F &&fn,
                std::source_location where = std::source_location::current()) {
  return detail::offload_awaiter<Executor, std::decay_t<F>>(
      ex, std::forward<F>(fn), where);
}

// co_await aio::to_thread(fn): run_in_executor(aio::io_executor(), fn), for
// blocking calls (file and socket I/O, sleeps, fsync, DNS, ...).
template <class F>
  requires std::constructible_from<std::decay_t<F>, F> &&
           std::invocable<std::decay_t<F>>
detail::offload_awaiter<thread_pool, std::decay_t<F>>
to_thread(F &&fn, std::source_location where = std::source_location::current()) {
  return run_in_executor(io_executor(), std::forward<F>(fn), where);
}

} // namespace aio

#endif // AIO_OFFLOAD_HPP
