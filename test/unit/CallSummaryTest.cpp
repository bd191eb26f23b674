//===- CallSummaryTest.cpp - call summaries and chains --------------------===//

#include "checks/analysis/CallSummary.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using corolint::analysis::AsyncContextOptions;
using corolint::analysis::CallChain;
using corolint::analysis::CallSummaries;
using corolint::analysis::CallSummaryOptions;
using corolint::analysis::Fact;

namespace {

// A minimal task, and block(): the one "blocking API" of these tests.
const char *Prelude = R"cpp(
#include <coroutine>
struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
void block();
namespace pool { template <class F> void submit(F f) { (void)f; } }
)cpp";

class CallSummaryTest : public ::testing::Test {
protected:
  void parse(const std::string &Code) {
    AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++20"}, "input.cpp");
    ASSERT_TRUE(AST);
    ASSERT_FALSE(AST->getDiagnostics().hasErrorOccurred());
    Context.OffloadFunctions = {"pool::submit"};
    Summaries = std::make_unique<CallSummaries>(
        AST->getASTContext(), Context, Options,
        [](const Stmt &S, const corolint::analysis::AsyncPlacement &,
           corolint::analysis::ParentChain) -> std::optional<Fact> {
          const auto *Call = llvm::dyn_cast<CallExpr>(&S);
          const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
          if (!Callee || !Callee->getDeclName().isIdentifier() ||
              Callee->getName() != "block")
            return std::nullopt;
          Fact F;
          F.Site = &S;
          F.Api = "block";
          return F;
        });
  }

  const FunctionDecl &function(llvm::StringRef Name) {
    auto Matches = match(
        functionDecl(hasName(Name), isDefinition()).bind("f"),
        AST->getASTContext());
    EXPECT_FALSE(Matches.empty()) << Name.str();
    return *Matches.front().getNodeAs<FunctionDecl>("f");
  }

  /// The names of the functions of the chain from \p Name, `-`-joined, or
  /// empty.
  std::string chainFrom(llvm::StringRef Name) {
    const CallChain *Chain = Summaries->chainFrom(function(Name));
    if (!Chain)
      return "";
    std::string Out;
    for (const FunctionDecl *F : Chain->Functions)
      Out += (Out.empty() ? "" : "-") + corolint::analysis::functionName(*F);
    EXPECT_EQ(Chain->Calls.size() + 1, Chain->Functions.size());
    EXPECT_EQ(Chain->Final->Api, "block");
    return Out;
  }

  std::unique_ptr<ASTUnit> AST;
  AsyncContextOptions Context;
  CallSummaryOptions Options;
  std::unique_ptr<CallSummaries> Summaries;
};

TEST_F(CallSummaryTest, DirectFactsAndCallsInSourceOrder) {
  parse("void leaf() {} void g() { leaf(); block(); leaf(); }");
  const auto *S = Summaries->summaryOf(function("g"));
  ASSERT_TRUE(S);
  ASSERT_EQ(S->Facts.size(), 1u);
  EXPECT_EQ(S->Facts[0].Api, "block");
  ASSERT_EQ(S->Calls.size(), 2u);
  EXPECT_EQ(corolint::analysis::functionName(*S->Calls[0].Callee), "leaf");
  // Memoised: the same object.
  EXPECT_EQ(S, Summaries->summaryOf(function("g")));
}

TEST_F(CallSummaryTest, ShortestChainIsFound) {
  parse("void a() { block(); }"
        "void b() { a(); }"
        "void c() { b(); }"
        "void d() { c(); a(); }");
  EXPECT_EQ(chainFrom("a"), "a");
  EXPECT_EQ(chainFrom("c"), "c-b-a");
  // d reaches a through c (3 calls) and directly: the direct one is kept.
  EXPECT_EQ(chainFrom("d"), "d-a");
}

TEST_F(CallSummaryTest, MaxCallDepthLimitsTheChain) {
  Options.MaxCallDepth = 2;
  parse("void a() { block(); } void b() { a(); } void c() { b(); }");
  EXPECT_EQ(chainFrom("b"), "b-a");
  EXPECT_EQ(chainFrom("c"), "");
}

TEST_F(CallSummaryTest, NoDepthFollowsNothing) {
  Options.MaxCallDepth = 0;
  parse("void a() { block(); }");
  EXPECT_EQ(chainFrom("a"), "");
}

