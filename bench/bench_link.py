#!/usr/bin/env python3
"""The cross-file link step of the corolint command: its share of a run and
how it grows with the number of functions.

    python3 bench/bench_link.py [--llvm 19] [--sizes 50,100,200,400] [--jobs 2]

For each size, a generated project of that many translation units: each
defines 20 functions (a seeded call graph of 2-4 calls per function, half of
them into other units, a few functions making a blocking call, and
coroutines calling the rest), light on headers so that the parse does not
hide the link. corolint -p runs once per size; the link time is the one it
prints in its summary line. The table shows the link's share of the run,
its time per function (near-linear growth keeps it flat), and what writing
--export-summaries adds (a second run).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

FUNCTIONS_PER_TU = 20

JOB_H = """\
#pragma once
#include <coroutine>
struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
"""


def name(tu, i):
    return "f_%d_%d" % (tu, i)


def generate(out, tus, seed):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "job.h"), "w") as f:
        f.write(JOB_H)
    commands = []
    for tu in range(tus):
        lines = ['#include "job.h"', "#include <cstdio>", "#include <unistd.h>", ""]
        bodies, externs = [], set()
        for i in range(FUNCTIONS_PER_TU):
            calls = []
            for _ in range(rng.randint(2, 4)):
                if rng.random() < 0.5 and tus > 1:
                    other = rng.randrange(tus)
                    target = name(other, rng.randrange(FUNCTIONS_PER_TU))
                    if other != tu:
                        externs.add(target)
                else:
                    j = rng.randrange(FUNCTIONS_PER_TU)
                    if j == i:
                        continue
                    target = name(tu, j)
                calls.append("  %s(n - 1);" % target)
            body = ["int %s(int n) {" % name(tu, i), "  if (n <= 0)", "    return 0;"]
            if rng.random() < 0.03:
                body.append("  usleep(10);")
            body += calls + ["  return n;", "}", ""]
            bodies.append("\n".join(body))
        handlers = []
        for k in range(2):
            other = rng.randrange(tus)
            target = name(other, rng.randrange(FUNCTIONS_PER_TU))
            if other != tu:
                externs.add(target)
            handlers += ["job handler_%d_%d() {" % (tu, k), "  %s(3);" % target,
                         "  co_return;", "}", ""]
        for i in range(FUNCTIONS_PER_TU):
            lines.append("int %s(int n);" % name(tu, i))
        for target in sorted(externs):
            lines.append("int %s(int n);" % target)
        lines.append("")
        lines += bodies + handlers
        path = os.path.join(out, "tu_%04d.cpp" % tu)
        with open(path, "w") as f:
            f.write("\n".join(lines))
        commands.append({"directory": out, "file": path,
                         "arguments": ["clang++", "-std=c++20", "-c", path]})
    with open(os.path.join(out, "compile_commands.json"), "w") as f:
        json.dump(commands, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--llvm", default="19")
    ap.add_argument("--sizes", default="50,100,200,400")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--build", default=None)
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = os.path.abspath(args.build or os.path.join(root, "build", "llvm-" + args.llvm))
    corolint = os.path.join(build, "bin", "corolint")
    if not os.path.exists(corolint):
        print("bench_link: missing %s (run make build)" % corolint, file=sys.stderr)
        return 2

    work = tempfile.mkdtemp(prefix="corolint-bench-link-")
    print("%6s %9s %9s %8s %10s %7s %13s %11s"
          % ("TUs", "functions", "findings", "run s", "link ms", "share",
             "link us/func", "export ms"))
    rows = []

    def run(project, extra):
        proc = subprocess.run([corolint, "-p", project, "-j%d" % args.jobs,
                               "--config={Checks: '-*,coro-*'}", "--progress=never",
                               "--fail-on=never", "--format=json"] + extra,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = proc.stderr.decode(errors="replace")
        m = re.search(r"; ([0-9.]+) s \(cross-file link ([0-9.]+) ms\)", err)
        if proc.returncode != 0 or not m:
            print("bench_link: corolint failed on %s:\n%s" % (project, err[-2000:]),
                  file=sys.stderr)
            sys.exit(2)
        return float(m.group(1)), float(m.group(2)) / 1000, json.loads(proc.stdout)

    for size in [int(s) for s in args.sizes.split(",")]:
        project = os.path.join(work, "p%d" % size)
        generate(project, size, args.seed)
        summaries = os.path.join(project, "summaries.json")
        run_s, link_s, report = run(project, [])
        _, with_export_s, _ = run(project, ["--export-summaries=" + summaries])
        functions = len(json.load(open(summaries))["checks"]["coro-blocking-call"])
        rows.append((size, functions, link_s))
        print("%6d %9d %9d %8.2f %10.1f %6.2f%% %13.2f %11.1f"
              % (size, functions, report["summary"]["findings"], run_s, 1000 * link_s,
                 100 * link_s / run_s, 1e6 * link_s / functions,
                 1000 * max(0.0, with_export_s - link_s)))
    shutil.rmtree(work, ignore_errors=True)
    if len(rows) >= 2 and rows[0][2] > 0:
        (n0, f0, t0), (n1, f1, t1) = rows[0], rows[-1]
        print("growth: %.1fx the functions, %.1fx the link time" % (f1 / f0, t1 / t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
