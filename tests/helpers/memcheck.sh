#!/bin/sh
# make memcheck: the Bats suite (or the files given) with every esock run
# under valgrind's memcheck, each into a log of its own; then every log
# is read. A log is clean with no error in its summary (an invalid
# access, an uninitialised value, a definite leak) and, for a run that
# ended by itself, no descriptor open at exit but those it inherited.
# (A run ended by a signal, as a test's teardown ends its peers, has its
# descriptors closed by the kernel; valgrind lists what was open then.)
#   sh tests/helpers/memcheck.sh /path/to/esock [file.bats ...]
set -u
real=${1:?usage: memcheck.sh ESOCK [file.bats ...]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/esock-memcheck.XXXXXX")
mkdir -p "$work/bin" "$work/logs"
cat >"$work/bin/esock" <<EOF
#!/bin/sh
exec valgrind --leak-check=full --errors-for-leak-kinds=definite \\
	--error-exitcode=99 --track-fds=yes \\
	--log-file=$work/logs/%p.log "$real" "\$@"
EOF
chmod +x "$work/bin/esock"
ESOCK=$work/bin/esock ESOCK_VALGRIND=1 sh "$here/run.sh" "$@"
suite=$?
# The findings of a log: its errors, and the descriptors a run that
# ended by itself left open. (A run with stdout closed may write into
# its log: only valgrind's ==PID== lines count.)
findings() {
	awk '
	!/^==[0-9]+==/ { next }
	{ sub(/^==[0-9]+== ?/, "") }
	/^Process terminating with default action of signal/ { signalled = 1 }
	/^ERROR SUMMARY: [1-9]/ { errors = 1 }
	/^(Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and destination|Argument .* of function)/ ||
	    / definitely lost in loss record / { show = 8; err[++ne] = "" }
	show > 0 { err[ne] = err[ne] $0 "\n"; show--; next }
	/^Open / { held = $0; next }
	held != "" {
		if ($0 !~ /<inherited from parent>/) fd[++nf] = held "\n" $0 "\n"
		held = ""
	}
	END {
		if (errors) for (i = 1; i <= ne; i++) printf "%s", err[i]
		if (!signalled) for (i = 1; i <= nf; i++) printf "%s", fd[i]
	}
	' "$1"
}
dirty=0
runs=0
for log in "$work"/logs/*.log; do
	[ -e "$log" ] || continue
	runs=$((runs + 1))
	out=$(findings "$log")
	if [ -n "$out" ]; then
		dirty=$((dirty + 1))
		echo "== $log"
		printf '%s\n' "$out" | head -40
	fi
done
echo "memcheck: $runs esock runs, $dirty with findings (logs in $work)"
[ "$dirty" -eq 0 ] || exit 1
exit "$suite"
