#!/bin/sh
# Rewrites the socket option list in man/esock.1 (between the BEGIN and
# END OPTIONS comment lines) from the binary's option table:
#   sh man/gen-options.sh PATH/TO/esock
set -eu
esock=$1
man=$(dirname "$0")/esock.1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	sed -n '1,/^\.\\" BEGIN OPTIONS$/p' "$man"
	echo ".Bl -tag -width Ds -compact"
	"$esock" -q help options | sed 1d |
	    awk '{ name = $1; acc = $2; type = $3;
		   $1 = ""; $2 = ""; $3 = ""; sub(/^ +/, "");
		   printf ".It Li %s\n%s, %s: %s.\n", name, acc, type, $0 }'
	echo ".El"
	sed -n '/^\.\\" END OPTIONS$/,$p' "$man"
} >"$tmp"
cat "$tmp" >"$man"
