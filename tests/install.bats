#!/usr/bin/env bats
# make install into a staging tree: the binary runs from there and its
# manual page reads; make uninstall takes both away.

load helpers/common

@test "make install DESTDIR PREFIX: the installed esock runs, its man page reads" {
	root=$BATS_TEST_TMPDIR/root
	# the build the suite runs (build, build-san, build-poll...)
	builddir=$(basename "$(dirname "$ESOCK")")
	[ -x "$TESTS_DIR/../$builddir/esock" ] || skip "ESOCK is no build of this tree"
	run make -s -C "$TESTS_DIR/.." install BUILDDIR="$builddir" \
		DESTDIR="$root" PREFIX=/opt/esock
	[ "$status" -eq 0 ]
	[ -x "$root/opt/esock/bin/esock" ]
	run "$root/opt/esock/bin/esock" -e 'lists:sum([1, 2, 3]).'
	[ "$output" = 6 ]
	run sh -c "mandoc -Tascii '$root/opt/esock/share/man/man1/esock.1' | sed 's/.\x08//g'"
	[ "$status" -eq 0 ]
	[[ "$output" == *"esock - the Erlang/OTP socket and net API"* ]]
	run make -s -C "$TESTS_DIR/.." uninstall BUILDDIR="$builddir" \
		DESTDIR="$root" PREFIX=/opt/esock
	[ "$status" -eq 0 ]
	[ ! -e "$root/opt/esock/bin/esock" ]
	[ ! -e "$root/opt/esock/share/man/man1/esock.1" ]
}
