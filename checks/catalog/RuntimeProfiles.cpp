//===- RuntimeProfiles.cpp - fix templates per coroutine runtime ----------===//

#include "checks/catalog/RuntimeProfiles.h"

namespace corolint::catalog {

namespace {
// cppcoro, libcoro and folly sleep through a scheduler object the check
// cannot name (an io_service, a scheduler pointer, an executor), so they
// carry a hint and no template; `SleepForTemplate` supplies one.
constexpr RuntimeProfile Profiles[] = {
    {"aio", "co_await aio::sleep_for({0})", "co_await aio::sleep_until({0})",
     "", "<aio/aio.hpp>"},
    {"asio",
     "co_await asio::steady_timer(co_await asio::this_coro::executor, {0})"
     ".async_wait(asio::use_awaitable)",
     "", "co_await a steady_timer's async_wait(asio::use_awaitable)",
     "<asio.hpp>"},
    {"cppcoro", "", "", "co_await io_service.schedule_after(...)", ""},
    {"libcoro", "", "", "co_await scheduler->yield_for(...)", ""},
    {"folly", "", "", "co_await folly::coro::sleep(...)", ""},
    {"none", "", "", "the runtime's asynchronous sleep", ""},
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
