// aio::task_handle and aio::join_handle<T>, the handles of spawned tasks
// (asyncio's Task): status, cancellation, name and, for join_handle, the
// result.
#ifndef AIO_TASK_HANDLE_HPP
#define AIO_TASK_HANDLE_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/fwd.hpp>
#include <aio/detail/join_state.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/detail/task_state.hpp>

#include <coroutine>
#include <cstddef>
#include <functional>
#include <memory>
#include <source_location>
#include <stdexcept>
#include <string>
#include <utility>

namespace aio {

// A type-erased handle to a spawned task, asyncio's Task without result():
// status, cancellation and name. join_handle<T> is one with the result.
// Handles are cheap to copy and compare equal when they refer to the same
// task. Use them on the loop's thread only.
class task_handle {
public:
  task_handle() noexcept = default;

  // False for a default-constructed handle.
  bool valid() const noexcept { return static_cast<bool>(state_); }
  // True once the task has finished (returned, thrown or been cancelled).
  bool done() const noexcept { return state_ && state_->done(); }
  // True if the task finished by cancelled_error.
  bool cancelled() const noexcept { return state_ && state_->cancelled(); }
  // Requests cancellation: cancelled_error is raised in the task at the
  // suspension point it waits at, or at its next one if it is running or
  // waits for something that cannot be interrupted (to_thread). Returns
  // false if the task is already done (or was destroyed with its loop).
  // Every call counts as one request (see cancelling/uncancel).
  bool cancel() noexcept { return state_ && state_->cancel(); }
  // The number of cancellation requests not undone by uncancel().
  std::size_t cancelling() const noexcept {
    return state_ ? state_->cancelling() : 0;
  }
  // Undoes one cancellation request; returns the remaining count. When it
  // drops to zero a request not yet delivered is dropped too.
  std::size_t uncancel() noexcept { return state_ ? state_->uncancel() : 0; }
  // The task's name: "Task-<n>" unless set.
  std::string name() const { return state_ ? state_->name() : std::string(); }
  void set_name(std::string name) {
    if (!state_)
      throw std::logic_error("aio: empty task handle");
    state_->set_name(std::move(name));
  }

  friend bool operator==(const task_handle &a, const task_handle &b) noexcept {
    return a.state_ == b.state_;
  }

protected:
  explicit task_handle(std::shared_ptr<detail::task_state> state) noexcept
      : state_(std::move(state)) {}

  std::shared_ptr<detail::task_state> state_;

private:
  friend struct detail::handle_access;
  friend struct std::hash<task_handle>;
};

// The handle aio::spawn returns: co_await it for the spawned task's value
// (or exception). The task runs whether or not the handle is kept; one
// coroutine at a time may await it, and the value is handed over once (an
// exception is rethrown every time). Cancelling the awaiting task cancels the awaited one too (asyncio's
// behaviour for awaiting a Task); the awaiter then still waits for it and
// gets whatever it ends with.
template <class T> class join_handle : public task_handle {
public:
  join_handle() noexcept = default;

  // The value of a finished task (once), or its exception rethrown
  // (cancelled_error for a cancelled task). std::logic_error if not done.
  T result() {
    if (!state_)
      throw std::logic_error("aio: empty join_handle");
    return typed().take();
  }

  class [[nodiscard]] awaiter final : detail::suspension,
                                      detail::done_observer {
  public:
    explicit awaiter(std::shared_ptr<detail::join_state<T>> state) noexcept
        : state_(std::move(state)) {}
    awaiter(const awaiter &) = delete;
    awaiter &operator=(const awaiter &) = delete;
    ~awaiter() { release(); }

    bool await_ready() const noexcept { return state_->done(); }
    template <class Promise>
    void await_suspend(std::coroutine_handle<Promise> caller) {
      if (state_->awaited)
        throw std::logic_error("aio: a spawned task is already awaited");
      bind(caller);
      caller_ = caller;
      state_->add_observer(this);
      state_->awaited = true;
      registered_ = true;
      suspended_ = true;
      detail::note_suspend({});
      listen();
      forward_pending();
    }
    T await_resume() {
      release();
      if (suspended_) {
        detail::note_resume(ctx_, {});
        deliver();
      }
      return state_->take();
    }

  private:
    bool interrupt() noexcept override { return state_->cancel(); }
    void on_done(detail::task_state &) noexcept override {
      observing_done_ = true;
      state_->loop().call_soon(detail::resume_callback{caller_});
    }
    void release() noexcept {
      if (!registered_)
        return;
      registered_ = false;
      leave();
      if (!observing_done_)
        state_->remove_observer(this);
      state_->awaited = false;
    }

    std::shared_ptr<detail::join_state<T>> state_;
    std::coroutine_handle<> caller_;
    bool registered_ = false;
    bool suspended_ = false;
    bool observing_done_ = false;
  };
  awaiter operator co_await() const {
    if (!state_)
      throw std::logic_error("aio: awaiting an empty join_handle");
    return awaiter(std::static_pointer_cast<detail::join_state<T>>(state_));
  }

private:
  template <class U>
  friend join_handle<U> detail::spawn_on(event_loop &, task<U>,
                                         const std::source_location &);
  friend struct detail::handle_access;
  explicit join_handle(std::shared_ptr<detail::join_state<T>> state) noexcept
      : task_handle(std::move(state)) {}

  detail::join_state<T> &typed() const {
    return static_cast<detail::join_state<T> &>(*state_);
  }
};

} // namespace aio

template <> struct std::hash<aio::task_handle> {
  std::size_t operator()(const aio::task_handle &h) const noexcept {
    return std::hash<const void *>{}(h.state_.get());
  }
};

#include <aio/impl/event_loop.ipp>

#endif // AIO_TASK_HANDLE_HPP
