#!/usr/bin/env bats
# The nowait model: select results, select and abort messages, the
# mailbox (receive, flush), cancel, and the per-socket queues. Each test
# runs one script in esock and in erl and compares the sequence of
# terms (references and ports normalised); where OTP needs a second
# process to queue a request, the erl side is written out with a helper
# process that forwards its messages.

load helpers/common
load helpers/erl
load helpers/scenario

# A listener L on loopback with its address A, a client C connected to
# it and the accepted D.
PAIR='{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
connect(C, A).
{ok, D} = accept(L).'

@test "nowait connect to a listening port: select, message, connect/1, accept" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
{select, {select_info, connect, H}} = connect(C, A, nowait).
info(C).
{'"'"'$socket'"'"', C, select, H} = receive(2000).
connect(C).
{ok, D} = accept(L).
peername(C).
info(C).'
}

@test "nowait connect to a closed port: the message, then connect/1 gives econnrefused" {
	same_scenario '{ok, T} = open(inet, stream).
bind(T, #{family => inet, addr => loopback, port => 0}).
{ok, TA} = sockname(T).
close(T).
{ok, C} = open(inet, stream).
{select, {select_info, connect, H}} = connect(C, TA, nowait).
{'"'"'$socket'"'"', C, select, H} = receive(2000).
connect(C).
receive(100).'
}

@test "connect with a user reference: the reference is the select handle" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
Ref = make_ref().
{select, {select_info, connect, Ref}} = connect(C, A, Ref).
{'"'"'$socket'"'"', C, select, Ref} = receive(2000).
connect(C).'
}

@test "accept nowait before the client connects: select, message, accept" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{select, {select_info, accept, H}} = accept(L, nowait).
info(L).
receive(100).
{ok, C} = open(inet, stream).
connect(C, A).
{'"'"'$socket'"'"', L, select, H} = receive(2000).
{ok, D} = accept(L, nowait).
accept(L, 0).
info(L).'
}

@test "recv nowait with and without data, and a short read's partial select" {
	same_scenario "$PAIR"'
{select, {select_info, recv, H}} = recv(D, 0, nowait).
send(C, <<"hello">>).
{'"'"'$socket'"'"', D, select, H} = receive(2000).
recv(D, 0, nowait).
send(C, <<"data">>).
sleep(100).
recv(D, 0, nowait).
send(C, <<"abc">>).
sleep(100).
{select, {{select_info, recv, H2}, <<"abc">>}} = recv(D, 10, nowait).
receive(100).
send(C, <<"defg">>).
{'"'"'$socket'"'"', D, select, H2} = receive(2000).
recv(D, 4, nowait).
recvfrom(D, 0, nowait).
receive(100).
info(D).'
}

@test "cancel withdraws a request: ok, then invalid, and no message comes" {
	same_scenario "$PAIR"'
{select, SI} = recv(D, 0, nowait).
cancel(D, SI).
cancel(D, SI).
cancel(C, SI).
send(C, <<"x">>).
receive(200).
recv(D, 0, nowait).
{select, SA} = accept(L, nowait).
cancel(L, SA).
info(L).
info(D).'
}

@test "close with a request pending delivers abort; cancel then gives closed" {
	same_scenario "$PAIR"'
{select, {select_info, recv, H}} = recv(D, 0, nowait).
close(D).
{'"'"'$socket'"'"', D, abort, {H, closed}} = receive(2000).
receive(100).
cancel(D, {select_info, recv, H}).
{select, SA} = accept(L, nowait).
close(L).
receive(1000).'
}

@test "a notified request hears nothing more when its socket closes" {
	same_scenario "$PAIR"'
{select, {select_info, recv, H}} = recv(D, 0, nowait).
send(C, <<"x">>).
{'"'"'$socket'"'"', D, select, H} = receive(2000).
close(D).
receive(200).'
}

@test "the mailbox keeps messages in order of arrival; flush prints and drops them" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{select, _} = accept(L, nowait).
{ok, C1} = open(inet, stream).
{select, _} = connect(C1, A, nowait).
sleep(300).
flush().
flush().
receive(0).'
}

@test "flush prints each message after 'Shell got ', wrapped as erl's shell wraps it" {
	out=$(esock -e '{ok, L} = open(inet, stream), bind(L, #{family => inet, addr => loopback, port => 0}), listen(L), {ok, A} = sockname(L), {select, _} = accept(L, nowait), {ok, C} = open(inet, stream), connect(C, A), sleep(200), flush().')
	theirs=$(erl_run '{ok, L} = socket:open(inet, stream), socket:bind(L, #{family => inet, addr => loopback, port => 0}), socket:listen(L), {ok, A} = socket:sockname(L), {select, _} = socket:accept(L, nowait), {ok, C} = socket:open(inet, stream), socket:connect(C, A), timer:sleep(200), io:format("~p~n", [c:flush()]).')
	# erl's references are longer, so lines break elsewhere: compare
	# the words.
	assert_equal "$(norm <<<"$out" | tr -d ' \n')" \
		"$(norm <<<"$theirs" | tr -d ' \n')"
	[[ "$out" == "Shell got {'\$socket',{'\$socket',#Ref<0.0.0."* ]]
}

