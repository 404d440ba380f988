/*
 * The expression parser: Erlang's expression grammar (erl_parse's
 * precedence levels) over the scanner's tokens, into struct node trees
 * held in an arena. Patterns are parsed as expressions and then checked
 * and turned into patterns, as erl_parse does. Constant tuples and lists
 * fold into one literal term, so evaluating them is a reference count.
 *
 * Besides Erlang, a top-level expression may be a command in word form
 * (open inet stream): a command's unquoted name followed by arguments
 * that are not an operator. Calls are resolved as far as the parse can:
 * a command or a BIF by name and arity; the rest is left to the
 * evaluator, which raises undef.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bif.h"
#include "cmd.h"
#include "eval.h"
#include "expr.h"
#include "num.h"
#include "util.h"

/* The arena: blocks of zeroed memory freed together. */
struct arena {
	struct arena *next;
	size_t used, cap;
	_Alignas(max_align_t) unsigned char mem[];
};

#define ARENA_BLOCK 8192

struct ast *
ast_new(void)
{
	struct ast *a = xmalloc(sizeof *a);

	memset(a, 0, sizeof *a);
	a->refs = 1;
	return a;
}

void
ast_ref(struct ast *a)
{
	a->refs++;
}

void
ast_unref(struct ast *a)
{
	struct arena *b, *next;
	size_t i;

	if (a == NULL || --a->refs > 0)
		return;
	for (b = a->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	for (i = 0; i < a->nlits; i++)
		term_free(a->lits[i]);
	free(a->lits);
	free(a);
}

static void *
ast_alloc(struct ast *a, size_t n)
{
	struct arena *b = a->arena;
	size_t cap;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (b == NULL || b->cap - b->used < n) {
		cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = xmalloc(offsetof(struct arena, mem) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = a->arena;
		a->arena = b;
	}
	p = b->mem + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

/* The ast owns t from now on. */
static term
keep(struct ast *a, term t)
{
	if (a->nlits == a->caplits) {
		a->caplits = a->caplits ? a->caplits * 2 : 16;
		a->lits = xreallocarray(a->lits, a->caplits, sizeof *a->lits);
	}
	a->lits[a->nlits++] = t;
	return t;
}

/* A growing list of nodes, copied into the arena when done. */
struct nvec {
	struct node **v;
	size_t n, cap;
};

static void
nvec_push(struct nvec *v, struct node *n)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
	}
	v->v[v->n++] = n;
}

static struct nodes
nvec_done(struct ast *a, struct nvec *v)
{
	struct nodes out;

	out.n = (uint32_t)v->n;
	out.v = NULL;
	if (v->n > 0) {
		out.v = ast_alloc(a, v->n * sizeof *out.v);
		memcpy(out.v, v->v, v->n * sizeof *out.v);
	}
	free(v->v);
	memset(v, 0, sizeof *v);
	return out;
}

/* Parser state beside the token parser. */
struct ep {
	struct parser *p;
	struct ast *a;
	int depth;     /* brackets and blocks */
	int opdepth;   /* operators and prefixes, each a level of recursion */
	int no_remote; /* a catch pattern: Class:Reason:Stack, no M:F */
	int top;       /* parsing a sequence's own expression: words allowed */
};

static struct node *
node_new(struct ep *e, enum node_kind kind, const struct token *t)
{
	struct node *n = ast_alloc(e->a, sizeof *n);

	n->kind = (unsigned char)kind;
	n->t = term_nil();
	if (t != NULL) {
		n->line = t->line;
		n->col = t->col;
	}
	return n;
}

static struct node *
expr_lit(struct ast *a, term t)
{
	struct node *n = ast_alloc(a, sizeof *n);

	n->kind = N_LIT;
	n->t = keep(a, t);
	return n;
}

static const struct token *
peek(struct ep *e, int k)
{
	return parse_peek(e->p, k);
}

/*
 * In a script, a complete expression outside brackets ends with its
 * line: an operator, "(" or "#{" on the next line starts anew.
 */
static int
new_line(const struct ep *e, const struct token *t)
{
	return e->p->newlines && e->depth == 0 && t != NULL &&
	       t->line > e->p->prev_line;
}

static int
is_punct(const struct token *t, int punct)
{
	return t != NULL && t->kind == TOK_PUNCT && t->punct == punct;
}

static int
is_key(const struct token *t, int kw)
{
	return t != NULL && t->kind == TOK_KEY && t->punct == kw;
}

static int
error_at(struct ep *e, int line, int col, const char *msg)
{
	struct token t;

	memset(&t, 0, sizeof t);
	t.kind = TOK_ATOM;
	t.line = line;
	t.col = col;
	return parse_error(e->p, &t, "%s", msg);
}

static int
syntax_error(struct ep *e)
{
	return parse_unexpected(e->p, NULL);
}

static int
expect_punct(struct ep *e, int punct)
{
	if (!is_punct(peek(e, 0), punct))
		return syntax_error(e);
	parse_skip(e->p);
	return 0;
}

static int
expect_key(struct ep *e, int kw)
{
	if (!is_key(peek(e, 0), kw))
		return syntax_error(e);
	parse_skip(e->p);
	return 0;
}

/* Takes the value out of the next token. */
static term
take_value(struct ep *e)
{
	term v = parse_cur(e->p)->value;

	parse_cur(e->p)->value = term_nil();
	parse_skip(e->p);
	return v;
}

static struct node *parse_expr(struct ep *);
static struct node *parse_max(struct ep *);
static int parse_words(struct ep *, struct node **);
static int to_pattern(struct ep *, struct node *);

/* Exprs: Expr {"," Expr}, up to a token that is not ",". */
static int
parse_exprs(struct ep *e, struct nodes *out)
{
	struct nvec v = {NULL, 0, 0};
	struct node *n;

	for (;;) {
		if ((n = parse_expr(e)) == NULL) {
			free(v.v);
			return -1;
		}
		nvec_push(&v, n);
		if (!is_punct(peek(e, 0), ','))
			break;
		parse_skip(e->p);
	}
	*out = nvec_done(e->a, &v);
	return 0;
}

/* Guard: G1 {"," G1} {";" ...}: alternatives, each a conjunction. */
static int
parse_guard(struct ep *e, struct clause *c)
{
	struct nodes alt[64];
	uint32_t n = 0;

	for (;;) {
		if (n == sizeof alt / sizeof alt[0])
			return parse_error(
			    e->p, peek(e, 0), "too many guard alternatives");
		if (parse_exprs(e, &alt[n]) < 0)
			return -1;
		n++;
		/* Before "->" a ";" always starts another alternative. */
		if (!is_punct(peek(e, 0), ';'))
			break;
		parse_skip(e->p);
	}
	c->guards = ast_alloc(e->a, n * sizeof *c->guards);
	memcpy(c->guards, alt, n * sizeof *alt);
	c->nguards = n;
	return 0;
}

/*
 * atom:123 reaches the parser as one address-shaped token where Erlang
 * means an atom, a colon and an integer (throw:42 in a catch clause,
 * <<a:8>> in a binary). Splits such a token into two literal nodes:
 * returns 1, or 0 when the token has another shape.
 */
static int
split_name_int(
    struct ep *e, const struct token *t, struct node **atom, struct node **num)
{
	const char *text, *colon;
	term r;

	if (t->kind != TOK_ADDR)
		return 0;
	text = term_atom_name(t->value);
	if ((colon = strchr(text, ':')) == NULL || text[0] < 'a' ||
	    text[0] > 'z' ||
	    strspn(text, "abcdefghijklmnopqrstuvwxyz"
	                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@") !=
	        (size_t)(colon - text) ||
	    term_int_parse(colon + 1, strlen(colon + 1), 10, 0, &r) < 0)
		return 0;
	*atom = node_new(e, N_LIT, t);
	(*atom)->t = term_atom_n(text, (size_t)(colon - text));
	*num = node_new(e, N_LIT, t);
	(*num)->col += (int)(colon - text) + 1;
	(*num)->t = keep(e->a, r);
	return 1;
}

/* A pattern of a catch clause, with no M:F calls in the way. */
static struct node *
catch_part(struct ep *e)
{
	struct node *n;

	e->no_remote = 1;
	n = parse_expr(e);
	e->no_remote = 0;
	if (n == NULL || to_pattern(e, n) < 0)
		return NULL;
	return n;
}

/*
 * [Class:]Reason[:Stack] into three patterns; the class is throw when
 * none is written. throw:42 reaches here as one address-shaped token.
 */
static int
parse_catch_pattern(struct ep *e, struct clause *c)
{
	const struct token *t = peek(e, 0), *t1;
	struct node **v = ast_alloc(e->a, 3 * sizeof *v);

	if (t == NULL || (t1 = peek(e, 1)) == NULL)
		return -1;
	c->pats.v = v;
	c->pats.n = 3;
	if (split_name_int(e, t, &v[0], &v[1]))
		parse_skip(e->p);
	else if ((t->kind == TOK_ATOM || t->kind == TOK_VAR) &&
	         is_punct(t1, ':')) {
		v[0] = t->kind == TOK_VAR ? node_new(e, N_VAR, t)
		                          : node_new(e, N_LIT, t);
		v[0]->t = take_value(e);
		parse_skip(e->p);
		if ((v[1] = catch_part(e)) == NULL)
			return -1;
	} else {
		v[0] = node_new(e, N_LIT, t);
		v[0]->t = term_atom("throw");
		if ((v[1] = catch_part(e)) == NULL)
			return -1;
	}
	if (is_punct(peek(e, 0), ':')) {
		parse_skip(e->p);
		if ((t = peek(e, 0)) == NULL)
			return -1;
		if (t->kind != TOK_VAR)
			return syntax_error(e);
		v[2] = node_new(e, N_VAR, t);
		v[2]->t = take_value(e);
	} else {
		v[2] = node_new(e, N_VAR, t);
		v[2]->t = term_var("_");
	}
	return 0;
}

/*
 * One clause: Patterns [when Guard] -> Body. With npats 0 there is no
 * pattern (if); with head set the patterns are in parentheses (fun).
 */
static int
parse_clause(struct ep *e, struct clause *c, int kind)
{
	const struct token *t = peek(e, 0);
	struct nvec v = {NULL, 0, 0};
	struct node *n;

	if (t == NULL)
		return -1;
	c->line = t->line;
	c->col = t->col;
	if (kind == N_FUN) {
		/* Each clause of a named fun repeats the name. */
		if (t->kind == TOK_VAR)
			parse_skip(e->p);
		if (expect_punct(e, '(') < 0)
			return -1;
		if (!is_punct(peek(e, 0), ')')) {
			for (;;) {
				if ((n = parse_expr(e)) == NULL ||
				    to_pattern(e, n) < 0) {
					free(v.v);
					return -1;
				}
				nvec_push(&v, n);
				if (!is_punct(peek(e, 0), ','))
					break;
				parse_skip(e->p);
			}
		}
		if (expect_punct(e, ')') < 0) {
			free(v.v);
			return -1;
		}
		c->pats = nvec_done(e->a, &v);
	} else if (kind == N_TRY) {
		if (parse_catch_pattern(e, c) < 0)
			return -1;
	} else if (kind != N_IF) {
		if ((n = parse_expr(e)) == NULL || to_pattern(e, n) < 0)
			return -1;
		c->pats.v = ast_alloc(e->a, sizeof *c->pats.v);
		c->pats.v[0] = n;
		c->pats.n = 1;
	}
	if (kind == N_IF) {
		if (parse_guard(e, c) < 0)
			return -1;
	} else if (is_key(peek(e, 0), KW_WHEN)) {
		parse_skip(e->p);
		if (parse_guard(e, c) < 0)
			return -1;
	}
	if (expect_punct(e, P_RARROW) < 0)
		return -1;
	return parse_exprs(e, &c->body);
}

/* Clauses separated by ";". */
static int
parse_clauses(struct ep *e, struct clause **out, uint32_t *nout, int kind)
{
	struct clause *cl = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			cl = xreallocarray(cl, cap, sizeof *cl);
		}
		memset(&cl[n], 0, sizeof cl[n]);
		if (parse_clause(e, &cl[n], kind) < 0) {
			free(cl);
			return -1;
		}
		n++;
		if (!is_punct(peek(e, 0), ';'))
			break;
		parse_skip(e->p);
	}
	*out = ast_alloc(e->a, n * sizeof **out);
	memcpy(*out, cl, n * sizeof *cl);
	*nout = (uint32_t)n;
	free(cl);
	return 0;
}

