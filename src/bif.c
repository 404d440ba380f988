/*
 * The BIF table and what every BIF body shares: lookup by bisection,
 * raising exceptions the way erl does (with the argument explanations of
 * erl_erts_errors and erl_stdlib_errors), list and character-data
 * helpers and a stable merge sort. The bodies live in bif_erlang.c,
 * bif_lists.c, bif_lists_fun.c, bif_maps.c, bif_binary.c, bif_string.c
 * and bif_io.c.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bif.h"
#include "bif_lib.h"
#include "util.h"

#define BIF_ROW(m, f, a, fl) {#m, #f, a, fl, bif_##m##_##f##_##a},
#define BIF_OP_ROW(m, f, a, fl, body) {#m, f, a, fl, bif_##body},
const struct bif bif_table[] = {BIF_LIST(BIF_ROW, BIF_OP_ROW)};
#undef BIF_ROW
#undef BIF_OP_ROW
const size_t bif_table_size = NELEMS(bif_table);

/* Order of the table: module, then name, then arity. */
static int
row_cmp(const struct bif *b, const char *module, const char *name, unsigned a)
{
	int c;

	if ((c = strcmp(module, b->module)) != 0)
		return c;
	if (name == NULL)
		return 0;
	if ((c = strcmp(name, b->name)) != 0)
		return c;
	return a < b->arity ? -1 : a > b->arity;
}

/* The first row at or after (module, name, arity) in table order. */
static size_t
lower_bound(const char *module, const char *name, unsigned arity)
{
	size_t lo = 0, hi = bif_table_size, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (row_cmp(&bif_table[mid], module, name, arity) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct bif *
bif_find(const char *module, const char *name, unsigned arity)
{
	size_t i = lower_bound(module, name, arity);

	if (i < bif_table_size &&
	    row_cmp(&bif_table[i], module, name, arity) == 0)
		return &bif_table[i];
	return NULL;
}

int
bif_module_exists(const char *module)
{
	size_t i = lower_bound(module, NULL, 0);

	return i < bif_table_size &&
	       row_cmp(&bif_table[i], module, NULL, 0) == 0;
}

/*
 * Exceptions.
 */

int
bif_error(struct bif_ctx *ctx, term reason)
{
	size_t i;

	ctx->raised = 0;
	ctx->cls = EXC_ERROR;
	ctx->reason = reason;
	for (i = 0; i < BIF_ARGS_MAX; i++)
		ctx->why[i] = NULL;
	ctx->general = NULL;
	return -1;
}

int
bif_badarg(struct bif_ctx *ctx, int arg, const char *why)
{
	bif_error(ctx, term_atom("badarg"));
	if (arg >= 0 && arg < BIF_ARGS_MAX)
		ctx->why[arg] = why;
	return -1;
}

int
bif_fclause(struct bif_ctx *ctx)
{
	return bif_error(ctx, term_atom("function_clause"));
}

int
bif_error_with(struct bif_ctx *ctx, const char *tag, term t)
{
	return bif_error(ctx, term_tuple2(term_atom(tag), term_copy(t)));
}

int
bif_badmap(struct bif_ctx *ctx, term m, int arg)
{
	bif_error_with(ctx, "badmap", m);
	if (arg >= 0 && arg < BIF_ARGS_MAX)
		ctx->why[arg] = "not a map";
	return -1;
}

int
bif_call(struct bif_ctx *ctx, term fun, size_t n, const term *args, term *out)
{
	if (ctx->apply(ctx, fun, n, args, out) < 0) {
		/* The host's apply may have said it was stopped (2). */
		if (!ctx->raised)
			ctx->raised = 1;
		return -1;
	}
	return 0;
}

int
bif_fold(struct bif_ctx *ctx, term fun, size_t n, term *args, term *acc)
{
	term r;

	args[n - 1] = *acc;
	if (bif_call(ctx, fun, n, args, &r) < 0) {
		term_free(*acc);
		return -1;
	}
	term_free(*acc);
	*acc = r;
	return 0;
}

term
bif_tuple_with(term t, size_t i, term x)
{
	size_t n = term_size(t), j;
	term *e = xreallocarray(NULL, n, sizeof *e), r;

	for (j = 0; j < n; j++)
		e[j] = j == i ? x : term_copy(term_tuple_get(t, j));
	r = term_tuple(n, e);
	free(e);
	return r;
}

int
bif_is_fun(term t, uint32_t arity)
{
	return term_kind(t) == TERM_FUN && term_fun_arity(t) == arity;
}

int
bif_truth(struct bif_ctx *ctx, term r)
{
	if (term_is_atom(r, A_TRUE))
		return 1;
	if (term_is_atom(r, A_FALSE))
		return 0;
	bif_error(ctx, term_tuple2(term_atom("case_clause"), r));
	return -1;
}

/*
 * Lists.
 */

int
bif_list(term t, const term **e, size_t *n)
{
	switch (term_kind(t)) {
	case TERM_NIL:
		*e = NULL;
		*n = 0;
		return 0;
	case TERM_LIST:
		if (term_kind(term_list_tail(t)) != TERM_NIL)
			return -1;
		*e = term_elems(t);
		*n = term_size(t);
		return 0;
	default:
		return -1;
	}
}

int
bif_cons(term t, const term **e, size_t *n, term *tail)
{
	if (term_kind(t) == TERM_NIL) {
		*e = NULL;
		*n = 0;
		*tail = t;
		return 0;
	}
	if (term_kind(t) != TERM_LIST)
		return -1;
	*e = term_elems(t);
	*n = term_size(t);
	*tail = term_list_tail(t);
	return 0;
}

term
bif_list_from(term list, size_t i)
{
	if (term_kind(list) != TERM_LIST)
		return term_nil();
	return bif_list_of(term_elems(list) + i, term_size(list) - i,
	    term_copy(term_list_tail(list)));
}

term
bif_list_of(const term *e, size_t n, term tail)
{
	term *c, t;
	size_t i;

	if (n == 0)
		return tail;
	c = xreallocarray(NULL, n, sizeof *c);
	for (i = 0; i < n; i++)
		c[i] = term_copy(e[i]);
	t = term_list(n, c, tail);
	free(c);
	return t;
}

term
bif_bool(int b)
{
	return term_atom(b ? "true" : "false");
}

int
bif_concat(struct bif_ctx *ctx, const term *ls, size_t n, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t i, k, m;

	if (n == 0) {
		*out = term_nil();
		return 0;
	}
	for (i = 0; i + 1 < n; i++) {
		if (bif_list(ls[i], &e, &m) < 0) {
			term_vec_free(&v);
			return bif_badarg(ctx, -1, NULL);
		}
		for (k = 0; k < m; k++)
			term_vec_push(&v, term_copy(e[k]));
	}
	*out = term_vec_list(&v, term_copy(ls[n - 1]));
	return 0;
}

int
bif_append_all(struct bif_ctx *ctx, struct term_vec *v, term *out)
{
	int rc;

	term_vec_push(v, term_nil());
	rc = bif_concat(ctx, v->v, v->n, out);
	term_vec_free(v);
	return rc;
}

int
bif_int_range(term t, int64_t lo, int64_t hi, int64_t *v)
{
	if (term_kind(t) != TERM_INT || t.u.i < lo || t.u.i > hi)
		return -1;
	*v = t.u.i;
	return 0;
}

/*
 * Character data.
 */

void
bif_chars_add(struct bif_chars *s, uint32_t c)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->c = xreallocarray(s->c, s->cap, sizeof *s->c);
	}
	s->c[s->n++] = c;
}

