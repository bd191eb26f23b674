// detail::throw_errno: a failed system call as std::system_error.
#ifndef AIO_DETAIL_SYSTEM_ERROR_HPP
#define AIO_DETAIL_SYSTEM_ERROR_HPP

#include <string>
#include <system_error>

namespace aio {

namespace detail {

[[noreturn]] inline void throw_errno(int error, const std::string &what) {
  throw std::system_error(error, std::generic_category(), what);
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_SYSTEM_ERROR_HPP
