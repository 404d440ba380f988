#!/usr/bin/env bats
# scan, netcat's -z: which ports of 127.0.0.1 and ::1 accept a
# connection, against socat listeners and listeners esock opens itself,
# the ports nc.openbsd -zv finds, the argument forms and their errors,
# timeouts on a full backlog, Ctrl-C and descriptors.

load helpers/common
load helpers/peers

setup() {
	T=$BATS_TEST_TMPDIR
	pids=()
}

teardown() {
	peers_teardown
	if [ -n "${TSOCK:-}" ]; then
		tmux -S "$TSOCK" kill-server 2>/dev/null || true
	fi
}

# listen_on PORT [ADDR]: a socat listener that accepts and lets go.
listen_on() {
	if [ "${2:-}" = "::1" ]; then
		socat TCP6-LISTEN:"$1",bind='[::1]',reuseaddr,fork /dev/null \
		    </dev/null &
	else
		socat TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork /dev/null \
		    </dev/null &
	fi
	pids+=($!)
	wait_listen "$1"
}

# free_range: sets LO, a free port with the 99 after it below 32768,
# and P1 P2 P3, three free ports inside, listened on by socat.
free_range() {
	local i
	for i in $(seq 1 20); do
		LO=$(free_port)
		[ "$LO" -le 32600 ] || continue
		P1=$((LO + 10)) P2=$((LO + 50)) P3=$((LO + 90))
		! (exec 3<>"/dev/tcp/127.0.0.1/$P1") 2>/dev/null &&
		    ! (exec 3<>"/dev/tcp/127.0.0.1/$P2") 2>/dev/null &&
		    ! (exec 3<>"/dev/tcp/127.0.0.1/$P3") 2>/dev/null && break
	done
	HI=$((LO + 99))
	listen_on "$P1"
	listen_on "$P2"
	listen_on "$P3"
}

@test "scan finds the ports that listen and leaves out those that do not" {
	free_range
	run esock scan 127.0.0.1 "$P3,$P1,$((P1 + 1)),$P2"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$P1,$P2,$P3]}"
	run esock scan 127.0.0.1 "$((P1 + 1))"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[]}"
}

@test "a range word in the argv chain is nc's text, not arithmetic" {
	free_range
	run esock scan 127.0.0.1 "$LO-$HI"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$P1,$P2,$P3]}"
	run esock scan localhost "$P1,$((P2 - 1))-$((P2 + 1)),$P3"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$P1,$P2,$P3]}"
	run esock scan localhost "$LO-$HI" , scan 127.0.0.1 "$P2"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$P2]}"
}

@test "it finds the ports nc.openbsd -zv finds over the same range" {
	command -v nc.openbsd >/dev/null || skip "no nc.openbsd"
	free_range
	run esock --compact scan 127.0.0.1 "$LO-$HI"
	[ "$status" -eq 0 ]
	mine=$(echo "$output" | sed -n 's/^{ok,\[\(.*\)\]}$/\1/p' | tr ',' ' ')
	theirs=$(timeout 20 nc.openbsd -zv 127.0.0.1 "$LO-$HI" 2>&1 |
	    sed -n 's/.* \([0-9][0-9]*\) port .* succeeded!$/\1/p' |
	    tr '\n' ' ' | sed 's/ $//')
	assert_equal "$mine" "$theirs"
	assert_equal "$mine" "$P1 $P2 $P3"
}

