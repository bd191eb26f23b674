//===- CoroCheckBase.cpp - what every coro-* check shares -----------------===//

#include "checks/CoroCheckBase.h"

#include "checks/analysis/Rewrite.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Lex/Lexer.h"

namespace corolint {

namespace {

/// The function that \p Template calls with `{0}` among its arguments, if
/// it is named (`ns::f(x, {0})` gives `ns::f`).
std::string offloadHelperOf(llvm::StringRef Template) {
  size_t Arg = Template.find("{0}");
  if (Arg == llvm::StringRef::npos)
    return "";
  // The innermost parenthesis open before the argument.
  int Depth = 0;
  size_t Open = llvm::StringRef::npos;
  for (size_t I = Arg; I-- > 0;) {
    char C = Template[I];
    if (C == ')')
      ++Depth;
    else if (C == '(' && Depth-- == 0) {
      Open = I;
      break;
    }
  }
  if (Open == llvm::StringRef::npos)
    return "";
  llvm::StringRef Before = Template.substr(0, Open).rtrim();
  size_t Start = Before.size();
  while (Start > 0 && (clang::isAsciiIdentifierContinue(Before[Start - 1]) ||
                       Before[Start - 1] == ':'))
    --Start;
  llvm::StringRef Name = Before.substr(Start).ltrim(':');
  return Name.empty() || clang::isDigit(Name.front()) ? "" : Name.str();
}

/// True unless \p T is a class that cannot be default-constructed.
bool isDefaultConstructible(clang::QualType T) {
  const clang::CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return !T->isDependentType();
  RD = RD->getDefinition();
  return RD && RD->hasDefaultConstructor(); // declared, or implicit
}

/// True if a value can be assigned to an object of type \p T: a scalar, or
/// a class with a copy or move assignment that is not deleted (declared, or
/// implicit with no const or reference member and members that are).
bool isAssignable(clang::QualType T, unsigned Depth = 0) {
  if (T.isConstQualified() || T->isReferenceType() || T->isArrayType())
    return false;
  const clang::CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return T->isScalarType();
  RD = RD->getDefinition();
  if (!RD || Depth > 4)
    return false;
  bool Declared = false;
  for (const clang::CXXMethodDecl *M : RD->methods())
    if (M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator()) {
      if (!M->isDeleted())
        return true;
      Declared = true;
    }
  if (Declared)
    return false;
  return llvm::all_of(RD->fields(), [&](const clang::FieldDecl *F) {
           return isAssignable(F->getType(), Depth + 1);
         }) &&
         llvm::all_of(RD->bases(), [&](const clang::CXXBaseSpecifier &B) {
           return isAssignable(B.getType(), Depth + 1);
         });
}

} // namespace

CoroCheckBase::CoroCheckBase(llvm::StringRef Name,
                             clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RuntimeName(
          Options.getLocalOrGlobal("Runtime", catalog::AutoRuntime).str()),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        clang::tidy::utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {
  if (RuntimeName != catalog::AutoRuntime) {
    FixedProfile = catalog::findRuntimeProfile(RuntimeName);
    if (!FixedProfile) {
      configurationDiag("invalid value '%0' for option 'Runtime'; expected one "
                        "of %1 (using 'auto')")
          << RuntimeName << catalog::runtimeProfileNames();
      RuntimeName = catalog::AutoRuntime.str();
    }
  }
  RuntimeHeader = Options.get("RuntimeHeader", "").str();

  // What these options describe is the program, the same for every check.
  ContextOptions.SyncGenerators = analysis::splitList(Options.getLocalOrGlobal(
      "SyncGenerators", analysis::defaultSyncGenerators()));
  ContextOptions.OffloadFunctions = analysis::splitList(Options.getLocalOrGlobal(
      "OffloadFunctions", analysis::defaultOffloadFunctions()));
  ContextOptions.InlineFunctions = analysis::splitList(Options.getLocalOrGlobal(
      "InlineFunctions", analysis::defaultInlineFunctions()));
  ContextOptions.AsyncContextFunctions =
      analysis::splitList(Options.getLocalOrGlobal("AsyncContextFunctions", ""));
  ContextOptions.ThreadHops = analysis::splitList(
      Options.getLocalOrGlobal("ThreadHops", analysis::defaultThreadHops()));
  OffloadFunctionsOption = ContextOptions.OffloadFunctions;

  // The helper that a user's offload template (of any check) calls with the
  // work runs it on another thread: `net::offload({0})`.
  for (const auto &[Key, Value] : Context->getOptions().CheckOptions) {
    llvm::StringRef K = Key;
    if (!K.starts_with("coro-") || !K.ends_with("OffloadTemplate"))
      continue;
    std::string Helper = offloadHelperOf(Value.Value);
    if (!Helper.empty() && !llvm::is_contained(ContextOptions.OffloadFunctions, Helper))
      ContextOptions.OffloadFunctions.push_back(Helper);
  }
}

void CoroCheckBase::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "Runtime", RuntimeName);
  Options.store(Opts, "RuntimeHeader", RuntimeHeader);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
  Options.store(Opts, "SyncGenerators",
                analysis::joinList(ContextOptions.SyncGenerators));
  Options.store(Opts, "OffloadFunctions", analysis::joinList(OffloadFunctionsOption));
  Options.store(Opts, "InlineFunctions",
                analysis::joinList(ContextOptions.InlineFunctions));
  Options.store(Opts, "AsyncContextFunctions",
                analysis::joinList(ContextOptions.AsyncContextFunctions));
  Options.store(Opts, "ThreadHops", analysis::joinList(ContextOptions.ThreadHops));
}

