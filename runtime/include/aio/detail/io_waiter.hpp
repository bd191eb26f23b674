// The loop's epoll side of a descriptor: detail::io_entry, registered in
// the epoll set, and detail::io_waiter, what waits on one direction of it.
#ifndef AIO_DETAIL_IO_WAITER_HPP
#define AIO_DETAIL_IO_WAITER_HPP

#include <aio/detail/fwd.hpp>

namespace aio {

namespace detail {

// One side of a file descriptor waited on by the loop (I/O awaitables).
// ready() runs on the loop's thread during the I/O poll, outside any step:
// like cancel hooks, it only schedules.
class io_waiter {
public:
  virtual void ready() noexcept = 0;

protected:
  io_waiter() = default;
  io_waiter(const io_waiter &) = default;
  io_waiter &operator=(const io_waiter &) = default;
  ~io_waiter() = default;
};

// A descriptor as the loop's epoll set knows it: registered edge-triggered
// for both directions on its first wait, and the waiter of each direction
// (one at a time). Owned by the socket object, at a stable address.
struct io_entry {
  int fd = -1;
  event_loop *loop = nullptr; // the loop it is registered with, if any
  io_waiter *reader = nullptr;
  io_waiter *writer = nullptr;
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_IO_WAITER_HPP
