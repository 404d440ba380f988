#!/bin/sh
# Runs one libFuzzer harness, built as build-fuzz/fuzz_NAME, for SECONDS
# (make fuzz calls it from the top directory). The corpus grows in
# build-fuzz/corpus-NAME, seeded from tests/data, tests/fuzz/seed-terms
# (terms, one a line) and the regression inputs tests/fuzz/regress/NAME;
# the dictionary is tests/fuzz/dict.txt with tests/fuzz/dict-NAME.txt
# when there is one. Inputs are kept to 4 KB: bigger ones cost time, not
# coverage.
# Crashing inputs land in build-fuzz/artifacts-NAME/. Appends
# "NAME cpu_seconds execs cov" to build-fuzz/fuzz-log.txt, from
# libFuzzer's final stats, whether or not the run found a fault, and
# exits with the harness's status.
name=$1
secs=$2
[ -n "$name" ] && [ -n "$secs" ] || { echo "usage: run.sh NAME SECONDS" >&2; exit 2; }
out=build-fuzz
mkdir -p "$out/corpus-$name" "$out/artifacts-$name" || exit 1
dict=$out/dict-$name.txt
cat tests/fuzz/dict.txt >"$dict" || exit 1
if [ -f "tests/fuzz/dict-$name.txt" ]; then
	cat "tests/fuzz/dict-$name.txt" >>"$dict" || exit 1
fi
seeds=tests/fuzz/seed-terms
[ -d "tests/fuzz/regress/$name" ] && seeds="$seeds tests/fuzz/regress/$name"
log=$out/fuzz-$name.log
{
	/usr/bin/time -f '%U %S' -o "$out/time-$name" \
	    "$out/fuzz_$name" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix="$out/artifacts-$name/" -dict="$dict" \
	    "$out/corpus-$name" tests/data $seeds 2>&1
	echo $? >"$out/rc-$name"
} | tee "$log"
rc=$(cat "$out/rc-$name")
cpu=$(tail -n 1 "$out/time-$name" | awk '{ print $1 + $2 }')
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
echo "$name ${cpu:-0} ${execs:-0} ${cov:-0}" >>"$out/fuzz-log.txt"
exit "$rc"
