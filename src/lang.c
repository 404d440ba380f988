/*
 * The language's sessions: sequences of Erlang expressions (commands
 * written as calls, open(inet, stream), socket:open(..), or as words,
 * open inet stream), separated by "," and ended by "."; scripts of them
 * line by line; the argv chain. expr_parse.c parses an expression and
 * eval.c evaluates it; this module runs sequences, prints results and
 * turns outcomes into exit statuses.
 *
 * One interpreter serves every input: script text (the REPL, -e, -f,
 * stdin) and the argv chain differ only in where their expressions come
 * from (struct source); a whole sequence is read before any of it runs.
 */
#include "compat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "env.h"
#include "eval.h"
#include "expr.h"
#include "lang.h"
#include "mailbox.h"
#include "sock.h"
#include "sockaddr.h"
#include "term_parse.h"
#include "term_print.h"
#include "util.h"

void
lang_bind(struct session *s, uint32_t var, term value)
{
	env_put(&s->env, var, value);
}

void
lang_init(struct session *s, int flags)
{
	memset(s, 0, sizeof *s);
	env_init(&s->env);
	s->flags = flags;
	s->timeout_ms = -1;
	s->source = "-e";
	s->err = stderr;
	s->out = flags & LANG_RAW ? stderr : stdout;
}

static void
worse(struct session *s, int status)
{
	if (status > s->status)
		s->status = status;
}

void
lang_report(struct session *s, int line, int col, const char *fmt, ...)
{
	va_list ap;
	struct buf b;

	fflush(stdout);
	buf_init(&b);
	if (s->flags & LANG_INTERACTIVE)
		buf_addf(&b, "* %d:%d: ", line, col);
	else
		buf_addf(&b, "esock: %s:%d:%d: ", s->source, line, col);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_addc(&b, '\n');
	if (s->flags & LANG_UTF8)
		buf_latin1_utf8(&b, 0);
	fwrite(b.data, 1, b.len, s->err);
	buf_free(&b);
}

static void
lang_print(struct session *s, term t)
{
	if (!(s->flags & LANG_QUIET))
		lang_print_after(s, "", t);
}

void
lang_format(struct session *s, struct buf *b, const char *prefix, term t)
{
	int flags = 0;
	size_t from = b->len;

	if (s->flags & LANG_JSON)
		flags |= PRINT_JSON;
	else if (s->flags & LANG_COMPACT)
		flags |= PRINT_COMPACT;
	/* erl's shell prints its results as ~tp does, in the terminal's
	 * encoding. */
	if (s->flags & LANG_UTF8)
		flags |= PRINT_UNICODE;
	buf_add(b, prefix, strlen(prefix));
	/* io:format's ~p indents past the text before it on the line. */
	print_term(b, t, flags, (int)strlen(prefix) + 1);
	buf_addc(b, '\n');
	if ((s->flags & LANG_UTF8) && !(flags & PRINT_JSON))
		buf_latin1_utf8(b, from);
}

void
lang_print_after(struct session *s, const char *prefix, term t)
{
	struct buf b;

	buf_init(&b);
	lang_format(s, &b, prefix, t);
	out_write(s->out, b.data, b.len);
	buf_free(&b);
}

void
lang_check_output(struct session *s)
{
	int e = out_failure();

	/* (EPIPE comes here only once the gone hook is off, at exit.) */
	if (e == 0 || e == EPIPE ||
	    (s->out_lost && !(s->flags & LANG_INTERACTIVE)))
		return;
	s->out_lost = e;
	fprintf(
	    s->err, "esock: cannot write standard output: %s\n", strerror(e));
}

/* How a name finds its command. */
enum found { FOUND, NOT_A_COMMAND, WRONG_MODULE };

/*
 * The command called module:name (module NULL when none was written),
 * the one rule of the call form, the word form and the argv chain: a
 * prefix must be the command's own module.
 */
