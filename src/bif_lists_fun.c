/*
 * The lists functions that take a fun (map, folds, filters, predicates)
 * and the sorts, with lists.erl's errors as bif_lists.c describes them.
 * The fun is called on the elements in lists.erl's order, and on those
 * before a bad tail too, so side effects agree. A fun runs through the
 * context; when it raises, the function returns at once with what it
 * built freed.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bif_lib.h"
#include "util.h"

static int
call1(struct bif_ctx *ctx, term f, term x, term *r)
{
	return bif_call(ctx, f, 1, &x, r);
}

static int
call2(struct bif_ctx *ctx, term f, term x, term y, term *r)
{
	term a[2] = {x, y};

	return bif_call(ctx, f, 2, a, r);
}

/* A predicate's answer for x: 0 or 1, or -1 when it raised. */
static int
test(struct bif_ctx *ctx, term pred, term x)
{
	term r;

	if (call1(ctx, pred, x, &r) < 0)
		return -1;
	return bif_truth(ctx, r);
}

/*
 * Higher-order functions.
 */

/*
 * The walk of map/2, foreach/2, filter/2, partition/2, filtermap/2 and
 * flatmap/2: the fun (of one argument, else function_clause) on each
 * element in order, each result handed to keep, which files it in the
 * two vectors. A list argument that is no list raises {not_list, L}
 * and an improper end {bad_tail, T}, after the calls as in lists.erl
 * (function_clause where the tag is NULL). Returns 0, or -1 with the
 * vectors freed.
 */
struct walk {
	const char *not_list;
	const char *bad_tail;
	/* r is consumed; 0, or -1 after raising. */
	int (*keep)(struct bif_ctx *, term x, term r, struct term_vec *);
};

static int
walk(struct bif_ctx *ctx, const term *a, const struct walk *w,
    struct term_vec *v)
{
	const term *e;
	size_t n, i;
	term tail, r;

	if (!bif_is_fun(a[0], 1))
		return bif_fclause(ctx);
	if (bif_cons(a[1], &e, &n, &tail) < 0)
		return w->not_list ? bif_error_with(ctx, w->not_list, a[1])
		                   : bif_fclause(ctx);
	for (i = 0; i < n; i++)
		if (call1(ctx, a[0], e[i], &r) < 0 ||
		    w->keep(ctx, e[i], r, v) < 0)
			goto fail;
	if (term_kind(tail) == TERM_NIL)
		return 0;
	if (w->bad_tail)
		bif_error_with(ctx, w->bad_tail, tail);
	else
		bif_fclause(ctx);
fail:
	term_vec_free(&v[0]);
	term_vec_free(&v[1]);
	return -1;
}

/* map/2 and flatmap/2 keep each result. */
static int
keep_result(struct bif_ctx *ctx, term x, term r, struct term_vec *v)
{
	(void)ctx;
	(void)x;
	term_vec_push(&v[0], r);
	return 0;
}

static int
keep_nothing(struct bif_ctx *ctx, term x, term r, struct term_vec *v)
{
	(void)ctx;
	(void)x;
	(void)v;
	term_free(r);
	return 0;
}

/* filter/2 is a list comprehension in lists.erl: {bad_filter, R}. */
static int
keep_filtered(struct bif_ctx *ctx, term x, term r, struct term_vec *v)
{
	if (!term_is_atom(r, A_TRUE) && !term_is_atom(r, A_FALSE)) {
		bif_error(ctx, term_tuple2(term_atom("bad_filter"), r));
		return -1;
	}
	if (term_is_atom(r, A_TRUE))
		term_vec_push(&v[0], term_copy(x));
	return 0;
}

static int
keep_parted(struct bif_ctx *ctx, term x, term r, struct term_vec *v)
{
	int t = bif_truth(ctx, r);

	if (t < 0)
		return -1;
	term_vec_push(&v[t ? 0 : 1], term_copy(x));
	return 0;
}

