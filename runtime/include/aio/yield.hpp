// aio::yield: lets the other ready tasks run (asyncio.sleep(0)).
#ifndef AIO_YIELD_HPP
#define AIO_YIELD_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>

#include <coroutine>
#include <source_location>

namespace aio {

namespace detail {

// The awaitable of yield: resumes after the callbacks already queued. A
// cancellation requested meanwhile is raised when it resumes.
class [[nodiscard]] yield_awaiter {
public:
  explicit yield_awaiter(std::source_location where = {}) noexcept
      : where_(where) {}
  bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> caller) {
    ctx_ = context_of(caller);
    if (ctx_ != nullptr && ctx_->cancel_pending())
      return false;
    get_running_loop().call_soon(resume_callback{caller});
    note_suspend(where_);
    return true;
  }
  void await_resume() const {
    note_resume(ctx_, where_);
    if (ctx_ != nullptr && ctx_->consume_cancel())
      throw cancelled_error();
  }

private:
  task_state *ctx_ = nullptr;
  std::source_location where_;
};

} // namespace detail

// co_await aio::yield(): lets every other ready task run once, then resumes.
inline detail::yield_awaiter
yield(std::source_location where = std::source_location::current()) noexcept {
  return detail::yield_awaiter(where);
}

} // namespace aio

#endif // AIO_YIELD_HPP
