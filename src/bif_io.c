/*
 * io:format/1,2 (and fwrite), io:put_chars/1, io:nl/0 and
 * io_lib:format/2: OTP 25's io_lib_format translated control by control
 * (field width, precision, pad character, the t and l modifiers), with
 * its float rounding (float_man on the 21 digits of float_to_list/1)
 * and ~p laid out by term_print.c from the column the text has reached.
 * io writes latin1 to the context's stream, as erl -noshell does (\x{H}
 * past 255); io_lib:format returns the
 * characters as one flat list where OTP returns a deep one.
 *
 * A failed io:format is explained as erl_stdlib_errors explains it,
 * after erl_lint's check of the format string; io_lib:format raises a
 * bare badarg, as it does in OTP.
 */
#include "compat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bif_lib.h"
#include "num.h"
#include "term_print.h"
#include "util.h"

/*
 * Widths and precisions past this fail as OTP fails on a bad one: they
 * would only fill memory.
 */
#define FIELD_MAX 1000000

/* One control sequence: ~F.P.PadModC. */
struct spec {
	long width; /* -1: none */
	int left;
	long prec; /* -1: none */
	uint32_t pad;
	int unicode; /* t */
	int strings; /* not l */
	uint32_t cc;
};

/* Text under construction and the column io_lib_format counts. */
struct out {
	struct bif_chars cs;
	long col;
};

static void
put(struct out *o, uint32_t c)
{
	bif_chars_add(&o->cs, c);
	if (c == '\n')
		o->col = 0;
	else if (c == '\t')
		o->col = (o->col + 8) / 8 * 8;
	else
		o->col++;
}

static void
put_n(struct out *o, uint32_t c, long n)
{
	while (n-- > 0)
		put(o, c);
}

static void
put_chars(struct out *o, const uint32_t *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put(o, c[i]);
}

/*
 * adjust/3 of a text and its padding: the pad before the text (right)
 * or after it (left).
 */
static void
adjusted(struct out *o, const uint32_t *c, size_t n, uint32_t pad, long npad,
    int left)
{
	if (!left)
		put_n(o, pad, npad);
	put_chars(o, c, n);
	if (left)
		put_n(o, pad, npad);
}

/* Appends n copies of c (chars/2). */
static void
copies(struct bif_chars *t, uint32_t c, long n)
{
	while (n-- > 0)
		bif_chars_add(t, c);
}

/*
 * term/5: a term's text in a field of width F, cut to precision P with
 * asterisks when it does not fit.
 */
static void
field(struct out *o, const struct bif_chars *t, const struct spec *s)
{
	struct bif_chars stars = {NULL, 0, 0};
	long f = s->width, p0 = s->prec, l = (long)t->n, p;

	if (f < 0 && p0 < 0) {
		put_chars(o, t->c, t->n);
		return;
	}
	if (f < 0)
		f = p0;
	p = p0 < 0 ? f : (p0 < f ? p0 : f);
	if (l <= p) {
		adjusted(o, t->c, t->n, s->pad, f - l, s->left);
		return;
	}
	copies(&stars, '*', p);
	adjusted(o, stars.c, stars.n, s->pad, f - p, s->left);
	bif_chars_free(&stars);
}

/* The latin1 bytes of a text as characters. */
static void
latin1_chars(struct bif_chars *cs, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bif_chars_add(cs, (unsigned char)p[i]);
}

/*
 * string/6: text in a field, cut to the precision, padded to it with
 * the pad character. -1 where OTP has no clause (F < P).
 */