static int
keep_mapped(struct bif_ctx *ctx, term x, term r, struct term_vec *v)
{
	if (term_is_record(r, A_TRUE, 2)) {
		term_vec_push(&v[0], term_copy(term_tuple_get(r, 1)));
		term_free(r);
		return 0;
	}
	if (!term_is_atom(r, A_TRUE) && !term_is_atom(r, A_FALSE)) {
		bif_error(ctx, term_tuple2(term_atom("case_clause"), r));
		return -1;
	}
	if (term_is_atom(r, A_TRUE))
		term_vec_push(&v[0], term_copy(x));
	return 0;
}

static const struct walk map_walk = {"case_clause", NULL, keep_result};
static const struct walk foreach_walk = {NULL, NULL, keep_nothing};
static const struct walk filter_walk = {
    "bad_generator", "bad_generator", keep_filtered};
static const struct walk partition_walk = {NULL, NULL, keep_parted};
static const struct walk filtermap_walk = {NULL, NULL, keep_mapped};
static const struct walk flatmap_walk = {NULL, NULL, keep_result};

int
bif_lists_map_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v[2] = {{NULL, 0, 0}, {NULL, 0, 0}};

	if (walk(ctx, a, &map_walk, v) < 0)
		return -1;
	*out = term_vec_list(&v[0], term_nil());
	return 0;
}

int
bif_lists_foreach_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v[2] = {{NULL, 0, 0}, {NULL, 0, 0}};

	if (walk(ctx, a, &foreach_walk, v) < 0)
		return -1;
	*out = term_atom_of(A_OK);
	return 0;
}

int
bif_lists_filter_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v[2] = {{NULL, 0, 0}, {NULL, 0, 0}};

	if (walk(ctx, a, &filter_walk, v) < 0)
		return -1;
	*out = term_vec_list(&v[0], term_nil());
	return 0;
}

int
bif_lists_partition_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v[2] = {{NULL, 0, 0}, {NULL, 0, 0}};

	if (walk(ctx, a, &partition_walk, v) < 0)
		return -1;
	*out = term_tuple2(
	    term_vec_list(&v[0], term_nil()), term_vec_list(&v[1], term_nil()));
	return 0;
}

int
bif_lists_filtermap_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v[2] = {{NULL, 0, 0}, {NULL, 0, 0}};

	if (walk(ctx, a, &filtermap_walk, v) < 0)
		return -1;
	*out = term_vec_list(&v[0], term_nil());
	return 0;
}

/* F(Hd) ++ flatmap_1(F, Tail): every result a proper list, the last too. */
int
bif_lists_flatmap_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v[2] = {{NULL, 0, 0}, {NULL, 0, 0}};

	if (walk(ctx, a, &flatmap_walk, v) < 0)
		return -1;
	return bif_append_all(ctx, &v[0], out);
}

int
bif_lists_foldl_3(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	term tail, acc, args[2];

	if (!bif_is_fun(a[0], 2))
		return bif_fclause(ctx);
	if (bif_cons(a[2], &e, &n, &tail) < 0)
		return bif_error_with(ctx, "case_clause", a[2]);
	acc = term_copy(a[1]);
	for (i = 0; i < n; i++) {
		args[0] = e[i];
		if (bif_fold(ctx, a[0], 2, args, &acc) < 0)
			return -1;
	}
	if (term_kind(tail) != TERM_NIL) {
		term_free(acc);
		return bif_fclause(ctx);
	}
	*out = acc;
	return 0;
}

/* OTP: foldr recurses to the end first, so a bad tail raises before any call.
 */
int
bif_lists_foldr_3(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n, i;
	term acc, args[2];

	if (!bif_is_fun(a[0], 2) || bif_list(a[2], &e, &n) < 0)
		return bif_fclause(ctx);
	acc = term_copy(a[1]);
	for (i = n; i-- > 0;) {
		args[0] = e[i];
		if (bif_fold(ctx, a[0], 2, args, &acc) < 0)
			return -1;
	}
	*out = acc;
	return 0;
}

