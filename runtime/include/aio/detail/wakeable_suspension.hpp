// detail::wakeable_suspension, a suspension point that an event wakes (a
// task finishing, a timer) or a cancellation of the awaiting task ends at
// once: the waits of as_completed, wait and task_group.
#ifndef AIO_DETAIL_WAKEABLE_SUSPENSION_HPP
#define AIO_DETAIL_WAKEABLE_SUSPENSION_HPP

#include <aio/detail/resume.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/event_loop.hpp>

#include <coroutine>

namespace aio {

namespace detail {

// The derived class records caller_ and loop_ when it suspends and defines
// wake(), which undoes what it set up for the wait, then calls
// resume_caller(). A cancellation wakes it the first time (deliver() then
// raises cancelled_error); a derived class may override interrupt().
class wakeable_suspension : public suspension {
protected:
  wakeable_suspension() noexcept = default;
  // A copy is unbound (see suspension).
  wakeable_suspension(const wakeable_suspension &other) noexcept
      : suspension(other) {}
  wakeable_suspension &operator=(const wakeable_suspension &) = delete;
  ~wakeable_suspension() = default;

  bool interrupt() noexcept override {
    if (interrupted_)
      return false;
    interrupted_ = true;
    wake();
    return true;
  }
  virtual void wake() noexcept = 0;

  // Stops listening for cancellation and queues the caller's resumption.
  void resume_caller() noexcept {
    leave();
    loop_->call_soon(resume_callback{caller_});
  }

  std::coroutine_handle<> caller_;
  event_loop *loop_ = nullptr;
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_WAKEABLE_SUSPENSION_HPP
