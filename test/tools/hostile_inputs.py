#!/usr/bin/env python3
"""Feeds a corolint reader hostile versions of a valid file and checks that
each one is refused with a clear error: never a crash, a hang or a result.

  hostile_inputs.py reject VALID WORK [--only REGEX] [--max N] -- COMMAND...
      Every mutant must make COMMAND exit 2 (or, with --warning TEXT, print
      TEXT and exit as on the valid file) with an error that names the
      file (the mutant's path) and, for a wrong or missing field, the
      field.
  hostile_inputs.py kill CACHE WORK [--times N] -- COMMAND...
      Runs COMMAND (which names its cache directory {cache}) N times,
      killing it with SIGKILL at a random point of its run each time, then
      runs it to the end: its findings must be those of a run with an
      empty cache. --touch FILE appends a line to FILE before each run, so
      that each run misses the cache and writes its entry anew.
  hostile_inputs.py cache ENTRY WORK [--max N] -- COMMAND...
      ENTRY is a cache entry of COMMAND's run (or the cache directory that
      holds only it). Every mutant of it (torn,
      garbage, flipped bytes) must give the findings of the run without a
      cache (its JSON report, written by COMMAND to the file named by
      {report}) and a warning that the entry was discarded.

COMMAND names the input as {input} (and the report as {report}). The
mutants: each field removed, each field given a value of each other JSON
type, negative and huge numbers, the document truncated at several points,
garbage bytes, a deep nesting, an empty file, other top-level types.
--only limits field mutations to the fields whose path matches REGEX (the
fields the reader reads: a change in any other changes no result);
--optional REGEX names fields that may be left out (they are retyped, not
removed). An error must name the field or the object or array around it. Prints
the number of mutants and of failures per kind; exits 1 on any failure.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys

TIMEOUT = 60


def paths(value, prefix=""):
    """(path, parent, key) for every field of a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            p = k if not prefix else prefix + "." + k
            yield p, value, k
            yield from paths(v, p)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            p = "%s[%d]" % (prefix, i)
            yield p, value, i
            yield from paths(v, p)


def others(v):
    """Values of other JSON types than v (and bad numbers for numbers)."""
    out = []
    if not isinstance(v, str):
        out.append("7")
    if isinstance(v, bool) or not isinstance(v, int):
        out.append(7)
    if isinstance(v, int) and not isinstance(v, bool):
        out += [-1, 2 ** 64, 1.5]
    if v is not None:
        out.append(None)
    if not isinstance(v, list):
        out.append([])
    if not isinstance(v, dict):
        out.append({"x": 1})
    if not isinstance(v, bool):
        out.append(True)
    return out


def field_mutants(doc, only, optional):
    for path, parent, key in list(paths(doc)):
        if only and not re.search(only, path):
            continue
        if isinstance(parent, dict) and not (optional and re.search(optional, path)):
            copy = json.loads(json.dumps(doc))
            target = locate(copy, path)
            del target[0][target[1]]
            yield "removed", path, json.dumps(copy).encode()
        for other in others(parent[key]):
            copy = json.loads(json.dumps(doc))
            target = locate(copy, path)
            target[0][target[1]] = other
            yield "retyped", path, json.dumps(copy).encode()


def locate(doc, path):
    """(container, key) of path in doc."""
    parts = re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)
    node = doc
    keys = [k if k else int(i) for k, i in parts]
    for k in keys[:-1]:
        node = node[k]
    return node, keys[-1]