static int
string_field(struct out *o, const struct bif_chars *t, const struct spec *s)
{
	long f = s->width, p = s->prec, n = (long)t->n;
	int left = s->left;

	if (f < 0 && p < 0) {
		put_chars(o, t->c, t->n);
		return 0;
	}
	if (f >= 0 && p >= 0 && f < p)
		return -1;
	if (f >= 0 && p >= 0 && f > p) {
		/* Cut or padded to P first, then adjusted in the field. */
		struct bif_chars cut = {NULL, 0, 0};
		long k;

		for (k = 0; k < n && k < p; k++)
			bif_chars_add(&cut, t->c[k]);
		copies(&cut, s->pad, p - n);
		adjusted(o, cut.c, cut.n, s->pad, f - p, left);
		bif_chars_free(&cut);
		return 0;
	}
	if (f < 0) {
		f = p;
		left = 1;
	}
	if (n > f)
		put_chars(o, t->c, (size_t)f);
	else
		adjusted(o, t->c, t->n, s->pad, f - n, left);
	return 0;
}

/*
 * Floats: io_lib_format's float_data, float_man, fwrite_e, fwrite_f and
 * fwrite_g, on the 21 significant digits of float_to_list/1. Their
 * rounding is half up on those digits, unlike printf's.
 */

struct digits {
	char d[24]; /* significant digits */
	int n;
	int e; /* exponent + 1: the value is 0.d[0]d[1]... * 10^e */
};

static void
float_data(double x, struct digits *fd)
{
	char s[64];
	int i;

	snprintf(s, sizeof s, "%.20e", fabs(x));
	fd->n = 0;
	for (i = 0; s[i] != 'e'; i++)
		if (s[i] >= '0' && s[i] <= '9')
			fd->d[fd->n++] = s[i];
	fd->e = atoi(s + i + 1) + 1;
}

/*
 * float_man/3: i digits of ds before the point and dc after it (zeros
 * past the end), rounded half up on the next digit; returns the carry
 * out of the first digit.
 */
static int
float_man(const char *ds, int nds, int i, int dc, struct bif_chars *m)
{
	size_t start = m->n, k;
	int pos, carry;

	for (pos = 0; pos < i; pos++)
		bif_chars_add(m, pos < nds ? (uint32_t)ds[pos] : '0');
	bif_chars_add(m, '.');
	for (pos = i; pos < i + dc; pos++)
		bif_chars_add(m, pos < nds ? (uint32_t)ds[pos] : '0');
	carry = i + dc < nds && ds[i + dc] >= '5';
	for (k = m->n; carry && k-- > start;) {
		if (m->c[k] == '.')
			continue;
		if (m->c[k] == '9')
			m->c[k] = '0';
		else {
			m->c[k]++;
			carry = 0;
		}
	}
	return carry;
}

static int
sign_bit(double x)
{
	return signbit(x) != 0;
}

static void
float_exp(struct bif_chars *m, int e)
{
	char s[16];

	snprintf(s, sizeof s, e >= 0 ? "e+%d" : "e%d", e);
	latin1_chars(m, s, strlen(s));
}

static void
float_e(double x, long p, struct bif_chars *m)
{
	struct digits fd;

	float_data(x, &fd);
	if (sign_bit(x))
		bif_chars_add(m, '-');
	if (float_man(fd.d, fd.n, 1, (int)p - 1, m)) {
		/* 9.99 to 1.0e+1: the carry makes the first digit a 1. */
		m->c[sign_bit(x)] = '1';
		float_exp(m, fd.e);
	} else
		float_exp(m, fd.e - 1);
}

static void
float_f(double x, long p, struct bif_chars *m)
{
	struct digits fd;
	char ds[64];
	int n, e, lead;
	size_t start;

	float_data(x, &fd);
	if (sign_bit(x))
		bif_chars_add(m, '-');
	/* Below 1, zeros go in front so that a digit stands before the point.
	 */
	n = fd.n;
	e = fd.e;
	lead = e <= 0 ? -e + 1 : 0;
	memset(ds, '0', (size_t)lead);
	memcpy(ds + lead, fd.d, (size_t)n);
	n += lead;
	e += lead;
	start = m->n;
	if (float_man(ds, n, e, (int)p, m)) {
		bif_chars_add(m, 0);
		memmove(m->c + start + 1, m->c + start,
		    (m->n - start - 1) * sizeof *m->c);
		m->c[start] = '1';
	}
}

