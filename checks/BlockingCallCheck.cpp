//===- BlockingCallCheck.cpp - coro-blocking-call -------------------------===//

#include "checks/BlockingCallCheck.h"
#include "checks/analysis/Descriptors.h"
#include "checks/analysis/InputFiles.h"
#include "checks/analysis/Rewrite.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;
using corolint::catalog::ApiKind;
using corolint::catalog::BlockingApi;
using corolint::catalog::Category;
using corolint::catalog::Condition;
using corolint::catalog::FixKind;

namespace corolint {

namespace {

/// The class of a member function, if any.
const CXXRecordDecl *classOf(const FunctionDecl &FD) {
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(&FD))
    return MD->getParent();
  return nullptr;
}

/// The function a call or a construction calls.
const FunctionDecl *calleeOf(const Stmt &S) {
  if (const auto *Call = llvm::dyn_cast<CallExpr>(&S))
    return Call->getDirectCallee();
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&S))
    return Construct->getConstructor();
  return nullptr;
}

/// How a call of a helper that reaches \p Final is fixed: offloaded,
/// unless waiting on another thread is the wrong cure (a sync-wait, a lock,
/// a condition variable), and on a note where errno is involved.
FixKind chainFix(const analysis::Fact &Final) {
  if (Final.Cat == Category::SyncWait || Final.Cat == Category::Lock)
    return FixKind::None;
  if (Final.Fix == FixKind::OffloadOnNote)
    return FixKind::OffloadOnNote;
  if (Final.Cat == Category::ThreadWait && Final.Fix == FixKind::None)
    return FixKind::None;
  return FixKind::Offload;
}

bool refersToOneOf(const Expr *E, std::initializer_list<llvm::StringRef> Names) {
  const ValueDecl *D = analysis::referencedDecl(E);
  if (!D || !llvm::isa<VarDecl>(D))
    return false;
  std::string Name = analysis::qualifiedName(*D);
  return llvm::is_contained(Names, Name);
}

bool isStdin(const Expr *E) {
  return refersToOneOf(E, {"std::cin", "std::wcin", "stdin"});
}

bool isStandardStream(const Expr *E) {
  return refersToOneOf(E, {"std::cin", "std::wcin", "std::cout", "std::wcout",
                           "std::cerr", "std::wcerr", "std::clog", "std::wclog",
                           "stdin", "stdout", "stderr"});
}

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *Ptr = T->getAs<PointerType>())
    T = Ptr->getPointeeType();
  return T->getAsCXXRecordDecl();
}

bool isFileStream(const Expr *E) {
  if (!E)
    return false;
  const CXXRecordDecl *RD = recordOf(E->getType());
  return analysis::isSameOrDerivedFrom(RD, "std::basic_ifstream") ||
         analysis::isSameOrDerivedFrom(RD, "std::basic_ofstream") ||
         analysis::isSameOrDerivedFrom(RD, "std::basic_fstream");
}

/// True if \p E is a constant zero duration (`0s`, `seconds(0)`, `{}`,
/// `milliseconds::zero()`): waiting that long is a poll.
bool isZeroDuration(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult Result;
  if (E->isValueDependent() || !E->EvaluateAsRValue(Result, Ctx))
    return false;
  const APValue &Value = Result.Val;
  // std::chrono::duration holds one arithmetic member, its count.
  if (!Value.isStruct() || Value.getStructNumFields() != 1)
    return false;
  const APValue &Count = Value.getStructField(0);
  if (Count.isInt())
    return Count.getInt() == 0;
  if (Count.isFloat())
    return Count.getFloat().isZero();
  return false;
}

/// True if \p Operand calls a member function of the object that holds the
/// member descriptor \p Fd (`co_await poll(poll_op::read)` in a socket
/// class): the object waits for its own descriptor's readiness.
bool awaitsHolder(const Expr *Operand, const ValueDecl *Fd) {
  const auto *Field = llvm::dyn_cast_or_null<FieldDecl>(Fd);
  const auto *Call = Operand ? llvm::dyn_cast<CXXMemberCallExpr>(
                                   Operand->IgnoreImplicit()->IgnoreParens())
                             : nullptr;
  if (!Field || !Call || !Call->getImplicitObjectArgument() ||
      !llvm::isa<CXXThisExpr>(
          Call->getImplicitObjectArgument()->IgnoreParenImpCasts()))
    return false;
  const auto *Holder = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
  const CXXMethodDecl *MD = Call->getMethodDecl();
  return Holder && MD &&
         analysis::isSameOrDerivedFrom(MD->getParent(),
                                       analysis::qualifiedName(*Holder));
}

/// True if the coroutine awaits something that names \p Fd (a readiness
/// wait such as `co_await loop.readable(fd)`), or the object that holds it:
/// the fd is then non-blocking and reading it does not stall.
bool isAwaitedIn(const Stmt *S, const ValueDecl *Fd) {
  if (!S)
    return false;
  if (const auto *Await = llvm::dyn_cast<CoawaitExpr>(S))
    if (!Await->isImplicit() && (analysis::mentionsAny(Await->getOperand(), Fd) ||
                                 awaitsHolder(Await->getOperand(), Fd)))
      return true;
  if (const auto *Await = llvm::dyn_cast<DependentCoawaitExpr>(S))
    if (analysis::mentionsAny(Await->getOperand(), Fd))
      return true;
  for (const Stmt *Child : analysis::writtenChildren(S))
    if (isAwaitedIn(Child, Fd))
      return true;
  return false;
}