/* Folds a tuple or list whose parts are all literals into one. */
static struct node *
fold(struct ep *e, struct node *n)
{
	term *v, tail = term_nil();
	uint32_t i;

	for (i = 0; i < n->kids.n; i++)
		if (n->kids.v[i]->kind != N_LIT)
			return n;
	if (n->kind == N_CONS && n->a != NULL && n->a->kind != N_LIT)
		return n;
	v = xreallocarray(NULL, n->kids.n ? n->kids.n : 1, sizeof *v);
	for (i = 0; i < n->kids.n; i++)
		v[i] = term_copy(n->kids.v[i]->t);
	if (n->kind == N_CONS && n->a != NULL)
		tail = term_copy(n->a->t);
	n->t = keep(e->a, n->kind == N_TUPLE ? term_tuple(n->kids.n, v)
	                                     : term_list(n->kids.n, v, tail));
	free(v);
	n->kind = N_LIT;
	return n;
}

/* [ ... ]: a list, a cons with a tail, or a comprehension. */
static struct node *parse_qualifiers(struct ep *, struct node *);

static struct node *
parse_list(struct ep *e, const struct token *open)
{
	struct node *n = node_new(e, N_CONS, open), *x;
	struct nvec v = {NULL, 0, 0};

	if (is_punct(peek(e, 0), ']')) {
		parse_skip(e->p);
		n->kind = N_LIT;
		return n;
	}
	if ((x = parse_expr(e)) == NULL)
		return NULL;
	if (is_punct(peek(e, 0), P_OROR)) {
		parse_skip(e->p);
		n->kind = N_LC;
		n->a = x;
		if (parse_qualifiers(e, n) == NULL || expect_punct(e, ']') < 0)
			return NULL;
		return n;
	}
	nvec_push(&v, x);
	while (is_punct(peek(e, 0), ',')) {
		parse_skip(e->p);
		if ((x = parse_expr(e)) == NULL) {
			free(v.v);
			return NULL;
		}
		nvec_push(&v, x);
	}
	if (is_punct(peek(e, 0), '|')) {
		parse_skip(e->p);
		if ((n->a = parse_expr(e)) == NULL) {
			free(v.v);
			return NULL;
		}
	}
	n->kids = nvec_done(e->a, &v);
	if (expect_punct(e, ']') < 0)
		return NULL;
	return fold(e, n);
}

