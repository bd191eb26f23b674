// file: C stdio, POSIX, iostream file streams, std::filesystem.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"

#include <aio/aio.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;

aio::task<std::size_t> copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: blocking call to 'fopen' (file I/O) in coroutine 'copy_file' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  FILE *in = co_await aio::to_thread([&] { return fopen(from, "rb"); });{{$}}
  FILE *out = std::fopen(to, "wb");
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: blocking call to 'fopen' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  FILE *out = co_await aio::to_thread([&] { return std::fopen(to, "wb"); });{{$}}
  char buf[4096];
  std::size_t total = 0;
  while (std::size_t n = fread(buf, 1, sizeof buf, in)) {
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: blocking call to 'fread' (file I/O) {{.*}}
    // CHECK-FIXES: {{^}}  while (std::size_t n = co_await aio::to_thread([&] { return fread(buf, 1, sizeof buf, in); })) {{{$}}
    total += fwrite(buf, 1, n, out);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: blocking call to 'fwrite' (file I/O) {{.*}}
    // CHECK-FIXES: {{^}}    total += co_await aio::to_thread([&] { return fwrite(buf, 1, n, out); });{{$}}
  }
  fprintf(out, "%zu\n", total);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'fprintf' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return fprintf(out, "%zu\n", total); });{{$}}
  fclose(in);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'fclose' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return fclose(in); });{{$}}
  fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'fclose' (file I/O) {{.*}}
  // Logging to the standard streams is not file I/O.
  fprintf(stderr, "copied %zu bytes\n", total);
  fputs("done\n", stdout);
  fflush(stdout);
  co_return total;
}

aio::task<std::string> first_line(std::string path) {
  std::ifstream in(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: blocking call to 'std::basic_ifstream' (file I/O) in coroutine 'first_line' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::ifstream in(path);{{$}}
  std::string line;
  if (!std::getline(in, line))
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: blocking call to 'std::getline' (file I/O) {{.*}}
    // CHECK-FIXES: {{^}}  if (!co_await aio::to_thread([&]() -> decltype(auto) { return std::getline(in, line); })){{$}}
    co_return "";
  int version = 0;
  in >> version;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::basic_istream::operator>>' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&]() -> decltype(auto) { return in >> version; });{{$}}
  char header[8];
  in.read(header, sizeof header);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::basic_istream::read' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&]() -> decltype(auto) { return in.read(header, sizeof header); });{{$}}
  co_return line;
}

aio::task<void> save(const std::string &path, const std::string &text) {
  std::ofstream out;
  out.open(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::basic_ofstream::open' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return out.open(path); });{{$}}
  out << text;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::operator<<' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&]() -> decltype(auto) { return out << text; });{{$}}
  co_return;
}

aio::task<std::uintmax_t> disk_usage(fs::path dir) {
  if (!fs::exists(dir))
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: blocking call to 'std::filesystem::exists' (file I/O) {{.*}}
    // CHECK-FIXES: {{^}}  if (!co_await aio::to_thread([&] { return fs::exists(dir); })){{$}}
    co_return 0;
  fs::create_directories(dir / "cache");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::filesystem::create_directories' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return fs::create_directories(dir / "cache"); });{{$}}
  std::uintmax_t size = fs::file_size(dir / "index") + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: blocking call to 'std::filesystem::file_size' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  std::uintmax_t size = co_await aio::to_thread([&] { return fs::file_size(dir / "index"); }) + 1;{{$}}
  // Pure path manipulation and status queries on a known status do not touch the disk.
  fs::path name = dir.filename();
  fs::file_status st{fs::file_type::regular};
  bool regular = fs::exists(st) && fs::is_regular_file(st);
  (void)name;
  (void)regular;
  co_return size;
}

// POSIX calls report through errno: the rewrite is on a note, not applied by
// --fix.
aio::task<long> read_header(int fd) {
  char buf[16];
  long n = ::read(fd, buf, sizeof buf);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call to 'read' (file I/O) {{.*}}
  // CHECK-FIXES: {{^}}  long n = ::read(fd, buf, sizeof buf);{{$}}
  fsync(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'fsync' (file I/O) {{.*}}
  co_return n;
}
