#!/usr/bin/env bats
# The man page's table of netcat and socat command lines and their esock
# forms (ENDPOINTS, "From netcat and socat"): each pair runs against the
# same peer on 127.0.0.1 and must give the same output. host is
# 127.0.0.1 and the ports are free ones.

load helpers/common
load helpers/peers

setup() {
	T=$BATS_TEST_TMPDIR
	pids=()
}

teardown() {
	peers_teardown
}

# A peer that answers each connection's first line: got LINE.
line_server() {
	timeout 60 socat TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork \
	    SYSTEM:'read -r l; echo "got $l"' 3>&- &
	pids+=($!)
	wait_listen "$1"
}

@test "nc host 80 / esock relay tcp:host:80" {
	port=$(free_port)
	line_server "$port"
	a=$(echo hello | timeout 10 nc.openbsd 127.0.0.1 "$port")
	b=$(echo hello | timeout 10 "$ESOCK" relay "tcp:127.0.0.1:$port")
	assert_equal "$b" "$a"
	assert_equal "$b" "got hello"
}

@test "nc -N host 80 < req / esock relay tcp:host:80 < req" {
	port=$(free_port)
	line_server "$port"
	printf 'GET /\n' >"$T/req"
	a=$(timeout 10 nc.openbsd -N 127.0.0.1 "$port" <"$T/req")
	b=$(timeout 10 "$ESOCK" relay "tcp:127.0.0.1:$port" <"$T/req")
	assert_equal "$b" "$a"
}

@test "nc -l 8080 / esock relay tcp-l:8080" {
	for who in nc esock; do
		port=$(free_port)
		if [ $who = nc ]; then
			timeout 10 nc.openbsd -l 127.0.0.1 "$port" </dev/null \
			    >"$T/$who" 3>&- &
		else
			timeout 10 "$ESOCK" relay "tcp-l:127.0.0.1:$port" \
			    </dev/null >"$T/$who" 3>&- &
		fi
		p=$!
		wait_listen "$port"
		echo "to the listener" | timeout 10 socat -u - TCP:127.0.0.1:"$port"
		wait "$p"
	done
	assert_equal "$(cat "$T/esock")" "$(cat "$T/nc")"
	assert_equal "$(cat "$T/esock")" "to the listener"
}

@test "nc -u host 53 / esock relay udp:host:53" {
	port=$(free_port)
	timeout 60 socat UDP4-RECVFROM:"$port",bind=127.0.0.1,fork \
	    SYSTEM:'tr a-z A-Z' 3>&- &
	pids+=($!)
	wait_listen "$port" u
	a=$(echo ping | timeout 10 nc.openbsd -u -w 1 127.0.0.1 "$port")
	b=$(echo ping | timeout 10 "$ESOCK" relay "udp:127.0.0.1:$port")
	assert_equal "$b" "$a"
	assert_equal "$b" "PING"
}

@test "nc -U /tmp/s / esock relay unix:/tmp/s" {
	timeout 60 socat UNIX-LISTEN:"$T/s",fork \
	    SYSTEM:'read -r l; echo "got $l"' 3>&- &
	pids+=($!)
	for i in $(seq 1 100); do [ -S "$T/s" ] && break; sleep 0.05; done
	a=$(echo hi | timeout 10 nc.openbsd -U "$T/s")
	b=$(echo hi | timeout 10 "$ESOCK" relay "unix:$T/s")
	assert_equal "$b" "$a"
	assert_equal "$b" "got hi"
}

@test "nc -C host 25 / esock relay with crlf => true" {
	port=$(free_port)
	timeout 60 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork \
	    SYSTEM:'od -An -c' 3>&- &
	pids+=($!)
	wait_listen "$port"
	a=$(printf 'HELO x\nQUIT\n' | timeout 10 nc.openbsd -C -N 127.0.0.1 "$port")
	b=$(printf 'HELO x\nQUIT\n' | timeout 10 "$ESOCK" -e \
	    "relay(\"tcp:127.0.0.1:$port\", \"-\", #{crlf => true}).")
	assert_equal "$b" "$a"
	[[ "$b" == *'\r  \n'* ]]
}

@test "socat - TCP:host:80 / esock relay - tcp:host:80" {
	port=$(free_port)
	line_server "$port"
	a=$(echo there | timeout 10 socat - TCP:127.0.0.1:"$port")
	b=$(echo there | timeout 10 "$ESOCK" relay - "tcp:127.0.0.1:$port")
	assert_equal "$b" "$a"
}

