/*
 * The erlang module's BIFs: type tests and the other guard BIFs,
 * conversions between numbers, atoms, lists, tuples and binaries, time,
 * raising exceptions, apply, and the list operators ++ and --. Number
 * arithmetic is num.c's; a fun is called through the context.
 */
#include "compat.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bif_lib.h"
#include "mailbox.h"
#include "bits.h"
#include "num.h"
#include "term_print.h"
#include "util.h"

/* OTP: the largest tuple erts builds (MAX_ARITY). */
#define TUPLE_ARITY_MAX 16777215

static const char not_number[] = "not a number";
static const char not_integer[] = "not an integer";
static const char not_list[] = "not a list";
static const char not_proper_list[] = "not a proper list";
static const char not_binary[] = "not a binary";
static const char not_bitstring[] = "not a bitstring";
static const char not_tuple[] = "not a tuple";
static const char not_atom[] = "not an atom";
static const char range[] = "out of range";
static const char bad_base[] = "not an integer in the range 2 through 36";

/*
 * Type tests: one row each.
 */

#define TYPE_TEST(name, test)                                                  \
	int bif_erlang_##name##_1(                                             \
	    struct bif_ctx *ctx, const term *a, term *out)                     \
	{                                                                      \
		(void)ctx;                                                     \
		*out = bif_bool(test);                                         \
		return 0;                                                      \
	}

#define KIND(k) (term_kind(a[0]) == (k))
TYPE_TEST(is_atom, KIND(TERM_ATOM))
TYPE_TEST(is_binary, term_is_binary(a[0]))
TYPE_TEST(is_bitstring, KIND(TERM_BINARY))
TYPE_TEST(is_boolean, term_is_atom(a[0], A_TRUE) || term_is_atom(a[0], A_FALSE))
TYPE_TEST(is_float, KIND(TERM_FLOAT))
TYPE_TEST(is_function, KIND(TERM_FUN))
TYPE_TEST(is_integer, term_is_integer(a[0]))
TYPE_TEST(is_list, KIND(TERM_LIST) || KIND(TERM_NIL))
TYPE_TEST(is_map, KIND(TERM_MAP))
TYPE_TEST(is_number, num_is_number(a[0]))
TYPE_TEST(is_pid, KIND(TERM_PID))
TYPE_TEST(is_reference, KIND(TERM_REF))
TYPE_TEST(is_tuple, KIND(TERM_TUPLE))
#undef KIND
#undef TYPE_TEST

int
bif_erlang_is_function_2(struct bif_ctx *ctx, const term *a, term *out)
{
	if (!term_is_integer(a[1]))
		return bif_badarg(ctx, 1, not_integer);
	if (term_kind(a[1]) == TERM_BIG ? term_big_sign(a[1]) < 0
	                                : a[1].u.i < 0)
		return bif_badarg(ctx, 1, range);
	*out = bif_bool(term_kind(a[0]) == TERM_FUN &&
	                term_kind(a[1]) == TERM_INT &&
	                a[1].u.i == term_fun_arity(a[0]));
	return 0;
}

/*
 * Numbers.
 */

#define NUM_BIF(name, fn)                                                      \
	int bif_erlang_##name##_1(                                             \
	    struct bif_ctx *ctx, const term *a, term *out)                     \
	{                                                                      \
		if (fn(a[0], out) < 0)                                         \
			return bif_badarg(ctx, 0, not_number);                 \
		return 0;                                                      \
	}

NUM_BIF(abs, num_abs)
NUM_BIF(ceil, num_ceil)
NUM_BIF(floor, num_floor)
NUM_BIF(round, num_round)
NUM_BIF(trunc, num_trunc)
#undef NUM_BIF

int
bif_erlang_float_1(struct bif_ctx *ctx, const term *a, term *out)
{
	double d;

	if (num_to_double(a[0], &d) < 0)
		return bif_badarg(ctx, 0, not_number);
	*out = term_float(d);
	return 0;
}

/* OTP: min/2 and max/2 return the first argument when both compare equal. */
int
bif_erlang_min_2(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	*out = term_copy(term_compare(a[0], a[1]) <= 0 ? a[0] : a[1]);
	return 0;
}

int
bif_erlang_max_2(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	*out = term_copy(term_compare(a[0], a[1]) >= 0 ? a[0] : a[1]);
	return 0;
}

/*
 * Tuples, lists and maps in guards.
 */

/* element/2 and setelement/3: a 1-based index into a tuple. */
static int
tuple_index(struct bif_ctx *ctx, term idx, term tup, size_t *i)
{
	int is_tuple = term_kind(tup) == TERM_TUPLE;

	if (is_tuple && term_kind(idx) == TERM_INT && idx.u.i >= 1 &&
	    (uint64_t)idx.u.i <= term_size(tup)) {
		*i = (size_t)idx.u.i - 1;
		return 0;
	}
	bif_badarg(ctx, -1, NULL);
	if (!term_is_integer(idx))
		ctx->why[0] = not_integer;
	else if ((term_kind(idx) == TERM_INT && idx.u.i <= 0) || is_tuple)
		ctx->why[0] = range;
	if (!is_tuple)
		ctx->why[1] = not_tuple;
	return -1;
}

int
bif_erlang_element_2(struct bif_ctx *ctx, const term *a, term *out)
{
	size_t i;

	if (tuple_index(ctx, a[0], a[1], &i) < 0)
		return -1;
	*out = term_copy(term_tuple_get(a[1], i));
	return 0;
}

int
bif_erlang_setelement_3(struct bif_ctx *ctx, const term *a, term *out)
{
	size_t i;

	if (tuple_index(ctx, a[0], a[1], &i) < 0)
		return -1;
	*out = bif_tuple_with(a[1], i, term_copy(a[2]));
	return 0;
}