/* Qualifiers of a comprehension: generators and filters. */
static struct node *
parse_qualifiers(struct ep *e, struct node *n)
{
	struct nvec v = {NULL, 0, 0};
	struct node *q, *g;
	const struct token *t;

	for (;;) {
		t = peek(e, 0);
		if ((q = parse_expr(e)) == NULL) {
			free(v.v);
			return NULL;
		}
		if (is_punct(peek(e, 0), P_LARROW) ||
		    is_punct(peek(e, 0), P_BGEN)) {
			g = node_new(e,
			    is_punct(peek(e, 0), P_LARROW) ? N_GEN : N_BGEN, t);
			parse_skip(e->p);
			g->a = q;
			if (to_pattern(e, q) < 0 ||
			    (g->b = parse_expr(e)) == NULL) {
				free(v.v);
				return NULL;
			}
			q = g;
		}
		nvec_push(&v, q);
		if (!is_punct(peek(e, 0), ','))
			break;
		parse_skip(e->p);
	}
	n->kids = nvec_done(e->a, &v);
	return n;
}

/* The type specifiers of a segment: Type-Sign-Endian-unit:N. */
struct spec_word {
	const char *name;
	int what; /* 0 type, 1 sign, 2 endian */
	int value;
};

static const struct spec_word spec_words[] = {{"integer", 0, BITS_INTEGER},
    {"float", 0, BITS_FLOAT}, {"binary", 0, BITS_BINARY},
    {"bytes", 0, BITS_BINARY}, {"bitstring", 0, BITS_BITSTRING},
    {"bits", 0, BITS_BITSTRING}, {"utf8", 0, BITS_UTF8},
    {"utf16", 0, BITS_UTF16}, {"utf32", 0, BITS_UTF32}, {"signed", 1, 1},
    {"unsigned", 1, 0}, {"big", 2, BITS_BIG}, {"little", 2, BITS_LITTLE},
    {"native", 2, BITS_NATIVE}};

/* One type specifier word (integer, little, unit:8 ...) of a segment. */
static int
spec_word(struct ep *e, struct node *seg, const char *w, size_t n)
{
	char msg[TERM_ATOM_MAX + 32];
	size_t i;
	long u;

	if (n > 5 && strncmp(w, "unit:", 5) == 0) {
		for (i = 5, u = 0; i < n && i < 9; i++) {
			if (w[i] < '0' || w[i] > '9')
				break;
			u = u * 10 + (w[i] - '0');
		}
		if (i != n || u < 1 || u > 256) {
			snprintf(msg, sizeof msg,
			    "bit type {unit,%.*s} undefined", (int)(n - 5),
			    w + 5);
			return error_at(e, seg->line, seg->col, msg);
		}
		seg->seg.unit = (int)u;
		return 0;
	}
	for (i = 0; i < sizeof spec_words / sizeof *spec_words; i++)
		if (strlen(spec_words[i].name) == n &&
		    strncmp(spec_words[i].name, w, n) == 0)
			break;
	if (i == sizeof spec_words / sizeof *spec_words) {
		snprintf(msg, sizeof msg, "bit type %.*s undefined", (int)n, w);
		return error_at(e, seg->line, seg->col, msg);
	}
	if (spec_words[i].what == 0)
		seg->seg.type = spec_words[i].value;
	else if (spec_words[i].what == 1)
		seg->seg.is_signed = spec_words[i].value;
	else
		seg->seg.endian = spec_words[i].value;
	return 0;
}

/*
 * The specifiers after "/": words joined by "-". The scanner may hand
 * over "unit:8" or "binary-unit:4" as one host:port-shaped token; its
 * text is split the same way.
 */
static int
parse_specs(struct ep *e, struct node *seg)
{
	const struct token *t;
	const char *w, *dash;
	int64_t u;

	for (;;) {
		if ((t = peek(e, 0)) == NULL)
			return -1;
		if (t->kind == TOK_ADDR) {
			for (w = term_atom_name(t->value);; w = dash + 1) {
				dash = strchr(w, '-');
				if (spec_word(e, seg, w,
				        dash ? (size_t)(dash - w) : strlen(w)) <
				    0)
					return -1;
				if (dash == NULL)
					break;
			}
			parse_skip(e->p);
		} else if (t->kind != TOK_ATOM) {
			return syntax_error(e);
		} else if (term_atom_is(t->value, "unit")) {
			parse_skip(e->p);
			if (expect_punct(e, ':') < 0)
				return -1;
			if ((t = peek(e, 0)) == NULL)
				return -1;
			if (t->kind != TOK_INT ||
			    term_to_int64(t->value, &u) < 0 || u < 1 || u > 256)
				return error_at(e, seg->line, seg->col,
				    "bit type {unit,...} undefined");
			seg->seg.unit = (int)u;
			parse_skip(e->p);
		} else {
			if (spec_word(e, seg, term_atom_name(t->value),
			        term_atom_len(t->value)) < 0)
				return -1;
			parse_skip(e->p);
		}
		if (!is_punct(peek(e, 0), '-'))
			return 0;
		parse_skip(e->p);
	}
}

