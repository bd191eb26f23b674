// The shape of cpr's synchronous API (cpr is not packaged by Debian).
#pragma once
#include <string>
namespace cpr {
struct Url {
  std::string value;
  Url(const char *v) : value(v) {}
};
struct Response {
  long status_code = 0;
  std::string text;
};
template <class... Ts> Response Get(Ts &&...) { return {}; }
template <class... Ts> Response Post(Ts &&...) { return {}; }
class Session {
public:
  void SetUrl(const Url &) {}
  Response Get() { return {}; }
  Response Post() { return {}; }
};
} // namespace cpr
