// aio::wait (asyncio.wait): waits for spawned tasks until one is done, one
// failed, or all are done.
#ifndef AIO_WAIT_HPP
#define AIO_WAIT_HPP

#include <aio/detail/clock.hpp>
#include <aio/detail/current_step.hpp>
#include <aio/detail/handle_states.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/detail/wakeable_suspension.hpp>
#include <aio/event_loop.hpp>
#include <aio/task.hpp>
#include <aio/task_handle.hpp>

#include <chrono>
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace aio {

// When aio::wait returns (asyncio's FIRST_COMPLETED, FIRST_EXCEPTION,
// ALL_COMPLETED).
enum class return_when { first_completed, first_exception, all_completed };
inline constexpr return_when first_completed = return_when::first_completed;
inline constexpr return_when first_exception = return_when::first_exception;
inline constexpr return_when all_completed = return_when::all_completed;

// What aio::wait returns: the handles that are done and those that are
// not, each in the order they were given.
template <class Handle> struct wait_result {
  std::vector<Handle> done;
  std::vector<Handle> pending;
};

namespace detail {

// Waits until `when` holds for the tasks, or the deadline passes, or the
// awaiting task is cancelled (then raises cancelled_error; the tasks are
// not cancelled).
class wait_waiter final : wakeable_suspension, done_observer {
public:
  wait_waiter(std::vector<task_state *> tasks, return_when when,
              std::optional<steady_clock::time_point> deadline) noexcept
      : tasks_(std::move(tasks)), when_(when), deadline_(deadline) {
    for (task_state *t : tasks_)
      t->mark_joined(); // handed to a combinator
  }
  wait_waiter(const wait_waiter &) = delete;
  wait_waiter &operator=(const wait_waiter &) = delete;
  ~wait_waiter() { stop(); }

  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    bind(caller);
    caller_ = caller;
    if (cancel_pending())
      return false;
    std::size_t unfinished = 0;
    for (task_state *t : tasks_) {
      if (satisfied_by(*t))
        return false;
      unfinished += t->done() ? 0 : 1;
    }
    if (unfinished == 0 ||
        (deadline_ && *deadline_ <= steady_clock::now()))
      return false;
    loop_ = &get_running_loop();
    for (task_state *t : tasks_)
      if (!t->done()) {
        t->add_observer(this);
        ++observing_;
      }
    if (deadline_ && *deadline_ != steady_clock::time_point::max())
      timer_ = loop_access::schedule_timer(*loop_, *deadline_, [this] {
        timer_ = 0;
        wake();
      });
    note_suspend({});
    listen();
    return true;
  }
  void await_resume() {
    if (loop_ != nullptr)
      note_resume(ctx_, {});
    deliver();
  }

private:
  bool satisfied_by(task_state &t) const noexcept {
    if (!t.done())
      return false;
    switch (when_) {
    case return_when::first_completed:
      return true;
    case return_when::first_exception:
      return !t.cancelled() && t.error() != nullptr;
    case return_when::all_completed:
      return false;
    }
    return false;
  }
  void on_done(task_state &t) noexcept override {
    --observing_;
    if (satisfied_by(t) || observing_ == 0)
      wake();
  }
  void wake() noexcept override {
    if (woken_)
      return;
    woken_ = true;
    stop();
    resume_caller();
  }
  void stop() noexcept {
    if (timer_ != 0)
      loop_access::cancel_timer(*loop_, std::exchange(timer_, 0));
    if (observing_ != 0) {
      for (task_state *t : tasks_)
        t->remove_observer(this);
      observing_ = 0;
    }
  }

  std::vector<task_state *> tasks_;
  return_when when_;
  std::optional<steady_clock::time_point> deadline_;
  std::uint64_t timer_ = 0;
  std::size_t observing_ = 0;
  bool woken_ = false;
};

template <class Handle>
task<wait_result<Handle>>
wait_impl(std::vector<Handle> handles, return_when when,
          std::optional<steady_clock::time_point> deadline) {
  if (handles.empty())
    throw std::invalid_argument("aio: wait needs at least one task");
  {
    wait_waiter waiter(states_of(handles), when, deadline);
    co_await waiter;
  }
  wait_result<Handle> result;
  for (Handle &h : handles)
    (h.done() ? result.done : result.pending).push_back(std::move(h));
  co_return result;
}

} // namespace detail

// co_await aio::wait(handles, when): waits for spawned tasks (join_handles
// of one type, or task_handles) until `when` holds — any done
// (first_completed), any failed with an exception other than
// cancelled_error, or all done (first_exception, all_completed) — and
// returns {done, pending}. Never raises the tasks' exceptions and never
// cancels them; cancelling the awaiting task raises cancelled_error here.
// An empty vector is std::invalid_argument (as in asyncio).
template <class Handle>
  requires std::derived_from<Handle, task_handle>
task<wait_result<Handle>> wait(std::vector<Handle> handles,
                               return_when when = all_completed) {
  return detail::wait_impl(std::move(handles), when, std::nullopt);
}

// co_await aio::wait(handles, timeout, when): the same, returning when the
// timeout elapses at the latest (the tasks not done are in pending).
template <class Handle, class Rep, class Period>
  requires std::derived_from<Handle, task_handle>
task<wait_result<Handle>> wait(std::vector<Handle> handles,
                               std::chrono::duration<Rep, Period> timeout,
                               return_when when = all_completed) {
  return detail::wait_impl(
      std::move(handles), when,
      detail::deadline_after(detail::steady_clock::now(), timeout));
}

} // namespace aio

#endif // AIO_WAIT_HPP
