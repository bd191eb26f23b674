#!/usr/bin/env python3
"""Checks that every row of checks/Checks.def has what a check needs, by its
name: the class header checks/<Class>.h (which names the docs page), the
docs page (titled with the name), a row of the README's table of checks
linking to it, check tests test/checks/<name>*.cpp run through both front
ends, and the check's registration in checks/CoroTidyModule.cpp through the
table. Also that no check outside the table is documented or listed.

    scripts/checks_table.py          print the table
    scripts/checks_table.py --check  exit 1 on the first thing missing
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rows():
    with open(os.path.join(ROOT, "checks", "Checks.def"), encoding="utf-8") as f:
        text = f.read()
    # CORO_CHECK("name", Class, true|false, "page", ...)
    pattern = r'^CORO_CHECK\(\s*"([^"]+)",\s*(\w+),\s*(true|false),\s*"([^"]+)"'
    return [(m.group(1), m.group(2), m.group(3) == "true", m.group(4))
            for m in re.finditer(pattern, text, re.M)]


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def problems(table):
    out = []
    if not table:
        return ["checks/Checks.def has no CORO_CHECK row"]
    readme = read("README.md")
    module = read("checks", "CoroTidyModule.cpp")
    if '#include "checks/Checks.def"' not in module:
        out.append("checks/CoroTidyModule.cpp does not register the checks of Checks.def")
    for name, cls, _, page in table:
        header = os.path.join("checks", cls + ".h")
        if not os.path.exists(os.path.join(ROOT, header)):
            out.append("%s: no class header %s" % (name, header))
        else:
            if ("class %s " % cls) not in read(header):
                out.append("%s: %s does not declare class %s" % (name, header, cls))
            if ("Documentation: " + page) not in read(header):
                out.append("%s: %s does not name its docs page %s" % (name, header, page))
            if ('#include "%s"' % header) not in module:
                out.append("%s: checks/CoroTidyModule.cpp does not include %s" % (name, header))
        if page != "docs/checks/%s.md" % name:
            out.append("%s: docs page %s is not docs/checks/%s.md" % (name, page, name))
        if not os.path.exists(os.path.join(ROOT, page)):
            out.append("%s: no docs page %s" % (name, page))
        elif not read(page).startswith("# %s\n" % name):
            out.append("%s: %s does not start with '# %s'" % (name, page, name))
        if ("| [`%s`](%s) |" % (name, page)) not in readme:
            out.append("%s: README.md's table of checks has no row linking %s" % (name, page))
        tests = glob.glob(os.path.join(ROOT, "test", "checks", name + "*.cpp"))
        modes = set()
        for t in tests:
            with open(t, encoding="utf-8") as f:
                modes.update(re.findall(r"%check_corolint --mode=(plugin|cli)", f.read()))
        if modes != {"plugin", "cli"}:
            out.append("%s: test/checks/%s*.cpp do not run it through both front ends" % (name, name))
    names = {name for name, _, _, _ in table}
    for page in glob.glob(os.path.join(ROOT, "docs", "checks", "*.md")):
        name = os.path.splitext(os.path.basename(page))[0]
        if name not in names:
            out.append("docs/checks/%s.md documents a check that Checks.def does not have" % name)
    for name in re.findall(r"^\| \[`(coro-[a-z-]+)`\]", readme, re.M):
        if name not in names:
            out.append("README.md lists %s, which Checks.def does not have" % name)
    return out


def main():
    table = rows()
    if "--check" in sys.argv[1:]:
        found = problems(table)
        for p in found:
            sys.stderr.write("checks_table: " + p + "\n")
        return 1 if found else 0
    for name, cls, exports, page in table:
        print("%-30s %-28s %-5s %s" % (name, cls, "yes" if exports else "no", page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
