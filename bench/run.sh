#!/bin/sh
# make bench: esock side by side with its peers, in one run, on this
# machine. Machines are noisy: read the ratios, not the absolute times.
# Writes the tables to bench/results.md and prints them. BENCH_SECTIONS
# picks sections (default: startup relay nowait echo scan forward serve).
set -eu
: "${ESOCK:?ESOCK must point at the esock binary}"
cd "$(dirname "$0")"
out=results.md
runs=${BENCH_RUNS:-300}
sections=${BENCH_SECTIONS:-startup relay nowait echo scan forward serve}
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

startup_bench() {
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
	}
}

# Relay throughput: the same file-fed sender, side by side with the peers,
# over TCP loopback into one sink (socat reading 128 KiB at a time into
# /dev/null), median of $relay_runs runs each, taken in turns so that the
# machine's drift touches them all alike. iperf3 is the reference: its
# own client and server, its own figure (received bytes over its time).
relay_mb=${BENCH_RELAY_MB:-1024}
relay_runs=${BENCH_RELAY_RUNS:-3}

listening() {
	[ -n "$(ss -Hltn "sport = :$1")" ]
}

free_port() {
	while :; do
		p=$(shuf -i 20000-32767 -n 1) # below the ephemeral ports
		listening "$p" || { echo "$p"; return 0; }
	done
}

# Waits (10 s at most) until a port listens, without connecting to it.
wait_listening() {
	i=0
	until listening "$1"; do
		i=$((i + 1))
		[ "$i" -le 200 ] || { echo "bench: nothing listens on $1" >&2; return 1; }
		sleep 0.05
	done
}

# relay_once NAME: one transfer of the file; appends "NAME MB/s" to runs.
relay_once() {
	port=$(free_port)
	case $1 in
	iperf3*)
		iperf3 -s -1 -p "$port" >/dev/null 2>&1 &
		sink=$!
		wait_listening "$port"
		if [ "$1" = iperf3 ]; then
			iperf3 -c 127.0.0.1 -p "$port" -n "${relay_mb}M" -J
		else
			iperf3 -c 127.0.0.1 -p "$port" -n "${relay_mb}M" -C reno -J
		fi >"$tmp/iperf.json"
		wait "$sink" || true
		jq -r --arg who "$1" \
		    '.end.sum_received | "\($who) \(.bytes / .seconds / 1e6)"' \
		    "$tmp/iperf.json" >>"$tmp/runs"
		return 0 ;;
	esac
	timeout 120 socat -b 131072 -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    - >/dev/null &
	sink=$!
	wait_listening "$port"
	t0=$(date +%s%N)
	case $1 in
	esock)
		timeout 120 "$ESOCK" connect "127.0.0.1:$port" , relay \
		    <"$tmp/relay.bin" >/dev/null ;;
	socat)
		timeout 120 socat -b 131072 -u - TCP:"127.0.0.1:$port" \
		    <"$tmp/relay.bin" ;;
	nc)
		timeout 120 nc.openbsd -N 127.0.0.1 "$port" \
		    <"$tmp/relay.bin" >/dev/null ;;
	esac
	t1=$(date +%s%N)
	wait "$sink"
	echo "$1 $(( (relay_mb << 20) * 1000 / (t1 - t0) ))" >>"$tmp/runs"
}

