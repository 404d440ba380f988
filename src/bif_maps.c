/*
 * The maps module. A map keeps its keys sorted (term.h), so keys/1,
 * to_list/1 and the folds walk them in that order, which is OTP's order
 * for maps of up to 32 keys; larger maps come out in OTP's hash order
 * there and sorted here.
 */
#include "compat.h"

#include <stdlib.h>

#include "bif_lib.h"
#include "util.h"

static const char not_map_or_iter[] = "not a map or an iterator";

/* A map built from n pairs taken from the array (consumed). */
static term
map_of(term *keys, term *vals, size_t n)
{
	term m = term_map(n, keys, vals);

	free(keys);
	free(vals);
	return m;
}

/* Frees the first n pairs of the arrays and the arrays: -1. */
static int
drop_pairs(term *keys, term *vals, size_t n)
{
	while (n > 0) {
		term_free(keys[--n]);
		term_free(vals[n]);
	}
	free(keys);
	free(vals);
	return -1;
}

/*
 * The pairs of m without key i (SIZE_MAX: keep all), plus one more slot
 * for put/3: copies in new arrays, their count in *n.
 */
static void
map_pairs(term m, size_t skip, term **keys, term **vals, size_t *n)
{
	size_t i, k = 0, size = term_size(m);

	*keys = xreallocarray(NULL, size + 1, sizeof **keys);
	*vals = xreallocarray(NULL, size + 1, sizeof **vals);
	for (i = 0; i < size; i++)
		if (i != skip) {
			(*keys)[k] = term_copy(term_map_key(m, i));
			(*vals)[k++] = term_copy(term_map_value(m, i));
		}
	*n = k;
}

/* The index of key in m, or SIZE_MAX. */
static size_t
key_index(term m, term key)
{
	size_t i, n = term_size(m);

	for (i = 0; i < n; i++)
		if (term_equal(term_map_key(m, i), key))
			return i;
	return SIZE_MAX;
}

static int
get(struct bif_ctx *ctx, const term *a, const term *def, term *out)
{
	const term *v;

	if (term_kind(a[1]) != TERM_MAP)
		return bif_badmap(ctx, a[1], 1);
	if ((v = term_map_find(a[1], a[0])) != NULL)
		*out = term_copy(*v);
	else if (def != NULL)
		*out = term_copy(*def);
	else {
		bif_error_with(ctx, "badkey", a[0]);
		ctx->why[0] = "not present in map";
		return -1;
	}
	return 0;
}

BIF_VIA(bif_maps_get_2, get(ctx, a, NULL, out))
BIF_VIA(bif_maps_get_3, get(ctx, a, &a[2], out))

BIF_VIA(bif_maps_is_key_2, bif_erlang_is_map_key_2(ctx, a, out))
BIF_VIA(bif_maps_size_1, bif_erlang_map_size_1(ctx, a, out))

int
bif_maps_new_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = term_map(0, NULL, NULL);
	return 0;
}

/*
 * put/3 and update/3: the map with key set to value. update needs the
 * key present; OTP explains its badkey as it explains a badmap.
 */
static int
put(struct bif_ctx *ctx, const term *a, int update, term *out)
{
	term *keys, *vals;
	size_t n;

	if (term_kind(a[2]) != TERM_MAP)
		return bif_badmap(ctx, a[2], 2);
	if (update && term_map_find(a[2], a[0]) == NULL) {
		bif_error_with(ctx, "badkey", a[0]);
		ctx->why[2] = "not a map";
		return -1;
	}
	/* A repeated key keeps the last: the new pair goes after the rest. */
	map_pairs(a[2], SIZE_MAX, &keys, &vals, &n);
	keys[n] = term_copy(a[0]);
	vals[n] = term_copy(a[1]);
	*out = map_of(keys, vals, n + 1);
	return 0;
}

BIF_VIA(bif_maps_put_3, put(ctx, a, 0, out))
BIF_VIA(bif_maps_update_3, put(ctx, a, 1, out))

/* The map without key; the same map when it lacks it. */
static term
without_key(term m, term key)
{
	size_t i = key_index(m, key), n;
	term *keys, *vals;

	if (i == SIZE_MAX)
		return term_copy(m);
	map_pairs(m, i, &keys, &vals, &n);
	return map_of(keys, vals, n);
}

