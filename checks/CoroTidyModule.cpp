//===- CoroTidyModule.cpp - registers the coro-* checks -------------------===//
//
// The same registration serves the clang-tidy plugin, the corolint CLI and
// corolint-clangd. A plugin built for one LLVM major and loaded into a
// clang-tidy of another would list its checks and silently report nothing,
// so registration first compares the host's clang version with ours.
//
//===----------------------------------------------------------------------===//

#include "checks/BlockingCallCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Version.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"
#if LLVM_VERSION_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

#include <cstdlib>

namespace corolint {
namespace {

class CoroModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<BlockingCallCheck>("coro-blocking-call");
  }
};

/// The LLVM major of the clang library this code runs against, read from
/// its version string ("Debian clang version 19.1.7 (...)").
int hostClangMajor(const std::string &Full) {
  size_t Pos = Full.find("version ");
  if (Pos == std::string::npos)
    return -1;
  char *End = nullptr;
  long Major = std::strtol(Full.c_str() + Pos + 8, &End, 10);
  return End == Full.c_str() + Pos + 8 ? -1 : static_cast<int>(Major);
}

bool registerModule() {
  std::string Host = clang::getClangFullVersion();
  int HostMajor = hostClangMajor(Host);
  if (HostMajor != LLVM_VERSION_MAJOR) {
    llvm::errs() << "error: corolint was built for LLVM " << LLVM_VERSION_MAJOR
                 << " but is loaded into a host built with LLVM " << HostMajor
                 << " (" << Host << "); use the corolint build for LLVM "
                 << HostMajor << " (build/llvm-" << HostMajor
                 << "/lib/corolint-plugin.so)\n";
    llvm::errs().flush();
    // The host's data structures differ from the ones this code was compiled
    // against; running on would be undefined, so refuse here.
    std::_Exit(2);
  }
  static clang::tidy::ClangTidyModuleRegistry::Add<CoroModule> Registration(
      "coro-module", "Checks for code that stalls a coroutine event loop.");
  return true;
}

} // namespace

// Referenced by front ends that link the checks statically, so the linker
// keeps this object and its registration.
volatile int CoroModuleAnchorSource = registerModule() ? 0 : 1;

} // namespace corolint
