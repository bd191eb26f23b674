//===- AsyncContextTest.cpp - async-context detection ---------------------===//

#include "checks/analysis/AsyncContext.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using corolint::analysis::AsyncContextOptions;
using corolint::analysis::AsyncPlacement;

namespace {

// A minimal lazy task, a generator whose promise deletes await_transform,
// and a generator-like type found only by its begin().
const char *Prelude = R"cpp(
#include <coroutine>
#include <functional>
struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct ready { bool await_ready() { return true; } void await_suspend(std::coroutine_handle<>) {} void await_resume() {} };
ready async_op();
struct strict_gen {
  struct promise_type {
    strict_gen get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) { return {}; }
    void return_void() {}
    void unhandled_exception() {}
    template <class U> void await_transform(U &&) = delete;
  };
};
struct iter_gen {
  struct promise_type {
    iter_gen get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  int *begin();
  int *end();
};
namespace lib { struct generator {
  struct promise_type {
    generator get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
}; }
ready probe();
)cpp";

class AsyncContextTest : public ::testing::Test {
protected:
  /// Parses Prelude + Code and returns where the single call to probe()
  /// runs (std::nullopt if not in an async context).
  std::optional<AsyncPlacement> placementOfProbe(const std::string &Code) {
    AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++20"}, "input.cpp");
    EXPECT_TRUE(AST);
    EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
    ASTContext &Ctx = AST->getASTContext();
    // Every async body, as the checks find them: coroutine functions,
    // coroutine lambdas and AsyncContextFunctions entries.
    std::vector<std::pair<const FunctionDecl *, const LambdaExpr *>> Bodies;
    for (const BoundNodes &N :
         match(functionDecl(isDefinition()).bind("f"), Ctx)) {
      const auto *FD = N.getNodeAs<FunctionDecl>("f");
      if (!llvm::isa<CXXMethodDecl>(FD) ||
          !llvm::cast<CXXMethodDecl>(FD)->getParent()->isLambda())
        Bodies.push_back({FD, nullptr});
    }
    for (const BoundNodes &N : match(lambdaExpr().bind("l"), Ctx)) {
      const auto *L = N.getNodeAs<LambdaExpr>("l");
      Bodies.push_back({L->getCallOperator(), L});
    }
    std::optional<AsyncPlacement> Found;
    unsigned Visits = 0;
    for (auto [FD, L] : Bodies) {
      if (!corolint::analysis::isAsyncCoroutine(*FD, Options))
        continue;
      corolint::analysis::walkAsyncBody(
          *FD, L, Options,
          [&](const Stmt &S, const AsyncPlacement &Where,
              corolint::analysis::ParentChain) {
            const auto *Call = llvm::dyn_cast<CallExpr>(&S);
            const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
            if (Callee && Callee->getName() == "probe") {
              ++Visits;
              Found = Where;
            }
          });
    }
    // The probe is visited once, or not at all.
    EXPECT_LE(Visits, 1u);
    return Found;
  }