/* erl_lint's words for what bits_defaults refuses. */
static const char *
bits_error_text(const char *why)
{
	static const struct {
		const char *why, *text;
	} texts[] = {
	    {"utf_bittype_size_or_unit", "neither size nor unit must be "
	                                 "given for segments of type "
	                                 "utf8/utf16/utf32"},
	    {"bittype_unit", "a bit unit size must not be specified unless a "
	                     "size is specified too"},
	};
	size_t i;

	for (i = 0; i < sizeof texts / sizeof *texts; i++)
		if (strcmp(texts[i].why, why) == 0)
			return texts[i].text;
	return "bad bit type";
}

/* One segment: Value[:Size][/Specs]. */
static struct node *
parse_segment(struct ep *e)
{
	const struct token *t = peek(e, 0);
	struct node *s = node_new(e, N_SEG, t), *u;
	const char *why;

	s->seg.size = -1;
	if (t == NULL)
		return NULL;
	/* bit_expr: a prefix operator may stand before the value. */
	if (is_punct(t, '-') || is_punct(t, '+') || is_key(t, KW_BNOT) ||
	    is_key(t, KW_NOT)) {
		u = node_new(e, N_UNOP, t);
		u->op = t->kind == TOK_KEY ? t->punct | OP_KW : t->punct;
		parse_skip(e->p);
		if ((u->a = parse_max(e)) == NULL)
			return NULL;
		s->a = u;
	} else if (split_name_int(e, t, &s->a, &s->b))
		parse_skip(e->p);
	else if ((s->a = parse_max(e)) == NULL)
		return NULL;
	if (s->b == NULL && is_punct(peek(e, 0), ':')) {
		parse_skip(e->p);
		if ((s->b = parse_max(e)) == NULL)
			return NULL;
	}
	if (is_punct(peek(e, 0), '/')) {
		parse_skip(e->p);
		s->op = 1; /* specifiers were written */
		if (parse_specs(e, s) < 0)
			return NULL;
	}
	/* A size expression's value is known when evaluated: 0 for now. */
	if (s->b != NULL)
		s->seg.size = 0;
	if (bits_defaults(&s->seg, &why) < 0) {
		(void)error_at(e, s->line, s->col, bits_error_text(why));
		return NULL;
	}
	return s;
}

/*
 * << ... >>: a binary, or a binary comprehension when the first segment
 * (a bare value) is followed by "||".
 */
static struct node *
parse_binary(struct ep *e, const struct token *open)
{
	struct node *n = node_new(e, N_BIN, open), *x;
	struct nvec v = {NULL, 0, 0};

	if (is_punct(peek(e, 0), P_BINR)) {
		parse_skip(e->p);
		return n;
	}
	for (;;) {
		if ((x = parse_segment(e)) == NULL) {
			free(v.v);
			return NULL;
		}
		if (v.n == 0 && x->b == NULL && !x->op &&
		    is_punct(peek(e, 0), P_OROR)) {
			parse_skip(e->p);
			n->kind = N_BC;
			n->a = x->a;
			if (parse_qualifiers(e, n) == NULL ||
			    expect_punct(e, P_BINR) < 0)
				return NULL;
			return n;
		}
		nvec_push(&v, x);
		if (!is_punct(peek(e, 0), ','))
			break;
		parse_skip(e->p);
	}
	n->kids = nvec_done(e->a, &v);
	if (expect_punct(e, P_BINR) < 0)
		return NULL;
	return n;
}

/* #{K => V, K := V}: pairs into kids, exact[i] set for each K := V. */
static struct node *
parse_map(struct ep *e, const struct token *open, struct node *base)
{
	struct node *n = node_new(e, N_MAP, open), *k, *v;
	struct nvec kv = {NULL, 0, 0};
	unsigned char *exact = NULL;
	size_t i = 0;

	n->a = base;
	if (!is_punct(peek(e, 0), '}')) {
		for (;;) {
			if ((k = parse_expr(e)) == NULL)
				goto fail;
			exact = xreallocarray(exact, i + 1, 1);
			exact[i] = is_punct(peek(e, 0), P_ASSOC);
			if (!exact[i] && !is_punct(peek(e, 0), P_ARROW)) {
				syntax_error(e);
				goto fail;
			}
			parse_skip(e->p);
			if ((v = parse_expr(e)) == NULL)
				goto fail;
			nvec_push(&kv, k);
			nvec_push(&kv, v);
			i++;
			if (!is_punct(peek(e, 0), ','))
				break;
			parse_skip(e->p);
		}
	}
	n->exact = ast_alloc(e->a, i ? i : 1);
	if (i > 0)
		memcpy(n->exact, exact, i);
	free(exact);
	n->kids = nvec_done(e->a, &kv);
	if (expect_punct(e, '}') < 0)
		return NULL;
	return n;
fail:
	free(exact);
	free(kv.v);
	return NULL;
}

/* Collects the variables of a subtree (for a fun's closure). */
struct varset {
	uint32_t *v;
	size_t n, cap;
};

static void
varset_add(struct varset *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = id;
}

static void vars_of(struct varset *, const struct node *);

static void
vars_of_nodes(struct varset *s, const struct nodes *ns)
{
	uint32_t i;

	for (i = 0; i < ns->n; i++)
		vars_of(s, ns->v[i]);
}

static void
vars_of_clauses(struct varset *s, const struct clause *cl, uint32_t n)
{
	uint32_t i, g;

	for (i = 0; i < n; i++) {
		vars_of_nodes(s, &cl[i].pats);
		for (g = 0; g < cl[i].nguards; g++)
			vars_of_nodes(s, &cl[i].guards[g]);
		vars_of_nodes(s, &cl[i].body);
	}
}

