// aio::tcp_stream and aio::open_connection over loopback: cancellation and
// timeouts of a pending read, the end of the stream, a refused connection,
// and the loop waiting in epoll for a descriptor.
#include <aio/net/tcp_listener.hpp>
#include <aio/net/tcp_stream.hpp>
#include <aio/timeout.hpp>

#include "../aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include <sys/socket.h>
#include <unistd.h>

namespace tcp_stream_test {
using namespace aio_test;

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

} // namespace tcp_stream_test
