/*
 * The scanner: bytes to tokens with line and column. Text is read as
 * UTF-8 where it is valid and as latin1 bytes where it is not, so that a
 * string typed in a UTF-8 terminal holds the same code points Erlang's
 * scanner gives. Columns count characters, as erl_scan does.
 *
 * Besides Erlang's tokens it knows #Ref<A.B.C.D> (so printed output can be
 * pasted back) and, by their shape only, the address literals
 * 127.0.0.1:80, [::1]:80, localhost:80, :8080, /path and @name: the token
 * keeps the text, and sockaddr.c alone makes an address of it. It leaves
 * grammar to the parser.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term_scan.h"
#include "util.h"

struct ch {
	unsigned cp; /* code point */
	size_t n;    /* bytes */
};

void
scan_init(struct scanner *sc, const char *src, size_t len, int line)
{
	memset(sc, 0, sizeof *sc);
	sc->src = src;
	sc->len = len;
	sc->line = line;
	sc->col = 1;
}

void
scan_token_free(struct token *t)
{
	term_free(t->value);
	t->value = term_nil();
	t->kind = TOK_EOF;
}

/* Decodes the character at offset off: UTF-8 if valid, else one byte. */
static struct ch
char_at(const struct scanner *sc, size_t off)
{
	const unsigned char *s = (const unsigned char *)sc->src + off;
	size_t left = sc->len - off, n, i;
	struct ch c = {0, 0};
	unsigned cp;

	if (off >= sc->len)
		return c;
	c.cp = s[0];
	c.n = 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return c;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (left < n)
		return c;
	cp = s[0] & (0xff >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return c;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return c;
	c.cp = cp;
	c.n = n;
	return c;
}

static int
peekc(const struct scanner *sc, size_t k)
{
	return sc->pos + k < sc->len ? (unsigned char)sc->src[sc->pos + k] : -1;
}

static struct ch
advance(struct scanner *sc)
{
	struct ch c = char_at(sc, sc->pos);

	sc->pos += c.n;
	if (c.cp == '\n') {
		sc->line++;
		sc->col = 1;
	} else
		sc->col++;
	return c;
}

static int printflike(4, 5)
    fail(struct scanner *sc, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sc->err, sizeof sc->err, fmt, ap);
	va_end(ap);
	sc->err_line = line;
	sc->err_col = col;
	return -1;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Latin1 letter classes as erl_scan has them. */
static int
is_lower(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7);
}

static int
is_upper(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7);
}

static int
is_name_char(unsigned c)
{
	return is_lower(c) || is_upper(c) || is_digit((int)c) || c == '_' ||
	       c == '@';
}

