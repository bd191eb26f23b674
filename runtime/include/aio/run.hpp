// aio::run: runs a task on a new event loop (asyncio.run).
#ifndef AIO_RUN_HPP
#define AIO_RUN_HPP

#include <aio/debug.hpp>
#include <aio/event_loop.hpp>
#include <aio/task.hpp>

#include <source_location>
#include <utility>

namespace aio {

// Runs main on a new event loop until it finishes; returns its value or
// rethrows its exception. Spawned tasks still unfinished are destroyed.
// options: debug mode (aio::run(main(), {.debug = true})), see run_options.
template <class T>
T run(task<T> main, run_options options = {},
      std::source_location where = std::source_location::current()) {
  event_loop loop(std::move(options));
  return loop.run_until_complete(std::move(main), where);
}

} // namespace aio

#endif // AIO_RUN_HPP
