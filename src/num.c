/*
 * Arithmetic on number terms, as Erlang's operators and number BIFs do
 * it. Two TERM_INT operands take a fast path that only checks for
 * overflow; everything else works on magnitudes: arrays of 32-bit limbs,
 * least significant first, with the sign kept apart, as term.h stores
 * TERM_BIG. Results go back through term_big(), which makes them
 * canonical. Decimal text and digit parsing are term.c's; this file adds
 * the sign, the other bases and the operators.
 */
#include "compat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "term.h"
#include "util.h"

#define LIMB_BITS 32

enum op { OP_ADD, OP_SUB, OP_MUL, OP_FDIV, OP_AND, OP_OR, OP_XOR };

/* An integer term as a sign and a magnitude, read in place. */
struct mag {
	int sign; /* -1 or 1; 1 for zero */
	size_t n; /* limbs, the top one nonzero */
	const uint32_t *w;
	uint32_t own[2]; /* the limbs of a TERM_INT */
};

static void
mag_of(struct mag *m, term t)
{
	uint64_t u;

	if (term_kind(t) == TERM_BIG) {
		m->sign = term_big_sign(t);
		m->w = term_big_limbs(t, &m->n);
		return;
	}
	m->sign = t.u.i < 0 ? -1 : 1;
	u = t.u.i < 0 ? -(uint64_t)t.u.i : (uint64_t)t.u.i;
	m->own[0] = (uint32_t)u;
	m->own[1] = (uint32_t)(u >> 32);
	m->n = m->own[1] != 0 ? 2 : m->own[0] != 0;
	m->w = m->own;
}

/* Views of two integer terms; -1 when either is no integer. */
static int
mags_of(term a, term b, struct mag *x, struct mag *y)
{
	if (!term_is_integer(a) || !term_is_integer(b))
		return -1;
	mag_of(x, a);
	mag_of(y, b);
	return 0;
}

static uint32_t *
limbs_new(size_t n)
{
	return xcalloc(n > 0 ? n : 1, sizeof(uint32_t));
}

static size_t
limbs_trim(const uint32_t *w, size_t n)
{
	while (n > 0 && w[n - 1] == 0)
		n--;
	return n;
}

static size_t
limbs_bits(const uint32_t *w, size_t n)
{
	n = limbs_trim(w, n);
	if (n == 0)
		return 0;
	return LIMB_BITS * n - (size_t)__builtin_clz(w[n - 1]);
}

/* Limb i of a magnitude of n limbs, zero beyond its top. */
static uint32_t
limb(const uint32_t *w, size_t n, size_t i)
{
	return i < n ? w[i] : 0;
}

/* r = a + b over n limbs; returns the carry out. r may be a or b. */
static uint32_t
limbs_add(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    uint32_t *r, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		c += (uint64_t)limb(a, na, i) + limb(b, nb, i);
		r[i] = (uint32_t)c;
		c >>= LIMB_BITS;
	}
	return (uint32_t)c;
}

/* r = a - b modulo 2^(32n); returns the borrow out. r may be a or b. */
static uint32_t
limbs_sub(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    uint32_t *r, size_t n)
{
	uint64_t d, borrow = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		d = (uint64_t)limb(a, na, i) - limb(b, nb, i) - borrow;
		r[i] = (uint32_t)d;
		borrow = d >> 63;
	}
	return (uint32_t)borrow;
}

/* w = -w modulo 2^(32n): two's complement in place. */
static void
limbs_negate(uint32_t *w, size_t n)
{
	uint64_t c = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		c += (uint32_t)~w[i];
		w[i] = (uint32_t)c;
		c >>= LIMB_BITS;
	}
}

/* r = a * b; r has na + nb limbs and is neither a nor b. */
static void
limbs_mul(
    const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *r)
{
	uint64_t c;
	size_t i, j;

	memset(r, 0, (na + nb) * sizeof *r);
	for (i = 0; i < na; i++) {
		c = 0;
		for (j = 0; j < nb; j++) {
			c += (uint64_t)a[i] * b[j] + r[i + j];
			r[i + j] = (uint32_t)c;
			c >>= LIMB_BITS;
		}
		r[i + nb] = (uint32_t)c;
	}
}