int
bif_erlang_tuple_size_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_TUPLE)
		return bif_badarg(ctx, 0, not_tuple);
	*out = term_int((int64_t)term_size(a[0]));
	return 0;
}

int
bif_erlang_size_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) == TERM_TUPLE)
		*out = term_int((int64_t)term_size(a[0]));
	else if (term_kind(a[0]) == TERM_BINARY)
		/* OTP: a bitstring's whole bytes, size(<<1:12>>) =:= 1. */
		*out = term_int((int64_t)(term_bin_bits(a[0]) / 8));
	else
		return bif_badarg(ctx, 0, "not tuple or binary");
	return 0;
}

int
bif_erlang_byte_size_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_BINARY)
		return bif_badarg(ctx, 0, not_bitstring);
	*out = term_int((int64_t)term_bin_size(a[0]));
	return 0;
}

int
bif_erlang_bit_size_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_BINARY)
		return bif_badarg(ctx, 0, not_bitstring);
	*out = term_int((int64_t)term_bin_bits(a[0]));
	return 0;
}

int
bif_erlang_hd_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_LIST)
		return bif_badarg(ctx, 0, "not a nonempty list");
	*out = term_copy(term_list_get(a[0], 0));
	return 0;
}

int
bif_erlang_tl_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_LIST)
		return bif_badarg(ctx, 0, "not a nonempty list");
	*out = bif_list_of(term_elems(a[0]) + 1, term_size(a[0]) - 1,
	    term_copy(term_list_tail(a[0])));
	return 0;
}

int
bif_erlang_length_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_badarg(ctx, 0, not_list);
	*out = term_int((int64_t)n);
	return 0;
}

int
bif_erlang_map_get_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *v;

	if (term_kind(a[1]) != TERM_MAP)
		return bif_badmap(ctx, a[1], 1);
	if ((v = term_map_find(a[1], a[0])) == NULL) {
		bif_error_with(ctx, "badkey", a[0]);
		ctx->why[0] = "not present in map";
		return -1;
	}
	*out = term_copy(*v);
	return 0;
}

int
bif_erlang_map_size_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_MAP)
		return bif_badmap(ctx, a[0], 0);
	*out = term_int((int64_t)term_size(a[0]));
	return 0;
}

int
bif_erlang_is_map_key_2(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[1]) != TERM_MAP)
		return bif_badmap(ctx, a[1], 1);
	*out = bif_bool(term_map_find(a[1], a[0]) != NULL);
	return 0;
}

/* erl -noshell evaluates in the shell's process, <0.9.0>, on no node. */
int
bif_erlang_node_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = term_atom("nonode@nohost");
	return 0;
}

/*
 * A pid's text, <0.N.S>: a pid of this node only (0), N and S within
 * the bits erts gives them (15 and 13), as list_to_pid/1 checks.
 */
int
bif_erlang_list_to_pid_1(struct bif_ctx *ctx, const term *a, term *out)
{
	static const uint32_t max[3] = {0, 32767, 8191};
	static const char seps[3] = {'.', '.', '>'};
	uint32_t v[3];
	const term *e;
	size_t i = 0, n, k;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_badarg(ctx, 0,
		    term_kind(a[0]) == TERM_LIST ? not_proper_list : not_list);
	if (n == 0 || !(term_kind(e[0]) == TERM_INT && e[0].u.i == '<'))
		goto bad;
	for (i = 1, k = 0; k < 3; k++) {
		uint64_t x = 0;
		size_t from = i;

		for (; i < n && term_kind(e[i]) == TERM_INT &&
		       e[i].u.i >= '0' && e[i].u.i <= '9';
		     i++)
			if ((x = x * 10 + (uint64_t)(e[i].u.i - '0')) > max[k])
				goto bad;
		if (i == from || i >= n || term_kind(e[i]) != TERM_INT ||
		    e[i].u.i != seps[k])
			goto bad;
		v[k] = (uint32_t)x;
		i++;
	}
	if (i != n)
		goto bad;
	*out = term_pid(v[0], v[1], v[2]);
	return 0;
bad:
	return bif_badarg(ctx, 0, "not a textual representation of a pid");
}

int
bif_erlang_pid_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct buf b;

	if (term_kind(a[0]) != TERM_PID)
		return bif_badarg(ctx, 0, "not a pid");
	buf_init(&b);
	print_term(&b, a[0], 0, 0);
	*out = term_string(buf_str(&b));
	buf_free(&b);
	return 0;
}

int
bif_erlang_self_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = mbox_self();
	return 0;
}

/*
 * Integers to and from text.
 */

static int
int_to_text(
    struct bif_ctx *ctx, term i, const term *base, int binary, term *out)
{
	struct buf b;
	int64_t radix = 10;
	int bad_int = !term_is_integer(i);

	if (base != NULL && bif_int_range(*base, 2, 36, &radix) < 0) {
		bif_badarg(ctx, 1, bad_base);
		ctx->why[0] = bad_int ? not_integer : NULL;
		return -1;
	}
	if (bad_int)
		return bif_badarg(ctx, 0, not_integer);
	buf_init(&b);
	num_int_text(&b, i, (int)radix);
	*out =
	    binary ? term_binary(b.data, b.len) : term_string_n(b.data, b.len);
	buf_free(&b);
	return 0;
}

BIF_VIA(bif_erlang_integer_to_list_1, int_to_text(ctx, a[0], NULL, 0, out))
BIF_VIA(bif_erlang_integer_to_list_2, int_to_text(ctx, a[0], &a[1], 0, out))
BIF_VIA(bif_erlang_integer_to_binary_1, int_to_text(ctx, a[0], NULL, 1, out))
BIF_VIA(bif_erlang_integer_to_binary_2, int_to_text(ctx, a[0], &a[1], 1, out))

