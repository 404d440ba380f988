/*
 * The evaluator (see eval.h). It walks the nodes of expr.h with the
 * bindings of an env: the session's at the top, a fresh one for each
 * fun call (the closure's captured variables and the clause's head).
 * Variables bound in a case, if, receive, try or begin stay bound after
 * it, as in erl_eval; a comprehension's do not.
 *
 * Exceptions are return codes (EVAL_EXC) with the class, reason and
 * where it happened kept in struct ev; try and catch read them back.
 * Calls in tail position of a fun body loop instead of recursing, so
 * an Erlang loop written as a recursive fun runs in constant C stack.
 */
#include "compat.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <stdio_ext.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "bif.h"
#include "bits.h"
#include "cmd.h"
#include "env.h"
#include "eval.h"
#include "exc.h"
#include "lang.h"
#include "lint.h"
#include "mailbox.h"
#include "loop.h"
#include "num.h"
#include "sock.h"
#include "sockaddr.h"
#include "term_print.h"
#include "util.h"

/*
 * How deep nested fun calls (not tail calls) may go is measured on the C
 * stack itself, whatever each level costs (a case, a lists:map callback,
 * a sanitizer's larger frames): past EVAL_STACK_USE of the stack's room,
 * system_limit. main.c runs the language on a large stack and says how
 * large (eval_stack); otherwise a thread's usual 8 MiB is assumed.
 */
#define EVAL_STACK_DEFAULT ((size_t)8 << 20)
#define EVAL_STACK_MARGIN ((size_t)1 << 20) /* for BIFs, printing, libc */

static const char *stack_base;
static size_t stack_room = EVAL_STACK_DEFAULT - EVAL_STACK_MARGIN;

struct ev {
	struct session *s;
	struct ast *ast; /* the code running: a fun made now keeps it */
	struct env *env;
	int family; /* for address literals: a command's socket's family */
	unsigned long steps; /* against the session's step_limit */
	int fresh; /* matching a generator's pattern: its variables are new */
	struct exc exc;
	struct bif_ctx bctx;
};

/* A pending tail call: the fun and its arguments (owned). */
struct tail {
	term fun;
	term *args;
	size_t n;
};

/*
 * A closure: its code, the ast holding it and the bindings it captured,
 * which each call reads as the parent of its own (no copy per call).
 */
struct closure {
	struct ast *ast;
	const struct node *fn;
	struct env env;
};

static int apply(struct ev *, term, size_t, const term *, term *);
static int apply_take(struct ev *, term, size_t, term *, term *, struct tail *);
static void free_terms(term *, size_t);
static void free_args(term *, size_t);

/*
 * Argument arrays are made and dropped on every call: the short ones
 * come from a pool. args_drop frees the array only, free_args the terms
 * too; both need the n it was made with.
 */
#define ARGS_POOLED 6
static struct pool args_pool = POOL_INIT(ARGS_POOLED * sizeof(term), 256);

static term *
args_new(size_t n)
{
	return n <= ARGS_POOLED ? pool_get(&args_pool)
	                        : xreallocarray(NULL, n, sizeof(term));
}

static void
args_drop(term *v, size_t n)
{
	if (n <= ARGS_POOLED)
		pool_put(&args_pool, v);
	else
		free(v);
}

/* Exceptions. */

/* Raises Class:Reason (consumed). */
static int
raise(struct ev *ev, enum exc_class cls, term reason)
{
	exc_clear(&ev->exc);
	ev->exc.cls = cls;
	ev->exc.reason = reason;
	return EVAL_EXC;
}

static int
raise_error(struct ev *ev, term reason)
{
	return raise(ev, EXC_ERROR, reason);
}

/* error:{Tag, Value} with Value copied. */
static int
raise_tagged(struct ev *ev, const char *tag, term v)
{
	return raise_error(ev, term_tuple2(term_atom(tag), term_copy(v)));
}

/* Notes that the exception came from a function or operator call. */
static void
exc_at(
    struct ev *ev, enum where w, term mod, term fun, size_t n, const term *args)
{
	term *v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = term_copy(args[i]);
	term_free(ev->exc.args);
	ev->exc.args = term_list(n, v, term_nil());
	free(v);
	ev->exc.where = w;
	ev->exc.mod = mod;
	ev->exc.fun = fun;
}

static int
raise_op(struct ev *ev, term reason, const char *op, size_t n, const term *args)
{
	raise_error(ev, reason);
	exc_at(ev, AT_OPERATOR, term_atom("erlang"), term_atom(op), n, args);
	return EVAL_EXC;
}

/* The variable _ (variables' names share atoms' ids). */
static int
is_anon(term var)
{
	return var.n == (uint32_t)A_UNDERSCORE;
}

/* An unbound variable: reported as erl's shell reports it. */
static int
unbound(struct ev *ev, const struct node *n)
{
	lang_report(ev->s, n->line + ev->s->line_shift, n->col,
	    "variable '%s' is unbound", term_atom_name(n->t));
	return EVAL_ABORT;
}

static int eval_node(struct ev *, const struct node *, term *, struct tail *);

/*
 * Evaluates n into *out (owned). With tc (tail position of a fun body),
 * a call to a closure may come back as 1 with the call in *tc.
 * Literals and variables, most of what runs, are taken here, inline at
 * each call; the rest goes to eval_node.
 */
static inline int
eval(struct ev *ev, const struct node *n, term *out, struct tail *tc)
{
	const term *v;

	if (n->kind == N_VAR) {
		if (!is_anon(n->t) && (v = env_get(ev->env, n->t.n)) != NULL) {
			*out = term_copy(*v);
			return EVAL_OK;
		}
		return unbound(ev, n);
	}
	if (n->kind == N_LIT) {
		*out = term_copy(n->t);
		return EVAL_OK;
	}
	return eval_node(ev, n, out, tc);
}

/* Numbers: a table from operator to num.c's function. */
struct arith {
	int op;
	const char *name;
	int (*fn)(term, term, term *);
};

static const struct arith ariths[] = {
    {'+', "+", num_add},
    {'-', "-", num_sub},
    {'*', "*", num_mul},
    {'/', "/", num_fdiv},
    {KW_DIV | OP_KW, "div", num_div},
    {KW_REM | OP_KW, "rem", num_rem},
    {KW_BAND | OP_KW, "band", num_band},
    {KW_BOR | OP_KW, "bor", num_bor},
    {KW_BXOR | OP_KW, "bxor", num_bxor},
    {KW_BSL | OP_KW, "bsl", num_bsl},
    {KW_BSR | OP_KW, "bsr", num_bsr},
};

static int
is_bool(term t)
{
	return term_is_atom(t, A_TRUE) || term_is_atom(t, A_FALSE);
}

static term
bool_term(int b)
{
	return term_atom(b ? "true" : "false");
}

/* The text of an operator token, for "in operator X/2". */
static const char *
op_name(int op)
{
	static const struct {
		int op;
		const char *name;
	} names[] = {{P_EQ, "=="}, {P_NE, "/="}, {P_XEQ, "=:="}, {P_XNE, "=/="},
	    {'<', "<"}, {'>', ">"}, {P_LE, "=<"}, {P_GE, ">="},
	    {P_PLUSPLUS, "++"}, {P_MINUSMINUS, "--"}, {'!', "!"},
	    {KW_AND | OP_KW, "and"}, {KW_OR | OP_KW, "or"},
	    {KW_XOR | OP_KW, "xor"}, {KW_NOT | OP_KW, "not"},
	    {KW_BNOT | OP_KW, "bnot"}, {'+', "+"}, {'-', "-"}};
	size_t i;

	for (i = 0; i < sizeof ariths / sizeof *ariths; i++)
		if (ariths[i].op == op)
			return ariths[i].name;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].op == op)
			return names[i].name;
	return "?";
}

/* A BIF called by the evaluator itself (++, --). */
static int call_bif(struct ev *, const struct bif *, size_t, term *, term *);
static int raise_undef(struct ev *, term, term, size_t, const term *);

