// housekeeping_worker: a background task that compacts a cache every 50 ms,
// a checksum over a generated data set, and a configuration file read at
// start-up; main cancels the worker after a while and waits for it with a
// deadline. Three mistakes are in the coroutines below (see README.md).
#include <aio/aio.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

int compactions = 0;

void compact_cache() { ++compactions; }

// Reads the whole configuration file.
aio::task<std::string> load_config(const char *path) {
  std::string text;
  FILE *file = std::fopen(path, "r");
  if (!file)
    co_return text;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, file))
    text.append(buf, n);
  std::fclose(file);
  co_return text;
}

// A checksum (FNV-1a) of ten million generated records.
aio::task<std::uint64_t> checksum() {
  std::uint64_t sum = 0xcbf29ce484222325ull;
  for (std::uint64_t i = 0; i < 10'000'000; ++i) {
    const std::uint64_t record = i * 0x9e3779b97f4a7c15ull;
    for (int byte = 0; byte < 8; ++byte)
      sum = (sum ^ ((record >> (8 * byte)) & 0xff)) * 0x100000001b3ull;
  }
  co_return sum;
}

// Compacts the cache until it is cancelled; logs any failure and carries on.
aio::task<void> housekeeping() {
  while (true) {
    try {
      co_await aio::sleep_for(50ms);
      compact_cache();
    } catch (const std::exception &e) {
      std::fprintf(stderr, "housekeeping: %s; retrying\n", e.what());
    }
  }
}

aio::task<int> service(const char *config_path) {
  std::string config = co_await load_config(config_path);
  std::uint64_t sum = co_await checksum();
  std::printf("config: %zu bytes, checksum %llu\n", config.size(),
              static_cast<unsigned long long>(sum));

  auto worker = aio::spawn(housekeeping());
  co_await aio::sleep_for(200ms);
  worker.cancel();
  // Shutdown waits for the worker with a deadline; it does not cancel it
  // again (aio::wait never cancels).
  auto result = co_await aio::wait(std::vector{worker}, 500ms);
  if (!result.pending.empty()) {
    std::printf("shutdown: hung, the worker ignored its cancellation\n");
    co_return 1;
  }
  std::printf("shutdown: the worker stopped after %d compactions\n", compactions);
  co_return 0;
}

} // namespace

int main(int argc, char **argv) {
  const char *config = argc > 1 ? argv[1] : "/etc/hostname";
  return aio::run(service(config));
}
