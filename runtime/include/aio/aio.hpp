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
// Only event_loop::call_soon_threadsafe and thread_pool may be used from
// other threads; everything else belongs to the thread running the loop.
#ifndef AIO_AIO_HPP
#define AIO_AIO_HPP

#include <algorithm>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace aio {

class event_loop;
template <class T = void> class task;
template <class T> class join_handle;

namespace detail {

using steady_clock = std::chrono::steady_clock;

// The loop running on this thread, set by event_loop::run_until_complete.
inline thread_local event_loop *running_loop = nullptr;

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

// What every task promise shares: lazy start, the awaiting coroutine to
// resume at the end (symmetric transfer), and the outcome.
template <class T> class task_promise_base {
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
// aio::spawn to start it from outside a coroutine.
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
      if (handle_)
        handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  task(const task &) = delete;
  task &operator=(const task &) = delete;
  ~task() {
    if (handle_)
      handle_.destroy();
  }

  // False for a default-constructed or moved-from task.
  bool valid() const noexcept { return static_cast<bool>(handle_); }
  // True once the body has finished (returned or thrown).
  bool done() const noexcept { return handle_ && handle_.done(); }

  struct awaiter {
    std::coroutine_handle<promise_type> handle;

    bool await_ready() const noexcept { return !handle || handle.done(); }
    // Runs the body up to its first suspension; the caller stays suspended
    // (true) unless the body has already finished. A body finishing later
    // resumes the caller from its final_suspend by symmetric transfer.
    bool await_suspend(std::coroutine_handle<> caller) const noexcept {
      promise_type &promise = handle.promise();
      promise.continuation = caller;
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
  explicit task(std::coroutine_handle<promise_type> handle) noexcept
      : handle_(handle) {}

  std::coroutine_handle<promise_type> handle_;
};

namespace detail {

template <class T> task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<task_promise>::from_promise(*this));
}

// What a spawned task and its join_handle share.
template <class T> struct join_state {
  result<T> outcome;
  bool done = false;
  bool taken = false;
  std::coroutine_handle<> waiter; // the coroutine awaiting the join_handle

  join_state() = default;
  join_state(const join_state &) = delete;
  join_state &operator=(const join_state &) = delete;
  ~join_state() {
    if (done && !taken && outcome.has_error())
      std::fputs("aio: exception of a spawned task was never retrieved\n",
                 stderr);
  }

  T take() {
    if (!done)
      throw std::logic_error("aio: the spawned task has not finished");
    taken = true;
    return outcome.get();
  }
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
join_handle<T> spawn_on(event_loop &loop, task<T> work);

// The loop-facing half of run_in_executor's awaitable (defined below).
class offload_base;

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

} // namespace detail

// The handle aio::spawn returns: co_await it for the spawned task's value
// (or exception). The task runs whether or not the handle is kept; one
// coroutine at a time may await it, and the value is handed over once.
template <class T> class join_handle {
public:
  join_handle() noexcept = default;

  bool valid() const noexcept { return static_cast<bool>(state_); }
  // True once the spawned task has finished (returned or thrown).
  bool done() const noexcept { return state_ && state_->done; }
  // The value of a finished task, or its exception rethrown.
  T result() {
    if (!state_)
      throw std::logic_error("aio: empty join_handle");
    return state_->take();
  }

  struct awaiter {
    std::shared_ptr<detail::join_state<T>> state;

    bool await_ready() const noexcept { return state->done; }
    void await_suspend(std::coroutine_handle<> caller) const {
      if (state->waiter)
        throw std::logic_error("aio: a spawned task is already awaited");
      state->waiter = caller;
    }
    T await_resume() const {
      state->waiter = nullptr;
      return state->take();
    }
  };
  awaiter operator co_await() const {
    if (!state_)
      throw std::logic_error("aio: awaiting an empty join_handle");
    return awaiter{state_};
  }

private:
  template <class U>
  friend join_handle<U> detail::spawn_on(event_loop &, task<U>);
  explicit join_handle(std::shared_ptr<detail::join_state<T>> state) noexcept
      : state_(std::move(state)) {}

  std::shared_ptr<detail::join_state<T>> state_;
};

// The event loop: runs ready callbacks in FIFO order and timers when they
// are due, sleeping while nothing is ready. aio::run creates one per call.
// Other threads hand it callbacks through call_soon_threadsafe, which wakes
// it from that sleep.
class event_loop {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  using callback = std::function<void()>;

  event_loop() = default;
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
  }

  // The loop's clock: steady_clock::now().
  time_point time() const noexcept { return clock::now(); }

  // Runs fn in the next loop iteration, after the callbacks already queued.
  void call_soon(callback fn) { ready_.push_back(std::move(fn)); }

  // Runs fn on the loop's thread in a coming iteration; callable from any
  // thread, and wakes the loop if it is waiting for a timer or for offloaded
  // work. Callbacks from one thread run in the order they were posted. A
  // callback that may still come from another thread does not count as
  // something that can wake the main task (see run_until_complete); work
  // started with run_in_executor does.
  void call_soon_threadsafe(callback fn) {
    // Why a mutex and a condition variable rather than an eventfd: the queue
    // needs a lock anyway, unlocking it publishes everything the posting
    // thread wrote before (an offloaded result, say) to the loop thread that
    // locks it next, and ThreadSanitizer understands both.
    std::lock_guard<std::mutex> lock(remote_mutex_);
    remote_.push_back(std::move(fn));
    // Notified under the lock: once the loop can take the callback it may
    // run it, finish and destroy itself, so this thread must be done with
    // remote_wakeup_ before unlocking.
    remote_wakeup_.notify_one();
  }

  // Runs fn once the loop's clock reaches when.
  void call_at(time_point when, callback fn) {
    timers_.push_back(timer{when, next_sequence_++, std::move(fn)});
    std::push_heap(timers_.begin(), timers_.end(), fires_later);
  }

  // Runs fn after delay (negative means now).
  template <class Rep, class Period>
  void call_later(std::chrono::duration<Rep, Period> delay, callback fn) {
    call_at(detail::deadline_after(time(), delay), std::move(fn));
  }

  // One iteration: moves callbacks posted from other threads and due
  // timers to the ready queue (waiting, without spinning, for the next timer
  // or a posted callback if nothing is ready), then runs the callbacks that
  // were ready. Returns false when there was nothing at all to do or wait
  // for.
  bool run_once() {
    {
      std::unique_lock<std::mutex> lock(remote_mutex_);
      if (ready_.empty() && remote_.empty()) {
        const auto posted = [this] { return !remote_.empty(); };
        if (!timers_.empty())
          remote_wakeup_.wait_until(lock, timers_.front().when, posted);
        else if (offloaded_ != 0)
          remote_wakeup_.wait(lock, posted);
        else
          return false;
      }
      // Swapped out under the lock, moved to ready_ after it: the lock is
      // held only for O(1), and both vectors keep their capacity.
      incoming_.swap(remote_);
    }
    for (callback &fn : incoming_)
      ready_.push_back(std::move(fn));
    incoming_.clear();
    const time_point now = time();
    while (!timers_.empty() && timers_.front().when <= now) {
      std::pop_heap(timers_.begin(), timers_.end(), fires_later);
      ready_.push_back(std::move(timers_.back().fn));
      timers_.pop_back();
    }
    // Callbacks queued while these run wait for the next iteration.
    for (std::size_t n = ready_.size(); n > 0; --n) {
      callback fn = std::move(ready_.front());
      ready_.pop_front();
      fn();
    }
    return true;
  }

  // Runs main on this loop until it finishes and returns its value or
  // rethrows its exception. Spawned tasks run meanwhile; the ones still
  // unfinished stay with the loop. Throws std::runtime_error if a loop is
  // already running on this thread, or if main waits while nothing is
  // scheduled that could wake it (no ready callback, timer or offloaded
  // work).
  template <class T> T run_until_complete(task<T> main) {
    running_guard guard(*this);
    join_handle<T> handle = detail::spawn_on(*this, std::move(main));
    while (!handle.done())
      if (!run_once())
        throw std::runtime_error(
            "aio: the main task waits but nothing is scheduled to wake it");
    return handle.result();
  }

private:
  friend class detail::root_promise;
  friend class detail::offload_base;
  template <class U>
  friend join_handle<U> detail::spawn_on(event_loop &, task<U>);

  struct timer {
    time_point when;
    std::uint64_t sequence; // keeps timers with equal deadlines in order
    callback fn;
  };
  // Heap order: the earliest deadline (then the oldest timer) on top.
  static bool fires_later(const timer &a, const timer &b) noexcept {
    return a.when != b.when ? a.when > b.when : a.sequence > b.sequence;
  }

  // Marks this loop as the thread's running loop for one scope.
  class running_guard {
  public:
    explicit running_guard(event_loop &loop) {
      if (detail::running_loop)
        throw std::runtime_error(
            "aio: an event loop is already running on this thread");
      detail::running_loop = &loop;
    }
    running_guard(const running_guard &) = delete;
    running_guard &operator=(const running_guard &) = delete;
    ~running_guard() { detail::running_loop = nullptr; }
  };

  void adopt_root(std::coroutine_handle<> root) {
    roots_.insert(root);
    call_soon(detail::resume_callback{root});
  }
  void forget_root(std::coroutine_handle<> root) noexcept {
    roots_.erase(root);
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
    std::lock_guard<std::mutex> lock(remote_mutex_);
    remote_.push_back(std::move(resume));
    --offloaded_;
    remote_wakeup_.notify_one(); // under the lock, as in call_soon_threadsafe
  }

  std::deque<callback> ready_;
  std::vector<timer> timers_; // a binary heap ordered by fires_later
  std::uint64_t next_sequence_ = 0;
  std::unordered_set<std::coroutine_handle<>, detail::handle_hash> roots_;

  // Shared with other threads. remote_mutex_ guards remote_ and offloaded_
  // (no atomics: every access needs the lock anyway, for the queue or to
  // wait on remote_wakeup_ without missing a wake-up); remote_wakeup_ is
  // signalled when a callback is posted or the count drops.
  std::mutex remote_mutex_;
  std::condition_variable remote_wakeup_;
  std::vector<callback> remote_;   // posted by other threads, not yet taken
  std::size_t offloaded_ = 0;      // run_in_executor work not yet finished
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

class root_promise {
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

// Runs work to the end, stores its outcome and wakes the awaiter, if any.
template <class T>
root_task drive(event_loop &loop, task<T> work,
                std::shared_ptr<join_state<T>> state) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await work;
      state->outcome.set_value();
    } else {
      state->outcome.set_value(co_await work);
    }
  } catch (...) {
    state->outcome.set_error(std::current_exception());
  }
  state->done = true;
  if (state->waiter)
    loop.call_soon(resume_callback{state->waiter});
}

