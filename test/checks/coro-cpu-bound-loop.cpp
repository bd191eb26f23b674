// RUN: %check_corolint --mode=plugin %s coro-cpu-bound-loop %t
// RUN: %check_corolint --mode=cli %s coro-cpu-bound-loop %t

#include <aio/aio.hpp>
#include <cstdint>
#include <vector>

aio::task<std::uint64_t> checksum() {
  std::uint64_t sum = 0;
  for (int i = 0; i < 10'000'000; ++i) {
    // CHECK-NOTES: :[[@LINE-1]]:3: warning: CPU-heavy loop in coroutine 'checksum' runs 10000000 iterations without a suspension point and stalls the event loop; run it with 'co_await aio::run_in_executor(aio::cpu_executor(), ...)' [coro-cpu-bound-loop]
    // CHECK-NOTES: :[[@LINE-2]]:19: note: 10000000 iterations, at least MinIterations (100000), and no co_await, co_yield or co_return inside
    sum += static_cast<std::uint64_t>(i) * 31;
  }
  // CHECK-FIXES: {{^}}  co_await aio::run_in_executor(aio::cpu_executor(), [&] {{{$}}
  // CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < 10'000'000; ++i) {{{$}}
  // CHECK-FIXES: {{^}}  }{{$}}
  // CHECK-FIXES-NEXT: {{^}}  });{{$}}
  co_return sum;
}

// Nested constant loops multiply; the outer loop is reported, once.
aio::task<int> matrix() {
  int cells = 0;
  for (int row = 0; row < 1000; ++row)
    // CHECK-NOTES: :[[@LINE-1]]:3: warning: CPU-heavy loop in coroutine 'matrix' runs 1000000 iterations {{.*}}
    // CHECK-NOTES: :[[@LINE-2]]:21: note: 1000000 iterations, at least MinIterations (100000), {{.*}}
    for (int col = 1000; col > 0; --col)
      // CHECK-NOTES: :[[@LINE-1]]:5: note: multiplied by this nested loop
      cells += row ^ col;
  // CHECK-FIXES: {{^}}  co_await aio::run_in_executor(aio::cpu_executor(), [&] {{{$}}
  // CHECK-FIXES-NEXT: {{^}}  for (int row = 0; row < 1000; ++row){{$}}
  co_return cells;
}

// A goto out of the loop would jump out of the lambda: no fix. (A co_return
// inside is a suspension point: such a loop is not reported at all.)
aio::task<int> search(const int *data) {
  int found = -1;
  for (int i = 0; i < 1 << 20; ++i) {
    // CHECK-NOTES: :[[@LINE-1]]:3: warning: CPU-heavy loop in coroutine 'search' runs 1048576 iterations {{.*}}
    // CHECK-NOTES: :[[@LINE-2]]:19: note: 1048576 iterations{{.*}}
    // CHECK-NOTES: :[[@LINE-3]]:3: note: no fix: the 'goto' would jump out of the offloaded lambda
    if (data[i] == 42) {
      found = i;
      goto done;
    }
  }
done:
  for (int i = 0; i < 1 << 20; ++i)
    if (data[i] == 7)
      co_return i;
  co_return found;
}

// An infinite loop that never suspends: no fix, say why.
aio::task<void> spin(volatile bool &flag) {
  while (true) {
    // CHECK-NOTES: :[[@LINE-1]]:3: warning: infinite loop without a suspension point in coroutine 'spin' never lets the event loop run again; put a suspension point inside it or run it on a dedicated thread [coro-cpu-bound-loop]
    // CHECK-NOTES: :[[@LINE-2]]:10: note: the condition is always true and nothing in the body leaves the loop or suspends
    flag = !flag;
  }
  co_return;
}

// Not reported: loops that suspend, short loops, data-sized loops, loops
// that leave, loops in plain functions and in offloaded lambdas.
aio::task<int> fine(std::vector<int> items, int n) {
  int total = 0;
  for (int i = 0; i < 10'000'000; ++i) {
    total += i;
    if (i % 1000 == 0)
      co_await aio::yield();
  }
  for (int i = 0; i < 1000; ++i)
    total += i;
  for (int &x : items)
    total += x;
  for (int i = 0; i < n; ++i)
    total += i;
  while (true) {
    if (++total > 100)
      break;
  }
  co_await aio::run_in_executor(aio::cpu_executor(), [&] {
    for (int i = 0; i < 10'000'000; ++i)
      total += i;
  });
  co_return total;
}

int plain() {
  int total = 0;
  for (int i = 0; i < 10'000'000; ++i)
    total += i;
  return total;
}