/// True if \p Final is an I/O call that blocks only on a descriptor that is
/// not ready, and the coroutine hands the helper (\p S calls it) a
/// descriptor it awaited for readiness or made non-blocking: as for a
/// direct call.
bool passesNonBlockingFd(const Stmt &S, const analysis::Fact &Final,
                         const analysis::AsyncPlacement &Where,
                         analysis::DescriptorOrigins &Descriptors) {
  const auto *Call = llvm::dyn_cast<CallExpr>(&S);
  if (Final.Cond != Condition::FdNotAwaited || !Call || !Where.Coroutine)
    return false;
  const auto *Coro =
      llvm::dyn_cast_or_null<CoroutineBodyStmt>(Where.Coroutine->getBody());
  if (!Coro)
    return false;
  llvm::SmallVector<const Expr *, 4> Inputs(Call->arguments());
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
    Inputs.push_back(Member->getImplicitObjectArgument());
  // The helper's own descriptor, a member of the object the coroutine
  // belongs to: `recv()` of a socket class reading `m_fd`.
  if (const auto *FinalCall = llvm::dyn_cast<CallExpr>(Final.Site);
      FinalCall && FinalCall->getNumArgs() > 0)
    if (const ValueDecl *Own = analysis::descriptorRoot(FinalCall->getArg(0));
        Own && llvm::isa<FieldDecl>(Own) && isAwaitedIn(Coro->getBody(), Own))
      return true;
  return llvm::any_of(Inputs, [&](const Expr *E) {
    const ValueDecl *D = analysis::descriptorRoot(E);
    return D && (isAwaitedIn(Coro->getBody(), D) ||
                 Descriptors.isNonBlocking(*D, *Where.Coroutine,
                                           /*IsWrite=*/false));
  });
}

} // namespace

BlockingCallCheck::BlockingCallCheck(StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : CallChainCheck(Name, Context, Wording),
      GroupRegions(Options.get("GroupRegions", true)) {
  SleepForTemplate =
      readTemplate("SleepForTemplate", &catalog::RuntimeProfile::SleepFor);
  SleepUntilTemplate =
      readTemplate("SleepUntilTemplate", &catalog::RuntimeProfile::SleepUntil);
  OffloadTemplate =
      readTemplate("OffloadTemplate", &catalog::RuntimeProfile::Offload);

  // Categories.
  std::string DefaultCategories;
  for (unsigned I = 0; I <= static_cast<unsigned>(Category::Cpu); ++I) {
    auto Cat = static_cast<Category>(I);
    if (!catalog::enabledByDefault(Cat))
      continue;
    if (!DefaultCategories.empty())
      DefaultCategories += ';';
    DefaultCategories += catalog::categoryName(Cat).str();
  }
  EnabledCategoriesOption =
      Options.get("EnabledCategories", DefaultCategories).str();
  for (const std::string &Name : analysis::splitList(EnabledCategoriesOption)) {
    if (std::optional<Category> Cat = catalog::parseCategory(Name))
      EnabledCategories.insert(static_cast<unsigned>(*Cat));
    else
      configurationDiag("unknown category '%0' in option 'EnabledCategories'; "
                        "expected %1")
          << Name << catalog::categoryNames();
  }

  // The catalog, indexed.
  LoggingEnabled =
      EnabledCategories.contains(static_cast<unsigned>(Category::Logging));
  for (const BlockingApi &Entry : catalog::blockingApis()) {
    if (Entry.Cat == Category::Cpu)
      continue; // coro-cpu-bound-loop's
    // A logger of the project's own sources is not followed into either
    // (C functions are in system headers, which are not followed).
    if (Entry.Cat == Category::Logging && !LoggingEnabled &&
        !Entry.Name.starts_with("::"))
      LoggingStops.push_back(Entry.Kind == ApiKind::Function ? Entry.Name.str()
                             : Entry.Kind == ApiKind::Method
                                 ? (Entry.Class + "::" + Entry.Name).str()
                                 : Entry.Class.str());
    switch (Entry.Kind) {
    case ApiKind::Function:
      Functions[catalog::plainName(Entry.Name)].push_back(&Entry);
      break;
    case ApiKind::Method:
      Methods[Entry.Name].push_back(&Entry);
      break;
    case ApiKind::Constructor:
      Constructors[Entry.Class].push_back(&Entry);
      break;
    }
  }

  // User entries: `name` or `name=category`.
  BlockingFunctions = analysis::splitList(Options.get("BlockingFunctions", ""));
  for (const std::string &Item : BlockingFunctions) {
    auto [Name, CategoryName] = StringRef(Item).split('=');
    Name = Name.trim();
    CategoryName = CategoryName.trim();
    Category Cat = Category::User;
    if (!CategoryName.empty()) {
      if (std::optional<Category> Parsed = catalog::parseCategory(CategoryName)) {
        Cat = *Parsed;
      } else {
        configurationDiag("unknown category '%0' for '%1' in option "
                          "'BlockingFunctions'; expected %2")
            << CategoryName << Name << catalog::categoryNames();
        continue;
      }
    }
    FixKind Fix = Cat == Category::SyncWait ? FixKind::None : FixKind::Offload;
    UserNames.push_back(Name.str());
    StringRef Stored = UserNames.back();
    UserEntries.push_back(
        BlockingApi{ApiKind::Function, Stored, "", Cat, Fix, Condition::None, 0});
    Functions[catalog::plainName(Stored)].push_back(&UserEntries.back());
  }
  AllowedFunctions = analysis::splitList(Options.get("AllowedFunctions", ""));

  // The last name of everything above: a cheap first filter for calls.
  auto LastName = [](StringRef Name) {
    size_t Colons = Name.rfind("::");
    return Colons == StringRef::npos ? Name : Name.substr(Colons + 2);
  };
  for (const auto &Entry : Functions)
    InterestingNames.insert(LastName(Entry.getKey()));
  for (const auto &Entry : Methods)
    InterestingNames.insert(Entry.getKey());
  for (const auto &Entry : Constructors)
    InterestingNames.insert(LastName(Entry.getKey()));

  // Functions of other files, from 'corolint --export-summaries'.
  SummaryFile = Options.get("SummaryFile", "").str();
  if (!SummaryFile.empty()) {
    std::string Error;
    std::uint64_t MiB = Options.getLocalOrGlobal(
        "MaxInputSize", analysis::DefaultInputSizeLimit >> 20);
    if (MiB == 0 || MiB > (std::uint64_t(1) << 20)) {
      configurationDiag("MaxInputSize %0 is not a size from 1 to 1048576 (MiB); "
                        "%1 is used")
          << std::to_string(MiB) << std::to_string(analysis::DefaultInputSizeLimit >> 20);
      MiB = analysis::DefaultInputSizeLimit >> 20;
    }
    External = analysis::ExternalSummaries::load(SummaryFile, Name, MiB << 20, Error);
    if (!Error.empty())
      configurationDiag("SummaryFile '%0' is not used: %1; calls of functions "
                        "in other files are not analysed")
          << SummaryFile << Error;
  }
}

void BlockingCallCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  CallChainCheck::storeOptions(Opts);
  storeTemplate(Opts, SleepForTemplate);
  storeTemplate(Opts, SleepUntilTemplate);
  storeTemplate(Opts, OffloadTemplate);
  Options.store(Opts, "EnabledCategories", EnabledCategoriesOption);
  Options.store(Opts, "BlockingFunctions", analysis::joinList(BlockingFunctions));
  Options.store(Opts, "AllowedFunctions", analysis::joinList(AllowedFunctions));
  Options.store(Opts, "GroupRegions", GroupRegions);
  Options.store(Opts, "SummaryFile", SummaryFile);
}

