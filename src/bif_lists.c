/*
 * The lists module, but for the functions that take a fun and the sorts
 * (bif_lists_fun.c). Each function raises what OTP 25's lists.erl raises
 * for the same arguments: function_clause where no clause matches
 * (improper lists, wrong types in guards), {case_clause, V} where a case
 * finds no branch, and badarg from the BIFs lists.erl calls (member,
 * keyfind, reverse/2, ++). Where lists.erl walks part of a list before
 * it meets a bad tail, these answer what that part decides.
 *
 * Lists are arrays here (term.h), so every function builds its result
 * from an array in one pass: no quadratic copying on long lists.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bif_lib.h"
#include "num.h"
#include "util.h"

static int
badarith(struct bif_ctx *ctx)
{
	return bif_error(ctx, term_atom("badarith"));
}

/*
 * seq/2,3.
 */

/* The n integers first, first + inc, ...; -1 when n is too large. */
static int
seq_list(struct bif_ctx *ctx, term first, term inc, term n, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	term x, next;
	int64_t i, count;

	if (term_to_int64(n, &count) < 0 || count > (int64_t)(SIZE_MAX / 64))
		return bif_error(ctx, term_atom("system_limit"));
	x = term_copy(first);
	for (i = 0; i < count; i++) {
		term_vec_push(&v, x);
		if (num_add(x, inc, &next) < 0)
			fatal("seq: integers do not add");
		x = next;
	}
	term_free(x);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

int
bif_lists_seq_2(struct bif_ctx *ctx, const term *a, term *out)
{
	term n, d;
	int rc;

	if (!term_is_integer(a[0]) || !term_is_integer(a[1]))
		return bif_fclause(ctx);
	/* N = Last - First + 1, no list when it is negative. */
	num_sub(a[1], a[0], &d);
	num_add(d, term_int(1), &n);
	term_free(d);
	if (term_compare(n, term_int(0)) < 0) {
		term_free(n);
		return bif_fclause(ctx);
	}
	rc = seq_list(ctx, a[0], term_int(1), n, out);
	term_free(n);
	return rc;
}

int
bif_lists_seq_3(struct bif_ctx *ctx, const term *a, term *out)
{
	term first = a[0], last = a[1], inc = a[2], b, d, n;
	int sign, cmp, rc;

	if (!term_is_integer(first) || !term_is_integer(last) ||
	    !term_is_integer(inc)) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = term_is_integer(first) ? NULL : "not an integer";
		ctx->why[1] = term_is_integer(last) ? NULL : "not an integer";
		ctx->why[2] = term_is_integer(inc) ? NULL : "not an integer";
		return -1;
	}
	sign = term_compare(inc, term_int(0));
	/* B = First - Inc: the list is empty when B is already Last. */
	num_sub(first, inc, &b);
	cmp = term_compare(b, last);
	term_free(b);
	if ((sign > 0 && cmp <= 0) || (sign < 0 && cmp >= 0)) {
		/* N = (Last - First + Inc) div Inc */
		num_sub(last, first, &d);
		num_add(d, inc, &b);
		term_free(d);
		num_div(b, inc, &n);
		term_free(b);
		rc = seq_list(ctx, first, inc, n, out);
		term_free(n);
		return rc;
	}
	if (sign == 0 && term_compare(first, last) == 0) {
		*out = bif_list_of(&first, 1, term_nil());
		return 0;
	}
	return bif_badarg(ctx, 2,
	    sign <= 0 && cmp <= 0 ? "not a positive increment"
	                          : "not a negative increment");
}

/*
 * Sums and extremes.
 */

/* max/1 and min/1 keep the first of equal elements. */
static int
extreme(struct bif_ctx *ctx, term list, int sign, term *out)
{
	const term *e;
	size_t n, i, best = 0;
	term tail;

	if (bif_cons(list, &e, &n, &tail) < 0 || n == 0 ||
	    term_kind(tail) != TERM_NIL)
		return bif_fclause(ctx);
	for (i = 1; i < n; i++)
		if (term_compare(e[i], e[best]) * sign > 0)
			best = i;
	*out = term_copy(e[best]);
	return 0;
}

