/*
 * The binary module: parts, searches for one or several patterns (the
 * leftmost match, the longest of those starting there, as binary:match/2
 * documents), split and replace with their options, and the unsigned
 * integer codecs. erlang:binary_part/2,3 share binary:part's code, as
 * they share its errors.
 *
 * A bitstring is no binary here, as in OTP: every function refuses it,
 * explained as "is a bitstring", except that the parts (binary:part,
 * binary_part) are taken from its whole bytes.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "bif_lib.h"
#include "util.h"

static const char not_binary[] = "not a binary";
static const char bitstring[] = "is a bitstring (expected a binary)";
static const char not_integer[] = "not an integer";
static const char range[] = "out of range";
static const char bad_pattern[] = "not a valid pattern";
static const char bad_options[] = "invalid options";
static const char bad_endianness[] = "must be 'big' or 'little'";

/* A position from 0: NULL, or why it is none (must_be_position). */
static const char *
pos_why(term t)
{
	if (!term_is_integer(t))
		return not_integer;
	if (term_kind(t) != TERM_INT || t.u.i < 0)
		return range;
	return NULL;
}

/* A binary: NULL, or why it is none (erl_stdlib_errors' must_be_binary). */
static const char *
bin_why(term t)
{
	if (term_is_binary(t))
		return NULL;
	return term_kind(t) == TERM_BINARY ? bitstring : not_binary;
}

/*
 * The part of a binary at pos of length len (negative: that many bytes
 * before pos): 0 with its offset and size, or -1 when it is not wholly
 * inside. Both are checked as 64-bit integers; a bignum is never inside.
 */
static int
span(size_t size, term pos, term len, size_t *off, size_t *n)
{
	int64_t p, l;

	if (term_kind(pos) != TERM_INT || term_kind(len) != TERM_INT)
		return -1;
	p = pos.u.i;
	l = len.u.i;
	if (p < 0 || (uint64_t)p > size)
		return -1;
	if (l < 0) {
		if (l < -p)
			return -1;
		p += l;
		l = -l;
	}
	if ((uint64_t)l > size - (uint64_t)p)
		return -1;
	*off = (size_t)p;
	*n = (size_t)l;
	return 0;
}

/* How part() is called. */
#define PART_TUPLE 0x1 /* a /2 form: {Pos, Len} */
#define PART_ERTS 0x2  /* erlang:binary_part: erl_erts_errors explains */
#define PART_WHOLE 0x4 /* bin_to_list/2,3: no bitstring at all */

/* The explanation of part's first argument. */
static const char *
part_bin_why(term bin, int flags)
{
	/* OTP: erl_erts_errors calls any bitstring "not a binary". */
	if (flags & PART_ERTS)
		return term_is_binary(bin) ? NULL : not_binary;
	return bin_why(bin);
}

/*
 * binary:part/3 and erlang:binary_part/3: the part, or badarg explained
 * as erl_stdlib_errors explains it; PART_TUPLE is set for the /2 forms,
 * which report only the first two arguments (and nothing at all when pos
 * is past the end, where OTP's formatter finds no clause).
 */
static int
part(struct bif_ctx *ctx, term bin, term pos, term len, int flags, term *out)
{
	size_t off, n;
	int tuple = flags & PART_TUPLE;

	/* OTP: the part of a bitstring may be taken from its whole bytes. */
	if (term_kind(bin) == TERM_BINARY &&
	    (!(flags & PART_WHOLE) || term_is_binary(bin)) &&
	    span(term_bin_bits(bin) / 8, pos, len, &off, &n) == 0) {
		*out = term_binary(term_bin_data(bin) + off, n);
		return 0;
	}
	bif_badarg(ctx, -1, NULL);
	ctx->why[0] = part_bin_why(bin, flags);
	ctx->why[1] = pos_why(pos);
	ctx->why[2] = term_is_integer(len) ? NULL : not_integer;
	if (ctx->why[0] || ctx->why[1] || ctx->why[2]) {
		if (tuple)
			ctx->why[2] = NULL;
		return -1;
	}
	if (term_kind(pos) != TERM_INT ||
	    (uint64_t)pos.u.i > term_bin_bits(bin) / 8)
		ctx->why[1] = tuple ? NULL : range;
	else
		ctx->why[tuple ? 1 : 2] = range;
	return -1;
}

