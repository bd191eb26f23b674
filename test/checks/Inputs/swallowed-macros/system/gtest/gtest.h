// A stand-in for GoogleTest's EXPECT_THROW / EXPECT_NO_THROW, in the shape
// of their expansion: a try whose last handler leaves with a goto to the
// failure report. Included through -isystem: a system header.
#ifndef FAKE_GTEST_H
#define FAKE_GTEST_H

namespace gtest_fake {
void fail(const char *what);
} // namespace gtest_fake

#define GTEST_FAKE_CONCAT_(a, b) a##b
#define GTEST_FAKE_CONCAT(a, b) GTEST_FAKE_CONCAT_(a, b)

#define EXPECT_THROW(statement, expected_exception)                            \
  if (bool gtest_caught = false; true) {                                       \
    try {                                                                      \
      statement;                                                               \
    } catch (expected_exception const &) {                                     \
      gtest_caught = true;                                                     \
    } catch (...) {                                                            \
      goto GTEST_FAKE_CONCAT(gtest_label_throw_, __LINE__);                    \
    }                                                                          \
    if (!gtest_caught)                                                         \
      goto GTEST_FAKE_CONCAT(gtest_label_throw_, __LINE__);                    \
  } else                                                                       \
    GTEST_FAKE_CONCAT(gtest_label_throw_, __LINE__) : gtest_fake::fail(#statement)

#define EXPECT_NO_THROW(statement)                                             \
  if (true) {                                                                  \
    try {                                                                      \
      statement;                                                               \
    } catch (...) {                                                            \
      goto GTEST_FAKE_CONCAT(gtest_label_nothrow_, __LINE__);                  \
    }                                                                          \
  } else                                                                       \
    GTEST_FAKE_CONCAT(gtest_label_nothrow_, __LINE__) : gtest_fake::fail(#statement)

#endif // FAKE_GTEST_H
