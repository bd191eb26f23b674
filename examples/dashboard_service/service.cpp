// dashboard_service: renders a user's dashboard from three backend calls
// (profile, orders, recommendations) and a trend score computed over ten
// million samples of the last day's activity. Three dashboards are rendered
// concurrently while a heartbeat reports liveness.
//
// Two mistakes are in render(). The ten-million-iteration loop runs on the
// event loop and holds it (coro-cpu-bound-loop; the fix runs it on
// aio::cpu_executor()). The three backend calls are independent but awaited
// one after another: the dashboard takes the sum of their latencies instead
// of the slowest one (co_await aio::gather(...) would overlap them). That is
// a latency mistake, not a stall: the loop is free while each call is in
// flight, so corolint does not report it, and its fix leaves it as it is.
#include <aio/aio.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// The backends answer in about 60 ms each.
aio::task<std::string> fetch_profile(int user) {
  co_await aio::sleep_for(60ms);
  co_return "user-" + std::to_string(user);
}
aio::task<int> fetch_orders(int user) {
  co_await aio::sleep_for(60ms);
  co_return 3 + user % 5;
}
aio::task<int> fetch_recommendations(int user) {
  co_await aio::sleep_for(60ms);
  co_return 10 + user % 7;
}

// Renders one dashboard.
aio::task<std::string> render(int user) {
  std::string profile = co_await fetch_profile(user);
  int orders = co_await fetch_orders(user);
  int recommendations = co_await fetch_recommendations(user);

  double trend = 0;
  for (int i = 0; i < 10'000'000; ++i) {
    const double t = (i + user) * 1e-7;
    trend += std::sin(6.2831853 * t) * std::exp(-t) + std::cos(t) / 8;
  }
  char line[160];
  std::snprintf(line, sizeof line, "%s: %d orders, %d recommendations, trend %.3f",
                profile.c_str(), orders, recommendations, trend);
  co_return line;
}

int beats = 0;

aio::task<void> heartbeat() {
  for (;; ++beats)
    co_await aio::sleep_for(10ms);
}

aio::task<int> serve() {
  auto pulse = aio::spawn(heartbeat(), "heartbeat");
  const auto start = clock_type::now();
  std::vector<aio::join_handle<std::string>> dashboards;
  for (int user = 1; user <= 3; ++user)
    dashboards.push_back(aio::spawn(render(user), "render"));
  for (auto &d : dashboards)
    std::printf("%s\n", (co_await d).c_str());
  const auto elapsed = clock_type::now() - start;
  pulse.cancel();
  auto stopped = co_await aio::wait(std::vector{pulse}, 500ms);
  std::printf("rendered 3 dashboards in %lld ms, %d heartbeats\n",
              static_cast<long long>(elapsed / 1ms), beats);
  co_return stopped.pending.empty() ? 0 : 1;
}

} // namespace

int main() { return aio::run(serve()); }
