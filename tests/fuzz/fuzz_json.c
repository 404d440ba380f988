/*
 * libFuzzer harness for --json: every term the parser reads from any
 * bytes is printed as JSON, and the text must be one JSON document as
 * RFC 8259 has it, checked by the small strict validator below (objects,
 * arrays, strings with their escapes and well-formed UTF-8, numbers in
 * JSON's grammar, true, false and null, nothing after the value).
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "term_print.h"
#include "util.h"


/* Deeper than the printer can nest (two levels a term at most). */
#define JSON_DEPTH_MAX 10000
/* As in fuzz_print.c: <<0:16000000>> is short to type. */
#define BIN_BYTES_MAX (256 * 1024)

struct json {
	const unsigned char *s;
	size_t n;
	size_t i;
};

static int value(struct json *, int);

static void
ws(struct json *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	                          j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static int
eat(struct json *j, int c)
{
	if (j->i < j->n && j->s[j->i] == c) {
		j->i++;
		return 0;
	}
	return -1;
}

static int
literal(struct json *j, const char *word)
{
	for (; *word != '\0'; word++)
		if (eat(j, *word) < 0)
			return -1;
	return 0;
}

static int
is_digit(struct json *j)
{
	return j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9';
}

/* number = [ minus ] int [ frac ] [ exp ] */
static int
number(struct json *j)
{
	(void)eat(j, '-');
	if (eat(j, '0') < 0) {
		if (!is_digit(j))
			return -1;
		while (is_digit(j))
			j->i++;
	}
	if (eat(j, '.') == 0) {
		if (!is_digit(j))
			return -1;
		while (is_digit(j))
			j->i++;
	}
	if (eat(j, 'e') == 0 || eat(j, 'E') == 0) {
		if (eat(j, '+') < 0)
			(void)eat(j, '-');
		if (!is_digit(j))
			return -1;
		while (is_digit(j))
			j->i++;
	}
	return 0;
}

static int
hex4(struct json *j, unsigned int *v)
{
	int k, c;

	*v = 0;
	for (k = 0; k < 4; k++) {
		if (j->i >= j->n)
			return -1;
		c = j->s[j->i++];
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (unsigned int)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* \uXXXX, a surrogate only as the first of a pair. */
static int
unicode_escape(struct json *j)
{
	unsigned int u, lo;

	if (hex4(j, &u) < 0)
		return -1;
	if (u >= 0xdc00 && u <= 0xdfff)
		return -1;
	if (u >= 0xd800 && u <= 0xdbff) {
		if (literal(j, "\\u") < 0 || hex4(j, &lo) < 0 || lo < 0xdc00 ||
		    lo > 0xdfff)
			return -1;
	}
	return 0;
}

/* One UTF-8 character of two to four bytes (RFC 3629), lead at j->i. */
static int
utf8_char(struct json *j)
{
	unsigned int c = j->s[j->i], cp, min;
	size_t k, len;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (j->n - j->i < len)
		return -1;
	for (k = 1; k < len; k++) {
		c = j->s[j->i + k];
		if ((c & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (c & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	j->i += len;
	return 0;
}

static int
string(struct json *j)
{
	unsigned int c;

	if (eat(j, '"') < 0)
		return -1;
	for (;;) {
		if (j->i >= j->n)
			return -1;
		c = j->s[j->i];
		if (c == '"') {
			j->i++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			j->i++;
			if (j->i >= j->n)
				return -1;
			c = j->s[j->i++];
			if (c == 'u') {
				if (unicode_escape(j) < 0)
					return -1;
			} else if (c != '"' && c != '\\' && c != '/' &&
			           c != 'b' && c != 'f' && c != 'n' &&
			           c != 'r' && c != 't')
				return -1;
		} else if (c >= 0x80) {
			if (utf8_char(j) < 0)
				return -1;
		} else
			j->i++;
	}
}

/* The members or elements up to close, after the opening bracket. */
static int
members(struct json *j, int close, int object, int depth)
{
	ws(j);
	if (eat(j, close) == 0)
		return 0;
	for (;;) {
		if (object) {
			ws(j);
			if (string(j) < 0)
				return -1;
			ws(j);
			if (eat(j, ':') < 0)
				return -1;
		}
		if (value(j, depth + 1) < 0)
			return -1;
		ws(j);
		if (eat(j, close) == 0)
			return 0;
		if (eat(j, ',') < 0)
			return -1;
	}
}

static int
value(struct json *j, int depth)
{
	int c;

	if (depth > JSON_DEPTH_MAX)
		return -1;
	ws(j);
	if (j->i >= j->n)
		return -1;
	c = j->s[j->i];
	if (c == '{' || c == '[') {
		j->i++;
		return members(j, c == '{' ? '}' : ']', c == '{', depth);
	}
	if (c == '"')
		return string(j);
	if (c == 't')
		return literal(j, "true");
	if (c == 'f')
		return literal(j, "false");
	if (c == 'n')
		return literal(j, "null");
	return number(j);
}

/* One JSON text: a value between optional white space, nothing more. */
static int
json_valid(const char *s, size_t n)
{
	struct json j;

	j.s = (const unsigned char *)s;
	j.n = n;
	j.i = 0;
	if (value(&j, 0) < 0)
		return 0;
	ws(&j);
	return j.i == j.n;
}

/* Bytes of binaries in t, up to max. */
static size_t
bin_bytes(term t, size_t max)
{
	size_t i, n, w = 0;

	switch (term_kind(t)) {
	case TERM_BINARY:
		return term_bin_size(t);
	case TERM_TUPLE:
	case TERM_LIST:
		n = term_size(t);
		for (i = 0; i < n && w <= max; i++)
			w += bin_bytes(term_elems(t)[i], max);
		if (term_kind(t) == TERM_LIST)
			w += bin_bytes(term_list_tail(t), max);
		return w;
	case TERM_MAP:
		n = term_size(t);
		for (i = 0; i < n && w <= max; i++)
			w += bin_bytes(term_map_key(t, i), max) +
			     bin_bytes(term_map_value(t, i), max);
		return w;
	default:
		return w;
	}
}

/* A term printed as JSON (into the buffer arg) must be valid JSON. */
static void
check(term t, void *arg)
{
	struct buf *b = arg;

	if (bin_bytes(t, BIN_BYTES_MAX) > BIN_BYTES_MAX)
		return;
	buf_reset(b);
	print_term(b, t, PRINT_JSON, 1);
	if (!json_valid(b->data, b->len)) {
		fprintf(stderr, "invalid JSON: %.*s\n", (int)b->len, b->data);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;

	buf_init(&b);
	fuzz_each_term(data, size, check, &b);
	buf_free(&b);
	return 0;
}