/* r = a << s; r has n + s / 32 + 1 limbs. */
static void
limbs_shl(const uint32_t *a, size_t n, size_t s, uint32_t *r)
{
	size_t q = s / LIMB_BITS, i;
	unsigned int k = s % LIMB_BITS;
	uint32_t prev = 0;

	memset(r, 0, q * sizeof *r);
	for (i = 0; i < n; i++) {
		r[q + i] = a[i] << k | (k ? prev >> (LIMB_BITS - k) : 0);
		prev = a[i];
	}
	r[q + n] = k ? prev >> (LIMB_BITS - k) : 0;
}

/*
 * r = a >> s; r has n limbs (fewer are used). Returns nonzero when a bit
 * shifted out was set.
 */
static int
limbs_shr(const uint32_t *a, size_t n, size_t s, uint32_t *r)
{
	size_t q = s / LIMB_BITS, i;
	unsigned int k = s % LIMB_BITS;
	uint32_t lost = 0;

	for (i = 0; i < q && i < n; i++)
		lost |= a[i];
	if (q < n && k != 0)
		lost |= a[q] << (LIMB_BITS - k);
	for (i = 0; i + q < n; i++)
		r[i] =
		    a[i + q] >> k |
		    (k && i + q + 1 < n ? a[i + q + 1] << (LIMB_BITS - k) : 0);
	return lost != 0;
}

/* Divides w in place by d; returns the remainder. */
static uint32_t
limbs_div1(uint32_t *w, size_t n, uint32_t d)
{
	uint64_t cur = 0;
	size_t i;

	for (i = n; i-- > 0;) {
		cur = cur << LIMB_BITS | w[i];
		w[i] = (uint32_t)(cur / d);
		cur %= d;
	}
	return (uint32_t)cur;
}

/*
 * One step of Knuth's algorithm D (TAOCP vol. 2, 4.3.1): divides u[0..n]
 * by the normalised v[0..n-1], with u < v * 2^32; leaves the remainder in
 * u and returns the quotient limb.
 */
static uint32_t
div_step(uint32_t *u, const uint32_t *v, size_t n)
{
	uint64_t num = (uint64_t)u[n] << LIMB_BITS | u[n - 1];
	uint64_t qhat = num / v[n - 1], rhat = num % v[n - 1];
	uint64_t p, d, k = 0, borrow = 0;
	size_t i;

	/*
	 * qhat, from the top limbs alone, is at most two too large; the
	 * next limb of v finds nearly every such case here.
	 */
	while (qhat > UINT32_MAX ||
	       qhat * v[n - 2] > (rhat << LIMB_BITS | u[n - 2])) {
		qhat--;
		rhat += v[n - 1];
		if (rhat > UINT32_MAX)
			break;
	}
	for (i = 0; i < n; i++) {
		p = qhat * v[i] + k;
		k = p >> LIMB_BITS;
		d = (uint64_t)u[i] - (uint32_t)p - borrow;
		u[i] = (uint32_t)d;
		borrow = d >> 63;
	}
	d = (uint64_t)u[n] - k - borrow;
	u[n] = (uint32_t)d;
	if (d >> 63) {
		/* Rarely, one too large still: add v back. */
		qhat--;
		u[n] += limbs_add(u, n, v, n, u, n);
	}
	return (uint32_t)qhat;
}

/*
 * q = u / v and r = u mod v, for nv >= 1: q has nu + 1 limbs, r has nv
 * (both zero-filled beyond their values).
 */
static void
limbs_divmod(const uint32_t *u, size_t nu, const uint32_t *v, size_t nv,
    uint32_t *q, uint32_t *r)
{
	uint32_t *un, *vn;
	unsigned int s;
	size_t j;

	memset(q, 0, (nu + 1) * sizeof *q);
	memset(r, 0, nv * sizeof *r);
	if (nu < nv) {
		memcpy(r, u, nu * sizeof *r);
		return;
	}
	if (nv == 1) {
		memcpy(q, u, nu * sizeof *q);
		r[0] = limbs_div1(q, nu, v[0]);
		return;
	}
	/* Shift both so that v's top bit is set, as step D1 asks. */
	s = (unsigned int)__builtin_clz(v[nv - 1]);
	un = limbs_new(nu + 1);
	vn = limbs_new(nv + 1);
	limbs_shl(u, nu, s, un);
	limbs_shl(v, nv, s, vn);
	for (j = nu - nv + 1; j-- > 0;)
		q[j] = div_step(un + j, vn, nv);
	limbs_shr(un, nv, s, r);
	free(un);
	free(vn);
}

