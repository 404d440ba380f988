#!/bin/sh
# Checks the includes of src/ against src/layers.txt: a module includes
# only its own group and groups of lower layers. Prints each upward or
# sideways arrow and each module missing from the map; exits 1 if any.
cd "$(dirname "$0")/../../src" || exit 3
awk '
# Nonzero when module m is in the map; says so once when it is not.
function known(m) {
	if (m in layer)
		return 1
	if (!(m in missing))
		print "not in layers.txt: " m
	missing[m] = 1
	bad = 1
	return 0
}
FNR == NR {
	if ($0 ~ /^#/ || NF < 3)
		next
	for (i = 3; i <= NF; i++) {
		layer[$i] = $1
		group[$i] = $2
	}
	next
}
/^#include "/ {
	from = FILENAME
	sub(/\.[ch]$/, "", from)
	to = $2
	gsub(/"/, "", to)
	sub(/\.[ch]$/, "", to)
	if (!known(from) || !known(to))
		next
	if (group[to] != group[from] && layer[to] >= layer[from]) {
		print FILENAME ": includes " $2 " (" group[from] " -> " \
		    group[to] ")"
		bad = 1
	}
}
END { exit bad }
' layers.txt *.c *.h
