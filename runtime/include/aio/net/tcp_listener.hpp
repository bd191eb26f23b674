// aio::tcp_listener, a listening TCP socket (asyncio.start_server without
// the callback).
#ifndef AIO_NET_TCP_LISTENER_HPP
#define AIO_NET_TCP_LISTENER_HPP

#include <aio/detail/io_awaiter.hpp>
#include <aio/detail/io_waiter.hpp>
#include <aio/detail/socket.hpp>
#include <aio/detail/system_error.hpp>
#include <aio/net/tcp_stream.hpp>

#include <cerrno>
#include <cstdint>
#include <source_location>
#include <stdexcept>
#include <string>
#include <utility>

#include <sys/socket.h>

namespace aio {

namespace detail {

// The operation of tcp_listener::accept (see io_awaiter).
struct accept_op {
  static constexpr bool writes = false;
  io_entry *entry;
  int accepted = -1;
  int error = 0;

  bool attempt() noexcept {
    // A connection reset before it was accepted: take the next one.
    return retry_io(
        error,
        [this] {
          accepted = ::accept4(entry->fd, nullptr, nullptr,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
          return accepted >= 0;
        },
        EAGAIN, ECONNABORTED);
  }
  tcp_stream finish() {
    if (error != 0)
      throw_errno(error, "aio: accept");
    no_delay(accepted);
    return tcp_stream(std::exchange(accepted, -1));
  }
};

} // namespace detail

// A listening TCP socket (asyncio.start_server without the callback):
//
//   aio::tcp_listener listener = aio::tcp_listener::bind("127.0.0.1", 0);
//   for (;;) aio::spawn(serve(co_await listener.accept()));
class tcp_listener {
public:
  tcp_listener() noexcept = default;

  // Binds to host:port and listens. host is a numeric IPv4 or IPv6
  // address, "localhost", or "" for any IPv4 address (no name resolution:
  // binding does not block); port 0 picks a free port (see port()).
  // SO_REUSEADDR is set. Throws std::system_error.
  static tcp_listener bind(const std::string &host, std::uint16_t port,
                           int backlog = 128) {
    sockaddr_storage address;
    socklen_t length;
    if (!detail::numeric_address(host, port, address, length))
      throw std::invalid_argument("aio: tcp_listener::bind needs a numeric "
                                  "address or localhost, not '" +
                                  host + "'");
    tcp_listener listener;
    listener.socket_ = tcp_stream(detail::open_socket(address.ss_family));
    const int fd = listener.socket_.native_handle();
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), length) != 0)
      detail::throw_errno(errno, "aio: bind");
    if (::listen(fd, backlog) != 0)
      detail::throw_errno(errno, "aio: listen");
    return listener;
  }

  // The port it listens on.
  std::uint16_t port() const { return socket_.local_port(); }
  int native_handle() const noexcept { return socket_.native_handle(); }
  bool is_open() const noexcept { return socket_.is_open(); }
  void close() noexcept { socket_.close(); }

  // co_await listener.accept(): the next connection, as a tcp_stream.
  detail::io_awaiter<detail::accept_op>
  accept(std::source_location where = std::source_location::current()) {
    return {detail::accept_op{&socket_.entry()}, where};
  }

private:
  tcp_stream socket_;
};

} // namespace aio

#endif // AIO_NET_TCP_LISTENER_HPP