void
bif_chars_free(struct bif_chars *s)
{
	free(s->c);
	memset(s, 0, sizeof *s);
}

int
bif_chars_utf8(const unsigned char *p, size_t n, struct bif_chars *s)
{
	size_t i = 0;
	uint32_t c;

	while (i < n) {
		if (utf8_next(p, n, &i, &c) < 0)
			return -1;
		bif_chars_add(s, c);
	}
	return 0;
}

static int
bin_chars(term t, struct bif_chars *s, int latin1)
{
	const unsigned char *p = term_bin_data(t);
	size_t i, n = term_bin_size(t);

	if (!latin1)
		return bif_chars_utf8(p, n, s);
	for (i = 0; i < n; i++)
		bif_chars_add(s, p[i]);
	return 0;
}

static int
chardata(term t, struct bif_chars *s, int latin1, int depth)
{
	const term *e;
	size_t i, n;
	term tail;

	if (depth > TERM_IODATA_DEPTH)
		return -1;
	switch (term_kind(t)) {
	case TERM_BINARY:
		/* OTP: unicode:characters_to_list(<<1:3>>) raises badarg. */
		if (!term_is_binary(t))
			return -1;
		return bin_chars(t, s, latin1);
	case TERM_NIL:
		return 0;
	case TERM_LIST:
		break;
	default:
		return -1;
	}
	e = term_elems(t);
	n = term_size(t);
	for (i = 0; i < n; i++) {
		if (term_kind(e[i]) == TERM_INT) {
			if (e[i].u.i < 0 || e[i].u.i > 0x10ffff ||
			    (e[i].u.i >= 0xd800 && e[i].u.i <= 0xdfff))
				return -1;
			bif_chars_add(s, (uint32_t)e[i].u.i);
		} else if (chardata(e[i], s, latin1, depth + 1) < 0)
			return -1;
	}
	tail = term_list_tail(t);
	if (term_kind(tail) == TERM_NIL)
		return 0;
	if (!term_is_binary(tail))
		return -1;
	return bin_chars(tail, s, latin1);
}

int
bif_chardata(term t, struct bif_chars *s, int latin1)
{
	return chardata(t, s, latin1, 0);
}

term
bif_chars_binary(const uint32_t *c, size_t n)
{
	struct buf b;
	size_t i;
	term t;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_add_utf8(&b, c[i]);
	t = term_binary(b.data, b.len);
	buf_free(&b);
	return t;
}

/*
 * Sorting: a bottom-up merge sort, stable as lists:sort/1,2 are, that
 * never calls the comparison more than n log n times.
 */

static int
merge_runs(term *a, size_t lo, size_t mid, size_t hi, term *tmp, bif_le_fn le,
    void *arg)
{
	size_t i = lo, j = mid, k = lo;
	int r = 0;

	while (i < mid && j < hi) {
		/* On a raise, still copy every term back into a. */
		if ((r = le(a[i], a[j], arg)) < 0)
			break;
		tmp[k++] = r ? a[i++] : a[j++];
	}
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < hi)
		tmp[k++] = a[j++];
	memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
	return r < 0 ? -1 : 0;
}

int
bif_sort(term *a, size_t n, bif_le_fn le, void *arg)
{
	term *tmp;
	size_t w, lo;
	int rc = 0;

	if (n < 2)
		return 0;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	for (w = 1; w < n && rc == 0; w *= 2)
		for (lo = 0; lo + w < n && rc == 0; lo += 2 * w)
			rc = merge_runs(a, lo, lo + w,
			    lo + 2 * w < n ? lo + 2 * w : n, tmp, le, arg);
	free(tmp);
	return rc;
}
