#!/usr/bin/env bats
# Socket options: setopt, getopt, their native forms and supports(options),
# all from the option table in src/opt.c, compared with what OTP 25
# returns on this host. The comparisons run every option OTP supports on
# every kind of socket, so one option whose encoding differs fails them.
# Where OTP raises instead of returning, the expected error is typed out.

load helpers/common
load helpers/erl
load helpers/scenario

# The options esock has beyond OTP 25 on Linux (all true in its
# supports(options)); any other difference from OTP fails the tests.
EXTRAS='[{ip,options},{ipv6,checksum},{ipv6,join_group},{ipv6,leave_group},
	{socket,busy_poll},{socket,error},{socket,mark},{socket,peercred},
	{socket,rcvbufforce},{socket,rcvtimeo},{socket,rxq_ovfl},
	{socket,sndbufforce},{socket,sndtimeo},{tcp,info},{tcp,keepcnt},
	{tcp,keepidle},{tcp,keepintvl},{tcp,syncnt},{tcp,user_timeout}]'

# The kinds of socket every supported option is read on.
KINDS='inet,stream,tcp inet,dgram,udp inet6,stream,tcp inet6,dgram,udp
	local,stream,default local,dgram,default'

# esock_seq [OPTION...] TEXT: runs TEXT, which may span lines for
# legibility, as the one expression sequence it is.
esock_seq() {
	local text=${!#}
	esock "${@:1:$#-1}" -e "$(printf '%s' "$text" | tr '\n\t' '  ')"
}

# compare_cases: each line on stdin is a self-contained expression
# sequence that erl_parse and esock both read. Each runs with fresh
# bindings, all in one erl and each in its own esock; every line whose
# results differ is shown, and then the test fails.
compare_cases() {
	local cases=$BATS_TEST_TMPDIR/cases.txt line mine fail=0 i=0
	local -a theirs
	grep -v '^$' >"$cases"
	erl_run "{ok, B} = file:read_file(\"$cases\"),
		Ls = string:split(string:trim(binary_to_list(B)), \"\\n\", all),
		lists:foreach(fun(L) ->
			{ok, T, _} = erl_scan:string(L),
			{ok, E} = erl_parse:parse_exprs(T),
			R = try erl_eval:exprs(E, []) of {value, V, _} -> V
			    catch C:X -> {C, X} end,
			io:format(\"~0p~n\", [R])
		end, Ls)." >"$BATS_TEST_TMPDIR/erl.out"
	mapfile -t theirs <"$BATS_TEST_TMPDIR/erl.out"
	while IFS= read -r line; do
		mine=$(esock --compact -k -e "$line" 2>/dev/null |
		    tr '\n' ' ' | sed 's/ $//') || true
		if [ "$mine" != "${theirs[$i]:-}" ]; then
			printf 'case:  %s\nerl:   %s\nesock: %s\n\n' "$line" \
			    "${theirs[$i]:-}" "$mine" >&2
			fail=1
		fi
		i=$((i + 1))
	done <"$cases"
	if [ "$i" -ne "${#theirs[@]}" ]; then
		echo "erl gave ${#theirs[@]} results for $i cases" >&2
		return 1
	fi
	return $fail
}

# --- supports and is_supported ----------------------------------------

@test "supports(options) names every option OTP names and supports what OTP supports" {
	mine=$(esock --compact -e 'supports(options).')
	run erl_eval "Mine = $mine, Otp = socket:supports(options),
		Keys = fun(L) -> lists:sort([K || {K, _} <- L]) end,
		Low = fun(L) -> lists:sort([O || {{Lv, _} = O, true} <- L,
			lists:member(Lv, [socket, ip, ipv6, tcp, udp, sctp])]) end,
		{Keys(Mine) =:= Keys(Otp), length(Mine),
		 [K || {K, true} <- Otp, not lists:member({K, true}, Mine)],
		 Low(Mine) -- Low(Otp)}"
	n=$(erl_eval 'length(socket:supports(options))')
	assert_same_term "$output" "$(erl_eval "{true, $n, [], $EXTRAS}")"
}

@test "supports(options, Level) lists what OTP lists for each name of a level" {
	levels="socket ip ipv6 tcp udp sctp 'IP' 'IPv6' 'TCP' 'UDP' 'SCTP' otp nosuch"
	script=
	for l in $levels; do script+="supports(options, $l)."$'\n'; done
	mine=$(esock --compact -e "$script" | paste -sd, -)
	erlv=$(echo $levels | tr ' ' ',')
	run erl_eval "Mine = [$mine], Levels = [$erlv], Extras = $EXTRAS,
		Low = fun(L) -> case atom_to_list(L) of
			\"IPv6\" -> ipv6; S -> list_to_atom(string:lowercase(S)) end end,
		[{L, lists:sort([K || {K, _} <- M]) =:=
			lists:sort([K || {K, _} <- socket:supports(options, L)]),
		  [K || {K, V} <- M, not lists:member({K, V},
			socket:supports(options, L)),
			not lists:member({Low(L), K}, Extras)]}
		 || {L, M} <- lists:zip(Levels, Mine)]"
	assert_same_term "$output" "$(erl_eval "[{L, true, []} || L <- [$erlv]]")"
}

@test "is_supported of options matches OTP, and the extras are true" {
	args=('options, {socket, reuseaddr}' 'options, {socket, peek_off}'
	    "options, {'IP', ttl}" 'options, {otp, debug}'
	    'options, {socket, acceptfilter}' 'options, {nosuch, x}'
	    'options, {ipv6, flowinfo}' 'options, {sctp, rtoinfo}'
	    'options, foo' 'options, socket, reuseaddr' 'options, ip, nosuch')
	script=
	calls=
	for a in "${args[@]}"; do
		script+="is_supported($a)."$'\n'
		calls+="${calls:+, }socket:is_supported($a)"
	done
	mine=$(esock --compact -e "$script" | paste -sd, -)
	assert_same_term "$(erl_eval "[$mine]")" "$(erl_eval "[$calls]")"
	for o in '{tcp, keepidle}' '{tcp, info}' '{socket, mark}'; do
		[ "$(esock -e "is_supported(options, $o).")" = true ]
	done
}

# --- getopt on fresh sockets ------------------------------------------

@test "getopt on a fresh socket of each kind gives what OTP's gives, for every option OTP supports" {
	erl_run '[io:format("~0p~n", [O]) || {{L, _} = O, true} <-
		lists:sort(socket:supports(options)),
		lists:member(L, [socket, ip, ipv6, tcp, udp, sctp])],
		[io:format("~0p~n", [{otp, O}]) || O <- [debug, iow, rcvbuf,
		rcvctrlbuf, sndctrlbuf, meta, use_registry, domain]].' \
	    >"$BATS_TEST_TMPDIR/opts"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/opts")" -gt 50 ]
	script=$BATS_TEST_TMPDIR/fresh.esock
	labels=$BATS_TEST_TMPDIR/labels
	: >"$script"
	: >"$labels"
	for k in $KINDS; do
		echo "f(S), {ok, S} = open($k), ok." >>"$script"
		while read -r o; do
			echo "getopt(S, $o)." >>"$script"
			echo "$k $o" >>"$labels"
		done <"$BATS_TEST_TMPDIR/opts"
	done
	esock --compact -k -f "$script" 2>/dev/null | grep -v '^ok$' |
	    paste -d' ' "$labels" - >"$BATS_TEST_TMPDIR/mine"
	olist=$(paste -sd, "$BATS_TEST_TMPDIR/opts")
	klist=$(for k in $KINDS; do printf '{%s},' "$k"; done | sed 's/,$//')
	erl_run "[begin {ok, S} = socket:open(D, T, P),
		[io:format(\"~0p~n\", [socket:getopt(S, O)]) || O <- [$olist]],
		socket:close(S) end || {D, T, P} <- [$klist]]." |
	    paste -d' ' "$labels" - >"$BATS_TEST_TMPDIR/theirs"
	diff "$BATS_TEST_TMPDIR/theirs" "$BATS_TEST_TMPDIR/mine"
}

# --- round trips and errors, case by case -----------------------------

@test "socket-level options round-trip and fail as in OTP" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,reuseaddr},true), socket:getopt(S,{socket,reuseaddr}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{socket,reuseport},true), socket:getopt(S,{socket,reuseport}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,rcvbuf},10000), socket:getopt(S,{socket,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,sndbuf},10000), socket:getopt(S,{socket,sndbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,keepalive},true), socket:getopt(S,{socket,keepalive}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,linger},#{onoff => true, linger => 5}), socket:getopt(S,{socket,linger}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,linger},#{onoff => true, linger => 5, x => 1}), socket:getopt(S,{socket,linger}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,linger},abort), socket:getopt(S,{socket,linger}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,linger},#{onoff => true}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,linger},{true,5}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,linger},#{onoff => 1, linger => 5}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,linger},#{onoff => false, linger => -1}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{socket,broadcast},true), socket:getopt(S,{socket,broadcast}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,dontroute},true), socket:getopt(S,{socket,dontroute}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,oobinline},true), socket:getopt(S,{socket,oobinline}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,priority},3), socket:getopt(S,{socket,priority}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,rcvlowat},3), socket:getopt(S,{socket,rcvlowat}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{socket,timestamp},true), socket:getopt(S,{socket,timestamp}).
{ok,S} = socket:open(local,stream,default), ok = socket:setopt(S,{socket,passcred},true), socket:getopt(S,{socket,passcred}).
{ok,S} = socket:open(local,stream,default), ok = socket:setopt(S,{socket,peek_off},3), socket:getopt(S,{socket,peek_off}).
{ok,S} = socket:open(local,dgram,default), socket:getopt(S,{socket,protocol}).
{ok,S} = socket:open(inet,dgram,0), socket:getopt(S,{socket,protocol}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,bindtodevice},"lo"), socket:getopt(S,{socket,bindtodevice}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{socket,bindtodevice},"lo"), ok = socket:setopt(S,{socket,bindtodevice},""), socket:getopt(S,{socket,bindtodevice}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,bindtodevice},"nosuchdev0").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,bindtodevice},"abcdefghijklmnop").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,bindtodevice},<<"lo">>).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,bindtodevice},[256]).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,reuseaddr},1).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,rcvbuf},true).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,rcvbuf},2147483648).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,debug},true).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,domain},inet).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,type},stream).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,protocol},tcp).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,acceptconn},true).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,sndlowat},3).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,passcred},true).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,nosuch},true).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{socket,nosuch}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{nosuch,reuseaddr}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{socket,acceptfilter}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{socket,acceptfilter},1).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{'IP',ttl}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{'TCP',nodelay}).
{ok,S} = socket:open(inet6,dgram,udp), socket:getopt(S,{'IPv6',v6only}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{'UDP',cork},true), socket:getopt(S,{udp,cork}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{'SOCKET',reuseaddr}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{hopopt,ttl}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{tcp,md5sig}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:getopt(S,{socket,reuseaddr}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:setopt(S,{socket,reuseaddr},true).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:setopt(S,{socket,reuseaddr},foo).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:setopt(S,{socket,type},foo).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:getopt(S,{socket,nosuch}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:getopt_native(S,{socket,2},integer).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:getopt_native(S,{socket,2},foo).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:setopt_native(S,{socket,2},foo).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:getopt(S,{otp,meta}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:setopt(S,{otp,meta},1).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:close(S), socket:getopt(S,{otp,use_registry}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,socket,reuseaddr).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,socket,reuseaddr,true), socket:getopt(S,socket,reuseaddr).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,socket,2,<<1,0,0,0>>), socket:getopt(S,socket,{2,integer}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,socket,{2,4}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,otp,rcvbuf).
EOF
}

@test "ip-level options round-trip and fail as in OTP, multicast membership included" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},lowdelay), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},throughput), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},reliability), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},mincost), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},184), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},48), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},18), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},-1), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,tos},foo).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,tos},"x").
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ip,tos},mincost), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,ttl},7), socket:getopt(S,{ip,ttl}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,ttl},0).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,ttl},300).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,mtu_discover},dont), socket:getopt(S,{ip,mtu_discover}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,mtu_discover},do), socket:getopt(S,{ip,mtu_discover}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,mtu_discover},probe), socket:getopt(S,{ip,mtu_discover}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,mtu_discover},4), socket:getopt(S,{ip,mtu_discover}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,mtu_discover},foo).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,mtu_discover},9).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,multicast_if},{127,0,0,1}), socket:getopt(S,{ip,multicast_if}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,multicast_if},loopback), socket:getopt(S,{ip,multicast_if}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,multicast_if},{127,0,0,1}), ok = socket:setopt(S,{ip,multicast_if},any), socket:getopt(S,{ip,multicast_if}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,multicast_if},broadcast).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,multicast_if},{1,2,3}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,multicast_if},{1,2,3,256}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,multicast_if},"127.0.0.1").
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,multicast_ttl},5), socket:getopt(S,{ip,multicast_ttl}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,multicast_ttl},256).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,multicast_loop},false), socket:getopt(S,{ip,multicast_loop}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,multicast_all},false), socket:getopt(S,{ip,multicast_all}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => any}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => loopback}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => any}), socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => any}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => any}), socket:setopt(S,{ip,drop_membership},#{multiaddr => {224,0,0,251}, interface => any}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,drop_membership},#{multiaddr => {224,0,0,251}, interface => any}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_membership},#{multiaddr => loopback, interface => any}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_membership},{{224,0,0,251},any}).
{ok,S} = socket:open(inet,dgram,udp), socket:getopt(S,{ip,add_membership}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_source_membership},#{multiaddr => {232,1,1,1}, interface => {127,0,0,1}, sourceaddr => {127,0,0,1}}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,add_source_membership},#{multiaddr => {232,1,1,1}, interface => {127,0,0,1}}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,add_source_membership},#{multiaddr => {232,1,1,1}, interface => {127,0,0,1}, sourceaddr => {127,0,0,1}}), socket:setopt(S,{ip,drop_source_membership},#{multiaddr => {232,1,1,1}, interface => {127,0,0,1}, sourceaddr => {127,0,0,1}}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,drop_source_membership},#{multiaddr => {232,1,1,1}, interface => {127,0,0,1}, sourceaddr => {127,0,0,1}}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}}), ok = socket:setopt(S,{ip,block_source},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, sourceaddr => {127,0,0,1}}), socket:setopt(S,{ip,unblock_source},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, sourceaddr => {127,0,0,1}}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,msfilter},null).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,msfilter},foo).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,msfilter},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, mode => include, slist => [{127,0,0,1}]}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}}), socket:setopt(S,{ip,msfilter},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, mode => include, slist => [{127,0,0,1},{127,0,0,2}]}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,add_membership},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}}), socket:setopt(S,{ip,msfilter},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, mode => exclude, slist => []}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,msfilter},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, mode => bad, slist => []}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,msfilter},#{multiaddr => {224,0,0,251}, interface => {127,0,0,1}, mode => include, slist => [foo]}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,pktinfo},true), socket:getopt(S,{ip,pktinfo}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,recvtos},true), socket:getopt(S,{ip,recvtos}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,recvttl},true), socket:getopt(S,{ip,recvttl}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,recvopts},true), socket:getopt(S,{ip,recvopts}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,recverr},true), socket:getopt(S,{ip,recverr}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,retopts},true), socket:getopt(S,{ip,retopts}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,recvorigdstaddr},true), socket:getopt(S,{ip,recvorigdstaddr}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,freebind},true), socket:getopt(S,{ip,freebind}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,transparent},true), socket:getopt(S,{ip,transparent}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,minttl},5), socket:getopt(S,{ip,minttl}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,nodefrag},true).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,hdrincl},true).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,router_alert},1).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,mtu},1000).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:connect(S,#{family => inet, addr => loopback, port => 9}), socket:getopt(S,{ip,mtu}).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{ip,pktoptions},[]).
{ok,S} = socket:open(inet,dgram,udp), socket:getopt(S,{ip,pktoptions}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{ip,pktinfo},true), ok = socket:setopt(S,{ip,recvttl},true), ok = socket:setopt(S,{ip,recvtos},true), socket:getopt(S,{ip,pktoptions}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvctrlbuf},10), ok = socket:setopt(S,{ip,pktinfo},true), socket:getopt(S,{ip,pktoptions}).
EOF
}