void CoroCheckBase::registerPPCallbacks(const clang::SourceManager &SM,
                                        clang::Preprocessor *PP,
                                        clang::Preprocessor *ModuleExpanderPP) {
  Inserter.registerPreprocessor(PP);
}

CoroCheckBase::TemplateOption
CoroCheckBase::readTemplate(llvm::StringRef OptionName,
                            llvm::StringRef catalog::RuntimeProfile::*Field) {
  TemplateOption T{OptionName.str(), Options.get(OptionName, "").str(), Field};
  if (!T.User.empty() && llvm::StringRef(T.User).find("{0}") == llvm::StringRef::npos) {
    configurationDiag("option '%0' must contain '{0}' where the argument "
                      "goes; the template '%1' is ignored")
        << OptionName << T.User;
    T.User.clear();
  }
  return T;
}

void CoroCheckBase::storeTemplate(clang::tidy::ClangTidyOptions::OptionMap &Opts,
                                  const TemplateOption &T) {
  Options.store(Opts, T.Name, T.User);
}

const catalog::RuntimeProfile &
CoroCheckBase::profileFor(const clang::FunctionDecl &Coroutine) const {
  if (FixedProfile)
    return *FixedProfile;
  // The declaration the type names, through aliases: `task<T>` declared as
  // `using task = asio::awaitable<T>` is asio's.
  return catalog::runtimeOfCoroutineType(
      analysis::typeName(Coroutine.getReturnType()));
}

std::string
CoroCheckBase::offloadAdvice(const TemplateOption &T,
                             llvm::StringRef catalog::RuntimeProfile::*Hint,
                             const catalog::RuntimeProfile &P,
                             llvm::StringRef Verb) const {
  if (T.User.empty() && !(P.*Hint).empty())
    return (P.*Hint).str();
  llvm::StringRef Template = T.in(P);
  if (Template.empty())
    return (P.*Hint).str();
  return Verb.str() + " it with '" + catalog::templateHint(Template) + "'";
}

