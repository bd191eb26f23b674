// aio::event_loop, which runs ready callbacks, timers and I/O waits on one
// thread, and aio::get_running_loop.
#ifndef AIO_EVENT_LOOP_HPP
#define AIO_EVENT_LOOP_HPP

#include <aio/debug.hpp>
#include <aio/detail/blockguard.hpp>
#include <aio/detail/clock.hpp>
#include <aio/detail/current_step.hpp>
#include <aio/detail/fwd.hpp>
#include <aio/detail/io_waiter.hpp>
#include <aio/detail/resume.hpp>
#include <aio/detail/step_watchdog.hpp>
#include <aio/detail/task_state.hpp>
#include <aio/step_state.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <source_location>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <cerrno>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace aio {

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

} // namespace aio

#include <aio/impl/event_loop.ipp>

#endif // AIO_EVENT_LOOP_HPP