relay_bench() {
	head -c "${relay_mb}M" /dev/urandom >"$tmp/relay.bin"
	: >"$tmp/runs"
	cc=$(cat /proc/sys/net/ipv4/tcp_congestion_control 2>/dev/null || echo "?")
	# With BBR every sender is paced by a timer per segment; the
	# iperf3 -C reno row shows what the host does without pacing.
	who_all="nc socat esock iperf3"
	case $cc in bbr*) who_all="$who_all iperf3-reno" ;; esac
	for i in $(seq 1 "$relay_runs"); do
		for who in $who_all; do
			relay_once "$who"
		done
	done
	echo "## Relay throughput (${relay_mb} MiB over TCP loopback, median of $relay_runs)"
	echo
	echo "Each sender reads the file on stdin and sends it to a \`socat -b 131072 -u\`"
	echo "sink; iperf3 is its own sender and sink. Congestion control: $cc"
	echo "(with BBR, pacing timers limit every sender on loopback)."
	echo
	awk -v mb="$relay_mb" '
	    { v[$1] = v[$1] " " $2 }
	    function median(s,    a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	    }
	    END {
		name["esock"] = "esock connect 127.0.0.1:PORT , relay"
		name["socat"] = "socat -b 131072 -u - TCP:127.0.0.1:PORT"
		name["nc"] = "nc.openbsd -N 127.0.0.1 PORT"
		name["iperf3"] = "iperf3 -c 127.0.0.1 -n " mb "M"
		name["iperf3-reno"] = "iperf3 -c 127.0.0.1 -n " mb "M -C reno"
		base = median(v["nc"])
		print "| sender | MB/s | vs nc.openbsd |"
		print "|---|---:|---:|"
		n = split("esock socat nc iperf3 iperf3-reno", order, " ")
		for (k = 1; k <= n; k++) {
			if (!(order[k] in v))
				continue
			m = median(v[order[k]])
			printf "| `%s` | %d | %.2fx |\n", name[order[k]], m, m / base
		}
	    }' "$tmp/runs"
	echo
}

# median_awk: an awk function, median(w), over turns t[w, 1..c[w]].
median_awk='
function median(w,   i, j, k, v, m) {
	m = c[w]
	for (i = 1; i <= m; i++) v[i] = t[w, i]
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
		if (v[j] < v[i]) { k = v[i]; v[i] = v[j]; v[j] = k }
	return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}'

# Nowait connects: 10,000 nonblocking connects to one listener on
# 127.0.0.1, at most K in flight, by an esock script (nowait_gen.sh),
# the same job as an esock loop (nowait_loop.esock), Erlang's socket
# module (nowait.erl) and plain C with epoll (nowait_epoll.c, the
# floor). K=1000, then as many as the descriptor limit and the accept
# backlog allow. The contenders take turns, one run each a round, after
# a round that must succeed and is not counted; runstat.c times each
# run and takes its peak RSS, so that no package (such as time) is
# needed. The body runs in a subshell: its raised descriptor limit
# stays out of other sections.
nowait_n=${BENCH_NOWAIT_N:-10000}
nowait_runs=${BENCH_NOWAIT_RUNS:-15}

