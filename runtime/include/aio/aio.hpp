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
#ifndef AIO_AIO_HPP
#define AIO_AIO_HPP

#include <aio/step_state.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <arpa/inet.h>
#include <cerrno>
#include <ctime>
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace aio {

class event_loop;
template <class T = void> class task;
class task_handle;
template <class T> class join_handle;

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

// --- Debug mode -------------------------------------------------------------

// One report of debug mode or of the blocking guard (libaio-blockguard.so).
// `line` is what is printed on stderr (without the newline):
//
//   aio: slow step: 345.123 ms in task 'Task-3' (spawned at f.cpp:42), resumed at f.cpp:50, suspended at f.cpp:57
//   aio: never awaited: task 'Task-5' (spawned at f.cpp:30), finished
//   aio: never awaited: task 'Task-6' (spawned at f.cpp:31), still pending at exit
//   aio: never awaited: a coroutine destroyed unstarted in task 'Task-2' (spawned at f.cpp:9)
//   aio: blocking call: usleep in task 'Task-2' (spawned at f.cpp:12)
//
// A step that resumed no task (a plain callback) is "in a callback".
struct debug_report {
  enum class kind { slow_step, never_awaited, blocking_call };
  kind what = kind::slow_step;
  std::string task; // the task's name; empty for a callback
  std::source_location spawned_at{};
  // Where the task resumed and where it suspended again (the aio awaitables
  // awaited there), when known; line() is 0 otherwise.
  std::source_location resumed_at{};
  std::source_location suspended_at{};
  std::chrono::microseconds duration{}; // slow_step: a lower bound
  std::string function;                 // blocking_call: "usleep", ...
  std::string line;
};

// How many reports a loop made, per kind.
struct debug_counters {
  std::size_t slow_steps = 0;
  std::size_t never_awaited = 0;
  std::size_t blocking_calls = 0;
};

// Options of aio::run and event_loop:
//   aio::run(main(), {.debug = true, .slow_step = 20ms, .on_report = f});
// The environment also turns debug mode on: AIO_DEBUG=1 (any value but
// empty or 0), and AIO_SLOW_STEP_MS=<milliseconds, may be fractional> sets
// the threshold (overriding slow_step).
struct run_options {
  // Report slow steps and tasks never awaited (docs/runtime.md).
  bool debug = false;
  // A step holding the loop longer than this is reported.
  std::chrono::microseconds slow_step = std::chrono::milliseconds(100);
  // Called on the loop's thread for every report (debug mode, and the
  // blocking guard's whatever the mode); must not throw.
  std::function<void(const debug_report &)> on_report = nullptr;
  // No stderr output from debug mode (on_report is still called).
  bool quiet = false;
};

namespace detail {

using steady_clock = std::chrono::steady_clock;

// The loop running on this thread, set by event_loop::run_until_complete.
inline thread_local event_loop *running_loop = nullptr;

// The step running on this thread: the blocking guard's view (abi, see
// aio/step_state.h) and where its task resumed and suspended, recorded by
// the awaitables (plain stores, cheaper than testing for debug mode).
struct step_state {
  aio_step_state abi{AIO_STEP_STATE_VERSION, 0, nullptr, nullptr, nullptr};
  std::source_location resumed_at{};
  std::source_location suspended_at{};
};
inline constinit thread_local step_state current_step{};

inline void note_suspend(const std::source_location &where) noexcept {
  current_step.suspended_at = where;
}

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

namespace detail {

class task_state;

// An aio awaitable resumes the task ctx: the step running now is ctx's.
inline void note_resume(task_state *ctx,
                        const std::source_location &where) noexcept {
  current_step.abi.task = ctx;
  current_step.resumed_at = where;
}

// The suspension point a task is currently waiting at, as seen by
// task_state::cancel. interrupt() returns true if it takes the request over
// (it will wake the task with cancelled_error, or it has forwarded the
// request to what the task waits for) and false to leave the request
// pending, to be delivered when the task resumes. It must not resume any
// coroutine itself, only schedule resumptions on the loop.
class cancel_hook {
public:
  virtual bool interrupt() noexcept = 0;
  // The task's coroutines are being destroyed with its loop: forget the task.
  virtual void orphan() noexcept = 0;

protected:
  cancel_hook() = default;
  cancel_hook(const cancel_hook &) = default;
  cancel_hook &operator=(const cancel_hook &) = default;
  ~cancel_hook() = default;
};

// Notified, synchronously, when a spawned task finishes. Like cancel hooks,
// observers only schedule resumptions.
class done_observer {
public:
  virtual void on_done(task_state &task) noexcept = 0;

protected:
  done_observer() = default;
  done_observer(const done_observer &) = default;
  done_observer &operator=(const done_observer &) = default;
  ~done_observer() = default;
};

// Numbers default task names ("Task-1", ...) across all loops.
inline std::atomic<std::uint64_t> task_counter{0};

// What a spawned task, its handles and the coroutines running in it share:
// completion, cancellation state and the current suspension point.
//
// Cancellation, as in asyncio: cancel() counts the request and offers it to
// the suspension point the task waits at (its hook). If that one does not
// take it (the task is running, is ready to run, or waits for something
// that cannot be interrupted), the request stays pending (must_cancel_) and
// the task's next aio suspension point, or the one it is resuming from,
// raises cancelled_error and clears it. uncancel() undoes one request, and
// clears a pending one when none is left.
class task_state : public std::enable_shared_from_this<task_state> {
public:
  explicit task_state(event_loop &loop) noexcept
      : loop_(&loop),
        number_(task_counter.fetch_add(1, std::memory_order_relaxed) + 1) {}
  task_state(const task_state &) = delete;
  task_state &operator=(const task_state &) = delete;
  virtual ~task_state() = default;

  event_loop &loop() const noexcept { return *loop_; }
  bool done() const noexcept { return done_; }
  bool cancelled() const noexcept { return cancelled_; }
  std::size_t cancelling() const noexcept { return cancel_requests_; }

  bool cancel() noexcept {
    if (done_ || abandoned_)
      return false;
    ++cancel_requests_;
    if (hook_ != nullptr && !in_cancel_) {
      // in_cancel_ stops a cycle of tasks awaiting each other from
      // forwarding the request around for ever.
      in_cancel_ = true;
      const bool taken = hook_->interrupt();
      in_cancel_ = false;
      if (taken)
        return true;
    }
    must_cancel_ = true;
    return true;
  }
  std::size_t uncancel() noexcept {
    if (cancel_requests_ > 0 && --cancel_requests_ == 0)
      must_cancel_ = false;
    return cancel_requests_;
  }
  bool cancel_pending() const noexcept { return must_cancel_; }
  bool consume_cancel() noexcept { return std::exchange(must_cancel_, false); }

  void set_hook(cancel_hook *hook) noexcept { hook_ = hook; }
  void clear_hook(const cancel_hook *hook) noexcept {
    if (hook_ == hook)
      hook_ = nullptr;
  }

  void add_observer(done_observer *observer) {
    joined_ = true;
    observers_.push_back(observer);
  }
  void remove_observer(const done_observer *observer) noexcept {
    auto it = std::find(observers_.begin(), observers_.end(), observer);
    if (it != observers_.end()) {
      *it = observers_.back();
      observers_.pop_back();
    }
  }

  std::string name() const {
    return name_.empty() ? "Task-" + std::to_string(number_) : name_;
  }
  void set_name(std::string name) { name_ = std::move(name); }

  // Where aio::spawn (or aio::run) was called.
  const std::source_location &spawned_at() const noexcept {
    return spawned_at_;
  }
  void set_spawned_at(const std::source_location &where) noexcept {
    spawned_at_ = where;
  }
  // Someone awaited the task, took its result, or handed it to a
  // combinator (debug mode reports the tasks nobody joined).
  bool joined() const noexcept { return joined_; }
  void mark_joined() noexcept { joined_ = true; }
  // "task 'NAME' (spawned at FILE:LINE)", as the reports name a task.
  std::string describe() const {
    std::string text = "task '" + name() + "'";
    if (spawned_at_.line() != 0)
      text += std::string(" (spawned at ") + spawned_at_.file_name() + ":" +
              std::to_string(spawned_at_.line()) + ")";
    return text;
  }

  // The exception the task ended with (cancelled_error if cancelled), or
  // nullptr; only meaningful once done and before the outcome is taken.
  virtual std::exception_ptr error() const noexcept = 0;
  // The outcome was looked at: no "never retrieved" report for it.
  void mark_retrieved() noexcept {
    retrieved_ = true;
    joined_ = true;
  }

  // The task's root coroutine ended (with cancelled set if it ended by
  // cancelled_error): wakes everything observing it.
  void finish(bool cancelled) noexcept {
    done_ = true;
    cancelled_ = cancelled;
    hook_ = nullptr;
    must_cancel_ = false;
    std::vector<done_observer *> observers;
    observers.swap(observers_);
    for (done_observer *observer : observers)
      observer->on_done(*this);
  }
  // The task's coroutines were destroyed with the loop before it finished.
  void abandon() noexcept {
    abandoned_ = true;
    if (hook_ != nullptr)
      std::exchange(hook_, nullptr)->orphan();
  }

  // A join_handle awaiter waits for this task (one at a time).
  bool awaited = false;

protected:
  bool retrieved_ = false;

private:
  event_loop *loop_;
  std::uint64_t number_;
  std::string name_;
  std::source_location spawned_at_{};
  bool joined_ = false;
  std::size_t cancel_requests_ = 0;
  cancel_hook *hook_ = nullptr;
  std::vector<done_observer *> observers_;
  bool must_cancel_ = false;
  bool in_cancel_ = false;
  bool done_ = false;
  bool cancelled_ = false;
  bool abandoned_ = false;
};

// Promises that know which spawned task their coroutine runs in. Awaitables
// find it through the awaiting coroutine's handle (see context_of), so a
// coroutine of another library awaiting them simply has no cancellation.
struct context_promise {
  task_state *aio_ctx = nullptr;
};

template <class P>
task_state *context_of(std::coroutine_handle<P> handle) noexcept {
  if constexpr (std::is_base_of_v<context_promise, P>)
    return handle.promise().aio_ctx;
  else
    return nullptr;
}

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

// Debug mode's report of a task destroyed before it started (defined with
// the loop).
inline void report_unstarted_task() noexcept;
struct task_access;

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

// The promise of the root coroutine that drives a spawned task. The loop
// owns root frames until they finish, and destroys unfinished ones with it.
class root_promise;

// The root coroutine itself: started by the loop, destroys itself at the end.
struct root_task {
  using promise_type = root_promise;
  std::coroutine_handle<root_promise> handle;
};

template <class T>
join_handle<T> spawn_on(event_loop &loop, task<T> work,
                        const std::source_location &where);

// The loop-facing half of run_in_executor's awaitable (defined below).
class offload_base;

// Private loop operations for the awaitables of this header.
struct loop_access;

// Reaches the state behind a handle.
struct handle_access;

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

// Converts "d from now" to a steady deadline, rounding up, saturating at
// time_point::max() and treating negative durations as zero.
template <class Rep, class Period>
steady_clock::time_point deadline_after(steady_clock::time_point now,
                                        std::chrono::duration<Rep, Period> d) {
  using long_seconds = std::chrono::duration<long double>;
  if (d <= std::chrono::duration<Rep, Period>::zero())
    return now;
  if (long_seconds(d) >= long_seconds(steady_clock::time_point::max() - now))
    return steady_clock::time_point::max();
  return now + std::chrono::ceil<steady_clock::duration>(d);
}

// Converts a time point of any clock to a steady deadline. Other clocks
// (system_clock, ...) are mapped through the distance from their now().
template <class Clock, class Duration>
steady_clock::time_point
to_steady_deadline(std::chrono::time_point<Clock, Duration> when) {
  if constexpr (std::is_same_v<Clock, steady_clock>)
    return std::chrono::ceil<steady_clock::duration>(when);
  else
    return deadline_after(steady_clock::now(), when - Clock::now());
}

// The cancellation side of an aio suspension point: binds to the spawned
// task of the awaiting coroutine, registers as its hook while suspended,
// and raises cancelled_error on resumption when the wait was interrupted or
// a request is pending. A copy is unbound.
class suspension : public cancel_hook {
protected:
  suspension() noexcept = default;
  suspension(const suspension &) noexcept : cancel_hook() {}
  suspension &operator=(const suspension &) = delete;
  ~suspension() { leave(); }

  template <class P> void bind(std::coroutine_handle<P> caller) noexcept {
    ctx_ = context_of(caller);
    interrupted_ = false;
  }
  bool cancel_pending() const noexcept {
    return ctx_ != nullptr && ctx_->cancel_pending();
  }
  // Once suspended: cancel() now goes to interrupt().
  void listen() noexcept {
    if (ctx_ != nullptr) {
      ctx_->set_hook(this);
      listening_ = true;
    }
  }
  void leave() noexcept {
    if (listening_) {
      listening_ = false;
      ctx_->clear_hook(this);
    }
  }
  // A request made before the suspension is offered to it, as asyncio does
  // with a task's must_cancel when it yields a future.
  void forward_pending() noexcept {
    if (cancel_pending() && interrupt())
      ctx_->consume_cancel();
  }
  // On resumption: throws cancelled_error if the wait was interrupted or a
  // request is pending (and consumes the request).
  void deliver() {
    leave();
    if (ctx_ == nullptr)
      return;
    const bool pending = ctx_->consume_cancel();
    if (interrupted_ || pending)
      throw cancelled_error();
  }
  void orphan() noexcept override {
    listening_ = false;
    ctx_ = nullptr;
  }

  task_state *ctx_ = nullptr;
  bool interrupted_ = false;

private:
  bool listening_ = false;
};

// co_await context_probe{} yields the spawned task the awaiting coroutine
// runs in (nullptr outside one) without suspending: not a suspension point.
struct context_probe {
  task_state *ctx = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) noexcept {
    ctx = context_of(caller);
    return false;
  }
  task_state *await_resume() const noexcept { return ctx; }
};

} // namespace detail

// A type-erased handle to a spawned task, asyncio's Task without result():
// status, cancellation and name. join_handle<T> is one with the result.
// Handles are cheap to copy and compare equal when they refer to the same
// task. Use them on the loop's thread only.
class task_handle {
public:
  task_handle() noexcept = default;

  // False for a default-constructed handle.
  bool valid() const noexcept { return static_cast<bool>(state_); }
  // True once the task has finished (returned, thrown or been cancelled).
  bool done() const noexcept { return state_ && state_->done(); }
  // True if the task finished by cancelled_error.
  bool cancelled() const noexcept { return state_ && state_->cancelled(); }
  // Requests cancellation: cancelled_error is raised in the task at the
  // suspension point it waits at, or at its next one if it is running or
  // waits for something that cannot be interrupted (to_thread). Returns
  // false if the task is already done (or was destroyed with its loop).
  // Every call counts as one request (see cancelling/uncancel).
  bool cancel() noexcept { return state_ && state_->cancel(); }
  // The number of cancellation requests not undone by uncancel().
  std::size_t cancelling() const noexcept {
    return state_ ? state_->cancelling() : 0;
  }
  // Undoes one cancellation request; returns the remaining count. When it
  // drops to zero a request not yet delivered is dropped too.
  std::size_t uncancel() noexcept { return state_ ? state_->uncancel() : 0; }
  // The task's name: "Task-<n>" unless set.
  std::string name() const { return state_ ? state_->name() : std::string(); }
  void set_name(std::string name) {
    if (!state_)
      throw std::logic_error("aio: empty task handle");
    state_->set_name(std::move(name));
  }

  friend bool operator==(const task_handle &a, const task_handle &b) noexcept {
    return a.state_ == b.state_;
  }

protected:
  explicit task_handle(std::shared_ptr<detail::task_state> state) noexcept
      : state_(std::move(state)) {}

  std::shared_ptr<detail::task_state> state_;

private:
  friend struct detail::handle_access;
  friend struct std::hash<task_handle>;
};

// The handle aio::spawn returns: co_await it for the spawned task's value
// (or exception). The task runs whether or not the handle is kept; one
// coroutine at a time may await it, and the value is handed over once (an
// exception is rethrown every time). Cancelling the awaiting task cancels the awaited one too (asyncio's
// behaviour for awaiting a Task); the awaiter then still waits for it and
// gets whatever it ends with.
template <class T> class join_handle : public task_handle {
public:
  join_handle() noexcept = default;

  // The value of a finished task (once), or its exception rethrown
  // (cancelled_error for a cancelled task). std::logic_error if not done.
  T result() {
    if (!state_)
      throw std::logic_error("aio: empty join_handle");
    return typed().take();
  }

  class [[nodiscard]] awaiter final : detail::suspension,
                                      detail::done_observer {
  public:
    explicit awaiter(std::shared_ptr<detail::join_state<T>> state) noexcept
        : state_(std::move(state)) {}
    awaiter(const awaiter &) = delete;
    awaiter &operator=(const awaiter &) = delete;
    ~awaiter() { release(); }

    bool await_ready() const noexcept { return state_->done(); }
    template <class Promise>
    void await_suspend(std::coroutine_handle<Promise> caller) {
      if (state_->awaited)
        throw std::logic_error("aio: a spawned task is already awaited");
      bind(caller);
      caller_ = caller;
      state_->add_observer(this);
      state_->awaited = true;
      registered_ = true;
      suspended_ = true;
      detail::note_suspend({});
      listen();
      forward_pending();
    }
    T await_resume() {
      release();
      if (suspended_) {
        detail::note_resume(ctx_, {});
        deliver();
      }
      return state_->take();
    }

  private:
    bool interrupt() noexcept override { return state_->cancel(); }
    void on_done(detail::task_state &) noexcept override {
      observing_done_ = true;
      state_->loop().call_soon(detail::resume_callback{caller_});
    }
    void release() noexcept {
      if (!registered_)
        return;
      registered_ = false;
      leave();
      if (!observing_done_)
        state_->remove_observer(this);
      state_->awaited = false;
    }

    std::shared_ptr<detail::join_state<T>> state_;
    std::coroutine_handle<> caller_;
    bool registered_ = false;
    bool suspended_ = false;
    bool observing_done_ = false;
  };
  awaiter operator co_await() const {
    if (!state_)
      throw std::logic_error("aio: awaiting an empty join_handle");
    return awaiter(std::static_pointer_cast<detail::join_state<T>>(state_));
  }

private:
  template <class U>
  friend join_handle<U> detail::spawn_on(event_loop &, task<U>,
                                         const std::source_location &);
  friend struct detail::handle_access;
  explicit join_handle(std::shared_ptr<detail::join_state<T>> state) noexcept
      : task_handle(std::move(state)) {}

  detail::join_state<T> &typed() const {
    return static_cast<detail::join_state<T> &>(*state_);
  }
};

namespace detail {

// The clock of debug mode's watchdog, in steady_clock ticks.
using steady_ticks = steady_clock::duration::rep;

// Debug mode's sampling thread. The loop bumps `seq` around every step (odd
// while one runs: two relaxed stores are the whole per-step cost of debug
// mode); every `period` the watchdog reads it and records when it first saw
// a step running. At the end of a step the loop asks whether the watchdog
// saw that step, and only then reads the clock. The duration, end minus
// first sighting, is a lower bound short of the truth by less than a
// period, so a fast step is never reported as slow.
class step_watchdog {
public:
  explicit step_watchdog(std::chrono::microseconds period)
      : period_(period), thread_([this] { watch(); }) {}
  step_watchdog(const step_watchdog &) = delete;
  step_watchdog &operator=(const step_watchdog &) = delete;
  ~step_watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wakeup_.notify_one();
    thread_.join();
  }

  // Around each step, on the loop's thread. Step k is 2k-1 while it runs
  // and 2k once done; a step left by an exception just stays odd.
  void begin() noexcept {
    ++steps_;
    seq_.store(2 * steps_ - 1, std::memory_order_relaxed);
  }
  void end() noexcept { seq_.store(2 * steps_, std::memory_order_relaxed); }
  // After end(): true, with when it was first seen, if the watchdog saw
  // the step that just ended running.
  bool seen(steady_clock::time_point &first) const noexcept {
    // Acquire pairs with the release in watch(): seen_at_ belongs to it.
    if (seen_seq_.load(std::memory_order_acquire) != 2 * steps_ - 1)
      return false;
    first = steady_clock::time_point(steady_clock::duration(
        seen_at_.load(std::memory_order_relaxed)));
    return true;
  }

private:
  void watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    std::uint64_t last = 0;
    while (!wakeup_.wait_for(lock, period_, [this] { return stopping_; })) {
      // Acquire keeps the clock read below after this load: the step had
      // begun when it was seen, so the sighting is not before its start.
      const std::uint64_t seq = seq_.load(std::memory_order_acquire);
      if ((seq & 1) != 0 && seq != last) {
        seen_at_.store(steady_clock::now().time_since_epoch().count(),
                       std::memory_order_relaxed);
        seen_seq_.store(seq, std::memory_order_release);
      }
      last = seq;
    }
  }

  std::chrono::microseconds period_;
  std::uint64_t steps_ = 0; // loop thread only
  std::atomic<std::uint64_t> seq_{0};
  std::atomic<std::uint64_t> seen_seq_{0};
  std::atomic<steady_ticks> seen_at_{0};
  std::mutex mutex_; // guards stopping_
  std::condition_variable wakeup_;
  bool stopping_ = false;
  std::thread thread_; // last: starts using the members above
};

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

