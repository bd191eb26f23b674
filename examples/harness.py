#!/usr/bin/env python3
"""The examples' harness: corolint's findings (the static oracle) against what
the program does at run time (the dynamic oracle), before and after the fix.

    harness.py --corolint BIN --cxx CLANG++ --aio-include DIR
               [--blockguard LIB] [--report-dir DIR] [--keep DIR] EXAMPLE...

Each example directory holds an ORACLE file:

    source service.cpp                  the program
    libs -lsqlite3                      link flags (optional)
    cxxflags -DX                        compile flags (optional)
    dynamic aio | heartbeat             aio: debug mode and the blocking guard
                                        (default); heartbeat: the program
                                        measures its own loop's longest gap
    slow-step-ms 50                     debug mode's threshold (default 50)
    speedup 3                           time before / time after must be at
                                        least this (concurrent waits only)
    after-output REGEX                  a line the fixed program must print
    finding LINE CHECK -> EVIDENCE      one expected finding and what it does
                                        at run time (a finding may have
                                        several lines)

EVIDENCE is one of
    blocking FUNC,... in TASK
                            the blocking guard reports each FUNC in task
                            TASK; each must be the finding's callee, one of
                            its blocking region's (named by its notes), or
                            a function one of those calls (ALIASES below)
    slow TASK               debug mode reports a slow step in task TASK
    output REGEX            the unfixed program prints a matching line (a hang
                            on cancel found by a bounded wait, a refused
                            nested run, a starved heartbeat)
    unobserved REASON       no run-time counterpart (counted in the report)

For every example the harness checks:
 1. corolint reports exactly the ORACLE's findings (lines and checks);
 2. the unfixed program (debug mode, LD_PRELOAD of the blocking guard) shows
    each finding's evidence, and every blocking call and slow step it
    reports belongs to a task some finding names (nothing unexplained);
 3. corolint --fix leaves no finding, the fixed code compiles with -Werror,
    and the fixed program, run the same way, exits 0 with no slow step, no
    blocking call and none of the output evidence, prints its after-output,
    and, with `speedup`, is that many times faster than the unfixed one in
    the same run.
Every run is bounded (RUN_TIMEOUT). The result is a row of the report table
(example, findings, stalls before, stalls after, time before, time after);
with --report-dir the rows of all examples run so far are printed together.
Exit status: 0 all checks passed, 1 a check failed, 2 a usage error.
"""

import argparse
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_TIMEOUT = 60  # seconds, for each run of a program

# The libc functions a catalogued blocking API reaches, as the blocking guard
# sees them (it interposes libc, not C++ wrappers).
ALIASES = {
    "std::this_thread::sleep_for": {"nanosleep", "clock_nanosleep"},
    "std::this_thread::sleep_until": {"nanosleep", "clock_nanosleep"},
    "std::basic_ifstream": {"read", "fopen"},
    # SQLite's own calls go through the dynamic symbol table: a statement
    # run by sqlite3_exec steps with sqlite3_step, and preparing the first
    # statement on a connection reads the schema with sqlite3_exec.
    "sqlite3_exec": {"sqlite3_step", "read", "pread", "fdatasync", "fsync"},
    "sqlite3_prepare_v2": {"sqlite3_exec", "sqlite3_step", "read", "pread"},
    "sqlite3_step": {"read", "pread"},
    # A nested aio::run in debug mode starts a loop with a watchdog thread;
    # refused, the loop joins that thread on the spot.
    "aio::run": {"pthread_join"},
}

SLOW_RE = re.compile(r"^aio: slow step: ([0-9.]+) ms in (task '([^']*)' \(spawned at [^)]*\)|a callback)")
BLOCK_RE = re.compile(r"^aio: blocking call: (\S+) in (task '([^']*)' \(spawned at [^)]*\)|a callback)")
BLOCKS_RE = re.compile(r"^aio: blocking calls: (\d+) x (\S+) in (task '([^']*)' \(spawned at [^)]*\)|a callback)")
CALLEE_RE = re.compile(r"call to '([^']+)'")
REGION_NOTE_RE = re.compile(r"one blocking region with the call above")
GAP_RE = re.compile(r"longest gap (\d+) ms")

TABLE_HEADER = ("example", "findings", "stalls before", "stalls after",
                "time before", "time after")


class Failure(Exception):
    pass


