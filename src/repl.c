/*
 * The REPL: reads lines with libedit's callback interface, as one more
 * source on the event loop, joins continuation lines while brackets are
 * open, and hands each logical line to the language. Select messages
 * show above the line being typed as they arrive; Tab completes from the
 * command and option tables and the bindings; Ctrl-C interrupts a wait
 * (through the loop's self-pipe) or drops the line at the prompt.
 * History lives in $XDG_STATE_HOME/esock/history (or ~/.esock_history),
 * created with mode 0600, in libedit's format: each line is added to
 * the file as it is entered, so that a failure to write it (a full disk)
 * is said at once and the session goes on.
 *
 * libedit is loaded with dlopen when the REPL starts, not linked: a
 * one-shot command or script then maps only libc, and esock starts as
 * fast as /bin/true (libedit drags in libtinfo, libbsd and libmd).
 */
#include "compat.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <dlfcn.h>
#include <editline/readline.h>

#include "bif.h"
#include "cmd.h"
#include "endpoint.h"
#include "lang.h"
#include "loop.h"
#include "mailbox.h"
#include "net.h"
#include "opt.h"
#include "repl.h"
#include "sockname.h"
#include "term_scan.h"
#include "trace.h"
#include "util.h"

/*
 * The libedit functions and variables the REPL uses, resolved by name
 * at start: the readline-compatible callback interface, so that line
 * input is one more source on the event loop.
 */
static struct {
	int (*add_history)(const char *);
	int (*read_history)(const char *);
	void (*stifle_history)(int);
	void (*handler_install)(const char *, rl_vcpfunc_t *);
	void (*read_char)(void);
	void (*handler_remove)(void);
	void (*forced_update_display)(void);
	void (*replace_line)(const char *, int);
	char **(*completion_matches)(const char *, rl_compentry_func_t *);
	char **line_buffer;
	rl_completion_func_t **attempted_completion;
	const char **word_break;
	int *append_character;
	int *catch_signals;
} el;

static const struct {
	const char *name;
	void **slot;
} el_syms[] = {
    {"add_history", (void **)&el.add_history},
    {"read_history", (void **)&el.read_history},
    {"stifle_history", (void **)&el.stifle_history},
    {"rl_callback_handler_install", (void **)&el.handler_install},
    {"rl_callback_read_char", (void **)&el.read_char},
    {"rl_callback_handler_remove", (void **)&el.handler_remove},
    {"rl_forced_update_display", (void **)&el.forced_update_display},
    {"rl_replace_line", (void **)&el.replace_line},
    {"rl_completion_matches", (void **)&el.completion_matches},
    {"rl_line_buffer", (void **)&el.line_buffer},
    {"rl_attempted_completion_function", (void **)&el.attempted_completion},
    {"rl_basic_word_break_characters", (void **)&el.word_break},
    {"rl_completion_append_character", (void **)&el.append_character},
    {"rl_catch_signals", (void **)&el.catch_signals},
};

static const char *const el_libs[] = {"libedit.so.2", "libedit.so"};

/* Returns 0 when libedit is loaded, or -1 with a message printed. */
static int
load_libedit(void)
{
	void *h = NULL;
	size_t i;

	for (i = 0; h == NULL && i < sizeof el_libs / sizeof el_libs[0]; i++)
		h = dlopen(el_libs[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "esock: cannot load libedit: %s\n", dlerror());
		return -1;
	}
	for (i = 0; i < sizeof el_syms / sizeof el_syms[0]; i++) {
		/* POSIX allows this conversion for dlsym's result. */
		*el_syms[i].slot = dlsym(h, el_syms[i].name);
		if (*el_syms[i].slot == NULL) {
			fprintf(stderr, "esock: libedit lacks %s\n",
			    el_syms[i].name);
			dlclose(h);
			return -1;
		}
	}
	return 0;
}