/* mapfoldr calls the fun from the last element back, as its recursion does. */
static int
mapfold(struct bif_ctx *ctx, const term *a, int right, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t n, k;
	term tail, acc, r, x;

	if (!bif_is_fun(a[0], 2) || bif_cons(a[2], &e, &n, &tail) < 0 ||
	    (right && term_kind(tail) != TERM_NIL))
		return bif_fclause(ctx);
	acc = term_copy(a[1]);
	for (k = 0; k < n; k++) {
		if (call2(ctx, a[0], e[right ? n - 1 - k : k], acc, &r) < 0)
			goto fail;
		if (term_kind(r) != TERM_TUPLE || term_size(r) != 2) {
			bif_error(ctx, term_tuple2(term_atom("badmatch"), r));
			goto fail;
		}
		term_free(acc);
		term_vec_push(&v, term_copy(term_tuple_get(r, 0)));
		acc = term_copy(term_tuple_get(r, 1));
		term_free(r);
	}
	if (term_kind(tail) != TERM_NIL) {
		bif_fclause(ctx);
		goto fail;
	}
	for (k = 0; right && k < n / 2; k++) {
		x = v.v[k];
		v.v[k] = v.v[n - 1 - k];
		v.v[n - 1 - k] = x;
	}
	*out = term_tuple2(term_vec_list(&v, term_nil()), acc);
	return 0;
fail:
	term_vec_free(&v);
	term_free(acc);
	return -1;
}

BIF_VIA(bif_lists_mapfoldl_3, mapfold(ctx, a, 0, out))
BIF_VIA(bif_lists_mapfoldr_3, mapfold(ctx, a, 1, out))

/*
 * all/2, any/2 and the functions that stop at the first element the
 * predicate answers stop_on for: the index of that element, n when none
 * did, or -1 when the predicate raised or a tail was bad.
 */
static long
scan_until(struct bif_ctx *ctx, term pred, term list, int stop_on)
{
	const term *e;
	size_t n, i;
	term tail;
	int t;

	if (bif_cons(list, &e, &n, &tail) < 0) {
		bif_fclause(ctx);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((t = test(ctx, pred, e[i])) < 0)
			return -1;
		if (t == stop_on)
			return (long)i;
	}
	if (term_kind(tail) != TERM_NIL) {
		bif_fclause(ctx);
		return -1;
	}
	return (long)n;
}

/* all/2 and any/2 open with a case on the list itself. */
static int
all_any(struct bif_ctx *ctx, const term *a, int any, term *out)
{
	long i;

	if (!bif_is_fun(a[0], 1))
		return bif_fclause(ctx);
	if (!term_is_list(a[1]))
		return bif_error_with(ctx, "case_clause", a[1]);
	if ((i = scan_until(ctx, a[0], a[1], any)) < 0)
		return -1;
	*out = bif_bool((i < (long)term_size(a[1])) == any);
	return 0;
}

BIF_VIA(bif_lists_all_2, all_any(ctx, a, 0, out))
BIF_VIA(bif_lists_any_2, all_any(ctx, a, 1, out))

/* takewhile/2, dropwhile/2, splitwith/2 and search/2: where pred fails. */
static long
while_pred(struct bif_ctx *ctx, const term *a, int stop_on)
{
	if (!bif_is_fun(a[0], 1)) {
		bif_fclause(ctx);
		return -1;
	}
	return scan_until(ctx, a[0], a[1], stop_on);
}

int
bif_lists_takewhile_2(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if ((i = while_pred(ctx, a, 0)) < 0)
		return -1;
	*out =
	    bif_list_of(term_kind(a[1]) == TERM_LIST ? term_elems(a[1]) : NULL,
	        (size_t)i, term_nil());
	return 0;
}

int
bif_lists_dropwhile_2(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if ((i = while_pred(ctx, a, 0)) < 0)
		return -1;
	*out = bif_list_from(a[1], (size_t)i);
	return 0;
}

int
bif_lists_splitwith_2(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if ((i = while_pred(ctx, a, 0)) < 0)
		return -1;
	*out = term_tuple2(
	    bif_list_of(term_kind(a[1]) == TERM_LIST ? term_elems(a[1]) : NULL,
	        (size_t)i, term_nil()),
	    bif_list_from(a[1], (size_t)i));
	return 0;
}

