#!/usr/bin/env bats
# The term printer and parser against the real Erlang: every term in
# data/terms.txt must print exactly as io:format("~p~n") prints it.

load helpers/common
load helpers/erl

# Prints each term of a file as esock does, with a marker line after each.
esock_terms() {
	local script=$BATS_TEST_TMPDIR/terms.esock
	while IFS= read -r line; do
		printf '%s.\n%s\n' "$line" "'----'."
	done <"$1" >"$script"
	esock "${@:2}" -f "$script"
}

erl_terms() {
	erl_run "{ok, B} = file:read_file(\"$1\"),
	Lines = [L || L <- string:split(unicode:characters_to_list(B), \"\\n\", all), L =/= \"\"],
	lists:foreach(fun(L) ->
		{ok, T, _} = erl_scan:string(L ++ \".\"),
		{ok, Term} = erl_parse:parse_term(T),
		io:format(\"~p~n'----'~n\", [Term])
	end, Lines)."
}

@test "every term in terms.txt prints byte for byte as erl's ~p" {
	[ "$(grep -c . "$DATA_DIR/terms.txt")" -ge 120 ]
	mine=$(esock_terms "$DATA_DIR/terms.txt")
	theirs=$(erl_terms "$DATA_DIR/terms.txt")
	assert_equal "$mine" "$theirs"
}

@test "a good share of terms.txt wraps across lines, as erl wraps them" {
	theirs=$(erl_terms "$DATA_DIR/terms.txt")
	wrapped=$(printf '%s\n' "$theirs" | awk '/^'"'"'----'"'"'$/ { if (n > 1) w++; n = 0; next } { n++ } END { print w + 0 }')
	[ "$wrapped" -ge 20 ]
}

@test "compact output reads back as the same terms in erl" {
	run esock --compact -f <(sed 's/$/./' "$DATA_DIR/terms.txt")
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq "$(grep -c . "$DATA_DIR/terms.txt")" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/compact.txt"
	theirs=$(erl_run "{ok, A} = file:read_file(\"$DATA_DIR/terms.txt\"),
	{ok, B} = file:read_file(\"$BATS_TEST_TMPDIR/compact.txt\"),
	P = fun(L) -> {ok, T, _} = erl_scan:string(L ++ \".\"), {ok, X} = erl_parse:parse_term(T), X end,
	Ls = fun(Bin) -> [L || L <- string:split(unicode:characters_to_list(Bin, latin1), \"\\n\", all), L =/= \"\"] end,
	io:format(\"~p~n\", [[P(L) || L <- Ls(A)] =:= [P(L) || L <- Ls(B)]]).")
	[ "$theirs" = "true" ]
}

@test "esock's own output, read back as a script, prints the same again" {
	mine=$(esock_terms "$DATA_DIR/terms.txt")
	printf '%s\n' "$mine" >"$BATS_TEST_TMPDIR/once.txt"
	again=$(esock -f "$BATS_TEST_TMPDIR/once.txt")
	assert_equal "$again" "$mine"
}

@test "big integers are carried exactly, as Erlang does" {
	same_as_erl '123456789012345678901234567890123456789 .' '123456789012345678901234567890123456789'
	same_as_erl '-18446744073709551616.' '-18446744073709551616'
	same_as_erl '16#FFFFFFFFFFFFFFFFFFFF.' '16#FFFFFFFFFFFFFFFFFFFF'
	same_as_erl '[9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809].' '[9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809]'
}

@test "floats print in OTP's shortest form" {
	t='[0.1, 1.0e10, 1.0e20, 1.0e21, 1.0e-5, 123.456e-7, 1.5e300, 0.0, -0.0, 100.0, 1.0e15, 1.0e16, 2.5e-300, 5.0e-324, 1.7976931348623157e308, 3.14159]'
	same_as_erl "$t." "$t"
}

@test "a pasted #Ref<...> reads back and prints the same" {
	run esock -e '#Ref<0.1.2.3>.'
	[ "$status" -eq 0 ]
	[ "$output" = "#Ref<0.1.2.3>" ]
}

@test "--json gives one valid JSON document per result" {
	run esock --json -e '{ok, [1, 2.5, "str", <<"bin">>, <<1,2>>, true, null, atom]}.
#{a => 1, "k" => [x], 3 => <<>>}.'
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 2 ]
	first=$(printf '%s\n' "$output" | sed -n 1p)
	[ "$(printf '%s' "$first" | jq -c .)" = '{"$tuple":[{"$atom":"ok"},[1,2.5,[115,116,114],"bin","\u0001\u0002",true,{"$atom":"null"},{"$atom":"atom"}]]}' ]
	second=$(printf '%s\n' "$output" | sed -n 2p)
	[ "$(printf '%s' "$second" | jq -c '.["$map"][1]')" = '[{"$atom":"a"},1]' ]
	[ "$(printf '%s' "$second" | jq -c '.["$map"][2]')" = '[[107],[{"$atom":"x"}]]' ]
	run esock --json -e '#{family => inet, port => 80, addr => {127,0,0,1}}.'
	[ "$(printf '%s' "$output" | jq -r '.port')" = 80 ]
}

@test "--json is lossless: UTF-8 binaries are strings, other binaries base64, no two terms alike" {
	for bytes in '104,195,169,108,108,111' '97,98,99,0' '0' '255' '0,255,128' \
	    '195,40' '237,160,128' '240,159,152,128' '1,2,3,4,5,6,7'; do
		run esock --json -e "<<$bytes>>."
		[ "$status" -eq 0 ]
		want=$(printf '%s' "$bytes" | tr ',' '\n' | awk '{printf "%02x", $1}')
		got=$(printf '%s' "$output" | jq -j 'if type == "string" then . else .["$binary"] end' |
		    { if printf '%s' "$output" | jq -e 'type == "string"' >/dev/null; then cat; else base64 -d; fi; } |
		    od -An -tx1 | tr -d ' \n')
		assert_equal "$got" "$want"
	done
	run esock --json -e '<<104,195,169,108,108,111>>.'
	[ "$output" = '"héllo"' ]
	# atoms, binaries, lists, tuples and improper lists never collide
	run esock --json -e 'abc.
<<"abc">>.
"abc".
{97, 98, 99}.
[97, 98 | 99].
<<"abc", 0>>.
[97, 98, 99, 0].
undefined.
null.
#{a => 1}.
#{<<"a">> => 1}.'
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | jq -c . | sort -u | wc -l)" -eq 11 ]
}

@test "bitstring literals print as erl prints them and read back the same" {
	t='[<<1:3>>, <<"ab",3:4>>, <<1,2,3:4>>, <<0:1>>, <<"ab":16>>, <<-1:4>>, <<300>>, <<255:7>>, <<1,2:12>>, <<>>, <<7:0>>]'
	same_as_erl "$t." "$t"
	mine=$(esock -e "$t.")
	[[ "$mine" == *'<<97,98,3:4>>'* ]]
	again=$(esock -e "$mine.")
	assert_equal "$again" "$mine"
}

@test "long bitstrings wrap at 80 columns as erl wraps them, the last bits as one piece" {
	f=$BATS_TEST_TMPDIR/long.txt
	for n in $(seq 20 3 110); do
		b=$(seq 1 "$n" | awk '{ printf "%s%d", (NR > 1 ? "," : ""), ($1 * 37) % 256 }')
		size=$((n % 7 + 1))
		printf '<<%s,%d:%d>>\n{key,<<%s,1:1>>}\n' "$b" $((n % (1 << size))) "$size" "$b"
	done >"$f"
	mine=$(esock_terms "$f")
	theirs=$(erl_terms "$f")
	assert_equal "$mine" "$theirs"
	[[ "$theirs" == *$'\n'*:* ]]
}

@test "bitstrings compare bit by bit, then by length, as Erlang orders them" {
	t='#{<<1>> => a, <<1:1>> => b, <<1,3>> => c, <<1,2:3>> => d, <<0:2>> => e, <<0:1>> => f, <<128>> => g, <<1,2>> => h, <<1,2,0:1>> => i, <<255:7>> => j}'
	same_as_erl "$t." "$t"
}

@test "a bitstring's size is bounded, and a segment's type is checked as erl does" {
	run esock -e '<<1:99999999999>>.'
	[ "$status" -eq 1 ]
	[ "$output" = "** exception error: a system limit has been reached" ]
	run --separate-stderr esock -e '<<1:3/binary>>.'
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "$(erl_shell_errors '<<1:3/binary>>.')"
}

@test "--json keeps a bitstring's bits: its bytes in base64 and the count" {
	run esock --json -e '<<1:3>>.'
	[ "$output" = '{"$bitstring":"IA==","bits":3}' ]
	run esock --json -e '<<1,2,3:4>>.'
	[ "$(printf '%s' "$output" | jq -r '.bits')" = 20 ]
	[ "$(printf '%s' "$output" | jq -r '.["$bitstring"]' | base64 -d | od -An -tx1 | tr -d ' \n')" = 010230 ]
	# never taken for the binary of the same bytes
	run esock --json -e '<<1:3>>.
<<32>>.
<<32:6>>.
<<128:8>>.'
	[ "$(printf '%s\n' "$output" | jq -c . | sort -u | wc -l)" -eq 4 ]
}

@test "--json tags funs and pids, which JSON cannot hold otherwise" {
	run esock --json -e '{fun(X) -> X end, fun erlang:abs/1, self()}.'
	[ "$output" = '{"$tuple":[{"$fun":"#Fun<erl_eval.42.3316493>"},{"$fun":"fun erlang:abs/1"},{"$pid":"<0.9.0>"}]}' ]
}

@test "funs and pids print as erl prints them" {
	t='{fun() -> 0 end, fun(_) -> 1 end, fun(_, _) -> 2 end, fun F() -> F end, fun F(_) -> F end, fun lists:map/2, fun erlang:abs/1}'
	same_as_erl "$t." "$t"
}
