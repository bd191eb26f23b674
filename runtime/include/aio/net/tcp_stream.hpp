// aio::tcp_stream, a connected TCP socket, and aio::open_connection
// (asyncio.open_connection).
#ifndef AIO_NET_TCP_STREAM_HPP
#define AIO_NET_TCP_STREAM_HPP

#include <aio/detail/io_awaiter.hpp>
#include <aio/detail/io_waiter.hpp>
#include <aio/detail/socket.hpp>
#include <aio/detail/system_error.hpp>
#include <aio/offload.hpp>
#include <aio/task.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <source_location>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace aio {

class tcp_stream;
class tcp_listener;

namespace detail {

// The operations of tcp_stream's awaitables and of open_connection's
// connect (see io_awaiter).
struct read_op {
  static constexpr bool writes = false;
  io_entry *entry;
  char *data;
  std::size_t size;
  std::size_t done = 0;
  int error = 0;

  bool attempt() noexcept {
    return retry_io(error, [this] {
      const ssize_t n = ::read(entry->fd, data, size);
      if (n >= 0)
        done = static_cast<std::size_t>(n);
      return n >= 0;
    });
  }
  std::size_t finish() const {
    if (error != 0)
      throw_errno(error, "aio: read");
    return done;
  }
};

// Writes as much as the socket takes (write_some) or everything (write_all),
// without SIGPIPE on a closed peer (EPIPE instead).
struct write_op {
  static constexpr bool writes = true;
  io_entry *entry;
  const char *data;
  std::size_t size;
  bool all;
  std::size_t done = 0;
  int error = 0;

  bool attempt() noexcept {
    while (done < size) {
      const bool over = retry_io(error, [this] {
        const ssize_t n =
            ::send(entry->fd, data + done, size - done, MSG_NOSIGNAL);
        if (n >= 0)
          done += static_cast<std::size_t>(n);
        return n >= 0;
      });
      if (!over)
        return false;
      if (error != 0 || !all)
        return true;
    }
    return true;
  }
  std::size_t finish() const {
    if (error != 0)
      throw_errno(error, "aio: write");
    return done;
  }
};

struct connect_op {
  static constexpr bool writes = true;
  io_entry *entry;
  sockaddr_storage address;
  socklen_t length;
  bool started = false;
  int error = 0;

  bool attempt() noexcept {
    if (!started) {
      started = true;
      return retry_io(
          error,
          [this] {
            return ::connect(entry->fd,
                             reinterpret_cast<const sockaddr *>(&address),
                             length) == 0;
          },
          EINPROGRESS);
    }
    int status = 0;
    socklen_t len = sizeof status;
    if (::getsockopt(entry->fd, SOL_SOCKET, SO_ERROR, &status, &len) != 0)
      status = errno;
    if (status == EINPROGRESS || status == EALREADY)
      return false;
    error = status;
    return true;
  }
  void finish() const {
    if (error != 0)
      throw_errno(error, "aio: connect");
  }
};

struct stream_access {
  static io_entry &entry(tcp_stream &stream);
};

} // namespace detail

