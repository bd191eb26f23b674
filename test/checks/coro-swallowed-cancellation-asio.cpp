// asio's cancellation is operation_aborted inside a system_error. The fix
// compiles for every handler type: a handler of system_error (asio's is
// std's) tests its code; a handler of a base class, of `...` or without a
// name rethrows the exception into a test of the right type, since a
// handler inserted before it could not pass the other errors on. The fixed
// file compiles against the real standalone asio headers.
// RUN: %check_corolint --mode=plugin %s coro-swallowed-cancellation %t -- -DASIO_HAS_CO_AWAIT
// RUN: %check_corolint --mode=cli %s coro-swallowed-cancellation %t -- -DASIO_HAS_CO_AWAIT

#include <asio.hpp>
#include <cstdio>

void log_error(const char *);

asio::awaitable<void> pump(asio::ip::tcp::socket &socket) {
  char data[64];
  for (;;) {
    try {
      co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
    } catch (const std::exception &e) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'pump' catches the cancellation 'std::system_error' raised at a suspension point and does not rethrow it{{.*}}
      // CHECK-FIXES: {{^}}    } catch (const std::exception &e) { try { throw; } catch (const std::system_error &caught) { if (caught.code() == asio::error::operation_aborted) throw; } catch (...) {}{{$}}
      log_error(e.what());
    }
  }
}

asio::awaitable<void> drain(asio::ip::tcp::socket &socket) {
  char data[64];
  for (;;) {
    try {
      co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
    } catch (...) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'drain' catches the cancellation 'std::system_error' {{.*}}
      // CHECK-FIXES: {{^}}    } catch (...) { try { throw; } catch (const std::system_error &caught) { if (caught.code() == asio::error::operation_aborted) throw; } catch (...) {}{{$}}
      log_error("read failed");
    }
  }
}

asio::awaitable<void> retry(asio::ip::tcp::socket &socket) {
  char data[64];
  for (;;) {
    try {
      co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
    } catch (const asio::system_error &) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'retry' catches the cancellation 'std::system_error' {{.*}}
      // CHECK-FIXES: {{^}}    } catch (const asio::system_error &) { try { throw; } catch (const std::system_error &caught) { if (caught.code() == asio::error::operation_aborted) throw; } catch (...) {}{{$}}
      log_error("read failed");
    }
  }
}

asio::awaitable<void> count(asio::ip::tcp::socket &socket, int &errors) {
  char data[64];
  for (;;) {
    try {
      co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
    } catch (const asio::system_error &e) {
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: handler in coroutine 'count' catches the cancellation 'std::system_error' {{.*}}
      // CHECK-FIXES: {{^}}    } catch (const asio::system_error &e) { if (e.code() == asio::error::operation_aborted) throw;{{$}}
      ++errors;
    }
  }
}

// A handler that tests the code is the handler's business.
asio::awaitable<void> careful(asio::ip::tcp::socket &socket) {
  char data[64];
  for (;;) {
    try {
      co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
    } catch (const std::system_error &e) {
      if (e.code() == asio::error::operation_aborted)
        throw;
      log_error(e.what());
    }
  }
}