static int
part_tuple(struct bif_ctx *ctx, term bin, term pl, int flags, term *out)
{
	if (term_kind(pl) != TERM_TUPLE || term_size(pl) != 2 ||
	    !term_is_integer(term_tuple_get(pl, 0)) ||
	    !term_is_integer(term_tuple_get(pl, 1))) {
		bif_badarg(ctx, 1, "not a valid {Pos,Length} tuple");
		ctx->why[0] = part_bin_why(bin, flags);
		return -1;
	}
	return part(ctx, bin, term_tuple_get(pl, 0), term_tuple_get(pl, 1),
	    flags | PART_TUPLE, out);
}

BIF_VIA(bif_binary_part_2, part_tuple(ctx, a[0], a[1], 0, out))
BIF_VIA(bif_binary_part_3, part(ctx, a[0], a[1], a[2], 0, out))

BIF_VIA(bif_erlang_binary_part_2, part_tuple(ctx, a[0], a[1], PART_ERTS, out))
BIF_VIA(bif_erlang_binary_part_3, part(ctx, a[0], a[1], a[2], PART_ERTS, out))

/* The bytes of a binary as a list, the binary consumed. */
static term
bytes_list(term bin)
{
	term l =
	    term_string_n((const char *)term_bin_data(bin), term_bin_size(bin));

	term_free(bin);
	return l;
}

int
bif_binary_bin_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (bin_why(a[0]) != NULL)
		return bif_badarg(ctx, 0, bin_why(a[0]));
	*out = term_string_n(
	    (const char *)term_bin_data(a[0]), term_bin_size(a[0]));
	return 0;
}

int
bif_binary_bin_to_list_2(struct bif_ctx *ctx, const term *a, term *out)
{
	if (part_tuple(ctx, a[0], a[1], PART_WHOLE, out) < 0)
		return -1;
	*out = bytes_list(*out);
	return 0;
}

int
bif_binary_bin_to_list_3(struct bif_ctx *ctx, const term *a, term *out)
{
	if (part(ctx, a[0], a[1], a[2], PART_WHOLE, out) < 0)
		return -1;
	*out = bytes_list(*out);
	return 0;
}

int
bif_binary_at_2(struct bif_ctx *ctx, const term *a, term *out)
{
	if (bin_why(a[0]) != NULL || pos_why(a[1]) != NULL ||
	    (uint64_t)a[1].u.i >= term_bin_size(a[0])) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = bin_why(a[0]);
		ctx->why[1] = pos_why(a[1]);
		return -1;
	}
	*out = term_int(term_bin_data(a[0])[a[1].u.i]);
	return 0;
}

static int
end_byte(struct bif_ctx *ctx, term bin, int last, term *out)
{
	size_t n;

	if (bin_why(bin) != NULL)
		return bif_badarg(ctx, 0, bin_why(bin));
	if ((n = term_bin_size(bin)) == 0)
		return bif_badarg(ctx, 0, "a zero-sized binary is not allowed");
	*out = term_int(term_bin_data(bin)[last ? n - 1 : 0]);
	return 0;
}

BIF_VIA(bif_binary_first_1, end_byte(ctx, a[0], 0, out))
BIF_VIA(bif_binary_last_1, end_byte(ctx, a[0], 1, out))

int
bif_binary_copy_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (bin_why(a[0]) != NULL)
		return bif_badarg(ctx, 0, bin_why(a[0]));
	*out = term_copy(a[0]);
	return 0;
}

int
bif_binary_copy_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct buf b;
	size_t n;
	int64_t i, times;

	/* OTP: no copies of a bitstring are <<>>; one or more are badarg. */
	if (term_kind(a[0]) == TERM_BINARY && term_kind(a[1]) == TERM_INT &&
	    a[1].u.i == 0) {
		*out = term_binary(NULL, 0);
		return 0;
	}
	if (bin_why(a[0]) != NULL || pos_why(a[1]) != NULL) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = bin_why(a[0]);
		ctx->why[1] = pos_why(a[1]);
		return -1;
	}
	n = term_bin_size(a[0]);
	times = a[1].u.i;
	if (n > 0 && (uint64_t)times > (SIZE_MAX / 2) / n)
		return bif_error(ctx, term_atom("system_limit"));
	buf_init(&b);
	buf_reserve(&b, n * (size_t)times);
	for (i = 0; i < times; i++)
		buf_add(&b, term_bin_data(a[0]), n);
	*out = term_binary(b.data, b.len);
	buf_free(&b);
	return 0;
}