template <class T> join_handle<T> spawn_on(event_loop &loop, task<T> work) {
  if (!work.valid())
    throw std::logic_error("aio: spawning an empty task");
  auto state = std::make_shared<join_state<T>>();
  root_task root = drive(loop, std::move(work), state);
  loop.adopt_root(root.handle);
  return join_handle<T>(std::move(state));
}

// The awaitable of sleep_for / sleep_until: resumes at a steady deadline.
class [[nodiscard]] sleep_awaiter {
public:
  explicit sleep_awaiter(steady_clock::time_point deadline) noexcept
      : deadline_(deadline) {}
  bool await_ready() const noexcept { return false; } // sleeping 0 yields
  void await_suspend(std::coroutine_handle<> caller) const {
    get_running_loop().call_at(deadline_, resume_callback{caller});
  }
  void await_resume() const noexcept {}

private:
  steady_clock::time_point deadline_;
};

// The awaitable of yield: resumes after the callbacks already queued.
struct [[nodiscard]] yield_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> caller) const {
    get_running_loop().call_soon(resume_callback{caller});
  }
  void await_resume() const noexcept {}
};

} // namespace detail

// co_await aio::sleep_for(d): suspends the current task for d (any
// std::chrono duration) while the loop runs other work.
template <class Rep, class Period>
detail::sleep_awaiter sleep_for(std::chrono::duration<Rep, Period> d) {
  return detail::sleep_awaiter(
      detail::deadline_after(detail::steady_clock::now(), d));
}