static int
binop(struct ev *ev, int op, term a, term b, term *out)
{
	term args[2] = {a, b};
	const struct bif *bf;
	size_t i;
	int c;

	for (i = 0; i < sizeof ariths / sizeof *ariths; i++) {
		if (ariths[i].op != op)
			continue;
		if (ariths[i].fn(a, b, out) < 0)
			return raise_op(
			    ev, term_atom("badarith"), ariths[i].name, 2, args);
		return EVAL_OK;
	}
	switch (op) {
	case P_EQ:
	case P_NE:
		c = term_compare(a, b) == 0;
		*out = bool_term(op == P_EQ ? c : !c);
		return EVAL_OK;
	case P_XEQ:
	case P_XNE:
		c = term_equal(a, b);
		*out = bool_term(op == P_XEQ ? c : !c);
		return EVAL_OK;
	case '<':
		*out = bool_term(term_compare(a, b) < 0);
		return EVAL_OK;
	case '>':
		*out = bool_term(term_compare(a, b) > 0);
		return EVAL_OK;
	case P_LE:
		*out = bool_term(term_compare(a, b) <= 0);
		return EVAL_OK;
	case P_GE:
		*out = bool_term(term_compare(a, b) >= 0);
		return EVAL_OK;
	case KW_AND | OP_KW:
	case KW_OR | OP_KW:
	case KW_XOR | OP_KW:
		if (!is_bool(a) || !is_bool(b))
			return raise_op(
			    ev, term_atom("badarg"), op_name(op), 2, args);
		{
			int x = term_is_atom(a, A_TRUE),
			    y = term_is_atom(b, A_TRUE);

			*out = bool_term(op == (KW_AND | OP_KW)  ? x && y
			                 : op == (KW_OR | OP_KW) ? x || y
			                                         : x != y);
		}
		return EVAL_OK;
	case P_PLUSPLUS:
	case P_MINUSMINUS:
		if ((bf = bif_find(
		         "erlang", op == P_PLUSPLUS ? "++" : "--", 2)) == NULL)
			return raise_error(ev, term_atom("undef"));
		if (call_bif(ev, bf, 2, args, out) < 0) {
			/* The shell shows ++ as an operator. */
			if (ev->exc.where == AT_FUNCTION)
				ev->exc.where = AT_OPERATOR;
			return EVAL_EXC;
		}
		return EVAL_OK;
	case '!':
		/* No names are registered; a pid that is not self() is gone. */
		if (term_kind(a) != TERM_PID)
			return raise_op(ev, term_atom("badarg"), "!", 2, args);
		/* The session is the one process: a message to it is kept. */
		if (mbox_is_self(a))
			mbox_put(term_copy(b));
		*out = term_copy(b);
		return EVAL_OK;
	}
	return raise_error(ev, term_atom("badarg"));
}

static int
unop(struct ev *ev, int op, term a, term *out)
{
	int rc = 0;

	switch (op) {
	case '-':
		rc = num_neg(a, out);
		break;
	case '+':
		if ((rc = num_is_number(a) ? 0 : -1) == 0)
			*out = term_copy(a);
		break;
	case KW_BNOT | OP_KW:
		rc = num_bnot(a, out);
		break;
	case KW_NOT | OP_KW:
		if (!is_bool(a))
			return raise_op(ev, term_atom("badarg"), "not", 1, &a);
		*out = bool_term(term_is_atom(a, A_FALSE));
		return EVAL_OK;
	}
	if (rc < 0)
		return raise_op(ev, term_atom("badarith"), op_name(op), 1, &a);
	return EVAL_OK;
}

/* Bindings. */

static int match_node(struct ev *, const struct node *, term);

/*
 * Matching. Returns 1 on a match, 0 on none, or a negative eval code
 * (a size or key expression may raise or name an unbound variable).
 * Bindings made by a failed match are the caller's to take back.
 * Literals and variables are taken here, inline; the rest goes to
 * match_node.
 */
static inline int
match(struct ev *ev, const struct node *p, term v)
{
	const term *bound;

	if (p->kind == N_VAR) {
		if (is_anon(p->t))
			return 1;
		bound = ev->fresh ? env_get_here(ev->env, p->t.n)
		                  : env_get(ev->env, p->t.n);
		if (bound != NULL)
			return term_equal(*bound, v);
		env_put(ev->env, p->t.n, term_copy(v));
		return 1;
	}
	if (p->kind == N_LIT)
		return term_equal(p->t, v);
	return match_node(ev, p, v);
}

static int
match_list(struct ev *ev, const struct node *p, term v)
{
	const term *e;
	uint32_t i;
	size_t n;
	term rest;
	int rc;

	if (term_kind(v) != TERM_LIST || term_size(v) < p->kids.n)
		return 0;
	e = term_elems(v);
	for (i = 0; i < p->kids.n; i++)
		if ((rc = match(ev, p->kids.v[i], e[i])) != 1)
			return rc;
	n = term_size(v);
	if (p->a == NULL)
		return n == p->kids.n &&
		       term_kind(term_list_tail(v)) == TERM_NIL;
	if (n == p->kids.n)
		return match(ev, p->a, term_list_tail(v));
	{
		term *r = xreallocarray(NULL, n - p->kids.n, sizeof *r);

		for (i = 0; i < n - p->kids.n; i++)
			r[i] = term_copy(e[p->kids.n + i]);
		rest =
		    term_list(n - p->kids.n, r, term_copy(term_list_tail(v)));
		free(r);
	}
	rc = match(ev, p->a, rest);
	term_free(rest);
	return rc;
}

static int match_bin(struct ev *, const struct node *, term);

/* match's other kinds of node. */
static int
match_node(struct ev *ev, const struct node *p, term v)
{
	term k, val;
	uint32_t i;
	int rc;

	switch (p->kind) {
	case N_LIT:
	case N_VAR:
		return match(ev, p, v);
	case N_TUPLE:
		if (term_kind(v) != TERM_TUPLE || term_size(v) != p->kids.n)
			return 0;
		for (i = 0; i < p->kids.n; i++)
			if ((rc = match(ev, p->kids.v[i], term_elems(v)[i])) !=
			    1)
				return rc;
		return 1;
	case N_CONS:
		return match_list(ev, p, v);
	case N_MAP:
		if (term_kind(v) != TERM_MAP)
			return 0;
		for (i = 0; i < p->kids.n; i += 2) {
			const term *found;

			if ((rc = eval(ev, p->kids.v[i], &k, NULL)) != EVAL_OK)
				return rc;
			found = term_map_find(v, k);
			term_free(k);
			if (found == NULL)
				return 0;
			if ((rc = match(ev, p->kids.v[i + 1], *found)) != 1)
				return rc;
		}
		return 1;
	case N_BIN:
		return match_bin(ev, p, v);
	case N_MATCH:
		if ((rc = match(ev, p->a, v)) != 1)
			return rc;
		return match(ev, p->b, v);
	case N_ADDR:
		if ((rc = eval(ev, p, &val, NULL)) != EVAL_OK)
			return rc;
		rc = term_equal(val, v);
		term_free(val);
		return rc;
	default:
		return 0;
	}
}

/* Bit syntax. */

/*
 * A segment's specifiers with its size evaluated: EVAL_OK, or an
 * exception. A size that is no non-negative integer sets *bad, and
 * *badsize (owned) when the caller gives one to explain it.
 */
static int
seg_spec(struct ev *ev, const struct node *s, struct bits_seg *out, int *bad,
    term *badsize)
{
	term size;
	int64_t v;
	int rc;

	*out = s->seg;
	*bad = 0;
	if (s->b == NULL)
		return EVAL_OK;
	if ((rc = eval(ev, s->b, &size, NULL)) != EVAL_OK)
		return rc;
	if (term_atom_is(size, "all") && s->seg.type != BITS_INTEGER)
		out->size = -1;
	else if (term_to_int64(size, &v) < 0 || v < 0) {
		*bad = 1;
		if (badsize != NULL) {
			*badsize = size;
			return EVAL_OK;
		}
	} else
		out->size = v;
	term_free(size);
	return EVAL_OK;
}

static const char *const bits_type_names[] = {
    "integer", "float", "binary", "bitstring", "utf8", "utf16", "utf32"};

/*
 * Why segment i (0-based) could not hold v, as erl_eval says it: the
 * shell's "construction of binary failed" and a line on the segment;
 * some failures are a plain badarg there, and a size that is no number
 * fails in the multiplication by the unit.
 */
