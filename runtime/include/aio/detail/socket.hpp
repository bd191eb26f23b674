// Socket helpers of the TCP types: numeric addresses, non-blocking
// sockets, TCP_NODELAY.
#ifndef AIO_DETAIL_SOCKET_HPP
#define AIO_DETAIL_SOCKET_HPP

#include <aio/detail/system_error.hpp>

#include <cerrno>
#include <cstdint>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace aio {

namespace detail {

// Parses a numeric IPv4 or IPv6 address ("" and "0.0.0.0" are any IPv4
// address, "localhost" is 127.0.0.1); false for a name to resolve.
inline bool numeric_address(const std::string &host, std::uint16_t port,
                            sockaddr_storage &address, socklen_t &length) {
  address = sockaddr_storage{};
  const std::string h = host == "localhost" ? "127.0.0.1"
                        : host.empty()      ? "0.0.0.0"
                                            : host;
  auto *v4 = reinterpret_cast<sockaddr_in *>(&address);
  if (::inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof(sockaddr_in);
    return true;
  }
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&address);
  if (::inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// TCP_NODELAY on, as asyncio does for every TCP connection: a request
// written in pieces is not held back waiting for the peer's ACK.
inline void no_delay(int fd) noexcept {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

inline int open_socket(int family) {
  const int fd =
      ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw_errno(errno, "aio: socket");
  return fd;
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_SOCKET_HPP