// Reports of debug mode (defined after event_loop).
inline std::size_t describe_step(const aio_step_state *state, char *buf,
                                 std::size_t size);
inline void blocking_call_reported(const aio_step_state *state,
                                   const char *function, const char *line);

// libaio-blockguard.so's entry point when it is preloaded, else null.
inline aio_blockguard_attach_fn blockguard_attach() noexcept {
  static const aio_blockguard_attach_fn attach =
      reinterpret_cast<aio_blockguard_attach_fn>(
          ::dlsym(RTLD_DEFAULT, "aio_blockguard_attach"));
  return attach;
}

// "f.cpp:12", or "" for an unknown location.
inline std::string where_text(const std::source_location &where) {
  if (where.line() == 0)
    return std::string();
  return std::string(where.file_name()) + ":" + std::to_string(where.line());
}

} // namespace detail

// The event loop: runs ready callbacks in FIFO order, timers when they are
// due and I/O awaitables when their descriptor is ready, sleeping while
// nothing is ready: in epoll_wait when an I/O awaitable waits, else on a
// condition variable (cheaper to wake). aio::run creates one per call.
// Other threads hand it callbacks through call_soon_threadsafe, which wakes
// it (through the condition variable, or an eventfd in the epoll set).
//
// One iteration (run_once): wait for I/O, timers or posted callbacks if
// nothing is ready (else just poll I/O when something waits for it), take
// the posted callbacks, move the due timers to the ready queue, then run
// the callbacks that were ready then (the snapshot); each is one *step*.
class event_loop {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  using callback = std::function<void()>;

  // A loop; options.debug (or AIO_DEBUG=1 in the environment) turns debug
  // mode on. Throws std::system_error if the epoll set cannot be created.
  explicit event_loop(run_options options = {})
      : options_(std::move(options)) {
    apply_environment();
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0)
      throw std::system_error(errno, std::generic_category(),
                              "aio: epoll_create1");
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    // Edge-triggered: every write to the eventfd is a new edge, so the
    // loop never has to read it back (one system call less per wake-up;
    // the 64-bit counter cannot fill up in practice).
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLET;
    ev.data.ptr = nullptr; // the wake-up eventfd
    if (wake_fd_ < 0 ||
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
      const int error = errno;
      close_descriptors();
      throw std::system_error(error, std::generic_category(),
                              "aio: eventfd");
    }
    if (options_.debug) {
      // A period of slow_step/50 (0.1 to 2 ms) bounds the error of the
      // reported durations; the thread wakes up that often.
      const std::chrono::microseconds period =
          std::clamp(options_.slow_step / 50, std::chrono::microseconds(100),
                     std::chrono::microseconds(2000));
      watchdog_ = std::make_unique<detail::step_watchdog>(period);
    }
  }
  event_loop(const event_loop &) = delete;
  event_loop &operator=(const event_loop &) = delete;

  // Destroys the coroutines of spawned tasks that have not finished and
  // drops pending callbacks without running them. Work offloaded with
  // run_in_executor cannot be interrupted and may refer to the frames of the
  // coroutines awaiting it, so the destructor first blocks until all of it
  // has finished (like asyncio's shutdown of the default executor).
  ~event_loop() {
    std::vector<callback> dropped;
    {
      std::unique_lock<std::mutex> lock(remote_mutex_);
      remote_wakeup_.wait(lock, [this] { return offloaded_ == 0; });
      dropped.swap(remote_);
    }
    // A thread that posted may still be waking the loop (briefly).
    while (waking_.load(std::memory_order_acquire) != 0)
      std::this_thread::yield();
    dropped.clear(); // outside the lock: a callback's destructor may post
    ready_.clear();
    timers_.clear();
    while (!roots_.empty()) {
      std::coroutine_handle<> root = *roots_.begin();
      roots_.erase(roots_.begin());
      root.destroy();
    }
    ready_.clear();
    timers_.clear();
    tracked_.clear();
    debug_hold_.reset();
    close_descriptors();
  }

  // The loop's clock: steady_clock::now().
  time_point time() const noexcept { return clock::now(); }

  // Runs fn in the next loop iteration, after the callbacks already queued.
  void call_soon(callback fn) { ready_.push_back(ready_entry{std::move(fn), 0}); }

  // Runs fn on the loop's thread in a coming iteration; callable from any
  // thread, and wakes the loop if it is waiting. Callbacks from one thread
  // run in the order they were posted. A callback that may still come from
  // another thread does not count as something that can wake the main task
  // (see run_until_complete); work started with run_in_executor does.
  void call_soon_threadsafe(callback fn) {
    // The queue is guarded by a mutex: unlocking it publishes everything
    // the posting thread wrote before (an offloaded result, say) to the
    // loop thread that locks it next, which ThreadSanitizer understands.
    // The condition variable or the eventfd only wakes the loop.
    sleep_mode sleeping;
    {
      std::lock_guard<std::mutex> lock(remote_mutex_);
      remote_.push_back(std::move(fn));
      // Relaxed: the loop only uses the flag to decide to take the lock.
      remote_posted_.store(true, std::memory_order_relaxed);
      sleeping = begin_wake_locked();
    }
    // Woken after unlocking, so that the loop does not wake up only to
    // block on the mutex; see begin_wake_locked for why the loop is still
    // alive here.
    if (sleeping != sleep_mode::awake)
      end_wake(sleeping);
  }

  // Runs fn once the loop's clock reaches when.
  void call_at(time_point when, callback fn) {
    schedule_timer(when, std::move(fn));
  }

  // Runs fn after delay (negative means now).
  template <class Rep, class Period>
  void call_later(std::chrono::duration<Rep, Period> delay, callback fn) {
    call_at(detail::deadline_after(time(), delay), std::move(fn));
  }

  // One iteration: if nothing is ready, waits (without spinning) for the
  // next timer, a posted callback, offloaded work or I/O, else polls I/O
  // if something waits for it; moves posted callbacks and due timers to
  // the ready queue; then runs the callbacks that were ready, one step
  // each. Returns false when there was nothing at all to do or wait for.
  bool run_once() {
    drop_cancelled_timers_on_top();
    if (ready_.empty()) {
      std::unique_lock<std::mutex> lock(remote_mutex_);
      if (remote_.empty()) {
        const bool timers = !timers_.empty();
        if (!timers && offloaded_ == 0 && io_waiting_ == 0)
          return false;
        if (io_waiting_ == 0) {
          // No I/O to wait for: a condition variable is cheaper to sleep
          // on and to wake than epoll_wait and the eventfd.
          sleeping_ = sleep_mode::condition;
          const auto posted = [this] { return !remote_.empty(); };
          if (timers)
            remote_wakeup_.wait_until(lock, timers_.front().when, posted);
          else
            remote_wakeup_.wait(lock, posted);
        } else {
          sleeping_ = sleep_mode::epoll;
          lock.unlock();
          poll_io(timers ? timers_.front().when : time_point::max());
          lock.lock();
        }
        sleeping_ = sleep_mode::awake;
      }
      take_posted(lock);
    } else {
      if (remote_posted_.load(std::memory_order_relaxed)) {
        std::unique_lock<std::mutex> lock(remote_mutex_);
        take_posted(lock);
      }
      if (io_waiting_ != 0)
        poll_io(time_point::min());
    }
    for (callback &fn : incoming_)
      ready_.push_back(ready_entry{std::move(fn), 0});
    incoming_.clear();
    if (!timers_.empty()) {
      const time_point now = time();
      while (!timers_.empty() && timers_.front().when <= now) {
        std::pop_heap(timers_.begin(), timers_.end(), fires_later);
        timer due = std::move(timers_.back());
        timers_.pop_back();
        if (!cancelled_timers_.empty() && cancelled_timers_.erase(due.id) != 0)
          continue;
        ready_.push_back(ready_entry{std::move(due.fn), due.id});
      }
    }
    // Callbacks queued while these run wait for the next iteration.
    for (std::size_t n = ready_.size(); n > 0; --n) {
      ready_entry entry = std::move(ready_.front());
      ready_.pop_front();
      // A timer cancelled after it became due but before it ran.
      if (entry.timer != 0 && !cancelled_timers_.empty() &&
          cancelled_timers_.erase(entry.timer) != 0)
        continue;
      run_step(entry.fn);
    }
    return true;
  }

  // Runs main on this loop until it finishes and returns its value or
  // rethrows its exception. Spawned tasks run meanwhile; the ones still
  // unfinished stay with the loop. Throws std::runtime_error if a loop is
  // already running on this thread, or if main waits while nothing is
  // scheduled that could wake it (no ready callback, timer, offloaded work
  // or I/O wait). `where` (the call site) is main's spawn location in
  // debug mode's reports. In debug mode, the tasks spawned during the run
  // and never awaited are reported when it ends.
  template <class T>
  T run_until_complete(
      task<T> main, std::source_location where = std::source_location::current()) {
    running_guard guard(*this);
    never_awaited_report report(*this);
    join_handle<T> handle = detail::spawn_on(*this, std::move(main), where);
    mark_joined(handle);
    while (!handle.done())
      if (!run_once())
        throw std::runtime_error(
            "aio: the main task waits but nothing is scheduled to wake it");
    return handle.result();
  }

  // True in debug mode.
  bool debug() const noexcept { return watchdog_ != nullptr; }
  // The options in effect (after the environment's).
  const run_options &options() const noexcept { return options_; }
  // How many reports this loop made (debug mode and blocking guard).
  debug_counters counters() const noexcept { return counters_; }
  // The number of I/O awaitables waiting for their descriptor.
  std::size_t io_waiting() const noexcept { return io_waiting_; }

