#!/usr/bin/env bats
# relay, netcat mode: esock as client and as server against socat and
# nc.openbsd peers on 127.0.0.1, byte-exact both ways, half-close, empty
# input, datagrams and failures.

load helpers/common
load helpers/peers

setup_file() {
	head -c 64M /dev/urandom >"$BATS_FILE_TMPDIR/a"
	head -c 64M /dev/urandom >"$BATS_FILE_TMPDIR/b"
}

setup() {
	A=$BATS_FILE_TMPDIR/a
	B=$BATS_FILE_TMPDIR/b
	T=$BATS_TEST_TMPDIR
	pids=()
}

teardown() {
	peers_teardown
}

sha() {
	sha256sum <"$1" | cut -d' ' -f1
}

# Waits (at most 30 s) until a file holds $2 bytes: the stdin of a relay
# whose peer quits once our side is done (nc -l) ends only after this.
wait_size() {
	local i
	for i in $(seq 1 600); do
		[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

@test "relay as a client moves 64 MiB both ways byte-exact with a socat server" {
	port=$(free_port)
	timeout 30 socat -t 30 -b 131072 \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"exec 3<&0; cat <&3 >$T/got_a & cat $B; wait" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay <"$A" >"$T/got_b"
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$(sha "$T/got_b")" "$(sha "$B")"
}

@test "relay as a client moves 64 MiB both ways byte-exact through pipes" {
	port=$(free_port)
	timeout 30 socat -t 30 -b 131072 \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"exec 3<&0; cat <&3 >$T/got_a & cat $B; wait" 3>&- &
	pids+=($!)
	wait_listen "$port"
	got=$(cat "$A" | timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay |
	    sha256sum | cut -d' ' -f1)
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$got" "$(sha "$B")"
}

@test "relay copies byte-exact where splice cannot go: stdout for appending" {
	port=$(free_port)
	timeout 30 socat -t 30 -b 131072 \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"exec 3<&0; cat <&3 >$T/got_a & cat $B; wait" 3>&- &
	pids+=($!)
	wait_listen "$port"
	: >"$T/got_b"
	timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay <"$A" >>"$T/got_b"
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$(sha "$T/got_b")" "$(sha "$B")"
}

@test "relay moves 64 MiB both ways over a local stream socket" {
	path=$T/sock
	timeout 30 socat -t 30 -b 131072 UNIX-LISTEN:"$path" \
	    SYSTEM:"exec 3<&0; cat <&3 >$T/got_a & cat $B; wait" 3>&- &
	pids+=($!)
	for i in $(seq 1 100); do [ -S "$path" ] && break; sleep 0.05; done
	timeout 30 "$ESOCK" connect "$path" , relay <"$A" >"$T/got_b"
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$(sha "$T/got_b")" "$(sha "$B")"
}

@test "relay as a server moves 64 MiB both ways byte-exact with a socat client" {
	port=$(free_port)
	timeout 30 "$ESOCK" bind "127.0.0.1:$port" , listen , accept , relay \
	    <"$A" >"$T/got_b" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 30 socat -t 30 -b 131072 - TCP:"127.0.0.1:$port" \
	    <"$B" >"$T/got_a"
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$(sha "$T/got_b")" "$(sha "$B")"
}

@test "relay as a client moves 64 MiB both ways byte-exact with an nc.openbsd server" {
	port=$(free_port)
	timeout 30 nc.openbsd -l 127.0.0.1 "$port" <"$B" >"$T/got_a" 3>&- &
	pids+=($!)
	wait_listen "$port"
	# nc -l quits once our side is done: end stdin after its data is in.
	{ cat "$A"; wait_size "$T/got_b" $((64 << 20)); } |
	    timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay >"$T/got_b"
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$(sha "$T/got_b")" "$(sha "$B")"
}

@test "relay as a server moves 64 MiB both ways byte-exact with an nc.openbsd -N client" {
	port=$(free_port)
	timeout 30 "$ESOCK" bind "127.0.0.1:$port" , listen , accept , relay \
	    <"$A" >"$T/got_b" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 30 nc.openbsd -N 127.0.0.1 "$port" <"$B" >"$T/got_a"
	wait "${pids[0]}"
	assert_equal "$(sha "$T/got_a")" "$(sha "$A")"
	assert_equal "$(sha "$T/got_b")" "$(sha "$B")"
}

@test "relay half-closes at the end of stdin and still reads the reply" {
	port=$(free_port)
	# wc answers only once it has seen EOF: our shutdown(write).
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"wc -c; echo done" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay \
	    < <(head -c 100000 "$A")
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf '100000\ndone')"
}

@test "relay as a server half-closes too and still reads the reply" {
	port=$(free_port)
	timeout 30 "$ESOCK" bind "127.0.0.1:$port" , listen , accept , relay \
	    < <(head -c 100000 "$A") >"$T/out" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 30 socat -t 30 TCP:"127.0.0.1:$port" SYSTEM:"wc -c; echo done"
	wait "${pids[0]}"
	assert_equal "$(cat "$T/out")" "$(printf '100000\ndone')"
}

@test "relay with empty stdin shuts down at once and prints the reply" {
	port=$(free_port)
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"wc -c; echo done" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay </dev/null
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf '0\ndone')"
}

