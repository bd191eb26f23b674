#!/usr/bin/env python3
"""The cost of the coro-* checks on deeply nested coroutine lambdas.

    python3 bench/bench_nesting.py [--llvm 19] [--depth 200] [--awaited-depth 14] [--repeat 3]

Generates one TU per shape, each a coroutine holding nested lambdas with a
blocking call at the innermost level, and measures, side by side in one
run (CPU seconds of the child, median of --repeat runs, sides interleaved):

  parse     clang++-N -fsyntax-only
  baseline  clang-tidy-N --load=PLUGIN --checks='-*,portability-restrict-system-includes'
  ours      clang-tidy-N --load=PLUGIN --checks='-*,coro-*'

The shapes:

  declared  --depth coroutine lambdas, each declared in the one around it
            and awaited in a later statement
  inline    --depth plain lambdas, each called where it is written
  awaited   --awaited-depth coroutine lambdas, each called and awaited in
            the expression that writes it (`co_await [&]() -> task {...}()`)

It prints ours/parse and ours/baseline per shape. The checks' own walks are
linear in the nesting: ours/baseline stays near 1 at any depth. The
awaited shape is exponential in the depth for every matcher-based
clang-tidy check (clang's MatchFinder visits a co_await's operand inside
each of its implicit sub-expressions), which the baseline column shows;
there ours/parse grows with it and ours/baseline does not.

Exit status: 0 when measured, 2 when a tool is missing or a run failed.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASELINE_CHECK = "portability-restrict-system-includes"

PRELUDE = """#include <coroutine>
#include <unistd.h>
struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
"""


def generate(shape, depth):
    out = [PRELUDE, "task outer() {\n"]
    for i in range(depth):
        pad = " " * (i + 1)
        if shape == "declared":
            out.append(pad + "auto l%d = [&]() -> task {\n" % i)
        elif shape == "inline":
            out.append(pad + "[&]() {\n")
        else:
            out.append(pad + "co_await [&]() -> task {\n")
    out.append(" " * (depth + 1) + "sleep(1);\n")
    if shape == "declared":
        out.append(" " * (depth + 1) + "co_return;\n")
    for i in reversed(range(depth)):
        pad = " " * (i + 1)
        if shape == "declared":
            out.append(pad + "};\n" + pad + "co_await l%d();\n" % i)
            if i:
                out.append(pad + "co_return;\n")
        elif shape == "inline":
            out.append(pad + "}();\n")
        else:
            out.append(pad + "co_return; }();\n")
    out.append(" co_return;\n}\n")
    return "".join(out)


def cpu_of(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        print("bench_nesting: run failed (exit %d): %s\n  %s"
              % (proc.returncode, " ".join(cmd), "\n  ".join(tail)), file=sys.stderr)
        sys.exit(2)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), \
        proc.stdout.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--llvm", default="19")
    ap.add_argument("--depth", type=int, default=200)
    ap.add_argument("--awaited-depth", type=int, default=14)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--build", default=None)
    a = ap.parse_args()
    tidy = shutil.which("clang-tidy-%s" % a.llvm)
    clang = shutil.which("clang++-%s" % a.llvm)
    build = a.build or os.path.join(ROOT, "build", "llvm-%s" % a.llvm)
    plugin = os.path.join(build, "lib", "corolint-plugin.so")
    if not tidy or not clang or not os.path.isfile(plugin):
        print("bench_nesting: clang-tidy-%s, clang++-%s and %s are needed; run "
              "'make build LLVM=%s' first" % (a.llvm, a.llvm, plugin, a.llvm),
              file=sys.stderr)
        return 2
    print("nesting benchmark: LLVM %s, CPU seconds, median of %d" % (a.llvm, a.repeat))
    print("%-9s %5s %8s %9s %8s %11s %14s" % ("shape", "depth", "parse", "baseline",
                                              "ours", "ours/parse", "ours/baseline"))
    with tempfile.TemporaryDirectory(prefix="corolint-nesting-") as tmp:
        for shape, depth in [("declared", a.depth), ("inline", a.depth),
                             ("awaited", a.awaited_depth // 2),
                             ("awaited", a.awaited_depth)]:
            tu = os.path.join(tmp, "%s%d.cpp" % (shape, depth))
            with open(tu, "w") as f:
                f.write(generate(shape, depth))
            sides = {
                "parse": [clang, "-std=c++20", "-fsyntax-only", tu],
                "baseline": [tidy, "--load=" + plugin, "--config={}",
                             "--checks=-*," + BASELINE_CHECK, tu, "--", "-std=c++20"],
                "ours": [tidy, "--load=" + plugin, "--config={}", "--checks=-*,coro-*",
                         tu, "--", "-std=c++20"],
            }
            times = {k: [] for k in sides}
            _, out = cpu_of(sides["ours"])  # warm-up, and the finding
            if "coro-blocking-call" not in out:
                print("bench_nesting: no finding in the %s shape" % shape, file=sys.stderr)
                return 2
            for r in range(a.repeat):
                order = list(sides) if r % 2 == 0 else list(reversed(list(sides)))
                for k in order:
                    times[k].append(cpu_of(sides[k])[0])
            m = {k: statistics.median(v) for k, v in times.items()}
            print("%-9s %5d %8.2f %9.2f %8.2f %11.2f %14.2f"
                  % (shape, depth, m["parse"], m["baseline"], m["ours"],
                     m["ours"] / m["parse"], m["ours"] / m["baseline"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