bool BlockingCallCheck::mayBlock(const FunctionDecl &Callee) const {
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(&Callee))
    return InterestingNames.contains(Ctor->getParent()->getName()) ||
           analysis::isDeclaredBlocking(*Ctor);
  DeclarationName Name = Callee.getDeclName();
  bool Interesting = Name.isIdentifier()
                         ? InterestingNames.contains(Name.getAsIdentifierInfo()->getName())
                         : InterestingNames.contains(Name.getAsString());
  return Interesting || Callee.hasAttr<AnnotateAttr>() ||
         (classOf(Callee) && classOf(Callee)->hasAttr<AnnotateAttr>()) ||
         !Callee.getFunctionEffects().empty();
}

bool BlockingCallCheck::conditionHolds(const BlockingApi &Entry, const Expr &Call,
                                       const analysis::AsyncPlacement &Where,
                                       const ASTContext &Ctx) const {
  const Expr *Subject = nullptr;
  if (Entry.Kind == ApiKind::Method) {
    if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(&Call))
      Subject = Member->getImplicitObjectArgument();
    else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(&Call))
      Subject = Op->getNumArgs() > 0 ? Op->getArg(0) : nullptr;
  } else if (const auto *C = llvm::dyn_cast<CallExpr>(&Call)) {
    if (Entry.SubjectArg < C->getNumArgs())
      Subject = C->getArg(Entry.SubjectArg);
  }

  // The static type as written: `in` of `std::getline(in, s)`, not the
  // std::istream& it converts to.
  if (Subject)
    Subject = Subject->IgnoreParenImpCasts();

  switch (Entry.Cond) {
  case Condition::None:
    return true;
  case Condition::SubjectIsStdin:
    return isStdin(Subject);
  case Condition::SubjectNotStdStream:
    return Subject && !isStandardStream(Subject);
  case Condition::SubjectIsStdStream:
    return isStandardStream(Subject);
  case Condition::SubjectIsFileStream:
    return isFileStream(Subject);
  case Condition::NotFileStatus: {
    const CXXRecordDecl *RD = Subject ? recordOf(Subject->getType()) : nullptr;
    return !RD || analysis::qualifiedName(*RD) != "std::filesystem::file_status";
  }
  case Condition::NonZeroTimeout: {
    // The timeout is the argument of type std::chrono::duration.
    const auto *C = llvm::dyn_cast<CallExpr>(&Call);
    if (!C)
      return true;
    for (const Expr *Arg : C->arguments()) {
      const CXXRecordDecl *RD = recordOf(Arg->getType());
      if (RD && analysis::qualifiedName(*RD) == "std::chrono::duration")
        return !isZeroDuration(Arg->IgnoreImplicit(), Ctx);
    }
    return true;
  }
  case Condition::HasArguments: {
    const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(&Call);
    if (!Construct)
      return true;
    return llvm::any_of(Construct->arguments(), [](const Expr *Arg) {
      return !llvm::isa<CXXDefaultArgExpr>(Arg);
    });
  }
  case Condition::FdNotAwaited: {
    const ValueDecl *Fd = analysis::descriptorRoot(Subject);
    if (!Fd || !Where.Coroutine)
      return true;
    bool IsWrite = Entry.Name.contains("write");
    if (descriptors(Ctx).isNonBlocking(*Fd, *Where.Coroutine, IsWrite))
      return false;
    const auto *Body =
        llvm::dyn_cast_or_null<CoroutineBodyStmt>(Where.Coroutine->getBody());
    return !isAwaitedIn(Body ? Body->getBody() : Where.Coroutine->getBody(), Fd);
  }
  }
  return true;
}

