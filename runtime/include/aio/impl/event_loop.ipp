// The definitions that need event_loop, task and task_handle all complete:
// the loop's private operations for the awaitables (loop_access), the state
// behind a handle (handle_access), and the loop's reports for the blocking
// guard and for coroutines never started. event_loop.hpp, task.hpp and
// task_handle.hpp include this file at their end, so that each of them is
// complete on its own; it includes impl/spawn.ipp at its own end.
#ifndef AIO_IMPL_EVENT_LOOP_IPP
#define AIO_IMPL_EVENT_LOOP_IPP

#include <aio/debug.hpp>
#include <aio/detail/current_step.hpp>
#include <aio/detail/io_waiter.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/event_loop.hpp>
#include <aio/step_state.h>
#include <aio/task.hpp>
#include <aio/task_handle.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

namespace aio {

namespace detail {

struct loop_access {
  static std::uint64_t schedule_timer(event_loop &loop,
                                      steady_clock::time_point when,
                                      event_loop::callback fn) {
    return loop.schedule_timer(when, std::move(fn));
  }
  static void cancel_timer(event_loop &loop, std::uint64_t id) noexcept {
    loop.cancel_timer(id);
  }
  static void hold_for_step(event_loop &loop,
                            std::shared_ptr<task_state> state) noexcept {
    loop.debug_hold_ = std::move(state);
  }
  static void track(event_loop &loop, std::shared_ptr<task_state> state) {
    loop.track(std::move(state));
  }
  static void io_wait(event_loop &loop, io_entry &entry, bool write,
                      io_waiter *waiter) {
    loop.io_wait(entry, write, waiter);
  }
  static void io_woken(event_loop &loop) noexcept { loop.io_woken(); }
  static void io_cancel(event_loop &loop, io_entry &entry,
                        io_waiter *waiter) noexcept {
    loop.io_cancel(entry, waiter);
  }
};

inline std::size_t describe_step(const aio_step_state *state, char *buf,
                                 std::size_t size) {
  if (size == 0)
    return 0;
  std::string text = "a callback";
  try {
    if (state->task != nullptr)
      text = static_cast<const task_state *>(state->task)->describe();
  } catch (...) { // no memory: say what we can
  }
  const std::size_t n = std::min(text.size(), size - 1);
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
  return n;
}

inline void blocking_call_reported(const aio_step_state *state,
                                   const char *function, const char *line) {
  event_loop *loop = running_loop;
  if (loop == nullptr)
    return;
  debug_report r;
  r.what = debug_report::kind::blocking_call;
  r.function = function;
  r.line = line;
  if (const auto *task = static_cast<const task_state *>(state->task)) {
    r.task = task->name();
    r.spawned_at = task->spawned_at();
  }
  loop->report(std::move(r));
}

inline void report_unstarted_task() noexcept {
  event_loop *loop = running_loop;
  if (loop == nullptr || !loop->debug())
    return;
  try {
    const step_state &step = current_step;
    debug_report r;
    r.what = debug_report::kind::never_awaited;
    r.line = "aio: never awaited: a coroutine destroyed unstarted in ";
    const auto *task = step.abi.running != 0
                           ? static_cast<const task_state *>(step.abi.task)
                           : nullptr;
    if (task != nullptr) {
      r.task = task->name();
      r.spawned_at = task->spawned_at();
      r.line += task->describe();
    } else {
      r.line += "a callback";
    }
    loop->report(std::move(r));
  } catch (...) { // no memory for the report
  }
}

struct handle_access {
  static task_state *state(const task_handle &handle) noexcept {
    return handle.state_.get();
  }
  static const std::shared_ptr<task_state> &
  shared(const task_handle &handle) noexcept {
    return handle.state_;
  }
  static task_handle make(std::shared_ptr<task_state> state) noexcept {
    return task_handle(std::move(state));
  }
  template <class T> static join_state<T> &typed(const join_handle<T> &h) {
    return h.typed();
  }
};
} // namespace detail

inline void event_loop::mark_joined(const task_handle &handle) noexcept {
  detail::handle_access::state(handle)->mark_joined();
}

} // namespace aio

#include <aio/impl/spawn.ipp>

#endif // AIO_IMPL_EVENT_LOOP_IPP