@test "a second nowait recv takes over the first, as the same process's call does in OTP" {
	mine=$(esock_script "$PAIR"'
{select, {select_info, recv, H1}} = recv(D, 0, nowait).
{select, {select_info, recv, H2}} = recv(D, 0, nowait).
info(D).
cancel(D, {select_info, recv, H1}).
send(C, <<"one">>).
{'"'"'$socket'"'"', D, select, H2} = receive(2000).
receive(200).
recv(D, 0, nowait).
recv(D, 0, nowait).
receive(200).
info(D).')
	theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$PAIR" | to_erl | sed '$ s/\.$/,/')
{select, {select_info, recv, H1}} = R(socket:recv(D, 0, nowait)),
{select, {select_info, recv, H2}} = R(socket:recv(D, 0, nowait)),
R(I(D)),
R(socket:cancel(D, {select_info, recv, H1})),
R(socket:send(C, <<\"one\">>)),
{'\$socket', D, select, H2} = R(Rcv(2000)),
R(Rcv(200)),
R(socket:recv(D, 0, nowait)),
R(socket:recv(D, 0, nowait)),
R(Rcv(200)),
R(I(D)).")
	assert_equal "$(norm <<<"$mine")" "$(norm <<<"$theirs")"
}

@test "nowait accepts and recvs called again, cancelled, aborted or taken over by a blocking call, as in OTP" {
	FRESH=1 same_lines_as_erl "$BATS_TEST_DIRNAME/data/nowait_again.txt" -k
}

@test "send nowait fills the socket buffer until select, then the message says there is room" {
	big=$(head -c 60000 /dev/zero | tr '\0' a)
	mine=$(esock_script "$PAIR"'
setopt(C, socket, sndbuf, 4096).
B = <<"'"$big"'">>, ok.
{select, {{select_info, {send, 0}, H}, Rest}} = send(C, B, nowait), ok.
send(C, <<"queued">>, nowait), ok.
{ok, _} = recv(D, 0, 2000), ok.
{'"'"'$socket'"'"', C, select, H} = receive(5000), ok.')
	theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$PAIR" | to_erl | sed '$ s/\.$/,/')
R(socket:setopt(C, socket, sndbuf, 4096)),
B = binary:copy(<<\"a\">>, 60000), R(ok),
{select, {{select_info, {send, 0}, H}, Rest}} = socket:send(C, B, nowait), R(ok),
R(ok),
{ok, _} = socket:recv(D, 0, 2000), R(ok),
{'\$socket', C, select, H} = Rcv(5000), R(ok).")
	assert_equal "$(norm <<<"$mine")" "$(norm <<<"$theirs")"
}

# pairs_script N: N connected pairs (2N sockets), each socket with a
# nowait recv pending, then the atom ready, then a long sleep.
pairs_script() {
	cat <<EOS
{ok, L} = open(inet, stream).
ok = bind(L, #{family => inet, addr => loopback, port => 0}).
ok = listen(L, 4096).
{ok, A} = sockname(L).
EOS
	for _ in $(seq "$1"); do
		echo 'f(C), f(D), {ok, C} = open(inet, stream), ok = connect(C, A), {ok, D} = accept(L), {select, _} = recv(D, 0, nowait), {select, _} = recv(C, 0, nowait), ok.'
	done
	echo 'number_of().'
	echo 'ready.'
	echo 'sleep(30000).'
}

@test "10,000 sockets with a nowait request each live in under 20 MiB RSS" {
	skip_under_valgrind "the RSS is valgrind's"
	[ "$(ulimit -Hn)" -ge 10100 ] || skip "hard RLIMIT_NOFILE $(ulimit -Hn) is below 10,100"
	# AddressSanitizer's shadow memory says nothing of esock's own use;
	# the plain builds (epoll and poll) measure it.
	! grep -q __asan_init "$ESOCK" || skip "RSS is not esock's own under AddressSanitizer"
	pairs_script 5000 >"$BATS_TEST_TMPDIR/pairs.esock"
	"$ESOCK" -f "$BATS_TEST_TMPDIR/pairs.esock" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 600); do
		grep -q '^ready$' "$BATS_TEST_TMPDIR/out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q '^10001$' "$BATS_TEST_TMPDIR/out" || {
		tail -n 5 "$BATS_TEST_TMPDIR/out" >&2
		return 1
	}
	echo "VmRSS ${rss} kB" >&2
	[ -n "$rss" ] && [ "$rss" -lt $((20 * 1024)) ]
}

@test "a descriptor limit below the hard limit is raised: 3,000 sockets under ulimit -Sn 1024" {
	skip_under_valgrind "valgrind keeps descriptors of its own below the limit"
	[ "$(ulimit -Hn)" -ge 3100 ] || skip "hard RLIMIT_NOFILE $(ulimit -Hn) is below 3,100"
	pairs_script 1500 | sed '$d' >"$BATS_TEST_TMPDIR/pairs.esock"
	run bash -c "ulimit -Sn 1024 && exec '$ESOCK' -q -f '$BATS_TEST_TMPDIR/pairs.esock'"
	[ "$status" -eq 0 ]
}

@test "requests still pending at exit are dropped cleanly, with exit status 0" {
	run esock -e '{ok, L} = open(inet, stream), bind(L, 127.0.0.1:0), listen(L), {ok, A} = sockname(L), {select, _} = accept(L, nowait), {ok, C} = open(inet, stream), {select, _} = connect(C, A, nowait), {ok, D} = accept(L), {select, _} = recv(D, 0, nowait), ok.'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}
