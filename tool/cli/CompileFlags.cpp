//===- CompileFlags.cpp - compile commands as clang can parse them --------===//

#include "tool/cli/CompileFlags.h"

#include "tool/cli/TidyCompat.h"

#include "clang/Basic/LangStandard.h"
#include "clang/Driver/Driver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/Regex.h"

using namespace clang;

namespace corolint::cli {

namespace {

namespace options = corolint::compat::driver_options;

llvm::opt::InputArgList parseArgs(llvm::ArrayRef<const char *> Args) {
  unsigned MissingIndex = 0, MissingCount = 0;
  return corolint::compat::driverOptTable().ParseArgs(
      Args, MissingIndex, MissingCount,
      llvm::opt::Visibility(options::ClangOption));
}

/// asio's macros: the one that turns its coroutine support on, the one
/// that keeps it off.
struct AsioMacros {
  llvm::StringLiteral Has, Disable, ConfigHeader, Namespace;
};
constexpr AsioMacros Asio{"ASIO_HAS_CO_AWAIT", "ASIO_DISABLE_CO_AWAIT",
                          "/asio/detail/config.hpp", "asio"};
constexpr AsioMacros BoostAsio{"BOOST_ASIO_HAS_CO_AWAIT",
                               "BOOST_ASIO_DISABLE_CO_AWAIT",
                               "/boost/asio/detail/config.hpp", "boost::asio"};

bool readsHeader(const TuResult &R, const AsioMacros &Library) {
  return llvm::any_of(R.Dependencies, [&](const std::string &Path) {
    llvm::StringRef P(Path);
    // "boost/asio/detail/config.hpp" ends in asio's path too.
    return P.ends_with(Library.ConfigHeader) &&
           (&Library == &BoostAsio || !P.ends_with(BoostAsio.ConfigHeader));
  });
}

/// Which library's coroutine names a unit's compile errors miss, if any.
const AsioMacros *missingAsioCoroutines(const TuResult &R) {
  // Qualified uses name the library; an unqualified one (after a
  // using-directive) counts in a unit that read asio.
  static const llvm::Regex Qualified(
      "^no (template|member|type) named '(awaitable|use_awaitable_t|"
      "use_awaitable|co_spawn)' in namespace '(boost::)?asio'");
  static const llvm::Regex Unqualified(
      "^(unknown type name|no template named|use of undeclared identifier) "
      "'(awaitable|use_awaitable|co_spawn)'");
  for (const TuDiagnostic &D : R.Diagnostics) {
    const clang::tidy::ClangTidyError &E = D.Error;
    if (E.DiagLevel != clang::tidy::ClangTidyError::Error)
      continue;
    llvm::SmallVector<llvm::StringRef, 4> Groups;
    if (Qualified.match(E.Message.Message, &Groups))
      return Groups[3].empty() ? &Asio : &BoostAsio;
    if (Unqualified.match(E.Message.Message)) {
      if (readsHeader(R, BoostAsio))
        return &BoostAsio;
      if (readsHeader(R, Asio))
        return &Asio;
    }
  }
  return nullptr;
}

std::string joined(llvm::ArrayRef<std::string> Items,
                   llvm::StringRef Separator) {
  std::string Out;
  for (const std::string &Item : Items)
    Out += (Out.empty() ? "" : Separator.str()) + Item;
  return Out;
}

/// The commands of a database with CompileFlags' changes.
class AdjustedDatabase : public tooling::CompilationDatabase {
public:
  AdjustedDatabase(std::unique_ptr<tooling::CompilationDatabase> Inner,
                   CompileFlags &Flags)
      : Inner(std::move(Inner)), Flags(Flags) {}

