#!/usr/bin/env bats
# socket:sendfile/2..5. esock takes a path where OTP takes a file
# handle: the same calls run in esock with the path and in erl with the
# handle file:open(Path, [read, raw]) gives, and the results (counters
# included) are compared. Peers are on 127.0.0.1, in the same script.

load helpers/common
load helpers/erl

teardown() {
	local pid
	for pid in ${PEERS:-}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

setup() {
	FILE=$BATS_TEST_TMPDIR/data.txt
	printf 'hello world\n' >"$FILE"
}

# A connected pair on loopback: C connects, A is accepted.
PAIR='{ok, L} = socket:open(inet, stream, tcp),
ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
ok = socket:listen(L),
{ok, #{port := Port}} = socket:sockname(L),
{ok, C} = socket:open(inet, stream, tcp),
ok = socket:connect(C, #{family => inet, addr => loopback, port => Port}),
{ok, A} = socket:accept(L),'

# same_sendfile 'Expr' [Path]: Expr, where FH stands for the file, with
# FH the path in esock and a raw handle of it in erl (Path: $FILE).
same_sendfile() {
	local path=${2:-$FILE} mine theirs
	mine=$(esock -e "${1//FH/\"$path\"}.") || true
	theirs=$(erl_eval "{ok, Fh} = file:open(\"$path\", [read, raw]), ${1//FH/Fh}")
	assert_same_term "$mine" "$theirs"
}

@test "sendfile sends the whole file, a part, or from an offset to the end, as OTP does" {
	same_sendfile "$PAIR [socket:sendfile(C, FH), socket:sendfile(C, FH, 3, 4),
	    socket:sendfile(C, FH, 6, 0), socket:sendfile(C, FH, 0, 100),
	    socket:sendfile(C, FH, infinity), socket:sendfile(C, FH, 0, 5, 1000),
	    socket:sendfile(C, FH, 2, 3, nowait), socket:recv(A, 0, 1000)]"
}

@test "an offset at or past the end sends nothing; a negative one is einval" {
	same_sendfile "$PAIR [socket:sendfile(C, FH, 12, 0), socket:sendfile(C, FH, 100, 0),
	    socket:sendfile(C, FH, 100, 5), socket:sendfile(C, FH, -1, 0),
	    socket:sendfile(C, FH, (1 bsl 63) - 1, 0)]"
}

@test "info counts sendfile as OTP counts it, once it has been used" {
	same_sendfile "$PAIR I = fun(S) -> maps:get(counters, socket:info(S)) end,
	    I0 = I(C), [socket:sendfile(C, FH), socket:sendfile(C, FH, 3, 4),
	    socket:sendfile(C, FH, 100, 0), socket:sendfile(C, FH, -1, 0),
	    socket:sendfile(C, FH, 0, 100), socket:sendfile(C, FH, 0, 5, nowait)],
	    {I0, I(C), I(A)}"
}

@test "sendfile on a closed, an unconnected or a shut down socket fails as in OTP" {
	same_sendfile "$PAIR {ok, T} = socket:open(inet, stream, tcp),
	    {ok, U} = socket:open(inet, dgram, udp),
	    {ok, Lo} = socket:open(local, dgram, default),
	    ok = socket:shutdown(A, write), ok = socket:close(C),
	    [socket:sendfile(X, FH) || X <- [C, T, U, Lo, A]] ++
	    [maps:get(counters, socket:info(X)) || X <- [T, U]]"
}

@test "a path that cannot be opened gives file:open's error" {
	for p in "$BATS_TEST_TMPDIR/nosuch" "$BATS_TEST_TMPDIR"; do
		mine=$(esock -e "$PAIR socket:sendfile(C, \"$p\").") || true
		assert_same_term "$mine" "$(erl_eval "file:open(\"$p\", [read, raw])")"
	done
	run esock -e "$PAIR socket:sendfile(C, \"$BATS_TEST_TMPDIR/nosuch\")."
	[ "$status" -eq 1 ]
	assert_equal "$output" "{error,enoent}"
}

@test "arguments OTP raises on raise the same, numbers past esock's range are invalid" {
	local e mine theirs
	for e in 'socket:sendfile(C, F, 0, -1)' 'socket:sendfile(C, F, a, 0)' \
	    'socket:sendfile(C, F, 0, 0, bad)'; do
		theirs=$(erl_eval "{ok, F} = file:open(\"$FILE\", [read, raw]), $PAIR try $e catch C1:E1 -> {C1, E1} end")
		mine=$(esock -e "F = \"$FILE\", $PAIR try $e catch C1:E1 -> {C1, E1} end.")
		assert_equal "$mine" "$theirs"
	done
	run esock -e "$PAIR [socket:sendfile(C, \"$FILE\", 1 bsl 64, 0), socket:sendfile(C, \"$FILE\", 0, 1 bsl 64)]."
	[ "$status" -eq 0 ]
	assert_equal "$output" '[{error,{invalid,{integer_range,18446744073709551616}}},
 {error,{invalid,{integer_range,18446744073709551616}}}]'
}

