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