int
bif_binary_list_to_bin_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct buf b;

	buf_init(&b);
	if (term_kind(a[0]) == TERM_BINARY || term_iodata(a[0], &b) < 0) {
		buf_free(&b);
		return bif_badarg(ctx, 0, "not an iodata term");
	}
	*out = term_binary(b.data, b.len);
	buf_free(&b);
	return 0;
}

/*
 * Unsigned integers, big-endian or little-endian.
 */

/* 0 for big, 1 for little, -1 for neither. */
static int
endianness(term t)
{
	if (term_atom_is(t, "big"))
		return 0;
	return term_atom_is(t, "little") ? 1 : -1;
}

static int
decode_unsigned(struct bif_ctx *ctx, term bin, term endian, term *out)
{
	const unsigned char *p;
	uint32_t *w;
	size_t n, i;
	int little = endianness(endian);

	if (bin_why(bin) != NULL || little < 0) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = bin_why(bin);
		ctx->why[1] = little < 0 ? bad_endianness : NULL;
		return -1;
	}
	p = term_bin_data(bin);
	n = term_bin_size(bin);
	w = xcalloc(n / 4 + 1, sizeof *w);
	for (i = 0; i < n; i++) {
		/* Byte i counts from the least significant end. */
		unsigned char byte = p[little ? i : n - 1 - i];

		w[i / 4] |= (uint32_t)byte << (8 * (i % 4));
	}
	*out = term_big(1, w, n / 4 + 1);
	free(w);
	return 0;
}

BIF_VIA(bif_binary_decode_unsigned_1,
    decode_unsigned(ctx, a[0], term_atom("big"), out))
BIF_VIA(bif_binary_decode_unsigned_2, decode_unsigned(ctx, a[0], a[1], out))

static int
encode_unsigned(struct bif_ctx *ctx, term i, term endian, term *out)
{
	unsigned char *p;
	const uint32_t *w;
	uint32_t small[2];
	size_t nw, n, k;
	int little = endianness(endian);
	const char *why = NULL;

	if (!term_is_integer(i))
		why = not_integer;
	else if (term_kind(i) == TERM_INT ? i.u.i < 0 : term_big_sign(i) < 0)
		why = range;
	if (why != NULL || little < 0) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = why;
		ctx->why[1] = little < 0 ? bad_endianness : NULL;
		return -1;
	}
	if (term_kind(i) == TERM_INT) {
		small[0] = (uint32_t)i.u.i;
		small[1] = (uint32_t)((uint64_t)i.u.i >> 32);
		w = small;
		nw = 2;
	} else
		w = term_big_limbs(i, &nw);
	/* Bytes from the least significant; at least one, as OTP gives <<0>>.
	 */
	for (n = nw * 4;
	     n > 1 && (w[(n - 1) / 4] >> (8 * ((n - 1) % 4)) & 0xff) == 0; n--)
		;
	p = xmalloc(n);
	for (k = 0; k < n; k++)
		p[little ? k : n - 1 - k] =
		    (unsigned char)(w[k / 4] >> (8 * (k % 4)));
	*out = term_binary(p, n);
	free(p);
	return 0;
}

BIF_VIA(bif_binary_encode_unsigned_1,
    encode_unsigned(ctx, a[0], term_atom("big"), out))
BIF_VIA(bif_binary_encode_unsigned_2, encode_unsigned(ctx, a[0], a[1], out))

