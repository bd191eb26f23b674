// database: libpq, SQLite, MySQL, libpqxx.
// One finding per call (GroupRegions: false): each call's own finding and fix.
// RUN: %check_corolint --mode=plugin %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -I /usr/include/postgresql
// RUN: %check_corolint --mode=cli %s coro-blocking-call %t --config="{CheckOptions: {coro-blocking-call.GroupRegions: false}}" -- -I /usr/include/postgresql

#include <aio/aio.hpp>
#include <libpq-fe.h>
#include <mysql/mysql.h>
#include <pqxx/pqxx>
#include <sqlite3.h>

aio::task<int> count_users(PGconn *conn) {
  PGresult *res = PQexec(conn, "SELECT count(*) FROM users");
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: blocking call to 'PQexec' (database query) in coroutine 'count_users' stalls the event loop; offload it with 'co_await aio::to_thread(...)' [coro-blocking-call]
  // CHECK-FIXES: {{^}}  PGresult *res = co_await aio::to_thread([&] { return PQexec(conn, "SELECT count(*) FROM users"); });{{$}}
  int n = PQntuples(res);
  PQclear(res);
  co_return n;
}

aio::task<int> sqlite_insert(const char *path) {
  sqlite3 *db = nullptr;
  if (sqlite3_open(path, &db) != SQLITE_OK)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: blocking call to 'sqlite3_open' (database query) {{.*}}
    // CHECK-FIXES: {{^}}  if (co_await aio::to_thread([&] { return sqlite3_open(path, &db); }) != SQLITE_OK){{$}}
    co_return -1;
  int rc = sqlite3_exec(db, "INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call to 'sqlite3_exec' (database query) {{.*}}
  sqlite3_close(db);
  co_return rc;
}

aio::task<int> mysql_ping_twice(MYSQL *conn) {
  int rc = mysql_query(conn, "SELECT 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call to 'mysql_query' (database query) {{.*}}
  co_return rc;
}

aio::task<int> pqxx_query(const std::string &dsn) {
  pqxx::connection conn(dsn);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: blocking call to 'pqxx::{{basic_connection_base|connection}}' (database query) {{.*}}
  pqxx::work tx(conn);
  pqxx::result r = tx.exec("SELECT 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: blocking call to 'pqxx::transaction_base::exec' (database query) {{.*}}
  // CHECK-FIXES: {{^}}  pqxx::result r = co_await aio::to_thread([&] { return tx.exec("SELECT 1"); });{{$}}
  tx.commit();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'pqxx::transaction_base::commit' (database query) {{.*}}
  co_return static_cast<int>(r.size());
}