// co_await aio::sleep_until(t): suspends the current task until t, a time
// point of steady_clock, system_clock or any other clock.
template <class Clock, class Duration>
detail::sleep_awaiter sleep_until(std::chrono::time_point<Clock, Duration> t) {
  return detail::sleep_awaiter(detail::to_steady_deadline(t));
}

// co_await aio::yield(): lets every other ready task run once, then resumes.
inline detail::yield_awaiter yield() noexcept { return {}; }

// Starts work on the running loop as an independent task (it begins in the
// next loop iteration) and returns a handle to co_await its result.
template <class T> join_handle<T> spawn(task<T> work) {
  return detail::spawn_on(get_running_loop(), std::move(work));
}

// Runs main on a new event loop until it finishes; returns its value or
// rethrows its exception. Spawned tasks still unfinished are destroyed.
template <class T> T run(task<T> main) {
  event_loop loop;
  return loop.run_until_complete(std::move(main));
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
template <class Executor, class Fn>
class [[nodiscard]] offload_awaiter : private offload_base {
public:
  using result_type = std::invoke_result_t<Fn>;

  template <class F>
  offload_awaiter(Executor &ex, F &&fn)
      : executor_(&ex), fn_(std::forward<F>(fn)) {}
  offload_awaiter(offload_awaiter &&) = default;
  offload_awaiter(const offload_awaiter &) = delete;
  offload_awaiter &operator=(const offload_awaiter &) = delete;

  bool await_ready() const noexcept { return false; }
  // Submits the call; the worker resumes caller on the loop when it ends.
  // The lock in the executor's submit orders everything written here
  // before the worker's reads; the loop's lock in offload_finished orders
  // the worker's writes before await_resume.
  void await_suspend(std::coroutine_handle<> caller) {
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
  }
  // On the loop's thread: the callable's result, or its exception rethrown.
  result_type await_resume() { return outcome_.get(); }

private:
  Executor *executor_;
  Fn fn_;
  offload_outcome<result_type> outcome_;
};

} // namespace detail