/*
 * The text of list_to_integer/1,2 and list_to_float/1 (a list) or of
 * binary_to_integer/1,2 and binary_to_float/1 (a binary): 0 with its
 * bytes in b, 1 when it is a list or binary of the right shape whose
 * characters are not all bytes (so no number's text), or -1 with the
 * explanation erl gives for the shape (why_improper for an improper
 * list) in *why.
 */
static int
number_text(term t, int binary, const char *why_improper, struct buf *b,
    const char **why)
{
	const term *e;
	size_t n;

	if (binary) {
		if (!term_is_binary(t)) {
			*why = not_binary;
			return -1;
		}
		buf_add(b, term_bin_data(t), term_bin_size(t));
		return 0;
	}
	if (bif_list(t, &e, &n) < 0) {
		*why = term_kind(t) == TERM_LIST ? why_improper : not_list;
		return -1;
	}
	return term_text(t, b) < 0 ? 1 : 0;
}

static int
text_to_int(
    struct bif_ctx *ctx, term t, const term *base, int binary, term *out)
{
	static const char bad_text[] =
	    "not a textual representation of an integer";
	const char *why = NULL;
	struct buf b;
	int64_t radix = 10;
	int rc;

	buf_init(&b);
	rc =
	    number_text(t, binary, base ? not_proper_list : not_list, &b, &why);
	if (base != NULL && bif_int_range(*base, 2, 36, &radix) < 0) {
		buf_free(&b);
		bif_badarg(ctx, 1, bad_base);
		ctx->why[0] = why;
		return -1;
	}
	if (rc < 0) {
		buf_free(&b);
		return bif_badarg(ctx, 0, why);
	}
	if (rc > 0 || num_parse_int(b.data, b.len, (int)radix, out) < 0) {
		buf_free(&b);
		return bif_badarg(ctx, 0, bad_text);
	}
	buf_free(&b);
	return 0;
}

BIF_VIA(bif_erlang_list_to_integer_1, text_to_int(ctx, a[0], NULL, 0, out))
BIF_VIA(bif_erlang_list_to_integer_2, text_to_int(ctx, a[0], &a[1], 0, out))
BIF_VIA(bif_erlang_binary_to_integer_1, text_to_int(ctx, a[0], NULL, 1, out))
BIF_VIA(bif_erlang_binary_to_integer_2, text_to_int(ctx, a[0], &a[1], 1, out))

/*
 * Floats to and from text.
 */

/* Erlang's float syntax: [+-]D+.D+ with an optional [eE][+-]D+. */
static int
float_syntax(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d || i >= n || s[i++] != '.')
		return 0;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i == n;
}

static int
text_to_float(struct bif_ctx *ctx, term t, int binary, term *out)
{
	const char *why = NULL;
	struct buf b;
	double d;
	int rc;

	buf_init(&b);
	rc = number_text(t, binary, not_list, &b, &why);
	if (rc < 0) {
		buf_free(&b);
		return bif_badarg(ctx, 0, why);
	}
	errno = 0;
	if (rc == 0 && float_syntax(b.data, b.len)) {
		d = strtod(buf_str(&b), NULL);
		/* OTP: a float too large for a double is badarg. */
		if (errno != ERANGE || (d > -1 && d < 1)) {
			buf_free(&b);
			*out = term_float(d);
			return 0;
		}
	}
	buf_free(&b);
	return bif_badarg(ctx, 0, "not a textual representation of a float");
}

BIF_VIA(bif_erlang_list_to_float_1, text_to_float(ctx, a[0], 0, out))
BIF_VIA(bif_erlang_binary_to_float_1, text_to_float(ctx, a[0], 1, out))

/* OTP: float_to_list/1 is the 20-digit "%.20e" of erts' sys_double_to_chars. */
int
bif_erlang_float_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	char s[64];
	int n;

	if (term_kind(a[0]) != TERM_FLOAT)
		return bif_badarg(ctx, 0, "not a float");
	n = snprintf(s, sizeof s, "%.20e", a[0].u.f);
	*out = term_string_n(s, (size_t)n);
	return 0;
}

/*
 * Atoms. esock's atoms hold latin1 text (term_scan.c), so a name with a
 * character beyond latin1 is a badarg here where erl would make the atom.
 */

static const char *const encodings[] = {"latin1", "unicode", "utf8"};

/* 0 for latin1, 1 for unicode and utf8, -1 for anything else. */
static int
encoding(term t)
{
	size_t i;

	for (i = 0; i < NELEMS(encodings); i++)
		if (term_atom_is(t, encodings[i]))
			return i > 0;
	return -1;
}

/* An atom from code points; system_limit beyond 255 characters. */
static int
make_atom(struct bif_ctx *ctx, const uint32_t *c, size_t n, term *out)
{
	char name[TERM_ATOM_MAX];
	size_t i;

	if (n > TERM_ATOM_MAX)
		return bif_error(ctx, term_atom("system_limit"));
	for (i = 0; i < n; i++) {
		if (c[i] > 0xff)
			return bif_badarg(ctx, -1, NULL);
		name[i] = (char)c[i];
	}
	*out = term_atom_n(name, n);
	return 0;
}

int
bif_erlang_atom_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_ATOM)
		return bif_badarg(ctx, 0, not_atom);
	*out = term_string_n(term_atom_name(a[0]), term_atom_len(a[0]));
	return 0;
}

static term
atom_to_binary(term t, int utf8)
{
	const unsigned char *s = (const unsigned char *)term_atom_name(t);
	size_t i, n = term_atom_len(t);
	struct buf b;
	term bin;

	if (!utf8)
		return term_binary(s, n);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_add_utf8(&b, s[i]);
	bin = term_binary(b.data, b.len);
	buf_free(&b);
	return bin;
}

