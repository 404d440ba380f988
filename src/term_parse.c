/*
 * The term parser: atoms, numbers, strings, binaries, tuples, lists with
 * tails, maps, #Ref<...>, variables and the scanner's address literals
 * (TERM_ADDR: their text, which the language has sockaddr.c decode).
 * Depth is bounded so that no input can exhaust the C stack.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "term_parse.h"
#include "util.h"

void
parse_init(struct parser *p, const char *src, size_t len, int line)
{
	memset(p, 0, sizeof *p);
	scan_init(&p->sc, src, len, line);
}

void
parse_done(struct parser *p)
{
	int i;

	for (i = 0; i < p->nla; i++)
		scan_token_free(&p->la[(p->head + i) % PARSE_LOOKAHEAD]);
	p->nla = 0;
}

int
parse_error(struct parser *p, const struct token *t, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
	p->err_line = t ? t->line : p->sc.line;
	p->err_col = t ? t->col : p->sc.col;
	if (t != NULL && t->kind == TOK_EOF)
		p->incomplete = 1;
	return -1;
}

const struct token *
parse_fill(struct parser *p, int k)
{
	while (p->nla <= k) {
		if (p->failed)
			return NULL;
		if (scan_next(&p->sc,
		        &p->la[(p->head + p->nla) % PARSE_LOOKAHEAD]) < 0) {
			p->failed = 1;
			snprintf(p->err, sizeof p->err, "%s", p->sc.err);
			p->err_line = p->sc.err_line;
			p->err_col = p->sc.err_col;
			p->incomplete =
			    strncmp(p->sc.err, "unterminated", 12) == 0;
			return NULL;
		}
		p->nla++;
	}
	return &p->la[(p->head + k) % PARSE_LOOKAHEAD];
}

void
parse_skip(struct parser *p)
{
	if (parse_peek(p, 0) == NULL)
		return;
	p->prev_line = p->la[p->head].line;
	p->prev_end = p->la[p->head].end;
	scan_token_free(&p->la[p->head]);
	p->head = (p->head + 1) % PARSE_LOOKAHEAD;
	p->nla--;
}

int
parse_is(struct parser *p, int punct)
{
	const struct token *t = parse_peek(p, 0);

	return t != NULL && t->kind == TOK_PUNCT && t->punct == punct;
}

void
parse_token_text(const struct token *t, char *out, size_t n)
{
	/* After a scan error there is no token; the error says it all. */
	if (t == NULL) {
		snprintf(out, n, "a bad token");
		return;
	}
	switch (t->kind) {
	case TOK_EOF:
		snprintf(out, n, "end of input");
		break;
	case TOK_END:
		snprintf(out, n, "'.'");
		break;
	case TOK_ATOM:
	case TOK_VAR:
	case TOK_KEY:
		snprintf(out, n, "%s", term_atom_name(t->value));
		break;
	case TOK_PUNCT:
		if (t->punct > 0xffff)
			snprintf(out, n, "'%c%c%c'", t->punct >> 16,
			    (t->punct >> 8) & 0xff, t->punct & 0xff);
		else if (t->punct > 0xff)
			snprintf(
			    out, n, "'%c%c'", t->punct >> 8, t->punct & 0xff);
		else
			snprintf(out, n, "'%c'", t->punct);
		break;
	case TOK_STRING:
		snprintf(out, n, "a string");
		break;
	default:
		snprintf(out, n, "a %s",
		    t->kind == TOK_REF    ? "reference"
		    : t->kind == TOK_ADDR ? "socket address"
		                          : "number");
		break;
	}
}

int
parse_unexpected(struct parser *p, const char *want)
{
	const struct token *t = parse_peek(p, 0);
	char text[64];

	if (t == NULL)
		return -1;
	parse_token_text(t, text, sizeof text);
	if (want != NULL)
		return parse_error(
		    p, t, "syntax error before: %s (expected %s)", text, want);
	return parse_error(p, t, "syntax error before: %s", text);
}

static int
expect(struct parser *p, int punct, const char *want)
{
	if (!parse_is(p, punct))
		return parse_unexpected(p, want);
	parse_skip(p);
	return 0;
}

/* Takes the value out of the next token, which the caller has checked. */
static term
take(struct parser *p)
{
	term v = parse_cur(p)->value;

	parse_cur(p)->value = term_nil();
	parse_skip(p);
	return v;
}

static int parse_depth(struct parser *, term *, int);
static term parse_strings(struct parser *);
static term negate(term);

/* Elements up to the closing punct; a tail after | when lists allow it. */
static int
parse_seq(
    struct parser *p, struct term_vec *v, int close, term *tail, int depth)
{
	term t;

	if (parse_is(p, close)) {
		parse_skip(p);
		return 0;
	}
	for (;;) {
		if (parse_depth(p, &t, depth) < 0)
			return -1;
		term_vec_push(v, t);
		if (parse_is(p, ',')) {
			parse_skip(p);
			continue;
		}
		if (tail != NULL && parse_is(p, '|')) {
			parse_skip(p);
			if (parse_depth(p, tail, depth) < 0)
				return -1;
		}
		return expect(
		    p, close, close == ']' ? "',' or ']'" : "',' or '}'");
	}
}

