// aio::task<T>, aio's lazy coroutine type, and its promises.
#ifndef AIO_TASK_HPP
#define AIO_TASK_HPP

#include <aio/detail/fwd.hpp>
#include <aio/detail/result.hpp>
#include <aio/detail/task_state.hpp>

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

// What every task promise shares: lazy start, the awaiting coroutine to
// resume at the end (symmetric transfer), and the outcome.
template <class T> class task_promise_base : public context_promise {
public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<>
    await_suspend(std::coroutine_handle<Promise> self) const noexcept {
      task_promise_base &promise = self.promise();
      if (promise.starting)
        return std::noop_coroutine(); // the awaiter resumes its caller
      return promise.continuation;
    }
    void await_resume() const noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept {
    outcome.set_error(std::current_exception());
  }

  std::coroutine_handle<> continuation = std::noop_coroutine();
  // True while the awaiter's await_suspend runs the body for the first
  // time. A body that ends then returns there instead of transferring to
  // the continuation, so that a loop of tasks completing synchronously does
  // not grow the stack on compilers that do not make symmetric transfer a
  // tail call (GCC at -O0 or with sanitizers).
  bool starting = false;
  // Set when the body first runs; a task destroyed before that was never
  // awaited (debug mode reports it).
  bool started = false;
  result<T> outcome;
};

template <class T> class task_promise : public task_promise_base<T> {
public:
  task<T> get_return_object() noexcept;

  template <class U = T>
    requires std::is_convertible_v<U &&, T>
  void return_value(U &&value) {
    this->outcome.set_value(std::forward<U>(value));
  }
};

template <> class task_promise<void> : public task_promise_base<void> {
public:
  task<void> get_return_object() noexcept;
  void return_void() noexcept { outcome.set_value(); }
};

} // namespace detail

// A lazy coroutine producing a T (or nothing, for task<void>). The body
// starts when the task is first co_awaited and the awaiter resumes when it
// ends; an exception escaping the body is rethrown in the awaiter. A task
// owns its coroutine frame and is awaited once. Hand a task to aio::run or
// aio::spawn to start it from outside a coroutine. Awaiting a task is not a
// suspension point of its own: the body runs as part of the awaiting task,
// and a cancellation reaches it wherever it suspends.
template <class T> class [[nodiscard]] task {
  static_assert(!std::is_reference_v<T>,
                "aio::task<T&> is not supported; return a pointer or a "
                "std::reference_wrapper");

public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  task() noexcept = default;
  task(task &&other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  task &operator=(task &&other) noexcept {
    if (this != &other) {
      release();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  task(const task &) = delete;
  task &operator=(const task &) = delete;
  ~task() { release(); }

  // False for a default-constructed or moved-from task.
  bool valid() const noexcept { return static_cast<bool>(handle_); }
  // True once the body has finished (returned or thrown).
  bool done() const noexcept { return handle_ && handle_.done(); }

  struct awaiter {
    std::coroutine_handle<promise_type> handle;

    bool await_ready() const noexcept { return !handle || handle.done(); }
    // Runs the body up to its first suspension; the caller stays suspended
    // (true) unless the body has already finished. A body finishing later
    // resumes the caller from its final_suspend by symmetric transfer. The
    // body runs in the caller's spawned task (for cancellation).
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> caller) const noexcept {
      promise_type &promise = handle.promise();
      promise.aio_ctx = detail::context_of(caller);
      promise.continuation = caller;
      promise.started = true;
      promise.starting = true;
      handle.resume();
      promise.starting = false;
      return !handle.done();
    }
    T await_resume() const {
      if (!handle)
        throw std::logic_error("aio: awaiting an empty task");
      return handle.promise().outcome.get();
    }
  };
  awaiter operator co_await() const noexcept { return awaiter{handle_}; }

private:
  friend promise_type;
  friend struct detail::task_access;
  explicit task(std::coroutine_handle<promise_type> handle) noexcept
      : handle_(handle) {}

  void release() noexcept {
    if (!handle_)
      return;
    if (!handle_.promise().started)
      detail::report_unstarted_task();
    handle_.destroy();
  }

  std::coroutine_handle<promise_type> handle_;
};

namespace detail {
// For a task deliberately dropped unstarted (a spawned task cancelled
// before it began): no "never awaited" report.
struct task_access {
  template <class T> static void mark_started(task<T> &t) noexcept {
    if (t.handle_)
      t.handle_.promise().started = true;
  }
};
} // namespace detail

namespace detail {

template <class T> task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<task_promise>::from_promise(*this));
}

} // namespace detail

} // namespace aio

#include <aio/impl/event_loop.ipp>

#endif // AIO_TASK_HPP
