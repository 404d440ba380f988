#!/bin/sh
# Sums build-fuzz/fuzz-log.txt, or the file given (lines "NAME
# cpu_seconds execs cov", one a run, as make fuzz appends them; lines
# starting with # are notes, as in tests/fuzz/record.txt) per harness:
# runs, CPU seconds and executions in all, and the coverage of the last
# run.
log=${1:-build-fuzz/fuzz-log.txt}
[ -r "$log" ] || { echo "summary: no $log" >&2; exit 1; }
awk '
NF == 4 && $1 !~ /^#/ {
	if (!($1 in runs))
		order[n++] = $1
	runs[$1]++
	cpu[$1] += $2
	execs[$1] += $3
	cov[$1] = $4
}
END {
	printf "%-10s %5s %10s %14s %8s\n", "harness", "runs", "cpu_s", "execs", "cov"
	for (i = 0; i < n; i++) {
		h = order[i]
		printf "%-10s %5d %10.1f %14d %8d\n", h, runs[h], cpu[h], execs[h], cov[h]
	}
}' "$log"
