// libaio-blockguard.so: reports blocking calls made while an aio event loop
// runs a step, the run-time twin of corolint's coro-blocking-call check.
//
//   LD_PRELOAD=build/llvm-19/lib/libaio-blockguard.so ./server
//   aio: blocking call: usleep in task 'Task-2' (spawned at server.cpp:12)
//
// The library interposes known blocking functions (sleeps, reads and writes
// on blocking descriptors, sockets, DNS, waiting for processes and threads,
// fsync, stdio file access, SQLite) and forwards every call to the real
// one (dlsym(RTLD_NEXT)). Before that it looks at the calling thread's
// aio_step_state (aio/step_state.h), which aio attaches through
// aio_blockguard_attach when a loop first runs on the thread: a call is
// reported only if a step is running on that thread. Threads that never ran
// a loop (thread pools, to_thread workers) are never attached; the loop's
// own epoll_wait and eventfd reads happen between steps.
//
// Not reported: reads and writes on O_NONBLOCK descriptors (or with
// MSG_DONTWAIT), writes to stdout and stderr, poll/select/epoll_wait with a
// zero timeout.
//
// Each (function, task) pair is reported once, when first seen, as
//   aio: blocking call: FUNCTION in task 'NAME' (spawned at FILE:LINE)
// ("in a callback" for a step that resumed no task); pairs seen more than
// once are counted at exit:
//   aio: blocking calls: N x FUNCTION in task 'NAME' (spawned at FILE:LINE)
// The running loop also gets each first report (run_options::on_report and
// event_loop::counters()).
//
// AIO_BLOCKGUARD=fatal aborts the program after the first report;
// AIO_BLOCKGUARD=off (or 0) reports nothing.
#include <aio/step_state.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AIO_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

enum class guard_mode { report, fatal, off };

// The calling thread's loop state, and a flag that keeps the guard's own
// output (and everything it calls) from being checked. initial-exec: the
// library is preloaded, so its TLS is static and each access is one load.
__thread aio_step_state *t_state __attribute__((tls_model("initial-exec"))) =
    nullptr;
__thread bool t_busy __attribute__((tls_model("initial-exec"))) = false;

guard_mode read_mode() {
  const char *value = std::getenv("AIO_BLOCKGUARD");
  if (value == nullptr || *value == '\0')
    return guard_mode::report;
  if (std::strcmp(value, "fatal") == 0)
    return guard_mode::fatal;
  if (std::strcmp(value, "off") == 0 || std::strcmp(value, "0") == 0)
    return guard_mode::off;
  return guard_mode::report;
}

guard_mode mode() {
  static const guard_mode m = read_mode();
  return m;
}

struct seen_call {
  std::string function;
  std::string task;
  unsigned long count;
};

// Leaked on purpose: interposed calls may come from other libraries'
// destructors after ours would have run.
std::mutex &records_mutex() {
  static std::mutex *m = new std::mutex;
  return *m;
}
std::vector<seen_call> &records() {
  static std::vector<seen_call> *r = new std::vector<seen_call>;
  return *r;
}

template <class F> F real(const char *name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}
#define AIO_REAL(name)                                                         \
  static const auto real_fn = real<decltype(&::name)>(#name)

void write_stderr(const std::string &text) {
  static const auto real_write = real<decltype(&::write)>("write");
  if (real_write == nullptr)
    return;
  const char *p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = real_write(2, p, left);
    if (n <= 0)
      return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// True if the calling thread runs an aio step now (and the guard is not
// already busy on it).
inline bool in_step() {
  const aio_step_state *s = t_state;
  return s != nullptr && s->running != 0 && !t_busy;
}

void flag(const char *function) {
  if (mode() == guard_mode::off)
    return;
  aio_step_state *s = t_state;
  t_busy = true;
  char task[512] = "a callback";
  if (s->describe != nullptr)
    s->describe(s, task, sizeof task);
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(records_mutex());
    std::vector<seen_call> &seen = records();
    auto it = seen.begin();
    for (; it != seen.end(); ++it)
      if (it->function == function && it->task == task)
        break;
    if (it == seen.end()) {
      seen.push_back(seen_call{function, task, 1});
      first = true;
    } else {
      ++it->count;
    }
  }
  if (first) {
    const std::string line =
        std::string("aio: blocking call: ") + function + " in " + task;
    write_stderr(line + "\n");
    if (s->blocking_call != nullptr)
      s->blocking_call(s, function, line.c_str());
    if (mode() == guard_mode::fatal) {
      write_stderr("aio: blockguard: AIO_BLOCKGUARD=fatal, aborting\n");
      std::abort();
    }
  }
  t_busy = false;
}

inline void check(const char *function) {
  if (in_step())
    flag(function);
}

bool nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags != -1 && (flags & O_NONBLOCK) != 0;
}

