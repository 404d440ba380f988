#!/usr/bin/env bats
# The state matrix (data/matrix.erl): listen, accept, connect/1,3,
# send, sendto, recv, recvfrom, shutdown, peername, sockname, cancel,
# setopt and getopt on tcp (inet, inet6), udp and local stream, dgram
# and seqpacket sockets in each state (fresh, bound, listening, connect
# in progress, connected, shut down each way, peer closed, peer reset,
# closed), with timeouts of 0 (100 ms for connect) and nowait. The one
# program runs in esock and in erl, each in a directory of its own for
# the local sockets' paths, and the lines must be the same.

load helpers/common
load helpers/erl

# References and ports differ from run to run.
matrix_norm() {
	sed -E 's/#Ref<[0-9.]+>/R/g; s/port( ?)=>( ?)[0-9]+/port=>P/g'
}

@test "every operation in every state gives OTP's result, line by line" {
	local prog mine theirs
	prog=$(cat "$BATS_TEST_DIRNAME/data/matrix.erl")
	mkdir "$BATS_TEST_TMPDIR/esock" "$BATS_TEST_TMPDIR/erl"
	mine=$(cd "$BATS_TEST_TMPDIR/esock" && timeout 120 "$ESOCK" -q -f "$BATS_TEST_DIRNAME/data/matrix.erl" | matrix_norm)
	theirs=$(cd "$BATS_TEST_TMPDIR/erl" && erl_run "$prog" | matrix_norm)
	[ "$(wc -l <<<"$theirs")" -gt 1500 ]
	assert_equal "$mine" "$theirs"
}
