/*
 * The language: an expression is [Pattern =] Command or [Pattern =] Term,
 * a command written as an Erlang call (open(inet, stream), socket:open(..))
 * or as words (open inet stream). Sequences are separated by "," and may
 * end with ".". This module parses and evaluates them, keeps bindings,
 * matches patterns, and turns outcomes into exit statuses. Commands are
 * found in the command table; printing is term_print.c's.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lang.h"
#include "sock.h"
#include "term_parse.h"
#include "term_print.h"
#include "util.h"

/* One parsed expression. */
struct expr {
	term patterns[8]; /* P1 = P2 = ... = rhs */
	int npatterns;
	const struct cmd_entry *cmd; /* NULL: rhs is a term */
	term *args;
	size_t nargs;
	term value; /* the term when cmd is NULL */
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
}

void
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

const term *
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

void
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
		fprintf(stderr, "* %d:%d: ", line, col);
	else
		fprintf(stderr, "esock: %s:%d:%d: ", s->source, line, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
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
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/*
 * Replaces bound variables by their values. With bind_ok (patterns),
 * unbound ones stay; otherwise the first unbound one is returned in *var
 * and the result is -1.
 */
static int
subst(struct session *s, term t, int bind_ok, term *out, uint32_t *var)
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
	case TERM_VAR:
		if (strcmp(term_atom_name(t), "_") != 0 &&
		    (v = lang_lookup(s, t.n)) != NULL) {
			*out = term_copy(*v);
			return 0;
		}
		if (!bind_ok) {
			*var = t.n;
			return -1;
		}
		*out = t;
		return 0;
	case TERM_TUPLE:
	case TERM_LIST:
		n = term_size(t);
		e = xreallocarray(NULL, n, sizeof *e);
		for (i = 0; i < n && rc == 0; i++)
			if ((rc = subst(
			         s, term_elems(t)[i], bind_ok, &e[i], var)) < 0)
				break;
		if (rc == 0 && term_kind(t) == TERM_LIST)
			rc = subst(s, term_list_tail(t), bind_ok, &tail, var);
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
	case TERM_MAP: {
		term *k, *vv;

		n = term_size(t);
		k = xreallocarray(NULL, n, sizeof *k);
		vv = xreallocarray(NULL, n, sizeof *vv);
		for (i = 0; i < n; i++) {
			if (subst(s, term_map_key(t, i), bind_ok, &k[i], var) <
			    0)
				break;
			if (subst(s, term_map_value(t, i), bind_ok, &vv[i],
			        var) < 0) {
				term_free(k[i]);
				break;
			}
		}
		if (i < n) {
			while (i-- > 0) {
				term_free(k[i]);
				term_free(vv[i]);
			}
			free(k);
			free(vv);
			return -1;
		}
		*out = term_map(n, k, vv);
		free(k);
		free(vv);
		return 0;
	}
	default:
		*out = term_copy(t);
		return 0;
	}
}

/*
 * Matches a pattern (bound variables already substituted) against a
 * value, binding the rest. Bindings made before a failure are undone.
 */