/* Skips blanks and % comments. Returns -1 on a NUL byte. */
static int
skip_blank(struct scanner *sc)
{
	int c;

	while ((c = peekc(sc, 0)) != -1) {
		if (c == ' ' || c == '\t') {
			sc->pos++;
			sc->col++;
			continue;
		}
		if (c == 0)
			return fail(sc, sc->line, sc->col, "NUL byte in input");
		if (c == '%') {
			while ((c = peekc(sc, 0)) != -1 && c != '\n') {
				if (c == 0)
					return fail(sc, sc->line, sc->col,
					    "NUL byte in input");
				advance(sc);
			}
			continue;
		}
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != '\v')
			break;
		advance(sc);
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads one escape after the backslash, as erl_scan does. */
static int
scan_escape(struct scanner *sc, unsigned *out)
{
	static const char from[] = "bdefnrstv";
	static const unsigned char to[] = {8, 127, 27, 12, 10, 13, 32, 9, 11};
	int line = sc->line, col = sc->col - 1, c, n, v;
	const char *p;
	unsigned long val;

	c = peekc(sc, 0);
	if (c == -1)
		return fail(sc, line, col, "unterminated escape sequence");
	if (c >= '0' && c <= '7') {
		for (val = 0, n = 0;
		     n < 3 && (c = peekc(sc, 0)) >= '0' && c <= '7'; n++) {
			val = val * 8 + (unsigned)(c - '0');
			advance(sc);
		}
		*out = (unsigned)val;
		return 0;
	}
	if (c == 'x') {
		advance(sc);
		if (peekc(sc, 0) == '{') {
			advance(sc);
			for (val = 0, n = 0; (v = hexval(peekc(sc, 0))) >= 0;
			     n++) {
				val = val * 16 + (unsigned)v;
				if (val > 0x10ffff)
					return fail(sc, line, col,
					    "bad character code in escape");
				advance(sc);
			}
			if (n == 0 || peekc(sc, 0) != '}')
				return fail(sc, line, col,
				    "bad escape: \\x{ needs hex digits and }");
			advance(sc);
			*out = (unsigned)val;
			return 0;
		}
		if (hexval(peekc(sc, 0)) < 0 || hexval(peekc(sc, 1)) < 0)
			return fail(sc, line, col,
			    "bad escape: \\x needs two hex digits");
		*out = (unsigned)(hexval(peekc(sc, 0)) * 16 +
		                  hexval(peekc(sc, 1)));
		advance(sc);
		advance(sc);
		return 0;
	}
	if (c == '^') {
		advance(sc);
		if ((c = peekc(sc, 0)) == -1 || c == 0)
			return fail(sc, line, col, "bad control escape");
		*out = (unsigned)advance(sc).cp & 31;
		return 0;
	}
	if (c == 0)
		return fail(sc, sc->line, sc->col, "NUL byte in input");
	if ((p = strchr(from, c)) != NULL && c != 0) {
		advance(sc);
		*out = to[p - from];
		return 0;
	}
	*out = advance(sc).cp;
	return 0;
}

const char *const scan_keywords[KW_COUNT] = {"after", "and", "andalso", "band",
    "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch", "cond",
    "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor"};

/* The keyword an atom id is, or -1: keywords carry their tag. */
static int
keyword_of(uint32_t id)
{
	static int ready;
	int i;

	if (!ready) {
		for (i = 0; i < KW_COUNT; i++)
			term_atom_set_tag(term_atom_id(scan_keywords[i]),
			    (unsigned char)(i + 1));
		ready = 1;
	}
	return (int)term_atom_tag(id) - 1;
}

int
scan_nesting(enum tok_kind kind, int punct)
{
	if (kind == TOK_KEY) {
		switch (punct) {
		case KW_BEGIN:
		case KW_CASE:
		case KW_IF:
		case KW_RECEIVE:
		case KW_TRY:
		case KW_COND:
		case KW_LET:
			return 1;
		case KW_END:
			return -1;
		default:
			return 0;
		}
	}
	if (kind != TOK_PUNCT)
		return 0;
	switch (punct) {
	case '(':
	case '[':
	case '{':
	case P_BINL:
	case P_MAPL:
		return 1;
	case ')':
	case ']':
	case '}':
	case P_BINR:
		return -1;
	default:
		return 0;
	}
}

int
scan_unescape(struct scanner *sc, struct buf *out)
{
	const char *bs;
	unsigned cp;
	size_t k;

	while (sc->pos < sc->len) {
		bs = memchr(sc->src + sc->pos, '\\', sc->len - sc->pos);
		k = bs != NULL ? (size_t)(bs - (sc->src + sc->pos))
		               : sc->len - sc->pos;
		buf_add(out, sc->src + sc->pos, k);
		sc->pos += k;
		sc->col += (int)k;
		if (bs == NULL)
			break;
		advance(sc);
		if (scan_escape(sc, &cp) < 0)
			return -1;
		/* A byte's value is that byte; a code point over it, UTF-8. */
		if (cp < 0x100)
			buf_addc(out, (int)cp);
		else
			buf_add_utf8(out, cp);
	}
	return 0;
}

/*
 * Reads the body of a quoted string or atom up to the closing quote into
 * a growing array of code points.
 */
static int
scan_quoted(
    struct scanner *sc, int quote, unsigned **cps, size_t *n, size_t max)
{
	int line = sc->line, col = sc->col - 1, c;
	size_t cap = 0;
	unsigned cp;

	*cps = NULL;
	*n = 0;
	for (;;) {
		c = peekc(sc, 0);
		if (c == -1) {
			free(*cps);
			return fail(sc, line, col, "unterminated %s",
			    quote == '"' ? "string" : "quoted atom");
		}
		if (c == 0) {
			free(*cps);
			return fail(sc, sc->line, sc->col, "NUL byte in input");
		}
		if (c == quote) {
			advance(sc);
			return 0;
		}
		if (c == '\\') {
			advance(sc);
			if (scan_escape(sc, &cp) < 0) {
				free(*cps);
				return -1;
			}
		} else
			cp = advance(sc).cp;
		if (*n >= max) {
			free(*cps);
			return fail(
			    sc, line, col, "atom too long (max %zu)", max);
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*cps = xreallocarray(*cps, cap, sizeof **cps);
		}
		(*cps)[(*n)++] = cp;
	}
}

/*
 * An atom's text is kept in latin1, as the printer and OTP's ~p read it.
 * Returns -1 for a character beyond latin1, which esock's atoms lack.
 */
static int
atom_from_cps(const unsigned *cps, size_t n, term *out)
{
	char *b = xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++) {
		if (cps[i] > 0xff) {
			free(b);
			return -1;
		}
		b[i] = (char)cps[i];
	}
	*out = term_atom_n(b, n);
	free(b);
	return 0;
}

