// A program for blockguard.test: a task that blocks the loop with usleep,
// one that offloads the same call with to_thread, and one that reads a
// non-blocking socket.
#include <aio/aio.hpp>

#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

aio::task<> blocks() {
  usleep(1000); // on the loop's thread, inside a step: reported
  co_return;
}

aio::task<> offloads() {
  co_await aio::to_thread([] { usleep(1000); }); // a pool thread: not reported
}

aio::task<> reads_nonblocking() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0)
    co_return;
  char c;
  [[maybe_unused]] ssize_t n = read(fds[0], &c, 1); // EAGAIN: not reported
  close(fds[0]);
  close(fds[1]);
}

aio::task<int> main_task() {
  co_await aio::spawn(offloads(), "offloader");
  co_await aio::spawn(reads_nonblocking(), "nonblocking");
  aio::join_handle<void> blocker = aio::spawn(blocks(), "blocker");
  co_await blocker;
  co_return 0;
}

int main() {
  int reports = 0;
  const int status = aio::run(
      main_task(), {.on_report = [&](const aio::debug_report &r) {
        if (r.what == aio::debug_report::kind::blocking_call)
          ++reports;
      }});
  std::printf("the loop was told of %d blocking call(s)\n", reports);
  return status;
}