BIF_VIA(bif_lists_max_1, extreme(ctx, a[0], 1, out))
BIF_VIA(bif_lists_min_1, extreme(ctx, a[0], -1, out))

int
bif_lists_sum_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	term tail, sum, next;

	if (bif_cons(a[0], &e, &n, &tail) < 0)
		return bif_fclause(ctx);
	sum = term_int(0);
	for (i = 0; i < n; i++) {
		if (num_add(sum, e[i], &next) < 0) {
			term_free(sum);
			return badarith(ctx);
		}
		term_free(sum);
		sum = next;
	}
	if (term_kind(tail) != TERM_NIL) {
		term_free(sum);
		return bif_fclause(ctx);
	}
	*out = sum;
	return 0;
}

/*
 * Lookup: member, nth, key functions.
 */

/* Where the list BIFs meet a tail that is no list. */
static int
list_badarg(struct bif_ctx *ctx, int arg, term list)
{
	return bif_badarg(ctx, arg,
	    term_kind(list) == TERM_LIST ? "not a proper list" : "not a list");
}

int
bif_lists_member_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	term tail;

	if (bif_cons(a[1], &e, &n, &tail) < 0)
		return list_badarg(ctx, 1, a[1]);
	for (i = 0; i < n; i++)
		if (term_equal(e[i], a[0])) {
			*out = term_atom_of(A_TRUE);
			return 0;
		}
	if (term_kind(tail) != TERM_NIL)
		return list_badarg(ctx, 1, a[1]);
	*out = term_atom_of(A_FALSE);
	return 0;
}

/*
 * An integer N used as a count down a list (nth/2, nthtail/2): 0 with
 * it, or -1 with erl's error: function_clause, or badarith where
 * lists.erl computes N - 1 on a term that is no number.
 */
static int
count_arg(struct bif_ctx *ctx, term nt, const term *list, int64_t *n)
{
	if (term_kind(nt) == TERM_INT) {
		*n = nt.u.i;
		return 0;
	}
	if (!num_is_number(nt) && term_kind(*list) == TERM_LIST)
		return badarith(ctx);
	return bif_fclause(ctx);
}

int
bif_lists_nth_2(struct bif_ctx *ctx, const term *a, term *out)
{
	int64_t i = 0;

	if (count_arg(ctx, a[0], &a[1], &i) < 0)
		return -1;
	if (term_kind(a[1]) != TERM_LIST || i < 1 ||
	    (uint64_t)i > term_size(a[1]))
		return bif_fclause(ctx);
	*out = term_copy(term_list_get(a[1], (size_t)i - 1));
	return 0;
}

int
bif_lists_nthtail_2(struct bif_ctx *ctx, const term *a, term *out)
{
	int64_t i = 0;

	if (count_arg(ctx, a[0], &a[1], &i) < 0)
		return -1;
	if (!term_is_list(a[1]) || i < 0 || (uint64_t)i > term_size(a[1]))
		return bif_fclause(ctx);
	*out = i == 0 ? term_copy(a[1]) : bif_list_from(a[1], (size_t)i);
	return 0;
}

/* Element pos (0-based) of t, when t is a tuple that long. */
static const term *
key_of(term t, size_t pos)
{
	if (term_kind(t) != TERM_TUPLE || term_size(t) <= pos)
		return NULL;
	return &term_elems(t)[pos];
}

/*
 * The first tuple of list whose element pos is == key: its index, n
 * when none is, -1 when the list has a bad tail and no such tuple.
 */