@test "ipv6-level options round-trip and fail as in OTP" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,multicast_hops},7), ok = socket:setopt(S,{ipv6,multicast_hops},default), socket:getopt(S,{ipv6,multicast_hops}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,multicast_hops},7), socket:getopt(S,{ipv6,multicast_hops}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,multicast_hops},255), socket:getopt(S,{ipv6,multicast_hops}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,multicast_hops},-1).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,multicast_hops},-2).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,multicast_hops},256).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,multicast_hops},foo).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,unicast_hops},9), socket:getopt(S,{ipv6,unicast_hops}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,unicast_hops},default), socket:getopt(S,{ipv6,unicast_hops}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,unicast_hops},true).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,multicast_if},1), socket:getopt(S,{ipv6,multicast_if}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,multicast_if},99).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,multicast_if},any).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,multicast_loop},false), socket:getopt(S,{ipv6,multicast_loop}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,v6only},true), socket:getopt(S,{ipv6,v6only}).
{ok,S} = socket:open(inet6,stream,tcp), ok = socket:setopt(S,{ipv6,v6only},true), socket:getopt(S,{ipv6,v6only}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,tclass},184), socket:getopt(S,{ipv6,tclass}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,tclass},lowdelay).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,mtu_discover},do), socket:getopt(S,{ipv6,mtu_discover}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,mtu_discover},dont), socket:getopt(S,{ipv6,mtu_discover}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,mtu_discover},3), socket:getopt(S,{ipv6,mtu_discover}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,mtu_discover},5), socket:getopt(S,{ipv6,mtu_discover}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,mtu_discover},interface).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 0}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 1}), socket:setopt(S,{ipv6,drop_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => any}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => any, interface => 1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => broadcast, interface => 1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {1,2,3,4}, interface => 1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,65536}, interface => 1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => -1}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,add_membership},#{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 4294967296}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,addrform},inet).
{ok,S} = socket:open(inet6,stream,tcp), socket:setopt(S,{ipv6,addrform},inet6).
{ok,S} = socket:open(inet6,stream,tcp), socket:setopt(S,{ipv6,addrform},2).
{ok,S} = socket:open(inet6,stream,tcp), socket:setopt(S,{ipv6,addrform},foo).
{ok,S} = socket:open(inet6,stream,tcp), socket:getopt(S,{ipv6,addrform}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,recvpktinfo},true), socket:getopt(S,{ipv6,recvpktinfo}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,recvhoplimit},true), socket:getopt(S,{ipv6,recvhoplimit}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,flowinfo},true), socket:getopt(S,{ipv6,flowinfo}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,recverr},true), socket:getopt(S,{ipv6,recverr}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,recvtclass},true), socket:getopt(S,{ipv6,recvtclass}).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,hoplimit},true).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,authhdr},true).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,router_alert},1).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,rthdr},true).
{ok,S} = socket:open(inet6,dgram,udp), socket:setopt(S,{ipv6,mtu},1280).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:connect(S,#{family => inet6, addr => loopback, port => 9}), socket:getopt(S,{ipv6,mtu}).
{ok,S} = socket:open(inet6,stream,tcp), socket:getopt(S,{ipv6,pktoptions}).
EOF
}

