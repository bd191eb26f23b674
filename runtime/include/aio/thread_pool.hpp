// aio::thread_pool, and the process-wide pools aio::io_executor (what
// to_thread uses) and aio::cpu_executor.
#ifndef AIO_THREAD_POOL_HPP
#define AIO_THREAD_POOL_HPP

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace aio {

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

} // namespace aio

#endif // AIO_THREAD_POOL_HPP