/* Length of a run of digits (with _ between digits) at offset k. */
static size_t
digits_at(const struct scanner *sc, size_t k, int base)
{
	size_t n = 0;
	int c, v;

	for (;;) {
		c = peekc(sc, k + n);
		v = hexval(c);
		if (c >= 'g' && c <= 'z')
			v = c - 'a' + 10;
		else if (c >= 'G' && c <= 'Z')
			v = c - 'A' + 10;
		if (v >= 0 && v < base) {
			n++;
			continue;
		}
		if (c == '_' && n > 0) {
			int d = peekc(sc, k + n + 1), w = hexval(d);

			if (d >= 'g' && d <= 'z')
				w = d - 'a' + 10;
			else if (d >= 'G' && d <= 'Z')
				w = d - 'A' + 10;
			if (w >= 0 && w < base) {
				n++;
				continue;
			}
		}
		return n;
	}
}

/* Copies digits without the _ separators. */
static char *
strip_digits(const char *s, size_t n, size_t *out)
{
	char *d = xmalloc(n + 1);
	size_t i, j = 0;

	for (i = 0; i < n; i++)
		if (s[i] != '_')
			d[j++] = s[i];
	d[j] = '\0';
	*out = j;
	return d;
}

static void
skip_bytes(struct scanner *sc, size_t n)
{
	while (n-- > 0)
		advance(sc);
}