static void
vars_of(struct varset *s, const struct node *n)
{
	if (n == NULL)
		return;
	if (n->kind == N_VAR) {
		if (strcmp(term_atom_name(n->t), "_") != 0)
			varset_add(s, n->t.n);
		return;
	}
	vars_of(s, n->a);
	vars_of(s, n->b);
	vars_of(s, n->c);
	vars_of_nodes(s, &n->kids);
	vars_of_nodes(s, &n->after);
	vars_of_clauses(s, n->cl, n->ncl);
	vars_of_clauses(s, n->cl2, n->ncl2);
}

/* fun ... end, fun Name/Arity, fun M:F/A. */
static struct node *
parse_fun(struct ep *e, const struct token *kw)
{
	struct node *n = node_new(e, N_FUN, kw);
	const struct token *t = peek(e, 0), *t1;
	struct varset vs = {NULL, 0, 0};
	uint32_t i, arity;

	if (t == NULL || (t1 = peek(e, 1)) == NULL)
		return NULL;
	if ((t->kind == TOK_ATOM && is_punct(t1, '/')) ||
	    ((t->kind == TOK_ATOM || t->kind == TOK_VAR) &&
	        is_punct(t1, ':'))) {
		/* fun Name/Arity or fun Mod:Name/Arity (not fun Var/Arity) */
		n->kind = N_FUNREF;
		if ((n->b = parse_max(e)) == NULL)
			return NULL;
		if (is_punct(peek(e, 0), ':')) {
			parse_skip(e->p);
			n->a = n->b;
			if ((n->b = parse_max(e)) == NULL)
				return NULL;
		}
		if (expect_punct(e, '/') < 0 || (n->c = parse_max(e)) == NULL)
			return NULL;
		return n;
	}
	if (t->kind == TOK_VAR && is_punct(t1, '('))
		n->t = t->value; /* a named fun: each clause skips the name */
	if (parse_clauses(e, &n->cl, &n->ncl, N_FUN) < 0 ||
	    expect_key(e, KW_END) < 0)
		return NULL;
	arity = n->cl[0].pats.n;
	for (i = 1; i < n->ncl; i++)
		if (n->cl[i].pats.n != arity) {
			error_at(
			    e, n->cl[i].line, n->cl[i].col, "head mismatch");
			return NULL;
		}
	vars_of_clauses(&vs, n->cl, n->ncl);
	n->nfree = (uint32_t)vs.n;
	n->free = ast_alloc(e->a, (vs.n ? vs.n : 1) * sizeof *n->free);
	if (vs.n)
		memcpy(n->free, vs.v, vs.n * sizeof *n->free);
	free(vs.v);
	return n;
}

/* try Exprs [of Clauses] [catch Clauses] [after Exprs] end */
static struct node *
parse_try(struct ep *e, const struct token *kw)
{
	struct node *n = node_new(e, N_TRY, kw);

	if (parse_exprs(e, &n->kids) < 0)
		return NULL;
	if (is_key(peek(e, 0), KW_OF)) {
		parse_skip(e->p);
		if (parse_clauses(e, &n->cl, &n->ncl, N_CASE) < 0)
			return NULL;
	}
	if (is_key(peek(e, 0), KW_CATCH)) {
		parse_skip(e->p);
		if (parse_clauses(e, &n->cl2, &n->ncl2, N_TRY) < 0)
			return NULL;
	}
	if (is_key(peek(e, 0), KW_AFTER)) {
		parse_skip(e->p);
		if (parse_exprs(e, &n->after) < 0)
			return NULL;
	}
	if (n->ncl2 == 0 && n->after.n == 0)
		return syntax_error(e), NULL;
	if (expect_key(e, KW_END) < 0)
		return NULL;
	return n;
}

/* receive [Clauses] [after T -> Exprs] end */
static struct node *
parse_receive(struct ep *e, const struct token *kw)
{
	struct node *n = node_new(e, N_RECEIVE, kw);

	if (!is_key(peek(e, 0), KW_AFTER) &&
	    parse_clauses(e, &n->cl, &n->ncl, N_CASE) < 0)
		return NULL;
	if (is_key(peek(e, 0), KW_AFTER)) {
		parse_skip(e->p);
		if ((n->a = parse_expr(e)) == NULL ||
		    expect_punct(e, P_RARROW) < 0 ||
		    parse_exprs(e, &n->after) < 0)
			return NULL;
	}
	if (expect_key(e, KW_END) < 0)
		return NULL;
	return n;
}

/* Adjacent strings are one: "ab" "cd". */
static term
take_strings(struct ep *e)
{
	term s = take_value(e), next, *v;
	size_t n, m, i;

	while (peek(e, 0) != NULL && peek(e, 0)->kind == TOK_STRING) {
		next = take_value(e);
		n = term_size(s);
		m = term_size(next);
		v = xreallocarray(NULL, n + m + 1, sizeof *v);
		for (i = 0; i < n; i++)
			v[i] = term_copy(term_elems(s)[i]);
		for (i = 0; i < m; i++)
			v[n + i] = term_copy(term_elems(next)[i]);
		term_free(s);
		term_free(next);
		s = term_list(n + m, v, term_nil());
		free(v);
	}
	return s;
}

