#include <aio/aio.hpp>

#include <chrono>
#include <thread>

aio::task<int> fetch_with_retry(int attempts) {
  auto backoff = std::chrono::milliseconds(1);
  for (int attempt = 1; attempt < attempts; ++attempt) {
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
  co_return attempts;
}
