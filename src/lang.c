/*
 * The language: an expression is [Pattern =] Command or [Pattern =] Term,
 * a command written as an Erlang call (open(inet, stream), socket:open(..))
 * or as words (open inet stream). Sequences are separated by "," and may
 * end with ".". This module parses and evaluates them, keeps bindings,
 * matches patterns, and turns outcomes into exit statuses. Commands are
 * found in the command table; printing is term_print.c's.
 *
 * One interpreter serves every input: script text (the REPL, -e, -f,
 * stdin) and the argv chain differ only in where their expressions come
 * from (struct source); finding the command, evaluating the arguments
 * (the omitted socket, address literals decoded once by sockaddr.c in
 * the socket's family), matching and the outcome are one path.
 */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lang.h"
#include "sock.h"
#include "sockaddr.h"
#include "term_parse.h"
#include "term_print.h"
#include "util.h"

/* One expression of a sequence. */
struct expr {
	term patterns[8]; /* P1 = P2 = ... = rhs */
	int npatterns;
	const struct cmd_entry *cmd; /* NULL: rhs is a term */
	term *args;
	size_t nargs;
	term value;   /* the term when cmd is NULL */
	char **words; /* argv chain: the word of each argument, else NULL */
	char *joined; /* argv chain: a HOST PORT pair made one word */
	int line;
	int col;
};

void
lang_init(struct session *s, int flags)
{
	memset(s, 0, sizeof *s);
	s->flags = flags;
	s->timeout_ms = -1;
	s->source = "-e";
	s->err = stderr;
	s->out = flags & LANG_RAW ? stderr : stdout;
}

static void
lang_forget_all(struct session *s)
{
	size_t i;

	for (i = 0; i < s->nvars; i++)
		term_free(s->vars[i].value);
	s->nvars = 0;
}

void
lang_free(struct session *s)
{
	lang_forget_all(s);
	free(s->vars);
	s->vars = NULL;
	s->capvars = 0;
}

static const term *
lang_lookup(struct session *s, uint32_t var)
{
	size_t i;

	for (i = 0; i < s->nvars; i++)
		if (s->vars[i].var == var)
			return &s->vars[i].value;
	return NULL;
}

void
lang_bind(struct session *s, uint32_t var, term value)
{
	size_t i;

	for (i = 0; i < s->nvars; i++) {
		if (s->vars[i].var == var) {
			term_free(s->vars[i].value);
			s->vars[i].value = value;
			return;
		}
	}
	if (s->nvars == s->capvars) {
		s->capvars = s->capvars ? s->capvars * 2 : 16;
		s->vars = xreallocarray(s->vars, s->capvars, sizeof *s->vars);
	}
	s->vars[s->nvars].var = var;
	s->vars[s->nvars].value = value;
	s->nvars++;
}

static void
lang_forget(struct session *s, uint32_t var)
{
	size_t i;

	for (i = 0; i < s->nvars; i++) {
		if (s->vars[i].var == var) {
			term_free(s->vars[i].value);
			s->vars[i] = s->vars[--s->nvars];
			return;
		}
	}
}

static void
worse(struct session *s, int status)
{
	if (status > s->status)
		s->status = status;
}

static void printflike(4, 5)
    report(struct session *s, int line, int col, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (s->flags & LANG_INTERACTIVE)
		fprintf(s->err, "* %d:%d: ", line, col);
	else
		fprintf(s->err, "esock: %s:%d:%d: ", s->source, line, col);
	va_start(ap, fmt);
	vfprintf(s->err, fmt, ap);
	va_end(ap);
	fputc('\n', s->err);
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

	if (s->flags & LANG_JSON)
		flags |= PRINT_JSON;
	else if (s->flags & LANG_COMPACT)
		flags |= PRINT_COMPACT;
	buf_add(b, prefix, strlen(prefix));
	/* io:format's ~p indents past the text before it on the line. */
	print_term(b, t, flags, (int)strlen(prefix) + 1);
	buf_addc(b, '\n');
}