/* expr_max: the operands of every operator. */
static struct node *
parse_max(struct ep *e)
{
	const struct token *t = peek(e, 0);
	struct node *n;

	if (t == NULL)
		return NULL;
	if (e->depth >= EXPR_DEPTH_MAX) {
		parse_error(e->p, t, "nesting deeper than %d", EXPR_DEPTH_MAX);
		return NULL;
	}
	switch (t->kind) {
	case TOK_VAR:
		n = node_new(e, N_VAR, t);
		n->t = take_value(e);
		return n;
	case TOK_ATOM:
	case TOK_INT:
	case TOK_FLOAT:
	case TOK_REF:
		n = node_new(e, N_LIT, t);
		n->t = keep(e->a, take_value(e));
		return n;
	case TOK_STRING:
		n = node_new(e, N_LIT, t);
		n->t = keep(e->a, take_strings(e));
		return n;
	case TOK_ADDR:
		n = node_new(e, N_ADDR, t);
		n->t = take_value(e);
		return n;
	case TOK_PUNCT:
	case TOK_KEY:
		break;
	default:
		syntax_error(e);
		return NULL;
	}
	e->depth++;
	n = NULL;
	if (t->kind == TOK_PUNCT) {
		struct token open = *t;

		switch (t->punct) {
		case '(':
			parse_skip(e->p);
			if ((n = parse_expr(e)) != NULL &&
			    expect_punct(e, ')') < 0)
				n = NULL;
			break;
		case '{':
			parse_skip(e->p);
			n = node_new(e, N_TUPLE, &open);
			if (!is_punct(peek(e, 0), '}') &&
			    parse_exprs(e, &n->kids) < 0)
				n = NULL;
			else if (expect_punct(e, '}') < 0)
				n = NULL;
			else
				n = fold(e, n);
			break;
		case '[':
			parse_skip(e->p);
			n = parse_list(e, &open);
			break;
		case P_BINL:
			parse_skip(e->p);
			n = parse_binary(e, &open);
			break;
		case P_MAPL:
			parse_skip(e->p);
			n = parse_map(e, &open, NULL);
			break;
		default:
			syntax_error(e);
		}
		e->depth--;
		return n;
	}
	{
		struct token kw = *t;

		parse_skip(e->p);
		switch (kw.punct) {
		case KW_BEGIN:
			n = node_new(e, N_BLOCK, &kw);
			if (parse_exprs(e, &n->kids) < 0 ||
			    expect_key(e, KW_END) < 0)
				n = NULL;
			break;
		case KW_CASE:
			n = node_new(e, N_CASE, &kw);
			if ((n->a = parse_expr(e)) == NULL ||
			    expect_key(e, KW_OF) < 0 ||
			    parse_clauses(e, &n->cl, &n->ncl, N_CASE) < 0 ||
			    expect_key(e, KW_END) < 0)
				n = NULL;
			break;
		case KW_IF:
			n = node_new(e, N_IF, &kw);
			if (parse_clauses(e, &n->cl, &n->ncl, N_IF) < 0 ||
			    expect_key(e, KW_END) < 0)
				n = NULL;
			break;
		case KW_RECEIVE:
			n = parse_receive(e, &kw);
			break;
		case KW_FUN:
			n = parse_fun(e, &kw);
			break;
		case KW_TRY:
			n = parse_try(e, &kw);
			break;
		default:
			parse_error(e->p, &kw, "syntax error before: %s",
			    scan_keywords[kw.punct]);
		}
	}
	e->depth--;
	return n;
}

/* Arguments "(" [Exprs] ")" into n->kids. */
static int
parse_args(struct ep *e, struct node *n)
{
	parse_skip(e->p); /* ( */
	if (is_punct(peek(e, 0), ')')) {
		parse_skip(e->p);
		return 0;
	}
	if (parse_exprs(e, &n->kids) < 0)
		return -1;
	return expect_punct(e, ')');
}

/*
 * Resolves a call whose module and name are literal atoms once, when
 * parsed (eval_resolve's rule); the rest is left to the evaluator.
 */
static void
resolve_call(struct node *n)
{
	term m = term_tuple_get(n->t, 0), f = term_tuple_get(n->t, 1);

	if (term_kind(f) != TERM_ATOM ||
	    (term_kind(m) != TERM_ATOM && term_kind(m) != TERM_NIL))
		return;
	n->cmd =
	    eval_resolve(term_kind(m) == TERM_ATOM ? term_atom_name(m) : NULL,
	        term_atom_name(f), n->kids.n, &n->bif);
	if (n->cmd != NULL)
		n->kind = N_CMD;
}

/* expr800 and calls: Max [":" Max] ["(" Args ")"]. */
static struct node *
parse_call(struct ep *e)
{
	const struct token *t = peek(e, 0);
	struct token first;
	struct node *n, *m = NULL, *call;

	if (t == NULL)
		return NULL;
	first = *t;
	first.value = term_nil();
	/* receive(T): the mailbox command of old, not the keyword. */
	if (is_key(t, KW_RECEIVE)) {
		const struct token *t1 = peek(e, 1);

		if (is_punct(t1, '(') && !t1->space_before) {
			n = node_new(e, N_CMD, t);
			n->cmd = cmd_find("receive");
			parse_skip(e->p);
			return parse_args(e, n) < 0 ? NULL : n;
		}
	}
	if ((n = parse_max(e)) == NULL)
		return NULL;
	if (is_punct(peek(e, 0), ':') && !e->no_remote &&
	    !new_line(e, peek(e, 0))) {
		parse_skip(e->p);
		m = n;
		if ((n = parse_max(e)) == NULL)
			return NULL;
		if (!is_punct(peek(e, 0), '('))
			return syntax_error(e), NULL;
	}
	if (!is_punct(peek(e, 0), '(') || new_line(e, peek(e, 0)))
		return n;
	call = node_new(e, N_CALL, &first);
	if (m == NULL && n->kind == N_LIT && term_kind(n->t) == TERM_ATOM) {
		call->t = keep(e->a, term_tuple2(term_nil(), term_copy(n->t)));
	} else if (m != NULL && m->kind == N_LIT && n->kind == N_LIT &&
	           term_kind(m->t) == TERM_ATOM &&
	           term_kind(n->t) == TERM_ATOM) {
		call->t =
		    keep(e->a, term_tuple2(term_copy(m->t), term_copy(n->t)));
	} else {
		/* F(X), M:F(X) with variables: resolved when evaluated. */
		call->a = n;
		call->b = m;
	}
	if (parse_args(e, call) < 0)
		return NULL;
	if (call->a == NULL)
		resolve_call(call);
	return call;
}

/* expr650: map updates on an operand, M#{...}#{...}. */
static struct node *
parse_update(struct ep *e)
{
	struct node *n = parse_call(e);
	struct token open;

	while (n != NULL && is_punct(peek(e, 0), P_MAPL) &&
	       !new_line(e, peek(e, 0))) {
		open = *peek(e, 0);
		parse_skip(e->p);
		n = parse_map(e, &open, n);
	}
	return n;
}

/* Binary operators: token, precedence level, associativity. */
enum { LEFT, RIGHT, NONASSOC };

struct binop {
	int kw; /* 1: a keyword */
	int code;
	int level;
	int assoc;
};

static const struct binop binops[] = {
    {0, '=', 100, RIGHT},
    {0, '!', 100, RIGHT},
    {1, KW_ORELSE, 150, RIGHT},
    {1, KW_ANDALSO, 160, RIGHT},
    {0, P_EQ, 200, NONASSOC},
    {0, P_NE, 200, NONASSOC},
    {0, P_XEQ, 200, NONASSOC},
    {0, P_XNE, 200, NONASSOC},
    {0, '<', 200, NONASSOC},
    {0, '>', 200, NONASSOC},
    {0, P_LE, 200, NONASSOC},
    {0, P_GE, 200, NONASSOC},
    {0, P_PLUSPLUS, 300, RIGHT},
    {0, P_MINUSMINUS, 300, RIGHT},
    {0, '+', 400, LEFT},
    {0, '-', 400, LEFT},
    {1, KW_BOR, 400, LEFT},
    {1, KW_BXOR, 400, LEFT},
    {1, KW_BSL, 400, LEFT},
    {1, KW_BSR, 400, LEFT},
    {1, KW_OR, 400, LEFT},
    {1, KW_XOR, 400, LEFT},
    {0, '/', 500, LEFT},
    {0, '*', 500, LEFT},
    {1, KW_DIV, 500, LEFT},
    {1, KW_REM, 500, LEFT},
    {1, KW_BAND, 500, LEFT},
    {1, KW_AND, 500, LEFT},
};

