#!/usr/bin/env bats
# The language: call and word forms, patterns, bindings, sequences,
# comments, continuation lines, and bad input.

load helpers/common
load helpers/erl

@test "a bare term evaluates to itself, as in the Erlang shell" {
	run esock -e '{a, <<"b">>, [1, 2 | c], #{k => "v"}}.'
	[ "$status" -eq 0 ]
	[ "$output" = '{a,<<"b">>,[1,2|c],#{k => "v"}}' ]
}

@test "call form, word form and the socket: prefix give the same result" {
	a=$(esock -e 'supports(msg_flags).')
	b=$(esock -e 'supports msg_flags')
	c=$(esock -e 'socket:supports(msg_flags).')
	d=$(esock -e 'socket:supports msg_flags')
	[ -n "$a" ]
	[ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$d" ]
}

@test "a command's prefix must be its own module: erl's undef" {
	same_exception_as_erl 'net:supports(msg_flags).'
}

@test "variables bind and a bound variable matches its value" {
	run esock -e 'X = 5, Y = {X, X}.
{A, B} = Y.
A = 5.
[H | T] = [1, 2, 3], {H, T}.
#{a := V} = #{a => 1, b => 2}, V.
_ = anything.'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '{5,5}\n{5,5}\n5\n{1,[2,3]}\n1\nanything')" ]
}

@test "a failed match prints Erlang's badmatch message on stderr, nothing on stdout, and exits 1" {
	run --separate-stderr esock -e 'X = 1.
X = 2.
never.'
	[ "$status" -eq 1 ]
	[ "$output" = "1" ]
	[ "$stderr" = "** exception error: no match of right hand side value 2" ]
}

@test "a failed match leaves no partial bindings" {
	run esock -k -e '{A, 2} = {1, 3}.
A = 7.
A.'
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "7" ]
}

@test "f(X) forgets one binding and f() forgets all" {
	run esock -e 'X = 1, Y = 2.
f(X).
X = 3.
f().
X = 5, Y = 4.
{X, Y}.'
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "{5,4}" ]
}

@test "b() shows the bindings sorted by name, as erl's shell does" {
	run esock -e 'X = 1, Name = "abc", B = {x}, f(Name), A = 2.
b().'
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(printf '2\nA = 2\nB = {x}\nX = 1\nok')"
	[ "$(printf 'X = 1, Name = "abc", B = {x}, f(Name), A = 2.\nb().\n' | erl_shell "$(cat)")" = "$(printf '2\nA = 2\nB = {x}\nX = 1\nok')" ]
}

@test "variables are checked as erl's shell checks them, before anything runs (unbound, unsafe, scopes)" {
	local line mine="" theirs
	while IFS= read -r line; do
		mine+=$(esock -e "f(), $line." 2>&1 | sed 's/^esock: -e:/* /')$'\n'
	done <"$DATA_DIR/lint.txt"
	theirs=$(erl_shell "$(sed -e 's/^/f(), /' -e 's/$/./' "$DATA_DIR/lint.txt")")
	assert_equal "$mine" "$theirs"$'\n'
}

@test "an unsafe variable in a script: its line and the construct's, exit 2, nothing of it run" {
	printf '%s\n' 'X = 1.' 'begin io:format("ran~n"),' '  case X of 1 -> Y = 1; _ -> ok end,' '  Y end.' >"$BATS_TEST_TMPDIR/u.esock"
	run --separate-stderr esock -f "$BATS_TEST_TMPDIR/u.esock"
	[ "$status" -eq 2 ]
	[ "$output" = 1 ]
	[ "$stderr" = "esock: $BATS_TEST_TMPDIR/u.esock:4:3: variable 'Y' unsafe in 'case' (line 3, column 3)" ]
}