// For calls on a descriptor: the console and non-blocking descriptors are
// not reported.
inline void check_fd(const char *function, int fd, bool is_write) {
  if (!in_step())
    return;
  if (is_write && (fd == 1 || fd == 2))
    return;
  if (nonblocking(fd))
    return;
  flag(function);
}

inline void check_stream(const char *function, FILE *stream) {
  if (!in_step())
    return;
  if (stream == stdout || stream == stderr)
    return;
  flag(function);
}

__attribute__((destructor)) void print_counts() {
  if (mode() == guard_mode::off)
    return;
  std::lock_guard<std::mutex> lock(records_mutex());
  for (const seen_call &call : records())
    if (call.count > 1)
      write_stderr("aio: blocking calls: " + std::to_string(call.count) +
                   " x " + call.function + " in " + call.task + "\n");
}

} // namespace

AIO_EXPORT aio_step_state *aio_blockguard_attach(aio_step_state *state) {
  aio_step_state *previous = t_state;
  if (state == nullptr || state->version == AIO_STEP_STATE_VERSION)
    t_state = state;
  return previous;
}

// --- Sleeping ---------------------------------------------------------------

AIO_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem) {
  AIO_REAL(nanosleep);
  check("nanosleep");
  return real_fn(req, rem);
}

AIO_EXPORT int clock_nanosleep(clockid_t clock, int flags,
                               const struct timespec *req,
                               struct timespec *rem) {
  AIO_REAL(clock_nanosleep);
  check("clock_nanosleep");
  return real_fn(clock, flags, req, rem);
}

AIO_EXPORT unsigned int sleep(unsigned int seconds) {
  AIO_REAL(sleep);
  check("sleep");
  return real_fn(seconds);
}

AIO_EXPORT int usleep(useconds_t usec) {
  AIO_REAL(usleep);
  check("usleep");
  return real_fn(usec);
}

// --- Descriptors and sockets ------------------------------------------------

AIO_EXPORT ssize_t read(int fd, void *buf, size_t count) {
  AIO_REAL(read);
  check_fd("read", fd, false);
  return real_fn(fd, buf, count);
}

AIO_EXPORT ssize_t write(int fd, const void *buf, size_t count) {
  AIO_REAL(write);
  check_fd("write", fd, true);
  return real_fn(fd, buf, count);
}

AIO_EXPORT ssize_t pread(int fd, void *buf, size_t count, off_t offset) {
  AIO_REAL(pread);
  check_fd("pread", fd, false);
  return real_fn(fd, buf, count, offset);
}

AIO_EXPORT ssize_t pwrite(int fd, const void *buf, size_t count,
                          off_t offset) {
  AIO_REAL(pwrite);
  check_fd("pwrite", fd, true);
  return real_fn(fd, buf, count, offset);
}

AIO_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags) {
  AIO_REAL(recv);
  if ((flags & MSG_DONTWAIT) == 0)
    check_fd("recv", fd, false);
  return real_fn(fd, buf, len, flags);
}

AIO_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags) {
  AIO_REAL(send);
  if ((flags & MSG_DONTWAIT) == 0)
    check_fd("send", fd, false);
  return real_fn(fd, buf, len, flags);
}

AIO_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
                            struct sockaddr *from, socklen_t *fromlen) {
  AIO_REAL(recvfrom);
  if ((flags & MSG_DONTWAIT) == 0)
    check_fd("recvfrom", fd, false);
  return real_fn(fd, buf, len, flags, from, fromlen);
}

AIO_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags,
                          const struct sockaddr *to, socklen_t tolen) {
  AIO_REAL(sendto);
  if ((flags & MSG_DONTWAIT) == 0)
    check_fd("sendto", fd, false);
  return real_fn(fd, buf, len, flags, to, tolen);
}

AIO_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  AIO_REAL(recvmsg);
  if ((flags & MSG_DONTWAIT) == 0)
    check_fd("recvmsg", fd, false);
  return real_fn(fd, msg, flags);
}

AIO_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  AIO_REAL(sendmsg);
  if ((flags & MSG_DONTWAIT) == 0)
    check_fd("sendmsg", fd, false);
  return real_fn(fd, msg, flags);
}

AIO_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  AIO_REAL(connect);
  check_fd("connect", fd, false);
  return real_fn(fd, addr, len);
}

AIO_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  AIO_REAL(accept);
  check_fd("accept", fd, false);
  return real_fn(fd, addr, len);
}