static enum found
find_command(const char *module, const char *name, const struct cmd_entry **ce)
{
	if ((*ce = cmd_find_in(module, name)) != NULL)
		return FOUND;
	return module != NULL ? WRONG_MODULE : NOT_A_COMMAND;
}

/* The prefixes a call may carry. */
static int
is_module(const char *name)
{
	return strcmp(name, "socket") == 0 || strcmp(name, "net") == 0;
}

/* {error, ...}: the outcome that fails a script. */
static int
is_error(term t)
{
	return term_kind(t) == TERM_TUPLE && term_size(t) >= 2 &&
	       term_is_atom(term_tuple_get(t, 0), A_ERROR);
}

/* A pattern that expects an error, such as {error, econnrefused}. */
static int
is_error_pattern(const struct node *p)
{
	switch (p->kind) {
	case N_LIT:
		return is_error(p->t);
	case N_TUPLE:
		return p->kids.n >= 2 && p->kids.v[0]->kind == N_LIT &&
		       term_is_atom(p->kids.v[0]->t, A_ERROR);
	case N_MATCH:
		return is_error_pattern(p->a) || is_error_pattern(p->b);
	default:
		return 0;
	}
}

/*
 * The command a top-level expression runs, P1 = P2 = command(...), or
 * NULL; *expects is set when one of the patterns expects an error.
 */
static const struct cmd_entry *
top_command(const struct node *n, int *expects)
{
	*expects = 0;
	while (n->kind == N_MATCH) {
		if (is_error_pattern(n->a))
			*expects = 1;
		n = n->b;
	}
	return n->kind == N_CMD ? n->cmd : NULL;
}

void
lang_usage(struct session *s, const struct cmd_entry *ce)
{
	fflush(stdout);
	fprintf(s->err, "usage: %s%s%s\n", ce->name, *ce->usage ? " " : "",
	    ce->usage);
}

/*
 * --raw: writes the Data of {ok, Data} or {ok, {Source, Data}} to stdout
 * as bytes. Returns 1 when it did, 0 when the result holds no data.
 */
static int
write_data(term val)
{
	term v;

	if (!term_is_record(val, A_OK, 2))
		return 0;
	v = term_tuple_get(val, 1);
	if (term_kind(v) == TERM_TUPLE && term_size(v) == 2)
		v = term_tuple_get(v, 1);
	if (!term_is_binary(v))
		return 0;
	out_write(stdout, term_bin_data(v), term_bin_size(v));
	return 1;
}

/*
 * An uncaught exception ends erl's shell process, which takes its
 * sockets (closed, their monitors gone), messages and pid with it; a new
 * process reads the next line. So does the session's: what it had open
 * is closed, as in erl, where a later call on such a socket gives
 * {error, closed}.
 */
static void
process_exit(void)
{
	mbox_exit();
	sock_close_open();
	mbox_restart();
}

/*
 * OUT_DATA: ok from a command whose output was data (relay): no print.
 * OUT_FAIL: an {error, ...} a command returned and no pattern expected;
 * OUT_EXC: an exception, OUT_STOP: a usage error or quit, reported.
 */
enum outcome { OUT_OK, OUT_DATA, OUT_FAIL, OUT_EXC, OUT_STOP };

/* Runs one top-level expression; *result is set for OUT_OK and OUT_FAIL. */
static enum outcome
run_expr(struct session *s, struct ast *a, struct node *n, term *result)
{
	const struct cmd_entry *ce;
	int expects, rc;

	if ((rc = eval_top(s, a, n, result)) != EVAL_OK) {
		worse(s, rc == EVAL_EXC ? LANG_FAIL
		         : s->quit      ? LANG_OK
		                        : LANG_USAGE);
		return rc == EVAL_EXC ? OUT_EXC : OUT_STOP;
	}
	if ((ce = top_command(n, &expects)) == NULL)
		return OUT_OK;
	if (is_error(*result) && !expects)
		return OUT_FAIL;
	if ((ce->flags & CMD_DATA_STDOUT) && term_is_atom(*result, A_OK))
		return OUT_DATA;
	if ((ce->flags & CMD_DATA_RESULT) && (s->flags & LANG_RAW) &&
	    write_data(*result))
		return OUT_DATA;
	return OUT_OK;
}

