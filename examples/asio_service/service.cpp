// asio_service: the HTTP service's handler on standalone asio (Debian's
// libasio-dev) instead of aio: six requests as coroutines co_spawned on one
// io_context, each retrying once after its upstream answered "busy", while a
// heartbeat timer ticks every 10 ms. The mistake is in handle(); its type,
// asio::awaitable, makes the fix asio's, a steady_timer, with no
// configuration. asio 1.22 under clang needs -DASIO_HAS_CO_AWAIT.
#include <asio.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto kRetryDelay = 150ms;
int served = 0;
bool done = false;
clock_type::duration longest_gap{};

// The upstream: about 10 ms per call, busy on a request's first attempt.
asio::awaitable<bool> call_upstream(int attempt) {
  asio::steady_timer timer(co_await asio::this_coro::executor, 10ms);
  co_await timer.async_wait(asio::use_awaitable);
  co_return attempt > 1;
}

// Serves one request.
asio::awaitable<void> handle(int id) {
  int attempt = 1;
  while (!co_await call_upstream(attempt)) {
    std::this_thread::sleep_for(kRetryDelay);
    ++attempt;
  }
  std::string body = "{\"request\": " + std::to_string(id) + ", \"status\": \"ok\"}";
  served += !body.empty();
}

// Ticks every 10 ms until the requests are served, noting the longest gap.
asio::awaitable<void> heartbeat() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto last = clock_type::now();
  while (!done) {
    timer.expires_after(10ms);
    co_await timer.async_wait(asio::use_awaitable);
    longest_gap = std::max(longest_gap, clock_type::now() - last);
    last = clock_type::now();
  }
}

} // namespace

int main() {
  asio::io_context io;
  const auto start = clock_type::now();
  asio::co_spawn(io, heartbeat(), asio::detached);
  for (int id = 1; id <= 6; ++id)
    asio::co_spawn(io, handle(id), [&](std::exception_ptr) {
      if (served == 6 && !done) {
        done = true;
        std::printf("served %d/6 requests in %lld ms\n", served,
                    static_cast<long long>((clock_type::now() - start) / 1ms));
      }
    });
  io.run();
  // The heartbeat should tick every 10 ms; a 50 ms silence means a handler
  // kept the io_context's thread to itself.
  const bool starved = longest_gap > 50ms;
  std::printf("verdict: %s, longest gap %lld ms\n",
              starved ? "heartbeat starved" : "heartbeat kept running",
              static_cast<long long>(longest_gap / 1ms));
  return starved ? 1 : 0;
}