private:
  friend class detail::root_promise;
  friend class detail::offload_base;
  friend struct detail::loop_access;
  friend void detail::report_unstarted_task() noexcept;
  friend void detail::blocking_call_reported(const aio_step_state *,
                                             const char *, const char *);
  template <class U>
  friend join_handle<U> detail::spawn_on(event_loop &, task<U>,
                                         const std::source_location &);

  // How the loop sleeps, if it does: on the condition variable, or in
  // epoll_wait (when I/O awaitables wait).
  enum class sleep_mode { awake, condition, epoll };

  struct timer {
    time_point when;
    std::uint64_t id; // also keeps timers with equal deadlines in order
    callback fn;
  };
  struct ready_entry {
    callback fn;
    std::uint64_t timer; // the timer it came from, or 0
  };
  // Heap order: the earliest deadline (then the oldest timer) on top.
  static bool fires_later(const timer &a, const timer &b) noexcept {
    return a.when != b.when ? a.when > b.when : a.id > b.id;
  }

  // Marks this loop as the thread's running loop for one scope, and
  // attaches the thread to the blocking guard (once per thread).
  class running_guard {
  public:
    explicit running_guard(event_loop &loop) {
      if (detail::running_loop)
        throw std::runtime_error(
            "aio: an event loop is already running on this thread");
      detail::running_loop = &loop;
      aio_step_state &step = detail::current_step.abi;
      if (step.describe == nullptr) {
        step.describe = &detail::describe_step;
        step.blocking_call = &detail::blocking_call_reported;
        if (aio_blockguard_attach_fn attach = detail::blockguard_attach())
          attach(&step);
      }
    }
    running_guard(const running_guard &) = delete;
    running_guard &operator=(const running_guard &) = delete;
    ~running_guard() { detail::running_loop = nullptr; }
  };

  // Reports, at the end of run_until_complete in debug mode, the tasks
  // spawned meanwhile that nobody awaited.
  class never_awaited_report {
  public:
    explicit never_awaited_report(event_loop &loop) noexcept : loop_(loop) {}
    never_awaited_report(const never_awaited_report &) = delete;
    never_awaited_report &operator=(const never_awaited_report &) = delete;
    ~never_awaited_report() { loop_.report_never_awaited(); }

  private:
    event_loop &loop_;
  };

  // Marks a step as running for the blocking guard, also when the step
  // throws.
  struct step_scope {
    aio_step_state &step;
    explicit step_scope(aio_step_state &s) noexcept : step(s) {
      step.task = nullptr;
      step.running = 1;
    }
    step_scope(const step_scope &) = delete;
    step_scope &operator=(const step_scope &) = delete;
    ~step_scope() { step.running = 0; }
  };

  // One step. Without debug mode: three thread-local stores around the
  // callback, for the blocking guard. With it: the watchdog's counter too,
  // and a look at the clock for the steps the watchdog saw running.
  void run_step(callback &fn) {
    detail::step_state &step = detail::current_step;
    step_scope scope(step.abi);
    if (watchdog_ == nullptr) [[likely]] {
      fn();
      return;
    }
    step.resumed_at = {};
    step.suspended_at = {};
    debug_hold_.reset();
    watchdog_->begin();
    fn();
    watchdog_->end();
    clock::time_point seen;
    if (watchdog_->seen(seen)) [[unlikely]]
      check_slow_step(seen);
  }

  void check_slow_step(clock::time_point seen) {
    const auto held =
        std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - seen);
    if (held < options_.slow_step)
      return;
    const detail::step_state &step = detail::current_step;
    debug_report r;
    r.what = debug_report::kind::slow_step;
    r.duration = held;
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", static_cast<double>(held.count()) / 1000.0);
    r.line = std::string("aio: slow step: ") + ms + " ms in ";
    if (const auto *task = static_cast<const detail::task_state *>(step.abi.task)) {
      r.task = task->name();
      r.spawned_at = task->spawned_at();
      r.resumed_at = step.resumed_at;
      r.suspended_at = step.suspended_at;
      r.line += task->describe();
      if (r.resumed_at.line() != 0)
        r.line += ", resumed at " + detail::where_text(r.resumed_at);
      if (r.suspended_at.line() != 0)
        r.line += ", suspended at " + detail::where_text(r.suspended_at);
    } else {
      r.line += "a callback";
    }
    report(std::move(r));
  }

  // Counts a report, prints it (unless quiet, or the guard printed it) and
  // hands it to on_report.
  void report(debug_report r) noexcept {
    switch (r.what) {
    case debug_report::kind::slow_step:
      ++counters_.slow_steps;
      break;
    case debug_report::kind::never_awaited:
      ++counters_.never_awaited;
      break;
    case debug_report::kind::blocking_call:
      ++counters_.blocking_calls;
      break;
    }
    if (!options_.quiet && r.what != debug_report::kind::blocking_call) {
      std::string text = r.line + "\n";
      std::fwrite(text.data(), 1, text.size(), stderr);
    }
    if (options_.on_report)
      options_.on_report(r);
  }

  static void mark_joined(const task_handle &handle) noexcept;

  void report_never_awaited() noexcept {
    if (!debug())
      return;
    std::vector<std::shared_ptr<detail::task_state>> tracked;
    tracked.swap(tracked_);
    for (const std::shared_ptr<detail::task_state> &task : tracked) {
      if (task->joined())
        continue;
      debug_report r;
      r.what = debug_report::kind::never_awaited;
      r.task = task->name();
      r.spawned_at = task->spawned_at();
      r.line = "aio: never awaited: " + task->describe() +
               (task->done() ? ", finished" : ", still pending at exit");
      report(std::move(r));
    }
  }

  // Debug mode keeps the states of spawned tasks to report the ones never
  // joined; joined ones are dropped now and then.
  void track(std::shared_ptr<detail::task_state> state) {
    if (tracked_.size() >= 2 * tracked_floor_) {
      std::erase_if(tracked_, [](const std::shared_ptr<detail::task_state> &t) {
        return t->joined();
      });
      tracked_floor_ = std::max<std::size_t>(tracked_.size(), 1024);
    }
    tracked_.push_back(std::move(state));
  }

  void apply_environment() {
    if (const char *debug = std::getenv("AIO_DEBUG"))
      if (*debug != '\0' && std::strcmp(debug, "0") != 0)
        options_.debug = true;
    if (const char *ms = std::getenv("AIO_SLOW_STEP_MS")) {
      char *end = nullptr;
      const double value = std::strtod(ms, &end);
      if (end != ms && value >= 0)
        options_.slow_step =
            std::chrono::microseconds(static_cast<long long>(value * 1000.0));
    }
  }

  // A timer that can be cancelled until its callback has run; returns its
  // id (never 0).
  std::uint64_t schedule_timer(time_point when, callback fn) {
    const std::uint64_t id = ++next_timer_id_;
    timers_.push_back(timer{when, id, std::move(fn)});
    std::push_heap(timers_.begin(), timers_.end(), fires_later);
    return id;
  }
  // Cancels a timer whose callback has not run yet (still in the heap, or
  // due and queued in ready_). The entry is dropped lazily when it comes
  // up; the heap is rebuilt when cancelled entries make up most of it.
  void cancel_timer(std::uint64_t id) noexcept {
    cancelled_timers_.insert(id);
    if (cancelled_timers_.size() > 256 &&
        cancelled_timers_.size() * 2 > timers_.size()) {
      auto cancelled = [this](timer &t) {
        return cancelled_timers_.erase(t.id) != 0;
      };
      timers_.erase(std::remove_if(timers_.begin(), timers_.end(), cancelled),
                    timers_.end());
      std::make_heap(timers_.begin(), timers_.end(), fires_later);
    }
  }
  // So that a loop never waits for a cancelled timer.
  void drop_cancelled_timers_on_top() noexcept {
    while (!timers_.empty() && !cancelled_timers_.empty() &&
           cancelled_timers_.erase(timers_.front().id) != 0) {
      std::pop_heap(timers_.begin(), timers_.end(), fires_later);
      timers_.pop_back();
    }
  }

  void adopt_root(std::coroutine_handle<> root) {
    roots_.insert(root);
    call_soon(detail::resume_callback{root});
  }
  void forget_root(std::coroutine_handle<> root) noexcept {
    roots_.erase(root);
  }

  // --- Waiting: epoll, and the eventfd other threads wake it with ---------

  // Takes the posted callbacks; remote_mutex_ held. Swapped out under the
  // lock, moved to ready_ after it: the lock is held only for O(1), and
  // both vectors keep their capacity.
  void take_posted(std::unique_lock<std::mutex> &) noexcept {
    incoming_.swap(remote_);
    remote_posted_.store(false, std::memory_order_relaxed);
  }

  // remote_mutex_ held, on another thread: if the loop sleeps, marks it
  // awake and returns how it sleeps; the caller then wakes it with
  // end_wake after unlocking. Once unlocked, the loop may run the posted
  // callback, finish and start destroying itself: waking_ (counted here,
  // under the lock) makes the destructor wait until end_wake is done.
  sleep_mode begin_wake_locked() noexcept {
    const sleep_mode sleeping = std::exchange(sleeping_, sleep_mode::awake);
    if (sleeping != sleep_mode::awake)
      waking_.fetch_add(1, std::memory_order_relaxed); // under the lock
    return sleeping;
  }
  void end_wake(sleep_mode sleeping) noexcept {
    if (sleeping == sleep_mode::epoll) {
      const std::uint64_t one = 1;
      // Cannot fail but for a counter at its maximum, which wakes it anyway.
      [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    } else {
      remote_wakeup_.notify_one();
    }
    // Release: the destructor's acquire load sees this thread done with
    // the condition variable and the eventfd.
    waking_.fetch_sub(1, std::memory_order_release);
  }

  // Waits for I/O readiness or a wake-up until `until` (min: do not wait,
  // max: no deadline) and schedules the I/O waiters that are ready.
  void poll_io(time_point until) {
    epoll_event events[64];
    int n;
    if (until == time_point::min()) {
      n = ::epoll_wait(epoll_fd_, events, 64, 0);
    } else if (until == time_point::max()) {
      n = ::epoll_wait(epoll_fd_, events, 64, -1);
    } else {
      const auto left = std::max(until - clock::now(), clock::duration::zero());
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left);
      // epoll_pwait2 (Linux 5.11) takes nanoseconds; epoll_wait rounds up
      // to milliseconds.
      timespec ts{};
      ts.tv_sec = static_cast<time_t>(ns.count() / 1000000000);
      ts.tv_nsec = static_cast<long>(ns.count() % 1000000000);
      n = ::epoll_pwait2(epoll_fd_, events, 64, &ts, nullptr);
      if (n < 0 && errno == ENOSYS) {
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left);
        n = ::epoll_wait(epoll_fd_, events, 64,
                         static_cast<int>(std::min<long long>(ms.count(), 1 << 30)));
      }
    }
    for (int i = 0; i < n; ++i) {
      auto *entry = static_cast<detail::io_entry *>(events[i].data.ptr);
      if (entry == nullptr)
        continue; // woken through the eventfd (edge-triggered: not read)
      const std::uint32_t ev = events[i].events;
      constexpr std::uint32_t failed = EPOLLERR | EPOLLHUP;
      if ((ev & (EPOLLIN | EPOLLRDHUP | failed)) != 0 && entry->reader != nullptr)
        std::exchange(entry->reader, nullptr)->ready();
      if ((ev & (EPOLLOUT | failed)) != 0 && entry->writer != nullptr)
        std::exchange(entry->writer, nullptr)->ready();
    }
  }

  // Registers waiter for one direction of entry's descriptor (adding the
  // descriptor to the epoll set on its first wait with this loop).
  void io_wait(detail::io_entry &entry, bool write, detail::io_waiter *waiter) {
    if (entry.loop != this) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      ev.data.ptr = &entry;
      if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, entry.fd, &ev) != 0 &&
          (errno != EEXIST ||
           ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, entry.fd, &ev) != 0))
        throw std::system_error(errno, std::generic_category(),
                                "aio: epoll_ctl");
      entry.loop = this;
    }
    (write ? entry.writer : entry.reader) = waiter;
    ++io_waiting_;
  }
  // A ready waiter was scheduled (poll_io cleared its slot).
  void io_woken() noexcept { --io_waiting_; }
  // A waiter gives up (cancelled): its slot is cleared and, if the other
  // direction has no waiter either, the descriptor leaves the epoll set.
  void io_cancel(detail::io_entry &entry, detail::io_waiter *waiter) noexcept {
    if (entry.reader == waiter)
      entry.reader = nullptr;
    if (entry.writer == waiter)
      entry.writer = nullptr;
    --io_waiting_;
    if (entry.reader == nullptr && entry.writer == nullptr &&
        entry.loop == this) {
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, entry.fd, nullptr);
      entry.loop = nullptr;
    }
  }

  void close_descriptors() noexcept {
    if (wake_fd_ >= 0)
      ::close(std::exchange(wake_fd_, -1));
    if (epoll_fd_ >= 0)
      ::close(std::exchange(epoll_fd_, -1));
  }

  // On the loop's thread, before offloaded work is submitted: the loop now
  // waits for it instead of reporting that nothing can wake the main task.
  void offload_started() {
    std::lock_guard<std::mutex> lock(remote_mutex_);
    ++offloaded_;
  }
  // On the loop's thread, when submitting the work failed.
  void offload_abandoned() noexcept {
    std::lock_guard<std::mutex> lock(remote_mutex_);
    --offloaded_;
  }
  // On the worker, as its last touch of the loop: queues the resumption
  // and takes the work off the count in one critical section, so that
  // neither run_once nor the destructor sees the work gone but its
  // resumption not yet queued.
  void offload_finished(callback resume) {
    sleep_mode sleeping;
    {
      std::lock_guard<std::mutex> lock(remote_mutex_);
      remote_.push_back(std::move(resume));
      remote_posted_.store(true, std::memory_order_relaxed);
      --offloaded_;
      sleeping = begin_wake_locked();
      if (sleeping == sleep_mode::awake) {
        // The destructor may wait on the condition variable for the count.
        sleeping = sleep_mode::condition;
        waking_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    end_wake(sleeping); // after unlocking, as in call_soon_threadsafe
  }

  std::deque<ready_entry> ready_;
  std::vector<timer> timers_; // a binary heap ordered by fires_later
  std::uint64_t next_timer_id_ = 0;
  std::unordered_set<std::uint64_t> cancelled_timers_; // not yet dropped
  std::unordered_set<std::coroutine_handle<>, detail::handle_hash> roots_;
  std::size_t io_waiting_ = 0; // I/O awaitables registered in the epoll set
  int epoll_fd_ = -1;
  int wake_fd_ = -1; // an eventfd in the epoll set, written to wake it

  // Debug mode.
  run_options options_;
  debug_counters counters_;
  std::unique_ptr<detail::step_watchdog> watchdog_; // null unless debug
  std::vector<std::shared_ptr<detail::task_state>> tracked_;
  std::size_t tracked_floor_ = 1024;
  // The task of the running step, kept alive to the step's end when it
  // finishes in it (its report may still name it).
  std::shared_ptr<detail::task_state> debug_hold_;

  // Shared with other threads. remote_mutex_ guards remote_, offloaded_
  // and sleeping_ (no atomics: every access needs the lock anyway, for the
  // queue or to decide whether to wake the loop); remote_wakeup_ is
  // signalled when the count drops (the destructor waits for it).
  std::mutex remote_mutex_;
  std::condition_variable remote_wakeup_;
  std::vector<callback> remote_;   // posted by other threads, not yet taken
  std::size_t offloaded_ = 0;      // run_in_executor work not yet finished
  sleep_mode sleeping_ = sleep_mode::awake; // how the loop waits, if it does
  // A hint that remote_ is not empty, read without the lock by a loop that
  // has other work (it then takes the lock).
  std::atomic<bool> remote_posted_{false};
  // Threads between begin_wake_locked and the end of end_wake.
  std::atomic<int> waking_{0};
  std::vector<callback> incoming_; // loop thread only: remote_ swapped out
};

// The loop running on this thread. Throws std::runtime_error outside
// aio::run / event_loop::run_until_complete.
inline event_loop &get_running_loop() {
  if (!detail::running_loop)
    throw std::runtime_error("aio: no running event loop");
  return *detail::running_loop;
}

namespace detail {

struct loop_access {
  static std::uint64_t schedule_timer(event_loop &loop,
                                      steady_clock::time_point when,
                                      event_loop::callback fn) {
    return loop.schedule_timer(when, std::move(fn));
  }
  static void cancel_timer(event_loop &loop, std::uint64_t id) noexcept {
    loop.cancel_timer(id);
  }
  static void hold_for_step(event_loop &loop,
                            std::shared_ptr<task_state> state) noexcept {
    loop.debug_hold_ = std::move(state);
  }
  static void track(event_loop &loop, std::shared_ptr<task_state> state) {
    loop.track(std::move(state));
  }
  static void io_wait(event_loop &loop, io_entry &entry, bool write,
                      io_waiter *waiter) {
    loop.io_wait(entry, write, waiter);
  }
  static void io_woken(event_loop &loop) noexcept { loop.io_woken(); }
  static void io_cancel(event_loop &loop, io_entry &entry,
                        io_waiter *waiter) noexcept {
    loop.io_cancel(entry, waiter);
  }
};

inline std::size_t describe_step(const aio_step_state *state, char *buf,
                                 std::size_t size) {
  if (size == 0)
    return 0;
  std::string text = "a callback";
  try {
    if (state->task != nullptr)
      text = static_cast<const task_state *>(state->task)->describe();
  } catch (...) { // no memory: say what we can
  }
  const std::size_t n = std::min(text.size(), size - 1);
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
  return n;
}

inline void blocking_call_reported(const aio_step_state *state,
                                   const char *function, const char *line) {
  event_loop *loop = running_loop;
  if (loop == nullptr)
    return;
  debug_report r;
  r.what = debug_report::kind::blocking_call;
  r.function = function;
  r.line = line;
  if (const auto *task = static_cast<const task_state *>(state->task)) {
    r.task = task->name();
    r.spawned_at = task->spawned_at();
  }
  loop->report(std::move(r));
}

inline void report_unstarted_task() noexcept {
  event_loop *loop = running_loop;
  if (loop == nullptr || !loop->debug())
    return;
  try {
    const step_state &step = current_step;
    debug_report r;
    r.what = debug_report::kind::never_awaited;
    r.line = "aio: never awaited: a coroutine destroyed unstarted in ";
    const auto *task = step.abi.running != 0
                           ? static_cast<const task_state *>(step.abi.task)
                           : nullptr;
    if (task != nullptr) {
      r.task = task->name();
      r.spawned_at = task->spawned_at();
      r.line += task->describe();
    } else {
      r.line += "a callback";
    }
    loop->report(std::move(r));
  } catch (...) { // no memory for the report
  }
}

struct handle_access {
  static task_state *state(const task_handle &handle) noexcept {
    return handle.state_.get();
  }
  static const std::shared_ptr<task_state> &
  shared(const task_handle &handle) noexcept {
    return handle.state_;
  }
  static task_handle make(std::shared_ptr<task_state> state) noexcept {
    return task_handle(std::move(state));
  }
  template <class T> static join_state<T> &typed(const join_handle<T> &h) {
    return h.typed();
  }
};
} // namespace detail

inline void event_loop::mark_joined(const task_handle &handle) noexcept {
  detail::handle_access::state(handle)->mark_joined();
}

namespace detail {

class root_promise : public context_promise {
public:
  // Receives the coroutine's parameters; the first is the loop.
  template <class... Args>
  explicit root_promise(event_loop &loop, Args &...) noexcept
      : loop_(&loop) {}

  root_task get_return_object() noexcept {
    return root_task{std::coroutine_handle<root_promise>::from_promise(*this)};
  }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_never final_suspend() noexcept { return {}; }
  void return_void() noexcept {
    loop_->forget_root(
        std::coroutine_handle<root_promise>::from_promise(*this));
  }
  void unhandled_exception() noexcept { std::terminate(); } // drive catches

private:
  event_loop *loop_;
};

// Marks the state of a task whose coroutines are destroyed unfinished (with
// the loop): cancel() then returns false and nothing refers to the frames.
struct abandon_guard {
  task_state &state;
  explicit abandon_guard(task_state &s) noexcept : state(s) {}
  abandon_guard(const abandon_guard &) = delete;
  abandon_guard &operator=(const abandon_guard &) = delete;
  ~abandon_guard() {
    if (!state.done())
      state.abandon();
  }
};

// Runs work to the end, stores its outcome and wakes the observers. The
// body is moved into a local so that its frames are destroyed before the
// state (a parameter) when the loop destroys this frame unfinished. A
// cancellation requested before the start raises cancelled_error without
// running the body; one still pending when the body returns marks the task
// cancelled (both as in asyncio).
template <class T>
root_task drive(event_loop &loop, task<T> work,
                std::shared_ptr<join_state<T>> state) {
  current_step.abi.task = state.get(); // this step is the task's first
  abandon_guard guard(*state);
  task<T> body = std::move(work);
  bool cancelled = false;
  try {
    if (state->consume_cancel()) {
      task_access::mark_started(body); // dropped on purpose
      throw cancelled_error();
    }
    if constexpr (std::is_void_v<T>) {
      co_await body;
      state->stored.set_value();
    } else {
      state->stored.set_value(co_await body);
    }
    if (state->consume_cancel())
      throw cancelled_error();
  } catch (const cancelled_error &) {
    state->stored.set_error(std::current_exception());
    cancelled = true;
  } catch (...) {
    state->stored.set_error(std::current_exception());
  }
  state->finish(cancelled);
  if (loop.debug())
    loop_access::hold_for_step(loop, state);
}

template <class T>
join_handle<T> spawn_on(event_loop &loop, task<T> work,
                        const std::source_location &where) {
  if (!work.valid())
    throw std::logic_error("aio: spawning an empty task");
  auto state = std::make_shared<join_state<T>>(loop);
  state->set_spawned_at(where);
  if (loop.debug())
    loop_access::track(loop, state);
  root_task root = drive(loop, std::move(work), state);
  root.handle.promise().aio_ctx = state.get();
  try {
    loop.adopt_root(root.handle);
  } catch (...) {
    loop.forget_root(root.handle);
    root.handle.destroy();
    throw;
  }
  return join_handle<T>(std::move(state));
}

// The awaitable of sleep_for / sleep_until: resumes at a steady deadline,
// or at once with cancelled_error when its task is cancelled.
class [[nodiscard]] sleep_awaiter final : suspension {
public:
  explicit sleep_awaiter(steady_clock::time_point deadline,
                         std::source_location where = {}) noexcept
      : deadline_(deadline), where_(where) {}
  sleep_awaiter(const sleep_awaiter &other) noexcept
      : suspension(other), deadline_(other.deadline_), where_(other.where_) {}
  sleep_awaiter &operator=(const sleep_awaiter &) = delete;
  ~sleep_awaiter() { stop_timer(); }

  bool await_ready() const noexcept { return false; } // sleeping 0 yields
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> caller) {
    bind(caller);
    if (cancel_pending())
      return false; // raise at once, without a timer
    loop_ = &get_running_loop();
    caller_ = caller;
    timer_ = loop_access::schedule_timer(*loop_, deadline_,
                                         resume_callback{caller});
    note_suspend(where_);
    listen();
    return true;
  }
  void await_resume() {
    if (timer_ != 0 || interrupted_)
      note_resume(ctx_, where_);
    timer_ = 0; // it ran, or interrupt() cancelled it
    deliver();
  }

private:
  bool interrupt() noexcept override {
    if (interrupted_)
      return false; // already waking up with cancelled_error
    interrupted_ = true;
    stop_timer();
    loop_->call_soon(resume_callback{caller_});
    return true;
  }
  void stop_timer() noexcept {
    if (timer_ != 0)
      loop_access::cancel_timer(*loop_, std::exchange(timer_, 0));
  }

  steady_clock::time_point deadline_;
  std::source_location where_;
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
  std::uint64_t timer_ = 0;
};

// The awaitable of yield: resumes after the callbacks already queued. A
// cancellation requested meanwhile is raised when it resumes.
class [[nodiscard]] yield_awaiter {
public:
  explicit yield_awaiter(std::source_location where = {}) noexcept
      : where_(where) {}
  bool await_ready() const noexcept { return false; }
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> caller) {
    ctx_ = context_of(caller);
    if (ctx_ != nullptr && ctx_->cancel_pending())
      return false;
    get_running_loop().call_soon(resume_callback{caller});
    note_suspend(where_);
    return true;
  }
  void await_resume() const {
    note_resume(ctx_, where_);
    if (ctx_ != nullptr && ctx_->consume_cancel())
      throw cancelled_error();
  }

private:
  task_state *ctx_ = nullptr;
  std::source_location where_;
};