static int
raise_segment(struct ev *ev, uint32_t i, const struct bits_seg *spec, term v,
    term badsize)
{
	const char *what = NULL, *after = NULL;
	term args[2];

	if (term_kind(badsize) != TERM_NIL && !term_is_integer(badsize)) {
		args[0] = badsize;
		args[1] = term_int(spec->unit ? spec->unit : 1);
		return raise_op(ev, term_atom("badarg"), "*", 2, args);
	}
	if (term_kind(badsize) != TERM_NIL) {
		what = "expected a non-negative integer as size but got: ";
		v = badsize;
	} else if (spec->type == BITS_INTEGER && !term_is_integer(v))
		what = "expected an integer but got: ";
	else if (spec->type == BITS_FLOAT && !num_is_number(v))
		what = "expected a float or an integer but got: ";
	else if (spec->type == BITS_BINARY && term_kind(v) != TERM_BINARY)
		what = "expected a binary but got: ";
	else if (spec->type == BITS_BINARY &&
	         (spec->size < 0 ||
	             term_bin_bits(v) >= (uint64_t)spec->size * spec->unit))
		return raise_error(ev, term_atom("badarg"));
	else if (spec->type == BITS_BINARY) {
		what = "the value ";
		after = " is shorter than the size of the segment";
	} else if (spec->type == BITS_BITSTRING) {
		raise_error(ev, term_atom("badarg"));
		exc_at(ev, AT_FUNCTION, term_atom("erlang"),
		    term_atom("bit_size"), 1, &v);
		ev->exc.why[0] = "not a bitstring";
		return EVAL_EXC;
	} else if (spec->type >= BITS_UTF8)
		what = spec->type == BITS_UTF8
		           ? "expected a non-negative integer encodable as "
		             "utf8 but got: "
		       : spec->type == BITS_UTF16
		           ? "expected a non-negative integer encodable as "
		             "utf16 but got: "
		           : "expected a non-negative integer encodable as "
		             "utf32 but got: ";
	else
		return raise_error(ev, term_atom("badarg"));
	raise_error(ev, term_atom("badarg"));
	ev->exc.where = AT_SEGMENT;
	ev->exc.seg = i + 1;
	ev->exc.seg_type = bits_type_names[spec->type];
	ev->exc.seg_what = what;
	ev->exc.seg_after = after;
	term_free(ev->exc.args);
	ev->exc.args = term_copy(v);
	return EVAL_EXC;
}

/* A string literal in a segment stands for one segment per character. */
static int
is_string_seg(const struct node *s)
{
	return s->a->kind == N_LIT && term_kind(s->a->t) == TERM_LIST &&
	       s->seg.type != BITS_BINARY && s->seg.type != BITS_BITSTRING;
}

static int
build_bin(struct ev *ev, const struct node *n, term *out)
{
	struct bits_writer w;
	struct bits_seg spec;
	uint32_t i;
	size_t k;
	term v = term_nil(), badsize = term_nil();
	int rc = EVAL_OK, bad, put = 0;

	bits_init(&w);
	for (i = 0; i < n->kids.n && rc == EVAL_OK; i++) {
		const struct node *s = n->kids.v[i];

		if ((rc = seg_spec(ev, s, &spec, &bad, &badsize)) != EVAL_OK)
			break;
		if (is_string_seg(s)) {
			for (k = 0; k < term_size(s->a->t) && put == 0; k++)
				put = bad ? -1
				          : bits_put(&w, &spec,
				                term_elems(s->a->t)[k]);
			if (put != 0)
				v = term_copy(term_elems(s->a->t)[k - 1]);
		} else if ((rc = eval(ev, s->a, &v, NULL)) != EVAL_OK)
			break;
		else
			put = bad ? -1 : bits_put(&w, &spec, v);
		if (put == -2)
			rc = raise_error(ev, term_atom("system_limit"));
		else if (put != 0)
			rc = raise_segment(ev, i, &spec, v, badsize);
		term_free(v);
		term_free(badsize);
		v = badsize = term_nil();
	}
	if (rc == EVAL_OK)
		*out = bits_finish(&w);
	bits_free(&w);
	return rc;
}

static int
match_bin(struct ev *ev, const struct node *p, term v)
{
	struct bits_reader r;
	struct bits_seg spec;
	uint32_t i;
	size_t k;
	term got;
	int rc, bad;

	if (term_kind(v) != TERM_BINARY)
		return 0;
	bits_reader_init(&r, v);
	for (i = 0; i < p->kids.n; i++) {
		const struct node *s = p->kids.v[i];

		if ((rc = seg_spec(ev, s, &spec, &bad, NULL)) != EVAL_OK)
			return rc;
		if (bad)
			return 0;
		if (is_string_seg(s)) {
			for (k = 0; k < term_size(s->a->t); k++) {
				if (bits_get(&r, &spec, &got) < 0)
					return 0;
				rc = term_equal(got, term_elems(s->a->t)[k]);
				term_free(got);
				if (!rc)
					return 0;
			}
			continue;
		}
		if (bits_get(&r, &spec, &got) < 0)
			return 0;
		rc = match(ev, s->a, got);
		term_free(got);
		if (rc != 1)
			return rc;
	}
	return bits_left(&r) == 0;
}

/* Counts a step of a loop; past the session's limit, system_limit. */
static int
step(struct ev *ev)
{
	if (ev->s->step_limit != 0 && ++ev->steps > ev->s->step_limit)
		return raise_error(ev, term_atom("system_limit"));
	return EVAL_OK;
}

/* Guards: an exception makes the alternative false. */
static int
guard_true(struct ev *ev, const struct clause *c)
{
	uint32_t g, i;
	term v;
	int rc, ok;

	if (c->nguards == 0)
		return 1;
	for (g = 0; g < c->nguards; g++) {
		ok = 1;
		for (i = 0; ok && i < c->guards[g].n; i++) {
			rc = eval(ev, c->guards[g].v[i], &v, NULL);
			if (rc == EVAL_ABORT)
				return EVAL_ABORT;
			if (rc != EVAL_OK) {
				exc_clear(&ev->exc);
				ok = 0;
				break;
			}
			ok = term_is_atom(v, A_TRUE);
			term_free(v);
		}
		if (ok)
			return 1;
	}
	return 0;
}

/*
 * The first clause whose patterns match the values and whose guard
 * holds: its index, -1 when none does, or an eval code below -1 ...
 * returned through *rc. Bindings of the chosen clause stay.
 */
static int
select_clause(struct ev *ev, const struct clause *cl, uint32_t ncl,
    const term *vals, int *rc)
{
	size_t mark = ev->env->n;
	uint32_t i, k;
	int m;

	*rc = EVAL_OK;
	for (i = 0; i < ncl; i++) {
		m = 1;
		for (k = 0; m == 1 && k < cl[i].pats.n; k++)
			m = match(ev, cl[i].pats.v[k], vals[k]);
		if (m == 1)
			m = guard_true(ev, &cl[i]);
		if (m == 1)
			return (int)i;
		env_truncate(ev->env, mark);
		if (m < 0) {
			*rc = m;
			return -1;
		}
	}
	return -1;
}

/* A body: every expression in turn, the last one's value (tail ok). */
static int
eval_body(struct ev *ev, const struct nodes *body, term *out, struct tail *tc)
{
	uint32_t i;
	term v;
	int rc;

	for (i = 0; i + 1 < body->n; i++) {
		if ((rc = eval(ev, body->v[i], &v, NULL)) != EVAL_OK)
			return rc;
		term_free(v);
	}
	return eval(ev, body->v[body->n - 1], out, tc);
}

/* Funs. */

static void
closure_release(void *p)
{
	struct closure *c = p;

	env_free(&c->env);
	ast_unref(c->ast);
	free(c);
}

/* erl_eval's numbering of its funs, by arity; named funs differ. */
static uint32_t
fun_index(const struct node *fn)
{
	uint32_t arity = fn->cl[0].pats.n;

	if (term_kind(fn->t) == TERM_VAR)
		return arity <= 20 ? 20 - arity : 0;
	return arity <= 20 ? 43 - arity : 0;
}

static int
make_fun(struct ev *ev, const struct node *fn, term *out)
{
	struct closure *c = xmalloc(sizeof *c);
	const term *v;
	uint32_t i;

	c->ast = ev->ast;
	ast_ref(c->ast);
	c->fn = fn;
	env_init(&c->env);
	for (i = 0; i < fn->nfree; i++)
		if ((v = env_get(ev->env, fn->free[i])) != NULL)
			env_put(&c->env, fn->free[i], term_copy(*v));
	*out = term_fun(fn->cl[0].pats.n, fun_index(fn), c, closure_release);
	return EVAL_OK;
}

void
eval_stack(const void *base, size_t size)
{
	stack_base = base;
	stack_room =
	    size > 2 * EVAL_STACK_MARGIN ? size - EVAL_STACK_MARGIN : size / 2;
}

/* Bytes of C stack between its base and here (it grows either way). */
static size_t
stack_used(void)
{
	char here;
	uintptr_t a, b = (uintptr_t)&here;

	if (stack_base == NULL)
		stack_base = &here;
	a = (uintptr_t)stack_base;
	return a > b ? a - b : b - a;
}

