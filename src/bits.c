/*
 * Erlang's bit syntax over terms: a writer that appends segments to a
 * bitstring and a reader that takes them out of one, as OTP 25 does it
 * (erl_bits.erl for the defaults, erts's bs_put and bs_get for values).
 * The language evaluates a segment's expressions; this sees only terms.
 *
 * Packets are built of byte-aligned segments, so whole bytes on byte
 * boundaries go through memcpy; anything else moves a byte or a field
 * of at most 64 bits at a time. The writer keeps its buffer at
 * ceil(nbits / 8) bytes with every bit past nbits zero, so a field is
 * ORed in place.
 */
#include "compat.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "term.h"
#include "util.h"

/* The low n bits (n <= 8). */
#define LOW(n) ((1u << (n)) - 1)

int
bits_defaults(struct bits_seg *s, const char **why)
{
	if (s->unit < 0 || s->unit > 256) {
		*why = "undefined_bittype";
		return -1;
	}
	switch (s->type) {
	case BITS_UTF8:
	case BITS_UTF16:
	case BITS_UTF32:
		if (s->size != -1 || s->unit != 0) {
			*why = "utf_bittype_size_or_unit";
			return -1;
		}
		return 0;
	case BITS_INTEGER:
	case BITS_FLOAT:
		/* erl_bits: "No unit must be given if the size is not". */
		if (s->size == -1 && s->unit != 0) {
			*why = "bittype_unit";
			return -1;
		}
		if (s->size == -1)
			s->size = s->type == BITS_INTEGER ? 8 : 64;
		if (s->unit == 0)
			s->unit = 1;
		return 0;
	case BITS_BINARY:
		if (s->unit == 0)
			s->unit = 8;
		return 0;
	case BITS_BITSTRING:
		if (s->unit == 0)
			s->unit = 1;
		return 0;
	}
	*why = "undefined_bittype";
	return -1;
}