int
bif_erlang_atom_to_binary_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_ATOM)
		return bif_badarg(ctx, 0, not_atom);
	*out = atom_to_binary(a[0], 1);
	return 0;
}

int
bif_erlang_atom_to_binary_2(struct bif_ctx *ctx, const term *a, term *out)
{
	int enc = encoding(a[1]);

	if (term_kind(a[0]) != TERM_ATOM || enc < 0) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = term_kind(a[0]) != TERM_ATOM ? not_atom : NULL;
		ctx->why[1] = enc < 0 ? "is an invalid encoding option" : NULL;
		return -1;
	}
	*out = atom_to_binary(a[0], enc);
	return 0;
}

static int
binary_to_atom(struct bif_ctx *ctx, term t, term enc_t, term *out)
{
	struct bif_chars s = {NULL, 0, 0};
	int enc = encoding(enc_t), rc;

	if (enc < 0) {
		bif_badarg(
		    ctx, 1, "not one of the atoms: latin1, utf8, or unicode");
		ctx->why[0] = term_is_binary(t) ? NULL : not_binary;
		return -1;
	}
	if (!term_is_binary(t))
		return bif_badarg(ctx, 0, not_binary);
	if (bif_chardata(t, &s, enc == 0) < 0)
		return bif_badarg(ctx, 0, "invalid UTF8 encoding");
	rc = make_atom(ctx, s.c, s.n, out);
	bif_chars_free(&s);
	return rc;
}

BIF_VIA(bif_erlang_binary_to_atom_1,
    binary_to_atom(ctx, a[0], term_atom("utf8"), out))
BIF_VIA(bif_erlang_binary_to_atom_2, binary_to_atom(ctx, a[0], a[1], out))

int
bif_erlang_list_to_atom_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct bif_chars s = {NULL, 0, 0};
	const term *e;
	size_t i, n;
	int rc;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_badarg(ctx, 0,
		    term_kind(a[0]) == TERM_LIST ? not_proper_list : not_list);
	for (i = 0; i < n; i++) {
		if (term_kind(e[i]) != TERM_INT || e[i].u.i < 0 ||
		    e[i].u.i > 0x10ffff) {
			bif_chars_free(&s);
			return bif_badarg(ctx, 0, "not a list of characters");
		}
		bif_chars_add(&s, (uint32_t)e[i].u.i);
	}
	rc = make_atom(ctx, s.c, s.n, out);
	bif_chars_free(&s);
	return rc;
}

/*
 * Binaries, iolists, tuples and lists.
 */

int
bif_erlang_binary_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (!term_is_binary(a[0]))
		return bif_badarg(ctx, 0, not_binary);
	*out = term_string_n(
	    (const char *)term_bin_data(a[0]), term_bin_size(a[0]));
	return 0;
}

/* A 1-based position: NULL, or why it is none. */
static const char *
pos_why(term t)
{
	if (!term_is_integer(t))
		return not_integer;
	if (term_kind(t) != TERM_INT || t.u.i < 1)
		return range;
	return NULL;
}

/*
 * binary_to_list/3 and split_binary/2 take whole bytes of a bitstring
 * too, as erts does; their failures then explain it as "not a binary"
 * alone, as erl_erts_errors explains any bitstring.
 */
static int
bytes_arg(term t, size_t *n)
{
	if (term_kind(t) != TERM_BINARY)
		return -1;
	*n = term_bin_bits(t) / 8;
	return 0;
}

int
bif_erlang_binary_to_list_3(struct bif_ctx *ctx, const term *a, term *out)
{
	size_t n = 0;

	if (bytes_arg(a[0], &n) < 0 || pos_why(a[1]) || pos_why(a[2]) ||
	    (!term_is_binary(a[0]) &&
	        (a[1].u.i > a[2].u.i || (uint64_t)a[2].u.i > n))) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = term_is_binary(a[0]) ? NULL : not_binary;
		ctx->why[1] = pos_why(a[1]);
		ctx->why[2] = pos_why(a[2]);
		return -1;
	}
	if (a[1].u.i > a[2].u.i)
		return bif_badarg(
		    ctx, 1, "start position greater than stop position");
	if ((uint64_t)a[2].u.i > n) {
		bif_badarg(ctx, 2, range);
		ctx->why[1] = (uint64_t)a[1].u.i > n ? range : NULL;
		return -1;
	}
	*out = term_string_n((const char *)term_bin_data(a[0]) + a[1].u.i - 1,
	    (size_t)(a[2].u.i - a[1].u.i + 1));
	return 0;
}

static int
iodata(struct bif_ctx *ctx, term t, int list_only, term *out, int size)
{
	struct buf b;

	buf_init(&b);
	if ((list_only && term_kind(t) == TERM_BINARY) ||
	    term_iodata(t, &b) < 0) {
		buf_free(&b);
		return bif_badarg(ctx, 0,
		    list_only ? "not an iolist term" : "not an iodata term");
	}
	*out = size ? term_int((int64_t)b.len) : term_binary(b.data, b.len);
	buf_free(&b);
	return 0;
}

BIF_VIA(bif_erlang_list_to_binary_1, iodata(ctx, a[0], 1, out, 0))
BIF_VIA(bif_erlang_iolist_to_binary_1, iodata(ctx, a[0], 0, out, 0))
BIF_VIA(bif_erlang_iolist_size_1, iodata(ctx, a[0], 0, out, 1))

