#!/usr/bin/env bats
# The socket module's core: open, bind, listen, accept, connect, send,
# sendto, recv, recvfrom, shutdown, close, sockname, peername, info,
# which_sockets and number_of. Most tests run one script twice: in esock
# and, translated line by line, in erl, and compare every result term
# (references and ports normalised). Peers are on 127.0.0.1, ::1 or local
# paths in the test's own directory.

load helpers/common
load helpers/erl
load helpers/scenario

teardown() {
	local pid
	if [ -n "${NETNS:-}" ]; then
		ip netns del "$NETNS" 2>/dev/null || true
	fi
	for pid in ${PEERS:-}; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in ${PEERS:-}; do
		wait "$pid" 2>/dev/null || true
	done
}

# Remembers a background peer to kill in teardown.
peer() {
	PEERS="${PEERS:-} $1"
}

# serve CMD...: starts a server in the background, with PORT in its
# arguments replaced by a free port (in $PORT), and waits until it
# accepts. A port taken meanwhile by someone else costs a retry.
serve() {
	local try
	for try in 1 2 3; do
		PORT=$(free_port)
		timeout 30 "${@//PORT/$PORT}" 2>/dev/null &
		peer $!
		wait_port "$PORT" 3 && return 0
	done
	return 1
}

# --- TCP and UDP over inet and inet6 ---------------------------------