int
bif_maps_remove_2(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[1]) != TERM_MAP)
		return bif_badmap(ctx, a[1], 1);
	*out = without_key(a[1], a[0]);
	return 0;
}

/* find/2 answers {ok, V}, take/2 {V, MapWithoutKey}; both error if absent. */
static int
lookup(struct bif_ctx *ctx, const term *a, int take, term *out)
{
	const term *v;

	if (term_kind(a[1]) != TERM_MAP)
		return bif_badmap(ctx, a[1], 1);
	if ((v = term_map_find(a[1], a[0])) == NULL)
		*out = term_atom_of(A_ERROR);
	else if (take)
		*out = term_tuple2(term_copy(*v), without_key(a[1], a[0]));
	else
		*out = term_tuple2(term_atom_of(A_OK), term_copy(*v));
	return 0;
}

BIF_VIA(bif_maps_find_2, lookup(ctx, a, 0, out))
BIF_VIA(bif_maps_take_2, lookup(ctx, a, 1, out))

/* keys/1, values/1 and to_list/1: one element per pair, in key order. */
static int
listing(struct bif_ctx *ctx, term m, int what, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	size_t i, n;
	term k, x;

	if (term_kind(m) != TERM_MAP)
		return bif_badmap(ctx, m, 0);
	n = term_size(m);
	for (i = 0; i < n; i++) {
		k = term_copy(term_map_key(m, i));
		x = term_copy(term_map_value(m, i));
		if (what == 0) {
			term_free(x);
			term_vec_push(&v, k);
		} else if (what == 1) {
			term_free(k);
			term_vec_push(&v, x);
		} else
			term_vec_push(&v, term_tuple2(k, x));
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_maps_keys_1, listing(ctx, a[0], 0, out))
BIF_VIA(bif_maps_values_1, listing(ctx, a[0], 1, out))
BIF_VIA(bif_maps_to_list_1, listing(ctx, a[0], 2, out))

int
bif_maps_from_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	term *keys, *vals;
	size_t n, i;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_badarg(ctx, 0,
		    term_kind(a[0]) == TERM_LIST ? "not a proper list"
		                                 : "not a list");
	for (i = 0; i < n; i++)
		if (term_kind(e[i]) != TERM_TUPLE || term_size(e[i]) != 2)
			return bif_badarg(ctx, -1, NULL);
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	vals = xreallocarray(NULL, n + 1, sizeof *vals);
	for (i = 0; i < n; i++) {
		keys[i] = term_copy(term_tuple_get(e[i], 0));
		vals[i] = term_copy(term_tuple_get(e[i], 1));
	}
	*out = map_of(keys, vals, n);
	return 0;
}

/*
 * Two maps, arguments i and i + 1 of the call: 0, or -1 with badmap of
 * the first that is not one and each explained.
 */
static int
two_maps(struct bif_ctx *ctx, const term *a, int i)
{
	if (term_kind(a[i]) == TERM_MAP && term_kind(a[i + 1]) == TERM_MAP)
		return 0;
	bif_badmap(ctx, term_kind(a[i]) != TERM_MAP ? a[i] : a[i + 1], -1);
	ctx->why[i] = term_kind(a[i]) != TERM_MAP ? "not a map" : NULL;
	ctx->why[i + 1] = term_kind(a[i + 1]) != TERM_MAP ? "not a map" : NULL;
	return -1;
}

int
bif_maps_merge_2(struct bif_ctx *ctx, const term *a, term *out)
{
	term *keys, *vals, *k2, *v2;
	size_t n, n2, i;

	if (two_maps(ctx, a, 0) < 0)
		return -1;
	map_pairs(a[0], SIZE_MAX, &keys, &vals, &n);
	map_pairs(a[1], SIZE_MAX, &k2, &v2, &n2);
	keys = xreallocarray(keys, n + n2 + 1, sizeof *keys);
	vals = xreallocarray(vals, n + n2 + 1, sizeof *vals);
	/* The second map's pairs last, so its values win. */
	for (i = 0; i < n2; i++) {
		keys[n + i] = k2[i];
		vals[n + i] = v2[i];
	}
	free(k2);
	free(v2);
	*out = map_of(keys, vals, n + n2);
	return 0;
}