nowait_bench() (
	# erl does not raise its own soft limit (esock and the C program do).
	ulimit -n "$(ulimit -Hn)"
	hard=$(ulimit -Hn)
	case $hard in unlimited) hard=1048576 ;; esac
	somax=$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo 4096)
	kmax=$((hard / 2 - 64))
	[ "$kmax" -le "$somax" ] || kmax=$somax

	erlc -o "$tmp" nowait.erl
	cc -O2 -o "$tmp/nowait_epoll" nowait_epoll.c
	cc -O2 -o "$tmp/runstat" runstat.c

	for k in 1000 "$kmax"; do
		sh nowait_gen.sh "$nowait_n" "$k" >"$tmp/nowait-$k.esock"
		: >"$tmp/turns-$k"
		for round in $(seq 0 "$nowait_runs"); do
			for who in esock esock-loop erl nowait_epoll; do
				case $who in
				esock) set -- "$ESOCK" -q -f "$tmp/nowait-$k.esock" ;;
				esock-loop) set -- "$ESOCK" -q -f nowait_loop.esock \
				    "$nowait_n" "$k" ;;
				erl) set -- erl -noshell -pa "$tmp" \
				    -eval "nowait:main([\"$nowait_n\",\"$k\"])" ;;
				nowait_epoll) set -- "$tmp/nowait_epoll" "$nowait_n" "$k" ;;
				esac
				stat=$(timeout 120 "$tmp/runstat" "$@" </dev/null) || {
					echo "bench: nowait $who K=$k failed" >&2
					return 1
				}
				[ "$round" = 0 ] ||
				    echo "$who $(echo "$stat" | tail -n 1)" >>"$tmp/turns-$k"
			done
		done
		echo "## Nowait connects ($nowait_n to one listener, $k in flight, median of $nowait_runs turns)"
		echo
		if [ "$k" != 1000 ]; then
			echo "K = min(hard RLIMIT_NOFILE $hard / 2 - 64, somaxconn $somax)."
			echo
		fi
		awk -v n="$nowait_n" -v k="$k" "$median_awk"'
		    { t[$1, ++c[$1]] = $2; if ($3 > rss[$1]) rss[$1] = $3 }
		    END {
		        base = median("nowait_epoll")
		        split("esock esock-loop erl nowait_epoll", order, " ")
		        name["esock"] = "`esock -q -f nowait.esock` (nowait_gen.sh " n " " k ")"
		        name["esock-loop"] = "`esock -q -f nowait_loop.esock " n " " k "`"
		        name["erl"] = "`erl -noshell -eval \x27nowait:main([\"" n "\",\"" k "\"])\x27`"
		        name["nowait_epoll"] = "`nowait_epoll " n " " k "`"
		        print "| command | median (ms) | vs nowait_epoll | peak RSS (MiB) |"
		        print "|---|---:|---:|---:|"
		        for (i = 1; i <= 4; i++) {
		            w = order[i]; m = median(w)
		            printf "| %s | %.1f | %.2fx | %.1f |\n", name[w], m / 1000, m / base, rss[w] / 1024
		        }
		    }' "$tmp/turns-$k"
		echo
	done
)

# Round trips: 64 bytes to a C echo server and back, $echo_n times, by
# an esock loop (echo.esock), Erlang's socket module (echo.erl) and a C
# client (echo_client.c). Each times its own loop (no start-up in it)
# and prints microseconds; the contenders take turns, $echo_runs rounds,
# and the table gives the median round trips per second.
echo_n=${BENCH_ECHO_N:-10000}
echo_runs=${BENCH_ECHO_RUNS:-11}

echo_bench() {
	erlc -o "$tmp" echo.erl
	cc -O2 -o "$tmp/echo_server" echo_server.c
	cc -O2 -o "$tmp/echo_client" echo_client.c
	"$tmp/echo_server" >"$tmp/echo_port" &
	srv=$!
	for _ in $(seq 1 100); do
		[ -s "$tmp/echo_port" ] && break
		sleep 0.05
	done
	port=$(cat "$tmp/echo_port")
	: >"$tmp/echo_runs"
	for _ in $(seq 1 "$echo_runs"); do
		for who in esock erl c; do
			case $who in
			esock) t=$("$ESOCK" -q -f echo.esock "$port" "$echo_n") ;;
			erl) t=$(erl -noshell -pa "$tmp" \
			    -eval "echo:main([\"$port\",\"$echo_n\"])") ;;
			c) t=$("$tmp/echo_client" "$port" "$echo_n") ;;
			esac || {
				echo "bench: echo $who failed" >&2
				kill "$srv"
				return 1
			}
			echo "$who $t" >>"$tmp/echo_runs"
		done
	done
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	echo "## Round trips ($echo_n of 64 bytes to a C echo server, median of $echo_runs turns)"
	echo
	echo "| client | median loop (ms) | round trips/s | vs C client |"
	echo "|---|---:|---:|---:|"
	awk -v n="$echo_n" "$median_awk"'
	    { t[$1, ++c[$1]] = $2 }
	    END {
	        base = median("c")
	        split("esock erl c", order, " ")
	        name["esock"] = "`esock -f echo.esock` (a fun loop)"
	        name["erl"] = "`erl` socket module (echo.erl)"
	        name["c"] = "C client (echo_client.c)"
	        for (i = 1; i <= 3; i++) {
	            w = order[i]; m = median(w)
	            printf "| %s | %.1f | %d | %.2fx |\n", name[w], m / 1000, n / (m / 1e6), base / m
	        }
	    }' "$tmp/echo_runs"
	echo
}

