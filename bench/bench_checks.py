#!/usr/bin/env python3
"""Measure the cost of corolint's coro-* checks against a parse-only baseline.

    python3 bench/bench_checks.py [--llvm 19] [--tus 24] [--repeat 3] [--max-ratio 1.05]

Generates a corpus of coroutine TUs (bench/gen_corpus.py: asio + standard
headers) and runs clang-tidy-N on every TU, twice per TU and repeat, side by
side:

  baseline  --load=PLUGIN --checks='-*,portability-restrict-system-includes'
  ours      --load=PLUGIN --checks='-*,coro-*'

Both sides load the plugin and parse the same TU; the baseline enables one
built-in check that only watches #include directives and, with its default
options, reports nothing. The difference is the cost of the coro-* checks.
Runs alternate (baseline/ours, then ours/baseline for the next TU) so that
machine noise and cache warmth fall on both sides alike.

Exit status: 0 when measured (whatever the ratio), 1 when --max-ratio is
given and the CPU ratio exceeds it, 2 when the measurement cannot be made
(clang-tidy-N or the plugin missing, a clang-tidy run failed, or the checks
reported nothing in the corpus).
"""

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen_corpus  # noqa: E402

BASELINE_CHECK = "portability-restrict-system-includes"
OURS_CHECKS = "coro-*"
TARGET = 1.05
WARNING_RE = re.compile(r"warning: .*\[(coro-[\w.-]+)(,[^\]]*)?\]\s*$")
ANY_WARNING_RE = re.compile(r"warning: .*\[[\w.,-]+\]\s*$")


def die(message, code=2):
    print("bench_checks: " + message, file=sys.stderr)
    sys.exit(code)


class Side:
    def __init__(self, name, checks):
        self.name = name
        self.checks = checks
        self.wall = []          # seconds per run
        self.cpu = []           # user+sys seconds of the child per run
        self.per_tu_cpu = {}    # tu -> [cpu seconds]
        self.warnings = 0       # warnings in the first repeat
        self.by_check = {}

    def command(self, tidy, plugin, corpus, tu):
        # --config keeps any .clang-tidy above the corpus out of the run.
        return [tidy, "--load=" + plugin, "--config={}", "-p", corpus,
                "--checks=-*," + self.checks, tu]


