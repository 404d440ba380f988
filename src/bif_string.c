/*
 * The string module on chardata: the unicode functions of OTP 20 and on
 * (split, trim, find, lexemes, slice, pad, case...) and the old latin1
 * ones a shell user still types (tokens/2, join/2, to_lower/1...).
 *
 * A binary argument gives binary results and a flat list of characters
 * list results, as in OTP. Deeper chardata (lists holding binaries or
 * sublists) is read as its characters and answered with flat lists,
 * where OTP keeps pieces of the original structure; the characters are
 * the same. Grapheme clusters follow the common rules (CR LF, combining
 * marks, ZWJ emoji sequences, variation selectors); case mapping covers
 * Latin-1, Latin Extended-A, Greek and Cyrillic, other scripts unchanged.
 *
 * What is no chardata (a bitstring, an atom in a list) raises what
 * OTP's string module happens to raise on it, function by function.
 */
#include "compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bif_lib.h"
#include "num.h"
#include "util.h"

/*
 * A string argument: its characters, and whether results are binaries.
 * A binary that is no UTF-8 is read as bytes (raw), which the searches
 * take as OTP's do and the other functions refuse.
 */
struct str {
	struct bif_chars cs;
	int bin;
	int raw;
};

static int
str_read(term t, struct str *s)
{
	memset(s, 0, sizeof *s);
	s->bin = term_is_binary(t);
	if (bif_chardata(t, &s->cs, 0) == 0)
		return 0;
	bif_chars_free(&s->cs);
	if (!s->bin)
		return -1;
	s->raw = 1;
	return bif_chardata(t, &s->cs, 1);
}

static void
str_free(struct str *s)
{
	bif_chars_free(&s->cs);
}

/*
 * Whether t has the shape of chardata (characters, binaries and lists of
 * them), whatever its binaries hold. OTP reads a list with unicode_util,
 * which has no clause for a bitstring or any other term found in it.
 */
static int
chardata_shape(term t)
{
	struct bif_chars cs = {NULL, 0, 0};
	int ok = bif_chardata(t, &cs, 1) == 0;

	bif_chars_free(&cs);
	return ok;
}

/* string:is_empty/1: nothing but [] and <<>> in nested lists. */
static int
is_empty(term t)
{
	struct bif_chars cs = {NULL, 0, 0};
	int empty = bif_chardata(t, &cs, 1) == 0 && cs.n == 0;

	bif_chars_free(&cs);
	return empty;
}

/* Characters from..to of s, as a binary or a list like s's argument. */
static term
str_part(const struct str *s, size_t from, size_t to)
{
	size_t i;
	term b;
	unsigned char *p;

	if (s->raw) {
		p = xmalloc(to - from + 1);
		for (i = from; i < to; i++)
			p[i - from] = (unsigned char)s->cs.c[i];
		b = term_binary(p, to - from);
		free(p);
		return b;
	}
	if (s->bin)
		return bif_chars_binary(s->cs.c + from, to - from);
	return term_string_cps(s->cs.c + from, to - from);
}

/*
 * Grapheme clusters.
 */

/* Code points that extend the cluster before them. */
static const struct {
	uint32_t lo, hi;
} extend[] = {
    {0x0300, 0x036f}, /* combining diacritical marks */
    {0x0483, 0x0489},
    {0x0591, 0x05bd},
    {0x0610, 0x061a},
    {0x064b, 0x065f},
    {0x0e31, 0x0e31},
    {0x0e34, 0x0e3a},
    {0x1ab0, 0x1aff},
    {0x1dc0, 0x1dff},
    {0x200c, 0x200d}, /* ZWNJ, ZWJ */
    {0x20d0, 0x20ff},
    {0xfe00, 0xfe0f}, /* variation selectors */
    {0xfe20, 0xfe2f},
    {0x1f3fb, 0x1f3ff}, /* skin tones */
    {0xe0020, 0xe007f},
    {0xe0100, 0xe01ef},
};

static int
is_extend(uint32_t c)
{
	size_t i;

	for (i = 0; i < NELEMS(extend); i++)
		if (c >= extend[i].lo && c <= extend[i].hi)
			return 1;
	return 0;
}

/* Extended_Pictographic, roughly: the emoji blocks. */
static int
is_pictographic(uint32_t c)
{
	return (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x2600 && c <= 0x27bf) ||
	       c == 0x00a9 || c == 0x00ae || (c >= 0x2190 && c <= 0x21ff);
}

/* The end of the cluster that starts at c[i]. */
static size_t
gc_end(const uint32_t *c, size_t n, size_t i)
{
	int pict = is_pictographic(c[i]);

	if (c[i] == '\r' && i + 1 < n && c[i + 1] == '\n')
		return i + 2;
	if (c[i] == '\r' || c[i] == '\n')
		return i + 1;
	for (i++; i < n; i++) {
		if (is_extend(c[i]))
			continue;
		/* An emoji ZWJ sequence stays one cluster. */
		if (pict && c[i - 1] == 0x200d && is_pictographic(c[i]))
			continue;
		break;
	}
	return i;
}

/* The index of the first character of cluster k, or n. */
static size_t
gc_skip(const struct str *s, size_t from, uint64_t k)
{
	size_t i = from;

	while (k-- > 0 && i < s->cs.n)
		i = gc_end(s->cs.c, s->cs.n, i);
	return i;
}

static size_t
gc_count(const struct str *s)
{
	size_t i = 0, k = 0;

	while (i < s->cs.n) {
		i = gc_end(s->cs.c, s->cs.n, i);
		k++;
	}
	return k;
}

/* A cluster as erl shows it: a character, or a list of them. */
static term
gc_term(const uint32_t *c, size_t n)
{
	return n == 1 ? term_int(c[0]) : term_string_cps(c, n);
}

/*
 * Cluster sets (trim/3, lexemes/2): each element a character or a list
 * of characters forming one cluster.
 */