std::optional<BlockingCallCheck::Api>
BlockingCallCheck::classify(const Expr &Call, const FunctionDecl &Callee,
                            const analysis::AsyncPlacement &Where,
                            ASTContext &Ctx) const {
  if (analysis::isDeclaredNonBlocking(Callee))
    return std::nullopt;
  // The condition of `assert` is a debug build's check: release builds
  // do not run it.
  if (analysis::inStandardAssert(Call.getBeginLoc(), Ctx))
    return std::nullopt;
  // What a logging macro expands to is logging (off by default), whatever
  // it calls.
  if (!LoggingEnabled && analysis::inLoggingMacro(Call.getBeginLoc(), Ctx))
    return std::nullopt;
  for (const std::string &Allowed : AllowedFunctions)
    if (analysis::nameMatches(Callee, Allowed))
      return std::nullopt;

  std::vector<const BlockingApi *> Candidates;
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(&Callee)) {
    auto It = Constructors.find(analysis::qualifiedName(*Ctor->getParent()));
    if (It != Constructors.end())
      Candidates = It->second;
  } else {
    auto It = Functions.find(analysis::qualifiedName(Callee));
    if (It != Functions.end())
      Candidates = It->second;
    if (Callee.getDeclName().isIdentifier()) {
      auto Unqualified = Functions.find(Callee.getName());
      if (Unqualified != Functions.end() && Unqualified != It)
        for (const BlockingApi *Entry : Unqualified->second)
          if (!Entry->Name.contains("::"))
            Candidates.push_back(Entry); // a user entry without a scope
    }
    if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(&Callee)) {
      const CXXRecordDecl *Object = MD->getParent();
      if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(&Call))
        Object = recordOf(
            Member->getImplicitObjectArgument()->IgnoreParenImpCasts()->getType());
      else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(&Call))
        Object = recordOf(Op->getArg(0)->IgnoreParenImpCasts()->getType());
      auto Named = Methods.find(MD->getNameAsString());
      if (Named != Methods.end())
        for (const BlockingApi *Entry : Named->second)
          if (analysis::isSameOrDerivedFrom(Object, Entry->Class) ||
              analysis::isSameOrDerivedFrom(MD->getParent(), Entry->Class))
            Candidates.push_back(Entry);
    }
  }

  // A C entry (`::poll`) is the C library's function, not a function of
  // the same name that the program defines.
  bool IsCFunction = Callee.isExternC() ||
                     Ctx.getSourceManager().isInSystemHeader(Callee.getLocation());
  for (const BlockingApi *Entry : Candidates) {
    if (!EnabledCategories.contains(static_cast<unsigned>(Entry->Cat)))
      continue;
    if (Entry->Kind == ApiKind::Function && Entry->Name.starts_with("::") &&
        !IsCFunction)
      continue;
    if (!conditionHolds(*Entry, Call, Where, Ctx))
      continue;
    Api A;
    A.Entry = Entry;
    A.Cat = Entry->Cat;
    A.Fix = Entry->Fix;
    switch (Entry->Kind) {
    case ApiKind::Function:
      A.DisplayName = catalog::plainName(Entry->Name).str();
      break;
    case ApiKind::Method:
      A.DisplayName = (Entry->Class + "::" + Entry->Name).str();
      break;
    case ApiKind::Constructor:
      A.DisplayName = Entry->Class.str();
      break;
    }
    return A;
  }

  if (analysis::isDeclaredBlocking(Callee) &&
      EnabledCategories.contains(static_cast<unsigned>(Category::Annotated))) {
    Api A;
    A.Cat = Category::Annotated;
    A.Fix = llvm::isa<CXXConstructorDecl>(Callee) ? FixKind::None
                                                  : FixKind::Offload;
    A.DisplayName = analysis::qualifiedName(Callee);
    return A;
  }
  return std::nullopt;
}

std::string BlockingCallCheck::offloadAdvice(const catalog::RuntimeProfile &P) const {
  return CoroCheckBase::offloadAdvice(OffloadTemplate,
                                      &catalog::RuntimeProfile::OffloadHint, P,
                                      "offload");
}

