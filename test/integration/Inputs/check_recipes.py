#!/usr/bin/env python3
"""Checks the CI recipes of the documentation against corolint.

check_recipes.py workflows FILE...
    Each FILE is a GitHub Actions workflow: it parses as YAML, has `on` and
    `jobs`, builds corolint with `make build`, runs the corolint that build
    produces, and, when it runs corolint with --format=sarif, uploads the
    file named by --output with github/codeql-action/upload-sarif in a later
    step and grants `security-events: write`. Prints each corolint command
    line found.

check_recipes.py options COROLINT FILE...
    Every option on a corolint command line, or in the `args` of a
    pre-commit hook with id corolint, in FILE (a YAML file, or a Markdown
    page whose ```yaml blocks are read) must be listed by
    `COROLINT --help`, and, where the help lists the option's values, its
    value must be one of them. Prints each option checked.

check_recipes.py run COROLINT DIR FILE
    Runs the step of workflow FILE that runs corolint, as GitHub runs it
    (`sh -e -c SCRIPT`), in DIR, with COROLINT in place of the corolint the
    workflow builds. Passes its output through and exits with its status.

Exit status 1 with one line per problem on stderr.
"""
import os
import re
import shlex
import subprocess
import sys

import yaml

problems = []


def problem(where, text):
    problems.append("%s: %s" % (where, text))


def documents(path):
    """The YAML documents of PATH: the file, or a Markdown page's ```yaml blocks."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not path.endswith(".md"):
        return [yaml.safe_load(text)]
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", text, re.M | re.S)
    return [yaml.safe_load(b) for b in blocks]


def run_strings(node):
    """Every `run:` string anywhere in a parsed YAML document, in order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                yield value
            else:
                yield from run_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from run_strings(item)


def hook_args(node):
    """The `args` of every pre-commit hook with id corolint, in order."""
    if isinstance(node, dict):
        if node.get("id") == "corolint" and isinstance(node.get("args"), list):
            yield [str(a) for a in node["args"]]
        for value in node.values():
            yield from hook_args(value)
    elif isinstance(node, list):
        for item in node:
            yield from hook_args(item)


def corolint_arg_lists(document):
    for script in run_strings(document):
        for _, args in corolint_commands(script):
            yield args
    yield from hook_args(document)


def corolint_commands(script):
    """The argument lists of the corolint invocations in a shell script:
    from the word naming corolint up to the next shell operator."""
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True,
                        punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    commands = []
    for i, token in enumerate(tokens):
        if os.path.basename(token) != "corolint":
            continue
        args = []
        for arg in tokens[i + 1:]:
            if set(arg) <= set("();<>|&"):
                break
            args.append(arg)
        commands.append((token, args))
    return commands


def option_uses(args):
    """(name, value or None) for each option before a `--`."""
    for i, arg in enumerate(args):
        if arg == "--":
            return
        if not arg.startswith("-"):
            continue
        name, eq, value = arg.partition("=")
        if not eq:
            following = args[i + 1] if i + 1 < len(args) else None
            value = following if following and not following.startswith("-") else None
        yield name, value, bool(eq)


def check_workflows(paths):
    for path in paths:
        where = os.path.basename(path)
        try:
            workflow = yaml.safe_load(open(path, encoding="utf-8"))
        except yaml.YAMLError as e:
            problem(where, "not YAML: %s" % e)
            continue
        # YAML 1.1 reads the key `on` as true.
        if not isinstance(workflow, dict) or not ({"on", True} & set(workflow)):
            problem(where, "no 'on' trigger")
            continue
        jobs = workflow.get("jobs") or {}
        if not jobs:
            problem(where, "no jobs")
        for job_name, job in jobs.items():
            steps = job.get("steps") or []
            runs = [(n, s["run"]) for n, s in enumerate(steps) if "run" in s]
            build_dirs = set()
            for _, script in runs:
                m = re.search(r"\bmake\s+(?:-C\s+(\S+)\s+)?build\b", script)
                if m:
                    build_dirs.add(m.group(1) or ".")
            if not build_dirs:
                problem(where, "job %s does not build corolint with 'make build'" % job_name)
            found = False
            for n, script in runs:
                for binary, args in corolint_commands(script):
                    found = True
                    print("%s: %s %s" % (where, binary, " ".join(args)))
                    built = {os.path.normpath(os.path.join(d, "build/llvm-19/bin/corolint"))
                             for d in build_dirs}
                    if os.path.normpath(binary) not in built:
                        problem(where, "%s is not the corolint that 'make build' produces (%s)"
                                % (binary, ", ".join(sorted(built))))
                    uses = {name: value for name, value, _ in option_uses(args)}
                    if uses.get("--format") == "sarif":
                        check_sarif_upload(where, workflow, steps, n, uses.get("--output"))
            if not found:
                problem(where, "job %s never runs corolint" % job_name)


