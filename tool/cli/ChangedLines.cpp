//===- ChangedLines.cpp - the lines a diff adds or changes ----------------===//

#include "tool/cli/ChangedLines.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <algorithm>

namespace corolint::cli {

namespace {

std::string resolve(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> Out;
  if (llvm::sys::path::is_absolute(Path))
    Out = Path;
  else {
    Out = Base;
    llvm::sys::path::append(Out, Path);
  }
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

/// Runs a program and returns its standard output, or nullopt with
/// \p Error set.
std::optional<std::string> capture(llvm::ArrayRef<llvm::StringRef> Args,
                                   std::string &Error) {
  llvm::ErrorOr<std::string> Program = llvm::sys::findProgramByName(Args[0]);
  if (!Program) {
    Error = Args[0].str() + " is not on PATH";
    return std::nullopt;
  }
  llvm::SmallString<128> Out, Err;
  if (llvm::sys::fs::createTemporaryFile("corolint-git", "out", Out) ||
      llvm::sys::fs::createTemporaryFile("corolint-git", "err", Err)) {
    Error = "cannot create a temporary file";
    return std::nullopt;
  }
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Out.str(), Err.str()};
  std::string ExecError;
  int Status = llvm::sys::ExecuteAndWait(*Program, Args, std::nullopt, Redirects,
                                         0, 0, &ExecError);
  auto Stdout = llvm::MemoryBuffer::getFile(Out);
  auto Stderr = llvm::MemoryBuffer::getFile(Err);
  // Temporary files: a failure to remove them is not worth an error.
  std::error_code Ignored = llvm::sys::fs::remove(Out);
  Ignored = llvm::sys::fs::remove(Err);
  (void)Ignored;
  if (Status != 0) {
    std::string Message =
        Stderr ? (*Stderr)->getBuffer().trim().split('\n').first.str() : "";
    Error = Message.empty() ? ExecError : Message;
    return std::nullopt;
  }
  return Stdout ? (*Stdout)->getBuffer().str() : std::string();
}

} // namespace

ChangedLines ChangedLines::parse(llvm::StringRef Diff, llvm::StringRef Base) {
  ChangedLines Result;
  std::string Current;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Diff.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    Line = Line.rtrim('\r');
    if (Line.consume_front("+++ ")) {
      Line = Line.split('\t').first;
      if (Line == "/dev/null") {
        Current.clear();
        continue;
      }
      Line.consume_front("b/");
      Current = resolve(Line, Base);
      continue;
    }
    if (!Line.starts_with("@@ ") || Current.empty())
      continue;
    // @@ -a,b +c,d @@: lines c .. c+d-1 of the new file (d defaults to 1).
    size_t Plus = Line.find(" +");
    if (Plus == llvm::StringRef::npos)
      continue;
    llvm::StringRef Range = Line.substr(Plus + 2).split(' ').first;
    auto [StartText, CountText] = Range.split(',');
    unsigned Start = 0, Count = 1;
    if (StartText.getAsInteger(10, Start))
      continue;
    if (!CountText.empty() && CountText.getAsInteger(10, Count))
      continue;
    auto &FileRanges = Result.Ranges[Current];
    if (Count > 0)
      FileRanges.push_back({Start, Start + Count - 1});
  }
  return Result;
}

std::optional<ChangedLines> ChangedLines::fromGit(llvm::StringRef Revision,
                                                  llvm::StringRef Directory,
                                                  std::string &Error) {
  std::optional<std::string> Top = capture(
      {"git", "-C", Directory, "rev-parse", "--show-toplevel"}, Error);
  if (!Top) {
    Error = "--changed-since needs a git work tree: " + Error;
    return std::nullopt;
  }
  std::optional<std::string> Diff =
      capture({"git", "-C", Directory, "diff", "-U0", "--no-color",
               "--no-ext-diff", Revision, "--"},
              Error);
  if (!Diff) {
    Error = "git diff " + Revision.str() + " failed: " + Error;
    return std::nullopt;
  }
  return parse(*Diff, llvm::StringRef(*Top).trim());
}

bool ChangedLines::contains(llvm::StringRef AbsolutePath, unsigned Line) const {
  auto It = Ranges.find(AbsolutePath);
  if (It == Ranges.end())
    return false;
  return std::any_of(It->second.begin(), It->second.end(),
                     [Line](const std::pair<unsigned, unsigned> &R) {
                       return R.first <= Line && Line <= R.second;
                     });
}

std::vector<std::string> ChangedLines::files() const {
  std::vector<std::string> Out;
  for (const auto &Entry : Ranges)
    Out.push_back(Entry.getKey().str());
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace corolint::cli
