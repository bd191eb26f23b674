// CPU work through callees: a helper that runs a long constant loop or
// calls a CPU-heavy function is reported at the coroutine's call and moved
// to the CPU executor.
// RUN: %check_corolint --mode=plugin %s coro-cpu-bound-loop %t
// RUN: %check_corolint --mode=cli %s coro-cpu-bound-loop %t

#include <aio/aio.hpp>
#include <crypt.h>
#include <string>
#include <vector>

long checksum(const std::vector<int> &data) {
  long sum = 0;
  for (int round = 0; round < 10000000; ++round)
    sum += data[round % data.size()] * round;
  return sum;
}
long verify(const std::vector<int> &data) { return checksum(data) % 7; }

std::string hash_password(const std::string &password) {
  return crypt(password.c_str(), "$6$salt$");
}

// Loops without a constant count, and loops that never end (the body of a
// thread, more often than not), are not reported through a call.
long sum_all(const std::vector<int> &data) {
  long sum = 0;
  for (int x : data)
    sum += x;
  return sum;
}
void serve_forever() {
  for (;;) {
  }
}

aio::task<long> handle(std::vector<int> data, std::string password) {
  long a = checksum(data);
  // CHECK-NOTES: :[[@LINE-1]]:12: warning: CPU-heavy call to 'checksum' in coroutine 'handle' stalls the event loop: it runs a loop of 10000000 iterations; run it with 'co_await aio::run_in_executor(aio::cpu_executor(), ...)' [coro-cpu-bound-loop]
  // CHECK-NOTES: :[[@LINE-26]]:3: note: 'checksum' runs 10000000 iterations without a suspension point
  // CHECK-FIXES: {{^}}  long a = co_await aio::run_in_executor(aio::cpu_executor(), [&] { return checksum(data); });{{$}}
  long b = verify(data);
  // CHECK-NOTES: :[[@LINE-1]]:12: warning: CPU-heavy call to 'verify' in coroutine 'handle' stalls the event loop: it runs a loop of 10000000 iterations; {{.*}}
  // CHECK-NOTES: :[[@LINE-26]]:52: note: 'verify' calls 'checksum'
  // CHECK-NOTES: :[[@LINE-31]]:3: note: 'checksum' runs 10000000 iterations without a suspension point
  // CHECK-FIXES: {{^}}  long b = co_await aio::run_in_executor(aio::cpu_executor(), [&] { return verify(data); });{{$}}
  std::string h = hash_password(password);
  // CHECK-NOTES: :[[@LINE-1]]:19: warning: CPU-heavy call to 'hash_password' in coroutine 'handle' stalls the event loop: it calls 'crypt'; {{.*}}
  // CHECK-NOTES: :[[@LINE-28]]:10: note: 'hash_password' calls 'crypt', which is CPU-heavy
  // CHECK-FIXES: {{^}}  std::string h = co_await aio::run_in_executor(aio::cpu_executor(), [&] { return hash_password(password); });{{$}}
  long c = sum_all(data);
  if (data.empty())
    serve_forever();
  // Already offloaded.
  long d = co_await aio::run_in_executor(aio::cpu_executor(),
                                         [&] { return checksum(data); });
  co_return a + b + c + d + static_cast<long>(h.size());
}