std::string CoroCheckBase::offloadReplacement(
    const clang::Expr &Call, const TemplateOption &T,
    const analysis::AsyncPlacement &Where, analysis::ParentChain Parents,
    const clang::ast_matchers::MatchFinder::MatchResult &Result,
    clang::CharSourceRange &Range) const {
  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  llvm::StringRef Template = T.in(P);
  // co_await is ill-formed in a handler and in a lambda that is not a
  // coroutine; a suspension inside would move to the other thread.
  if (Template.empty() || !analysis::canAwaitAt(Where) ||
      !Call.getBeginLoc().isFileID() || !Call.getEndLoc().isFileID() ||
      analysis::containsSuspension(&Call))
    return "";
  const clang::SourceManager &SM = *Result.SourceManager;
  const clang::LangOptions &LO = Result.Context->getLangOpts();
  Range = clang::Lexer::makeFileCharRange(
      clang::CharSourceRange::getTokenRange(Call.getSourceRange()), SM, LO);
  std::optional<std::string> Text =
      analysis::sourceText(Call.getSourceRange(), SM, LO);
  if (!Text || !Range.isValid())
    return "";

  std::string Lambda;
  bool Dereference = false;
  if (P.AwaitsReferences) {
    Lambda = analysis::offloadLambda(Call, *Text);
  } else if (analysis::isStatementPosition(Call, Parents) ||
             Call.getType()->isVoidType()) {
    Lambda = "[&] { " + *Text + "; }"; // nothing to carry back
  } else if (Call.isGLValue()) {
    // Not `awaitable<T&>`: the address comes back, and the reference is
    // the awaited pointer's target.
    Lambda = "[&] { return std::addressof(" + *Text + "); }";
    Dereference = true;
  } else if (P.DefaultConstructsResult && !isDefaultConstructible(Call.getType())) {
    return "";
  } else {
    Lambda = "[&] { return " + *Text + "; }";
  }
  std::string Replacement =
      (Dereference ? "*" : "") + catalog::expandTemplate(Template, Lambda);
  if (analysis::needsParentheses(Call, Parents))
    Replacement = "(" + Replacement + ")";
  return Replacement;
}

/// The end of the last token of statement \p S: its `;` or `}`.
static clang::SourceLocation statementEnd(const clang::Stmt &S,
                                          const clang::SourceManager &SM,
                                          const clang::LangOptions &LO) {
  clang::SourceLocation End = S.getEndLoc();
  clang::Token Last;
  if (clang::Lexer::getRawToken(End, Last, SM, LO) ||
      Last.isOneOf(clang::tok::semi, clang::tok::r_brace))
    return End;
  std::optional<clang::Token> Next = clang::Lexer::findNextToken(End, SM, LO);
  return Next && Next->is(clang::tok::semi) ? Next->getLocation() : End;
}

