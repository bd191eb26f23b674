// CPU-heavy calls (OpenSSL, zlib, crypt), user entries, std::regex (option),
// and the options of the loop rules.
// RUN: %check_corolint --mode=plugin %s coro-cpu-bound-loop %t --config="{CheckOptions: {coro-cpu-bound-loop.CpuHeavyFunctions: 'render_thumbnail', coro-cpu-bound-loop.RegexConstruction: true, coro-cpu-bound-loop.MinIterations: 5000, coro-cpu-bound-loop.MinNestingDepth: 3}}"
// RUN: %check_corolint --mode=cli %s coro-cpu-bound-loop %t --config="{CheckOptions: {coro-cpu-bound-loop.CpuHeavyFunctions: 'render_thumbnail', coro-cpu-bound-loop.RegexConstruction: true, coro-cpu-bound-loop.MinIterations: 5000, coro-cpu-bound-loop.MinNestingDepth: 3}}"

#include <aio/aio.hpp>
#include <crypt.h>
#include <openssl/evp.h>
#include <regex>
#include <string>
#include <vector>
#include <zlib.h>

aio::task<bool> login(const std::string &password, const unsigned char *salt) {
  unsigned char key[32];
  int ok = PKCS5_PBKDF2_HMAC(password.c_str(), static_cast<int>(password.size()),
                             salt, 16, 600000, EVP_sha256(), sizeof key, key);
  // CHECK-MESSAGES: :[[@LINE-2]]:12: warning: CPU-heavy call to 'PKCS5_PBKDF2_HMAC' in coroutine 'login' stalls the event loop; run it with 'co_await aio::run_in_executor(aio::cpu_executor(), ...)' [coro-cpu-bound-loop]
  // CHECK-FIXES: {{^}}  int ok = co_await aio::run_in_executor(aio::cpu_executor(), [&] { return PKCS5_PBKDF2_HMAC(password.c_str(), static_cast<int>(password.size()),{{$}}
  const char *hashed = crypt(password.c_str(), "$6$salt$");
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: CPU-heavy call to 'crypt' {{.*}}
  co_return ok == 1 && hashed != nullptr;
}

aio::task<unsigned long> pack(std::vector<unsigned char> &out,
                              const std::vector<unsigned char> &in) {
  uLongf size = static_cast<uLongf>(out.size());
  if (compress2(out.data(), &size, in.data(), in.size(), 9) != Z_OK)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: CPU-heavy call to 'compress2' {{.*}}
    // CHECK-FIXES: {{^}}  if (co_await aio::run_in_executor(aio::cpu_executor(), [&] { return compress2(out.data(), &size, in.data(), in.size(), 9); }) != Z_OK){{$}}
    co_return 0;
  co_return size;
}

int render_thumbnail(int w, int h) { return w * h; }

aio::task<int> thumbnails() {
  int px = render_thumbnail(64, 64);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: CPU-heavy call to 'render_thumbnail' {{.*}}
  std::regex pattern("[a-z]+@[a-z]+");
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: CPU-heavy construction of 'std::basic_regex' in coroutine 'thumbnails' compiles the pattern on the event loop; build it once outside the coroutine or run it with 'co_await aio::run_in_executor(aio::cpu_executor(), ...)' [coro-cpu-bound-loop]
  // MinIterations is 5000 here.
  for (int i = 0; i < 8000; ++i)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: CPU-heavy loop in coroutine 'thumbnails' runs 8000 iterations {{.*}}
    px += i;
  co_return px;
}

// MinNestingDepth 3: loop nests with unknown bounds.
aio::task<int> triple(int n) {
  int acc = 0;
  for (int a = 0; a < n; ++a)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop nest of depth 3 in coroutine 'triple' runs without a suspension point and can stall the event loop; {{.*}}
    for (int b = 0; b < n; ++b)
      for (int c = 0; c < n; ++c)
        acc += a * b * c;
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      acc -= a + b;
  co_return acc;
}
