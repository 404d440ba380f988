#!/usr/bin/env bats
# The Erlang expressions of the language, each run in esock and in erl
# and compared: case, receive, if, begin, funs, try and catch, operators,
# comprehensions, exceptions as the Erlang shell prints them, the socket
# API tour's own examples, and malformed input.

load helpers/common
load helpers/erl

@test "every expression in lang.txt gives erl's value, bindings carried" {
	same_lines_as_erl "$DATA_DIR/lang.txt"
}

@test "operators on integers of any size and floats: arith.txt as erl's shell gives it, exceptions too" {
	FRESH=1 same_shell_as_erl "$DATA_DIR/arith.txt"
}

@test "a map update that fails reports erl_eval's call: maps:put for a base that is no map, maps:update for a := key not there" {
	local input='(1)#{a => 1}.
X = 5, X#{b => 2, c => 3}.
M = #{}, M#{a := 1, b := 2}.
M2 = #{a => 1}, M2#{a := 2, b => 3, c := 4}.
M4 = #{1 => a}, M4#{1.0 := b}.
erlang:raise(error, x, []).'
	run --separate-stderr esock -k <<<"$input"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "$(erl_shell_errors "$input")"
}

@test "maps: functions a bad argument is explained for as erl_stdlib_errors explains it" {
	local input='maps:filtermap(fun(K) -> true end, #{a => 1}).
maps:filtermap(fun(K, V) -> true end, x).
maps:foreach(fun(K, V) -> ok end, []).
maps:from_keys([a|b], 0).
maps:intersect(x, y).
maps:intersect_with(fun(K, A) -> A end, #{a => 1}, #{a => 2}).
maps:merge_with(fun(K, A, B) -> A end, #{}, 3).
maps:groups_from_list(fun(X) -> X end, x).
maps:groups_from_list(fun(X) -> X end, x, [1]).'
	run --separate-stderr esock -k <<<"$input"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "$(erl_shell_errors "$input")"
}

@test "library functions: every line of bif.txt gives erl's value" {
	FRESH=1 same_lines_as_erl "$DATA_DIR/bif.txt"
}

@test "library functions given a bitstring: every line of bif_bits.txt gives erl's value" {
	FRESH=1 same_lines_as_erl "$DATA_DIR/bif_bits.txt"
}

@test "a bitstring where a binary is wanted raises as the Erlang shell explains it" {
	input='binary:part(<<1,2,3:4>>, 0, 3).
binary:at(<<1:3>>, a).
binary:match(<<1,2>>, [<<2>>, <<3:4>>]).
binary:replace(<<1,2>>, <<2>>, <<9:4>>, [foo]).
binary:replace(<<1,2:4>>, <<2>>, <<1>>, [foo]).
binary_part(<<1,2,3:4>>, {2, a}).
binary_to_list(<<1,2,3:4>>, 2, 1).
split_binary(<<1,2,3:4>>, -1).
binary_to_integer(<<"12", 1:1>>, 99).
binary_to_atom(<<"ab", 1:1>>, foo).
bitstring_to_list(a).
list_to_bitstring([1, a]).
iolist_to_binary([1 | <<1:3>>]).
io:format(<<"ab", 1:2>>).
io:format("~s ~s~n", [<<"ab", 1:2>>, <<"ab", 1:2>>]).
io:put_chars(<<"ab", 1:2>>).
error({badarg, <<1:3>>}).'
	run esock -k <<<"$input"
	[ "$status" -eq 1 ]
	assert_equal "$output" "$(erl_shell "$input")"
}

@test "bit syntax: every line of bits.txt builds and matches as erl does" {
	FRESH=1 same_lines_as_erl "$DATA_DIR/bits.txt"
}

@test "bad segment specifiers are erl's compile errors, with line and column" {
	input='<<1:8/utf8>>.
<<1:4/unit:300>>.
<<1/unit:8>>.
<<1/foo>>.'
	run --separate-stderr esock -k <<<"$input"
	[ "$status" -eq 2 ]
	assert_equal "$(sed 's/^esock: -:[0-9]*:/* 1:/' <<<"$stderr")" "$(erl_shell "$input")"
}

@test "uncaught exceptions print as the Erlang shell prints them" {
	input='X = 1, 2 = X.
case 3 of 1 -> a end.
if false -> a end.
1 + a.
-a.
element(5, {a}).
F = fun(1) -> a end, F(2).
foo:bar(1).
foo(1).
throw(x).
exit(y).
error({a, b}).
(fun(A) -> A end)(1, 2).
Z = 5, Z(1).
try 3 of 4 -> ok catch _ -> x end.
not 3.
true and 1.
[X || X <- a].
[X || X <- [1], X].
[X || X <- [1], is_atom(foo(X))].
error({badarg, a}).
error({badarith, a}).
io:format("~s ~s~n", [1, 2]).
foo ! hi.'
	run esock -k <<<"$input"
	[ "$status" -eq 1 ]
	assert_equal "$output" "$(erl_shell "$input")"
}

@test "an exception in a script exits 1 after the results before it" {
	run --separate-stderr esock -e '1 + 1.
1 + a.
3.'
	[ "$status" -eq 1 ]
	[ "$output" = 2 ]
	[[ "$stderr" == "** exception error: an error occurred"* ]]
}

@test "bindings made by a line that raises are taken back, earlier ones stay" {
	run --separate-stderr esock -k <<<'A = 1.
B = 2, 1 = 2.
{A, B}.'
	[[ "$stderr" == *"variable 'B' is unbound"* ]]
	run --separate-stderr esock -k <<<'A = 1.
B = 2, 1 = 2.
A.'
	[ "$output" = "$(printf '1\n1')" ]
}

@test "a case, fun or receive spans lines in a script; a trailing comma continues" {
	cat >"$BATS_TEST_TMPDIR/s.esock" <<-'EOS'
	F = fun
	  (0) -> zero;
	  (N) when N > 0 ->
	    positive
	end,
	R = case F(3) of
	  positive -> yes;
	  _ -> no
	end,
	self() ! {msg, R}.
	receive
	  {msg, V} -> V
	after 1000 ->
	  timeout
	end.
	EOS
	run esock -f "$BATS_TEST_TMPDIR/s.esock"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '{msg,yes}\nyes')" ]
}

@test "a fun loops a million times in constant stack (tail calls)" {
	run esock -e 'L = fun Lp(0, A) -> A; Lp(N, A) -> Lp(N - 1, A + 1) end, L(1000000, 0).'
	[ "$status" -eq 0 ]
	[ "$output" = 1000000 ]
}

@test "deep non-tail recursion ends in system_limit, not a crash" {
	run --separate-stderr esock -e 'F = fun G(0) -> 0; G(N) -> 1 + G(N - 1) end, F(100000000).'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"system limit"* ]]
	run --separate-stderr esock -e 'F = fun G(0) -> [0]; G(N) -> hd(lists:map(fun(_) -> G(N - 1) end, [x])) end, F(100000000).'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"system limit"* ]]
	# Sanitizers' frames are larger: a depth every build reaches.
	run esock -e 'F = fun G(0) -> 0; G(N) -> 1 + G(N - 1) end, F(30000).'
	[ "$output" = 30000 ]
}