/* Runs a closure: its clauses against the args, tail calls looping. */
static int
call_closure(struct ev *ev, term fun, size_t n, term *args, term *out)
{
	struct env *saved = ev->env, local;
	struct ast *saved_ast = ev->ast;
	struct tail tc = {term_nil(), NULL, 0};
	const struct closure *c;
	const struct node *fn;
	term self = term_copy(fun);
	uint32_t i, k;
	int rc, m;

	if (stack_used() > stack_room) {
		term_free(self);
		free_args(args, n);
		return raise_error(ev, term_atom("system_limit"));
	}
	for (;;) {
		if ((rc = step(ev)) != EVAL_OK)
			goto done_early;
		c = term_fun_impl(self);
		fn = c->fn;
		env_init(&local);
		local.parent = &c->env;
		ev->env = &local;
		ev->ast = c->ast;
		for (i = 0; i < fn->ncl; i++) {
			env_truncate(&local, 0);
			if (term_kind(fn->t) == TERM_VAR)
				env_put(&local, fn->t.n, term_copy(self));
			/* A head's variables are new: they shadow captured
			 * ones. */
			ev->fresh = 1;
			m = 1;
			for (k = 0; m == 1 && k < fn->cl[i].pats.n; k++)
				m = match(ev, fn->cl[i].pats.v[k], args[k]);
			ev->fresh = 0;
			if (m == 1)
				m = guard_true(ev, &fn->cl[i]);
			if (m == 1)
				break;
			if (m < 0) {
				rc = m;
				goto done;
			}
		}
		if (i == fn->ncl) {
			rc = raise_error(ev, term_atom("function_clause"));
			exc_at(ev, AT_FUNCTION, term_atom("erl_eval"),
			    term_atom("-inside-an-interpreted-fun-"), n, args);
			goto done;
		}
		tc.args = NULL;
		rc = eval_body(ev, &fn->cl[i].body, out, &tc);
		if (rc != 1)
			goto done;
		/* A tail call: loop with the new fun and arguments. */
		env_free(&local);
		ev->env = saved;
		ev->ast = saved_ast;
		free_args(args, n);
		term_free(self);
		self = tc.fun;
		args = tc.args;
		n = tc.n;
		if (term_kind(self) != TERM_FUN ||
		    term_fun_impl(self) == NULL || term_fun_arity(self) != n) {
			/* Not a closure after all: an ordinary call. */
			rc = apply_take(ev, self, n, args, out, NULL);
			term_free(self);
			return rc;
		}
	}
done:
	env_free(&local);
done_early:
	ev->env = saved;
	ev->ast = saved_ast;
	free_args(args, n);
	term_free(self);
	return rc;
}

/* Whether stdout holds bytes not yet written (glibc says; else assume). */
static int
stdout_pending(void)
{
#ifdef __GLIBC__
	return __fpending(stdout) > 0;
#else
	return 1;
#endif
}

/* Commands as functions. */

static const struct cmd_host eval_host;

/*
 * The socket a command works on when its first argument may be left
 * out, given n arguments of which the first is first (nil when it is
 * not evaluated yet): that argument when it is a socket, else the
 * current socket, which then goes first (*insert), unless it is in a
 * state the command finds busy (a connect after a connect opens a new
 * socket, as nc users expect). NULL when there is neither.
 */
static struct sock *
omitted_socket(const struct cmd_entry *ce, size_t n, term first, int *insert)
{
	struct sock *cur = sock_current(), *s;

	*insert = 0;
	if (n > 0 && ((s = sock_find(first)) != NULL || sock_is_term(first)))
		return s;
	if (cur == NULL || (n > 0 && (cur->state & ce->busy)))
		return NULL;
	*insert = 1;
	return cur;
}

/*
 * A Data word of the argv chain is the bytes typed, escapes decoded
 * (send 'PING\r\n'); an explicit binary (<<0,1,255>>) is those bytes.
 */
static int
data_word(struct ev *ev, const char *w, term *out)
{
	struct scanner sc;
	struct buf b;
	term t;

	if (strncmp(w, "<<", 2) == 0 && parse_term_string(w, &t) == 0) {
		if (term_is_binary(t)) {
			*out = t;
			return EVAL_OK;
		}
		term_free(t);
	}
	scan_init(&sc, w, strlen(w), 1);
	buf_init(&b);
	if (scan_unescape(&sc, &b) < 0) {
		lang_report(
		    ev->s, sc.err_line, sc.err_col, "%s in '%s'", sc.err, w);
		buf_free(&b);
		return EVAL_ABORT;
	}
	*out = term_binary(b.data, b.len);
	buf_free(&b);
	return EVAL_OK;
}

/* Runs a command's exec on evaluated arguments (borrowed). */
static int
run_command(struct ev *ev, const struct cmd_entry *ce, size_t n, term *args,
    int strict, term *out)
{
	struct cmd_ctx ctx;
	enum cmd_retval rv;

	/* OTP's socket functions take the socket first, or have no arity 0. */
	if (strict && (ce->flags & CMD_SOCKET_OPTIONAL) && n == 0)
		return raise_undef(
		    ev, term_atom(ce->module), term_atom(ce->name), 0, args);
	if ((int)n < ce->args.lower ||
	    (ce->args.upper >= 0 && (int)n > ce->args.upper)) {
		lang_usage(ev->s, ce);
		return EVAL_ABORT;
	}
	ctx.entry = ce;
	ctx.timeout_ms = ev->s->timeout_ms;
	ctx.host = &eval_host;
	ctx.arg = ev;
	ctx.raised = 0;
	ctx.strict = strict;
	ctx.raise_args = term_nil();
	ctx.raise_module = NULL;
	ctx.throw_from = NULL;
	ctx.throw_arity = 0;
	*out = term_nil();
	/* What printed so far shows before a wait, even in a pipe. */
	if ((ce->flags & CMD_MAY_BLOCK) && stdout_pending())
		fflush(stdout);
	if (strict && (ce->flags & CMD_SOCKET_OPTIONAL) &&
	    !sock_is_term(args[0]))
		rv = cmd_raise_badarg(&ctx, n, args, out);
	else
		rv = ce->exec(&ctx, n, args, out);
	if (ctx.raised) {
		term_free(*out);
		term_free(ctx.raise_args);
		*out = term_nil();
		return ctx.raised;
	}
	switch (rv) {
	case CMD_RETURN_RAISE:
		raise_error(ev, *out);
		*out = term_nil();
		exc_at(ev, AT_FUNCTION,
		    term_atom(ctx.raise_module ? ctx.raise_module : ce->module),
		    term_atom(ce->name), n, args);
		/* OTP's own arguments, or only its arity. */
		if (term_kind(ctx.raise_args) != TERM_NIL) {
			term_free(ev->exc.args);
			ev->exc.args = ctx.raise_args;
		}
		return EVAL_EXC;
	case CMD_RETURN_THROW:
		raise(ev, EXC_THROW, *out);
		*out = term_nil();
		exc_at(ev, AT_FUNCTION, term_atom("prim_socket"),
		    term_atom("invalid"), 0, NULL);
		term_free(ev->exc.args);
		ev->exc.args = term_int(1);
		ev->exc.from_fun = ctx.throw_from;
		ev->exc.from_arity = ctx.throw_arity;
		return EVAL_EXC;
	case CMD_RETURN_USAGE:
		term_free(*out);
		lang_usage(ev->s, ce);
		return EVAL_ABORT;
	case CMD_RETURN_QUIT:
		term_free(*out);
		ev->s->quit = 1;
		return EVAL_ABORT;
	case CMD_RETURN_NORMAL:
		break;
	}
	term_free(ctx.raise_args);
	return EVAL_OK;
}

/*
 * Calls a command with values: the omitted socket goes first, unless
 * the call named its module (strict).
 */
static int
call_command(struct ev *ev, const struct cmd_entry *ce, size_t n,
    const term *argv, int strict, term *out)
{
	term *args = xreallocarray(NULL, n + 1, sizeof *args);
	size_t i, k = 0;
	int insert = 0, rc;
	struct sock *so;

	if ((ce->flags & CMD_SOCKET_OPTIONAL) && !strict) {
		so = omitted_socket(
		    ce, n, n > 0 ? argv[0] : term_nil(), &insert);
		if (insert)
			args[k++] = sock_term(so);
	}
	for (i = 0; i < n; i++)
		args[k++] = term_copy(argv[i]);
	rc = run_command(ev, ce, k, args, strict, out);
	for (i = 0; i < k; i++)
		term_free(args[i]);
	free(args);
	return rc;
}

/*
 * A command call node: arguments evaluated once, address literals in
 * the family of the command's socket (decoded once, by sockaddr.c). The
 * first argument goes first, to tell whether it is the socket.
 */