/*
 * with/2 and without/2: the keys must be a list (badarg) whose end is
 * [] (lists:foldl's function_clause), the map a map.
 */
static int
key_list(struct bif_ctx *ctx, const term *a, const term **ks, size_t *n)
{
	if (term_kind(a[1]) != TERM_MAP) {
		bif_badmap(ctx, a[1], 1);
		if (term_kind(a[0]) != TERM_LIST && term_kind(a[0]) != TERM_NIL)
			ctx->why[0] = "not a list";
		return -1;
	}
	if (term_kind(a[0]) != TERM_LIST && term_kind(a[0]) != TERM_NIL)
		return bif_badarg(ctx, 0, "not a list");
	if (bif_list(a[0], ks, n) < 0)
		return bif_fclause(ctx);
	return 0;
}

int
bif_maps_with_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *ks, *v;
	term *keys, *vals;
	size_t n, i, k = 0;

	if (key_list(ctx, a, &ks, &n) < 0)
		return -1;
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	vals = xreallocarray(NULL, n + 1, sizeof *vals);
	for (i = 0; i < n; i++)
		if ((v = term_map_find(a[1], ks[i])) != NULL) {
			keys[k] = term_copy(ks[i]);
			vals[k++] = term_copy(*v);
		}
	*out = map_of(keys, vals, k);
	return 0;
}

int
bif_maps_without_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *ks;
	term *keys, *vals;
	size_t n, i, k = 0, size;

	if (key_list(ctx, a, &ks, &n) < 0)
		return -1;
	size = term_size(a[1]);
	keys = xreallocarray(NULL, size + 1, sizeof *keys);
	vals = xreallocarray(NULL, size + 1, sizeof *vals);
	for (i = 0; i < size; i++) {
		term key = term_map_key(a[1], i);
		size_t j;

		for (j = 0; j < n && !term_equal(ks[j], key); j++)
			;
		if (j == n) {
			keys[k] = term_copy(key);
			vals[k++] = term_copy(term_map_value(a[1], i));
		}
	}
	*out = map_of(keys, vals, k);
	return 0;
}

/*
 * fold/3, map/2 and filter/2: a fun of the given arity (badarg) over a
 * map ({badmap, M}), both explained as erl_stdlib_errors does.
 */
static int
fun_over_map(struct bif_ctx *ctx, term fun, uint32_t arity, term m, int mi)
{
	static const char *const not_fun[] = {NULL, NULL,
	    "not a fun that takes two arguments",
	    "not a fun that takes three arguments"};

	if (bif_is_fun(fun, arity) && term_kind(m) == TERM_MAP)
		return 0;
	if (bif_is_fun(fun, arity))
		bif_badmap(ctx, m, -1);
	else
		bif_badarg(ctx, 0, not_fun[arity]);
	if (term_kind(m) != TERM_MAP)
		ctx->why[mi] = not_map_or_iter;
	return -1;
}

/*
 * Fun(K, V) on each pair of m (foreach/2) or, with acc, Fun(K, V, Acc)
 * folding into *acc (fold/3).
 */
static int
each_pair(struct bif_ctx *ctx, term fun, term m, term *acc)
{
	term args[3], r;
	size_t i, n = term_size(m);

	for (i = 0; i < n; i++) {
		args[0] = term_map_key(m, i);
		args[1] = term_map_value(m, i);
		if (acc != NULL) {
			if (bif_fold(ctx, fun, 3, args, acc) < 0)
				return -1;
		} else if (bif_call(ctx, fun, 2, args, &r) < 0)
			return -1;
		else
			term_free(r);
	}
	return 0;
}

int
bif_maps_fold_3(struct bif_ctx *ctx, const term *a, term *out)
{
	term acc;

	if (fun_over_map(ctx, a[0], 3, a[2], 2) < 0)
		return -1;
	acc = term_copy(a[1]);
	if (each_pair(ctx, a[0], a[2], &acc) < 0)
		return -1;
	*out = acc;
	return 0;
}

/*
 * map/2, filter/2 (keeping the pairs the fun is true for) and
 * filtermap/2 (the fun gives true, false or {true, NewValue}; anything
 * else is a case_clause, as in maps.erl).
 */
enum map_mode { MAP, FILTER, FILTERMAP };