# Port scan: which of $scan_n ports of 127.0.0.1 accept a connection,
# three of them held by listeners (a Python program that accepts and
# closes, so that no backlog fills over the turns), by esock scan and
# by nc.openbsd -z, taking turns as above, each run timed by runstat.c.
# nc -z says nothing without -v: the ports it finds are read from a
# run of nc -zv first and must be the ones esock finds.
scan_n=${BENCH_SCAN_N:-1000}
scan_runs=${BENCH_SCAN_RUNS:-21}

scan_bench() {
	cc -O2 -o "$tmp/runstat" runstat.c
	cat >"$tmp/listen.py" <<'EOT'
import select, socket, sys
ls = []
for p in sys.argv[1:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(p)))
    s.listen(128)
    ls.append(s)
print("ready", flush=True)
while True:
    for s in select.select(ls, [], [])[0]:
        s.accept()[0].close()
EOT
	# A range below the ephemeral ports whose three ports are free.
	for _ in $(seq 1 20); do
		lo=$(shuf -i 20000-31000 -n 1)
		hi=$((lo + scan_n - 1))
		set -- $((lo + scan_n / 10)) $((lo + scan_n / 2)) $((hi - scan_n / 10))
		listening "$1" || listening "$2" || listening "$3" || break
	done
	: >"$tmp/scan_ready"
	python3 "$tmp/listen.py" "$@" >"$tmp/scan_ready" &
	lpid=$!
	for _ in $(seq 1 100); do
		[ -s "$tmp/scan_ready" ] && break
		sleep 0.05
	done
	wait_listening "$3" || { kill "$lpid"; return 1; }
	found_esock=$("$ESOCK" --compact scan 127.0.0.1 "$lo-$hi" |
	    sed -n 's/^{ok,\[\(.*\)\]}$/\1/p' | tr ',' ' ')
	found_nc=$(nc.openbsd -zv 127.0.0.1 "$lo-$hi" 2>&1 |
	    sed -n 's/.* \([0-9][0-9]*\) port .* succeeded!$/\1/p' | tr '\n' ' ' |
	    sed 's/ $//')
	if [ "$found_esock" != "$found_nc" ]; then
		echo "bench: scan found '$found_esock', nc -zv '$found_nc'" >&2
		kill "$lpid"
		return 1
	fi
	: >"$tmp/scan_turns"
	for round in $(seq 0 "$scan_runs"); do
		for who in esock nc; do
			case $who in
			esock) set -- "$ESOCK" scan 127.0.0.1 "$lo-$hi" ;;
			nc) set -- nc.openbsd -z 127.0.0.1 "$lo-$hi" ;;
			esac
			stat=$(timeout 60 "$tmp/runstat" "$@" </dev/null) || {
				echo "bench: scan $who failed" >&2
				kill "$lpid"
				return 1
			}
			[ "$round" = 0 ] ||
			    echo "$who $(echo "$stat" | tail -n 1)" >>"$tmp/scan_turns"
		done
	done
	kill "$lpid"
	wait "$lpid" 2>/dev/null || true
	echo "## Port scan ($scan_n ports of 127.0.0.1, 3 listening, median of $scan_runs turns)"
	echo
	echo "Both found the ports $found_esock of $lo-$hi."
	echo
	echo "| command | median (ms) | vs nc.openbsd -z | peak RSS (MiB) |"
	echo "|---|---:|---:|---:|"
	awk -v r="$lo-$hi" "$median_awk"'
	    { t[$1, ++c[$1]] = $2; if ($3 > rss[$1]) rss[$1] = $3 }
	    END {
	        base = median("nc")
	        split("esock nc", order, " ")
	        name["esock"] = "`esock scan 127.0.0.1 " r "`"
	        name["nc"] = "`nc.openbsd -z 127.0.0.1 " r "`"
	        for (i = 1; i <= 2; i++) {
	            w = order[i]; m = median(w)
	            printf "| %s | %.2f | %.2fx | %.1f |\n", name[w], m / 1000, m / base, rss[w] / 1024
	        }
	    }' "$tmp/scan_turns"
	echo
}