/*
 * The operator a token is, or NULL. Called after every operand, so the
 * row is found by an index built once rather than by a search.
 */
static const struct binop *
binop_of(const struct token *t)
{
	static signed char kw_row[KW_COUNT], punct_row[128];
	static int ready;
	size_t i;

	if (!ready) {
		memset(kw_row, -1, sizeof kw_row);
		memset(punct_row, -1, sizeof punct_row);
		for (i = 0; i < sizeof binops / sizeof *binops; i++)
			if (binops[i].kw)
				kw_row[binops[i].code] = (signed char)i;
		ready = 1;
	}
	if (t == NULL)
		return NULL;
	if (t->kind == TOK_KEY)
		return kw_row[t->punct] < 0 ? NULL : &binops[kw_row[t->punct]];
	if (t->kind != TOK_PUNCT)
		return NULL;
	if (t->punct < 128) {
		if (punct_row[t->punct] == -1) {
			punct_row[t->punct] = -2; /* looked up: none */
			for (i = 0; i < sizeof binops / sizeof *binops; i++)
				if (!binops[i].kw && binops[i].code == t->punct)
					punct_row[t->punct] = (signed char)i;
		}
		return punct_row[t->punct] < 0 ? NULL
		                               : &binops[punct_row[t->punct]];
	}
	for (i = 0; i < sizeof binops / sizeof *binops; i++)
		if (!binops[i].kw && binops[i].code == t->punct)
			return &binops[i];
	return NULL;
}

int
expr_needs_more(const struct token *t)
{
	/* What separates or joins the parts of an expression, beside its
	 * operators. */
	static const int joins[] = {',', ';', '|', ':', '#', P_RARROW, P_OROR,
	    P_LARROW, P_BGEN, P_ARROW, P_ASSOC};
	size_t i;

	if (t->kind == TOK_KEY)
		return t->punct != KW_END;
	if (binop_of(t) != NULL)
		return 1;
	if (t->kind != TOK_PUNCT)
		return 0;
	for (i = 0; i < sizeof joins / sizeof *joins; i++)
		if (joins[i] == t->punct)
			return 1;
	return 0;
}

/* expr600: prefix operators. */
static struct node *
parse_unary(struct ep *e)
{
	const struct token *t = peek(e, 0);
	struct node *n;
	term neg;

	if (t == NULL)
		return NULL;
	if (is_punct(t, '-') || is_punct(t, '+') || is_key(t, KW_BNOT) ||
	    is_key(t, KW_NOT)) {
		n = node_new(e, N_UNOP, t);
		n->op = t->kind == TOK_KEY ? t->punct | OP_KW : t->punct;
		parse_skip(e->p);
		if (e->opdepth >= EXPR_OPS_MAX) {
			parse_error(e->p, t, "operators nested deeper than %d",
			    EXPR_OPS_MAX);
			return NULL;
		}
		e->opdepth++;
		n->a = parse_unary(e);
		e->opdepth--;
		if (n->a == NULL)
			return NULL;
		/* -1 is a literal, as erl_parse makes it. */
		if (n->op == '-' && n->a->kind == N_LIT &&
		    num_neg(n->a->t, &neg) == 0) {
			n->kind = N_LIT;
			n->t = keep(e->a, neg);
		}
		return n;
	}
	return parse_update(e);
}

/* Operators by precedence climbing from level min. */
static struct node *
parse_binary_ops(struct ep *e, int min)
{
	struct node *lhs = parse_unary(e), *n;
	const struct binop *op;
	const struct token *t;
	int next, rc;

	while (lhs != NULL && (op = binop_of(t = peek(e, 0))) != NULL &&
	       op->level >= min && !new_line(e, t)) {
		n = node_new(e, N_OP, t);
		n->op = op->kw ? op->code | OP_KW : op->code;
		if (op->code == '=' && !op->kw)
			n->kind = N_MATCH;
		else if (op->kw && op->code == KW_ANDALSO)
			n->kind = N_ANDALSO;
		else if (op->kw && op->code == KW_ORELSE)
			n->kind = N_ORELSE;
		parse_skip(e->p);
		next = op->assoc == RIGHT ? op->level : op->level + 1;
		if (e->opdepth >= EXPR_OPS_MAX) {
			parse_error(e->p, t, "operators nested deeper than %d",
			    EXPR_OPS_MAX);
			return NULL;
		}
		e->opdepth++;
		n->a = lhs;
		/* {ok, S} = open inet stream: words after a top-level "=". */
		if (n->kind == N_MATCH && e->depth == 0 && e->top &&
		    (rc = parse_words(e, &n->b)) != 0) {
			if (rc < 0)
				return NULL;
		} else
			n->b = parse_binary_ops(e, next);
		e->opdepth--;
		if (n->b == NULL)
			return NULL;
		if (n->kind == N_MATCH && to_pattern(e, n->a) < 0)
			return NULL;
		if (op->assoc == NONASSOC &&
		    (op = binop_of(peek(e, 0))) != NULL && op->level == 200)
			return syntax_error(e), NULL;
		lhs = n;
	}
	return lhs;
}

static struct node *
parse_expr(struct ep *e)
{
	const struct token *t = peek(e, 0);
	struct node *n;

	if (t == NULL)
		return NULL;
	if (is_key(t, KW_CATCH)) {
		n = node_new(e, N_CATCH, t);
		parse_skip(e->p);
		if (e->opdepth >= EXPR_OPS_MAX) {
			parse_error(e->p, t, "operators nested deeper than %d",
			    EXPR_OPS_MAX);
			return NULL;
		}
		e->opdepth++;
		n->a = parse_expr(e);
		e->opdepth--;
		return n->a == NULL ? NULL : n;
	}
	return parse_binary_ops(e, 100);
}

static int
illegal_pattern(struct ep *e, const struct node *n)
{
	return error_at(e, n->line, n->col, "illegal pattern");
}

