#!/usr/bin/env bats
# relay A B between endpoints: each kind against a peer on 127.0.0.1 (or a
# socket file in the test's directory), byte-exact both ways with 64 MiB
# of random data, half-close with a late reply, options and bad input.

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
	sha256sum | cut -d' ' -f1
}

@test "tcp-listen to tcp: a port forwarder, byte-exact both ways" {
	p1=$(free_port)
	p2=$(free_port)
	# the far end sends B back and keeps what it got
	timeout 60 socat -u TCP-LISTEN:"$p2",bind=127.0.0.1,reuseaddr \
	    CREATE:"$T/got" 3>&- &
	pids+=($!)
	wait_listen "$p2"
	timeout 60 "$ESOCK" relay "tcp-listen:127.0.0.1:$p1" \
	    "tcp:127.0.0.1:$p2" >"$T/fwd.out" 2>"$T/fwd.err" 3>&- &
	pids+=($!)
	wait_listen "$p1"
	timeout 60 socat -u - TCP:127.0.0.1:"$p1" <"$A"
	wait "${pids[1]}"
	wait "${pids[0]}"
	assert_equal "$(sha <"$T/got")" "$(sha <"$A")"
}

@test "relay tcp to stdio is nc: request out, reply in, byte-exact" {
	port=$(free_port)
	timeout 60 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"cat >$T/got; cat $B" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 60 "$ESOCK" relay "tcp:127.0.0.1:$port" - <"$A" >"$T/reply"
	assert_equal "$(sha <"$T/reply")" "$(sha <"$B")"
	wait "${pids[0]}"
	assert_equal "$(sha <"$T/got")" "$(sha <"$A")"
}

@test "exec: a child on a socketpair gets the socket's bytes and answers" {
	port=$(free_port)
	timeout 60 "$ESOCK" relay "TCP-LISTEN:127.0.0.1:$port" \
	    "exec:sha256sum | cut -d' ' -f1; cat $B" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 60 "$ESOCK" relay "tcp:127.0.0.1:$port" <"$A" >"$T/reply"
	assert_equal "$(head -1 "$T/reply")" "$(sha <"$A")"
	assert_equal "$(tail -c +66 "$T/reply" | sha)" "$(sha <"$B")"
}

@test "exec: the child's stderr passes through, its stdout is the data" {
	port=$(free_port)
	timeout 30 "$ESOCK" relay "tcp-l:$port" \
	    "exec:echo to-stderr >&2; tr a-z A-Z" 2>"$T/err" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port" \
	    <<<"hello"
	assert_equal "$output" "HELLO"
	wait "${pids[0]}"
	grep -qx to-stderr "$T/err"
}

@test "file: is read from; with create or append it is written to" {
	port=$(free_port)
	timeout 60 socat -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    CREATE:"$T/got" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 60 "$ESOCK" relay "file:$A" "tcp:127.0.0.1:$port" </dev/null
	wait "${pids[0]}"
	assert_equal "$(sha <"$T/got")" "$(sha <"$A")"

	port=$(free_port)
	timeout 60 socat -u OPEN:"$B" TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    3>&- &
	pids+=($!)
	wait_listen "$port"
	echo old >"$T/out"
	timeout 60 "$ESOCK" relay "tcp:127.0.0.1:$port" "file:$T/out,create" \
	    </dev/null
	assert_equal "$(sha <"$T/out")" "$(sha <"$B")"

	port=$(free_port)
	printf 'tail\n' | timeout 30 socat -u - \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr 3>&- &
	pids+=($!)
	wait_listen "$port"
	printf 'head\n' >"$T/log"
	timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port" "file:$T/log,append" \
	    </dev/null
	assert_equal "$(cat "$T/log")" "$(printf 'head\ntail')"
}