# Port forwarding: a file-fed sender through a forwarder from P1 to a
# sink on P2, each forwarder in turn, median of $relay_runs.
forward_once() {
	p1=$(free_port)
	p2=$(free_port)
	timeout 120 socat -b 131072 -u TCP-LISTEN:"$p2",bind=127.0.0.1,reuseaddr \
	    - >/dev/null &
	sink=$!
	wait_listening "$p2"
	case $1 in
	esock) timeout 120 "$ESOCK" relay "tcp-listen:127.0.0.1:$p1" \
	    "tcp:127.0.0.1:$p2" </dev/null >/dev/null & ;;
	socat) timeout 120 socat TCP-LISTEN:"$p1",bind=127.0.0.1,reuseaddr \
	    TCP:127.0.0.1:"$p2" & ;;
	socat-b) timeout 120 socat -b 131072 \
	    TCP-LISTEN:"$p1",bind=127.0.0.1,reuseaddr TCP:127.0.0.1:"$p2" & ;;
	esac
	fwd=$!
	wait_listening "$p1"
	t0=$(date +%s%N)
	timeout 120 socat -b 131072 -u - TCP:127.0.0.1:"$p1" <"$tmp/relay.bin"
	wait "$sink"
	t1=$(date +%s%N)
	wait "$fwd" || true
	echo "$1 $(( (relay_mb << 20) * 1000 / (t1 - t0) ))" >>"$tmp/fwd_runs"
}

forward_bench() {
	[ -s "$tmp/relay.bin" ] || head -c "${relay_mb}M" /dev/urandom >"$tmp/relay.bin"
	: >"$tmp/fwd_runs"
	for i in $(seq 1 "$relay_runs"); do
		for who in socat socat-b esock; do
			forward_once "$who"
		done
	done
	echo "## Port forwarder (${relay_mb} MiB over TCP loopback, median of $relay_runs)"
	echo
	echo "A \`socat -b 131072 -u\` sender reads the file and sends it through the"
	echo "forwarder to a \`socat -b 131072 -u\` sink."
	echo
	echo "| forwarder | MB/s | vs socat |"
	echo "|---|---:|---:|"
	awk "$median_awk"'
	    { t[$1, ++c[$1]] = $2 }
	    END {
	        base = median("socat")
	        split("esock socat socat-b", order, " ")
	        name["esock"] = "`esock relay tcp-listen:P1 tcp:127.0.0.1:P2`"
	        name["socat"] = "`socat TCP-LISTEN:P1 TCP:127.0.0.1:P2`"
	        name["socat-b"] = "`socat -b 131072 TCP-LISTEN:P1 TCP:127.0.0.1:P2`"
	        for (i = 1; i <= 3; i++) {
	            w = order[i]; m = median(w)
	            printf "| %s | %.0f | %.2fx |\n", name[w], m, m / base
	        }
	    }' "$tmp/fwd_runs"
	echo
}

# Serving short connections: conn_client makes $serve_n connections one
# after another (64 bytes out and back each) through a forwarder to the
# C echo server, each forwarder in turn, median of $serve_runs; then
# 1,000 connections held open at once through esock serve's echo.
serve_n=${BENCH_SERVE_N:-2000}
serve_runs=${BENCH_SERVE_RUNS:-5}
ncat_n=${BENCH_NCAT_N:-200}