/*
 * The integer sign * w[0..n-1] in *out, or -1 when it is wider than
 * NUM_BITS_MAX. Frees w either way.
 */
static int
finish(int sign, uint32_t *w, size_t n, term *out)
{
	if (limbs_bits(w, n) > NUM_BITS_MAX) {
		free(w);
		return -1;
	}
	*out = term_big(sign, w, n);
	free(w);
	return 0;
}

/* x + y, each with its own sign. */
static int
add_mags(const struct mag *x, const struct mag *y, term *out)
{
	size_t n = (x->n > y->n ? x->n : y->n) + 1;
	uint32_t *r = limbs_new(n);
	int sign = x->sign;

	if (x->sign == y->sign)
		limbs_add(x->w, x->n, y->w, y->n, r, n);
	else if (limbs_sub(x->w, x->n, y->w, y->n, r, n) != 0) {
		/* |y| > |x|: r holds |x| - |y| in two's complement. */
		limbs_negate(r, n);
		sign = -sign;
	}
	return finish(sign, r, n, out);
}

static int
mul_mags(const struct mag *x, const struct mag *y, term *out)
{
	uint32_t *r;

	/* Refuse early what could not fit, rather than compute it. */
	if (x->n > 0 && y->n > 0 &&
	    limbs_bits(x->w, x->n) + limbs_bits(y->w, y->n) - 1 > NUM_BITS_MAX)
		return -1;
	r = limbs_new(x->n + y->n);
	limbs_mul(x->w, x->n, y->w, y->n, r);
	return finish(x->sign * y->sign, r, x->n + y->n, out);
}

/* The integer operators + - * on operands of any size. */
static int
int_arith(term a, term b, enum op op, term *out)
{
	struct mag x, y;

	if (mags_of(a, b, &x, &y) < 0)
		return -1;
	switch (op) {
	case OP_ADD:
		return add_mags(&x, &y, out);
	case OP_SUB:
		y.sign = y.n > 0 ? -y.sign : 1;
		return add_mags(&x, &y, out);
	default:
		return mul_mags(&x, &y, out);
	}
}

/* Any operator on two numbers of which one is a float, or on /. */
static int
float_arith(term a, term b, enum op op, term *out)
{
	double x, y, r;

	if (num_to_double(a, &x) < 0 || num_to_double(b, &y) < 0)
		return -1;
	switch (op) {
	case OP_ADD:
		r = x + y;
		break;
	case OP_SUB:
		r = x - y;
		break;
	case OP_MUL:
		r = x * y;
		break;
	default:
		/* OTP: 1 / 0.0 and 0.0 / 0.0 raise badarith. */
		if (y == 0)
			return -1;
		r = x / y;
		break;
	}
	if (!isfinite(r))
		return -1;
	*out = term_float(r);
	return 0;
}

/*
 * div and rem of integers of any size: the quotient truncated toward
 * zero (signs multiply) and the remainder with the dividend's sign.
 */
static int
divmod(term a, term b, term *quot, term *rem)
{
	struct mag x, y;
	uint32_t *q, *r;

	if (mags_of(a, b, &x, &y) < 0 || y.n == 0)
		return -1;
	q = limbs_new(x.n + 1);
	r = limbs_new(y.n);
	limbs_divmod(x.w, x.n, y.w, y.n, q, r);
	if (quot != NULL)
		*quot = term_big(x.sign * y.sign, q, x.n + 1);
	if (rem != NULL)
		*rem = term_big(x.sign, r, y.n);
	free(q);
	free(r);
	return 0;
}

int
num_div(term a, term b, term *out)
{
	if (term_kind(a) == TERM_INT && term_kind(b) == TERM_INT &&
	    b.u.i != 0 && !(a.u.i == INT64_MIN && b.u.i == -1)) {
		*out = term_int(a.u.i / b.u.i);
		return 0;
	}
	return divmod(a, b, out, NULL);
}

int
num_rem(term a, term b, term *out)
{
	if (term_kind(a) == TERM_INT && term_kind(b) == TERM_INT &&
	    b.u.i != 0) {
		/* INT64_MIN % -1 traps on x86, though the answer is 0. */
		*out = term_int(b.u.i == -1 ? 0 : a.u.i % b.u.i);
		return 0;
	}
	return divmod(a, b, NULL, out);
}

