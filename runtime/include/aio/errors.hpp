// aio's exceptions: aio::cancelled_error, raised in a cancelled task, and
// aio::timeout_error, raised when a deadline passed.
#ifndef AIO_ERRORS_HPP
#define AIO_ERRORS_HPP

#include <exception>
#include <stdexcept>
#include <string>

namespace aio {

// Raised inside a task at a suspension point when the task is cancelled
// (join_handle::cancel, a timeout, a failing sibling in gather or a
// task_group). A task that catches it and does not rethrow it goes on
// running normally: the cancellation request is consumed.
class cancelled_error : public std::exception {
public:
  cancelled_error() noexcept = default;
  const char *what() const noexcept override { return "aio: task cancelled"; }
};

// Raised by wait_for and timeout(...).run(...) when their deadline passed
// (in place of the cancelled_error their timer caused).
class timeout_error : public std::runtime_error {
public:
  timeout_error() : std::runtime_error("aio: timed out") {}
  explicit timeout_error(const std::string &what) : std::runtime_error(what) {}
};

} // namespace aio

#endif // AIO_ERRORS_HPP