@test "unix and unix-listen, abstract and abstract-listen carry 64 MiB" {
	timeout 60 "$ESOCK" relay "unix-listen:$T/s" "file:$T/got,create" \
	    </dev/null 3>&- &
	pids+=($!)
	wait_listen "$T/s" x
	timeout 60 "$ESOCK" relay "file:$A" "unix:$T/s" </dev/null
	wait "${pids[0]}"
	assert_equal "$(sha <"$T/got")" "$(sha <"$A")"
	# the listener's socket file goes with it
	[ ! -e "$T/s" ]

	name="esock-test-$$-$BATS_TEST_NUMBER"
	timeout 60 "$ESOCK" relay "abstract-listen:$name" "file:$T/got2,create" \
	    </dev/null 3>&- &
	pids+=($!)
	wait_listen "@$name" x
	timeout 60 "$ESOCK" relay "file:$B" "abstract:$name" </dev/null
	wait "${pids[1]}"
	assert_equal "$(sha <"$T/got2")" "$(sha <"$B")"
}

@test "udp and udp-listen: datagrams both ways, the first sender the peer" {
	port=$(free_port)
	timeout 30 "$ESOCK" relay "udp-listen:127.0.0.1:$port" \
	    "exec:while read -r l; do echo \"\$l\" | tr a-z A-Z; done" 3>&- &
	pids+=($!)
	wait_listen "$port" u
	run timeout 30 "$ESOCK" relay "udp:127.0.0.1:$port" - <<<"ping"
	[ "$status" -eq 0 ]
	assert_equal "$output" "PING"
}

@test "a half-closed client still gets a late reply: no fixed linger" {
	p1=$(free_port)
	p2=$(free_port)
	# the server answers 1.5 s after the client's end of input
	timeout 30 socat -t 5 TCP-LISTEN:"$p2",bind=127.0.0.1,reuseaddr \
	    SYSTEM:'cat >/dev/null; sleep 1.5; echo late reply' 3>&- &
	pids+=($!)
	wait_listen "$p2"
	timeout 30 "$ESOCK" relay "tcp-listen:127.0.0.1:$p1" \
	    "tcp:127.0.0.1:$p2" 3>&- &
	pids+=($!)
	wait_listen "$p1"
	run timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$p1" <<<"request"
	[ "$status" -eq 0 ]
	assert_equal "$output" "late reply"
}

@test "dir => forward copies one way only, as socat -u" {
	port=$(free_port)
	timeout 30 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"cat >$T/got; echo never" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr timeout 30 "$ESOCK" -e "relay(\"-\",
	    \"tcp:127.0.0.1:$port\", #{dir => forward})." <<<"one way"
	[ "$status" -eq 0 ]
	assert_equal "$output" ""
	wait "${pids[0]}"
	assert_equal "$(cat "$T/got")" "one way"
}

@test "dir => backward copies the other way only, as socat -U" {
	port=$(free_port)
	printf 'from the peer\n' | timeout 30 socat -u - \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr 3>&- &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr timeout 30 "$ESOCK" -e "relay(\"file:$T/sink,create\",
	    \"tcp:127.0.0.1:$port\", #{dir => backward})." </dev/null
	[ "$status" -eq 0 ]
	assert_equal "$(cat "$T/sink")" "from the peer"
}

@test "crlf => true ends each line sent with CRLF, as nc -C" {
	port=$(free_port)
	timeout 30 socat -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    CREATE:"$T/got" 3>&- &
	pids+=($!)
	wait_listen "$port"
	printf 'GET / HTTP/1.0\n\nx\r\n' | timeout 30 "$ESOCK" -e \
	    "relay(\"tcp:127.0.0.1:$port\", \"-\", #{crlf => true})." >/dev/null
	wait "${pids[0]}"
	assert_equal "$(od -An -c "$T/got" | tr -s ' ')" \
	    "$(printf 'GET / HTTP/1.0\r\n\r\nx\r\n' | od -An -c | tr -s ' ')"
}

@test "idle and timeout limits end a relay with {error,timeout}" {
	port=$(free_port)
	timeout 30 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork \
	    SYSTEM:'sleep 10' 3>&- &
	pids+=($!)
	wait_listen "$port"
	run timeout 30 "$ESOCK" -e "relay(\"tcp:127.0.0.1:$port\", \"-\",
	    #{idle => 200})." < <(sleep 10)
	assert_equal "$output" "{error,timeout}"
	run timeout 30 "$ESOCK" -e "relay(\"tcp:127.0.0.1:$port\", \"-\",
	    #{timeout => 300})." < <(while sleep 0.05; do echo tick; done)
	[[ "$output" == *"{error,timeout}" ]]
}

