#include <asio.hpp>
#include <chrono>
#include <thread>

asio::awaitable<void> handle() {
  std::this_thread::sleep_for(std::chrono::seconds(1));
  co_return;
}

int main() {
  asio::io_context io;
  asio::co_spawn(io, handle(), asio::detached);
  io.run();
}