@test "a usage error or q() inside a fun a library function calls stops as at the top" {
	run --separate-stderr esock -e 'lists:map(fun(_) -> connect() end, [1]).'
	[ "$status" -eq 2 ]
	[[ "$stderr" == "usage: connect "* ]]
	run esock -e 'lists:foreach(fun(_) -> q() end, [1]), io:format("after~n").'
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "an uncaught exception ends the process, as in erl's shell: sockets closed, monitors and messages gone, a new self()" {
	same_shell_as_erl "$DATA_DIR/process_exit.txt"
}

@test "an unbound variable is an error with line and column, exit 2" {
	run --separate-stderr esock -e '
{ok, Nope}.'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:2:6: variable 'Nope' is unbound"* ]]
}

@test "in a sequence only the last result prints; -v prints each" {
	run esock -e '1, 2, 3.'
	[ "$output" = "3" ]
	run esock -v -e '1, 2, 3.'
	[ "$output" = "$(printf '1\n2\n3')" ]
}

@test "a script prints the result of each line, with or without full stops" {
	run esock -e 'alpha
beta.
gamma, delta
epsilon. zeta.'
	[ "$output" = "$(printf 'alpha\nbeta\ndelta\nepsilon\nzeta')" ]
}

@test "% starts a comment, also at the end of a line" {
	run esock -e '% a comment line
x. % trailing
"100%". % a percent in a string is not a comment'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'x\n"100%%"')" ]
}

@test "unbalanced brackets continue on the next line" {
	run esock -e '{a,
  [1,
   2],
  #{k =>
    v}}.
"multi
line".'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '{a,[1,2],#{k => v}}\n"multi\\nline"')" ]
}

@test "stdin is read as a script when it is not a terminal" {
	run esock <<<'X = 40.
{X, done}.'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '40\n{40,done}')" ]
}

@test "address shorthands read as OTP sockaddr maps" {
	run esock --compact -e '127.0.0.1:80.
[::1]:443.
[::ffff:127.0.0.1]:1.
/tmp/esock.sock.
@abstract.'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '#{addr => {127,0,0,1},family => inet,port => 80}' ]
	[ "${lines[1]}" = '#{addr => {0,0,0,0,0,0,0,1},family => inet6,flowinfo => 0,port => 443,scope_id => 0}' ]
	[ "${lines[2]}" = '#{addr => {0,0,0,0,0,65535,32512,1},family => inet6,flowinfo => 0,port => 1,scope_id => 0}' ]
	[ "${lines[3]}" = '#{family => local,path => "/tmp/esock.sock"}' ]
	[ "${lines[4]}" = '#{family => local,path => <<0,97,98,115,116,114,97,99,116>>}' ]
}

@test "an @name shorthand equals the abstract local address map" {
	run esock -e '@name = #{family => local, path => <<0, "name">>}.'
	[ "$status" -eq 0 ]
}

@test "shorthands work inside a call form too" {
	run esock --compact -e 'X = {127.0.0.1:8080, [::1]:9}, element_free.'
	[ "$status" -eq 0 ]
	run esock --compact -e '{127.0.0.1:8080, [::1]:9}.'
	[ "${lines[0]}" = '{#{addr => {127,0,0,1},family => inet,port => 8080},#{addr => {0,0,0,0,0,0,0,1},family => inet6,flowinfo => 0,port => 9,scope_id => 0}}' ]
}

@test "erl reads the shorthand maps as the same sockaddr terms" {
	same_as_erl '127.0.0.1:80.' '#{family => inet, addr => {127,0,0,1}, port => 80}'
	same_as_erl '[::1]:443.' '#{family => inet6, addr => {0,0,0,0,0,0,0,1}, port => 443, flowinfo => 0, scope_id => 0}'
}

@test "the argv chain: words are terms, other words are strings, ',' separates commands" {
	run esock -v help help , make_ref , sleep 1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: help [Command | options]" ]]
	[[ "$output" == *'#Ref<0.0.0.'* ]]
	[ "${lines[-1]}" = "ok" ]
}

@test "an unknown command in the chain is a usage error, exit 2" {
	run esock nosuchcommand 1 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command: nosuchcommand"* ]]
}

@test "wrong arity prints the usage from the command table, exit 2" {
	run --separate-stderr esock -e 'sleep(1, 2).'
	[ "$status" -eq 2 ]
	[ "$stderr" = "usage: sleep Milliseconds" ]
	run --separate-stderr esock sleep
	[ "$status" -eq 2 ]
	[ "$stderr" = "usage: sleep Milliseconds" ]
}

