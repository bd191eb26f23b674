// aio::gather (asyncio.gather), fail-fast or with aio::return_exceptions.
#ifndef AIO_GATHER_HPP
#define AIO_GATHER_HPP

#include <aio/detail/current_step.hpp>
#include <aio/detail/handle_states.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/result.hpp>
#include <aio/detail/suspension.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/outcome.hpp>
#include <aio/spawn.hpp>
#include <aio/task.hpp>
#include <aio/task_handle.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace aio {

namespace detail {

// The handle type gather works with for each argument: a task is spawned,
// a join_handle is used as is.
template <class A> struct gather_traits;
template <class T> struct gather_traits<task<T>> {
  using handle = join_handle<T>;
  using value = T;
  static handle to_handle(task<T> &&t) { return spawn(std::move(t)); }
};
template <class T> struct gather_traits<join_handle<T>> {
  using handle = join_handle<T>;
  using value = T;
  static handle to_handle(join_handle<T> &&h) { return std::move(h); }
};
template <class A>
concept gatherable = requires { typename gather_traits<A>::handle; };

template <class A>
using gather_value_t = value_or_monostate_t<typename gather_traits<A>::value>;

// Waits for every child of a gather. With fail_fast, the first child to
// fail makes it cancel the others; a cancellation of the awaiting task is
// forwarded to all the children (it keeps waiting for them). Afterwards,
// settle() raises the first error, or cancelled_error if the gather itself
// was cancelled, and marks every outcome as retrieved.
class gather_waiter final : suspension, done_observer {
public:
  gather_waiter(std::vector<task_state *> children, bool fail_fast) noexcept
      : children_(std::move(children)), fail_fast_(fail_fast) {}
  gather_waiter(const gather_waiter &) = delete;
  gather_waiter &operator=(const gather_waiter &) = delete;
  ~gather_waiter() { unregister(); }

  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    bind(caller);
    caller_ = caller;
    for (task_state *child : children_) {
      if (child->done()) {
        note(*child);
      } else {
        child->add_observer(this);
        ++remaining_;
      }
    }
    if (remaining_ == 0)
      return false;
    suspended_ = true;
    note_suspend({});
    listen();
    forward_pending();
    return true;
  }
  void await_resume() {
    leave();
    if (suspended_)
      note_resume(ctx_, {});
    // Woken, then cancelled before resuming: asyncio raises here too.
    if (suspended_ && ctx_ != nullptr && ctx_->consume_cancel())
      cancelled_ = true;
  }

  void settle() {
    for (task_state *child : children_)
      child->mark_retrieved();
    if (first_error_)
      std::rethrow_exception(first_error_);
    if (cancelled_)
      throw cancelled_error();
  }

private:
  bool interrupt() noexcept override {
    cancelled_ = true;
    cancel_children();
    return true;
  }
  void on_done(task_state &child) noexcept override {
    note(child);
    if (--remaining_ == 0) {
      leave();
      child.loop().call_soon(resume_callback{caller_});
    }
  }
  void note(task_state &child) noexcept {
    if (!fail_fast_ || first_error_)
      return;
    std::exception_ptr error = child.error();
    if (!error)
      return;
    // A child cancelled because the gather is being cancelled is not the
    // gather's error.
    if (child.cancelled() && cancelled_)
      return;
    first_error_ = std::move(error);
    if (!cancelled_)
      cancel_children();
  }
  void cancel_children() noexcept {
    for (task_state *child : children_)
      child->cancel(); // false, harmlessly, for the finished ones
  }
  void unregister() noexcept {
    if (remaining_ == 0)
      return;
    for (task_state *child : children_)
      child->remove_observer(this);
  }

  std::vector<task_state *> children_; // kept alive by the gather's handles
  std::coroutine_handle<> caller_;
  std::size_t remaining_ = 0;
  std::exception_ptr first_error_;
  bool fail_fast_;
  bool cancelled_ = false;
  bool suspended_ = false;
};

template <class T> value_or_monostate_t<T> take_value(join_handle<T> &h) {
  if constexpr (std::is_void_v<T>) {
    h.result();
    return std::monostate{};
  } else {
    return h.result();
  }
}

template <class T>
outcome<value_or_monostate_t<T>> take_outcome(join_handle<T> &h) {
  return handle_access::typed(h).take_outcome();
}

template <class... Handles, std::size_t... I>
std::tuple<value_or_monostate_t<typename gather_traits<Handles>::value>...>
take_values(std::tuple<Handles...> &handles, std::index_sequence<I...>) {
  return {take_value(std::get<I>(handles))...};
}

template <class... Handles, std::size_t... I>
std::tuple<
    outcome<value_or_monostate_t<typename gather_traits<Handles>::value>>...>
take_outcomes(std::tuple<Handles...> &handles, std::index_sequence<I...>) {
  return {take_outcome(std::get<I>(handles))...};
}