std::string BlockingCallCheck::hintFor(const Api &A,
                                       const catalog::RuntimeProfile &P) const {
  auto Use = [](StringRef Template) {
    return "use '" + catalog::templateHint(Template) + "'";
  };
  auto SleepAdvice = [&](const TemplateOption &T) {
    if (!T.in(P).empty())
      return Use(T.in(P));
    if (!SleepForTemplate.in(P).empty())
      return Use(SleepForTemplate.in(P));
    return P.SleepHint.str();
  };
  auto OffloadAdvice = [&] { return offloadAdvice(P); };
  switch (A.Fix) {
  case FixKind::SleepFor:
  case FixKind::SleepSeconds:
  case FixKind::SleepMicroseconds:
    return SleepAdvice(SleepForTemplate);
  case FixKind::SleepUntil:
    return SleepAdvice(SleepUntilTemplate);
  case FixKind::Offload:
  case FixKind::OffloadOnNote:
    return OffloadAdvice();
  case FixKind::AwaitArgument:
    return "co_await the work instead";
  case FixKind::OffloadCpu:
  case FixKind::None:
    break;
  }
  switch (A.Cat) {
  case Category::Sleep:
    return SleepAdvice(SleepForTemplate);
  case Category::ThreadWait:
    return "wait on an asynchronous event of the runtime instead";
  case Category::Lock:
    return "use an asynchronous mutex, or keep waits out of the critical "
           "section";
  case Category::SyncWait:
    return "co_await the work instead";
  default:
    return OffloadAdvice();
  }
}

std::optional<analysis::Fact>
BlockingCallCheck::factOf(const Stmt &S, const analysis::AsyncPlacement &Where,
                          ASTContext &Ctx) const {
  if (Where.IsAwaitedOperand)
    return std::nullopt;
  const FunctionDecl *Callee = calleeOf(S);
  if (!Callee || !mayBlock(*Callee))
    return std::nullopt;
  std::optional<Api> A = classify(llvm::cast<Expr>(S), *Callee, Where, Ctx);
  if (!A)
    return std::nullopt;
  analysis::Fact F;
  F.Kind = llvm::isa<CXXConstructExpr>(S) ? analysis::Fact::Construction
                                          : analysis::Fact::Call;
  F.Site = &S;
  F.Api = A->DisplayName;
  F.Cat = A->Cat;
  F.Fix = A->Fix;
  if (A->Entry)
    F.Cond = A->Entry->Cond;
  return F;
}

analysis::DescriptorOrigins &
BlockingCallCheck::descriptors(const ASTContext &Ctx) const {
  if (!Descriptors || &Descriptors->context() != &Ctx)
    Descriptors = std::make_unique<analysis::DescriptorOrigins>(Ctx);
  return *Descriptors;
}

void BlockingCallCheck::configureSummaries(
    analysis::CallSummaryOptions &Opts) const {
  Opts.StopFunctions = AllowedFunctions;
  llvm::append_range(Opts.StopFunctions, LoggingStops);
  Opts.FollowLogging = LoggingEnabled;
}

void BlockingCallCheck::checkBody(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  llvm::SmallVector<analysis::CallEdge, 2> Edges;
  std::vector<Finding> Findings;
  auto Found = [&](Finding::KindType Kind, const Stmt &S,
                   const analysis::AsyncPlacement &Where,
                   analysis::ParentChain Parents) -> Finding & {
    Finding &F = Findings.emplace_back();
    F.Kind = Kind;
    F.Site = &S;
    F.Where = Where;
    F.Parents.assign(Parents.begin(), Parents.end());
    return F;
  };
  walkMatchedBody(
      Result,
      [&](const Stmt &S, const analysis::AsyncPlacement &Where,
          analysis::ParentChain Parents) {
        if (Where.IsAwaitedOperand)
          return;
        const FunctionDecl *Callee = calleeOf(S);
        if (Callee && mayBlock(*Callee)) {
          const auto &Call = llvm::cast<Expr>(S);
          if (std::optional<Api> A = classify(Call, *Callee, Where, Ctx)) {
            if (firstReportAt(Call.getBeginLoc())) {
              Finding &F = Found(Finding::Direct, S, Where, Parents);
              // A construction moves with the statements of its region.
              F.Offloaded = A->Fix == FixKind::Offload ||
                            (llvm::isa<CXXConstructExpr>(S) &&
                             A->Cat != Category::Lock &&
                             A->Cat != Category::SyncWait &&
                             A->Cat != Category::ThreadWait);
              F.A = std::move(*A);
            }
            return;
          }
        }
        if (MaxCallDepth == 0)
          return;
        // Blocking through the functions this statement calls.
        analysis::CallSummaries &Calls = summaries(Ctx);
        Edges.clear();
        Calls.callsOf(S, Edges);
        for (const analysis::CallEdge &Edge : Edges) {
          if (const analysis::CallChain *Chain = Calls.chainFromCall(
                  *Edge.Callee, S, Parents)) {
            if (!passesNonBlockingFd(S, *Chain->Final, Where,
                                     descriptors(Ctx)) &&
                firstChainReportAt(Edge.Loc, *Chain, *Result.SourceManager)) {
              Finding &F = Found(Finding::Helper, S, Where, Parents);
              F.Edge = Edge;
              F.Chain = Chain;
              F.Offloaded = chainFix(*Chain->Final) == FixKind::Offload;
            }
            return;
          }
          if (const analysis::ExternalChain *Chain = externalChain(*Edge.Callee)) {
            if (firstReportAt(Edge.Loc)) {
              Finding &F = Found(Finding::External, S, Where, Parents);
              F.Edge = Edge;
              F.Ext = Chain;
              std::optional<Category> Cat = catalog::parseCategory(Chain->Category);
              F.Offloaded = !(Cat && *Cat == Category::SyncWait);
            }
            return;
          }
        }
      });
  report(Findings, Result);
}