// The awaitable of current_task().
struct current_task_awaiter {
  task_handle handle;
  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    if (task_state *ctx = context_of(caller))
      handle = handle_access::make(ctx->shared_from_this());
    return false;
  }
  task_handle await_resume() noexcept { return std::move(handle); }
};

} // namespace detail

// co_await aio::sleep_for(d): suspends the current task for d (any
// std::chrono duration) while the loop runs other work. Cancelling the task
// cancels the timer and raises cancelled_error here at once.
template <class Rep, class Period>
detail::sleep_awaiter
sleep_for(std::chrono::duration<Rep, Period> d,
          std::source_location where = std::source_location::current()) {
  return detail::sleep_awaiter(
      detail::deadline_after(detail::steady_clock::now(), d), where);
}

// co_await aio::sleep_until(t): suspends the current task until t, a time
// point of steady_clock, system_clock or any other clock.
template <class Clock, class Duration>
detail::sleep_awaiter
sleep_until(std::chrono::time_point<Clock, Duration> t,
            std::source_location where = std::source_location::current()) {
  return detail::sleep_awaiter(detail::to_steady_deadline(t), where);
}

// co_await aio::yield(): lets every other ready task run once, then resumes.
inline detail::yield_awaiter
yield(std::source_location where = std::source_location::current()) noexcept {
  return detail::yield_awaiter(where);
}

