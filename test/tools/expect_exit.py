#!/usr/bin/env python3
"""expect_exit.py CODE COMMAND...: runs COMMAND, passes its output through,
and succeeds only if it exits with exactly CODE."""
import subprocess
import sys

expected = int(sys.argv[1])
proc = subprocess.run(sys.argv[2:])
if proc.returncode != expected:
    sys.stderr.write("expect_exit: %s exited %d, expected %d\n"
                     % (sys.argv[2], proc.returncode, expected))
    sys.exit(1)