@test "tcp, udp and sctp options round-trip and fail as in OTP" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{tcp,congestion},"cubic"), socket:getopt(S,{tcp,congestion}).
{ok,S} = socket:open(inet6,stream,tcp), ok = socket:setopt(S,{tcp,congestion},"reno"), socket:getopt(S,{tcp,congestion}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{tcp,congestion},[99,117,98,105,99,0,120]), socket:getopt(S,{tcp,congestion}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,congestion},"nosuch").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,congestion},"abcdefghijklmnopq").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,congestion},"").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,congestion},<<"cubic">>).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{tcp,nodelay},true), socket:getopt(S,{tcp,nodelay}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{tcp,cork},true), socket:getopt(S,{tcp,cork}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{tcp,maxseg},1000), socket:getopt(S,{tcp,maxseg}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,maxseg},10).
{ok,S} = socket:open(inet,dgram,udp), socket:setopt(S,{tcp,nodelay},true).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{udp,cork},true), socket:getopt(S,{udp,cork}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{udp,cork},true).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,nodelay},true).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,initmsg},#{num_outstreams => 1, max_instreams => 1, max_attempts => 1, max_init_timeo => 1}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,initmsg},#{num_outstreams => 1}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,rtoinfo},#{assoc_id => 0, initial => 1, max => 2, min => 1}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,associnfo},#{assoc_id => 0, asocmaxrxt => 1, number_peer_destinations => 1, peer_rwnd => 1, local_rwnd => 1, cookie_life => 1}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,events},#{data_io => true, association => true, address => true, send_failure => true, peer_error => true, shutdown => true, partial_delivery => true, adaptation_layer => true, authentication => true, sender_dry => true}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{sctp,events},#{data_io => true}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{sctp,events}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{sctp,rtoinfo}).
{ok,S} = socket:open(inet6,stream,tcp), socket:getopt(S,{sctp,initmsg}).
EOF
}