@test "relay takes a socket variable and ends when stdout's reader goes" {
	port=$(free_port)
	timeout 30 socat -t 30 -u OPEN:"$B" \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr 3>&- &
	pids+=($!)
	wait_listen "$port"
	# head leaves after 1000 bytes: relay must end, not hang.
	script="{ok, S} = open(inet, stream), ok = connect(S, 127.0.0.1:$port),"
	n=$(timeout 30 "$ESOCK" -e "$script relay(S)." </dev/null |
	    head -c 1000 | wc -c)
	assert_equal "$n" 1000
}

@test "relay counts the bytes it moves into the socket's info counters" {
	port=$(free_port)
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"wc -c" 3>&- &
	pids+=($!)
	wait_listen "$port"
	script="{ok, S} = open(inet, stream), ok = connect(S, 127.0.0.1:$port),"
	script="$script relay(S),"
	script="$script #{counters := #{write_byte := W, read_byte := R}} = info(S),"
	script="$script {W, R}."
	run timeout 30 "$ESOCK" -e "$script" < <(head -c 100000 "$A")
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf '100000\n{100000,7}')"
}

@test "relay on a terminal ends when the peer does, as nc does" {
	port=$(free_port)
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"echo hello" 3>&- &
	pids+=($!)
	wait_listen "$port"
	# The terminal's stdin never ends: only the peer's end can end relay.
	# (script's own stdin stays open too: at its end script may send the
	# terminal an end of file before stty raw has run.)
	run timeout 30 script -qec "stty raw -echo;
	    $ESOCK connect 127.0.0.1:$port , relay; echo rc=\$?" /dev/null \
	    < <(sleep 10)
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'hello\nrc=0')"
}

@test "relay with -t gives up on a silent stream peer with timeout" {
	port=$(free_port)
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"sleep 20" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run timeout 30 "$ESOCK" -t 300 connect "127.0.0.1:$port" , relay \
	    </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,timeout}"
}

@test "relay on a datagram socket sends each read as one datagram" {
	port=$(free_port)
	timeout 30 socat UDP-LISTEN:"$port",bind=127.0.0.1,reuseaddr PIPE 3>&- &
	pids+=($!)
	wait_listen "$port" u
	run timeout 30 "$ESOCK" open inet dgram , connect "127.0.0.1:$port" , \
	    relay < <(echo hello; sleep 0.2; echo world)
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf 'hello\nworld')"
}

@test "relay after a refused connect gives econnrefused and exit 1" {
	port=$(free_port)
	run esock connect "127.0.0.1:$port" , relay </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,econnrefused}"
}

@test "relay with no socket at all says so" {
	run esock relay </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,{invalid,{socket,none}}}"
}

@test "relay of something that is neither socket nor endpoint names it" {
	run esock -e 'relay(foo).' </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"esock: relay: {error,{invalid,{endpoint,<<\"foo\">>}}}"* ]]
	run esock relay nosuch:x - </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"{endpoint,<<\"nosuch:x\">>}"* ]]
	run esock relay tcp:127.0.0.1:1,nosuchopt - </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"{option,<<\"nosuchopt\">>}"* ]]
}

