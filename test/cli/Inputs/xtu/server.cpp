#include "io.h"
#include <coroutine>

struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

job serve() {
  std::string cfg = load_config("/etc/app.conf");
  int port = parse_port(cfg);
  (void)port;
  co_return;
}

job serve_layered() {
  std::string cfg = load_layered("/etc/app.conf");
  co_return;
}

job serve_cached() {
  std::string cfg = cached_config();
  co_return;
}

job heartbeat() {
  ping_a(3);
  spin_a(3);
  co_return;
}

job boot() {
  std::string all = load_everything();
  co_return;
}

// A synchronous generator runs on its consumer's thread, not on the loop:
// its call of a blocking helper is not reported.
struct lines {
  struct promise_type {
    int value = 0;
    lines get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int v) {
      value = v;
      return {};
    }
    template <class U> void await_transform(U &&) = delete;
    void return_void() {}
    void unhandled_exception() {}
  };
};

lines config_sizes() {
  std::string cfg = load_config("/etc/app.conf");
  co_yield static_cast<int>(cfg.size());
}
