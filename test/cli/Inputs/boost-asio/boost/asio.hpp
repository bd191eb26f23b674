#include <boost/asio/detail/config.hpp>

namespace boost::asio {
class io_context {};
} // namespace boost::asio

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
#include <coroutine>

namespace boost::asio {
template <typename T> struct awaitable {
  struct promise_type {
    awaitable get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
} // namespace boost::asio
#endif