/* An integer as n limbs of two's complement; n exceeds its magnitude. */
static uint32_t *
twos_of(const struct mag *m, size_t n)
{
	uint32_t *w = limbs_new(n);

	memcpy(w, m->w, m->n * sizeof *w);
	if (m->sign < 0)
		limbs_negate(w, n);
	return w;
}

/* band, bor and bxor as on infinite two's complement, as OTP does. */
static int
bitwise(term a, term b, enum op op, term *out)
{
	struct mag x, y;
	uint32_t *p, *q;
	size_t n, i;
	int sign;

	if (mags_of(a, b, &x, &y) < 0)
		return -1;
	/* One more limb than either holds carries the sign. */
	n = (x.n > y.n ? x.n : y.n) + 1;
	p = twos_of(&x, n);
	q = twos_of(&y, n);
	for (i = 0; i < n; i++)
		p[i] = op == OP_AND  ? p[i] & q[i]
		       : op == OP_OR ? p[i] | q[i]
		                     : p[i] ^ q[i];
	free(q);
	sign = p[n - 1] >> (LIMB_BITS - 1) ? -1 : 1;
	if (sign < 0)
		limbs_negate(p, n);
	return finish(sign, p, n, out);
}

/*
 * The fast path: op on two TERM_INTs whose result fits in one too.
 * Returns 0 with *out set, or -1 when the general path must decide.
 */
static int
small_op(term a, term b, enum op op, term *out)
{
	int64_t x, y, r;

	if (term_kind(a) != TERM_INT || term_kind(b) != TERM_INT)
		return -1;
	x = a.u.i;
	y = b.u.i;
	switch (op) {
	case OP_ADD:
		if (__builtin_add_overflow(x, y, &r))
			return -1;
		break;
	case OP_SUB:
		if (__builtin_sub_overflow(x, y, &r))
			return -1;
		break;
	case OP_MUL:
		if (__builtin_mul_overflow(x, y, &r))
			return -1;
		break;
	case OP_AND:
		r = x & y;
		break;
	case OP_OR:
		r = x | y;
		break;
	case OP_XOR:
		r = x ^ y;
		break;
	default:
		return -1;
	}
	*out = term_int(r);
	return 0;
}

static int
binop(term a, term b, enum op op, term *out)
{
	if (small_op(a, b, op, out) == 0)
		return 0;
	switch (op) {
	case OP_AND:
	case OP_OR:
	case OP_XOR:
		return bitwise(a, b, op, out);
	case OP_FDIV:
		return float_arith(a, b, op, out);
	default:
		break;
	}
	if (term_kind(a) == TERM_FLOAT || term_kind(b) == TERM_FLOAT)
		return float_arith(a, b, op, out);
	return int_arith(a, b, op, out);
}

int
num_add(term a, term b, term *out)
{
	return binop(a, b, OP_ADD, out);
}

int
num_sub(term a, term b, term *out)
{
	return binop(a, b, OP_SUB, out);
}

int
num_mul(term a, term b, term *out)
{
	return binop(a, b, OP_MUL, out);
}

int
num_fdiv(term a, term b, term *out)
{
	return binop(a, b, OP_FDIV, out);
}

int
num_band(term a, term b, term *out)
{
	return binop(a, b, OP_AND, out);
}

int
num_bor(term a, term b, term *out)
{
	return binop(a, b, OP_OR, out);
}

int
num_bxor(term a, term b, term *out)
{
	return binop(a, b, OP_XOR, out);
}

/* Shifts past this many bits are all alike: too wide, 0 or -1. */
#define SHIFT_HUGE ((int64_t)NUM_BITS_MAX * 4)

static int
shift_left(const struct mag *x, size_t s, term *out)
{
	uint32_t *r;

	if (x->n == 0) {
		*out = term_int(0);
		return 0;
	}
	if (limbs_bits(x->w, x->n) + s > NUM_BITS_MAX)
		return -1;
	r = limbs_new(x->n + s / LIMB_BITS + 1);
	limbs_shl(x->w, x->n, s, r);
	return finish(x->sign, r, x->n + s / LIMB_BITS + 1, out);
}