@test "otp-level options round-trip and fail as in OTP" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,iow},true), socket:getopt(S,{otp,iow}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,debug},1).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvbuf},4096), socket:getopt(S,{otp,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvbuf},4096), ok = socket:setopt(S,{otp,rcvbuf},default), socket:getopt(S,{otp,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvbuf},{3,100}), socket:getopt(S,{otp,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvbuf},{3,default}), socket:getopt(S,{otp,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvbuf},{4294967295,100}), socket:getopt(S,{otp,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvbuf},18446744073709551615), socket:getopt(S,{otp,rcvbuf}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},18446744073709551616).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},{0,100}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},{4294967296,100}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},{3,0}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},0).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},-1).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvbuf},foo).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvctrlbuf},2000), socket:getopt(S,{otp,rcvctrlbuf}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,rcvctrlbuf},2000), ok = socket:setopt(S,{otp,rcvctrlbuf},default), socket:getopt(S,{otp,rcvctrlbuf}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,rcvctrlbuf},0).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,sndctrlbuf},3000), socket:getopt(S,{otp,sndctrlbuf}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,sndctrlbuf},{1,2}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,meta},{any,"term",<<1,2>>,#{a => b}}), socket:getopt(S,{otp,meta}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{otp,use_registry},true), socket:getopt(S,{otp,use_registry}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,use_registry},false).
{ok,S} = socket:open(inet,stream,tcp,#{use_registry => false}), socket:getopt(S,{otp,use_registry}).
{ok,S} = socket:open(inet,stream,tcp,#{use_registry => false}), ok = socket:setopt(S,{otp,use_registry},true), socket:getopt(S,{otp,use_registry}).
{ok,S} = socket:open(local,dgram,default), socket:getopt(S,{otp,domain}).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{otp,nosuch},1).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{otp,nosuch}).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt(S,{otp,1001}).
EOF
}

