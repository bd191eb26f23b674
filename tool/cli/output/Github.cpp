//===- Github.cpp - GitHub Actions workflow annotations -------------------===//

#include "tool/cli/output/Formats.h"

namespace corolint::cli {

namespace {

std::string githubEscape(llvm::StringRef Text, bool Property) {
  std::string Out;
  for (char C : Text) {
    switch (C) {
    case '%': Out += "%25"; break;
    case '\r': Out += "%0D"; break;
    case '\n': Out += "%0A"; break;
    case ':': Out += Property ? "%3A" : ":"; break;
    case ',': Out += Property ? "%2C" : ","; break;
    default: Out += C;
    }
  }
  return Out;
}

} // namespace

void writeGithub(const Report &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings)
    OS << "::" << F.Level << " file=" << githubEscape(F.Where.Path, true)
       << ",line=" << F.Where.Line << ",col=" << F.Where.Column
       << ",title=" << githubEscape(F.Check, true)
       << "::" << githubEscape(F.Message, false) << "\n";
  for (const FileRecord &F : R.Files)
    if (F.Status == "failed")
      OS << "::error file=" << githubEscape(F.Path, true)
         << ",title=corolint::" << githubEscape("not analysed: " + F.Reason, false)
         << "\n";
}

} // namespace corolint::cli