/* Rounds toward minus infinity, as an arithmetic shift does. */
static int
shift_right(const struct mag *x, size_t s, term *out)
{
	uint32_t *r = limbs_new(x->n + 1), one = 1;

	if (limbs_shr(x->w, x->n, s, r) && x->sign < 0)
		limbs_add(r, x->n, &one, 1, r, x->n + 1);
	return finish(x->sign, r, x->n + 1, out);
}

/* a bsl s, for s of either sign (dir 1) or a bsr s (dir -1). */
static int
shift(term a, term b, int dir, term *out)
{
	struct mag x;
	int64_t s;

	if (!term_is_integer(a) || !term_is_integer(b))
		return -1;
	if (term_kind(b) == TERM_BIG)
		s = term_big_sign(b) * SHIFT_HUGE;
	else
		s = b.u.i < -SHIFT_HUGE  ? -SHIFT_HUGE
		    : b.u.i > SHIFT_HUGE ? SHIFT_HUGE
		                         : b.u.i;
	s *= dir;
	if (term_kind(a) == TERM_INT && s < 0) {
		s = s < -63 ? 63 : -s;
		/* Both sides defined in C, unlike >> of a negative. */
		*out = term_int(a.u.i >= 0 ? a.u.i >> s : ~(~a.u.i >> s));
		return 0;
	}
	if (term_kind(a) == TERM_INT && s < 63 && a.u.i <= INT64_MAX >> s &&
	    a.u.i >= -(INT64_MAX >> s) - 1) {
		*out = term_int(a.u.i * ((int64_t)1 << s));
		return 0;
	}
	mag_of(&x, a);
	if (s >= 0)
		return shift_left(&x, (size_t)s, out);
	return shift_right(&x, (size_t)-s, out);
}

int
num_bsl(term a, term b, term *out)
{
	return shift(a, b, 1, out);
}

int
num_bsr(term a, term b, term *out)
{
	return shift(a, b, -1, out);
}

int
num_neg(term a, term *out)
{
	struct mag x;

	if (term_kind(a) == TERM_FLOAT) {
		*out = term_float(-a.u.f);
		return 0;
	}
	if (term_kind(a) == TERM_INT && a.u.i != INT64_MIN) {
		*out = term_int(-a.u.i);
		return 0;
	}
	if (!term_is_integer(a))
		return -1;
	mag_of(&x, a);
	*out = term_big(-x.sign, x.w, x.n);
	return 0;
}

int
num_bnot(term a, term *out)
{
	if (term_kind(a) == TERM_INT) {
		*out = term_int(~a.u.i);
		return 0;
	}
	if (term_kind(a) != TERM_BIG)
		return -1;
	/* bnot X is -X - 1. */
	return num_sub(term_int(-1), a, out);
}

int
num_abs(term a, term *out)
{
	struct mag x;

	if (term_kind(a) == TERM_FLOAT) {
		/* OTP 25: abs(-0.0) is -0.0; only what is below 0 flips. */
		*out = term_float(a.u.f < 0 ? -a.u.f : a.u.f);
		return 0;
	}
	if (term_kind(a) == TERM_INT && a.u.i != INT64_MIN) {
		*out = term_int(a.u.i < 0 ? -a.u.i : a.u.i);
		return 0;
	}
	if (!term_is_integer(a))
		return -1;
	mag_of(&x, a);
	*out = term_big(1, x.w, x.n);
	return 0;
}

int
num_is_number(term t)
{
	return term_is_integer(t) || term_kind(t) == TERM_FLOAT;
}

/*
 * OTP's big_to_double: 64-bit digits from the top, d = d * 2^64 + digit,
 * each step rounded. Not always the nearest double, but erl's.
 */
static double
big_to_double(term t)
{
	const uint32_t *w;
	double d = 0;
	uint64_t digit;
	size_t n, k;

	w = term_big_limbs(t, &n);
	for (k = (n + 1) / 2; k-- > 0;) {
		digit = (uint64_t)limb(w, n, 2 * k + 1) << 32 | w[2 * k];
		d = d * 18446744073709551616.0 + (double)digit;
	}
	return term_big_sign(t) * d;
}

int
num_to_double(term t, double *out)
{
	double d;

	switch (term_kind(t)) {
	case TERM_INT:
		*out = (double)t.u.i;
		return 0;
	case TERM_FLOAT:
		*out = t.u.f;
		return 0;
	case TERM_BIG:
		d = big_to_double(t);
		if (!isfinite(d))
			return -1;
		*out = d;
		return 0;
	default:
		return -1;
	}
}