static long
key_index(term key, size_t pos, term list)
{
	const term *e, *k;
	size_t n, i;
	term tail;

	if (bif_cons(list, &e, &n, &tail) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((k = key_of(e[i], pos)) != NULL &&
		    term_compare(*k, key) == 0)
			return (long)i;
	return term_kind(tail) == TERM_NIL ? (long)n : -1;
}

/* keyfind/3 and keymember/3 are BIFs: badarg, explained. */
static int
keyfind(struct bif_ctx *ctx, const term *a, long *i)
{
	const char *pos_why = NULL;
	const term *e;
	size_t n;
	int64_t pos;

	if (!term_is_integer(a[1]))
		pos_why = "not an integer";
	else if (bif_int_range(a[1], 1, INT64_MAX, &pos) < 0)
		pos_why = "out of range";
	if (pos_why == NULL &&
	    (*i = key_index(a[0], (size_t)pos - 1, a[2])) >= 0)
		return 0;
	if (bif_list(a[2], &e, &n) < 0)
		list_badarg(ctx, 2, a[2]);
	else
		bif_badarg(ctx, -1, NULL);
	ctx->why[1] = pos_why;
	return -1;
}

int
bif_lists_keyfind_3(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if (keyfind(ctx, a, &i) < 0)
		return -1;
	if ((size_t)i == term_size(a[2]))
		*out = term_atom_of(A_FALSE);
	else
		*out = term_copy(term_list_get(a[2], (size_t)i));
	return 0;
}

int
bif_lists_keymember_3(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if (keyfind(ctx, a, &i) < 0)
		return -1;
	*out = bif_bool((size_t)i != term_size(a[2]));
	return 0;
}

/*
 * keydelete/3, keyreplace/4, keystore/4 and keytake/3: the position
 * (guarded is_integer(N), N > 0, and New a tuple where there is one) and
 * the index of the tuple found, or function_clause.
 */
static int
key_edit(struct bif_ctx *ctx, const term *a, const term *new, long *i)
{
	int64_t pos;

	if (bif_int_range(a[1], 1, INT64_MAX, &pos) < 0 ||
	    (new != NULL &&term_kind(*new) != TERM_TUPLE) ||
	    (*i = key_index(a[0], (size_t)pos - 1, a[2])) < 0)
		return bif_fclause(ctx);
	return 0;
}

/* The list with element i replaced by new (consumed), or dropped. */
static term
list_edit(term list, size_t i, const term *new)
{
	struct term_vec v = {NULL, 0, 0};
	size_t k, n = term_size(list);

	for (k = 0; k < n; k++) {
		if (k != i)
			term_vec_push(&v, term_copy(term_list_get(list, k)));
		else if (new != NULL)
			term_vec_push(&v, term_copy(*new));
	}
	return term_vec_list(&v, term_copy(term_list_tail(list)));
}

int
bif_lists_keydelete_3(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if (key_edit(ctx, a, NULL, &i) < 0)
		return -1;
	*out = list_edit(a[2], (size_t)i, NULL);
	return 0;
}

int
bif_lists_keyreplace_4(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if (key_edit(ctx, a, &a[3], &i) < 0)
		return -1;
	*out = list_edit(a[2], (size_t)i, &a[3]);
	return 0;
}

int
bif_lists_keystore_4(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if (key_edit(ctx, a, &a[3], &i) < 0)
		return -1;
	if ((size_t)i < term_size(a[2]))
		*out = list_edit(a[2], (size_t)i, &a[3]);
	else
		*out = bif_list_of(term_size(a[2]) ? term_elems(a[2]) : NULL,
		    term_size(a[2]), bif_list_of(&a[3], 1, term_nil()));
	return 0;
}

int
bif_lists_keytake_3(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if (key_edit(ctx, a, NULL, &i) < 0)
		return -1;
	if ((size_t)i == term_size(a[2]))
		*out = term_atom_of(A_FALSE);
	else
		*out = term_tuple3(term_atom("value"),
		    term_copy(term_list_get(a[2], (size_t)i)),
		    list_edit(a[2], (size_t)i, NULL));
	return 0;
}

/*
 * Building and taking apart.
 */

int
bif_lists_reverse_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	term tail;
	struct term_vec v = {NULL, 0, 0};

	if (bif_cons(a[0], &e, &n, &tail) < 0 ||
	    (term_kind(tail) != TERM_NIL && n < 2))
		return bif_fclause(ctx);
	/* [A, B | L] goes on to reverse(L, [B, A]), a BIF. */
	if (term_kind(tail) != TERM_NIL)
		return bif_badarg(
		    ctx, 0, n == 2 ? "not a list" : "not a proper list");
	for (i = n; i-- > 0;)
		term_vec_push(&v, term_copy(e[i]));
	*out = term_vec_list(&v, term_nil());
	return 0;
}