template <class T>
std::vector<join_handle<T>> to_handles(std::vector<task<T>> &&tasks) {
  std::vector<join_handle<T>> handles;
  handles.reserve(tasks.size());
  for (task<T> &t : tasks)
    handles.push_back(spawn(std::move(t)));
  return handles;
}
template <class T>
std::vector<join_handle<T>> to_handles(std::vector<join_handle<T>> &&handles) {
  return std::move(handles);
}

// gather of a vector of tasks or join_handles of T; the tasks are spawned
// when it is awaited.
template <class T, class Source>
task<std::vector<value_or_monostate_t<T>>> gather_vector(Source source) {
  std::vector<join_handle<T>> handles = to_handles(std::move(source));
  gather_waiter waiter(states_of(handles), true);
  co_await waiter;
  waiter.settle();
  std::vector<value_or_monostate_t<T>> values;
  values.reserve(handles.size());
  for (join_handle<T> &h : handles)
    values.push_back(take_value(h));
  co_return values;
}

template <class T, class Source>
task<std::vector<outcome<value_or_monostate_t<T>>>>
gather_vector_outcomes(Source source) {
  std::vector<join_handle<T>> handles = to_handles(std::move(source));
  gather_waiter waiter(states_of(handles), false);
  co_await waiter;
  waiter.settle();
  std::vector<outcome<value_or_monostate_t<T>>> outcomes;
  outcomes.reserve(handles.size());
  for (join_handle<T> &h : handles)
    outcomes.push_back(take_outcome(h));
  co_return outcomes;
}

} // namespace detail

// The tag of gather's return_exceptions=True form.
struct return_exceptions_t {
  explicit return_exceptions_t() = default;
};
inline constexpr return_exceptions_t return_exceptions{};

// co_await aio::gather(a, b, ...): runs the tasks concurrently (each is
// spawned; join_handles of tasks already spawned may be passed too) and
// returns their values as a std::tuple, in argument order, std::monostate
// for void. The first child to fail makes gather cancel the others, wait
// for them to finish, and rethrow that first exception. Cancelling the task
// awaiting gather cancels all children; once they have finished, gather
// raises cancelled_error (a child's error takes precedence). gather never
// returns while a child is still running, so children may refer to the
// caller's locals. The children start when gather is awaited.
template <class... Awaitables>
  requires(detail::gatherable<Awaitables> && ...)
task<std::tuple<detail::gather_value_t<Awaitables>...>>
gather(Awaitables... aws) {
  // Braced initialisation: spawned left to right.
  std::tuple<typename detail::gather_traits<Awaitables>::handle...> handles{
      detail::gather_traits<Awaitables>::to_handle(std::move(aws))...};
  detail::gather_waiter waiter(
      detail::states_of(handles, std::index_sequence_for<Awaitables...>{}),
      true);
  co_await waiter;
  waiter.settle();
  co_return detail::take_values(handles,
                                std::index_sequence_for<Awaitables...>{});
}

// co_await aio::gather(tasks): the same for a vector of tasks (or of
// join_handles); returns their values in order.
template <class T>
task<std::vector<detail::value_or_monostate_t<T>>>
gather(std::vector<task<T>> tasks) {
  return detail::gather_vector<T>(std::move(tasks));
}
template <class T>
task<std::vector<detail::value_or_monostate_t<T>>>
gather(std::vector<join_handle<T>> handles) {
  return detail::gather_vector<T>(std::move(handles));
}

// co_await aio::gather(aio::return_exceptions, a, b, ...): waits for all
// children, none cancelled by another's failure, and returns an outcome per
// child (value or exception). Cancelling the awaiting task still cancels
// the children and raises cancelled_error once they have finished.
template <class... Awaitables>
  requires(detail::gatherable<Awaitables> && ...)
task<std::tuple<outcome<detail::gather_value_t<Awaitables>>...>>
gather(return_exceptions_t, Awaitables... aws) {
  std::tuple<typename detail::gather_traits<Awaitables>::handle...> handles{
      detail::gather_traits<Awaitables>::to_handle(std::move(aws))...};
  detail::gather_waiter waiter(
      detail::states_of(handles, std::index_sequence_for<Awaitables...>{}),
      false);
  co_await waiter;
  waiter.settle();
  co_return detail::take_outcomes(handles,
                                  std::index_sequence_for<Awaitables...>{});
}

template <class T>
task<std::vector<outcome<detail::value_or_monostate_t<T>>>>
gather(return_exceptions_t, std::vector<task<T>> tasks) {
  return detail::gather_vector_outcomes<T>(std::move(tasks));
}
template <class T>
task<std::vector<outcome<detail::value_or_monostate_t<T>>>>
gather(return_exceptions_t, std::vector<join_handle<T>> handles) {
  return detail::gather_vector_outcomes<T>(std::move(handles));
}

} // namespace aio

#endif // AIO_GATHER_HPP
