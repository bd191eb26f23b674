#include <chrono>
#include <coroutine>
#include <thread>

struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

job handle() {
  std::this_thread::sleep_for(std::chrono::seconds(1));
  co_return;
}
