// detail::join_state<T>, a spawned task's state with its outcome: what a
// join_handle<T> refers to.
#ifndef AIO_DETAIL_JOIN_STATE_HPP
#define AIO_DETAIL_JOIN_STATE_HPP

#include <aio/detail/result.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/outcome.hpp>

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

// A spawned task's state with its outcome.
template <class T> class join_state final : public task_state {
public:
  using task_state::task_state;
  ~join_state() override {
    if (done() && !retrieved_ && !cancelled() && stored.has_error())
      std::fputs("aio: exception of a spawned task was never retrieved\n",
                 stderr);
  }

  std::exception_ptr error() const noexcept override {
    return stored.error();
  }

  // The value (handed over once) or the exception (rethrown every time).
  T take() {
    if (!done())
      throw std::logic_error("aio: the spawned task has not finished");
    mark_retrieved();
    if (std::exception_ptr error = stored.error())
      std::rethrow_exception(error);
    return stored.get();
  }
  outcome<value_or_monostate_t<T>> take_outcome() {
    using value = value_or_monostate_t<T>;
    if (!done())
      throw std::logic_error("aio: the spawned task has not finished");
    mark_retrieved();
    if (std::exception_ptr error = stored.error())
      return aio::outcome<value>::from_error(std::move(error));
    if constexpr (std::is_void_v<T>) {
      stored.get();
      return aio::outcome<value>(std::in_place);
    } else {
      return aio::outcome<value>(std::in_place, stored.get());
    }
  }

  result<T> stored;
};

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_JOIN_STATE_HPP