@test "setopt_native and getopt_native give what OTP gives" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,2},true), socket:getopt_native(S,{socket,2},boolean).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,2},1), socket:getopt_native(S,{socket,2},integer).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,2},<<1,0,0,0>>), socket:getopt_native(S,{socket,2},4).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,2},[1,[0],<<0,0>>]), socket:getopt_native(S,{socket,2},8).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,reuseaddr},true), socket:getopt_native(S,{socket,reuseaddr},integer).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,linger},<<1,0,0,0,7,0,0,0>>), socket:getopt(S,{socket,linger}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,linger},#{onoff => true, linger => 5}), socket:getopt_native(S,{socket,linger},8).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2},0).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2},2).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2},<<9,9,9,9,9,9>>).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2},<<>>).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2},foo).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2},1099511627776).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,13},8).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt_native(S,{socket,2},foo).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt_native(S,{socket,2},1099511627776).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt_native(S,{socket,2},"ab").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt_native(S,{socket,2},[256]).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,nosuch},8).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,acceptfilter},8).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,peek_off},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{ip,2},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{'IP',2},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{hopopt,2},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{0,2},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{6,1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{tcp,1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{'TCP',1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{nosuch,1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{'ipv6-icmp',1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{icmp,1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{otp,1001},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{otp,debug},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:setopt_native(S,{otp,debug},true).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{-1,1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,-1},boolean).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{999,1},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,foo,integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{socket,2,3},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{1,2.0},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{"socket",2},integer).
{ok,S} = socket:open(inet,stream,tcp), socket:getopt_native(S,{1,2},integer).
EOF
}

