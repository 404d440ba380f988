#!/bin/sh
# Runs the Bats suite (or the files given) and ends with a plain
# "N passed, N failed" line. Exits non-zero when anything failed.
cd "$(dirname "$0")" || exit 3
[ -n "$ESOCK" ] || { echo "ESOCK is not set" >&2; exit 3; }
files="$*"
[ -n "$files" ] || files=$(ls ./*.bats)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bats --tap $files | tee "$out"
rc=$?
pass=$(grep -c '^ok ' "$out")
fail=$(grep -c '^not ok ' "$out")
echo "tests: $pass passed, $fail failed"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