/*
 * Where a sequence's expressions come from: script text through the
 * parser, or the words of the argv chain (a "," word between commands).
 */
struct source {
	struct parser *p; /* NULL for argv */
	int argc;
	char **argv;
	int i;
	void **owned; /* argv: words arrays and joined words, freed at end */
	size_t nowned, capowned;
	/* A script line the sequence fills exactly: cache it once parsed. */
	const char *keep;
	size_t keep_len;
	int keep_line;
};

static void
own(struct source *src, void *p)
{
	if (src->nowned == src->capowned) {
		src->capowned = src->capowned ? src->capowned * 2 : 8;
		src->owned = xreallocarray(
		    src->owned, src->capowned, sizeof *src->owned);
	}
	src->owned[src->nowned++] = p;
}

static term word_arg(const char *);

/* The text of a port: 0 to 65535 in decimal. */
static int
is_port_word(const char *w)
{
	size_t n = strspn(w, "0123456789");

	return n > 0 && n <= 5 && w[n] == '\0' && atol(w) <= 65535;
}

/*
 * A host with no port, as nc takes it: a name, an IPv4 address, an IPv6
 * one bare or in brackets. Returns 0 when it is none, 1 for a name or
 * IPv4 or bracketed address, 2 for a bare IPv6 one (it needs brackets).
 */
static int
host_word(const char *w)
{
	size_t n = strlen(w);

	if (n == 0 || n > 255)
		return 0;
	if (w[0] == '[')
		return w[n - 1] == ']' ? 1 : 0;
	if (strspn(w, "0123456789abcdefABCDEF:.") == n &&
	    strchr(strchr(w, ':') ? strchr(w, ':') + 1 : "", ':') != NULL)
		return 2;
	if (strchr(w, ':') != NULL || !isalnum((unsigned char)w[0]))
		return 0;
	return strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "0123456789.-_") == n;
}

/*
 * nc's habit in the chain: "connect HOST PORT" is connect HOST:PORT.
 * A host with no port where a command needs one (connect, sendto) is a
 * usage error that shows the HOST:PORT form, never a silent port 0.
 * *n is the number of words; returns 0, or -1 when reported.
 */
