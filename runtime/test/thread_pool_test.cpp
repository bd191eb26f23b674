// aio::thread_pool and the process-wide pools (io_executor, cpu_executor).
#include <aio/thread_pool.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace thread_pool_test {
using namespace aio_test;

TEST(ThreadPool, RunsEveryQueuedJobBeforeItsDestructorReturns) {
  std::atomic<int> done{0};
  {
    aio::thread_pool pool(2);
    EXPECT_EQ(pool.size(), 2u);
    for (int i = 0; i < 100; ++i)
      pool.submit([&done] {
        std::this_thread::sleep_for(100us); // most are queued at the end
        done.fetch_add(1);
      });
  }
  EXPECT_EQ(done.load(), 100);
  EXPECT_THROW(aio::thread_pool(0), std::invalid_argument);
  EXPECT_GE(aio::cpu_executor().size(), 1u);
  EXPECT_EQ(&aio::io_executor(), &aio::io_executor());
}

#ifdef __linux__
// The number of threads of this process.
int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key)
    if (key == "Threads:") {
      int n = 0;
      status >> n;
      return n;
    }
  return -1;
}

int threads_before_pools = -1;

// Registered before the pools exist, so it runs after they are destroyed.
void exit_if_threads_remain() {
  const int now = thread_count();
  if (now != threads_before_pools) {
    std::fprintf(stderr, "%d thread(s) at exit, %d before the pools\n", now,
                 threads_before_pools);
    std::_Exit(1);
  }
}

void start_pools_and_exit() {
  // ThreadSanitizer starts a thread of its own along with the first one the
  // program creates; start and join one so that the count includes it.
  std::thread([] {}).join();
  threads_before_pools = thread_count();
  std::atexit(exit_if_threads_remain);
  std::atomic<int> ran{0};
  aio::io_executor().submit([&ran] { ran.fetch_add(1); });
  aio::cpu_executor().submit([&ran] { ran.fetch_add(1); });
  while (ran.load() != 2)
    std::this_thread::yield();
  std::exit(0);
}

TEST(ThreadPool, TheProcessWidePoolsAreJoinedAtExit) {
  // In a new process: the pools of this one may have started already.
  const std::string style = GTEST_FLAG_GET(death_test_style);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(start_pools_and_exit(), testing::ExitedWithCode(0), "");
  GTEST_FLAG_SET(death_test_style, style);
}
#endif

} // namespace thread_pool_test
