#!/usr/bin/env bats
# The net module (gethostname, getaddrinfo, getnameinfo, getifaddrs,
# if_names, if_name2index, if_index2name) and the socket module's
# supports/is_supported, each compared with what OTP returns on this host.
# Where OTP raises instead of returning, the expected error is typed out.

load helpers/common
load helpers/erl

teardown() {
	if [ -n "${NETNS:-}" ]; then
		ip netns del "$NETNS" 2>/dev/null || true
	fi
}



# --- gethostname ------------------------------------------------------

@test "gethostname gives the host name OTP gives" {
	same_as_erl 'gethostname().' 'net:gethostname()'
}

@test "gethostname in the word form and with the net: prefix agrees" {
	a=$(esock gethostname)
	b=$(esock -e 'net:gethostname().')
	assert_same_term "$a" "$(erl_eval 'net:gethostname()')"
	assert_same_term "$b" "$a"
}

# --- getaddrinfo ------------------------------------------------------

@test "getaddrinfo of localhost lists the addresses OTP lists, in its order" {
	same_as_erl 'net:getaddrinfo("localhost").' 'net:getaddrinfo("localhost")'
}

@test "getaddrinfo in the word form takes bare atoms as host and service" {
	mine=$(esock getaddrinfo localhost http)
	assert_same_term "$mine" "$(erl_eval 'net:getaddrinfo("localhost", "http")')"
}

@test "getaddrinfo takes binaries as strings" {
	mine=$(esock -e 'getaddrinfo(<<"localhost">>, <<"http">>).')
	assert_same_term "$mine" "$(erl_eval 'net:getaddrinfo("localhost", "http")')"
}

@test "getaddrinfo with an undefined host gives the service on every family" {
	same_as_erl 'getaddrinfo(undefined, "http").' \
	    'net:getaddrinfo(undefined, "http")'
}

@test "getaddrinfo of numeric IPv4 and IPv6 hosts matches OTP" {
	same_as_erl 'getaddrinfo("127.0.0.1", "80").' \
	    'net:getaddrinfo("127.0.0.1", "80")'
	same_as_erl 'getaddrinfo("::1", "80").' 'net:getaddrinfo("::1", "80")'
}

@test "getaddrinfo of this host's own name matches OTP" {
	host=$(erl_eval 'element(2, net:gethostname())')
	# the name may not resolve (a chroot): then both give the same error
	run esock -e "getaddrinfo($host, \"ssh\")."
	[ "$status" -le 1 ]
	assert_same_term "$output" "$(erl_eval "net:getaddrinfo($host, \"ssh\")")"
}

@test "getaddrinfo of an unknown host gives OTP's enoname" {
	run esock -e 'getaddrinfo("no.such.host.invalid").'
	[ "$status" -eq 1 ]
	assert_same_term "$output" \
	    "$(erl_eval 'net:getaddrinfo("no.such.host.invalid")')"
	[ "$output" = "{error,enoname}" ]
}

@test "getaddrinfo of an unknown service gives OTP's eservice" {
	run esock getaddrinfo localhost no-such-service
	[ "$status" -eq 1 ]
	assert_same_term "$output" \
	    "$(erl_eval 'net:getaddrinfo("localhost", "no-such-service")')"
}

@test "getaddrinfo of an empty host name gives what OTP gives" {
	same_error_as_erl 'getaddrinfo("", "http").' \
	    'net:getaddrinfo("", "http")'
}

@test "getaddrinfo with bad argument types names the bad argument" {
	run esock -e 'getaddrinfo(42).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{host,42}}}" ]
	run esock -e 'getaddrinfo(undefined, undefined).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{host,undefined}}}" ]
	run esock -e 'getaddrinfo("localhost", {http}).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{service,{http}}}}" ]
	run esock -e 'getaddrinfo([1000]).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{host,[1000]}}}" ]
}