int
bif_lists_reverse_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	struct term_vec v = {NULL, 0, 0};

	if (bif_list(a[0], &e, &n) < 0)
		return list_badarg(ctx, 0, a[0]);
	for (i = n; i-- > 0;)
		term_vec_push(&v, term_copy(e[i]));
	*out = term_vec_list(&v, term_copy(a[1]));
	return 0;
}

BIF_VIA(bif_lists_append_2, bif_concat(ctx, a, 2, out))

int
bif_lists_append_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_fclause(ctx);
	return bif_concat(ctx, e, n, out);
}

BIF_VIA(bif_lists_subtract_2, bif_erlang_subtract_2(ctx, a, out))

/* thing_to_list/1 of concat/1: integers, floats, atoms and lists. */
int
bif_lists_concat_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t n, i;
	term tail, part;
	bif_fn conv;

	if (bif_cons(a[0], &e, &n, &tail) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n; i++) {
		switch (term_kind(e[i])) {
		case TERM_INT:
		case TERM_BIG:
			conv = bif_erlang_integer_to_list_1;
			break;
		case TERM_FLOAT:
			conv = bif_erlang_float_to_list_1;
			break;
		case TERM_ATOM:
			conv = bif_erlang_atom_to_list_1;
			break;
		default:
			conv = NULL;
			break;
		}
		if (conv != NULL)
			conv(ctx, &e[i], &part);
		else if (term_is_list(e[i]))
			part = term_copy(e[i]);
		else
			break;
		term_vec_push(&v, part);
	}
	if (i < n || term_kind(tail) != TERM_NIL) {
		term_vec_free(&v);
		return bif_fclause(ctx);
	}
	return bif_append_all(ctx, &v, out);
}

/*
 * flatten/1,2: deep lists walked with an explicit stack, so nesting as
 * deep as memory allows cannot exhaust the C stack.
 */
static int
flatten(struct bif_ctx *ctx, term list, term tail, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	struct frame {
		term list;
		size_t i;
	} *st = NULL;
	size_t depth = 0, cap = 0;
	term x;

	if (!term_is_list(list) || !term_is_list(tail))
		return bif_fclause(ctx);
	st = xreallocarray(NULL, cap = 16, sizeof *st);
	st[depth++] = (struct frame){list, 0};
	while (depth > 0) {
		struct frame *f = &st[depth - 1];

		if (f->i == term_size(f->list)) {
			if (term_kind(term_list_tail(f->list)) != TERM_NIL) {
				term_vec_free(&v);
				free(st);
				return bif_fclause(ctx);
			}
			depth--;
			continue;
		}
		x = term_list_get(f->list, f->i++);
		if (!term_is_list(x)) {
			term_vec_push(&v, term_copy(x));
			continue;
		}
		if (depth == cap)
			st = xreallocarray(st, cap *= 2, sizeof *st);
		st[depth++] = (struct frame){x, 0};
	}
	free(st);
	*out = term_vec_list(&v, term_copy(tail));
	return 0;
}

BIF_VIA(bif_lists_flatten_1, flatten(ctx, a[0], term_nil(), out))
BIF_VIA(bif_lists_flatten_2, flatten(ctx, a[0], a[1], out))

/* flatlength/1: the length flatten/1 would give (its exceptions too). */
int
bif_lists_flatlength_1(struct bif_ctx *ctx, const term *a, term *out)
{
	term flat;

	if (flatten(ctx, a[0], term_nil(), &flat) < 0)
		return -1;
	*out = term_int((int64_t)term_size(flat));
	term_free(flat);
	return 0;
}