@test "ports as an integer, lists with ranges, strings and binaries give sorted ports without duplicates" {
	# No one accepts: the backlog holds every scan's connection.
	run esock --compact -e '{ok, L} = open(inet, stream),
	    ok = bind(L, 127.0.0.1:0), ok = listen(L, 64),
	    {ok, #{port := P}} = sockname(L),
	    R = {ok, [P]},
	    T = integer_to_list(P - 3) ++ "-" ++ integer_to_list(P + 3),
	    R = scan(127.0.0.1, P),
	    R = scan(127.0.0.1, [P, P, {P - 2, P + 2}, P + 1]),
	    R = scan(127.0.0.1, {P - 2, P + 2}),
	    R = scan(127.0.0.1, T),
	    R = scan(127.0.0.1, list_to_binary(T ++ "," ++ integer_to_list(P))),
	    R = scan(127.0.0.1, [P], #{}),
	    R = scan(127.0.0.1, [P], #{timeout => 500, inflight => 1}),
	    R = scan(127.0.0.1, {P - 3, P + 3}, #{inflight => 2}),
	    {ok, []} = scan(127.0.0.1, P + 1),
	    ok = close(L),
	    scan(127.0.0.1, P).'
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[]}"
}

@test "the host as an address, a tuple, a string, a binary and an atom" {
	run esock --compact -e '{ok, L} = open(inet, stream),
	    ok = bind(L, 127.0.0.1:0), ok = listen(L, 64),
	    {ok, #{port := P}} = sockname(L),
	    R = {ok, [P]},
	    R = scan({127,0,0,1}, P),
	    R = scan("127.0.0.1", P),
	    R = scan(<<"localhost">>, P),
	    R = scan(localhost, P),
	    R = scan(#{family => inet, addr => {127,0,0,1}, port => 9}, P),
	    scan(127.0.0.1, P).'
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\{ok,\[[0-9]+\]\}$ ]]
}

@test "scan over IPv6 loopback: ::1 as a word, [::1] and the tuple in the language" {
	esock -e '{ok, S} = open(inet6, stream), bind(S, [::1]:0).' >/dev/null ||
	    skip "no IPv6 loopback"
	port=$(free_port)
	listen_on "$port" ::1
	run esock scan ::1 "$((port - 1))-$((port + 1))"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$port]}"
	run esock --compact -e "{ok, [$port]} = scan({0,0,0,0,0,0,0,1}, $port),
	    {ok, []} = scan(127.0.0.1, $port), scan([::1], [$port])."
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$port]}"
}

@test "bad ports are {error, {invalid, {ports, Ports}}}" {
	run esock --compact -e '[scan(127.0.0.1, P) || P <- [0, 65536, -1,
	    "0", "5-3", "1-", "-5", "1,,2", "1-70000", "", <<"x">>, [],
	    [80, 0], [{3, 1}], {1, 2, 3}, [80 | 81], 1.5, x]].'
	[ "$status" -eq 0 ]
	assert_equal "$output" '[{error,{invalid,{ports,0}}},{error,{invalid,{ports,65536}}},{error,{invalid,{ports,-1}}},{error,{invalid,{ports,"0"}}},{error,{invalid,{ports,"5-3"}}},{error,{invalid,{ports,"1-"}}},{error,{invalid,{ports,"-5"}}},{error,{invalid,{ports,"1,,2"}}},{error,{invalid,{ports,"1-70000"}}},{error,{invalid,{ports,[]}}},{error,{invalid,{ports,<<"x">>}}},{error,{invalid,{ports,[]}}},{error,{invalid,{ports,[80,0]}}},{error,{invalid,{ports,[{3,1}]}}},{error,{invalid,{ports,{1,2,3}}}},{error,{invalid,{ports,[80|81]}}},{error,{invalid,{ports,1.5}}},{error,{invalid,{ports,x}}}]'
	run esock scan 127.0.0.1 1-0
	[ "$status" -eq 1 ]
	assert_equal "$output" '{error,{invalid,{ports,"1-0"}}}'
}

@test "bad options are {error, {invalid, {options, Key, Opts}}}" {
	run esock --compact -e '[scan(127.0.0.1, 9, O) || O <- [#{foo => 1},
	    #{timeout => 0}, #{timeout => infinity}, #{timeout => 86400001},
	    #{inflight => 0}, #{inflight => 65536}, [{timeout, 5}], 5]].'
	[ "$status" -eq 0 ]
	assert_equal "$output" '[{error,{invalid,{options,foo,#{foo => 1}}}},{error,{invalid,{options,timeout,#{timeout => 0}}}},{error,{invalid,{options,timeout,#{timeout => infinity}}}},{error,{invalid,{options,timeout,#{timeout => 86400001}}}},{error,{invalid,{options,inflight,#{inflight => 0}}}},{error,{invalid,{options,inflight,#{inflight => 65536}}}},{error,{invalid,{options,[{timeout,5}]}}},{error,{invalid,{options,5}}}]'
}

