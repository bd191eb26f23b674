#!/usr/bin/env python3
"""The corolint command on a generated multi-TU project, measured side by side.

    python3 bench/bench_cli.py [--llvm 19] [--tus 200] [--jobs 2] [--build DIR]

On a corpus from gen_corpus.py (coroutine TUs over standalone asio and the
standard library), in one run:

  1. corolint -jJ against run-clang-tidy-N -j J -load corolint-plugin.so with
     the same checks (wall time; ratio corolint / run-clang-tidy);
  2. corolint -j1 against corolint -jJ (scaling);
  3. the result cache: a cold run with --cache-dir, a warm re-run of the
     unchanged tree (ratio warm / cold), then one edited TU (how many TUs
     were analysed again, from the JSON report);
  4. memory: peak resident size of corolint -j1 on the largest TU against
     clang-tidy with the plugin on the same TU, and of corolint -j1 over the
     whole corpus (no growth across TUs), which holds every unit's call
     summaries for the link;
  5. the size of the merged summaries (--export-summaries).

Every run's findings are counted so that the sides are known to do the same
work. Targets: ratio <= 1.0, scaling >= 1.8, warm <= 0.1, one TU re-analysed,
memory ratio <= 1.1; --check exits 1 when one is missed.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402

CHECKS = "-*,coro-*"


def die(message):
    print("bench_cli: " + message, file=sys.stderr)
    sys.exit(2)


def run(cmd, cwd=None, ok=(0, 1)):
    """Runs cmd; returns (wall seconds, stdout, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode not in ok:
        die("%s exited %d:\n%s" % (" ".join(cmd), proc.returncode,
                                   err.decode(errors="replace")[-2000:]))
    return wall, out.decode(errors="replace"), err.decode(errors="replace")


def peak_rss(cmd, cwd=None):
    """Peak resident size (MiB) of cmd and its children, measured by a
    helper process whose RUSAGE_CHILDREN holds that command alone."""
    helper = ("import resource,subprocess,sys;"
              "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,"
              "stderr=subprocess.DEVNULL,stdin=subprocess.DEVNULL);"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", helper] + cmd, cwd=cwd,
                         stdout=subprocess.PIPE, check=True).stdout
    return int(out.strip()) / 1024.0


def count_findings(text):
    return len(re.findall(r"warning: .*\[coro-[\w-]+\]", text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--llvm", default="19")
    ap.add_argument("--tus", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--build", default=None,
                    help="build directory (default build/llvm-N)")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when a target is missed")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = os.path.abspath(args.build or os.path.join(root, "build", "llvm-" + args.llvm))
    corolint = os.path.join(build, "bin", "corolint")
    plugin = os.path.join(build, "lib", "corolint-plugin.so")
    tidy = "/usr/lib/llvm-%s/bin/clang-tidy" % args.llvm
    runner = shutil.which("run-clang-tidy-" + args.llvm) or \
        "/usr/lib/llvm-%s/bin/run-clang-tidy" % args.llvm
    for path in (corolint, plugin, tidy, runner):
        if not os.path.exists(path):
            die("missing %s (run make build LLVM=%s)" % (path, args.llvm))

    work = tempfile.mkdtemp(prefix="corolint-bench-cli-")
    corpus = os.path.join(work, "corpus")
    gen_corpus.generate(corpus, args.tus, args.seed)
    # No .clang-tidy above the corpus may change the checks.
    config = "--config={Checks: '%s'}" % CHECKS
    tus = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".cpp"))
    print("corpus: %d TUs (asio + standard headers), %d jobs, LLVM %s"
          % (len(tus), args.jobs, args.llvm))

    def corolint_cmd(*extra):
        return [corolint, "-p", corpus, config, "--quiet", "--progress=never"] + list(extra)

    results = {}

    # 1. corolint -jJ against run-clang-tidy -j J with the plugin.
    t_ours, out, _ = run(corolint_cmd("-j%d" % args.jobs))
    n_ours = count_findings(out)
    t_rct, out, _ = run([sys.executable, runner, "-quiet", "-j", str(args.jobs),
                         "-clang-tidy-binary", tidy, "-load", plugin,
                         "-checks=" + CHECKS, "-config={}", "-p", corpus], cwd=corpus)
    n_rct = count_findings(out)
    results["vs_run_clang_tidy"] = t_ours / t_rct
    print("1. corolint -j%d %.1f s (%d findings), run-clang-tidy -j %d %.1f s (%d findings): "
          "ratio %.3f (target <= 1.0)" % (args.jobs, t_ours, n_ours, args.jobs, t_rct,
                                          n_rct, results["vs_run_clang_tidy"]))
    if n_ours != n_rct:
        print("   note: finding counts differ (run-clang-tidy prints a header's finding "
              "once per TU that includes it; corolint once)")

    # 2. Scaling.
    t_one, _, _ = run(corolint_cmd("-j1"))
    results["scaling"] = t_one / t_ours
    print("2. corolint -j1 %.1f s, -j%d %.1f s: scaling %.2fx (target >= 1.8)"
          % (t_one, args.jobs, t_ours, results["scaling"]))

    # 3. Cache.
    cache = os.path.join(work, "cache")
    report = os.path.join(work, "report.json")
    t_cold, _, _ = run(corolint_cmd("-j%d" % args.jobs, "--cache-dir=" + cache))
    t_warm, _, _ = run(corolint_cmd("-j%d" % args.jobs, "--cache-dir=" + cache,
                                    "--format=json", "-o", report))
    warm_cached = json.load(open(report))["summary"]["cached_files"]
    with open(tus[len(tus) // 2], "a") as f:
        f.write("// edited\n")
    t_edit, _, _ = run(corolint_cmd("-j%d" % args.jobs, "--cache-dir=" + cache,
                                    "--format=json", "-o", report))
    summary = json.load(open(report))["summary"]
    reanalysed = summary["files"] - summary["cached_files"]
    results["warm"] = t_warm / t_cold
    results["reanalysed"] = reanalysed
    print("3. cache: cold %.1f s, warm %.2f s (%d/%d from the cache): ratio %.3f "
          "(target <= 0.1); one edited TU: %.2f s, %d TU analysed again (target 1)"
          % (t_cold, t_warm, warm_cached, len(tus), results["warm"], t_edit, reanalysed))

    # 4. Memory.
    largest = max(tus, key=lambda p: os.path.getsize(p))
    m_tidy = peak_rss([tidy, "--load=" + plugin, config, "-p", corpus, "--quiet", largest])
    m_ours = peak_rss([corolint, "-p", corpus, config, "--quiet", "-j1", largest])
    summaries = os.path.join(work, "summaries.json")
    m_all = peak_rss(corolint_cmd("-j1", "--export-summaries=" + summaries))
    results["memory"] = m_ours / m_tidy
    print("4. peak RSS on %s: corolint %.0f MiB, clang-tidy with the plugin %.0f MiB: "
          "ratio %.3f (target <= 1.1); corolint -j1 over all %d TUs, with the "
          "cross-file summaries held and exported: %.0f MiB"
          % (os.path.basename(largest), m_ours, m_tidy, results["memory"], len(tus), m_all))
    with open(summaries) as f:
        functions = sum(len(v) for v in json.load(f)["checks"].values())
    print("5. merged cross-file summaries: %d function entries, %.2f MB as JSON "
          "(target < 50 MB)" % (functions, os.path.getsize(summaries) / 1e6))

    shutil.rmtree(work, ignore_errors=True)
    missed = []
    if results["vs_run_clang_tidy"] > 1.0:
        missed.append("corolint slower than run-clang-tidy")
    if results["scaling"] < 1.8:
        missed.append("scaling below 1.8")
    if results["warm"] > 0.1:
        missed.append("warm run above 0.1 of cold")
    if results["reanalysed"] != 1:
        missed.append("an edit re-analysed %d TUs" % results["reanalysed"])
    if results["memory"] > 1.1:
        missed.append("memory ratio above 1.1")
    print("targets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