/* Finds (and creates the directory of) the history file. */
static char *
history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct buf b;

	buf_init(&b);
	if (state != NULL && *state == '/') {
		buf_addf(&b, "%s/esock", state);
		if (mkdir(buf_str(&b), 0700) < 0 && errno != EEXIST) {
			buf_free(&b);
			return NULL;
		}
		buf_adds(&b, "/history");
	} else if (home != NULL && *home != '\0')
		buf_addf(&b, "%s/.esock_history", home);
	else
		return NULL;
	return (char *)buf_str(&b);
}

/* History lines the REPL keeps; the file keeps every one. */
#define HISTORY_LINES 1000

/* The history file, open for appending, or -1; its path for messages. */
static int hist_fd = -1;
static char *hist_path;

/*
 * Adds a line to the file as libedit's strvis(VIS_WHITE) would, in the
 * octal escapes its strunvis reads back (raw: the file's header). A
 * failure is said and the file is left alone for the session.
 */
static void
history_append(const char *line, int escape)
{
	struct buf b;
	const unsigned char *p;

	if (hist_fd < 0)
		return;
	buf_init(&b);
	for (p = (const unsigned char *)line; *p != '\0'; p++) {
		if (!escape || (*p > ' ' && *p < 0x7f && *p != '\\'))
			buf_addc(&b, *p);
		else if (*p == '\\')
			buf_adds(&b, "\\\\");
		else
			buf_addf(&b, "\\%03o", *p);
	}
	buf_addc(&b, '\n');
	errno = 0;
	if (write(hist_fd, b.data, b.len) != (ssize_t)b.len) {
		fprintf(stderr,
		    "esock: history %s: %s; lines are no longer saved\n",
		    hist_path, errno != 0 ? strerror(errno) : "short write");
		(void)close(hist_fd);
		hist_fd = -1;
	}
	buf_free(&b);
}

