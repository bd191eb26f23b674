// A minimal coroutine type: enough for the checks to see coroutines.
#pragma once
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
