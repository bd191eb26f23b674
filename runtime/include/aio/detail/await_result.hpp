// detail::await_result_t<A>, what co_await on an A yields.
#ifndef AIO_DETAIL_AWAIT_RESULT_HPP
#define AIO_DETAIL_AWAIT_RESULT_HPP

#include <utility>

namespace aio {

namespace detail {

// The awaiter type of an awaitable: what operator co_await returns, or the
// awaitable itself.
template <class A> struct awaiter_of {
  using type = A;
};
template <class A>
  requires requires(A &&a) { static_cast<A &&>(a).operator co_await(); }
struct awaiter_of<A> {
  using type = decltype(std::declval<A>().operator co_await());
};
// What co_await on an A yields.
template <class A>
using await_result_t =
    decltype(std::declval<typename awaiter_of<A>::type &>().await_resume());

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_AWAIT_RESULT_HPP
