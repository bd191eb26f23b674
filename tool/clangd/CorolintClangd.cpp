//===- CorolintClangd.cpp - clangd with the coro-* checks built in --------===//
//
// clangd strips -load from tidy configuration, so the checks are linked in.
// The server is clangd's own; this main only keeps our module alive.
//
//===----------------------------------------------------------------------===//

namespace clang::clangd {
int clangdMain(int Argc, char *Argv[]);
} // namespace clang::clangd

namespace corolint {
extern volatile int CoroModuleAnchorSource;
} // namespace corolint

int main(int Argc, char *Argv[]) {
  // Reading the anchor keeps the module's registration in the link.
  if (corolint::CoroModuleAnchorSource != 0)
    return 2;
  return clang::clangd::clangdMain(Argc, Argv);
}
