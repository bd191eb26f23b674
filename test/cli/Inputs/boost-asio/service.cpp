#include <boost/asio.hpp>
#include <chrono>
#include <thread>

boost::asio::awaitable<void> handle() {
  std::this_thread::sleep_for(std::chrono::seconds(1));
  co_return;
}
