#!/usr/bin/env bats
# Invocation: global options, modes and exit statuses.

load helpers/common

@test "-V and --version name the version and the event loop backend" {
	run esock -V
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^esock\ [0-9]+\.[0-9]+\.[0-9]+\ \(event\ loop:\ (epoll|kqueue|poll)\)$ ]]
	run esock --version
	[ "$status" -eq 0 ]
}

@test "--help lists every command of the table with its summary" {
	run esock --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: esock"* ]]
	for c in $(esock --list commands); do
		grep -q "^  $c " <<<"$output" || grep -q "alias $c" <<<"$(esock -e "help $c.")" ||
			{ echo "missing $c"; return 1; }
	done
}

@test "-h and --help also list every global option" {
	run esock -h
	for o in $(esock --list options); do
		[[ "$output" == *"$o"* ]] || { echo "missing $o"; return 1; }
	done
}

@test "the command table is sorted by name" {
	names=$(esock --help | sed -n '/^commands:/,$p' | awk 'NR > 1 { print $1 }')
	[ -n "$names" ]
	[ "$names" = "$(printf '%s\n' "$names" | LC_ALL=C sort)" ]
}

@test "an unknown option is a usage error, exit 2" {
	run esock --no-such-option
	[ "$status" -eq 2 ]
	[[ "$output" == *"Try 'esock --help'"* ]]
}

@test "a bad -t value is a usage error naming it" {
	run esock -t soon -e 'ok.'
	[ "$status" -eq 2 ]
	[[ "$output" == *"timeout soon"* ]]
	run esock -t infinity -e 'ok.'
	[ "$status" -eq 0 ]
	run esock --timeout 500 -e 'ok.'
	[ "$status" -eq 0 ]
}

@test "-q prints nothing and the exit status still tells" {
	run esock -q -e '{a, b}.'
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run esock -q sleep x
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "--compact prints one term per line" {
	run esock --compact -e '[{a_long_atom_name_number_one, 1}, {a_long_atom_name_number_two, 2}, {a_long_atom_name_number_three, 3}].'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	run esock -e '[{a_long_atom_name_number_one, 1}, {a_long_atom_name_number_two, 2}, {a_long_atom_name_number_three, 3}].'
	[ "${#lines[@]}" -gt 1 ]
}

@test "-f runs a script file, and esock works as a #! interpreter" {
	cat >"$BATS_TEST_TMPDIR/s.esock" <<EOS
#!$ESOCK -f
first.
{second, Args}.
EOS
	chmod +x "$BATS_TEST_TMPDIR/s.esock"
	run esock -f "$BATS_TEST_TMPDIR/s.esock" one two
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'first\n{second,["one","two"]}')" ]
	run "$BATS_TEST_TMPDIR/s.esock" x
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '{second,["x"]}' ]
}

@test "a missing script file is a usage error" {
	run esock -f /nonexistent/script
	[ "$status" -eq 2 ]
	[[ "$output" == *"/nonexistent/script"* ]]
}

@test "-e and -f together are refused" {
	run esock -e 'a.' -f /dev/null
	[ "$status" -eq 2 ]
}

@test "results go to stdout, errors included; messages go to stderr" {
	run --separate-stderr esock sleep x
	[ "$status" -eq 1 ]
	[ "$output" = "{error,{invalid,{time,x}}}" ]
	[ -z "$stderr" ]
}

@test "--list prints the command and option names the completions use" {
	run esock --list commands
	[ "$status" -eq 0 ]
	[[ "$output" == *getaddrinfo* ]]
	run esock --list options
	[[ "$output" == *--json* ]]
	run esock --list nonsense
	[ "$status" -eq 2 ]
}

@test "an empty script succeeds and prints nothing" {
	run esock -e ''
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run esock </dev/null
	[ "$status" -eq 0 ]
}

@test "make install and uninstall honour DESTDIR and PREFIX" {
	d=$BATS_TEST_TMPDIR/dest
	run make -s -C "$TESTS_DIR/.." install DESTDIR="$d" PREFIX=/opt/es
	[ "$status" -eq 0 ]
	[ -x "$d/opt/es/bin/esock" ]
	[ -f "$d/opt/es/share/man/man1/esock.1" ]
	run "$d/opt/es/bin/esock" -e 'installed.'
	[ "$output" = "installed" ]
	run make -s -C "$TESTS_DIR/.." uninstall DESTDIR="$d" PREFIX=/opt/es
	[ "$status" -eq 0 ]
	[ ! -e "$d/opt/es/bin/esock" ]
	[ ! -e "$d/opt/es/share/man/man1/esock.1" ]
}

@test "with stdout closed, results go nowhere and no socket takes fd 1" {
	# without /dev/null on fd 1 the socket would be fd 1, and the result
	# would be written into it (and fail)
	run bash -c "'$ESOCK' -e 'open(inet, dgram), ok.' >&-"
	[ "$status" -eq 0 ]
	run bash -c "'$ESOCK' -e 'open(inet, dgram), ok.' <&-"
	[ "$status" -eq 0 ]
	[ "$output" = "ok" ]
}

@test "the REPL starts in a terminal, numbers its prompts by input, and exits on Ctrl-D" {
	command -v tmux >/dev/null
	sock="$BATS_TEST_TMPDIR/tmux"
	tmux -S "$sock" new-session -d -x 100 -y 20 "HOME=$BATS_TEST_TMPDIR $ESOCK"
	for i in $(seq 1 50); do
		tmux -S "$sock" capture-pane -p | grep -q '^1>' && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys 'a, b, {done, c}.' Enter
	tmux -S "$sock" send-keys '' Enter
	for i in $(seq 1 50); do
		tmux -S "$sock" capture-pane -p | grep -q '^2>' && break
		sleep 0.1
	done
	screen=$(tmux -S "$sock" capture-pane -p)
	tmux -S "$sock" send-keys C-d
	sleep 0.3
	tmux -S "$sock" kill-server 2>/dev/null || true
	[[ "$screen" == *"{done,c}"* ]]
	grep -q '^2>' <<<"$screen"
	! grep -q '^3>' <<<"$screen"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/.esock_history")" = "600" ]
}

@test "every word after -f FILE is the script's, options included, as in #! use" {
	cat >"$BATS_TEST_TMPDIR/a.esock" <<EOS
#!$ESOCK -f
{got, Args}.
EOS
	chmod +x "$BATS_TEST_TMPDIR/a.esock"
	run "$BATS_TEST_TMPDIR/a.esock" -x 1
	[ "$status" -eq 0 ]
	[ "$output" = '{got,["-x","1"]}' ]
	run esock -f "$BATS_TEST_TMPDIR/a.esock" -q foo
	[ "$status" -eq 0 ]
	[ "$output" = '{got,["-q","foo"]}' ]
	# esock's own options still come before -f
	run esock -q -f "$BATS_TEST_TMPDIR/a.esock" foo
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "several -e run in order, and their arguments are Args" {
	run esock -e 'first.' -e '{second, Args}.' -e 'third.' x
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'first\n{second,["x"]}\nthird')" ]
	# a failure stops the rest, unless -k
	run esock -e 'sleep(x).' -e 'after_it.'
	[ "$status" -eq 1 ]
	[ "$output" = '{error,{invalid,{time,x}}}' ]
	run esock -k -e 'sleep(x).' -e 'after_it.'
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = after_it ]
}
