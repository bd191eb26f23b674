// Forward declarations of the aio types that refer to each other
// (event_loop, task, task_handle, join_handle) and of the internals they
// befriend, so that every header can name them before they are defined.
#ifndef AIO_DETAIL_FWD_HPP
#define AIO_DETAIL_FWD_HPP

#include <source_location>

namespace aio {

class event_loop;
template <class T = void> class task;
class task_handle;
template <class T> class join_handle;

namespace detail {

// The shared state of a spawned task (detail/task_state.hpp).
class task_state;
// Marks a task as started (task.hpp).
struct task_access;

// Debug mode's report of a task destroyed before it started (defined in
// impl/event_loop.ipp).
inline void report_unstarted_task() noexcept;

// The promise of the root coroutine that drives a spawned task, and the
// function that spawns one (impl/spawn.ipp).
class root_promise;
template <class T>
join_handle<T> spawn_on(event_loop &loop, task<T> work,
                        const std::source_location &where);

// The loop-facing half of run_in_executor's awaitable (offload.hpp).
class offload_base;

// Private loop operations for the awaitables (impl/event_loop.ipp).
struct loop_access;

// Reaches the state behind a handle (impl/event_loop.ipp).
struct handle_access;

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_FWD_HPP