void
lang_print_after(struct session *s, const char *prefix, term t)
{
	struct buf b;

	buf_init(&b);
	lang_format(s, &b, prefix, t);
	fwrite(b.data, 1, b.len, s->out);
	buf_free(&b);
}

/* Where subst leaves address literals as they are (a first look). */
#define ADDR_KEEP (-1)

/* Why an evaluation failed: an unbound variable or a bad address. */
struct fault {
	uint32_t var; /* the unbound variable, when why is nil */
	term why;     /* sa_literal's reason (owned), or nil */
};

/*
 * Replaces bound variables by their values and address literals by the
 * sockaddr() maps sockaddr.c makes of them in family (AF_UNSPEC: inet;
 * ADDR_KEEP: left as they are). With bind_ok (patterns), unbound
 * variables stay; otherwise the first one fails the call. Returns 0, or
 * -1 with *f set.
 */
static int subst(struct session *, term, int, int, term *, struct fault *);

/* subst of each key and value of a map. */
static int
subst_map(struct session *s, term t, int bind_ok, int family, term *out,
    struct fault *f)
{
	size_t n = term_size(t), i;
	term *k, *v;

	k = xreallocarray(NULL, n, sizeof *k);
	v = xreallocarray(NULL, n, sizeof *v);
	for (i = 0; i < n; i++) {
		if (subst(s, term_map_key(t, i), bind_ok, family, &k[i], f) < 0)
			break;
		if (subst(s, term_map_value(t, i), bind_ok, family, &v[i], f) <
		    0) {
			term_free(k[i]);
			break;
		}
	}
	if (i < n) {
		while (i-- > 0) {
			term_free(k[i]);
			term_free(v[i]);
		}
		free(k);
		free(v);
		return -1;
	}
	*out = term_map(n, k, v);
	free(k);
	free(v);
	return 0;
}

static int
subst(struct session *s, term t, int bind_ok, int family, term *out,
    struct fault *f)
{
	const term *v;
	term *e = NULL, tail = term_nil();
	size_t n, i;
	int rc = 0;

	if (!term_has_var(t)) {
		*out = term_copy(t);
		return 0;
	}
	switch (term_kind(t)) {
	case TERM_ADDR:
		if (family == ADDR_KEEP) {
			*out = t;
			return 0;
		}
		f->why = term_nil();
		if (sa_literal(term_atom_name(t), term_atom_len(t), family, out,
		        &f->why) < 0)
			return -1;
		return 0;
	case TERM_VAR:
		if (strcmp(term_atom_name(t), "_") != 0 &&
		    (v = lang_lookup(s, t.n)) != NULL) {
			*out = term_copy(*v);
			return 0;
		}
		if (!bind_ok) {
			f->var = t.n;
			f->why = term_nil();
			return -1;
		}
		*out = t;
		return 0;
	case TERM_TUPLE:
	case TERM_LIST:
		n = term_size(t);
		e = xreallocarray(NULL, n, sizeof *e);
		for (i = 0; i < n && rc == 0; i++)
			if ((rc = subst(s, term_elems(t)[i], bind_ok, family,
			         &e[i], f)) < 0)
				break;
		if (rc == 0 && term_kind(t) == TERM_LIST)
			rc = subst(
			    s, term_list_tail(t), bind_ok, family, &tail, f);
		if (rc < 0) {
			while (i-- > 0)
				term_free(e[i]);
			free(e);
			return -1;
		}
		*out = term_kind(t) == TERM_TUPLE ? term_tuple(n, e)
		                                  : term_list(n, e, tail);
		free(e);
		return 0;
	case TERM_MAP:
		return subst_map(s, t, bind_ok, family, out, f);
	default:
		*out = term_copy(t);
		return 0;
	}
}

/* The variables a match bound, to undo them if it fails: grows. */
struct made {
	uint32_t *v;
	size_t n, cap;
};

static void
made_add(struct made *m, uint32_t var)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n++] = var;
}

/*
 * Matches a pattern (bound variables already substituted) against a
 * value, binding the rest and noting each binding in *made.
 */