/* ~e, ~f and ~g; -1 for a precision OTP refuses. */
static int
fwrite_float(struct out *o, double x, const struct spec *s)
{
	struct bif_chars m = {NULL, 0, 0};
	struct spec fs = *s;
	long p = s->prec < 0 ? 6 : s->prec, e;
	double a = fabs(x);
	int c = (int)s->cc;

	if (c == 'g') {
		if (p < 1)
			return -1;
		e = a < 0.1   ? -2
		    : a < 1   ? -1
		    : a < 10  ? 0
		    : a < 100 ? 1
		    : a < 1e3 ? 2
		    : a < 1e4 ? 3
		              : 99;
		if ((p <= 1 && e == -1) || (e <= 3 && p - 1 > e && e >= -1)) {
			c = 'f';
			p = p - 1 - e;
		} else {
			c = 'e';
			p = p <= 1 ? 2 : p;
		}
	}
	if ((c == 'e' && p < 2) || (c == 'f' && p < 1))
		return -1;
	if (c == 'e')
		float_e(x, p, &m);
	else
		float_f(x, p, &m);
	/* term(Text, F, Adj, F, Pad): the width is the precision too. */
	fs.prec = fs.width;
	field(o, &m, &fs);
	bif_chars_free(&m);
	return 0;
}

/*
 * Integers: ~b ~B ~x ~X ~+ ~#, in the base the precision gives.
 */
static int
fwrite_int(struct out *o, term i, const uint32_t *prefix, size_t nprefix,
    const struct spec *s, int lower)
{
	struct bif_chars t = {NULL, 0, 0};
	struct spec fs = *s;
	struct buf b;
	long base = s->prec < 0 ? 10 : s->prec;
	size_t k, start;

	if (base < 2 || base > 36)
		return -1;
	buf_init(&b);
	num_int_text(&b, i, (int)base);
	start = b.data[0] == '-';
	if (start)
		bif_chars_add(&t, '-');
	for (k = 0; k < nprefix; k++)
		bif_chars_add(&t, prefix[k]);
	for (k = start; k < b.len; k++) {
		char d = b.data[k];

		bif_chars_add(
		    &t, (uint32_t)(lower && d >= 'A' && d <= 'Z' ? d - 'A' + 'a'
		                                                 : d));
	}
	buf_free(&b);
	/* term(Text, F, Adj, none, Pad) */
	fs.prec = -1;
	field(o, &t, &fs);
	bif_chars_free(&t);
	return 0;
}

/* char/5: the character repeated to the precision, in the field. */
static int
fwrite_char(struct out *o, uint32_t c, const struct spec *s)
{
	struct bif_chars t = {NULL, 0, 0};
	long f = s->width, p = s->prec;

	if (f >= 0 && p >= 0 && f < p)
		return -1;
	if (f < 0 && p < 0)
		p = 1;
	else if (p < 0 || f < 0)
		p = p < 0 ? f : p;
	copies(&t, c, p);
	adjusted(o, t.c, t.n, s->pad, f > p ? f - p : 0, s->left);
	bif_chars_free(&t);
	return 0;
}

/*
 * The characters of a ~s argument: an atom's name, or the characters of
 * an iolist (latin1: characters up to 255, binaries as bytes) or of
 * chardata (~ts: binaries as UTF-8, or as bytes when they are not).
 */
static int
string_arg(term t, int unicode, struct bif_chars *cs)
{
	size_t i;

	if (term_kind(t) == TERM_ATOM) {
		latin1_chars(cs, term_atom_name(t), term_atom_len(t));
		return 0;
	}
	if (unicode) {
		if (bif_chardata(t, cs, 0) == 0)
			return 0;
		cs->n = 0;
		return bif_chardata(t, cs, 1);
	}
	if (bif_chardata(t, cs, 1) < 0)
		return -1;
	for (i = 0; i < cs->n; i++)
		if (cs->c[i] > 255)
			return -1;
	return 0;
}