// co_await aio::current_task(): the handle of the spawned task the awaiting
// coroutine runs in (asyncio.current_task()); an empty handle in a coroutine
// that is not an aio task. Does not suspend.
inline detail::current_task_awaiter current_task() noexcept { return {}; }

// aio::current_task_cancelling(): the cancellation requests of the spawned
// task the caller runs in that uncancel() has not undone (its handle's
// cancelling()); 0 outside a task and on other threads. It needs no
// co_await, so a catch handler can ask it: after cancelling a task and
// awaiting it, the cancelled_error caught is the child's when this is 0, and
// this task's own when it is not (asyncio's `if
// asyncio.current_task().cancelling(): raise`):
//
//   worker.cancel();
//   try {
//     co_await aio::wait_for(worker, 2s);
//   } catch (const std::exception &) {
//     if (aio::current_task_cancelling())
//       throw;
//   }
//
// The task is the one the running step resumed, as the aio awaitables
// record it for debug mode: known whenever the caller last resumed from an
// aio suspension point (or started) in this step, which is the case in a
// handler of what an aio awaitable raised.
inline std::size_t current_task_cancelling() noexcept {
  const aio_step_state &step = detail::current_step.abi;
  if (step.running == 0 || step.task == nullptr)
    return 0; // between steps the task may be gone
  return static_cast<const detail::task_state *>(step.task)->cancelling();
}

// Starts work on the running loop as an independent task (it begins in the
// next loop iteration) and returns a handle to co_await its result.
// `where` defaults to the call site: debug mode's reports name it.
template <class T>
join_handle<T>
spawn(task<T> work,
      std::source_location where = std::source_location::current()) {
  return detail::spawn_on(get_running_loop(), std::move(work), where);
}

// spawn, naming the task (asyncio's create_task(coro, name=...)).
template <class T>
join_handle<T>
spawn(task<T> work, std::string name,
      std::source_location where = std::source_location::current()) {
  join_handle<T> handle =
      detail::spawn_on(get_running_loop(), std::move(work), where);
  handle.set_name(std::move(name));
  return handle;
}

// Runs main on a new event loop until it finishes; returns its value or
// rethrows its exception. Spawned tasks still unfinished are destroyed.
// options: debug mode (aio::run(main(), {.debug = true})), see run_options.
template <class T>
T run(task<T> main, run_options options = {},
      std::source_location where = std::source_location::current()) {
  event_loop loop(std::move(options));
  return loop.run_until_complete(std::move(main), where);
}

// --- Offloading blocking work to other threads ----------------------------

// What run_in_executor needs from an executor: submit(job) either queues job
// to run once on some thread and returns, or throws without queuing it. An
// executor must run every job it accepted, even while it is being destroyed.
template <class E>
concept executor = requires(E &e, std::function<void()> job) {
  e.submit(std::move(job));
};

// A fixed-size pool of threads running submitted jobs in FIFO order. The
// destructor runs the jobs still queued, then joins the threads. A job that
// throws terminates the program, as an exception escaping a std::thread does.
class thread_pool {
public:
  // Starts `threads` worker threads; throws std::invalid_argument for 0.
  explicit thread_pool(std::size_t threads) {
    if (threads == 0)
      throw std::invalid_argument("aio: a thread_pool needs a thread");
    threads_.reserve(threads);
    try {
      for (std::size_t i = 0; i < threads; ++i)
        threads_.emplace_back([this] { work(); });
    } catch (...) {
      stop_and_join();
      throw;
    }
  }
  thread_pool(const thread_pool &) = delete;
  thread_pool &operator=(const thread_pool &) = delete;

  // Runs the jobs still queued (and any they submit), then joins.
  ~thread_pool() { stop_and_join(); }

  // Queues job to run on one of the pool's threads; callable from any thread.
  void submit(std::function<void()> job) {
    {
      // The lock orders this push before the pop of the worker that takes
      // the job, which therefore sees everything written before submit.
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    // Notified after unlocking, so the woken worker does not block on the
    // mutex at once; safe because a pool outlives every submit call to it.
    wakeup_.notify_one();
  }

  // The number of threads.
  std::size_t size() const noexcept { return threads_.size(); }

private:
  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wakeup_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty())
        return; // stopping, and nothing left to run
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock(); // jobs run concurrently, and may submit more
      job();
      job = nullptr; // destroy the job's captures outside the lock too
      lock.lock();
    }
  }

  void stop_and_join() noexcept {
    {
      // Set under the lock: a worker between testing its wait predicate and
      // blocking would otherwise miss the notify_all below.
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wakeup_.notify_all();
    for (std::thread &thread : threads_) {
      // A job calling std::exit destroys a process-wide pool on one of the
      // pool's own threads, which cannot join itself and never returns here.
      if (thread.get_id() == std::this_thread::get_id())
        thread.detach();
      else if (thread.joinable())
        thread.join();
    }
  }

  std::mutex mutex_; // guards jobs_ and stopping_
  std::condition_variable wakeup_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_; // last: workers start using the above
};

// The process-wide pool for blocking I/O (8 threads), started on first use
// (thread-safe, as a function-local static) and joined at exit.
inline thread_pool &io_executor() {
  static thread_pool pool(8);
  return pool;
}

// The process-wide pool for CPU-bound work, one thread per hardware thread
// (at least 1), started on first use and joined at exit.
inline thread_pool &cpu_executor() {
  static thread_pool pool(std::max(1u, std::thread::hardware_concurrency()));
  return pool;
}

namespace detail {

// The outcome of offloaded work: a value, a pointer to the referent of a
// reference result, nothing (void), or an exception.
template <class R> class offload_outcome {
  using stored = std::conditional_t<
      std::is_void_v<R>, std::monostate,
      std::conditional_t<std::is_reference_v<R>,
                         std::add_pointer_t<std::remove_reference_t<R>>,
                         std::remove_cv_t<R>>>;

public:
  // Calls fn (as an rvalue, once) and records what it returned or threw.
  template <class Fn> void capture(Fn &fn) noexcept {
    try {
      if constexpr (std::is_void_v<R>) {
        std::invoke(std::move(fn));
        state_.template emplace<1>();
      } else if constexpr (std::is_reference_v<R>) {
        R &&referent = std::invoke(std::move(fn));
        state_.template emplace<1>(std::addressof(referent));
      } else {
        state_.template emplace<1>(std::invoke(std::move(fn)));
      }
    } catch (...) {
      state_.template emplace<2>(std::current_exception());
    }
  }

  // The recorded result, or the recorded exception rethrown.
  R get() {
    if (state_.index() == 2)
      std::rethrow_exception(std::get<2>(state_));
    if constexpr (std::is_void_v<R>)
      return;
    else if constexpr (std::is_reference_v<R>)
      return static_cast<R>(*std::get<1>(state_));
    else
      return std::move(std::get<1>(state_));
  }

private:
  std::variant<std::monostate, stored, std::exception_ptr> state_;
};

// The half of run_in_executor's awaitable that deals with the loop: which
// loop and coroutine to resume, and keeping the loop's count of offloaded
// work, which makes the loop wait for it (and outlive it).
class offload_base {
protected:
  // On the loop's thread, before submitting.
  void begin(std::coroutine_handle<> caller) {
    event_loop &loop = get_running_loop();
    loop.offload_started();
    loop_ = &loop;
    caller_ = caller;
  }
  // On the loop's thread, if submitting threw.
  void abandon() noexcept { loop_->offload_abandoned(); }
  // On the worker, after the outcome is recorded: queues the caller's
  // resumption on the loop. The coroutine frame holding *this may be gone
  // as soon as that is queued, so this is the last touch of *this.
  void finish() noexcept {
    event_loop *loop = loop_;
    resume_callback resume{caller_};
    loop->offload_finished(resume);
  }

private:
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
};

// The awaitable of run_in_executor and to_thread. It owns the callable,
// which lives in the awaiting coroutine's frame until the awaitable is
// destroyed there, on the loop's thread.
//
// Running work cannot be interrupted: a cancellation of the awaiting task
// stays pending until the work is done, then the result is discarded and
// cancelled_error raised. Work whose task was cancelled before it was
// submitted is not submitted at all.
template <class Executor, class Fn>
class [[nodiscard]] offload_awaiter : private offload_base {
public:
  using result_type = std::invoke_result_t<Fn>;

  template <class F>
  offload_awaiter(Executor &ex, F &&fn, std::source_location where = {})
      : executor_(&ex), fn_(std::forward<F>(fn)), where_(where) {}
  offload_awaiter(offload_awaiter &&) = default;
  offload_awaiter(const offload_awaiter &) = delete;
  offload_awaiter &operator=(const offload_awaiter &) = delete;

  bool await_ready() const noexcept { return false; }
  // Submits the call; the worker resumes caller on the loop when it ends.
  // The lock in the executor's submit orders everything written here
  // before the worker's reads; the loop's lock in offload_finished orders
  // the worker's writes before await_resume.
  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> caller) {
    ctx_ = context_of(caller);
    if (ctx_ != nullptr && ctx_->cancel_pending())
      return false; // cancelled before it started: raise, submit nothing
    begin(caller);
    try {
      executor_->submit([this]() noexcept {
        outcome_.capture(fn_);
        finish();
      });
    } catch (...) {
      abandon();
      throw;
    }
    note_suspend(where_);
    suspended_ = true;
    return true;
  }
  // On the loop's thread: the callable's result, or its exception rethrown;
  // cancelled_error (the result discarded) if the task was cancelled.
  result_type await_resume() {
    if (suspended_)
      note_resume(ctx_, where_);
    if (ctx_ != nullptr && ctx_->consume_cancel())
      throw cancelled_error();
    return outcome_.get();
  }

private:
  Executor *executor_;
  Fn fn_;
  std::source_location where_;
  offload_outcome<result_type> outcome_;
  task_state *ctx_ = nullptr;
  bool suspended_ = false;
};

} // namespace detail

// co_await aio::run_in_executor(ex, fn): calls fn() on a thread of ex while
// the loop runs other tasks, then resumes the awaiting coroutine on the
// loop's thread with fn's result (a value, void, or a reference to the same
// object fn returned a reference to) or rethrows fn's exception. fn is
// moved (or copied, if an lvalue) into the awaitable, so a temporary lambda
// capturing the coroutine's locals by reference is fine. Must be awaited on
// a running loop; the loop waits for the call even if it is destroyed first.
// Cancelling the awaiting task does not interrupt fn: cancelled_error is
// raised once fn has returned, and its result is discarded.
template <executor Executor, class F>
  requires std::constructible_from<std::decay_t<F>, F> &&
           std::invocable<std::decay_t<F>>
detail::offload_awaiter<Executor, std::decay_t<F>>
run_in_executor(Executor &ex, F &&fn,
                std::source_location where = std::source_location::current()) {
  return detail::offload_awaiter<Executor, std::decay_t<F>>(
      ex, std::forward<F>(fn), where);
}

// co_await aio::to_thread(fn): run_in_executor(aio::io_executor(), fn), for
// blocking calls (file and socket I/O, sleeps, fsync, DNS, ...).
template <class F>
  requires std::constructible_from<std::decay_t<F>, F> &&
           std::invocable<std::decay_t<F>>
detail::offload_awaiter<thread_pool, std::decay_t<F>>
to_thread(F &&fn, std::source_location where = std::source_location::current()) {
  return run_in_executor(io_executor(), std::forward<F>(fn), where);
}

// --- Timeouts ---------------------------------------------------------------