static int
eval_command(struct ev *ev, const struct node *n, term *out)
{
	const struct cmd_entry *ce = n->cmd;
	struct sock *so = NULL, *cur = sock_current();
	term stack[8],
	    *args = n->kids.n < NELEMS(stack)
	                ? stack
	                : xreallocarray(NULL, n->kids.n + 1, sizeof *args);
	term first = term_nil();
	size_t i, k = 0;
	int have = 0, insert = 0, rc = EVAL_OK, family = ev->family;
	/* socket:recv(...) takes OTP's arguments: no socket goes first. */
	int strict = term_kind(n->t) == TERM_TUPLE && term_size(n->t) == 2 &&
	             term_kind(term_tuple_get(n->t, 0)) == TERM_ATOM;

	if ((ce->flags & CMD_SOCKET_OPTIONAL) && n->kids.n > 0 &&
	    n->kids.v[0]->kind != N_ADDR && !(ce->flags & CMD_RAW_ARGS)) {
		ev->family = cur != NULL ? cur->domain : AF_UNSPEC;
		if ((rc = eval(ev, n->kids.v[0], &first, NULL)) != EVAL_OK)
			goto out;
		have = 1;
	}
	if (ce->flags & CMD_SOCKET_OPTIONAL) {
		so = omitted_socket(ce, n->kids.n, first, &insert);
		if (insert && strict)
			so = NULL;
		else if (insert)
			args[k++] = sock_term(so);
	}
	ev->family = so != NULL ? so->domain : AF_UNSPEC;
	for (i = 0; i < n->kids.n; i++, k++) {
		const struct node *a = n->kids.v[i];

		if (n->words != NULL && !(ce->flags & CMD_RAW_ARGS) &&
		    cmd_arg_is(ce, k, "data"))
			rc = data_word(ev, n->words[i], &args[k]);
		else if (n->words != NULL && cmd_arg_is(ce, k, "endpoint"))
			/* tcp-l:8080 as typed, not a host:port to resolve. */
			args[k] = term_string(n->words[i]);
		else if (i == 0 && have) {
			args[k] = first;
			have = 0;
		} else if (ce->flags & CMD_RAW_ARGS)
			args[k] = term_copy(a->t);
		else
			rc = eval(ev, a, &args[k], NULL);
		if (rc != EVAL_OK)
			goto out;
	}
	ev->family = family;
	rc = run_command(ev, ce, k, args, strict, out);
out:
	ev->family = family;
	if (have)
		term_free(first);
	while (k-- > 0)
		term_free(args[k]);
	if (args != stack)
		free(args);
	if (rc == EVAL_EXC && ev->exc.where == AT_ADDRESS) {
		/* A bad address literal is the command's {error, Why}. */
		*out = t_error(term_copy(ev->exc.reason));
		exc_clear(&ev->exc);
		return EVAL_OK;
	}
	return rc;
}

/* BIFs. */

static int
bif_apply_cb(
    struct bif_ctx *ctx, term fun, size_t n, const term *args, term *out)
{
	struct ev *ev = ctx->arg;
	int rc = apply(ev, fun, n, args, out);

	if (rc != EVAL_OK) {
		ctx->raised = rc == EVAL_ABORT ? 2 : 1;
		return -1;
	}
	return 0;
}

static int
call_bif(struct ev *ev, const struct bif *bf, size_t n, term *args, term *out)
{
	struct bif_ctx *c = &ev->bctx;
	int i;

	memset(c, 0, sizeof *c);
	c->apply = bif_apply_cb;
	c->arg = ev;
	c->out = ev->s->out;
	c->utf8 = (ev->s->flags & LANG_UTF8) != 0;
	c->reason = term_nil();
	if (bf->fn(c, args, out) == 0)
		return EVAL_OK;
	if (c->raised)
		return c->raised == 2 ? EVAL_ABORT : EVAL_EXC;
	raise(ev, c->cls, c->reason);
	/* error/1,2 raise what they are given, with no call to explain. */
	if (c->cls == EXC_ERROR && !(strcmp(bf->module, "erlang") == 0 &&
	                               (strcmp(bf->name, "error") == 0 ||
	                                   strcmp(bf->name, "raise") == 0))) {
		exc_at(ev, AT_FUNCTION, term_atom(bf->module),
		    term_atom(bf->name), n, args);
		for (i = 0; i < BIF_ARGS_MAX; i++)
			ev->exc.why[i] = c->why[i];
		ev->exc.general = c->general;
	}
	return EVAL_EXC;
}

/* A call to something esock does not have: undef, as erl raises it. */
static int
raise_undef(struct ev *ev, term mod, term fun, size_t n, const term *args)
{
	raise_error(ev, term_atom("undef"));
	exc_at(ev, term_kind(mod) == TERM_NIL ? AT_UNDEF_LOCAL : AT_FUNCTION,
	    mod, fun, n, args);
	return EVAL_EXC;
}

/* Whether argc arguments suit a command (its socket may be left out). */
static int
cmd_takes(const struct cmd_entry *ce, unsigned argc)
{
	int lower = ce->args.lower;

	if ((ce->flags & CMD_SOCKET_OPTIONAL) && lower > 0)
		lower--;
	return (int)argc >= lower &&
	       (ce->args.upper < 0 || (int)argc <= ce->args.upper);
}

const struct cmd_entry *
eval_resolve(
    const char *module, const char *name, unsigned argc, const struct bif **bf)
{
	const struct cmd_entry *ce;

	if (module != NULL && strcmp(module, "timer") == 0 &&
	    strcmp(name, "sleep") == 0 && argc == 1) {
		*bf = NULL;
		return cmd_find("sleep");
	}
	*bf = bif_find(module != NULL ? module : "erlang", name, argc);
	if (module == NULL && *bf != NULL && ((*bf)->flags & BIF_NOAUTO))
		*bf = NULL;
	if ((ce = cmd_find_in(module, name)) == NULL)
		return NULL;
	/* exit(Reason) raises; exit() leaves. */
	if (module == NULL && *bf != NULL && !cmd_takes(ce, argc))
		return NULL;
	*bf = NULL;
	return ce;
}

/* Calls Module:Name(Args) resolved now: a command or a BIF. */
static int
call_named(struct ev *ev, term mod, term fun, size_t n, term *args, term *out)
{
	const struct cmd_entry *ce;
	const struct bif *bf;

	if (term_kind(fun) != TERM_ATOM ||
	    (term_kind(mod) != TERM_ATOM && term_kind(mod) != TERM_NIL))
		return raise_tagged(ev, "badfun", fun);
	ce = eval_resolve(
	    term_kind(mod) == TERM_ATOM ? term_atom_name(mod) : NULL,
	    term_atom_name(fun), (unsigned)n, &bf);
	if (ce != NULL)
		return call_command(
		    ev, ce, n, args, term_kind(mod) == TERM_ATOM, out);
	if (bf != NULL)
		return call_bif(ev, bf, n, args, out);
	return raise_undef(ev, mod, fun, n, args);
}

/*
 * Applies a fun value to arguments: the array and its terms are taken
 * (owned). With tc, a closure is not called but handed back as a pending
 * tail call (return 1, the arguments in it).
 */
static int
apply_take(
    struct ev *ev, term fun, size_t n, term *args, term *out, struct tail *tc)
{
	int rc;

	if (term_kind(fun) != TERM_FUN)
		rc = raise_tagged(ev, "badfun", fun);
	else if (term_fun_arity(fun) != n) {
		rc = raise_error(ev, term_tuple2(term_atom("badarity"),
		                         term_tuple2(term_copy(fun),
		                             term_list(n, args, term_nil()))));
		args_drop(args, n);
		return rc;
	} else if (term_fun_impl(fun) == NULL)
		rc = call_named(
		    ev, term_fun_module(fun), term_fun_name(fun), n, args, out);
	else if (tc != NULL) {
		tc->fun = term_copy(fun);
		tc->args = args;
		tc->n = n;
		return 1;
	} else
		return call_closure(ev, fun, n, args, out);
	free_args(args, n);
	return rc;
}

/* apply_take with borrowed arguments. */
static int
apply(struct ev *ev, term fun, size_t n, const term *args, term *out)
{
	term *v = args_new(n);
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = term_copy(args[i]);
	return apply_take(ev, fun, n, v, out, NULL);
}

/* Evaluates a node list into an array (owned terms). */
static int
eval_args(struct ev *ev, const struct nodes *ns, term **out)
{
	term *v = args_new(ns->n);
	uint32_t i;
	int rc;

	for (i = 0; i < ns->n; i++) {
		if ((rc = eval(ev, ns->v[i], &v[i], NULL)) != EVAL_OK) {
			free_terms(v, i);
			args_drop(v, ns->n);
			return rc;
		}
	}
	*out = v;
	return EVAL_OK;
}

