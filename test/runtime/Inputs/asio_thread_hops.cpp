// Where an asio coroutine started on an io_context runs after each way of
// awaiting work on a thread pool: printed as "loop" or "pool".
#include <asio.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

namespace {

std::thread::id loop_thread;

const char *where() {
  return std::this_thread::get_id() == loop_thread ? "loop" : "pool";
}

asio::awaitable<void> hops(asio::thread_pool &pool) {
  std::printf("start: %s\n", where());
  co_await asio::post(pool, asio::use_awaitable);
  std::printf("after post(pool, use_awaitable): %s\n", where());
  co_await asio::dispatch(pool.get_executor(), asio::use_awaitable);
  std::printf("after dispatch(pool executor, use_awaitable): %s\n", where());
  co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
  std::printf("after post(bind_executor(pool, use_awaitable)): %s\n", where());
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           std::chrono::milliseconds(1));
  co_await timer.async_wait(asio::use_awaitable);
  std::printf("after the next wait: %s\n", where());
}

} // namespace

int main() {
  asio::io_context loop;
  asio::thread_pool pool(2);
  loop_thread = std::this_thread::get_id();
  asio::co_spawn(loop, hops(pool), asio::detached);
  loop.run();
  pool.join();
}
