# Shared by the tests that start peers in the background (socat, nc,
# esock servers): their pids go in pids, and peers_teardown kills and
# reaps them.
peers_teardown() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}

# Waits (at most 5 s) until something listens on a TCP (t, the default)
# or UDP (u) port, or a local socket path (x; @NAME for an abstract
# one), without connecting: a probe would use up a one-shot peer's only
# accept.
wait_listen() {
	local proto=${2:-t} i
	for i in $(seq 1 100); do
		if [ "$proto" = x ]; then
			[ -n "$(ss -Hlx "src $1")" ] && return 0
		else
			[ -n "$(ss -Hln$proto "sport = :$1")" ] && return 0
		fi
		sleep 0.05
	done
	return 1
}