static void
free_terms(term *v, size_t n)
{
	while (n-- > 0)
		term_free(v[n]);
}

/* Frees an args_new array of n terms and the terms. */
static void
free_args(term *v, size_t n)
{
	free_terms(v, n);
	args_drop(v, n);
}

static int
eval_call(struct ev *ev, const struct node *n, term *out, struct tail *tc)
{
	term *args, f, m = term_nil();
	int rc;

	if (n->a != NULL) {
		/* F(Args) or M:F(Args) with a computed fun or name. */
		if ((rc = eval(ev, n->a, &f, NULL)) != EVAL_OK)
			return rc;
		if (n->b != NULL &&
		    (rc = eval(ev, n->b, &m, NULL)) != EVAL_OK) {
			term_free(f);
			return rc;
		}
		if ((rc = eval_args(ev, &n->kids, &args)) != EVAL_OK) {
			term_free(f);
			term_free(m);
			return rc;
		}
		if (n->b != NULL) {
			rc = call_named(ev, m, f, n->kids.n, args, out);
			free_args(args, n->kids.n);
		} else
			rc = apply_take(ev, f, n->kids.n, args, out, tc);
		term_free(f);
		term_free(m);
		return rc;
	}
	if ((rc = eval_args(ev, &n->kids, &args)) != EVAL_OK)
		return rc;
	if (n->bif != NULL)
		rc = call_bif(ev, n->bif, n->kids.n, args, out);
	else
		rc = call_named(ev, term_tuple_get(n->t, 0),
		    term_tuple_get(n->t, 1), n->kids.n, args, out);
	free_args(args, n->kids.n);
	return rc;
}

static int
eval_funref(struct ev *ev, const struct node *n, term *out)
{
	term m = term_nil(), f, a;
	const struct cmd_entry *ce;
	const struct bif *bf;
	int64_t arity;
	int rc;

	if (n->a != NULL && (rc = eval(ev, n->a, &m, NULL)) != EVAL_OK)
		return rc;
	if ((rc = eval(ev, n->b, &f, NULL)) != EVAL_OK) {
		term_free(m);
		return rc;
	}
	if ((rc = eval(ev, n->c, &a, NULL)) != EVAL_OK) {
		term_free(m);
		term_free(f);
		return rc;
	}
	if (term_kind(f) != TERM_ATOM || term_to_int64(a, &arity) < 0 ||
	    arity < 0 || arity > 255 ||
	    (n->a != NULL && term_kind(m) != TERM_ATOM)) {
		term_free(m);
		term_free(f);
		rc = raise_error(ev, term_atom("badarg"));
		term_free(a);
		return rc;
	}
	term_free(a);
	if (n->a == NULL) {
		/* fun name/N: the command's module, or erlang's. */
		ce =
		    eval_resolve(NULL, term_atom_name(f), (unsigned)arity, &bf);
		m = term_atom(ce != NULL ? ce->module : "erlang");
	}
	*out = term_fun_ext(m, f, (uint32_t)arity);
	return EVAL_OK;
}

/*
 * A map's construction or update, as erl_eval does it: the base, then
 * every key and value, then the base is checked (maps:put(k, v, Base)
 * raises badmap) and the pairs applied in order, K := V by
 * maps:update(K, V, MapSoFar), which raises badkey.
 */
static int
map_fail(struct ev *ev, const char *tag, term what, const char *fun, term k,
    term v, term map)
{
	term args[3];

	args[0] = k;
	args[1] = v;
	args[2] = map;
	raise_tagged(ev, tag, what);
	exc_at(ev, AT_FUNCTION, term_atom("maps"), term_atom(fun), 3, args);
	ev->exc.why[2] = "not a map";
	return EVAL_EXC;
}

/* Whether key k is among the first n keys of kv (=:=). */
static int
has_key(const term *kv, size_t n, term k)
{
	while (n-- > 0)
		if (term_equal(kv[n], k))
			return 1;
	return 0;
}

/* The map of the first n keys and values (copies). */
static term
map_of(const term *k, const term *v, size_t n)
{
	term *kc = args_new(n), *vc = args_new(n), m;
	size_t i;

	for (i = 0; i < n; i++) {
		kc[i] = term_copy(k[i]);
		vc[i] = term_copy(v[i]);
	}
	m = term_map(n, kc, vc);
	args_drop(kc, n);
	args_drop(vc, n);
	return m;
}

static int
eval_map(struct ev *ev, const struct node *n, term *out)
{
	term base = term_nil(), *k, *v, so_far;
	size_t np = n->kids.n / 2, nb = 0, ne, i;
	int rc = EVAL_OK;

	if (n->a != NULL && (rc = eval(ev, n->a, &base, NULL)) != EVAL_OK)
		return rc;
	if (term_kind(base) == TERM_MAP)
		nb = term_size(base);
	k = xreallocarray(NULL, nb + np + 1, sizeof *k);
	v = xreallocarray(NULL, nb + np + 1, sizeof *v);
	for (i = 0; i < nb; i++) {
		k[i] = term_copy(term_map_key(base, i));
		v[i] = term_copy(term_map_value(base, i));
	}
	for (ne = nb; ne < nb + np; ne++) {
		i = ne - nb;
		if ((rc = eval(ev, n->kids.v[2 * i], &k[ne], NULL)) != EVAL_OK)
			break;
		if ((rc = eval(ev, n->kids.v[2 * i + 1], &v[ne], NULL)) !=
		    EVAL_OK) {
			term_free(k[ne]);
			break;
		}
	}
	if (rc == EVAL_OK && n->a != NULL && term_kind(base) != TERM_MAP)
		rc = map_fail(ev, "badmap", base, "put", term_atom("k"),
		    term_atom("v"), base);
	/* K := V updates a key that must be there by now. */
	for (i = 0; rc == EVAL_OK && i < np; i++)
		if (n->exact[i] && !has_key(k, nb + i, k[nb + i])) {
			so_far = map_of(k, v, nb + i);
			rc = map_fail(ev, "badkey", k[nb + i], "update",
			    k[nb + i], v[nb + i], so_far);
			term_free(so_far);
		}
	if (rc != EVAL_OK) {
		free_terms(k, ne);
		free_terms(v, ne);
		free(k);
		free(v);
		term_free(base);
		return rc;
	}
	*out = term_map(nb + np, k, v);
	free(k);
	free(v);
	term_free(base);
	return EVAL_OK;
}

static int
eval_seq(struct ev *ev, const struct node *n, term *out)
{
	term *v, tail = term_nil();
	int rc;

	if ((rc = eval_args(ev, &n->kids, &v)) != EVAL_OK)
		return rc;
	if (n->kind == N_CONS && n->a != NULL &&
	    (rc = eval(ev, n->a, &tail, NULL)) != EVAL_OK) {
		free_args(v, n->kids.n);
		return rc;
	}
	*out = n->kind == N_TUPLE ? term_tuple(n->kids.n, v)
	                          : term_list(n->kids.n, v, tail);
	args_drop(v, n->kids.n);
	return EVAL_OK;
}

static int
eval_match(struct ev *ev, const struct node *n, term *out)
{
	size_t mark = ev->env->n;
	term v;
	int rc;

	if ((rc = eval(ev, n->b, &v, NULL)) != EVAL_OK)
		return rc;
	if ((rc = match(ev, n->a, v)) == 1) {
		*out = v;
		return EVAL_OK;
	}
	env_truncate(ev->env, mark);
	if (rc < 0) {
		term_free(v);
		return rc;
	}
	rc = raise_tagged(ev, "badmatch", v);
	term_free(v);
	return rc;
}

static int
eval_case(struct ev *ev, const struct node *n, term *out, struct tail *tc)
{
	term v;
	int rc, i;

	if ((rc = eval(ev, n->a, &v, NULL)) != EVAL_OK)
		return rc;
	i = select_clause(ev, n->cl, n->ncl, &v, &rc);
	if (i < 0) {
		if (rc == EVAL_OK)
			rc = raise_tagged(ev, "case_clause", v);
		term_free(v);
		return rc;
	}
	term_free(v);
	return eval_body(ev, &n->cl[i].body, out, tc);
}

static int
eval_if(struct ev *ev, const struct node *n, term *out, struct tail *tc)
{
	int rc, i;

	i = select_clause(ev, n->cl, n->ncl, NULL, &rc);
	if (i < 0)
		return rc != EVAL_OK ? rc
		                     : raise_error(ev, term_atom("if_clause"));
	return eval_body(ev, &n->cl[i].body, out, tc);
}