/* The text a term printer wrote (latin1 bytes) as characters. */
static void
printed(struct bif_chars *cs, term t, int flags, int col, int width)
{
	struct buf b;

	buf_init(&b);
	print_term_width(&b, t, flags, col, width);
	latin1_chars(cs, b.data, b.len);
	buf_free(&b);
}

/* The arguments not yet used. */
struct args {
	const term *a;
	size_t n;
	size_t next;
};

static int
next_arg(struct args *as, term *t)
{
	if (as->next >= as->n)
		return -1;
	*t = as->a[as->next++];
	return 0;
}

/* One control with its arguments; -1 when OTP's io_lib_format fails. */
static int
control(struct out *o, const struct spec *s, struct args *as)
{
	struct bif_chars t = {NULL, 0, 0};
	term a, prefix;
	char pre[40];
	size_t np;
	int rc = 0;

	switch (s->cc) {
	case '~':
		return fwrite_char(o, '~', s);
	case 'n':
		if (s->width >= 0 && s->left)
			return -1;
		put_n(o, '\n', s->width < 0 ? 1 : s->width);
		return 0;
	default:
		break;
	}
	if (next_arg(as, &a) < 0)
		return -1;
	switch (s->cc) {
	case 'i':
		return 0;
	case 'c':
		if (term_kind(a) != TERM_INT)
			return -1;
		return fwrite_char(
		    o, (uint32_t)(s->unicode ? a.u.i : (a.u.i & 255)), s);
	case 'e':
	case 'f':
	case 'g':
		if (term_kind(a) != TERM_FLOAT)
			return -1;
		return fwrite_float(o, a.u.f, s);
	case 'b':
	case 'B':
		if (!term_is_integer(a))
			return -1;
		return fwrite_int(o, a, NULL, 0, s, s->cc == 'b');
	case 'x':
	case 'X':
		/* The prefix: an atom or a deep list of characters. */
		if (next_arg(as, &prefix) < 0 || !term_is_integer(a) ||
		    (term_kind(prefix) != TERM_ATOM &&
		        (!term_is_list(prefix) ||
		            term_holds(prefix, TERM_BINARY))) ||
		    string_arg(prefix, 1, &t) < 0) {
			bif_chars_free(&t);
			return -1;
		}
		rc = fwrite_int(o, a, t.c, t.n, s, s->cc == 'x');
		bif_chars_free(&t);
		return rc;
	case '+':
	case '#':
		if (!term_is_integer(a))
			return -1;
		np = (size_t)snprintf(
		    pre, sizeof pre, "%ld#", s->prec < 0 ? 10 : s->prec);
		latin1_chars(&t, pre, np);
		rc = fwrite_int(o, a, t.c, t.n, s, s->cc == '+');
		bif_chars_free(&t);
		return rc;
	case 's':
		if (string_arg(a, s->unicode, &t) < 0)
			rc = -1;
		else
			rc = string_field(o, &t, s);
		bif_chars_free(&t);
		return rc;
	case 'w':
		printed(&t, a, PRINT_W, 1, 80);
		field(o, &t, s);
		bif_chars_free(&t);
		return 0;
	case 'p':
		/* Width is the line length, precision the column. */
		if (s->left)
			return -1;
		printed(&t, a,
		    (s->strings ? 0 : PRINT_NO_TEXT) |
		        (s->unicode ? PRINT_UNICODE : 0),
		    s->prec < 0 ? (int)o->col + 1 : (int)s->prec,
		    s->width < 0 ? 80 : (int)s->width);
		put_chars(o, t.c, t.n);
		bif_chars_free(&t);
		return 0;
	default:
		return -1;
	}
}

/*
 * A width or precision: digits, or * taking an integer argument. 1 with
 * *v, 0 when there is none, -1 when OTP fails.
 */
