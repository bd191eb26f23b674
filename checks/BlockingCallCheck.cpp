//===- BlockingCallCheck.cpp - coro-blocking-call -------------------------===//

#include "checks/BlockingCallCheck.h"
#include "checks/catalog/BlockingApis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace corolint {

namespace {

const catalog::RuntimeProfile &defaultProfile() {
  return catalog::runtimeProfiles().front();
}

/// True if \p Call is a whole expression statement: its value is unused and
/// nothing else is evaluated with it, so it can become a `co_await`.
bool isStatementPosition(const CallExpr &Call, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(Call);
  for (unsigned Hops = 0; Hops < 4; ++Hops) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    const auto *PS = Parents[0].get<Stmt>();
    if (!PS)
      return false;
    if (llvm::isa<ExprWithCleanups, ImplicitCastExpr>(PS)) {
      Node = Parents[0];
      continue;
    }
    if (llvm::isa<CompoundStmt, CaseStmt, DefaultStmt, LabelStmt>(PS))
      return true;
    if (const auto *If = llvm::dyn_cast<IfStmt>(PS))
      return If->getThen() == Node.get<Stmt>() || If->getElse() == Node.get<Stmt>();
    if (const auto *While = llvm::dyn_cast<WhileStmt>(PS))
      return While->getBody() == Node.get<Stmt>();
    if (const auto *For = llvm::dyn_cast<ForStmt>(PS))
      return For->getBody() == Node.get<Stmt>();
    if (const auto *Range = llvm::dyn_cast<CXXForRangeStmt>(PS))
      return Range->getBody() == Node.get<Stmt>();
    if (const auto *Do = llvm::dyn_cast<DoStmt>(PS))
      return Do->getBody() == Node.get<Stmt>();
    return false;
  }
  return false;
}

std::optional<std::string> sourceText(SourceRange Range, const SourceManager &SM,
                                      const LangOptions &LO) {
  CharSourceRange Chars = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Range), SM, LO);
  if (Chars.isInvalid())
    return std::nullopt;
  bool Invalid = false;
  StringRef Text = Lexer::getSourceText(Chars, SM, LO, &Invalid);
  if (Invalid)
    return std::nullopt;
  return Text.str();
}

} // namespace

BlockingCallCheck::BlockingCallCheck(StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RuntimeName(Options.getLocalOrGlobal("Runtime", "aio").str()),
      Profile(defaultProfile()),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        tidy::utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {
  if (const catalog::RuntimeProfile *P = catalog::findRuntimeProfile(RuntimeName)) {
    Profile = *P;
  } else {
    configurationDiag("invalid value '%0' for option 'Runtime'; expected one "
                      "of %1 (using 'aio')")
        << RuntimeName << catalog::runtimeProfileNames();
    RuntimeName = "aio";
  }
  SleepForTemplate = Options.get("SleepForTemplate", Profile.SleepFor).str();
  SleepUntilTemplate = Options.get("SleepUntilTemplate", Profile.SleepUntil).str();
  RuntimeHeader = Options.get("RuntimeHeader", Profile.Header).str();
  for (auto [OptionName, Value] :
       {std::pair<StringRef, std::string *>{"SleepForTemplate", &SleepForTemplate},
        {"SleepUntilTemplate", &SleepUntilTemplate}}) {
    if (!Value->empty() && StringRef(*Value).find("{0}") == StringRef::npos) {
      configurationDiag("option '%0' must contain '{0}' where the argument "
                        "goes; the template '%1' is ignored")
          << OptionName << *Value;
      Value->clear();
    }
  }
  ContextOptions.SyncGenerators = analysis::splitList(
      Options.get("SyncGenerators", analysis::defaultSyncGenerators()));
}

void BlockingCallCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "Runtime", RuntimeName);
  Options.store(Opts, "SleepForTemplate", SleepForTemplate);
  Options.store(Opts, "SleepUntilTemplate", SleepUntilTemplate);
  Options.store(Opts, "RuntimeHeader", RuntimeHeader);
  Options.store(Opts, "SyncGenerators",
                analysis::joinList(ContextOptions.SyncGenerators));
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void BlockingCallCheck::registerPPCallbacks(const SourceManager &SM,
                                            Preprocessor *PP,
                                            Preprocessor *ModuleExpanderPP) {
  Inserter.registerPreprocessor(PP);
}