static void
history_open(void)
{
	struct stat st;

	if ((hist_path = history_path()) == NULL)
		return;
	hist_fd =
	    open(hist_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (hist_fd < 0) {
		fprintf(stderr, "esock: history %s: %s\n", hist_path,
		    strerror(errno));
		return;
	}
	/* Only a file is read: a device (/dev/full) reads for ever. */
	if (fstat(hist_fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	(void)fchmod(hist_fd, 0600);
	if (st.st_size == 0)
		history_append("_HiStOrY_V2_", 0);
	el.read_history(hist_path);
	el.stifle_history(HISTORY_LINES);
}

static void
history_close(void)
{
	if (hist_fd >= 0)
		(void)close(hist_fd);
	hist_fd = -1;
	free(hist_path);
	hist_path = NULL;
}

/* The REPL's state while the loop runs it. */
static struct {
	struct session *s;
	struct buf pending; /* the lines of an unfinished expression */
	char prompt[32];
	long inputs; /* the prompt counts inputs, as erl's does */
	int lineno;
	int editing;   /* a prompt is on the screen, libedit has the line */
	size_t unseen; /* messages that came while a line was evaluated */
	int eof;
} r;

/* The candidates of one completion, filled when it starts. */
static struct {
	char **v;
	size_t n, cap, next;
} cands;

static void
cand_add(const char *word, size_t len, const char *text)
{
	size_t tl = strlen(text), i;

	if (len < tl || strncmp(word, text, tl) != 0)
		return;
	for (i = cands.next; i < cands.n; i++)
		if (strlen(cands.v[i]) == len &&
		    strncmp(cands.v[i], word, len) == 0)
			return;
	if (cands.n == cands.cap) {
		cands.cap = cands.cap ? cands.cap * 2 : 64;
		cands.v = xreallocarray(cands.v, cands.cap, sizeof *cands.v);
	}
	cands.v[cands.n] = xmalloc(len + 1);
	memcpy(cands.v[cands.n], word, len);
	cands.v[cands.n++][len] = '\0';
}

static void
cands_reset(void)
{
	size_t i;

	for (i = cands.next; i < cands.n; i++)
		free(cands.v[i]);
	cands.n = cands.next = 0;
}

/* libedit frees what the generator returns. */
static char *
cand_next(const char *text, int state)
{
	(void)text;
	(void)state;
	return cands.next < cands.n ? cands.v[cands.next++] : NULL;
}

static void
add_commands(const char *text)
{
	const char *mods[] = {"socket", "net"};
	struct buf b;
	size_t i, m;

	buf_init(&b);
	for (i = 0; i < cmd_table_size; i++) {
		const struct cmd_entry *ce = cmd_table[i];

		cand_add(ce->name, strlen(ce->name), text);
		if (ce->alias != NULL)
			cand_add(ce->alias, strlen(ce->alias), text);
		for (m = 0; m < NELEMS(mods); m++) {
			if (strcmp(ce->module, mods[m]) != 0)
				continue;
			buf_reset(&b);
			buf_addf(&b, "%s:%s", mods[m], ce->name);
			cand_add(b.data, b.len, text);
		}
	}
	buf_free(&b);
}

/* The language's keywords and library functions (lists:map, abs ...). */
static void
add_language(const char *text)
{
	char last[128] = "";
	struct buf b;
	size_t i;

	for (i = 0; i < KW_COUNT; i++)
		cand_add(scan_keywords[i], strlen(scan_keywords[i]), text);
	buf_init(&b);
	for (i = 0; i < bif_table_size; i++) {
		const struct bif *bf = &bif_table[i];

		buf_reset(&b);
		if (strcmp(bf->module, "erlang") != 0)
			buf_addf(&b, "%s:", bf->module);
		buf_adds(&b, bf->name);
		/* The table is sorted: arities of one name are neighbours. */
		if (strcmp(buf_str(&b), last) == 0)
			continue;
		cand_add(b.data, b.len, text);
		snprintf(last, sizeof last, "%s", buf_str(&b));
	}
	buf_free(&b);
}

static void
add_variables(const char *text)
{
	size_t i;

	for (i = 0; i < r.s->env.n; i++) {
		term v = term_var("_");

		v.n = r.s->env.v[i].var;
		cand_add(term_atom_name(v), term_atom_len(v), text);
	}
}

/* The option names of a level; with level NULL, the levels. */
static void
add_options(const char *level, const char *text)
{
	const char *lv, *nm;
	size_t i;
	int rc;

	for (i = 0; (rc = opt_row_name(i, &lv, &nm)) >= 0; i++) {
		if (rc != 1)
			continue;
		if (level == NULL)
			cand_add(lv, strlen(lv), text);
		else if (strcmp(lv, level) == 0)
			cand_add(nm, strlen(nm), text);
	}
}

/* The levels of the option table's rows. */
static void
add_levels(const char *text)
{
	add_options(NULL, text);
}

/* A protocols database name the REPL can insert: a plain atom. */
static void
add_protocol(const char *name, void *text)
{
	const char *p;

	if (!islower((unsigned char)name[0]))
		return;
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '@')
			return;
	cand_add(name, strlen(name), text);
}

static void
add_protocols(const char *text)
{
	sockname_protocol_names(add_protocol, (void *)text);
}

/*
 * Completion. The text before the word says what fits there: option
 * names after {Level, , variables for a word in capitals, command names
 * where a command starts, else what the command's argument kind (its
 * entry's .complete) names in this table, and bound variables. Each
 * kind reads the table or function its names come from; a kind may have
 * several rows.
 */
static const struct {
	const char *kind;
	const struct term_name *names; /* a table the commands use */
	const size_t *nnames;
	void (*add)(const char *); /* or names found otherwise */
} kind_atoms[] = {
    {"command", NULL, NULL, add_commands},
    {"domain", sockname_domain_names, &sockname_ndomains, NULL},
    {"endpoint", endpoint_names, &endpoint_nnames, add_variables},
    {"filter", net_ifaddrs_filters, &net_nifaddrs_filters, NULL},
    {"flags", sockname_msg_flag_names, &sockname_nmsg_flags, NULL},
    {"how", cmd_shutdown_hows, &cmd_nshutdown_hows, NULL},
    {"level", NULL, NULL, add_levels},
    {"name_info_flags", net_name_info_flags, &net_nname_info_flags, NULL},
    {"protocol", sockname_protocol_atoms, &sockname_nprotocol_atoms,
        add_protocols},
    {"socket", NULL, NULL, add_variables},
    {"supports", cmd_supports_keys, &cmd_nsupports_keys, NULL},
    {"supports", cmd_supports_features, &cmd_nsupports_features, NULL},
    {"timeout", sockname_timeout_atoms, &sockname_ntimeout_atoms, NULL},
    {"trace", trace_mode_names, &trace_nmode_names, NULL},
    {"type", sockname_type_names, &sockname_ntypes, NULL},
    {"which", cmd_which_filters, &cmd_nwhich_filters, NULL},
};

static void
add_kind(const char *kind, size_t len, const char *text)
{
	size_t i, n;

	for (i = 0; i < NELEMS(kind_atoms); i++) {
		if (strlen(kind_atoms[i].kind) != len ||
		    strncmp(kind_atoms[i].kind, kind, len) != 0)
			continue;
		for (n = 0;
		     kind_atoms[i].names != NULL && n < *kind_atoms[i].nnames;
		     n++)
			cand_add(kind_atoms[i].names[n].name,
			    strlen(kind_atoms[i].names[n].name), text);
		if (kind_atoms[i].add != NULL)
			kind_atoms[i].add(text);
	}
}

/* What context() keeps of a token. */
struct ctok {
	enum tok_kind kind;
	int punct;
	int space;        /* white space right before it */
	const char *atom; /* an atom's (interned) name, else NULL */
};

/* Where the word being completed stands. */
struct ctx {
	const struct cmd_entry *ce; /* the command of its expression */
	size_t argi;                /* the argument it is (from 0) */
	int at_cmd;                 /* it is where a command goes */
	const char *level;          /* the Level of {Level, just before */
};

static int
is_punct(const struct ctok *t, int p)
{
	return t->kind == TOK_PUNCT && t->punct == p;
}

/*
 * The tokens of the text before the word (pre, n bytes), read with the
 * language's own scanner, so that commas and brackets inside strings,
 * quoted atoms, char literals and comments are not taken for syntax.
 * Returns their number, or -1 when the text does not scan (an
 * unterminated string, say): then nothing is completed.
 */
static ssize_t
ctx_tokens(const char *pre, size_t n, struct ctok **out)
{
	struct scanner sc;
	struct token t;
	struct ctok *v = NULL;
	size_t nv = 0, cap = 0;

	scan_init(&sc, pre, n, 1);
	for (;;) {
		if (scan_next(&sc, &t) < 0) {
			free(v);
			return -1;
		}
		if (t.kind == TOK_EOF)
			break;
		if (nv == cap) {
			cap = cap ? cap * 2 : 32;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[nv].kind = t.kind;
		v[nv].punct = t.punct;
		v[nv].space = t.space_before;
		v[nv].atom =
		    t.kind == TOK_ATOM ? term_atom_name(t.value) : NULL;
		nv++;
		scan_token_free(&t);
	}
	*out = v;
	return (ssize_t)nv;
}

/*
 * Reads the text before the word: the command of the expression the
 * word is in (none when the word is where a command goes), the index of
 * the argument it is, and the level of an enclosing {Level, . Returns
 * 0, or -1 when the text does not scan.
 */
static int
context(const char *pre, size_t n, struct ctx *c)
{
	struct ctok *tv = NULL;
	ssize_t got = ctx_tokens(pre, n, &tv);
	size_t nt, i, start = 0, next;
	int depth = 0, call, d;

	memset(c, 0, sizeof *c);
	if (got < 0)
		return -1;
	nt = (size_t)got;
	/* The current expression starts after a top-level , . or =. */
	for (i = 0; i < nt; i++) {
		d = scan_nesting(tv[i].kind, tv[i].punct);
		if (d > 0 || (d < 0 && depth > 0))
			depth += d;
		else if (depth == 0 &&
		         (tv[i].kind == TOK_END || is_punct(&tv[i], ',') ||
		             is_punct(&tv[i], '.') || is_punct(&tv[i], '=')))
			start = i + 1;
	}
	/* {Level, just before the word. */
	if (nt >= 3 && is_punct(&tv[nt - 3], '{') && tv[nt - 2].atom != NULL &&
	    is_punct(&tv[nt - 1], ','))
		c->level = tv[nt - 2].atom;
	c->at_cmd = start == nt;
	if (c->at_cmd || tv[start].atom == NULL)
		goto done;
	/* The command name, with an optional socket: or net: prefix. */
	next = start + 1;
	if (next + 1 < nt && is_punct(&tv[next], ':') &&
	    tv[next + 1].atom != NULL)
		next += 2;
	if ((c->ce = cmd_find(tv[next - 1].atom)) == NULL)
		goto done;
	/* Arguments: commas in a call, else blank-separated words. */
	call = next < nt && is_punct(&tv[next], '(') && !tv[next].space;
	depth = 0;
	for (i = next + call; i < nt; i++) {
		if (depth == 0 && (call ? is_punct(&tv[i], ',') : tv[i].space))
			c->argi++;
		d = scan_nesting(tv[i].kind, tv[i].punct);
		if (d > 0 || (d < 0 && depth > 0))
			depth += d;
	}
	/* A word whose bracket is still open is the word being completed. */
	if (!call && depth > 0 && c->argi > 0)
		c->argi--;
done:
	free(tv);
	return 0;
}

static char **
repl_complete(const char *text, int start, int end)
{
	const char *line = *el.line_buffer != NULL ? *el.line_buffer : "";
	const char *kind;
	struct ctx c;
	size_t len;

	(void)end;
	cands_reset();
	*el.append_character = '\0';
	if (context(line, (size_t)start, &c) < 0)
		return NULL;
	if (c.level != NULL)
		add_options(c.level, text);
	else if (isupper((unsigned char)text[0]) || text[0] == '_')
		add_variables(text);
	else if (c.at_cmd) {
		add_commands(text);
		add_language(text);
		*el.append_character = ' ';
	} else if (c.ce != NULL && c.ce->complete != NULL) {
		if ((len = cmd_arg_kind(c.ce, c.argi, &kind)) > 0)
			add_kind(kind, len, text);
		/* The socket may be left out: the next kind fits too. */
		if ((c.ce->flags & CMD_SOCKET_OPTIONAL) &&
		    (len = cmd_arg_kind(c.ce, c.argi + 1, &kind)) > 0)
			add_kind(kind, len, text);
	}
	if (cands.n == 0)
		return NULL;
	return el.completion_matches(text, cand_next);
}

static void on_line(char *);
static void show_unseen(void);
static void on_stdin(struct loop *, int, int, void *);

/* Shows the prompt (a continuation one inside an expression). */
static void
prompt_show(void)
{
	if (r.pending.len == 0)
		snprintf(r.prompt, sizeof r.prompt, "%ld> ", r.inputs + 1);
	else
		snprintf(r.prompt, sizeof r.prompt, "%*s ",
		    (int)strlen(r.prompt) - 1, "..");
	el.handler_install(r.prompt, on_line);
	r.editing = 1;
	if (loop_watch(loop_get(), STDIN_FILENO, LOOP_READ, on_stdin, NULL) < 0)
		fatal("event loop: %s", strerror(errno));
}

/*
 * Evaluates the pending expression. The terminal does not echo ^C
 * meanwhile, so that an interrupted wait's {error, eintr} starts its
 * own line.
 */
static void
eval_line(void)
{
	struct termios t, quiet;
	int saved = tcgetattr(STDIN_FILENO, &t) == 0;

	if (saved) {
		quiet = t;
#ifdef ECHOCTL
		quiet.c_lflag &= ~(tcflag_t)ECHOCTL;
#endif
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	lang_eval(r.s, r.pending.data, r.pending.len, r.lineno);
	if (saved)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

/*
 * A whole line from libedit (NULL at Ctrl-D), in cooked terminal mode:
 * it is evaluated here, with input off the loop meanwhile, so that a
 * wait in the line runs the loop without reading the terminal.
 */
static void
on_line(char *line)
{
	r.editing = 0;
	loop_unwatch(loop_get(), STDIN_FILENO, LOOP_READ);
	el.handler_remove();
	if (line == NULL) {
		r.eof = 1;
		return;
	}
	if (*line != '\0') {
		el.add_history(line);
		history_append(line, 1);
	}
	if (r.pending.len > 0)
		buf_addc(&r.pending, '\n');
	buf_adds(&r.pending, line);
	free(line);
	if (!lang_incomplete(r.pending.data, r.pending.len)) {
		r.s->status = 0;
		if (strspn(r.pending.data, " \t\r\n") < r.pending.len) {
			eval_line();
			r.inputs++;
		}
		buf_reset(&r.pending);
	}
	show_unseen();
	if (!r.s->quit)
		prompt_show();
}

static void
on_stdin(struct loop *l, int fd, int mask, void *arg)
{
	(void)l;
	(void)fd;
	(void)mask;
	(void)arg;
	el.read_char();
}

/*
 * A message arriving: shown at once. At the prompt it goes above the
 * line being typed, which libedit then redraws intact; the terminal is
 * raw then, so lines end in CR LF.
 */
static void
show_message(term t)
{
	struct buf b, crlf;
	size_t i;

	/* While a line runs, its own output comes first: shown after it. */
	if (!r.editing) {
		r.unseen++;
		return;
	}
	buf_init(&b);
	buf_init(&crlf);
	buf_adds(&b, "\r\033[K");
	lang_format(r.s, &b, "", t);
	for (i = 0; i < b.len; i++) {
		if (b.data[i] == '\n')
			buf_addc(&crlf, '\r');
		buf_addc(&crlf, b.data[i]);
	}
	fflush(stdout);
	out_write(stdout, crlf.data, crlf.len);
	fflush(stdout);
	buf_free(&crlf);
	buf_free(&b);
	el.forced_update_display();
}

/*
 * Messages that came while a line ran and are still in the mailbox
 * (receive takes the oldest, so they are the newest ones).
 */
static void
show_unseen(void)
{
	size_t n = mbox_count(), i;

	if (r.unseen < n)
		n = r.unseen;
	for (i = mbox_count() - n; i < mbox_count(); i++)
		lang_print_after(r.s, "", mbox_peek(i));
	r.unseen = 0;
	fflush(stdout);
}

/* Ctrl-C at the prompt: the line (and any unfinished one) is dropped. */
static void
interrupt_line(void)
{
	el.replace_line("", 0);
	buf_reset(&r.pending);
	fputs("\r\n", stdout);
	fflush(stdout);
	el.handler_remove();
	prompt_show();
}

int
repl_run(struct session *s)
{
	struct loop *l;

	/* libedit reads multibyte input (é) in the terminal's encoding. */
	setlocale(LC_CTYPE, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		s->flags |= LANG_UTF8;
	if (load_libedit() < 0)
		return LANG_INTERNAL;
	history_open();
	memset(&r, 0, sizeof r);
	r.s = s;
	r.lineno = 1;
	buf_init(&r.pending);
	/* SIGINT reaches the loop through its self-pipe, not libedit. */
	*el.catch_signals = 0;
	*el.attempted_completion = repl_complete;
	*el.word_break = " \t\n\"\\'`@$><=;|&{(,[";
	loop_catch_sigint();
	mbox_set_hook(show_message);
	l = loop_get();
	prompt_show();
	while (!s->quit && !r.eof) {
		if (loop_run_once(l, -1) < 0 && loop_interrupted() && r.editing)
			interrupt_line();
	}
	mbox_set_hook(NULL);
	loop_unwatch(l, STDIN_FILENO, LOOP_READ);
	/* Also after a line's q: libedit turned raw mode on again then. */
	el.handler_remove();
	if (r.eof)
		putchar('\n');
	history_close();
	buf_free(&r.pending);
	return LANG_OK;
}