static int
field_value(const uint32_t **p, const uint32_t *end, struct args *as, long *v)
{
	term a;

	if (*p < end && **p == '*') {
		if (next_arg(as, &a) < 0 || term_kind(a) != TERM_INT ||
		    a.u.i < -FIELD_MAX || a.u.i > FIELD_MAX)
			return -1;
		(*p)++;
		*v = (long)a.u.i;
		return 1;
	}
	if (*p >= end || **p < '0' || **p > '9')
		return 0;
	for (*v = 0; *p < end && **p >= '0' && **p <= '9'; (*p)++)
		if ((*v = *v * 10 + (long)(**p - '0')) > FIELD_MAX)
			return -1;
	return 1;
}

/* collect_cseq: one control sequence after the ~, then its output. */
static int
sequence(
    struct out *o, const uint32_t **p, const uint32_t *end, struct args *as)
{
	struct spec s = {-1, 0, -1, ' ', 0, 1, 0};
	term a;
	long v;
	int neg = 0, rc;

	if (*p < end && **p == '-') {
		neg = 1;
		(*p)++;
	}
	if ((rc = field_value(p, end, as, &v)) < 0 || (neg && rc == 0))
		return -1;
	if (rc > 0) {
		v = neg ? -v : v;
		s.left = v < 0;
		s.width = v < 0 ? -v : v;
	}
	if (*p < end && **p == '.') {
		(*p)++;
		if ((rc = field_value(p, end, as, &v)) < 0 || (rc && v < 0))
			return -1;
		s.prec = rc ? v : -1;
		if (*p + 1 < end && **p == '.') {
			if ((*p)[1] == '*') {
				if (next_arg(as, &a) < 0 ||
				    term_kind(a) != TERM_INT)
					return -1;
				s.pad = (uint32_t)a.u.i;
			} else
				s.pad = (*p)[1];
			*p += 2;
		}
	}
	for (; *p < end && (**p == 't' || **p == 'l'); (*p)++) {
		if (**p == 't')
			s.unicode = 1;
		else
			s.strings = 0;
	}
	if (*p >= end)
		return -1;
	s.cc = *(*p)++;
	return control(o, &s, as);
}

/*
 * A format as io_lib_format reads it: characters, some of them literal.
 * The elements of a format list that are not characters (lists and
 * binaries) are copied to the output as they are, ~ and all.
 */
struct format {
	struct bif_chars c;
	struct buf lit; /* one byte per character: 1 when literal */
};

static int
format_read(term fmt, struct format *f)
{
	const term *e;
	size_t n, i, k;

	memset(f, 0, sizeof *f);
	buf_init(&f->lit);
	if (term_kind(fmt) == TERM_ATOM)
		latin1_chars(&f->c, term_atom_name(fmt), term_atom_len(fmt));
	else if (term_kind(fmt) == TERM_BINARY) {
		/* OTP: a bitstring is no format. */
		if (bif_chardata(fmt, &f->c, 1) < 0)
			return -1;
	} else if (bif_list(fmt, &e, &n) < 0)
		return -1;
	else
		for (i = 0; i < n; i++) {
			k = f->c.n;
			if (term_kind(e[i]) == TERM_INT && e[i].u.i >= 0 &&
			    e[i].u.i <= 0x10ffff)
				bif_chars_add(&f->c, (uint32_t)e[i].u.i);
			else if (bif_chardata(e[i], &f->c, 0) < 0)
				return -1;
			while (f->lit.len < k)
				buf_addc(&f->lit, 0);
			while (f->lit.len < f->c.n)
				buf_addc(&f->lit, term_kind(e[i]) != TERM_INT);
		}
	while (f->lit.len < f->c.n)
		buf_addc(&f->lit, 0);
	return 0;
}

static void
format_free(struct format *f)
{
	bif_chars_free(&f->c);
	buf_free(&f->lit);
}

