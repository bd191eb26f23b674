// detail::suspension, the cancellation side shared by aio's suspension
// points, and detail::context_probe, which finds the awaiting task.
#ifndef AIO_DETAIL_SUSPENSION_HPP
#define AIO_DETAIL_SUSPENSION_HPP

#include <aio/detail/task_state.hpp>
#include <aio/errors.hpp>

#include <coroutine>

namespace aio {

namespace detail {

// The cancellation side of an aio suspension point: binds to the spawned
// task of the awaiting coroutine, registers as its hook while suspended,
// and raises cancelled_error on resumption when the wait was interrupted or
// a request is pending. A copy is unbound.
class suspension : public cancel_hook {
protected:
  suspension() noexcept = default;
  suspension(const suspension &) noexcept : cancel_hook() {}
  suspension &operator=(const suspension &) = delete;
  ~suspension() { leave(); }

  template <class P> void bind(std::coroutine_handle<P> caller) noexcept {
    ctx_ = context_of(caller);
    interrupted_ = false;
  }
  bool cancel_pending() const noexcept {
    return ctx_ != nullptr && ctx_->cancel_pending();
  }
  // Once suspended: cancel() now goes to interrupt().
  void listen() noexcept {
    if (ctx_ != nullptr) {
      ctx_->set_hook(this);
      listening_ = true;
    }
  }
  void leave() noexcept {
    if (listening_) {
      listening_ = false;
      ctx_->clear_hook(this);
    }
  }
  // A request made before the suspension is offered to it, as asyncio does
  // with a task's must_cancel when it yields a future.
  void forward_pending() noexcept {
    if (cancel_pending() && interrupt())
      ctx_->consume_cancel();
  }
  // On resumption: throws cancelled_error if the wait was interrupted or a
  // request is pending (and consumes the request).
  void deliver() {
    leave();
    if (ctx_ == nullptr)
      return;
    const bool pending = ctx_->consume_cancel();
    if (interrupted_ || pending)
      throw cancelled_error();
  }
  void orphan() noexcept override {
    listening_ = false;
    ctx_ = nullptr;
  }

  task_state *ctx_ = nullptr;
  bool interrupted_ = false;

private:
  bool listening_ = false;
};

// co_await context_probe{} yields the spawned task the awaiting coroutine
// runs in (nullptr outside one) without suspending: not a suspension point.
struct context_probe {
  task_state *ctx = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) noexcept {
    ctx = context_of(caller);
    return false;
  }
  task_state *await_resume() const noexcept { return ctx; }
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_SUSPENSION_HPP