std::string CoroCheckBase::offloadRegionReplacement(
    const analysis::BlockingRegion &Region, const TemplateOption &T,
    const analysis::AsyncPlacement &Where,
    const clang::ast_matchers::MatchFinder::MatchResult &Result,
    clang::CharSourceRange &Range, std::string &Why) const {
  const catalog::RuntimeProfile &P = profileFor(*Where.Coroutine);
  llvm::StringRef Template = T.in(P);
  if (Template.empty() || !analysis::canAwaitAt(Where) || !Region.Block)
    return "";
  const clang::SourceManager &SM = *Result.SourceManager;
  const clang::LangOptions &LO = Result.Context->getLangOpts();
  Why = analysis::whyNotMovable(Region, SM).str();
  if (!Why.empty())
    return "";
  llvm::ArrayRef<const clang::Stmt *> Statements = Region.statements();
  clang::SourceLocation Begin = Statements.front()->getBeginLoc();
  clang::SourceLocation End = statementEnd(*Statements.back(), SM, LO);
  Range = clang::Lexer::makeFileCharRange(
      clang::CharSourceRange::getTokenRange(Begin, End), SM, LO);
  std::optional<std::string> Text =
      analysis::sourceText(clang::SourceRange(Begin, End), SM, LO);
  if (!Text || !Range.isValid()) {
    Why = "they contain a macro";
    return "";
  }

  llvm::StringRef Buffer = SM.getBufferData(SM.getFileID(Range.getBegin()));
  llvm::StringRef Line = Buffer.substr(0, SM.getFileOffset(Range.getBegin()));
  Line = Line.substr(Line.rfind('\n') + 1);
  std::string Indent = Line.take_while([](char C) { return C == ' ' || C == '\t'; }).str();

  // What the statements declare for later ones: one variable comes back
  // from the lambda; more are declared before it and assigned in it.
  auto OffsetsOf = [&](const clang::Stmt &S) {
    clang::CharSourceRange R = clang::Lexer::makeFileCharRange(
        clang::CharSourceRange::getTokenRange(S.getBeginLoc(),
                                              statementEnd(S, SM, LO)),
        SM, LO);
    return std::make_pair(SM.getFileOffset(R.getBegin()),
                          SM.getFileOffset(R.getEnd()));
  };
  std::string Declaration, Returned, Hoisted;
  llvm::DenseMap<const clang::Stmt *, std::string> Rewritten;
  llvm::SmallVector<const clang::VarDecl *, 2> Living =
      analysis::variablesLivingPast(Region);
  for (const clang::VarDecl *Var : Living) {
    const clang::DeclStmt *Decl = nullptr;
    for (const clang::Stmt *S : Statements)
      if (const auto *D = llvm::dyn_cast<clang::DeclStmt>(S);
          D && llvm::is_contained(D->decls(), Var))
        Decl = D;
    clang::QualType Type = Var->getType();
    std::string Name = Var->getNameAsString();
    std::optional<std::string> Head =
        Decl && Decl->isSingleDecl() && !Var->isStaticLocal() &&
                !llvm::isa<clang::DecompositionDecl>(Var) &&
                !Type->isReferenceType() && !Type->isUndeducedType()
            ? analysis::sourceText(
                  clang::SourceRange(Decl->getBeginLoc(), Var->getLocation()), SM, LO)
            : std::nullopt;
    if (Head && Living.size() == 1 && !Type->isArrayType() &&
        (!P.DefaultConstructsResult || isDefaultConstructible(Type))) {
      Declaration = *Head + " = ";
      Returned = Name;
      // One declaration: the lambda returns its initialiser.
      if (Statements.size() == 1 && Var->getInitStyle() == clang::VarDecl::CInit &&
          Var->getInit())
        if (std::optional<std::string> Init = analysis::sourceText(
                Var->getInit()->getSourceRange(), SM, LO)) {
          Text = "return " + *Init + ";";
          Returned.clear();
        }
      break;
    }
    // Declared before the lambda: as written if it has no initialiser, else
    // value-initialised there and assigned in the lambda.
    std::optional<std::string> Whole =
        Decl ? analysis::sourceText(clang::SourceRange(Decl->getBeginLoc(),
                                                       statementEnd(*Decl, SM, LO)),
                                    SM, LO)
             : std::nullopt;
    std::optional<std::string> Init =
        Var->getInit() ? analysis::sourceText(Var->getInit()->getSourceRange(), SM, LO)
                       : std::nullopt;
    bool Written = Head && Whole &&
                   llvm::StringRef(*Whole).drop_front(Head->size()).trim() != ";";
    if (Head && Whole && !Written) {
      Hoisted += *Whole + "\n" + Indent;
      Rewritten[Decl] = "";
    } else if (Head && Init && Var->getInitStyle() == clang::VarDecl::CInit &&
               !Type->getContainedAutoType() && isAssignable(Type) &&
               (Type->isScalarType() || isDefaultConstructible(Type))) {
      Hoisted += *Head + "{};\n" + Indent;
      Rewritten[Decl] = Name + " = " + *Init + ";";
    } else {
      Why = "the variable '" + Name +
            "' that later statements use cannot be declared before the offload";
      return "";
    }
  }
  if (!Rewritten.empty()) {
    std::string Moved;
    unsigned Pos = SM.getFileOffset(Range.getBegin());
    for (const clang::Stmt *S : Statements) {
      auto It = Rewritten.find(S);
      if (It == Rewritten.end())
        continue;
      auto [From, To] = OffsetsOf(*S);
      Moved += Buffer.substr(Pos, From - Pos);
      Moved += It->second;
      Pos = To;
      if (It->second.empty()) { // an emptied line goes
        while (!Moved.empty() && (Moved.back() == ' ' || Moved.back() == '\t'))
          Moved.pop_back();
        while (Pos < Buffer.size() && (Buffer[Pos] == ' ' || Buffer[Pos] == '\t' ||
                                       Buffer[Pos] == '\n'))
          if (Buffer[Pos++] == '\n')
            break;
      }
    }
    unsigned RangeEnd = SM.getFileOffset(Range.getEnd());
    if (Pos < RangeEnd)
      Moved += Buffer.substr(Pos, RangeEnd - Pos);
    Text = llvm::StringRef(Moved).rtrim().str();
  }

  // The statements keep their lines, two columns further in.
  std::string Body;
  bool RawString = llvm::StringRef(*Text).contains("R\"");
  for (size_t I = 0; I < Text->size(); ++I) {
    Body += (*Text)[I];
    if ((*Text)[I] == '\n' && !RawString && I + 1 < Text->size() &&
        (*Text)[I + 1] != '\n')
      Body += "  ";
  }
  std::string Lambda = "[&] {\n" + Indent + "  " + Body;
  if (!Returned.empty())
    Lambda += "\n" + Indent + "  return " + Returned + ";";
  Lambda += "\n" + Indent + "}";
  return Hoisted + Declaration + catalog::expandTemplate(Template, Lambda) + ";";
}