// co_await aio::run_in_executor(ex, fn): calls fn() on a thread of ex while
// the loop runs other tasks, then resumes the awaiting coroutine on the
// loop's thread with fn's result (a value, void, or a reference to the same
// object fn returned a reference to) or rethrows fn's exception. fn is
// moved (or copied, if an lvalue) into the awaitable, so a temporary lambda
// capturing the coroutine's locals by reference is fine. Must be awaited on
// a running loop; the loop waits for the call even if it is destroyed first.
template <executor Executor, class F>
  requires std::constructible_from<std::decay_t<F>, F> &&
           std::invocable<std::decay_t<F>>
detail::offload_awaiter<Executor, std::decay_t<F>>
run_in_executor(Executor &ex, F &&fn) {
  return detail::offload_awaiter<Executor, std::decay_t<F>>(
      ex, std::forward<F>(fn));
}

// co_await aio::to_thread(fn): run_in_executor(aio::io_executor(), fn), for
// blocking calls (file and socket I/O, sleeps, fsync, DNS, ...).
template <class F>
  requires std::constructible_from<std::decay_t<F>, F> &&
           std::invocable<std::decay_t<F>>
detail::offload_awaiter<thread_pool, std::decay_t<F>> to_thread(F &&fn) {
  return run_in_executor(io_executor(), std::forward<F>(fn));
}

} // namespace aio

#endif // AIO_AIO_HPP
