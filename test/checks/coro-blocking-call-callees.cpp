// Blocking through callees: helpers defined in the same file that block,
// directly or through other helpers, are reported at the coroutine's call
// and offloaded there.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}"

#include <aio/aio.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

// Depth 1 to 4: each helper calls the next, the last one reads a file.
std::string read_file(const std::string &path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}
std::string load_config(const std::string &path) { return read_file(path); }
std::string load_profile(const std::string &user) {
  return load_config("/etc/profiles/" + user);
}
std::size_t profile_size(const std::string &user) {
  return load_profile(user).size();
}

aio::task<std::size_t> chains(std::string path) {
  std::string a = read_file(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'read_file' in coroutine 'chains' blocks the event loop: it calls 'std::basic_ifstream' (file I/O); offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  std::string a = co_await aio::to_thread([&] { return read_file(path); });{{$}}
  std::string b = load_config(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'load_config' in coroutine 'chains' blocks the event loop: it calls 'std::basic_ifstream' (file I/O); {{.*}}
  // CHECK-FIXES: {{^}}  std::string b = co_await aio::to_thread([&] { return load_config(path); });{{$}}
  std::string c = load_profile("root");
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'load_profile' {{.*}}
  // CHECK-FIXES: {{^}}  std::string c = co_await aio::to_thread([&] { return load_profile("root"); });{{$}}
  if (profile_size("root") > 10)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: call to 'profile_size' {{.*}}
    // CHECK-FIXES: {{^}}  if (co_await aio::to_thread([&] { return profile_size("root"); }) > 10){{$}}
    co_return 0;
  co_return a.size() + b.size() + c.size();
}

// A helper defined after the coroutine that calls it.
void flush_journal(FILE *journal);

aio::task<void> defined_later(FILE *journal) {
  flush_journal(journal);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'flush_journal' in coroutine 'defined_later' blocks the event loop: it calls 'fflush' (file I/O); {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return flush_journal(journal); });{{$}}
  co_return;
}

void flush_journal(FILE *journal) { fflush(journal); }

// Recursion: a cycle that never blocks is not reported; one that blocks is.
int ping(int n);
int pong(int n) { return n > 0 ? ping(n - 1) : 0; }
int ping(int n) { return n > 0 ? pong(n - 1) : 1; }
void backoff(int attempt) {
  if (attempt > 0)
    backoff(attempt - 1);
  else
    std::this_thread::sleep_for(10ms);
}

aio::task<int> recursion() {
  int n = ping(4);
  backoff(3);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'backoff' in coroutine 'recursion' blocks the event loop: it calls 'std::this_thread::sleep_for'; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return backoff(3); });{{$}}
  co_return n;
}

// Constructors, destructors and operators of the program's own types.
struct Journal {
  FILE *file;
  explicit Journal(const char *path) : file(fopen(path, "a")) {}
  ~Journal() { fclose(file); }
  Journal &operator<<(const std::string &line) {
    fputs(line.c_str(), file);
    return *this;
  }
};
struct Lease {
  int fd = -1;
  ~Lease() { fsync(fd); }
};
std::string operator+(const Journal &j, int n) { return fread(nullptr, 0, 0, j.file) ? "" : std::to_string(n); }

aio::task<void> own_types(Journal &shared) {
  Journal journal("/var/log/app.log");
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'Journal' in coroutine 'own_types' blocks the event loop: it calls 'fopen' (file I/O); {{.*}}
  shared << "started";
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'Journal::operator<<' in coroutine 'own_types' blocks the event loop: it calls 'fputs' (file I/O); {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&]() -> decltype(auto) { return shared << "started"; });{{$}}
  std::string tag = shared + 7;
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'operator+' in coroutine 'own_types' blocks the event loop: it calls 'fread' (file I/O); {{.*}}
  // CHECK-FIXES: {{^}}  std::string tag = co_await aio::to_thread([&] { return shared + 7; });{{$}}
  {
    Lease lease;
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'Lease::~Lease' in coroutine 'own_types' blocks the event loop: it calls 'fsync' (file I/O); {{.*}}
  }
  co_return;
}

// Virtual calls are not followed, unless the object's type is known.
struct Store {
  virtual ~Store() = default;
  virtual void save() { usleep(100); }
};
struct DiskStore final : Store {
  void save() override { usleep(100); }
};

aio::task<void> virtual_calls(Store &any, DiskStore &disk) {
  any.save();
  disk.save();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'DiskStore::save' in coroutine 'virtual_calls' blocks the event loop: it calls 'usleep'; {{.*}}
  // CHECK-FIXES: {{^}}  co_await aio::to_thread([&] { return disk.save(); });{{$}}
  co_return;
}

// No rewrite where co_await is not allowed; a lambda run on the spot says
// where it runs.
aio::task<void> places(std::string path) {
  try {
    co_await aio::sleep_for(1ms);
  } catch (...) {
    read_file(path);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'read_file' in coroutine 'places' {{.*}}
  }
  [&] { load_config(path); }();
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: call to 'load_config' in coroutine 'places' {{.*}}
  std::size_t n = read_file(path).size();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'read_file' {{.*}}
  // CHECK-FIXES: {{^}}  std::size_t n = (co_await aio::to_thread([&] { return read_file(path); })).size();{{$}}
  (void)n;
}

// What the waits and errno call for: a sync-wait and a condition variable
// are not offloaded; errno-reporting calls are, on a note (see the notes
// test).
aio::task<int> compute() { co_return 42; }
int compute_now() { return aio::run(compute()); }

aio::task<int> waits() {
  int v = compute_now();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'compute_now' in coroutine 'waits' deadlocks the event loop: it calls 'aio::run', which waits synchronously for asynchronous work; make it a coroutine and co_await the work [coro-blocking-call]
  co_return v;
}