@test "an invalid argument gives an {error, ...} result naming it, exit 1" {
	run esock -e 'sleep(forever).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{time,forever}}}" ]
}

@test "an expected error matched by a pattern does not fail the script" {
	run esock -e '{error, {invalid, _}} = sleep(forever), matched.'
	[ "$status" -eq 0 ]
	[ "$output" = "matched" ]
}

@test "a failing command stops a script; -k goes on and still exits 1" {
	run esock -e 'sleep(x).
after_it.'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{time,x}}}" ]
	run esock -k -e 'sleep(x).
after_it.'
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "after_it" ]
}

@test "unbalanced brackets at the end give exit 2 with line and column" {
	run --separate-stderr esock -e '{a, [b}.'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:7: syntax error before: '}'"* ]]
	run --separate-stderr esock -e '{a, [b'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:"* ]]
}

@test "a bad escape is a syntax error pointing at its column" {
	run --separate-stderr esock -e '"abc\x{zz}".'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:5: bad escape"* ]]
}

@test "escapes read as erl_scan reads them" {
	same_as_erl '"\b\d\e\f\n\r\s\t\v\\\"\101\x41\x{41}\^a".' '"\b\d\e\f\n\r\s\t\v\\\"\101\x41\x{41}\^a"'
	same_as_erl '[$a, $\n, $\s, $\x{ff}, $\\].' '[$a, $\n, $\s, $\x{ff}, $\\]'
}

@test "an atom longer than 255 characters is rejected with exit 2" {
	long=$(printf 'a%.0s' $(seq 1 256))
	run --separate-stderr esock -e "$long."
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:1: atom too long"* ]]
	ok=$(printf 'a%.0s' $(seq 1 255))
	run esock -e "$ok."
	[ "$status" -eq 0 ]
}

@test "a 1 MB line is refused with exit 2 and its column, no crash" {
	head -c 1048576 /dev/zero | tr '\0' 'a' >"$BATS_TEST_TMPDIR/big"
	run --separate-stderr esock -f "$BATS_TEST_TMPDIR/big"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *":1:65537: line too long"* ]]
}

@test "a NUL byte in input is a syntax error at its column" {
	printf 'abc.\nx\0y.\n' >"$BATS_TEST_TMPDIR/nul"
	run --separate-stderr esock -f "$BATS_TEST_TMPDIR/nul"
	[ "$status" -eq 2 ]
	[ "$output" = "abc" ]
	[[ "$stderr" == *":2:2: NUL byte"* ]]
}

@test "nesting deeper than the parser's limit is an error, not a crash" {
	deep=$(printf '[%.0s' $(seq 1 5000))
	run --separate-stderr esock -e "$deep"
	[ "$status" -eq 2 ]
	deep="$(printf '{%.0s' $(seq 1 1200))$(printf '}%.0s' $(seq 1 1200))."
	run --separate-stderr esock -e "$deep"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"nesting deeper than 1000"* ]]
}

@test "random garbage never crashes the parser" {
	for i in $(seq 1 200); do
		head -c 200 /dev/urandom >"$BATS_TEST_TMPDIR/junk"
		run esock -f "$BATS_TEST_TMPDIR/junk"
		[ "$status" -le 2 ]
	done
}

@test "a quoted atom naming a command is a term, unless it is called" {
	run esock -e "'receive'."
	[ "$status" -eq 0 ]
	[ "$output" = "'receive'" ]
	run esock -e "X = 'flush', X."
	[ "$output" = flush ]
	run esock -e "'make_ref'()."
	[[ "$output" == "#Ref<0.0.0."* ]]
}

@test "integers in every base read as erl reads them, however many limbs" {
	for n in '36#uhe73ll7theheehe73ll7hehe' '36#zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' \
	    '2#1111111111111111111111111111111111111111111111111111111111111111111' \
	    '16#ffffffffffffffffffffffffffffffffffffffff' '-8#7777777777777777777777777'; do
		same_as_erl "$n." "$n"
	done
}

