// Not file I/O on the loop: readiness-awaited fds, the program's own
// functions named like C functions, offloaded lambdas.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

struct readiness {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
readiness readable(int fd);

// The fd is awaited for readiness first: it is non-blocking, the read does
// not stall.
aio::task<long> read_when_ready(int fd) {
  char buf[64];
  co_await readable(fd);
  co_return ::read(fd, buf, sizeof buf);
}

namespace {
// The program's own function named like the C library's.
int poll(int *items, int count) { return items[0] + count; }
} // namespace
int read(const char *) { return 0; }

aio::task<int> own_functions() {
  int items[] = {1, 2};
  co_return poll(items, 2) + read("config");
}

// Offloaded work, threads and plain functions.
void load_sync(const char *path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
}

aio::task<void> offloaded(const char *path) {
  co_await aio::to_thread([&] { load_sync(path); });
  co_await aio::to_thread([&] {
    FILE *f = fopen(path, "r");
    if (f)
      fclose(f);
  });
  std::thread([path] { std::ifstream in(path); }).detach();
}

// The descriptor of a socket object the coroutine polls is non-blocking.
struct tcp_socket {
  int native_handle() const { return fd; }
  int fd = -1;
};
struct scheduler {
  readiness poll(const tcp_socket &, int events);
};
struct client {
  aio::task<long> receive(char *buf, unsigned long n) {
    co_await sched.poll(sock, 1);
    co_return ::read(sock.native_handle(), buf, n);
  }
  scheduler sched;
  tcp_socket sock;
};
