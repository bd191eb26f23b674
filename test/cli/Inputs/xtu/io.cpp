#include "io.h"
#include <cstdio>
#include <thread>

std::string read_file(const char *path) {
  std::string out;
  if (FILE *f = std::fopen(path, "rb")) {
    char buf[256];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
      out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

int parse_port(const std::string &text) { return text.empty() ? 80 : 8080; }

// Declared non-blocking: its callers trust it (a cache warmed at start-up).
std::string cached_config() { return read_file("/etc/app.conf"); }

// Mutual recursion that blocks at the bottom, and one that never blocks.
void ping_a(int n) {
  if (n > 0)
    ping_b(n - 1);
  else
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
void spin_a(int n) {
  if (n > 0)
    spin_b(n - 1);
}