@test "setting one option keeps priority and tos as OTP keeps them" {
	compare_cases <<'EOF'
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{socket,priority},5), ok = socket:setopt(S,{ip,tos},lowdelay), socket:getopt(S,{socket,priority}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt(S,{ip,tos},lowdelay), ok = socket:setopt(S,{socket,priority},5), socket:getopt(S,{ip,tos}).
{ok,S} = socket:open(inet,stream,tcp), ok = socket:setopt_native(S,{socket,12},5), ok = socket:setopt_native(S,{ip,1},16), socket:getopt(S,{socket,priority}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{socket,priority},7), ok = socket:setopt(S,{ip,ttl},9), socket:getopt(S,{socket,priority}).
{ok,S} = socket:open(inet,dgram,udp), ok = socket:setopt(S,{ip,tos},lowdelay), socket:getopt(S,{socket,priority}).
{ok,S} = socket:open(inet6,dgram,udp), ok = socket:setopt(S,{ipv6,tclass},16), socket:getopt(S,{socket,priority}).
EOF
}
# --- where OTP raises -------------------------------------------------

# OTP throws {invalid, {socket_option, Opt}} for an option of no known
# shape, as esock does, and raises for {otp, fd}, {otp, domain} and
# integers out of range, where esock returns the reason as an error.
@test "options of no known shape throw as OTP's do; the shell shows prim_socket's frames" {
	calls=('getopt(S, foo)' 'setopt(S, foo, 1)' 'getopt(S, {1, 2})'
	    'getopt(S, {socket, 2})' 'setopt(S, {socket, 2}, 1)'
	    'getopt(S, {"socket", reuseaddr})' 'setopt(S, socket, 2, true)'
	    'getopt(S, socket, {reuseaddr, 4})' 'setopt_native(S, foo, 1)'
	    'setopt_native(S, {1, reuseaddr}, 1)' 'setopt_native(S, {foo, 1}, 1)'
	    'getopt(S, {foo, bar})' 'getopt(S, {otp, 1})' 'getopt(S, {tcp, 1})'
	    'getopt_native(S, foo, integer)' 'getopt(S, 6, 1)')
	tries=
	i=0
	for c in "${calls[@]}"; do
		i=$((i + 1))
		tries+="${tries:+, }try socket:$c catch throw:R$i -> {thrown, R$i} end"
	done
	tries+=", catch socket:getopt(S, {6, 1})"
	assert_same_term "$(esock -e "{ok, S} = open(inet, stream, tcp), [$tries].")" \
	    "$(erl_eval "{ok, S} = socket:open(inet, stream, tcp), [$tries]")"
	# Each frame of prim_socket ends in a blank, as erl prints it.
	for c in 'socket:getopt(element(2, socket:open(inet, stream)), {6, 1}).' \
	    'socket:setopt(element(2, socket:open(inet, stream)), x, 1).'; do
		assert_equal "$(esock -e "$c" 2>&1 >/dev/null | cat -A)" \
		    "$(erl_shell "$c" | cat -A)"
	done
	run esock -e '{ok, S} = open(inet, stream, tcp), try socket:getopt(S, {6, 1}) catch throw:_:St -> St end.'
	[ "$output" = '[{prim_socket,invalid,1,[]},{prim_socket,getopt,2,[]}]' ]
	run esock -e '{ok, S} = open(inet, stream, tcp), setopt(S, {otp, fd}, 3).'
	[ "$output" = '{error,{invalid,{otp_socket_option,1008}}}' ]
	run esock_seq 'f(), {ok, S} = open(inet, stream, tcp),
		getopt_native(S, {socket, 1099511627776}, integer).'
	[ "$output" = '{error,{invalid,{socket_option,{socket,1099511627776}}}}' ]
}