static int
scan_number(struct scanner *sc, struct token *t)
{
	size_t n = digits_at(sc, 0, 10), m, e, len;
	char *d;
	int base, line = sc->line, col = sc->col;

	if (peekc(sc, n) == '#') {
		d = strip_digits(sc->src + sc->pos, n, &len);
		base = len <= 2 ? atoi(d) : 0;
		free(d);
		m = digits_at(sc, n + 1, base >= 2 && base <= 36 ? base : 10);
		if (base < 2 || base > 36 || m == 0)
			return fail(sc, line, col, "bad based integer");
		d = strip_digits(sc->src + sc->pos + n + 1, m, &len);
		if (term_int_parse(d, len, base, 0, &t->value) < 0) {
			free(d);
			return fail(sc, line, col, "integer too large");
		}
		free(d);
		t->kind = TOK_INT;
		skip_bytes(sc, n + 1 + m);
		return 0;
	}
	if (peekc(sc, n) == '.' && is_digit(peekc(sc, n + 1))) {
		m = digits_at(sc, n + 1, 10);
		len = n + 1 + m;
		if (peekc(sc, len) == 'e' || peekc(sc, len) == 'E') {
			size_t k = len + 1;

			if (peekc(sc, k) == '+' || peekc(sc, k) == '-')
				k++;
			if ((e = digits_at(sc, k, 10)) > 0)
				len = k + e;
		}
		d = strip_digits(sc->src + sc->pos, len, &m);
		t->value = term_float(strtod(d, NULL));
		free(d);
		if (t->value.u.f > 1.7976931348623157e308 ||
		    t->value.u.f < -1.7976931348623157e308)
			return fail(sc, line, col, "float out of range");
		t->kind = TOK_FLOAT;
		skip_bytes(sc, len);
		return 0;
	}
	d = strip_digits(sc->src + sc->pos, n, &len);
	if (term_int_parse(d, len, 10, 0, &t->value) < 0) {
		free(d);
		return fail(sc, line, col, "integer too large");
	}
	free(d);
	t->kind = TOK_INT;
	skip_bytes(sc, n);
	return 0;
}

/* Port digits after a colon at offset k; -1 if none. */
static long
port_at(const struct scanner *sc, size_t k, size_t *len)
{
	size_t n = 0;
	long v = 0;

	while (is_digit(peekc(sc, k + n)) && n < 12) {
		v = v * 10 + (peekc(sc, k + n) - '0');
		n++;
	}
	if (n == 0 || is_name_char((unsigned)peekc(sc, k + n)))
		return -1;
	*len = n;
	return v;
}

/* The next n bytes are an address literal: the token keeps its text. */
static void
addr_token(struct scanner *sc, struct token *t, size_t n)
{
	t->kind = TOK_ADDR;
	t->value = term_addr(sc->src + sc->pos, n);
	skip_bytes(sc, n);
}

/* 127.0.0.1 or 127.0.0.1:80, ending where a term may end. */
static int
scan_ipv4(struct scanner *sc, struct token *t)
{
	size_t n = 0, plen = 0;
	long part;
	int i, k;

	for (i = 0; i < 4; i++) {
		if (i > 0) {
			if (peekc(sc, n) != '.')
				return 0;
			n++;
		}
		for (k = 0, part = 0; k < 4 && is_digit(peekc(sc, n)); k++)
			part = part * 10 + (peekc(sc, n++) - '0');
		if (k == 0 || k > 3 || part > 255)
			return 0;
	}
	if (peekc(sc, n) == ':') {
		if (port_at(sc, n + 1, &plen) < 0)
			return 0;
		n += 1 + plen;
	} else if (is_name_char((unsigned)peekc(sc, n)) ||
	           (peekc(sc, n) == '.' && is_digit(peekc(sc, n + 1))))
		return 0;
	addr_token(sc, t, n);
	return 1;
}

/* The longest [...] read as an address: 45 for the address, a %scope. */
#define ADDR6_TEXT_MAX 64

/*
 * [::1]:80 or [fe80::1%lo]:80 by its shape: hex digits, dots, at least
 * two colons and a %scope name; whether it is an address is for
 * sockaddr.c to say. Returns 1 when it was one.
 */
static int
scan_ipv6(struct scanner *sc, struct token *t)
{
	size_t n = 1, plen = 0;
	int c, colons = 0;

	while ((c = peekc(sc, n)) != -1 && c != ']' && n < ADDR6_TEXT_MAX) {
		if (c == ':')
			colons++;
		else if (hexval(c) < 0 && c != '.' && c != '%' &&
		         !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		             c == '_' || c == '-'))
			return 0; /* hex digits, dots and a %scope name only */
		n++;
	}
	if (c != ']' || colons < 2)
		return 0;
	n++;
	if (peekc(sc, n) == ':') {
		if (port_at(sc, n + 1, &plen) < 0)
			return 0;
		n += 1 + plen;
	}
	addr_token(sc, t, n);
	return 1;
}