static int
native_little(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

static int
is_little(const struct bits_seg *s)
{
	return s->endian == BITS_LITTLE ||
	       (s->endian == BITS_NATIVE && native_little());
}

/* n bits (n <= 64) of s from bit off, the first one most significant. */
static uint64_t
get_field(const unsigned char *s, size_t off, unsigned int n)
{
	uint64_t v = 0;
	unsigned int r, k;

	while (n > 0) {
		r = (unsigned int)(off % 8);
		k = 8 - r < n ? 8 - r : n;
		v = v << k | ((s[off / 8] >> (8 - r - k)) & LOW(k));
		off += k;
		n -= k;
	}
	return v;
}

/*
 * ORs n bits of src from bit soff into dst from bit doff, where dst's
 * bits from doff on are zero. Both offsets on byte boundaries make the
 * whole bytes one memcpy.
 */
static void
copy_bits(unsigned char *dst, size_t doff, const unsigned char *src,
    size_t soff, size_t n)
{
	unsigned int dr = (unsigned int)(doff % 8);
	unsigned int sr = (unsigned int)(soff % 8);
	unsigned int rem = (unsigned int)(n % 8), v;
	size_t i, nb = n / 8, d = doff / 8;
	const unsigned char *p = src + soff / 8;

	if (dr == 0 && sr == 0) {
		if (nb > 0)
			memcpy(dst + d, p, nb);
	} else {
		for (i = 0; i < nb; i++) {
			/* p[i + 1] holds bits of this byte when sr > 0. */
			v = sr == 0
			        ? p[i]
			        : (p[i] << sr | p[i + 1] >> (8 - sr)) & 0xff;
			dst[d + i] |= (unsigned char)(v >> dr);
			if (dr != 0)
				dst[d + i + 1] |=
				    (unsigned char)(v << (8 - dr));
		}
	}
	if (rem == 0)
		return;
	v = (unsigned int)get_field(src, soff + 8 * nb, rem) << (8 - rem);
	dst[d + nb] |= (unsigned char)(v >> dr);
	if (dr + rem > 8)
		dst[d + nb + 1] |= (unsigned char)(v << (8 - dr));
}

/*
 * The writer.
 */

void
bits_init(struct bits_writer *w)
{
	buf_init(&w->b);
	w->nbits = 0;
}

void
bits_free(struct bits_writer *w)
{
	buf_free(&w->b);
	w->nbits = 0;
}

term
bits_finish(struct bits_writer *w)
{
	term t = term_bitstring(w->b.data, w->nbits);

	buf_reset(&w->b);
	w->nbits = 0;
	return t;
}

/*
 * Room for n more bits, the new bytes zero; callers checked BITS_MAX.
 * Never NULL, even for no bits into an empty writer (<<Big:0>>): callers
 * add offsets to it.
 */
static unsigned char *
w_room(struct bits_writer *w, size_t n)
{
	size_t need = (w->nbits + n + 7) / 8;

	if (need > w->b.len || w->b.data == NULL) {
		buf_reserve(&w->b, need - w->b.len);
		memset(w->b.data + w->b.len, 0, need - w->b.len);
		w->b.len = need;
	}
	return (unsigned char *)w->b.data;
}

/* Appends the low n bits of v (n <= 64), the most significant first. */
static void
put_field(struct bits_writer *w, uint64_t v, unsigned int n)
{
	unsigned char *p = w_room(w, n);
	unsigned int r, k;

	while (n > 0) {
		r = (unsigned int)(w->nbits % 8);
		k = 8 - r < n ? 8 - r : n;
		p[w->nbits / 8] |=
		    (unsigned char)(((v >> (n - k)) & LOW(k)) << (8 - r - k));
		w->nbits += k;
		n -= k;
	}
}

static void
put_bits(struct bits_writer *w, const unsigned char *s, size_t off, size_t n)
{
	unsigned char *p = w_room(w, n);

	copy_bits(p, w->nbits, s, off, n);
	w->nbits += n;
}

/*
 * Two's complement of an integer term, truncated or sign-extended to
 * nbytes bytes, least significant first.
 */
static void
int_bytes(term v, unsigned char *le, size_t nbytes)
{
	const uint32_t *w;
	size_t n, k;
	unsigned int carry = 1, m;
	uint64_t u;
	int neg;

	if (term_kind(v) == TERM_INT) {
		u = (uint64_t)v.u.i;
		for (k = 0; k < nbytes; k++)
			le[k] = k < 8 ? (unsigned char)(u >> 8 * k)
			              : (v.u.i < 0 ? 0xff : 0);
		return;
	}
	w = term_big_limbs(v, &n);
	neg = term_big_sign(v) < 0;
	for (k = 0; k < nbytes; k++) {
		m = k / 4 < n ? (w[k / 4] >> 8 * (k % 4)) & 0xff : 0;
		if (neg) {
			m = (~m & 0xff) + carry;
			carry = m >> 8;
		}
		le[k] = (unsigned char)m;
	}
}

/*
 * An integer of nbits bits. Little-endian puts the whole bytes first,
 * least significant first, then the top nbits % 8 bits as a field:
 * <<16#ABC:12/little>> is <<16#BC, 16#A:4>>.
 */
static void
put_int(struct bits_writer *w, term v, size_t nbits, int little)
{
	unsigned char small[8], *le;
	size_t full = nbits / 8, nbytes = (nbits + 7) / 8, i;
	unsigned int part = (unsigned int)(nbits % 8);

	if (!little && nbits <= 64 && term_kind(v) == TERM_INT) {
		put_field(w, (uint64_t)v.u.i, (unsigned int)nbits);
		return;
	}
	le = nbytes <= sizeof small ? small : xmalloc(nbytes);
	int_bytes(v, le, nbytes);
	if (little) {
		if (w->nbits % 8 == 0)
			put_bits(w, le, 0, 8 * full);
		else
			for (i = 0; i < full; i++)
				put_field(w, le[i], 8);
		if (part != 0)
			put_field(w, le[full] & LOW(part), part);
	} else {
		if (part != 0)
			put_field(w, le[full] & LOW(part), part);
		if (w->nbits % 8 == 0) {
			/* Aligned: write the bytes in reverse in place. */
			unsigned char *p = w_room(w, 8 * full) + w->nbits / 8;

			for (i = 0; i < full; i++)
				p[i] = le[full - 1 - i];
			w->nbits += 8 * full;
		} else
			for (i = full; i-- > 0;)
				put_field(w, le[i], 8);
	}
	if (le != small)
		free(le);
}

/*
 * An integer as a double the way erts's big_to_double does it, a 64-bit
 * digit at a time, so that the rounding is OTP's. -1 when not finite.
 */
static int
int_double(term v, double *out)
{
	const uint32_t *w;
	size_t n, i;
	uint64_t digit;
	double d = 0;

	if (term_kind(v) == TERM_INT) {
		*out = (double)v.u.i;
		return 0;
	}
	w = term_big_limbs(v, &n);
	for (i = (n + 1) / 2; i-- > 0;) {
		digit = w[2 * i];
		if (2 * i + 1 < n)
			digit |= (uint64_t)w[2 * i + 1] << 32;
		d = d * 18446744073709551616.0 + (double)digit;
		if (!isfinite(d))
			return -1;
	}
	*out = term_big_sign(v) < 0 ? -d : d;
	return 0;
}

/*
 * A double to IEEE half precision, rounded to nearest even; too large
 * is infinity, as OTP 25 stores <<100000.0:16/float>>.
 */
static uint16_t
half_bits(double d)
{
	uint64_t b, mant, h, rem, halfway;
	uint16_t sign;
	int e;
	unsigned int shift;

	memcpy(&b, &d, sizeof b);
	sign = (uint16_t)(b >> 48 & 0x8000);
	e = (int)(b >> 52 & 0x7ff) - 1023;
	mant = b & ((UINT64_C(1) << 52) - 1);
	if (e > 15)
		return sign | 0x7c00;
	if (e == -1023)
		return sign; /* a double subnormal is far below half's */
	mant |= UINT64_C(1) << 52;
	/* Normal halves keep 10 fraction bits; subnormals count 2^-24s. */
	shift = e >= -14 ? 42 : (unsigned int)(28 - e);
	if (shift > 63)
		return sign;
	h = mant >> shift;
	rem = mant & ((UINT64_C(1) << shift) - 1);
	halfway = UINT64_C(1) << (shift - 1);
	if (rem > halfway || (rem == halfway && (h & 1)))
		h++;
	/*
	 * A carry out of the fraction moves into the exponent; from the top
	 * exponent it makes 0x7c00, infinity.
	 */
	if (e >= -14)
		h = ((uint64_t)(e + 15) << 10) + (h - 1024);
	return sign | (uint16_t)h;
}

static double
half_value(unsigned int h)
{
	unsigned int e = h >> 10 & 0x1f, m = h & 0x3ff;
	double v = e == 0 ? ldexp(m, -24) : ldexp(m + 1024, (int)e - 25);

	return h & 0x8000 ? -v : v;
}

/* A double to single precision; C leaves conversions past FLT_MAX open. */
static float
single_of(double d)
{
	/* Halfway between FLT_MAX and 2^128: from there on it rounds up. */
	static const double edge = 340282356779733661637539395458142568448.0;

	if (fabs(d) > FLT_MAX) {
		if (fabs(d) < edge)
			return d < 0 ? -FLT_MAX : FLT_MAX;
		return d < 0 ? -INFINITY : INFINITY;
	}
	return (float)d;
}

/* The n low bytes of u in reverse order: little-endian units. */
static uint64_t
swap_units(uint64_t u, unsigned int nbytes)
{
	uint64_t r = 0;
	unsigned int i;

	for (i = 0; i < nbytes; i++)
		r = r << 8 | (u >> 8 * i & 0xff);
	return r;
}

static int
put_float(struct bits_writer *w, term v, size_t nbits, int little)
{
	uint64_t u;
	uint32_t u32;
	double d;
	float f;

	if (term_kind(v) == TERM_FLOAT)
		d = v.u.f;
	else if (!term_is_integer(v) || int_double(v, &d) < 0)
		return -1;
	switch (nbits) {
	case 64:
		memcpy(&u, &d, sizeof u);
		break;
	case 32:
		f = single_of(d);
		memcpy(&u32, &f, sizeof u32);
		u = u32;
		break;
	case 16:
		u = half_bits(d);
		break;
	default:
		return -1;
	}
	if (little)
		u = swap_units(u, (unsigned int)(nbits / 8));
	put_field(w, u, (unsigned int)nbits);
	return 0;
}

static int
code_point(term v, uint32_t *c)
{
	if (term_kind(v) != TERM_INT || v.u.i < 0 || v.u.i > 0x10ffff ||
	    (v.u.i >= 0xd800 && v.u.i <= 0xdfff))
		return -1;
	*c = (uint32_t)v.u.i;
	return 0;
}

static void
put_utf(struct bits_writer *w, enum bits_type type, uint32_t c, int little)
{
	struct buf tmp;
	uint32_t hi, lo;

	switch (type) {
	case BITS_UTF8:
		if (w->nbits % 8 == 0) {
			buf_add_utf8(&w->b, c);
			w->nbits = 8 * w->b.len;
			return;
		}
		buf_init(&tmp);
		buf_add_utf8(&tmp, c);
		put_bits(w, (const unsigned char *)tmp.data, 0, 8 * tmp.len);
		buf_free(&tmp);
		return;
	case BITS_UTF16:
		if (c >= 0x10000) {
			hi = 0xd800 | (c - 0x10000) >> 10;
			lo = 0xdc00 | ((c - 0x10000) & 0x3ff);
			put_field(w, little ? swap_units(hi, 2) : hi, 16);
			put_field(w, little ? swap_units(lo, 2) : lo, 16);
		} else
			put_field(w, little ? swap_units(c, 2) : c, 16);
		return;
	default:
		put_field(w, little ? swap_units(c, 4) : c, 32);
		return;
	}
}

/* size * unit in bits, or -1 when past max. */
static int
seg_bits(const struct bits_seg *s, uint64_t max, uint64_t *nbits)
{
	if ((uint64_t)s->size > max / (uint64_t)s->unit)
		return -1;
	*nbits = (uint64_t)s->size * (uint64_t)s->unit;
	return 0;
}

int
bits_put(struct bits_writer *w, const struct bits_seg *seg, term v)
{
	struct bits_seg s = *seg;
	const char *why;
	uint64_t nbits, have, room = BITS_MAX - w->nbits;
	uint32_t c;
	int little = is_little(seg);

	if (bits_defaults(&s, &why) < 0 || s.size < -1)
		return -1;
	switch (s.type) {
	case BITS_INTEGER:
		if (!term_is_integer(v))
			return -1;
		if (seg_bits(&s, room, &nbits) < 0)
			return -2;
		put_int(w, v, (size_t)nbits, little);
		return 0;
	case BITS_FLOAT:
		if (seg_bits(&s, 64, &nbits) < 0)
			return -1;
		if (nbits > room)
			return -2;
		return put_float(w, v, (size_t)nbits, little);
	case BITS_BINARY:
	case BITS_BITSTRING:
		if (term_kind(v) != TERM_BINARY)
			return -1;
		have = term_bin_bits(v);
		if (s.size == -1) {
			/* The whole value, which must be whole units. */
			if (have % (uint64_t)s.unit != 0)
				return -1;
			nbits = have;
		} else if (seg_bits(&s, have, &nbits) < 0)
			return -1; /* shorter than the size */
		if (nbits > room)
			return -2;
		put_bits(w, term_bin_data(v), 0, (size_t)nbits);
		return 0;
	case BITS_UTF8:
	case BITS_UTF16:
	case BITS_UTF32:
		if (code_point(v, &c) < 0)
			return -1;
		if (room < 32)
			return -2;
		put_utf(w, s.type, c, little);
		return 0;
	}
	return -1;
}

/*
 * The reader.
 */

void
bits_reader_init(struct bits_reader *r, term bin)
{
	r->bin = bin;
	r->pos = 0;
}

size_t
bits_left(const struct bits_reader *r)
{
	if (term_kind(r->bin) != TERM_BINARY)
		return 0;
	return term_bin_bits(r->bin) - r->pos;
}

/* The low n bits of u (n <= 64) as an integer, signed or not. */
static term
int_of_u64(uint64_t u, size_t n, int is_signed)
{
	uint32_t lim[2];
	int neg = is_signed && n > 0 && (u >> (n - 1) & 1);

	if (!neg && u <= INT64_MAX)
		return term_int((int64_t)u);
	/* The magnitude 2^n - u, which for n = 64 wraps as it should. */
	if (neg)
		u = n < 64 ? (~u + 1) & ((UINT64_C(1) << n) - 1) : ~u + 1;
	lim[0] = (uint32_t)u;
	lim[1] = (uint32_t)(u >> 32);
	return term_big(neg ? -1 : 1, lim, 2);
}

/*
 * An integer of nbits bits at bit off, the mirror of put_int: its bytes
 * gathered least significant first, then sign and magnitude.
 */
static term
get_int(
    const unsigned char *s, size_t off, size_t nbits, int little, int is_signed)
{
	size_t full = nbits / 8, nbytes = (nbits + 7) / 8, i, nw;
	unsigned int part = (unsigned int)(nbits % 8), top, m, carry = 1;
	unsigned char *le;
	uint32_t *w;
	uint64_t u;
	int neg;
	term t;

	if (nbits <= 64 && !little)
		return int_of_u64(
		    get_field(s, off, (unsigned int)nbits), nbits, is_signed);
	if (nbits <= 64) {
		u = 0;
		for (i = 0; i < full; i++)
			u |= get_field(s, off + 8 * i, 8) << 8 * i;
		if (part != 0)
			u |= get_field(s, off + 8 * full, part) << 8 * full;
		return int_of_u64(u, nbits, is_signed);
	}
	/* Four spare bytes so that the limbs below read whole words. */
	le = xcalloc(nbytes + 4, 1);
	if (little) {
		for (i = 0; i < full; i++)
			le[i] = (unsigned char)get_field(s, off + 8 * i, 8);
		if (part != 0)
			le[full] =
			    (unsigned char)get_field(s, off + 8 * full, part);
	} else {
		if (part != 0)
			le[full] = (unsigned char)get_field(s, off, part);
		for (i = 0; i < full; i++)
			le[full - 1 - i] =
			    (unsigned char)get_field(s, off + part + 8 * i, 8);
	}
	top = part != 0 ? part : 8;
	neg = is_signed && (le[nbytes - 1] >> (top - 1) & 1);
	if (neg) {
		/* Sign-extend the top byte, then negate for the magnitude. */
		le[nbytes - 1] |= (unsigned char)(0xff << top & 0xff);
		for (i = 0; i < nbytes; i++) {
			m = (~le[i] & 0xffu) + carry;
			carry = m >> 8;
			le[i] = (unsigned char)m;
		}
	}
	nw = (nbytes + 3) / 4;
	w = xreallocarray(NULL, nw, sizeof *w);
	for (i = 0; i < nw; i++)
		w[i] = (uint32_t)le[4 * i] | (uint32_t)le[4 * i + 1] << 8 |
		       (uint32_t)le[4 * i + 2] << 16 |
		       (uint32_t)le[4 * i + 3] << 24;
	t = term_big(neg ? -1 : 1, w, nw);
	free(w);
	free(le);
	return t;
}

static int
get_float(
    const unsigned char *s, size_t off, size_t nbits, int little, term *out)
{
	uint64_t u = get_field(s, off, (unsigned int)nbits);
	uint32_t u32;
	double d;
	float f;

	if (little)
		u = swap_units(u, (unsigned int)(nbits / 8));
	switch (nbits) {
	case 64:
		memcpy(&d, &u, sizeof d);
		break;
	case 32:
		u32 = (uint32_t)u;
		memcpy(&f, &u32, sizeof f);
		d = f;
		break;
	default:
		if ((u >> 10 & 0x1f) == 0x1f)
			return -1;
		d = half_value((unsigned int)u);
		break;
	}
	/* Erlang has no NaN nor infinity: such bits do not match. */
	if (!isfinite(d))
		return -1;
	*out = term_float(d);
	return 0;
}

/* The bits [off, off + nbits) as a bitstring term. */
static term
get_bits(const unsigned char *s, size_t off, size_t nbits)
{
	unsigned char *p;
	term t;

	if (off % 8 == 0)
		return term_bitstring(s + off / 8, nbits);
	p = xcalloc((nbits + 7) / 8 + 1, 1);
	copy_bits(p, 0, s, off, nbits);
	t = term_bitstring(p, nbits);
	free(p);
	return t;
}

/* One code point; *used gets its bits. -1 when invalid or cut short. */
static int
get_utf(const unsigned char *s, size_t off, size_t left,
    const struct bits_seg *seg, uint32_t *c, size_t *used)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	uint32_t u, lo;
	size_t n, i, b;
	int little = is_little(seg);

	switch (seg->type) {
	case BITS_UTF8:
		if (left < 8)
			return -1;
		u = (uint32_t)get_field(s, off, 8);
		if (u < 0x80)
			n = 1;
		else if (u >= 0xc2 && u <= 0xdf)
			n = 2;
		else if (u >= 0xe0 && u <= 0xef)
			n = 3;
		else if (u >= 0xf0 && u <= 0xf4)
			n = 4;
		else
			return -1;
		if (left < 8 * n)
			return -1;
		if (n > 1)
			u &= 0x7f >> n;
		for (i = 1; i < n; i++) {
			b = (size_t)get_field(s, off + 8 * i, 8);
			if ((b & 0xc0) != 0x80)
				return -1;
			u = u << 6 | (uint32_t)(b & 0x3f);
		}
		if (u < min[n])
			return -1; /* overlong */
		*used = 8 * n;
		break;
	case BITS_UTF16:
		if (left < 16)
			return -1;
		u = (uint32_t)get_field(s, off, 16);
		if (little)
			u = (uint32_t)swap_units(u, 2);
		*used = 16;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (left < 32)
				return -1;
			lo = (uint32_t)get_field(s, off + 16, 16);
			if (little)
				lo = (uint32_t)swap_units(lo, 2);
			if (lo < 0xdc00 || lo > 0xdfff)
				return -1;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			*used = 32;
		}
		break;
	default:
		if (left < 32)
			return -1;
		u = (uint32_t)get_field(s, off, 32);
		if (little)
			u = (uint32_t)swap_units(u, 4);
		*used = 32;
		break;
	}
	if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
		return -1;
	*c = u;
	return 0;
}

