// The task states behind a tuple or a vector of handles, as the
// combinators watch them.
#ifndef AIO_DETAIL_HANDLE_STATES_HPP
#define AIO_DETAIL_HANDLE_STATES_HPP

#include <aio/detail/task_state.hpp>
#include <aio/task_handle.hpp>

#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

namespace aio {

namespace detail {

template <class Tuple, std::size_t... I>
std::vector<task_state *> states_of(const Tuple &handles,
                                    std::index_sequence<I...>) {
  return std::vector<task_state *>{
      handle_access::state(std::get<I>(handles))...};
}

template <class Handle>
std::vector<task_state *> states_of(const std::vector<Handle> &handles) {
  std::vector<task_state *> states;
  states.reserve(handles.size());
  for (const Handle &h : handles)
    states.push_back(handle_access::state(h));
  return states;
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_HANDLE_STATES_HPP