@test "a host that does not resolve gives getaddrinfo's reason, a host of no address family is invalid" {
	run esock --compact -e '{error, R} = getaddrinfo("no.such.host.invalid"),
	    {error, R} = scan("no.such.host.invalid", 80),
	    {error, R} = scan(<<"no.such.host.invalid">>, "1-3"),
	    [scan(H, 80) || H <- [1, {1, 2}, {1, 2, 3, 256},
	        #{family => local, path => "/x"}, [1.0]]].'
	[ "$status" -eq 0 ]
	assert_equal "$output" '[{error,{invalid,{host,1}}},{error,{invalid,{host,{1,2}}}},{error,{invalid,{host,{1,2,3,256}}}},{error,{invalid,{host,#{family => local,path => "/x"}}}},{error,{invalid,{host,[1.0]}}}]'
	run esock scan no.such.host.invalid 80
	[ "$status" -eq 1 ]
	[[ "$output" =~ ^\{error,[a-z_]+\}$ ]]
}

@test "a port whose backlog is full is left out once its timeout has passed" {
	# Backlog 0 holds one connection; the next SYN is dropped, as a
	# filtered port's would be, so the connect stays in progress.
	run esock --compact -e '{ok, L} = open(inet, stream),
	    ok = bind(L, 127.0.0.1:0), ok = listen(L, 0),
	    {ok, A} = sockname(L), #{port := P} = A,
	    {ok, C} = open(inet, stream), ok = connect(C, A),
	    {ok, L2} = open(inet, stream),
	    ok = bind(L2, 127.0.0.1:0), ok = listen(L2),
	    {ok, #{port := P2}} = sockname(L2),
	    T0 = erlang:monotonic_time(millisecond),
	    R = scan(127.0.0.1, [P, P2], #{timeout => 300}),
	    T = erlang:monotonic_time(millisecond) - T0,
	    {R =:= {ok, [P2]}, T >= 290, T < 3000}.'
	[ "$status" -eq 0 ]
	assert_equal "$output" "{true,true,true}"
}

@test "a scan leaves no descriptor open and no socket registered" {
	free_range
	count_fds() {
		"$ESOCK" -e "$1, io:format(\"done~n\"), sleep(10000)." \
		    >"$T/out" 2>&1 &
		local pid=$! i
		pids+=("$pid")
		for i in $(seq 1 200); do
			grep -q done "$T/out" && break
			sleep 0.05
		done
		grep -q done "$T/out"
		ls "/proc/$pid/fd" | wc -l
		kill "$pid"
	}
	before=$(count_fds 'ok')
	after=$(count_fds "{ok, [$P1, $P2, $P3]} = scan(127.0.0.1, \"$LO-$HI\"),
	    {ok, [$P1]} = scan(localhost, [$P1, $((P1 + 1))], #{inflight => 1}),
	    0 = number_of(),
	    {ok, [$P2]} = scan(127.0.0.1, $P2, #{timeout => 50})")
	[ -n "$before" ]
	assert_equal "$after" "$before"
}

@test "the number in flight stays within the descriptor limit" {
	free_range
	run bash -c "ulimit -n 80 && exec timeout 20 '$ESOCK' scan 127.0.0.1 \
	    '$LO-$HI' '#{inflight => 5000}'"
	[ "$status" -eq 0 ]
	assert_equal "$output" "{ok,[$P1,$P2,$P3]}"
}

@test "Ctrl-C stops a scan with {error, eintr} and closes its descriptors" {
	command -v tmux >/dev/null || skip "no tmux"
	TSOCK=$T/tmux
	export XDG_STATE_HOME=$T/state
	mkdir -p "$XDG_STATE_HOME"
	tmux -S "$TSOCK" new-session -d -x 200 -y 40 \
	    "XDG_STATE_HOME='$XDG_STATE_HOME' '$ESOCK'; sleep 30"
	screen() { tmux -S "$TSOCK" capture-pane -p; }
	wait_screen() {
		local i
		for i in $(seq 1 100); do
			screen | grep -Eq -- "$1" && return 0
			sleep 0.05
		done
		screen >&2
		return 1
	}
	wait_screen '^1>'
	pane=$(tmux -S "$TSOCK" display -p '#{pane_pid}')
	pid=$(pgrep -nP "$pane")
	tmux -S "$TSOCK" send-keys '{ok, L} = open(inet, stream), bind(L, 127.0.0.1:0), listen(L, 0), {ok, A} = sockname(L), {ok, C} = open(inet, stream), connect(C, A).' Enter
	wait_screen '^ok$'
	before=$(ls "/proc/$pid/fd" | wc -l)
	tmux -S "$TSOCK" send-keys '#{port := P} = A, scan(127.0.0.1, [P], #{timeout => 20000}).' Enter
	sleep 0.5
	[ "$(ls "/proc/$pid/fd" | wc -l)" -gt "$before" ]
	tmux -S "$TSOCK" send-keys C-c
	wait_screen '^\{error,eintr\}$'
	assert_equal "$(ls "/proc/$pid/fd" | wc -l)" "$before"
}