void BlockingCallCheck::report(const Finding &F,
                               const std::vector<FixItHint> *RegionFixes,
                               const MatchFinder::MatchResult &Result) {
  switch (F.Kind) {
  case Finding::Direct:
    diagnose(llvm::cast<Expr>(*F.Site), F.A, F.Where, F.Parents, Result,
             RegionFixes);
    break;
  case Finding::Helper:
    diagnoseChain(*F.Site, F.Edge, *F.Chain, F.Where, F.Parents, Result,
                  RegionFixes);
    break;
  case Finding::External:
    diagnoseExternal(*F.Site, F.Edge, *F.Ext, F.Where, F.Parents, Result,
                     RegionFixes);
    break;
  }
}

void BlockingCallCheck::report(llvm::ArrayRef<Finding> Findings,
                               const MatchFinder::MatchResult &Result) {
  if (!GroupRegions) {
    for (const Finding &F : Findings)
      report(F, nullptr, Result);
    return;
  }
  std::vector<analysis::RegionCall> Calls;
  for (const Finding &F : Findings)
    Calls.push_back({F.Site, F.Parents, F.Where.Coroutine, F.Offloaded});
  const SourceManager &SM = *Result.SourceManager;
  for (const analysis::BlockingRegion &Region :
       analysis::groupBlockingRegions(Calls, SM)) {
    const Finding &Lead = Findings[Region.Calls.front()];
    if (Region.Calls.size() == 1) {
      report(Lead, nullptr, Result);
      continue;
    }
    // One offload of the region's statements; where that cannot be made,
    // each call's own.
    std::vector<FixItHint> Fixes;
    CharSourceRange Range;
    std::string Why;
    std::string Replacement = offloadRegionReplacement(
        Region, OffloadTemplate, Lead.Where, Result, Range, Why);
    if (!Replacement.empty()) {
      Fixes.push_back(FixItHint::CreateReplacement(Range, Replacement));
    } else {
      for (unsigned Index : Region.Calls) {
        const Finding &F = Findings[Index];
        const auto *Call = llvm::dyn_cast<CallExpr>(F.Site);
        CharSourceRange CallRange;
        std::string Own =
            Call ? offloadReplacement(*Call, OffloadTemplate, F.Where, F.Parents,
                                      Result, CallRange)
                 : "";
        // Not a call inside another one's arguments: that one carries it.
        if (!Own.empty() && llvm::none_of(Fixes, [&](const FixItHint &H) {
              return SM.isBeforeInTranslationUnit(H.RemoveRange.getBegin(),
                                                  CallRange.getEnd()) &&
                     SM.isBeforeInTranslationUnit(CallRange.getBegin(),
                                                  H.RemoveRange.getEnd());
            }))
          Fixes.push_back(FixItHint::CreateReplacement(CallRange, Own));
      }
    }
    if (!Fixes.empty())
      if (std::optional<FixItHint> Include = includeFor(
              Fixes.front().RemoveRange.getBegin(), SM, profileFor(*Lead.Where.Coroutine)))
        Fixes.push_back(*Include);
    report(Lead, &Fixes, Result);

    for (unsigned K = 1; K < Region.Calls.size(); ++K) {
      const Finding &F = Findings[Region.Calls[K]];
      SourceLocation At = F.Kind == Finding::Direct ? F.Site->getBeginLoc() : F.Edge.Loc;
      // The function the member's own warning would have named.
      std::string Name =
          F.Kind == Finding::Direct   ? F.A.DisplayName
          : F.Kind == Finding::Helper ? analysis::functionName(*F.Chain->Functions.front())
                                      : analysis::functionName(*F.Edge.Callee);
      const analysis::BlockingRegion::Link &Link = Region.Links[K];
      if (Link.On)
        diag(At, "the call to '%0' blocks too, on '%1': one blocking region "
                 "with the call above",
             DiagnosticIDs::Note)
            << Name << Link.On->getName();
      else
        diag(At, "the call to '%0' blocks too, %select{in the same "
                 "statement|in the next statement}1: one blocking region with "
                 "the call above",
             DiagnosticIDs::Note)
            << Name << (Link.Kind == analysis::BlockingRegion::Link::NextStatement);
    }
    if (Replacement.empty() && !Why.empty())
      diag(Lead.Site->getBeginLoc(),
           "the region's statements are offloaded call by call: %0",
           DiagnosticIDs::Note)
          << Why;
  }
}

void BlockingCallCheck::noteErrnoOffload(SourceLocation Loc,
                                         CharSourceRange CallRange,
                                         StringRef Replacement,
                                         const SourceManager &SM,
                                         const catalog::RuntimeProfile &P) {
  auto Note = diag(Loc,
                   "offload the call if nothing reads errno after it: errno "
                   "is then set on the worker thread",
                   DiagnosticIDs::Note);
  Note << runtimeRewrite(CallRange, Replacement, SM, P);
}

std::string BlockingCallCheck::offloadedCall(
    const Stmt &S, FixKind Fix, const analysis::AsyncPlacement &Where,
    analysis::ParentChain Parents, const MatchFinder::MatchResult &Result,
    CharSourceRange &CallRange) const {
  // The call of the helper is what moves to another thread; the same rules
  // as for a direct call decide whether it can.
  const auto *AsCall = llvm::dyn_cast<CallExpr>(&S);
  if (!AsCall || (Fix != FixKind::Offload && Fix != FixKind::OffloadOnNote))
    return "";
  return offloadReplacement(*AsCall, OffloadTemplate, Where, Parents, Result,
                            CallRange);
}

