// aio::tcp_listener: an echo server accepting 20 clients over loopback,
// and names that would need resolving.
#include <aio/gather.hpp>
#include <aio/net/tcp_listener.hpp>
#include <aio/net/tcp_stream.hpp>
#include <aio/task_group.hpp>

#include "../aio_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tcp_listener_test {
using namespace aio_test;

aio::task<> echo(aio::tcp_stream stream) {
  char buf[512];
  for (;;) {
    const std::size_t n = co_await stream.read_some(buf);
    if (n == 0)
      co_return;
    co_await stream.write_all(std::string_view(buf, n));
  }
}

aio::task<> echo_server(aio::tcp_listener &listener, int connections) {
  aio::task_group group;
  for (int i = 0; i < connections; ++i)
    group.spawn(echo(co_await listener.accept()));
  co_await group;
}

aio::task<std::string> read_exactly(aio::tcp_stream &stream, std::size_t n) {
  std::string got;
  char buf[512];
  while (got.size() < n) {
    const std::size_t r = co_await stream.read_some(
        std::span<char>(buf, std::min(sizeof buf, n - got.size())));
    if (r == 0)
      break;
    got.append(buf, r);
  }
  co_return got;
}

aio::task<int> echo_client(std::uint16_t port, int id, int messages) {
  aio::tcp_stream stream = co_await aio::open_connection("127.0.0.1", port);
  int matched = 0;
  for (int i = 0; i < messages; ++i) {
    // Up to a few kilobytes, so that some writes and reads take more than
    // one system call.
    const std::string message =
        std::to_string(id) + ":" + std::to_string(i) + ":" +
        std::string(static_cast<std::size_t>((id * 131 + i * 71) % 4000), 'x');
    co_await stream.write_all(message);
    matched += (co_await read_exactly(stream, message.size())) == message;
  }
  stream.shutdown_write();
  char buf[16];
  EXPECT_EQ(co_await stream.read_some(buf), 0u); // the server closed too
  co_return matched;
}

aio::task<int> echo_session(int clients, int messages) {
  aio::tcp_listener listener = aio::tcp_listener::bind("127.0.0.1", 0);
  EXPECT_NE(listener.port(), 0);
  aio::join_handle<void> server =
      aio::spawn(echo_server(listener, clients), "server");
  std::vector<aio::task<int>> tasks;
  for (int i = 0; i < clients; ++i)
    tasks.push_back(echo_client(listener.port(), i, messages));
  const std::vector<int> matched = co_await aio::gather(std::move(tasks));
  co_await server;
  int total = 0;
  for (int m : matched)
    total += m;
  co_return total;
}

TEST(Io, TcpEchoOverLoopback) {
  EXPECT_EQ(aio::run(echo_session(20, 50)), 20 * 50);
}

TEST(Io, BindRefusesANameThatWouldNeedResolving) {
  EXPECT_THROW(aio::tcp_listener::bind("example.invalid", 0),
               std::invalid_argument);
}

} // namespace tcp_listener_test
