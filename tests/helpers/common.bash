# Shared by every .bats file: the binary under test, temp dirs, bounded
# waits and free loopback ports.
: "${ESOCK:?ESOCK must point at the esock binary (make check sets it)}"
export ESOCK
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA_DIR=$TESTS_DIR/data

esock() {
	timeout 20 "$ESOCK" "$@"
}

# A TCP port on 127.0.0.1 that nothing listens on right now, below the
# kernel's ephemeral range (32768 up), so that no client socket of this
# or another test, nor one in TIME_WAIT, can hold it.
free_port() {
	local port i
	for i in $(seq 1 50); do
		port=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# Waits (at most $2 seconds, default 5) until a TCP port accepts.
wait_port() {
	local port=$1 limit=${2:-5} i
	for i in $(seq 1 $((limit * 20))); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Fails with both texts shown when they differ.
assert_equal() {
	if [ "$1" != "$2" ]; then
		printf 'expected:\n%s\nactual:\n%s\n' "$2" "$1" >&2
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") >&2
		return 1
	fi
}
bats_require_minimum_version 1.5.0

# Creates a network namespace for this test (root and iproute2 only),
# with its loopback interface up; skips the test when that is not possible.
make_netns() {
	[ "$(id -u)" -eq 0 ] || skip "network namespaces need root"
	command -v ip >/dev/null || skip "no ip(8)"
	# ip netns needs / to be a mount point; in a chroot it half-works
	# and leaves a mount behind, so do not try there
	mountpoint -q / || skip "network namespaces need / to be a mount point"
	NETNS="esock-test-$$-$BATS_TEST_NUMBER"
	ip netns add "$NETNS" 2>/dev/null || {
		NETNS=
		skip "cannot create a network namespace here"
	}
	ip -n "$NETNS" link set lo up 2>/dev/null || {
		ip netns del "$NETNS" 2>/dev/null
		NETNS=
		skip "network namespaces do not work here (a chroot?)"
	}
}

# make memcheck runs esock under valgrind (ESOCK_VALGRIND set): a test
# that measures what valgrind changes (RSS, descriptors below the
# limit, timing) says so and is skipped there only.
skip_under_valgrind() {
	if [ -n "${ESOCK_VALGRIND:-}" ]; then
		skip "under valgrind: $1"
	fi
}
