# Runs calls in the real Erlang/OTP and compares its terms with esock's.

# erl_run 'Erlang expressions': evaluates them (the text goes through a
# file, since erl -eval splits its argument at blanks) and prints what
# they print.
erl_run() {
	local f
	f=$(mktemp "${BATS_TEST_TMPDIR:-/tmp}/erl.XXXXXX")
	printf '%s\n' "$1" >"$f"
	timeout 60 erl -noshell -eval "{ok,B}=file:read_file(\"$f\"),{ok,T,_}=erl_scan:string(unicode:characters_to_list(B)),{ok,E}=erl_parse:parse_exprs(T),erl_eval:exprs(E,[]),halt()."
	local rc=$?
	rm -f "$f"
	return $rc
}

# erl_eval 'Expr': prints the value of one expression as ~p prints it.
erl_eval() {
	erl_run "V = begin $1 end, io:format(\"~p~n\", [V])."
}

# No erl_crash.dump files from a failing erl call.
export ERL_CRASH_DUMP_SECONDS=0

# Replaces #Ref<...> by a fixed atom so two runs compare.
norm_refs() {
	sed -E 's/#Ref<[0-9.]+>/ref/g'
}

# assert_same_term ESOCK_TEXT ERL_TEXT: the printed terms are the same
# text once references are normalised.
assert_same_term() {
	local a b
	a=$(printf '%s\n' "$1" | norm_refs)
	b=$(printf '%s\n' "$2" | norm_refs)
	assert_equal "$a" "$b"
}

# same_as_erl 'esock -e text' 'erl expr': runs both and compares.
same_as_erl() {
	local mine theirs
	mine=$(esock -e "$1")
	theirs=$(erl_eval "$2")
	assert_same_term "$mine" "$theirs"
}

# same_error_as_erl 'esock -e text' 'erl expr': esock fails (exit 1) with
# the same {error, ...} term erl returns.
same_error_as_erl() {
	run esock -e "$1"
	[ "$status" -eq 1 ]
	assert_same_term "$output" "$(erl_eval "$2")"
}

# erl_shell 'lines': feeds the lines to erl's own shell and prints what it
# printed (results, exceptions, errors), without its banner and prompts.
erl_shell() {
	printf '%s\n' "$1" | timeout 60 erl 2>&1 |
		sed -e '1d' -e 's/^[0-9][0-9]*> //' \
			-e '/^\*\*\* Terminating erlang/d'
}

# same_exception_as_erl 'text': esock -e fails with exit 1 and prints on
# stderr the exception text erl's shell prints for the same input.
same_exception_as_erl() {
	run --separate-stderr esock -e "$1"
	[ "$status" -eq 1 ]
	assert_same_term "$stderr" "$(erl_shell "$1")"
}

# Each line of a file is a sequence with no full stop. erl_lines and
# esock_lines print each line's value as ~p prints it, then a marker
# line, so that the two outputs compare. With FRESH set, each line starts
# with no bindings; else bindings carry from line to line.
erl_lines() {
	erl_run "{ok, B} = file:read_file(\"$1\"),
	Lines = [L || L <- string:split(unicode:characters_to_list(B), \"\\n\", all), L =/= \"\"],
	lists:foldl(fun(L, Bs) ->
		{ok, T, _} = erl_scan:string(L ++ \".\"),
		{ok, E} = erl_parse:parse_exprs(T),
		{value, V, Bs1} = erl_eval:exprs(E, Bs),
		io:format(\"~p~n'----'~n\", [V]),
		case \"${FRESH:-}\" of \"\" -> Bs1; _ -> erl_eval:new_bindings() end
	end, erl_eval:new_bindings(), Lines)."
}

esock_lines() {
	local script=$BATS_TEST_TMPDIR/lines.esock
	while IFS= read -r line; do
		[ -n "$line" ] && printf '%s%s.\n%s\n' "${FRESH:+f(), }" "$line" "'----'."
	done <"$1" >"$script"
	esock "${@:2}" -f "$script"
}

# same_lines_as_erl FILE [OPTION...]: every line of FILE gives erl's
# value (FRESH as above); the options go to esock (-k: every line runs).
same_lines_as_erl() {
	local mine theirs
	mine=$(esock_lines "$@" | norm_refs)
	theirs=$(erl_lines "$1" | norm_refs)
	assert_equal "$mine" "$theirs"
}

# same_shell_as_erl FILE: each line of FILE typed into esock and into
# erl's shell (each line forgets earlier bindings with FRESH set) prints
# the same values and the same exceptions, in order.
same_shell_as_erl() {
	local input mine theirs
	input=$(sed -e '/^$/d' -e "s/^/${FRESH:+f(), }/" -e 's/$/./' "$1")
	mine=$(esock -k <<<"$input" 2>&1 | norm_refs)
	theirs=$(erl_shell "$input" | norm_refs)
	assert_equal "$mine" "$theirs"
}

# same_syntax_error_as_erl 'text': esock -e refuses it (exit 2) with the
# line, column and message erl's shell gives ("* L:C: message").
same_syntax_error_as_erl() {
	run --separate-stderr esock -e "$1"
	[ "$status" -eq 2 ]
	assert_equal "$(sed 's/^esock: -e:/* /' <<<"$stderr")" "$(erl_shell "$1")"
}

# erl_shell_errors 'text': erl_shell's output without the frames of
# erl_eval's own modules ("in function eval_bits:..."), which esock does
# not have.
erl_shell_errors() {
	erl_shell "$1" | awk '
		/^     in (function|call from)  ?(eval_bits|erl_eval|lists):/ { next }
		{ print }'
}
