// stdin and process.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"

#include <aio/aio.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <sys/wait.h>

aio::task<std::string> prompt() {
  std::string name;
  std::cout << "name? ";
  std::cin >> name;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::operator>>' (standard input) in coroutine 'prompt' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&]() -> decltype(auto) { return std::cin >> name; });{{$}}
  std::string line;
  std::getline(std::cin, line);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::getline' (standard input) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&]() -> decltype(auto) { return std::getline(std::cin, line); });{{$}}
  int age = 0;
  std::cin >> age;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::basic_istream::operator>>' (standard input) {{.*}}
  char buf[32];
  if (fgets(buf, sizeof buf, stdin))
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: blocking call to 'fgets' (standard input) {{.*}}
    // CHECK-FIXES: {{^}}  if (co_await aio::to_thread([&] { return fgets(buf, sizeof buf, stdin); })){{$}}
    line += buf;
  int c = getchar();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: blocking call to 'getchar' (standard input) {{.*}}
  (void)c;
  co_return name + line;
}

aio::task<int> run_tool() {
  int rc = std::system("make -C build");
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call to 'system' (subprocess) {{.*}}
  // CHECK-FIXES: {{^}}  int rc = co_await aio::to_thread([&] { return std::system("make -C build"); });{{$}}
  FILE *p = popen("ls", "r");
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: blocking call to 'popen' (subprocess) {{.*}}
  pclose(p);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'pclose' (subprocess) {{.*}}
  int status = 0;
  waitpid(-1, &status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'waitpid' (subprocess) {{.*}}
  // CHECK-FIXES: {{^}}  waitpid(-1, &status, 0);{{$}}
  co_return rc + status;
}
