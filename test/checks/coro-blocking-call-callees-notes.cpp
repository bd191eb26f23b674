// Blocking through callees: the notes walk the chain from the coroutine's
// call down to the blocking API, one note per call.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <cstdio>
#include <string>
#include <unistd.h>

std::size_t read_file(const char *path, char *buf, std::size_t size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  std::size_t n = fread(buf, 1, size, f);
  fclose(f);
  return n;
}

std::size_t load_config(const char *path, char *buf) {
  return read_file(path, buf, 4096);
}

aio::task<std::size_t> handle(const char *path) {
  char buf[4096];
  std::size_t n = load_config(path, buf);
  // CHECK-NOTES: :[[@LINE-1]]:19: warning: call to 'load_config' in coroutine 'handle' blocks the event loop: it calls 'fopen' (file I/O); offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-NOTES: :[[@LINE-7]]:10: note: 'load_config' calls 'read_file'
  // CHECK-NOTES: :[[@LINE-17]]:13: note: 'read_file' calls 'fopen', which blocks
  // CHECK-FIXES: {{^}}  std::size_t n = co_await aio::to_thread([&] { return load_config(path, buf); });{{$}}
  co_return n;
}

// A helper that reports through errno: the offload goes on a note, as for
// the system call itself.
int read_header(int fd, char *out) { return static_cast<int>(read(fd, out, 16)); }

aio::task<int> header(int fd) {
  char out[16];
  int n = read_header(fd, out);
  // CHECK-NOTES: :[[@LINE-1]]:11: warning: call to 'read_header' in coroutine 'header' blocks the event loop: it calls 'read' (file I/O); offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-NOTES: :[[@LINE-6]]:62: note: 'read_header' calls 'read', which blocks
  // CHECK-NOTES: :[[@LINE-3]]:11: note: offload the call if nothing reads errno after it: errno is then set on the worker thread
  // CHECK-FIXES: {{^}}  int n = read_header(fd, out);{{$}}
  co_return n;
}

// A lambda that runs on the spot: no rewrite, and a note where it runs.
aio::task<void> on_the_spot(const char *path) {
  char buf[16];
  [&] { read_file(path, buf, sizeof buf); }();
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: call to 'read_file' in coroutine 'on_the_spot' blocks the event loop: it calls 'fopen' (file I/O); {{.*}}
  // CHECK-NOTES: :[[@LINE-41]]:13: note: 'read_file' calls 'fopen', which blocks
  // CHECK-NOTES: :[[@LINE-3]]:45: note: the lambda runs on the coroutine's thread: it is invoked here
  co_return;
}

// Constructors: the chain goes through the class.
struct Config {
  std::size_t size;
  explicit Config(const char *path) {
    char buf[64];
    size = load_config(path, buf);
    // CHECK-NOTES: :[[@LINE+7]]:10: warning: call to 'Config' in coroutine 'startup' blocks the event loop: it calls 'fopen' (file I/O); {{.*}}
    // CHECK-NOTES: :[[@LINE-2]]:12: note: 'Config' calls 'load_config'
    // CHECK-NOTES: :[[@LINE-45]]:10: note: 'load_config' calls 'read_file'
    // CHECK-NOTES: :[[@LINE-55]]:13: note: 'read_file' calls 'fopen', which blocks
  }
};
aio::task<std::size_t> startup() {
  Config c("/etc/app.conf");
  co_return c.size;
}