/* host:port with a lowercase host name; returns 1 when it was one. */
static int
scan_hostport(struct scanner *sc, struct token *t)
{
	size_t n = 0, plen;
	int c;

	while ((c = peekc(sc, n)) != -1 &&
	       ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	           is_digit(c) || c == '-' || c == '.' || c == '_'))
		n++;
	if (peekc(sc, n) != ':' || port_at(sc, n + 1, &plen) < 0)
		return 0;
	addr_token(sc, t, n + 1 + plen);
	return 1;
}

/* Characters that end a path or abstract name. */
static int
ends_path(int c)
{
	return c == -1 || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == ',' || c == ')' || c == ']' || c == '}' || c == 0 ||
	       c == '%';
}

/* /path/sock or @name, ending at blank, comma or closing bracket. */
static void
scan_path(struct scanner *sc, struct token *t)
{
	size_t n = 0;

	while (!ends_path(peekc(sc, n)))
		n++;
	/* A final full stop ends the expression, not the path. */
	if (n > 1 && peekc(sc, n - 1) == '.' && ends_path(peekc(sc, n)) &&
	    peekc(sc, n) != ',' && peekc(sc, n) != ')')
		n--;
	addr_token(sc, t, n);
}

static int
scan_ref(struct scanner *sc, struct token *t)
{
	uint32_t p[4];
	size_t n = 5;
	unsigned long v;
	int i, k, line = sc->line, col = sc->col;

	for (i = 0; i < 4; i++) {
		if (i > 0 && peekc(sc, n++) != '.')
			return fail(sc, line, col, "bad #Ref<...>");
		for (k = 0, v = 0; is_digit(peekc(sc, n)) && k < 10; k++)
			v = v * 10 + (unsigned long)(peekc(sc, n++) - '0');
		if (k == 0 || v > 0xffffffffUL)
			return fail(sc, line, col, "bad #Ref<...>");
		p[i] = (uint32_t)v;
	}
	if (peekc(sc, n++) != '>')
		return fail(sc, line, col, "bad #Ref<...>");
	t->kind = TOK_REF;
	t->value = term_ref(p[0], p[1], p[2], p[3]);
	skip_bytes(sc, n);
	return 0;
}

/* Name bytes in ASCII, the common case, read without decoding. */
static const unsigned char ascii_name[256] = {['0'] = 1,
    ['1'] = 1,
    ['2'] = 1,
    ['3'] = 1,
    ['4'] = 1,
    ['5'] = 1,
    ['6'] = 1,
    ['7'] = 1,
    ['8'] = 1,
    ['9'] = 1,
    ['_'] = 1,
    ['@'] = 1,
    ['a'] = 1,
    ['b'] = 1,
    ['c'] = 1,
    ['d'] = 1,
    ['e'] = 1,
    ['f'] = 1,
    ['g'] = 1,
    ['h'] = 1,
    ['i'] = 1,
    ['j'] = 1,
    ['k'] = 1,
    ['l'] = 1,
    ['m'] = 1,
    ['n'] = 1,
    ['o'] = 1,
    ['p'] = 1,
    ['q'] = 1,
    ['r'] = 1,
    ['s'] = 1,
    ['t'] = 1,
    ['u'] = 1,
    ['v'] = 1,
    ['w'] = 1,
    ['x'] = 1,
    ['y'] = 1,
    ['z'] = 1,
    ['A'] = 1,
    ['B'] = 1,
    ['C'] = 1,
    ['D'] = 1,
    ['E'] = 1,
    ['F'] = 1,
    ['G'] = 1,
    ['H'] = 1,
    ['I'] = 1,
    ['J'] = 1,
    ['K'] = 1,
    ['L'] = 1,
    ['M'] = 1,
    ['N'] = 1,
    ['O'] = 1,
    ['P'] = 1,
    ['Q'] = 1,
    ['R'] = 1,
    ['S'] = 1,
    ['T'] = 1,
    ['U'] = 1,
    ['V'] = 1,
    ['W'] = 1,
    ['X'] = 1,
    ['Y'] = 1,
    ['Z'] = 1};

