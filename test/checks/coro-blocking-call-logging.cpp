// Logging is not blocking by default (category `logging`, off): writes to
// the standard streams, calls of the usual loggers, which are not followed
// into either, and whatever a logging macro expands to. With the category
// enabled they are reported.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=DEFAULT --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=DEFAULT --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --check-suffix=LOGGING --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.EnabledCategories: 'sleep;file;logging'}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --check-suffix=LOGGING --config="{CheckOptions: {coro-blocking-call.GroupRegions: false, coro-blocking-call.EnabledCategories: 'sleep;file;logging'}}"

#include <aio/aio.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

using namespace std::chrono_literals;

// A logger whose sources are part of the project, with the API of spdlog.
namespace spdlog {
inline std::FILE *sink() { return std::fopen("/tmp/app.log", "a"); }
template <typename... Args> void info(const char *fmt, Args &&...) {
  std::fputs(fmt, sink());
}
} // namespace spdlog

// The project's own logger behind a macro.
struct app_logger {
  std::FILE *file = nullptr;
  void write(const char *msg) { std::fputs(msg, file); }
};
app_logger &the_logger();
#define APP_LOG_INFO(msg) the_logger().write(msg)
#define LOGF(...) std::fprintf(the_logger().file, __VA_ARGS__)

// A macro whose name only contains the letters of "log".
void load_catalog() { std::this_thread::sleep_for(1ms); }
#define CATALOG_RELOAD() load_catalog()

aio::task<void> serve(int id) {
  std::cout << "request " << id << '\n';
  // CHECK-MESSAGES-LOGGING: :[[@LINE-1]]:3: warning: blocking call to 'std::operator<<' (logging) in coroutine 'serve' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  std::fprintf(stderr, "request %d\n", id);
  // CHECK-MESSAGES-LOGGING: :[[@LINE-1]]:3: warning: blocking call to 'fprintf' (logging) in coroutine 'serve'
  // CHECK-FIXES-LOGGING: {{^}}  co_await aio::to_thread([&] { return std::fprintf(stderr, "request %d\n", id); });{{$}}
  spdlog::info("request");
  // CHECK-MESSAGES-LOGGING: :[[@LINE-1]]:3: warning: blocking call to 'spdlog::info' (logging) in coroutine 'serve'
  // CHECK-FIXES-LOGGING: {{^}}  co_await aio::to_thread([&] { return spdlog::info("request"); });{{$}}
  APP_LOG_INFO("request");
  // CHECK-MESSAGES-LOGGING: :[[@LINE-1]]:3: warning: call to 'app_logger::write' in coroutine 'serve' blocks the event loop: it calls 'fputs' (file I/O)
  LOGF("request %d\n", id);
  // CHECK-MESSAGES-LOGGING: :[[@LINE-1]]:3: warning: blocking call to 'fprintf' (file I/O) in coroutine 'serve'

  CATALOG_RELOAD();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: call to 'load_catalog' in coroutine 'serve' blocks the event loop
  // CHECK-MESSAGES-LOGGING: :[[@LINE-2]]:3: warning: call to 'load_catalog' in coroutine 'serve' blocks the event loop
  co_return;
}