/* io_lib:format(Format, Args) into o: 0, or -1 where OTP raises badarg. */
static int
format(term fmt, term args, struct out *o)
{
	struct format f;
	struct args as;
	const uint32_t *p, *end;
	size_t i, seg;
	int rc = 0;

	if (format_read(fmt, &f) < 0 || bif_list(args, &as.a, &as.n) < 0) {
		format_free(&f);
		return -1;
	}
	as.next = 0;
	for (i = 0; i < f.c.n && rc == 0; i = (size_t)(p - f.c.c)) {
		p = f.c.c + i;
		if (f.lit.data[i] || *p != '~') {
			put(o, *p++);
			continue;
		}
		/* A control sequence never runs into a literal element. */
		for (seg = i + 1; seg < f.c.n && !f.lit.data[seg]; seg++)
			;
		end = f.c.c + seg;
		p++;
		rc = sequence(o, &p, end, &as);
	}
	format_free(&f);
	if (rc == 0 && as.next != as.n)
		rc = -1;
	return rc;
}

/*
 * Explaining a failed io:format: erl_lint:check_format_string/1 and the
 * argument checks of erl_stdlib_errors, in the context's text buffer.
 */

enum arg_type { T_INT, T_FLOAT, T_STRING, T_TERM };

static const char *const type_names[] = {"integer", "float", "string"};

/* control_type/2: what a control character takes, in order. */
static const struct {
	char c;
	int n;
	enum arg_type t[2];
} control_types[] = {
    {'~', 0, {T_TERM, T_TERM}},
    {'c', 1, {T_INT, T_TERM}},
    {'f', 1, {T_FLOAT, T_TERM}},
    {'e', 1, {T_FLOAT, T_TERM}},
    {'g', 1, {T_FLOAT, T_TERM}},
    {'s', 1, {T_STRING, T_TERM}},
    {'w', 1, {T_TERM, T_TERM}},
    {'p', 1, {T_TERM, T_TERM}},
    {'W', 2, {T_TERM, T_INT}},
    {'P', 2, {T_TERM, T_INT}},
    {'b', 1, {T_INT, T_TERM}},
    {'B', 1, {T_INT, T_TERM}},
    {'x', 2, {T_INT, T_STRING}},
    {'X', 2, {T_INT, T_STRING}},
    {'+', 1, {T_TERM, T_TERM}},
    {'#', 1, {T_TERM, T_TERM}},
    {'n', 0, {T_TERM, T_TERM}},
    {'i', 1, {T_TERM, T_TERM}},
};

/* The argument types a format needs, as erl_lint collects them. */
struct needs {
	enum arg_type *t;
	size_t n;
	size_t cap;
};

static void
need(struct needs *nd, enum arg_type t)
{
	if (nd->n == nd->cap) {
		nd->cap = nd->cap ? nd->cap * 2 : 16;
		nd->t = xreallocarray(nd->t, nd->cap, sizeof *nd->t);
	}
	nd->t[nd->n++] = t;
}