tcp_script() {
	cat <<EOF
{ok, L} = open($1, stream, tcp).
bind(L, #{family => $1, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open($1, stream).
connect(C, A).
{ok, D} = accept(L).
peername(C).
send(C, <<"hello">>).
recv(D, 0).
send(C, "hello").
send(C, [<<"wor">>, "l", [\$d]]).
recv(D, 10).
send(D, <<"back">>).
recv(C, 4, 1000).
info(L).
info(C).
info(D).
info().
close(D).
close(C).
close(L).
info().
EOF
}

@test "tcp over inet: listen, connect, accept, send, recv and info match OTP" {
	same_scenario "$(tcp_script inet)"
}

@test "tcp over inet6: listen, connect, accept, send, recv and info match OTP" {
	same_scenario "$(tcp_script inet6)"
}

udp_script() {
	cat <<EOF
{ok, U} = open($1, dgram).
bind(U, #{family => $1, addr => loopback, port => 0}).
{ok, UA} = sockname(U).
{ok, V} = open($1, dgram, udp).
bind(V, #{family => $1, addr => loopback}).
{ok, VA} = sockname(V).
sendto(V, <<"one">>, UA).
{ok, {VA, <<"one">>}} = recvfrom(U).
sendto(V, "two", UA, []).
recv(U, 0, 1000).
connect(V, UA).
peername(V).
send(V, <<"truncated">>).
recv(U, 5).
send(V, <<>>).
recv(U).
sendto(U, <<"back">>, VA, [], 1000).
recvfrom(V, 0, [], 1000).
info(U).
info(V).
info().
EOF
}

@test "udp over inet: sendto, recvfrom, connect, send, recv and counters match OTP" {
	same_scenario "$(udp_script inet)"
}

@test "udp over inet6: sendto, recvfrom, connect, send, recv and counters match OTP" {
	same_scenario "$(udp_script inet6)"
}

@test "bind with port 0 gets a port that sockname shows, on both families" {
	same_scenario '{ok, S} = open(inet, stream).
sockname(S).
bind(S, #{family => inet, addr => {127,0,0,1}, port => 0}).
{ok, #{port := P}} = sockname(S).
{ok, S6} = open(inet6, dgram).
bind(S6, #{family => inet6, addr => {0,0,0,0,0,0,0,1}}).
sockname(S6).
bind(S6, loopback).'
	out=$(esock --compact -e '{ok, S} = open(inet, stream), bind(S, #{family => inet, addr => loopback, port => 0}), sockname(S).')
	[[ "$out" =~ port\ =\>\ ([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -gt 0 ]
}

@test "bind takes the atoms any, loopback and broadcast as OTP does" {
	same_scenario '{ok, S} = open(inet, dgram).
bind(S, broadcast).
sockname(S).
{ok, T} = open(inet6, stream).
bind(T, any).
bind(T, foo).
{ok, U} = open(inet6, dgram).
bind(U, broadcast).
{ok, L} = open(local, stream).
bind(L, loopback).'
}

# --- local sockets ---------------------------------------------------

@test "local stream sockets on a path match OTP" {
	p=$BATS_TEST_TMPDIR/s.sock
	same_scenario "{ok, L} = open(local, stream).
bind(L, #{family => local, path => \"$p\"}).
listen(L).
{ok, C} = open(local, stream).
connect(C, #{family => local, path => <<\"$p\">>}).
{ok, D} = accept(L).
sockname(L).
peername(C).
sockname(C).
send(C, <<\"over a path\">>).
recv(D, 4).
recv(D, 0).
shutdown(C, write).
recv(D, 0).
info(C).
info(D).
info()." "rm -f '$p'"
}

@test "local stream sockets on an abstract name match OTP" {
	n="esock-test-$$-$BATS_TEST_NUMBER"
	same_scenario "{ok, L} = open(local, stream, default).
bind(L, #{family => local, path => <<0, \"$n\">>}).
listen(L, 1).
{ok, C} = open(local, stream).
connect(C, #{family => local, path => <<0, \"$n\">>}).
{ok, D} = accept(L, 1000).
sockname(D).
peername(C).
send(D, \"abstract\").
recv(C, 8, 1000).
close(D).
recv(C, 0).
info(L)."
}

@test "local dgram sockets on a path and an abstract name match OTP" {
	p=$BATS_TEST_TMPDIR/d.sock
	n="esock-test-$$-$BATS_TEST_NUMBER"
	same_scenario "{ok, G} = open(local, dgram).
bind(G, #{family => local, path => \"$p\"}).
{ok, H} = open(local, dgram).
sendto(H, <<\"from nobody\">>, #{family => local, path => \"$p\"}).
recvfrom(G, 0, 1000).
bind(H, #{family => local, path => <<0, \"$n\">>}).
sendto(H, <<\"from a name\">>, #{family => local, path => \"$p\"}).
recvfrom(G).
sendto(G, <<\"reply\">>, #{family => local, path => <<0, \"$n\">>}).
recvfrom(H, 3).
sendto(H, <<\"x\">>, #{family => local, path => <<0, \"nobody-$n\">>}).
info(H)." "rm -f '$p'"
}

@test "local seqpacket sockets keep message boundaries as OTP's do" {
	p=$BATS_TEST_TMPDIR/q.sock
	same_scenario "{ok, L} = open(local, seqpacket).
bind(L, #{family => local, path => \"$p\"}).
listen(L).
{ok, C} = open(local, seqpacket, 0).
connect(C, #{family => local, path => \"$p\"}).
{ok, D} = accept(L).
send(C, <<\"one\">>).
send(C, <<\"two\">>).
recv(D, 0).
recv(D, 2).
recv(D, 0, 100).
send(C, <<>>).
recv(D, 0, 100).
close(C).
recv(D, 0, 100).
info(D).
which_sockets(seqpacket)." "rm -f '$p'"
}

# --- timeouts, errors, closed sockets ----------------------------------

@test "recv, recvfrom and accept time out as OTP's do, with partial data" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback}).
listen(L).
{ok, A} = sockname(L).
accept(L, 50).
accept(L, 0).
{ok, C} = open(inet, stream).
connect(C, A, 1000).
{ok, D} = accept(L, 1000).
recv(D, 0, 50).
recv(D, 0, 0).
send(C, <<"12345">>).
sleep(50).
recv(D, 10, 50).
send(C, <<"12345">>).
sleep(50).
recv(D, 10, 0).
recvfrom(D, 0, 0).
recvfrom(D, 0, [], 50).
send(C, <<"ab">>).
sleep(50).
recv(D, 1, [peek], 100).
recv(D, 0, [peek]).
recv(D, 0, [], 100).
info(L).
info(D).
{ok, U} = open(inet, dgram).
recvfrom(U, 0, 50).
recv(U, 0, [], 0).
info(U).'
}

@test "the -t option is the default timeout of recv, accept and connect" {
	run esock -t 100 -e '{ok, L} = open(inet, stream), bind(L, #{family => inet, addr => loopback}), listen(L), accept(L).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,timeout}" ]
	run esock -t 100 -e '{ok, U} = open(inet, dgram), recv(U).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,timeout}" ]
	run esock -t 100 -e '{ok, U} = open(inet, dgram), recv(U, 0, [], 10).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,timeout}" ]
}

@test "connect to a closed port gives econnrefused as OTP does" {
	port=$(free_port)
	same_scenario "{ok, C} = open(inet, stream).
connect(C, #{family => inet, addr => loopback, port => $port}).
info(C).
connect(C, #{family => inet, addr => loopback, port => $port}).
{ok, C6} = open(inet6, stream).
connect(C6, #{family => inet6, addr => loopback, port => $port}, 2000).
{ok, L} = open(local, stream).
connect(L, #{family => local, path => <<\"$BATS_TEST_TMPDIR/none\">>})."
}

# OTP waits on a local listener's full backlog (EAGAIN) as on a connect
# in progress, finds no error and says ok: esock does the same.
@test "connect times out against a full backlog as OTP's does" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback}).
listen(L, 0).
{ok, A} = sockname(L).
{ok, C1} = open(inet, stream).
connect(C1, A, 500).
{ok, C2} = open(inet, stream).
connect(C2, A, 300).
info(C2).
connect(C2, A, 0).
info(C2).
{ok, U} = open(local, stream).
bind(U, #{family => local, path => <<0, "esock-backlog-'"$$"'">>}).
listen(U, 0).
{ok, U1} = open(local, stream).
connect(U1, #{family => local, path => <<0, "esock-backlog-'"$$"'">>}, 200).
{ok, U2} = open(local, stream).
connect(U2, #{family => local, path => <<0, "esock-backlog-'"$$"'">>}, 200).
{ok, U3} = open(local, stream).
connect(U3, #{family => local, path => <<0, "esock-backlog-'"$$"'">>}, 200).
info(U3).'
}

@test "operations in the wrong state fail with the errno OTP gives" {
	same_scenario '{ok, T} = open(inet, stream).
accept(T, 100).
sockname(T).
peername(T).
send(T, <<"x">>).
recv(T, 0, 100).
recvfrom(T, 0, 100).
sendto(T, <<"x">>, #{family => inet, addr => loopback, port => 1}).
info(T).
{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback}).
listen(L, 1).
listen(L, 10).
{ok, A} = sockname(L).
recv(L, 0, 100).
send(L, <<"a">>).
{ok, C} = open(inet, stream).
connect(C, A).
connect(C, A).
{ok, D} = accept(L).
send(D, <<"hello">>).
sleep(20).
recvfrom(C, 0, 100).
sendto(C, <<"x">>, #{family => inet, addr => loopback, port => 1}).
recv(D, 0, 100).
info(L).
info(C).
bind(C, #{family => inet, addr => loopback}).
bind(D, #{family => inet6, addr => loopback}).
{ok, U} = open(inet, dgram).
sendto(U, <<"x">>, #{family => inet6, addr => loopback, port => 1}).
recv(U, 0, 0).
connect(U, #{family => unspec}).
peername(U).
info(U).'
}

@test "shutdown makes the peer's recv give closed, with any partial data" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
connect(C, A).
{ok, D} = accept(L).
send(C, <<"abc">>).
shutdown(C, write).
recv(D, 10).
recv(D, 10).
recvfrom(D).
send(D, <<"still open">>).
recv(C, 0).
shutdown(C, read).
recv(C, 0).
shutdown(C, read_write).
info(D).'
}

@test "a send to a peer that closed gives econnreset then epipe, never SIGPIPE" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
connect(C, A).
{ok, D} = accept(L).
send(C, <<"unread">>).
sleep(20).
close(D).
sleep(20).
send(C, <<"abc">>).
send(C, <<"abc">>).
recv(C, 0).
info(C).'
}

@test "a closed socket gives closed for every operation, close included" {
	same_scenario '{ok, S} = open(inet, stream).
close(S).
close(S).
bind(S, #{family => inet, addr => loopback}).
listen(S).
accept(S, 10).
connect(S, #{family => inet, addr => loopback, port => 1}).
send(S, <<"x">>).
sendto(S, <<"x">>, #{family => inet, addr => loopback, port => 1}).
recv(S).
recvfrom(S, 0, 10).
shutdown(S, write).
sockname(S).
peername(S).
which_sockets().
number_of().'
}

@test "a send that cannot finish gives the rest of the data on timeout" {
	p=$BATS_TEST_TMPDIR/full.sock
	big=$(head -c 60000 /dev/zero | tr '\0' x)
	script="{ok, L} = open(local, stream).
bind(L, #{family => local, path => \"$p\"}).
listen(L).
{ok, C} = open(local, stream).
connect(C, #{family => local, path => \"$p\"}).
{ok, D} = accept(L).
Big = <<\"$big\">>.
send(C, Big, 100).
send(C, Big, 100).
send(C, Big, 100).
send(C, Big, 100).
send(C, Big, 100).
send(C, Big, 0).
info(C).
recv(D, 10).
send(C, <<\"more\">>, 0).
info(C)."
	f=$BATS_TEST_TMPDIR/full.esock
	printf '%s\n' "$script" >"$f"
	mine=$(esock --compact -k -f "$f"; echo "status $?")
	[[ "$mine" == *"status "[01] ]]
	rm -f "$p"
	theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$script" | to_erl)")
	assert_equal "$(norm <<<"${mine%status*}" | sed '/^$/d')" "$(norm <<<"$theirs")"
	grep -q '^{error,{timeout,<<"x' <<<"$mine"
}

# --- open, arguments -------------------------------------------------

@test "open takes OTP's domains, types and protocols and refuses the rest as OTP does" {
	same_scenario 'open(inet, stream).
open(inet, dgram, udp).
open(inet6, stream, tcp, #{}).
open(inet, stream, #{debug => false}).
open(local, dgram, default).
open(2, 1, 6).
open(inet, stream, ip).
open(inet, stream, '"'TCP'"').
open(inet, seqpacket).
open(inet, raw).
open(inet, stream, udp).
open(inet, dgram, tcp).
open(local, stream, tcp).
open(unspec, stream).
open(foo, stream).
open(inet, foo).
open(inet, stream, foo).
open(99, stream).
open(inet, 99).
open(inet, stream, 99).
open(inet, stream, -1).
open(inet, stream, tcp, #{use_registry => false}).
number_of().
info().'
}

@test "open raises what OTP raises on and refuses the rest as OTP does" {
	run esock -k -e 'open(local, stream, tcp, #{netns => 42}).'
	[ "$status" -eq 1 ]
	assert_equal "$output" '{error,{invalid,{path,42}}}'
}

@test "open with a netns that does not exist gives enoent as OTP does" {
	same_scenario "open(inet, stream, tcp, #{netns => \"$BATS_TEST_TMPDIR/no-ns\"})."
}

@test "open in a network namespace works as OTP's does" {
	make_netns
	script="{ok, S} = open(inet, stream, tcp, #{netns => \"/var/run/netns/$NETNS\"}).
bind(S, #{family => inet, addr => loopback}).
listen(S).
info(S).
{ok, T} = open(inet, stream).
bind(T, #{family => inet, addr => loopback})."
	same_scenario "$script"
	ip netns del "$NETNS"
	NETNS=
}

@test "open adopts a descriptor, deriving what OTP derives" {
	command -v ncat >/dev/null || skip "no ncat"
	serve ncat -l 127.0.0.1 PORT --keep-open -e /bin/cat
	port=$PORT
	script='{ok, S} = open(7).
info(S).
send(S, <<"adopted">>).
recv(S, 7, 2000).
{ok, T} = open(7, #{dup => false, protocol => tcp}).
info(T).
open(7, #{protocol => foo}).
open(99).
open(99, #{domain => inet, type => stream}).
open(0, #{domain => inet}).'
	mine=$(esock_script "$script" 7<>"/dev/tcp/127.0.0.1/$port")
	theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$script" | to_erl)" 7<>"/dev/tcp/127.0.0.1/$port")
	assert_equal "$(norm <<<"$mine")" "$(norm <<<"$theirs")"
}

@test "send, recv and their kin check their arguments as OTP does" {
	same_scenario '{ok, U} = open(inet, dgram).
bind(U, #{family => inet, addr => loopback}).
{ok, A} = sockname(U).
sendto(U, <<"x">>, A, [foo]).
recv(U, 0, [foo]).
recvfrom(U, 0, [trunc, bad]).
send(U, <<"x">>, [oob]).
listen(U).'
}

@test "arguments OTP raises on raise the same exception, closed sockets too" {
	FRESH=1 same_lines_as_erl "$BATS_TEST_DIRNAME/data/arg_errors.txt" -k
}

@test "an argument OTP raises on ends a script with erl's exception text" {
	run --separate-stderr esock -e '{ok, U} = socket:open(inet, dgram), socket:recv(U, -1).'
	[ "$status" -eq 1 ]
	assert_equal "$(norm_refs <<<"$stderr")" '** exception error: bad argument
     in function  socket:recv/4
        called as socket:recv({'"'"'$socket'"'"',ref},-1,[],infinity)'
	run --separate-stderr esock -e '{ok, U} = socket:open(inet, dgram), socket:shutdown(U, sideways).'
	[ "$status" -eq 1 ]
	assert_equal "$stderr" '** exception error: {invalid,{how,sideways}}
     in function  socket:shutdown/2'
}

@test "a bitstring is refused where bytes are needed, as OTP refuses it" {
	FRESH=1 same_lines_as_erl "$BATS_TEST_DIRNAME/data/bitstring_args.txt" -k
}

@test "which_sockets filters by domain, type and protocol as OTP does" {
	same_scenario 'which_sockets().
number_of().
{ok, A} = open(inet, stream).
{ok, B} = open(inet6, dgram).
{ok, C} = open(local, seqpacket).
{ok, D} = open(inet, dgram, udp, #{use_registry => false}).
which_sockets().
which_sockets(inet).
which_sockets(inet6).
which_sockets(local).
which_sockets(stream).
which_sockets(dgram).
which_sockets(seqpacket).
which_sockets(tcp).
which_sockets(udp).
which_sockets(sctp).
number_of().
close(B).
which_sockets().
number_of().
info().'
}

# --- the current socket and the shorthands ----------------------------

@test "commands without a socket use the current one; connect and bind open one" {
	command -v socat >/dev/null || skip "no socat"
	serve socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat
	port=$PORT
	run esock -v connect "127.0.0.1:$port" , send hello , recv 5 5000 , close
	[ "$status" -eq 0 ]
	assert_equal "$output" 'ok
ok
{ok,<<"hello">>}
ok'
	run esock --compact -k -e 'recv(10).
send("x").
close().
bind(:0).
sockname().
listen().
[L] = which_sockets().
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
connect(A).
{ok, S} = accept(L, 1000).
peername().
which_sockets(stream).'
	[ "$status" -eq 1 ]
	assert_equal "$(sed -n 1,6p <<<"$output" | norm)" '{error,{invalid,{socket,none}}}
{error,{invalid,{socket,none}}}
{error,{invalid,{socket,none}}}
ok
{ok,#{addr => {0,0,0,0},family => inet,port => P}}
ok'
	assert_equal "$(sed -n 10,11p <<<"$output" | norm)" "ok
{ok,{'\$socket',ref}}"
	# the accepted socket is now the current one: its peer is the client
	assert_equal "$(sed -n 12p <<<"$output" | norm)" '{ok,#{addr => {127,0,0,1},family => inet,port => P}}'
	[ "$(sed -n 13p <<<"$output" | grep -o "'\$socket'" | wc -l)" -eq 3 ]
}

@test "a connect that fails on a socket it opened closes that socket" {
	port=$(free_port)
	run esock --compact -k -e "connect(127.0.0.1:$port).
number_of().
bind(127.0.0.1:70000).
number_of()."
	[ "$status" -eq 1 ]
	[ "$(sed -n 1p <<<"$output")" = '{error,econnrefused}' ]
	[ "$(sed -n 2p <<<"$output")" = 0 ]
	[[ "$(sed -n 3p <<<"$output")" == '{error,{invalid,{sockaddr,'* ]]
	[ "$(sed -n 4p <<<"$output")" = 0 ]
}

@test "bind and connect take the address shorthands" {
	p=$BATS_TEST_TMPDIR/short.sock
	n="esock-short-$$"
	run esock --compact -k -e "{ok, L} = open(inet6, stream).
bind(L, [::1]:0).
{ok, #{addr := {0,0,0,0,0,0,0,1}}} = sockname(L).
{ok, M} = open(inet, stream).
bind(M, localhost:0).
{ok, #{addr := {127,0,0,1}}} = sockname(M).
{ok, P} = open(local, stream).
bind(P, $p).
sockname(P).
{ok, Q} = open(local, dgram).
bind(Q, @$n).
sockname(Q).
{ok, R} = open(inet, dgram).
bind(R, 127.0.0.1:65536).
bind(R, :0).
sockname(R)."
	[ "$status" -eq 1 ]
	assert_equal "$(sed -n 9p <<<"$output")" '{ok,#{family => local,path => <<"'"$p"'">>}}'
	assert_equal "$(sed -n 12p <<<"$output")" '{ok,#{family => local,path => <<0,'"$(printf '%s' "$n" | od -An -tu1 | tr -s ' \n' ',,' | sed 's/^,//; s/,$//')"'>>}}'
	[[ "$(sed -n 14p <<<"$output")" == '{error,{invalid,{sockaddr,'* ]]
	[ "$(sed -n 15p <<<"$output")" = ok ]
	assert_equal "$(sed -n 16p <<<"$output" | norm)" '{ok,#{addr => {0,0,0,0},family => inet,port => P}}'
	# the patterns matched: nothing went to stderr
	[ "$(grep -c 'no match' <<<"$output")" -eq 0 ]
}

# --- interoperation --------------------------------------------------

@test "interop: an esock server answers an Erlang client" {
	port=$(free_port)
	timeout 30 "$ESOCK" --compact -k -t 10000 -e "{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => $port}).
listen(L).
{ok, S} = accept(L).
recv(S, 4).
send(S, <<\"pong\">>).
recv(S, 0).
close(S)." >"$BATS_TEST_TMPDIR/server.out" &
	peer $!
	server=$!
	client=$(erl_run "{ok, C} = socket:open(inet, stream),
Connect = fun Try(0) -> socket:connect(C, #{family => inet, addr => loopback, port => $port});
    Try(N) -> case socket:connect(C, #{family => inet, addr => loopback, port => $port}) of
        ok -> ok; _ -> timer:sleep(50), Try(N - 1) end end,
ok = Connect(100),
ok = socket:send(C, <<\"ping\">>),
io:format(\"~p~n\", [socket:recv(C, 4, 5000)]),
ok = socket:close(C).")
	timeout 20 tail --pid="$server" -f /dev/null
	assert_equal "$client" '{ok,<<"pong">>}'
	assert_equal "$(sed -n 5,8p "$BATS_TEST_TMPDIR/server.out")" '{ok,<<"ping">>}
ok
{error,closed}
ok'
}

@test "interop: an esock client talks to a socat server as an Erlang client does" {
	command -v socat >/dev/null || skip "no socat"
	script='{ok, C} = open(inet, stream).
connect(C, #{family => inet, addr => loopback, port => PORT}, 5000).
recv(C, 6, 5000).
send(C, <<"echo me">>).
recv(C, 7, 5000).
shutdown(C, write).
recv(C, 0, 5000).
close(C).'
	for run in esock erl; do
		serve socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork \
		    SYSTEM:'printf hello_; cat'
		port=$PORT
		s=${script//PORT/$port}
		if [ "$run" = esock ]; then
			mine=$(esock_script "$s")
		else
			theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$s" | to_erl)")
		fi
	done
	assert_equal "$(norm <<<"$mine")" "$(norm <<<"$theirs")"
	assert_equal "$(sed -n 3p <<<"$mine")" '{ok,<<"hello_">>}'
}

@test "interop: an esock client talks to an ncat server as an Erlang client does" {
	command -v ncat >/dev/null || skip "no ncat"
	script='{ok, C} = open(inet, stream).
connect(C, #{family => inet, addr => loopback, port => PORT}, 5000).
send(C, "line one\n").
recv(C, 9, 5000).
close(C).'
	for run in esock erl; do
		serve ncat -l 127.0.0.1 PORT --keep-open -e /bin/cat
		port=$PORT
		s=${script//PORT/$port}
		if [ "$run" = esock ]; then
			mine=$(esock_script "$s")
		else
			theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$s" | to_erl)")
		fi
	done
	assert_equal "$(norm <<<"$mine")" "$(norm <<<"$theirs")"
	assert_equal "$(sed -n 4p <<<"$mine")" '{ok,<<"line one\n">>}'
}

# --- descriptors -----------------------------------------------------

# Waits (at most 20 s) until the file holds a line.
wait_line() {
	local i
	for i in $(seq 1 400); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

@test "opening and closing 1,000 sockets leaves the descriptors as they were" {
	command -v socat >/dev/null || skip "no socat"
	a=$BATS_TEST_TMPDIR/a.sock
	b=$BATS_TEST_TMPDIR/b.sock
	acks=$BATS_TEST_TMPDIR/acks
	port=$(free_port)
	# esock tells us through b when it is at a checkpoint, and waits on a
	# for our go; in between, /proc shows its descriptors.
	timeout 60 socat -u "UNIX-RECV:$b" - >"$acks" &
	peer $!
	script=$BATS_TEST_TMPDIR/churn.esock
	{
		echo "{ok, Y} = open(local, dgram)."
		echo "bind(Y, #{family => local, path => \"$a\"})."
		# a first wait makes the event loop's descriptors before counting
		echo 'recv(Y, 0, 1).'
		echo "sendto(Y, <<\"ready1\\n\">>, #{family => local, path => \"$b\"})."
		echo 'recv(Y, 0, 20000).'
		for i in $(seq 1 100); do
			echo 'open(inet, stream), close().'
			echo 'open(inet6, dgram), close().'
			echo 'open(local, seqpacket), close().'
			echo '{ok, L} = open(inet, stream), bind(L, #{family => inet, addr => loopback}), listen(L), {ok, A} = sockname(L), {ok, C} = open(inet, stream), connect(C, A), {ok, D} = accept(L), send(C, <<"x">>), recv(D, 1), close(D), close(C), close(L), f(L), f(A), f(C), f(D).'
			echo "connect(127.0.0.1:$port)."
			echo 'bind(#{family => inet, port => 1, addr => {1,2,3,4}}).'
		done
		echo "sendto(Y, <<\"ready2\\n\">>, #{family => local, path => \"$b\"})."
		echo 'recv(Y, 0, 20000).'
		echo 'number_of().'
	} >"$script"
	for i in $(seq 1 100); do [ -S "$b" ] && break; sleep 0.05; done
	timeout 60 "$ESOCK" --compact -k -f "$script" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	peer $pid
	wait_line "$acks" ready1
	before=$(ls "/proc/$pid/fd" | wc -l)
	printf go | timeout 5 socat -u - "UNIX-SENDTO:$a"
	wait_line "$acks" ready2
	after=$(ls "/proc/$pid/fd" | wc -l)
	printf go | timeout 5 socat -u - "UNIX-SENDTO:$a"
	wait "$pid" || true
	[ "$before" -gt 2 ]
	assert_equal "$after" "$before"
	[ "$(tail -1 "$BATS_TEST_TMPDIR/out")" = 1 ]
	# every one of the 100 refused connects and failed binds answered
	[ "$(grep -c '^{error,econnrefused}$' "$BATS_TEST_TMPDIR/out")" -eq 100 ]
	[ "$(grep -c '^{error,eaddrnotavail}$' "$BATS_TEST_TMPDIR/out")" -eq 100 ]
}

# sent WORD: the bytes (od -c) a peer receives for `send WORD` in the
# one-shot chain.
sent() {
	local port i got=$BATS_TEST_TMPDIR/got
	rm -f "$got"
	port=$(free_port)
	timeout 10 socat -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr CREATE:"$got" &
	peer $!
	for i in $(seq 1 100); do
		[ -n "$(ss -Hlnt "sport = :$port")" ] && break
		sleep 0.05
	done
	"$ESOCK" connect "127.0.0.1:$port" , send "$1" , close >/dev/null
	wait $!
	od -An -tx1 "$got" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

@test "a data word of the chain is sent as the bytes typed, escapes decoded" {
	assert_equal "$(sent $'x\r\n')" "78 0d 0a"
	assert_equal "$(sent '"quoted"')" "22 71 75 6f 74 65 64 22"
	assert_equal "$(sent '[65,66]')" "5b 36 35 2c 36 36 5d"
	assert_equal "$(sent 42)" "34 32"
	assert_equal "$(sent /etc/passwd)" "2f 65 74 63 2f 70 61 73 73 77 64"
	assert_equal "$(sent 'PING\r\n')" "50 49 4e 47 0d 0a"
	assert_equal "$(sent 'a\\b\tc\x41\x{263A}')" "61 5c 62 09 63 41 e2 98 ba"
	assert_equal "$(sent 'é')" "c3 a9"
	assert_equal "$(sent 'two words')" "74 77 6f 20 77 6f 72 64 73"
}

@test "an explicit binary word sends the bytes it builds" {
	assert_equal "$(sent '<<0,1,255>>')" "00 01 ff"
	assert_equal "$(sent '<<"hi",10>>')" "68 69 0a"
}

@test "a bad escape in a data word is a usage error that names the word" {
	run "$ESOCK" open inet stream , send 'bad\x4'
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad escape"*"'bad\\x4'"* ]]
}

@test "nc habits: connect HOST PORT as two words, and no silent port 0" {
	serve socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat
	run "$ESOCK" connect 127.0.0.1 "$PORT" , send ping , recv 0 2000
	[ "$status" -eq 0 ]
	[ "$output" = '{ok,<<"ping">>}' ]
	run "$ESOCK" connect localhost "$PORT" , send ping , recv 0 2000
	[ "$output" = '{ok,<<"ping">>}' ]
	run "$ESOCK" -v bind 127.0.0.1 0 , sockname
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == '{ok,#{addr => {127,0,0,1},family => inet,port => '* ]]
	run --separate-stderr "$ESOCK" connect 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"127.0.0.1 has no port; write HOST:PORT (127.0.0.1:80) or HOST PORT"* ]]
	run --separate-stderr "$ESOCK" connect ::1
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"has no port"* ]]
}

@test "connect with no socket opens a new one once the current one is connected" {
	serve socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat
	first=$PORT
	serve socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat
	run "$ESOCK" --compact -v connect "127.0.0.1:$first" , connect "127.0.0.1:$PORT" , peername , number_of
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "{ok,#{addr => {127,0,0,1},family => inet,port => $PORT}}" ]
	[ "${lines[3]}" = 2 ]
	# a fresh socket, or a bound one, is still the one connect uses
	run "$ESOCK" --compact -v open inet stream , bind 127.0.0.1:0 , connect "127.0.0.1:$PORT" , number_of
	[ "${lines[2]}" = ok ]
	[ "${lines[3]}" = 1 ]
	# bind does not reuse a bound socket either
	run "$ESOCK" --compact -v bind 127.0.0.1:0 , bind 127.0.0.1:0 , number_of
	[ "${lines[2]}" = 2 ]
}

@test "a string or binary holding an address is taken where a sockaddr is" {
	serve socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat
	run "$ESOCK" -e '[A] = Args, {ok, S} = open(inet, stream), connect(S, A), send(S, <<"x">>), recv(S, 0, 2000).' "127.0.0.1:$PORT"
	[ "$status" -eq 0 ]
	[ "$output" = '{ok,<<"x">>}' ]
	run "$ESOCK" --compact -e "{ok, S} = open(inet6, stream), bind(S, <<\"[::1]:0\">>), {ok, #{addr := A}} = sockname(S), A."
	[ "$output" = '{0,0,0,0,0,0,0,1}' ]
	run "$ESOCK" --compact -e '{ok, U} = open(inet, dgram), sendto(U, <<"x">>, "localhost:9").'
	[ "$output" = ok ]
	run --separate-stderr "$ESOCK" --compact -e 'connect("no port here").'
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = '** exception error: {invalid,{sockaddr,"no port here"}}' ]
}