enum rounding { R_TRUNC, R_ROUND, R_FLOOR, R_CEIL };

/* A number to an integer, rounding a float the given way. */
static int
to_int(term t, enum rounding how, term *out)
{
	double f, frac;
	int64_t i;

	if (term_is_integer(t)) {
		*out = term_copy(t);
		return 0;
	}
	if (term_kind(t) != TERM_FLOAT || !isfinite(t.u.f))
		return -1;
	f = t.u.f;
	/* From 2^52 up every double is an integer already. */
	if (!(f > -0x1p52 && f < 0x1p52)) {
		*out = term_int_of_double(f);
		return 0;
	}
	i = (int64_t)f;
	frac = f - (double)i; /* exact */
	if (how == R_ROUND)
		i += frac >= 0.5 ? 1 : frac <= -0.5 ? -1 : 0;
	else if (how == R_FLOOR)
		i -= frac < 0;
	else if (how == R_CEIL)
		i += frac > 0;
	*out = term_int(i);
	return 0;
}

int
num_trunc(term t, term *out)
{
	return to_int(t, R_TRUNC, out);
}

int
num_round(term t, term *out)
{
	return to_int(t, R_ROUND, out);
}

int
num_floor(term t, term *out)
{
	return to_int(t, R_FLOOR, out);
}

int
num_ceil(term t, term *out)
{
	return to_int(t, R_CEIL, out);
}

static const char digit_chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/*
 * Digits from the least significant, by repeated division of a copy by
 * the largest power of the base a limb holds: one pass over the number
 * gives up to 31 digits rather than one. Returns the count; d has room
 * for 32n + 1.
 */
static size_t
digits_rev(const uint32_t *a, size_t n, unsigned int base, char *d)
{
	uint32_t chunk = base, r, *w = limbs_new(n);
	unsigned int per = 1, k;
	size_t nd = 0;

	memcpy(w, a, n * sizeof *w);
	while (chunk <= UINT32_MAX / base) {
		chunk *= base;
		per++;
	}
	do {
		r = limbs_div1(w, n, chunk);
		n = limbs_trim(w, n);
		/* The last chunk stops at its top digit: no leading zeros. */
		for (k = 0; k < per && (k == 0 || n > 0 || r > 0); k++) {
			d[nd++] = digit_chars[r % base];
			r /= base;
		}
	} while (n > 0);
	free(w);
	return nd;
}

/* The same for a base of 2^b: each digit is b bits, read in place. */
static size_t
digits_rev_pow2(const uint32_t *w, size_t n, unsigned int b, char *d)
{
	size_t bits = limbs_bits(w, n), pos, q, nd = 0;
	unsigned int k;
	uint32_t v;

	for (pos = 0; pos < bits || nd == 0; pos += b) {
		q = pos / LIMB_BITS;
		k = pos % LIMB_BITS;
		v = limb(w, n, q) >> k;
		if (k + b > LIMB_BITS)
			v |= limb(w, n, q + 1) << (LIMB_BITS - k);
		d[nd++] = digit_chars[v & ((1u << b) - 1)];
	}
	return nd;
}

int
num_int_text(struct buf *out, term t, int base)
{
	struct mag x;
	char *d, c;
	size_t nd, i;

	if (!term_is_integer(t) || base < 2 || base > 36)
		return -1;
	if (base == 10) {
		/* term.c divides by a constant 10^9: twice as fast. */
		term_int_text(out, t);
		return 0;
	}
	mag_of(&x, t);
	d = xmalloc(LIMB_BITS * x.n + 1);
	if ((base & (base - 1)) == 0)
		nd = digits_rev_pow2(
		    x.w, x.n, (unsigned int)__builtin_ctz(base), d);
	else
		nd = digits_rev(x.w, x.n, (unsigned int)base, d);
	if (x.sign < 0)
		buf_addc(out, '-');
	for (i = 0; i < nd / 2; i++) {
		c = d[i];
		d[i] = d[nd - 1 - i];
		d[nd - 1 - i] = c;
	}
	buf_add(out, d, nd);
	free(d);
	return 0;
}

int
num_parse_int(const char *s, size_t n, int base, term *out)
{
	int neg = 0;

	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	return term_int_parse(s, n, base, neg, out);
}
