#!/usr/bin/env bats
# socket:ioctl/2,3,4: every request of supports(ioctl_requests), run in
# esock and in erl and compared. The gets read this host's interfaces;
# the sets run only in network namespaces the test makes (two alike:
# esock changes one, erl the other), on interfaces made there. Where OTP
# raises badarg, esock's {error, {invalid, ...}} is typed out and erl is
# checked to raise.

load helpers/common
load helpers/erl

teardown() {
	local ns
	for ns in ${NETNS:-} ${NETNS2:-}; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

# both 'Expr': the same expression in esock and in erl, compared.
both() {
	same_as_erl "$1." "$1"
}

# Two namespaces made alike: lo up, a veth pair esv0/esv1 (down) and a
# tun device estun0. esock works in $NETNS, erl in $NETNS2.
make_pair() {
	local ns
	make_netns
	NETNS2="$NETNS-erl"
	ip netns add "$NETNS2" 2>/dev/null || skip "cannot make a second namespace"
	ip -n "$NETNS2" link set lo up
	for ns in "$NETNS" "$NETNS2"; do
		ip -n "$ns" link add esv0 type veth peer name esv1 2>/dev/null ||
			skip "no veth interfaces here"
		ip -n "$ns" tuntap add dev estun0 mode tun 2>/dev/null ||
			skip "no tun devices here"
	done
}

# pair_same 'Expr': Expr (where NS names the namespace) with a socket S
# opened in $NETNS by esock and in $NETNS2 by erl; results compared.
pair_same() {
	local open='{ok, S} = socket:open(inet, dgram, udp, #{netns => "/var/run/netns/NS"}),'
	local mine theirs
	mine=$(esock -e "${open//NS/$NETNS} $1.")
	theirs=$(erl_eval "${open//NS/$NETNS2} $1")
	assert_same_term "$mine" "$theirs"
}

# erl_raises 'Expr' [Class Reason]: Expr raises in erl, error:badarg
# unless told otherwise.
erl_raises() {
	local out
	out=$(erl_eval "try begin $1 end of Ret -> {returned, Ret} catch C:R -> {C, R} end")
	assert_equal "$out" "{${2:-error},${3:-badarg}}"
}

OPEN='{ok, S} = socket:open(inet, dgram, udp),'

# --- gets, on this host's interfaces ----------------------------------

@test "gifconf lists the IPv4 addresses OTP lists" {
	both "$OPEN socket:ioctl(S, gifconf)"
}

@test "every get on lo gives what OTP gives, gifhwaddr's unset bytes zeroed" {
	local gets='[{R, socket:ioctl(S, R, "lo")} || R <- [gifindex, gifaddr, gifdstaddr, gifbrdaddr, gifnetmask, gifmtu, gifhwaddr, giftxqlen, gifflags, gifmap]]'
	# OTP's 14 bytes of gifhwaddr end with what its stack held.
	local zero='Z = fun({gifhwaddr, {ok, #{addr := <<A:6/binary, _/binary>>} = M}}) -> {gifhwaddr, {ok, M#{addr := <<A/binary, 0:64>>}}}; (X) -> X end,'
	mine=$(esock -e "$OPEN $gets.")
	theirs=$(erl_eval "$OPEN $zero [Z(X) || X <- $gets]")
	assert_same_term "$mine" "$theirs"
	[[ $mine == *"family => loopback"* ]]
}

@test "gifname names an index as OTP does, enodev for one that is not there" {
	both "$OPEN {socket:ioctl(S, gifname, 1), socket:ioctl(S, gifname, 999999), socket:ioctl(S, gifname, -1)}"
}

@test "every get of an interface that does not exist is enodev, as in OTP" {
	both "$OPEN [socket:ioctl(S, R, \"esnosuch0\") || R <- [gifindex, gifaddr, gifdstaddr, gifbrdaddr, gifnetmask, gifmtu, gifhwaddr, giftxqlen, gifflags, gifmap]]"
}

@test "an interface name ends at a NUL, as OTP reads it" {
	both "$OPEN socket:ioctl(S, gifindex, \"lo\\0junk\")"
}

@test "the gets on IPv6 and local sockets give OTP's results" {
	both '{ok, S6} = socket:open(inet6, dgram, udp), {ok, SL} = socket:open(local, dgram, default), [socket:ioctl(X, gifconf) || X <- [S6, SL]] ++ [socket:ioctl(X, R, "lo") || X <- [S6, SL], R <- [gifaddr, gifindex, gifmtu, gifflags]]'
}

@test "ioctl on a closed socket is closed, as in OTP" {
	both "$OPEN ok = socket:close(S), [socket:ioctl(S, gifconf), socket:ioctl(S, gifmtu, \"lo\"), socket:ioctl(S, sifmtu, \"esnosuch0\", 1500)]"
}

@test "every request supports(ioctl_requests) lists is taken, with enodev for no interface" {
	local calls='[{R, case R of gifconf -> element(1, socket:ioctl(S, R)); gifname -> socket:ioctl(S, R, 999999); sifflags -> socket:ioctl(S, R, "esnosuch0", #{up => true}); sifmtu -> socket:ioctl(S, R, "esnosuch0", 1500); siftxqlen -> socket:ioctl(S, R, "esnosuch0", 10); _ when R =:= sifaddr; R =:= sifdstaddr; R =:= sifbrdaddr -> socket:ioctl(S, R, "esnosuch0", #{family => inet, addr => {10, 0, 0, 1}}); _ -> socket:ioctl(S, R, "esnosuch0") end} || {R, true} <- socket:supports(ioctl_requests)]'
	both "$OPEN $calls"
	run esock -e "$OPEN $calls."
	[ "$(grep -c enodev <<<"$output")" -eq 17 ]
	[[ $output == *"{gifconf,ok}"* ]]
}

@test "ioctl in the word form uses the current socket and takes bare names" {
	assert_same_term "$(esock open inet dgram udp , ioctl gifmtu lo)" \
	    "$(erl_eval "$OPEN socket:ioctl(S, gifmtu, \"lo\")")"
	assert_same_term "$(esock open inet dgram udp , ioctl gifconf)" \
	    "$(erl_eval "$OPEN socket:ioctl(S, gifconf)")"
	assert_same_term "$(esock -e "$OPEN ioctl(gifindex, <<\"lo\">>).")" \
	    "$(erl_eval "$OPEN socket:ioctl(S, gifindex, \"lo\")")"
}

# --- what OTP refuses -------------------------------------------------

@test "a request with the wrong arguments or kinds raises as OTP's" {
	local e mine theirs
	for e in 'socket:ioctl(S, gifmtu)' 'socket:ioctl(S, nosuch)' \
	    'socket:ioctl(S, gifconf, "lo")' 'socket:ioctl(S, nosuch, "lo")' \
	    'socket:ioctl(S, sifmtu, "lo")' 'socket:ioctl(S, gifmtu, "lo", 1)' \
	    'socket:ioctl(S, gifname, "lo")' 'socket:ioctl(S, gifname, 1 bsl 40)' \
	    'socket:ioctl(S, gifmtu, 42)' 'socket:ioctl(S, gifmtu, "lo\x{100}")' \
	    'socket:ioctl(S, sifmtu, "lo", x)' 'socket:ioctl(S, sifflags, "lo", [up])' \
	    'socket:ioctl(S, sifaddr, "lo", {1,2,3,4})'; do
		mine=$(esock -e "$OPEN try $e catch C:R -> {C, R} end.")
		theirs=$(erl_eval "$OPEN try $e catch C:R -> {C, R} end")
		assert_equal "$e: $mine" "$e: $theirs"
	done
}

@test "a sockaddr map socket.erl throws for is that error, as an error tuple" {
	erl_raises "$OPEN socket:ioctl(S, sifaddr, \"lo\", #{addr => {1,2,3,4}})" \
	    throw '{invalid,{sockaddr,family,#{addr => {1,2,3,4}}}}'
	erl_raises "$OPEN socket:ioctl(S, sifnetmask, \"lo\", #{family => inet, bad => 1})" \
	    throw '{invalid,{sockaddr,{keys,[bad]},#{bad => 1,family => inet}}}'
	run esock -e "$OPEN [socket:ioctl(S, sifaddr, \"lo\", #{addr => {1,2,3,4}}), socket:ioctl(S, sifnetmask, \"lo\", #{family => inet, bad => 1})]."
	assert_equal "$output" '[{error,{invalid,{sockaddr,family,#{addr => {1,2,3,4}}}}},
 {error,{invalid,{sockaddr,{keys,[bad]},#{bad => 1,family => inet}}}}]'
}

# --- sets, in namespaces made for the test ----------------------------

@test "sifflags sets and clears flags and keeps the others, as in OTP" {
	make_pair
	pair_same '[socket:ioctl(S, gifflags, "esv0"),
	    socket:ioctl(S, sifflags, "esv0", #{noarp => true, promisc => true, allmulti => true, debug => true, dynamic => true, portsel => true, automedia => true, multicast => false}),
	    socket:ioctl(S, gifflags, "esv0"),
	    socket:ioctl(S, sifflags, "esv0", #{promisc => false, staticarp => true, lower_up => true}),
	    socket:ioctl(S, gifflags, "esv0")]'
}

@test "sifflags brings lo down and up again, as in OTP" {
	make_pair
	# running follows up as the kernel gets to it: left out after up.
	pair_same '[socket:ioctl(S, sifflags, "lo", #{up => false}),
	    socket:ioctl(S, gifflags, "lo"),
	    socket:ioctl(S, sifflags, "lo", #{up => true}),
	    begin {ok, F} = socket:ioctl(S, gifflags, "lo"), lists:delete(running, F) end]'
}

@test "sifflags with an unknown flag or a value not a boolean is prim_socket's invalid ioctl_flag" {
	# OTP 25 hands that error to its NIF as if it were the flags, and
	# gets ok or badarg by what its memory held: nothing to compare.
	make_pair
	run esock -e "{ok, S} = socket:open(inet, dgram, udp, #{netns => \"/var/run/netns/$NETNS\"}),
	    [socket:ioctl(S, sifflags, \"esv0\", #{nosuch => true, noarp => true}),
	    socket:ioctl(S, sifflags, \"esv0\", #{noarp => maybe, up => true}),
	    socket:ioctl(S, gifflags, \"esv0\"),
	    socket:ioctl(S, sifflags, \"esnosuch0\", #{up => true})]."
	assert_equal "$output" '[{error,{invalid,{ioctl_flag,nosuch}}},
 {error,{invalid,{ioctl_flag,{noarp,maybe}}}},
 {ok,[broadcast,multicast]},
 {error,enodev}]'
	# What OTP hands its NIF, seen by tracing the call from another
	# process (with no such interface the NIF gives enodev before it
	# reads the flags).
	assert_equal "$(nif_flags '#{nosuch => true, noarp => true}')" \
	    '{error,{invalid,{ioctl_flag,nosuch}}}'
	assert_equal "$(nif_flags '#{noarp => maybe, up => true}')" \
	    '{error,{invalid,{ioctl_flag,{noarp,maybe}}}}'
}

# nif_flags 'Map': the last argument socket:ioctl(S, sifflags, Name,
# Map) hands OTP's NIF.
nif_flags() {
	erl_eval "$OPEN Me = self(),
	    erlang:trace_pattern({prim_socket, nif_ioctl, 4}, true, [local]),
	    P = spawn(fun() -> receive go -> Me ! {done, socket:ioctl(S, sifflags, \"esnosuch0\", $1)} end end),
	    erlang:trace(P, true, [call]), P ! go,
	    receive {trace, P, call, {prim_socket, nif_ioctl, [_, _, _, Arg]}} -> Arg after 5000 -> none end"
}

@test "sifaddr, sifbrdaddr and sifdstaddr set what the gets read; sifnetmask is not OTP 25's" {
	make_pair
	pair_same '[socket:ioctl(S, sifaddr, "esv0", #{family => inet, addr => {10, 9, 8, 7}}),
	    socket:ioctl(S, sifnetmask, "esv0", #{family => inet, addr => {255, 255, 0, 0}}),
	    socket:ioctl(S, sifbrdaddr, "esv0", #{family => inet, addr => {10, 9, 255, 255}}),
	    socket:ioctl(S, sifdstaddr, "esv0", #{family => inet, addr => {10, 9, 8, 1}}),
	    [socket:ioctl(S, R, "esv0") || R <- [gifaddr, gifbrdaddr, gifdstaddr, gifnetmask]],
	    socket:ioctl(S, gifconf),
	    socket:ioctl(S, sifaddr, "esv0", #{family => inet6, addr => {0, 0, 0, 0, 0, 0, 0, 1}}),
	    socket:ioctl(S, sifaddr, "esnosuch0", #{family => inet, addr => {10, 9, 8, 6}})]'
}

@test "a point-to-point tun device: its peer, its flags, its empty hardware address" {
	make_pair
	pair_same '[socket:ioctl(S, sifaddr, "estun0", #{family => inet, addr => {10, 1, 1, 1}}),
	    socket:ioctl(S, sifdstaddr, "estun0", #{family => inet, addr => {10, 1, 1, 2}}),
	    [socket:ioctl(S, R, "estun0") || R <- [gifaddr, gifdstaddr, gifbrdaddr, gifnetmask, gifflags, gifhwaddr, gifindex, giftxqlen, gifmtu, gifmap]],
	    socket:ioctl(S, gifname, element(2, socket:ioctl(S, gifindex, "estun0")))]'
}

@test "sifmtu and siftxqlen set what gifmtu and giftxqlen read, as in OTP" {
	make_pair
	pair_same '[socket:ioctl(S, sifmtu, "esv0", 1280), socket:ioctl(S, siftxqlen, "esv0", 77),
	    socket:ioctl(S, gifmtu, "esv0"), socket:ioctl(S, giftxqlen, "esv0"),
	    socket:ioctl(S, sifmtu, "esv0", -5), socket:ioctl(S, siftxqlen, "esv0", -5),
	    socket:ioctl(S, sifmtu, "esv0", 1 bsl 40), socket:ioctl(S, siftxqlen, "esv0", 1 bsl 40),
	    socket:ioctl(S, gifmtu, "esv0"), socket:ioctl(S, giftxqlen, "esv0")]'
}

@test "a sockaddr the NIF cannot decode is OTP's bare {invalid, sockaddr}" {
	make_pair
	pair_same '[socket:ioctl(S, sifaddr, "esv0", #{family => inet6, addr => foo}),
	    socket:ioctl(S, sifaddr, "esv0", #{family => foo}),
	    socket:ioctl(S, sifaddr, "esv0", #{family => inet, addr => foo}),
	    socket:ioctl(S, gifaddr, "esv0")]'
}

@test "a name longer than 15 bytes is cut to 15, as OTP cuts it" {
	make_pair
	local ns
	for ns in "$NETNS" "$NETNS2"; do
		ip -n "$ns" link add esvlongname1234 type veth peer name esv9
	done
	pair_same '[socket:ioctl(S, gifindex, "esvlongname1234"), socket:ioctl(S, gifindex, "esvlongname1234xyz"), socket:ioctl(S, sifmtu, "esvlongname1234xyz", 1400), socket:ioctl(S, gifmtu, "esvlongname1234")]'
}

@test "gifhwaddr of a veth gives OTP's family and address, the rest zero" {
	make_pair
	local open="{ok, S} = socket:open(inet, dgram, udp, #{netns => \"/var/run/netns/$NETNS\"}),"
	mine=$(esock -e "$open socket:ioctl(S, gifhwaddr, \"esv0\").")
	theirs=$(erl_eval "$open {ok, #{addr := <<A:6/binary, _/binary>>} = M} = socket:ioctl(S, gifhwaddr, \"esv0\"), {ok, M#{addr := <<A/binary, 0:64>>}}")
	assert_same_term "$mine" "$theirs"
	[[ $mine == *"family => ether"* ]]
	[[ $mine == *",0,0,0,0,0,0,0,0>>"* ]]
}

@test "arguments socket.erl's clauses refuse raise badarg as erl's" {
	FRESH=1 same_lines_as_erl "$BATS_TEST_DIRNAME/data/ioctl_args.txt" -k
}
