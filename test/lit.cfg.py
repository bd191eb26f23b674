# lit configuration of the corolint test suite. Every check test runs
# through the clang-tidy plugin and through the corolint CLI.
import hashlib
import os
import shutil
import tempfile

import lit.formats

config.name = "corolint"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "tools", "unit", "CMakeLists.txt", "ReaderFuzzer.cpp", "corpus"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.corolint_obj_root, "test")

major = config.llvm_major
src = config.corolint_src_root
obj = config.corolint_obj_root

clang_tidy = os.path.join(config.llvm_bin_dir, "clang-tidy")
plugin = os.path.join(obj, "lib", "corolint-plugin.so")
cli = os.path.join(obj, "bin", "corolint")
clangd = os.path.join(obj, "bin", "corolint-clangd")
clangxx = os.path.join(config.llvm_bin_dir, "clang++")
aio_include = os.path.join(src, "runtime", "include")
other_bin = "/usr/lib/llvm-%s/bin" % config.other_llvm_major

# FileCheck, not, count and split-file come from llvm-N-tools.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_bin_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
for var in ["HOME", "USER", "TMPDIR"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment["FILECHECK"] = os.path.join(config.llvm_bin_dir, "FileCheck")
config.environment["COROLINT_CLANG_TIDY"] = clang_tidy
config.environment["COROLINT_PLUGIN"] = plugin
config.environment["COROLINT_CLI"] = cli
config.environment["COROLINT_CLANGXX"] = clangxx
config.environment["COROLINT_AIO_INCLUDE"] = aio_include

config.substitutions.append(("%check_report", "python3 " + os.path.join(src, "test", "tools", "check_report.py")))
config.substitutions.append(("%expect_exit", "python3 " + os.path.join(src, "test", "tools", "expect_exit.py")))
runner = "python3 " + os.path.join(src, "test", "tools", "check_corolint.py")
config.substitutions.append(("%check_corolint", runner))
config.substitutions.append(("%corolint-clangd", clangd))
# PATH with the CLI first, for hosts that run `corolint` by name (pre-commit).
config.substitutions.append(("%path_with_corolint", os.pathsep.join(
    [os.path.join(obj, "bin"), config.environment["PATH"]])))
config.substitutions.append(("%corolint", cli))
config.substitutions.append(("%clang_tidy_plugin", "%s --load=%s" % (clang_tidy, plugin)))
config.substitutions.append(("%clang_tidy", clang_tidy))
config.substitutions.append(("%run_clang_tidy", os.path.join(config.llvm_bin_dir, "run-clang-tidy")))
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("%stock_clangd", os.path.join(config.llvm_bin_dir, "clangd")))
config.substitutions.append(("%other_clang_tidy", os.path.join(other_bin, "clang-tidy")))
config.substitutions.append(("%clangxx", clangxx))
config.substitutions.append(("%aio_include", aio_include))
config.substitutions.append(("%src_root", src))
# Seconds each fuzz target runs in fuzz/readers.test.
config.substitutions.append(("%fuzz_seconds", lit_config.params.get("fuzz_seconds", "10")))
config.substitutions.append(("%obj_root", obj))
config.substitutions.append(("%llvm_major", major))
config.substitutions.append(("%other_llvm_major", config.other_llvm_major))

if os.path.exists(os.path.join(other_bin, "clang-tidy")):
    config.available_features.add("other-clang-tidy")
if shutil.which("clang-apply-replacements", path=config.llvm_bin_dir):
    config.available_features.add("clang-apply-replacements")

# A directory outside the build tree (which has its own compile database),
# for tests of what happens when no database is found.
# One per build directory, reused by later runs.
outside = os.path.join(
    tempfile.gettempdir(),
    "corolint-lit-%d-%s" % (os.getuid(), hashlib.sha1(obj.encode()).hexdigest()[:12]))
os.makedirs(outside, exist_ok=True)
config.substitutions.append(("%outside_tmp", outside))

# The examples' harness (examples/harness.py): static findings against the
# run-time reports of aio's debug mode and blocking guard, before and after
# the fix; every example adds its row to test/examples-report/table.txt.
config.substitutions.append(("%examples_harness", " ".join([
    "python3", os.path.join(src, "examples", "harness.py"),
    "--corolint", cli, "--cxx", clangxx, "--aio-include", aio_include,
    "--blockguard", os.path.join(obj, "lib", "libaio-blockguard.so"),
    "--report-dir", os.path.join(obj, "test", "examples-report")])))
