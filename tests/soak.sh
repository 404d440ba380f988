#!/bin/sh
# The soak: tests/soak.esock for ROUNDS rounds of ten nowait socket
# calls in one session (make soak: 100000 rounds, a million calls), then
# the checks: RSS at the end within 10% of RSS after the first tenth,
# open descriptors and number_of() back to their start, no message left.
# Prints the figures; exits non-zero when a check fails.
#   sh tests/soak.sh ROUNDS   (ESOCK names the binary)
set -u
rounds=${1:-100000}
here=$(cd "$(dirname "$0")" && pwd)
# AddressSanitizer's quarantine would hold freed memory as RSS.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
export ASAN_OPTIONS
out=$(timeout 600 "${ESOCK:?ESOCK names the esock binary}" --compact \
	-f "$here/soak.esock" "$rounds") || {
	echo "soak: esock failed:" >&2
	printf '%s\n' "$out" | tail -5 >&2
	exit 1
}
last=$(printf '%s\n' "$out" | tail -1)
echo "$last"
# #{'end' => #{fds => F,number_of => N,rss => R},messages_left => M,...}
num() { printf '%s\n' "$last" | sed -n "s/.*$1 => #{\([^}]*\)}.*/\1/p" |
	sed -n "s/.*$2 => \([0-9]*\).*/\1/p"; }
fds0=$(num start fds) fds1=$(num tenth fds) fds2=$(num "'end'" fds)
n0=$(num start number_of) n2=$(num "'end'" number_of)
rss1=$(num tenth rss) rss2=$(num "'end'" rss)
fail=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAILED: $2"; fail=1; fi; }
check '[ -n "$rss1" ] && [ -n "$rss2" ] && [ $((rss2 * 10)) -le $((rss1 * 11)) ] && [ $((rss2 * 10)) -ge $((rss1 * 9)) ]' \
	"RSS ${rss1} KiB after a tenth, ${rss2} KiB at the end (within 10%)"
check '[ -n "$fds0" ] && [ "$fds2" = "$fds0" ]' \
	"descriptors ${fds0} at start, ${fds1} after a tenth (the listener open), ${fds2} at the end"
check '[ -n "$n0" ] && [ "$n2" = "$n0" ]' "number_of() ${n0} at start, ${n2} at the end"
check 'printf "%s" "$last" | grep -q "messages_left => none"' "no message left over"
exit $fail
