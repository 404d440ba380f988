#!/usr/bin/env bats
# Monitors and introspection, as OTP 25's socket module has them:
# monitor/1 and its 'DOWN' messages, cancel_monitor/1, which_monitors/1,
# number_of_monitors/0,1, monitored_by/1, which_socket_kind/1,
# to_list/1, use_registry/1, which_sockets/1 with an owner or a fun,
# info/1 on a closed socket and its owner, and i/0,1,2's table. Each
# test runs the same calls in esock and in erl and compares.

load helpers/common
load helpers/erl

teardown() {
	if [ -n "${NETNS:-}" ]; then
		ip netns del "$NETNS" 2>/dev/null || true
	fi
}

@test "monitors: refs newest first, counts, cancel, and 'DOWN' messages as erl gets them" {
	same_lines_as_erl "$BATS_TEST_DIRNAME/data/monitors.txt"
}

@test "introspection: owner, socket kind, to_list, registry, which_sockets by owner and by fun, info of a closed socket" {
	local mine theirs
	mine=$(esock_lines "$BATS_TEST_DIRNAME/data/inspect.txt" -k | norm_refs)
	theirs=$(erl_lines "$BATS_TEST_DIRNAME/data/inspect.txt" | norm_refs)
	assert_equal "$mine" "$theirs"
}

@test "arguments OTP's guards refuse raise as erl raises them" {
	FRESH=1 same_shell_as_erl "$BATS_TEST_DIRNAME/data/introspection_errors.txt"
}

@test "which_socket_kind of a closed socket raises badarg, as erl's" {
	local prog='{ok, S} = socket:open(inet, dgram), socket:close(S),
try socket:which_socket_kind(S) catch error:R:St -> {R, element(3, hd(St)) =:= [S]} end'
	run esock -e "$prog."
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(erl_eval "$prog")"
}

@test "a function_clause from a socket function is caught as erl catches it" {
	run esock -e 'try socket:number_of_monitors(foo) catch error:R:St -> {R, hd(St)} end.'
	[ "$status" -eq 0 ]
	assert_equal "$output" '{function_clause,{socket,number_of_monitors,[foo],[]}}'
}

@test "to_list names the socket's own reference" {
	run esock -e '{ok, S} = open(inet, dgram), {socket:to_list(S), S}.'
	[ "$status" -eq 0 ]
	assert_equal "$output" '{"#Socket<0.0.0.1>",{'"'"'$socket'"'"',#Ref<0.0.0.1>}}'
}

# socket:i's table with what differs from run to run (descriptor
# numbers, ephemeral ports) as FD and P, the padding squeezed to one
# space, and the rows sorted: OTP lists the sockets in the order of its
# registry's map, by reference, which is not the order they were made.
i_table() {
	awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "Fd") col = i }
	     NR > 1 && col { $col = "FD" } { $1 = $1; print }' |
		sed -E 's/:[0-9]+/:P/g' | { IFS= read -r head; printf '%s\n' "$head"; sort; }
}

@test "i/0,1,2 print socket:i's table, column for column" {
	local setup='{ok, L} = socket:open(inet, stream),
ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
ok = socket:listen(L),
{ok, A} = socket:sockname(L),
{ok, C} = socket:open(inet, stream),
ok = socket:connect(C, A),
{ok, X} = socket:accept(L),
socket:send(C, <<"hello">>),
socket:recv(X, 0),
{ok, U} = socket:open(inet6, dgram),
{ok, Lo} = socket:open(local, stream),
{ok, U2} = socket:open(inet, dgram),
ok = socket:bind(U2, #{family => inet, addr => loopback, port => 0}),
{ok, U6} = socket:open(inet6, dgram),
ok = socket:bind(U6, #{family => inet6, addr => {0,0,0,0,0,0,0,1}, port => 0}),
{ok, Gone} = socket:open(inet, dgram),
socket:close(Gone),'
	local calls
	for calls in 'socket:i()' 'socket:i([domain, fd, state, no_such_key])' \
		'socket:i(inet6)' 'socket:i(tcp)' 'socket:i(dgram, [fd, owner, local_address])' \
		'socket:i(sctp)' 'socket:i([])'; do
		local mine theirs
		mine=$(esock -q -e "$setup $calls." | i_table)
		theirs=$(erl_run "$setup $calls, halt()." | i_table)
		assert_equal "$mine" "$theirs"
	done
}

@test "i/0 names the port of a well-known service as erl does" {
	make_netns
	local prog='{ok, U} = socket:open(inet, dgram),
ok = socket:bind(U, #{family => inet, addr => loopback, port => 53}),
socket:i([local_address]).'
	run ip netns exec "$NETNS" "$ESOCK" -q -e "$prog"
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(ip netns exec "$NETNS" erl -noshell -eval "${prog%.}, halt().")"
}

@test "a socket closed with monitors on it: flush shows each 'DOWN', newest first" {
	local prog='{ok, S} = socket:open(inet, stream).
M1 = socket:monitor(S).
M2 = socket:monitor(S).
socket:close(S).
flush().'
	run esock -k <<<"$prog"
	[ "$status" -eq 0 ]
	# Long references wrap erl's lines where esock's short ones do not.
	assert_equal "$(norm_refs <<<"$output" | tr -d ' \n')" \
		"$(erl_shell "$prog" | norm_refs | tr -d ' \n')"
}