@test "getopt_native with a negative size gives einval, as OTP's NIF does" {
	run esock_seq '{ok, S} = open(inet, stream, tcp), getopt_native(S, {socket, 2}, -1).'
	[ "$status" -eq 1 ]
	[ "$output" = '{error,einval}' ]
}

@test "a congestion name longer than 256 characters is invalid, as in OTP" {
	long=$(printf 'a%.0s' $(seq 1 257))
	compare_cases <<EOF
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,congestion},"${long%a}").
{ok,S} = socket:open(inet,stream,tcp), socket:setopt(S,{tcp,congestion},"$long").
EOF
}

# --- esock's own ------------------------------------------------------

@test "the word form and the omitted socket work as the call form" {
	run esock open inet stream tcp , setopt socket reuseaddr true , \
	    getopt socket reuseaddr
	[ "$status" -eq 0 ]
	[ "$output" = '{ok,true}' ]
	run esock open inet dgram udp , setopt '{ip,ttl}' 9 , getopt '{ip,ttl}'
	[ "$output" = '{ok,9}' ]
	run esock_seq '{ok, S} = open(inet6, dgram, udp), open(inet, dgram, udp),
		setopt(S, ipv6, v6only, true), getopt(S, {ipv6, v6only}).'
	[ "$output" = '{ok,true}' ]
}

@test "a bare atom is taken as a string for bindtodevice and congestion" {
	run esock open inet stream tcp , setopt socket bindtodevice lo , \
	    getopt socket bindtodevice
	[ "$output" = '{ok,[108,111,0]}' ]
	run esock open inet stream tcp , setopt tcp congestion reno , \
	    getopt tcp congestion
	[ "$output" = '{ok,[114,101,110,111,0,0,0,0,0,0,0,0,0,0,0]}' ]
}

@test "with no socket at all the option commands say so" {
	run esock getopt socket reuseaddr
	[ "$status" -eq 1 ]
	[ "$output" = '{error,{invalid,{socket,none}}}' ]
	run esock setopt_native '{socket,2}' 1
	[ "$output" = '{error,{invalid,{socket,none}}}' ]
}

@test "the option commands with too few or too many arguments print usage" {
	for c in 'getopt(S)' 'setopt(S, x)' 'getopt_native(S, x)' \
	    'setopt_native(S, x, y, z)' 'getopt(S, a, b, c)'; do
		run esock -e "{ok, S} = open(inet, stream, tcp), $c."
		[ "$status" -eq 2 ]
		[[ "$output" == *usage:* ]]
	done
}

@test "tcp keepalive tuning, user_timeout and syncnt round-trip" {
	for o in keepcnt keepidle keepintvl user_timeout syncnt; do
		run esock_seq "{ok, S} = open(inet, stream, tcp),
			ok = setopt(S, {tcp, $o}, 7), getopt(S, {tcp, $o})."
		[ "$output" = '{ok,7}' ]
	done
}