static int
match(struct session *s, term pat, term val, uint32_t *made, size_t *nmade)
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
		made[(*nmade)++] = pat.n;
		return 0;
	case TERM_TUPLE:
		if (term_kind(val) != TERM_TUPLE ||
		    term_size(val) != term_size(pat))
			return -1;
		for (i = 0; i < term_size(pat); i++)
			if (match(s, term_elems(pat)[i], term_elems(val)[i],
			        made, nmade) < 0)
				return -1;
		return 0;
	case TERM_LIST:
		/* [H | T] patterns: elements first, then the tail. */
		n = term_size(pat);
		if (term_kind(val) != TERM_LIST || term_size(val) < n)
			return -1;
		for (i = 0; i < n; i++)
			if (match(s, term_elems(pat)[i], term_elems(val)[i],
			        made, nmade) < 0)
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
			rc = match(s, term_list_tail(pat), rest, made, nmade);
			term_free(rest);
			return rc;
		}
	case TERM_MAP:
		if (term_kind(val) != TERM_MAP)
			return -1;
		for (i = 0; i < term_size(pat); i++) {
			const term *v =
			    term_map_find(val, term_map_key(pat, i));

			if (v == NULL || match(s, term_map_value(pat, i), *v,
			                     made, nmade) < 0)
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

static int
is_module(term t)
{
	return term_atom_is(t, "socket") || term_atom_is(t, "net");
}

/*
 * The command part of an expression, if the next tokens start one:
 * returns 1 with e->cmd set, 0 when they do not, -1 on error.
 */
static int
parse_command(struct parser *p, struct expr *e)
{
	const struct token *t = parse_peek(p, 0), *n;
	const struct cmd_entry *ce;
	term name;
	int skip = 0;

	if (t == NULL)
		return -1;
	if (t->kind != TOK_ATOM)
		return 0;
	if ((n = parse_peek(p, 1)) == NULL)
		return -1;
	name = t->value;
	/* A quoted atom is a term ('receive'.), unless called: 'recv'(S). */
	if (p->sc.src[t->off] == '\'' &&
	    !(n->kind == TOK_PUNCT && n->punct == '('))
		return 0;
	if (n->kind == TOK_PUNCT && n->punct == ':' && is_module(t->value)) {
		const struct token *f = parse_peek(p, 2);

		if (f == NULL)
			return -1;
		if (f->kind != TOK_ATOM)
			return parse_error(p, f,
			    "syntax error: a function name must follow '%s:'",
			    term_atom_name(t->value));
		name = f->value;
		skip = 2;
		if ((ce = cmd_find(term_atom_name(name))) == NULL ||
		    strcmp(ce->module, term_atom_name(t->value)) != 0)
			return parse_error(p, f, "undefined function %s:%s",
			    term_atom_name(t->value), term_atom_name(name));
	} else if ((ce = cmd_find(term_atom_name(name))) == NULL) {
		if (n->kind == TOK_PUNCT && n->punct == '(')
			return parse_error(p, t, "undefined function %s",
			    term_atom_name(name));
		return 0;
	} else if (n->kind == TOK_PUNCT && n->punct == '=')
		return 0; /* a pattern that happens to be a command's name */
	e->cmd = ce;
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
print_usage(const struct cmd_entry *ce)
{
	fflush(stdout);
	fprintf(stderr, "usage: %s%s%s\n", ce->name, *ce->usage ? " " : "",
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
	fwrite(b.data, 1, b.len, stderr);
	buf_free(&b);
	(void)s;
}

/* OUT_FAIL carries a result to print; OUT_NOMATCH was reported already. */
/*
 * The socket argument may be left out: the current socket goes first
 * when the first argument is not a socket. With no current socket the
 * command gets its arguments as they are (connect and bind open one).
 * An unbound variable in the first argument is left for the caller to
 * report.
 */
static void
insert_current(struct session *s, struct expr *e)
{
	struct sock *cur = sock_current();
	term first;
	uint32_t var;

	if (!(e->cmd->flags & CMD_SOCKET_OPTIONAL) || cur == NULL)
		return;
	if (e->nargs > 0) {
		if (subst(s, e->args[0], 0, &first, &var) < 0)
			return;
		if (sock_is_term(first)) {
			term_free(first);
			return;
		}
		term_free(first);
	}
	e->args = xreallocarray(e->args, e->nargs + 1, sizeof *e->args);
	memmove(e->args + 1, e->args, e->nargs * sizeof *e->args);
	e->args[0] = sock_term(cur);
	e->nargs++;
}

/* OUT_DATA: ok from a command whose output was data (relay): no print. */
enum outcome { OUT_OK, OUT_DATA, OUT_FAIL, OUT_NOMATCH, OUT_USAGE, OUT_QUIT };

/* Evaluates one expression; *result is set when the outcome is OK/FAIL. */
static enum outcome
eval_expr(struct session *s, struct expr *e, term *result)
{
	struct cmd_ctx ctx;
	enum cmd_retval rv;
	term *args = NULL, val, pat;
	uint32_t var, made[256];
	size_t i, nmade = 0;
	int k;

	if (e->cmd != NULL) {
		const struct cmd_entry *ce = e->cmd;

		insert_current(s, e);
		if ((int)e->nargs < ce->args.lower ||
		    (ce->args.upper >= 0 && (int)e->nargs > ce->args.upper)) {
			print_usage(ce);
			return OUT_USAGE;
		}
		args = xreallocarray(NULL, e->nargs, sizeof *args);
		for (i = 0; i < e->nargs; i++) {
			if (ce->flags & CMD_RAW_ARGS)
				args[i] = term_copy(e->args[i]);
			else if (subst(s, e->args[i], 0, &args[i], &var) < 0) {
				report(s, e->line, e->col,
				    "variable '%s' is unbound", var_name(var));
				while (i-- > 0)
					term_free(args[i]);
				free(args);
				return OUT_USAGE;
			}
		}
		ctx.session = s;
		ctx.entry = ce;
		val = term_nil();
		/* What printed so far shows before a wait, even in a pipe. */
		if (ce->flags & CMD_MAY_BLOCK)
			fflush(stdout);
		rv = ce->exec(&ctx, e->nargs, args, &val);
		for (i = 0; i < e->nargs; i++)
			term_free(args[i]);
		free(args);
		if (rv == CMD_RETURN_USAGE) {
			term_free(val);
			print_usage(ce);
			return OUT_USAGE;
		}
		if (rv == CMD_RETURN_QUIT) {
			term_free(val);
			s->quit = 1;
			return OUT_QUIT;
		}
	} else if (subst(s, e->value, 0, &val, &var) < 0) {
		report(s, e->line, e->col, "variable '%s' is unbound",
		    var_name(var));
		return OUT_USAGE;
	}
	/* Patterns, innermost first: A = B = V matches B, then A. */
	for (k = e->npatterns; k-- > 0;) {
		if (term_has_var(e->patterns[k]) &&
		    subst(s, e->patterns[k], 1, &pat, &var) == 0) {
		} else
			pat = term_copy(e->patterns[k]);
		if (match(s, pat, val, made, &nmade) < 0) {
			term_free(pat);
			while (nmade > 0)
				lang_forget(s, made[--nmade]);
			report_nomatch(s, val);
			term_free(val);
			return OUT_NOMATCH;
		}
		term_free(pat);
	}
	*result = val;
	if (e->cmd != NULL && is_error(val) && !expects_error(e))
		return OUT_FAIL;
	if (e->cmd != NULL && (e->cmd->flags & CMD_DATA_STDOUT) &&
	    term_atom_is(val, "ok"))
		return OUT_DATA;
	return OUT_OK;
}

/*
 * Parses and runs one sequence E1, E2, ... up to "." or the end. Returns
 * 0 to go on, -1 when the caller must stop reading this text.
 */
static int
eval_sequence(struct session *s, struct parser *p)
{
	struct expr e;
	enum outcome oc;
	term result = term_nil(), last = term_nil();
	int have = 0;
	const struct token *t;

	for (;;) {
		if (parse_expr(p, &e) < 0) {
			expr_free(&e);
			goto syntax;
		}
		/* Check the separator before running: a bad line runs not. */
		if ((t = parse_peek(p, 0)) == NULL) {
			expr_free(&e);
			goto syntax;
		}
		if (!is_stop(t)) {
			char text[64];

			parse_token_text(t, text, sizeof text);
			parse_error(p, t, "syntax error before: %s", text);
			expr_free(&e);
			goto syntax;
		}
		oc = eval_expr(s, &e, &result);
		expr_free(&e);
		switch (oc) {
		case OUT_DATA:
			term_free(last);
			term_free(result);
			last = term_nil();
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
			term_free(last);
			lang_print(s, result);
			term_free(result);
			worse(s, LANG_FAIL);
			return -1;
		case OUT_NOMATCH:
			term_free(last);
			worse(s, LANG_FAIL);
			return -1;
		case OUT_USAGE:
			term_free(last);
			worse(s, LANG_USAGE);
			return -1;
		case OUT_QUIT:
			term_free(last);
			return -1;
		}
		t = parse_peek(p, 0);
		if (t->kind == TOK_PUNCT) {
			parse_skip(p);
			continue;
		}
		if (t->kind == TOK_END)
			parse_skip(p);
		break;
	}
	if (have && !(s->flags & LANG_VERBOSE))
		lang_print(s, last);
	term_free(last);
	return 0;
syntax:
	term_free(last);
	report(s, p->err_line, p->err_col, "%s", p->err);
	worse(s, LANG_USAGE);
	return -1;
}

int
lang_eval(struct session *s, const char *text, size_t len, int line)
{
	struct parser p;
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
		else if (eval_sequence(s, &p) < 0)
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
		if (t.kind == TOK_PUNCT) {
			switch (t.punct) {
			case '(':
			case '[':
			case '{':
			case P_BINL:
			case P_MAPL:
				depth++;
				break;
			case ')':
			case ']':
			case '}':
			case P_BINR:
				depth--;
				break;
			default:
				break;
			}
		}
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

int
lang_run_text(struct session *s, const char *text, size_t len, int line)
{
	size_t start = 0, end, chunk_line = (size_t)line;
	size_t i = 0;
	int cur = line;

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
		if (!term_has_var(t))
			return t;
		term_free(t);
	}
	return term_string(w);
}

int
lang_run_argv(struct session *s, int argc, char **argv)
{
	struct expr e;
	enum outcome oc;
	term result, last = term_nil();
	int i = 0, j, have = 0;
	const char *name, *colon;

	s->source = "argv";
	while (i < argc && !s->quit) {
		memset(&e, 0, sizeof e);
		e.value = term_nil();
		name = argv[i];
		colon = strchr(name, ':');
		if (colon != NULL && (strncmp(name, "socket:", 7) == 0 ||
		                         strncmp(name, "net:", 4) == 0))
			name = colon + 1;
		if ((e.cmd = cmd_find(name)) == NULL) {
			fprintf(stderr,
			    "esock: unknown command: %s (try "
			    "esock --help)\n",
			    argv[i]);
			worse(s, LANG_USAGE);
			break;
		}
		for (j = i + 1; j < argc && strcmp(argv[j], ",") != 0; j++)
			push_arg(&e, word_arg(argv[j]));
		i = j + 1;
		e.line = 1;
		e.col = 1;
		oc = eval_expr(s, &e, &result);
		expr_free(&e);
		if (oc == OUT_DATA) {
			term_free(result);
			have = 0;
		} else if (oc == OUT_OK || oc == OUT_FAIL) {
			if ((s->flags & LANG_VERBOSE) || oc == OUT_FAIL)
				lang_print(s, result);
			term_free(last);
			last = result;
			have = oc == OUT_OK && !(s->flags & LANG_VERBOSE);
		} else
			have = 0;
		if (oc == OUT_FAIL || oc == OUT_NOMATCH)
			worse(s, LANG_FAIL);
		else if (oc == OUT_USAGE)
			worse(s, LANG_USAGE);
		if (must_stop(s))
			break;
	}
	if (have)
		lang_print(s, last);
	term_free(last);
	return s->status;
}