serve_bench() {
	cc -O2 -o "$tmp/echo_server" echo_server.c
	cc -O2 -o "$tmp/conn_client" conn_client.c
	"$tmp/echo_server" >"$tmp/echo_port" &
	epid=$!
	for _ in $(seq 1 100); do
		[ -s "$tmp/echo_port" ] && break
		sleep 0.05
	done
	p2=$(cat "$tmp/echo_port")
	: >"$tmp/serve_runs"
	for i in $(seq 1 "$serve_runs"); do
		for who in esock socat ncat; do
			p1=$(free_port)
			n=$serve_n
			case $who in
			esock) "$ESOCK" serve "tcp-listen:127.0.0.1:$p1" \
			    "tcp:127.0.0.1:$p2" & ;;
			socat) socat TCP-LISTEN:"$p1",bind=127.0.0.1,fork,reuseaddr \
			    TCP:127.0.0.1:"$p2" & ;;
			ncat)
				# ncat spawns a shell and an ncat per connection
				n=$ncat_n
				ncat --keep-open -l 127.0.0.1 "$p1" \
				    --sh-exec "ncat 127.0.0.1 $p2" & ;;
			esac
			fpid=$!
			wait_listening "$p1"
			ms=$(timeout 300 "$tmp/conn_client" "$p1" "$n")
			kill "$fpid"
			wait "$fpid" 2>/dev/null || true
			echo "$who $(echo "$ms $n" | awk '{ printf "%.0f", $2 * 1000 / $1 }')" \
			    >>"$tmp/serve_runs"
		done
	done
	kill "$epid"
	wait "$epid" 2>/dev/null || true
	p1=$(free_port)
	"$ESOCK" serve "tcp-listen:127.0.0.1:$p1" echo &
	fpid=$!
	wait_listening "$p1"
	rss=$(timeout 120 "$tmp/conn_client" "$p1" 1000 "$fpid")
	kill "$fpid"
	wait "$fpid" 2>/dev/null || true
	echo "## Short connections through a forwarder (64 bytes each way, median of $serve_runs)"
	echo
	echo "conn_client makes the connections one after another through the"
	echo "forwarder to a C echo server: $serve_n each ($ncat_n for ncat, which"
	echo "starts a shell and an ncat per connection)."
	echo
	echo "| forwarder | connections/s | vs socat |"
	echo "|---|---:|---:|"
	awk "$median_awk"'
	    { t[$1, ++c[$1]] = $2 }
	    END {
	        base = median("socat")
	        split("esock socat ncat", order, " ")
	        name["esock"] = "`esock serve tcp-listen:P1 tcp:127.0.0.1:P2`"
	        name["socat"] = "`socat TCP-LISTEN:P1,fork,reuseaddr TCP:127.0.0.1:P2`"
	        name["ncat"] = "`ncat --keep-open -l P1 --sh-exec \x27ncat 127.0.0.1 P2\x27`"
	        for (i = 1; i <= 3; i++) {
	            w = order[i]; m = median(w)
	            printf "| %s | %.0f | %.2fx |\n", name[w], m, m / base
	        }
	    }' "$tmp/serve_runs"
	echo
	echo "1,000 connections held open at once through \`esock serve tcp-listen:P echo\`:"
	echo "peak RSS of esock $(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }') MiB."
	echo
}

: >"$out"
for section in $sections; do
	case $section in
	startup) startup_bench >>"$out" ;;
	relay) relay_bench >>"$out" ;;
	nowait) nowait_bench >>"$out" ;;
	echo) echo_bench >>"$out" ;;
	forward) forward_bench >>"$out" ;;
	serve) serve_bench >>"$out" ;;
	scan) scan_bench >>"$out" ;;
	*) echo "bench: no section $section" >&2; exit 2 ;;
	esac
done
cat "$out"