def check_sarif_upload(where, workflow, steps, corolint_step, output):
    if not output:
        problem(where, "--format=sarif without --output FILE")
        return
    uploads = [s for s in steps[corolint_step + 1:]
               if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    if not uploads:
        problem(where, "no github/codeql-action/upload-sarif step after corolint")
    for step in uploads:
        sarif = (step.get("with") or {}).get("sarif_file")
        if sarif != output:
            problem(where, "upload-sarif uploads %r, corolint writes %r" % (sarif, output))
    permissions = workflow.get("permissions") or {}
    if permissions.get("security-events") != "write":
        problem(where, "upload-sarif needs 'permissions: security-events: write'")


def help_options(corolint):
    """{option: [values]} as `corolint --help` lists them."""
    text = subprocess.run([corolint, "--help"], capture_output=True, text=True,
                          check=True).stdout
    options = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^\s{1,4}(--?[A-Za-z][\w-]*)(?:[=\s]|$)", line)
        if m:
            current = m.group(1)
            options[current] = []
            continue
        m = re.match(r"^\s+=([\w.-]+)", line)
        if m and current:
            options[current].append(m.group(1))
    return options


def check_options(corolint, paths):
    listed = help_options(corolint)
    if "--checks" not in listed or "-p" not in listed:
        problem(corolint, "--help lists no options this script can read")
        return
    for path in paths:
        where = os.path.basename(path)
        count = 0
        for document in documents(path):
            for args in corolint_arg_lists(document):
                for name, value, has_eq in option_uses(args):
                    count += 1
                    if name not in listed:
                        problem(where, "corolint option '%s' is not in 'corolint --help'" % name)
                        continue
                    values = listed[name]
                    if values and value not in values:
                        problem(where, "'%s %s': 'corolint --help' lists only %s"
                                % (name, value, ", ".join(values)))
                        continue
                    print("%s: %s%s" % (where, name,
                                        ("=" + value) if has_eq else ""))
        if count == 0:
            problem(where, "no corolint option found")


def run_step(corolint, directory, path):
    workflow = yaml.safe_load(open(path, encoding="utf-8"))
    scripts = [script for script in run_strings(workflow)
               if corolint_commands(script)]
    if len(scripts) != 1:
        problem(os.path.basename(path),
                "%d steps run corolint, expected 1" % len(scripts))
        return 1
    script = scripts[0]
    for binary, _ in corolint_commands(script):
        script = script.replace(binary, shlex.quote(corolint))
    sys.stdout.flush()
    return subprocess.run(["sh", "-e", "-c", script], cwd=directory).returncode


def main(argv):
    if argv[:1] == ["workflows"] and len(argv) > 1:
        check_workflows(argv[1:])
    elif argv[:1] == ["options"] and len(argv) > 2:
        check_options(argv[1], argv[2:])
    elif argv[:1] == ["run"] and len(argv) == 4:
        status = run_step(argv[1], argv[2], argv[3])
        for p in problems:
            sys.stderr.write("check_recipes: %s\n" % p)
        return status
    else:
        sys.stderr.write(__doc__)
        return 2
    for p in problems:
        sys.stderr.write("check_recipes: %s\n" % p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
