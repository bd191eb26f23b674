// aio::spawn: starts a task on the running loop (asyncio.create_task).
#ifndef AIO_SPAWN_HPP
#define AIO_SPAWN_HPP

#include <aio/event_loop.hpp>
#include <aio/task.hpp>
#include <aio/task_handle.hpp>

#include <source_location>
#include <string>
#include <utility>

namespace aio {

// Starts work on the running loop as an independent task (it begins in the
// next loop iteration) and returns a handle to co_await its result.
// `where` defaults to the call site: debug mode's reports name it.
template <class T>
join_handle<T>
spawn(task<T> work,
      std::source_location where = std::source_location::current()) {
  return detail::spawn_on(get_running_loop(), std::move(work), where);
}

// spawn, naming the task (asyncio's create_task(coro, name=...)).
template <class T>
join_handle<T>
spawn(task<T> work, std::string name,
      std::source_location where = std::source_location::current()) {
  join_handle<T> handle =
      detail::spawn_on(get_running_loop(), std::move(work), where);
  handle.set_name(std::move(name));
  return handle;
}

} // namespace aio

#endif // AIO_SPAWN_HPP
