#!/usr/bin/env bats
# The REPL in a real terminal: each test drives esock inside its own
# tmux server (send-keys, capture-pane), with its own history directory.

load helpers/common

setup() {
	command -v tmux >/dev/null
	TSOCK=$BATS_TEST_TMPDIR/tmux
	export XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
	mkdir -p "$XDG_STATE_HOME"
}

teardown() {
	local pid
	tmux -S "$TSOCK" kill-server 2>/dev/null || true
	for pid in ${PEERS:-}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# start_repl: esock in a 120x40 terminal; its exit status goes to
# $BATS_TEST_TMPDIR/exit when it ends.
start_repl() {
	tmux -S "$TSOCK" new-session -d -x 120 -y 40 \
		"XDG_STATE_HOME='$XDG_STATE_HOME' '$ESOCK'; echo \$? >'$BATS_TEST_TMPDIR/exit'; sleep 30"
	wait_screen '^1>'
}

# exited_with STATUS: esock ends (within 5 s) with that exit status.
exited_with() {
	for _ in $(seq 1 100); do
		[ -s "$BATS_TEST_TMPDIR/exit" ] && break
		sleep 0.05
	done
	[ "$(cat "$BATS_TEST_TMPDIR/exit")" = "$1" ]
}

screen() {
	tmux -S "$TSOCK" capture-pane -p
}

keys() {
	tmux -S "$TSOCK" send-keys "$@"
}

# wait_screen REGEX [SECONDS]: until a screen line matches (default 5 s).
wait_screen() {
	local i
	for i in $(seq 1 $((${2:-5} * 20))); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	echo "screen never matched $1:" >&2
	return 1
}

# How many select messages the screen shows.
messages() {
	screen | grep -c "^{'\$socket'" || true
}

# The last non-blank line of the screen.
last_line() {
	screen | grep -v '^ *$' | tail -n 1
}

@test "the prompt appears and a call prints its result" {
	start_repl
	keys 'make_ref().' Enter
	wait_screen '^#Ref<0\.0\.0\.1>$'
	wait_screen '^2>$'
}

@test "Tab completes command names, socket: names, option names and variables" {
	start_repl
	keys 'getad' Tab
	wait_screen '^1> getaddrinfo$'
	keys C-u 'socket:supp' Tab
	wait_screen '^1> socket:supports$'
	keys C-u '{ok, Sock} = open(inet, stream).' Enter
	wait_screen '^2>$'
	keys 'setopt(So' Tab
	wait_screen '^2> setopt\(Sock$'
	keys ', {socket,reusea' Tab
	wait_screen '^2> setopt\(Sock, \{socket,reuseaddr$'
	keys C-u 'getopt(Sock, {tcp,nod' Tab
	wait_screen '^2> getopt\(Sock, \{tcp,nodelay$'
}

@test "Tab completes the atoms an argument takes, and lists the choices" {
	start_repl
	keys 'open(ine' Tab
	wait_screen '^1> open\(inet$'
	keys ', str' Tab
	wait_screen '^1> open\(inet, stream$'
	keys C-u 'shutdown(S, read_' Tab
	wait_screen '^1> shutdown\(S, read_write$'
	keys C-u 'open inet6 dgram u' Tab
	wait_screen '^1> open inet6 dgram udp$'
	keys C-u '{socket,reuse' Tab Tab
	wait_screen 'reuseaddr +reuseport'
}

@test "a nowait connect's select message shows up while a half-typed line stays intact" {
	# A listener with room for one connection in its accept queue,
	# which takes them only after 1.5 s: the second connect stays in
	# progress until the kernel retries its SYN.
	port=$(free_port)
	"$ESOCK" -e "{ok, L} = open(inet, stream), bind(L, 127.0.0.1:$port), listen(L, 0), sleep(1500), accept(L), accept(L), sleep(20000)." >/dev/null 2>&1 &
	PEERS=$!
	wait_port "$port"
	start_repl
	keys "{ok, C1} = open(inet, stream), {ok, C2} = open(inet, stream), connect(C1, 127.0.0.1:$port, nowait)." Enter
	wait_screen '^2>$'
	sleep 0.3
	keys "connect(C2, 127.0.0.1:$port, nowait)." Enter
	wait_screen '^\{select,\{select_info,connect,#Ref<0\.0\.0\.[0-9]+>\}\}$'
	wait_screen '^3>$'
	keys '{half, typed'
	wait_screen '^3> \{half, typed$'
	before=$(messages)
	# the message comes in its own time, above the line being typed
	for _ in $(seq 1 200); do
		[ "$(messages)" -gt "$before" ] && break
		sleep 0.05
	done
	[ "$(messages)" -gt "$before" ]
	[ "$(last_line)" = '3> {half, typed' ]
	keys ', line}.' Enter
	wait_screen '^\{half,typed,line\}$'
	keys 'connect(C2).' Enter
	wait_screen '^ok$'
}

@test "Ctrl-C interrupts recv(S, 0, infinity); the socket stays open and usable" {
	start_repl
	keys '{ok, L} = open(inet, stream), bind(L, 127.0.0.1:0), listen(L), {ok, A} = sockname(L).' Enter
	keys '{ok, C} = open(inet, stream), connect(C, A), {ok, S} = accept(L).' Enter
	wait_screen '^3>$'
	keys 'recv(S, 0, infinity).' Enter
	sleep 0.5
	keys C-c
	wait_screen '\{error,eintr\}$'
	wait_screen '^4>$'
	keys 'send(C, <<"after">>), recv(S, 0, 2000).' Enter
	wait_screen '^\{ok,<<"after">>\}$'
}

@test "Ctrl-C at the prompt drops the line and does not exit" {
	start_repl
	keys 'this line goes'
	wait_screen '^1> this line goes$'
	keys C-c
	wait_screen '^1>$'
	keys 'ok.' Enter
	wait_screen '^ok$'
	[ ! -e "$BATS_TEST_TMPDIR/exit" ]
}

@test "history persists across two sessions, in a file of mode 0600" {
	start_repl
	keys 'first_session_atom.' Enter
	wait_screen '^first_session_atom$'
	keys C-d
	exited_with 0
	hist=$XDG_STATE_HOME/esock/history
	[ "$(stat -c %a "$hist")" = 600 ]
	grep -q first_session_atom "$hist"
	tmux -S "$TSOCK" kill-server
	rm -f "$BATS_TEST_TMPDIR/exit"
	# A server of its own: the first one may still be going away.
	TSOCK=$BATS_TEST_TMPDIR/tmux2
	start_repl
	keys Up
	wait_screen '^1> first_session_atom\.$'
}

@test "Ctrl-D exits with status 0, closing every socket" {
	start_repl
	keys '{ok, L} = open(inet, stream), bind(L, 127.0.0.1:0), listen(L), {select, _} = accept(L, nowait).' Enter
	wait_screen '^2>$'
	keys C-d
	exited_with 0
}

@test "a message that comes while a line runs shows after its result, once" {
	start_repl
	keys '{ok, L} = open(inet, stream), bind(L, 127.0.0.1:0), listen(L), {ok, #{port := P}} = sockname(L), P.' Enter
	wait_screen '^2>$'
	port=$(screen | grep -E '^[0-9]+$' | tail -n 1)
	keys '{select, _} = accept(L, nowait), sleep(1500).' Enter
	sleep 0.5
	(exec 3<>"/dev/tcp/127.0.0.1/$port")
	wait_screen '^3>$'
	assert_equal "$(screen | grep -A1 '^ok$' | tail -n 1 | cut -c1-21)" "{'\$socket',{'\$socket'"
	keys 'flush(), accept(L), {select, _} = accept(L, nowait), receive(3000).' Enter
	sleep 0.5
	(exec 3<>"/dev/tcp/127.0.0.1/$port")
	wait_screen '^4>$'
	[ "$(messages)" -eq 2 ]
}

@test "Tab counts arguments with the scanner: commas in strings, quoted atoms and char literals are no separators" {
	start_repl
	# the second argument of open is a type; taking the quoted commas
	# and blanks for separators would complete a protocol (default)
	keys 'open("x,y", d' Tab
	wait_screen '^1> open\("x,y", dgram$'
	keys C-u "open 'in et' d" Tab
	wait_screen "^1> open 'in et' dgram$"
	keys C-u 'open($,, d' Tab
	wait_screen '^1> open\(\$,, dgram$'
	# an unterminated string completes nothing, and the REPL goes on
	keys C-u 'getaddrinfo("a,b' Tab
	wait_screen '^1> getaddrinfo\("a,b$'
	keys C-u 'ok.' Enter
	wait_screen '^ok$'
}

# type LINE...: each line as typed, then Enter.
type_lines() {
	local l
	for l in "$@"; do
		keys -l "$l"
		keys Enter
	done
}

@test "the tour's three connect examples, typed over many lines, give done" {
	start_repl
	type_lines '{ok, L} = open(inet, stream), ok = bind(L, #{family => inet, addr => loopback, port => 0}), ok = listen(L), {ok, Dest} = sockname(L), {ok, S} = open(inet, stream).'
	wait_screen "^\{ok,\{'\\\$socket'"
	type_lines 'case connect(S, Dest, nowait) of' \
	    '  ok -> done\;' \
	    '  {error, _} = E1 -> E1\;' \
	    '  {select, {select_info, _, SH} = _SI} ->' \
	    '    receive' \
	    "      {'\$socket', S, select, SH} ->" \
	    '        case connect(S) of' \
	    '          ok -> done\;' \
	    '          {error, _} = E2 -> E2' \
	    '        end' \
	    '    end' \
	    'end.'
	wait_screen '^done$'
	[ "$(screen | grep -c '^\.\. ')" -ge 11 ]
	keys C-l
	type_lines '{ok, S1} = open(inet, stream).'
	type_lines 'case connect(S1, Dest, 5000) of' \
	    '  ok -> done\;' \
	    '  {error, timeout} -> timeout\;' \
	    '  {error, _} = E -> E' \
	    'end.'
	wait_screen '^done$'
	keys C-l
	type_lines '{ok, S3} = open(inet, stream), f(SH), f(E1), f(E2).'
	type_lines 'SH = make_ref(),' \
	    'case connect(S3, Dest, SH) of' \
	    '  ok -> done\;' \
	    '  {error, _} = E1 -> E1\;' \
	    '  {select, _SelectInfo} ->' \
	    '    receive' \
	    "      {'\$socket', S3, select, SH} ->" \
	    '        case connect(S3) of ok -> done; {error, _} = E2 -> E2 end' \
	    '    end' \
	    'end.'
	wait_screen '^done$'
}

@test "an exception takes back the line's bindings; earlier ones stay, as in erl" {
	start_repl
	type_lines 'A = 1.' 'B = 2, 1 = 2.'
	wait_screen '^\*\* exception error: no match of right hand side value 2$'
	type_lines 'B.'
	wait_screen "variable 'B' is unbound"
	type_lines 'A + 41.'
	wait_screen '^42$'
}

@test "Tab completes keywords and library functions" {
	start_repl
	keys -l 'lists:fol'
	keys Tab Tab
	wait_screen 'lists:foldl +lists:foldr'
	keys C-u
	keys -l 'rece'
	keys Tab
	wait_screen '^[0-9]+> receive$'
}

@test "history on a full disk: said at once, the session goes on" {
	mkdir -p "$XDG_STATE_HOME/esock"
	ln -s /dev/full "$XDG_STATE_HOME/esock/history"
	start_repl
	keys 'a_line.' Enter
	wait_screen 'history .*: No space left on device; lines are no longer saved'
	wait_screen '^a_line$'
	keys '1 + 2.' Enter
	wait_screen '^3$'
	keys 'q().' Enter
	exited_with 0
	[ -c /dev/full ]
	[ "$(stat -c %a /dev/full)" = 666 ]
}

@test "history keeps blanks and backslashes of a line" {
	start_repl
	keys 'X = "a  b\\c".' Enter
	wait_screen '^"a  b\\\\c"$'
	keys C-d
	exited_with 0
	tmux -S "$TSOCK" kill-server
	rm -f "$BATS_TEST_TMPDIR/exit"
	TSOCK=$BATS_TEST_TMPDIR/tmux2
	start_repl
	keys Up
	wait_screen '^1> X = "a  b\\\\c"\.$'
}

# The pid of esock in the terminal: the child of the pane's shell.
repl_pid() {
	pgrep -nP "$(tmux -S "$TSOCK" display -p '#{pane_pid}')"
}

# start_repl_job: esock in a shell with job control (so that a signal
# libedit passes on reaches esock's process group only), which records
# the terminal's modes after esock ends.
start_repl_job() {
	tmux -S "$TSOCK" new-session -d -x 120 -y 40 \
		"set -m; XDG_STATE_HOME='$XDG_STATE_HOME' '$ESOCK'; echo \$? >'$BATS_TEST_TMPDIR/exit'; stty -a >'$BATS_TEST_TMPDIR/stty'; sleep 30"
	wait_screen '^1>'
}

# The modes start_repl_job recorded (within 2 s) are cooked ones again:
# canonical input and echo.
terminal_restored() {
	for _ in $(seq 1 40); do
		[ -s "$BATS_TEST_TMPDIR/stty" ] && break
		sleep 0.05
	done
	grep -Eq '(^| )icanon( |$)' "$BATS_TEST_TMPDIR/stty"
	grep -Eq '(^| )echo( |$)' "$BATS_TEST_TMPDIR/stty"
}

@test "signals: SIGWINCH and SIGINT during a wait, then SIGTERM at the prompt: the terminal is restored" {
	start_repl_job
	pid=$(repl_pid)
	keys 'receive after 3000 -> waited end.' Enter
	sleep 0.3
	for _ in $(seq 1 50); do kill -WINCH "$pid"; done
	kill -INT "$pid"
	wait_screen '^2>'
	keys 'ok_after.' Enter
	wait_screen '^ok_after$'
	for _ in $(seq 1 20); do kill -WINCH "$pid"; done
	kill -TERM "$pid"
	exited_with 143
	terminal_restored
}

@test "SIGHUP (the terminal went away) ends the REPL by the signal, the terminal restored" {
	start_repl_job
	pid=$(repl_pid)
	keys 'partial_line'
	sleep 0.2
	kill -HUP "$pid"
	exited_with 129
	terminal_restored
}

@test "in a UTF-8 terminal, é is read and shown as é, results as erl's shell shows them (~tp)" {
	tmux -u -S "$TSOCK" new-session -d -x 120 -y 40 \
		"LANG=C.UTF-8 XDG_STATE_HOME='$XDG_STATE_HOME' '$ESOCK'; sleep 30"
	wait_screen '^1>'
	keys '"é".' Enter
	wait_screen '^"é"$'
	keys '<<"é"/utf8>>.' Enter
	wait_screen '^<<"é"/utf8>>$'
	keys '<<"ж"/utf8>>.' Enter
	wait_screen '^<<208,182>>$'
	keys 'io:format("~ts|~w~n", [[1046], "é"]).' Enter
	wait_screen '^Ж\|\[233\]$'
	keys "{'é'} = x." Enter
	wait_screen "value x"
}
