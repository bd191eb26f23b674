//===- RuntimeProfiles.cpp - fix templates per coroutine runtime ----------===//

#include "checks/catalog/RuntimeProfiles.h"

namespace corolint::catalog {

namespace {
// cppcoro, libcoro and folly sleep and offload through a scheduler or a
// pool object the check cannot name (an io_service, a thread_pool, an
// executor), so they carry hints and no templates; the options
// `SleepForTemplate` and `OffloadTemplate` supply them. asio offloads to a
// thread_pool the program owns, likewise.
constexpr RuntimeProfile Profiles[] = {
    {"aio", "co_await aio::sleep_for({0})", "co_await aio::sleep_until({0})",
     "", "co_await aio::to_thread({0})", "",
     "co_await aio::run_in_executor(aio::cpu_executor(), {0})", "",
     "<aio/aio.hpp>"},
    {"asio",
     "co_await asio::steady_timer(co_await asio::this_coro::executor, {0})"
     ".async_wait(asio::use_awaitable)",
     "", "use a steady_timer's async_wait(asio::use_awaitable)", "",
     "offload it to an asio::thread_pool with asio::co_spawn and co_await "
     "the result",
     "", "run it on an asio::thread_pool with asio::co_spawn", "<asio.hpp>"},
    {"cppcoro", "", "", "use 'co_await io_service.schedule_after(...)'", "",
     "offload it: co_await a cppcoro::static_thread_pool's schedule() first",
     "", "run it on a cppcoro::static_thread_pool: co_await its schedule() "
     "first", ""},
    {"libcoro", "", "", "use 'co_await scheduler->yield_for(...)'", "",
     "offload it: co_await a coro::thread_pool's schedule() first", "",
     "run it on a coro::thread_pool: co_await its schedule() first", ""},
    {"folly", "", "", "use 'co_await folly::coro::sleep(...)'", "",
     "offload it to an I/O executor", "", "run it on a CPU executor", ""},
    {"none", "", "", "use the runtime's asynchronous sleep", "",
     "offload it to a worker thread", "", "run it on a worker thread", ""},
};
} // namespace

llvm::ArrayRef<RuntimeProfile> runtimeProfiles() { return Profiles; }

const RuntimeProfile *findRuntimeProfile(llvm::StringRef Name) {
  for (const RuntimeProfile &P : Profiles)
    if (P.Name == Name)
      return &P;
  return nullptr;
}

std::string runtimeProfileNames() {
  std::string Out;
  for (const RuntimeProfile &P : Profiles) {
    if (!Out.empty())
      Out += ", ";
    Out += P.Name.str();
  }
  return Out;
}

std::string expandTemplate(llvm::StringRef Template, llvm::StringRef Argument) {
  std::string Out;
  while (true) {
    size_t Pos = Template.find("{0}");
    Out += Template.substr(0, Pos).str();
    if (Pos == llvm::StringRef::npos)
      return Out;
    Out += Argument.str();
    Template = Template.substr(Pos + 3);
  }
}

std::string templateHint(llvm::StringRef Template) {
  return expandTemplate(Template, "...");
}

} // namespace corolint::catalog
