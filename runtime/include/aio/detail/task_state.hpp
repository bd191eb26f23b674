// detail::task_state, what a spawned task, its handles and the coroutines
// running in it share (completion, cancellation, name), with the hooks of
// its suspension points and observers, and how awaitables find it from the
// awaiting coroutine.
#ifndef AIO_DETAIL_TASK_STATE_HPP
#define AIO_DETAIL_TASK_STATE_HPP

#include <aio/detail/fwd.hpp>

#include <algorithm>
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

namespace detail {

// The suspension point a task is currently waiting at, as seen by
// task_state::cancel. interrupt() returns true if it takes the request over
// (it will wake the task with cancelled_error, or it has forwarded the
// request to what the task waits for) and false to leave the request
// pending, to be delivered when the task resumes. It must not resume any
// coroutine itself, only schedule resumptions on the loop.
class cancel_hook {
public:
  virtual bool interrupt() noexcept = 0;
  // The task's coroutines are being destroyed with its loop: forget the task.
  virtual void orphan() noexcept = 0;

protected:
  cancel_hook() = default;
  cancel_hook(const cancel_hook &) = default;
  cancel_hook &operator=(const cancel_hook &) = default;
  ~cancel_hook() = default;
};

// Notified, synchronously, when a spawned task finishes. Like cancel hooks,
// observers only schedule resumptions.
class done_observer {
public:
  virtual void on_done(task_state &task) noexcept = 0;

protected:
  done_observer() = default;
  done_observer(const done_observer &) = default;
  done_observer &operator=(const done_observer &) = default;
  ~done_observer() = default;
};

// Numbers default task names ("Task-1", ...) across all loops.
inline std::atomic<std::uint64_t> task_counter{0};

// What a spawned task, its handles and the coroutines running in it share:
// completion, cancellation state and the current suspension point.
//
// Cancellation, as in asyncio: cancel() counts the request and offers it to
// the suspension point the task waits at (its hook). If that one does not
// take it (the task is running, is ready to run, or waits for something
// that cannot be interrupted), the request stays pending (must_cancel_) and
// the task's next aio suspension point, or the one it is resuming from,
// raises cancelled_error and clears it. uncancel() undoes one request, and
// clears a pending one when none is left.
class task_state : public std::enable_shared_from_this<task_state> {
public:
  explicit task_state(event_loop &loop) noexcept
      : loop_(&loop),
        number_(task_counter.fetch_add(1, std::memory_order_relaxed) + 1) {}
  task_state(const task_state &) = delete;
  task_state &operator=(const task_state &) = delete;
  virtual ~task_state() = default;

  event_loop &loop() const noexcept { return *loop_; }
  bool done() const noexcept { return done_; }
  bool cancelled() const noexcept { return cancelled_; }
  std::size_t cancelling() const noexcept { return cancel_requests_; }

  bool cancel() noexcept {
    if (done_ || abandoned_)
      return false;
    ++cancel_requests_;
    if (hook_ != nullptr && !in_cancel_) {
      // in_cancel_ stops a cycle of tasks awaiting each other from
      // forwarding the request around for ever.
      in_cancel_ = true;
      const bool taken = hook_->interrupt();
      in_cancel_ = false;
      if (taken)
        return true;
    }
    must_cancel_ = true;
    return true;
  }
  std::size_t uncancel() noexcept {
    if (cancel_requests_ > 0 && --cancel_requests_ == 0)
      must_cancel_ = false;
    return cancel_requests_;
  }
  bool cancel_pending() const noexcept { return must_cancel_; }
  bool consume_cancel() noexcept { return std::exchange(must_cancel_, false); }

  void set_hook(cancel_hook *hook) noexcept { hook_ = hook; }
  void clear_hook(const cancel_hook *hook) noexcept {
    if (hook_ == hook)
      hook_ = nullptr;
  }

  void add_observer(done_observer *observer) {
    joined_ = true;
    observers_.push_back(observer);
  }
  void remove_observer(const done_observer *observer) noexcept {
    auto it = std::find(observers_.begin(), observers_.end(), observer);
    if (it != observers_.end()) {
      *it = observers_.back();
      observers_.pop_back();
    }
  }

  std::string name() const {
    return name_.empty() ? "Task-" + std::to_string(number_) : name_;
  }
  void set_name(std::string name) { name_ = std::move(name); }

  // Where aio::spawn (or aio::run) was called.
  const std::source_location &spawned_at() const noexcept {
    return spawned_at_;
  }
  void set_spawned_at(const std::source_location &where) noexcept {
    spawned_at_ = where;
  }
  // Someone awaited the task, took its result, or handed it to a
  // combinator (debug mode reports the tasks nobody joined).
  bool joined() const noexcept { return joined_; }
  void mark_joined() noexcept { joined_ = true; }
  // "task 'NAME' (spawned at FILE:LINE)", as the reports name a task.
  std::string describe() const {
    std::string text = "task '" + name() + "'";
    if (spawned_at_.line() != 0)
      text += std::string(" (spawned at ") + spawned_at_.file_name() + ":" +
              std::to_string(spawned_at_.line()) + ")";
    return text;
  }

  // The exception the task ended with (cancelled_error if cancelled), or
  // nullptr; only meaningful once done and before the outcome is taken.
  virtual std::exception_ptr error() const noexcept = 0;
  // The outcome was looked at: no "never retrieved" report for it.
  void mark_retrieved() noexcept {
    retrieved_ = true;
    joined_ = true;
  }

  // The task's root coroutine ended (with cancelled set if it ended by
  // cancelled_error): wakes everything observing it.
  void finish(bool cancelled) noexcept {
    done_ = true;
    cancelled_ = cancelled;
    hook_ = nullptr;
    must_cancel_ = false;
    std::vector<done_observer *> observers;
    observers.swap(observers_);
    for (done_observer *observer : observers)
      observer->on_done(*this);
  }
  // The task's coroutines were destroyed with the loop before it finished.
  void abandon() noexcept {
    abandoned_ = true;
    if (hook_ != nullptr)
      std::exchange(hook_, nullptr)->orphan();
  }

  // A join_handle awaiter waits for this task (one at a time).
  bool awaited = false;

protected:
  bool retrieved_ = false;

private:
  event_loop *loop_;
  std::uint64_t number_;
  std::string name_;
  std::source_location spawned_at_{};
  bool joined_ = false;
  std::size_t cancel_requests_ = 0;
  cancel_hook *hook_ = nullptr;
  std::vector<done_observer *> observers_;
  bool must_cancel_ = false;
  bool in_cancel_ = false;
  bool done_ = false;
  bool cancelled_ = false;
  bool abandoned_ = false;
};

// Promises that know which spawned task their coroutine runs in. Awaitables
// find it through the awaiting coroutine's handle (see context_of), so a
// coroutine of another library awaiting them simply has no cancellation.
struct context_promise {
  task_state *aio_ctx = nullptr;
};

template <class P>
task_state *context_of(std::coroutine_handle<P> handle) noexcept {
  if constexpr (std::is_base_of_v<context_promise, P>)
    return handle.promise().aio_ctx;
  else
    return nullptr;
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_TASK_STATE_HPP
