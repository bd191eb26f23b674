// network (sockets, DNS, asio's synchronous operations) and http.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -DASIO_HAS_CO_AWAIT -I %S/Inputs/mirror
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -DASIO_HAS_CO_AWAIT -I %S/Inputs/mirror

#include <aio/aio.hpp>
#include <asio.hpp>
#include <cpr/cpr.h>
#include <curl/curl.h>
#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>

aio::task<int> resolve(const char *host) {
  addrinfo *result = nullptr;
  int rc = getaddrinfo(host, "80", nullptr, &result);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call to 'getaddrinfo' (network I/O) in coroutine 'resolve' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  int rc = co_await aio::to_thread([&] { return getaddrinfo(host, "80", nullptr, &result); });{{$}}
  if (rc == 0)
    freeaddrinfo(result);
  co_return rc;
}

aio::task<long> exchange(int fd, const char *msg, std::size_t len) {
  long sent = send(fd, msg, len, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: blocking call to 'send' (network I/O) {{.*}}
  // CHECK-FIXES: {{^}}  long sent = send(fd, msg, len, 0);{{$}}
  char buf[128];
  long got = recv(fd, buf, sizeof buf, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: blocking call to 'recv' (network I/O) {{.*}}
  co_return sent + got;
}

aio::task<std::size_t> asio_sync(asio::ip::tcp::socket &socket,
                                 asio::ip::tcp::resolver &resolver) {
  auto endpoints = resolver.resolve("example.com", "80");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: blocking call to 'asio::ip::basic_resolver::resolve' (network I/O) {{.*}}
  // CHECK-FIXES: {{^}}  auto endpoints = co_await aio::to_thread([&] { return resolver.resolve("example.com", "80"); });{{$}}
  asio::connect(socket, endpoints);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'asio::connect' (network I/O) {{.*}}
  std::string request = "GET / HTTP/1.0\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'asio::write' (network I/O) {{.*}}
  char reply[512];
  std::size_t n = socket.read_some(asio::buffer(reply));
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: blocking call to 'asio::basic_stream_socket::read_some' (network I/O) {{.*}}
  // CHECK-FIXES: {{^}}  std::size_t n = co_await aio::to_thread([&] { return socket.read_some(asio::buffer(reply)); });{{$}}
  co_return n;
}

// asio's asynchronous operations are awaited: not reported.
asio::awaitable<std::size_t> asio_async(asio::ip::tcp::socket &socket) {
  char reply[512];
  std::size_t n = co_await socket.async_read_some(asio::buffer(reply),
                                                  asio::use_awaitable);
  co_await asio::async_write(socket, asio::buffer(reply, n), asio::use_awaitable);
  co_return n;
}

aio::task<long> http(CURL *curl, httplib::Client &client) {
  CURLcode rc = curl_easy_perform(curl);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: blocking call to 'curl_easy_perform' (HTTP request) {{.*}}
  // CHECK-FIXES: {{^}}  CURLcode rc = co_await aio::to_thread([&] { return curl_easy_perform(curl); });{{$}}
  auto res = client.Get("/health");
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: blocking call to 'httplib::Client::Get' (HTTP request) {{.*}}
  // CHECK-FIXES: {{^}}  auto res = co_await aio::to_thread([&] { return client.Get("/health"); });{{$}}
  cpr::Response r = cpr::Get(cpr::Url{"http://example.com"});
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: blocking call to 'cpr::Get' (HTTP request) {{.*}}
  // CHECK-FIXES: {{^}}  cpr::Response r = co_await aio::to_thread([&] { return cpr::Get(cpr::Url{"http://example.com"}); });{{$}}
  co_return static_cast<long>(rc) + (res ? res->status : 0) + r.status_code;
}
