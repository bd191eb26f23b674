// How a loop meets libaio-blockguard.so: the guard's entry point, if it is
// preloaded, and the callbacks the loop hands it (aio/step_state.h).
#ifndef AIO_DETAIL_BLOCKGUARD_HPP
#define AIO_DETAIL_BLOCKGUARD_HPP

#include <aio/step_state.h>

#include <cstddef>

#include <dlfcn.h>

namespace aio {

namespace detail {

// Reports of debug mode (defined in impl/event_loop.ipp).
inline std::size_t describe_step(const aio_step_state *state, char *buf,
                                 std::size_t size);
inline void blocking_call_reported(const aio_step_state *state,
                                   const char *function, const char *line);

// libaio-blockguard.so's entry point when it is preloaded, else null.
inline aio_blockguard_attach_fn blockguard_attach() noexcept {
  static const aio_blockguard_attach_fn attach =
      reinterpret_cast<aio_blockguard_attach_fn>(
          ::dlsym(RTLD_DEFAULT, "aio_blockguard_attach"));
  return attach;
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_BLOCKGUARD_HPP
