// Debug mode's options and reports: aio::run_options (also those of
// event_loop), aio::debug_report and aio::debug_counters.
#ifndef AIO_DEBUG_HPP
#define AIO_DEBUG_HPP

#include <chrono>
#include <cstddef>
#include <functional>
#include <source_location>
#include <string>

namespace aio {

// One report of debug mode or of the blocking guard (libaio-blockguard.so).
// `line` is what is printed on stderr (without the newline):
//
//   aio: slow step: 345.123 ms in task 'Task-3' (spawned at f.cpp:42), resumed at f.cpp:50, suspended at f.cpp:57
//   aio: never awaited: task 'Task-5' (spawned at f.cpp:30), finished
//   aio: never awaited: task 'Task-6' (spawned at f.cpp:31), still pending at exit
//   aio: never awaited: a coroutine destroyed unstarted in task 'Task-2' (spawned at f.cpp:9)
//   aio: blocking call: usleep in task 'Task-2' (spawned at f.cpp:12)
//
// A step that resumed no task (a plain callback) is "in a callback".
struct debug_report {
  enum class kind { slow_step, never_awaited, blocking_call };
  kind what = kind::slow_step;
  std::string task; // the task's name; empty for a callback
  std::source_location spawned_at{};
  // Where the task resumed and where it suspended again (the aio awaitables
  // awaited there), when known; line() is 0 otherwise.
  std::source_location resumed_at{};
  std::source_location suspended_at{};
  std::chrono::microseconds duration{}; // slow_step: a lower bound
  std::string function;                 // blocking_call: "usleep", ...
  std::string line;
};

// How many reports a loop made, per kind.
struct debug_counters {
  std::size_t slow_steps = 0;
  std::size_t never_awaited = 0;
  std::size_t blocking_calls = 0;
};

// Options of aio::run and event_loop:
//   aio::run(main(), {.debug = true, .slow_step = 20ms, .on_report = f});
// The environment also turns debug mode on: AIO_DEBUG=1 (any value but
// empty or 0), and AIO_SLOW_STEP_MS=<milliseconds, may be fractional> sets
// the threshold (overriding slow_step).
struct run_options {
  // Report slow steps and tasks never awaited (docs/runtime.md).
  bool debug = false;
  // A step holding the loop longer than this is reported.
  std::chrono::microseconds slow_step = std::chrono::milliseconds(100);
  // Called on the loop's thread for every report (debug mode, and the
  // blocking guard's whatever the mode); must not throw.
  std::function<void(const debug_report &)> on_report = nullptr;
  // No stderr output from debug mode (on_report is still called).
  bool quiet = false;
};

} // namespace aio

#endif // AIO_DEBUG_HPP