@test "tcp info is a map with the connection's state" {
	port=$(free_port)
	run esock_seq --compact "{ok, L} = open(inet, stream, tcp),
		ok = bind(L, #{family => inet, addr => loopback, port => $port}),
		ok = listen(L), {ok, C} = open(inet, stream, tcp),
		ok = connect(C, #{family => inet, addr => loopback, port => $port}),
		{ok, #{state := established, snd_mss := M}} = getopt(C, {tcp, info}),
		getopt(L, {tcp, info})."
	[ "$status" -eq 0 ]
	[[ "$output" == *'state => listen'* ]]
}

@test "peercred of a connected local socket names this user" {
	path=$BATS_TEST_TMPDIR/s
	run esock_seq --compact "{ok, L} = open(local, stream, default),
		ok = bind(L, #{family => local, path => \"$path\"}), ok = listen(L),
		{ok, C} = open(local, stream, default),
		ok = connect(C, #{family => local, path => \"$path\"}),
		getopt(C, {socket, peercred})."
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\{ok,#\{gid\ =\>\ $(id -g),pid\ =\>\ [0-9]+,uid\ =\>\ $(id -u)\}\}$ ]]
}

@test "the other extras read and round-trip" {
	run esock_seq '{ok, S} = open(inet, stream, tcp),
		ok = setopt(S, {socket, rcvtimeo}, #{sec => 1, usec => 500000}),
		getopt(S, {socket, rcvtimeo}).'
	[ "$output" = '{ok,#{sec => 1,usec => 500000}}' ]
	run esock_seq '{ok, S} = open(inet, stream, tcp), getopt(S, {socket, error}).'
	[ "$output" = '{ok,0}' ]
	run esock_seq '{ok, S} = open(inet, dgram, udp),
		ok = setopt(S, {socket, rxq_ovfl}, true), getopt(S, {socket, rxq_ovfl}).'
	[ "$output" = '{ok,true}' ]
	run esock_seq '{ok, S} = open(inet, stream, tcp), getopt(S, {ip, options}).'
	[ "$output" = '{ok,<<>>}' ]
	run esock_seq '{ok, S} = open(inet6, dgram, udp),
		ok = setopt(S, {ipv6, join_group},
		    #{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 1}),
		setopt(S, {ipv6, leave_group},
		    #{multiaddr => {65282,0,0,0,0,0,0,251}, interface => 1}).'
	[ "$output" = ok ]
}

@test "otp debug turns esock's trace of the socket on and off" {
	run esock_seq '{ok, S} = open(inet, stream, tcp),
		ok = setopt(S, {otp, debug}, true), {ok, true} = getopt(S, {otp, debug}),
		close(S).'
	[ "$status" -eq 0 ]
	[[ "$output" == *close* ]]
	run esock_seq '{ok, S} = open(inet, stream, tcp, #{debug => true}),
		ok = setopt(S, {otp, debug}, false), close(S).'
	[[ "$output" != *close* ]]
}

@test "otp fd is the socket's descriptor; controlling_process is the session, as erl's is its shell" {
	run esock_seq '{ok, S} = open(inet, stream, tcp), getopt(S, {otp, fd}).'
	[[ "$output" =~ ^\{ok,[0-9]+\}$ ]]
	c='{ok, S} = socket:open(inet, stream, tcp),
		[socket:getopt(S, {otp, controlling_process}) =:= {ok, self()},
		 socket:setopt(S, {otp, controlling_process}, self()),
		 socket:setopt(S, {otp, controlling_process}, foo),
		 socket:close(S), socket:getopt(S, {otp, controlling_process})]'
	assert_same_term "$(esock_seq "$c.")" "$(erl_eval "$c" 2>/dev/null | grep -v 'WARNING\|controlling process\|^$')"
}

# --- {otp, rcvbuf} as the default read size ----------------------------

@test "recv of Length 0 on a stream reads at most {otp, rcvbuf} bytes, as OTP does" {
	same_scenario '{ok, L} = open(inet, stream).
bind(L, #{family => inet, addr => loopback, port => 0}).
listen(L).
{ok, A} = sockname(L).
{ok, C} = open(inet, stream).
connect(C, A).
{ok, D} = accept(L).
send(D, <<"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ">>).
sleep(100).
socket:setopt(C, {otp, rcvbuf}, 10).
recv(C).
recv(C, 0).
recv(C, 0, 1000).
recv(C, 0, 0).
recv(C, 0, nowait).
socket:setopt(C, {otp, rcvbuf}, {1, 4}).
recv(C).
socket:getopt(C, {otp, rcvbuf}).
socket:setopt(C, {otp, rcvbuf}, default).
recv(C).
recv(C, 3, 0).
info(C).'
}

@test "recvfrom and recv of a datagram read at most {otp, rcvbuf} bytes, as OTP does" {
	same_scenario '{ok, U} = open(inet, dgram).
bind(U, #{family => inet, addr => loopback, port => 0}).
{ok, UA} = sockname(U).
{ok, V} = open(inet, dgram).
socket:setopt(U, {otp, rcvbuf}, 10).
sendto(V, <<"0123456789abcdefghijklmnopqrstuvwxyz">>, UA).
sendto(V, <<"0123456789abcdefghijklmnopqrstuvwxyz">>, UA).
sendto(V, <<"0123456789abcdefghijklmnopqrstuvwxyz">>, UA).
sendto(V, <<"0123456789abcdefghijklmnopqrstuvwxyz">>, UA).
sendto(V, <<"0123456789abcdefghijklmnopqrstuvwxyz">>, UA).
sendto(V, <<"0123456789abcdefghijklmnopqrstuvwxyz">>, UA).
sleep(100).
recvfrom(U).
recvfrom(U, 0).
recv(U).
socket:setopt(U, {otp, rcvbuf}, {3, 12}).
recvfrom(U, 0, 1000).
recv(U, 0, 0).
socket:setopt(U, {otp, rcvbuf}, default).
recvfrom(U, 0, nowait).
recvfrom(U, 0, 0).
info(U).'
}
