//===- TuRunner.cpp - run the checks on one translation unit --------------===//

#include "tool/cli/TuRunner.h"

#include "tool/cli/TidyCompat.h"

#include "checks/analysis/InputFiles.h"
#include "checks/analysis/SummarySink.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>

using namespace clang;
using namespace clang::tidy;

namespace corolint::cli {

unsigned TuResult::compileErrors() const {
  unsigned Count = 0;
  for (const TuDiagnostic &D : Diagnostics)
    if (D.Error.DiagLevel == ClangTidyError::Error &&
        llvm::StringRef(D.Error.DiagnosticName).starts_with("clang-diagnostic-"))
      ++Count;
  return Count;
}

namespace {

/// A function body's extent in one file.
struct FunctionExtent {
  unsigned Begin;
  unsigned End;
  std::string Name;
};

using ExtentMap = llvm::StringMap<std::vector<FunctionExtent>>;

std::string normalisedPath(llvm::vfs::FileSystem &FS, llvm::StringRef Name) {
  llvm::SmallString<256> Path(Name);
  // On failure the name stays as clang opened it.
  std::error_code Ignored = FS.makeAbsolute(Path);
  (void)Ignored;
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

/// Records the extent of every function defined outside system headers.
/// Lambda bodies belong to the function that contains them, so a finding
/// in a lambda is fingerprinted with its enclosing named function.
class ExtentCollector : public RecursiveASTVisitor<ExtentCollector> {
public:
  ExtentCollector(const SourceManager &SM, llvm::vfs::FileSystem &FS,
                  ExtentMap &Out)
      : SM(SM), FS(FS), Out(Out) {}

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *F) {
    if (!F->doesThisDeclarationHaveABody() || F->isImplicit())
      return true;
    SourceLocation Begin = SM.getExpansionLoc(F->getSourceRange().getBegin());
    SourceLocation End = SM.getExpansionLoc(F->getSourceRange().getEnd());
    FileID File = SM.getFileID(Begin);
    if (File != SM.getFileID(End))
      return true;
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (!Entry)
      return true;
    std::string &Path = PathOf[File];
    if (Path.empty())
      Path = normalisedPath(FS, Entry->getName());
    Out[Path].push_back({SM.getFileOffset(Begin), SM.getFileOffset(End),
                         F->getQualifiedNameAsString()});
    return true;
  }

private:
  const SourceManager &SM;
  llvm::vfs::FileSystem &FS;
  ExtentMap &Out;
  llvm::DenseMap<FileID, std::string> PathOf;
};

/// Runs after the checks' consumer on the same AST.
class RecordingConsumer : public ASTConsumer {
public:
  RecordingConsumer(CompilerInstance &Compiler, ExtentMap &Extents,
                    std::vector<std::string> &Dependencies)
      : Compiler(Compiler), Extents(Extents), Dependencies(Dependencies) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    const SourceManager &SM = Ctx.getSourceManager();
    llvm::vfs::FileSystem &FS = Compiler.getFileManager().getVirtualFileSystem();
    ExtentCollector Collector(SM, FS, Extents);
    Collector.TraverseDecl(Ctx.getTranslationUnitDecl());

    // Absolute but with ".." kept: through a symbolic link, "a/b/.." is not
    // "a" (GCC's include directories are reached that way).
    std::vector<std::string> Files;
    for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It) {
      llvm::SmallString<256> Path(It->first.getName());
      std::error_code Ignored = FS.makeAbsolute(Path);
      (void)Ignored;
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
      Files.push_back(std::string(Path));
    }
    std::sort(Files.begin(), Files.end());
    Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
    Dependencies = std::move(Files);
  }

private:
  CompilerInstance &Compiler;
  ExtentMap &Extents;
  std::vector<std::string> &Dependencies;
};

class Action : public ASTFrontendAction {
public:
  Action(ClangTidyASTConsumerFactory &Factory, ExtentMap &Extents,
         std::vector<std::string> &Dependencies)
      : Factory(Factory), Extents(Extents), Dependencies(Dependencies) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                 llvm::StringRef File) override {
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(Factory.createASTConsumer(Compiler, File));
    Consumers.push_back(
        std::make_unique<RecordingConsumer>(Compiler, Extents, Dependencies));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  ExtentMap &Extents;
  std::vector<std::string> &Dependencies;
};

