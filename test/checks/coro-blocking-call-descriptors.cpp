// I/O on descriptors that do not block: created non-blocking (SOCK_NONBLOCK,
// pipe2 with O_NONBLOCK), switched with fcntl directly or by a helper the
// descriptor is passed to, or an eventfd that is written to. The origin is
// looked for in the function, for a local, and in the class, for a member.
// Blocking descriptors stay reported.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <array>
#include <cstdint>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static void make_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

struct waker {
  int fd_;
  waker() : fd_(::eventfd(0, EFD_CLOEXEC)) {}
  void wake() {
    std::uint64_t one = 1;
    ::write(fd_, &one, sizeof one);
  }
  void drain() {
    std::uint64_t n;
    ::read(fd_, &n, sizeof n);
  }
};

struct listener {
  int fd_ = -1;
  void open() { fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0); }
  int take() { return ::accept(fd_, nullptr, nullptr); }
};

struct blocking_listener {
  int fd_ = -1;
  void open() { fd_ = ::socket(AF_INET, SOCK_STREAM, 0); }
  int take() { return ::accept(fd_, nullptr, nullptr); }
};

// A self-pipe: both ends switched to non-blocking in a loop, with the flags
// computed in a variable; written through an accessor.
class wake_pipe {
public:
  wake_pipe() {
    ::pipe(fds_.data());
    for (int fd : fds_) {
      int flags = ::fcntl(fd, F_GETFL);
      flags |= O_NONBLOCK;
      ::fcntl(fd, F_SETFL, flags);
    }
  }
  int write_fd() const { return fds_[1]; }
  void notify() { char c = 1; ::write(write_fd(), &c, 1); }

private:
  std::array<int, 2> fds_;
};

// The same pipe without the switch blocks.
class plain_pipe {
public:
  plain_pipe() { ::pipe(fds_); }
  int write_fd() const { return fds_[1]; }
  void notify() { char c = 1; ::write(write_fd(), &c, 1); }

private:
  int fds_[2];
};

// A socket class whose coroutine awaits its own readiness wait before it
// reads through a helper: the object waits for its descriptor.
class connection {
public:
  aio::task<void> poll_readable();
  aio::task<int> read_some_async(char *buf) {
    co_await poll_readable();
    co_return recv_now(buf);
  }
  // Never waits: reported.
  aio::task<int> read_blind(char *buf) { co_return recv_now(buf); }
  // CHECK-MESSAGES: :[[@LINE-1]]:52: warning: call to 'connection::recv_now' in coroutine 'connection::read_blind' blocks the event loop: it calls 'recv' (network I/O)

private:
  int recv_now(char *buf) { return ::recv(fd_, buf, 8, 0); }
  int fd_ = -1;
};

int read_some(int fd, char *buf) { return ::read(fd, buf, 8); }

aio::task<void> serve(waker &w, listener &l, blocking_listener &b,
                      wake_pipe &wp, plain_pipe &pp) {
  char buf[8];
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  make_nonblocking(fd);
  ::read(fd, buf, sizeof buf);
  read_some(fd, buf);

  int fds[2];
  ::pipe2(fds, O_NONBLOCK | O_CLOEXEC);
  ::read(fds[0], buf, 1);

  w.wake();
  l.take();
  wp.notify();

  int plain = ::socket(AF_INET, SOCK_STREAM, 0);
  ::recv(plain, buf, sizeof buf, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'recv' (network I/O) in coroutine 'serve' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  read_some(plain, buf);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'read_some' in coroutine 'serve' blocks the event loop: it calls 'read' (file I/O)
  w.drain();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'waker::drain' in coroutine 'serve' blocks the event loop: it calls 'read' (file I/O)
  b.take();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'blocking_listener::take' in coroutine 'serve' blocks the event loop: it calls 'accept' (network I/O)
  pp.notify();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'plain_pipe::notify' in coroutine 'serve' blocks the event loop: it calls 'write' (file I/O)
  co_return;
}