# Runs the forwarder of $1 (socat or esock) from P1 to the line server
# on P2 and one client through it.
forward_through() {
	if [ "$1" = socat ]; then
		timeout 60 socat TCP-LISTEN:"$p1",bind=127.0.0.1,reuseaddr,fork \
		    "$2" 3>&- &
	else
		timeout 60 "$ESOCK" serve "tcp-l:127.0.0.1:$p1" "$3" 3>&- &
	fi
	pids+=($!)
	wait_listen "$p1"
	for i in 1 2 3; do
		echo "line $i" | timeout 10 nc.openbsd -N 127.0.0.1 "$p1"
	done
	kill "${pids[-1]}"
}

@test "socat TCP-LISTEN:8080,fork TCP:host:80 / esock serve tcp-l:8080 tcp:host:80" {
	p2=$(free_port)
	line_server "$p2"
	p1=$(free_port)
	a=$(forward_through socat "TCP:127.0.0.1:$p2")
	p1=$(free_port)
	b=$(forward_through esock "" "tcp:127.0.0.1:$p2")
	assert_equal "$b" "$a"
	assert_equal "$b" "$(printf 'got line 1\ngot line 2\ngot line 3')"
}

@test "socat TCP-LISTEN:8080,fork EXEC:cmd / esock serve tcp-l:8080 exec:cmd" {
	p1=$(free_port)
	a=$(forward_through socat "EXEC:tr a-z A-Z")
	p1=$(free_port)
	b=$(forward_through esock "" "exec:tr a-z A-Z")
	assert_equal "$b" "$a"
	assert_equal "$b" "$(printf 'LINE 1\nLINE 2\nLINE 3')"
}

@test "socat -u FILE:f TCP:host:80 / esock relay file:f tcp:host:80" {
	head -c 100000 /dev/urandom >"$T/f"
	for who in socat esock; do
		port=$(free_port)
		timeout 30 socat -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
		    CREATE:"$T/got.$who" 3>&- &
		p=$!
		wait_listen "$port"
		if [ $who = socat ]; then
			timeout 10 socat -u FILE:"$T/f" TCP:127.0.0.1:"$port"
		else
			timeout 10 "$ESOCK" relay "file:$T/f" "tcp:127.0.0.1:$port"
		fi
		wait "$p"
	done
	cmp "$T/got.socat" "$T/f"
	cmp "$T/got.esock" "$T/f"
}

@test "socat UNIX-LISTEN:/tmp/s TCP:host:80 / esock relay unix-listen:/tmp/s tcp:host:80" {
	port=$(free_port)
	line_server "$port"
	for who in socat esock; do
		if [ $who = socat ]; then
			timeout 10 socat UNIX-LISTEN:"$T/s.$who" \
			    TCP:127.0.0.1:"$port" 3>&- &
		else
			timeout 10 "$ESOCK" relay "unix-listen:$T/s.$who" \
			    "tcp:127.0.0.1:$port" 3>&- &
		fi
		p=$!
		for i in $(seq 1 100); do [ -S "$T/s.$who" ] && break; sleep 0.05; done
		echo "via $who" | timeout 10 socat - UNIX:"$T/s.$who" >"$T/$who"
		wait "$p"
	done
	assert_equal "$(cat "$T/esock")" "got via esock"
	assert_equal "$(cat "$T/socat")" "got via socat"
}

@test "ncat -k -l 8080 -e cmd / esock serve tcp-l:8080 exec:cmd" {
	cmd='read -r l; echo "$l" | tr a-z A-Z'
	for who in ncat esock; do
		port=$(free_port)
		if [ $who = ncat ]; then
			# ncat passes on no half-close: cmd ends by itself
			timeout 60 ncat -k -l 127.0.0.1 "$port" \
			    --sh-exec "$cmd" 3>&- &
		else
			timeout 60 "$ESOCK" serve "tcp-l:127.0.0.1:$port" \
			    "exec:$cmd" 3>&- &
		fi
		pids+=($!)
		wait_listen "$port"
		# ncat closes at the client's half-close: no -N here
		for i in 1 2; do
			echo "call $i" | timeout 10 nc.openbsd 127.0.0.1 "$port"
		done >"$T/$who"
	done
	assert_equal "$(cat "$T/esock")" "$(cat "$T/ncat")"
	assert_equal "$(cat "$T/esock")" "$(printf 'CALL 1\nCALL 2')"
}
