// deadlock_service: a portfolio service that values two accounts
// concurrently with quotes from a (simulated) market-data feed and writes
// an audit record for each valuation. The mistakes are in portfolio_value()
// and handle_request() (see README.md): they run asynchronous work with
// aio::run from inside a task, i.e. on the thread whose loop is already
// running.
#include <aio/aio.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct holding {
  std::string symbol;
  int quantity;
};

std::string cents_text(long long cents) {
  return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
         std::to_string(cents % 100);
}

// The market-data feed answers after 20 ms; prices are in cents.
aio::task<long long> fetch_quote(std::string symbol) {
  co_await aio::sleep_for(20ms);
  long long hash = 0;
  for (char c : symbol)
    hash = hash * 31 + c;
  co_return 1000 + hash % 49000;
}

std::vector<std::string> audit_log;

// The audit store acknowledges a record after 5 ms.
aio::task<void> record_audit(std::string entry) {
  co_await aio::sleep_for(5ms);
  audit_log.push_back(std::move(entry));
}

aio::task<long long> portfolio_value(std::vector<holding> holdings) {
  long long total = 0;
  for (const holding &h : holdings) {
    long long price = aio::run(fetch_quote(h.symbol));
    total += price * h.quantity;
  }
  co_return total;
}

// A valuation that fails is answered (and audited) as failed.
aio::task<std::string> handle_request(std::string account,
                                      std::vector<holding> holdings) {
  const std::size_t positions = holdings.size();
  std::string result;
  try {
    long long total = co_await portfolio_value(std::move(holdings));
    result = std::to_string(positions) + " positions, " + cents_text(total);
  } catch (const std::runtime_error &e) {
    std::printf("%s: valuation failed: %s\n", account.c_str(), e.what());
    result = "valuation failed";
  }
  aio::run(record_audit(account + " valued at " + result));
  co_return account + ": " + result;
}

aio::task<int> serve() {
  auto [first, second] = co_await aio::gather(
      handle_request("acct-1001", {{"ACME", 120}, {"GLOBX", 40}, {"INITR", 7}}),
      handle_request("acct-2002", {{"ACME", 15}, {"UMBRL", 300}}));
  std::printf("%s\n%s\n", first.c_str(), second.c_str());
  co_return 0;
}

} // namespace

int main() {
  try {
    const int rc = aio::run(serve());
    for (const std::string &entry : audit_log)
      std::printf("audit: %s\n", entry.c_str());
    std::printf("valuations: %zu accounts done\n", audit_log.size());
    return rc;
  } catch (const std::runtime_error &e) {
    // aio refuses to start a loop on a thread whose loop is running; other
    // runtimes simply block there for ever.
    std::printf("deadlock: nested aio::run refused (%s)\n", e.what());
    return 1;
  }
}