def parse_oracle(path):
    spec = {"libs": [], "cxxflags": [], "dynamic": "aio", "slow_step_ms": 50.0,
            "speedup": None, "after_output": [], "findings": []}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, rest = line.partition(" ")
            rest = rest.strip()
            if key == "source":
                spec["source"] = rest
            elif key == "libs":
                spec["libs"] = rest.split()
            elif key == "cxxflags":
                spec["cxxflags"] = rest.split()
            elif key == "dynamic":
                spec["dynamic"] = rest
            elif key == "slow-step-ms":
                spec["slow_step_ms"] = float(rest)
            elif key == "speedup":
                spec["speedup"] = float(rest)
            elif key == "after-output":
                spec["after_output"].append(rest)
            elif key == "finding":
                head, arrow, evidence = rest.partition("->")
                fields = head.split()
                kind, _, arg = evidence.strip().partition(" ")
                if not arrow or len(fields) != 2 or kind not in (
                        "blocking", "slow", "output", "unobserved"):
                    raise SystemExit("%s:%d: bad finding line" % (path, number))
                item = {"line": int(fields[0]), "check": fields[1],
                        "kind": kind, "arg": arg.strip()}
                if kind == "blocking":
                    m = re.fullmatch(r"(\S+) in (.+)", item["arg"])
                    if not m:
                        raise SystemExit("%s:%d: blocking FUNC in TASK" % (path, number))
                    item["functions"], item["task"] = m.group(1).split(","), m.group(2)
                spec["findings"].append(item)
            else:
                raise SystemExit("%s:%d: unknown key %r" % (path, number, key))
    if "source" not in spec:
        raise SystemExit("%s: no source" % path)
    return spec


def run(cmd, env=None, timeout=RUN_TIMEOUT):
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        raise Failure("%s did not finish within %d s\n%s" % (cmd[0], timeout, out))
    return proc.returncode, proc.stdout, time.perf_counter() - start


def corolint_findings(args, source, config, cxxflags):
    cmd = [args.corolint, "--quiet", "--format=json"] + config + [
        source, "--", "-std=c++20", "-I", args.aio_include] + cxxflags
    rc, out, _ = run(cmd)
    if rc not in (0, 1):
        raise Failure("corolint failed on %s (exit %d):\n%s" % (source, rc, out))
    report = json.loads(out[out.index("{"):])
    return report["findings"]


def dynamic_reports(text):
    """The slow steps and blocking calls a run reported: a list of slow steps
    and {(function, task name): number of calls}."""
    slow, calls, names = [], {}, {}
    for line in text.splitlines():
        m = SLOW_RE.match(line)
        if m:
            slow.append({"ms": float(m.group(1)), "task": m.group(3)})
            continue
        # The guard reports each (function, task) once, then counts the
        # repeats at exit; tasks of one name spawned at different places are
        # different tasks to it.
        m = BLOCK_RE.match(line)
        if m:
            calls.setdefault((m.group(1), m.group(2)), 1)
            names[(m.group(1), m.group(2))] = (m.group(1), m.group(3))
            continue
        m = BLOCKS_RE.match(line)
        if m:
            calls[(m.group(2), m.group(3))] = int(m.group(1))
            names[(m.group(2), m.group(3))] = (m.group(2), m.group(4))
    blocking = {}
    for key, count in calls.items():
        blocking[names[key]] = blocking.get(names[key], 0) + count
    return slow, blocking


def run_program(binary, spec, args):
    env = dict(os.environ)
    for var in ("AIO_DEBUG", "AIO_SLOW_STEP_MS", "AIO_BLOCKGUARD", "LD_PRELOAD"):
        env.pop(var, None)
    if spec["dynamic"] == "aio":
        env["AIO_DEBUG"] = "1"
        env["AIO_SLOW_STEP_MS"] = str(spec["slow_step_ms"])
        env["LD_PRELOAD"] = args.blockguard
    return run([binary], env=env)


def stalls_text(spec, out):
    if spec["dynamic"] == "heartbeat":
        m = GAP_RE.search(out)
        return "gap %s ms" % (m.group(1) if m else "?")
    slow, blocking = dynamic_reports(out)
    return "%d slow, %d blocking" % (len(slow), sum(blocking.values()))


