// What a thread running a loop knows about it: the running loop, and the
// step running now (the task it resumed and where), which the awaitables
// record as tasks resume and suspend. The blocking guard reads the step
// through aio/step_state.h.
#ifndef AIO_DETAIL_CURRENT_STEP_HPP
#define AIO_DETAIL_CURRENT_STEP_HPP

#include <aio/detail/fwd.hpp>
#include <aio/step_state.h>

#include <source_location>
#include <string>

namespace aio {

namespace detail {

// The loop running on this thread, set by event_loop::run_until_complete.
inline thread_local event_loop *running_loop = nullptr;

// The step running on this thread: the blocking guard's view (abi, see
// aio/step_state.h) and where its task resumed and suspended, recorded by
// the awaitables (plain stores, cheaper than testing for debug mode).
struct step_state {
  aio_step_state abi{AIO_STEP_STATE_VERSION, 0, nullptr, nullptr, nullptr};
  std::source_location resumed_at{};
  std::source_location suspended_at{};
};
inline constinit thread_local step_state current_step{};

inline void note_suspend(const std::source_location &where) noexcept {
  current_step.suspended_at = where;
}
// An aio awaitable resumes the task ctx: the step running now is ctx's.
inline void note_resume(task_state *ctx,
                        const std::source_location &where) noexcept {
  current_step.abi.task = ctx;
  current_step.resumed_at = where;
}

// "f.cpp:12", or "" for an unknown location.
inline std::string where_text(const std::source_location &where) {
  if (where.line() == 0)
    return std::string();
  return std::string(where.file_name()) + ":" + std::to_string(where.line());
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_CURRENT_STEP_HPP