static int
map_filter(struct bif_ctx *ctx, const term *a, enum map_mode mode, term *out)
{
	term *keys, *vals, r, args[2];
	size_t i, n, k = 0;
	int t = 1;

	if (fun_over_map(ctx, a[0], 2, a[1], 1) < 0)
		return -1;
	n = term_size(a[1]);
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	vals = xreallocarray(NULL, n + 1, sizeof *vals);
	for (i = 0; i < n; i++) {
		args[0] = term_map_key(a[1], i);
		args[1] = term_map_value(a[1], i);
		if (bif_call(ctx, a[0], 2, args, &r) < 0 ||
		    (mode == FILTER && (t = bif_truth(ctx, r)) < 0))
			goto fail;
		if (mode == FILTERMAP && term_is_record(r, A_TRUE, 2)) {
			vals[k] = term_copy(term_tuple_get(r, 1));
			term_free(r);
		} else if (mode == FILTERMAP && !term_is_atom(r, A_TRUE) &&
		           !term_is_atom(r, A_FALSE)) {
			bif_error_with(ctx, "case_clause", r);
			term_free(r);
			goto fail;
		} else if (mode == FILTERMAP) {
			if (term_is_atom(r, A_FALSE))
				continue;
			vals[k] = term_copy(args[1]);
		} else if (mode == FILTER) {
			if (!t)
				continue;
			vals[k] = term_copy(args[1]);
		} else
			vals[k] = r;
		keys[k++] = term_copy(args[0]);
	}
	*out = map_of(keys, vals, k);
	return 0;
fail:
	return drop_pairs(keys, vals, k);
}

BIF_VIA(bif_maps_map_2, map_filter(ctx, a, MAP, out))
BIF_VIA(bif_maps_filter_2, map_filter(ctx, a, FILTER, out))
BIF_VIA(bif_maps_filtermap_2, map_filter(ctx, a, FILTERMAP, out))

/*
 * update_with/3,4: the map with key's value V replaced by Fun(V); a
 * missing key is badkey, or takes init (not passed to Fun) with /4.
 */
static int
update_with(struct bif_ctx *ctx, const term *a, const term *init, term *out)
{
	const term *m = init != NULL ? &a[3] : &a[2], *v;
	term put_args[3];
	int rc;

	if (term_kind(*m) != TERM_MAP)
		return bif_badmap(ctx, *m, init != NULL ? 3 : 2);
	if ((v = term_map_find(*m, a[0])) == NULL && init == NULL) {
		bif_error_with(ctx, "badkey", a[0]);
		return -1;
	}
	put_args[0] = a[0];
	put_args[2] = *m;
	if (v == NULL)
		put_args[1] = term_copy(*init);
	else if (bif_call(ctx, a[1], 1, v, &put_args[1]) < 0)
		return -1;
	rc = put(ctx, put_args, 0, out);
	term_free(put_args[1]);
	return rc;
}

BIF_VIA(bif_maps_update_with_3, update_with(ctx, a, NULL, out))
BIF_VIA(bif_maps_update_with_4, update_with(ctx, a, &a[2], out))

static const char not_fun3[] = "not a fun that takes three arguments";

/*
 * merge_with/3 and intersect_with/3 (intersect, with no fun): the pairs
 * of the two maps, Fun(K, V1, V2) for a key in both; intersect keeps
 * only those.
 */
static int
merge_with(
    struct bif_ctx *ctx, const term *a, int fun, int intersect, term *out)
{
	const term *m = fun ? &a[1] : a, *v2;
	term *keys, *vals, args[3];
	size_t n1, n2, i, k = 0;

	if (fun && !bif_is_fun(a[0], 3))
		return bif_badarg(ctx, 0, not_fun3);
	if (two_maps(ctx, a, fun) < 0)
		return -1;
	n1 = term_size(m[0]);
	n2 = term_size(m[1]);
	keys = xreallocarray(NULL, n1 + n2 + 1, sizeof *keys);
	vals = xreallocarray(NULL, n1 + n2 + 1, sizeof *vals);
	for (i = 0; i < n1; i++) {
		args[0] = term_map_key(m[0], i);
		args[1] = term_map_value(m[0], i);
		if ((v2 = term_map_find(m[1], args[0])) == NULL) {
			if (intersect)
				continue;
			vals[k] = term_copy(args[1]);
		} else if (!fun)
			vals[k] = term_copy(*v2);
		else {
			args[2] = *v2;
			if (bif_call(ctx, a[0], 3, args, &vals[k]) < 0)
				return drop_pairs(keys, vals, k);
		}
		keys[k++] = term_copy(args[0]);
	}
	for (i = 0; i < n2 && !intersect; i++)
		if (term_map_find(m[0], term_map_key(m[1], i)) == NULL) {
			keys[k] = term_copy(term_map_key(m[1], i));
			vals[k++] = term_copy(term_map_value(m[1], i));
		}
	*out = map_of(keys, vals, k);
	return 0;
}