static int
host_port(struct session *s, struct source *src, const struct cmd_entry *ce,
    char **words, size_t *n)
{
	size_t i, len, off = (ce->flags & CMD_SOCKET_OPTIONAL) ? 1 : 0;
	char *joined;
	int kind;

	for (i = 0; i < *n; i++) {
		if (!cmd_arg_is(ce, i + off, "addr") ||
		    (kind = host_word(words[i])) == 0)
			continue;
		if (i + 1 < *n && is_port_word(words[i + 1])) {
			len = strlen(words[i]) + strlen(words[i + 1]) + 4;
			joined = xmalloc(len);
			own(src, joined);
			snprintf(joined, len, "%s%s%s:%s", kind == 2 ? "[" : "",
			    words[i], kind == 2 ? "]" : "", words[i + 1]);
			words[i] = joined;
			memmove(&words[i + 1], &words[i + 2],
			    (*n - i - 2) * sizeof *words);
			(*n)--;
		} else if (ce->flags & CMD_NEEDS_PORT) {
			fflush(stdout);
			fprintf(s->err,
			    "esock: %s: %s has no port; write HOST:PORT "
			    "(%s:80) or HOST PORT\n",
			    ce->name, words[i], words[i]);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* A word that could only be a command's name: a lowercase name. */
static int
is_name_word(const char *w)
{
	return *w >= 'a' && *w <= 'z' &&
	       w[strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_@:")] == '\0';
}

/*
 * A chain's words that are no command but an expression (X = 5, lists:
 * seq(1, 3), case ... end): their text, joined by blanks, parsed as a
 * script's expression is. 0, or -1 when reported.
 */
static int
argv_text_expr(
    struct session *s, struct source *src, struct ast *a, struct node **out)
{
	struct parser p;
	struct buf b;
	const struct token *t;
	int j, rc = 0;

	buf_init(&b);
	for (j = src->i; j < src->argc && strcmp(src->argv[j], ",") != 0; j++)
		buf_addf(&b, "%s%s", j > src->i ? " " : "", src->argv[j]);
	src->i = j;
	parse_init(&p, buf_str(&b), b.len, 1);
	if (expr_parse_top(&p, a, out) < 0 || (t = parse_peek(&p, 0)) == NULL)
		rc = -1;
	else if (t->kind != TOK_EOF && t->kind != TOK_END)
		rc = parse_unexpected(&p, NULL);
	if (rc < 0)
		lang_report(s, p.err_line, p.err_col, "%s", p.err);
	parse_done(&p);
	buf_free(&b);
	return rc;
}

/* The next command of the argv chain: 0, or -1 when its name is none. */
static int
argv_expr(
    struct session *s, struct source *src, struct ast *a, struct node **out)
{
	const char *word = src->argv[src->i], *colon = strchr(word, ':');
	const struct cmd_entry *ce;
	char *module = NULL, **words;
	enum found how;
	term *args;
	size_t n, k;
	int j;

	if (colon != NULL) {
		module = xstrndup(word, (size_t)(colon - word));
		if (!is_module(module)) {
			free(module);
			module = NULL;
		}
	}
	how = find_command(module, module != NULL ? colon + 1 : word, &ce);
	free(module);
	if (how == NOT_A_COMMAND && !is_name_word(word))
		return argv_text_expr(s, src, a, out);
	if (how != FOUND) {
		fflush(stdout);
		fprintf(s->err,
		    how == WRONG_MODULE
		        ? "esock: undefined function %s (try esock --help)\n"
		        : "esock: unknown command: %s (try esock --help)\n",
		    word);
		return -1;
	}
	for (j = src->i + 1; j < src->argc && strcmp(src->argv[j], ",") != 0;
	     j++)
		continue;
	n = (size_t)(j - src->i - 1);
	words = xreallocarray(NULL, n + 1, sizeof *words);
	own(src, words);
	memcpy(words, &src->argv[src->i + 1], n * sizeof *words);
	src->i = j;
	if (host_port(s, src, ce, words, &n) < 0)
		return -1;
	args = xreallocarray(NULL, n + 1, sizeof *args);
	for (k = 0; k < n; k++)
		args[k] = word_arg(words[k]);
	*out = expr_cmd_node(a, ce, args, n, words);
	free(args);
	return 0;
}

/* Reports the parser's error. */
static void
parse_report(struct session *s, struct parser *p)
{
	lang_report(s, p->err_line, p->err_col, "%s", p->err);
}

/*
 * Reads a whole sequence E1, E2, ... [.] from the source into v (at most
 * max). Returns the count, or -1 on a syntax error (reported): a bad
 * sequence runs not at all.
 */
static int
read_sequence(struct session *s, struct source *src, struct ast *a,
    struct node ***v, size_t *cap)
{
	const struct token *t;
	size_t n = 0;

	for (;;) {
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*v = xreallocarray(*v, *cap, sizeof **v);
		}
		if (src->p == NULL) {
			if (argv_expr(s, src, a, &(*v)[n]) < 0)
				return -1;
			n++;
			/* Past the "," word; a chain may end with one. */
			if (++src->i >= src->argc)
				return (int)n;
			continue;
		}
		if (expr_parse_top(src->p, a, &(*v)[n]) < 0 ||
		    (t = parse_peek(src->p, 0)) == NULL) {
			parse_report(s, src->p);
			return -1;
		}
		n++;
		if (t->kind == TOK_PUNCT && t->punct == ',') {
			parse_skip(src->p);
			continue;
		}
		if (t->kind == TOK_END) {
			parse_skip(src->p);
			return (int)n;
		}
		if (t->kind == TOK_EOF)
			return (int)n;
		/* A script's line ends a sequence once it is complete. */
		if (src->p->newlines && t->line > src->p->prev_line)
			return (int)n;
		parse_unexpected(src->p, NULL);
		parse_report(s, src->p);
		return -1;
	}
}

/*
 * Runs the expressions of one sequence: only the last result prints
 * (each with -v); a failing result prints at once and, unless -k, ends
 * the sequence. An exception ends it and takes back the bindings it
 * made, as the Erlang shell does. shift moves the line numbers of the
 * nodes (a cached sequence runs at another line). Returns 0 to go on,
 * -1 when the caller must stop reading.
 */
static int
run_nodes(
    struct session *s, struct ast *a, struct node **v, size_t n, int shift)
{
	term result = term_nil(), last = term_nil();
	size_t mark = s->env.n, i;
	int have = 0, rc = 0;

	s->line_shift = shift;
	for (i = 0; i < n && rc == 0; i++) {
		enum outcome out = run_expr(s, a, v[i], &result);

		lang_check_output(s);
		switch (out) {
		case OUT_DATA:
			term_free(result);
			have = 0;
			break;
		case OUT_OK:
			term_free(last);
			last = result;
			have = 1;
			if (s->flags & LANG_VERBOSE)
				lang_print(s, result);
			break;
		case OUT_FAIL:
			/* The failing result prints, whatever came before. */
			lang_print(s, result);
			term_free(result);
			have = 0;
			worse(s, LANG_FAIL);
			if (!(s->flags & LANG_KEEP_GOING))
				rc = -1;
			break;
		case OUT_EXC:
			env_truncate(&s->env, mark);
			process_exit();
			have = 0;
			rc = -1;
			break;
		case OUT_STOP:
			have = 0;
			rc = -1;
			break;
		}
	}
	if (have && !(s->flags & LANG_VERBOSE))
		lang_print(s, last);
	lang_check_output(s);
	term_free(last);
	s->line_shift = 0;
	return rc;
}

/*
 * Script lines that come again (a generated script's, a loop unrolled)
 * are parsed once: a line that held exactly one whole sequence keeps its
 * tree here, keyed by its text. A few dozen entries, replaced in turn.
 */
#define LINE_CACHE 32
#define LINE_CACHE_TEXT 1024 /* longest line kept */

struct cached {
	uint64_t hash;
	char *text;
	size_t len;
	struct ast *ast;
	struct node **v;
	size_t n;
	int line; /* where it was parsed */
};

static struct cached line_cache[LINE_CACHE];
static size_t line_cache_next;

static struct cached *
cache_find(const char *text, size_t len)
{
	uint64_t h = hash_bytes(text, len);
	size_t i;

	for (i = 0; i < LINE_CACHE; i++)
		if (line_cache[i].ast != NULL && line_cache[i].hash == h &&
		    line_cache[i].len == len &&
		    memcmp(line_cache[i].text, text, len) == 0)
			return &line_cache[i];
	return NULL;
}

static void
cache_drop(struct cached *c)
{
	free(c->text);
	free(c->v);
	ast_unref(c->ast);
	memset(c, 0, sizeof *c);
}

static void
cache_put(const char *text, size_t len, struct ast *a, struct node **v,
    size_t n, int line)
{
	struct cached *c = &line_cache[line_cache_next];

	line_cache_next = (line_cache_next + 1) % LINE_CACHE;
	cache_drop(c);
	c->hash = hash_bytes(text, len);
	c->text = xstrndup(text, len);
	c->len = len;
	ast_ref(a);
	c->ast = a;
	c->v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	memcpy(c->v, v, n * sizeof *v);
	c->n = n;
	c->line = line;
}

void
lang_free(struct session *s)
{
	size_t i;

	env_free(&s->env);
	for (i = 0; i < LINE_CACHE; i++)
		cache_drop(&line_cache[i]);
}

/* Reads one sequence from the source and runs it. */
static int
run_sequence(struct session *s, struct source *src)
{
	struct ast *a = ast_new();
	struct node **v = NULL;
	size_t cap = 0;
	int n, rc;

	if ((n = read_sequence(s, src, a, &v, &cap)) < 0) {
		worse(s, LANG_USAGE);
		free(v);
		ast_unref(a);
		return -1;
	}
	/* Cached when it ended at the end of its line, blanks aside. */
	if (src->keep_len > 0 && n > 0) {
		size_t len = src->keep_len;

		while (len > 0 && strchr(" \t\r", src->keep[len - 1]) != NULL)
			len--;
		if (src->p->sc.src + src->p->prev_end == src->keep + len)
			cache_put(src->keep, src->keep_len, a, v, (size_t)n,
			    src->keep_line);
	}
	rc = run_nodes(s, a, v, (size_t)n, 0);
	free(v);
	ast_unref(a);
	return rc;
}

int
lang_eval(struct session *s, const char *text, size_t len, int line)
{
	struct parser p;
	struct source src;
	int stop = 0;

	memset(&src, 0, sizeof src);
	src.p = &p;
	parse_init(&p, text, len, line);
	while (!stop) {
		const struct token *t = parse_peek(&p, 0);

		if (t == NULL) {
			parse_report(s, &p);
			worse(s, LANG_USAGE);
			stop = 1;
		} else if (t->kind == TOK_EOF)
			break;
		else if (run_sequence(s, &src) < 0)
			stop = 1;
	}
	parse_done(&p);
	return stop ? -1 : 0;
}

/* What a keyword's meaning waits on: see nesting(). */
enum pending { P_NONE, P_FUN, P_FUN_VAR, P_RECEIVE };

/*
 * The nesting a token adds, with the two keywords whose meaning hangs
 * on what follows: fun opens a block before "(" or "Name(", not in fun
 * f/1 or fun M:F/A; receive opens one unless "(" follows at once (the
 * mailbox command) or the expression ends.
 */
static int
nesting(const struct token *t, enum pending *pending)
{
	int open = t->kind == TOK_PUNCT && t->punct == '(';
	int stop = t->kind == TOK_END || t->kind == TOK_EOF ||
	           (t->kind == TOK_PUNCT && t->punct == ',');
	int d = 0;

	switch (*pending) {
	case P_FUN:
		if (open)
			d = 1;
		*pending = t->kind == TOK_VAR ? P_FUN_VAR : P_NONE;
		if (*pending == P_FUN_VAR)
			return 0;
		break;
	case P_FUN_VAR:
		d = open;
		break;
	case P_RECEIVE:
		d = !((open && !t->space_before) || stop);
		break;
	case P_NONE:
		break;
	}
	*pending = P_NONE;
	if (t->kind == TOK_KEY && t->punct == KW_FUN)
		*pending = P_FUN;
	else if (t->kind == TOK_KEY && t->punct == KW_RECEIVE)
		*pending = P_RECEIVE;
	else
		d += scan_nesting(t->kind, t->punct);
	return d;
}

int
lang_incomplete(const char *text, size_t len)
{
	struct scanner sc;
	struct token t;
	enum pending pending = P_NONE;
	int depth = 0, more = 0;

	scan_init(&sc, text, len, 1);
	for (;;) {
		if (scan_next(&sc, &t) < 0)
			return strncmp(sc.err, "unterminated", 12) == 0;
		if (t.kind == TOK_EOF)
			break;
		depth += nesting(&t, &pending);
		more = expr_needs_more(&t);
		scan_token_free(&t);
	}
	/* A trailing receive or fun is still waiting for what follows. */
	return depth > 0 || pending != P_NONE || more;
}

/* Ends a run early unless -k (or the REPL) says to go on. */
static int
must_stop(struct session *s)
{
	if (s->quit)
		return 1;
	return s->status != LANG_OK &&
	       !(s->flags & (LANG_KEEP_GOING | LANG_INTERACTIVE));
}

/*
 * A command that writes data on stdout (relay) sends every result to
 * stderr, so that stdout holds only the data: named is the text of a
 * name that may be a command.
 */
static void
data_mode(struct session *s, const char *name, size_t len)
{
	const struct cmd_entry *ce = cmd_find_n(name, len);

	if (ce != NULL && (ce->flags & CMD_DATA_STDOUT))
		s->out = stderr;
}

/*
 * Whether the text holds the word anywhere: memchr for the word's last
 * byte (in a command name, rarely a common letter) runs far faster than
 * memmem over a long script.
 */
static int
text_has(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word), at = n - 1;
	const char *p;

	while (n > 0 && at < len &&
	       (p = memchr(text + at, word[n - 1], len - at)) != NULL) {
		at = (size_t)(p - text);
		if (memcmp(p - (n - 1), word, n) == 0)
			return 1;
		at++;
	}
	return 0;
}

/*
 * data_mode for each name of a script's text where a command may stand:
 * an unquoted atom outside brackets (the word form), or before "(".
 */
static void
data_mode_text(struct session *s, const char *text, size_t len)
{
	struct scanner sc;
	struct token t;
	const char *name = NULL;
	size_t nlen = 0, i;
	int depth = 0, d;

	/* Scripts rarely name such a command: a byte search says whether. */
	for (i = 0; i < cmd_table_size; i++)
		if ((cmd_table[i]->flags & CMD_DATA_STDOUT) &&
		    text_has(text, len, cmd_table[i]->name))
			break;
	if (i == cmd_table_size)
		return;
	scan_init(&sc, text, len, 1);
	while (scan_next(&sc, &t) == 0 && t.kind != TOK_EOF) {
		d = scan_nesting(t.kind, t.punct);
		if (name != NULL &&
		    (depth == 0 || (t.kind == TOK_PUNCT && t.punct == '(')))
			data_mode(s, name, nlen);
		name = NULL;
		if (t.kind == TOK_ATOM && text[t.off] != '\'') {
			name = text + t.off;
			nlen = t.end - t.off;
		}
		if (d > 0 || (d < 0 && depth > 0))
			depth += d;
		scan_token_free(&t);
	}
	if (name != NULL && depth == 0)
		data_mode(s, name, nlen);
}

/* Where the line after line (counted from first at text) starts. */
static size_t
next_line(const char *text, size_t len, int first, int line)
{
	size_t off = 0;
	const char *nl;

	while (first <= line && off < len) {
		if ((nl = memchr(text + off, '\n', len - off)) == NULL)
			return len;
		off = (size_t)(nl - text) + 1;
		first++;
	}
	return off;
}

/*
 * Runs script text: sequences end with "." or, once complete, with the
 * end of their line, so a case, fun or a "," at the end of a line goes
 * on to the next. The text is parsed as it runs, one sequence at a time.
 * A line longer than SCAN_LINE_MAX stops the script before it.
 */
int
lang_run_text(struct session *s, const char *text, size_t len, int line)
{
	struct parser p;
	struct source src;
	const char *nl;
	size_t off = 0, ll, end = len, at;
	int cur = line, long_line = 0, from = line, fresh = 1;

	for (off = 0; off < len; off += ll + 1, cur++) {
		nl = memchr(text + off, '\n', len - off);
		ll = nl ? (size_t)(nl - (text + off)) : len - off;
		if (ll > SCAN_LINE_MAX) {
			end = off;
			long_line = cur;
			break;
		}
	}
	data_mode_text(s, text, end);
	memset(&src, 0, sizeof src);
	src.p = &p;
	while (!must_stop(s)) {
		const struct token *t;

		/* At a line's start, a line seen before runs unscanned. */
		if (fresh) {
			const char *at0 = text, *eol;
			struct cached *c;
			size_t left;

			while (
			    at0 < text + end && (*at0 == ' ' || *at0 == '\t'))
				at0++;
			left = end - (size_t)(at0 - text);
			if (left > 0 &&
			    (eol = memchr(at0, '\n', left)) != NULL &&
			    (size_t)(eol - at0) <= LINE_CACHE_TEXT &&
			    (c = cache_find(at0, (size_t)(eol - at0))) !=
			        NULL) {
				(void)run_nodes(
				    s, c->ast, c->v, c->n, from - c->line);
				at = (size_t)(eol - text) + 1;
				text += at;
				end -= at;
				from++;
				continue;
			}
			parse_init(&p, text, end, from);
			p.newlines = 1;
			fresh = 0;
		}
		if ((t = parse_peek(&p, 0)) != NULL && t->kind == TOK_EOF)
			break;
		src.keep_len = 0;
		if (t != NULL && p.nla == 1 && t->line > p.prev_line) {
			/* A line of its own: seen before? */
			const char *at0 = p.sc.src + t->off, *eol;
			struct cached *c;
			size_t left = end - (size_t)(at0 - text);

			eol = memchr(at0, '\n', left);
			src.keep = at0;
			src.keep_len = eol != NULL ? (size_t)(eol - at0) : left;
			src.keep_line = t->line;
			if (src.keep_len > LINE_CACHE_TEXT)
				src.keep_len = 0;
			else if ((c = cache_find(at0, src.keep_len)) != NULL) {
				int next = t->line + 1;

				(void)run_nodes(
				    s, c->ast, c->v, c->n, t->line - c->line);
				at = eol != NULL ? (size_t)(eol - text) + 1
				                 : end;
				parse_done(&p);
				text += at;
				end -= at;
				from = next;
				fresh = 1;
				continue;
			}
		}
		if (t == NULL) {
			parse_report(s, &p);
			worse(s, LANG_USAGE);
		} else if (run_sequence(s, &src) == 0 || s->quit || !p.failed)
			continue;
		if (must_stop(s))
			break;
		/* -k or the REPL: go on from the line after the error. */
		at = next_line(text, end, from, p.err_line);
		parse_done(&p);
		from = p.err_line + 1;
		text += at;
		end -= at;
		fresh = 1;
	}
	if (!fresh)
		parse_done(&p);
	if (long_line && !must_stop(s)) {
		lang_report(s, long_line, SCAN_LINE_MAX + 1,
		    "line too long (more than %d bytes)", SCAN_LINE_MAX);
		worse(s, LANG_USAGE);
	}
	return s->status;
}

/* One argv word as an argument: a term if it reads as one, else a string. */
static term
word_arg(const char *w)
{
	term t;

	if (parse_term_string(w, &t) == 0) {
		if (!term_holds(t, TERM_VAR))
			return t;
		term_free(t);
	}
	return term_string(w);
}

int
lang_run_argv(struct session *s, int argc, char **argv)
{
	struct source src;
	size_t k;
	int i;

	memset(&src, 0, sizeof src);
	src.argc = argc;
	src.argv = argv;
	s->source = "argv";
	for (i = 0; i < argc; i++)
		if (i == 0 || strcmp(argv[i - 1], ",") == 0)
			data_mode(s, argv[i], strlen(argv[i]));
	if (argc > 0)
		(void)run_sequence(s, &src);
	for (k = 0; k < src.nowned; k++)
		free(src.owned[k]);
	free(src.owned);
	return s->status;
}