llvm::SmallVector<clang::FixItHint, 2>
CoroCheckBase::runtimeRewrite(clang::CharSourceRange Range,
                              llvm::StringRef Replacement,
                              const clang::SourceManager &SM,
                              const catalog::RuntimeProfile &P) {
  llvm::SmallVector<clang::FixItHint, 2> Fixes;
  Fixes.push_back(clang::FixItHint::CreateReplacement(Range, Replacement));
  if (std::optional<clang::FixItHint> Include = includeFor(Range.getBegin(), SM, P))
    Fixes.push_back(std::move(*Include));
  return Fixes;
}

std::optional<clang::FixItHint>
CoroCheckBase::includeFor(clang::SourceLocation Loc,
                          const clang::SourceManager &SM,
                          const catalog::RuntimeProfile &P) {
  // The inserter takes <h> as written and adds the quotes of "h".
  llvm::StringRef Header = RuntimeHeader.empty() ? P.Header : RuntimeHeader;
  if (Header.empty())
    return std::nullopt;
  if (Header.size() > 1 && Header.front() == '"' && Header.back() == '"')
    Header = Header.drop_front().drop_back();
  return Inserter.createIncludeInsertion(SM.getFileID(Loc), Header);
}

void CoroCheckBase::registerAsyncBodyMatchers(
    clang::ast_matchers::MatchFinder *Finder) {
  using namespace clang::ast_matchers;
  // Bodies are found from the top and walked once, without a parent map.
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(coroutineBodyStmt()),
                                  unless(isExpansionInSystemHeader()))
                         .bind("async-function"),
                     this);
  Finder->addMatcher(
      lambdaExpr(unless(isExpansionInSystemHeader())).bind("async-lambda"), this);
  std::vector<llvm::StringRef> Callbacks(
      ContextOptions.AsyncContextFunctions.begin(),
      ContextOptions.AsyncContextFunctions.end());
  if (!Callbacks.empty())
    Finder->addMatcher(functionDecl(isDefinition(), hasAnyName(Callbacks),
                                    unless(isExpansionInSystemHeader()))
                           .bind("async-function"),
                       this);
}

void CoroCheckBase::walkMatchedBody(
    const clang::ast_matchers::MatchFinder::MatchResult &Result,
    analysis::AsyncVisitor Visit) {
  const auto *Body = Result.Nodes.getNodeAs<clang::FunctionDecl>("async-function");
  const auto *Lambda = Result.Nodes.getNodeAs<clang::LambdaExpr>("async-lambda");
  if (Lambda) {
    Body = Lambda->getCallOperator();
    if (!Body || !analysis::isCoroutine(*Body))
      return;
  } else if (const auto *MD = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(Body);
             MD && MD->getParent()->isLambda()) {
    return; // reached through its LambdaExpr
  }
  if (!Body || !Walked.insert(Body).second ||
      !analysis::isAsyncCoroutine(*Body, ContextOptions))
    return;
  const clang::SourceManager &SM = *Result.SourceManager;
  analysis::walkAsyncBody(*Body, Lambda, ContextOptions,
                          [&](const clang::Stmt &S,
                              const analysis::AsyncPlacement &Where,
                              analysis::ParentChain Parents) {
                            // What a system header's code does is not ours.
                            if (!SM.isInSystemHeader(S.getBeginLoc()))
                              Visit(S, Where, Parents);
                          });
}

bool CoroCheckBase::firstReportAt(clang::SourceLocation Loc) {
  return Loc.isValid() && Reported.insert(Loc.getRawEncoding()).second;
}

void CoroCheckBase::noteInlineLambda(const analysis::AsyncPlacement &Where) {
  const clang::Expr *Invocation = Where.InlineLambdaCall;
  if (!Invocation)
    return;
  // `[&] { ... }()` points at its closing parenthesis, `std::invoke(...)` at
  // its name (clang's begin location of the former differs between majors).
  clang::SourceLocation At = Invocation->getBeginLoc();
  if (const auto *Op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(Invocation))
    At = Op->getRParenLoc();
  diag(At, "the lambda runs on the coroutine's thread: it is invoked here",
       clang::DiagnosticIDs::Note);
}

} // namespace corolint