@test "getaddrinfo takes a port number as the service" {
	mine=$(esock getaddrinfo localhost 80)
	assert_same_term "$mine" "$(erl_eval 'net:getaddrinfo("localhost", "80")')"
}

@test "getaddrinfo takes an address word such as 127.0.0.1 or [::1] as the host" {
	mine=$(esock getaddrinfo 127.0.0.1 80)
	assert_same_term "$mine" "$(erl_eval 'net:getaddrinfo("127.0.0.1", "80")')"
	mine=$(esock getaddrinfo '[::1]' http)
	assert_same_term "$mine" "$(erl_eval 'net:getaddrinfo("::1", "http")')"
}

@test "getaddrinfo with the wrong number of arguments prints usage and exits 2" {
	run esock -e 'getaddrinfo().'
	[ "$status" -eq 2 ]
	run esock -e 'getaddrinfo("a", "b", "c").'
	[ "$status" -eq 2 ]
}

# --- getnameinfo ------------------------------------------------------

@test "getnameinfo of the loopback address gives OTP's host and service" {
	same_as_erl \
	    'getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 80}).' \
	    'net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 80})'
}

@test "getnameinfo takes an address shorthand in both forms" {
	theirs=$(erl_eval \
	    'net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 22})')
	assert_same_term "$(esock getnameinfo 127.0.0.1:22)" "$theirs"
	assert_same_term "$(esock -e 'getnameinfo(127.0.0.1:22).')" "$theirs"
}

@test "getnameinfo with numerichost and numericserv matches OTP for IPv6" {
	same_as_erl \
	    'getnameinfo(#{family => inet6, addr => {0,0,0,0,0,0,0,1}, port => 22}, [numerichost, numericserv]).' \
	    'net:getnameinfo(#{family => inet6, addr => {0,0,0,0,0,0,0,1}, port => 22}, [numerichost, numericserv])'
}

@test "getnameinfo's dgram, nofqdn and idn flags match OTP" {
	same_as_erl \
	    'getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 517}, [dgram]).' \
	    'net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 517}, [dgram])'
	same_as_erl \
	    'getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 80}, [idn, nofqdn]).' \
	    'net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 80}, [idn, nofqdn])'
}

@test "getnameinfo with namereqd for an unnamed address fails as OTP does" {
	run esock -e \
	    'getnameinfo(#{family => inet, addr => {192,0,2,77}, port => 80}, [namereqd]).'
	[ "$status" -eq 1 ]
	assert_same_term "$output" "$(erl_eval \
	    'net:getnameinfo(#{family => inet, addr => {192,0,2,77}, port => 80}, [namereqd])')"
}

@test "getnameinfo of a local address matches OTP" {
	same_as_erl 'getnameinfo(#{family => local, path => "/tmp/x"}).' \
	    'net:getnameinfo(#{family => local, path => "/tmp/x"})'
}

@test "getnameinfo of a malformed address gives OTP's einval" {
	same_error_as_erl 'getnameinfo(#{family => inet, addr => {1,2,3}}).' \
	    'net:getnameinfo(#{family => inet, addr => {1,2,3}})'
	same_error_as_erl 'getnameinfo(#{family => foo}).' \
	    'net:getnameinfo(#{family => foo})'
}

@test "getnameinfo of an unspec address gives OTP's efamily" {
	same_error_as_erl 'getnameinfo(#{family => unspec}).' \
	    'net:getnameinfo(#{family => unspec})'
}

@test "getnameinfo returns OTP's bare invalid term for a map without family or with unknown keys" {
	same_as_erl 'getnameinfo(#{}).' 'net:getnameinfo(#{})'
	same_as_erl \
	    'getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 0, x => 1, a => 2}).' \
	    'net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 0, x => 1, a => 2})'
	same_as_erl 'getnameinfo(#{family => local}).' \
	    'net:getnameinfo(#{family => local})'
}

