#include <aio/aio.hpp>

aio::task<int> fetch_with_retry(int attempts);

aio::task<int> serve() {
  co_await aio::sleep_for(std::chrono::milliseconds(1));
  co_return co_await fetch_with_retry(3);
}

int main() { return aio::run(serve()) == 3 ? 0 : 1; }
