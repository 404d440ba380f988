#!/usr/bin/env bats
# The traffic trace (--trace, --trace=hex, trace/0,1): one line a
# transfer on stderr for send, recv, sendto, recvfrom, sendmsg, recvmsg
# and sendfile, the bytes parsed back from the term or hex dump equal to
# those sent, and stdout the same with the trace as without. Peers are
# on 127.0.0.1.

load helpers/common
load helpers/peers

setup() {
	T=$BATS_TEST_TMPDIR
	pids=()
}

teardown() {
	peers_teardown
}

# A connected TCP pair on loopback: L listens, C (#Ref<0.0.0.2>) is the
# client and S (#Ref<0.0.0.3>) the accepted end.
TCP='{ok, L} = open(inet, stream), bind(L, 127.0.0.1:0), listen(L),
{ok, A} = sockname(L), {ok, C} = open(inet, stream), connect(C, A),
{ok, S} = accept(L).'

# Two datagram sockets on loopback: U1 (#Ref<0.0.0.1>, address A1) and
# U2 (#Ref<0.0.0.2>).
UDP='{ok, U1} = open(inet, dgram), bind(U1, 127.0.0.1:0),
{ok, A1} = sockname(U1), {ok, U2} = open(inet, dgram),
bind(U2, 127.0.0.1:0).'

# The term trace on stdin with each Ms as MS.
no_ms() {
	sed -E 's/^\{trace,[0-9]+,/{trace,MS,/'
}

# The bytes 0 to 255 into a file.
all_bytes() {
	local i
	for i in $(seq 0 255); do
		printf "\\x$(printf %02x "$i")"
	done >"$1"
}

# hex_bytes TRACE DIR OUT: the bytes of the hex dump's > (out) or < (in)
# blocks, in order, into OUT.
hex_bytes() {
	awk -v d="$2" '/^[<>] / { on = ($1 == d); next } on' "$1" |
	    xxd -r -p >"$3"
}