static int
is_digit(const uint32_t *p, const uint32_t *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static const uint32_t *
skip_digits(const uint32_t *p, const uint32_t *end)
{
	while (is_digit(p, end))
		p++;
	return p;
}

/*
 * erl_lint's extract_sequence/3 for the text after one ~: the field
 * width, precision and pad character, the t and l modifiers, then the
 * control character. Returns the rest, or NULL with err set.
 */
static const uint32_t *
lint_sequence(
    const uint32_t *p, const uint32_t *end, struct needs *nd, struct buf *err)
{
	static const char *const mods[] = {"t", "l", "lt"};
	const char *mod = NULL;
	size_t i;

	/* Field width. */
	if (p + 1 < end && *p == '-' && is_digit(p + 1, end))
		p = skip_digits(p + 1, end);
	else if (is_digit(p, end))
		p = skip_digits(p, end);
	else if (p + 1 < end && *p == '-' && p[1] == '*') {
		need(nd, T_INT);
		p += 2;
	} else if (p < end && *p == '*') {
		need(nd, T_INT);
		p++;
	}
	/* Precision, then the pad character after a second point. */
	if (p + 1 < end && *p == '.' && is_digit(p + 1, end))
		p = skip_digits(p + 1, end);
	else if (p + 1 < end && *p == '.' && p[1] == '*') {
		need(nd, T_INT);
		p += 2;
	} else if (p < end && *p == '.')
		p++;
	else
		goto modifiers;
	if (p + 1 < end && *p == '.') {
		if (p[1] == '*')
			need(nd, T_INT);
		p += 2;
	}
modifiers:
	if (p + 1 < end && *p == 't' && p[1] == 'l')
		mod = mods[2];
	else if (p + 1 < end && *p == 't')
		mod = mods[0];
	else if (p + 1 < end && *p == 'l')
		mod = p + 2 < end && p[1] == 't' ? mods[2] : mods[1];
	if (mod != NULL) {
		p += strlen(mod);
		if (*p == 0 || *p > 127 ||
		    !strchr(mod == mods[0] ? "cspPwW" : "pP", (int)*p)) {
			buf_addf(err, "invalid control ~%s", mod);
			buf_add_utf8(err, *p);
			return NULL;
		}
	}
	if (p >= end) {
		buf_adds(err, "truncated");
		return NULL;
	}
	for (i = 0; i < NELEMS(control_types); i++)
		if ((uint32_t)control_types[i].c == *p)
			break;
	if (i == NELEMS(control_types)) {
		buf_adds(err, "invalid control ~");
		buf_add_utf8(err, *p);
		return NULL;
	}
	if (control_types[i].n > 0)
		need(nd, control_types[i].t[0]);
	if (control_types[i].n > 1)
		need(nd, control_types[i].t[1]);
	return p + 1;
}

/* An argument of the type a control wants, as erl_stdlib_errors checks. */
static int
arg_fits(enum arg_type t, term a)
{
	struct bif_chars cs = {NULL, 0, 0};
	int ok;

	switch (t) {
	case T_INT:
		return term_is_integer(a);
	case T_FLOAT:
		return term_kind(a) == TERM_FLOAT;
	case T_STRING:
		if (term_kind(a) == TERM_ATOM || term_is_binary(a))
			return 1;
		ok = (term_kind(a) == TERM_LIST || term_kind(a) == TERM_NIL) &&
		     bif_chardata(a, &cs, 0) == 0;
		bif_chars_free(&cs);
		return ok;
	default:
		return 1;
	}
}

/*
 * Why io:format(Fmt, Args) failed, as erl_stdlib_errors' check_io_format
 * says it, written into the context's text buffer.
 */
static void
explain(struct bif_ctx *ctx, term fmt, term args)
{
	struct bif_chars f = {NULL, 0, 0};
	struct needs nd = {NULL, 0, 0};
	struct buf why;
	const uint32_t *p, *end;
	const term *a;
	size_t n, i;
	int flat = term_kind(fmt) == TERM_ATOM || term_is_binary(fmt);

	buf_init(&why);
	if (!flat && bif_list(fmt, &a, &n) == 0) {
		for (i = 0; i < n && term_kind(a[i]) == TERM_INT; i++)
			;
		flat = i == n;
	}
	if (!flat) {
		ctx->why[0] = "not a valid format string";
		if (bif_list(args, &a, &n) < 0)
			ctx->why[1] = term_kind(args) == TERM_LIST
			                  ? "not a proper list"
			                  : "not a list";
		return;
	}
	if (term_kind(args) != TERM_LIST && term_kind(args) != TERM_NIL) {
		ctx->why[1] = "not a list";
		return;
	}
	/* An improper argument list makes OTP's own check fail: no text. */
	if (bif_list(args, &a, &n) < 0)
		return;
	if (term_kind(fmt) == TERM_ATOM)
		latin1_chars(&f, term_atom_name(fmt), term_atom_len(fmt));
	else
		bif_chardata(fmt, &f, 1);
	p = f.c;
	end = f.c + f.n;
	while (p != NULL && p < end)
		if (*p++ == '~')
			p = lint_sequence(p, end, &nd, &why);
	if (p == NULL) {
		snprintf(ctx->text, sizeof ctx->text,
		    "format string invalid (%s)", buf_str(&why));
		ctx->why[0] = ctx->text;
	} else if (nd.n != n) {
		ctx->why[0] = "wrong number of arguments";
		if (term_kind(fmt) == TERM_ATOM)
			ctx->general = "possibly missing argument list";
	} else {
		buf_reset(&why);
		for (i = 0; i < n; i++)
			if (!arg_fits(nd.t[i], a[i]))
				buf_addf(&why,
				    "%selement %zu must be of type %s",
				    why.len ? "\n" : "", i + 1,
				    type_names[nd.t[i]]);
		snprintf(ctx->text, sizeof ctx->text, "%s", buf_str(&why));
		if (why.len > 0)
			ctx->why[1] = ctx->text;
		else
			ctx->why[0] = "failed to format string";
	}
	free(nd.t);
	bif_chars_free(&f);
	buf_free(&why);
}

/*
 * The BIFs.
 */

/*
 * Writes characters to the context's stream as erl's standard_io writes
 * them with -noshell (encoding latin1): one byte each up to 255, as
 * \x{H} past it, as printed results are; to a UTF-8 terminal (the
 * REPL), as UTF-8, as erl's shell writes them.
 */
static void
emit(struct bif_ctx *ctx, const struct bif_chars *cs)
{
	struct buf b;
	size_t i;

	if (ctx->out == NULL)
		return;
	buf_init(&b);
	for (i = 0; i < cs->n; i++)
		if (ctx->utf8)
			buf_add_utf8(&b, cs->c[i]);
		else if (cs->c[i] <= 255)
			buf_addc(&b, (char)cs->c[i]);
		else
			buf_addf(&b, "\\x{%X}", (unsigned)cs->c[i]);
	if (b.len > 0)
		out_write(ctx->out, b.data, b.len);
	buf_free(&b);
}

static int
io_format(struct bif_ctx *ctx, term fmt, term args, term *out)
{
	struct out o = {{NULL, 0, 0}, 0};

	if (format(fmt, args, &o) < 0) {
		bif_chars_free(&o.cs);
		bif_badarg(ctx, -1, NULL);
		explain(ctx, fmt, args);
		return -1;
	}
	emit(ctx, &o.cs);
	bif_chars_free(&o.cs);
	*out = term_atom_of(A_OK);
	return 0;
}

BIF_VIA(bif_io_format_1, io_format(ctx, a[0], term_nil(), out))
BIF_VIA(bif_io_format_2, io_format(ctx, a[0], a[1], out))
BIF_VIA(bif_io_fwrite_1, io_format(ctx, a[0], term_nil(), out))
BIF_VIA(bif_io_fwrite_2, io_format(ctx, a[0], a[1], out))

int
bif_io_lib_format_2(struct bif_ctx *ctx, const term *a, term *out)
{
	struct out o = {{NULL, 0, 0}, 0};

	if (format(a[0], a[1], &o) < 0) {
		bif_chars_free(&o.cs);
		return bif_badarg(ctx, -1, NULL);
	}
	*out = term_string_cps(o.cs.c, o.cs.n);
	bif_chars_free(&o.cs);
	return 0;
}

BIF_VIA(bif_io_lib_fwrite_2, bif_io_lib_format_2(ctx, a, out))

int
bif_io_put_chars_1(struct bif_ctx *ctx, const term *a, term *out)
{
	struct bif_chars cs = {NULL, 0, 0};

	if (bif_chardata(a[0], &cs, 0) < 0) {
		bif_chars_free(&cs);
		return bif_badarg(
		    ctx, 0, "not valid character data (an iodata term)");
	}
	emit(ctx, &cs);
	bif_chars_free(&cs);
	*out = term_atom_of(A_OK);
	return 0;
}

int
bif_io_nl_0(struct bif_ctx *ctx, const term *a, term *out)
{
	static const uint32_t nl = '\n';
	struct bif_chars cs = {(uint32_t *)&nl, 1, 1};

	(void)a;
	emit(ctx, &cs);
	*out = term_atom_of(A_OK);
	return 0;
}