void BlockingCallCheck::registerMatchers(MatchFinder *Finder) {
  std::vector<StringRef> Names;
  for (const catalog::BlockingApi &Api : catalog::blockingApis())
    Names.push_back(Api.QualifiedName);
  auto BlockingCallee = functionDecl(hasAnyName(Names)).bind("callee");
  Finder->addMatcher(callExpr(callee(BlockingCallee),
                              unless(isExpansionInSystemHeader()))
                         .bind("call"),
                     this);
}

void BlockingCallCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  const auto *Callee = Result.Nodes.getNodeAs<FunctionDecl>("callee");
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;

  SourceLocation Loc = Call->getBeginLoc();
  if (Loc.isInvalid() || !Reported.insert(Loc.getRawEncoding()).second)
    return;

  std::optional<analysis::AsyncPlacement> Placement =
      analysis::findAsyncPlacement(*Call, Ctx, ContextOptions);
  if (!Placement || Placement->IsAwaitedOperand) {
    Reported.erase(Loc.getRawEncoding()); // another instantiation may qualify
    return;
  }

  const catalog::BlockingApi *Api =
      catalog::findBlockingApi(Callee->getQualifiedNameAsString());
  if (!Api)
    return;

  StringRef Template;
  std::string ArgumentPrefix, ArgumentSuffix;
  switch (Api->Fix) {
  case catalog::FixKind::SleepFor:
    Template = SleepForTemplate;
    break;
  case catalog::FixKind::SleepUntil:
    Template = SleepUntilTemplate;
    break;
  case catalog::FixKind::SleepSeconds:
    Template = SleepForTemplate;
    ArgumentPrefix = "std::chrono::seconds(";
    ArgumentSuffix = ")";
    break;
  case catalog::FixKind::SleepMicroseconds:
    Template = SleepForTemplate;
    ArgumentPrefix = "std::chrono::microseconds(";
    ArgumentSuffix = ")";
    break;
  case catalog::FixKind::None:
    break;
  }
  // The sleep of the runtime, for the message even when no rewrite applies.
  std::string Hint;
  if (!Template.empty())
    Hint = catalog::templateHint(Template);
  else if (!SleepForTemplate.empty())
    Hint = catalog::templateHint(SleepForTemplate);
  else
    Hint = Profile.SleepHint.str();

  std::string ApiName = Callee->getQualifiedNameAsString();
  {
  auto Diag = diag(Loc, "blocking call to '%0' in %1 stalls the event loop; "
                        "use '%2'")
              << ApiName << analysis::coroutineName(*Placement) << Hint;

  // The rewrite needs a statement position in the coroutine's own body
  // (co_await is ill-formed in a handler and in a non-coroutine lambda), one
  // argument, and no macro in the way.
  bool CanRewrite = !Template.empty() && !Placement->InHandler &&
                    !Placement->InlineLambdaCall && Call->getNumArgs() == 1 &&
                    Call->getBeginLoc().isFileID() &&
                    Call->getEndLoc().isFileID() &&
                    isStatementPosition(*Call, Ctx);
  if (CanRewrite) {
    const LangOptions &LO = Ctx.getLangOpts();
    std::optional<std::string> Arg =
        sourceText(Call->getArg(0)->getSourceRange(), SM, LO);
    CharSourceRange CallRange = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Call->getSourceRange()), SM, LO);
    if (Arg && CallRange.isValid()) {
      Diag << FixItHint::CreateReplacement(
          CallRange, catalog::expandTemplate(
                         Template, ArgumentPrefix + *Arg + ArgumentSuffix));
      if (!RuntimeHeader.empty()) {
        // The inserter takes <h> as written and adds the quotes of "h".
        StringRef Header = RuntimeHeader;
        if (Header.size() > 1 && Header.front() == '"' && Header.back() == '"')
          Header = Header.drop_front().drop_back();
        Diag << Inserter.createIncludeInsertion(
            SM.getFileID(CallRange.getBegin()), Header);
      }
    }
  }
  } // the warning is emitted here, before its notes
  if (const CallExpr *Invocation = Placement->InlineLambdaCall) {
    // `[&] { ... }()` points at its closing parenthesis, `std::invoke(...)` at
    // its name (clang's begin location of the former differs between majors).
    SourceLocation Where = Invocation->getBeginLoc();
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(Invocation))
      Where = Op->getRParenLoc();
    diag(Where,
         "the lambda runs on the coroutine's thread: it is invoked here",
         DiagnosticIDs::Note);
  }
}

} // namespace corolint