// A connected TCP socket (asyncio's StreamReader/StreamWriter pair, at the
// level of read_some and write_all). Non-blocking; every operation is
// awaited on the running loop and raises std::system_error on failure.
// Move-only; closes the socket when destroyed. One reader and one writer
// at a time; do not destroy or close a stream while a task waits on it.
class tcp_stream {
public:
  tcp_stream() noexcept = default;
  // Adopts a connected socket (made non-blocking here).
  explicit tcp_stream(int fd) : entry_(std::make_unique<detail::io_entry>()) {
    entry_->fd = fd;
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK) == 0)
      ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
  tcp_stream(tcp_stream &&) noexcept = default;
  tcp_stream &operator=(tcp_stream &&other) noexcept {
    if (this != &other) {
      close();
      entry_ = std::move(other.entry_);
    }
    return *this;
  }
  ~tcp_stream() { close(); }

  bool is_open() const noexcept { return entry_ && entry_->fd >= 0; }
  int native_handle() const noexcept { return entry_ ? entry_->fd : -1; }

  // co_await stream.read_some(buf): the number of bytes read into buf, at
  // least 1, once some are available; 0 at the end of the stream.
  detail::io_awaiter<detail::read_op>
  read_some(std::span<char> buf,
            std::source_location where = std::source_location::current()) {
    return {detail::read_op{&entry(), buf.data(), buf.size()}, where};
  }
  // co_await stream.write_some(data): the number of bytes the socket took
  // (at least 1 unless data is empty).
  detail::io_awaiter<detail::write_op>
  write_some(std::span<const char> data,
             std::source_location where = std::source_location::current()) {
    return {detail::write_op{&entry(), data.data(), data.size(), false},
            where};
  }
  // co_await stream.write_all(data): returns once all of data is written.
  // data must stay alive until then (a temporary in the co_await
  // expression does).
  detail::io_awaiter<detail::write_op>
  write_all(std::string_view data,
            std::source_location where = std::source_location::current()) {
    return {detail::write_op{&entry(), data.data(), data.size(), true},
            where};
  }

  // Half-closes: the peer reads the end of the stream.
  void shutdown_write() {
    if (::shutdown(entry().fd, SHUT_WR) != 0)
      detail::throw_errno(errno, "aio: shutdown");
  }
  // TCP_NODELAY (on for the streams of accept and open_connection): send
  // small writes at once.
  void set_nodelay(bool on = true) {
    const int value = on ? 1 : 0;
    if (::setsockopt(entry().fd, IPPROTO_TCP, TCP_NODELAY, &value,
                     sizeof value) != 0)
      detail::throw_errno(errno, "aio: setsockopt");
  }
  // The local port (of a listener: the port it listens on).
  std::uint16_t local_port() const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (!entry_ || ::getsockname(entry_->fd,
                                 reinterpret_cast<sockaddr *>(&address),
                                 &length) != 0)
      detail::throw_errno(entry_ ? errno : EBADF, "aio: getsockname");
    if (address.ss_family == AF_INET6)
      return ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
  }
  // Closes the socket (the kernel drops it from the loop's epoll set).
  void close() noexcept {
    if (entry_ && entry_->fd >= 0) {
      ::close(entry_->fd);
      entry_->fd = -1;
    }
  }

private:
  friend class tcp_listener;
  friend struct detail::stream_access;
  detail::io_entry &entry() const {
    if (!entry_)
      detail::throw_errno(EBADF, "aio: an empty tcp_stream");
    return *entry_;
  }

  std::unique_ptr<detail::io_entry> entry_;
};

inline detail::io_entry &detail::stream_access::entry(tcp_stream &stream) {
  return stream.entry();
}

// co_await aio::open_connection(host, port): a connected tcp_stream
// (asyncio.open_connection). A numeric address or "localhost" connects at
// once; a name is resolved with getaddrinfo on the I/O pool (the first
// address that accepts the connection wins). Throws std::system_error.
inline task<tcp_stream>
open_connection(std::string host, std::uint16_t port,
                std::source_location where = std::source_location::current()) {
  std::vector<std::pair<sockaddr_storage, socklen_t>> candidates;
  sockaddr_storage address;
  socklen_t length;
  if (detail::numeric_address(host, port, address, length)) {
    candidates.emplace_back(address, length);
  } else {
    candidates = co_await to_thread([&host, port] {
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      addrinfo *found = nullptr;
      const std::string service = std::to_string(port);
      if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints,
                                       &found))
        throw std::runtime_error("aio: cannot resolve '" + host +
                                 "': " + ::gai_strerror(rc));
      std::vector<std::pair<sockaddr_storage, socklen_t>> out;
      for (addrinfo *ai = found; ai != nullptr; ai = ai->ai_next) {
        sockaddr_storage a{};
        std::memcpy(&a, ai->ai_addr, ai->ai_addrlen);
        out.emplace_back(a, ai->ai_addrlen);
      }
      ::freeaddrinfo(found);
      return out;
    });
  }
  std::exception_ptr last_error;
  for (const auto &[addr, len] : candidates) {
    tcp_stream stream(detail::open_socket(addr.ss_family));
    try {
      co_await detail::io_awaiter<detail::connect_op>(
          detail::connect_op{&detail::stream_access::entry(stream), addr, len},
          where);
      detail::no_delay(stream.native_handle());
      co_return std::move(stream);
    } catch (const std::system_error &) {
      last_error = std::current_exception();
    }
  }
  if (last_error)
    std::rethrow_exception(last_error);
  throw std::runtime_error("aio: no address for '" + host + "'");
}

} // namespace aio

#endif // AIO_NET_TCP_STREAM_HPP
