//===- BlockingCallCheck.h - coro-blocking-call -----------------*- C++ -*-===//

#ifndef COROLINT_CHECKS_BLOCKINGCALLCHECK_H
#define COROLINT_CHECKS_BLOCKINGCALLCHECK_H

#include "checks/CallChainCheck.h"
#include "checks/analysis/Descriptors.h"
#include "checks/analysis/ExternalSummaries.h"
#include "checks/catalog/BlockingApis.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <deque>
#include <memory>

namespace corolint {

/// Finds calls that block the thread inside async coroutine bodies and
/// rewrites them into the runtime's awaitable equivalent or an offload.
///
/// Documentation: docs/checks/coro-blocking-call.md
class BlockingCallCheck : public CallChainCheck {
public:
  BlockingCallCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  static constexpr analysis::ChainWording Wording{"call to", "blocks", "blocks"};

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override {
    CallChainCheck::onStartOfTranslationUnit();
    Descriptors.reset();
  }

private:
  void checkBody(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  std::optional<analysis::Fact> factOf(const clang::Stmt &S,
                                       const analysis::AsyncPlacement &Where,
                                       clang::ASTContext &Ctx) const override;
  std::string advice(const clang::FunctionDecl &Coroutine) const override {
    return offloadAdvice(profileFor(Coroutine));
  }
  void configureSummaries(analysis::CallSummaryOptions &Opts) const override;

  /// A catalog entry, or one made from an option or an annotation, with the
  /// name diagnostics print.
  struct Api {
    const catalog::BlockingApi *Entry = nullptr;
    catalog::Category Cat = catalog::Category::User;
    catalog::FixKind Fix = catalog::FixKind::Offload;
    std::string DisplayName;
  };

  /// A finding of one async body, reported once its regions are known.
  struct Finding {
    enum KindType { Direct, Helper, External } Kind = Direct;
    const clang::Stmt *Site = nullptr;
    Api A;                                    ///< Direct
    analysis::CallEdge Edge;                  ///< Helper, External
    const analysis::CallChain *Chain = nullptr;
    const analysis::ExternalChain *Ext = nullptr;
    analysis::AsyncPlacement Where;
    std::vector<const clang::Stmt *> Parents;
    /// Its fix moves the call to another thread.
    bool Offloaded = false;
  };
  /// Reports the findings of one async body, a blocking region at a time.
  void report(llvm::ArrayRef<Finding> Findings,
              const clang::ast_matchers::MatchFinder::MatchResult &Result);
  /// Reports \p F; with \p RegionFixes, those are its fixes.
  void report(const Finding &F, const std::vector<clang::FixItHint> *RegionFixes,
              const clang::ast_matchers::MatchFinder::MatchResult &Result);

  std::optional<Api> classify(const clang::Expr &Call,
                              const clang::FunctionDecl &Callee,
                              const analysis::AsyncPlacement &Where,
                              clang::ASTContext &Ctx) const;
  bool conditionHolds(const catalog::BlockingApi &Entry, const clang::Expr &Call,
                      const analysis::AsyncPlacement &Where,
                      const clang::ASTContext &Ctx) const;
  std::string hintFor(const Api &A, const catalog::RuntimeProfile &P) const;
  bool mayBlock(const clang::FunctionDecl &Callee) const;
  void diagnose(const clang::Expr &Call, const Api &A,
                const analysis::AsyncPlacement &Where,
                analysis::ParentChain Parents,
                const clang::ast_matchers::MatchFinder::MatchResult &Result,
                const std::vector<clang::FixItHint> *RegionFixes);
  /// Where the descriptors of this TU come from.
  analysis::DescriptorOrigins &descriptors(const clang::ASTContext &Ctx) const;
  /// Reports \p S, a call of a helper that blocks through \p Chain.
  void diagnoseChain(const clang::Stmt &S, const analysis::CallEdge &Edge,
                     const analysis::CallChain &Chain,
                     const analysis::AsyncPlacement &Where,
                     analysis::ParentChain Parents,
                     const clang::ast_matchers::MatchFinder::MatchResult &Result,
                     const std::vector<clang::FixItHint> *RegionFixes);
  /// The call \p S moved to the thread pool by the offload template, or ""
  /// if the rules for a direct call say it cannot be; sets \p CallRange.
  std::string offloadedCall(const clang::Stmt &S, catalog::FixKind Fix,
                            const analysis::AsyncPlacement &Where,
                            analysis::ParentChain Parents,
                            const clang::ast_matchers::MatchFinder::MatchResult &Result,
                            clang::CharSourceRange &CallRange) const;
  /// The offload of a call whose API reports errors through errno, offered
  /// on a note.
  void noteErrnoOffload(clang::SourceLocation Loc, clang::CharSourceRange CallRange,
                        llvm::StringRef Replacement, const clang::SourceManager &SM,
                        const catalog::RuntimeProfile &P);
  /// How \p Callee, defined in another file, blocks per SummaryFile.
  const analysis::ExternalChain *externalChain(const clang::FunctionDecl &Callee) const;
  /// Reports \p S, a call of a function in another file that blocks.
  void diagnoseExternal(const clang::Stmt &S, const analysis::CallEdge &Edge,
                        const analysis::ExternalChain &Chain,
                        const analysis::AsyncPlacement &Where,
                        analysis::ParentChain Parents,
                        const clang::ast_matchers::MatchFinder::MatchResult &Result,
                     const std::vector<clang::FixItHint> *RegionFixes);
  std::string offloadAdvice(const catalog::RuntimeProfile &P) const;
  std::string SummaryFile;
  std::shared_ptr<const analysis::ExternalSummaries> External;
  TemplateOption SleepForTemplate;
  TemplateOption SleepUntilTemplate;
  TemplateOption OffloadTemplate;
  std::vector<std::string> BlockingFunctions;
  std::vector<std::string> AllowedFunctions;
  /// The `logging` category is enabled.
  bool LoggingEnabled = false;
  /// The logging category's APIs when it is off: not followed into.
  std::vector<std::string> LoggingStops;
  std::string EnabledCategoriesOption;
  llvm::DenseSet<unsigned> EnabledCategories;
  /// One finding per blocking region (analysis/Regions.h), not per call.
  bool GroupRegions;
  /// Where the descriptors of this TU come from, created on first use.
  mutable std::unique_ptr<analysis::DescriptorOrigins> Descriptors;

  /// Catalog lookups: free functions by qualified name, member functions by
  /// their name, constructors by class.
  llvm::StringMap<std::vector<const catalog::BlockingApi *>> Functions;
  llvm::StringMap<std::vector<const catalog::BlockingApi *>> Methods;
  llvm::StringMap<std::vector<const catalog::BlockingApi *>> Constructors;
  /// Entries made from BlockingFunctions (stable addresses).
  std::deque<catalog::BlockingApi> UserEntries;
  std::deque<std::string> UserNames;
  /// The unqualified names of everything above, to skip other calls fast.
  llvm::StringSet<> InterestingNames;
};

} // namespace corolint

#endif // COROLINT_CHECKS_BLOCKINGCALLCHECK_H