/*
 * receive: the oldest message a clause matches is taken; the others stay
 * in order. Waits on the event loop for more until the after timeout.
 */
static int
eval_receive(struct ev *ev, const struct node *n, term *out, struct tail *tc)
{
	int64_t ms = -1, deadline;
	size_t seen = 0, i;
	term t, msg;
	int rc, k, looked = 0;

	if (n->a != NULL) {
		if ((rc = eval(ev, n->a, &t, NULL)) != EVAL_OK)
			return rc;
		if (term_is_atom(t, A_INFINITY))
			ms = -1;
		else if (term_to_int64(t, &ms) < 0 || ms < 0) {
			rc = raise_error(ev, term_atom("timeout_value"));
			term_free(t);
			return rc;
		}
		term_free(t);
	}
	deadline = ms < 0 ? -1 : loop_now_ms() + ms;
	for (;;) {
		for (i = seen; i < mbox_count(); i++) {
			msg = mbox_peek(i);
			k = select_clause(ev, n->cl, n->ncl, &msg, &rc);
			if (rc != EVAL_OK)
				return rc;
			if (k >= 0) {
				(void)mbox_take_at(i, &msg);
				term_free(msg);
				return eval_body(ev, &n->cl[k].body, out, tc);
			}
		}
		seen = mbox_count();
		/*
		 * Even after 0 looks at the loop once: what became ready is
		 * delivered by now to an Erlang process, by OTP's poll thread.
		 */
		if (looked &&
		    (ms == 0 || (deadline >= 0 && loop_now_ms() >= deadline)))
			break;
		looked = 1;
		if (mbox_wait(deadline, seen) < 0)
			return raise(ev, EXC_EXIT, term_atom("eintr"));
		if (mbox_count() == seen)
			break;
	}
	if (n->a == NULL)
		return raise(ev, EXC_EXIT, term_atom("eintr"));
	return eval_body(ev, &n->after, out, tc);
}

static int
eval_catch(struct ev *ev, const struct node *n, term *out)
{
	int rc = eval(ev, n->a, out, NULL);
	term r;

	if (rc != EVAL_EXC)
		return rc;
	r = term_copy(ev->exc.reason);
	switch (ev->exc.cls) {
	case EXC_THROW:
		*out = r;
		break;
	case EXC_EXIT:
		*out = term_tuple2(term_atom("EXIT"), r);
		break;
	case EXC_ERROR:
		*out = term_tuple2(
		    term_atom("EXIT"), term_tuple2(r, exc_stack(&ev->exc)));
		break;
	}
	exc_clear(&ev->exc);
	return EVAL_OK;
}

static int
eval_try(struct ev *ev, const struct node *n, term *out)
{
	term v, cv[3];
	int rc, i, rc2;

	rc = eval_body(ev, &n->kids, &v, NULL);
	if (rc == EVAL_OK && n->ncl > 0) {
		i = select_clause(ev, n->cl, n->ncl, &v, &rc);
		if (i >= 0) {
			term_free(v);
			rc = eval_body(ev, &n->cl[i].body, out, NULL);
		} else {
			if (rc == EVAL_OK)
				rc = raise_tagged(ev, "try_clause", v);
			term_free(v);
		}
	} else if (rc == EVAL_OK)
		*out = v;
	else if (rc == EVAL_EXC && n->ncl2 > 0) {
		cv[0] = term_atom(exc_class_name(ev->exc.cls));
		cv[1] = term_copy(ev->exc.reason);
		cv[2] = exc_stack(&ev->exc);
		i = select_clause(ev, n->cl2, n->ncl2, cv, &rc2);
		if (i >= 0) {
			exc_clear(&ev->exc);
			rc = eval_body(ev, &n->cl2[i].body, out, NULL);
		} else if (rc2 != EVAL_OK)
			rc = rc2;
		term_free(cv[1]);
		term_free(cv[2]);
	}
	if (n->after.n > 0 && rc != EVAL_ABORT) {
		struct exc saved = ev->exc;
		term a;

		memset(&ev->exc, 0, sizeof ev->exc);
		exc_clear(&ev->exc);
		if ((rc2 = eval_body(ev, &n->after, &a, NULL)) != EVAL_OK) {
			/* An exception in after replaces the outcome. */
			if (rc == EVAL_OK)
				term_free(*out);
			exc_clear(&saved);
			return rc2;
		}
		term_free(a);
		exc_clear(&ev->exc);
		ev->exc = saved;
	}
	return rc;
}

/* Whether an expression may stand in a guard (erl_lint's guard test). */
static int
is_guard_expr(const struct node *n)
{
	uint32_t i;

	if (n == NULL)
		return 1;
	switch (n->kind) {
	case N_LIT:
	case N_VAR:
		return 1;
	case N_OP:
		if (n->op == '!')
			return 0;
		/* fall through */
	case N_UNOP:
	case N_ANDALSO:
	case N_ORELSE:
	case N_TUPLE:
	case N_CONS:
	case N_MAP:
	case N_BIN:
	case N_SEG:
		break;
	case N_CALL:
		if (n->bif == NULL || !(n->bif->flags & BIF_GUARD))
			return 0;
		break;
	default:
		return 0;
	}
	for (i = 0; i < n->kids.n; i++)
		if (!is_guard_expr(n->kids.v[i]))
			return 0;
	return is_guard_expr(n->a) && is_guard_expr(n->b);
}

/* Comprehensions: qualifiers from q on, results appended to acc. */
struct acc {
	struct term_vec list;
	struct bits_writer w;
	int bin;
};

static int
comp(struct ev *ev, const struct node *n, uint32_t q, struct acc *acc)
{
	const struct node *g;
	size_t mark = ev->env->n, i;
	term v, e;
	int rc, m;

	if (q == n->kids.n) {
		if ((rc = step(ev)) != EVAL_OK ||
		    (rc = eval(ev, n->a, &v, NULL)) != EVAL_OK)
			return rc;
		if (acc->bin) {
			struct bits_seg seg = {
			    BITS_BITSTRING, BITS_BIG, 0, -1, 1};

			if (term_kind(v) != TERM_BINARY ||
			    bits_put(&acc->w, &seg, v) < 0) {
				rc = raise_tagged(ev, "bad_generator", v);
				term_free(v);
				return rc;
			}
			term_free(v);
			return EVAL_OK;
		}
		term_vec_push(&acc->list, v);
		return EVAL_OK;
	}
	g = n->kids.v[q];
	if (g->kind == N_GEN) {
		if ((rc = eval(ev, g->b, &v, NULL)) != EVAL_OK)
			return rc;
		if (term_kind(v) != TERM_LIST && term_kind(v) != TERM_NIL) {
			rc = raise_tagged(ev, "bad_generator", v);
			term_free(v);
			return rc;
		}
		for (i = 0; i < term_size(v); i++) {
			e = term_elems(v)[i];
			ev->fresh = 1;
			m = match(ev, g->a, e);
			ev->fresh = 0;
			if (m == 1)
				m = comp(ev, n, q + 1, acc);
			else if (m == 0)
				m = EVAL_OK;
			env_truncate(ev->env, mark);
			if (m != EVAL_OK) {
				term_free(v);
				return m;
			}
		}
		if (term_kind(v) == TERM_LIST &&
		    term_kind(term_list_tail(v)) != TERM_NIL) {
			rc = raise_tagged(
			    ev, "bad_generator", term_list_tail(v));
			term_free(v);
			return rc;
		}
		term_free(v);
		return EVAL_OK;
	}
	if (g->kind == N_BGEN) {
		struct bits_reader r;
		const struct node *p = g->a;

		if ((rc = eval(ev, g->b, &v, NULL)) != EVAL_OK)
			return rc;
		if (term_kind(v) != TERM_BINARY || p->kind != N_BIN) {
			rc = raise_tagged(ev, "bad_generator", v);
			term_free(v);
			return rc;
		}
		bits_reader_init(&r, v);
		rc = EVAL_OK;
		while (rc == EVAL_OK && bits_left(&r) > 0) {
			uint32_t s;
			int ok = 1;

			for (s = 0; ok == 1 && s < p->kids.n; s++) {
				struct bits_seg spec;
				int bad;
				term got;

				if ((rc = seg_spec(ev, p->kids.v[s], &spec,
				         &bad, NULL)) != EVAL_OK)
					break;
				if (bad || bits_get(&r, &spec, &got) < 0) {
					ok = 0;
					break;
				}
				ev->fresh = 1;
				ok = match(ev, p->kids.v[s]->a, got);
				ev->fresh = 0;
				term_free(got);
			}
			if (rc != EVAL_OK || ok < 0) {
				rc = rc != EVAL_OK ? rc : ok;
				break;
			}
			if (ok == 1)
				rc = comp(ev, n, q + 1, acc);
			else if (s < p->kids.n && bits_left(&r) > 0 &&
			         ok == 0 && s == 0)
				break;
			env_truncate(ev->env, mark);
			if (ok == 0 && s < p->kids.n)
				break;
		}
		env_truncate(ev->env, mark);
		term_free(v);
		return rc;
	}
	/*
	 * A filter that is a guard expression is evaluated as a guard (an
	 * exception or a non-boolean is false), as erl_eval does; another
	 * must give true or false.
	 */
	if (is_guard_expr(g)) {
		struct clause c;

		memset(&c, 0, sizeof c);
		c.guards = &(struct nodes){(struct node **)&g, 1};
		c.nguards = 1;
		if ((rc = guard_true(ev, &c)) < 0)
			return rc;
		return rc == 1 ? comp(ev, n, q + 1, acc) : EVAL_OK;
	}
	if ((rc = eval(ev, g, &v, NULL)) != EVAL_OK)
		return rc;
	if (term_is_atom(v, A_TRUE))
		rc = comp(ev, n, q + 1, acc);
	else if (!term_is_atom(v, A_FALSE))
		rc = raise_tagged(ev, "bad_filter", v);
	term_free(v);
	return rc;
}

