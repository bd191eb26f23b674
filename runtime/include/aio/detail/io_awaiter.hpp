// detail::io_awaiter<Op>, the awaitable of every socket operation, and
// detail::retry_io, the retry of its non-blocking system calls: try at
// once, retry when interrupted, wait for the descriptor when it would block.
#ifndef AIO_DETAIL_IO_AWAITER_HPP
#define AIO_DETAIL_IO_AWAITER_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/io_waiter.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/event_loop.hpp>

#include <cerrno>
#include <coroutine>
#include <source_location>

namespace aio {

namespace detail {

// The operations io_awaiter runs (read_op, write_op, accept_op, connect_op)
// say which direction they wait for (writes) and provide attempt() and
// finish(). attempt() makes the non-blocking call and returns true once the
// operation is over (done or failed), false if it would block; finish()
// returns its result or throws its error. The descriptor is read from the
// entry at each attempt, so a stream closed meanwhile fails with EBADF
// instead of touching a reused descriptor number.

// Every attempt's non-blocking system call, made by call(), which returns
// false with errno set if it failed. An interrupted call (EINTR) is made
// again, and so is one failing with `skipped` (accept's ECONNABORTED).
// Returns what attempt() returns: true once the operation is over (the call
// succeeded, or failed: error is set to errno), false if it would block
// (EAGAIN, or `pending`: connect's EINPROGRESS), for io_awaiter to wait for
// the descriptor and attempt again.
template <class Call>
bool retry_io(int &error, Call &&call, int pending = EAGAIN,
              int skipped = EINTR) noexcept {
  for (;;) {
    if (call())
      return true;
    if (errno == EINTR || errno == skipped)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == pending)
      return false;
    error = errno;
    return true;
  }
}

// The awaitable of every socket operation: tries the operation at once
// (no suspension if it completes), else waits for the descriptor to be
// ready and tries again, in the step that resumes the task. Cancelling the
// task while it waits removes the wait (and the descriptor from the epoll
// set) and raises cancelled_error; an operation that completed is not
// undone (a write_all may have written part of the data). Movable until
// awaited (so that wait_for(stream.read_some(buf), d) works).
template <class Op>
class [[nodiscard]] io_awaiter final : suspension, io_waiter {
public:
  io_awaiter(Op op, std::source_location where) noexcept
      : op_(op), where_(where) {}
  io_awaiter(io_awaiter &&other) noexcept
      : suspension(other), io_waiter(), op_(other.op_), where_(other.where_) {}
  io_awaiter(const io_awaiter &) = delete;
  io_awaiter &operator=(const io_awaiter &) = delete;
  ~io_awaiter() {
    if (waiting_)
      loop_access::io_cancel(*loop_, *op_.entry, this);
  }

  bool await_ready() noexcept { return op_.attempt(); }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    bind(caller);
    if (cancel_pending())
      return false; // raise at once, without waiting
    loop_ = &get_running_loop();
    caller_ = caller;
    wait();
    suspended_ = true;
    note_suspend(where_);
    listen();
    return true;
  }
  decltype(auto) await_resume() {
    if (suspended_)
      note_resume(ctx_, where_);
    deliver();
    return op_.finish();
  }

private:
  // Runs the continuation as a step of the loop.
  struct step_callback {
    io_awaiter *self;
    void operator()() const { self->on_ready(); }
  };

  void wait() {
    loop_access::io_wait(*loop_, *op_.entry, Op::writes, this);
    waiting_ = true;
  }
  // From the I/O poll: the descriptor is ready (poll_io cleared the slot).
  void ready() noexcept override {
    waiting_ = false;
    loop_access::io_woken(*loop_);
    loop_->call_soon(step_callback{this});
  }
  void on_ready() {
    // A cancellation that arrived meanwhile is raised without attempting.
    if (!cancel_pending() && !op_.attempt()) {
      wait(); // readiness was spurious
      return;
    }
    caller_.resume();
  }
  bool interrupt() noexcept override {
    if (!waiting_)
      return false; // already woken: raised when it resumes
    loop_access::io_cancel(*loop_, *op_.entry, this);
    waiting_ = false;
    interrupted_ = true;
    loop_->call_soon(resume_callback{caller_});
    return true;
  }

  Op op_;
  std::source_location where_;
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
  bool waiting_ = false;
  bool suspended_ = false;
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_IO_AWAITER_HPP
