// Offloading: to_thread, run_in_executor, thread pools, and how offloaded
// work meets cancellation and the loop's shutdown.
#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace offload_test {
using namespace aio_test;

aio::task<> round_trips() {
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::thread::id worker;
  const int n = co_await aio::to_thread([&] {
    worker = std::this_thread::get_id();
    return 6 * 7;
  });
  EXPECT_EQ(n, 42);
  EXPECT_NE(worker, loop_thread);
  EXPECT_EQ(std::this_thread::get_id(), loop_thread);

  std::unique_ptr<int> p =
      co_await aio::to_thread([] { return std::make_unique<int>(3); });
  EXPECT_EQ(*p, 3);

  std::string target = "x";
  decltype(auto) ref =
      co_await aio::to_thread([&]() -> std::string & { return target; });
  static_assert(std::is_same_v<decltype(ref), std::string &>);
  EXPECT_EQ(&ref, &target);

  EXPECT_THROW(co_await aio::to_thread([]() -> int {
                 throw std::runtime_error("worker");
               }),
               std::runtime_error);
  EXPECT_THROW(co_await aio::run_in_executor(
                   aio::cpu_executor(), [] { throw std::logic_error("cpu"); }),
               std::logic_error);
}

TEST(Offload, ResultsAndExceptionsComeBackOnTheLoopThread) {
  aio::run(round_trips());
}

struct inline_executor {
  int jobs = 0;
  void submit(std::function<void()> job) {
    ++jobs;
    job();
  }
};

struct refusing_executor {
  void submit(std::function<void()>) { throw std::runtime_error("refused"); }
};

aio::task<> custom_executors() {
  inline_executor now;
  EXPECT_EQ(co_await aio::run_in_executor(now, [] { return 5; }), 5);
  EXPECT_EQ(now.jobs, 1);
  refusing_executor no;
  EXPECT_THROW(co_await aio::run_in_executor(no, [] { return 1; }),
               std::runtime_error);
  co_await aio::sleep_for(1ms); // the refused work is not waited for
}

TEST(Offload, RunInExecutorUsesAnyExecutor) { aio::run(custom_executors()); }

aio::task<> heartbeat(int *beats, const bool *stop) {
  while (!*stop) {
    ++*beats;
    co_await aio::sleep_for(5ms);
  }
}

aio::task<int> loop_keeps_running() {
  int beats = 0;
  bool stop = false;
  aio::join_handle<void> beat = aio::spawn(heartbeat(&beats, &stop));
  co_await aio::to_thread([] { std::this_thread::sleep_for(60ms); });
  stop = true;
  co_await beat;
  co_return beats;
}

TEST(Offload, TheLoopKeepsRunningTasksMeanwhile) {
  EXPECT_GE(aio::run(loop_keeps_running()), 4);
}

aio::task<> write_into_frame(std::atomic<int> *wrote) {
  int local = 0;
  co_await aio::to_thread([&] {
    std::this_thread::sleep_for(40ms);
    local = 1; // the frame must still exist
    wrote->store(local);
  });
}

aio::task<int> abandon_offload(std::atomic<int> *wrote) {
  aio::spawn(write_into_frame(wrote));
  co_await aio::yield();
  co_return 3;
}

TEST(Offload, DestroyingTheLoopWaitsForOffloadedWork) {
  std::atomic<int> wrote{0};
  EXPECT_EQ(aio::run(abandon_offload(&wrote)), 3);
  EXPECT_EQ(wrote.load(), 1);
}

aio::task<int> cancelled_offload(std::atomic<int> *finished) {
  co_return co_await aio::to_thread([finished] {
    std::this_thread::sleep_for(30ms);
    finished->fetch_add(1);
    return 1;
  });
}

aio::task<> cancel_many_offloads() {
  std::atomic<int> finished{0};
  std::vector<aio::join_handle<int>> hs;
  for (int i = 0; i < 8; ++i)
    hs.push_back(aio::spawn(cancelled_offload(&finished)));
  co_await aio::sleep_for(5ms);
  for (aio::join_handle<int> &h : hs)
    h.cancel();
  for (aio::join_handle<int> &h : hs)
    EXPECT_THROW(co_await h, aio::cancelled_error);
  EXPECT_EQ(finished.load(), 8); // every one ran to the end first
}

TEST(Offload, CancelledWorkRunsToTheEndAndItsResultIsDiscarded) {
  aio::run(cancel_many_offloads());
}

TEST(ThreadPool, RunsEveryQueuedJobBeforeItsDestructorReturns) {
  std::atomic<int> done{0};
  {
    aio::thread_pool pool(2);
    EXPECT_EQ(pool.size(), 2u);
    for (int i = 0; i < 100; ++i)
      pool.submit([&done] { done.fetch_add(1); });
  }
  EXPECT_EQ(done.load(), 100);
  EXPECT_THROW(aio::thread_pool(0), std::invalid_argument);
  EXPECT_GE(aio::cpu_executor().size(), 1u);
  EXPECT_EQ(&aio::io_executor(), &aio::io_executor());
}

} // namespace offload_test