  std::vector<tooling::CompileCommand>
  getCompileCommands(llvm::StringRef FilePath) const override {
    std::vector<tooling::CompileCommand> Commands =
        Inner->getCompileCommands(FilePath);
    for (tooling::CompileCommand &C : Commands)
      C.CommandLine = Flags.adjustCommand(C.CommandLine, FilePath);
    return Commands;
  }
  std::vector<std::string> getAllFiles() const override {
    return Inner->getAllFiles();
  }

private:
  std::unique_ptr<tooling::CompilationDatabase> Inner;
  CompileFlags &Flags;
};

} // namespace

std::vector<size_t> unknownFlags(llvm::ArrayRef<const char *> Args) {
  std::vector<size_t> Unknown;
  llvm::opt::InputArgList List = parseArgs(Args);
  for (const llvm::opt::Arg *A : List.filtered(options::OPT_UNKNOWN))
    Unknown.push_back(A->getIndex());
  return Unknown;
}

std::unique_ptr<tooling::CompilationDatabase>
CompileFlags::adjust(std::unique_ptr<tooling::CompilationDatabase> Inner) {
  return std::make_unique<AdjustedDatabase>(std::move(Inner), *this);
}

std::vector<std::string>
CompileFlags::adjustCommand(const std::vector<std::string> &Args,
                            llvm::StringRef File) {
  if (Args.empty())
    return Args;
  std::vector<const char *> Argv;
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  // clang-cl's options are another table, and asio's detection differs
  // under MSVC: its commands are left as they are.
  if (driver::IsClangCL(driver::getDriverMode(Args[0], Argv)))
    return Args;

  llvm::opt::InputArgList List = parseArgs(Argv);
  std::vector<bool> Drop(Argv.size());
  std::vector<std::string> Dropped;
  for (const llvm::opt::Arg *A : List.filtered(options::OPT_UNKNOWN)) {
    Drop[A->getIndex()] = true;
    Dropped.push_back(Argv[A->getIndex()]);
  }

  FileFlags Got;
  LangStandard::Kind Standard =
      LangStandard::getLangKind(List.getLastArgValue(options::OPT_std_EQ));
  Got.Cxx20 = Standard != LangStandard::lang_unspecified &&
              LangStandard::getLangStandardForKind(Standard).isCPlusPlus20();
  llvm::StringSet<> Named;
  for (const llvm::opt::Arg *A : List.filtered(options::OPT_D, options::OPT_U))
    Named.insert(llvm::StringRef(A->getValue()).split('=').first);
  auto Define = [&](const AsioMacros &Library) {
    return Got.Cxx20 && !Named.contains(Library.Has) &&
           !Named.contains(Library.Disable);
  };
  Got.AsioDefined = Define(Asio);
  Got.BoostAsioDefined = Define(BoostAsio);

  std::vector<std::string> Out{Args[0]};
  for (size_t I = 0; I < Argv.size(); ++I)
    if (!Drop[I])
      Out.push_back(Args[I + 1]);
  // Before a "--" that ends the options, as clang-tidy's --extra-arg goes.
  auto At = llvm::find(Out, "--");
  if (Got.AsioDefined)
    At = Out.insert(At, ("-D" + Asio.Has).str()) + 1;
  if (Got.BoostAsioDefined)
    Out.insert(At, ("-D" + BoostAsio.Has).str());

  std::lock_guard<std::mutex> Lock(Mutex);
  this->Dropped.insert(Dropped.begin(), Dropped.end());
  PerFile[File] = Got;
  return Out;
}

void CompileFlags::recordDropped(llvm::ArrayRef<std::string> Flags) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Dropped.insert(Flags.begin(), Flags.end());
}

std::string CompileFlags::droppedNote() const {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Dropped.empty())
    return "";
  return "dropped compiler flags that clang does not know: " +
         joined(std::vector<std::string>(Dropped.begin(), Dropped.end()), " ");
}

std::string CompileFlags::asioNote(const std::vector<TuResult> &Results) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  std::vector<std::string> Defined, Disable;
  for (const AsioMacros *Library : {&Asio, &BoostAsio}) {
    bool Used = llvm::any_of(Results, [&](const TuResult &R) {
      auto It = PerFile.find(R.File);
      return It != PerFile.end() &&
             (Library == &Asio ? It->second.AsioDefined
                               : It->second.BoostAsioDefined) &&
             readsHeader(R, *Library);
    });
    if (Used) {
      Defined.push_back(("-D" + Library->Has).str());
      Disable.push_back(("-D" + Library->Disable).str());
    }
  }
  if (Defined.empty())
    return "";
  return "parsed with " + joined(Defined, " ") +
         ", which asio before 1.26 (Boost before 1.81) needs under clang to "
         "declare awaitable (" +
         joined(Disable, " or ") + " in the compile command turns it off)";
}

std::string CompileFlags::asioHint(const std::vector<TuResult> &Results) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  const AsioMacros *Library = nullptr;
  unsigned Files = 0;
  bool BelowCxx20 = false;
  for (const TuResult &R : Results) {
    if (!R.compileErrors())
      continue;
    const AsioMacros *Missing = missingAsioCoroutines(R);
    if (!Missing)
      continue;
    Library = Library ? Library : Missing;
    ++Files;
    auto It = PerFile.find(R.File);
    BelowCxx20 |= It == PerFile.end() || !It->second.Cxx20;
  }
  if (!Library)
    return "";
  std::string Flag = ("-D" + Library->Has).str();
  std::string Std = BelowCxx20 ? "-std=c++20" : "";
  return std::to_string(Files) +
         (Files == 1 ? " file misses " : " files miss ") +
         Library->Namespace.str() +
         "::awaitable, which asio declares under clang only with " + Flag +
         (BelowCxx20 ? " in C++20" : "") + ": add " +
         (BelowCxx20 ? Std + " " : "") + Flag +
         " to the compile command or pass " +
         (BelowCxx20 ? "--extra-arg=" + Std + " " : "") + "--extra-arg=" + Flag;
}

} // namespace corolint::cli