int
bif_lists_duplicate_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	int64_t n, i;

	if (bif_int_range(a[0], 0, INT64_MAX, &n) < 0)
		return bif_fclause(ctx);
	if ((uint64_t)n > SIZE_MAX / 64)
		return bif_error(ctx, term_atom("system_limit"));
	for (i = 0; i < n; i++)
		term_vec_push(&v, term_copy(a[1]));
	*out = term_vec_list(&v, term_nil());
	return 0;
}

int
bif_lists_last_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_LIST ||
	    term_kind(term_list_tail(a[0])) != TERM_NIL)
		return bif_fclause(ctx);
	*out = term_copy(term_list_get(a[0], term_size(a[0]) - 1));
	return 0;
}

int
bif_lists_droplast_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_LIST ||
	    term_kind(term_list_tail(a[0])) != TERM_NIL)
		return bif_fclause(ctx);
	*out = bif_list_of(term_elems(a[0]), term_size(a[0]) - 1, term_nil());
	return 0;
}

/* zip/2 and zip3/3: tuples of the elements of n lists of one length. */
static int
zip(struct bif_ctx *ctx, const term *a, size_t nl, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *l[3];
	size_t n[3], i, j;
	term t[3];

	for (j = 0; j < nl; j++)
		if (bif_list(a[j], &l[j], &n[j]) < 0 || n[j] != n[0])
			return bif_fclause(ctx);
	for (i = 0; i < n[0]; i++) {
		for (j = 0; j < nl; j++)
			t[j] = term_copy(l[j][i]);
		term_vec_push(&v, term_tuple(nl, t));
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_lists_zip_2, zip(ctx, a, 2, out))
BIF_VIA(bif_lists_zip3_3, zip(ctx, a, 3, out))

int
bif_lists_unzip_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec xs = {NULL, 0, 0}, ys = {NULL, 0, 0};
	const term *e;
	size_t n, i;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n; i++)
		if (term_kind(e[i]) != TERM_TUPLE || term_size(e[i]) != 2)
			return bif_fclause(ctx);
	for (i = 0; i < n; i++) {
		term_vec_push(&xs, term_copy(term_tuple_get(e[i], 0)));
		term_vec_push(&ys, term_copy(term_tuple_get(e[i], 1)));
	}
	*out = term_tuple2(
	    term_vec_list(&xs, term_nil()), term_vec_list(&ys, term_nil()));
	return 0;
}

int
bif_lists_unzip3_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec vs[3] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
	term t[3];
	const term *e;
	size_t n, i, j;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n; i++)
		if (term_kind(e[i]) != TERM_TUPLE || term_size(e[i]) != 3)
			return bif_fclause(ctx);
	for (i = 0; i < n; i++)
		for (j = 0; j < 3; j++)
			term_vec_push(
			    &vs[j], term_copy(term_tuple_get(e[i], j)));
	for (j = 0; j < 3; j++)
		t[j] = term_vec_list(&vs[j], term_nil());
	*out = term_tuple(3, t);
	return 0;
}

/* split/2 raises a bare badarg for a bad count or a list too short. */
int
bif_lists_split_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;
	term tail;
	int64_t k;

	if (bif_int_range(a[0], 0, INT64_MAX, &k) < 0 ||
	    bif_cons(a[1], &e, &n, &tail) < 0)
		return bif_badarg(ctx, -1, NULL);
	if ((uint64_t)k > n)
		return term_kind(tail) == TERM_NIL ? bif_badarg(ctx, -1, NULL)
		                                   : bif_fclause(ctx);
	*out = term_tuple2(bif_list_of(e, (size_t)k, term_nil()),
	    (size_t)k == n ? term_copy(tail) : bif_list_from(a[1], (size_t)k));
	return 0;
}