const analysis::ExternalChain *
BlockingCallCheck::externalChain(const FunctionDecl &Callee) const {
  if (!External || Callee.hasBody() || analysis::isDeclaredNonBlocking(Callee) ||
      analysis::isListed(&Callee, AllowedFunctions) ||
      analysis::isListed(&Callee, ContextOptions.OffloadFunctions))
    return nullptr;
  const analysis::ExternalChain *Chain = External->find(analysis::usrOf(Callee));
  if (!Chain || Chain->Depth > MaxCallDepth)
    return nullptr;
  return Chain;
}

/// The location of \p Line and \p Column in \p File, loading the file
/// into the source manager if the translation unit did not read it; invalid
/// if the file is gone.
static SourceLocation locationIn(SourceManager &SM, StringRef File,
                                 unsigned Line, unsigned Column) {
  // The path comes from the summary file: a FIFO there must not be read.
  if (!analysis::whyNotAFile(File).empty())
    return {};
  llvm::Expected<FileEntryRef> Entry = SM.getFileManager().getFileRef(File);
  if (!Entry) {
    llvm::consumeError(Entry.takeError());
    return {};
  }
  FileID ID = SM.getOrCreateFileID(*Entry, SrcMgr::C_User);
  return SM.translateLineCol(ID, Line, Column);
}

void BlockingCallCheck::diagnoseExternal(const Stmt &S,
                                         const analysis::CallEdge &Edge,
                                         const analysis::ExternalChain &Chain,
                                         const analysis::AsyncPlacement &Where,
                                         analysis::ParentChain Parents,
                                         const MatchFinder::MatchResult &Result,
                                         const std::vector<FixItHint> *RegionFixes) {
  SourceManager &SM = *Result.SourceManager;
  std::optional<Category> Cat = catalog::parseCategory(Chain.Category);
  bool SyncWait = Cat && *Cat == Category::SyncWait;
  FixKind Fix = SyncWait ? FixKind::None : FixKind::Offload;
  CharSourceRange CallRange;
  std::string Replacement = offloadedCall(S, Fix, Where, Parents, Result, CallRange);
  StringRef Description = Cat ? catalog::categoryDescription(*Cat) : "";
  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  std::string Hint = SyncWait ? "make it a coroutine and co_await the work"
                              : offloadAdvice(P);
  {
    auto Diag = diag(Edge.Loc, "%0")
                << analysis::crossfile::message(Wording, analysis::functionName(*Edge.Callee),
                                      analysis::coroutineName(Where),
                                      "'" + Chain.Api + "'", Description, Hint);
    if (RegionFixes) {
      for (const FixItHint &Fix : *RegionFixes)
        Diag << Fix;
    } else if (!Replacement.empty()) {
      Diag << runtimeRewrite(CallRange, Replacement, SM, P);
    }
  }
  for (size_t I = 0; I < Chain.Steps.size(); ++I) {
    const analysis::ExternalChain::Step &Step = Chain.Steps[I];
    std::string Text =
        I + 1 < Chain.Steps.size()
            ? analysis::crossfile::callNote(Step.Name, Chain.Steps[I + 1].Name)
            : analysis::crossfile::factNote(Wording, Step.Name, "'" + Chain.Api + "'");
    SourceLocation At = locationIn(SM, Step.File, Step.Line, Step.Column);
    if (At.isValid()) {
      diag(At, "%0", DiagnosticIDs::Note) << Text;
    } else {
      diag(Edge.Loc, "%0 (at %1:%2)", DiagnosticIDs::Note)
          << Text << Step.File << Step.Line;
    }
  }
}

void BlockingCallCheck::diagnoseChain(const Stmt &S,
                                      const analysis::CallEdge &Edge,
                                      const analysis::CallChain &Chain,
                                      const analysis::AsyncPlacement &Where,
                                      analysis::ParentChain Parents,
                                      const MatchFinder::MatchResult &Result,
                                      const std::vector<FixItHint> *RegionFixes) {
  const SourceManager &SM = *Result.SourceManager;
  const analysis::Fact &Final = *Chain.Final;
  FixKind Fix = chainFix(Final);

  CharSourceRange CallRange;
  std::string Replacement =
      offloadedCall(S, Fix, Where, Parents, Result, CallRange);

  std::string Helper = analysis::functionName(*Chain.Functions.front());
  std::string Coroutine = analysis::coroutineName(Where);
  StringRef Description = catalog::categoryDescription(Final.Cat);
  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  std::string Hint;
  if (Fix == FixKind::Offload || Fix == FixKind::OffloadOnNote)
    Hint = offloadAdvice(P);
  else if (Final.Cat == Category::SyncWait)
    Hint = "make it a coroutine and co_await the work";
  else
    Hint = hintFor(Api{nullptr, Final.Cat, Fix, Final.Api}, P);
  {
    auto Diag =
        Final.Cat == Category::SyncWait
            ? diag(Edge.Loc, "call to '%0' in %1 deadlocks the event loop: it "
                             "calls '%2', which waits synchronously for "
                             "asynchronous work; %3")
        : Description.empty()
            ? diag(Edge.Loc, "call to '%0' in %1 blocks the event loop: it "
                             "calls '%2'; %3")
            : diag(Edge.Loc, "call to '%0' in %1 blocks the event loop: it "
                             "calls '%2' (%4); %3");
    Diag << Helper << Coroutine << Final.Api << Hint;
    if (!Description.empty() && Final.Cat != Category::SyncWait)
      Diag << Description;
    if (RegionFixes) {
      for (const FixItHint &Fix : *RegionFixes)
        Diag << Fix;
    } else if (!Replacement.empty() && Fix == FixKind::Offload) {
      Diag << runtimeRewrite(CallRange, Replacement, SM, P);
    }
  } // the warning is emitted here, before its notes

  noteChainCalls(Chain);
  noteChainFact(Chain);

  if (!Replacement.empty() && Fix == FixKind::OffloadOnNote)
    noteErrnoOffload(Edge.Loc, CallRange, Replacement, SM, P);
  noteColdPath(Chain);
  noteInlineLambda(Where);
}

