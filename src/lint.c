/*
 * erl_lint's variable rules over a top-level expression (see lint.h).
 *
 * The variables an expression binds are kept on a stack whose entries
 * shadow earlier ones of the same variable (a fun head's, a generator's),
 * with a hash from each variable to its top entry; a scope ends by
 * taking the stack back to a mark. What erl_lint does with its tables,
 * this does with marks:
 *   - siblings (a tuple's elements, a call's arguments, an operator's
 *     operands) are each checked from the same mark, so none sees what
 *     another binds; their bindings are then all kept;
 *   - a case's (if's, receive's, try's) clauses likewise, and a variable
 *     bound in some clauses only is then unsafe: using it is an error;
 *   - what a catch, the right side of andalso and orelse, or anything in
 *     a try binds is unsafe after it;
 *   - a fun's and a comprehension's bindings end with them; a fun head's
 *     and a generator's pattern variables are new, shadowing;
 *   - a binary pattern's sizes and a map pattern's keys see what was
 *     bound before the pattern and, for sizes, the binary's earlier
 *     segments only.
 * The first error is reported, as erl's shell does.
 */
#include "compat.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "env.h"
#include "lang.h"
#include "lint.h"
#include "util.h"

struct lvar {
	uint32_t var;
	uint32_t prev; /* index + 1 of the entry this one shadows, or 0 */
	/* NULL: bound; else unsafe, bound on some paths only of this node */
	const struct node *unsafe;
};

/* A variable a clause bound, kept while its siblings are checked. */
struct kept {
	uint32_t var;
	uint32_t clause;
	const struct node *unsafe;
};

struct keep {
	struct kept *v;
	size_t n, cap;
};

/* Below this many entries a linear search beats hashing. */
#define LINT_SMALL 16

struct lint {
	struct session *s;
	struct lvar *v; /* small, or allocated past it */
	uint32_t n, cap;
	struct lvar small[LINT_SMALL];
	/* Past LINT_SMALL entries, open addressing: key var + 1 (0: empty
	 * slot), value the index + 1 of its top entry. */
	uint32_t *hkey, *htop;
	uint32_t hcap, hused;
	/* Patterns: entries from pat on are the pattern's own, from bin on
	 * those of the binary's earlier segments. */
	uint32_t pat, bin;
	int fresh;   /* a pattern's variables are new (fun head, generator) */
	int in_size; /* checking a size or key: see only what came before */
};

static int expr(struct lint *, const struct node *);
static int pattern(struct lint *, const struct node *);

static uint32_t
slot(const struct lint *l, uint32_t var)
{
	uint32_t h = (var * 2654435761u) & (l->hcap - 1);

	while (l->hkey[h] != 0 && l->hkey[h] != var + 1)
		h = (h + 1) & (l->hcap - 1);
	return h;
}

/* The index + 1 of the variable's top entry, or 0. */
static uint32_t
top(const struct lint *l, uint32_t var)
{
	uint32_t h, i;

	if (l->hcap == 0) {
		for (i = l->n; i-- > 0;)
			if (l->v[i].var == var)
				return i + 1;
		return 0;
	}
	h = slot(l, var);
	return l->hkey[h] != 0 ? l->htop[h] : 0;
}

static void
set_top(struct lint *l, uint32_t var, uint32_t t)
{
	uint32_t h;

	if (l->hcap == 0)
		return;
	h = slot(l, var);
	if (l->hkey[h] == 0) {
		l->hkey[h] = var + 1;
		l->hused++;
	}
	l->htop[h] = t;
}

/* Builds the hash at twice the size, from the live entries. */
static void
rehash(struct lint *l)
{
	uint32_t i;

	free(l->hkey);
	free(l->htop);
	l->hcap = l->hcap ? l->hcap * 2 : 4 * LINT_SMALL;
	l->hkey = xreallocarray(NULL, l->hcap, sizeof *l->hkey);
	l->htop = xreallocarray(NULL, l->hcap, sizeof *l->htop);
	memset(l->hkey, 0, l->hcap * sizeof *l->hkey);
	l->hused = 0;
	for (i = 0; i < l->n; i++)
		set_top(l, l->v[i].var, i + 1);
}

