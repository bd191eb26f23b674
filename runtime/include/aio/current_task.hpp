// aio::current_task and aio::current_task_cancelling: the spawned task the
// caller runs in (asyncio.current_task()).
#ifndef AIO_CURRENT_TASK_HPP
#define AIO_CURRENT_TASK_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/step_state.h>
#include <aio/task_handle.hpp>

#include <coroutine>
#include <cstddef>
#include <utility>

namespace aio {

namespace detail {

// The awaitable of current_task().
struct current_task_awaiter {
  task_handle handle;
  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    if (task_state *ctx = context_of(caller))
      handle = handle_access::make(ctx->shared_from_this());
    return false;
  }
  task_handle await_resume() noexcept { return std::move(handle); }
};

} // namespace detail

// co_await aio::current_task(): the handle of the spawned task the awaiting
// coroutine runs in (asyncio.current_task()); an empty handle in a coroutine
// that is not an aio task. Does not suspend.
inline detail::current_task_awaiter current_task() noexcept { return {}; }

// aio::current_task_cancelling(): the cancellation requests of the spawned
// task the caller runs in that uncancel() has not undone (its handle's
// cancelling()); 0 outside a task and on other threads. It needs no
// co_await, so a catch handler can ask it: after cancelling a task and
// awaiting it, the cancelled_error caught is the child's when this is 0, and
// this task's own when it is not (asyncio's `if
// asyncio.current_task().cancelling(): raise`):
//
//   worker.cancel();
//   try {
//     co_await aio::wait_for(worker, 2s);
//   } catch (const std::exception &) {
//     if (aio::current_task_cancelling())
//       throw;
//   }
//
// The task is the one the running step resumed, as the aio awaitables
// record it for debug mode: known whenever the caller last resumed from an
// aio suspension point (or started) in this step, which is the case in a
// handler of what an aio awaitable raised.
inline std::size_t current_task_cancelling() noexcept {
  const aio_step_state &step = detail::current_step.abi;
  if (step.running == 0 || step.task == nullptr)
    return 0; // between steps the task may be gone
  return static_cast<const detail::task_state *>(step.task)->cancelling();
}

} // namespace aio

#endif // AIO_CURRENT_TASK_HPP
