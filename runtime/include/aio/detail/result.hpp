// detail::result<T>, the outcome of a task's body as its promise stores it.
#ifndef AIO_DETAIL_RESULT_HPP
#define AIO_DETAIL_RESULT_HPP

#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace aio {

namespace detail {

// The outcome of a computation: nothing yet, a value, or an exception.
// get() hands the outcome over once.
template <class T> class result {
public:
  template <class U> void set_value(U &&value) {
    state_.template emplace<1>(std::forward<U>(value));
  }
  void set_error(std::exception_ptr error) noexcept {
    state_.template emplace<2>(std::move(error));
  }
  bool has_error() const noexcept { return state_.index() == 2; }
  std::exception_ptr error() const noexcept {
    return state_.index() == 2 ? std::get<2>(state_) : nullptr;
  }

  T get() {
    if (state_.index() == 2) {
      std::exception_ptr error = std::get<2>(state_);
      state_.template emplace<0>();
      std::rethrow_exception(error);
    }
    if (state_.index() != 1)
      throw std::logic_error("aio: result already taken or not set");
    T value = std::move(std::get<1>(state_));
    state_.template emplace<0>();
    return value;
  }

private:
  std::variant<std::monostate, T, std::exception_ptr> state_;
};

template <> class result<void> {
public:
  void set_value() noexcept { set_ = true; }
  void set_error(std::exception_ptr error) noexcept {
    error_ = std::move(error);
    set_ = true;
  }
  bool has_error() const noexcept { return error_ != nullptr; }
  std::exception_ptr error() const noexcept { return error_; }

  void get() {
    if (!set_)
      throw std::logic_error("aio: result already taken or not set");
    set_ = false;
    if (error_)
      std::rethrow_exception(std::exchange(error_, nullptr));
  }

private:
  std::exception_ptr error_;
  bool set_ = false;
};

template <class T>
using value_or_monostate_t =
    std::conditional_t<std::is_void_v<T>, std::monostate, T>;

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_RESULT_HPP
