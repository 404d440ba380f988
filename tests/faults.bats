#!/usr/bin/env bats
# Faults esock must survive with nothing lost: a peer that resets, a
# standard output that is a closed pipe or a full disk, the descriptor
# limit, little memory, signals during waits, a flood of connects.
# The REPL's own (history on a full disk, signals at the prompt) are in
# repl.bats.

load helpers/common
load helpers/erl
load helpers/peers

setup() {
	T=$BATS_TEST_TMPDIR
	pids=()
}

teardown() {
	peers_teardown
}

# A listener, a connection, and the peer resetting it (linger 0) while
# a send is stuck on a full window: what send and recv return after,
# and a new connection on the same listener, as erl gives them.
RESET='{ok,L} = socket:open(inet,stream),
ok = socket:bind(L,#{family=>inet,addr=>loopback,port=>0}),
ok = socket:listen(L), {ok,A} = socket:sockname(L),
{ok,C} = socket:open(inet,stream), ok = socket:connect(C,A),
{ok,P} = socket:accept(L),
R1 = case socket:send(C, binary:copy(<<"x">>, 8000000), 300) of
	{error, {timeout, Rest}} -> {timeout, byte_size(Rest) > 0};
	O -> O end,
{ok, _} = socket:recv(P, 1000),
ok = socket:setopt(P, {socket,linger}, #{onoff=>true, linger=>0}),
ok = socket:close(P),
R2 = socket:send(C, <<"more">>), R3 = socket:send(C, <<"more">>),
R4 = socket:recv(C, 0, 500), R5 = socket:recv(C, 0, 500),
R6 = socket:close(C),
{ok, C2} = socket:open(inet,stream), ok = socket:connect(C2,A),
{ok,P2} = socket:accept(L),
ok = socket:send(C2, <<"still">>), R7 = socket:recv(P2, 5, 1000),
{R1,R2,R3,R4,R5,R6,R7}'

@test "a peer's reset mid-transfer: send and recv report it as erl does, the session goes on" {
	same_as_erl "begin $RESET end." "$RESET"
}

@test "relay: a peer's reset mid-transfer is its result, and the script goes on" {
	port=$(free_port)
	head -c 20000000 /dev/zero >"$T/big"
	timeout 20 "$ESOCK" -e "{ok,L} = socket:open(inet,stream),
	    ok = socket:bind(L, #{family=>inet,addr=>loopback,port=>$port}),
	    ok = socket:listen(L), {ok,P} = socket:accept(L),
	    {ok,_} = socket:recv(P, 1000),
	    ok = socket:setopt(P, {socket,linger}, #{onoff=>true,linger=>0}),
	    socket:close(P)." >/dev/null 3>&- &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr esock -e "R = begin relay(\"tcp:127.0.0.1:$port\",
	    \"file:$T/big\") end, io:format(\"after ~p~n\", [R])."
	[ "$status" -eq 0 ]
	# a script that relays prints its results on stderr
	[ "$stderr" = "after {error,econnreset}
ok" ]
}

@test "stdout a closed pipe: esock stops quietly with the status so far" {
	# a result larger than the pipe, then output that never ends
	run bash -c '"$ESOCK" -e "lists:seq(1, 100000)." 2>"$0" | head -c1 >/dev/null;
	    echo "${PIPESTATUS[0]}"' "$T/err1"
	[ "$output" = 0 ]
	[ ! -s "$T/err1" ]
	run bash -c 'timeout 10 "$ESOCK" -e "F = fun(F) -> io:format(\"y~n\"), F(F) end, F(F)." 2>"$0" |
	    head -n 2 >/dev/null; echo "${PIPESTATUS[0]}"' "$T/err2"
	[ "$output" = 0 ]
	[ ! -s "$T/err2" ]
	# a list too, and output written other than as a result
	run bash -c '"$ESOCK" --list functions 2>"$0" | head -n 1 >/dev/null;
	    echo "${PIPESTATUS[0]}"' "$T/err3"
	[ "$output" = 0 ]
	[ ! -s "$T/err3" ]
	run bash -c 'ulimit -n 4096; "$ESOCK" -e "[socket:open(inet, dgram) || _ <- lists:seq(1, 3000)], i()." 2>"$0" |
	    head -n 1 >/dev/null; echo "${PIPESTATUS[0]}"' "$T/err4"
	[ "$output" = 0 ]
	[ ! -s "$T/err4" ]
	# a failure before (-k goes on past it) keeps its status
	run bash -c 'timeout 10 "$ESOCK" -k -e "{ok, S} = socket:open(inet, stream), socket:close(S), socket:close(S)." -e "F = fun(F) -> io:format(\"y~n\"), F(F) end, F(F)." 2>/dev/null |
	    head -n 2 >/dev/null; echo "${PIPESTATUS[0]}"'
	[ "$output" = 1 ]
}

@test "stdout a full disk: said once on stderr, the run goes on, exit status 3" {
	port=$(free_port)
	run --separate-stderr bash -c '"$ESOCK" -e "lists:seq(1, 100000)." \
	    -e "{ok, S} = socket:open(inet, dgram), socket:sendto(S, <<\"went on\">>, #{family => inet, addr => loopback, port => $0})." \
	    -e "lists:seq(1, 100000)." >/dev/full' "$port" &
	run timeout 10 socat -u "UDP-RECV:$port,bind=127.0.0.1" STDOUT
	[ "$output" = "went on" ]
	wait
	run --separate-stderr bash -c '"$ESOCK" -e "lists:seq(1, 100000)." -e "lists:seq(1, 100000)." >/dev/full'
	[ "$status" -eq 3 ]
	[ "$stderr" = "esock: cannot write standard output: No space left on device" ]
	# a small result fails only when it is written, at exit
	run --separate-stderr bash -c '"$ESOCK" -e "ok." >/dev/full'
	[ "$status" -eq 3 ]
	[ "$stderr" = "esock: cannot write standard output: No space left on device" ]
}

@test "ulimit -n 64: open until emfile, close some and go on serving, no descriptor leaked" {
	run bash -c 'ulimit -n 64; exec timeout 20 "$ESOCK" -e "
	    Fds = fun() -> os:cmd(\"ls -l /proc/\" ++ os:getpid() ++ \"/fd | grep -cv pipe:\") end,
	    Before = Fds(),
	    Open = fun Open(Acc) -> case socket:open(inet, stream) of
	        {ok, S} -> Open([S | Acc]); {error, E} -> {E, Acc} end end,
	    {emfile, All} = Open([]),
	    Full = length(All),
	    {Ten, Rest} = lists:split(10, All),
	    [ok = socket:close(S) || S <- Ten],
	    {ok, L} = socket:open(inet, stream),
	    ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
	    ok = socket:listen(L), {ok, A} = socket:sockname(L),
	    {ok, C} = socket:open(inet, stream), ok = socket:connect(C, A),
	    {ok, P} = socket:accept(L), ok = socket:send(C, <<\"served\">>),
	    {ok, Got} = socket:recv(P, 6, 1000),
	    Now = socket:number_of(),
	    [ok = socket:close(S) || S <- Rest ++ [L, C, P]],
	    {Full > 30, Got, Now, socket:number_of(), Fds() =:= Before}."'
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\{true,\<\<\"served\"\>\>,([0-9]+),0,true\}$ ]]
}

# At the descriptor limit, with a connection waiting on a listener.
EMFILE='{ok, L} = socket:open(inet, stream),
ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
ok = socket:listen(L), {ok, A} = socket:sockname(L),
{ok, C} = socket:open(inet, stream), ok = socket:connect(C, A),
Open = fun Open(Acc) -> case socket:open(inet, stream) of {ok, S} -> Open([S | Acc]); {error, E} -> {E, Acc} end end,
{emfile, All} = Open([]),
R1 = socket:accept(L, 100),
R2 = socket:accept(L, nowait),
R3 = socket:open(inet, dgram),
{Ten, Rest} = lists:split(10, All),
[ok = socket:close(S) || S <- Ten],
{ok, P} = socket:accept(L, 1000),
{R1, R2, R3}'

@test "ulimit -n 64: accept, accept nowait and open give emfile as erl's do; closing some lets the waiting connection in" {
	skip_under_valgrind "valgrind's descriptor limit is below the kernel's: a connection accepted past it is closed, not left waiting"
	(
		ulimit -n 64
		same_as_erl "begin $EMFILE end." "$EMFILE"
	)
}

# AddressSanitizer maps terabytes of shadow memory, and valgrind (make
# memcheck) its own: neither can start under ulimit -v.
no_ulimit_v() {
	if ldd "$ESOCK" 2>/dev/null | grep -q libasan; then
		skip "AddressSanitizer cannot run under ulimit -v"
	fi
	skip_under_valgrind "valgrind cannot start under ulimit -v"
}

@test "ulimit -v: a huge recv length is {error, enomem} and the socket goes on" {
	no_ulimit_v
	for call in 'socket:recv(S, 1000000000000, 1000)' \
	    'socket:recvfrom(S, 1000000000000, 1000)' \
	    'socket:recvmsg(S, 1000000000000, 0, [], 1000)'; do
		run bash -c 'ulimit -v 300000; exec "$ESOCK" -e "{ok,S} = socket:open(inet,dgram),
		    ok = socket:bind(S, #{family=>inet,addr=>loopback,port=>0}),
		    {ok,A} = socket:sockname(S), ok = socket:sendto(S, <<\"hi\">>, A),
		    R = begin $0 end, {R, socket:recv(S, 0, 1000)}."' "$call"
		[ "$status" -eq 0 ]
		[ "$output" = '{{error,enomem},{ok,<<"hi">>}}' ]
	done
}

@test "ulimit -v: a giant term is a clear message and exit status 3, not a crash" {
	no_ulimit_v
	run --separate-stderr bash -c 'ulimit -v 300000; exec "$ESOCK" -e "length(lists:seq(1, 100000000))."'
	[ "$status" -eq 3 ]
	[[ "$stderr" =~ ^esock:\ out\ of\ memory ]]
	run --separate-stderr bash -c 'ulimit -v 300000; exec "$ESOCK" -e "byte_size(binary:copy(<<1>>, 1000000000))."'
	[ "$status" -eq 3 ]
	[[ "$stderr" =~ ^esock:\ out\ of\ memory ]]
}

@test "signals during a wait: SIGWINCH is ignored, SIGTERM and SIGHUP end esock by the signal" {
	port=$(free_port)
	"$ESOCK" -e "{ok,L} = socket:open(inet,stream),
	    ok = socket:bind(L, #{family=>inet,addr=>loopback,port=>$port}),
	    ok = socket:listen(L), {ok,P} = socket:accept(L),
	    socket:recv(P, 5, 10000)." >"$T/out" 3>&- &
	pid=$!
	pids+=($pid)
	wait_listen "$port"
	exec 4<>"/dev/tcp/127.0.0.1/$port"
	for _ in $(seq 1 200); do kill -WINCH "$pid"; done
	printf hello >&4
	wait "$pid"
	exec 4>&-
	[ "$(cat "$T/out")" = '{ok,<<"hello">>}' ]
	for sig in TERM HUP INT; do
		timeout 20 "$ESOCK" -e 'receive after 10000 -> late end.' 3>&- &
		pid=$!
		sleep 0.3
		for _ in $(seq 1 20); do kill -WINCH "$pid"; done
		kill "-$sig" "$pid"
		status=0
		wait "$pid" || status=$?
		[ "$status" -eq $((128 + $(kill -l "$sig"))) ]
	done
}

@test "a listener flooded with 5000 connects while serve echoes to other clients" {
	port=$(free_port)
	timeout 120 "$ESOCK" -e "serve(\"tcp-listen:127.0.0.1:$port\", echo, #{idle => 3000})." \
	    >"$T/serve.out" 2>"$T/serve.err" 3>&- &
	pids+=($!)
	wait_listen "$port"
	timeout 120 "$ESOCK" -e "A = #{family => inet, addr => loopback, port => $port},
	    F = fun(S) -> socket:connect(S, A), socket:close(S) end,
	    length([F(S) || _ <- lists:seq(1, 5000), {ok, S} <- [socket:open(inet, stream)]])." \
	    >"$T/flood.out" 3>&- &
	flood=$!
	pids+=($flood)
	for i in $(seq 1 20); do
		out=$(printf 'client %d\n' "$i" | timeout 10 socat -t 2 - "TCP:127.0.0.1:$port")
		[ "$out" = "client $i" ]
	done
	wait "$flood"
	[ "$(cat "$T/flood.out")" = 5000 ]
	wait "${pids[0]}"
	[[ "$(cat "$T/serve.out")" =~ connections\ =\>\ 50[0-9][0-9] ]]
	grep -q 'failed => 0' "$T/serve.out"
}