static int
match(struct session *s, term pat, term val, struct made *made)
{
	const term *bound;
	size_t i, n;

	switch (term_kind(pat)) {
	case TERM_VAR:
		if (strcmp(term_atom_name(pat), "_") == 0)
			return 0;
		/* A variable seen earlier in this pattern must agree. */
		if ((bound = lang_lookup(s, pat.n)) != NULL)
			return term_equal(*bound, val) ? 0 : -1;
		lang_bind(s, pat.n, term_copy(val));
		made_add(made, pat.n);
		return 0;
	case TERM_TUPLE:
		if (term_kind(val) != TERM_TUPLE ||
		    term_size(val) != term_size(pat))
			return -1;
		for (i = 0; i < term_size(pat); i++)
			if (match(s, term_elems(pat)[i], term_elems(val)[i],
			        made) < 0)
				return -1;
		return 0;
	case TERM_LIST:
		/* [H | T] patterns: elements first, then the tail. */
		n = term_size(pat);
		if (term_kind(val) != TERM_LIST || term_size(val) < n)
			return -1;
		for (i = 0; i < n; i++)
			if (match(s, term_elems(pat)[i], term_elems(val)[i],
			        made) < 0)
				return -1;
		{
			term rest;
			int rc;

			if (term_size(val) == n)
				rest = term_copy(term_list_tail(val));
			else {
				term *e = xreallocarray(
				    NULL, term_size(val) - n, sizeof *e);

				for (i = n; i < term_size(val); i++)
					e[i - n] =
					    term_copy(term_elems(val)[i]);
				rest = term_list(term_size(val) - n, e,
				    term_copy(term_list_tail(val)));
				free(e);
			}
			rc = match(s, term_list_tail(pat), rest, made);
			term_free(rest);
			return rc;
		}
	case TERM_MAP:
		if (term_kind(val) != TERM_MAP)
			return -1;
		for (i = 0; i < term_size(pat); i++) {
			const term *v =
			    term_map_find(val, term_map_key(pat, i));

			if (v == NULL ||
			    match(s, term_map_value(pat, i), *v, made) < 0)
				return -1;
		}
		return 0;
	default:
		return term_equal(pat, val) ? 0 : -1;
	}
}

static const char *
var_name(uint32_t id)
{
	term t = term_nil();

	t.kind = TERM_VAR;
	t.n = id;
	return term_atom_name(t);
}

static void
expr_free(struct expr *e)
{
	size_t i;
	int k;

	for (k = 0; k < e->npatterns; k++)
		term_free(e->patterns[k]);
	for (i = 0; i < e->nargs; i++)
		term_free(e->args[i]);
	free(e->args);
	free(e->words);
	free(e->joined);
	term_free(e->value);
	memset(e, 0, sizeof *e);
	e->value = term_nil();
}

static int
is_stop(const struct token *t)
{
	return t->kind == TOK_EOF || t->kind == TOK_END ||
	       (t->kind == TOK_PUNCT && t->punct == ',');
}

static void
push_arg(struct expr *e, term t)
{
	e->args = xreallocarray(e->args, e->nargs + 1, sizeof *e->args);
	e->args[e->nargs++] = t;
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
	if ((*ce = cmd_find(name)) == NULL)
		return module != NULL ? WRONG_MODULE : NOT_A_COMMAND;
	if (module != NULL && strcmp((*ce)->module, module) != 0)
		return WRONG_MODULE;
	return FOUND;
}

/* The prefixes a call may carry. */
static int
is_module(const char *name)
{
	return strcmp(name, "socket") == 0 || strcmp(name, "net") == 0;
}

/* Call form arguments: "(" [Term {"," Term}] ")". */
static int
parse_call_args(struct parser *p, struct expr *e)
{
	term t;

	parse_skip(p);
	if (parse_is(p, ')')) {
		parse_skip(p);
		return 0;
	}
	for (;;) {
		if (parse_term(p, &t) < 0)
			return -1;
		push_arg(e, t);
		if (parse_is(p, ',')) {
			parse_skip(p);
			continue;
		}
		if (parse_is(p, ')')) {
			parse_skip(p);
			return 0;
		}
		{
			char text[64];

			parse_token_text(parse_peek(p, 0), text, sizeof text);
			return parse_error(p, parse_peek(p, 0),
			    "syntax error before: %s (expected ',' or ')')",
			    text);
		}
	}
}