int
bif_lists_search_2(struct bif_ctx *ctx, const term *a, term *out)
{
	long i;

	if ((i = while_pred(ctx, a, 1)) < 0)
		return -1;
	if ((size_t)i == term_size(a[1]))
		*out = term_atom_of(A_FALSE);
	else
		*out = term_tuple2(term_atom("value"),
		    term_copy(term_list_get(a[1], (size_t)i)));
	return 0;
}

/*
 * Sorts.
 */

static int
le_terms(term x, term y, void *arg)
{
	(void)arg;
	return term_compare(x, y) <= 0;
}

/* A copy of the elements of a proper list, to sort in place. */
static term *
elems_copy(const term *e, size_t n)
{
	term *c = xreallocarray(NULL, n + 1, sizeof *c);

	if (n > 0)
		memcpy(c, e, n * sizeof *c);
	return c;
}

/*
 * The sorted array (freed) as a list: with unique set, an element equal
 * to the one kept before it (eq gives 1) is dropped, so the first of each
 * run stays. -1 when eq raised (-1).
 */
static int
sorted_list(term *s, size_t n, int unique, bif_le_fn eq, void *arg, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	size_t i;
	int same = 0;

	for (i = 0; i < n; i++) {
		if (unique && v.n > 0 &&
		    (same = eq(v.v[v.n - 1], s[i], arg)) < 0) {
			term_vec_free(&v);
			free(s);
			return -1;
		}
		if (!same)
			term_vec_push(&v, term_copy(s[i]));
	}
	free(s);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

static int
eq_terms(term x, term y, void *arg)
{
	(void)arg;
	return term_compare(x, y) == 0;
}

static int
sort1(struct bif_ctx *ctx, term list, int unique, term *out)
{
	const term *e;
	size_t n;
	term *s;

	if (bif_list(list, &e, &n) < 0)
		return bif_fclause(ctx);
	s = elems_copy(e, n);
	bif_sort(s, n, le_terms, NULL);
	return sorted_list(s, n, unique, eq_terms, NULL, out);
}

BIF_VIA(bif_lists_sort_1, sort1(ctx, a[0], 0, out))
BIF_VIA(bif_lists_usort_1, sort1(ctx, a[0], 1, out))

/* The fun of sort/2 and usort/2 as an ordering; raising stops the sort. */
struct fun_order {
	struct bif_ctx *ctx;
	term fun;
};

static int
le_fun(term x, term y, void *arg)
{
	struct fun_order *o = arg;
	term r;

	if (call2(o->ctx, o->fun, x, y, &r) < 0)
		return -1;
	return bif_truth(o->ctx, r);
}

/* usort/2 drops y after x when the fun says x =< y and y =< x. */
static int
eq_fun(term x, term y, void *arg)
{
	int r = le_fun(x, y, arg);

	return r == 1 ? le_fun(y, x, arg) : r;
}

static int
sort2(struct bif_ctx *ctx, const term *a, int unique, term *out)
{
	struct fun_order o = {ctx, a[0]};
	const term *e;
	size_t n;
	term *s;

	if (bif_list(a[1], &e, &n) < 0 ||
	    ((n < 2 || unique) && !bif_is_fun(a[0], 2)))
		return bif_fclause(ctx);
	s = elems_copy(e, n);
	if (bif_sort(s, n, le_fun, &o) < 0) {
		free(s);
		return -1;
	}
	return sorted_list(s, n, unique, eq_fun, &o, out);
}

BIF_VIA(bif_lists_sort_2, sort2(ctx, a, 0, out))
BIF_VIA(bif_lists_usort_2, sort2(ctx, a, 1, out))

/* keysort/2 compares element I of each tuple (I is 1-based). */
static int
le_keys(term x, term y, void *arg)
{
	size_t i = *(size_t *)arg;

	return term_compare(term_tuple_get(x, i), term_tuple_get(y, i)) <= 0;
}

static int
eq_keys(term x, term y, void *arg)
{
	size_t i = *(size_t *)arg;

	return term_compare(term_tuple_get(x, i), term_tuple_get(y, i)) == 0;
}

/* element(I, T) inside keysort: badarg explained as element/2's. */
static int
key_check(struct bif_ctx *ctx, term t, size_t i)
{
	if (term_kind(t) != TERM_TUPLE)
		return bif_badarg(ctx, 1, "not a tuple");
	if (term_size(t) <= i)
		return bif_badarg(ctx, 0, "out of range");
	return 0;
}

static int
keysort(struct bif_ctx *ctx, const term *a, int unique, term *out)
{
	const term *e;
	size_t n, i, k;
	term tail, *s;
	int64_t pos;

	if (bif_int_range(a[0], 1, INT64_MAX, &pos) < 0)
		return bif_fclause(ctx);
	if (bif_cons(a[1], &e, &n, &tail) < 0)
		return bif_error_with(ctx, "case_clause", a[1]);
	k = (size_t)pos - 1;
	/* case L of [] -> ...; [_] -> ...; [X, Y | T] -> ... end */
	if (n < 2 && term_kind(tail) != TERM_NIL)
		return bif_error_with(ctx, "case_clause", a[1]);
	if (n == 1) {
		*out = term_copy(a[1]);
		return 0;
	}
	/* OTP reads the first two keys before it walks the rest. */
	for (i = 0; i < n && i < 2; i++)
		if (key_check(ctx, e[i], k) < 0)
			return -1;
	if (term_kind(tail) != TERM_NIL)
		return bif_fclause(ctx);
	for (; i < n; i++)
		if (key_check(ctx, e[i], k) < 0)
			return -1;
	s = elems_copy(e, n);
	bif_sort(s, n, le_keys, &k);
	return sorted_list(s, n, unique, eq_keys, &k, out);
}

BIF_VIA(bif_lists_keysort_2, keysort(ctx, a, 0, out))
BIF_VIA(bif_lists_ukeysort_2, keysort(ctx, a, 1, out))

/*
 * zipwith/3 and zipwith3/4: F(X, Y[, Z]) over nl lists of one length
 * (the arguments after the fun).
 */
static int
zip_with(struct bif_ctx *ctx, const term *a, size_t nl, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *l[3];
	size_t n[3], i, j;
	term r, args[3];

	for (j = 0; j < nl; j++)
		if (bif_list(a[1 + j], &l[j], &n[j]) < 0 || n[j] != n[0])
			return bif_fclause(ctx);
	for (i = 0; i < n[0]; i++) {
		for (j = 0; j < nl; j++)
			args[j] = l[j][i];
		if (bif_call(ctx, a[0], nl, args, &r) < 0) {
			term_vec_free(&v);
			return -1;
		}
		term_vec_push(&v, r);
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_lists_zipwith_3, zip_with(ctx, a, 2, out))
BIF_VIA(bif_lists_zipwith3_4, zip_with(ctx, a, 3, out))

/*
 * keymap/3: each tuple with its element N replaced by Fun(Element); a
 * tuple too short raises element/2's badarg, as lists.erl does.
 */
int
bif_lists_keymap_3(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t n, i;
	int64_t k;
	term r;

	if (bif_int_range(a[1], 1, INT64_MAX, &k) < 0 ||
	    bif_list(a[2], &e, &n) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n; i++) {
		if (term_kind(e[i]) != TERM_TUPLE ||
		    (uint64_t)k > term_size(e[i])) {
			term_vec_free(&v);
			return bif_badarg(ctx, -1, NULL);
		}
		if (call1(ctx, a[0], term_tuple_get(e[i], (size_t)k - 1), &r) <
		    0) {
			term_vec_free(&v);
			return -1;
		}
		term_vec_push(&v, bif_tuple_with(e[i], (size_t)k - 1, r));
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/* uniq/2: the elements whose Fun(X) no earlier element gave (=:=). */
int
bif_lists_uniq_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	term *keys;
	size_t n, i;

	if (!bif_is_fun(a[0], 1) || bif_list(a[1], &e, &n) < 0)
		return bif_fclause(ctx);
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	for (i = 0; i < n; i++)
		if (call1(ctx, a[0], e[i], &keys[i]) < 0) {
			while (i > 0)
				term_free(keys[--i]);
			free(keys);
			return -1;
		}
	*out = bif_uniq_by(e, keys, n);
	while (n > 0)
		term_free(keys[--n]);
	free(keys);
	return 0;
}