void BlockingCallCheck::diagnose(const Expr &Call, const Api &A,
                                 const analysis::AsyncPlacement &Where,
                                 analysis::ParentChain Parents,
                                 const MatchFinder::MatchResult &Result,
                                 const std::vector<FixItHint> *RegionFixes) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  const LangOptions &LO = Ctx.getLangOpts();
  const auto *AsCall = llvm::dyn_cast<CallExpr>(&Call);

  // A rewrite needs the coroutine's own body (co_await is ill-formed in a
  // handler and in a lambda that is not a coroutine) and no macro.
  CharSourceRange CallRange = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Call.getSourceRange()), SM, LO);
  bool CanRewrite = analysis::canAwaitAt(Where) && Call.getBeginLoc().isFileID() &&
                    Call.getEndLoc().isFileID() && CallRange.isValid() && AsCall;

  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  std::string Replacement;
  bool NeedsHeader = false;
  if ((A.Fix == FixKind::Offload || A.Fix == FixKind::OffloadOnNote) && AsCall) {
    Replacement = offloadReplacement(Call, OffloadTemplate, Where, Parents,
                                     Result, CallRange);
    NeedsHeader = !Replacement.empty();
  } else if (CanRewrite) {
    const TemplateOption *Template = nullptr;
    std::string Prefix, Suffix;
    switch (A.Fix) {
    case FixKind::SleepFor:
      Template = &SleepForTemplate;
      break;
    case FixKind::SleepUntil:
      Template = &SleepUntilTemplate;
      break;
    case FixKind::SleepSeconds:
      Template = &SleepForTemplate;
      Prefix = "std::chrono::seconds(";
      Suffix = ")";
      break;
    case FixKind::SleepMicroseconds:
      Template = &SleepForTemplate;
      Prefix = "std::chrono::microseconds(";
      Suffix = ")";
      break;
    default:
      break;
    }
    if (Template && !Template->in(P).empty()) {
      // The runtime's sleep returns nothing: only a statement of its own.
      if (AsCall->getNumArgs() == 1 && analysis::isStatementPosition(Call, Parents))
        if (std::optional<std::string> Arg =
                analysis::sourceText(AsCall->getArg(0)->getSourceRange(), SM, LO)) {
          Replacement =
              catalog::expandTemplate(Template->in(P), Prefix + *Arg + Suffix);
          NeedsHeader = true;
        }
    } else if (A.Fix == FixKind::AwaitArgument && AsCall->getNumArgs() >= 1) {
      if (std::optional<std::string> Arg =
              analysis::sourceText(AsCall->getArg(0)->getSourceRange(), SM, LO))
        Replacement = "co_await " + *Arg;
    }
    if (!Replacement.empty() && analysis::needsParentheses(Call, Parents))
      Replacement = "(" + Replacement + ")";
  }

  std::string Coroutine = analysis::coroutineName(Where);
  std::string Hint = hintFor(A, P);
  StringRef Description = catalog::categoryDescription(A.Cat);
  bool FixOnNote = A.Fix == FixKind::OffloadOnNote;
  {
    auto Diag =
        A.Cat == Category::SyncWait
            ? diag(Call.getBeginLoc(), "call to '%0' in %1 waits "
                                       "synchronously for asynchronous work "
                                       "and deadlocks the event loop; %2")
            : Description.empty()
                  ? diag(Call.getBeginLoc(), "blocking call to '%0' in %1 "
                                             "stalls the event loop; %2")
                  : diag(Call.getBeginLoc(), "blocking call to '%0' (%3) in %1 "
                                             "stalls the event loop; %2");
    Diag << A.DisplayName << Coroutine << Hint;
    if (!Description.empty() && A.Cat != Category::SyncWait)
      Diag << Description;
    if (RegionFixes) {
      for (const FixItHint &Fix : *RegionFixes)
        Diag << Fix;
    } else if (!Replacement.empty() && !FixOnNote) {
      Diag << FixItHint::CreateReplacement(CallRange, Replacement);
      if (NeedsHeader)
        Diag << includeFor(CallRange.getBegin(), SM, P);
    }
  } // the warning is emitted here, before its notes

  if (!Replacement.empty() && FixOnNote)
    noteErrnoOffload(Call.getBeginLoc(), CallRange, Replacement, SM, P);
  noteInlineLambda(Where);
}

} // namespace corolint