static int
in_set(const term *set, size_t nset, const uint32_t *c, size_t n)
{
	const term *e;
	size_t i, k, m;

	for (i = 0; i < nset; i++) {
		if (term_kind(set[i]) == TERM_INT) {
			if (n == 1 && set[i].u.i == (int64_t)c[0])
				return 1;
			continue;
		}
		if (bif_list(set[i], &e, &m) < 0 || m != n)
			continue;
		for (k = 0; k < n && term_kind(e[k]) == TERM_INT &&
		            e[k].u.i == (int64_t)c[k];
		     k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

/*
 * Searching for a pattern: code point by code point, as OTP's split and
 * find do (they find "\n" inside "\r\n").
 */
static int
match_at(const struct str *s, size_t i, const struct bif_chars *p)
{
	return p->n <= s->cs.n - i &&
	       memcmp(s->cs.c + i, p->c, p->n * sizeof *p->c) == 0;
}

/* The first match at or after from (leading), or the last (trailing). */
static long
search(const struct str *s, const struct bif_chars *p, size_t from, int last)
{
	size_t i;
	long found = -1;

	for (i = from; i + p->n <= s->cs.n; i++)
		if (match_at(s, i, p)) {
			if (!last)
				return (long)i;
			found = (long)i;
		}
	return found;
}

/*
 * Where: leading, trailing or all (split/3, replace/4, find/3, the
 * first two only). -1 for anything else.
 */
static int
where(term t, int all_ok)
{
	if (term_atom_is(t, "leading"))
		return 0;
	if (term_atom_is(t, "trailing"))
		return 1;
	return all_ok && term_atom_is(t, "all") ? 2 : -1;
}

/* The pattern of split, find and replace, read as OTP reads it first. */
static int
read_pattern(struct bif_ctx *ctx, term pat, struct str *p)
{
	if (str_read(pat, p) == 0)
		return 0;
	str_free(p);
	return bif_badarg(ctx, 0, "not valid character data (an iodata term)");
}

/*
 * Their subject: OTP's search walks a list with unicode_util (no clause
 * for a bitstring in it) and matches anything else as a binary.
 */
static int
read_subject(struct bif_ctx *ctx, term t, struct str *s)
{
	if (str_read(t, s) == 0)
		return 0;
	str_free(s);
	if (term_kind(t) == TERM_LIST && !chardata_shape(t))
		return bif_fclause(ctx);
	return bif_error_with(ctx, "badmatch", t);
}

static int
split(struct bif_ctx *ctx, const term *a, term how, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	struct str s, p;
	size_t from = 0;
	long at;
	int w = where(how, 1);

	if (w < 0)
		return bif_fclause(ctx);
	if (read_pattern(ctx, a[1], &p) < 0)
		return -1;
	/* OTP: an empty pattern gives [String], String unread. */
	if (p.cs.n == 0) {
		str_free(&p);
		*out = bif_list_of(&a[0], 1, term_nil());
		return 0;
	}
	if (read_subject(ctx, a[0], &s) < 0) {
		str_free(&p);
		return -1;
	}
	at = search(&s, &p.cs, 0, w == 1);
	if (at < 0)
		term_vec_push(&v, term_copy(a[0]));
	else if (w != 2) {
		term_vec_push(&v, str_part(&s, 0, (size_t)at));
		term_vec_push(&v, str_part(&s, (size_t)at + p.cs.n, s.cs.n));
	} else {
		do {
			term_vec_push(&v, str_part(&s, from, (size_t)at));
			from = (size_t)at + p.cs.n;
		} while ((at = search(&s, &p.cs, from, 0)) >= 0);
		term_vec_push(&v, str_part(&s, from, s.cs.n));
	}
	str_free(&s);
	str_free(&p);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_string_split_2, split(ctx, a, term_atom("leading"), out))
BIF_VIA(bif_string_split_3, split(ctx, a, a[2], out))

/* replace(S, P, R, Where) is lists:join(R, split(S, P, Where)). */
static int
replace(struct bif_ctx *ctx, const term *a, term how, term *out)
{
	term parts, args[2];
	int rc;

	if (split(ctx, a, how, &parts) < 0)
		return -1;
	args[0] = a[2];
	args[1] = parts;
	rc = bif_lists_join_2(ctx, args, out);
	term_free(parts);
	return rc;
}

BIF_VIA(bif_string_replace_3, replace(ctx, a, term_atom("leading"), out))
BIF_VIA(bif_string_replace_4, replace(ctx, a, a[3], out))

static int
find(struct bif_ctx *ctx, const term *a, term how, term *out)
{
	struct str s, p;
	long at;
	int w = where(how, 0);

	if (w < 0)
		return bif_fclause(ctx);
	/* OTP: "" and <<>> find String itself, unread. */
	if (term_kind(a[1]) == TERM_NIL ||
	    (term_is_binary(a[1]) && term_bin_size(a[1]) == 0)) {
		*out = term_copy(a[0]);
		return 0;
	}
	if (read_pattern(ctx, a[1], &p) < 0)
		return -1;
	/* OTP: any other empty pattern, such as [<<>>], is badarg. */
	if (p.cs.n == 0) {
		str_free(&p);
		return bif_badarg(ctx, -1, NULL);
	}
	if (read_subject(ctx, a[0], &s) < 0) {
		str_free(&p);
		return -1;
	}
	if ((at = search(&s, &p.cs, 0, w)) < 0)
		*out = term_atom("nomatch");
	else
		*out = str_part(&s, (size_t)at, s.cs.n);
	str_free(&s);
	str_free(&p);
	return 0;
}

BIF_VIA(bif_string_find_2, find(ctx, a, term_atom("leading"), out))
BIF_VIA(bif_string_find_3, find(ctx, a, a[2], out))

/*
 * trim: clusters in the set are dropped at either end. OTP trims a
 * list by one latin1 character code point by code point, so that form
 * removes the "\n" of a final "\r\n"; every other form goes by cluster.
 */
static int
trim(struct bif_ctx *ctx, term t, term how, term chars, term *out)
{
	struct str s;
	const term *set;
	size_t nset, from, to, *b, nb = 0, i;
	int w = where(how, 0), by_cp;

	if (w < 0 && !term_atom_is(how, "both"))
		return bif_fclause(ctx);
	if (bif_list(chars, &set, &nset) < 0)
		return bif_fclause(ctx);
	if (nset == 0) {
		*out = term_copy(t);
		return 0;
	}
	if (str_read(t, &s) < 0)
		return bif_fclause(ctx);
	by_cp = !s.bin && nset == 1 && term_kind(set[0]) == TERM_INT &&
	        set[0].u.i < 256;
	/* The cluster boundaries b[0] = 0 < ... < b[nb] = n. */
	b = xreallocarray(NULL, s.cs.n + 1, sizeof *b);
	b[0] = 0;
	for (i = 0; i < s.cs.n; i = b[nb])
		b[++nb] = by_cp ? i + 1 : gc_end(s.cs.c, s.cs.n, i);
	from = 0;
	to = nb;
	while (w != 1 && from < to &&
	       in_set(set, nset, s.cs.c + b[from], b[from + 1] - b[from]))
		from++;
	while (w != 0 && from < to &&
	       in_set(set, nset, s.cs.c + b[to - 1], b[to] - b[to - 1]))
		to--;
	*out = str_part(&s, b[from], b[to]);
	free(b);
	str_free(&s);
	return 0;
}

/* unicode_util:whitespace(): the clusters trim/1,2 remove. */
static term
whitespace(void)
{
	static const uint32_t ws[] = {
	    9, 10, 11, 12, 13, 32, 133, 8206, 8207, 8232, 8233};
	term e[NELEMS(ws) + 1];
	size_t i;

	e[0] = term_string("\r\n");
	for (i = 0; i < NELEMS(ws); i++)
		e[i + 1] = term_int(ws[i]);
	return term_list(NELEMS(e), e, term_nil());
}

int
bif_string_trim_1(struct bif_ctx *ctx, const term *a, term *out)
{
	term ws = whitespace();
	int rc = trim(ctx, a[0], term_atom("both"), ws, out);

	term_free(ws);
	return rc;
}

int
bif_string_trim_2(struct bif_ctx *ctx, const term *a, term *out)
{
	term ws = whitespace();
	int rc = trim(ctx, a[0], a[1], ws, out);

	term_free(ws);
	return rc;
}

BIF_VIA(bif_string_trim_3, trim(ctx, a[0], a[1], a[2], out))

int
bif_string_lexemes_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	struct str s;
	const term *set;
	size_t nset, i = 0, start = 0, end;

	if (term_kind(a[0]) == TERM_NIL) {
		*out = term_nil();
		return 0;
	}
	if (bif_list(a[1], &set, &nset) < 0)
		return bif_fclause(ctx);
	if (nset == 0) {
		*out = bif_list_of(&a[0], 1, term_nil());
		return 0;
	}
	if (str_read(a[0], &s) < 0)
		return bif_fclause(ctx);
	while (i < s.cs.n) {
		end = gc_end(s.cs.c, s.cs.n, i);
		if (in_set(set, nset, s.cs.c + i, end - i)) {
			if (i > start)
				term_vec_push(&v, str_part(&s, start, i));
			start = end;
		}
		i = end;
	}
	if (s.cs.n > start)
		term_vec_push(&v, str_part(&s, start, s.cs.n));
	str_free(&s);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/*
 * Length, emptiness, equality, reversal, slices and padding.
 */

/* A string argument, or function_clause (or {badarg, Bin} for bad UTF-8). */
static int
str_arg(struct bif_ctx *ctx, term t, struct str *s)
{
	if (str_read(t, s) < 0)
		return bif_fclause(ctx);
	if (!s->raw)
		return 0;
	str_free(s);
	return bif_error_with(ctx, "badarg", t);
}

int
bif_string_length_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct str s;

	if (str_arg(ctx, a[0], &s) < 0)
		return -1;
	*out = term_int((int64_t)gc_count(&s));
	str_free(&s);
	return 0;
}

/* OTP never raises here: what is no chardata is simply not empty. */
int
bif_string_is_empty_1(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	*out = bif_bool(is_empty(a[0]));
	return 0;
}

/*
 * What string:equal_1 decides before it reads either string whole: two
 * lists compared character by character while both hold integers; once
 * the first ends there, whether the rest of the second is empty, and
 * once the second ends with a character left in the first, false.
 * Returns 1 with *eq, or 0 when the strings must be read.
 */
static int
equal_prefix(term a, term b, int *eq)
{
	const term *x, *y;
	size_t i, na, nb;
	term rest;

	if (term_kind(a) == TERM_NIL) {
		*eq = is_empty(b);
		return 1;
	}
	if (term_kind(a) != TERM_LIST || term_kind(b) != TERM_LIST)
		return 0;
	x = term_elems(a);
	y = term_elems(b);
	na = term_size(a);
	nb = term_size(b);
	for (i = 0; i < na && i < nb && term_kind(x[i]) == TERM_INT &&
	            term_kind(y[i]) == TERM_INT;
	     i++)
		if (x[i].u.i != y[i].u.i) {
			*eq = 0;
			return 1;
		}
	if (i == nb && i < na && term_kind(x[i]) == TERM_INT &&
	    term_kind(term_list_tail(b)) == TERM_NIL) {
		*eq = 0;
		return 1;
	}
	if (i < na || term_kind(term_list_tail(a)) != TERM_NIL)
		return 0;
	rest = bif_list_from(b, i);
	*eq = is_empty(rest);
	term_free(rest);
	return 1;
}

int
bif_string_equal_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct str x, y;
	int eq;

	/* OTP: two binaries compare as bytes, UTF-8 or not. */
	if (term_is_binary(a[0]) && term_is_binary(a[1])) {
		*out = bif_bool(term_equal(a[0], a[1]));
		return 0;
	}
	if (equal_prefix(a[0], a[1], &eq)) {
		*out = bif_bool(eq);
		return 0;
	}
	if (str_arg(ctx, a[0], &x) < 0)
		return -1;
	if (str_arg(ctx, a[1], &y) < 0) {
		str_free(&x);
		return -1;
	}
	*out = bif_bool(x.cs.n == y.cs.n &&
	                (x.cs.n == 0 || memcmp(x.cs.c, y.cs.c,
	                                    x.cs.n * sizeof *x.cs.c) == 0));
	str_free(&x);
	str_free(&y);
	return 0;
}

/* reverse/1: a list of clusters, whatever the argument was. */
int
bif_string_reverse_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	struct str s;
	size_t i = 0, end, k;

	if (str_arg(ctx, a[0], &s) < 0)
		return -1;
	while (i < s.cs.n) {
		end = gc_end(s.cs.c, s.cs.n, i);
		term_vec_push(&v, gc_term(s.cs.c + i, end - i));
		i = end;
	}
	for (k = 0; k < v.n / 2; k++) {
		term t = v.v[k];

		v.v[k] = v.v[v.n - 1 - k];
		v.v[v.n - 1 - k] = t;
	}
	str_free(&s);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/* slice/2,3: len is NULL or infinity for the rest. */
static int
slice(struct bif_ctx *ctx, term t, term start, const term *len, term *out)
{
	struct str s;
	size_t from, to;
	int64_t k = 0;
	int rest = len == NULL || term_is_atom(*len, A_INFINITY);

	/* OTP: no characters of anything, its start unchecked. */
	if (len != NULL && term_kind(*len) == TERM_INT && len->u.i == 0) {
		*out = term_is_binary(t) ? term_binary(NULL, 0) : term_nil();
		return 0;
	}
	/* OTP: the rest from 0 is the string itself, unread. */
	if (rest && term_kind(start) == TERM_INT && start.u.i == 0) {
		*out = term_copy(t);
		return 0;
	}
	if (term_kind(start) != TERM_INT || start.u.i < 0 ||
	    (len != NULL && !term_is_atom(*len, A_INFINITY) &&
	        bif_int_range(*len, 0, INT64_MAX, &k) < 0))
		return bif_fclause(ctx);
	if (str_arg(ctx, t, &s) < 0)
		return -1;
	from = gc_skip(&s, 0, (uint64_t)start.u.i);
	to = rest ? s.cs.n : gc_skip(&s, from, (uint64_t)k);
	*out = str_part(&s, from, to);
	str_free(&s);
	return 0;
}

BIF_VIA(bif_string_slice_2, slice(ctx, a[0], a[1], NULL, out))
BIF_VIA(bif_string_slice_3, slice(ctx, a[0], a[1], &a[2], out))

/* n copies of ch as a list. */
static term
copies(term ch, int64_t n)
{
	struct term_vec v = {NULL, 0, 0};

	while (n-- > 0)
		term_vec_push(&v, term_copy(ch));
	return term_vec_list(&v, term_nil());
}

/* OTP's shape: [Pad, S], [S | Pad] or [Pre, S, Pre | Post]. */
static int
pad(struct bif_ctx *ctx, term t, term len, term how, term ch, term *out)
{
	struct str s;
	int64_t size;
	int w = where(how, 0);
	term pre, e[3];

	if ((w < 0 && !term_atom_is(how, "both")) || !term_is_integer(len))
		return bif_fclause(ctx);
	if (term_kind(len) == TERM_BIG && term_big_sign(len) > 0)
		return bif_error(ctx, term_atom("system_limit"));
	if (str_arg(ctx, t, &s) < 0)
		return -1;
	size = term_kind(len) == TERM_INT ? len.u.i - (int64_t)gc_count(&s) : 0;
	str_free(&s);
	if (size < 0)
		size = 0;
	if (w == 1)
		*out = bif_list_of(&t, 1, copies(ch, size));
	else if (w == 0) {
		e[0] = copies(ch, size);
		e[1] = term_copy(t);
		*out = term_list(2, e, term_nil());
	} else {
		pre = copies(ch, size / 2);
		e[0] = term_copy(pre);
		e[1] = term_copy(t);
		e[2] = pre;
		*out = term_list(3, e,
		    size % 2 ? bif_list_of(&ch, 1, term_nil()) : term_nil());
	}
	return 0;
}

BIF_VIA(bif_string_pad_2,
    pad(ctx, a[0], a[1], term_atom("trailing"), term_int(' '), out))
BIF_VIA(bif_string_pad_3, pad(ctx, a[0], a[1], a[2], term_int(' '), out))
BIF_VIA(bif_string_pad_4, pad(ctx, a[0], a[1], a[2], a[3], out))

/*
 * Case. Each row maps lo..hi (every character, or every other one from
 * lo when step is 2) by delta; the specials map to several characters
 * or differ for titlecase.
 */
enum { CASE_LOWER, CASE_UPPER, CASE_TITLE };

struct case_row {
	uint32_t lo, hi;
	int32_t delta;
	unsigned char step;
};

static const struct case_row upper_rows[] = {
    {0x61, 0x7a, -32, 1},
    {0xb5, 0xb5, 0x39c - 0xb5, 1},
    {0xe0, 0xf6, -32, 1},
    {0xf8, 0xfe, -32, 1},
    {0xff, 0xff, 0x79, 1},
    {0x101, 0x12f, -1, 2},
    {0x131, 0x131, 0x49 - 0x131, 1},
    {0x133, 0x137, -1, 2},
    {0x13a, 0x148, -1, 2},
    {0x14b, 0x177, -1, 2},
    {0x17a, 0x17e, -1, 2},
    {0x17f, 0x17f, 0x53 - 0x17f, 1},
    {0x1c5, 0x1c6, 0x1c4 - 0x1c5, 1},
    {0x1c6, 0x1c6, -2, 1},
    {0x1c8, 0x1c8, -1, 1},
    {0x1c9, 0x1c9, -2, 1},
    {0x1cb, 0x1cb, -1, 1},
    {0x1cc, 0x1cc, -2, 1},
    {0x1f2, 0x1f2, -1, 1},
    {0x1f3, 0x1f3, -2, 1},
    {0x3ac, 0x3ac, -38, 1},
    {0x3ad, 0x3af, -37, 1},
    {0x3b1, 0x3c1, -32, 1},
    {0x3c2, 0x3c2, -31, 1},
    {0x3c3, 0x3cb, -32, 1},
    {0x3cc, 0x3cc, -64, 1},
    {0x3cd, 0x3ce, -63, 1},
    {0x430, 0x44f, -32, 1},
    {0x450, 0x45f, -80, 1},
    {0x461, 0x481, -1, 2},
    {0x48b, 0x4bf, -1, 2},
};

static const struct case_row lower_rows[] = {
    {0x41, 0x5a, 32, 1},
    {0xc0, 0xd6, 32, 1},
    {0xd8, 0xde, 32, 1},
    {0x100, 0x12e, 1, 2},
    {0x132, 0x136, 1, 2},
    {0x139, 0x147, 1, 2},
    {0x14a, 0x176, 1, 2},
    {0x178, 0x178, -0x79, 1},
    {0x179, 0x17d, 1, 2},
    {0x1c4, 0x1c4, 2, 1},
    {0x1c5, 0x1c5, 1, 1},
    {0x1c7, 0x1c7, 2, 1},
    {0x1c8, 0x1c8, 1, 1},
    {0x1ca, 0x1ca, 2, 1},
    {0x1cb, 0x1cb, 1, 1},
    {0x1f1, 0x1f1, 2, 1},
    {0x1f2, 0x1f2, 1, 1},
    {0x386, 0x386, 38, 1},
    {0x388, 0x38a, 37, 1},
    {0x38c, 0x38c, 64, 1},
    {0x38e, 0x38f, 63, 1},
    {0x391, 0x3a1, 32, 1},
    {0x3a3, 0x3ab, 32, 1},
    {0x400, 0x40f, 80, 1},
    {0x410, 0x42f, 32, 1},
    {0x460, 0x480, 1, 2},
    {0x48a, 0x4be, 1, 2},
};

static const struct {
	uint32_t c;
	unsigned char mode;
	uint32_t to[3];
} case_specials[] = {
    {0xdf, CASE_UPPER, {'S', 'S'}},
    {0xdf, CASE_TITLE, {'S', 's'}},
    {0x130, CASE_LOWER, {'i', 0x307}},
    {0x149, CASE_UPPER, {0x2bc, 'N'}},
    {0x149, CASE_TITLE, {0x2bc, 'N'}},
    {0x1c4, CASE_TITLE, {0x1c5}},
    {0x1c5, CASE_TITLE, {0x1c5}},
    {0x1c6, CASE_TITLE, {0x1c5}},
    {0x1c7, CASE_TITLE, {0x1c8}},
    {0x1c8, CASE_TITLE, {0x1c8}},
    {0x1c9, CASE_TITLE, {0x1c8}},
    {0x1ca, CASE_TITLE, {0x1cb}},
    {0x1cb, CASE_TITLE, {0x1cb}},
    {0x1cc, CASE_TITLE, {0x1cb}},
    {0x1f1, CASE_TITLE, {0x1f2}},
    {0x1f2, CASE_TITLE, {0x1f2}},
    {0x1f3, CASE_TITLE, {0x1f2}},
};

/* Appends the mapping of c in mode to s. */
static void
case_map(uint32_t c, int mode, struct bif_chars *s)
{
	const struct case_row *rows =
	    mode == CASE_LOWER ? lower_rows : upper_rows;
	size_t i, k,
	    n = mode == CASE_LOWER ? NELEMS(lower_rows) : NELEMS(upper_rows);

	for (i = 0; i < NELEMS(case_specials); i++)
		if (case_specials[i].c == c && case_specials[i].mode == mode) {
			for (k = 0; k < 3 && case_specials[i].to[k]; k++)
				bif_chars_add(s, case_specials[i].to[k]);
			return;
		}
	for (i = 0; i < n; i++)
		if (c >= rows[i].lo && c <= rows[i].hi &&
		    (c - rows[i].lo) % rows[i].step == 0) {
			bif_chars_add(
			    s, (uint32_t)((int32_t)c + rows[i].delta));
			return;
		}
	bif_chars_add(s, c);
}

/*
 * lowercase/1, uppercase/1 and titlecase/1 (the first cluster only). An
 * unchanged string comes back as it was given, as OTP returns it.
 */
static int
recase(struct bif_ctx *ctx, term t, int mode, term *out)
{
	struct bif_chars m = {NULL, 0, 0};
	struct str s;
	size_t i, first;

	if (str_read(t, &s) < 0 || s.raw) {
		str_free(&s);
		if (mode == CASE_TITLE ||
		    (term_kind(t) == TERM_LIST && !chardata_shape(t)))
			return bif_fclause(ctx);
		return bif_error_with(ctx, "badarg", t);
	}
	first = mode == CASE_TITLE && s.cs.n > 0 ? gc_end(s.cs.c, s.cs.n, 0)
	                                         : s.cs.n;
	for (i = 0; i < s.cs.n; i++) {
		if (i < first)
			case_map(s.cs.c[i], mode, &m);
		else
			bif_chars_add(&m, s.cs.c[i]);
	}
	if (m.n == s.cs.n &&
	    (m.n == 0 || memcmp(m.c, s.cs.c, m.n * sizeof *m.c) == 0))
		*out = term_copy(t);
	else
		*out = s.bin ? bif_chars_binary(m.c, m.n)
		             : term_string_cps(m.c, m.n);
	bif_chars_free(&m);
	str_free(&s);
	return 0;
}

BIF_VIA(bif_string_lowercase_1, recase(ctx, a[0], CASE_LOWER, out))
BIF_VIA(bif_string_uppercase_1, recase(ctx, a[0], CASE_UPPER, out))
BIF_VIA(bif_string_titlecase_1, recase(ctx, a[0], CASE_TITLE, out))

/*
 * to_integer/1 and to_float/1: the number at the start and the rest, as
 * {Number, Rest}, or {error, no_integer | no_float | badarg}.
 */

static size_t
digits(const uint32_t *c, size_t n, size_t i)
{
	while (i < n && c[i] >= '0' && c[i] <= '9')
		i++;
	return i;
}

/*
 * The length of the number at the start of c: [+-]D+ for an integer,
 * [+-]D+[.,]D+ with an optional [eE][+-]D+ for a float (OTP accepts a
 * comma for the point); 0 when there is none.
 */
static size_t
number_length(const uint32_t *c, size_t n, int is_float)
{
	size_t i = 0, d, e;

	if (i < n && (c[i] == '+' || c[i] == '-'))
		i++;
	if ((d = digits(c, n, i)) == i)
		return 0;
	if (!is_float)
		return d;
	if (d >= n || (c[d] != '.' && c[d] != ','))
		return 0;
	if ((i = digits(c, n, d + 1)) == d + 1)
		return 0;
	if (i < n && (c[i] == 'e' || c[i] == 'E')) {
		e = i + 1;
		if (e < n && (c[e] == '+' || c[e] == '-'))
			e++;
		if (digits(c, n, e) > e)
			i = digits(c, n, e);
	}
	return i;
}

static term
error_tuple(const char *why)
{
	return term_tuple2(term_atom_of(A_ERROR), term_atom(why));
}

static int
to_number(struct bif_ctx *ctx, term t, int is_float, term *out)
{
	struct str s;
	struct buf b;
	size_t len, i;
	term num;
	double d;

	(void)ctx;
	if (str_read(t, &s) < 0) {
		*out = error_tuple("badarg");
		return 0;
	}
	len = number_length(s.cs.c, s.cs.n, is_float);
	buf_init(&b);
	for (i = 0; i < len; i++)
		buf_addc(&b, s.cs.c[i] == ',' ? '.' : (int)s.cs.c[i]);
	errno = 0;
	if (len == 0)
		num = term_nil();
	else if (!is_float) {
		if (num_parse_int(b.data, b.len, 10, &num) < 0)
			num = term_nil();
	} else {
		d = strtod(buf_str(&b), NULL);
		num = errno == ERANGE && (d < -1 || d > 1) ? term_nil()
		                                           : term_float(d);
	}
	buf_free(&b);
	/* OTP: a float too large for a double is no float either. */
	if (term_kind(num) == TERM_NIL)
		*out = error_tuple(is_float ? "no_float" : "no_integer");
	else
		*out = term_tuple2(num, str_part(&s, len, s.cs.n));
	str_free(&s);
	return 0;
}

BIF_VIA(bif_string_to_integer_1, to_number(ctx, a[0], 0, out))
BIF_VIA(bif_string_to_float_1, to_number(ctx, a[0], 1, out))

/*
 * The old latin1 API.
 */

/* join(["a", "b"], ", "): H ++ lists:append([Sep ++ X || X <- T]). */
int
bif_string_join_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	term *parts;
	size_t n, i, k = 0;
	int rc;

	if (bif_list(a[0], &e, &n) < 0 ||
	    (n == 0 && term_kind(a[1]) != TERM_NIL &&
	        term_kind(a[1]) != TERM_LIST))
		return bif_fclause(ctx);
	if (n == 0) {
		*out = term_nil();
		return 0;
	}
	parts = xreallocarray(NULL, 2 * n, sizeof *parts);
	parts[k++] = e[0];
	for (i = 1; i < n; i++) {
		parts[k++] = a[1];
		parts[k++] = e[i];
	}
	if (n == 1)
		parts[k++] = term_nil();
	rc = bif_concat(ctx, parts, k, out);
	free(parts);
	return rc;
}

