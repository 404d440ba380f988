#!/usr/bin/env bats
# Wherever input can grow: each works within the limits the man page
# documents (LANGUAGE, Limits), or gives a clear error past them.

load helpers/common
load helpers/erl

@test "a line under 65536 bytes runs; a longer one is a clear syntax error" {
	f=$BATS_TEST_TMPDIR/long
	python3 -c "print('X = \"' + 'a' * 65500 + '\", length(X).')" >"$f"
	[ "$(wc -c <"$f")" -le 65537 ]
	run esock -f "$f"
	[ "$status" -eq 0 ]
	[ "$output" = 65500 ]
	python3 -c "print('X = \"' + 'a' * 70000 + '\", length(X).')" >"$f"
	run --separate-stderr esock -f "$f"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *":1:65537: line too long (more than 65536 bytes)" ]]
}

@test "a binary of 200 MB is made, matched and sized" {
	skip_under_valgrind "copying 200 MB takes minutes"
	run esock -e 'B = binary:copy(<<"ab">>, 100000000),
	    <<"ab", _:199999996/binary, "ab">> = B, byte_size(B).'
	[ "$status" -eq 0 ]
	[ "$output" = 200000000 ]
}

@test "100000 variables, one a line, all bound at once" {
	f=$BATS_TEST_TMPDIR/vars
	{
		seq 1 100000 | sed 's/.*/V& = &./'
		echo 'V100000 + V1 + V50000.'
	} >"$f"
	run esock -f "$f"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = 150001 ]
}

@test "a mailbox of 100000 messages, sent and received in order, as erl" {
	expr='[self() ! {m, N} || N <- lists:seq(1, 100000)],
	    L = [receive {m, N} -> N end || _ <- lists:seq(1, 100000)],
	    {length(L), lists:sum(L), L =:= lists:seq(1, 100000),
	     receive X -> X after 0 -> empty end}'
	same_as_erl "$expr." "$expr"
}

@test "4000 sockets open at once, then all closed" {
	run bash -c 'ulimit -n 4100 && exec timeout 60 "$ESOCK" -e "
	    L = [S || _ <- lists:seq(1, 4000), {ok, S} <- [socket:open(inet, dgram)]],
	    N = socket:number_of(),
	    [ok = socket:close(S) || S <- L],
	    {length(L), N, socket:number_of()}."'
	[ "$status" -eq 0 ]
	[ "$output" = '{4000,4000,0}' ]
}

@test "1000 nowait recvs pending at once, each completed by its select message" {
	run timeout 60 "$ESOCK" -e '
	    Socks = [begin {ok, S} = socket:open(inet, dgram),
	        ok = socket:bind(S, #{family => inet, addr => loopback, port => 0}),
	        S end || _ <- lists:seq(1, 1000)],
	    Pending = [begin {select, {select_info, _, H}} = socket:recv(S, 0, nowait),
	        {S, H} end || S <- Socks],
	    {ok, Tx} = socket:open(inet, dgram),
	    [begin {ok, A} = socket:sockname(S), ok = socket:sendto(Tx, <<"x">>, A) end
	     || S <- Socks],
	    Got = [receive {'"'"'$socket'"'"', S, select, H} -> {ok, <<"x">>} = socket:recv(S, 0, 0), 1
	           after 5000 -> 0 end || {S, H} <- Pending],
	    [socket:close(S) || S <- [Tx | Socks]],
	    {lists:sum(Got), socket:number_of()}.'
	[ "$status" -eq 0 ]
	[ "$output" = '{1000,0}' ]
}