@test "getnameinfo ignores an improper tail of its flags as OTP does" {
	same_as_erl \
	    'getnameinfo(#{family => inet, addr => {127,0,0,1}}, [numerichost | foo]).' \
	    'net:getnameinfo(#{family => inet, addr => {127,0,0,1}}, [numerichost | foo])'
}

@test "getnameinfo takes the low 16 bits of a port, as OTP does" {
	for p in 70000 -1; do
		same_as_erl \
		    "getnameinfo(#{family => inet, addr => {127,0,0,1}, port => $p})." \
		    "net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => $p})"
	done
}

@test "net:Name(...) raises as OTP's net module does for arguments of the wrong type" {
	FRESH=1 same_lines_as_erl "$BATS_TEST_DIRNAME/data/net_args.txt" -k
}

@test "getnameinfo with bad argument types names the bad argument" {
	run esock -e 'getnameinfo(foo).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{sockaddr,foo}}}" ]
	run esock -e 'getnameinfo(#{family => inet}, foo).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{name_info_flags,foo}}}" ]
	run esock -e 'getnameinfo(#{family => inet}, [foo]).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{name_info_flag,foo}}}" ]
}

# --- getifaddrs -------------------------------------------------------

@test "getifaddrs with no filter lists OTP's inet and inet6 entries" {
	same_as_erl 'getifaddrs().' 'net:getifaddrs()'
}

@test "getifaddrs with each family filter lists what OTP lists" {
	for f in default inet inet6 packet all; do
		mine=$(esock getifaddrs "$f")
		assert_same_term "$mine" "$(erl_eval "net:getifaddrs($f)")"
	done
}

@test "ifaddrs is another name for getifaddrs" {
	a=$(esock ifaddrs all)
	b=$(esock getifaddrs all)
	[ -n "$a" ]
	[ "$a" = "$b" ]
}

@test "getifaddrs filter maps select by family and flags as OTP does" {
	for m in '#{family => inet, flags => [up, loopback]}' \
	    '#{family => inet6, flags => [multicast]}' \
	    '#{family => all, flags => [up]}' \
	    '#{family => packet, flags => [up]}' \
	    '#{flags => [running, up]}' \
	    '#{flags => [broadcast, broadcast]}' \
	    '#{family => inet, flags => []}' \
	    '#{family => inet, flags => [nosuchflag]}' \
	    '#{family => nosuchfamily}' \
	    '#{family => nosuchfamily, flags => notalist}' \
	    '#{family => inet6, extra_key => 1}' \
	    '#{}'; do
		mine=$(esock -e "getifaddrs($m).")
		assert_same_term "$mine" "$(erl_eval "net:getifaddrs($m)")"
	done
}

@test "getifaddrs with an unknown filter names it" {
	run esock getifaddrs nosuchfilter
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{filter,nosuchfilter}}}" ]
	run esock -e 'getifaddrs(42).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{filter,42}}}" ]
}

@test "getifaddrs with filter flags that are not a list names them" {
	run esock -e 'getifaddrs(#{family => inet, flags => foo}).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{flags,foo}}}" ]
	run esock -e 'getifaddrs(#{family => inet, flags => [up | foo]}).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{flags,[up|foo]}}}" ]
}

@test "getifaddrs in a namespace that does not exist gives enoent" {
	run esock -e 'getifaddrs("/nonexistent/netns").'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,enoent}" ]
	run esock getifaddrs all /nonexistent/netns
	[ "$status" -eq 1 ]
	[ "$output" = "{error,enoent}" ]
}

@test "getifaddrs with a bad namespace argument names it" {
	run esock -e 'getifaddrs(inet, 42).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{namespace,42}}}" ]
}

