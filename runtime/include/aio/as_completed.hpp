// aio::as_completed: spawned tasks in the order they finish
// (asyncio.as_completed).
#ifndef AIO_AS_COMPLETED_HPP
#define AIO_AS_COMPLETED_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/detail/wakeable_suspension.hpp>
#include <aio/event_loop.hpp>
#include <aio/task_handle.hpp>

#include <concepts>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace aio {

// Yields spawned tasks in the order they finish (asyncio.as_completed, in
// its `async for` form returning the tasks):
//
//   aio::as_completed pending(std::move(handles));
//   while (!pending.empty()) {
//     aio::join_handle<int> first = co_await pending.next();
//     use(first.result());
//   }
//
// Duplicate handles are yielded once. next() raises std::logic_error when
// nothing is left; cancelling the task awaiting next() raises
// cancelled_error there without cancelling the tasks (the next call still
// yields the one that finished meanwhile). For a deadline, wrap next() in
// wait_for. Not copyable or movable: it observes the tasks.
template <class Handle>
  requires std::derived_from<Handle, task_handle>
class as_completed final : detail::done_observer {
public:
  explicit as_completed(std::vector<Handle> handles) {
    std::unordered_set<detail::task_state *> seen;
    for (Handle &h : handles) {
      detail::task_state *state = detail::handle_access::state(h);
      if (state == nullptr)
        throw std::invalid_argument("aio: as_completed of an empty handle");
      if (!seen.insert(state).second)
        continue; // a duplicate
      state->mark_joined();
      if (state->done()) {
        finished_.push_back(std::move(h));
      } else {
        waiting_.emplace(state, std::move(h));
        state->add_observer(this);
      }
    }
  }
  as_completed(const as_completed &) = delete;
  as_completed &operator=(const as_completed &) = delete;
  ~as_completed() {
    for (auto &entry : waiting_)
      entry.first->remove_observer(this);
  }

  // The number of tasks not yet yielded.
  std::size_t size() const noexcept {
    return finished_.size() + waiting_.size();
  }
  bool empty() const noexcept { return size() == 0; }

  class [[nodiscard]] next_awaiter final : detail::wakeable_suspension {
  public:
    explicit next_awaiter(as_completed &owner) noexcept : owner_(owner) {}
    // Movable until awaited (so that wait_for(pending.next(), d) works).
    next_awaiter(next_awaiter &&other) noexcept
        : wakeable_suspension(other), owner_(other.owner_) {}
    next_awaiter(const next_awaiter &) = delete;
    next_awaiter &operator=(const next_awaiter &) = delete;
    ~next_awaiter() {
      if (owner_.next_ == this)
        owner_.next_ = nullptr;
    }

    bool await_ready() const noexcept { return !owner_.finished_.empty(); }
    template <class P> void await_suspend(std::coroutine_handle<P> caller) {
      if (owner_.next_ != nullptr)
        throw std::logic_error("aio: as_completed::next is already awaited");
      bind(caller);
      caller_ = caller;
      loop_ = &get_running_loop();
      owner_.next_ = this;
      suspended_ = true;
      detail::note_suspend({});
      listen();
      forward_pending();
    }
    Handle await_resume() {
      if (suspended_) {
        detail::note_resume(ctx_, {});
        deliver();
      }
      Handle h = std::move(owner_.finished_.front());
      owner_.finished_.pop_front();
      return h;
    }

  private:
    friend class as_completed;
    void wake() noexcept override {
      owner_.next_ = nullptr;
      resume_caller();
    }

    as_completed &owner_;
    bool suspended_ = false;
  };

  // co_await next(): the next task to finish (or one that already has).
  next_awaiter next() {
    if (empty())
      throw std::logic_error("aio: as_completed has nothing left");
    return next_awaiter(*this);
  }

private:
  void on_done(detail::task_state &state) noexcept override {
    auto it = waiting_.find(&state);
    if (it == waiting_.end())
      return;
    finished_.push_back(std::move(it->second));
    waiting_.erase(it);
    if (next_ != nullptr)
      next_->wake();
  }

  std::unordered_map<detail::task_state *, Handle> waiting_;
  std::deque<Handle> finished_;
  next_awaiter *next_ = nullptr;
};

} // namespace aio

#endif // AIO_AS_COMPLETED_HPP