/*
 * The command part of an expression, if the next tokens start one:
 * returns 1 with e->cmd set, 0 when they do not, -1 on error.
 */
static int
parse_command(struct parser *p, struct expr *e)
{
	const struct token *t = parse_peek(p, 0), *n;
	const char *module = NULL;
	term name;
	int skip = 0, call;

	if (t == NULL)
		return -1;
	if (t->kind != TOK_ATOM)
		return 0;
	if ((n = parse_peek(p, 1)) == NULL)
		return -1;
	name = t->value;
	call = n->kind == TOK_PUNCT && n->punct == '(';
	/* A quoted atom is a term ('receive'.), unless called: 'recv'(S). */
	if (p->sc.src[t->off] == '\'' && !call)
		return 0;
	if (n->kind == TOK_PUNCT && n->punct == ':' &&
	    is_module(term_atom_name(t->value))) {
		const struct token *f = parse_peek(p, 2);

		if (f == NULL)
			return -1;
		if (f->kind != TOK_ATOM)
			return parse_error(p, f,
			    "syntax error: a function name must follow '%s:'",
			    term_atom_name(t->value));
		module = term_atom_name(t->value);
		name = f->value;
		skip = 2;
	}
	switch (find_command(module, term_atom_name(name), &e->cmd)) {
	case WRONG_MODULE:
		return parse_error(p, parse_peek(p, skip),
		    "undefined function %s:%s", module, term_atom_name(name));
	case NOT_A_COMMAND:
		if (call)
			return parse_error(p, t, "undefined function %s",
			    term_atom_name(name));
		return 0;
	case FOUND:
		break;
	}
	if (module == NULL && n->kind == TOK_PUNCT && n->punct == '=') {
		e->cmd = NULL;
		return 0; /* a pattern that happens to be a command's name */
	}
	e->line = t->line;
	e->col = t->col;
	while (skip-- > 0)
		parse_skip(p);
	parse_skip(p);
	if (parse_is(p, '('))
		return parse_call_args(p, e) < 0 ? -1 : 1;
	/* Word form: terms up to the end of the expression. */
	for (;;) {
		term a;

		if ((t = parse_peek(p, 0)) == NULL)
			return -1;
		if (is_stop(t))
			return 1;
		if (parse_term(p, &a) < 0)
			return -1;
		push_arg(e, a);
	}
}

static int
parse_expr(struct parser *p, struct expr *e)
{
	const struct token *t;
	int rc;
	term pat;

	memset(e, 0, sizeof *e);
	e->value = term_nil();
	for (;;) {
		if ((t = parse_peek(p, 0)) == NULL)
			return -1;
		e->line = t->line;
		e->col = t->col;
		if ((rc = parse_command(p, e)) != 0)
			return rc < 0 ? -1 : 0;
		if (parse_term(p, &pat) < 0)
			return -1;
		if (!parse_is(p, '=')) {
			e->value = pat;
			return 0;
		}
		parse_skip(p);
		if (e->npatterns ==
		    (int)(sizeof e->patterns / sizeof e->patterns[0])) {
			term_free(pat);
			return parse_error(p, NULL, "too many patterns");
		}
		e->patterns[e->npatterns++] = pat;
	}
}

/* {error, ...}: the outcome that fails a script. */
static int
is_error(term t)
{
	return term_kind(t) == TERM_TUPLE && term_size(t) >= 2 &&
	       term_atom_is(term_tuple_get(t, 0), "error");
}

/* A pattern that expects an error, such as {error, econnrefused}. */
static int
expects_error(const struct expr *e)
{
	int k;

	for (k = 0; k < e->npatterns; k++)
		if (is_error(e->patterns[k]))
			return 1;
	return 0;
}

static void
print_usage(struct session *s, const struct cmd_entry *ce)
{
	fflush(stdout);
	fprintf(s->err, "usage: %s%s%s\n", ce->name, *ce->usage ? " " : "",
	    ce->usage);
}