/*
 * The :Size after an element of a binary: 1 with *size set, 0 when there
 * is none, -1 on error. The scanner reads ":3" right after a term as the
 * :port address shorthand, so that token's digits are a size too.
 */
static int
bin_size(struct parser *p, int64_t *size)
{
	const struct token *t = parse_peek(p, 0);
	const char *s;
	size_t i, n;
	int64_t v = 0;

	if (t == NULL)
		return -1;
	if (t->kind == TOK_ADDR) {
		s = term_atom_name(t->value);
		n = term_atom_len(t->value);
		if (n < 2 || s[0] != ':')
			return 0;
		for (i = 1; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (v <= PARSE_BIN_BITS_MAX)
				v = v * 10 + (s[i] - '0');
		if (i < n)
			return 0;
	} else if (t->kind == TOK_PUNCT && t->punct == ':') {
		parse_skip(p);
		if ((t = parse_peek(p, 0)) == NULL)
			return -1;
		if (t->kind != TOK_INT)
			return parse_unexpected(p, "a size");
		v = term_kind(t->value) == TERM_INT ? t->value.u.i : INT64_MAX;
	} else
		return 0;
	if (v > PARSE_BIN_BITS_MAX)
		return parse_error(
		    p, t, "size over %lld bits", (long long)PARSE_BIN_BITS_MAX);
	*size = v;
	parse_skip(p);
	return 1;
}

/*
 * One element of a binary: an integer or a string, each with an optional
 * constant :Size in bits, as erl_parse:parse_term reads them, so that a
 * printed bitstring reads back: <<1:3>>, <<"ab",3:4>>, <<"ab":16>> (each
 * character in 16 bits). An integer keeps its low Size bits (8 unless
 * given), as <<300>> is <<44>> and <<-1:4>> is <<15:4>>. A string may
 * be "..."/utf8, as ~tp prints a binary of UTF-8 text.
 */
static int
parse_bin_elem(struct parser *p, struct bits_writer *w)
{
	const struct token *t = parse_peek(p, 0);
	struct bits_seg seg = {BITS_INTEGER, BITS_BIG, 0, 8, 1};
	term v;
	int neg = 0, rc = 0, sized;
	size_t i;

	if (t == NULL)
		return -1;
	if (t->kind == TOK_PUNCT && t->punct == '-') {
		parse_skip(p);
		neg = 1;
		if ((t = parse_peek(p, 0)) == NULL)
			return -1;
	}
	if (t->kind == TOK_INT)
		v = neg ? negate(take(p)) : take(p);
	else if (t->kind == TOK_STRING && !neg)
		v = parse_strings(p);
	else
		return parse_unexpected(p, "an integer or a string");
	if ((sized = bin_size(p, &seg.size)) < 0) {
		term_free(v);
		return -1;
	}
	/* "..."/utf8, as ~tp prints a binary of UTF-8 text */
	if (!sized && term_kind(v) != TERM_INT && parse_is(p, '/') &&
	    (t = parse_peek(p, 1)) != NULL && t->kind == TOK_ATOM &&
	    term_atom_is(t->value, "utf8")) {
		parse_skip(p);
		parse_skip(p);
		seg.type = BITS_UTF8;
		seg.size = -1;
		seg.unit = 0;
	}
	/* Checked as it grows: "ab":N makes N bits of each character. */
	if (term_kind(v) == TERM_LIST) {
		for (i = 0; i < term_size(v) && rc == 0; i++) {
			rc = bits_put(w, &seg, term_list_get(v, i));
			if ((uint64_t)w->nbits > (uint64_t)PARSE_BIN_BITS_MAX)
				rc = -1;
		}
	} else if (term_kind(v) != TERM_NIL)
		rc = bits_put(w, &seg, v);
	term_free(v);
	if ((uint64_t)w->nbits > (uint64_t)PARSE_BIN_BITS_MAX)
		return parse_error(p, parse_peek(p, 0), "binary over %lld bits",
		    (long long)PARSE_BIN_BITS_MAX);
	if (rc < 0)
		return parse_error(
		    p, parse_peek(p, 0), "a character UTF-8 cannot encode");
	if (parse_is(p, '/'))
		return parse_unexpected(p,
		    "',' or '>>' (bit syntax types are not "
		    "supported)");
	return 0;
}

static int
parse_binary(struct parser *p, term *out)
{
	struct bits_writer w;

	bits_init(&w);
	if (!parse_is(p, P_BINR)) {
		for (;;) {
			if (parse_bin_elem(p, &w) < 0)
				goto err;
			if (!parse_is(p, ','))
				break;
			parse_skip(p);
		}
	}
	if (expect(p, P_BINR, "',' or '>>'") < 0)
		goto err;
	*out = bits_finish(&w);
	bits_free(&w);
	return 0;
err:
	bits_free(&w);
	return -1;
}

static int
parse_map(struct parser *p, term *out, int depth)
{
	struct term_vec keys = {0}, vals = {0};
	term k, v;

	if (!parse_is(p, '}')) {
		for (;;) {
			if (parse_depth(p, &k, depth) < 0)
				goto err;
			term_vec_push(&keys, k);
			/* := reads as => so a pattern can be written either way
			 */
			if (parse_is(p, P_ASSOC))
				parse_skip(p);
			else if (expect(p, P_ARROW, "'=>'") < 0)
				goto err;
			if (parse_depth(p, &v, depth) < 0)
				goto err;
			term_vec_push(&vals, v);
			if (!parse_is(p, ','))
				break;
			parse_skip(p);
		}
	}
	if (expect(p, '}', "',' or '}'") < 0)
		goto err;
	*out = term_map(keys.n, keys.v, vals.v);
	free(keys.v);
	free(vals.v);
	return 0;
err:
	term_vec_free(&keys);
	term_vec_free(&vals);
	return -1;
}

/* Adjacent strings join, as in Erlang: "ab" "cd" is "abcd". */
static term
parse_strings(struct parser *p)
{
	term s = take(p), next;
	const struct token *t;
	struct term_vec v = {0};
	size_t i;

	while ((t = parse_peek(p, 0)) != NULL && t->kind == TOK_STRING) {
		next = take(p);
		if (v.n == 0)
			for (i = 0; i < term_size(s); i++)
				term_vec_push(
				    &v, term_copy(term_list_get(s, i)));
		for (i = 0; i < term_size(next); i++)
			term_vec_push(&v, term_copy(term_list_get(next, i)));
		term_free(next);
	}
	if (v.n == 0)
		return s;
	term_free(s);
	s = term_list(v.n, v.v, term_nil());
	free(v.v);
	return s;
}

static term
negate(term t)
{
	size_t n;
	const uint32_t *w;

	switch (term_kind(t)) {
	case TERM_INT:
		if (t.u.i == INT64_MIN)
			return term_big(
			    1, (const uint32_t[]){0, 0x80000000u}, 2);
		return term_int(-t.u.i);
	case TERM_FLOAT:
		return term_float(-t.u.f);
	default:
		w = term_big_limbs(t, &n);
		{
			term r = term_big(-term_big_sign(t), w, n);

			term_free(t);
			return r;
		}
	}
}

static int
parse_depth(struct parser *p, term *out, int depth)
{
	const struct token *t = parse_peek(p, 0);
	struct term_vec v = {0};
	term tail = term_nil();

	if (t == NULL)
		return -1;
	if (depth >= PARSE_DEPTH_MAX)
		return parse_error(
		    p, t, "nesting deeper than %d", PARSE_DEPTH_MAX);
	switch (t->kind) {
	case TOK_ATOM:
	case TOK_VAR:
	case TOK_INT:
	case TOK_FLOAT:
	case TOK_REF:
	case TOK_ADDR:
		*out = take(p);
		return 0;
	case TOK_STRING:
		*out = parse_strings(p);
		return 0;
	case TOK_PUNCT:
		break;
	default:
		return parse_unexpected(p, "a term");
	}
	switch (t->punct) {
	case '-':
	case '+': {
		int minus = t->punct == '-';
		const struct token *n = parse_peek(p, 1);

		if (n == NULL)
			return -1;
		if (n->kind != TOK_INT && n->kind != TOK_FLOAT) {
			parse_skip(p);
			return parse_unexpected(p, "a number");
		}
		parse_skip(p);
		*out = minus ? negate(take(p)) : take(p);
		return 0;
	}
	case '{':
		parse_skip(p);
		if (parse_seq(p, &v, '}', NULL, depth + 1) < 0)
			goto err;
		*out = term_tuple(v.n, v.v);
		free(v.v);
		return 0;
	case '[':
		parse_skip(p);
		if (parse_seq(p, &v, ']', &tail, depth + 1) < 0)
			goto err;
		*out = term_list(v.n, v.v, tail);
		free(v.v);
		return 0;
	case P_BINL:
		parse_skip(p);
		return parse_binary(p, out);
	case P_MAPL:
		parse_skip(p);
		return parse_map(p, out, depth + 1);
	default:
		return parse_unexpected(p, "a term");
	}
err:
	term_vec_free(&v);
	term_free(tail);
	return -1;
}

int
parse_term(struct parser *p, term *out)
{
	return parse_depth(p, out, 0);
}

int
parse_term_string(const char *s, term *out)
{
	struct parser p;
	const struct token *t;
	int rc = -1;

	parse_init(&p, s, strlen(s), 1);
	if (parse_term(&p, out) == 0) {
		t = parse_peek(&p, 0);
		if (t != NULL && t->kind == TOK_EOF)
			rc = 0;
		else
			term_free(*out);
	}
	parse_done(&p);
	return rc;
}
