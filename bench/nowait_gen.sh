#!/bin/sh
# nowait_gen.sh N K: prints an esock script that makes N nowait connects to
# one listener on 127.0.0.1, at most K in flight. Per batch: K lines each
# open a socket and start a nowait connect; then K lines each take one
# select message, finish that socket's connect (connect/1), accept one
# connection and close both ends. A failed match stops esock with exit 1.
set -eu
n=${1:?usage: nowait_gen.sh N K}
k=${2:?usage: nowait_gen.sh N K}
echo '{ok, L} = open(inet, stream).'
echo 'ok = bind(L, #{family => inet, addr => loopback, port => 0}).'
echo "ok = listen(L, $k)."
echo '{ok, A} = sockname(L).'
# awk writes the batches: far faster than a shell loop for 20,000 lines.
awk -v n="$n" -v k="$k" 'BEGIN {
	for (done = 0; done < n; done += b) {
		b = n - done < k ? n - done : k
		for (i = 0; i < b; i++)
			print "f(C), {ok, C} = open(inet, stream), {select, _} = connect(C, A, nowait)."
		for (i = 0; i < b; i++)
			print "f(S), f(X), {'"'"'$socket'"'"', S, select, _} = receive(5000), ok = connect(S), {ok, X} = accept(L), ok = close(S), ok = close(X)."
	}
}'
echo 'ok.'