static void
report_nomatch(struct session *s, term val)
{
	static const char prefix[] =
	    "** exception error: no match of right hand side value ";
	struct buf b;

	buf_init(&b);
	buf_adds(&b, prefix);
	print_term(&b, val, 0, (int)sizeof prefix);
	buf_addc(&b, '\n');
	fflush(stdout);
	fwrite(b.data, 1, b.len, s->err);
	buf_free(&b);
}

/*
 * OUT_DATA: ok from a command whose output was data (relay): no print.
 * OUT_FAIL carries a result to print; OUT_NOMATCH was reported already.
 */
enum outcome { OUT_OK, OUT_DATA, OUT_FAIL, OUT_NOMATCH, OUT_USAGE, OUT_QUIT };

/* An evaluation fault as an outcome: reported, or an {error, Why}. */
static enum outcome
fault_outcome(
    struct session *s, const struct expr *e, struct fault *f, term *result)
{
	if (term_kind(f->why) != TERM_NIL) {
		*result = t_error(f->why);
		return OUT_FAIL;
	}
	report(
	    s, e->line, e->col, "variable '%s' is unbound", var_name(f->var));
	return OUT_USAGE;
}

/* The language's side of struct cmd_host, for f, b and flush. */
static void
host_print(void *arg, const char *prefix, term t)
{
	lang_print_after(arg, prefix, t);
}

static void
host_forget(void *arg, term var)
{
	if (term_kind(var) == TERM_VAR)
		lang_forget(arg, var.n);
	else
		lang_forget_all(arg);
}

static void
host_bindings(void *arg)
{
	struct session *s = arg;
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < s->nvars; i++) {
		const char *name = var_name(s->vars[i].var);

		buf_addf(&b, "%s = ", name);
		print_term(&b, s->vars[i].value, 0, (int)strlen(name) + 4);
		buf_addc(&b, '\n');
	}
	if (!(s->flags & LANG_QUIET))
		fwrite(b.data ? b.data : "", 1, b.len, s->out);
	buf_free(&b);
}

static const struct cmd_host host = {
    .print = host_print,
    .forget = host_forget,
    .bindings = host_bindings,
};

/*
 * The socket a command works on when its first argument may be left
 * out: the first argument when it is a socket, else the current socket,
 * which then goes first (*insert set), unless it is in a state the
 * command finds busy (connect after a connect opens a new socket, as
 * nc users expect). NULL when there is neither (the command says so,
 * or opens one: connect and bind).
 */
static struct sock *
omitted_socket(struct session *s, const struct expr *e, int *insert)
{
	struct sock *cur = sock_current();
	struct sock *so = NULL;
	struct fault f;
	term first;
	int is_sock = 0;

	*insert = 0;
	if (e->nargs > 0 &&
	    subst(s, e->args[0], 0, ADDR_KEEP, &first, &f) == 0) {
		if ((is_sock = sock_is_term(first)))
			so = sock_find(first);
		term_free(first);
	}
	if (is_sock)
		return so;
	/* connect(): with no argument at all it completes the current one. */
	if (cur == NULL || (e->nargs > 0 && (cur->state & e->cmd->busy)))
		return NULL;
	*insert = 1;
	return cur;
}

/*
 * A Data word of the argv chain is the bytes typed, escapes decoded
 * (send 'PING\r\n'); an explicit binary (<<0,1,255>>) is those bytes.
 * Returns 0, or -1 when an escape is bad (reported).
 */
static int
data_word(struct session *s, const char *w, term *out)
{
	struct scanner sc;
	struct buf b;
	term t;

	if (strncmp(w, "<<", 2) == 0 && parse_term_string(w, &t) == 0) {
		if (term_is_binary(t)) {
			*out = t;
			return 0;
		}
		term_free(t);
	}
	scan_init(&sc, w, strlen(w), 1);
	buf_init(&b);
	if (scan_unescape(&sc, &b) < 0) {
		report(s, sc.err_line, sc.err_col, "%s in '%s'", sc.err, w);
		buf_free(&b);
		return -1;
	}
	*out = term_binary(b.data, b.len);
	buf_free(&b);
	return 0;
}