/* bitstring_to_list/1: the bytes, then the trailing bits as a bitstring. */
int
bif_erlang_bitstring_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct term_vec v = {NULL, 0, 0};
	const unsigned char *p;
	size_t n, i;

	if (term_kind(a[0]) != TERM_BINARY)
		return bif_badarg(ctx, 0, not_bitstring);
	p = term_bin_data(a[0]);
	n = term_bin_bits(a[0]) / 8;
	for (i = 0; i < n; i++)
		term_vec_push(&v, term_int(p[i]));
	if (!term_is_binary(a[0]))
		term_vec_push(
		    &v, term_bitstring(p + n, term_bin_bits(a[0]) % 8));
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/*
 * The bits of a bitstring list (bytes, bitstrings and such lists, the
 * tail a bitstring or []) appended to w: 0, -1 when t is none (or nests
 * deeper than TERM_IODATA_DEPTH), -2 past BITS_MAX.
 */
static int
bitstring_list(struct bits_writer *w, term t, int depth)
{
	static const struct bits_seg byte = {BITS_INTEGER, BITS_BIG, 0, 8, 1};
	static const struct bits_seg bits = {
	    BITS_BITSTRING, BITS_BIG, 0, -1, 1};
	const term *e;
	size_t i, n;
	term tail;
	int rc;

	if (depth > TERM_IODATA_DEPTH)
		return -1;
	if (term_kind(t) == TERM_BINARY)
		return bits_put(w, &bits, t);
	if (term_kind(t) == TERM_NIL)
		return 0;
	if (bif_cons(t, &e, &n, &tail) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (term_kind(e[i]) == TERM_INT)
			rc = e[i].u.i >= 0 && e[i].u.i <= 255
			         ? bits_put(w, &byte, e[i])
			         : -1;
		else
			rc = bitstring_list(w, e[i], depth + 1);
		if (rc < 0)
			return rc;
	}
	return bitstring_list(w, tail, depth + 1);
}

int
bif_erlang_list_to_bitstring_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct bits_writer w;
	int rc = -1;

	bits_init(&w);
	if (term_is_list(a[0]))
		rc = bitstring_list(&w, a[0], 0);
	if (rc < 0) {
		bits_free(&w);
		if (rc == -2)
			return bif_error(ctx, term_atom("system_limit"));
		return bif_badarg(ctx, 0, "not a bitstring list");
	}
	*out = bits_finish(&w);
	bits_free(&w);
	return 0;
}

/* A byte count or position from 0: NULL, or why it is none. */
static const char *
non_neg_why(term t)
{
	if (!term_is_integer(t))
		return not_integer;
	if (term_kind(t) != TERM_INT || t.u.i < 0)
		return range;
	return NULL;
}

int
bif_erlang_split_binary_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const unsigned char *p;
	size_t size = 0, n;

	if (bytes_arg(a[0], &size) < 0 || non_neg_why(a[1]) != NULL ||
	    (!term_is_binary(a[0]) && (uint64_t)a[1].u.i > size)) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = term_is_binary(a[0]) ? NULL : not_binary;
		ctx->why[1] = non_neg_why(a[1]);
		return -1;
	}
	if ((uint64_t)a[1].u.i > size)
		return bif_badarg(ctx, 1, range);
	p = term_bin_data(a[0]);
	n = (size_t)a[1].u.i;
	/* The second part keeps a bitstring's trailing bits. */
	*out = term_tuple2(term_binary(p, n),
	    term_bitstring(p + n, term_bin_bits(a[0]) - 8 * n));
	return 0;
}

int
bif_erlang_tuple_to_list_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_TUPLE)
		return bif_badarg(ctx, 0, not_tuple);
	*out = bif_list_of(term_elems(a[0]), term_size(a[0]), term_nil());
	return 0;
}

int
bif_erlang_list_to_tuple_1(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	term *c;
	size_t i, n;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_badarg(ctx, 0, not_list);
	c = xreallocarray(NULL, n ? n : 1, sizeof *c);
	for (i = 0; i < n; i++)
		c[i] = term_copy(e[i]);
	*out = term_tuple(n, c);
	free(c);
	return 0;
}

int
bif_erlang_make_tuple_2(struct bif_ctx *ctx, const term *a, term *out)
{
	int64_t n, i;
	term *c;

	if (bif_int_range(a[0], 0, TUPLE_ARITY_MAX, &n) < 0)
		return bif_badarg(ctx, 0, range);
	c = xreallocarray(NULL, n ? (size_t)n : 1, sizeof *c);
	for (i = 0; i < n; i++)
		c[i] = term_copy(a[1]);
	*out = term_tuple((size_t)n, c);
	free(c);
	return 0;
}

int
bif_erlang_append_element_2(struct bif_ctx *ctx, const term *a, term *out)
{
	size_t i, n;
	term *c;

	if (term_kind(a[0]) != TERM_TUPLE)
		return bif_badarg(ctx, 0, not_tuple);
	n = term_size(a[0]);
	c = xreallocarray(NULL, n + 1, sizeof *c);
	for (i = 0; i < n; i++)
		c[i] = term_copy(term_tuple_get(a[0], i));
	c[n] = term_copy(a[1]);
	*out = term_tuple(n + 1, c);
	free(c);
	return 0;
}

int
bif_erlang_make_ref_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = term_new_ref();
	return 0;
}

/*
 * Time. OTP 25 on Linux counts native time in nanoseconds.
 */

static const struct {
	const char *name;
	int64_t per_second;
} time_units[] = {
    {"native", 1000000000},
    {"nanosecond", 1000000000},
    {"nano_seconds", 1000000000},
    {"microsecond", 1000000},
    {"micro_seconds", 1000000},
    {"millisecond", 1000},
    {"milli_seconds", 1000},
    {"second", 1},
    {"seconds", 1},
    {"perf_counter", 1000000000},
};

