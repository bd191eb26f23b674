//===- CatalogTest.cpp - the blocking-API catalog and runtime profiles ----===//

#include "checks/catalog/BlockingApis.h"
#include "checks/catalog/RuntimeProfiles.h"

#include "llvm/ADT/STLExtras.h"
#include "gtest/gtest.h"

using namespace corolint::catalog;

namespace {

const BlockingApi *findFunction(llvm::StringRef Name) {
  for (const BlockingApi &Api : blockingApis())
    if (Api.Kind == ApiKind::Function && plainName(Api.Name) == Name)
      return &Api;
  return nullptr;
}

TEST(CatalogTest, SleepFamilyIsComplete) {
  for (const char *Name : {"std::this_thread::sleep_for",
                           "std::this_thread::sleep_until", "sleep", "usleep",
                           "nanosleep", "clock_nanosleep"}) {
    const BlockingApi *Api = findFunction(Name);
    ASSERT_NE(Api, nullptr) << Name;
    EXPECT_EQ(Api->Cat, Category::Sleep) << Name;
  }
  EXPECT_EQ(findFunction("std::sleep"), nullptr);
}

TEST(CatalogTest, EntriesAreUnique) {
  auto Apis = blockingApis();
  for (size_t I = 0; I < Apis.size(); ++I)
    for (size_t J = I + 1; J < Apis.size(); ++J)
      EXPECT_FALSE(Apis[I].Kind == Apis[J].Kind && Apis[I].Name == Apis[J].Name &&
                   Apis[I].Class == Apis[J].Class && Apis[I].Cond == Apis[J].Cond &&
                   Apis[I].SubjectArg == Apis[J].SubjectArg)
          << Apis[I].Class.str() << "::" << Apis[I].Name.str();
}

TEST(CatalogTest, EveryCatalogCategoryHasEntries) {
  for (Category Cat : {Category::Sleep, Category::Stdin, Category::File,
                       Category::Network, Category::Http, Category::Database,
                       Category::Process, Category::ThreadWait,
                       Category::SyncWait, Category::Lock, Category::Cpu}) {
    bool Found = llvm::any_of(blockingApis(),
                              [&](const BlockingApi &A) { return A.Cat == Cat; });
    EXPECT_TRUE(Found) << categoryName(Cat).str();
  }
}

TEST(CatalogTest, CategoryNamesRoundTrip) {
  for (unsigned I = 0; I <= static_cast<unsigned>(Category::Cpu); ++I) {
    auto Cat = static_cast<Category>(I);
    EXPECT_EQ(parseCategory(categoryName(Cat)), Cat);
  }
  EXPECT_EQ(parseCategory("disk"), std::nullopt);
  // Only locks are opt-in.
  EXPECT_FALSE(enabledByDefault(Category::Lock));
  EXPECT_TRUE(enabledByDefault(Category::File));
  EXPECT_EQ(categoryName(Category::ThreadWait), "thread-wait");
}

TEST(CatalogTest, MembersAndConstructorsNameTheirClass) {
  for (const BlockingApi &A : blockingApis()) {
    if (A.Kind == ApiKind::Function)
      EXPECT_TRUE(A.Class.empty()) << A.Name.str();
    else
      EXPECT_FALSE(A.Class.empty()) << A.Name.str();
    if (A.Kind == ApiKind::Method)
      EXPECT_FALSE(A.Name.empty());
  }
}

TEST(RuntimeProfilesTest, DefaultIsAio) {
  ASSERT_FALSE(runtimeProfiles().empty());
  EXPECT_EQ(runtimeProfiles().front().Name, "aio");
  const RuntimeProfile *Aio = findRuntimeProfile("aio");
  ASSERT_NE(Aio, nullptr);
  EXPECT_EQ(Aio->Header, "<aio/aio.hpp>");
  EXPECT_EQ(findRuntimeProfile("tokio"), nullptr);
}

TEST(RuntimeProfilesTest, EveryTemplateHasItsArgument) {
  for (const RuntimeProfile &P : runtimeProfiles()) {
    if (!P.SleepFor.empty())
      EXPECT_NE(P.SleepFor.find("{0}"), llvm::StringRef::npos) << P.Name.str();
    if (!P.SleepUntil.empty())
      EXPECT_NE(P.SleepUntil.find("{0}"), llvm::StringRef::npos) << P.Name.str();
    // A profile without a template still tells the user what to do.
    if (P.SleepFor.empty())
      EXPECT_FALSE(P.SleepHint.empty()) << P.Name.str();
    if (!P.Offload.empty())
      EXPECT_NE(P.Offload.find("{0}"), llvm::StringRef::npos) << P.Name.str();
    else
      EXPECT_FALSE(P.OffloadHint.empty()) << P.Name.str();
  }
}

TEST(RuntimeProfilesTest, ExpandTemplate) {
  EXPECT_EQ(expandTemplate("co_await x({0})", "1s"), "co_await x(1s)");
  EXPECT_EQ(expandTemplate("f({0}, {0})", "a"), "f(a, a)");
  EXPECT_EQ(templateHint("co_await x({0})"), "co_await x(...)");
  EXPECT_EQ(runtimeProfileNames(),
            "auto, aio, asio, boost-asio, cppcoro, libcoro, folly, cobalt, "
            "async_simple, seastar, concurrencpp, none");
}

TEST(RuntimeProfilesTest, CoroutineTypesNameTheirRuntime) {
  EXPECT_EQ(runtimeOfCoroutineType("aio::task").Name, "aio");
  EXPECT_EQ(runtimeOfCoroutineType("asio::awaitable").Name, "asio");
  EXPECT_EQ(runtimeOfCoroutineType("boost::asio::awaitable").Name, "boost-asio");
  EXPECT_EQ(runtimeOfCoroutineType("cppcoro::shared_task").Name, "cppcoro");
  EXPECT_EQ(runtimeOfCoroutineType("coro::task").Name, "libcoro");
  EXPECT_EQ(runtimeOfCoroutineType("folly::coro::Task").Name, "folly");
  EXPECT_EQ(runtimeOfCoroutineType("boost::cobalt::promise").Name, "cobalt");
  EXPECT_EQ(runtimeOfCoroutineType("async_simple::coro::Lazy").Name,
            "async_simple");
  EXPECT_EQ(runtimeOfCoroutineType("seastar::future").Name, "seastar");
  EXPECT_EQ(runtimeOfCoroutineType("concurrencpp::result").Name,
            "concurrencpp");
  // A class of the namespace, not one whose name begins like it; asio's
  // other coroutine types are not awaitable's.
  EXPECT_EQ(runtimeOfCoroutineType("aiohttp::task").Name, "none");
  EXPECT_EQ(runtimeOfCoroutineType("asio::experimental::coro").Name, "none");
  EXPECT_EQ(runtimeOfCoroutineType("my::task").Name, "none");
  EXPECT_EQ(runtimeOfCoroutineType("").Name, "none");
}

} // namespace
