// aio::task_group and aio::with_task_group (asyncio.TaskGroup).
#ifndef AIO_TASK_GROUP_HPP
#define AIO_TASK_GROUP_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/result.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/detail/wakeable_suspension.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/spawn.hpp>
#include <aio/task.hpp>
#include <aio/task_handle.hpp>

#include <concepts>
#include <coroutine>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace aio {

class task_group;

template <class F>
  requires std::invocable<F &, task_group &>
task<typename std::invoke_result_t<F &, task_group &>::value_type>
with_task_group(F fn);

// Spawns child tasks and waits for all of them (asyncio.TaskGroup):
//
//   aio::task_group group;
//   auto a = group.spawn(fetch("a"));
//   auto b = group.spawn(fetch("b"));
//   co_await group;                 // both done; a.result(), b.result()
//
// When a child fails with an exception other than cancelled_error, the
// group cancels the other children (and children spawned later start
// cancelled); co_await group waits for all children and rethrows the first
// error. Cancelling the task awaiting the group cancels the children, waits
// for them, then raises cancelled_error (a child's error takes precedence).
// After a completed co_await the group is closed: spawn throws
// std::logic_error.
//
// C++ has no asynchronous destructors: if the body leaves by an exception
// before `co_await group`, the destructor can only cancel the children,
// which then finish on their own after the frame is gone, and it reports
// that on stderr. Prefer aio::with_task_group, which also cancels the body
// when a child fails (the full asyncio behaviour), whenever the body can
// throw.
class task_group final : detail::done_observer {
public:
  task_group() noexcept = default;
  task_group(const task_group &) = delete;
  task_group &operator=(const task_group &) = delete;
  ~task_group() {
    for (auto &entry : children_) {
      entry.first->remove_observer(this);
      entry.first->cancel();
    }
    if (!children_.empty() && detail::running_loop != nullptr)
      std::fputs("aio: task_group destroyed with unfinished tasks; they were "
                 "cancelled\n",
                 stderr);
  }

  // Spawns work as a child of the group.
  template <class T>
  join_handle<T>
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    if (closed_)
      throw std::logic_error("aio: spawning into a finished task_group");
    join_handle<T> handle = aio::spawn(std::move(work), where);
    const std::shared_ptr<detail::task_state> &state =
        detail::handle_access::shared(handle);
    children_.emplace(state.get(), state);
    state->add_observer(this);
    if (aborting_)
      state->cancel(); // cancelled before it starts
    return handle;
  }
  template <class T>
  join_handle<T>
  spawn(task<T> work, std::string name,
        std::source_location where = std::source_location::current()) {
    join_handle<T> handle = spawn(std::move(work), where);
    handle.set_name(std::move(name));
    return handle;
  }

  // Cancels every unfinished child, as a failing child does.
  void cancel() noexcept { abort(); }
  // The number of unfinished children.
  std::size_t size() const noexcept { return children_.size(); }

  class [[nodiscard]] join_awaiter final : detail::wakeable_suspension {
  public:
    explicit join_awaiter(task_group &group, bool throws = true) noexcept
        : group_(group), throws_(throws) {}
    join_awaiter(const join_awaiter &) = delete;
    join_awaiter &operator=(const join_awaiter &) = delete;
    ~join_awaiter() {
      if (group_.joiner_ == this)
        group_.joiner_ = nullptr;
    }

    bool await_ready() const noexcept { return group_.children_.empty(); }
    template <class P> void await_suspend(std::coroutine_handle<P> caller) {
      if (group_.joiner_ != nullptr)
        throw std::logic_error("aio: a task_group is already awaited");
      bind(caller);
      caller_ = caller;
      loop_ = &get_running_loop();
      group_.joiner_ = this;
      suspended_ = true;
      detail::note_suspend({});
      listen();
      forward_pending();
    }
    void await_resume() {
      leave();
      if (suspended_)
        detail::note_resume(ctx_, {});
      if (group_.joiner_ == this)
        group_.joiner_ = nullptr;
      if (suspended_ && ctx_ != nullptr && ctx_->consume_cancel() &&
          !group_.aborting_)
        propagate_cancel = true;
      error_ = group_.conclude(propagate_cancel, cancel_error);
      if (throws_ && error_)
        std::rethrow_exception(error_);
    }

    // For with_task_group: the body was cancelled (with this exception).
    bool propagate_cancel = false;
    std::exception_ptr cancel_error;
    // What co_await decided to raise (null for nothing).
    std::exception_ptr error() const noexcept { return error_; }

  private:
    friend class task_group;
    bool interrupt() noexcept override {
      // A failure being handled already wins over this cancellation.
      if (!group_.aborting_) {
        propagate_cancel = true;
        group_.abort();
      }
      return true;
    }
    void wake() noexcept override {
      group_.joiner_ = nullptr;
      resume_caller();
    }

    task_group &group_;
    std::exception_ptr error_;
    bool throws_;
    bool suspended_ = false;
  };

  // co_await group: waits for every child; rethrows the first error.
  join_awaiter operator co_await() noexcept { return join_awaiter(*this); }

