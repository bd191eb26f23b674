// A stand-in for doctest's assertion macros, in the shape they expand to:
// the checked expression runs in a try whose handlers belong to the
// framework. Included through -isystem: a system header.
#ifndef FAKE_DOCTEST_H
#define FAKE_DOCTEST_H

namespace doctest_fake {
void pass();
void fail(const char *what);
} // namespace doctest_fake

#define CHECK(...)                                                             \
  do {                                                                         \
    try {                                                                      \
      if (!(__VA_ARGS__))                                                      \
        doctest_fake::fail(#__VA_ARGS__);                                      \
    } catch (...) {                                                            \
      doctest_fake::fail("unexpected exception");                              \
    }                                                                          \
  } while (false)

#define CHECK_THROWS_AS(expr, ...)                                             \
  do {                                                                         \
    try {                                                                      \
      expr;                                                                    \
      doctest_fake::fail("did not throw");                                     \
    } catch (const __VA_ARGS__ &) {                                            \
      doctest_fake::pass();                                                    \
    } catch (...) {                                                            \
      doctest_fake::fail("threw something else");                              \
    }                                                                          \
  } while (false)

// REQUIRE_NOTHROW goes through a second macro, as doctest's do.
#define DOCTEST_REQUIRE_NOTHROW_IMPL(...)                                      \
  do {                                                                         \
    try {                                                                      \
      __VA_ARGS__;                                                             \
    } catch (...) {                                                            \
      doctest_fake::fail("threw");                                             \
    }                                                                          \
  } while (false)
#define REQUIRE_NOTHROW(...) DOCTEST_REQUIRE_NOTHROW_IMPL(__VA_ARGS__)

#endif // FAKE_DOCTEST_H