static void
name_kind(struct token *t, unsigned first)
{
	if (is_lower(first)) {
		t->kind = TOK_ATOM;
		if ((t->punct = keyword_of(t->value.n)) >= 0)
			t->kind = TOK_KEY;
		else
			t->punct = 0;
	} else {
		t->kind = TOK_VAR;
		t->value.kind = TERM_VAR;
	}
}

static int
scan_name(struct scanner *sc, struct token *t)
{
	int line = sc->line, col = sc->col;
	unsigned first = char_at(sc, sc->pos).cp, cps[TERM_ATOM_MAX];
	const unsigned char *s = (const unsigned char *)sc->src + sc->pos;
	size_t n = 0, left = sc->len - sc->pos;
	struct ch c;

	while (n < left && ascii_name[s[n]])
		n++;
	if ((n == left || s[n] < 0x80) && n <= TERM_ATOM_MAX) {
		t->value = term_atom_n((const char *)s, n);
		sc->pos += n;
		sc->col += (int)n;
		name_kind(t, first);
		return 0;
	}
	n = 0;
	while (sc->pos < sc->len) {
		c = char_at(sc, sc->pos);
		if (!is_name_char(c.cp))
			break;
		if (n == TERM_ATOM_MAX)
			return fail(sc, line, col, "atom too long (max %d)",
			    TERM_ATOM_MAX);
		cps[n++] = advance(sc).cp;
	}
	/* Name characters are all latin1, so this cannot fail. */
	(void)atom_from_cps(cps, n, &t->value);
	name_kind(t, first);
	return 0;
}

static int
scan_punct(struct scanner *sc, struct token *t)
{
	static const int triples[] = {P_XEQ, P_XNE};
	static const int pairs[] = {P_ARROW, P_ASSOC, P_BINL, P_BINR, P_MAPL,
	    P_RARROW, P_LARROW, P_BGEN, P_LE, P_GE, P_EQ, P_NE, P_PLUSPLUS,
	    P_MINUSMINUS, P_OROR};
	static const char singles[] = "{}[](),|=.:/-+;*<>!#";
	int c = peekc(sc, 0), d = peekc(sc, 1), e = peekc(sc, 2);
	size_t i;

	for (i = 0; i < sizeof triples / sizeof triples[0]; i++) {
		if (c == triples[i] >> 16 && d == ((triples[i] >> 8) & 0xff) &&
		    e == (triples[i] & 0xff)) {
			t->kind = TOK_PUNCT;
			t->punct = triples[i];
			skip_bytes(sc, 3);
			return 0;
		}
	}
	/* Only these characters start a token of two or three. */
	if (strchr("=<>-+|/#:", c) == NULL || c == 0)
		goto single;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (c == pairs[i] >> 8 && d == (pairs[i] & 0xff)) {
			t->kind = TOK_PUNCT;
			t->punct = pairs[i];
			advance(sc);
			advance(sc);
			return 0;
		}
	}
single:
	if (c > 0 && strchr(singles, c) != NULL) {
		t->kind = TOK_PUNCT;
		t->punct = c;
		advance(sc);
		return 0;
	}
	if (c >= 0x80) {
		struct ch ch = char_at(sc, sc->pos);

		return fail(
		    sc, sc->line, sc->col, "illegal character U+%04X", ch.cp);
	}
	return fail(sc, sc->line, sc->col, "illegal character '%c'", c);
}

/*
 * An address literal may start a token only where a term may start: not
 * right after an operand (X /2 divides, throw:1 ...) and, for a path,
 * after a blank or an opening bracket.
 */
static int
path_may_start(const struct scanner *sc)
{
	int prev;

	if (sc->pos == 0)
		return 1;
	if (sc->after_operand)
		return 0;
	prev = (unsigned char)sc->src[sc->pos - 1];
	return strchr(" \t\n\r(,[{=|", prev) != NULL;
}

