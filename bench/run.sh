#!/bin/sh
# make bench: esock side by side with its peers, in one run, on this
# machine. Machines are noisy: read the ratios, not the absolute times.
# Writes the tables to bench/results.md and prints them.
set -eu
: "${ESOCK:?ESOCK must point at the esock binary}"
cd "$(dirname "$0")"
out=results.md
runs=${BENCH_RUNS:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median_table JSON BASELINE_NAME: a markdown table of medians and ratios.
median_table() {
	jq -r --arg base "$2" '
	  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
	    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	  [.results[] | {name: .command, med: (.times | median)}] as $r
	  | ($r[] | select(.name == $base) | .med) as $b
	  | "| command | median (ms) | vs \($base) |",
	    "|---|---:|---:|",
	    ($r[] | "| `\(.name)` | \(.med * 1000 * 1000 | round / 1000) | \(.med / $b * 100 | round / 100)x |")
	' "$1"
}

hyperfine -N -i --warmup 20 --runs "$runs" --style none \
	--export-json "$tmp/start.json" \
	-n "/bin/true" "/bin/true" \
	-n "esock -V" "$ESOCK -V" \
	-n "esock getaddrinfo localhost" "$ESOCK getaddrinfo localhost" \
	-n "nc.openbsd -h" "nc.openbsd -h" \
	-n "socat -V" "socat -V" \
	-n "ncat --version" "ncat --version" \
	-n "erl -noshell -eval halt()." "erl -noshell -eval halt()." \
	>/dev/null 2>&1

{
	echo "## Start-up ($runs runs each, hyperfine -N)"
	echo
	median_table "$tmp/start.json" "/bin/true"
	echo
} >"$out"
cat "$out"
