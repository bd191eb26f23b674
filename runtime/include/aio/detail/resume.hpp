// The callback that resumes a coroutine on the loop, and a hash of
// coroutine handles.
#ifndef AIO_DETAIL_RESUME_HPP
#define AIO_DETAIL_RESUME_HPP

#include <coroutine>
#include <cstddef>
#include <functional>

namespace aio {

namespace detail {

// Hashes a coroutine handle by its frame address (libstdc++ 12's
// std::hash<coroutine_handle> cannot be called through a const hasher).
struct handle_hash {
  std::size_t operator()(std::coroutine_handle<> handle) const noexcept {
    return std::hash<void *>{}(handle.address());
  }
};

// Resumes a suspended coroutine; the callback every awaitable schedules.
struct resume_callback {
  std::coroutine_handle<> handle;
  void operator()() const { handle.resume(); }
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_RESUME_HPP
