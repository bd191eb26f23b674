//===- ChainText.h - the texts of a call chain's finding --------*- C++ -*-===//
//
// The call-chain checks (checks/CallChainCheck.h) differ in a few words; a
// finding whose chain goes on in another file is worded from them by the
// check (from its SummaryFile) and by the corolint command's link (which has
// no AST), so both name things alike.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_CHAINTEXT_H
#define COROLINT_CHECKS_ANALYSIS_CHAINTEXT_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace corolint::analysis {

/// The words in which the findings of two call-chain checks differ.
struct ChainWording {
  llvm::StringRef Lead;   ///< the message's first words: "call to"
  llvm::StringRef Verb;   ///< what the call does to the event loop: "blocks"
  llvm::StringRef Effect; ///< what the fact at the chain's end does: "blocks"
};

/// The texts of a finding whose chain goes on in another file.
namespace crossfile {
/// `<Lead> '<Callee>' in <Coroutine> <Verb> the event loop: it calls <What>
/// (<Description>) in another file; <Advice>`; \p What is quoted by the
/// caller (`'fopen'`, `a CPU-heavy loop`), an empty \p Description is left out.
std::string message(const ChainWording &W, llvm::StringRef Callee,
                    llvm::StringRef Coroutine, llvm::StringRef What,
                    llvm::StringRef Description, llvm::StringRef Advice);
/// `'<Caller>' calls '<Callee>'`
std::string callNote(llvm::StringRef Caller, llvm::StringRef Callee);
/// `'<Function>' calls <What>, which <Effect>`
std::string factNote(const ChainWording &W, llvm::StringRef Function,
                     llvm::StringRef What);
} // namespace crossfile

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_CHAINTEXT_H