static void
push(struct lint *l, uint32_t var, const struct node *unsafe)
{
	if (l->n == l->cap) {
		l->cap *= 2;
		if (l->v == l->small) {
			l->v = xreallocarray(NULL, l->cap, sizeof *l->v);
			memcpy(l->v, l->small, l->n * sizeof *l->v);
		} else
			l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	if (l->n >= LINT_SMALL && 2 * (l->hused + 1) > l->hcap)
		rehash(l);
	l->v[l->n].var = var;
	l->v[l->n].prev = top(l, var);
	l->v[l->n].unsafe = unsafe;
	l->n++;
	set_top(l, var, l->n);
}

static void
truncate_to(struct lint *l, uint32_t mark)
{
	while (l->n > mark) {
		const struct lvar *e = &l->v[--l->n];

		set_top(l, e->var, e->prev);
	}
}

/* Makes what was bound from mark on unsafe in node u. */
static void
unsafe_from(struct lint *l, uint32_t mark, const struct node *u)
{
	uint32_t i;

	for (i = mark; i < l->n; i++)
		l->v[i].unsafe = u;
}

/* Moves the entries from mark on into k, for clause c. */
static void
keep_from(struct lint *l, uint32_t mark, struct keep *k, uint32_t c)
{
	uint32_t i;

	for (i = mark; i < l->n; i++) {
		if (k->n == k->cap) {
			k->cap = k->cap ? k->cap * 2 : 8;
			k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
		}
		k->v[k->n].var = l->v[i].var;
		k->v[k->n].clause = c;
		k->v[k->n].unsafe = l->v[i].unsafe;
		k->n++;
	}
	truncate_to(l, mark);
}

static int
by_var(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	if (x->var != y->var)
		return x->var < y->var ? -1 : 1;
	return x->clause < y->clause ? -1 : x->clause > y->clause;
}

/*
 * Binds what nclauses siblings or clauses kept: a variable unsafe in one
 * stays so; else with u (clauses), one bound in some clauses only is
 * unsafe in u.
 */
static void
bind_kept(
    struct lint *l, struct keep *k, uint32_t nclauses, const struct node *u)
{
	size_t i = 0, j;

	if (k->n == 0)
		return;
	qsort(k->v, k->n, sizeof *k->v, by_var);
	while (i < k->n) {
		const struct node *unsafe = NULL;
		uint32_t in = 0;

		for (j = i; j < k->n && k->v[j].var == k->v[i].var; j++) {
			if (unsafe == NULL)
				unsafe = k->v[j].unsafe;
			if (j == i || k->v[j].clause != k->v[j - 1].clause)
				in++;
		}
		if (unsafe == NULL && u != NULL && in < nclauses)
			unsafe = u;
		push(l, k->v[i].var, unsafe);
		i = j;
	}
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}

static const char *
construct_name(const struct node *u)
{
	switch (u->kind) {
	case N_CASE:
		return "case";
	case N_IF:
		return "if";
	case N_RECEIVE:
		return "receive";
	case N_TRY:
		return "try";
	case N_CATCH:
		return "catch";
	case N_ANDALSO:
		return "andalso";
	default:
		return "orelse";
	}
}

static int
unbound(struct lint *l, const struct node *n)
{
	lang_report(l->s, n->line + l->s->line_shift, n->col,
	    "variable '%s' is unbound", term_atom_name(n->t));
	return -1;
}

/* The entry a variable's use sees, or NULL when none is on the stack. */
static const struct lvar *
visible(const struct lint *l, uint32_t var)
{
	uint32_t t = top(l, var);

	/* A size or key skips the pattern's own variables, but for the
	 * binary's earlier segments. */
	while (l->in_size && t != 0 && t - 1 >= l->pat && t - 1 < l->bin)
		t = l->v[t - 1].prev;
	return t != 0 ? &l->v[t - 1] : NULL;
}

static int
use_var(struct lint *l, const struct node *n)
{
	const struct lvar *e;

	if (n->t.n == (uint32_t)A_UNDERSCORE)
		return unbound(l, n);
	if ((e = visible(l, n->t.n)) == NULL)
		return env_get(&l->s->env, n->t.n) != NULL ? 0 : unbound(l, n);
	if (e->unsafe == NULL)
		return 0;
	lang_report(l->s, n->line + l->s->line_shift, n->col,
	    "variable '%s' unsafe in '%s' (line %d, column %d)",
	    term_atom_name(n->t), construct_name(e->unsafe),
	    e->unsafe->line + l->s->line_shift, e->unsafe->col);
	return -1;
}

/* A variable of a pattern: matched when bound, else bound by it. */
static int
pattern_var(struct lint *l, const struct node *n)
{
	uint32_t t;

	if (n->t.n == (uint32_t)A_UNDERSCORE)
		return 0;
	t = top(l, n->t.n);
	if (l->fresh) {
		if (t == 0 || t - 1 < l->pat)
			push(l, n->t.n, NULL);
		return 0;
	}
	if (t != 0)
		return use_var(l, n);
	/* The session's variables are all bound. */
	if (env_get(&l->s->env, n->t.n) == NULL)
		push(l, n->t.n, NULL);
	return 0;
}

static int
exprs(struct lint *l, const struct nodes *ns)
{
	uint32_t i;

	for (i = 0; i < ns->n; i++)
		if (expr(l, ns->v[i]) < 0)
			return -1;
	return 0;
}

/* An expression a pattern holds (a size, a key): sees what came before. */
static int
pattern_expr(struct lint *l, const struct node *n)
{
	int saved = l->in_size, rc;

	l->in_size = 1;
	rc = expr(l, n);
	l->in_size = saved;
	return rc;
}

static int
pattern_bin(struct lint *l, const struct node *n)
{
	uint32_t saved = l->bin, i;
	int rc = 0;

	l->bin = l->n;
	for (i = 0; i < n->kids.n && rc == 0; i++) {
		const struct node *seg = n->kids.v[i];

		if (seg->b != NULL && pattern_expr(l, seg->b) < 0)
			rc = -1;
		else
			rc = pattern(l, seg->a);
	}
	l->bin = saved;
	return rc;
}

static int
pattern(struct lint *l, const struct node *n)
{
	uint32_t i;

	switch (n->kind) {
	case N_VAR:
		return pattern_var(l, n);
	case N_LIT:
	case N_ADDR:
		return 0;
	case N_TUPLE:
	case N_CONS:
		for (i = 0; i < n->kids.n; i++)
			if (pattern(l, n->kids.v[i]) < 0)
				return -1;
		return n->a != NULL ? pattern(l, n->a) : 0;
	case N_MAP:
		for (i = 0; i + 1 < n->kids.n; i += 2)
			if (pattern_expr(l, n->kids.v[i]) < 0 ||
			    pattern(l, n->kids.v[i + 1]) < 0)
				return -1;
		return 0;
	case N_BIN:
		return pattern_bin(l, n);
	case N_MATCH:
		return pattern(l, n->a) < 0 ? -1 : pattern(l, n->b);
	case N_OP:
		/* "prefix" ++ Tail */
		if (n->op == P_PLUSPLUS)
			return pattern(l, n->b);
		return pattern_expr(l, n);
	default:
		return pattern_expr(l, n);
	}
}

/* Patterns checked as one: a fun head's, a clause's, a generator's. */
static int
head(struct lint *l, const struct nodes *pats, int fresh)
{
	uint32_t saved_pat = l->pat, saved_bin = l->bin, i;
	int saved_fresh = l->fresh, rc = 0;

	l->pat = l->bin = l->n;
	l->fresh = fresh;
	for (i = 0; i < pats->n && rc == 0; i++)
		rc = pattern(l, pats->v[i]);
	l->pat = saved_pat;
	l->bin = saved_bin;
	l->fresh = saved_fresh;
	return rc;
}

static int
clause(struct lint *l, const struct clause *c, int fresh)
{
	uint32_t g;

	if (head(l, &c->pats, fresh) < 0)
		return -1;
	for (g = 0; g < c->nguards; g++)
		if (exprs(l, &c->guards[g]) < 0)
			return -1;
	return exprs(l, &c->body);
}

/* Clauses of which one runs, from clause number first on in k. */
static int
clauses(struct lint *l, const struct clause *cl, uint32_t ncl, uint32_t first,
    struct keep *k)
{
	uint32_t mark = l->n, i;

	for (i = 0; i < ncl; i++) {
		if (clause(l, &cl[i], 0) < 0)
			return -1;
		keep_from(l, mark, k, first + i);
	}
	return 0;
}

/* Siblings: each checked from the same bindings, all bindings kept. */
struct sib {
	uint32_t mark;
	uint32_t count;
	struct keep k;
};

static void
sib_begin(struct lint *l, struct sib *s)
{
	s->mark = l->n;
	s->count = 0;
	s->k.v = NULL;
	s->k.n = s->k.cap = 0;
}

static int
sib(struct lint *l, struct sib *s, const struct node *n)
{
	if (n == NULL)
		return 0;
	if (expr(l, n) < 0)
		return -1;
	if (l->n > s->mark)
		keep_from(l, s->mark, &s->k, s->count++);
	return 0;
}

static int
sib_nodes(struct lint *l, struct sib *s, const struct nodes *ns)
{
	uint32_t i;

	for (i = 0; i < ns->n; i++)
		if (sib(l, s, ns->v[i]) < 0)
			return -1;
	return 0;
}

static int
sib_end(struct lint *l, struct sib *s, int rc)
{
	if (s->k.n == 0)
		return rc;
	if (rc == 0)
		bind_kept(l, &s->k, 0, NULL);
	free(s->k.v);
	return rc;
}

/* Siblings in the order they are written: a, b, the nodes ns, c. */
static int
siblings(struct lint *l, const struct node *a, const struct node *b,
    const struct nodes *ns, const struct node *c)
{
	struct sib s;
	int rc;

	sib_begin(l, &s);
	rc = sib(l, &s, a) < 0 || sib(l, &s, b) < 0 ||
	             (ns != NULL && sib_nodes(l, &s, ns) < 0) ||
	             sib(l, &s, c) < 0
	         ? -1
	         : 0;
	return sib_end(l, &s, rc);
}

static int
bin(struct lint *l, const struct node *n)
{
	struct sib s;
	uint32_t i;
	int rc = 0;

	sib_begin(l, &s);
	for (i = 0; i < n->kids.n && rc == 0; i++)
		if (sib(l, &s, n->kids.v[i]->a) < 0 ||
		    sib(l, &s, n->kids.v[i]->b) < 0)
			rc = -1;
	return sib_end(l, &s, rc);
}

static int
match(struct lint *l, const struct node *n)
{
	struct nodes p = {(struct node **)&n->a, 1};

	if (expr(l, n->b) < 0)
		return -1;
	return head(l, &p, 0);
}

static int
fun(struct lint *l, const struct node *n)
{
	uint32_t mark = l->n, i;
	int rc = 0;

	if (term_kind(n->t) == TERM_VAR)
		push(l, n->t.n, NULL);
	for (i = 0; i < n->ncl && rc == 0; i++) {
		uint32_t m = l->n;

		rc = clause(l, &n->cl[i], 1);
		truncate_to(l, m);
	}
	truncate_to(l, mark);
	return rc;
}

static int
comprehension(struct lint *l, const struct node *n)
{
	uint32_t mark = l->n, i;
	int rc = 0;

	for (i = 0; i < n->kids.n && rc == 0; i++) {
		const struct node *q = n->kids.v[i];

		if (q->kind == N_GEN || q->kind == N_BGEN) {
			struct nodes p = {(struct node **)&q->a, 1};
			uint32_t m = l->n;

			/* What the generator's expression binds is its own. */
			rc = expr(l, q->b);
			truncate_to(l, m);
			if (rc == 0)
				rc = head(l, &p, 1);
		} else
			rc = expr(l, q);
	}
	if (rc == 0)
		rc = expr(l, n->a);
	truncate_to(l, mark);
	return rc;
}

static int
block_unsafe(struct lint *l, const struct node *body, const struct node *u)
{
	uint32_t mark = l->n;

	if (expr(l, body) < 0)
		return -1;
	unsafe_from(l, mark, u);
	return 0;
}

static int
case_if(struct lint *l, const struct node *n)
{
	struct keep k = {NULL, 0, 0};

	if (n->kind == N_CASE && expr(l, n->a) < 0)
		return -1;
	if (clauses(l, n->cl, n->ncl, 0, &k) < 0) {
		free(k.v);
		return -1;
	}
	bind_kept(l, &k, n->ncl, n);
	return 0;
}

static int
receive(struct lint *l, const struct node *n)
{
	struct keep k = {NULL, 0, 0}, t = {NULL, 0, 0};
	uint32_t mark = l->n, after = n->a != NULL;

	/* The timeout and the after body first, from the same bindings. */
	if (after) {
		if (expr(l, n->a) < 0)
			goto fail;
		keep_from(l, mark, &t, 0);
		if (exprs(l, &n->after) < 0)
			goto fail;
		keep_from(l, mark, &k, 0);
	}
	if (clauses(l, n->cl, n->ncl, after, &k) < 0)
		goto fail;
	bind_kept(l, &k, n->ncl + after, n);
	bind_kept(l, &t, 1, NULL);
	return 0;
fail:
	free(k.v);
	free(t.v);
	return -1;
}

/* try: the of clauses see the body's bindings, the catch clauses see
 * them unsafe, and all it binds is unsafe after it. */
static int
try_(struct lint *l, const struct node *n)
{
	struct keep k = {NULL, 0, 0};
	uint32_t mark = l->n, body, i;

	if (exprs(l, &n->kids) < 0)
		return -1;
	body = l->n;
	if (clauses(l, n->cl, n->ncl, 0, &k) < 0)
		goto fail;
	unsafe_from(l, mark, n);
	for (i = 0; i < n->ncl2; i++) {
		if (clause(l, &n->cl2[i], 0) < 0)
			goto fail;
		keep_from(l, body, &k, n->ncl + i);
	}
	bind_kept(l, &k, n->ncl + n->ncl2, n);
	if (exprs(l, &n->after) < 0)
		return -1;
	unsafe_from(l, mark, n);
	return 0;
fail:
	free(k.v);
	return -1;
}

static int
command(struct lint *l, const struct node *n)
{
	uint32_t i;

	/* f(X) forgets X, bound or not. */
	if (n->cmd->flags & CMD_RAW_ARGS) {
		for (i = 0; i < n->kids.n; i++)
			if (n->kids.v[i]->kind != N_VAR)
				break;
		if (i == n->kids.n)
			return 0;
	}
	return siblings(l, NULL, NULL, &n->kids, NULL);
}

static int
expr(struct lint *l, const struct node *n)
{
	switch (n->kind) {
	case N_LIT:
	case N_ADDR:
		return 0;
	case N_VAR:
		return use_var(l, n);
	case N_TUPLE:
		return siblings(l, NULL, NULL, &n->kids, NULL);
	case N_CONS:
		return siblings(l, NULL, NULL, &n->kids, n->a);
	case N_MAP:
		return siblings(l, n->a, NULL, &n->kids, NULL);
	case N_BIN:
		return bin(l, n);
	case N_MATCH:
		return match(l, n);
	case N_OP:
		return siblings(l, n->a, n->b, NULL, NULL);
	case N_UNOP:
		return expr(l, n->a);
	case N_ANDALSO:
	case N_ORELSE:
		return expr(l, n->a) < 0 ? -1 : block_unsafe(l, n->b, n);
	case N_CALL:
		return siblings(l, n->b, n->a, &n->kids, NULL);
	case N_CMD:
		return command(l, n);
	case N_BLOCK:
		return exprs(l, &n->kids);
	case N_CASE:
	case N_IF:
		return case_if(l, n);
	case N_RECEIVE:
		return receive(l, n);
	case N_FUN:
		return fun(l, n);
	case N_FUNREF:
		return siblings(l, n->a, n->b, NULL, n->c);
	case N_TRY:
		return try_(l, n);
	case N_CATCH:
		return block_unsafe(l, n->a, n);
	case N_LC:
	case N_BC:
		return comprehension(l, n);
	default:
		return 0;
	}
}

/*
 * Most lines are plain: terms, calls and operators over bound variables,
 * maybe matched to a pattern of terms; nothing in them binds before the
 * end. Such a line passes when its variables are all bound, which this
 * checks quickly; 0 sends the line to the full check.
 */
static int
plain_pattern(const struct node *n)
{
	uint32_t i;

	switch (n->kind) {
	case N_VAR:
	case N_LIT:
		return 1;
	case N_TUPLE:
	case N_CONS:
		for (i = 0; i < n->kids.n; i++)
			if (!plain_pattern(n->kids.v[i]))
				return 0;
		return n->a == NULL || plain_pattern(n->a);
	default:
		return 0;
	}
}

static int plain(const struct env *, const struct node *);

/* Leaves inline: most of a plain line is variables and constants. */
static inline int
plain_kid(const struct env *env, const struct node *n)
{
	if (n->kind == N_LIT || n->kind == N_ADDR)
		return 1;
	if (n->kind == N_VAR)
		return env_get(env, n->t.n) != NULL;
	return plain(env, n);
}

static int
plain(const struct env *env, const struct node *n)
{
	uint32_t i;

	switch (n->kind) {
	case N_CMD:
		/* f(X) forgets X, bound or not. */
		if (n->cmd->flags & CMD_RAW_ARGS) {
			for (i = 0; i < n->kids.n; i++)
				if (n->kids.v[i]->kind != N_VAR)
					return 0;
			return 1;
		}
		/* fall through */
	case N_SEG:
	case N_OP:
	case N_UNOP:
	case N_CALL:
	case N_TUPLE:
	case N_CONS:
	case N_MAP:
	case N_BIN:
		for (i = 0; i < n->kids.n; i++)
			if (!plain_kid(env, n->kids.v[i]))
				return 0;
		return (n->a == NULL || plain_kid(env, n->a)) &&
		       (n->b == NULL || plain_kid(env, n->b));
	case N_LIT:
	case N_ADDR:
	case N_VAR:
		return plain_kid(env, n);
	default:
		return 0;
	}
}

int
lint_top(struct session *s, const struct node *n)
{
	struct lint l;
	const struct node *rhs = n;
	int rc;

	while (rhs->kind == N_MATCH && plain_pattern(rhs->a))
		rhs = rhs->b;
	if (plain_kid(&s->env, rhs))
		return 0;
	memset(&l, 0, offsetof(struct lint, small));
	l.s = s;
	l.v = l.small;
	l.cap = LINT_SMALL;
	l.hkey = l.htop = NULL;
	l.hcap = l.hused = 0;
	l.pat = l.bin = 0;
	l.fresh = l.in_size = 0;
	rc = expr(&l, n);
	if (l.v != l.small)
		free(l.v);
	free(l.hkey);
	free(l.htop);
	return rc;
}
