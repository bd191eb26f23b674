//===- CatalogTest.cpp - the blocking-API catalog and runtime profiles ----===//

#include "checks/catalog/BlockingApis.h"
#include "checks/catalog/RuntimeProfiles.h"

#include "gtest/gtest.h"

using namespace corolint::catalog;

namespace {

TEST(CatalogTest, SleepFamilyIsComplete) {
  for (const char *Name : {"std::this_thread::sleep_for",
                           "std::this_thread::sleep_until", "sleep", "usleep",
                           "nanosleep", "clock_nanosleep"}) {
    const BlockingApi *Api = findBlockingApi(Name);
    ASSERT_NE(Api, nullptr) << Name;
    EXPECT_EQ(Api->Cat, Category::Sleep) << Name;
  }
  EXPECT_EQ(findBlockingApi("::sleep"), findBlockingApi("sleep"));
  EXPECT_EQ(findBlockingApi("std::sleep"), nullptr);
}

TEST(CatalogTest, NamesAreUnique) {
  auto Apis = blockingApis();
  for (size_t I = 0; I < Apis.size(); ++I)
    for (size_t J = I + 1; J < Apis.size(); ++J)
      EXPECT_NE(Apis[I].QualifiedName, Apis[J].QualifiedName);
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
  }
}

TEST(RuntimeProfilesTest, ExpandTemplate) {
  EXPECT_EQ(expandTemplate("co_await x({0})", "1s"), "co_await x(1s)");
  EXPECT_EQ(expandTemplate("f({0}, {0})", "a"), "f(a, a)");
  EXPECT_EQ(templateHint("co_await x({0})"), "co_await x(...)");
  EXPECT_EQ(runtimeProfileNames(), "aio, asio, cppcoro, libcoro, folly, none");
}

} // namespace