def check_example(name, args, work):
    directory = os.path.join(HERE, name)
    spec = parse_oracle(os.path.join(directory, "ORACLE"))
    source = os.path.join(directory, spec["source"])
    if not os.path.relpath(source).startswith(".."):
        source = os.path.relpath(source)  # reports name it as the user does
    config = []
    if os.path.exists(os.path.join(directory, ".clang-tidy")):
        config = ["--config-file=" + os.path.join(directory, ".clang-tidy")]
    problems = []

    # 1. The static oracle: exactly the expected findings.
    found = corolint_findings(args, source, config, spec["cxxflags"])
    expected = {(f["line"], f["check"]) for f in spec["findings"]}
    got = {}
    for f in found:
        got[(f["location"]["line"], f["check"])] = f
    for key in sorted(set(got) - expected):
        problems.append("unexpected finding %s:%d [%s]: %s" % (
            spec["source"], key[0], key[1], got[key]["message"]))
    for key in sorted(expected - set(got)):
        problems.append("missing finding %s:%d [%s]" % (spec["source"], key[0], key[1]))
    for item in spec["findings"]:
        finding = got.get((item["line"], item["check"]))
        if finding is None or item["kind"] != "blocking":
            continue
        # The finding's calls: its own, and those of its blocking region,
        # which its notes name.
        callees = []
        for message in [finding["message"]] + [
                note["message"] for note in finding.get("notes", [])
                if REGION_NOTE_RE.search(note["message"])]:
            m = CALLEE_RE.search(message)
            if m:
                callees.append(m.group(1))
        for function in item["functions"]:
            if not any(function == callee or function in ALIASES.get(callee, ())
                       for callee in callees):
                problems.append("line %d: the guard's %s is not one of the finding's callees %s" % (
                    item["line"], function, ", ".join(callees)))

    flags = ["-std=c++20", "-pthread", "-Wall", "-Wextra", "-Werror", "-O2",
             "-I", args.aio_include] + spec["cxxflags"]
    before = os.path.join(work, "before")
    rc, out, _ = run([args.cxx] + flags + [source, "-o", before] + spec["libs"])
    if rc != 0:
        raise Failure("the unfixed %s does not compile:\n%s" % (name, out))

    # 3a. The fix: no finding left, compiles with -Werror.
    fixed_dir = os.path.join(work, "fixed")
    os.makedirs(fixed_dir, exist_ok=True)
    fixed = os.path.join(fixed_dir, os.path.basename(source))
    shutil.copyfile(source, fixed)
    run([args.corolint, "--quiet", "--fix"] + config + [
        fixed, "--", "-std=c++20", "-I", args.aio_include] + spec["cxxflags"])
    left = corolint_findings(args, fixed, config, spec["cxxflags"])
    for f in left:
        problems.append("after the fix: %d:%d [%s] %s" % (
            f["location"]["line"], f["location"]["column"], f["check"], f["message"]))
    after = os.path.join(work, "after")
    rc, out, _ = run([args.cxx] + flags + [fixed, "-o", after] + spec["libs"])
    if rc != 0:
        raise Failure("the fixed %s does not compile with -Werror:\n%s" % (name, out))

    # 2. The dynamic oracle before the fix, then 3b. after it (same run).
    before_rc, before_out, before_time = run_program(before, spec, args)
    after_rc, after_out, after_time = run_program(after, spec, args)
    with open(os.path.join(work, "before.out"), "w") as f:
        f.write(before_out)
    with open(os.path.join(work, "after.out"), "w") as f:
        f.write(after_out)

    slow, blocking = dynamic_reports(before_out)
    explained_tasks = set()
    unobserved = 0
    for item in spec["findings"]:
        where = "%s:%d [%s]" % (spec["source"], item["line"], item["check"])
        if item["kind"] == "blocking":
            explained_tasks.add(item["task"])
            for function in item["functions"]:
                if (function, item["task"]) not in blocking:
                    problems.append("%s: no blocking call %s in task '%s' before the fix" % (
                        where, function, item["task"]))
        elif item["kind"] == "slow":
            explained_tasks.add(item["arg"])
            if not any(s["task"] == item["arg"] for s in slow):
                problems.append("%s: no slow step in task '%s' before the fix" % (
                    where, item["arg"]))
        elif item["kind"] == "output":
            if not re.search(item["arg"], before_out, re.M):
                problems.append("%s: the unfixed program did not print /%s/" % (
                    where, item["arg"]))
        else:
            unobserved += 1
    claimed = {(function, i["task"]) for i in spec["findings"] if i["kind"] == "blocking"
               for function in i["functions"]}
    for (function, task) in sorted(blocking, key=str):
        if (function, task) not in claimed:
            problems.append("before the fix: blocking call %s in task '%s' that no finding predicts" % (
                function, task))
    for s in slow:
        if s["task"] not in explained_tasks:
            problems.append("before the fix: slow step (%.1f ms) in task '%s' that no finding predicts" % (
                s["ms"], s["task"]))

    after_slow, after_blocking = dynamic_reports(after_out)
    if after_rc != 0:
        problems.append("the fixed program exited %d" % after_rc)
    for s in after_slow:
        problems.append("after the fix: slow step (%.1f ms) in task '%s'" % (s["ms"], s["task"]))
    for (function, task), count in sorted(after_blocking.items(), key=str):
        problems.append("after the fix: %d blocking call(s) %s in task '%s'" % (count, function, task))
    for item in spec["findings"]:
        if item["kind"] == "output" and re.search(item["arg"], after_out, re.M):
            problems.append("after the fix the program still prints /%s/" % item["arg"])
    for pattern in spec["after_output"]:
        if not re.search(pattern, after_out, re.M):
            problems.append("the fixed program did not print /%s/" % pattern)
    if spec["speedup"] is not None and before_time < spec["speedup"] * after_time:
        problems.append("before/after time %.2f / %.2f s = %.1f, expected at least %.1f" % (
            before_time, after_time, before_time / after_time, spec["speedup"]))

    findings_text = "%d" % len(found)
    if unobserved:
        findings_text += " (%d unobserved)" % unobserved
    row = (name, findings_text, stalls_text(spec, before_out), stalls_text(spec, after_out),
           "%.2f s" % before_time, "%.2f s" % after_time)
    return row, problems, (before_out, after_out)