BIF_VIA(bif_maps_merge_with_3, merge_with(ctx, a, 1, 0, out))
BIF_VIA(bif_maps_intersect_with_3, merge_with(ctx, a, 1, 1, out))
BIF_VIA(bif_maps_intersect_2, merge_with(ctx, a, 0, 1, out))

int
bif_maps_foreach_2(struct bif_ctx *ctx, const term *a, term *out)
{
	if (fun_over_map(ctx, a[0], 2, a[1], 1) < 0 ||
	    each_pair(ctx, a[0], a[1], NULL) < 0)
		return -1;
	*out = term_atom("ok");
	return 0;
}

/* A proper list argument, explained as from_list/1 explains one. */
static int
list_arg(struct bif_ctx *ctx, term l, int i, const term **e, size_t *n)
{
	if (bif_list(l, e, n) == 0)
		return 0;
	return bif_badarg(ctx, i,
	    term_kind(l) == TERM_LIST ? "not a proper list" : "not a list");
}

int
bif_maps_from_keys_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	term *keys, *vals;
	size_t n, i;

	if (list_arg(ctx, a[0], 0, &e, &n) < 0)
		return -1;
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	vals = xreallocarray(NULL, n + 1, sizeof *vals);
	for (i = 0; i < n; i++) {
		keys[i] = term_copy(e[i]);
		vals[i] = term_copy(a[1]);
	}
	*out = map_of(keys, vals, n);
	return 0;
}

/*
 * groups_from_list/2,3: a map from KeyFun(X) to the list of the
 * elements (or ValueFun(X)) that gave it, in the list's order.
 */
static int
groups(struct bif_ctx *ctx, term kf, const term *vf, term list, term *out)
{
	static const char not_fun1[] = "not a fun that takes one argument";
	struct term_vec *groups = NULL;
	term *keys, *vals, k, v;
	const term *e;
	size_t n, i, g, ng = 0;
	int li = vf != NULL ? 2 : 1;

	if (!bif_is_fun(kf, 1))
		return bif_badarg(ctx, 0, not_fun1);
	if (vf != NULL && !bif_is_fun(*vf, 1))
		return bif_badarg(ctx, 1, not_fun1);
	if (bif_list(list, &e, &n) < 0)
		return bif_badarg(ctx, li, "not a list");
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	groups = xreallocarray(NULL, n + 1, sizeof *groups);
	for (i = 0; i < n; i++) {
		if (bif_call(ctx, kf, 1, &e[i], &k) < 0)
			goto fail;
		if (vf == NULL)
			v = term_copy(e[i]);
		else if (bif_call(ctx, *vf, 1, &e[i], &v) < 0) {
			term_free(k);
			goto fail;
		}
		for (g = 0; g < ng && !term_equal(keys[g], k); g++)
			;
		if (g == ng) {
			keys[ng] = k;
			groups[ng].v = NULL;
			groups[ng].n = groups[ng].cap = 0;
			ng++;
		} else
			term_free(k);
		term_vec_push(&groups[g], v);
	}
	vals = xreallocarray(NULL, ng + 1, sizeof *vals);
	for (g = 0; g < ng; g++)
		vals[g] = term_vec_list(&groups[g], term_nil());
	free(groups);
	*out = map_of(keys, vals, ng);
	return 0;
fail:
	for (g = 0; g < ng; g++) {
		term_free(keys[g]);
		term_vec_free(&groups[g]);
	}
	free(keys);
	free(groups);
	return -1;
}

BIF_VIA(bif_maps_groups_from_list_2, groups(ctx, a[0], NULL, a[1], out))
BIF_VIA(bif_maps_groups_from_list_3, groups(ctx, a[0], &a[1], a[2], out))
