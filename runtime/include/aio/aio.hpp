// aio: a tiny, header-only, single-threaded asyncio-style runtime for C++20.
//
//   aio::task<int> answer() {
//     co_await aio::sleep_for(std::chrono::milliseconds(10));
//     co_return 42;
//   }
//   int main() { return aio::run(answer()) == 42 ? 0 : 1; }
//
// One event loop runs on one thread: a FIFO queue of ready callbacks and a
// binary heap of timers. Coroutines suspend on the loop (sleep_for,
// sleep_until, yield, awaiting a spawned task) and the loop resumes them.
//
// Blocking work leaves the loop's thread through a thread pool and the
// awaiting coroutine resumes on the loop's thread when it is done:
//
//   aio::task<std::size_t> read_some(std::FILE *f, char *buf, std::size_t n) {
//     co_return co_await aio::to_thread(
//         [&] { return std::fread(buf, 1, n, f); });
//   }
//
// Cancellation follows asyncio. aio::spawn returns a handle whose cancel()
// raises aio::cancelled_error inside the spawned task at its current (or
// next) suspension point; wait_for/timeout turn the cancellation they cause
// into aio::timeout_error; gather, wait, as_completed and task_group combine
// spawned tasks. docs/runtime.md has the full semantics.
//
// Only event_loop::call_soon_threadsafe and thread_pool may be used from
// other threads; everything else (including cancel()) belongs to the thread
// running the loop.
//
// This header includes all of aio. Each part has a header of its own,
// named after what it defines (aio/task.hpp, aio/event_loop.hpp,
// aio/net/tcp_stream.hpp, ...; docs/runtime.md lists them); including one
// compiles less.
#ifndef AIO_AIO_HPP
#define AIO_AIO_HPP

#include <aio/as_completed.hpp>
#include <aio/current_task.hpp>
#include <aio/debug.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/file.hpp>
#include <aio/gather.hpp>
#include <aio/net/tcp_listener.hpp>
#include <aio/net/tcp_stream.hpp>
#include <aio/offload.hpp>
#include <aio/outcome.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/spawn.hpp>
#include <aio/task.hpp>
#include <aio/task_group.hpp>
#include <aio/task_handle.hpp>
#include <aio/thread_pool.hpp>
#include <aio/timeout.hpp>
#include <aio/wait.hpp>
#include <aio/yield.hpp>

#include <aio/impl/event_loop.ipp>

#endif // AIO_AIO_HPP
