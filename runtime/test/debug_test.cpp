// Debug mode (aio::run_options, aio::debug_report): slow steps (with the
// task's name, spawn location and where it resumed and suspended), tasks
// never awaited, the report line format, the environment switch and the
// counters.
#include <aio/debug.hpp>
#include <aio/yield.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <source_location>
#include <string>
#include <thread>
#include <vector>

namespace debug_test {
using namespace aio_test;

struct collected {
  std::vector<aio::debug_report> reports;
  std::vector<aio::debug_report> of(aio::debug_report::kind what) const {
    std::vector<aio::debug_report> out;
    for (const aio::debug_report &r : reports)
      if (r.what == what)
        out.push_back(r);
    return out;
  }
};

aio::run_options collecting(collected *into,
                            std::chrono::microseconds slow_step = 30ms) {
  return aio::run_options{
      .debug = true,
      .slow_step = slow_step,
      .on_report = [into](const aio::debug_report &r) {
        into->reports.push_back(r);
      },
      .quiet = true};
}

struct stall_lines {
  unsigned spawn = 0, sleep = 0, yield = 0;
};

aio::task<> stalls(std::chrono::milliseconds blocked, stall_lines *lines) {
  lines->sleep = std::source_location::current().line() + 1;
  co_await aio::sleep_for(1ms);
  std::this_thread::sleep_for(blocked); // holds the loop
  lines->yield = std::source_location::current().line() + 1;
  co_await aio::yield();
}

aio::task<> spawn_staller(std::chrono::milliseconds blocked,
                          stall_lines *lines) {
  lines->spawn = std::source_location::current().line() + 1;
  aio::join_handle<void> h = aio::spawn(stalls(blocked, lines), "staller");
  co_await h;
}

TEST(DebugMode, ReportsASlowStepWithTheTaskNameAndSpawnLocation) {
  collected got;
  stall_lines lines;
  aio::run(spawn_staller(120ms, &lines), collecting(&got));
  const auto slow = got.of(aio::debug_report::kind::slow_step);
  ASSERT_EQ(slow.size(), 1u);
  const aio::debug_report &r = slow[0];
  EXPECT_EQ(r.task, "staller");
  EXPECT_EQ(r.spawned_at.line(), lines.spawn);
  EXPECT_EQ(std::string(r.spawned_at.file_name()),
            std::string(std::source_location::current().file_name()));
  EXPECT_EQ(r.resumed_at.line(), lines.sleep);
  EXPECT_EQ(r.suspended_at.line(), lines.yield);
  // A lower bound, short by at most the watchdog's period (2 ms at most).
  EXPECT_GE(r.duration, 100ms);
  EXPECT_LE(r.duration, 5000ms);
  const std::string where = std::string(r.spawned_at.file_name()) + ":" +
                            std::to_string(lines.spawn);
  EXPECT_EQ(r.line.rfind("aio: slow step: ", 0), 0u) << r.line;
  EXPECT_NE(r.line.find(" ms in task 'staller' (spawned at " + where + ")"),
            std::string::npos)
      << r.line;
}

aio::task<> many_fast_steps() {
  std::vector<aio::join_handle<void>> hs;
  for (int i = 0; i < 200; ++i)
    hs.push_back(aio::spawn([]() -> aio::task<> {
      for (int j = 0; j < 5; ++j)
        co_await aio::yield();
    }()));
  // A few steps that block, but well under the threshold.
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(2ms);
    co_await aio::sleep_for(1ms);
  }
  for (aio::join_handle<void> &h : hs)
    co_await h;
}

TEST(DebugMode, DoesNotReportFastSteps) {
  collected got;
  aio::run(many_fast_steps(), collecting(&got, 50ms));
  EXPECT_TRUE(got.of(aio::debug_report::kind::slow_step).empty());
  EXPECT_TRUE(got.of(aio::debug_report::kind::never_awaited).empty());
}

TEST(DebugMode, ReportsASlowPlainCallback) {
  collected got;
  aio::event_loop loop(collecting(&got));
  loop.call_soon([] { std::this_thread::sleep_for(80ms); });
  while (loop.run_once()) {
  }
  const auto slow = got.of(aio::debug_report::kind::slow_step);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_TRUE(slow[0].task.empty());
  EXPECT_NE(slow[0].line.find(" ms in a callback"), std::string::npos);
  EXPECT_EQ(loop.counters().slow_steps, 1u);
}

aio::task<int> value_task(int v) { co_return v; }