/* tokens/2: any terms, compared exactly; Seps [] keeps the string whole. */
int
bif_string_tokens_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e, *sep;
	size_t n, nsep, i, k, start = 0;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_fclause(ctx);
	if (bif_list(a[1], &sep, &nsep) < 0)
		return bif_error_with(ctx, "case_clause", a[1]);
	if (nsep == 0) {
		*out = n == 0 ? term_nil() : bif_list_of(&a[0], 1, term_nil());
		return 0;
	}
	for (i = 0; i <= n; i++) {
		for (k = 0; i < n && k < nsep && !term_equal(e[i], sep[k]); k++)
			;
		if (i < n && k == nsep)
			continue;
		if (i > start)
			term_vec_push(
			    &v, bif_list_of(e + start, i - start, term_nil()));
		start = i + 1;
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/* to_lower/1 and to_upper/1: latin1 letters of a list, or one character. */
static term
latin1_case(term c, int upper)
{
	int64_t x = c.u.i, lo = upper ? 'a' : 'A';

	if (term_kind(c) != TERM_INT)
		return c;
	if ((x >= lo && x < lo + 26) || (x >= lo + 0x7f && x <= lo + 0x95) ||
	    (x >= lo + 0x97 && x <= lo + 0x9d))
		return term_int(upper ? x - 32 : x + 32);
	return c;
}

static int
old_case(struct bif_ctx *ctx, term t, int upper, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	size_t i, n;

	if (term_kind(t) == TERM_INT) {
		*out = latin1_case(t, upper);
		return 0;
	}
	if (term_kind(t) != TERM_LIST && term_kind(t) != TERM_NIL)
		return bif_fclause(ctx);
	n = term_size(t);
	for (i = 0; i < n; i++)
		term_vec_push(
		    &v, term_copy(latin1_case(term_list_get(t, i), upper)));
	if (term_kind(term_list_tail(t)) != TERM_NIL) {
		term_vec_free(&v);
		return bif_error_with(ctx, "bad_generator", term_list_tail(t));
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_string_to_lower_1, old_case(ctx, a[0], 0, out))
BIF_VIA(bif_string_to_upper_1, old_case(ctx, a[0], 1, out))

/*
 * The string module's old functions, on flat lists (string.erl's
 * clauses: a list that is no list, a count out of range, is a
 * function_clause).
 */

/*
 * chr/rchr and str/rstr: the index (from 1) of the first (or last)
 * occurrence of a character or a sublist, or 0.
 */
static int
old_find(struct bif_ctx *ctx, const term *a, int chr, int last, term *out)
{
	const term *e, *sub = &a[1];
	size_t n, m = 1, i, j, at = 0;

	if (bif_list(a[0], &e, &n) < 0 ||
	    (chr ? term_kind(a[1]) != TERM_INT : bif_list(a[1], &sub, &m) < 0))
		return bif_fclause(ctx);
	for (i = 0; m > 0 && i + m <= n; i++) {
		for (j = 0; j < m && term_equal(e[i + j], sub[j]); j++)
			;
		if (j == m) {
			at = i + 1;
			if (!last)
				break;
		}
	}
	*out = term_int((int64_t)at);
	return 0;
}

BIF_VIA(bif_string_chr_2, old_find(ctx, a, 1, 0, out))
BIF_VIA(bif_string_rchr_2, old_find(ctx, a, 1, 1, out))
BIF_VIA(bif_string_str_2, old_find(ctx, a, 0, 0, out))
BIF_VIA(bif_string_rstr_2, old_find(ctx, a, 0, 1, out))

/* substr(S, Start[, Len]): Start from 1, at most one past the end. */
static int
substr(struct bif_ctx *ctx, term str, term start, const term *len, term *out)
{
	const term *e;
	size_t n;
	int64_t s, l = INT64_MAX;

	if (bif_list(str, &e, &n) < 0 ||
	    bif_int_range(start, 1, INT64_MAX, &s) < 0 ||
	    (len != NULL && bif_int_range(*len, 0, INT64_MAX, &l) < 0) ||
	    (uint64_t)s > n + 1)
		return bif_fclause(ctx);
	if ((uint64_t)l > n - (size_t)(s - 1))
		l = (int64_t)(n - (size_t)(s - 1));
	*out = bif_list_of(e + s - 1, (size_t)l, term_nil());
	return 0;
}

BIF_VIA(bif_string_substr_2, substr(ctx, a[0], a[1], NULL, out))
BIF_VIA(bif_string_substr_3, substr(ctx, a[0], a[1], &a[2], out))
BIF_VIA(bif_string_sub_string_2, substr(ctx, a[0], a[1], NULL, out))

int
bif_string_sub_string_3(struct bif_ctx *ctx, const term *a, term *out)
{
	term len;
	int64_t s, stop;

	if (bif_int_range(a[1], 1, INT64_MAX, &s) < 0 ||
	    bif_int_range(a[2], s - 1, INT64_MAX, &stop) < 0)
		return bif_fclause(ctx);
	len = term_int(stop - s + 1);
	return substr(ctx, a[0], a[1], &len, out);
}

/* strip(S[, Dir[, Char]]): the Char at the left, right or both ends. */
static int
strip(struct bif_ctx *ctx, const term *a, size_t argc, term *out)
{
	const term *e;
	size_t n, from = 0, to;
	term c = argc > 2 ? a[2] : term_int(' ');
	int left = 1, right = 1;

	if (argc > 1) {
		left = term_atom_is(a[1], "left") || term_atom_is(a[1], "both");
		right =
		    term_atom_is(a[1], "right") || term_atom_is(a[1], "both");
	}
	if ((!left && !right) || term_kind(c) != TERM_INT ||
	    bif_list(a[0], &e, &n) < 0)
		return bif_fclause(ctx);
	to = n;
	while (left && from < to && term_equal(e[from], c))
		from++;
	while (right && to > from && term_equal(e[to - 1], c))
		to--;
	*out = bif_list_of(e + from, to - from, term_nil());
	return 0;
}

BIF_VIA(bif_string_strip_1, strip(ctx, a, 1, out))
BIF_VIA(bif_string_strip_2, strip(ctx, a, 2, out))
BIF_VIA(bif_string_strip_3, strip(ctx, a, 3, out))

/* n copies of c, then tail (consumed). */
static term
chars_then(term c, size_t n, term tail)
{
	term *v = xreallocarray(NULL, n + 1, sizeof *v), t;
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = c;
	t = term_list(n, v, tail);
	free(v);
	return t;
}

/*
 * left/2,3, right/2,3 and centre/2,3: S cut or padded with Char to Len;
 * centre puts the larger half of the padding after.
 */
enum align { LEFT, RIGHT, CENTRE };

static int
align(
    struct bif_ctx *ctx, const term *a, size_t argc, enum align how, term *out)
{
	const term *e;
	size_t n, pad, before;
	int64_t len;
	term c = argc > 2 ? a[2] : term_int(' ');

	if (bif_list(a[0], &e, &n) < 0 ||
	    bif_int_range(a[1], 0, INT64_MAX, &len) < 0 ||
	    term_kind(c) != TERM_INT)
		return bif_fclause(ctx);
	if ((uint64_t)len > (uint64_t)SIZE_MAX / 64)
		return bif_error(ctx, term_atom("system_limit"));
	if (n >= (size_t)len) {
		size_t from = how == LEFT    ? 0
		              : how == RIGHT ? n - (size_t)len
		                             : (n - (size_t)len) / 2;

		*out = bif_list_of(e + from, (size_t)len, term_nil());
		return 0;
	}
	pad = (size_t)len - n;
	before = how == LEFT ? 0 : how == RIGHT ? pad : pad / 2;
	*out = chars_then(c, before,
	    bif_list_of(e, n, chars_then(c, pad - before, term_nil())));
	return 0;
}

BIF_VIA(bif_string_left_2, align(ctx, a, 2, LEFT, out))
BIF_VIA(bif_string_left_3, align(ctx, a, 3, LEFT, out))
BIF_VIA(bif_string_right_2, align(ctx, a, 2, RIGHT, out))
BIF_VIA(bif_string_right_3, align(ctx, a, 3, RIGHT, out))
BIF_VIA(bif_string_centre_2, align(ctx, a, 2, CENTRE, out))
BIF_VIA(bif_string_centre_3, align(ctx, a, 3, CENTRE, out))

/* chars(C, N[, Tail]) and copies(S, N). */
static int
chars(struct bif_ctx *ctx, term c, term count, term tail, term *out)
{
	int64_t k;

	if (bif_int_range(count, 0, INT64_MAX, &k) < 0 ||
	    term_kind(c) != TERM_INT)
		return bif_fclause(ctx);
	if ((uint64_t)k > (uint64_t)SIZE_MAX / 64)
		return bif_error(ctx, term_atom("system_limit"));
	*out = chars_then(c, (size_t)k, term_copy(tail));
	return 0;
}

BIF_VIA(bif_string_chars_2, chars(ctx, a[0], a[1], term_nil(), out))
BIF_VIA(bif_string_chars_3, chars(ctx, a[0], a[1], a[2], out))

int
bif_string_copies_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const term *e;
	size_t n, i, j;
	int64_t k;

	if (bif_list(a[0], &e, &n) < 0 ||
	    bif_int_range(a[1], 0, INT64_MAX, &k) < 0)
		return bif_fclause(ctx);
	if (n > 0 && (uint64_t)k > (uint64_t)SIZE_MAX / 64 / n)
		return bif_error(ctx, term_atom("system_limit"));
	for (i = 0; i < (size_t)k; i++)
		for (j = 0; j < n; j++)
			term_vec_push(&v, term_copy(e[j]));
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/*
 * words(S[, Char]) and sub_word(S, N[, Char]): the words between runs
 * of Char; an empty string has one word, as string.erl counts.
 */
static int
word_at(struct bif_ctx *ctx, const term *a, size_t argc, int sub, term *out)
{
	const term *e;
	size_t n, i = 0, words = 0, from = 0, to = 0;
	term c = argc > (size_t)(sub ? 2 : 1) ? a[sub ? 2 : 1] : term_int(' ');
	int64_t want = 0;

	if (bif_list(a[0], &e, &n) < 0 || term_kind(c) != TERM_INT ||
	    (sub && term_kind(a[1]) != TERM_INT))
		return bif_fclause(ctx);
	if (sub)
		want = a[1].u.i;
	/* string.erl's s_word has no clause for a word before the first. */
	if (sub && want < 1) {
		for (i = 0; i < n && term_equal(e[i], c); i++)
			;
		if (i < n)
			return bif_fclause(ctx);
		*out = term_nil();
		return 0;
	}
	while (i < n) {
		while (i < n && term_equal(e[i], c))
			i++;
		if (i == n)
			break;
		from = i;
		while (i < n && !term_equal(e[i], c))
			i++;
		to = i;
		if (++words == (uint64_t)want && sub) {
			*out = bif_list_of(e + from, to - from, term_nil());
			return 0;
		}
	}
	if (sub)
		*out = term_nil();
	else
		*out = term_int(words == 0 ? 1 : (int64_t)words);
	return 0;
}

BIF_VIA(bif_string_words_1, word_at(ctx, a, 1, 0, out))
BIF_VIA(bif_string_words_2, word_at(ctx, a, 2, 0, out))
BIF_VIA(bif_string_sub_word_2, word_at(ctx, a, 2, 1, out))
BIF_VIA(bif_string_sub_word_3, word_at(ctx, a, 3, 1, out))

/* span/2, cspan/2: how many leading elements are (not) in Chars. */
static int
span(struct bif_ctx *ctx, const term *a, int in, term *out)
{
	const term *e, *cs;
	size_t n, m, i, j;

	if (bif_list(a[0], &e, &n) < 0 || bif_list(a[1], &cs, &m) < 0)
		return bif_fclause(ctx);
	for (i = 0; i < n; i++) {
		for (j = 0; j < m && !term_equal(e[i], cs[j]); j++)
			;
		if ((j < m) != in)
			break;
	}
	*out = term_int((int64_t)i);
	return 0;
}

BIF_VIA(bif_string_span_2, span(ctx, a, 1, out))
BIF_VIA(bif_string_cspan_2, span(ctx, a, 0, out))

/* string.erl: len(S) -> length(S); concat(S1, S2) -> S1 ++ S2. */
BIF_VIA(bif_string_len_1, bif_erlang_length_1(ctx, a, out))
BIF_VIA(bif_string_concat_2, bif_concat(ctx, a, 2, out))

/*
 * unicode:characters_to_binary/1,2 and characters_to_list/1,2, as OTP's
 * NIF converts: chardata that is no chardata (an atom inside, a
 * bitstring) is badarg; a code point out of range or bytes that are no
 * UTF-8 stop the conversion at {error, Done, Rest}, and a sequence cut
 * off at the end at {incomplete, Done, Bytes}. Rest keeps the input's
 * shape from the failure on: each enclosing list's rest after the
 * element that failed follows it, [Rest | Tail]. A sequence begun in one
 * binary may end in the next; when something else comes first, Rest is
 * [Begun, Tail from there].
 */
struct conv {
	struct bif_chars c; /* converted */
	int latin1;         /* binaries are latin1 (InEncoding latin1) */
	struct buf begun;   /* bytes of a sequence a binary ended in */
	/* The list and index the rest starts at when a begun sequence is
	 * followed by no binary (term_nil(): not met yet). */
	term anchor;
	size_t anchor_at;
	term rest; /* at a failure */
	int final; /* the rest needs no enclosing list's tail */
};

enum { CONV_OK, CONV_ERROR, CONV_INCOMPLETE };

/* Whether t is chardata in shape (integers of any value). */
static int
conv_shape(term t, int depth)
{
	const term *e;
	size_t i, n;
	term tail;

	if (depth > TERM_IODATA_DEPTH)
		return 0;
	if (term_kind(t) == TERM_BINARY)
		return term_is_binary(t);
	if (term_kind(t) == TERM_NIL)
		return 1;
	if (term_kind(t) != TERM_LIST)
		return 0;
	e = term_elems(t);
	n = term_size(t);
	for (i = 0; i < n; i++)
		if (term_kind(e[i]) != TERM_INT &&
		    term_kind(e[i]) != TERM_BIG && !conv_shape(e[i], depth + 1))
			return 0;
	tail = term_list_tail(t);
	return term_kind(tail) == TERM_NIL || term_is_binary(tail);
}

/* Whether p[0..n) (n > 0) could begin a UTF-8 sequence longer than n. */
static int
utf8_begun(const unsigned char *p, size_t n)
{
	size_t more, k;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		more = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		more = 2;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		more = 3;
	else
		return 0;
	if (n > more)
		return 0;
	for (k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	if (n > 1 &&
	    ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	        (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f)))
		return 0;
	return 1;
}

/* The bytes of a binary, after what an earlier one began. */
static int
conv_bytes(struct conv *cv, term bin)
{
	const unsigned char *p;
	size_t n, i = 0, start;
	uint32_t ch;
	int joined = cv->begun.len > 0;

	buf_add(&cv->begun, term_bin_data(bin), term_bin_size(bin));
	p = (const unsigned char *)cv->begun.data;
	n = cv->begun.len;
	while (i < n) {
		start = i;
		if (cv->latin1)
			ch = p[i++];
		else if (utf8_next(p, n, &i, &ch) < 0) {
			if (utf8_begun(p + start, n - start)) {
				memmove(cv->begun.data, p + start, n - start);
				cv->begun.len = n - start;
				return CONV_OK;
			}
			cv->rest = term_binary(p + start, n - start);
			cv->final = joined;
			return CONV_ERROR;
		}
		bif_chars_add(&cv->c, ch);
	}
	cv->begun.len = 0;
	cv->anchor = term_nil();
	return CONV_OK;
}

static int
conv_list(struct conv *cv, term l)
{
	const term *e = term_elems(l);
	size_t n = term_size(l), i;
	term tail = term_list_tail(l), v[2];
	int rc;

	for (i = 0; i < n; i++) {
		if (cv->begun.len > 0 && term_kind(e[i]) != TERM_BINARY &&
		    term_kind(cv->anchor) == TERM_NIL) {
			cv->anchor = l;
			cv->anchor_at = i;
		}
		if (term_kind(e[i]) == TERM_BINARY)
			rc = conv_bytes(cv, e[i]);
		else if (term_kind(e[i]) == TERM_LIST ||
		         term_kind(e[i]) == TERM_NIL)
			rc = term_kind(e[i]) == TERM_NIL ? CONV_OK
			                                 : conv_list(cv, e[i]);
		else if (cv->begun.len > 0) {
			v[0] = term_binary(cv->begun.data, cv->begun.len);
			v[1] = bif_list_from(cv->anchor, cv->anchor_at);
			cv->rest = term_list(2, v, term_nil());
			cv->final = 1;
			return CONV_ERROR;
		} else if (term_kind(e[i]) == TERM_INT && e[i].u.i >= 0 &&
		           e[i].u.i <= (cv->latin1 ? 255 : 0x10ffff) &&
		           (e[i].u.i < 0xd800 || e[i].u.i > 0xdfff)) {
			bif_chars_add(&cv->c, (uint32_t)e[i].u.i);
			rc = CONV_OK;
		} else {
			cv->rest = bif_list_from(l, i);
			return CONV_ERROR;
		}
		if (rc != CONV_OK) {
			if (!cv->final) {
				v[0] = cv->rest;
				cv->rest =
				    term_list(1, v, bif_list_from(l, i + 1));
			}
			return rc;
		}
	}
	return term_kind(tail) == TERM_BINARY ? conv_bytes(cv, tail) : CONV_OK;
}

static int
characters(struct bif_ctx *ctx, term data, term enc, int to_list, term *out)
{
	struct conv cv;
	term done;
	int rc;

	memset(&cv, 0, sizeof cv);
	buf_init(&cv.begun);
	cv.anchor = term_nil();
	cv.rest = term_nil();
	cv.latin1 = term_atom_is(enc, "latin1");
	if (!cv.latin1 && !term_atom_is(enc, "unicode") &&
	    !term_atom_is(enc, "utf8"))
		return bif_badarg(ctx, -1, NULL);
	if (!conv_shape(data, 0))
		return bif_badarg(ctx, -1, NULL);
	rc = term_kind(data) == TERM_BINARY ? conv_bytes(&cv, data)
	     : term_kind(data) == TERM_NIL  ? CONV_OK
	                                    : conv_list(&cv, data);
	if (rc == CONV_OK && cv.begun.len > 0) {
		rc = CONV_INCOMPLETE;
		cv.rest = term_binary(cv.begun.data, cv.begun.len);
	}
	if (to_list) {
		struct term_vec v = {NULL, 0, 0};
		size_t i;

		for (i = 0; i < cv.c.n; i++)
			term_vec_push(&v, term_int(cv.c.c[i]));
		done = term_vec_list(&v, term_nil());
	} else
		done = bif_chars_binary(cv.c.c, cv.c.n);
	bif_chars_free(&cv.c);
	buf_free(&cv.begun);
	if (rc == CONV_OK)
		*out = done;
	else
		*out = term_tuple3(
		    term_atom(rc == CONV_ERROR ? "error" : "incomplete"), done,
		    cv.rest);
	return 0;
}

BIF_VIA(bif_unicode_characters_to_binary_1,
    characters(ctx, a[0], term_atom("unicode"), 0, out))
BIF_VIA(bif_unicode_characters_to_list_1,
    characters(ctx, a[0], term_atom("unicode"), 1, out))
BIF_VIA(bif_unicode_characters_to_binary_2, characters(ctx, a[0], a[1], 0, out))
BIF_VIA(bif_unicode_characters_to_list_2, characters(ctx, a[0], a[1], 1, out))
