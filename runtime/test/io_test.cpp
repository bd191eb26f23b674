// I/O: TCP streams and listeners over loopback (echo, end of stream,
// cancellation and timeouts of a pending read, connection errors) and the
// file helpers.
#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

namespace io_test {
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

// A connected pair over loopback.
struct stream_pair {
  aio::tcp_stream client;
  aio::tcp_stream server;
};

aio::task<stream_pair> connect_pair() {
  aio::tcp_listener listener = aio::tcp_listener::bind("127.0.0.1", 0);
  aio::join_handle<aio::tcp_stream> accepted = aio::spawn(
      [](aio::tcp_listener &l) -> aio::task<aio::tcp_stream> {
        co_return co_await l.accept();
      }(listener));
  aio::tcp_stream client = co_await aio::open_connection("localhost",
                                                         listener.port());
  aio::tcp_stream server = co_await accepted;
  co_return stream_pair{std::move(client), std::move(server)};
}

aio::task<std::size_t> read_into(aio::tcp_stream &stream, std::string *out) {
  char buf[64];
  const std::size_t n = co_await stream.read_some(buf);
  out->assign(buf, n);
  co_return n;
}

aio::task<> cancel_pending_read() {
  stream_pair pair = co_await connect_pair();
  aio::event_loop &loop = aio::get_running_loop();
  std::string got;
  aio::join_handle<std::size_t> reader =
      aio::spawn(read_into(pair.server, &got));
  co_await aio::sleep_for(5ms);
  EXPECT_FALSE(reader.done());
  EXPECT_EQ(loop.io_waiting(), 1u);
  reader.cancel();
  EXPECT_THROW(co_await reader, aio::cancelled_error);
  EXPECT_TRUE(reader.cancelled());
  EXPECT_EQ(loop.io_waiting(), 0u); // the wait was removed
  // The stream still works: data sent now is read by a new reader.
  co_await pair.client.write_all("after");
  EXPECT_EQ(co_await read_into(pair.server, &got), 5u);
  EXPECT_EQ(got, "after");
}

TEST(Io, CancellingAPendingReadRaisesAndRemovesTheWait) {
  aio::run(cancel_pending_read());
}

aio::task<> time_out_pending_read() {
  stream_pair pair = co_await connect_pair();
  char buf[8];
  const steady::time_point start = steady::now();
  EXPECT_THROW(co_await aio::wait_for(pair.server.read_some(buf), 20ms),
               aio::timeout_error);
  EXPECT_GE(ms_since(start), 19);
  EXPECT_EQ(aio::get_running_loop().io_waiting(), 0u);
}

TEST(Io, WaitForTimesOutAPendingRead) { aio::run(time_out_pending_read()); }

aio::task<> end_of_stream() {
  stream_pair pair = co_await connect_pair();
  co_await pair.client.write_all("last");
  pair.client.close();
  std::string got;
  EXPECT_EQ(co_await read_into(pair.server, &got), 4u);
  EXPECT_EQ(got, "last");
  EXPECT_EQ(co_await read_into(pair.server, &got), 0u);
}

TEST(Io, ReadSomeReturnsZeroAtTheEndOfTheStream) { aio::run(end_of_stream()); }

aio::task<> refused() {
  std::uint16_t port;
  {
    aio::tcp_listener closed = aio::tcp_listener::bind("127.0.0.1", 0);
    port = closed.port();
  }
  try {
    aio::tcp_stream s = co_await aio::open_connection("127.0.0.1", port);
    ADD_FAILURE() << "connected to a closed port";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code().value(), ECONNREFUSED);
  }
}

TEST(Io, OpenConnectionToAClosedPortThrowsConnectionRefused) {
  aio::run(refused());
}

TEST(Io, BindRefusesANameThatWouldNeedResolving) {
  EXPECT_THROW(aio::tcp_listener::bind("example.invalid", 0),
               std::invalid_argument);
}

// Nothing but the read can wake the main task: the loop waits in epoll
// until another thread writes.
aio::task<std::string> read_from_thread(int fd) {
  aio::tcp_stream stream(fd);
  std::string got;
  co_await read_into(stream, &got);
  co_return got;
}

TEST(Io, TheLoopSleepsUntilADescriptorIsReady) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::thread writer([fd = fds[1]] {
    std::this_thread::sleep_for(30ms);
    ASSERT_EQ(::write(fd, "ping", 4), 4);
  });
  const steady::time_point start = steady::now();
  EXPECT_EQ(aio::run(read_from_thread(fds[0])), "ping");
  EXPECT_GE(ms_since(start), 29);
  writer.join();
  ::close(fds[1]);
}

aio::task<std::string> file_round_trip(std::string path, std::string data) {
  co_await aio::write_file(path, data);
  co_return co_await aio::read_file(path);
}

TEST(Io, WriteFileThenReadFileRoundTrips) {
  const std::string path = testing::TempDir() + "aio_io_test_file.bin";
  std::string data;
  for (int i = 0; i < 200000; ++i)
    data.push_back(static_cast<char>(i * 7));
  EXPECT_EQ(aio::run(file_round_trip(path, data)), data);
  EXPECT_EQ(aio::run(file_round_trip(path, "short")), "short"); // truncated
  ::unlink(path.c_str());
}

aio::task<> read_missing(std::string path) {
  try {
    std::string s = co_await aio::read_file(path);
    ADD_FAILURE() << "read a missing file";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code().value(), ENOENT);
  }
}

TEST(Io, ReadFileOfAMissingFileThrowsNoSuchFile) {
  aio::run(read_missing(testing::TempDir() + "aio_io_test_missing/none"));
}

} // namespace io_test
