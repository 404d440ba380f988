#!/bin/sh
# make memcheck: the Bats suite (or the files given) with every esock run
# under valgrind's memcheck, each into a log of its own; then every log
# is read. A log is clean when it holds nothing but the descriptors
# esock inherited: any invalid access, uninitialised value, definite
# leak, or descriptor esock opened and left open at exit is reported.
#   sh tests/helpers/memcheck.sh /path/to/esock [file.bats ...]
set -u
real=${1:?usage: memcheck.sh ESOCK [file.bats ...]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/esock-memcheck.XXXXXX")
mkdir -p "$work/bin" "$work/logs"
cat >"$work/bin/esock" <<EOF
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite \\
	--error-exitcode=99 --track-fds=yes \\
	--log-file=$work/logs/%p.log "$real" "\$@"
EOF
chmod +x "$work/bin/esock"
ESOCK=$work/bin/esock ESOCK_VALGRIND=1 sh "$here/run.sh" "$@"
suite=$?
# What is left of a log once the inherited descriptors are taken out.
findings() {
	# (a run with stdout closed may write into its log: only valgrind's
	# ==PID== lines count)
	awk '
	!/^==[0-9]+==/ { next }
	{ sub(/^==[0-9]+== ?/, "") }
	/^FILE DESCRIPTORS: / { next }
	/^Open file descriptor / { held = $0; next }
	held != "" {
		if ($0 !~ /<inherited from parent>/) print held
		held = ""
		if ($0 ~ /<inherited from parent>/) next
	}
	/^ *$/ { next }
	{ print }
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
