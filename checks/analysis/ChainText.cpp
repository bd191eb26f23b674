//===- ChainText.cpp - the texts of a call chain's finding ----------------===//

#include "checks/analysis/ChainText.h"

#include "llvm/ADT/Twine.h"

namespace corolint::analysis {

namespace crossfile {

std::string message(const ChainWording &W, llvm::StringRef Callee,
                    llvm::StringRef Coroutine, llvm::StringRef What,
                    llvm::StringRef Description, llvm::StringRef Advice) {
  std::string Out = (W.Lead + " '" + Callee + "' in " + Coroutine + " " + W.Verb +
                     " the event loop: it calls " + What)
                        .str();
  if (!Description.empty())
    Out += (" (" + Description + ")").str();
  return Out + (" in another file; " + Advice).str();
}

std::string callNote(llvm::StringRef Caller, llvm::StringRef Callee) {
  return ("'" + Caller + "' calls '" + Callee + "'").str();
}

std::string factNote(const ChainWording &W, llvm::StringRef Function,
                     llvm::StringRef What) {
  return ("'" + Function + "' calls " + What + ", which " + W.Effect).str();
}

} // namespace crossfile

} // namespace corolint::analysis