@test "relay of a closed socket gives closed as OTP does" {
	run esock -e '{ok, S} = open(inet, stream), ok = close(S), relay(S).' \
	    </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,closed}"
}

@test "relay loses no line of a shared output file that another process writes too" {
	for run in 1 2 3 4 5 6; do
		port=$(free_port)
		timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
		    SYSTEM:"for i in \$(seq 200); do echo R\$i; sleep .002; done" 3>&- &
		pids+=($!)
		wait_listen "$port"
		{
			(for i in $(seq 200); do echo W$i; sleep .002; done) &
			timeout 30 "$ESOCK" connect "127.0.0.1:$port" , relay </dev/null
			wait $!
		} >"$T/out.txt"
		wait "${pids[-1]}"
		[ "$(grep -c '^R' "$T/out.txt")" -eq 200 ] || { echo "run $run: R $(grep -c '^R' "$T/out.txt")"; return 1; }
		[ "$(grep -c '^W' "$T/out.txt")" -eq 200 ] || { echo "run $run: W $(grep -c '^W' "$T/out.txt")"; return 1; }
		# each writer's lines stay in order
		assert_equal "$(grep '^R' "$T/out.txt" | tr -d R | paste -sd,)" "$(seq 200 | paste -sd,)"
	done
}

@test "with relay in the chain, results and errors go to stderr and stdout holds only data" {
	port=$(free_port)
	run --separate-stderr "$ESOCK" connect "127.0.0.1:$port" , relay
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = '{error,econnrefused}' ]
	port=$(free_port)
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"echo reply" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr "$ESOCK" -v connect "127.0.0.1:$port" , relay </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = reply ]
	[ "$stderr" = ok ]
}

@test "--raw prints the data recv receives as bytes, and the rest on stderr" {
	port=$(free_port)
	{ printf 'HTTP/1.0 200 OK\r\nX: 1\r\n\r\n'; head -c 1000 "$A"; } >"$T/resp"
	timeout 30 socat -t 30 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"head -c 18 >/dev/null; cat $T/resp" 3>&- &
	pids+=($!)
	wait_listen "$port"
	"$ESOCK" -r -v connect "127.0.0.1:$port" , send 'GET / HTTP/1.0\r\n\r\n' , \
	    recv 0 5000 , recv 0 5000 , recv 0 5000 >"$T/out" 2>"$T/err" || true
	assert_equal "$(head -1 "$T/out")" $'HTTP/1.0 200 OK\r'
	assert_equal "$(tail -c 1000 "$T/out" | sha256sum)" "$(head -c 1000 "$A" | sha256sum)"
	assert_equal "$(head -2 "$T/err")" "$(printf 'ok\nok')"
	# recvfrom's data too, and an error result stays a term on stderr
	run --separate-stderr "$ESOCK" -r open inet dgram , bind 127.0.0.1:0 , recv 0 10
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = '{error,timeout}' ]
}

@test "relay on an unconnected UDP socket answers the peer of the first datagram, as nc -u -l" {
	port=$(free_port)
	(sleep 1; echo answer) | timeout 20 "$ESOCK" open inet dgram , bind "127.0.0.1:$port" , relay \
	    >"$T/server" 3>&- &
	pids+=($!)
	wait_listen "$port" u
	run bash -c "echo question | timeout 10 nc.openbsd -u -w 3 127.0.0.1 $port"
	[ "$output" = answer ]
	wait "${pids[0]}"
	assert_equal "$(cat "$T/server")" question
}

@test "a script that runs relay prints results on stderr; one that only names it does not" {
	port=$(free_port)
	run --separate-stderr "$ESOCK" -e "connect(127.0.0.1:$port), relay()."
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = '{error,econnrefused}' ]
	run --separate-stderr "$ESOCK" -e "{relay, 'relay', [relay]}."
	[ "$status" -eq 0 ]
	[ "$output" = "{relay,relay,[relay]}" ]
}