namespace detail {

// The awaiter type of an awaitable: what operator co_await returns, or the
// awaitable itself.
template <class A> struct awaiter_of {
  using type = A;
};
template <class A>
  requires requires(A &&a) { static_cast<A &&>(a).operator co_await(); }
struct awaiter_of<A> {
  using type = decltype(std::declval<A>().operator co_await());
};
// What co_await on an A yields.
template <class A>
using await_result_t =
    decltype(std::declval<typename awaiter_of<A>::type &>().await_resume());

} // namespace detail

class timeout_scope;

namespace detail {

// While alive, a timer that cancels the task at the scope's deadline. On
// leaving, undoes that cancellation request and tells whether the
// cancelled_error coming out is the timeout's own: no other request arrived
// since the scope was entered (asyncio's uncancel() <= cancelling at entry).
class timeout_arm {
public:
  timeout_arm(timeout_scope &scope, task_state &ctx);
  timeout_arm(const timeout_arm &) = delete;
  timeout_arm &operator=(const timeout_arm &) = delete;
  ~timeout_arm();

  void arm();
  void disarm() noexcept {
    if (timer_ != 0)
      loop_access::cancel_timer(loop_, std::exchange(timer_, 0));
  }
  bool fired() const noexcept { return fired_; }
  bool leave() noexcept {
    disarm();
    if (!std::exchange(fired_, false))
      return false;
    return ctx_.uncancel() <= baseline_;
  }

private:
  timeout_scope &scope_;
  task_state &ctx_;
  event_loop &loop_;
  std::size_t baseline_;
  std::uint64_t timer_ = 0;
  bool fired_ = false;
};

} // namespace detail

// A deadline for one or more awaits of the current task (asyncio.Timeout):
//
//   aio::timeout_scope deadline = aio::timeout(2s);
//   auto conn = co_await deadline.run(connect());   // both share the
//   co_await deadline.run(handshake(conn));         // same 2 s budget
//
// run(aw) awaits aw in the current task with a timer armed for the
// deadline; when it fires, the task is cancelled, and the cancelled_error
// that comes out of aw is turned into timeout_error. Only that one: if the
// task was also cancelled otherwise meanwhile, cancelled_error propagates,
// so nested timeouts and outer cancellations compose. If aw swallows the
// cancellation and returns normally, run returns its value. The deadline
// may be moved with reschedule (also while run is in progress). A scope is
// not copyable or movable and must outlive the runs, which a local (or a
// temporary in the co_await expression) does. time_point::max() means no
// deadline.
class timeout_scope {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit timeout_scope(time_point when) noexcept : when_(when) {}
  timeout_scope(const timeout_scope &) = delete;
  timeout_scope &operator=(const timeout_scope &) = delete;

  // The deadline.
  time_point when() const noexcept { return when_; }
  // True if the deadline passed during a run (since the last reschedule).
  bool expired() const noexcept { return expired_; }
  // Moves the deadline; throws std::logic_error if it has already fired
  // during the run in progress.
  void reschedule(time_point when) {
    if (active_ != nullptr && active_->fired())
      throw std::logic_error("aio: rescheduling an expired timeout");
    when_ = when;
    expired_ = false;
    if (active_ != nullptr) {
      active_->disarm();
      active_->arm();
    }
  }

  // co_await scope.run(aw): aw's result, or timeout_error. aw is a task,
  // a join_handle (cancelled on timeout, and waited for), sleep_for,
  // to_thread (the timeout is honoured when the work returns), ... Must be
  // awaited by an aio task; one run at a time.
  template <class Awaitable>
  task<detail::await_result_t<Awaitable>> run(Awaitable aw) {
    using R = detail::await_result_t<Awaitable>;
    static_assert(!std::is_reference_v<R>,
                  "aio: timeouts of awaitables returning references are not "
                  "supported");
    detail::task_state *ctx = co_await detail::context_probe{};
    if (ctx == nullptr)
      throw std::logic_error("aio: a timeout must be awaited by an aio task");
    detail::timeout_arm arm(*this, *ctx);
    try {
      if constexpr (std::is_void_v<R>) {
        co_await std::move(aw);
        arm.leave();
        co_return;
      } else {
        R value = co_await std::move(aw);
        arm.leave();
        co_return value;
      }
    } catch (const cancelled_error &) {
      if (arm.leave())
        throw timeout_error();
      throw;
    } catch (...) {
      arm.leave();
      throw;
    }
  }

private:
  friend class detail::timeout_arm;
  time_point when_;
  bool expired_ = false;
  detail::timeout_arm *active_ = nullptr;
};

namespace detail {

inline timeout_arm::timeout_arm(timeout_scope &scope, task_state &ctx)
    : scope_(scope), ctx_(ctx), loop_(ctx.loop()),
      baseline_(ctx.cancelling()) {
  if (scope.active_ != nullptr)
    throw std::logic_error("aio: a timeout_scope is already running");
  arm();
  scope.active_ = this;
}

inline timeout_arm::~timeout_arm() {
  disarm();
  if (fired_)
    ctx_.uncancel(); // left by a path that did not call leave()
  scope_.active_ = nullptr;
}

inline void timeout_arm::arm() {
  if (scope_.when_ == timeout_scope::time_point::max())
    return;
  timer_ = loop_access::schedule_timer(loop_, scope_.when_, [this] {
    timer_ = 0;
    fired_ = true;
    scope_.expired_ = true;
    ctx_.cancel();
  });
}

} // namespace detail

// aio::timeout(d): a timeout_scope with its deadline d from now.
template <class Rep, class Period>
timeout_scope timeout(std::chrono::duration<Rep, Period> d) {
  return timeout_scope(detail::deadline_after(detail::steady_clock::now(), d));
}
// aio::timeout_at(t): a timeout_scope with its deadline at t (any clock).
template <class Clock, class Duration>
timeout_scope timeout_at(std::chrono::time_point<Clock, Duration> t) {
  return timeout_scope(detail::to_steady_deadline(t));
}

// co_await aio::wait_for(aw, d): aw's result if it completes within d,
// else timeout_error (asyncio.wait_for). aw is awaited in the current task,
// which is cancelled when d elapses; wait_for then waits for aw to finish
// unwinding (a join_handle: the spawned task is cancelled and waited for)
// before raising. A cancellation of the task from elsewhere comes out as
// cancelled_error. The deadline starts when wait_for is awaited.
template <class Awaitable, class Rep, class Period>
task<detail::await_result_t<Awaitable>>
wait_for(Awaitable aw, std::chrono::duration<Rep, Period> d) {
  timeout_scope scope(detail::deadline_after(detail::steady_clock::now(), d));
  if constexpr (std::is_void_v<detail::await_result_t<Awaitable>>)
    co_await scope.run(std::move(aw));
  else
    co_return co_await scope.run(std::move(aw));
}

// co_await aio::timeout(d, aw): the same as wait_for(aw, d).
template <class Rep, class Period, class Awaitable>
task<detail::await_result_t<Awaitable>>
timeout(std::chrono::duration<Rep, Period> d, Awaitable aw) {
  return wait_for(std::move(aw), d);
}

// --- Combinators ------------------------------------------------------------

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

template <class Tuple, std::size_t... I>
std::vector<task_state *> states_of(const Tuple &handles,
                                    std::index_sequence<I...>) {
  return std::vector<task_state *>{
      handle_access::state(std::get<I>(handles))...};
}

template <class Handle>
std::vector<task_state *> states_of(const std::vector<Handle> &handles) {
  std::vector<task_state *> states;
  states.reserve(handles.size());
  for (const Handle &h : handles)
    states.push_back(handle_access::state(h));
  return states;
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

// When aio::wait returns (asyncio's FIRST_COMPLETED, FIRST_EXCEPTION,
// ALL_COMPLETED).
enum class return_when { first_completed, first_exception, all_completed };
inline constexpr return_when first_completed = return_when::first_completed;
inline constexpr return_when first_exception = return_when::first_exception;
inline constexpr return_when all_completed = return_when::all_completed;

// What aio::wait returns: the handles that are done and those that are
// not, each in the order they were given.
template <class Handle> struct wait_result {
  std::vector<Handle> done;
  std::vector<Handle> pending;
};

namespace detail {

// Waits until `when` holds for the tasks, or the deadline passes, or the
// awaiting task is cancelled (then raises cancelled_error; the tasks are
// not cancelled).
class wait_waiter final : suspension, done_observer {
public:
  wait_waiter(std::vector<task_state *> tasks, return_when when,
              std::optional<steady_clock::time_point> deadline) noexcept
      : tasks_(std::move(tasks)), when_(when), deadline_(deadline) {
    for (task_state *t : tasks_)
      t->mark_joined(); // handed to a combinator
  }
  wait_waiter(const wait_waiter &) = delete;
  wait_waiter &operator=(const wait_waiter &) = delete;
  ~wait_waiter() { stop(); }

  bool await_ready() const noexcept { return false; }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    bind(caller);
    caller_ = caller;
    if (cancel_pending())
      return false;
    std::size_t unfinished = 0;
    for (task_state *t : tasks_) {
      if (satisfied_by(*t))
        return false;
      unfinished += t->done() ? 0 : 1;
    }
    if (unfinished == 0 ||
        (deadline_ && *deadline_ <= steady_clock::now()))
      return false;
    loop_ = &get_running_loop();
    for (task_state *t : tasks_)
      if (!t->done()) {
        t->add_observer(this);
        ++observing_;
      }
    if (deadline_ && *deadline_ != steady_clock::time_point::max())
      timer_ = loop_access::schedule_timer(*loop_, *deadline_, [this] {
        timer_ = 0;
        wake();
      });
    note_suspend({});
    listen();
    return true;
  }
  void await_resume() {
    if (loop_ != nullptr)
      note_resume(ctx_, {});
    deliver();
  }

private:
  bool satisfied_by(task_state &t) const noexcept {
    if (!t.done())
      return false;
    switch (when_) {
    case return_when::first_completed:
      return true;
    case return_when::first_exception:
      return !t.cancelled() && t.error() != nullptr;
    case return_when::all_completed:
      return false;
    }
    return false;
  }
  void on_done(task_state &t) noexcept override {
    --observing_;
    if (satisfied_by(t) || observing_ == 0)
      wake();
  }
  bool interrupt() noexcept override {
    if (interrupted_)
      return false;
    interrupted_ = true;
    wake();
    return true;
  }
  void wake() noexcept {
    if (woken_)
      return;
    woken_ = true;
    stop();
    leave();
    loop_->call_soon(resume_callback{caller_});
  }
  void stop() noexcept {
    if (timer_ != 0)
      loop_access::cancel_timer(*loop_, std::exchange(timer_, 0));
    if (observing_ != 0) {
      for (task_state *t : tasks_)
        t->remove_observer(this);
      observing_ = 0;
    }
  }

  std::vector<task_state *> tasks_;
  return_when when_;
  std::optional<steady_clock::time_point> deadline_;
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
  std::uint64_t timer_ = 0;
  std::size_t observing_ = 0;
  bool woken_ = false;
};

template <class Handle>
task<wait_result<Handle>>
wait_impl(std::vector<Handle> handles, return_when when,
          std::optional<steady_clock::time_point> deadline) {
  if (handles.empty())
    throw std::invalid_argument("aio: wait needs at least one task");
  {
    wait_waiter waiter(states_of(handles), when, deadline);
    co_await waiter;
  }
  wait_result<Handle> result;
  for (Handle &h : handles)
    (h.done() ? result.done : result.pending).push_back(std::move(h));
  co_return result;
}

} // namespace detail

// co_await aio::wait(handles, when): waits for spawned tasks (join_handles
// of one type, or task_handles) until `when` holds — any done
// (first_completed), any failed with an exception other than
// cancelled_error, or all done (first_exception, all_completed) — and
// returns {done, pending}. Never raises the tasks' exceptions and never
// cancels them; cancelling the awaiting task raises cancelled_error here.
// An empty vector is std::invalid_argument (as in asyncio).
template <class Handle>
  requires std::derived_from<Handle, task_handle>
task<wait_result<Handle>> wait(std::vector<Handle> handles,
                               return_when when = all_completed) {
  return detail::wait_impl(std::move(handles), when, std::nullopt);
}

// co_await aio::wait(handles, timeout, when): the same, returning when the
// timeout elapses at the latest (the tasks not done are in pending).
template <class Handle, class Rep, class Period>
  requires std::derived_from<Handle, task_handle>
task<wait_result<Handle>> wait(std::vector<Handle> handles,
                               std::chrono::duration<Rep, Period> timeout,
                               return_when when = all_completed) {
  return detail::wait_impl(
      std::move(handles), when,
      detail::deadline_after(detail::steady_clock::now(), timeout));
}

// Yields spawned tasks in the order they finish (asyncio.as_completed, in
// its `async for` form returning the tasks):
//
//   aio::as_completed pending(std::move(handles));
//   while (!pending.empty()) {
//     aio::join_handle<int> first = co_await pending.next();
//     use(first.result());
//   }
//
// Duplicate handles are yielded once. next() raises std::logic_error when
// nothing is left; cancelling the task awaiting next() raises
// cancelled_error there without cancelling the tasks (the next call still
// yields the one that finished meanwhile). For a deadline, wrap next() in
// wait_for. Not copyable or movable: it observes the tasks.
template <class Handle>
  requires std::derived_from<Handle, task_handle>
class as_completed final : detail::done_observer {
public:
  explicit as_completed(std::vector<Handle> handles) {
    std::unordered_set<detail::task_state *> seen;
    for (Handle &h : handles) {
      detail::task_state *state = detail::handle_access::state(h);
      if (state == nullptr)
        throw std::invalid_argument("aio: as_completed of an empty handle");
      if (!seen.insert(state).second)
        continue; // a duplicate
      state->mark_joined();
      if (state->done()) {
        finished_.push_back(std::move(h));
      } else {
        waiting_.emplace(state, std::move(h));
        state->add_observer(this);
      }
    }
  }
  as_completed(const as_completed &) = delete;
  as_completed &operator=(const as_completed &) = delete;
  ~as_completed() {
    for (auto &entry : waiting_)
      entry.first->remove_observer(this);
  }