static int
common_affix(struct bif_ctx *ctx, term list, int suffix, term *out)
{
	const term *e;
	size_t n, i, k, len = SIZE_MAX, sz;
	const unsigned char *p, *q;

	if (bif_list(list, &e, &n) < 0 || n == 0)
		return bif_badarg(ctx, 0, "not a flat list of binaries");
	for (i = 0; i < n; i++) {
		if (!term_is_binary(e[i]))
			return bif_badarg(
			    ctx, 0, "not a flat list of binaries");
		if (term_bin_size(e[i]) < len)
			len = term_bin_size(e[i]);
	}
	for (i = 1; i < n; i++) {
		p = term_bin_data(e[0]);
		q = term_bin_data(e[i]);
		if (suffix) {
			p += term_bin_size(e[0]);
			q += term_bin_size(e[i]);
		}
		sz = 0;
		for (k = 0; k < len; k++) {
			if (suffix ? p[-1 - (long)k] != q[-1 - (long)k]
			           : p[k] != q[k])
				break;
			sz++;
		}
		len = sz;
	}
	*out = term_int((int64_t)len);
	return 0;
}

int
bif_binary_longest_common_prefix_1(
    struct bif_ctx *ctx, const term *a, term *out)
{
	return common_affix(ctx, a[0], 0, out);
}

int
bif_binary_longest_common_suffix_1(
    struct bif_ctx *ctx, const term *a, term *out)
{
	return common_affix(ctx, a[0], 1, out);
}

/*
 * Searching: patterns, options and the search itself.
 */

/* A pattern: one non-empty binary or a non-empty list of them. */
struct patterns {
	const term *p;
	size_t n;
};

static int
patterns(term t, struct patterns *ps)
{
	size_t i;

	if (term_kind(t) == TERM_BINARY) {
		ps->p = NULL;
		ps->n = 1;
		return term_is_binary(t) && term_bin_size(t) > 0 ? 0 : -1;
	}
	if (bif_list(t, &ps->p, &ps->n) < 0 || ps->n == 0)
		return -1;
	for (i = 0; i < ps->n; i++)
		if (!term_is_binary(ps->p[i]) || term_bin_size(ps->p[i]) == 0)
			return -1;
	return 0;
}

/* Options of match, matches, split and replace. */
#define OPT_SCOPE 0x1
#define OPT_GLOBAL 0x2
#define OPT_TRIM 0x4
#define OPT_TRIM_ALL 0x8
#define OPT_INSERT 0x10

struct search {
	const unsigned char *s;
	size_t size;       /* of the subject */
	size_t start, end; /* the scope */
	struct patterns ps;
	term pat;        /* a single binary pattern, when ps.p is NULL */
	int flags;       /* OPT_* given */
	const term *ins; /* insert_replaced positions */
	size_t nins;
	term ins_one;
};

