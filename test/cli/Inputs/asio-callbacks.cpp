#include <asio.hpp>

// asio without coroutines: compiles in C++17 as in C++20.
int main() {
  asio::io_context io;
  asio::steady_timer timer(io, std::chrono::seconds(1));
  timer.async_wait([](std::error_code) {});
  io.run();
}
