# Scenario tests: one esock script, run in esock and (translated line by
# line) in erl, result by result. Loaded after common and erl.

# Replaces references and port numbers, which differ from run to run.
norm() {
	sed -E 's/#Ref<[0-9.]+>/ref/g; s/port => [0-9]+/port => P/g'
}

# Turns an esock script (one call-form expression a line) into an erl
# expression sequence that prints each result as esock --compact does:
# commands become socket:Name(...), sleep(N) is timer:sleep, receive(T)
# a receive with an after clause, flush() prints "Shell got" lines as
# --compact does.
to_erl() {
	awk -v cmds=" accept bind cancel close connect listen number_of open peername recv recvfrom send sendto shutdown sockname which_sockets " '
	function conv(rhs,    name, args) {
		if (match(rhs, /^[a-z_]+\(/) && substr(rhs, length(rhs)) == ")") {
			name = substr(rhs, 1, RLENGTH - 1)
			args = substr(rhs, RLENGTH + 1, length(rhs) - RLENGTH - 1)
			if (name == "info")
				return args == "" ? "socket:info()" : "I(" args ")"
			if (name == "sleep")
				return "begin timer:sleep(" args "), ok end"
			if (name == "receive")
				return "Rcv(" args ")"
			if (name == "flush")
				return "F()"
			if (index(cmds, " " name " "))
				return "socket:" name "(" args ")"
		}
		return rhs
	}
	{
		line = $0
		sub(/\.[ \t]*$/, "", line)
		if (line ~ /^[ \t]*(%.*)?$/)
			next
		i = index(line, " = ")
		if (i) {
			lhs = substr(line, 1, i + 2)
			rhs = substr(line, i + 3)
		} else {
			lhs = ""
			rhs = line
		}
		out[++n] = lhs "R(" conv(rhs) ")"
	}
	END {
		for (k = 1; k <= n; k++)
			printf "%s%s\n", out[k], (k < n ? "," : ".")
	}'
}

ERL_PRELUDE='R = fun(T) -> io:format("~s~n", [io_lib:print(T, 1, 1000000, -1)]), T end, I = fun(S) -> socket:info(S) end, Rcv = fun(T) -> receive M -> M after T -> timeout end end, F = fun FL() -> receive M -> io:format("Shell got ~s~n", [io_lib:print(M, 1, 1000000, -1)]), FL() after 0 -> ok end end,'

# Runs an esock script (-k: every line runs) and prints its results one
# a line; fails when esock exits with anything but 0 or 1.
esock_script() {
	local out rc
	out=$(esock --compact -k -e "$1")
	rc=$?
	if [ "$rc" -gt 1 ]; then
		printf 'esock exited %d:\n%s\n' "$rc" "$out" >&2
		return 1
	fi
	printf '%s\n' "$out"
}

# same_scenario SCRIPT [SETUP]: runs the script in esock and in erl (after
# running SETUP, a shell command, before each) and compares the results.
same_scenario() {
	local mine theirs
	[ -z "${2:-}" ] || eval "$2"
	mine=$(esock_script "$1") || return 1
	[ -z "${2:-}" ] || eval "$2"
	theirs=$(erl_run "$ERL_PRELUDE $(printf '%s\n' "$1" | to_erl)")
	assert_equal "$(norm <<<"$mine")" "$(norm <<<"$theirs")"
}