# OTP 25's getifaddrs/1,2 with a namespace never return (net.erl calls
# itself), so erl runs inside the namespace instead.
@test "getifaddrs in a network namespace lists what OTP sees inside it" {
	make_netns
	for f in all inet packet; do
		mine=$(esock -e "getifaddrs($f, \"/var/run/netns/$NETNS\").")
		theirs=$(ip netns exec "$NETNS" timeout 60 erl -noshell \
		    -eval "io:format(\"~p~n\",[net:getifaddrs($f)]),halt().")
		assert_same_term "$mine" "$theirs"
	done
	mine=$(esock getifaddrs "/var/run/netns/$NETNS")
	theirs=$(ip netns exec "$NETNS" timeout 60 erl -noshell \
	    -eval 'io:format("~p~n",[net:getifaddrs()]),halt().')
	assert_same_term "$mine" "$theirs"
}

@test "getifaddrs in a namespace leaves esock in its own namespace" {
	make_netns
	mine=$(esock -e "getifaddrs(all, \"/var/run/netns/$NETNS\"), getifaddrs(all).")
	assert_same_term "$mine" "$(erl_eval 'net:getifaddrs(all)')"
}

@test "getifaddrs of the current namespace's path equals getifaddrs()" {
	[ "$(id -u)" -eq 0 ] || skip "setns needs root"
	mine=$(esock -e 'getifaddrs("/proc/self/ns/net").')
	assert_same_term "$mine" "$(erl_eval 'net:getifaddrs()')"
}

# --- if_names, if_name2index, if_index2name ---------------------------

@test "if_names lists the interfaces OTP lists" {
	same_as_erl 'if_names().' 'net:if_names()'
}

@test "if_name2index of lo matches OTP in both forms" {
	theirs=$(erl_eval 'net:if_name2index("lo")')
	assert_same_term "$(esock if_name2index lo)" "$theirs"
	assert_same_term "$(esock -e 'if_name2index("lo").')" "$theirs"
	assert_same_term "$(esock -e 'if_name2index(<<"lo">>).')" "$theirs"
}

@test "if_name2index of an unknown interface gives OTP's enodev" {
	run esock if_name2index nosuchif0
	[ "$status" -eq 1 ]
	assert_same_term "$output" "$(erl_eval 'net:if_name2index("nosuchif0")')"
	same_error_as_erl 'if_name2index("").' 'net:if_name2index("")'
}

@test "if_name2index of a name too long for IF_NAMESIZE gives OTP's einval" {
	same_error_as_erl 'if_name2index("aaaaaaaaaaaaaaaaaaaaaaaa").' \
	    'net:if_name2index("aaaaaaaaaaaaaaaaaaaaaaaa")'
	same_error_as_erl 'if_name2index([1000]).' 'net:if_name2index([1000])'
}

@test "if_name2index with a bad argument type names it" {
	run esock -e 'if_name2index(42).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{name,42}}}" ]
}

@test "if_index2name gives OTP's names for every index if_names lists" {
	for i in $(erl_eval '[I || {I, _} <- element(2, net:if_names())]' |
	    tr -d '[]' | tr ',' ' '); do
		assert_same_term "$(esock if_index2name "$i")" \
		    "$(erl_eval "net:if_index2name($i)")"
	done
}

@test "if_index2name of an unused index gives OTP's enxio" {
	same_error_as_erl 'if_index2name(0).' 'net:if_index2name(0)'
	same_error_as_erl 'if_index2name(4294967295).' \
	    'net:if_index2name(4294967295)'
}

@test "if_index2name with a negative, too large or non-integer index names it" {
	run esock -e 'if_index2name(-1).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{index,-1}}}" ]
	run esock -e 'if_index2name(4294967296).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{index,4294967296}}}" ]
	run esock if_index2name lo
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{index,lo}}}" ]
}

@test "the net commands with too many arguments print usage and exit 2" {
	for c in 'gethostname(x).' 'if_names(x).' 'if_name2index().' \
	    'if_index2name(1, 2).' 'getnameinfo().' 'getifaddrs(a, b, c).'; do
		run esock -e "$c"
		[ "$status" -eq 2 ]
	done
}