class ActionFactory : public tooling::FrontendActionFactory {
public:
  ActionFactory(ClangTidyContext &Context,
                llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                ExtentMap &Extents, std::vector<std::string> &Dependencies)
      : ConsumerFactory(Context, std::move(FS)), Extents(Extents),
        Dependencies(Dependencies) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(ConsumerFactory, Extents, Dependencies);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As clang-tidy: define __clang_analyzer__ for the code under analysis.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    // Without carets clang does not print "N warnings generated."; the
    // findings are printed from the collected diagnostics, not by clang.
    Invocation->getDiagnosticOpts().ShowCarets = false;
    return FrontendActionFactory::runInvocation(std::move(Invocation), Files,
                                                std::move(PCHContainerOps),
                                                DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory ConsumerFactory;
  ExtentMap &Extents;
  std::vector<std::string> &Dependencies;
};

/// Tidy reports paths as the compiler opened them, possibly relative to the
/// compile command's directory; the report and the cache want them
/// absolute.
std::string absoluteIn(llvm::StringRef Directory, llvm::StringRef Path) {
  if (Path.empty())
    return "";
  llvm::SmallString<256> Out(Path);
  if (!llvm::sys::path::is_absolute(Out)) {
    Out = Directory;
    llvm::sys::path::append(Out, Path);
  }
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

void makeAbsolute(tooling::DiagnosticMessage &M, llvm::StringRef Directory) {
  M.FilePath = absoluteIn(Directory, M.FilePath);
  llvm::StringMap<tooling::Replacements> Fix;
  for (auto &Entry : M.Fix) {
    std::string File = absoluteIn(Directory, Entry.getKey());
    for (const tooling::Replacement &R : Entry.getValue())
      llvm::consumeError(Fix[File].add(tooling::Replacement(
          File, R.getOffset(), R.getLength(), R.getReplacementText())));
  }
  M.Fix = std::move(Fix);
}

std::string enclosingFunction(const ExtentMap &Extents, llvm::StringRef File,
                              unsigned Offset) {
  auto It = Extents.find(File);
  if (It == Extents.end())
    return "";
  const FunctionExtent *Best = nullptr;
  for (const FunctionExtent &F : It->second)
    if (F.Begin <= Offset && Offset <= F.End &&
        (!Best || F.End - F.Begin < Best->End - Best->Begin))
      Best = &F;
  return Best ? Best->Name : "";
}

/// Why the unit \p File cannot be run: the source is no file, or a
/// compile command's directory does not exist or is not a directory (clang
/// would abort on it). Empty when it can.
std::string whyNotRunnable(const tooling::CompilationDatabase &Compilations,
                           llvm::StringRef File) {
  if (std::string Why = analysis::whyNotAFile(File); !Why.empty())
    return "the source cannot be read: " + Why;
  for (const tooling::CompileCommand &Command :
       Compilations.getCompileCommands(File)) {
    if (Command.Directory.empty())
      continue;
    if (!llvm::sys::fs::exists(Command.Directory))
      return "the directory of its compile command, '" + Command.Directory +
             "', does not exist";
    if (!llvm::sys::fs::is_directory(Command.Directory))
      return "the directory of its compile command, '" + Command.Directory +
             "', is not a directory";
  }
  return "";
}

} // namespace

TuResult runTranslationUnit(ClangTidyContext &Context,
                            const tooling::CompilationDatabase &Compilations,
                            llvm::StringRef File,
                            const llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> &FS,
                            bool ApplyAnyFix, bool CollectSummaries) {
  auto Start = std::chrono::steady_clock::now();
  TuResult Result;
  Result.File = File.str();
  if (std::string Why = whyNotRunnable(Compilations, File); !Why.empty()) {
    Result.ToolFailure = Why;
    return Result;
  }

  std::vector<std::string> Files{File.str()};
  tooling::ClangTool Tool(Compilations, Files,
                          std::make_shared<PCHContainerOperations>(), FS);
  Tool.setPrintErrorMessage(false);
  // The configuration's ExtraArgs/ExtraArgsBefore, as clang-tidy applies them.
  Tool.appendArgumentsAdjuster(
      [&Context](const tooling::CommandLineArguments &Args,
                 llvm::StringRef Filename) {
        ClangTidyOptions Opts = Context.getOptionsForFile(Filename);
        tooling::CommandLineArguments Adjusted = Args;
        if (Opts.ExtraArgsBefore) {
          auto I = Adjusted.begin();
          if (I != Adjusted.end() && !llvm::StringRef(*I).starts_with("-"))
            ++I;
          Adjusted.insert(I, Opts.ExtraArgsBefore->begin(),
                          Opts.ExtraArgsBefore->end());
        }
        if (Opts.ExtraArgs)
          Adjusted.insert(Adjusted.end(), Opts.ExtraArgs->begin(),
                          Opts.ExtraArgs->end());
        return Adjusted;
      });
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());

