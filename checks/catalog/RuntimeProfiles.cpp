//===- RuntimeProfiles.cpp - fix templates per coroutine runtime ----------===//

#include "checks/catalog/RuntimeProfiles.h"

#include "llvm/ADT/SmallVector.h"

#include <deque>
#include <vector>

namespace corolint::catalog {

namespace {

// asio and Boost.Asio have the same API in two namespaces; the templates
// are written once, for `asio::`, and the Boost ones derived from them.
constexpr llvm::StringLiteral AsioSleepFor =
    "co_await asio::steady_timer(co_await asio::this_coro::executor, {0})"
    ".async_wait(asio::use_awaitable)";
// A thread of the system context runs the callable: co_spawn starts the
// coroutine with a dispatch, which runs inline on a system executor, so the
// coroutine posts itself first. Its result completes the co_spawn on the
// awaiting coroutine's executor, and exceptions propagate through it.
constexpr llvm::StringLiteral AsioOffload =
    "co_await asio::co_spawn(asio::system_executor(), []<class F>(F f) -> "
    "asio::awaitable<std::invoke_result_t<F &>> { co_await "
    "asio::post(asio::use_awaitable); co_return std::invoke(f); }({0}), "
    "asio::use_awaitable)";

/// Every profile, built once. cppcoro, libcoro, folly, concurrencpp and
/// async_simple sleep and offload through a scheduler, a pool or an
/// executor object the check cannot name, and seastar and Boost.Cobalt
/// have no call that fits: they carry hints, and the options
/// `SleepForTemplate` and `OffloadTemplate` supply the code.
struct ProfileTable {
  std::vector<RuntimeProfile> Profiles;
  /// The storage of the derived texts.
  std::deque<std::string> Texts;

  llvm::StringRef keep(std::string Text) {
    Texts.push_back(std::move(Text));
    return Texts.back();
  }

  /// \p Text with every `asio::` in namespace `boost::asio::`.
  llvm::StringRef inBoost(llvm::StringRef Text) {
    std::string Out;
    for (size_t Pos; (Pos = Text.find("asio::")) != llvm::StringRef::npos;) {
      Out += Text.substr(0, Pos).str() + "boost::asio::";
      Text = Text.substr(Pos + 6);
    }
    return keep(Out + Text.str());
  }