int
scan_is_value(enum tok_kind kind)
{
	return kind == TOK_VAR || kind == TOK_INT || kind == TOK_FLOAT ||
	       kind == TOK_STRING || kind == TOK_REF || kind == TOK_ADDR;
}

/* Whether a token ends an operand, for the next token's path_may_start. */
static int
ends_operand(const struct token *t)
{
	return scan_is_value(t->kind) ||
	       (t->kind == TOK_PUNCT &&
	           (t->punct == ')' || t->punct == ']' || t->punct == '}' ||
	               t->punct == P_BINR));
}

int
scan_next(struct scanner *sc, struct token *t)
{
	size_t before = sc->pos;
	unsigned *cps;
	size_t n;
	int c, d;

	memset(t, 0, sizeof *t);
	t->value = term_nil();
	t->kind = TOK_EOF;
	if (skip_blank(sc) < 0)
		return -1;
	t->space_before = sc->pos != before || sc->pos == 0 ||
	                  strchr(" \t\n\r", sc->src[sc->pos - 1]) != NULL;
	t->line = sc->line;
	t->col = sc->col;
	t->off = sc->pos;
	if ((c = peekc(sc, 0)) == -1)
		goto done;
	d = peekc(sc, 1);
	if (is_digit(c)) {
		if (!scan_ipv4(sc, t) && scan_number(sc, t) < 0)
			return -1;
	} else if (c == '[' && (d == ':' || hexval(d) >= 0) &&
	           scan_ipv6(sc, t)) {
		/* an IPv6 address */
	} else if (c == ':' && is_digit(d) && !sc->after_operand) {
		size_t plen;

		if (port_at(sc, 1, &plen) < 0)
			return fail(sc, sc->line, sc->col, "bad port");
		addr_token(sc, t, 1 + plen);
	} else if ((c == '/' || c == '@') && path_may_start(sc) &&
	           !ends_path(d) && d != '/') {
		scan_path(sc, t);
	} else if (c >= 'a' && c <= 'z' && scan_hostport(sc, t)) {
		/* host:port */
	} else if (c == '"' || c == '\'') {
		advance(sc);
		if (scan_quoted(sc, c, &cps, &n,
		        c == '"' ? (size_t)-1 : TERM_ATOM_MAX) < 0)
			return -1;
		if (c == '"') {
			t->kind = TOK_STRING;
			t->value = term_string_cps(cps, n);
		} else if (atom_from_cps(cps, n, &t->value) < 0) {
			free(cps);
			return fail(sc, t->line, t->col,
			    "atom with a character beyond latin1");
		} else
			t->kind = TOK_ATOM;
		free(cps);
	} else if (c == '$') {
		unsigned cp;

		advance(sc);
		if ((c = peekc(sc, 0)) == -1 || c == 0)
			return fail(
			    sc, t->line, t->col, "bad character literal");
		if (c == '\\') {
			advance(sc);
			if (scan_escape(sc, &cp) < 0)
				return -1;
		} else
			cp = advance(sc).cp;
		t->kind = TOK_INT;
		t->value = term_int(cp);
	} else if (c == '#' && sc->len - sc->pos >= 5 &&
	           memcmp(sc->src + sc->pos, "#Ref<", 5) == 0) {
		if (scan_ref(sc, t) < 0)
			return -1;
	} else if (c == '.' && (d == -1 || d == ' ' || d == '\t' || d == '\n' ||
	                           d == '\r' || d == '%')) {
		advance(sc);
		t->kind = TOK_END;
	} else if (is_name_char(char_at(sc, sc->pos).cp) && !is_digit(c)) {
		if (scan_name(sc, t) < 0)
			return -1;
	} else if (scan_punct(sc, t) < 0)
		return -1;
done:
	t->end = sc->pos;
	sc->after_operand = ends_operand(t);
	return 0;
}
