// Blocking regions: consecutive blocking calls with no suspension point
// between them, on one handle or in adjacent statements, are one finding
// (the other calls are notes) and one offload of their statements; a
// variable they declare that later statements use comes back from it.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t

#include <aio/aio.hpp>
#include <cstdio>
#include <fstream>
#include <string>

// A stream's construction, read and close: one region; 'line' lives past it.
aio::task<std::string> first_line(std::string path) {
  std::ifstream in(path);
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: blocking call to 'std::basic_ifstream' (file I/O) in coroutine 'first_line' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  std::string line;
  std::getline(in, line);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the call to 'std::getline' blocks too, on 'in': one blocking region with the call above
  in.close();
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the call to 'std::basic_ifstream::close' blocks too, on 'in': one blocking region with the call above
  co_return line;
  // CHECK-FIXES:      {{^}}  std::string line = co_await aio::to_thread([&] {{{$}}
  // CHECK-FIXES:      {{^}}    std::ifstream in(path);{{$}}
  // CHECK-FIXES:      {{^}}    std::string line;{{$}}
  // CHECK-FIXES:      {{^}}    std::getline(in, line);{{$}}
  // CHECK-FIXES:      {{^}}    in.close();{{$}}
  // CHECK-FIXES:      {{^}}    return line;{{$}}
  // CHECK-FIXES:      {{^}}  });{{$}}
  // CHECK-FIXES:      {{^}}  co_return line;{{$}}
}

// Nothing the region declares is used after it: a statement of its own. The
// loop's reads are in the same statement as the open.
aio::task<void> save(std::string path, std::string text) {
  std::FILE *log = nullptr;
  if (std::FILE *f = std::fopen(path.c_str(), "w")) {
    // CHECK-NOTES: :[[@LINE-1]]:22: warning: blocking call to 'fopen' (file I/O) in coroutine 'save' {{.*}}
    std::fputs(text.c_str(), f);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: the call to 'fputs' blocks too, in the same statement: one blocking region with the call above
    std::fclose(f);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: the call to 'fclose' blocks too, on 'f': {{.*}}
  }
  // CHECK-FIXES:      {{^}}  co_await aio::to_thread([&] {{{$}}
  // CHECK-FIXES:      {{^}}    if (std::FILE *f = std::fopen(path.c_str(), "w")) {{{$}}
  // CHECK-FIXES:      {{^}}      std::fputs(text.c_str(), f);{{$}}
  // CHECK-FIXES:      {{^}}    }{{$}}
  // CHECK-FIXES:      {{^}}  });{{$}}
  (void)log;
  co_return;
}

// A suspension point ends a region: two findings, each offloaded.
aio::task<long> two_stalls(std::FILE *f, char *buf) {
  long n = static_cast<long>(std::fread(buf, 1, 16, f));
  // CHECK-NOTES: :[[@LINE-1]]:30: warning: blocking call to 'fread' (file I/O) in coroutine 'two_stalls' {{.*}}
  // CHECK-FIXES: {{^}}  long n = static_cast<long>(co_await aio::to_thread([&] { return std::fread(buf, 1, 16, f); }));{{$}}
  co_await aio::sleep_for(std::chrono::milliseconds(1));
  n += static_cast<long>(std::fread(buf, 1, 16, f));
  // CHECK-NOTES: :[[@LINE-1]]:26: warning: blocking call to 'fread' (file I/O) in coroutine 'two_stalls' {{.*}}
  // CHECK-FIXES: {{^}}  n += static_cast<long>(co_await aio::to_thread([&] { return std::fread(buf, 1, 16, f); }));{{$}}
  co_return n;
}

// Calls on other handles, apart: separate findings.
aio::task<void> apart(std::FILE *a, std::FILE *b, int &count) {
  std::fflush(a);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: blocking call to 'fflush' (file I/O) in coroutine 'apart' {{.*}}
  ++count;
  std::fflush(b);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: blocking call to 'fflush' (file I/O) in coroutine 'apart' {{.*}}
  co_return;
}

// Adjacent statements are one region, whatever they work on.
aio::task<void> adjacent(std::FILE *a, std::FILE *b) {
  std::fflush(a);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: blocking call to 'fflush' (file I/O) in coroutine 'adjacent' {{.*}}
  std::fflush(b);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the call to 'fflush' blocks too, in the next statement: one blocking region with the call above
  // CHECK-FIXES:      {{^}}  co_await aio::to_thread([&] {{{$}}
  // CHECK-FIXES:      {{^}}    std::fflush(a);{{$}}
  // CHECK-FIXES:      {{^}}    std::fflush(b);{{$}}
  // CHECK-FIXES:      {{^}}  });{{$}}
  co_return;
}

// What cannot move into a lambda as it is (a return, two variables that
// live past the region, a global of the program's) is offloaded call by
// call, and a note says why.
int opened = 0;

aio::task<int> with_break(std::FILE *f, char *buf) {
  int reads = 0;
  for (;;) {
    std::fflush(f);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: blocking call to 'fflush' (file I/O) in coroutine 'with_break' {{.*}}
    // CHECK-FIXES: {{^}}    co_await aio::to_thread([&] { return std::fflush(f); });{{$}}
    if (std::fread(buf, 1, 1, f) == 0)
      // CHECK-NOTES: :[[@LINE-1]]:9: note: the call to 'fread' blocks too, on 'f': {{.*}}
    // CHECK-NOTES: :96:5: note: the region's statements are offloaded call by call: they contain a return, a jump out or a label
      // CHECK-FIXES: {{^}}    if (co_await aio::to_thread([&] { return std::fread(buf, 1, 1, f); }) == 0){{$}}
      break;
    ++reads;
  }
  co_return reads;
}