/* Runs a command: its arguments evaluated once, then its exec. */
static enum outcome
eval_command(struct session *s, struct expr *e, term *val)
{
	const struct cmd_entry *ce = e->cmd;
	struct cmd_ctx ctx;
	enum cmd_retval rv;
	struct sock *so = NULL;
	struct fault f;
	term *args;
	size_t i, n, k = 0;
	int insert = 0, family = AF_UNSPEC;

	if (ce->flags & CMD_SOCKET_OPTIONAL)
		so = omitted_socket(s, e, &insert);
	n = e->nargs + (size_t)insert;
	if ((int)n < ce->args.lower ||
	    (ce->args.upper >= 0 && (int)n > ce->args.upper)) {
		print_usage(s, ce);
		return OUT_USAGE;
	}
	/* An address literal names an address of the socket's family. */
	if (so != NULL)
		family = so->domain;
	args = xreallocarray(NULL, n, sizeof *args);
	if (insert)
		args[k++] = sock_term(so);
	for (i = 0; i < e->nargs; i++, k++) {
		if (ce->flags & CMD_RAW_ARGS)
			args[k] = term_copy(e->args[i]);
		else if (e->words != NULL && cmd_arg_is(ce, k, "data")) {
			if (data_word(s, e->words[i], &args[k]) < 0) {
				while (k-- > 0)
					term_free(args[k]);
				free(args);
				return OUT_USAGE;
			}
		} else if (subst(s, e->args[i], 0, family, &args[k], &f) < 0) {
			while (k-- > 0)
				term_free(args[k]);
			free(args);
			return fault_outcome(s, e, &f, val);
		}
	}
	ctx.entry = ce;
	ctx.timeout_ms = s->timeout_ms;
	ctx.host = &host;
	ctx.arg = s;
	*val = term_nil();
	/* What printed so far shows before a wait, even in a pipe. */
	if (ce->flags & CMD_MAY_BLOCK)
		fflush(stdout);
	rv = ce->exec(&ctx, n, args, val);
	for (i = 0; i < n; i++)
		term_free(args[i]);
	free(args);
	switch (rv) {
	case CMD_RETURN_USAGE:
		term_free(*val);
		print_usage(s, ce);
		return OUT_USAGE;
	case CMD_RETURN_QUIT:
		term_free(*val);
		s->quit = 1;
		return OUT_QUIT;
	case CMD_RETURN_NORMAL:
		break;
	}
	return OUT_OK;
}

/*
 * --raw: writes the Data of {ok, Data} or {ok, {Source, Data}} to stdout
 * as bytes. Returns 1 when it did, 0 when the result holds no data.
 */
static int
write_data(term val)
{
	term v;

	if (!term_is_tagged(val, "ok", 2))
		return 0;
	v = term_tuple_get(val, 1);
	if (term_kind(v) == TERM_TUPLE && term_size(v) == 2)
		v = term_tuple_get(v, 1);
	if (!term_is_binary(v))
		return 0;
	fwrite(term_bin_data(v), 1, term_bin_size(v), stdout);
	return 1;
}