  ProfileTable() {
    RuntimeProfile Aio;
    Aio.Name = "aio";
    Aio.SleepFor = "co_await aio::sleep_for({0})";
    Aio.SleepUntil = "co_await aio::sleep_until({0})";
    Aio.Offload = "co_await aio::to_thread({0})";
    Aio.CpuOffload = "co_await aio::run_in_executor(aio::cpu_executor(), {0})";
    Aio.Header = "<aio/aio.hpp>";
    Aio.CoroutineTypes = "aio::";
    Aio.RethrowHandler = "catch (const aio::cancelled_error &) { throw; }";
    Aio.CancellingCondition = "aio::current_task_cancelling()";
    Aio.AwaitsReferences = true;
    Profiles.push_back(Aio);

    RuntimeProfile Asio;
    Asio.Name = "asio";
    Asio.SleepFor = AsioSleepFor;
    Asio.SleepHint = "use a steady_timer's async_wait(asio::use_awaitable)";
    Asio.Offload = AsioOffload;
    Asio.OffloadHint = "offload it to a thread with 'co_await "
                       "asio::co_spawn(asio::system_executor(), ..., "
                       "asio::use_awaitable)'";
    Asio.CpuOffload = AsioOffload;
    Asio.CpuOffloadHint = "run it on a thread with 'co_await "
                          "asio::co_spawn(asio::system_executor(), ..., "
                          "asio::use_awaitable)'";
    Asio.Header = "<asio.hpp>";
    Asio.CoroutineTypes = "asio::awaitable";
    Asio.ErrorCodeCancellation = true;
    Asio.DefaultConstructsResult = true;
    Profiles.push_back(Asio);

    RuntimeProfile Boost = Asio;
    Boost.Name = "boost-asio";
    Boost.SleepFor = inBoost(Asio.SleepFor);
    Boost.SleepHint = inBoost(Asio.SleepHint);
    Boost.Offload = Boost.CpuOffload = inBoost(Asio.Offload);
    Boost.OffloadHint = inBoost(Asio.OffloadHint);
    Boost.CpuOffloadHint = inBoost(Asio.CpuOffloadHint);
    Boost.Header = "<boost/asio.hpp>";
    Boost.CoroutineTypes = "boost::asio::awaitable";
    Profiles.push_back(Boost);

    auto HintsOnly = [&](llvm::StringRef Name, llvm::StringRef Types,
                         llvm::StringRef Sleep, llvm::StringRef Offload,
                         llvm::StringRef Cpu, llvm::StringRef Rethrow = "") {
      RuntimeProfile P;
      P.Name = Name;
      P.CoroutineTypes = Types;
      P.SleepHint = Sleep;
      P.OffloadHint = Offload;
      P.CpuOffloadHint = Cpu;
      P.RethrowHandler = Rethrow;
      Profiles.push_back(P);
    };
    HintsOnly("cppcoro", "cppcoro::",
              "use 'co_await io_service.schedule_after(...)'",
              "offload it: co_await a cppcoro::static_thread_pool's "
              "schedule() first",
              "run it on a cppcoro::static_thread_pool: co_await its "
              "schedule() first",
              "catch (const cppcoro::operation_cancelled &) { throw; }");
    HintsOnly("libcoro", "coro::", "use 'co_await scheduler->yield_for(...)'",
              "offload it: co_await a coro::thread_pool's schedule() first",
              "run it on a coro::thread_pool: co_await its schedule() first");
    HintsOnly("folly", "folly::coro::", "use 'co_await folly::coro::sleep(...)'",
              "offload it to an I/O executor: co_await a Task of it with "
              "'.scheduleOn(executor)'",
              "run it on a CPU executor: co_await a Task of it with "
              "'.scheduleOn(executor)'",
              "catch (const folly::OperationCancelled &) { throw; }");
    HintsOnly("cobalt", "boost::cobalt::",
              "use a boost::asio::steady_timer's "
              "async_wait(boost::cobalt::use_op)",
              "offload it to a boost::asio::thread_pool and co_await the "
              "result with boost::cobalt::use_op",
              "run it on a boost::asio::thread_pool and co_await the result "
              "with boost::cobalt::use_op");
    Profiles.back().ErrorCodeCancellation = true;
    HintsOnly("async_simple", "async_simple::coro::",
              "use 'co_await async_simple::coro::sleep(...)'",
              "offload it: co_await a Lazy of it scheduled with "
              "'.via(executor)' on another executor",
              "run it on another executor: co_await a Lazy of it scheduled "
              "with '.via(executor)'");
    HintsOnly("seastar", "seastar::", "use 'co_await seastar::sleep(...)'",
              "use seastar's asynchronous file and network APIs, or run it "
              "on an alien thread",
              "split it with 'co_await seastar::coroutine::maybe_yield()'",
              "catch (const seastar::abort_requested_exception &) { throw; }");
    HintsOnly("concurrencpp", "concurrencpp::",
              "use 'co_await timer_queue->make_delay_object(...)'",
              "offload it: co_await concurrencpp::resume_on(a "
              "thread_pool_executor) first",
              "run it on a thread_pool_executor: co_await "
              "concurrencpp::resume_on(executor) first");
    HintsOnly("none", "", "use the runtime's asynchronous sleep",
              "offload it to a worker thread", "run it on a worker thread");
  }
};

const ProfileTable &table() {
  static const ProfileTable Table;
  return Table;
}

} // namespace

llvm::ArrayRef<RuntimeProfile> runtimeProfiles() { return table().Profiles; }

const RuntimeProfile *findRuntimeProfile(llvm::StringRef Name) {
  for (const RuntimeProfile &P : runtimeProfiles())
    if (P.Name == Name)
      return &P;
  return nullptr;
}

const RuntimeProfile &runtimeOfCoroutineType(llvm::StringRef QualifiedName) {
  for (const RuntimeProfile &P : runtimeProfiles()) {
    llvm::SmallVector<llvm::StringRef, 4> Types;
    P.CoroutineTypes.split(Types, ';', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Type : Types)
      if (Type.ends_with("::") ? QualifiedName.starts_with(Type)
                               : QualifiedName == Type)
        return P;
  }
  return *findRuntimeProfile("none");
}

std::string runtimeProfileNames() {
  std::string Out = AutoRuntime.str();
  for (const RuntimeProfile &P : runtimeProfiles())
    Out += ", " + P.Name.str();
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