@test "a SelectInfo of another operation is returned invalid, as OTP returns it" {
	same_sendfile "$PAIR SI = {select_info, {send, 0}, make_ref()}, socket:sendfile(C, SI, 0, 0, 1000)"
}

@test "a continuation with no sendfile going is an invalid state" {
	run esock -e "$PAIR socket:sendfile(C, {select_info, sendfile, make_ref()}, 0, 0, nowait)."
	[ "$status" -eq 1 ]
	assert_equal "$output" '{error,{invalid,state}}'
}

# A file larger than the loopback buffers, and a sender with a small
# send buffer whose peer does not read until D drains what came.
BIG='{ok, L} = socket:open(inet, stream, tcp),
ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
ok = socket:setopt(L, {socket, rcvbuf}, 65536),
ok = socket:listen(L),
{ok, #{port := Port}} = socket:sockname(L),
{ok, C} = socket:open(inet, stream, tcp),
ok = socket:setopt(C, {socket, sndbuf}, 4096),
ok = socket:connect(C, #{family => inet, addr => loopback, port => Port}),
{ok, A} = socket:accept(L),
D = fun Drain(N) -> case socket:recv(A, 0, 300) of {ok, B} -> Drain(N + byte_size(B)); _ -> N end end,'

make_big() {
	BIGFILE=$BATS_TEST_TMPDIR/big.bin
	head -c 1000000 /dev/urandom >"$BIGFILE"
}

# The byte counts of a partial send depend on the kernel's buffers: the
# tests show how they add up rather than the counts.

@test "nowait: a partial send selects with the bytes sent, and the continuation sends more" {
	make_big
	# Results gather in a list: a failing command alone in a sequence
	# would end esock's.
	same_sendfile "$BIG
	    {select, {{select_info, sendfile, H1} = SI, N1}} = socket:sendfile(C, FH, 0, 0, nowait),
	    [Second, Blocking] = [socket:sendfile(C, FH, 0, 0, nowait), socket:sendfile(C, FH, 0, 0, 100)],
	    {select, {{select_info, sendfile, H2} = SI2, 0}} = socket:sendfile(C, SI, N1, 0, nowait),
	    Got = D(0),
	    Msg = receive {'\$socket', C, select, H} -> H =:= H2 andalso H =/= H1 after 5000 -> none end,
	    Cont = socket:sendfile(C, SI2, N1, 20000, 5000),
	    Rest = D(0),
	    #{sendfile_tries := Tries, sendfile_fails := Fails, sendfile_byte := Bytes} = maps:get(counters, socket:info(C)),
	    {N1 > 0, Second, Blocking, Got =:= N1, Msg, Cont, Rest, Tries, Fails, Bytes =:= N1 + 20000, socket:sendfile(C, FH, 0, 10, 1000)}" "$BIGFILE"
}

@test "a count ends the continuation where the sendfile should end" {
	make_big
	same_sendfile "$BIG
	    {select, {SI, N1}} = socket:sendfile(C, FH, 10, 100000, nowait),
	    Got = D(0),
	    receive {'\$socket', C, select, _} -> ok after 5000 -> none end,
	    {ok, N2} = socket:sendfile(C, SI, 10 + N1, 100000 - N1, 5000),
	    {N1 + N2, Got + D(0)}" "$BIGFILE"
}

@test "a timeout after part of the file went gives {timeout, BytesSent} and keeps the file, as in OTP" {
	make_big
	same_sendfile "$BIG
	    {error, {timeout, N}} = socket:sendfile(C, FH, 0, 0, 200),
	    {N > 0, D(0) =:= N, socket:sendfile(C, FH, 0, 10, 200), socket:sendfile(C, FH, 0, 10, nowait)}" "$BIGFILE"
	# esock lets a continuation send more and release the file.
	run esock -e "$BIG {error, {timeout, N}} = socket:sendfile(C, \"$BIGFILE\", 0, 0, 200),
	    _ = D(0), {ok, M} = socket:sendfile(C, {select_info, sendfile, make_ref()}, N, 20000, 5000),
	    {M, D(0), socket:sendfile(C, \"$BIGFILE\", 0, 10, 1000)}."
	assert_equal "$output" '{20000,20000,{ok,10}}'
}

@test "a nowait sendfile queued behind a send selects with its file" {
	skip_under_valgrind "the send buffer grows while valgrind runs slowly, so the send does not stay queued"
	make_big
	# The peer's buffer is full first, so that the send stays queued.
	run esock -e "$BIG
	    Fill = fun F() -> case socket:send(C, binary:copy(<<0>>, 100000), 0) of {error, timeout} -> ok; _ -> timer:sleep(20), F() end end,
	    ok = Fill(),
	    {select, {select_info, {send, 0}, SH}} = socket:send(C, <<1>>, nowait),
	    {select, {select_info, {sendfile, F}, _} = SI} = socket:sendfile(C, \"$BIGFILE\", 0, 5, nowait),
	    _ = D(0), receive {'\$socket', C, select, SH} -> ok after 5000 -> none end,
	    {F, socket:cancel(C, SI)}."
	assert_equal "$output" "{\"$BIGFILE\",ok}"
}

@test "closing the socket aborts a nowait sendfile, as in OTP" {
	make_big
	same_sendfile "$BIG
	    {select, {{select_info, sendfile, H}, _}} = socket:sendfile(C, FH, 0, 0, nowait),
	    ok = socket:close(C),
	    {receive {'\$socket', C, abort, {H, R}} -> R after 5000 -> none end,
	     socket:sendfile(C, FH)}" "$BIGFILE"
}

@test "the current socket is the one sendfile uses when none is given" {
	mine=$(esock -e "$PAIR sendfile(\"$FILE\"), socket:recv(C, 0, 1000).")
	assert_equal "$mine" '{ok,<<"hello world\n">>}'
	mine=$(esock -e "$PAIR sendfile(\"$FILE\", 6, 5), socket:recv(C, 0, 1000).")
	assert_equal "$mine" '{ok,<<"world">>}'
}

@test "a large file arrives byte for byte at a peer that reads it" {
	command -v socat >/dev/null || skip "no socat"
	make_big
	local port i
	port=$(free_port)
	timeout 30 socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" \
	    "OPEN:$BATS_TEST_TMPDIR/out,creat,trunc" &
	PEERS=$!
	# Not wait_port: socat takes one connection, the one to send on.
	for i in $(seq 1 50); do
		run esock connect "127.0.0.1:$port" , sendfile "$BIGFILE"
		[ "$output" = "{error,econnrefused}" ] || break
		sleep 0.1
	done
	assert_equal "$output" '{ok,1000000}'
	wait "$PEERS"
	cmp "$BIGFILE" "$BATS_TEST_TMPDIR/out"
}
