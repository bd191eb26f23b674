// login_service: a login handler that checks passwords against salted
// PBKDF2-HMAC-SHA256 hashes (OpenSSL), serving a burst of login requests
// while a heartbeat task reports liveness every 10 ms. The mistake is in
// verify() below (see README.md). Build with -lcrypto.
#include <aio/aio.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr int kIterations = 310'000; // about 60 ms per hash here
using digest = std::array<unsigned char, 32>;

struct account {
  std::string salt;
  digest hash;
};
using user_db = std::map<std::string, account>;

// Enrols a password at start-up, before the event loop runs.
digest derive(const std::string &password, const std::string &salt) {
  digest out{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char *>(salt.data()),
                    static_cast<int>(salt.size()), kIterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return out;
}

// Checks one login request (runs as a task on the event loop). Unknown users are hashed too, so that a reply
// takes as long whether or not the name exists.
aio::task<bool> verify(const user_db &users, std::string name,
                       std::string password) {
  auto it = users.find(name);
  const std::string salt =
      it != users.end() ? it->second.salt : std::string("unknown-user");
  digest candidate{};
  int ok = PKCS5_PBKDF2_HMAC(
      password.data(), static_cast<int>(password.size()),
      reinterpret_cast<const unsigned char *>(salt.data()),
      static_cast<int>(salt.size()), kIterations, EVP_sha256(),
      static_cast<int>(candidate.size()), candidate.data());
  co_return ok == 1 && it != users.end() &&
      CRYPTO_memcmp(candidate.data(), it->second.hash.data(),
                    candidate.size()) == 0;
}

int beats = 0;
clock_type::time_point last_beat;
clock_type::duration longest_gap{};

// Reports liveness every 10 ms until cancelled, noting the longest gap.
aio::task<void> heartbeat() {
  last_beat = clock_type::now();
  while (true) {
    co_await aio::sleep_for(10ms);
    const auto now = clock_type::now();
    longest_gap = std::max(longest_gap, now - last_beat);
    last_beat = now;
    ++beats;
  }
}

aio::task<int> serve(const user_db &users) {
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"alice", "correct horse"}, {"bob", "hunter2"},
      {"carol", "s3cret!"},       {"mallory", "guess"},
      {"bob", "hunter3"},         {"alice", "battery staple"}};
  auto pulse = aio::spawn(heartbeat(), "heartbeat");
  co_await aio::sleep_for(30ms); // the heartbeat is up

  const int beats_before = beats;
  longest_gap = {};
  const auto start = clock_type::now();
  std::vector<aio::join_handle<bool>> logins;
  for (const auto &[name, password] : requests)
    logins.push_back(aio::spawn(verify(users, name, password), "verify"));
  std::vector<bool> granted;
  for (auto &login : logins)
    granted.push_back(co_await login);
  const auto end = clock_type::now();
  const int during = beats - beats_before;
  const auto gap = std::max(longest_gap, end - last_beat);

  pulse.cancel();
  co_await aio::wait(std::vector{pulse});
  for (std::size_t i = 0; i < requests.size(); ++i)
    std::printf("login %s: %s\n", requests[i].first.c_str(),
                granted[i] ? "granted" : "denied");
  // The heartbeat should tick every 10 ms; a 50 ms silence means the
  // hashing kept the event loop to itself.
  const bool starved = gap > 50ms;
  std::printf("verdict: %s: %d beats during %zu logins (%lld ms), longest "
              "gap %lld ms\n",
              starved ? "heartbeat starved" : "heartbeat kept running", during,
              requests.size(), static_cast<long long>((end - start) / 1ms),
              static_cast<long long>(gap / 1ms));
  co_return starved ? 1 : 0;
}

} // namespace

int main() {
  user_db users;
  users["alice"] = {"salt-alice", derive("correct horse", "salt-alice")};
  users["bob"] = {"salt-bob", derive("hunter2", "salt-bob")};
  users["carol"] = {"salt-carol", derive("s3cret!", "salt-carol")};
  return aio::run(serve(users));
}