/* The first len elements of list; function_clause where lists.erl has none. */
static int
take(struct bif_ctx *ctx, term list, term len, term *out)
{
	const term *e;
	size_t n;
	term tail;
	int64_t k;

	if (term_kind(len) != TERM_INT || bif_cons(list, &e, &n, &tail) < 0 ||
	    len.u.i < 0)
		return bif_fclause(ctx);
	k = len.u.i;
	if ((uint64_t)k > n && term_kind(tail) != TERM_NIL)
		return bif_fclause(ctx);
	*out = bif_list_of(e, (uint64_t)k < n ? (size_t)k : n, term_nil());
	return 0;
}

BIF_VIA(bif_lists_sublist_2, take(ctx, a[0], a[1], out))

int
bif_lists_sublist_3(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;
	term tail, rest;
	int64_t s;
	int rc;

	if (term_kind(a[1]) != TERM_INT || a[1].u.i < 1 ||
	    bif_cons(a[0], &e, &n, &tail) < 0)
		return bif_fclause(ctx);
	s = a[1].u.i - 1;
	/* Dropping S - 1 elements: a list that ends first gives []. */
	if ((uint64_t)s > n) {
		if (term_kind(tail) != TERM_NIL)
			return bif_fclause(ctx);
		*out = term_nil();
		return 0;
	}
	rest =
	    (uint64_t)s == n ? term_copy(tail) : bif_list_from(a[0], (size_t)s);
	rc = take(ctx, rest, a[2], out);
	term_free(rest);
	return rc;
}

int
bif_lists_delete_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	term tail;

	if (bif_cons(a[1], &e, &n, &tail) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n && !term_equal(e[i], a[0]); i++)
		;
	if (i == n && term_kind(tail) != TERM_NIL)
		return bif_fclause(ctx);
	*out = i == n ? term_copy(a[1]) : list_edit(a[1], i, NULL);
	return 0;
}

int
bif_lists_join_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t n, i;

	if (bif_list(a[1], &e, &n) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n; i++) {
		if (i > 0)
			term_vec_push(&v, term_copy(a[0]));
		term_vec_push(&v, term_copy(e[i]));
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

int
bif_lists_prefix_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *p, *e;
	size_t np, n, i;
	term ptail, tail;

	if (bif_cons(a[0], &p, &np, &ptail) < 0 ||
	    bif_cons(a[1], &e, &n, &tail) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < np && i < n && term_equal(p[i], e[i]); i++)
		;
	/* prefix([], L) and prefix([_ | _], L) need L to be a list. */
	if ((i == np && term_kind(ptail) != TERM_NIL) ||
	    (i == n && term_kind(tail) != TERM_NIL))
		return bif_fclause(ctx);
	*out = bif_bool(i == np);
	return 0;
}

int
bif_lists_suffix_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *s, *e;
	size_t ns, n, i;

	/* length(List) - length(Suffix): length/1's badarg. */
	if (bif_list(a[1], &e, &n) < 0 || bif_list(a[0], &s, &ns) < 0)
		return bif_badarg(ctx, 0, "not a list");
	for (i = 0; i < ns && ns <= n; i++)
		if (!term_equal(s[i], e[n - ns + i]))
			break;
	*out = bif_bool(ns <= n && i == ns);
	return 0;
}

static int
enumerate(struct bif_ctx *ctx, term from, term list, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t n, i;
	term idx, next;

	if (!term_is_integer(from) || bif_list(list, &e, &n) < 0)
		return bif_fclause(ctx);
	idx = term_copy(from);
	for (i = 0; i < n; i++) {
		term_vec_push(&v, term_tuple2(term_copy(idx), term_copy(e[i])));
		num_add(idx, term_int(1), &next);
		term_free(idx);
		idx = next;
	}
	term_free(idx);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_lists_enumerate_1, enumerate(ctx, term_int(1), a[0], out))
BIF_VIA(bif_lists_enumerate_2, enumerate(ctx, a[0], a[1], out))

/*
 * uniq/1 keeps the first of exactly equal elements (1 and 1.0 both
 * stay, as map keys do in lists.erl): a stable sort of the indices
 * brings candidates together, so long lists take n log n.
 */