def run_once(side, cmd):
    """Runs one clang-tidy; returns (wall seconds, cpu seconds, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        die("%s run failed (exit %d): %s\n  %s"
            % (side.name, proc.returncode, " ".join(cmd), "\n  ".join(tail)))
    return wall, cpu, proc.stdout.decode(errors="replace")


def count_warnings(side, text):
    for line in text.splitlines():
        m = WARNING_RE.search(line)
        if m:
            side.by_check[m.group(1)] = side.by_check.get(m.group(1), 0) + 1
            side.warnings += 1
        elif ANY_WARNING_RE.search(line):
            side.warnings += 1


def median(xs):
    return statistics.median(xs) if xs else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--llvm", default="19", help="LLVM major (default 19)")
    ap.add_argument("--tus", type=int, default=24, help="TUs in the corpus (default 24)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per TU and side (default 3)")
    ap.add_argument("--max-ratio", type=float, default=None,
                    help="exit 1 if the CPU ratio ours/baseline exceeds this")
    ap.add_argument("--corpus", default=None,
                    help="generate the corpus here and keep it (default: a temporary directory)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--build", default=None,
                    help="the build directory whose plugin is measured (default build/llvm-N)")
    args = ap.parse_args()
    if args.tus < 1 or args.repeat < 1:
        ap.error("--tus and --repeat must be at least 1")

    hint = "run 'make build LLVM=%s' first" % args.llvm
    tidy = shutil.which("clang-tidy-%s" % args.llvm)
    if not tidy:
        die("clang-tidy-%s not found; %s" % (args.llvm, hint))
    build = os.path.abspath(args.build) if args.build else os.path.join(ROOT, "build", "llvm-%s" % args.llvm)
    plugin = os.path.join(build, "lib", "corolint-plugin.so")
    if not os.path.isfile(plugin):
        die("%s not found; %s" % (os.path.relpath(plugin, ROOT), hint))

    # Measure a snapshot of the plugin's directory (the plugin may load
    # libraries next to it): a rebuild in another terminal while the
    # benchmark runs must not mix two builds in one measurement.
    with tempfile.TemporaryDirectory(prefix="corolint-bench-") as tmp:
        libdir = os.path.join(tmp, "lib")
        os.mkdir(libdir)
        for name in os.listdir(os.path.dirname(plugin)):
            path = os.path.join(os.path.dirname(plugin), name)
            if os.path.isfile(path):
                shutil.copy2(path, libdir)
        snapshot = os.path.join(libdir, os.path.basename(plugin))
        corpus = os.path.abspath(args.corpus) if args.corpus else os.path.join(tmp, "corpus")
        return measure(args, tidy, plugin, snapshot, corpus)


def measure(args, tidy, plugin, snapshot, corpus):
    tus = [path for path, _ in gen_corpus.generate(corpus, args.tus, args.seed)]
    base = Side("baseline", BASELINE_CHECK)
    ours = Side("ours", OURS_CHECKS)
    progress = sys.stderr.isatty()
    load_before = os.getloadavg()[0]
    libdir = os.path.dirname(snapshot)
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(
        max(os.stat(os.path.join(libdir, n)).st_mtime for n in os.listdir(libdir))))

    # Warm-up, not timed: the dynamic loader, the plugin and the headers in
    # the page cache, so the first timed run is not penalised.
    for side in (base, ours):
        run_once(side, side.command(tidy, snapshot, corpus, tus[0]))

    total_runs = 2 * len(tus) * args.repeat
    done = 0
    for rep in range(args.repeat):
        for i, tu in enumerate(tus):
            order = (base, ours) if (rep * len(tus) + i) % 2 == 0 else (ours, base)
            for side in order:
                if progress:
                    sys.stderr.write("\r[%3d/%d] repeat %d %s %-8s"
                                     % (done + 1, total_runs, rep + 1,
                                        os.path.basename(tu), side.name))
                    sys.stderr.flush()
                wall, cpu, out = run_once(side, side.command(tidy, snapshot, corpus, tu))
                side.wall.append(wall)
                side.cpu.append(cpu)
                side.per_tu_cpu.setdefault(tu, []).append(cpu)
                if rep == 0:
                    count_warnings(side, out)
                done += 1
    if progress:
        sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()

    cpu_ratio = sum(ours.cpu) / sum(base.cpu)
    wall_ratio = median(ours.wall) / median(base.wall)
    per_tu = sorted(median(ours.per_tu_cpu[tu]) / median(base.per_tu_cpu[tu]) for tu in tus)

    print("corolint checks benchmark: LLVM %s, %s, plugin %s (built %s)"
          % (args.llvm, os.path.basename(tidy), os.path.relpath(plugin, ROOT), built))
    print("machine: %d CPUs, %s, load average %.2f before, %.2f after"
          % (os.cpu_count() or 0, platform.machine(), load_before, os.getloadavg()[0]))
    print("corpus: %d TUs (asio + standard headers, seed %d), %d repeats, %d runs interleaved"
          % (len(tus), args.seed, args.repeat, total_runs))
    print("baseline: --checks='-*,%s'   ours: --checks='-*,%s'   (both --load the plugin)"
          % (BASELINE_CHECK, OURS_CHECKS))
    found = ", ".join("%s %d" % kv for kv in sorted(ours.by_check.items())) or "none"
    print("warnings in the corpus: ours %d (%s), baseline %d" % (ours.warnings, found, base.warnings))
    print()
    print("%-16s %12s %12s %12s %12s" % ("", "wall median", "wall total", "cpu median", "cpu total"))
    for side in (base, ours):
        print("%-16s %10.3f s %10.2f s %10.3f s %10.2f s"
              % (side.name, median(side.wall), sum(side.wall), median(side.cpu), sum(side.cpu)))
    print("%-16s %12.3f %12.3f %12.3f %12.3f"
          % ("ours/baseline", wall_ratio, sum(ours.wall) / sum(base.wall),
             median(ours.cpu) / median(base.cpu), cpu_ratio))
    print("per-TU cpu ratio: min %.3f, median %.3f, max %.3f"
          % (per_tu[0], median(per_tu), per_tu[-1]))
    print()
    print("ratio: %.3f (target <= %.2f)" % (cpu_ratio, TARGET))
    sys.stdout.flush()

    if sum(ours.by_check.values()) == 0:
        die("the coro-* checks reported nothing in the corpus; the ratio measures nothing")
    if args.max_ratio is not None and cpu_ratio > args.max_ratio:
        print("bench_checks: ratio %.3f exceeds --max-ratio %.3f" % (cpu_ratio, args.max_ratio),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
