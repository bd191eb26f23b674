// A stand-in for Boost.Asio before Boost 1.81: its detection of coroutine
// support knows GCC only, so under clang BOOST_ASIO_HAS_CO_AWAIT is defined
// only by the command line.
#if !defined(BOOST_ASIO_HAS_CO_AWAIT) && !defined(BOOST_ASIO_DISABLE_CO_AWAIT)
#if defined(__GNUC__) && !defined(__clang__) && defined(__cpp_impl_coroutine)
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
#endif
