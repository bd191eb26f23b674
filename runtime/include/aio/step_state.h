/* The C interface between aio's event loop and libaio-blockguard.so.
 *
 * Every thread running an aio loop owns one aio_step_state (a thread-local
 * of aio.hpp). The loop sets `running` while one step (one task resumption
 * or one callback) runs and `task` to the task it resumed. When the blocking
 * guard is preloaded, aio hands it the thread's state once, through
 * aio_blockguard_attach, found with dlsym(RTLD_DEFAULT, ...): a program that
 * runs without the guard pays one failed lookup per process, and the guard's
 * check on every interposed call is one thread-local load and a test of
 * `running`. Threads that never ran a loop (thread pools, to_thread
 * workers) are never attached, so their calls are never reported.
 *
 * Plain C so that the guard does not depend on aio's C++ types. Bump
 * AIO_STEP_STATE_VERSION when the layout changes; the guard ignores states
 * of another version.
 */
#ifndef AIO_STEP_STATE_H
#define AIO_STEP_STATE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AIO_STEP_STATE_VERSION 1

struct aio_step_state {
  unsigned version;
  /* Non-zero while a step runs on this thread (the loop's own waiting for
   * I/O, timers and wake-ups happens outside steps). */
  int running;
  /* The task the step resumed (aio's detail::task_state), or NULL for a
   * plain callback. */
  const void *task;
  /* Writes "task 'NAME' (spawned at FILE:LINE)", or "a callback", for the
   * step running now into buf (always NUL-terminated); returns the length. */
  size_t (*describe)(const struct aio_step_state *state, char *buf,
                     size_t size);
  /* Tells the running loop that the guard reported `line` (without '\n')
   * about a call to `function`, so that run_options::on_report and the
   * loop's counters see it. May be NULL. */
  void (*blocking_call)(const struct aio_step_state *state,
                        const char *function, const char *line);
};

/* Defined by libaio-blockguard.so: attaches the calling thread's state and
 * returns the one attached before (NULL at first). */
typedef struct aio_step_state *(*aio_blockguard_attach_fn)(
    struct aio_step_state *state);

#ifdef __cplusplus
}
#endif

#endif /* AIO_STEP_STATE_H */