static int
time_in(struct bif_ctx *ctx, clockid_t clock, const term *unit, term *out)
{
	struct timespec ts;
	int64_t per = 1000000000, q, frac;
	size_t i;

	if (unit != NULL && bif_int_range(*unit, 1, INT64_MAX, &per) < 0) {
		for (i = 0; i < NELEMS(time_units); i++)
			if (term_atom_is(*unit, time_units[i].name))
				break;
		if (i == NELEMS(time_units))
			return bif_badarg(ctx, 0, "invalid time unit");
		per = time_units[i].per_second;
	}
	if (clock_gettime(clock, &ts) < 0)
		fatal("clock_gettime: %s", strerror(errno));
	/* Seconds and the nanoseconds' share, apart, so nothing overflows. */
	if (per <= 1000000000)
		frac = (int64_t)ts.tv_nsec * per / 1000000000;
	else
		frac = (int64_t)((long double)ts.tv_nsec * per / 1e9L);
	if (__builtin_mul_overflow((int64_t)ts.tv_sec, per, &q) ||
	    __builtin_add_overflow(q, frac, &q))
		return bif_error(ctx, term_atom("system_limit"));
	*out = term_int(q);
	return 0;
}

BIF_VIA(bif_erlang_monotonic_time_0, time_in(ctx, CLOCK_MONOTONIC, NULL, out))
BIF_VIA(bif_erlang_monotonic_time_1, time_in(ctx, CLOCK_MONOTONIC, &a[0], out))
BIF_VIA(bif_erlang_system_time_0, time_in(ctx, CLOCK_REALTIME, NULL, out))
BIF_VIA(bif_erlang_system_time_1, time_in(ctx, CLOCK_REALTIME, &a[0], out))
BIF_VIA(bif_os_system_time_0, time_in(ctx, CLOCK_REALTIME, NULL, out))
BIF_VIA(bif_os_system_time_1, time_in(ctx, CLOCK_REALTIME, &a[0], out))

/* date/0, time/0, localtime/0 and universaltime/0: {Y, M, D}, {H, M, S}. */
static term
ymd(const struct tm *t)
{
	return term_tuple3(term_int(t->tm_year + 1900), term_int(t->tm_mon + 1),
	    term_int(t->tm_mday));
}

static term
hms(const struct tm *t)
{
	return term_tuple3(
	    term_int(t->tm_hour), term_int(t->tm_min), term_int(t->tm_sec));
}

enum clock_part { DATE, TIME, BOTH };

static int
calendar(int local, enum clock_part part, term *out)
{
	time_t now = time(NULL);
	struct tm t;

	if ((local ? localtime_r(&now, &t) : gmtime_r(&now, &t)) == NULL)
		fatal("localtime: %s", strerror(errno));
	*out = part == DATE   ? ymd(&t)
	       : part == TIME ? hms(&t)
	                      : term_tuple2(ymd(&t), hms(&t));
	return 0;
}

BIF_VIA(bif_erlang_date_0, calendar(1, DATE, out))
BIF_VIA(bif_erlang_time_0, calendar(1, TIME, out))
BIF_VIA(bif_erlang_localtime_0, calendar(1, BOTH, out))
BIF_VIA(bif_erlang_universaltime_0, calendar(0, BOTH, out))

/*
 * unique_integer/0,1: unique in the session (a counter); [positive]
 * starts it at 1, as OTP's are then; monotonic they always are.
 */
static int
unique_integer(struct bif_ctx *ctx, const term *opts, term *out)
{
	static int64_t next = -576460752303423486;
	const term *e;
	size_t n, i;
	int positive = 0;

	if (opts != NULL) {
		if (bif_list(*opts, &e, &n) < 0)
			return bif_badarg(ctx, 0, "invalid modifier list");
		for (i = 0; i < n; i++) {
			if (term_atom_is(e[i], "positive"))
				positive = 1;
			else if (!term_atom_is(e[i], "monotonic"))
				return bif_badarg(ctx, 0, "invalid modifier");
		}
	}
	next++;
	*out = term_int(positive ? next + 576460752303423487 : next);
	return 0;
}

BIF_VIA(bif_erlang_unique_integer_0, unique_integer(ctx, NULL, out))
BIF_VIA(bif_erlang_unique_integer_1, unique_integer(ctx, &a[0], out))

/* No distribution: no other nodes, and this one is not alive. */
int
bif_erlang_nodes_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = term_nil();
	return 0;
}

int
bif_erlang_is_alive_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = term_atom("false");
	return 0;
}

/* node/1: the node of a pid, reference or port: this one's. */
int
bif_erlang_node_1(struct bif_ctx *ctx, const term *a, term *out)
{
	if (term_kind(a[0]) != TERM_PID && term_kind(a[0]) != TERM_REF)
		return bif_badarg(ctx, 0, "not a pid, port or reference");
	*out = term_atom("nonode@nohost");
	return 0;
}

int
bif_os_type_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
#if defined(__linux__)
	*out = term_tuple2(term_atom("unix"), term_atom("linux"));
#elif defined(__FreeBSD__)
	*out = term_tuple2(term_atom("unix"), term_atom("freebsd"));
#elif defined(__APPLE__)
	*out = term_tuple2(term_atom("unix"), term_atom("darwin"));
#else
	*out = term_tuple2(term_atom("unix"), term_atom("unknown"));
#endif
	return 0;
}

/*
 * timer:seconds/1, minutes/1, hours/1 and hms/3: milliseconds, of any
 * numbers (badarith for others, from timer.erl's arithmetic).
 */
static int
millis(
    struct bif_ctx *ctx, const term *a, size_t n, const int64_t *per, term *out)
{
	term acc = term_int(0), x, y;
	size_t i;

