#!/usr/bin/env bash
# make run: analyse every example with corolint, show the findings, apply the
# fixes to a copy, show the diff, then build and run both versions.
#   scripts/run-examples.sh [LLVM major]
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:-19}"
build="build/llvm-$major"
corolint="$build/bin/corolint"
cxx="clang++-$major"
flags=(-std=c++20 -pthread -Wall -Wextra -Werror -I runtime/include)

[ -x "$corolint" ] || { echo "run-examples: $corolint is missing; run 'make build LLVM=$major'" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { date +%s.%N; }

status=0
for src in examples/*/*.cpp; do
  name=$(basename "$(dirname "$src")")
  echo
  echo "=== $name: corolint -p $build $src"
  rc=0
  "$corolint" --quiet -p "$build" "$src" || rc=$?
  case "$rc" in
    0) echo "(no findings)"; continue ;;
    1) ;;
    *) echo "run-examples: corolint failed on $src (exit $rc)" >&2; status=2; continue ;;
  esac

  mkdir -p "$work/$name"
  fixed="$work/$name/$(basename "$src")"
  cp "$src" "$fixed"
  "$corolint" --quiet --fix "$fixed" -- "${flags[@]}" >/dev/null 2>&1 || true
  echo
  echo "=== $name: the fix (corolint --fix)"
  diff -u --label "a/$src" --label "b/$src" "$src" "$fixed" || true

  echo
  echo "=== $name: build and run, before and after the fix"
  # An example that links a library lists it in examples/<name>/LIBS.
  libs=()
  if [ -f "$(dirname "$src")/LIBS" ]; then
    read -r -a libs < "$(dirname "$src")/LIBS"
  fi
  "$cxx" "${flags[@]}" -O2 "$src" -o "$work/$name/before" "${libs[@]}"
  "$cxx" "${flags[@]}" -O2 "$fixed" -o "$work/$name/after" "${libs[@]}"
  # Each program prints its own verdict; its exit status is shown, not fatal.
  t0=$(seconds); before_rc=0; "$work/$name/before" > "$work/$name/before.out" 2>&1 || before_rc=$?
  t1=$(seconds); after_rc=0; "$work/$name/after" > "$work/$name/after.out" 2>&1 || after_rc=$?
  t2=$(seconds)
  echo "before: $(tail -n 1 "$work/$name/before.out") (exit $before_rc)"
  echo "after:  $(tail -n 1 "$work/$name/after.out") (exit $after_rc)"
  printf '%s: before the fix %.2f s, after %.2f s (the fixed code compiles with -Werror)\n' \
    "$name" "$(awk "BEGIN { print $t1 - $t0 }")" "$(awk "BEGIN { print $t2 - $t1 }")"
done
exit "$status"
