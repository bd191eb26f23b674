// The whole aio GoogleTest suite as one translation unit: the sanitizer
// builds in test/runtime/aio-gtest-*.test compile this file (one compile
// instead of one per test file). The CMake target aio_tests compiles the
// files separately.
#include "cancellation_test.cpp"
#include "debug_test.cpp"
#include "gather_wait_test.cpp"
#include "io_test.cpp"
#include "loop_test.cpp"
#include "offload_test.cpp"
#include "stress_test.cpp"
#include "task_group_test.cpp"
#include "task_test.cpp"
#include "timeouts_test.cpp"