/* Evaluates one expression; *result is set when the outcome is OK/FAIL. */
static enum outcome
eval_expr(struct session *s, struct expr *e, term *result)
{
	struct made made = {NULL, 0, 0};
	struct fault f;
	enum outcome oc;
	term val, pat;
	int k;

	if (e->cmd != NULL) {
		if ((oc = eval_command(s, e, &val)) != OUT_OK) {
			if (oc == OUT_FAIL)
				*result = val;
			return oc;
		}
	} else if (subst(s, e->value, 0, AF_UNSPEC, &val, &f) < 0)
		return fault_outcome(s, e, &f, result);
	/* Patterns, innermost first: A = B = V matches B, then A. */
	for (k = e->npatterns; k-- > 0;) {
		if (subst(s, e->patterns[k], 1, AF_UNSPEC, &pat, &f) < 0) {
			term_free(val);
			oc = fault_outcome(s, e, &f, result);
			goto undo;
		}
		if (match(s, pat, val, &made) < 0) {
			term_free(pat);
			report_nomatch(s, val);
			term_free(val);
			oc = OUT_NOMATCH;
			goto undo;
		}
		term_free(pat);
	}
	free(made.v);
	*result = val;
	if (e->cmd != NULL && is_error(val) && !expects_error(e))
		return OUT_FAIL;
	if (e->cmd != NULL && (e->cmd->flags & CMD_DATA_STDOUT) &&
	    term_atom_is(val, "ok"))
		return OUT_DATA;
	if (e->cmd != NULL && (e->cmd->flags & CMD_DATA_RESULT) &&
	    (s->flags & LANG_RAW) && write_data(val))
		return OUT_DATA;
	return OUT_OK;
undo:
	while (made.n > 0)
		lang_forget(s, made.v[--made.n]);
	free(made.v);
	return oc;
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
};

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
host_port(struct session *s, struct expr *e, size_t *n)
{
	const struct cmd_entry *ce = e->cmd;
	size_t i, len, off = (ce->flags & CMD_SOCKET_OPTIONAL) ? 1 : 0;
	int kind;

	for (i = 0; i < *n; i++) {
		if (!cmd_arg_is(ce, i + off, "addr") ||
		    (kind = host_word(e->words[i])) == 0)
			continue;
		if (i + 1 < *n && is_port_word(e->words[i + 1])) {
			len = strlen(e->words[i]) + strlen(e->words[i + 1]) + 4;
			e->joined = xmalloc(len);
			snprintf(e->joined, len, "%s%s%s:%s",
			    kind == 2 ? "[" : "", e->words[i],
			    kind == 2 ? "]" : "", e->words[i + 1]);
			e->words[i] = e->joined;
			memmove(&e->words[i + 1], &e->words[i + 2],
			    (*n - i - 2) * sizeof *e->words);
			(*n)--;
		} else if (ce->flags & CMD_NEEDS_PORT) {
			fflush(stdout);
			fprintf(s->err,
			    "esock: %s: %s has no port; write HOST:PORT "
			    "(%s:80) or HOST PORT\n",
			    ce->name, e->words[i], e->words[i]);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* The next command of the argv chain: 0, or -1 when its name is none. */
static int
argv_expr(struct session *s, struct source *src, struct expr *e)
{
	const char *word = src->argv[src->i], *colon = strchr(word, ':');
	char *module = NULL;
	enum found how;
	size_t n, k;
	int j;

	memset(e, 0, sizeof *e);
	e->value = term_nil();
	e->line = 1;
	e->col = 1;
	if (colon != NULL) {
		module = xstrndup(word, (size_t)(colon - word));
		if (!is_module(module)) {
			free(module);
			module = NULL;
		}
	}
	how = find_command(module, module != NULL ? colon + 1 : word, &e->cmd);
	free(module);
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
	e->words = xreallocarray(NULL, n + 1, sizeof *e->words);
	memcpy(e->words, &src->argv[src->i + 1], n * sizeof *e->words);
	src->i = j;
	if (host_port(s, e, &n) < 0)
		return -1;
	for (k = 0; k < n; k++)
		push_arg(e, word_arg(e->words[k]));
	return 0;
}

/*
 * The next expression of the sequence into *e. Returns 1 when another
 * follows it, 0 when it is the last, -1 on a syntax error (reported).
 * The separator is checked before anything runs: a bad line runs not.
 */
static int
next_expr(struct session *s, struct source *src, struct expr *e)
{
	const struct token *t;
	char text[64];

	if (src->p == NULL) {
		if (argv_expr(s, src, e) < 0)
			return -1;
		/* Past the "," word; a chain may end with one. */
		src->i++;
		return src->i < src->argc;
	}
	if (parse_expr(src->p, e) < 0 || (t = parse_peek(src->p, 0)) == NULL)
		goto syntax;
	if (!is_stop(t)) {
		parse_token_text(t, text, sizeof text);
		parse_error(src->p, t, "syntax error before: %s", text);
		goto syntax;
	}
	return t->kind == TOK_PUNCT;
syntax:
	report(s, src->p->err_line, src->p->err_col, "%s", src->p->err);
	return -1;
}

/* Drops the separator after an expression of the text source. */
static void
next_skip(struct source *src)
{
	const struct token *t;

	if (src->p != NULL && (t = parse_peek(src->p, 0)) != NULL &&
	    t->kind != TOK_EOF)
		parse_skip(src->p);
}

/*
 * Runs one sequence E1, E2, ...: only the last result prints (each with
 * -v); a failing result prints at once and, unless -k, ends the
 * sequence. Returns 0 to go on, -1 when the caller must stop reading.
 */
static int
run_sequence(struct session *s, struct source *src)
{
	struct expr e;
	term result = term_nil(), last = term_nil();
	int have = 0, more, rc = 0;

	do {
		if ((more = next_expr(s, src, &e)) < 0) {
			expr_free(&e);
			worse(s, LANG_USAGE);
			rc = -1;
			break;
		}
		next_skip(src);
		switch (eval_expr(s, &e, &result)) {
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
		case OUT_NOMATCH:
			worse(s, LANG_FAIL);
			rc = -1;
			break;
		case OUT_USAGE:
			worse(s, LANG_USAGE);
			rc = -1;
			break;
		case OUT_QUIT:
			rc = -1;
			break;
		}
		expr_free(&e);
	} while (more && rc == 0);
	if (have && !(s->flags & LANG_VERBOSE))
		lang_print(s, last);
	term_free(last);
	return rc;
}

int
lang_eval(struct session *s, const char *text, size_t len, int line)
{
	struct parser p;
	struct source src = {&p, 0, NULL, 0};
	int stop = 0;

	parse_init(&p, text, len, line);
	while (!stop) {
		const struct token *t = parse_peek(&p, 0);

		if (t == NULL) {
			report(s, p.err_line, p.err_col, "%s", p.err);
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

int
lang_incomplete(const char *text, size_t len)
{
	struct scanner sc;
	struct token t;
	int depth = 0;

	scan_init(&sc, text, len, 1);
	for (;;) {
		if (scan_next(&sc, &t) < 0)
			return strncmp(sc.err, "unterminated", 12) == 0;
		if (t.kind == TOK_EOF)
			break;
		depth += scan_nesting(t.kind, t.punct);
		scan_token_free(&t);
	}
	return depth > 0;
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
		    memmem(text, len, cmd_table[i]->name,
		        strlen(cmd_table[i]->name)) != NULL)
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

int
lang_run_text(struct session *s, const char *text, size_t len, int line)
{
	size_t start = 0, end, chunk_line = (size_t)line;
	size_t i = 0;
	int cur = line;

	data_mode_text(s, text, len);
	while (i < len && !must_stop(s)) {
		/* Gather physical lines until the brackets balance. */
		end = i;
		for (;;) {
			size_t ll;
			const char *nl = memchr(text + end, '\n', len - end);

			ll = nl ? (size_t)(nl - (text + end)) : len - end;
			if (ll > SCAN_LINE_MAX) {
				report(s, cur, SCAN_LINE_MAX + 1,
				    "line too long (more than %d bytes)",
				    SCAN_LINE_MAX);
				worse(s, LANG_USAGE);
				return s->status;
			}
			end += ll;
			cur++;
			if (nl != NULL)
				end++;
			if (end >= len || !lang_incomplete(text + i, end - i))
				break;
		}
		start = i;
		lang_eval(s, text + start, end - start, (int)chunk_line);
		chunk_line = (size_t)cur;
		i = end;
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
	struct source src = {NULL, argc, argv, 0};
	int i;

	s->source = "argv";
	for (i = 0; i < argc; i++)
		if (i == 0 || strcmp(argv[i - 1], ",") == 0)
			data_mode(s, argv[i], strlen(argv[i]));
	if (argc > 0)
		(void)run_sequence(s, &src);
	return s->status;
}
