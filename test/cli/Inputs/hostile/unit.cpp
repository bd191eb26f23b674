#include <coroutine>
#include <unistd.h>
struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
job handle() { sleep(1); co_return; }
// run 0
// run 1
// run 2
// run 3
// run 4
// run 5
// run 6
// run 7
// run 8
// run 9
// run 10
// run 11
// run 12
// run 13
// run 14
// run 15
// run 16
// run 17
// run 18
// run 19
// run 20
// run 21
// run 22
// run 23
// run 24
// run 25
// run 26
// run 27
// run 28
// run 29
// run 30
// run 31
// run 32
// run 33
// run 34
// run 35
// run 36
// run 37
// run 38
// run 39
// run 40
// run 41
// run 42
// run 43
// run 44
// run 45
// run 46
// run 47
// run 48
// run 49