AIO_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len,
                       int flags) {
  AIO_REAL(accept4);
  check_fd("accept4", fd, false);
  return real_fn(fd, addr, len, flags);
}

AIO_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout) {
  AIO_REAL(poll);
  if (timeout != 0)
    check("poll");
  return real_fn(fds, n, timeout);
}

AIO_EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e,
                      struct timeval *timeout) {
  AIO_REAL(select);
  if (timeout == nullptr || timeout->tv_sec != 0 || timeout->tv_usec != 0)
    check("select");
  return real_fn(n, r, w, e, timeout);
}

AIO_EXPORT int epoll_wait(int epfd, struct epoll_event *events, int max,
                          int timeout) {
  AIO_REAL(epoll_wait);
  if (timeout != 0)
    check("epoll_wait");
  return real_fn(epfd, events, max, timeout);
}

AIO_EXPORT int flock(int fd, int op) {
  AIO_REAL(flock);
  if ((op & LOCK_NB) == 0)
    check("flock");
  return real_fn(fd, op);
}

AIO_EXPORT int fsync(int fd) {
  AIO_REAL(fsync);
  check("fsync");
  return real_fn(fd);
}

AIO_EXPORT int fdatasync(int fd) {
  AIO_REAL(fdatasync);
  check("fdatasync");
  return real_fn(fd);
}

// --- Name resolution --------------------------------------------------------

AIO_EXPORT int getaddrinfo(const char *node, const char *service,
                           const struct addrinfo *hints,
                           struct addrinfo **res) {
  AIO_REAL(getaddrinfo);
  check("getaddrinfo");
  return real_fn(node, service, hints, res);
}

AIO_EXPORT struct hostent *gethostbyname(const char *name) {
  AIO_REAL(gethostbyname);
  check("gethostbyname");
  return real_fn(name);
}

// --- Processes and threads --------------------------------------------------

AIO_EXPORT pid_t waitpid(pid_t pid, int *status, int options) {
  AIO_REAL(waitpid);
  if ((options & WNOHANG) == 0)
    check("waitpid");
  return real_fn(pid, status, options);
}

AIO_EXPORT pid_t wait(int *status) {
  AIO_REAL(wait);
  check("wait");
  return real_fn(status);
}

AIO_EXPORT int system(const char *command) {
  AIO_REAL(system);
  check("system");
  return real_fn(command);
}

AIO_EXPORT FILE *popen(const char *command, const char *type) {
  AIO_REAL(popen);
  check("popen");
  return real_fn(command, type);
}

AIO_EXPORT int pthread_join(pthread_t thread, void **result) {
  AIO_REAL(pthread_join);
  check("pthread_join");
  return real_fn(thread, result);
}

AIO_EXPORT int sem_wait(sem_t *sem) {
  AIO_REAL(sem_wait);
  check("sem_wait");
  return real_fn(sem);
}

// --- stdio files ------------------------------------------------------------

AIO_EXPORT FILE *fopen(const char *path, const char *mode) {
  AIO_REAL(fopen);
  check("fopen");
  return real_fn(path, mode);
}

AIO_EXPORT size_t fread(void *ptr, size_t size, size_t n, FILE *stream) {
  AIO_REAL(fread);
  check_stream("fread", stream);
  return real_fn(ptr, size, n, stream);
}

AIO_EXPORT size_t fwrite(const void *ptr, size_t size, size_t n,
                         FILE *stream) {
  AIO_REAL(fwrite);
  check_stream("fwrite", stream);
  return real_fn(ptr, size, n, stream);
}

AIO_EXPORT char *fgets(char *s, int size, FILE *stream) {
  AIO_REAL(fgets);
  check_stream("fgets", stream);
  return real_fn(s, size, stream);
}

// --- SQLite (only resolved if the program uses it) --------------------------

struct sqlite3;
struct sqlite3_stmt;
using sqlite3_callback = int (*)(void *, int, char **, char **);

AIO_EXPORT int sqlite3_exec(sqlite3 *db, const char *sql,
                            sqlite3_callback callback, void *arg,
                            char **errmsg) {
  static const auto real_fn =
      real<int (*)(sqlite3 *, const char *, sqlite3_callback, void *,
                   char **)>("sqlite3_exec");
  check("sqlite3_exec");
  return real_fn != nullptr ? real_fn(db, sql, callback, arg, errmsg)
                            : 1 /* SQLITE_ERROR */;
}

AIO_EXPORT int sqlite3_step(sqlite3_stmt *stmt) {
  static const auto real_fn = real<int (*)(sqlite3_stmt *)>("sqlite3_step");
  check("sqlite3_step");
  return real_fn != nullptr ? real_fn(stmt) : 21 /* SQLITE_MISUSE */;
}