/* Reads the options allowed; -1 on anything else or a scope outside. */
static int
options(term opts, int allowed, struct search *sr)
{
	const term *e, *ip;
	size_t n, i, off, len, k;
	term o;

	if (bif_list(opts, &e, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		o = e[i];
		if ((allowed & OPT_GLOBAL) && term_atom_is(o, "global"))
			sr->flags |= OPT_GLOBAL;
		else if ((allowed & OPT_TRIM) && term_atom_is(o, "trim"))
			sr->flags |= OPT_TRIM;
		else if ((allowed & OPT_TRIM) && term_atom_is(o, "trim_all"))
			sr->flags |= OPT_TRIM_ALL;
		else if (term_is_tagged(o, "scope", 2) &&
		         term_kind(term_tuple_get(o, 1)) == TERM_TUPLE &&
		         term_size(term_tuple_get(o, 1)) == 2) {
			if (span(sr->size,
			        term_tuple_get(term_tuple_get(o, 1), 0),
			        term_tuple_get(term_tuple_get(o, 1), 1), &off,
			        &len) < 0)
				return -1;
			sr->start = off;
			sr->end = off + len;
		} else if ((allowed & OPT_INSERT) &&
		           term_is_tagged(o, "insert_replaced", 2)) {
			sr->ins_one = term_tuple_get(o, 1);
			if (term_kind(sr->ins_one) == TERM_INT) {
				ip = &sr->ins_one;
				k = 1;
			} else if (bif_list(sr->ins_one, &ip, &k) < 0)
				return -1;
			sr->ins = ip;
			sr->nins = k;
			for (k = 0; k < sr->nins; k++)
				if (term_kind(ip[k]) != TERM_INT ||
				    ip[k].u.i < 0)
					return -1;
		} else
			return -1;
	}
	return 0;
}

static size_t
pattern_size(const struct search *sr, size_t i)
{
	return term_bin_size(sr->ps.p ? sr->ps.p[i] : sr->pat);
}

static const unsigned char *
pattern_data(const struct search *sr, size_t i)
{
	return term_bin_data(sr->ps.p ? sr->ps.p[i] : sr->pat);
}

/* The next match at or after from: its offset and length, or -1. */
static int
next_match(const struct search *sr, size_t from, size_t *at, size_t *len)
{
	size_t pos, i, best, m;

	for (pos = from; pos < sr->end; pos++) {
		best = 0;
		for (i = 0; i < sr->ps.n; i++) {
			m = pattern_size(sr, i);
			if (m > best && m <= sr->end - pos &&
			    memcmp(sr->s + pos, pattern_data(sr, i), m) == 0)
				best = m;
		}
		if (best > 0) {
			*at = pos;
			*len = best;
			return 0;
		}
	}
	return -1;
}

/*
 * Sets up a search of subject for pattern with options (NULL for none)
 * of the kinds allowed. On a bad argument, raises badarg explained as
 * erl_stdlib_errors does for fn ("match", "split" or "replace"); extra
 * is the explanation of a fourth argument (replace's replacement).
 */
static int
search_init(struct bif_ctx *ctx, struct search *sr, const term *a,
    const term *opts, int allowed, const char *fn, const char *extra)
{
	int bad_opts;

	memset(sr, 0, sizeof *sr);
	sr->pat = a[1];
	if (bin_why(a[0]) == NULL) {
		sr->s = term_bin_data(a[0]);
		sr->size = sr->end = term_bin_size(a[0]);
	}
	bad_opts = opts != NULL && options(*opts, allowed, sr) < 0;
	if (bin_why(a[0]) == NULL && patterns(a[1], &sr->ps) == 0 &&
	    extra == NULL && !bad_opts)
		return 0;
	bif_badarg(ctx, -1, NULL);
	ctx->why[0] = bin_why(a[0]);
	ctx->why[1] = patterns(a[1], &sr->ps) < 0 ? bad_pattern : NULL;
	ctx->why[2] = extra;
	if (!bad_opts)
		return -1;
	/* OTP: replace/4 checks the replacement before the options. */
	if (strcmp(fn, "replace") == 0) {
		if (extra == NULL)
			ctx->why[3] = bad_options;
	} else if (ctx->why[0] == NULL && ctx->why[1] == NULL)
		ctx->why[2] = bad_options;
	/* OTP: one {scope, {Int, Int}} alone is explained as outside. */
	if (strcmp(fn, "match") == 0 && ctx->why[2] != NULL) {
		const term *e;
		size_t n;

		if (bif_list(*opts, &e, &n) == 0 && n == 1 &&
		    term_is_tagged(e[0], "scope", 2) &&
		    term_kind(term_tuple_get(e[0], 1)) == TERM_TUPLE &&
		    term_size(term_tuple_get(e[0], 1)) == 2 &&
		    term_is_integer(
		        term_tuple_get(term_tuple_get(e[0], 1), 0)) &&
		    term_is_integer(term_tuple_get(term_tuple_get(e[0], 1), 1)))
			ctx->why[2] =
			    "specified part is not wholly inside binary";
	}
	return -1;
}

static term
found(size_t at, size_t len)
{
	return term_tuple2(term_int((int64_t)at), term_int((int64_t)len));
}

static int
match(struct bif_ctx *ctx, const term *a, const term *opts, int all, term *out)
{
	struct search sr;
	struct term_vec v = {NULL, 0, 0};
	size_t at, len, from;

	if (search_init(ctx, &sr, a, opts, OPT_SCOPE, "match", NULL) < 0)
		return -1;
	for (from = sr.start; next_match(&sr, from, &at, &len) == 0;
	     from = at + len) {
		if (!all) {
			*out = found(at, len);
			return 0;
		}
		term_vec_push(&v, found(at, len));
	}
	*out = all ? term_vec_list(&v, term_nil()) : term_atom("nomatch");
	return 0;
}

BIF_VIA(bif_binary_match_2, match(ctx, a, NULL, 0, out))
BIF_VIA(bif_binary_match_3, match(ctx, a, &a[2], 0, out))
BIF_VIA(bif_binary_matches_2, match(ctx, a, NULL, 1, out))
BIF_VIA(bif_binary_matches_3, match(ctx, a, &a[2], 1, out))

static int
split(struct bif_ctx *ctx, const term *a, const term *opts, term *out)
{
	struct search sr;
	struct term_vec v = {NULL, 0, 0};
	size_t at, len, from, prev = 0;

	if (search_init(ctx, &sr, a, opts, OPT_SCOPE | OPT_GLOBAL | OPT_TRIM,
	        "split", NULL) < 0)
		return -1;
	for (from = sr.start; next_match(&sr, from, &at, &len) == 0;
	     from = at + len) {
		if (at > prev || !(sr.flags & OPT_TRIM_ALL))
			term_vec_push(&v, term_binary(sr.s + prev, at - prev));
		prev = at + len;
		if (!(sr.flags & OPT_GLOBAL))
			break;
	}
	if (sr.size > prev || !(sr.flags & OPT_TRIM_ALL))
		term_vec_push(&v, term_binary(sr.s + prev, sr.size - prev));
	/* trim drops the empty parts at the end. */
	while ((sr.flags & OPT_TRIM) && v.n > 0 &&
	       term_bin_size(v.v[v.n - 1]) == 0)
		term_free(v.v[--v.n]);
	*out = term_vec_list(&v, term_nil());
	return 0;
}

BIF_VIA(bif_binary_split_2, split(ctx, a, NULL, out))
BIF_VIA(bif_binary_split_3, split(ctx, a, &a[2], out))

static int
compare_ints(const void *x, const void *y)
{
	int64_t a = ((const term *)x)->u.i, b = ((const term *)y)->u.i;

	return a < b ? -1 : a > b;
}

/*
 * The replacement with the match inserted at each insert_replaced
 * position (sorted, as binary:replace/4 sorts them).
 */
static void
put_replacement(struct buf *b, const struct search *sr, term repl,
    const term *ins, size_t at, size_t len)
{
	const unsigned char *r = term_bin_data(repl);
	size_t n = term_bin_size(repl), i, k = 0;

	for (i = 0; i <= n; i++) {
		for (; k < sr->nins && (size_t)ins[k].u.i == i; k++)
			buf_add(b, sr->s + at, len);
		if (i < n)
			buf_addc(b, r[i]);
	}
}

static int
replace(struct bif_ctx *ctx, const term *a, const term *opts, term *out)
{
	struct search sr;
	struct buf b;
	term *ins;
	size_t at, len, from, prev = 0, i;

	if (search_init(ctx, &sr, a, opts, OPT_SCOPE | OPT_GLOBAL | OPT_INSERT,
	        "replace", bin_why(a[2])) < 0)
		return -1;
	ins = xreallocarray(NULL, sr.nins + 1, sizeof *ins);
	if (sr.nins > 0)
		memcpy(ins, sr.ins, sr.nins * sizeof *ins);
	qsort(ins, sr.nins, sizeof *ins, compare_ints);
	for (i = 0; i < sr.nins; i++)
		if ((uint64_t)ins[i].u.i > term_bin_size(a[2])) {
			free(ins);
			return bif_badarg(ctx, 3, bad_options);
		}
	buf_init(&b);
	for (from = sr.start; next_match(&sr, from, &at, &len) == 0;
	     from = at + len) {
		buf_add(&b, sr.s + prev, at - prev);
		put_replacement(&b, &sr, a[2], ins, at, len);
		prev = at + len;
		if (!(sr.flags & OPT_GLOBAL))
			break;
	}
	buf_add(&b, sr.s + prev, sr.size - prev);
	*out = term_binary(b.data, b.len);
	buf_free(&b);
	free(ins);
	return 0;
}

BIF_VIA(bif_binary_replace_3, replace(ctx, a, NULL, out))
BIF_VIA(bif_binary_replace_4, replace(ctx, a, &a[3], out))
