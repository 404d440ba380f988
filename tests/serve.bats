#!/usr/bin/env bats
# serve: many connections at once on one loop, each relayed to a fresh
# instance of an endpoint (echo, discard, a tcp: forward, exec:), its
# limits, its log and summary terms, and bad arguments.

load helpers/common
load helpers/peers

setup() {
	T=$BATS_TEST_TMPDIR
	pids=()
}

teardown() {
	peers_teardown
}

# Runs serve in the background with its result in $T/serve.out and its
# log in $T/serve.err: serve_bg PORT-OR-"" ESOCK-EXPRESSION
serve_bg() {
	timeout 60 "$ESOCK" -e "$2" >"$T/serve.out" 2>"$T/serve.err" 3>&- &
	pids+=($!)
	[ -z "$1" ] || wait_listen "$1"
}

@test "serve echo: 200 concurrent clients each get their own bytes back" {
	skip_under_valgrind "200 clients at once outrun their timeouts"
	port=$(free_port)
	serve_bg "$port" "serve(\"tcp-listen:127.0.0.1:$port\", echo,
	    #{max => 200})."
	for i in $(seq 1 200); do
		(head -c $((1000 + i * 37)) /dev/urandom >"$T/in.$i"
		 timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port" <"$T/in.$i" \
		     >"$T/out.$i") &
	done
	wait "${pids[@]}" 2>/dev/null || true
	for i in $(seq 1 200); do
		wait %$((i)) 2>/dev/null || true
	done
	wait
	for i in $(seq 1 200); do
		cmp "$T/in.$i" "$T/out.$i"
	done
	grep -q '^{ok,#{connections => 200,failed => 0,' "$T/serve.out"
}

@test "serve forwards each connection to a tcp: target (a port forwarder)" {
	p1=$(free_port)
	p2=$(free_port)
	timeout 60 socat TCP-LISTEN:"$p2",bind=127.0.0.1,reuseaddr,fork \
	    SYSTEM:'tr a-z A-Z' 3>&- &
	pids+=($!)
	wait_listen "$p2"
	serve_bg "$p1" "serve(\"tcp-listen:127.0.0.1:$p1\",
	    \"tcp:127.0.0.1:$p2\", #{max => 20})."
	clients=()
	for i in $(seq 1 20); do
		(echo "client $i" | timeout 30 "$ESOCK" relay \
		    "tcp:127.0.0.1:$p1" >"$T/out.$i") &
		clients+=($!)
	done
	wait "${pids[1]}"
	# serve may end before a client has written what it read
	wait "${clients[@]}"
	for i in $(seq 1 20); do
		assert_equal "$(cat "$T/out.$i")" "CLIENT $i"
	done
	grep -q '^{ok,#{connections => 20,failed => 0,in => ' "$T/serve.out"
}

@test "serve exec: an inetd-style server, a child per connection" {
	port=$(free_port)
	serve_bg "$port" "serve(\"tcp-l:$port\", \"exec:wc -c\", #{max => 3})."
	for n in 10 200 3000; do
		run timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port" \
		    < <(head -c "$n" /dev/zero)
		assert_equal "$(echo "$output" | tr -d ' ')" "$n"
	done
	wait "${pids[0]}"
	grep -q '^{ok,#{connections => 3,failed => 0,in => 3210,' "$T/serve.out"
}

@test "serve log: one accept and one close term a connection, on stderr" {
	port=$(free_port)
	serve_bg "$port" "serve(\"tcp-listen:127.0.0.1:$port\", discard,
	    #{max => 2, log => true})."
	printf 'abc' | timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port"
	printf 'defgh' | timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$port"
	wait "${pids[0]}"
	assert_equal "$(cat "$T/serve.out")" \
	    "{ok,#{connections => 2,failed => 0,in => 8,out => 0}}"
	assert_equal "$(grep -c '^{accept,[12],#{addr => {127,0,0,1},family => inet,port => [0-9]*}}$' "$T/serve.err")" 2
	grep -q '^{close,1,#{in => 3,ms => [0-9]*,out => 0,peer => #{.*},reason => ok}}$' "$T/serve.err"
	grep -q '^{close,2,#{in => 5,ms => [0-9]*,out => 0,peer => #{.*},reason => ok}}$' "$T/serve.err"
}

@test "serve idle: no connection for that long ends it" {
	run timeout 30 "$ESOCK" -e 'serve("tcp-listen:127.0.0.1:0", echo,
	    #{idle => 300}).'
	[ "$status" -eq 0 ]
	assert_equal "$output" \
	    "{ok,#{connections => 0,failed => 0,in => 0,out => 0}}"
}

@test "serve takes a listening socket value, and leaves it open" {
	run timeout 30 "$ESOCK" -e '{ok, L} = open(inet, stream),
	    ok = bind(L, #{family => inet, addr => loopback, port => 0}),
	    ok = listen(L), {ok, A} = sockname(L),
	    R = serve(L, echo, #{idle => 200}),
	    {R, sockname(L) =:= {ok, A}}.'
	[ "$status" -eq 0 ]
	assert_equal "$output" \
	    "{{ok,#{connections => 0,failed => 0,in => 0,out => 0}},true}"
	run timeout 30 "$ESOCK" -e '{ok, S} = open(inet, stream),
	    serve(S, echo).'
	[ "$status" -eq 1 ]
	[[ "$output" == "{error,{invalid,{listener,{'\$socket',#Ref<"* ]]
}

@test "a refused target ends that connection and counts as failed" {
	p1=$(free_port)
	p2=$(free_port)
	serve_bg "$p1" "serve(\"tcp-listen:127.0.0.1:$p1\",
	    \"tcp:127.0.0.1:$p2\", #{max => 1, log => true})."
	run timeout 30 "$ESOCK" relay "tcp:127.0.0.1:$p1" <<<"x"
	wait "${pids[0]}"
	assert_equal "$(cat "$T/serve.out")" \
	    "{ok,#{connections => 1,failed => 1,in => 0,out => 0}}"
	grep -q 'reason => econnrefused}}$' "$T/serve.err"
}

@test "serve's bad listeners, targets and options are named" {
	run esock -e 'serve("tcp:127.0.0.1:80", echo).'
	[ "$status" -eq 2 ]
	[[ "$output" == *'{invalid,{listener,"tcp:127.0.0.1:80"}}'* ]]
	run esock -e 'serve("tcp-listen:127.0.0.1:0", "-").'
	[ "$status" -eq 2 ]
	[[ "$output" == *'{invalid,{endpoint,"-"}}'* ]]
	run esock -e 'serve("tcp-listen:127.0.0.1:0", "tcp-listen:1").'
	[ "$status" -eq 2 ]
	run esock -e 'serve("tcp-listen:127.0.0.1:0", echo, #{max => 0}).'
	[ "$status" -eq 1 ]
	[[ "$output" == *'{error,{invalid,{options,#{max => 0}}}}'* ]]
	run esock -e 'serve("tcp-listen:127.0.0.1:0", echo, #{log => yes}).'
	[ "$status" -eq 1 ]
	run esock -e 'serve("tcp-listen:127.0.0.1:0", echo, #{idel => 5}).'
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,{invalid,{options,idel,#{idel => 5}}}}"
}

@test "serve udp-listen: a session per sender, each with its own target" {
	port=$(free_port)
	serve_bg "" "serve(\"udp-listen:127.0.0.1:$port\",
	    \"exec:while read -r l; do echo \\\"\$l\\\" | tr a-z A-Z; done\",
	    #{max => 3, conn_idle => 500, log => true})."
	for i in $(seq 1 100); do
		[ -n "$(ss -Hlnu "sport = :$port")" ] && break
		sleep 0.05
	done
	# two datagrams of one sender go to one session
	run timeout 10 "$ESOCK" -e "{ok, S} = open(inet, dgram),
	    ok = connect(S, 127.0.0.1:$port),
	    ok = send(S, <<\"one\\n\">>), {ok, R1} = recv(S, 0, 3000),
	    ok = send(S, <<\"two\\n\">>), {ok, R2} = recv(S, 0, 3000),
	    {R1, R2}."
	assert_equal "$output" '{<<"ONE\n">>,<<"TWO\n">>}'
	for i in 2 3; do
		run timeout 10 "$ESOCK" relay "udp:127.0.0.1:$port" <<<"ping $i"
		assert_equal "$output" "PING $i"
	done
	wait "${pids[0]}"
	assert_equal "$(cat "$T/serve.out")" \
	    "{ok,#{connections => 3,failed => 0,in => 22,out => 22}}"
	assert_equal "$(grep -c '^{accept,' "$T/serve.err")" 3
}

@test "Ctrl-C ends serve with its summary, every connection closed" {
	port=$(free_port)
	serve_bg "$port" "serve(\"tcp-listen:127.0.0.1:$port\", echo)."
	exec 5<>"/dev/tcp/127.0.0.1/$port"
	echo held >&5
	read -r line <&5
	assert_equal "$line" "held"
	# to esock itself: timeout(1) would send it twice, directly and
	# to its process group
	kill -INT "$(pgrep -P "${pids[0]}")"
	wait "${pids[0]}"
	# the held connection was closed by serve
	! read -r -t 5 line <&5
	exec 5<&-
	assert_equal "$(cat "$T/serve.out")" \
	    "{ok,#{connections => 1,failed => 0,in => 5,out => 5}}"
}

@test "out of descriptors, serve waits for a connection to end, then takes the rest" {
	skip_under_valgrind "valgrind keeps descriptors of its own below the limit"
	port=$(free_port)
	# about 8 echo connections fit in 32 descriptors (3 each)
	(ulimit -n 32; exec timeout 60 "$ESOCK" -e "serve(\"tcp-listen:127.0.0.1:$port\",
	    echo, #{max => 14})." >"$T/serve.out" 2>"$T/serve.err" 3>&-) &
	pids+=($!)
	wait_listen "$port"
	for i in $(seq 1 14); do
		( (echo "client $i"; sleep 1) | timeout 30 "$ESOCK" relay \
		    "tcp:127.0.0.1:$port" >"$T/out.$i") &
	done
	wait "${pids[0]}"
	for i in $(seq 1 14); do
		assert_equal "$(cat "$T/out.$i")" "client $i"
	done
	assert_equal "$(cat "$T/serve.out")" \
	    "{ok,#{connections => 14,failed => 0,in => 131,out => 131}}"
}