static int
le_index(term x, term y, void *arg)
{
	const term *e = arg;

	return term_compare(e[x.u.i], e[y.u.i]) <= 0;
}

/*
 * The elements of e whose key (keys[i], =:=) no earlier element has,
 * in order: uniq/1 (the elements are their keys) and uniq/2.
 */
term
bif_uniq_by(const term *e, const term *keys, size_t n)
{
	struct term_vec v = {NULL, 0, 0};
	term *ix;
	unsigned char *dup;
	size_t i, j, run;

	ix = xreallocarray(NULL, n + 1, sizeof *ix);
	for (i = 0; i < n; i++)
		ix[i] = term_int((int64_t)i);
	bif_sort(ix, n, le_index, (void *)keys);
	dup = xcalloc(n + 1, 1);
	for (run = 0; run < n; run = i) {
		for (i = run + 1; i < n && term_compare(keys[ix[i].u.i],
		                               keys[ix[run].u.i]) == 0;
		     i++)
			for (j = run; j < i; j++)
				if (!dup[ix[j].u.i] &&
				    term_equal(
				        keys[ix[j].u.i], keys[ix[i].u.i])) {
					dup[ix[i].u.i] = 1;
					break;
				}
	}
	for (i = 0; i < n; i++)
		if (!dup[i])
			term_vec_push(&v, term_copy(e[i]));
	free(dup);
	free(ix);
	return term_vec_list(&v, term_nil());
}

int
bif_lists_uniq_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_fclause(ctx);
	*out = bif_uniq_by(e, e, n);
	return 0;
}

/*
 * merge/2: two sorted lists as one, an element of the first going before
 * an equal one of the second; with unique (umerge/2), an element equal
 * to one of the first is dropped from the second.
 */
static int
merge2(term a, term b, int unique, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *x, *y;
	size_t n, m, i = 0, j = 0;
	int c;

	/* lists.erl: merge(T1, []) is T1, whatever T1 is. */
	if (term_kind(b) == TERM_NIL && !unique) {
		*out = term_copy(a);
		return 0;
	}
	if (bif_list(a, &x, &n) < 0 || bif_list(b, &y, &m) < 0)
		return -1;
	while (i < n || j < m) {
		c = j == m ? -1 : i == n ? 1 : term_compare(x[i], y[j]);
		if (c > 0) {
			term_vec_push(&v, term_copy(y[j++]));
			continue;
		}
		term_vec_push(&v, term_copy(x[i++]));
		if (c == 0 && unique)
			j++;
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/* The lists of ls merged left to right (merge/1, merge3/3, ...). */
static int
merge_all(struct bif_ctx *ctx, const term *ls, size_t n, int unique, term *out)
{
	term acc = term_nil(), next;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == 0 ? merge2(ls[0], term_nil(), unique, &next) < 0
		           : merge2(acc, ls[i], unique, &next) < 0) {
			term_free(acc);
			return bif_fclause(ctx);
		}
		term_free(acc);
		acc = next;
	}
	*out = acc;
	return 0;
}

static int
merge_list(struct bif_ctx *ctx, term lists, int unique, term *out)
{
	const term *ls;
	size_t n;

	if (bif_list(lists, &ls, &n) < 0)
		return bif_fclause(ctx);
	return merge_all(ctx, ls, n, unique, out);
}

BIF_VIA(bif_lists_merge_1, merge_list(ctx, a[0], 0, out))
BIF_VIA(bif_lists_umerge_1, merge_list(ctx, a[0], 1, out))
BIF_VIA(
    bif_lists_merge_2, merge2(a[0], a[1], 0, out) < 0 ? bif_fclause(ctx) : 0)
BIF_VIA(
    bif_lists_umerge_2, merge2(a[0], a[1], 1, out) < 0 ? bif_fclause(ctx) : 0)
BIF_VIA(bif_lists_merge3_3, merge_all(ctx, a, 3, 0, out))
BIF_VIA(bif_lists_umerge3_3, merge_all(ctx, a, 3, 1, out))
