// aio::read_file and aio::write_file: whole files, on the I/O pool.
#ifndef AIO_FILE_HPP
#define AIO_FILE_HPP

#include <aio/detail/system_error.hpp>
#include <aio/offload.hpp>
#include <aio/task.hpp>

#include <cerrno>
#include <cstddef>
#include <source_location>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace aio {

// co_await aio::read_file(path): the whole file, read on the I/O pool.
// Throws std::system_error.
inline task<std::string>
read_file(std::string path,
          std::source_location where = std::source_location::current()) {
  co_return co_await to_thread(
      [&path] {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
          detail::throw_errno(errno, "aio: cannot open '" + path + "'");
        std::string data;
        char buf[65536];
        for (;;) {
          const ssize_t n = ::read(fd, buf, sizeof buf);
          if (n > 0) {
            data.append(buf, static_cast<std::size_t>(n));
            continue;
          }
          if (n < 0 && errno == EINTR)
            continue;
          const int error = n < 0 ? errno : 0;
          ::close(fd);
          if (error != 0)
            detail::throw_errno(error, "aio: cannot read '" + path + "'");
          return data;
        }
      },
      where);
}

// co_await aio::write_file(path, data): creates or truncates the file and
// writes data, on the I/O pool. Throws std::system_error.
inline task<>
write_file(std::string path, std::string data,
           std::source_location where = std::source_location::current()) {
  co_await to_thread(
      [&path, &data] {
        const int fd =
            ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0)
          detail::throw_errno(errno, "aio: cannot open '" + path + "'");
        std::size_t done = 0;
        while (done < data.size()) {
          const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0) {
            const int error = errno;
            ::close(fd);
            detail::throw_errno(error, "aio: cannot write '" + path + "'");
          }
          done += static_cast<std::size_t>(n);
        }
        if (::close(fd) != 0)
          detail::throw_errno(errno, "aio: cannot write '" + path + "'");
      },
      where);
}

} // namespace aio

#endif // AIO_FILE_HPP