aio::task<> leaves_tasks_behind(unsigned *forgotten_line,
                                unsigned *pending_line) {
  *forgotten_line = std::source_location::current().line() + 1;
  aio::join_handle<int> forgotten = aio::spawn(value_task(1), "forgotten");
  *pending_line = std::source_location::current().line() + 1;
  aio::spawn(nap(1h), "pending");
  aio::join_handle<int> joined = aio::spawn(value_task(2), "joined");
  EXPECT_EQ(co_await joined, 2);
  co_await aio::sleep_for(1ms); // "forgotten" finishes
}

TEST(DebugMode, ReportsTasksNeverAwaitedAtExit) {
  collected got;
  unsigned forgotten_line = 0, pending_line = 0;
  aio::run(leaves_tasks_behind(&forgotten_line, &pending_line),
           collecting(&got));
  auto never = got.of(aio::debug_report::kind::never_awaited);
  ASSERT_EQ(never.size(), 2u);
  std::sort(never.begin(), never.end(),
            [](const auto &a, const auto &b) { return a.task < b.task; });
  EXPECT_EQ(never[0].task, "forgotten");
  EXPECT_EQ(never[0].spawned_at.line(), forgotten_line);
  EXPECT_NE(never[0].line.find(", finished"), std::string::npos)
      << never[0].line;
  EXPECT_EQ(never[1].task, "pending");
  EXPECT_EQ(never[1].spawned_at.line(), pending_line);
  EXPECT_NE(never[1].line.find(", still pending at exit"), std::string::npos)
      << never[1].line;
  EXPECT_EQ(never[0].line.rfind("aio: never awaited: task 'forgotten' "
                                "(spawned at ",
                                0),
            0u)
      << never[0].line;
}

aio::task<> drops_a_coroutine() {
  {
    aio::task<int> unstarted = value_task(3);
  }
  co_return;
}

TEST(DebugMode, ReportsACoroutineDestroyedWithoutBeingAwaited) {
  collected got;
  aio::run(drops_a_coroutine(), collecting(&got));
  const auto never = got.of(aio::debug_report::kind::never_awaited);
  ASSERT_EQ(never.size(), 1u);
  EXPECT_NE(never[0].line.find("a coroutine destroyed unstarted in task 'Task-"),
            std::string::npos)
      << never[0].line;
}

aio::task<> cancels_before_start() {
  aio::join_handle<int> h = aio::spawn(value_task(4));
  h.cancel();
  EXPECT_THROW(co_await h, aio::cancelled_error);
}

TEST(DebugMode, ATaskCancelledBeforeItStartsIsNotANeverAwaitedCoroutine) {
  collected got;
  aio::run(cancels_before_start(), collecting(&got));
  EXPECT_TRUE(got.reports.empty());
}

TEST(DebugMode, IsOffByDefaultAndReportsNothing) {
  aio::event_loop loop;
  EXPECT_FALSE(loop.debug());
  bool reported = false;
  stall_lines lines;
  aio::run(spawn_staller(40ms, &lines),
           {.slow_step = 10ms,
            .on_report = [&](const aio::debug_report &) { reported = true; }});
  EXPECT_FALSE(reported);
}

TEST(DebugMode, TheEnvironmentTurnsItOnAndSetsTheThreshold) {
  ::setenv("AIO_DEBUG", "1", 1);
  ::setenv("AIO_SLOW_STEP_MS", "12.5", 1);
  aio::event_loop on;
  ::setenv("AIO_DEBUG", "0", 1);
  aio::event_loop off;
  ::unsetenv("AIO_DEBUG");
  ::unsetenv("AIO_SLOW_STEP_MS");
  EXPECT_TRUE(on.debug());
  EXPECT_EQ(on.options().slow_step, 12500us);
  EXPECT_FALSE(off.debug());
}

TEST(DebugMode, PrintsOneParsableLinePerReportOnStderr) {
  stall_lines lines;
  testing::internal::CaptureStderr();
  aio::run(spawn_staller(60ms, &lines), {.debug = true, .slow_step = 20ms});
  const std::string err = testing::internal::GetCapturedStderr();
  const std::regex line(
      R"(aio: slow step: [0-9]+\.[0-9]{3} ms in task 'staller' \(spawned at .*debug_test\.cpp:[0-9]+\), resumed at .*:[0-9]+, suspended at .*:[0-9]+\n)");
  EXPECT_TRUE(std::regex_match(err, line)) << err;
}

} // namespace debug_test