int
bits_get(struct bits_reader *r, const struct bits_seg *seg, term *out)
{
	struct bits_seg s = *seg;
	const unsigned char *p;
	const char *why;
	size_t left = bits_left(r), used;
	uint64_t nbits;
	uint32_t c;

	if (term_kind(r->bin) != TERM_BINARY || bits_defaults(&s, &why) < 0 ||
	    s.size < -1)
		return -1;
	p = term_bin_data(r->bin);
	switch (s.type) {
	case BITS_INTEGER:
		if (seg_bits(&s, left, &nbits) < 0)
			return -1;
		*out = get_int(
		    p, r->pos, (size_t)nbits, is_little(&s), s.is_signed);
		break;
	case BITS_FLOAT:
		if (seg_bits(&s, left, &nbits) < 0 ||
		    (nbits != 16 && nbits != 32 && nbits != 64))
			return -1;
		if (get_float(p, r->pos, (size_t)nbits, is_little(&s), out) < 0)
			return -1;
		break;
	case BITS_BINARY:
	case BITS_BITSTRING:
		if (s.size == -1) {
			/* The rest, in whole units. */
			if (left % (size_t)s.unit != 0)
				return -1;
			nbits = left;
		} else if (seg_bits(&s, left, &nbits) < 0)
			return -1;
		*out = get_bits(p, r->pos, (size_t)nbits);
		break;
	default:
		if (get_utf(p, r->pos, left, &s, &c, &used) < 0)
			return -1;
		*out = term_int(c);
		nbits = used;
		break;
	}
	r->pos += (size_t)nbits;
	return 0;
}
