// A project's own offload helper, named in OffloadTemplate, is an offload
// function without being listed in OffloadFunctions: its lambda argument is
// not the coroutine's work, and its own body, a coroutine that calls the
// work, is not reported (HeaderFilterRegex: the header's findings would be
// shown; without the template, one is).
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{HeaderFilterRegex: 'net/', CheckOptions: {coro-blocking-call.OffloadTemplate: 'co_await net::offload({0})', coro-blocking-call.RuntimeHeader: '\"net/offload.h\"'}}" -- -I %S/Inputs
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{HeaderFilterRegex: 'net/', CheckOptions: {coro-blocking-call.OffloadTemplate: 'co_await net::offload({0})', coro-blocking-call.RuntimeHeader: '\"net/offload.h\"'}}" -- -I %S/Inputs

#include "net/offload.h"
#include <cstdio>
#include <string>

std::string read_config(const char *path) {
  std::FILE *f = std::fopen(path, "r");
  std::string text;
  if (f) {
    char buf[256];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f))
      text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

net::result<int> serve() {
  std::string config = read_config("/etc/app.conf");
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'read_config' in coroutine 'serve' blocks the event loop: it calls 'fopen' (file I/O); offload it with 'co_await net::offload(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::string config = co_await net::offload([&] { return read_config("/etc/app.conf"); });{{$}}
  std::string again = co_await net::offload([&] { return read_config("/etc/app.conf"); });
  co_return static_cast<int>(config.size() + again.size());
}
