#include "io.h"

std::string load_config(const char *path) { return read_file(path); }

std::string load_layered(const char *path) {
  std::string base = load_config("/etc/base.conf");
  return base + load_config(path);
}

void ping_b(int n) { ping_a(n); }
void spin_b(int n) { spin_a(n); }
