#!/usr/bin/env python3
"""Reads corolint's machine-readable reports for the lit tests.

  check_report.py findings REPORT.json   one line per finding, for FileCheck
  check_report.py summary REPORT.json    the summary object, one key a line
  check_report.py same A.json B.json     exit 1 unless both list the same findings
  check_report.py sarif REPORT.sarif SCHEMA.json
        validates against the SARIF 2.1.0 schema and against what GitHub
        code scanning requires of an upload; prints one line per result
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def finding_line(f):
    loc = f["location"]
    return "%s %s:%d:%d %s" % (f["check"], loc["file"], loc["line"], loc["column"],
                               f["level"])


def cmd_findings(path):
    report = load(path)
    for f in report["findings"]:
        print(finding_line(f))
        for n in f["notes"]:
            loc = n["location"]
            print("  note %s:%d:%d %s" % (loc["file"], loc["line"], loc["column"],
                                          n["message"]))
    return 0


def cmd_summary(path):
    summary = load(path)["summary"]
    for key in sorted(summary):
        print("%s: %s" % (key, json.dumps(summary[key], sort_keys=True)))
    return 0


def cmd_same(a, b):
    def keyed(path):
        return sorted((f["check"], f["location"]["file"], f["location"]["line"],
                       f["location"]["column"], f["message"], f["fingerprint"])
                      for f in load(path)["findings"])
    left, right = keyed(a), keyed(b)
    if left != right:
        print("differ:\n  %s\n  %s" % (left, right))
        return 1
    print("same %d findings" % len(left))
    return 0


def github_problems(log):
    """What GitHub code scanning needs beyond the schema."""
    problems = []
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        if not driver.get("name"):
            problems.append("tool.driver.name is missing")
        rules = {r["id"]: r for r in driver.get("rules", [])}
        for rule in rules.values():
            for field in ("shortDescription", "fullDescription", "help"):
                if not rule.get(field, {}).get("text"):
                    problems.append("rule %s lacks %s.text" % (rule["id"], field))
        for result in run["results"]:
            rid = result.get("ruleId")
            if rid not in rules:
                problems.append("result rule %r is not among the rules" % rid)
            if not result.get("message", {}).get("text"):
                problems.append("result without message.text")
            if not result.get("partialFingerprints"):
                problems.append("result without partialFingerprints")
            locations = result.get("locations", [])
            if not locations:
                problems.append("result without locations")
            for loc in locations:
                phys = loc["physicalLocation"]
                uri = phys["artifactLocation"]["uri"]
                if "://" in uri or uri.startswith("/"):
                    problems.append("absolute uri %s" % uri)
                if phys.get("region", {}).get("startLine", 0) < 1:
                    problems.append("region.startLine missing for %s" % uri)
    return problems


def import_jsonschema():
    """jsonschema from this interpreter, or Debian's (python3-jsonschema,
    installed by scripts/setup.sh) when this one lacks it."""
    try:
        import jsonschema
        return jsonschema
    except ImportError:
        import glob
        for path in glob.glob("/usr/lib/python3/dist-packages"):
            sys.path.append(path)
        import jsonschema
        return jsonschema


def cmd_sarif(path, schema_path):
    jsonschema = import_jsonschema()
    log = load(path)
    schema = load(schema_path)
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors:
        print("schema: %s at %s" % (e.message, "/".join(map(str, e.path))))
    problems = github_problems(log)
    for p in problems:
        print("github: %s" % p)
    if errors or problems:
        return 1
    print("sarif: valid")
    for run in log["runs"]:
        for r in run["results"]:
            region = r["locations"][0]["physicalLocation"]["region"]
            uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            print("%s %s %s:%d:%d related=%d fixes=%d" % (
                r["level"], r["ruleId"], uri, region["startLine"],
                region["startColumn"], len(r.get("relatedLocations", [])),
                len(r.get("fixes", []))))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "findings":
        return cmd_findings(argv[2])
    if len(argv) >= 3 and argv[1] == "summary":
        return cmd_summary(argv[2])
    if len(argv) >= 4 and argv[1] == "same":
        return cmd_same(argv[2], argv[3])
    if len(argv) >= 4 and argv[1] == "sarif":
        return cmd_sarif(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
