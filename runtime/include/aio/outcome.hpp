// aio::outcome<T>, a value or an exception: what
// gather(aio::return_exceptions, ...) returns for each child.
#ifndef AIO_OUTCOME_HPP
#define AIO_OUTCOME_HPP

#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace aio {

// A value or an exception: the element type of gather(return_exceptions,
// ...). Tasks returning void produce an outcome<std::monostate>.
template <class T> class outcome {
  static_assert(!std::is_reference_v<T> && !std::is_void_v<T>,
                "aio::outcome<T> holds a value type");

public:
  // An empty outcome (neither a value nor an error).
  outcome() noexcept = default;
  template <class... Args>
  explicit outcome(std::in_place_t, Args &&...args)
      : state_(std::in_place_index<1>, std::forward<Args>(args)...) {}
  static outcome from_error(std::exception_ptr error) noexcept {
    outcome o;
    o.state_.template emplace<2>(std::move(error));
    return o;
  }

  bool has_value() const noexcept { return state_.index() == 1; }
  bool has_error() const noexcept { return state_.index() == 2; }
  explicit operator bool() const noexcept { return has_value(); }

  // The value; rethrows the error, or throws std::logic_error if empty.
  T &value() & {
    check();
    return std::get<1>(state_);
  }
  const T &value() const & {
    check();
    return std::get<1>(state_);
  }
  T &&value() && {
    check();
    return std::move(std::get<1>(state_));
  }
  // The error, or nullptr.
  std::exception_ptr error() const noexcept {
    return has_error() ? std::get<2>(state_) : nullptr;
  }

private:
  void check() const {
    if (state_.index() == 2)
      std::rethrow_exception(std::get<2>(state_));
    if (state_.index() == 0)
      throw std::logic_error("aio: empty outcome");
  }

  std::variant<std::monostate, T, std::exception_ptr> state_;
};

} // namespace aio

#endif // AIO_OUTCOME_HPP
