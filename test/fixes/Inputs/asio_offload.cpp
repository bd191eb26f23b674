// An asio service whose handler blocks the io_context's thread in every way
// the offload fix has to carry: a value, nothing, a reference, a move-only
// result, an exception, and a CPU-heavy loop. A timer on the loop ticks
// every 10 ms meanwhile. The program prints what the handler computed, how
// many of the blocking calls ran on the loop's thread, and whether the timer
// kept ticking (no gap of 100 ms or more).
#include <asio.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

std::thread::id loop_thread;
int calls_on_loop = 0;
std::chrono::steady_clock::duration longest_gap{};
bool done = false;

void note_thread() {
  if (std::this_thread::get_id() == loop_thread)
    ++calls_on_loop;
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
}

} // namespace

[[clang::annotate("corolint::blocking")]] std::string fetch(int id) {
  note_thread();
  return "row" + std::to_string(id);
}

[[clang::annotate("corolint::blocking")]] void flush_log() { note_thread(); }

[[clang::annotate("corolint::blocking")]] std::string &append_to(std::string &out) {
  note_thread();
  out += "+";
  return out;
}

[[clang::annotate("corolint::blocking")]] std::unique_ptr<int> load_count() {
  note_thread();
  return std::make_unique<int>(7);
}

[[clang::annotate("corolint::blocking")]] int must_fail() {
  note_thread();
  throw std::runtime_error("refused");
}

asio::awaitable<void> ticker() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto last = std::chrono::steady_clock::now();
  while (!done) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
    auto now = std::chrono::steady_clock::now();
    longest_gap = std::max(longest_gap, now - last);
    last = now;
  }
}

asio::awaitable<void> handle() {
  // Let the ticker start first.
  asio::steady_timer start(co_await asio::this_coro::executor,
                           std::chrono::milliseconds(30));
  co_await start.async_wait(asio::use_awaitable);

  std::string row = fetch(3);
  flush_log();
  std::string acc = "a";
  std::size_t length = append_to(acc).size();
  std::unique_ptr<int> count = load_count();
  std::string error;
  try {
    must_fail();
  } catch (const std::runtime_error &e) {
    error = e.what();
  }
  unsigned long sum = 0;
  for (unsigned long i = 0; i < 400'000'000; ++i)
    sum += i % 7;

  std::printf("result: %s %s %zu %d %s %lu\n", row.c_str(), acc.c_str(), length,
              *count, error.c_str(), sum);
  done = true;
}

int main() {
  asio::io_context io;
  loop_thread = std::this_thread::get_id();
  asio::co_spawn(io, ticker(), asio::detached);
  asio::co_spawn(io, handle(), asio::detached);
  io.run();
  std::printf("blocking calls on the loop thread: %d\n", calls_on_loop);
  long gap = std::chrono::duration_cast<std::chrono::milliseconds>(longest_gap).count();
  std::printf("timer: %s\n", gap >= 100 ? "stalled" : "ticking");
  return 0;
}
