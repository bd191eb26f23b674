// POSIX calls report through errno, which an offloaded call sets on the
// worker thread: the rewrite is offered on a note, applied with --fix-notes.
// RUN: %check_corolint --mode=plugin --fix-notes %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli --fix-notes %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <fcntl.h>
#include <unistd.h>

aio::task<long> append(const char *path, const char *data, unsigned long n) {
  int fd = ::open(path, O_WRONLY | O_APPEND);
  // CHECK-NOTES: :[[@LINE-1]]:12: warning: blocking call to 'open' (file I/O) in coroutine 'append' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-NOTES: :[[@LINE-2]]:12: note: offload the call if nothing reads errno after it: errno is then set on the worker thread
  // CHECK-FIXES: {{^}}  int fd = co_await aio::to_thread([&] { return ::open(path, O_WRONLY | O_APPEND); });{{$}}
  long written = write(fd, data, n);
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: blocking call to 'write' (file I/O) {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:18: note: offload the call {{.*}}
  // CHECK-FIXES: {{^}}  long written = co_await aio::to_thread([&] { return write(fd, data, n); });{{$}}
  close(fd);
  co_return written;
}