@test "the argv chain refuses a command under another module's prefix, as the call form does" {
	run esock -e 'net:connect(127.0.0.1:1).'
	[ "$status" -eq 1 ]
	[[ "$output" == *"undefined function net:connect/1"* ]]
	run esock net:connect 127.0.0.1:1
	[ "$status" -eq 2 ]
	[[ "$output" == *"undefined function net:connect"* ]]
	run esock socket:getaddrinfo localhost
	[ "$status" -eq 2 ]
	# the right prefix still works in both
	run esock net:getaddrinfo localhost , socket:supports msg_flags
	[ "$status" -eq 0 ]
}

@test "a host:port literal bound to a variable is the sockaddr map erl builds" {
	same_as_erl 'X = localhost:80, X.' '#{family => inet, addr => {127,0,0,1}, port => 80}'
	same_as_erl ':8080.' '#{family => inet, addr => {0,0,0,0}, port => 8080}'
	run esock --compact -e '{localhost:1, [::1]:2}.'
	[ "$status" -eq 0 ]
	[[ "$output" != *'$host'* ]]
	[[ "$output" == '{#{addr => {127,0,0,1},family => inet,port => 1},'* ]]
}

@test "a bad address literal is an error naming it, not a crash" {
	run esock --compact -e 'X = [fe80::1%nosuchif0]:80.'
	[ "$status" -eq 1 ]
	[ "$output" = '** exception error: {invalid,{sockaddr,"[fe80::1%nosuchif0]:80"}}' ]
	run esock --compact -e 'localhost:65536.'
	[ "$status" -eq 1 ]
	[ "$output" = '** exception error: {invalid,{sockaddr,"localhost:65536"}}' ]
	run esock --compact -e 'connect(localhost:65536).'
	[ "$status" -eq 1 ]
	[ "$output" = '{error,{invalid,{sockaddr,"localhost:65536"}}}' ]
}

@test "a pattern with 3,000 variables matches and binds them all" {
	vars=$(seq -f 'V%g' 1 3000 | paste -sd,)
	vals=$(seq 1 3000 | paste -sd,)
	run esock -e "{$vars} = {$vals}, {V1, V1500, V3000}."
	[ "$status" -eq 0 ]
	[ "$output" = '{1,1500,3000}' ]
	# a failing one undoes every binding it made
	run esock -k -e "{$vars, nope} = {$vals, 0}.
V1."
	[ "$status" -eq 2 ]
	[[ "$output" == *"variable 'V1' is unbound"* ]]
}

@test "connect localhost:PORT resolves the name once" {
	port=$(free_port)
	log=$BATS_TEST_TMPDIR/strace.log
	# LeakSanitizer cannot run under ptrace; the rest of ASan can
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	run strace -f -qq -e trace=open,openat -o "$log" "$ESOCK" connect "localhost:$port"
	[ "$output" = '{error,econnrefused}' ]
	[ "$(grep -c '"/etc/hosts"' "$log")" -eq 1 ]
	run strace -f -qq -e trace=open,openat -o "$log" "$ESOCK" -e "connect(localhost:$port)."
	[ "$(grep -c '"/etc/hosts"' "$log")" -eq 1 ]
}

@test "a term nested 999 deep evaluates, matches and prints as erl prints it" {
	t="$(printf '[%.0s' $(seq 1 999))x$(printf ']%.0s' $(seq 1 999))"
	same_as_erl "$t." "$t"
	t="$(printf '{%.0s' $(seq 1 999))X$(printf '}%.0s' $(seq 1 999))"
	run esock -e "$t = ${t//X/7}, X."
	[ "$status" -eq 0 ]
	[ "$output" = 7 ]
}

@test "a scan error right after a call's argument is a syntax error, not a crash" {
	run --separate-stderr esock -e 'sleep(1 $'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:9: bad character literal"* ]]
	run --separate-stderr esock -e 'sleep(1 "abc'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-e:1:9: unterminated string"* ]]
}
