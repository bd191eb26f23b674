// sqlite_service: a reporting service on a SQLite database in a temporary
// directory. It creates and seeds the database, then answers two report
// requests concurrently while a heartbeat task reports liveness every 10 ms.
// The mistakes are in create_db() and query() (see README.md); -lsqlite3.
#include <aio/aio.hpp>

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// 400,000 orders from 1,000 customers in four regions, no secondary index.
constexpr const char *kSeed = R"sql(
  CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL,
                      region TEXT NOT NULL, amount INTEGER NOT NULL);
  WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq
                            WHERE i < 400000)
  INSERT INTO orders(customer, region, amount)
    SELECT i * 7 % 1000, CASE i % 4 WHEN 0 THEN 'north' WHEN 1 THEN 'south'
           WHEN 2 THEN 'east' ELSE 'west' END, i * 7919 % 997 + 1 FROM seq;
)sql";

// Creates and seeds the database.
aio::task<bool> create_db(std::string path) {
  sqlite3 *db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
            sqlite3_exec(db, kSeed, nullptr, nullptr, nullptr) == SQLITE_OK;
  if (!ok)
    std::fprintf(stderr, "create_db: %s\n", sqlite3_errmsg(db));
  sqlite3_close(db);
  co_return ok;
}

// Runs one report on a read-only connection of its own (one per request).
aio::task<std::string> query(std::string path, std::string sql) {
  std::string rows;
  sqlite3 *db = nullptr;
  sqlite3_stmt *stmt = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK &&
      sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(stmt); ++c)
        rows += std::string(c ? " " : "  ") +
                reinterpret_cast<const char *>(sqlite3_column_text(stmt, c));
      rows += "\n";
    }
  } else
    rows = "  error: " + std::string(sqlite3_errmsg(db)) + "\n";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  co_return rows;
}

int beats = 0;
clock_type::time_point last_beat = clock_type::now();
clock_type::duration longest_gap{};

// Reports liveness every 10 ms until cancelled, noting the longest gap.
aio::task<void> heartbeat() {
  for (;; ++beats) {
    co_await aio::sleep_for(10ms);
    longest_gap = std::max(longest_gap, clock_type::now() - last_beat);
    last_beat = clock_type::now();
  }
}

aio::task<int> service(std::string path) {
  auto pulse = aio::spawn(heartbeat(), "heartbeat");
  co_await aio::sleep_for(30ms); // the heartbeat is up
  const int beats_before = beats;
  const auto start = clock_type::now();
  longest_gap = {};
  if (!co_await create_db(path))
    co_return 2;
  auto regions_task = aio::spawn(
      query(path, "SELECT region, count(*), sum(amount) FROM orders "
                  "GROUP BY region ORDER BY region"),
      "query");
  auto top_task = aio::spawn(
      query(path, "SELECT customer, sum(amount) AS total FROM orders "
                  "GROUP BY customer ORDER BY total DESC, customer LIMIT 3"),
      "query");
  std::string regions = co_await regions_task;
  std::string top = co_await top_task;
  const auto end = clock_type::now();
  const auto gap = std::max(longest_gap, end - last_beat);
  pulse.cancel();
  co_await aio::wait(std::vector{pulse});
  std::printf("revenue by region:\n%stop customers:\n%s", regions.c_str(),
              top.c_str());
  // The heartbeat should tick every 10 ms; a 50 ms silence means the
  // database calls kept the event loop to themselves.
  const bool starved = gap > 50ms;
  std::printf("verdict: %s: %d beats in %lld ms of database work, longest "
              "gap %lld ms\n",
              starved ? "heartbeat starved" : "heartbeat kept running",
              beats - beats_before, static_cast<long long>((end - start) / 1ms),
              static_cast<long long>(gap / 1ms));
  co_return starved ? 1 : 0;
}

} // namespace

int main() {
  std::string dir = std::filesystem::temp_directory_path() / "sqlite.XXXXXX";
  if (!mkdtemp(dir.data())) {
    std::perror("mkdtemp");
    return 2;
  }
  const int rc = aio::run(service(dir + "/orders.db"));
  std::filesystem::remove_all(dir);
  return rc;
}