private:
  template <class F>
    requires std::invocable<F &, task_group &>
  friend task<typename std::invoke_result_t<F &, task_group &>::value_type>
  with_task_group(F fn);

  void abort() noexcept {
    aborting_ = true;
    for (auto &entry : children_)
      entry.first->cancel();
  }

  void on_done(detail::task_state &child) noexcept override {
    auto it = children_.find(&child);
    if (it == children_.end())
      return;
    // The child's root frame still owns its state while it notifies.
    children_.erase(it);
    if (!child.cancelled()) {
      if (std::exception_ptr error = child.error()) {
        child.mark_retrieved();
        if (!first_error_)
          first_error_ = error;
        if (!aborting_ && !parent_cancel_requested_) {
          abort();
          // with_task_group: interrupt the body too.
          if (in_body_ && parent_ != nullptr && !parent_->done()) {
            parent_cancel_requested_ = true;
            parent_->cancel();
          }
        }
      }
    }
    if (children_.empty() && joiner_ != nullptr)
      joiner_->wake();
  }

  // The outcome of joining, as asyncio's TaskGroup.__aexit__ decides it.
  std::exception_ptr conclude(bool propagate_cancel,
                              std::exception_ptr cancel_error) noexcept {
    closed_ = true;
    if (parent_cancel_requested_) {
      parent_cancel_requested_ = false;
      if (parent_->uncancel() == 0)
        propagate_cancel = false;
    }
    if (first_error_)
      return first_error_;
    if (propagate_cancel)
      return cancel_error ? cancel_error
                          : std::make_exception_ptr(cancelled_error());
    return nullptr;
  }

  std::unordered_map<detail::task_state *, std::shared_ptr<detail::task_state>>
      children_; // the unfinished ones
  std::exception_ptr first_error_;
  detail::task_state *parent_ = nullptr; // with_task_group's task
  join_awaiter *joiner_ = nullptr;
  bool in_body_ = false;
  bool aborting_ = false;
  bool closed_ = false;
  bool parent_cancel_requested_ = false;
};

// co_await aio::with_task_group([&](aio::task_group &group) -> aio::task<T> {
//   group.spawn(...); ...; co_return value;
// }): asyncio's `async with TaskGroup() as group:` block. Runs the body in
// the current task with a fresh group, then waits for all children. A child
// failing cancels the other children and the body (which gets
// cancelled_error at its current suspension point); the body failing
// cancels the children. Afterwards raises the first child error, else the
// cancellation of the awaiting task (if it was cancelled from elsewhere),
// else the body's own error; otherwise returns the body's value. Children
// never outlive the call, so they may refer to the caller's locals.
template <class F>
  requires std::invocable<F &, task_group &>
task<typename std::invoke_result_t<F &, task_group &>::value_type>
with_task_group(F fn) {
  using T = typename std::invoke_result_t<F &, task_group &>::value_type;
  task_group group;
  group.parent_ = co_await detail::context_probe{};
  std::exception_ptr body_error;
  bool body_cancelled = false;
  std::optional<detail::value_or_monostate_t<T>> value;
  group.in_body_ = true;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::invoke(fn, group);
      value.emplace();
    } else {
      value.emplace(co_await std::invoke(fn, group));
    }
  } catch (const cancelled_error &) {
    body_error = std::current_exception();
    body_cancelled = true;
  } catch (...) {
    body_error = std::current_exception();
  }
  group.in_body_ = false;
  if (body_error && !group.aborting_)
    group.abort();
  std::exception_ptr error;
  {
    task_group::join_awaiter joiner(group, false);
    joiner.propagate_cancel = body_cancelled;
    if (body_cancelled)
      joiner.cancel_error = body_error;
    co_await joiner;
    error = joiner.error();
  }
  if (error)
    std::rethrow_exception(error);
  if (body_error && !body_cancelled)
    std::rethrow_exception(body_error);
  if (!value) // the body's cancellation was the group's own, and undone
    throw cancelled_error();
  if constexpr (!std::is_void_v<T>)
    co_return std::move(*value);
}

} // namespace aio

#endif // AIO_TASK_GROUP_HPP