/*
 * Checks that an expression is a pattern and makes it one: "ab" ++ T
 * becomes [$a, $b | T]; anything that is no pattern is an error.
 */
static int
to_pattern(struct ep *e, struct node *n)
{
	uint32_t i;

	switch (n->kind) {
	case N_LIT:
	case N_VAR:
	case N_ADDR:
		return 0;
	case N_TUPLE:
	case N_CONS:
		for (i = 0; i < n->kids.n; i++)
			if (to_pattern(e, n->kids.v[i]) < 0)
				return -1;
		return n->a != NULL ? to_pattern(e, n->a) : 0;
	case N_MAP:
		if (n->a != NULL)
			return illegal_pattern(e, n);
		for (i = 0; i < n->kids.n / 2; i++)
			if (!n->exact[i] ||
			    to_pattern(e, n->kids.v[2 * i + 1]) < 0)
				return n->exact[i] ? -1 : illegal_pattern(e, n);
		return 0;
	case N_BIN:
		for (i = 0; i < n->kids.n; i++) {
			struct node *s = n->kids.v[i];

			if (s->a->kind != N_VAR && s->a->kind != N_LIT)
				return illegal_pattern(e, s);
		}
		return 0;
	case N_MATCH:
		return to_pattern(e, n->a) < 0 ? -1 : to_pattern(e, n->b);
	case N_OP:
		/* "prefix" ++ Tail */
		if (n->op == P_PLUSPLUS && n->a->kind == N_LIT &&
		    (term_kind(n->a->t) == TERM_NIL ||
		        (term_kind(n->a->t) == TERM_LIST &&
		            term_is_charlist(n->a->t)))) {
			struct node *lit = n->a, *tail = n->b;
			size_t k, len = term_size(lit->t);

			if (to_pattern(e, tail) < 0)
				return -1;
			if (len == 0) {
				*n = *tail;
				return 0;
			}
			n->kind = N_CONS;
			n->kids.n = (uint32_t)len;
			n->kids.v = ast_alloc(e->a, len * sizeof *n->kids.v);
			for (k = 0; k < len; k++)
				n->kids.v[k] = expr_lit(
				    e->a, term_copy(term_elems(lit->t)[k]));
			n->a = tail;
			n->b = NULL;
			return 0;
		}
		return illegal_pattern(e, n);
	default:
		return illegal_pattern(e, n);
	}
}

/* A token that may start a word-form argument. */
static int
starts_word_arg(const struct token *t)
{
	return scan_is_value(t->kind) || t->kind == TOK_ATOM ||
	       (t->kind == TOK_PUNCT &&
	           (t->punct == '{' || t->punct == '[' || t->punct == P_BINL ||
	               t->punct == P_MAPL ||
	               (t->punct == '-' && t->space_before)));
}

static int
ends_top(const struct token *t)
{
	return t->kind == TOK_EOF || t->kind == TOK_END ||
	       (t->kind == TOK_PUNCT && t->punct == ',');
}

/*
 * The word form: an unquoted command name followed by the end of the
 * expression or by an argument (open inet stream, close, recv S 0).
 * Returns 1 with *out, 0 when the tokens are no word form, -1 on error.
 */
static int
parse_words(struct ep *e, struct node **out)
{
	const struct token *t = peek(e, 0), *t1, *name;
	const struct cmd_entry *ce;
	struct nvec v = {NULL, 0, 0};
	struct node *n, *x;
	int skip = 1;

	if (t == NULL || (t1 = peek(e, 1)) == NULL)
		return -1;
	name = t;
	/* socket:supports msg_flags: the prefix must be the command's. */
	if (t->kind == TOK_ATOM && is_punct(t1, ':')) {
		if ((name = peek(e, 2)) == NULL || (t1 = peek(e, 3)) == NULL)
			return -1;
		if (name->kind != TOK_ATOM ||
		    cmd_find_in(term_atom_name(t->value),
		        term_atom_name(name->value)) == NULL)
			return 0;
		skip = 3;
	}
	if (name->kind != TOK_ATOM &&
	    !(is_key(name, KW_RECEIVE) && ends_top(t1)))
		return 0;
	if (e->p->sc.src[name->off] == '\'')
		return 0; /* a quoted atom is a term: 'close'. */
	if ((ce = cmd_find(term_atom_name(name->value))) == NULL)
		return 0;
	/* In a script a new line ends the words, whatever it holds. */
	if (e->p->newlines && t1->line > name->line)
		t1 = &(struct token){.kind = TOK_EOF};
	if (!ends_top(t1) && !(starts_word_arg(t1) && t1->space_before))
		return 0;
	n = node_new(e, N_CMD, t);
	n->cmd = ce;
	while (skip-- > 0)
		parse_skip(e->p);
	for (;;) {
		if ((t = peek(e, 0)) == NULL) {
			free(v.v);
			return -1;
		}
		if (ends_top(t) ||
		    (e->p->newlines && t->line > e->p->prev_line))
			break;
		if (t->kind == TOK_PUNCT && t->punct == '-') {
			/* sleep -1: a negative number */
			x = parse_unary(e);
		} else
			x = parse_max(e);
		if (x == NULL) {
			free(v.v);
			return -1;
		}
		nvec_push(&v, x);
	}
	n->kids = nvec_done(e->a, &v);
	*out = n;
	return 1;
}

int
expr_parse_top(struct parser *p, struct ast *a, struct node **out)
{
	struct ep e = {p, a, 0, 0, 0, 1};
	int rc;

	if ((rc = parse_words(&e, out)) != 0)
		return rc < 0 ? -1 : 0;
	return (*out = parse_expr(&e)) == NULL ? -1 : 0;
}

struct node *
expr_cmd_node(struct ast *a, const struct cmd_entry *ce, term *args, size_t n,
    char **words)
{
	struct node *c = ast_alloc(a, sizeof *c);
	size_t i;

	c->kind = N_CMD;
	c->t = term_nil();
	c->line = 1;
	c->col = 1;
	c->cmd = ce;
	c->words = words;
	c->kids.n = (uint32_t)n;
	c->kids.v = ast_alloc(a, (n ? n : 1) * sizeof *c->kids.v);
	for (i = 0; i < n; i++) {
		c->kids.v[i] = expr_lit(a, args[i]);
		/* An address word is decoded when the command runs. */
		if (term_kind(args[i]) == TERM_ADDR)
			c->kids.v[i]->kind = N_ADDR;
	}
	return c;
}