// More variables that live past the region are declared before the offload
// and assigned in it.
aio::task<int> two_living(const char *a, const char *b) {
  std::FILE *x = std::fopen(a, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: blocking call to 'fopen' (file I/O) in coroutine 'two_living' {{.*}}
  std::FILE *y = std::fopen(b, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: note: the call to 'fopen' blocks too, in the next statement: {{.*}}
  char name[16];
  name[0] = 'x';
  co_await aio::sleep_for(std::chrono::milliseconds(1));
  co_return (x != nullptr) + (y != nullptr) + name[0];
  // CHECK-FIXES:      {{^}}  std::FILE *x{};{{$}}
  // CHECK-FIXES-NEXT: {{^}}  std::FILE *y{};{{$}}
  // CHECK-FIXES-NEXT: {{^}}  co_await aio::to_thread([&] {{{$}}
  // CHECK-FIXES-NEXT: {{^}}    x = std::fopen(a, "r");{{$}}
  // CHECK-FIXES:      {{^}}    y = std::fopen(b, "r");{{$}}
  // CHECK-FIXES:      {{^}}  });{{$}}
  // CHECK-FIXES:      {{^}}  char name[16];{{$}}
}

// A variable that cannot be declared apart from its initialiser (const,
// auto, a reference) keeps the calls apart.
aio::task<int> cannot_hoist(const char *a, const char *b) {
  const auto x = std::fopen(a, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: blocking call to 'fopen' (file I/O) in coroutine 'cannot_hoist' {{.*}}
  // CHECK-FIXES: {{^}}  const auto x = co_await aio::to_thread([&] { return std::fopen(a, "r"); });{{$}}
  std::FILE *y = std::fopen(b, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: note: the call to 'fopen' blocks too, in the next statement: {{.*}}
  // CHECK-NOTES: :[[@LINE-5]]:18: note: the region's statements are offloaded call by call: the variable 'x' that later statements use cannot be declared before the offload
  // CHECK-FIXES: {{^}}  std::FILE *y = co_await aio::to_thread([&] { return std::fopen(b, "r"); });{{$}}
  co_await aio::sleep_for(std::chrono::milliseconds(1));
  co_return (x != nullptr) + (y != nullptr);
}

aio::task<void> global(const char *path) {
  std::FILE *f = std::fopen(path, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: blocking call to 'fopen' (file I/O) in coroutine 'global' {{.*}}
  opened += f != nullptr;
  std::fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the call to 'fclose' blocks too, on 'f': {{.*}}
  // CHECK-NOTES: :[[@LINE-5]]:18: note: the region's statements are offloaded call by call: they use a global variable, which the loop's other tasks may use meanwhile
  co_return;
}

// A statement that works only on locals does not end a region.
aio::task<std::size_t> with_locals(const char *path, char *buf) {
  std::FILE *f = std::fopen(path, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: blocking call to 'fopen' (file I/O) in coroutine 'with_locals' {{.*}}
  std::size_t limit = 8;
  limit = limit * 2;
  std::size_t n = std::fread(buf, 1, limit, f);
  // CHECK-NOTES: :[[@LINE-1]]:19: note: the call to 'fread' blocks too, on 'f': {{.*}}
  std::fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the call to 'fclose' blocks too, on 'f': {{.*}}
  co_return n;
  // CHECK-FIXES: {{^}}  std::size_t n = co_await aio::to_thread([&] {{{$}}
  // CHECK-FIXES: {{^}}    limit = limit * 2;{{$}}
  // CHECK-FIXES: {{^}}    return n;{{$}}
}

// A case label of a switch around the region cannot move into a lambda.
aio::task<void> in_switch(int kind, std::FILE *f, char *buf) {
  switch (kind) {
  case 1:
    std::fflush(f);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: blocking call to 'fflush' (file I/O) in coroutine 'in_switch' {{.*}}
    // CHECK-FIXES: {{^}}    co_await aio::to_thread([&] { return std::fflush(f); });{{$}}
    std::fread(buf, 1, 1, f);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: the call to 'fread' blocks too, on 'f': {{.*}}
    // CHECK-NOTES: :[[@LINE-5]]:5: note: the region's statements are offloaded call by call: they contain a return, a jump out or a label
    // CHECK-FIXES: {{^}}    co_await aio::to_thread([&] { return std::fread(buf, 1, 1, f); });{{$}}
    break;
  default:
    break;
  }
  co_return;
}

// A variable declared before the offload must take the assignment.
struct Pinned {
  Pinned() = default;
  Pinned(std::FILE *file) : f(file) {}
  Pinned &operator=(const Pinned &) = delete;
  std::FILE *f = nullptr;
};

aio::task<int> not_assignable(const char *a, const char *b) {
  Pinned p = std::fopen(a, "r");
  // CHECK-NOTES: :[[@LINE-1]]:14: warning: blocking call to 'fopen' (file I/O) in coroutine 'not_assignable' {{.*}}
  // CHECK-FIXES: {{^}}  Pinned p = co_await aio::to_thread([&] { return std::fopen(a, "r"); });{{$}}
  std::FILE *q = std::fopen(b, "r");
  // CHECK-NOTES: :[[@LINE-1]]:18: note: the call to 'fopen' blocks too, in the next statement: {{.*}}
  // CHECK-NOTES: :[[@LINE-5]]:14: note: the region's statements are offloaded call by call: the variable 'p' that later statements use cannot be declared before the offload
  // CHECK-FIXES: {{^}}  std::FILE *q = co_await aio::to_thread([&] { return std::fopen(b, "r"); });{{$}}
  co_await aio::sleep_for(std::chrono::milliseconds(1));
  co_return (p.f != nullptr) + (q != nullptr);
}