@test "term mode traces send and recv on TCP as one line each, on stderr" {
	esock -e "$TCP
trace(on).
send(C, <<\"GET / HTTP/1.0\\r\\n\">>), recv(S, 0, 1000)." \
	    >"$T/out" 2>"$T/err"
	assert_equal "$(no_ms <"$T/err")" \
"{trace,MS,{'\$socket',#Ref<0.0.0.2>},out,<<\"GET / HTTP/1.0\\r\\n\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.3>},in,<<\"GET / HTTP/1.0\\r\\n\">>}"
	! grep -q trace "$T/out"
}

@test "Ms counts milliseconds since esock started" {
	esock -e "$TCP
sleep(300), trace(on), send(C, <<\"x\">>)." >/dev/null 2>"$T/err"
	ms=$(sed -E 's/^\{trace,([0-9]+),.*/\1/' "$T/err")
	[ "$ms" -ge 300 ] && [ "$ms" -lt 10000 ]
}

@test "all 256 byte values parse back from the term trace byte for byte" {
	all_bytes "$T/want"
	esock -e "$TCP
trace(on).
Data = list_to_binary(lists:seq(0, 255)),
ok = send(C, Data), {ok, Data} = recv(S, 256, 1000),
ok = send(S, Data), {ok, Data} = recv(C, 256, 1000)." \
	    >/dev/null 2>"$T/err"
	[ "$(wc -l <"$T/err")" -ge 4 ]
	escript "$TESTS_DIR/helpers/tracebytes.escript" "$T/err" "$T/o" "$T/i"
	# each direction carried the data twice: sent, then received
	cat "$T/want" "$T/want" >"$T/twice"
	cmp "$T/o" "$T/twice"
	cmp "$T/i" "$T/twice"
}

@test "hex mode dumps each transfer as socat -x does, 16 bytes a line" {
	all_bytes "$T/want"
	esock -e "$TCP
trace(hex).
Data = list_to_binary(lists:seq(0, 255)),
ok = send(C, Data), {ok, Data} = recv(S, 256, 1000)." \
	    >/dev/null 2>"$T/err"
	head -1 "$T/err" | grep -Eq \
	    "^> [0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}  length=256 from=0 to=255  \{'\\\$socket',#Ref<0\.0\.0\.2>\}$"
	sed -n 2p "$T/err" | grep -qx ' 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f'
	sed -n 17p "$T/err" | grep -qx ' f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff'
	grep -Eq '^< .*  length=256 from=0 to=255  ' "$T/err"
	hex_bytes "$T/err" '>' "$T/o"
	hex_bytes "$T/err" '<' "$T/i"
	cmp "$T/o" "$T/want"
	cmp "$T/i" "$T/want"
}

@test "hex mode's from and to count on across transfers, per socket and direction" {
	head -c 100000 /dev/urandom >"$T/want"
	esock -e "$TCP
trace(hex).
ok = send(C, <<\"abc\">>), {ok, <<\"abc\">>} = recv(S, 3, 1000),
Path = \"$T/want\", {ok, 100000} = sendfile(C, Path),
{ok, _} = recv(S, 100000, 5000)." >/dev/null 2>"$T/err"
	grep -q '^> .*  length=3 from=0 to=2  ' "$T/err"
	# every header starts where the one before in its direction ended
	awk '/^[<>] / {
		split($4, l, "="); split($5, f, "="); split($6, t, "=")
		if (f[2] != n[$1] + 0 || t[2] != f[2] + l[2] - 1) bad = 1
		n[$1] = t[2] + 1
	} END { exit bad || n[">"] != 100003 || n["<"] != 100003 }' "$T/err"
	hex_bytes "$T/err" '>' "$T/o"
	hex_bytes "$T/err" '<' "$T/i"
	printf abc | cat - "$T/want" >"$T/all"
	cmp "$T/o" "$T/all"
	cmp "$T/i" "$T/all"
}

@test "--trace in the argv chain traces a client's exchange with a socat echo server" {
	port=$(free_port)
	timeout 20 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr EXEC:cat &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr esock --trace connect "127.0.0.1:$port" , \
	    send 'PING\r\n' , recv 6 2000
	[ "$status" -eq 0 ]
	assert_equal "$(no_ms <<<"$stderr")" \
"{trace,MS,{'\$socket',#Ref<0.0.0.1>},out,<<\"PING\\r\\n\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.1>},in,<<\"PING\\r\\n\">>}"
	assert_equal "$output" '{ok,<<"PING\r\n">>}'
}

@test "--trace=hex in the argv chain dumps the exchange in hex" {
	port=$(free_port)
	timeout 20 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr EXEC:cat &
	pids+=($!)
	wait_listen "$port"
	run --separate-stderr esock --trace=hex connect "127.0.0.1:$port" , \
	    send 'PING\r\n' , recv 6 2000
	[ "$status" -eq 0 ]
	assert_equal "$(sed -E 's/^([<>]) [0-9/]+ [0-9:.]+  /\1 T  /' <<<"$stderr")" \
"> T  length=6 from=0 to=5  {'\$socket',#Ref<0.0.0.1>}
 50 49 4e 47 0d 0a
< T  length=6 from=0 to=5  {'\$socket',#Ref<0.0.0.1>}
 50 49 4e 47 0d 0a"
}

@test "trace() tells the mode, trace(off) stops the trace, a bad mode is an error" {
	run --separate-stderr esock -e "$TCP
trace().
trace(on), send(C, <<\"one\">>), trace().
trace(hex), trace().
trace(off), send(C, <<\"two\">>), recv(S, 6, 1000).
trace().
trace(loud)."
	[ "$status" -eq 1 ]
	assert_equal "$(sed -n '2,5p;7p' <<<"$output")" "off
on
hex
{ok,<<\"onetwo\">>}
{error,{invalid,{trace,loud}}}"
	assert_equal "$(no_ms <<<"$stderr")" \
	    "{trace,MS,{'\$socket',#Ref<0.0.0.2>},out,<<\"one\">>}"
	run esock --trace=loud -e 'ok.'
	[ "$status" -eq 2 ]
	[[ $output == *"--trace takes off, on, hex, not loud"* ]]
}

@test "udp sendto and recvfrom are traced on each socket" {
	esock -e "$UDP
trace(on).
ok = sendto(U2, <<\"ping\">>, A1), {ok, {_, <<\"ping\">>}} = recvfrom(U1, 0, 1000)." \
	    >/dev/null 2>"$T/err"
	assert_equal "$(no_ms <"$T/err")" \
"{trace,MS,{'\$socket',#Ref<0.0.0.2>},out,<<\"ping\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.1>},in,<<\"ping\">>}"
}

@test "sendmsg traces all of its iov as one transfer, recvmsg what came" {
	esock -e "$UDP
trace(on).
ok = sendmsg(U2, #{addr => A1, iov => [<<\"hello\">>, <<\" \">>, <<\"world\">>]}),
{ok, #{iov := [<<\"hello world\">>]}} = recvmsg(U1, 0, 0, [], 1000).
trace(off).
$TCP
trace(on).
ok = sendmsg(C, #{iov => [<<\"ab\">>, <<\"cd\">>]}),
{ok, #{iov := [<<\"abcd\">>]}} = recvmsg(S, 4, 0, [], 1000)." \
	    >/dev/null 2>"$T/err"
	assert_equal "$(no_ms <"$T/err")" \
"{trace,MS,{'\$socket',#Ref<0.0.0.2>},out,<<\"hello world\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.1>},in,<<\"hello world\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.4>},out,<<\"abcd\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.5>},in,<<\"abcd\">>}"
}

@test "a nowait recv that completes later is traced once, when it completes" {
	esock -e "$TCP
trace(on).
{select, {select_info, recv, H}} = recv(S, 0, nowait).
ok = send(C, <<\"late\">>).
{'\$socket', S, select, H} = receive(2000).
{ok, <<\"late\">>} = recv(S, 0, nowait)." >/dev/null 2>"$T/err"
	assert_equal "$(no_ms <"$T/err")" \
"{trace,MS,{'\$socket',#Ref<0.0.0.2>},out,<<\"late\">>}
{trace,MS,{'\$socket',#Ref<0.0.0.3>},in,<<\"late\">>}"
}

@test "sendfile traces the bytes of the file region it sent" {
	all_bytes "$T/want"
	esock -e "$TCP
trace(on).
Path = \"$T/want\", {ok, 256} = sendfile(C, Path),
{ok, _} = recv(S, 256, 1000),
{ok, 10} = sendfile(C, Path, 100, 10, 1000),
{ok, _} = recv(S, 10, 1000)." >/dev/null 2>"$T/err"
	escript "$TESTS_DIR/helpers/tracebytes.escript" "$T/err" "$T/o" "$T/i"
	{ cat "$T/want"; tail -c +101 "$T/want" | head -c 10; } >"$T/sent"
	cmp "$T/o" "$T/sent"
	cmp "$T/i" "$T/sent"
}

@test "stdout is the same with the trace as without" {
	script="$TCP
send(C, <<\"hello\">>), recv(S, 0, 1000).
{ok, U} = open(inet, dgram), bind(U, 127.0.0.1:0), {ok, UA} = sockname(U),
sendto(U, <<1,2,3>>, UA), {ok, {UA, D}} = recvfrom(U, 0, 1000), D."
	esock -e "$script" >"$T/plain" 2>"$T/plain_err"
	esock --trace -e "$script" >"$T/traced" 2>"$T/traced_err"
	esock --trace=hex -e "$script" >"$T/hex" 2>"$T/hex_err"
	[ -s "$T/plain" ]
	[ ! -s "$T/plain_err" ]
	diff "$T/plain" "$T/traced"
	diff "$T/plain" "$T/hex"
	[ "$(wc -l <"$T/traced_err")" -eq 4 ]
	[ "$(grep -c '^[<>] ' "$T/hex_err")" -eq 4 ]
}

@test "trace lines and results interleave in order in one file" {
	esock --trace -e "$TCP
send(C, <<\"a\">>).
recv(S, 0, 1000)." >"$T/both" 2>&1
	assert_equal "$(no_ms <"$T/both" | tail -4)" \
"{trace,MS,{'\$socket',#Ref<0.0.0.2>},out,<<\"a\">>}
ok
{trace,MS,{'\$socket',#Ref<0.0.0.3>},in,<<\"a\">>}
{ok,<<\"a\">>}"
}