  // The number of tasks not yet yielded.
  std::size_t size() const noexcept {
    return finished_.size() + waiting_.size();
  }
  bool empty() const noexcept { return size() == 0; }

  class [[nodiscard]] next_awaiter final : detail::suspension {
  public:
    explicit next_awaiter(as_completed &owner) noexcept : owner_(owner) {}
    // Movable until awaited (so that wait_for(pending.next(), d) works).
    next_awaiter(next_awaiter &&other) noexcept
        : suspension(other), owner_(other.owner_) {}
    next_awaiter(const next_awaiter &) = delete;
    next_awaiter &operator=(const next_awaiter &) = delete;
    ~next_awaiter() {
      if (owner_.next_ == this)
        owner_.next_ = nullptr;
    }

    bool await_ready() const noexcept { return !owner_.finished_.empty(); }
    template <class P> void await_suspend(std::coroutine_handle<P> caller) {
      if (owner_.next_ != nullptr)
        throw std::logic_error("aio: as_completed::next is already awaited");
      bind(caller);
      caller_ = caller;
      loop_ = &get_running_loop();
      owner_.next_ = this;
      suspended_ = true;
      detail::note_suspend({});
      listen();
      forward_pending();
    }
    Handle await_resume() {
      if (suspended_) {
        detail::note_resume(ctx_, {});
        deliver();
      }
      Handle h = std::move(owner_.finished_.front());
      owner_.finished_.pop_front();
      return h;
    }

  private:
    friend class as_completed;
    bool interrupt() noexcept override {
      if (interrupted_)
        return false;
      interrupted_ = true;
      wake();
      return true;
    }
    void wake() noexcept {
      owner_.next_ = nullptr;
      leave();
      loop_->call_soon(detail::resume_callback{caller_});
    }

    as_completed &owner_;
    std::coroutine_handle<> caller_;
    event_loop *loop_ = nullptr;
    bool suspended_ = false;
  };

  // co_await next(): the next task to finish (or one that already has).
  next_awaiter next() {
    if (empty())
      throw std::logic_error("aio: as_completed has nothing left");
    return next_awaiter(*this);
  }

private:
  void on_done(detail::task_state &state) noexcept override {
    auto it = waiting_.find(&state);
    if (it == waiting_.end())
      return;
    finished_.push_back(std::move(it->second));
    waiting_.erase(it);
    if (next_ != nullptr)
      next_->wake();
  }

  std::unordered_map<detail::task_state *, Handle> waiting_;
  std::deque<Handle> finished_;
  next_awaiter *next_ = nullptr;
};

// --- Task groups ------------------------------------------------------------

class task_group;

template <class F>
  requires std::invocable<F &, task_group &>
task<typename std::invoke_result_t<F &, task_group &>::value_type>
with_task_group(F fn);

// Spawns child tasks and waits for all of them (asyncio.TaskGroup):
//
//   aio::task_group group;
//   auto a = group.spawn(fetch("a"));
//   auto b = group.spawn(fetch("b"));
//   co_await group;                 // both done; a.result(), b.result()
//
// When a child fails with an exception other than cancelled_error, the
// group cancels the other children (and children spawned later start
// cancelled); co_await group waits for all children and rethrows the first
// error. Cancelling the task awaiting the group cancels the children, waits
// for them, then raises cancelled_error (a child's error takes precedence).
// After a completed co_await the group is closed: spawn throws
// std::logic_error.
//
// C++ has no asynchronous destructors: if the body leaves by an exception
// before `co_await group`, the destructor can only cancel the children,
// which then finish on their own after the frame is gone, and it reports
// that on stderr. Prefer aio::with_task_group, which also cancels the body
// when a child fails (the full asyncio behaviour), whenever the body can
// throw.
class task_group final : detail::done_observer {
public:
  task_group() noexcept = default;
  task_group(const task_group &) = delete;
  task_group &operator=(const task_group &) = delete;
  ~task_group() {
    for (auto &entry : children_) {
      entry.first->remove_observer(this);
      entry.first->cancel();
    }
    if (!children_.empty() && detail::running_loop != nullptr)
      std::fputs("aio: task_group destroyed with unfinished tasks; they were "
                 "cancelled\n",
                 stderr);
  }

  // Spawns work as a child of the group.
  template <class T>
  join_handle<T>
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    if (closed_)
      throw std::logic_error("aio: spawning into a finished task_group");
    join_handle<T> handle = aio::spawn(std::move(work), where);
    const std::shared_ptr<detail::task_state> &state =
        detail::handle_access::shared(handle);
    children_.emplace(state.get(), state);
    state->add_observer(this);
    if (aborting_)
      state->cancel(); // cancelled before it starts
    return handle;
  }
  template <class T>
  join_handle<T>
  spawn(task<T> work, std::string name,
        std::source_location where = std::source_location::current()) {
    join_handle<T> handle = spawn(std::move(work), where);
    handle.set_name(std::move(name));
    return handle;
  }

  // Cancels every unfinished child, as a failing child does.
  void cancel() noexcept { abort(); }
  // The number of unfinished children.
  std::size_t size() const noexcept { return children_.size(); }

  class [[nodiscard]] join_awaiter final : detail::suspension {
  public:
    explicit join_awaiter(task_group &group, bool throws = true) noexcept
        : group_(group), throws_(throws) {}
    join_awaiter(const join_awaiter &) = delete;
    join_awaiter &operator=(const join_awaiter &) = delete;
    ~join_awaiter() {
      if (group_.joiner_ == this)
        group_.joiner_ = nullptr;
    }

    bool await_ready() const noexcept { return group_.children_.empty(); }
    template <class P> void await_suspend(std::coroutine_handle<P> caller) {
      if (group_.joiner_ != nullptr)
        throw std::logic_error("aio: a task_group is already awaited");
      bind(caller);
      caller_ = caller;
      loop_ = &get_running_loop();
      group_.joiner_ = this;
      suspended_ = true;
      detail::note_suspend({});
      listen();
      forward_pending();
    }
    void await_resume() {
      leave();
      if (suspended_)
        detail::note_resume(ctx_, {});
      if (group_.joiner_ == this)
        group_.joiner_ = nullptr;
      if (suspended_ && ctx_ != nullptr && ctx_->consume_cancel() &&
          !group_.aborting_)
        propagate_cancel = true;
      error_ = group_.conclude(propagate_cancel, cancel_error);
      if (throws_ && error_)
        std::rethrow_exception(error_);
    }

    // For with_task_group: the body was cancelled (with this exception).
    bool propagate_cancel = false;
    std::exception_ptr cancel_error;
    // What co_await decided to raise (null for nothing).
    std::exception_ptr error() const noexcept { return error_; }

  private:
    friend class task_group;
    bool interrupt() noexcept override {
      // A failure being handled already wins over this cancellation.
      if (!group_.aborting_) {
        propagate_cancel = true;
        group_.abort();
      }
      return true;
    }
    void wake() noexcept {
      group_.joiner_ = nullptr;
      leave();
      loop_->call_soon(detail::resume_callback{caller_});
    }

    task_group &group_;
    std::coroutine_handle<> caller_;
    event_loop *loop_ = nullptr;
    std::exception_ptr error_;
    bool throws_;
    bool suspended_ = false;
  };

  // co_await group: waits for every child; rethrows the first error.
  join_awaiter operator co_await() noexcept { return join_awaiter(*this); }

private:
  template <class F>
    requires std::invocable<F &, task_group &>
  friend task<typename std::invoke_result_t<F &, task_group &>::value_type>
  with_task_group(F fn);

  void abort() noexcept {
    aborting_ = true;
    for (auto &entry : children_)
      entry.first->cancel();
  }

  void on_done(detail::task_state &child) noexcept override {
    auto it = children_.find(&child);
    if (it == children_.end())
      return;
    // The child's root frame still owns its state while it notifies.
    children_.erase(it);
    if (!child.cancelled()) {
      if (std::exception_ptr error = child.error()) {
        child.mark_retrieved();
        if (!first_error_)
          first_error_ = error;
        if (!aborting_ && !parent_cancel_requested_) {
          abort();
          // with_task_group: interrupt the body too.
          if (in_body_ && parent_ != nullptr && !parent_->done()) {
            parent_cancel_requested_ = true;
            parent_->cancel();
          }
        }
      }
    }
    if (children_.empty() && joiner_ != nullptr)
      joiner_->wake();
  }

  // The outcome of joining, as asyncio's TaskGroup.__aexit__ decides it.
  std::exception_ptr conclude(bool propagate_cancel,
                              std::exception_ptr cancel_error) noexcept {
    closed_ = true;
    if (parent_cancel_requested_) {
      parent_cancel_requested_ = false;
      if (parent_->uncancel() == 0)
        propagate_cancel = false;
    }
    if (first_error_)
      return first_error_;
    if (propagate_cancel)
      return cancel_error ? cancel_error
                          : std::make_exception_ptr(cancelled_error());
    return nullptr;
  }

  std::unordered_map<detail::task_state *, std::shared_ptr<detail::task_state>>
      children_; // the unfinished ones
  std::exception_ptr first_error_;
  detail::task_state *parent_ = nullptr; // with_task_group's task
  join_awaiter *joiner_ = nullptr;
  bool in_body_ = false;
  bool aborting_ = false;
  bool closed_ = false;
  bool parent_cancel_requested_ = false;
};

// co_await aio::with_task_group([&](aio::task_group &group) -> aio::task<T> {
//   group.spawn(...); ...; co_return value;
// }): asyncio's `async with TaskGroup() as group:` block. Runs the body in
// the current task with a fresh group, then waits for all children. A child
// failing cancels the other children and the body (which gets
// cancelled_error at its current suspension point); the body failing
// cancels the children. Afterwards raises the first child error, else the
// cancellation of the awaiting task (if it was cancelled from elsewhere),
// else the body's own error; otherwise returns the body's value. Children
// never outlive the call, so they may refer to the caller's locals.
template <class F>
  requires std::invocable<F &, task_group &>
task<typename std::invoke_result_t<F &, task_group &>::value_type>
with_task_group(F fn) {
  using T = typename std::invoke_result_t<F &, task_group &>::value_type;
  task_group group;
  group.parent_ = co_await detail::context_probe{};
  std::exception_ptr body_error;
  bool body_cancelled = false;
  std::optional<detail::value_or_monostate_t<T>> value;
  group.in_body_ = true;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::invoke(fn, group);
      value.emplace();
    } else {
      value.emplace(co_await std::invoke(fn, group));
    }
  } catch (const cancelled_error &) {
    body_error = std::current_exception();
    body_cancelled = true;
  } catch (...) {
    body_error = std::current_exception();
  }
  group.in_body_ = false;
  if (body_error && !group.aborting_)
    group.abort();
  std::exception_ptr error;
  {
    task_group::join_awaiter joiner(group, false);
    joiner.propagate_cancel = body_cancelled;
    if (body_cancelled)
      joiner.cancel_error = body_error;
    co_await joiner;
    error = joiner.error();
  }
  if (error)
    std::rethrow_exception(error);
  if (body_error && !body_cancelled)
    std::rethrow_exception(body_error);
  if (!value) // the body's cancellation was the group's own, and undone
    throw cancelled_error();
  if constexpr (!std::is_void_v<T>)
    co_return std::move(*value);
}

// --- Sockets and files ------------------------------------------------------

class tcp_stream;
class tcp_listener;

namespace detail {

[[noreturn]] inline void throw_errno(int error, const std::string &what) {
  throw std::system_error(error, std::generic_category(), what);
}

// The I/O operations of the awaitables below. attempt() makes the
// non-blocking call and returns true once the operation is over (done or
// failed), false if it would block; finish() returns its result or throws
// its error. The descriptor is read from the entry at each attempt, so a
// stream closed meanwhile fails with EBADF instead of touching a reused
// descriptor number.
struct read_op {
  static constexpr bool writes = false;
  io_entry *entry;
  char *data;
  std::size_t size;
  std::size_t done = 0;
  int error = 0;

  bool attempt() noexcept {
    for (;;) {
      const ssize_t n = ::read(entry->fd, data, size);
      if (n >= 0) {
        done = static_cast<std::size_t>(n);
        return true;
      }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return false;
      error = errno;
      return true;
    }
  }
  std::size_t finish() const {
    if (error != 0)
      throw_errno(error, "aio: read");
    return done;
  }
};

// Writes as much as the socket takes (write_some) or everything (write_all),
// without SIGPIPE on a closed peer (EPIPE instead).
struct write_op {
  static constexpr bool writes = true;
  io_entry *entry;
  const char *data;
  std::size_t size;
  bool all;
  std::size_t done = 0;
  int error = 0;

  bool attempt() noexcept {
    while (done < size) {
      const ssize_t n =
          ::send(entry->fd, data + done, size - done, MSG_NOSIGNAL);
      if (n >= 0) {
        done += static_cast<std::size_t>(n);
        if (!all)
          return true;
        continue;
      }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return false;
      error = errno;
      return true;
    }
    return true;
  }
  std::size_t finish() const {
    if (error != 0)
      throw_errno(error, "aio: write");
    return done;
  }
};

struct accept_op {
  static constexpr bool writes = false;
  io_entry *entry;
  int accepted = -1;
  int error = 0;

  bool attempt() noexcept {
    for (;;) {
      const int fd = ::accept4(entry->fd, nullptr, nullptr,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        accepted = fd;
        return true;
      }
      // A connection reset before it was accepted: take the next one.
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return false;
      error = errno;
      return true;
    }
  }
  inline tcp_stream finish();
};

struct connect_op {
  static constexpr bool writes = true;
  io_entry *entry;
  sockaddr_storage address;
  socklen_t length;
  bool started = false;
  int error = 0;

