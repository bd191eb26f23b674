// reconnect_service: a poller on the aio runtime that connects to a flaky
// upstream (retrying with exponential back-off), fetches a few items, sends
// heartbeats meanwhile, and flushes metrics on a worker thread.
#include <aio/aio.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

using namespace std::chrono_literals;

namespace {

// A fake upstream whose first connection attempts fail.
struct upstream {
  int failures_left = 2;
  bool try_connect() { return failures_left-- <= 0; }
};

// Runs on the metrics thread, never on the event loop.
void flush_metrics(int rounds) {
  for (int i = 0; i < rounds; ++i)
    std::this_thread::sleep_for(20ms);
  std::printf("metrics: flushed %d rounds\n", rounds);
}

aio::task<int> connect(upstream &server) {
  std::chrono::milliseconds backoff = 50ms;
  for (int attempt = 1;; ++attempt) {
    if (server.try_connect())
      co_return attempt;
    std::printf("connect: attempt %d failed, retrying in %lld ms\n", attempt,
                static_cast<long long>(backoff.count()));
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

aio::task<std::string> fetch(int id) {
  usleep(30000); // the upstream answers in about 30 ms
  co_return "item-" + std::to_string(id);
}

aio::task<int> poll(upstream &server, int requests) {
  int attempts = co_await connect(server);
  for (int i = 0; i < requests; ++i) {
    std::string item = co_await fetch(i);
    std::printf("poll: got %s\n", item.c_str());
    co_await aio::sleep_for(25ms);
  }
  co_return attempts;
}

aio::task<> heartbeat(int beats) {
  for (int i = 1; i <= beats; ++i) {
    std::printf("heartbeat %d\n", i);
    co_await aio::sleep_for(40ms);
  }
}

// Gives in-flight requests a second to settle before shutting down.
aio::task<> drain() {
  std::printf("draining for 1 s\n");
  ::sleep(1);
  co_return;
}

aio::task<int> service(upstream &server, std::thread &metrics) {
  metrics = std::thread([] {
    std::this_thread::sleep_for(10ms);
    flush_metrics(3);
  });
  aio::join_handle<int> poller = aio::spawn(poll(server, 3), "poll");
  aio::join_handle<void> beats = aio::spawn(heartbeat(4), "heartbeat");
  int attempts = co_await poller;
  co_await beats;
  co_await drain();
  co_return attempts;
}

} // namespace

int main() {
  upstream server;
  std::thread metrics;
  int attempts = aio::run(service(server, metrics));
  metrics.join();
  std::printf("service: done, connected after %d attempts\n", attempts);
  return 0;
}