def byte_mutants(text, rng):
    n = len(text)
    for cut in sorted({1, 2, n // 4, n // 2, n - 2, n - 1, rng.randrange(1, n)}):
        if 0 < cut < n:
            yield "truncated", "", text[:cut]
    yield "empty", "", b""
    yield "garbage", "", bytes(rng.randrange(256) for _ in range(4096))
    yield "garbage", "", b"\0" * 1000
    yield "nested", "", b"[" * 100000 + b"]" * 100000
    yield "nested", "", b'{"a":' * 50000 + b"1" + b"}" * 50000
    for top in [b"[]", b"3", b'"x"', b"null", b"true"]:
        yield "top-level", "", top
    for _ in range(8):
        pos = rng.randrange(n)
        yield "flipped", "", text[:pos] + bytes([text[pos] ^ 0x5A]) + text[pos + 1:]


def parses(data):
    try:
        json.loads(data)
        return True
    except (ValueError, RecursionError):
        return False


def run(command, mapping):
    args = []
    for arg in command:
        for key, value in mapping.items():
            arg = arg.replace("{%s}" % key, value)
        args.append(arg)
    try:
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "", ""
    # clang-tidy prints diagnostics on stdout, corolint's errors on stderr:
    # the messages are looked for in both.
    return proc.returncode, proc.stdout.decode(errors="replace"), \
        proc.stderr.decode(errors="replace") + proc.stdout.decode(errors="replace")


def findings(report):
    with open(report, encoding="utf-8") as f:
        r = json.load(f)
    return [(x["check"], x["location"]["file"], x["location"]["line"],
             x["message"]) for x in r["findings"]]


def kill(a, command, rng):
    import time
    os.makedirs(a.work, exist_ok=True)
    report = os.path.join(a.work, "report.json")
    cold = os.path.join(a.work, "cold-cache")
    shutil.rmtree(cold, ignore_errors=True)
    start = time.monotonic()
    rc, _, _ = run(command, {"cache": cold, "report": report})
    took = time.monotonic() - start
    expected = findings(report)
    failures = []
    killed = 0
    for i in range(a.times):
        if a.touch:
            # A new line at the end: a cache miss, the same findings.
            with open(a.touch, "a") as f:
                f.write("// run %d\n" % i)
        args = [x.replace("{cache}", a.valid).replace("{report}", report)
                for x in command]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=rng.uniform(0, took * 1.2))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed += 1
        got_rc, _, err = run(command, {"cache": a.valid, "report": report})
        if got_rc != rc or findings(report) != expected:
            failures.append("run %d: rc %s, findings %s" % (i, got_rc,
                            "differ" if got_rc in (0, 1) else "missing"))
    print("%d runs, %d killed before the end, %d later runs differed from a "
          "cold run" % (a.times, killed, len(failures)))
    for f in failures[:20]:
        print("FAILED " + f)
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["reject", "cache", "kill"])
    ap.add_argument("--times", type=int, default=50)
    ap.add_argument("--touch")
    ap.add_argument("valid")
    ap.add_argument("work")
    ap.add_argument("--only")
    ap.add_argument("--optional")
    ap.add_argument("--warning")
    ap.add_argument("--max", type=int, default=0)
    argv = sys.argv[1:]
    if "--" not in argv:
        ap.error("the command follows '--'")
    split = argv.index("--")
    a = ap.parse_args(argv[:split])
    command = argv[split + 1:]
    rng = random.Random(15)
    if a.mode == "kill":
        return kill(a, command, rng)
    if a.mode == "cache" and os.path.isdir(a.valid):
        entries = [e for e in os.listdir(a.valid) if e.endswith(".json")]
        if len(entries) != 1:
            ap.error("%s holds %d cache entries, not one" % (a.valid, len(entries)))
        a.valid = os.path.join(a.valid, entries[0])
    with open(a.valid, "rb") as f:
        text = f.read()
    os.makedirs(a.work, exist_ok=True)

    mutants = list(byte_mutants(text, rng))
    if a.mode == "reject":
        # A byte change that leaves valid JSON is a field change, which the
        # field mutants cover one by one.
        mutants = [m for m in mutants if not parses(m[2])]
        mutants += list(field_mutants(json.loads(text), a.only, a.optional))
    if a.max and len(mutants) > a.max:
        mutants = rng.sample(mutants, a.max)

    failures = []
    kinds = {}
    report = os.path.join(a.work, "report.json")
    if a.mode == "cache":
        rc, _, _ = run(command, {"input": a.valid, "report": report})
        expected_rc, expected = rc, findings(report)
        entry = a.valid
        with open(entry, "rb") as f:
            original = f.read()
    elif a.warning:
        expected_rc, _, _ = run(command, {"input": os.devnull + "-missing",
                                          "report": report})
    for kind, field, data in mutants:
        kinds[kind] = kinds.get(kind, 0) + 1
        if a.mode == "cache":
            with open(entry, "wb") as f:
                f.write(data)
            rc, out, err = run(command, {"input": entry, "report": report})
            ok = (rc == expected_rc and "discarded the cache entry" in err
                  and findings(report) == expected)
            why = "rc %s, findings differ or no warning" % rc
            with open(entry, "wb") as f:
                f.write(original)
        else:
            path = os.path.join(a.work, "mutant.json")
            with open(path, "wb") as f:
                f.write(data)
            rc, out, err = run(command, {"input": path, "report": report})
            named = path in err
            if field:
                # The error names the field, or the object or array it is in
                # when the reader found that one wrong first (an array
                # whose element is missing is of the wrong length).
                prefixes = [field[:m.start()] for m in re.finditer(r"[.\[]", field)]
                named = named and any("'%s'" % f in err for f in [field] + prefixes)
            if a.warning:
                ok = rc == expected_rc and a.warning in err and named
            else:
                ok = rc == 2 and "error:" in err and named
            why = "rc %s: %s" % (rc, err.strip().splitlines()[-1:] if err else "")
        if rc is None:
            why = "no answer in %d s" % TIMEOUT
        elif rc < 0 or "terminate called" in err or "Stack dump" in err:
            ok, why = False, "crashed (%s)" % (signal.Signals(-rc).name if rc < 0 else rc)
        if not ok:
            failures.append((kind, field, why))
    crashed = sum(1 for f in failures if f[2].startswith("crashed"))
    hung = sum(1 for f in failures if f[2].startswith("no answer"))
    print("%d hostile inputs (%s), %d failed (%d crashed, %d hung)" % (
        len(mutants), ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
        len(failures), crashed, hung))
    for kind, field, why in failures[:20]:
        print("FAILED %s %s: %s" % (kind, field, why))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
