//===- PluginLoader.cpp - corolint-plugin.so, the version-checking shim ---===//
//
// clang-tidy-N --load=corolint-plugin.so loads this small library first. It
// links nothing from LLVM, so it loads into any clang-tidy; it asks the host
// for its clang version (looked up at run time, no link-time reference) and
// only if the major matches the one corolint was built for does it load the
// checks, corolint-plugin-checks.so, from the same directory. A plugin of
// another major would otherwise fail with an undefined symbol, or worse,
// load and silently report nothing.
//
//===----------------------------------------------------------------------===//

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <string>

#ifndef COROLINT_LLVM_MAJOR
#error "COROLINT_LLVM_MAJOR must be defined"
#endif

namespace {

int majorOf(const std::string &Version) {
  std::string::size_type Pos = Version.find("version ");
  if (Pos == std::string::npos)
    return -1;
  return std::atoi(Version.c_str() + Pos + 8);
}

[[noreturn]] void refuse(const std::string &Message) {
  std::fprintf(stderr, "error: %s\n", Message.c_str());
  std::fflush(stderr);
  // The host is not what the checks were compiled against; running on would
  // be undefined behaviour, so stop the host here.
  std::_Exit(2);
}

__attribute__((constructor)) void loadChecks() {
  const int Built = COROLINT_LLVM_MAJOR;
  using VersionFn = std::string (*)();
  auto *HostVersion = reinterpret_cast<VersionFn>(
      dlsym(RTLD_DEFAULT, "_ZN5clang19getClangFullVersionB5cxx11Ev"));
  if (!HostVersion)
    refuse("corolint-plugin.so (built for LLVM " + std::to_string(Built) +
           ") is loaded into a program that is not clang-tidy; load it with "
           "clang-tidy-" + std::to_string(Built) + " --load=...");
  std::string Host = HostVersion();
  int HostMajor = majorOf(Host);
  if (HostMajor != Built)
    refuse("corolint was built for LLVM " + std::to_string(Built) +
           " but is loaded into a host built with LLVM " +
           std::to_string(HostMajor) + " (" + Host +
           "); use the corolint build for LLVM " + std::to_string(HostMajor) +
           " (build/llvm-" + std::to_string(HostMajor) +
           "/lib/corolint-plugin.so)");

  Dl_info Self;
  if (!dladdr(reinterpret_cast<void *>(&loadChecks), &Self) || !Self.dli_fname)
    refuse("corolint-plugin.so cannot find its own path");
  std::string Dir = Self.dli_fname;
  std::string::size_type Slash = Dir.rfind('/');
  Dir = Slash == std::string::npos ? "." : Dir.substr(0, Slash);
  std::string Checks = Dir + "/corolint-plugin-checks.so";
  // RTLD_GLOBAL: the checks resolve clang-tidy's symbols from the host and
  // register themselves in its check registry as they load.
  if (!dlopen(Checks.c_str(), RTLD_NOW | RTLD_GLOBAL))
    refuse("corolint-plugin.so cannot load its checks: " +
           std::string(dlerror()));
}

} // namespace