/*
 * A comprehension runs in a scope of its own: it reads the bindings
 * around it, and its generators' variables are new ones that shadow
 * them and go when it ends.
 */
static int
eval_comp(struct ev *ev, const struct node *n, term *out)
{
	struct env *outer = ev->env, scope;
	struct acc acc;
	int rc;

	memset(&acc, 0, sizeof acc);
	acc.bin = n->kind == N_BC;
	if (acc.bin)
		bits_init(&acc.w);
	env_init(&scope);
	scope.parent = outer;
	ev->env = &scope;
	rc = comp(ev, n, 0, &acc);
	ev->env = outer;
	env_free(&scope);
	if (rc != EVAL_OK) {
		term_vec_free(&acc.list);
		if (acc.bin)
			bits_free(&acc.w);
		return rc;
	}
	if (acc.bin) {
		*out = bits_finish(&acc.w);
		bits_free(&acc.w);
	} else {
		*out = term_vec_list(&acc.list, term_nil());
	}
	return EVAL_OK;
}

static int
eval_addr(struct ev *ev, const struct node *n, term *out)
{
	term why = term_nil();
	int family = ev->family;

	if (sa_literal(term_atom_name(n->t), term_atom_len(n->t), family, out,
	        &why) < 0) {
		raise_error(ev, why);
		ev->exc.where = AT_ADDRESS;
		return EVAL_EXC;
	}
	return EVAL_OK;
}

/* eval's other kinds of node. */
static int
eval_node(struct ev *ev, const struct node *n, term *out, struct tail *tc)
{
	term a, b;
	int rc;

	switch (n->kind) {
	case N_LIT:
	case N_VAR:
		return eval(ev, n, out, tc);
	case N_ADDR:
		return eval_addr(ev, n, out);
	case N_TUPLE:
	case N_CONS:
		return eval_seq(ev, n, out);
	case N_MAP:
		return eval_map(ev, n, out);
	case N_BIN:
		return build_bin(ev, n, out);
	case N_MATCH:
		return eval_match(ev, n, out);
	case N_OP:
		if ((rc = eval(ev, n->a, &a, NULL)) != EVAL_OK)
			return rc;
		if ((rc = eval(ev, n->b, &b, NULL)) != EVAL_OK) {
			term_free(a);
			return rc;
		}
		rc = binop(ev, n->op, a, b, out);
		term_free(a);
		term_free(b);
		return rc;
	case N_UNOP:
		if ((rc = eval(ev, n->a, &a, NULL)) != EVAL_OK)
			return rc;
		rc = unop(ev, n->op, a, out);
		term_free(a);
		return rc;
	case N_ANDALSO:
	case N_ORELSE:
		if ((rc = eval(ev, n->a, &a, NULL)) != EVAL_OK)
			return rc;
		if (!is_bool(a)) {
			rc = raise_tagged(ev, "badarg", a);
			term_free(a);
			return rc;
		}
		if (term_atom_is(a, n->kind == N_ANDALSO ? "false" : "true")) {
			*out = a;
			return EVAL_OK;
		}
		return eval(ev, n->b, out, tc);
	case N_CALL:
		return eval_call(ev, n, out, tc);
	case N_CMD:
		return eval_command(ev, n, out);
	case N_BLOCK:
		return eval_body(ev, &n->kids, out, tc);
	case N_CASE:
		return eval_case(ev, n, out, tc);
	case N_IF:
		return eval_if(ev, n, out, tc);
	case N_RECEIVE:
		return eval_receive(ev, n, out, tc);
	case N_FUN:
		return make_fun(ev, n, out);
	case N_FUNREF:
		return eval_funref(ev, n, out);
	case N_TRY:
		return eval_try(ev, n, out);
	case N_CATCH:
		return eval_catch(ev, n, out);
	case N_LC:
	case N_BC:
		return eval_comp(ev, n, out);
	default:
		return raise_error(ev, term_atom("badarg"));
	}
}

/* The language's side of struct cmd_host, for f, b and flush. */
static void
host_print(void *arg, const char *prefix, term t)
{
	struct ev *ev = arg;

	lang_print_after(ev->s, prefix, t);
}

static void
host_forget(void *arg, term var)
{
	struct ev *ev = arg;
	struct session *s = ev->s;

	if (term_kind(var) == TERM_VAR)
		env_drop(&s->env, var.n);
	else
		env_truncate(&s->env, 0);
}

static const char *
binding_name(const struct binding *b)
{
	term var = term_var("_");

	var.n = b->var;
	return term_atom_name(var);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(binding_name(a), binding_name(b));
}

/* b(): the bindings sorted by name, as erl_eval keeps them. */
static void
host_bindings(void *arg)
{
	struct ev *ev = arg;
	struct session *s = ev->s;
	struct binding *v;
	struct buf b;
	size_t i;

	v = xreallocarray(NULL, s->env.n ? s->env.n : 1, sizeof *v);
	memcpy(v, s->env.v, s->env.n * sizeof *v);
	qsort(v, s->env.n, sizeof *v, by_name);
	buf_init(&b);
	for (i = 0; i < s->env.n; i++) {
		const char *name = binding_name(&v[i]);

		buf_addf(&b, "%s = ", name);
		print_term(&b, v[i].value, 0, (int)strlen(name) + 4);
		buf_addc(&b, '\n');
	}
	free(v);
	if (s->flags & LANG_UTF8)
		buf_latin1_utf8(&b, 0);
	if (!(s->flags & LANG_QUIET))
		out_write(s->out, b.data ? b.data : "", b.len);
	buf_free(&b);
}

static int
host_apply(struct cmd_ctx *ctx, term fun, size_t n, const term *args, term *out)
{
	int rc = apply(ctx->arg, fun, n, args, out);

	if (rc == EVAL_OK)
		return 0;
	ctx->raised = rc;
	*out = term_nil();
	return -1;
}

static const struct cmd_host eval_host = {
    .print = host_print,
    .forget = host_forget,
    .bindings = host_bindings,
    .apply = host_apply,
};

/* An exception record with nothing in it (nil terms, no strings). */
static const struct exc no_exc = {.reason = {TERM_NIL, 0, {0}},
    .mod = {TERM_NIL, 0, {0}},
    .fun = {TERM_NIL, 0, {0}},
    .args = {TERM_NIL, 0, {0}}};

int
eval_top(struct session *s, struct ast *a, struct node *n, term *out)
{
	struct ev ev;
	int rc;

	/* Field by field: the BIF context is set up by each BIF call. */
	ev.s = s;
	ev.ast = a;
	ev.env = &s->env;
	ev.family = AF_UNSPEC;
	ev.steps = 0;
	ev.fresh = 0;
	ev.exc = no_exc;
	if (lint_top(s, n) < 0)
		return EVAL_ABORT;
	rc = eval(&ev, n, out, NULL);
	if (rc == EVAL_EXC)
		exc_print(&ev.exc, ev.s->err, (s->flags & LANG_UTF8) != 0);
	/* Mostly there is nothing to free: no call then. */
	if (term_kind(ev.exc.reason) != TERM_NIL ||
	    term_kind(ev.exc.args) != TERM_NIL)
		exc_clear(&ev.exc);
	return rc;
}
