// Helpers defined in other files than the coroutines that call them.
#pragma once
#include <string>

std::string read_file(const char *path);
std::string load_config(const char *path);
std::string load_layered(const char *path);
std::string load_everything();
int parse_port(const std::string &text);
[[clang::annotate("corolint::nonblocking")]] std::string cached_config();
void ping_a(int n);
void ping_b(int n);
void spin_a(int n);
void spin_b(int n);
