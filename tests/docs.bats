#!/usr/bin/env bats
# The manual page and the completions against the command table: none
# of them can drift from what the binary accepts.

load helpers/common

@test "the manual page is clean under mandoc -Tlint" {
	run mandoc -Tlint -W warning "$TESTS_DIR/../man/esock.1"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "the manual page documents exactly the commands of the table" {
	documented=$(sed -n 's/^\.It Ic \([a-z_0-9]*\).*/\1/p' "$TESTS_DIR/../man/esock.1" | LC_ALL=C sort -u)
	table=$(esock --list commands | LC_ALL=C sort -u)
	assert_equal "$documented" "$table"
}

@test "the manual page documents every global option" {
	for o in $(esock --list options); do
		case $o in
		--*) grep -q "^\.It .*Fl Fl ${o#--}\b" "$TESTS_DIR/../man/esock.1" ||
			{ echo "undocumented $o"; return 1; } ;;
		-*) grep -q "^\.It Fl ${o#-}\b" "$TESTS_DIR/../man/esock.1" ||
			{ echo "undocumented $o"; return 1; } ;;
		esac
	done
}

@test "the committed completions are what the command table generates" {
	mkdir -p "$BATS_TEST_TMPDIR/c"
	sh "$TESTS_DIR/../completions/generate.sh" "$ESOCK" "$BATS_TEST_TMPDIR/c"
	for f in esock.bash _esock esock.fish; do
		diff -u "$TESTS_DIR/../completions/$f" "$BATS_TEST_TMPDIR/c/$f"
	done
}

@test "bash completion offers every command and option" {
	source "$TESTS_DIR/../completions/esock.bash"
	COMP_WORDS=(esock getad); COMP_CWORD=1
	_esock
	[ "${COMPREPLY[*]}" = "getaddrinfo" ]
	COMP_WORDS=(esock --js); COMP_CWORD=1
	_esock
	[ "${COMPREPLY[*]}" = "--json" ]
	for c in $(esock --list commands); do
		COMP_WORDS=(esock "$c"); COMP_CWORD=1
		_esock
		[[ " ${COMPREPLY[*]} " == *" $c "* ]] || { echo "no $c"; return 1; }
	done
}

@test "the README names both set-up commands and every command's README line" {
	grep -q 'make run' "$TESTS_DIR/../README.md"
	grep -q 'make check' "$TESTS_DIR/../README.md"
	for c in $(esock --list commands); do
		grep -q "\`$c\b" "$TESTS_DIR/../README.md" || { echo "README lacks $c"; return 1; }
	done
}

@test "bash completion offers socket option names after setopt and getopt" {
	source "$TESTS_DIR/../completions/esock.bash"
	COMP_WORDS=(esock setopt "{socket,reuse"); COMP_CWORD=2
	_esock
	[ "${COMPREPLY[*]}" = "{socket,reuseaddr} {socket,reuseport}" ]
	COMP_WORDS=(esock getopt "{tcp,node"); COMP_CWORD=2
	_esock
	[ "${COMPREPLY[*]}" = "{tcp,nodelay}" ]
	[ "$(esock --list socket-options | wc -l)" -gt 50 ]
}

@test "the manual page lists exactly the socket options of the option table" {
	documented=$(sed -n 's/^\.It Li \({[a-zA-Z0-9_]*,[a-zA-Z0-9_]*}\)$/\1/p' "$TESTS_DIR/../man/esock.1" | LC_ALL=C sort)
	table=$(esock --list socket-options | LC_ALL=C sort)
	[ -n "$table" ]
	assert_equal "$documented" "$table"
}

@test "help options prints every option of the table with its summary" {
	run esock -q help options
	[ "$status" -eq 0 ]
	for o in $(esock --list socket-options); do
		grep -qF "  $o " <<<"$output" || { echo "missing $o"; return 1; }
	done
}

@test "the manual page's lists of argument names are the tables esock --list prints" {
	man=$TESTS_DIR/../man/esock.1
	kinds=$(sed -n 's/^\.\\" LIST \([a-z-]*\)$/\1/p' "$man")
	for k in hows supports which filters msg-flags; do
		grep -qx -- "$k" <<<"$kinds" || { echo "the manual lists no $k"; return 1; }
	done
	for k in $kinds; do
		documented=$(sed -n "/^\.\\\\\" LIST $k\$/,/^\.\\\\\" END LIST\$/s/^\.It Cm \([a-z_0-9]*\)\$/\1/p" "$man")
		table=$(esock --list "$k")
		[ -n "$table" ]
		assert_equal "$documented" "$table"
	done
}

@test "the manual page and the README document every --list kind" {
	for k in $(esock --list lists); do
		grep -qx "\.It Cm $k" "$TESTS_DIR/../man/esock.1" || { echo "man lacks $k"; return 1; }
		grep -q "^- \`esock --list .*\b$k\b" "$TESTS_DIR/../README.md" || { echo "README lacks $k"; return 1; }
	done
}

@test "the usage of shutdown and which_sockets names the values of their tables" {
	run esock help shutdown
	assert_equal "${lines[0]}" "usage: shutdown [Socket] $(esock --list hows | paste -sd '|' | sed 's/|/ | /g')"
	run esock help which_sockets
	assert_equal "${lines[0]}" "usage: which_sockets [$(esock --list which | paste -sd "|" | sed "s/|/ | /g") | Pid | Fun]"
}