	for (i = 0; i < n; i++) {
		if (num_mul(a[i], term_int(per[i]), &x) < 0) {
			term_free(acc);
			return bif_error(ctx, term_atom("badarith"));
		}
		if (num_add(acc, x, &y) < 0) {
			term_free(acc);
			term_free(x);
			return bif_error(ctx, term_atom("badarith"));
		}
		term_free(acc);
		term_free(x);
		acc = y;
	}
	*out = acc;
	return 0;
}

static const int64_t ms_hms[] = {3600000, 60000, 1000};

BIF_VIA(bif_timer_hours_1, millis(ctx, a, 1, &ms_hms[0], out))
BIF_VIA(bif_timer_minutes_1, millis(ctx, a, 1, &ms_hms[1], out))
BIF_VIA(bif_timer_seconds_1, millis(ctx, a, 1, &ms_hms[2], out))
BIF_VIA(bif_timer_hms_3, millis(ctx, a, 3, ms_hms, out))

/* timer:tc/1: {Microseconds, Fun()}. */
int
bif_timer_tc_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct timespec t0, t1;
	term r;

	if (!bif_is_fun(a[0], 0))
		return bif_badarg(ctx, -1, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bif_call(ctx, a[0], 0, NULL, &r) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*out = term_tuple2(term_int((int64_t)(t1.tv_sec - t0.tv_sec) * 1000000 +
	                            (t1.tv_nsec - t0.tv_nsec) / 1000),
	    r);
	return 0;
}

/*
 * os:cmd(Command): what /bin/sh -c Command writes on its standard
 * output and standard error, once it exits (the session waits, as the
 * calling process does in OTP). Its standard input is /dev/null.
 */
