#!/usr/bin/env python3
"""Runs the aio/asio benchmark binary (runtime/bench/aio_bench.cpp) and
prints one table: per metric the time per operation of aio and asio and the
ratio aio/asio (below 1: aio is faster), then the size of a trivial
task<void>'s coroutine frame and the cost of debug mode on yield.

  python3 runtime/bench/bench_runtime.py build/llvm-19/bin/aio_bench
  python3 runtime/bench/bench_runtime.py BINARY --repetitions 5 --check

--check exits with 1 if a target is missed: aio at least as fast as asio on
every metric, yield under 50 ns, the frame under 192 bytes, debug mode under
5 % on yield. Single-threaded metrics compare CPU time; to_thread and echo
(several threads, or the kernel's loopback) compare wall time.
"""
import argparse
import json
import subprocess
import sys

METRICS = ["yield", "spawn", "timers", "to_thread", "echo"]
# What one timed iteration is, to print a time per operation.
PER_ITERATION = {"timers": 10000, "echo": 100 * 20}
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

TARGET_YIELD_NS = 50.0
TARGET_FRAME_BYTES = 192
TARGET_DEBUG_RATIO = 1.05


def run(binary, repetitions, min_time):
    cmd = [binary, "--benchmark_format=json"]
    if repetitions > 1:
        # Repetitions in random order, so that aio and asio (and yield with
        # and without debug mode) see the same drift of the machine.
        cmd += ["--benchmark_repetitions=%d" % repetitions,
                "--benchmark_enable_random_interleaving=true",
                "--benchmark_report_aggregates_only=true"]
    if min_time:
        cmd += ["--benchmark_min_time=%s" % min_time]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    return json.loads(out)


def collect(report, repetitions):
    """name -> (ns per operation, counters) from the median (or the run)."""
    results = {}
    for b in report["benchmarks"]:
        if repetitions > 1 and b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        if name.endswith("/real_time"):
            name = name[: -len("/real_time")]
        metric = name.split("/", 1)[1]
        scale = UNIT_NS[b["time_unit"]] / PER_ITERATION.get(metric, 1)
        wall = metric in ("to_thread", "echo")
        t = (b["real_time"] if wall else b["cpu_time"]) * scale
        results[name] = (t, b)
    return results


def fmt_ns(ns):
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    if ns >= 1e3:
        return "%.2f us" % (ns / 1e3)
    return "%.1f ns" % ns


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binary")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--min-time", default="0.5")
    p.add_argument("--check", action="store_true",
                   help="exit 1 if a target is missed")
    args = p.parse_args()

    results = collect(run(args.binary, args.repetitions, args.min_time),
                      args.repetitions)
    missed = []
    print("| metric | aio | asio | aio/asio |")
    print("|---|---|---|---|")
    for m in METRICS:
        a, b = results["aio/" + m][0], results["asio/" + m][0]
        ratio = a / b
        extra = ""
        if m == "echo":
            extra = " (%.0fk req/s vs %.0fk)" % (1e6 / a, 1e6 / b)
        print("| %s | %s | %s | %.2f%s |" % (m, fmt_ns(a), fmt_ns(b), ratio,
                                             extra))
        if ratio > 1.0:
            missed.append("aio/%s is slower than asio (%.2f)" % (m, ratio))
    yield_ns = results["aio/yield"][0]
    if yield_ns >= TARGET_YIELD_NS:
        missed.append("aio/yield takes %.1f ns" % yield_ns)
    frame = int(results["aio/frame"][1]["bytes"])
    if frame >= TARGET_FRAME_BYTES:
        missed.append("a trivial task<void> frame is %d bytes" % frame)
    debug_ratio = results["aio/yield_debug"][0] / yield_ns
    if debug_ratio >= TARGET_DEBUG_RATIO:
        missed.append("debug mode costs %.1f %% on yield"
                      % (100 * (debug_ratio - 1)))
    print()
    print("trivial task<void> frame: %d bytes (target < %d)"
          % (frame, TARGET_FRAME_BYTES))
    print("debug mode on yield: %s vs %s, ratio %.3f (target < %.2f)"
          % (fmt_ns(results["aio/yield_debug"][0]), fmt_ns(yield_ns),
             debug_ratio, TARGET_DEBUG_RATIO))
    for m in missed:
        print("missed: " + m)
    if args.check and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