  bool attempt() noexcept {
    if (!started) {
      started = true;
      int r;
      do
        r = ::connect(entry->fd, reinterpret_cast<const sockaddr *>(&address),
                      length);
      while (r != 0 && errno == EINTR);
      if (r == 0)
        return true;
      if (errno == EINPROGRESS || errno == EAGAIN)
        return false;
      error = errno;
      return true;
    }
    int status = 0;
    socklen_t len = sizeof status;
    if (::getsockopt(entry->fd, SOL_SOCKET, SO_ERROR, &status, &len) != 0)
      status = errno;
    if (status == EINPROGRESS || status == EALREADY)
      return false;
    error = status;
    return true;
  }
  void finish() const {
    if (error != 0)
      throw_errno(error, "aio: connect");
  }
};

// The awaitable of every socket operation: tries the operation at once
// (no suspension if it completes), else waits for the descriptor to be
// ready and tries again, in the step that resumes the task. Cancelling the
// task while it waits removes the wait (and the descriptor from the epoll
// set) and raises cancelled_error; an operation that completed is not
// undone (a write_all may have written part of the data). Movable until
// awaited (so that wait_for(stream.read_some(buf), d) works).
template <class Op>
class [[nodiscard]] io_awaiter final : suspension, io_waiter {
public:
  io_awaiter(Op op, std::source_location where) noexcept
      : op_(op), where_(where) {}
  io_awaiter(io_awaiter &&other) noexcept
      : suspension(other), io_waiter(), op_(other.op_), where_(other.where_) {}
  io_awaiter(const io_awaiter &) = delete;
  io_awaiter &operator=(const io_awaiter &) = delete;
  ~io_awaiter() {
    if (waiting_)
      loop_access::io_cancel(*loop_, *op_.entry, this);
  }

  bool await_ready() noexcept { return op_.attempt(); }
  template <class P> bool await_suspend(std::coroutine_handle<P> caller) {
    bind(caller);
    if (cancel_pending())
      return false; // raise at once, without waiting
    loop_ = &get_running_loop();
    caller_ = caller;
    wait();
    suspended_ = true;
    note_suspend(where_);
    listen();
    return true;
  }
  decltype(auto) await_resume() {
    if (suspended_)
      note_resume(ctx_, where_);
    deliver();
    return op_.finish();
  }

private:
  // Runs the continuation as a step of the loop.
  struct step_callback {
    io_awaiter *self;
    void operator()() const { self->on_ready(); }
  };

  void wait() {
    loop_access::io_wait(*loop_, *op_.entry, Op::writes, this);
    waiting_ = true;
  }
  // From the I/O poll: the descriptor is ready (poll_io cleared the slot).
  void ready() noexcept override {
    waiting_ = false;
    loop_access::io_woken(*loop_);
    loop_->call_soon(step_callback{this});
  }
  void on_ready() {
    // A cancellation that arrived meanwhile is raised without attempting.
    if (!cancel_pending() && !op_.attempt()) {
      wait(); // readiness was spurious
      return;
    }
    caller_.resume();
  }
  bool interrupt() noexcept override {
    if (!waiting_)
      return false; // already woken: raised when it resumes
    loop_access::io_cancel(*loop_, *op_.entry, this);
    waiting_ = false;
    interrupted_ = true;
    loop_->call_soon(resume_callback{caller_});
    return true;
  }

  Op op_;
  std::source_location where_;
  event_loop *loop_ = nullptr;
  std::coroutine_handle<> caller_;
  bool waiting_ = false;
  bool suspended_ = false;
};

// Parses a numeric IPv4 or IPv6 address ("" and "0.0.0.0" are any IPv4
// address, "localhost" is 127.0.0.1); false for a name to resolve.
inline bool numeric_address(const std::string &host, std::uint16_t port,
                            sockaddr_storage &address, socklen_t &length) {
  address = sockaddr_storage{};
  const std::string h = host == "localhost" ? "127.0.0.1"
                        : host.empty()      ? "0.0.0.0"
                                            : host;
  auto *v4 = reinterpret_cast<sockaddr_in *>(&address);
  if (::inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof(sockaddr_in);
    return true;
  }
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&address);
  if (::inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

struct stream_access {
  static io_entry &entry(tcp_stream &stream);
};

// TCP_NODELAY on, as asyncio does for every TCP connection: a request
// written in pieces is not held back waiting for the peer's ACK.
inline void no_delay(int fd) noexcept {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

inline int open_socket(int family) {
  const int fd =
      ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw_errno(errno, "aio: socket");
  return fd;
}

} // namespace detail

// A connected TCP socket (asyncio's StreamReader/StreamWriter pair, at the
// level of read_some and write_all). Non-blocking; every operation is
// awaited on the running loop and raises std::system_error on failure.
// Move-only; closes the socket when destroyed. One reader and one writer
// at a time; do not destroy or close a stream while a task waits on it.
class tcp_stream {
public:
  tcp_stream() noexcept = default;
  // Adopts a connected socket (made non-blocking here).
  explicit tcp_stream(int fd) : entry_(std::make_unique<detail::io_entry>()) {
    entry_->fd = fd;
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK) == 0)
      ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
  tcp_stream(tcp_stream &&) noexcept = default;
  tcp_stream &operator=(tcp_stream &&other) noexcept {
    if (this != &other) {
      close();
      entry_ = std::move(other.entry_);
    }
    return *this;
  }
  ~tcp_stream() { close(); }

  bool is_open() const noexcept { return entry_ && entry_->fd >= 0; }
  int native_handle() const noexcept { return entry_ ? entry_->fd : -1; }

  // co_await stream.read_some(buf): the number of bytes read into buf, at
  // least 1, once some are available; 0 at the end of the stream.
  detail::io_awaiter<detail::read_op>
  read_some(std::span<char> buf,
            std::source_location where = std::source_location::current()) {
    return {detail::read_op{&entry(), buf.data(), buf.size()}, where};
  }
  // co_await stream.write_some(data): the number of bytes the socket took
  // (at least 1 unless data is empty).
  detail::io_awaiter<detail::write_op>
  write_some(std::span<const char> data,
             std::source_location where = std::source_location::current()) {
    return {detail::write_op{&entry(), data.data(), data.size(), false},
            where};
  }
  // co_await stream.write_all(data): returns once all of data is written.
  // data must stay alive until then (a temporary in the co_await
  // expression does).
  detail::io_awaiter<detail::write_op>
  write_all(std::string_view data,
            std::source_location where = std::source_location::current()) {
    return {detail::write_op{&entry(), data.data(), data.size(), true},
            where};
  }

  // Half-closes: the peer reads the end of the stream.
  void shutdown_write() {
    if (::shutdown(entry().fd, SHUT_WR) != 0)
      detail::throw_errno(errno, "aio: shutdown");
  }
  // TCP_NODELAY (on for the streams of accept and open_connection): send
  // small writes at once.
  void set_nodelay(bool on = true) {
    const int value = on ? 1 : 0;
    if (::setsockopt(entry().fd, IPPROTO_TCP, TCP_NODELAY, &value,
                     sizeof value) != 0)
      detail::throw_errno(errno, "aio: setsockopt");
  }
  // The local port (of a listener: the port it listens on).
  std::uint16_t local_port() const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (!entry_ || ::getsockname(entry_->fd,
                                 reinterpret_cast<sockaddr *>(&address),
                                 &length) != 0)
      detail::throw_errno(entry_ ? errno : EBADF, "aio: getsockname");
    if (address.ss_family == AF_INET6)
      return ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
  }
  // Closes the socket (the kernel drops it from the loop's epoll set).
  void close() noexcept {
    if (entry_ && entry_->fd >= 0) {
      ::close(entry_->fd);
      entry_->fd = -1;
    }
  }

private:
  friend class tcp_listener;
  friend struct detail::stream_access;
  detail::io_entry &entry() const {
    if (!entry_)
      detail::throw_errno(EBADF, "aio: an empty tcp_stream");
    return *entry_;
  }

  std::unique_ptr<detail::io_entry> entry_;
};

inline detail::io_entry &detail::stream_access::entry(tcp_stream &stream) {
  return stream.entry();
}

inline tcp_stream detail::accept_op::finish() {
  if (error != 0)
    throw_errno(error, "aio: accept");
  no_delay(accepted);
  return tcp_stream(std::exchange(accepted, -1));
}

// A listening TCP socket (asyncio.start_server without the callback):
//
//   aio::tcp_listener listener = aio::tcp_listener::bind("127.0.0.1", 0);
//   for (;;) aio::spawn(serve(co_await listener.accept()));
class tcp_listener {
public:
  tcp_listener() noexcept = default;

  // Binds to host:port and listens. host is a numeric IPv4 or IPv6
  // address, "localhost", or "" for any IPv4 address (no name resolution:
  // binding does not block); port 0 picks a free port (see port()).
  // SO_REUSEADDR is set. Throws std::system_error.
  static tcp_listener bind(const std::string &host, std::uint16_t port,
                           int backlog = 128) {
    sockaddr_storage address;
    socklen_t length;
    if (!detail::numeric_address(host, port, address, length))
      throw std::invalid_argument("aio: tcp_listener::bind needs a numeric "
                                  "address or localhost, not '" +
                                  host + "'");
    tcp_listener listener;
    listener.socket_ = tcp_stream(detail::open_socket(address.ss_family));
    const int fd = listener.socket_.native_handle();
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), length) != 0)
      detail::throw_errno(errno, "aio: bind");
    if (::listen(fd, backlog) != 0)
      detail::throw_errno(errno, "aio: listen");
    return listener;
  }

  // The port it listens on.
  std::uint16_t port() const { return socket_.local_port(); }
  int native_handle() const noexcept { return socket_.native_handle(); }
  bool is_open() const noexcept { return socket_.is_open(); }
  void close() noexcept { socket_.close(); }

  // co_await listener.accept(): the next connection, as a tcp_stream.
  detail::io_awaiter<detail::accept_op>
  accept(std::source_location where = std::source_location::current()) {
    return {detail::accept_op{&socket_.entry()}, where};
  }

private:
  tcp_stream socket_;
};

// co_await aio::open_connection(host, port): a connected tcp_stream
// (asyncio.open_connection). A numeric address or "localhost" connects at
// once; a name is resolved with getaddrinfo on the I/O pool (the first
// address that accepts the connection wins). Throws std::system_error.
inline task<tcp_stream>
open_connection(std::string host, std::uint16_t port,
                std::source_location where = std::source_location::current()) {
  std::vector<std::pair<sockaddr_storage, socklen_t>> candidates;
  sockaddr_storage address;
  socklen_t length;
  if (detail::numeric_address(host, port, address, length)) {
    candidates.emplace_back(address, length);
  } else {
    candidates = co_await to_thread([&host, port] {
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      addrinfo *found = nullptr;
      const std::string service = std::to_string(port);
      if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints,
                                       &found))
        throw std::runtime_error("aio: cannot resolve '" + host +
                                 "': " + ::gai_strerror(rc));
      std::vector<std::pair<sockaddr_storage, socklen_t>> out;
      for (addrinfo *ai = found; ai != nullptr; ai = ai->ai_next) {
        sockaddr_storage a{};
        std::memcpy(&a, ai->ai_addr, ai->ai_addrlen);
        out.emplace_back(a, ai->ai_addrlen);
      }
      ::freeaddrinfo(found);
      return out;
    });
  }
  std::exception_ptr last_error;
  for (const auto &[addr, len] : candidates) {
    tcp_stream stream(detail::open_socket(addr.ss_family));
    try {
      co_await detail::io_awaiter<detail::connect_op>(
          detail::connect_op{&detail::stream_access::entry(stream), addr, len},
          where);
      detail::no_delay(stream.native_handle());
      co_return std::move(stream);
    } catch (const std::system_error &) {
      last_error = std::current_exception();
    }
  }
  if (last_error)
    std::rethrow_exception(last_error);
  throw std::runtime_error("aio: no address for '" + host + "'");
}

// co_await aio::read_file(path): the whole file, read on the I/O pool.
// Throws std::system_error.
inline task<std::string>
read_file(std::string path,
          std::source_location where = std::source_location::current()) {
  co_return co_await to_thread(
      [&path] {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
          detail::throw_errno(errno, "aio: cannot open '" + path + "'");
        std::string data;
        char buf[65536];
        for (;;) {
          const ssize_t n = ::read(fd, buf, sizeof buf);
          if (n > 0) {
            data.append(buf, static_cast<std::size_t>(n));
            continue;
          }
          if (n < 0 && errno == EINTR)
            continue;
          const int error = n < 0 ? errno : 0;
          ::close(fd);
          if (error != 0)
            detail::throw_errno(error, "aio: cannot read '" + path + "'");
          return data;
        }
      },
      where);
}

// co_await aio::write_file(path, data): creates or truncates the file and
// writes data, on the I/O pool. Throws std::system_error.
inline task<>
write_file(std::string path, std::string data,
           std::source_location where = std::source_location::current()) {
  co_await to_thread(
      [&path, &data] {
        const int fd =
            ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0)
          detail::throw_errno(errno, "aio: cannot open '" + path + "'");
        std::size_t done = 0;
        while (done < data.size()) {
          const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0) {
            const int error = errno;
            ::close(fd);
            detail::throw_errno(error, "aio: cannot write '" + path + "'");
          }
          done += static_cast<std::size_t>(n);
        }
        if (::close(fd) != 0)
          detail::throw_errno(errno, "aio: cannot write '" + path + "'");
      },
      where);
}

} // namespace aio

template <> struct std::hash<aio::task_handle> {
  std::size_t operator()(const aio::task_handle &h) const noexcept {
    return std::hash<const void *>{}(h.state_.get());
  }
};

#endif // AIO_AIO_HPP
