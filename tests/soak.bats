#!/usr/bin/env bats
# The soak, short (make soak runs a million calls): rounds of nowait
# connect, accept, send, recv, cancel and abort-on-close in one session
# leave RSS, descriptors and number_of() where they were.

load helpers/common

@test "soak: 50000 nowait socket calls, RSS steady, no descriptor or socket left" {
	run sh "$TESTS_DIR/soak.sh" 5000
	printf '%s\n' "$output" >&2
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"ops => 50000"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^ok: ')" -eq 4 ]
}

@test "soak.sh fails when a descriptor is left open" {
	# a script that leaks: the same soak with one socket never closed
	sed 's/^ok = socket:close(L)\.$/ok./' "$TESTS_DIR/soak.esock" \
		>"$BATS_TEST_TMPDIR/soak.esock"
	cp "$TESTS_DIR/soak.sh" "$BATS_TEST_TMPDIR/soak.sh"
	run sh "$BATS_TEST_TMPDIR/soak.sh" 500
	[ "$status" -ne 0 ]
	[[ "$output" == *"FAILED: descriptors"* ]]
}