@test "endpoint options set socket options; a listener sets reuseaddr" {
	port=$(free_port)
	timeout 30 "$ESOCK" relay "tcp-listen:127.0.0.1:$port,nodelay,rcvbuf=65536" \
	    "exec:echo ok" 3>&- &
	pids+=($!)
	wait_listen "$port"
	run timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port,nodelay,bindtodevice=lo" \
	    </dev/null
	assert_equal "$output" "ok"
	run esock -e "relay(\"tcp-listen:127.0.0.1:$port,reuseaddr=false,linger=x\", \"-\")." \
	    </dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *"{invalid,{option,{linger,<<\"x\">>}}}"* ]]
}

@test "bad endpoints are usage errors naming the bad part" {
	for bad in "tcp:" "tcp-listen:" "exec:" "nosuch:x" "unix:" \
	    "tcp:127.0.0.1:80,nosuchopt" "file:x,bogus" "stdio:x" "echo,x"; do
		run esock -e "relay(\"$bad\", \"-\")." </dev/null
		[ "$status" -eq 2 ]
		[[ "$output" == *"esock: relay: {error,{invalid,"* ]]
	done
	run esock -e 'relay(<<"tcp:no.such.host.invalid:80">>, "-").' </dev/null
	[ "$status" -eq 2 ]
	run esock -e 'relay("-", discard, #{dir => up}).' </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,{invalid,{options,#{dir => up}}}}"
	run esock -e 'relay("-", discard, #{crlf => true, linger => 1}).' \
	    </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" \
	    "{error,{invalid,{options,linger,#{crlf => true,linger => 1}}}}"
	run esock -e 'relay(123, "-").' </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"{endpoint,123}"* ]]
}

@test "a refused connect or a missing file is the relay's {error, Posix}" {
	port=$(free_port)
	run esock relay "tcp:127.0.0.1:$port" - </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,econnrefused}"
	run esock relay "file:$T/none" - </dev/null
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,enoent}"
}

@test "relay S stays relay S -, and a socket can be either end" {
	port=$(free_port)
	timeout 30 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:'tr a-z A-Z' 3>&- &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr timeout 30 "$ESOCK" -e "
	    {ok, S} = open(inet, stream), ok = connect(S, 127.0.0.1:$port),
	    relay(S, \"-\")." <<<"abc"
	[ "$status" -eq 0 ]
	assert_equal "$output" "ABC"
}

@test "--trace shows exactly the bytes relay moves, both ways" {
	port=$(free_port)
	head -c 300000 "$A" >"$T/req"
	head -c 200000 "$B" >"$T/resp"
	timeout 30 socat -t 5 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	    SYSTEM:"cat >$T/got; cat $T/resp" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 30 "$ESOCK" --trace relay "tcp:127.0.0.1:$port" - \
	    <"$T/req" >"$T/reply" 2>"$T/err"
	escript "$TESTS_DIR/helpers/tracebytes.escript" "$T/err" "$T/o" "$T/i"
	assert_equal "$(sha <"$T/o")" "$(sha <"$T/req")"
	assert_equal "$(sha <"$T/i")" "$(sha <"$T/resp")"
	assert_equal "$(sha <"$T/reply")" "$(sha <"$T/resp")"
}

@test "--raw data piped into sha256sum and into head, which leaves early" {
	port=$(free_port)
	head -c 1000000 "$B" >"$T/resp"
	timeout 30 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork \
	    SYSTEM:"cat $T/resp" 3>&- &
	pids+=($!)
	wait_listen "$port"
	sum=$(timeout 30 "$ESOCK" -r connect "127.0.0.1:$port" , \
	    recv 1000000 5000 2>/dev/null | sha)
	assert_equal "$sum" "$(sha <"$T/resp")"
	first=$(timeout 30 "$ESOCK" -r connect "127.0.0.1:$port" , \
	    recv 1000000 5000 2>"$T/err" | head -c 16 | od -An -tx1)
	assert_equal "$first" "$(head -c 16 "$T/resp" | od -An -tx1)"
	# head going away is no crash
	! grep -qi "segmentation\|core\|sanitizer" "$T/err"
	sum=$(timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port" </dev/null | sha)
	assert_equal "$sum" "$(sha <"$T/resp")"
}