# tour_script PREFIX DEST END: the socket API tour's three connect
# examples to DEST (Dest0 is the listener's address), for esock (PREFIX
# empty) or erl (PREFIX socket:), the last line ended with END.
tour_script() {
	local m=$1 dest=$2
	cat <<-EOS
	{ok, L} = ${m}open(inet, stream),
	ok = ${m}bind(L, #{family => inet, addr => loopback, port => 0}),
	ok = ${m}listen(L),
	{ok, Dest0} = ${m}sockname(L),
	Dest = $dest,
	{ok, S} = ${m}open(inet, stream),
	R1 = case ${m}connect(S, Dest, 5000) of
	  ok -> done;
	  {error, timeout} -> timeout;
	  {error, _} = E -> E
	end,
	{ok, S2} = ${m}open(inet, stream),
	R2 = case ${m}connect(S2, Dest, nowait) of
	  ok -> done;
	  {error, _} = E1 -> E1;
	  {select, {select_info, _, SH} = _SI} ->
	    receive
	      {'\$socket', S2, select, SH} ->
	        case ${m}connect(S2) of
	          ok -> done;
	          {error, _} = E2 -> E2
	        end
	    end
	end,
	{ok, S3} = ${m}open(inet, stream),
	SH3 = make_ref(),
	R3 = case ${m}connect(S3, Dest, SH3) of
	  ok -> done;
	  {error, _} = E3 -> E3;
	  {select, _SelectInfo} ->
	    receive
	      {'\$socket', S3, select, SH3} ->
	        case ${m}connect(S3) of ok -> done; {error, _} = E4 -> E4 end
	    end
	end,
	{R1, R2, R3}$3
	EOS
}

@test "the tour's three connect examples run verbatim against a listener" {
	tour_script "" 'Dest0' . >"$BATS_TEST_TMPDIR/t.esock"
	run esock -f "$BATS_TEST_TMPDIR/t.esock"
	[ "$status" -eq 0 ]
	theirs=$(erl_run "$(tour_script socket: Dest0 ,) io:format(\"~p~n\", [{R1, R2, R3}]).")
	[ "$output" = "$theirs" ]
	[ "$output" = "{done,done,done}" ]
}

@test "the tour's three connect examples against a refused port give erl's results" {
	port=$(free_port)
	dest="#{family => inet, addr => loopback, port => $port}"
	tour_script "" "$dest" . >"$BATS_TEST_TMPDIR/t.esock"
	run esock -f "$BATS_TEST_TMPDIR/t.esock"
	theirs=$(erl_run "$(tour_script socket: "$dest" ,) io:format(\"~p~n\", [{R1, R2, R3}]).")
	[ "$output" = "$theirs" ]
}

@test "malformed input is a syntax error with line and column, never a crash" {
	run --separate-stderr esock -e 'case 1 of 1 -> a'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:"* ]]
	run --separate-stderr esock -e '<<1/foo>>.'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:3: bit type foo undefined"* ]]
	run --separate-stderr esock -e 'fun (A) -> a; (A, B) -> b end.'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:15: head mismatch"* ]]
	{ printf 'begin\n%.0s' $(seq 1 10000); echo 1; printf 'end\n%.0s' $(seq 1 10000); } >"$BATS_TEST_TMPDIR/deep"
	run --separate-stderr esock -f "$BATS_TEST_TMPDIR/deep"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *":1001:1: nesting deeper than 1000"* ]]
	same_syntax_error_as_erl 'X = <<1:-1>>.'
	same_syntax_error_as_erl 'F = 1, fun F/1.'
}

