// The whole aio GoogleTest suite as one translation unit: the sanitizer
// builds in test/runtime/aio-gtest-*.test compile this file (one compile
// instead of one per test file). The CMake target aio_tests compiles the
// files separately.
#include "as_completed_test.cpp"
#include "current_task_test.cpp"
#include "debug_test.cpp"
#include "errors_test.cpp"
#include "event_loop_test.cpp"
#include "file_test.cpp"
#include "gather_test.cpp"
#include "net/tcp_listener_test.cpp"
#include "net/tcp_stream_test.cpp"
#include "offload_test.cpp"
#include "run_test.cpp"
#include "sleep_test.cpp"
#include "spawn_test.cpp"
#include "task_group_test.cpp"
#include "task_handle_test.cpp"
#include "task_test.cpp"
#include "thread_pool_test.cpp"
#include "timeout_test.cpp"
#include "wait_test.cpp"
#include "yield_test.cpp"