  ClangTidyDiagnosticConsumer DiagConsumer(Context, nullptr,
                                           /*RemoveIncompatibleErrors=*/true,
                                           ApplyAnyFix);
  compat::DiagnosticsEngineHolder Engine(Context, DiagConsumer);
  Tool.setDiagnosticConsumer(&DiagConsumer);

  Result.Summaries.File = Result.File;
  analysis::SummarySink Sink = [&Result, &FS](llvm::StringRef Check,
                                              std::vector<analysis::ExportedSummary> List) {
    // Called during the run: the file system's directory is the compile
    // command's, against which relative names resolve.
    auto Absolute = [&](analysis::ExportedLocation &L) {
      if (!L.File.empty())
        L.File = normalisedPath(*FS, L.File);
    };
    for (analysis::ExportedSummary &S : List) {
      Absolute(S.Loc);
      for (auto &F : S.Facts)
        Absolute(F.Loc);
      for (auto &C : S.Calls)
        Absolute(C.Loc);
      for (auto &C : S.Offloads)
        Absolute(C.Loc);
    }
    auto &Into = Result.Summaries.PerCheck[Check.str()];
    std::move(List.begin(), List.end(), std::back_inserter(Into));
  };
  analysis::ScopedSummarySink Installed(CollectSummaries ? &Sink : nullptr);

  ClangTidyStats Before = Context.getStats();
  ExtentMap Extents;
  ActionFactory Factory(Context, FS, Extents, Result.Dependencies);
  int Status = Tool.run(&Factory);

  for (ClangTidyError &Error : DiagConsumer.take()) {
    makeAbsolute(Error.Message, Error.BuildDirectory);
    for (tooling::DiagnosticMessage &Note : Error.Notes)
      makeAbsolute(Note, Error.BuildDirectory);
    std::string Function =
        enclosingFunction(Extents, Error.Message.FilePath, Error.Message.FileOffset);
    Result.Diagnostics.push_back({std::move(Error), std::move(Function)});
  }
  const ClangTidyStats &After = Context.getStats();
  Result.Stats.ErrorsDisplayed = After.ErrorsDisplayed - Before.ErrorsDisplayed;
  Result.Stats.ErrorsIgnoredCheckFilter =
      After.ErrorsIgnoredCheckFilter - Before.ErrorsIgnoredCheckFilter;
  Result.Stats.ErrorsIgnoredNOLINT =
      After.ErrorsIgnoredNOLINT - Before.ErrorsIgnoredNOLINT;
  Result.Stats.ErrorsIgnoredNonUserCode =
      After.ErrorsIgnoredNonUserCode - Before.ErrorsIgnoredNonUserCode;
  Result.Stats.ErrorsIgnoredLineFilter =
      After.ErrorsIgnoredLineFilter - Before.ErrorsIgnoredLineFilter;
  if (Status != 0 && Result.compileErrors() == 0)
    Result.ToolFailure = Result.Dependencies.empty()
                             ? "clang could not run on it (check its compile "
                               "command)"
                             : "the analysis failed";
  Result.Seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - Start)
                       .count();
  return Result;
}

} // namespace corolint::cli
