#!/usr/bin/env bash
# make run: analyse examples/ with corolint and print the findings, show the
# fix of one example, run it before and after the fix (aio's debug mode and
# the blocking guard) and print its line of the report table.
#   scripts/run-examples.sh [LLVM major] [example]
# COROLINT_BUILD overrides the build directory (default build/llvm-MAJOR).
# `make test` runs every example this way (test/examples/, examples/harness.py).
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:-19}"
example="${2:-http_service}"
build="${COROLINT_BUILD:-build/llvm-$major}"
corolint="$build/bin/corolint"
guard="$build/lib/libaio-blockguard.so"
flags=(-std=c++20 -I runtime/include -DASIO_HAS_CO_AWAIT)

for f in "$corolint" "$guard"; do
  [ -e "$f" ] || { echo "run-examples: $f is missing; run 'make build LLVM=$major'" >&2; exit 2; }
done
[ -f "examples/$example/ORACLE" ] || { echo "run-examples: no example $example" >&2; exit 2; }

echo "=== corolint examples/*/*.cpp"
rc=0
"$corolint" --quiet examples/*/*.cpp -- "${flags[@]}" || rc=$?
[ "$rc" -le 1 ] || { echo "run-examples: corolint failed (exit $rc)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo
echo "=== $example: before and after corolint --fix, run with AIO_DEBUG=1 and LD_PRELOAD=$guard"
status=0
python3 examples/harness.py --corolint "$corolint" --cxx "clang++-$major" \
  --aio-include runtime/include --blockguard "$guard" --keep "$work" \
  "$example" > "$work/harness.txt" || status=$?
src=$(awk '$1 == "source" { print $2 }' "examples/$example/ORACLE")
diff -u --label "a/examples/$example/$src" --label "b/examples/$example/$src" \
  "examples/$example/$src" "$work/$example/fixed/$src" || true
echo
echo "--- before the fix (run-time reports and output)"
cat "$work/$example/before.out"
echo "--- after the fix"
cat "$work/$example/after.out"
echo
cat "$work/harness.txt"
exit "$status"
