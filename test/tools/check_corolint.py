#!/usr/bin/env python3
"""Runs one check test through one front end and verifies it.

    check_corolint.py --mode=plugin|cli SOURCE CHECK TMP [--config=YAML]
                      [--check-suffix=SUFFIX] [-- COMPILER ARGS]

The source carries its expectations as comments:

  // CHECK-MESSAGES: :[[@LINE+1]]:3: warning: ... [coro-blocking-call]
  // CHECK-NOTES:    same, but notes are checked as well
  // CHECK-FIXES:    a line of the fixed file

The expectation comments are blanked (line numbers stay), the tool runs with
--fix on a copy, FileCheck verifies the diagnostics and the fixed file, and
the fixed file is compiled (-fsyntax-only) against the aio headers. A source
without CHECK-MESSAGES/CHECK-NOTES must produce no diagnostic of the check
and no change.
"""

import argparse
import os
import re
import subprocess
import sys


def fail(message, output=None):
    sys.stderr.write("check_corolint: " + message + "\n")
    if output is not None:
        sys.stderr.write("------ tool output ------\n" + output + "\n-------------------------\n")
    sys.exit(1)


def run(cmd, stdin=None):
    proc = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def filecheck(args, prefix, text, input_file, extra=()):
    cmd = [args.filecheck, input_file, "--check-prefix=" + prefix,
           "--input-file=-"] + list(extra)
    code, out = run(cmd, stdin=text)
    if code != 0:
        fail("FileCheck %s failed:\n%s" % (prefix, out), text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["plugin", "cli"], required=True)
    parser.add_argument("--check-suffix", default="")
    parser.add_argument("--config", default="")
    parser.add_argument("--expect-exit", type=int, default=None)
    parser.add_argument("--fix-notes", action="store_true",
                        help="also apply the fixes offered on notes")
    parser.add_argument("source")
    parser.add_argument("check")
    parser.add_argument("tmp")
    argv = sys.argv[1:]
    compiler_args = []
    if "--" in argv:
        cut = argv.index("--")
        compiler_args = argv[cut + 1:]
        argv = argv[:cut]
    args = parser.parse_args(argv)

    env = os.environ
    args.filecheck = env.get("FILECHECK", "FileCheck")
    clang_tidy = env["COROLINT_CLANG_TIDY"]
    plugin = env["COROLINT_PLUGIN"]
    corolint = env["COROLINT_CLI"]
    clangxx = env["COROLINT_CLANGXX"]
    aio_include = env["COROLINT_AIO_INCLUDE"]

    suffix = "-" + args.check_suffix.upper() if args.check_suffix else ""
    messages_prefix = "CHECK-MESSAGES" + suffix
    notes_prefix = "CHECK-NOTES" + suffix
    fixes_prefix = "CHECK-FIXES" + suffix

    with open(args.source, encoding="utf-8") as f:
        original = f.read()

    has_messages = re.search(r"//\s*%s:" % re.escape(messages_prefix), original) is not None
    has_notes = re.search(r"//\s*%s:" % re.escape(notes_prefix), original) is not None
    has_fixes = re.search(r"//\s*%s:" % re.escape(fixes_prefix), original) is not None
    if has_messages and has_notes:
        fail("use either %s or %s, not both" % (messages_prefix, notes_prefix))

    # Blank every expectation comment so that the fixed file cannot match
    # its own CHECK-FIXES lines; line numbers are unchanged.
    cleaned = re.sub(r"//\s*CHECK-[A-Z0-9-]+:[^\r\n]*", "//", original)

    os.makedirs(os.path.dirname(os.path.abspath(args.tmp)) or ".", exist_ok=True)
    work = args.tmp + "." + args.mode + ".cpp"
    with open(work, "w", encoding="utf-8") as f:
        f.write(cleaned)

    base_flags = ["-std=c++20", "-I", aio_include] + compiler_args
    checks = "-*," + args.check
    if args.mode == "plugin":
        cmd = [clang_tidy, "--load=" + plugin, "--checks=" + checks, "--fix"]
    else:
        cmd = [corolint, "--checks=" + checks, "--fix"]
    # Only the test file: diagnostics (and fixes!) in the headers it
    # includes, such as the aio runtime, are not the test's business.
    cmd.append("--header-filter=^$")
    if args.config:
        cmd.append("--config=" + args.config)
    if args.fix_notes:
        cmd.append("--fix-notes")
    cmd += [work, "--"] + base_flags
    code, output = run(cmd)

    # Exit status: clang-tidy exits 0 with warnings; the CLI exits 1 when it
    # reports findings, 0 when clean.
    has_expected_diags = has_messages or has_notes
    if args.expect_exit is not None:
        expected = args.expect_exit
    elif args.mode == "plugin":
        expected = 0
    else:
        expected = 1 if has_expected_diags else 0
    if code != expected:
        fail("%s exited %d, expected %d" % (args.mode, code, expected), output)
    if re.search(r"(^|: )error:", output, re.M) and expected != 2:
        fail("the tool reported an error", output)

    with open(work, encoding="utf-8") as f:
        fixed = f.read()

    # A diagnostic line is "FILE:LINE:COL: KIND: ..." (a fix snippet may
    # contain "error::" of a namespace).
    diag_lines = [l for l in output.splitlines()
                  if re.search(r":\d+:\d+: (warning|error): ", l)]
    # clang-tidy's own "FIX-IT applied" notes say nothing about the check.
    note_lines = [l for l in output.splitlines()
                  if re.search(r":\d+:\d+: (warning|error|note): ", l)
                  and "note: FIX-IT applied suggested code changes" not in l]
    if has_messages:
        filecheck(args, messages_prefix, "\n".join(diag_lines) + "\n", args.source,
                  ["-implicit-check-not={{: (warning|error): }}"])
    elif has_notes:
        filecheck(args, notes_prefix, "\n".join(note_lines) + "\n", args.source,
                  ["-implicit-check-not={{: (warning|error|note): }}"])
    elif diag_lines:
        fail("expected no diagnostics", output)

    if has_fixes:
        filecheck(args, fixes_prefix, fixed, args.source, ["-strict-whitespace"])
    elif fixed != cleaned:
        fail("expected no fixes, but the file changed:\n" + fixed)

    # A fix-it counts only if the fixed code compiles.
    code, out = run([clangxx, "-fsyntax-only"] + base_flags + [work])
    if code != 0:
        fail("the fixed file does not compile:\n" + out, fixed)


if __name__ == "__main__":
    main()