# --- supports, is_supported -------------------------------------------

@test "supports of msg_flags, ioctl_flags and ioctl_requests match OTP, order included" {
	for k in msg_flags ioctl_flags ioctl_requests; do
		assert_same_term "$(esock supports "$k")" \
		    "$(erl_eval "socket:supports($k)")"
	done
}

# OTP lists protocols in its hash map's order, so compare them sorted.
@test "supports(protocols) has every name and alias OTP has" {
	mine=$(esock -e 'supports(protocols).')
	assert_same_term "$(erl_eval "lists:sort($mine)")" \
	    "$(erl_eval 'lists:sort(socket:supports(protocols))')"
}

@test "supports of a feature or an unknown key is the empty list, as in OTP" {
	for k in sctp ipv6 local netns sendfile nosuchkey 42; do
		assert_same_term "$(esock -e "supports($k).")" \
		    "$(erl_eval "socket:supports($k)")"
	done
}

@test "supports/2 with keys OTP does not list gives the empty list" {
	for a in 'nosuch, key' 'protocols, tcp' 'msg_flags, peek' \
	    'options, "socket"'; do
		assert_same_term "$(esock -e "supports($a).")" \
		    "$(erl_eval "socket:supports($a)")"
	done
}

# The options entry is the option table's (options.bats checks it).
@test "supports() has OTP's keys in OTP's order and the same values" {
	mine=$(esock -e 'supports().')
	norm='[{K, case K of protocols -> lists:sort(V); options -> options; _ -> V end} || {K, V} <- '
	assert_same_term "$(erl_eval "$norm ($mine)]")" \
	    "$(erl_eval "$norm socket:supports()]")"
}

@test "is_supported of the features and of unknown keys matches OTP" {
	for k in sctp ipv6 local netns sendfile nosuchkey msg_flags protocols 42; do
		assert_same_term "$(esock -e "is_supported($k).")" \
		    "$(erl_eval "socket:is_supported($k)")"
	done
}

@test "is_supported of table entries matches OTP" {
	for a in 'msg_flags, peek' 'msg_flags, nosuch' 'msg_flags, "peek"' \
	    'ioctl_flags, up' 'ioctl_flags, staticarp' 'ioctl_flags, lower_up' \
	    'ioctl_flags, 1' 'ioctl_requests, gifname' 'ioctl_requests, nosuch' \
	    'ioctl_requests, "gifname"' 'protocols, tcp' "protocols, 'IP'" \
	    "protocols, 'ipv6-icmp'" 'protocols, nosuch' 'protocols, "tcp"' \
	    'protocols, 6' 'options, foo' 'options, {socket, peek_off}' \
	    'sctp, x' 'nosuch, key'; do
		assert_same_term "$(esock -e "is_supported($a).")" \
		    "$(erl_eval "socket:is_supported($a)")"
	done
}

@test "is_supported in the word form agrees with the call form" {
	[ "$(esock is_supported msg_flags peek)" = "true" ]
	[ "$(esock is_supported ipv6)" = \
	    "$(erl_eval 'socket:is_supported(ipv6)')" ]
}

@test "is_supported/3 takes only atoms, as OTP does, and names a bad argument" {
	run esock -e 'is_supported(options, socket, "x").'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{option,\"x\"}}}" ]
	run esock -e 'is_supported(options, 1, x).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{level,1}}}" ]
	run esock -e 'is_supported(foo, socket, x).'
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{key,foo}}}" ]
}

@test "supports and is_supported with too many arguments print usage and exit 2" {
	run esock -e 'supports(a, b, c).'
	[ "$status" -eq 2 ]
	run esock -e 'is_supported().'
	[ "$status" -eq 2 ]
	run esock -e 'is_supported(a, b, c, d).'
	[ "$status" -eq 2 ]
}