  std::unique_ptr<ASTUnit> AST;
  AsyncContextOptions Options = [] {
    AsyncContextOptions O;
    O.SyncGenerators = {"lib::generator"};
    O.OffloadFunctions = {"pool::submit_work", "std::thread"};
    O.InlineFunctions = {"std::invoke", "run_now"};
    return O;
  }();
};

TEST_F(AsyncContextTest, CoroutineBodyIsAsync) {
  auto P = placementOfProbe("task f() { probe(); co_return; }");
  ASSERT_TRUE(P);
  EXPECT_EQ(corolint::analysis::coroutineName(*P), "coroutine 'f'");
  EXPECT_FALSE(P->IsAwaitedOperand);
  EXPECT_FALSE(P->InHandler);
}

TEST_F(AsyncContextTest, PlainFunctionIsNotAsync) {
  EXPECT_FALSE(placementOfProbe("void f() { probe(); }"));
}

TEST_F(AsyncContextTest, MemberCoroutineIsNamedWithItsClass) {
  auto P = placementOfProbe("struct S { task run() { probe(); co_return; } };");
  ASSERT_TRUE(P);
  EXPECT_EQ(corolint::analysis::coroutineName(*P), "coroutine 'S::run'");
}

TEST_F(AsyncContextTest, GeneratorWithDeletedAwaitTransformIsSync) {
  EXPECT_FALSE(placementOfProbe("strict_gen g() { probe(); co_yield 1; }"));
}

TEST_F(AsyncContextTest, IterableGeneratorIsSync) {
  EXPECT_FALSE(placementOfProbe("iter_gen g() { probe(); co_yield 1; }"));
}

TEST_F(AsyncContextTest, AwaitingCoroutineIsAsyncEvenIfItYields) {
  // A coroutine that awaits is async whatever it returns.
  auto P = placementOfProbe(
      "task g() { co_await async_op(); probe(); co_return; }");
  EXPECT_TRUE(P);
}

TEST_F(AsyncContextTest, ListedGeneratorIsSync) {
  EXPECT_FALSE(placementOfProbe("lib::generator g() { probe(); co_return; }"));
  Options.SyncGenerators.clear();
  EXPECT_TRUE(placementOfProbe("lib::generator g() { probe(); co_return; }"));
}

TEST_F(AsyncContextTest, CoroutineLambdaIsItsOwnContext) {
  auto P = placementOfProbe(
      "void f() { auto l = []() -> task { probe(); co_return; }; }");
  ASSERT_TRUE(P);
  EXPECT_TRUE(P->CoroutineLambda);
  EXPECT_EQ(corolint::analysis::coroutineName(*P), "coroutine lambda");
}

TEST_F(AsyncContextTest, StoredLambdaIsNotTheCoroutine) {
  EXPECT_FALSE(placementOfProbe(
      "task f() { auto cb = [] { probe(); }; co_return; }"));
}

TEST_F(AsyncContextTest, LambdaPassedAsCallbackIsNotTheCoroutine) {
  EXPECT_FALSE(placementOfProbe(
      "void submit(std::function<void()>);"
      "task f() { submit([] { probe(); }); co_return; }"));
}

TEST_F(AsyncContextTest, LambdaInvokedOnTheSpotRunsInTheCoroutine) {
  auto P = placementOfProbe("task f() { [] { probe(); }(); co_return; }");
  ASSERT_TRUE(P);
  EXPECT_TRUE(P->InlineLambdaCall);
  auto Q = placementOfProbe(
      "task f() { std::invoke([] { probe(); }); co_return; }");
  ASSERT_TRUE(Q);
  EXPECT_TRUE(Q->InlineLambdaCall);
}

TEST_F(AsyncContextTest, InlineFunctionRunsItsLambdaHere) {
  auto P = placementOfProbe(
      "template <class F> void run_now(F f) { f(); }"
      "task f() { run_now([] { probe(); }); co_return; }");
  ASSERT_TRUE(P);
  EXPECT_TRUE(P->InlineLambdaCall);
}

TEST_F(AsyncContextTest, OffloadFunctionRunsItsLambdaElsewhere) {
  EXPECT_FALSE(placementOfProbe(
      "namespace pool { void submit_work(std::function<void()>); }"
      "task f() { pool::submit_work([] { probe(); }); co_return; }"));
}

TEST_F(AsyncContextTest, AsyncContextFunctionsAreAsync) {
  EXPECT_FALSE(placementOfProbe("void on_readable() { probe(); }"));
  Options.AsyncContextFunctions = {"on_readable"};
  auto P = placementOfProbe("void on_readable() { probe(); }");
  ASSERT_TRUE(P);
  EXPECT_EQ(corolint::analysis::coroutineName(*P), "coroutine 'on_readable'");
}

TEST_F(AsyncContextTest, NonCoroutineLambdaInsidePlainFunction) {
  EXPECT_FALSE(placementOfProbe("void f() { [] { probe(); }(); }"));
}

TEST_F(AsyncContextTest, AwaitOperandIsMarked) {
  auto P = placementOfProbe("task f() { co_await probe(); }");
  ASSERT_TRUE(P);
  EXPECT_TRUE(P->IsAwaitedOperand);
}

TEST_F(AsyncContextTest, HandlerIsMarked) {
  auto P = placementOfProbe(
      "task f() { try { co_await async_op(); } catch (...) { probe(); } }");
  ASSERT_TRUE(P);
  EXPECT_TRUE(P->InHandler);
}

TEST_F(AsyncContextTest, UnevaluatedOperandIsNotAsync) {
  EXPECT_FALSE(placementOfProbe(
      "task f() { (void)sizeof(probe()); co_return; }"));
  EXPECT_FALSE(placementOfProbe(
      "task f() { (void)noexcept(probe()); co_return; }"));
}

TEST_F(AsyncContextTest, LocalVariableInitializerIsAsync) {
  auto P = placementOfProbe("task f() { auto r = probe(); (void)r; co_return; }");
  EXPECT_TRUE(P);
}

TEST_F(AsyncContextTest, LocalClassMethodIsNotTheCoroutine) {
  EXPECT_FALSE(placementOfProbe(
      "task f() { struct L { void m() { probe(); } }; co_return; }"));
}

TEST(NamesTest, QualifiedNameSkipsInlineNamespaces) {
  auto AST = tooling::buildASTFromCodeWithArgs(
      "namespace a { inline namespace v1 { struct S { void m(); }; } }",
      {"-std=c++20"});
  auto Matches = match(cxxMethodDecl(hasName("m")).bind("m"), AST->getASTContext());
  ASSERT_EQ(Matches.size(), 1u);
  const auto *M = Matches[0].getNodeAs<CXXMethodDecl>("m");
  EXPECT_EQ(corolint::analysis::qualifiedName(*M), "a::S::m");
  EXPECT_TRUE(corolint::analysis::nameMatches(*M, "a::S::m"));
  EXPECT_TRUE(corolint::analysis::nameMatches(*M, "m"));
  EXPECT_FALSE(corolint::analysis::nameMatches(*M, "b::S::m"));
  EXPECT_TRUE(corolint::analysis::isSameOrDerivedFrom(M->getParent(), "a::S"));
}

TEST(SplitListTest, TrimsAndDropsEmptyItems) {
  auto Items = corolint::analysis::splitList(" a::b ; ;c ");
  ASSERT_EQ(Items.size(), 2u);
  EXPECT_EQ(Items[0], "a::b");
  EXPECT_EQ(Items[1], "c");
  EXPECT_EQ(corolint::analysis::joinList(Items), "a::b;c");
}

} // namespace
