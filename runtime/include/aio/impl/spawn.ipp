// How a task is spawned: the root coroutine that drives it on its loop, and
// detail::spawn_on, behind aio::spawn and event_loop::run_until_complete.
// Included at the end of impl/event_loop.ipp.
#ifndef AIO_IMPL_SPAWN_IPP
#define AIO_IMPL_SPAWN_IPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/errors.hpp>
#include <aio/impl/event_loop.ipp>

#include <coroutine>
#include <exception>
#include <memory>
#include <source_location>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

// The root coroutine itself: started by the loop, destroys itself at the end.
struct root_task {
  using promise_type = root_promise;
  std::coroutine_handle<root_promise> handle;
};

// The promise of the root coroutine that drives a spawned task. The loop
// owns root frames until they finish, and destroys unfinished ones with it.
class root_promise : public context_promise {
public:
  // Receives the coroutine's parameters; the first is the loop.
  template <class... Args>
  explicit root_promise(event_loop &loop, Args &...) noexcept
      : loop_(&loop) {}

  root_task get_return_object() noexcept {
    return root_task{std::coroutine_handle<root_promise>::from_promise(*this)};
  }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_never final_suspend() noexcept { return {}; }
  void return_void() noexcept {
    loop_->forget_root(
        std::coroutine_handle<root_promise>::from_promise(*this));
  }
  void unhandled_exception() noexcept { std::terminate(); } // drive catches

private:
  event_loop *loop_;
};

// Marks the state of a task whose coroutines are destroyed unfinished (with
// the loop): cancel() then returns false and nothing refers to the frames.
struct abandon_guard {
  task_state &state;
  explicit abandon_guard(task_state &s) noexcept : state(s) {}
  abandon_guard(const abandon_guard &) = delete;
  abandon_guard &operator=(const abandon_guard &) = delete;
  ~abandon_guard() {
    if (!state.done())
      state.abandon();
  }
};

// Runs work to the end, stores its outcome and wakes the observers. The
// body is moved into a local so that its frames are destroyed before the
// state (a parameter) when the loop destroys this frame unfinished. A
// cancellation requested before the start raises cancelled_error without
// running the body; one still pending when the body returns marks the task
// cancelled (both as in asyncio).
template <class T>
root_task drive(event_loop &loop, task<T> work,
                std::shared_ptr<join_state<T>> state) {
  current_step.abi.task = state.get(); // this step is the task's first
  abandon_guard guard(*state);
  task<T> body = std::move(work);
  bool cancelled = false;
  try {
    if (state->consume_cancel()) {
      task_access::mark_started(body); // dropped on purpose
      throw cancelled_error();
    }
    if constexpr (std::is_void_v<T>) {
      co_await body;
      state->stored.set_value();
    } else {
      state->stored.set_value(co_await body);
    }
    if (state->consume_cancel())
      throw cancelled_error();
  } catch (const cancelled_error &) {
    state->stored.set_error(std::current_exception());
    cancelled = true;
  } catch (...) {
    state->stored.set_error(std::current_exception());
  }
  state->finish(cancelled);
  if (loop.debug())
    loop_access::hold_for_step(loop, state);
}

template <class T>
join_handle<T> spawn_on(event_loop &loop, task<T> work,
                        const std::source_location &where) {
  if (!work.valid())
    throw std::logic_error("aio: spawning an empty task");
  auto state = std::make_shared<join_state<T>>(loop);
  state->set_spawned_at(where);
  if (loop.debug())
    loop_access::track(loop, state);
  root_task root = drive(loop, std::move(work), state);
  root.handle.promise().aio_ctx = state.get();
  try {
    loop.adopt_root(root.handle);
  } catch (...) {
    loop.forget_root(root.handle);
    root.handle.destroy();
    throw;
  }
  return join_handle<T>(std::move(state));
}

} // namespace detail

} // namespace aio

#endif // AIO_IMPL_SPAWN_IPP
