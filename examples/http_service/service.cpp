// http_service: a small JSON API. Every GET /status request renders a
// response from a template file on disk and asks an upstream inventory
// service for the item count; the upstream answers "busy" to a request's
// first attempt, and the handler retries after a delay. Requests are
// simulated as concurrent tasks (one per request, as an accept loop spawns
// them), not sockets, so that the example runs anywhere. The mistakes are in
// handle() (see README.md).
#include <aio/aio.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto kRetryDelay = 150ms;
std::string template_path;

struct request {
  int id;
  std::string path;
};

// The upstream: about 10 ms per call, busy on a request's first attempt.
aio::task<bool> call_upstream(int attempt) {
  co_await aio::sleep_for(10ms);
  co_return attempt > 1;
}

// Serves one request.
aio::task<std::string> handle(request req) {
  std::unique_ptr<FILE, int (*)(FILE *)> file(
      std::fopen(template_path.c_str(), "rb"), &std::fclose);
  std::string body;
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, file.get()))
    body.append(buf, n);

  int attempt = 1;
  while (!co_await call_upstream(attempt)) {
    std::this_thread::sleep_for(kRetryDelay);
    ++attempt;
  }
  body.replace(body.find("$ID"), 3, std::to_string(req.id));
  co_return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + body;
}

aio::task<int> serve(int count) {
  const auto start = clock_type::now();
  std::vector<aio::join_handle<std::string>> requests;
  for (int id = 1; id <= count; ++id)
    requests.push_back(aio::spawn(handle({id, "/status"}), "handle"));
  std::size_t ok = 0;
  for (auto &r : requests)
    ok += (co_await r).find("200 OK") != std::string::npos;
  std::printf("served %zu/%d requests in %lld ms\n", ok, count,
              static_cast<long long>((clock_type::now() - start) / 1ms));
  co_return ok == static_cast<std::size_t>(count) ? 0 : 1;
}

} // namespace

int main() {
  // The response template, written where the service finds it.
  template_path =
      (std::filesystem::temp_directory_path() / "http_service_status.json")
          .string();
  if (FILE *f = std::fopen(template_path.c_str(), "wb")) {
    std::fputs("{\"request\": $ID, \"status\": \"ok\"}\n", f);
    std::fclose(f);
  }
  return aio::run(serve(6));
}