def format_table(rows):
    rows = [TABLE_HEADER] + list(rows)
    widths = [max(len(r[i]) for r in rows) for i in range(len(TABLE_HEADER))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def record(report_dir, row):
    """Adds the row to the directory's table and returns the whole table."""
    os.makedirs(report_dir, exist_ok=True)
    with open(os.path.join(report_dir, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with open(os.path.join(report_dir, row[0] + ".row"), "w") as f:
            f.write("\t".join(row) + "\n")
        rows = []
        for entry in sorted(os.listdir(report_dir)):
            if entry.endswith(".row"):
                with open(os.path.join(report_dir, entry)) as f:
                    rows.append(tuple(f.read().rstrip("\n").split("\t")))
        table = format_table(rows)
        with open(os.path.join(report_dir, "table.txt"), "w") as f:
            f.write(table + "\n")
        return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corolint", required=True)
    parser.add_argument("--cxx", required=True)
    parser.add_argument("--aio-include", required=True)
    parser.add_argument("--blockguard", default="")
    parser.add_argument("--report-dir", default="")
    parser.add_argument("--keep", default="", help="keep the builds and outputs here")
    parser.add_argument("examples", nargs="+")
    args = parser.parse_args()
    if args.blockguard and not os.path.exists(args.blockguard):
        parser.error("no blocking guard at %s" % args.blockguard)

    status = 0
    rows = []
    for name in args.examples:
        work = os.path.join(args.keep, name) if args.keep else tempfile.mkdtemp(prefix="corolint-ex-")
        os.makedirs(work, exist_ok=True)
        try:
            spec_dynamic = parse_oracle(os.path.join(HERE, name, "ORACLE"))["dynamic"]
            if spec_dynamic == "aio" and not args.blockguard:
                parser.error("%s needs --blockguard" % name)
            row, problems, outputs = check_example(name, args, work)
        except Failure as e:
            row, problems, outputs = (name, "-", "-", "-", "-", "-"), [str(e)], ("", "")
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        rows.append(row)
        if problems:
            status = 1
            sys.stdout.write("FAIL %s\n" % name)
            for p in problems:
                sys.stdout.write("  %s\n" % p)
            for label, text in zip(("before", "after"), outputs):
                if text:
                    sys.stdout.write("  ---- %s ----\n%s" % (label, text))
        else:
            sys.stdout.write("PASS %s\n" % name)
        if args.report_dir:
            record(args.report_dir, row)
    sys.stdout.write(format_table(rows) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