TEST_F(CallSummaryTest, RecursionEnds) {
  parse("void odd(int); void even(int n) { if (n) odd(n - 1); }"
        "void odd(int n) { if (n) even(n - 1); }"
        "void self(int n) { if (n) self(n - 1); else block(); }"
        "void loop2(int); void loop1(int n) { loop2(n); }"
        "void loop2(int n) { if (n) loop1(n - 1); else block(); }");
  EXPECT_EQ(chainFrom("even"), "");
  EXPECT_EQ(chainFrom("self"), "self");
  EXPECT_EQ(chainFrom("loop1"), "loop1-loop2");
}

TEST_F(CallSummaryTest, StopsAtCoroutinesOffloadsAndAnnotations) {
  parse("void a() { block(); }"
        "task coro() { a(); co_return; }"
        "void calls_coro() { coro(); }"
        "void offloads() { pool::submit([] { a(); }); }"
        "[[clang::annotate(\"corolint::nonblocking\")]] void quiet() { a(); }"
        "void calls_quiet() { quiet(); }"
        "void stores() { auto l = [] { a(); }; (void)l; }"
        "void calls_lambda() { auto l = [] { a(); }; l(); }"
        "void unevaluated() { (void)sizeof((a(), 0)); }"
        "int once() { static int v = (a(), 1); return v; }");
  EXPECT_EQ(chainFrom("calls_coro"), "");
  EXPECT_EQ(chainFrom("offloads"), "");
  EXPECT_EQ(chainFrom("calls_quiet"), "");
  EXPECT_EQ(chainFrom("stores"), "");
  EXPECT_EQ(chainFrom("calls_lambda"), "calls_lambda-lambda-a");
  EXPECT_EQ(chainFrom("unevaluated"), "");
  EXPECT_EQ(chainFrom("once"), "");
  EXPECT_FALSE(Summaries->isFollowed(function("coro")));
  EXPECT_FALSE(Summaries->isFollowed(function("quiet")));
  const auto *S = Summaries->summaryOf(function("offloads"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Offloads.size(), 1u);
}

TEST_F(CallSummaryTest, ConstructorsDestructorsAndOperators) {
  parse("struct Opens { Opens() { block(); } };"
        "struct Member { Opens o; };"
        "struct Closes { ~Closes() { block(); } };"
        "struct Num { int v; };"
        "Num operator+(Num a, Num b) { block(); return a; }"
        "void ctor() { Opens o; }"
        "void member() { Member m; }"
        "void dtor() { Closes c; }"
        "void temp() { (void)Closes(); }"
        "void del(Closes *p) { delete p; }"
        "void op() { Num a{1}, b{2}; (void)(a + b); }");
  EXPECT_EQ(chainFrom("ctor"), "ctor-Opens");
  EXPECT_EQ(chainFrom("member"), "member-Member-Opens");
  EXPECT_EQ(chainFrom("dtor"), "dtor-Closes::~Closes");
  EXPECT_EQ(chainFrom("temp"), "temp-Closes::~Closes");
  EXPECT_EQ(chainFrom("del"), "del-Closes::~Closes");
  EXPECT_EQ(chainFrom("op"), "op-operator+");
}

TEST_F(CallSummaryTest, VirtualCallsOnlyWhenAsked) {
  const char *Code = "struct B { virtual void f() { block(); } };"
                     "struct F final : B { void f() override { block(); } };"
                     "void any(B &b) { b.f(); }"
                     "void known(F &f) { f.f(); }"
                     "void named(B &b) { b.B::f(); }";
  parse(Code);
  EXPECT_EQ(chainFrom("any"), "");
  EXPECT_EQ(chainFrom("known"), "known-F::f");
  EXPECT_EQ(chainFrom("named"), "named-B::f");
  Options.FollowVirtualCalls = true;
  parse(Code);
  EXPECT_EQ(chainFrom("any"), "any-B::f");
}

TEST_F(CallSummaryTest, ExportNamesFunctionsByUSR) {
  parse("void ext();"
        "void a() { block(); }"
        "void b() { a(); ext(); pool::submit([] { a(); }); }"
        "task c() { co_return; }");
  std::vector<corolint::analysis::ExportedSummary> All =
      corolint::analysis::exportSummaries(
          *Summaries, [](const clang::FunctionDecl &FD) { return FD.getNameAsString(); });
  const corolint::analysis::ExportedSummary *A = nullptr, *B = nullptr,
                                            *C = nullptr;
  for (const auto &S : All) {
    if (S.Name == "a")
      A = &S;
    else if (S.Name == "b")
      B = &S;
    else if (S.Name == "c")
      C = &S;
  }
  ASSERT_TRUE(A && B && C);
  EXPECT_FALSE(A->USR.empty());
  ASSERT_EQ(A->Facts.size(), 1u);
  EXPECT_EQ(A->Facts[0].Api, "block");
  EXPECT_EQ(A->Facts[0].Loc.File, "input.cpp");
  // b calls a (with a body) and ext (declared only, for another TU).
  ASSERT_EQ(B->Calls.size(), 2u);
  EXPECT_EQ(B->Calls[0].CalleeUSR, A->USR);
  EXPECT_EQ(B->Calls[1].CalleeName, "ext");
  EXPECT_FALSE(B->Calls[1].CalleeUSR.empty());
  ASSERT_EQ(B->Offloads.size(), 1u);
  EXPECT_EQ(B->Offloads[0].CalleeName, "pool::submit");
  EXPECT_TRUE(C->IsCoroutine);
  EXPECT_FALSE(B->IsCoroutine);
}

TEST_F(CallSummaryTest, ColdFactsAndCallsAreRecordedWithTheirReason) {
  parse("[[noreturn]] void die();"
        "void leaf() { block(); }"
        "void g(bool bad, int level) {"
        "  if (bad) { block(); die(); }"
        "  if (level > 3) leaf();"
        "  try { leaf(); } catch (...) { leaf(); }"
        "}");
  const auto *S = Summaries->summaryOf(function("g"));
  ASSERT_TRUE(S);
  ASSERT_EQ(S->Facts.size(), 1u);
  EXPECT_EQ(S->Facts[0].Cold, corolint::analysis::ColdReason::NoReturn);
  ASSERT_EQ(S->Calls.size(), 4u); // die, leaf x3
  EXPECT_EQ(S->Calls[1].Cold, corolint::analysis::ColdReason::Severity);
  EXPECT_EQ(S->Calls[2].Cold, corolint::analysis::ColdReason::None);
  EXPECT_EQ(S->Calls[3].Cold, corolint::analysis::ColdReason::Handler);
}

TEST_F(CallSummaryTest, ChainsSkipColdPathsUnlessAsked) {
  parse("void cold(bool bad) { if (bad) [[unlikely]] { block(); } }"
        "void flagged(bool gzip) { if (gzip) block(); }"
        "void calls_cold(bool bad) { cold(bad); }");
  EXPECT_EQ(chainFrom("cold"), "");
  EXPECT_EQ(chainFrom("calls_cold"), "");
  EXPECT_EQ(chainFrom("flagged"), "");
  // A call that turns the feature on takes the feature's branch only.
  EXPECT_TRUE(Summaries->chainFrom(function("flagged"), /*FeatureOn=*/true));
  EXPECT_FALSE(Summaries->chainFrom(function("cold"), /*FeatureOn=*/true));

  Options.ReportColdPaths = true;
  parse("void cold(bool bad) { if (bad) [[unlikely]] { block(); } }"
        "void calls_cold(bool bad) { cold(bad); }");
  EXPECT_EQ(chainFrom("calls_cold"), "calls_cold-cold");
}

TEST(ColdPathTest, IdentifierWords) {
  auto Words = [](llvm::StringRef Id) {
    llvm::SmallVector<std::string, 4> Out;
    corolint::analysis::identifierWords(Id, Out);
    std::string Joined;
    for (const std::string &W : Out)
      Joined += (Joined.empty() ? "" : "|") + W;
    return Joined;
  };
  EXPECT_EQ(Words("kLogLevel"), "k|log|level");
  EXPECT_EQ(Words("SPDLOG_INFO"), "spdlog|info");
  EXPECT_EQ(Words("HTTPServer"), "http|server");
  EXPECT_EQ(Words("enable_ws_deflate_"), "enable|ws|deflate");
  EXPECT_EQ(Words("dialog"), "dialog");
}

} // namespace