static int
shell_output(const char *cmd, struct buf *out)
{
	int p[2], null;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	(void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
	if ((pid = fork()) < 0) {
		(void)close(p[0]);
		(void)close(p[1]);
		return -1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
		    dup2(p[1], STDOUT_FILENO) < 0 ||
		    dup2(p[1], STDERR_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	(void)close(p[1]);
	while ((n = read(p[0], chunk, sizeof chunk)) != 0) {
		if (n > 0)
			buf_add(out, chunk, (size_t)n);
		else if (errno != EINTR)
			break;
	}
	(void)close(p[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		continue;
	return 0;
}

/* The output as OTP gives it: code points if it is UTF-8, else bytes. */
static term
output_chars(const struct buf *b)
{
	struct bif_chars cs = {NULL, 0, 0};
	term t;

	if (bif_chars_utf8((const unsigned char *)b->data, b->len, &cs) < 0)
		t = term_string_n(b->data, b->len);
	else
		t = term_string_cps(cs.c, cs.n);
	bif_chars_free(&cs);
	return t;
}

int
bif_os_cmd_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct bif_chars cs = {NULL, 0, 0};
	struct buf cmd, output;
	size_t i;
	int rc;

	if (term_kind(a[0]) == TERM_ATOM) {
		const char *name = term_atom_name(a[0]);

		while (*name != '\0')
			bif_chars_add(&cs, (unsigned char)*name++);
	} else if (bif_chardata(a[0], &cs, 0) < 0) {
		bif_chars_free(&cs);
		return bif_badarg(ctx, 0, "not a list of characters");
	}
	buf_init(&cmd);
	buf_init(&output);
	for (i = 0; i < cs.n; i++)
		buf_add_utf8(&cmd, cs.c[i]);
	bif_chars_free(&cs);
	rc = shell_output(buf_str(&cmd), &output);
	buf_free(&cmd);
	if (rc < 0) {
		buf_free(&output);
		return bif_error(ctx, term_atom("enomem"));
	}
	*out = output_chars(&output);
	buf_free(&output);
	return 0;
}

/* os:getpid(): the process id as a string, as OTP gives it. */
int
bif_os_getpid_0(struct bif_ctx *ctx, const term *a, term *out)
{
	char text[32];

	(void)ctx;
	(void)a;
	snprintf(text, sizeof text, "%ld", (long)getpid());
	*out = term_string(text);
	return 0;
}

/*
 * Exceptions and apply.
 */

static int
raise_as(struct bif_ctx *ctx, enum exc_class cls, term reason)
{
	bif_error(ctx, term_copy(reason));
	ctx->cls = cls;
	return -1;
}

BIF_VIA(bif_erlang_throw_1, raise_as(ctx, EXC_THROW, a[0]))
BIF_VIA(bif_erlang_error_1, raise_as(ctx, EXC_ERROR, a[0]))

/* The arguments of error/2 only go into erl's stack trace. */
BIF_VIA(bif_erlang_error_2, raise_as(ctx, EXC_ERROR, a[0]))
BIF_VIA(bif_erlang_exit_1, raise_as(ctx, EXC_EXIT, a[0]))

/* A stack frame raise/3 takes: {M, F, Arity | Args[, Location]}. */
static int
is_frame(term f)
{
	term ar;

	if (term_kind(f) != TERM_TUPLE ||
	    (term_size(f) != 3 && term_size(f) != 4))
		return 0;
	ar = term_tuple_get(f, 2);
	return term_kind(term_tuple_get(f, 0)) == TERM_ATOM &&
	       term_kind(term_tuple_get(f, 1)) == TERM_ATOM &&
	       (term_kind(ar) == TERM_INT || term_is_list(ar)) &&
	       (term_size(f) == 3 || term_is_list(term_tuple_get(f, 3)));
}

/*
 * raise(Class, Reason, Stacktrace): raises, or returns badarg when the
 * class or the stack is not one (as erlang:raise/3 does). The stack
 * goes no further: esock's own stack is what catch sees.
 */
int
bif_erlang_raise_3(struct bif_ctx *ctx, const term *a, term *out)
{
	static const struct {
		const char *name;
		enum exc_class cls;
	} classes[] = {
	    {"error", EXC_ERROR}, {"exit", EXC_EXIT}, {"throw", EXC_THROW}};
	int stack = term_kind(a[2]) == TERM_NIL;
	size_t i;

	if (term_kind(a[2]) == TERM_LIST &&
	    term_kind(term_list_tail(a[2])) == TERM_NIL) {
		stack = 1;
		for (i = 0; i < term_size(a[2]); i++)
			stack &= is_frame(term_elems(a[2])[i]);
	}
	for (i = 0; stack && term_kind(a[0]) == TERM_ATOM &&
	            i < sizeof classes / sizeof classes[0];
	     i++)
		if (strcmp(term_atom_name(a[0]), classes[i].name) == 0)
			return raise_as(ctx, classes[i].cls, a[1]);
	*out = term_atom("badarg");
	return 0;
}

int
bif_erlang_apply_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;

	/* erl_eval takes length(Args) of a fun's arguments, which explains. */
	if (bif_list(a[1], &e, &n) < 0)
		return bif_badarg(
		    ctx, term_kind(a[0]) == TERM_FUN ? 1 : -1, not_list);
	return bif_call(ctx, a[0], n, e, out);
}

/* The evaluator resolves fun M:F/A, a BIF or a command. */
int
bif_erlang_apply_3(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;
	term fun;
	int rc;

	if (term_kind(a[0]) != TERM_ATOM || term_kind(a[1]) != TERM_ATOM ||
	    bif_list(a[2], &e, &n) < 0) {
		bif_badarg(ctx, -1, NULL);
		ctx->why[0] = term_kind(a[0]) != TERM_ATOM ? not_atom : NULL;
		ctx->why[1] = term_kind(a[1]) != TERM_ATOM ? not_atom : NULL;
		if (term_kind(a[2]) == TERM_LIST &&
		    term_kind(term_list_tail(a[2])) != TERM_NIL)
			ctx->why[2] = not_proper_list;
		else if (term_kind(a[2]) != TERM_LIST &&
		         term_kind(a[2]) != TERM_NIL)
			ctx->why[2] = not_list;
		return -1;
	}
	fun = term_fun_ext(term_copy(a[0]), term_copy(a[1]), (uint32_t)n);
	rc = bif_call(ctx, fun, n, e, out);
	term_free(fun);
	return rc;
}

/*
 * The list operators.
 */

int
bif_erlang_append_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *e;
	size_t n;

	if (bif_list(a[0], &e, &n) < 0)
		return bif_badarg(ctx, -1, NULL);
	*out = bif_list_of(e, n, term_copy(a[1]));
	return 0;
}

static int
compare_terms(const void *x, const void *y)
{
	return term_compare(*(const term *)x, *(const term *)y);
}

/*
 * A -- B: each element of B removes the first element of A that is
 * exactly equal to it. B is sorted once and searched by bisection, so
 * long lists take n log n, not n times m; elements that compare equal
 * but are not exactly equal (1 and 1.0) sit side by side in the order.
 */
int
bif_erlang_subtract_2(struct bif_ctx *ctx, const term *a, term *out)
{
	const term *x, *y;
	size_t nx, ny, i, lo, hi, mid;
	struct term_vec keep = {NULL, 0, 0};
	unsigned char *used;
	term *b;

	if (bif_list(a[0], &x, &nx) < 0 || bif_list(a[1], &y, &ny) < 0)
		return bif_badarg(ctx, -1, NULL);
	b = xreallocarray(NULL, ny ? ny : 1, sizeof *b);
	if (ny > 0)
		memcpy(b, y, ny * sizeof *b);
	qsort(b, ny, sizeof *b, compare_terms);
	used = xcalloc(ny ? ny : 1, 1);
	for (i = 0; i < nx; i++) {
		lo = 0;
		hi = ny;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (term_compare(b[mid], x[i]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < ny && term_compare(b[lo], x[i]) == 0; lo++)
			if (!used[lo] && term_equal(b[lo], x[i]))
				break;
		if (lo < ny && term_compare(b[lo], x[i]) == 0)
			used[lo] = 1;
		else
			term_vec_push(&keep, term_copy(x[i]));
	}
	free(used);
	free(b);
	*out = term_vec_list(&keep, term_nil());
	return 0;
}

/*
 * delete_element/2 and insert_element/3: index i of the tuple (1-based)
 * goes, or value comes in before it (i may be one past the end).
 */
static int
resize_tuple(struct bif_ctx *ctx, const term *a, int insert, term *out)
{
	size_t n, k, m = 0;
	int64_t idx;
	term *e;

	if (term_kind(a[1]) != TERM_TUPLE)
		return bif_badarg(ctx, 1, not_tuple);
	n = term_size(a[1]);
	if (bif_int_range(a[0], 1, (int64_t)n + insert, &idx) < 0)
		return bif_badarg(
		    ctx, 0, term_is_integer(a[0]) ? range : not_integer);
	e = xreallocarray(NULL, n + 1, sizeof *e);
	for (k = 0; k < n; k++) {
		if (k == (size_t)idx - 1 && insert)
			e[m++] = term_copy(a[2]);
		if (k != (size_t)idx - 1 || insert)
			e[m++] = term_copy(term_tuple_get(a[1], k));
	}
	if (insert && (size_t)idx == n + 1)
		e[m++] = term_copy(a[2]);
	*out = term_tuple(m, e);
	free(e);
	return 0;
}

BIF_VIA(bif_erlang_delete_element_2, resize_tuple(ctx, a, 0, out))
BIF_VIA(bif_erlang_insert_element_3, resize_tuple(ctx, a, 1, out))