@test "a segment that cannot hold its value is explained as erl explains it" {
	input='<<a:8>>.
<<a/float>>.
<<(<<1>>):16/binary>>.
<<16#110000/utf8>>.
S = -1, <<1:S>>.
<<1.5:8>>.
<<(<<1:3>>)/binary>>.
<<1:a>>.
<<1:3/binary>>.
<<"ab", a>>.
<<a/utf16>>.'
	run --separate-stderr esock -k <<<"$input"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "$(erl_shell_errors "$input")"
}

@test "receive takes the oldest matching message and leaves the rest in order" {
	same_as_erl 'self() ! a, self() ! b, self() ! c, B = receive b -> b end, [B, receive M1 -> M1 end, receive M2 -> M2 end].' \
	    'self() ! a, self() ! b, self() ! c, B = receive b -> b end, [B, receive M1 -> M1 end, receive M2 -> M2 end]'
	run esock -e 'receive x -> x after 50 -> timed_out end.'
	[ "$output" = timed_out ]
}

@test "a select message arrives in receive while it waits on the event loop" {
	run esock -e '{ok, L} = open(inet, stream), ok = bind(L, #{family => inet, addr => loopback, port => 0}), ok = listen(L), {select, {select_info, accept, H}} = accept(L, nowait), {ok, A} = sockname(L), {ok, C} = open(inet, stream), ok = connect(C, A), receive {'"'"'$socket'"'"', L, select, H} -> got after 2000 -> none end.'
	[ "$status" -eq 0 ]
	[ "$output" = got ]
}

@test "socket: and net: calls work inside any expression and their results match" {
	run esock -e '[Fam || #{family := Fam} <- element(2, net:getaddrinfo("localhost", "80")), Fam =:= inet].'
	[ "$status" -eq 0 ]
	[[ "$output" == "[inet"* ]]
	run esock -e 'case socket:open(inet, dgram) of {ok, S} -> socket:close(S) end.'
	[ "$output" = ok ]
}

@test "the argv chain takes expressions beside commands" {
	run esock 'X = lists:seq(1, 5)' , 'lists:sum(X)'
	[ "$status" -eq 0 ]
	[ "$output" = 15 ]
	run esock open inet stream , 'case socket:close(element(2, ok_or({ok, x}))) of _ -> done end'
	[ "$status" -eq 1 ]
	[[ "$output" == *"undefined shell command ok_or/1"* ]]
	run esock nosuchcommand
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command: nosuchcommand"* ]]
}

@test "the tour's examples run as one -e argument too" {
	run esock -e "$(tour_script "" 'Dest0' .)"
	[ "$status" -eq 0 ]
	[ "$output" = "{done,done,done}" ]
}

@test "a line a script repeats runs again with its own line number in errors" {
	printf 'Y = 1.\nY.\nf(Y).\nY.\n' >"$BATS_TEST_TMPDIR/rep.esock"
	run --separate-stderr esock -f "$BATS_TEST_TMPDIR/rep.esock"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '1\n1\nok')" ]
	[[ "$stderr" == *"rep.esock:4:1: variable 'Y' is unbound"* ]]
}

@test "a map update or pattern with many := pairs works as in erl" {
	keys=$(seq 0 39 | sed 's/.*/k& => &/' | paste -sd, -)
	upd=$(seq 0 34 | sed 's/.*/k& := 1&/' | paste -sd, -)
	pat=$(seq 0 34 | sed 's/.*/k& := _/' | paste -sd, -)
	t="M = #{$keys}, M2 = M#{$upd}, #{$pat, k34 := X} = M2, {X, maps:size(M2)}"
	same_as_erl "$t." "$t"
}

@test "os:cmd gives the command's output as erl does; os:getpid is esock's pid" {
	same_as_erl 'os:cmd("echo hé; printf x >&2; exit 3").' 'os:cmd("echo hé; printf x >&2; exit 3")'
	same_as_erl 'os:cmd("printf \"a\\377b\\303\\251\"").' 'os:cmd("printf \"a\\377b\\303\\251\"")'
	same_as_erl "os:cmd('true')." "os:cmd('true')"
	run esock -e 'os:getpid() =:= os:cmd("printf $PPID").'
	[ "$output" = true ]
	same_exception_as_erl 'os:cmd(1).'
	same_exception_as_erl 'os:cmd([1 | x]).'
}
