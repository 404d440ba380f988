#!/usr/bin/env bats
# The fuzz regression corpus: each libFuzzer harness, built with the
# project's compiler and flags and tests/fuzz/replay.c for a main
# (make check builds them next to esock, in FUZZ_REPLAY_DIR), runs every
# input of tests/fuzz/regress/NAME: a crash found once stays fixed.

load helpers/common

REPLAY_DIR=${FUZZ_REPLAY_DIR:-$(dirname "$ESOCK")}

replay() {
	local bin=$REPLAY_DIR/fuzz-replay-$1
	[ -x "$bin" ] || {
		echo "$bin missing: make fuzz-replay builds it" >&2
		return 1
	}
	run timeout 120 "$bin" "$TESTS_DIR/fuzz/regress/$1"
	echo "$output"
	[ "$status" -eq 0 ]
	# An empty corpus would pass without testing anything.
	[[ "$output" =~ replayed\ [1-9][0-9]*\ inputs ]]
}

@test "the scanner and term parser replay their regression inputs" {
	replay parse
}

@test "the language and evaluator replay their regression inputs" {
	replay lang
}

@test "endpoints and address literals replay their regression inputs" {
	replay endpoint
}

@test "the ~p printer reads back every regression input it prints" {
	replay print
}

@test "--json prints valid JSON for every regression input" {
	replay json
}

@test "the sockaddr codec round trips its regression inputs" {
	replay sockaddr
}

@test "the option value codecs round trip their regression inputs" {
	replay opt
}

@test "control messages list and build their regression inputs" {
	replay cmsg
}
