/*
 * The term printer: ~p as the Erlang shell prints it, its one-line form
 * (--compact) and JSON (--json). It only writes text to a buffer.
 *
 * ~p follows OTP 25's io_lib_pretty in its two passes. The first builds
 * an intermediate tree that holds each subterm's one-line length
 * (print_length); the second walks it and decides every line break from
 * those lengths alone (pp, with cind choosing the tagged tuple indent).
 * The walk is a clause-by-clause translation that keeps OTP's names, so
 * the two can be read side by side; its quirks (W + 1 where W + 2 seems
 * meant, Col where Col0 seems meant) are OTP's and must stay. Leaf texts
 * (atoms, strings, floats) follow io_lib and float_to_list(F, [short]).
 *
 * JSON is a plain recursive walk of the term itself.
 */
#include "compat.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "term_print.h"
#include "util.h"

#define LINE_LENGTH 80
/*
 * Deeper terms print "..." there rather than overflow the C stack: twice
 * the parser's limit, and the layout walk takes about 3 KB a level under
 * ASan at -O0, so this still fits an 8 MB stack with room to spare.
 */
#define PRINT_MAX_DEPTH 2000

/* Node kinds of the intermediate tree. */
enum pkind {
	P_LEAF,   /* one-line text; the ?ATM test of io_lib_pretty */
	P_LIST,   /* [E1,...] or [E1,...|Tail] */
	P_TUPLE,  /* {E1,...} */
	P_TAGGED, /* {atom,E2,...}: the tag gets its own indentation */
	P_MAP,    /* #{Pair,...} */
	P_PAIR,   /* K => V */
	P_BIN     /* <<1,2,3>>, wrapped at commas when long */
};

struct pnode {
	unsigned char kind; /* enum pkind */
	unsigned char tail; /* P_LIST: the last kid is an improper tail */
	long len;           /* length of the one-line text */
	size_t a;           /* P_LEAF, P_BIN: text offset; else first kid */
	size_t n;           /* P_LEAF, P_BIN: text length; else kid count */
};

struct ptree {
	struct pnode *v;
	size_t nv, capv;
	size_t *kids;
	size_t nkids, capkids;
	struct buf text; /* every leaf's text, back to back */
	int flags;       /* PRINT_* */
};

/* A run of elements: kids of a list, tuple or map, maybe with a tail. */
struct pseq {
	const size_t *ks;
	size_t n;
	int tail; /* ks[n - 1] is an improper tail */
};

/* One ~p print: the tree, the output, line length and M (chars max). */
struct pctx {
	struct ptree *t;
	struct buf *out;
	long ll;
	long m;
};

static void build_kids(struct ptree *, size_t, const term *, size_t, int);

/*
 * Leaf texts.
 */

static const char *const reserved_words[] = {"after", "and", "andalso", "band",
    "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch", "cond",
    "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor"};

/* io_lib:printable_latin1_list/1, per character. */
static int
printable_char(unsigned int c)
{
	return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) ||
	       (c >= 8 && c <= 13) || c == 27;
}

static int
printable_bytes(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!printable_char(s[i]))
			return 0;
	return 1;
}

/*
 * ~tp's test of a binary (io_lib_pretty's printable_bin, with erl's
 * latin1 printable range): 1 when it is well-formed UTF-8 of printable
 * characters, 0 when it is UTF-8 with others (shown as bytes), -1 when
 * it is not UTF-8 (then the latin1 test decides).
 */
static int
printable_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint32_t c;
	int all = 1;

	while (i < n) {
		if (utf8_next(s, n, &i, &c) < 0)
			return -1;
		if (c > 255 || !printable_char(c))
			all = 0;
	}
	return all;
}

/* Whether any of the n bytes is past ASCII. */
static int
memchr_high(const unsigned char *s, size_t n)
{
	while (n-- > 0)
		if (*s++ >= 0x80)
			return 1;
	return 0;
}

/* A non-empty proper list of printable latin1 characters. */
static int
printable_list(term t)
{
	const term *e;
	size_t i, n;

	if (term_kind(t) != TERM_LIST ||
	    term_kind(term_list_tail(t)) != TERM_NIL)
		return 0;
	e = term_elems(t);
	n = term_size(t);
	for (i = 0; i < n; i++)
		if (term_kind(e[i]) != TERM_INT || e[i].u.i < 0 ||
		    e[i].u.i > 255 || !printable_char((unsigned int)e[i].u.i))
			return 0;
	return 1;
}

/* io_lib string_char/4 for latin1: the escapes of strings and atoms. */
static void
put_char_escaped(struct buf *out, unsigned int c, int q)
{
	static const char named[] = "\bb\tt\nn\vv\ff\rr\033e\177d";
	const char *p;

	if (c == (unsigned int)q || c == '\\') {
		buf_addc(out, '\\');
		buf_addc(out, (int)c);
	} else if ((c >= 32 && c <= 126) || c >= 160)
		buf_addc(out, (int)c);
	else if (c != 0 && (p = memchr(named, (int)c, sizeof named - 1)) &&
	         (p - named) % 2 == 0) {
		buf_addc(out, '\\');
		buf_addc(out, p[1]);
	} else
		buf_addf(out, "\\%c%c%c", '0' + (c >> 6), '0' + ((c >> 3) & 7),
		    '0' + (c & 7));
}

static void
put_quoted(struct buf *out, const unsigned char *s, size_t n, int q)
{
	size_t i;

	buf_addc(out, q);
	for (i = 0; i < n; i++)
		put_char_escaped(out, s[i], q);
	buf_addc(out, q);
}

static int
atom_name_char(unsigned int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '@' ||
	       (c >= 0xc0 && c <= 0xff && c != 0xd7 && c != 0xf7);
}

/* io_lib:quote_atom/2. */
static int
atom_needs_quotes(const unsigned char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 0xdf && s[0] != 0xf7)))
		return 1;
	for (i = 1; i < n; i++)
		if (!atom_name_char(s[i]))
			return 1;
	for (i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
		if (strlen(reserved_words[i]) == n &&
		    memcmp(reserved_words[i], s, n) == 0)
			return 1;
	return 0;
}

static void
put_atom(struct buf *out, term t)
{
	const unsigned char *s = (const unsigned char *)term_atom_name(t);
	size_t n = term_atom_len(t);

	if (atom_needs_quotes(s, n))
		put_quoted(out, s, n, '\'');
	else
		buf_add(out, s, n);
}

static int
decimal_length(uint64_t d)
{
	int n = 1;

	while (d >= 10) {
		d /= 10;
		n++;
	}
	return n;
}

/*
 * The shortest decimal D * 10^E that reads back as x (x > 0, finite),
 * found with the C library's correctly rounded conversions in both
 * directions. Where the rounding interval is lopsided (a power of two)
 * the nearest candidate may miss while its neighbour hits; Ryu, which
 * OTP uses, takes the neighbour then, so check it too.
 */
static void
shortest_digits(double x, uint64_t *dp, int *ep)
{
	char s[64];
	uint64_t d, cand[3];
	int p, e, i, k;

	for (p = 0; p < 17; p++) {
		snprintf(s, sizeof s, "%.*e", p, x);
		d = 0;
		for (i = 0; s[i] != 'e'; i++)
			if (s[i] >= '0' && s[i] <= '9')
				d = d * 10 + (uint64_t)(s[i] - '0');
		e = atoi(s + i + 1) - p;
		cand[0] = d;
		cand[1] = d + 1;
		cand[2] = d - 1;
		for (k = 0; k < 3; k++) {
			if (cand[k] == 0)
				continue;
			snprintf(s, sizeof s, "%llue%d",
			    (unsigned long long)cand[k], e);
			if (strtod(s, NULL) == x)
				break;
		}
		if (k < 3) {
			d = cand[k];
			break;
		}
	}
	while (d % 10 == 0 && d != 0) {
		d /= 10;
		e++;
	}
	*dp = d;
	*ep = e;
}

/*
 * float_to_list(F, [short]) of OTP 25 (erts ryu/to_chars.h): the shortest
 * round-tripping digits, in fixed notation where that is not longer than
 * scientific, and scientific for integral values of 2^53 and over.
 */
static void
put_float(struct buf *out, double x)
{
	char digits[24];
	uint64_t d;
	int e, len, sci, lower, upper, whole;

	if (isnan(x) || isinf(x)) {
		/* No Erlang float is either; say what it is. */
		buf_adds(out, isnan(x) ? "nan" : x < 0 ? "-inf" : "inf");
		return;
	}
	if (signbit(x))
		buf_addc(out, '-');
	x = fabs(x);
	if (x == 0) {
		buf_adds(out, "0.0");
		return;
	}
	shortest_digits(x, &d, &e);
	len = decimal_length(d);
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)d);
	sci = e + len - 1;
	lower = len == 1 ? -4 : -(len + 2);
	upper = len == 1 || sci >= 10 ? 2 : 1;
	if (e >= lower && e <= upper &&
	    !((d >= (1ULL << 53) && e == 0) ||
	        (d > (1ULL << 52) / 5 && e == 1) ||
	        (d > (1ULL << 51) / 25 && e == 2))) {
		whole = len + e;
		if (e >= 0) {
			buf_adds(out, digits);
			while (e-- > 0)
				buf_addc(out, '0');
			buf_adds(out, ".0");
		} else if (whole > 0) {
			buf_add(out, digits, (size_t)whole);
			buf_addc(out, '.');
			buf_adds(out, digits + whole);
		} else {
			buf_adds(out, "0.");
			while (whole++ < 0)
				buf_addc(out, '0');
			buf_adds(out, digits);
		}
		return;
	}
	buf_addc(out, digits[0]);
	buf_addc(out, '.');
	buf_adds(out, len > 1 ? digits + 1 : "0");
	buf_addf(out, "e%d", sci);
}

static void
put_ref(struct buf *out, term t)
{
	uint32_t p[4];

	term_ref_parts(t, p);
	buf_addf(out, "#Ref<%u.%u.%u.%u>", p[0], p[1], p[2], p[3]);
}

static void
put_pid(struct buf *out, term t)
{
	uint32_t p[3];

	term_pid_parts(t, p);
	buf_addf(out, "<%u.%u.%u>", p[0], p[1], p[2]);
}

/* OTP 25's erl_eval prints its closures with this module checksum. */
#define ERL_EVAL_CHECKSUM 3316493

static void
put_fun(struct buf *out, term t)
{
	if (term_fun_impl(t) != NULL) {
		buf_addf(out, "#Fun<erl_eval.%u.%u>", term_fun_index(t),
		    ERL_EVAL_CHECKSUM);
		return;
	}
	buf_adds(out, "fun ");
	put_atom(out, term_fun_module(t));
	buf_addc(out, ':');
	put_atom(out, term_fun_name(t));
	buf_addf(out, "/%u", term_fun_arity(t));
}

/*
 * io_lib:write_binary/3: the bytes, then a bitstring's last bits as
 * Value:Size (<<1,2,3:4>>). pp_binary wraps the text at its commas.
 */
static void
put_bin_bytes(struct buf *out, term x)
{
	const unsigned char *s = term_bin_data(x);
	size_t i, n = term_bin_bits(x) / 8;
	unsigned int rest = (unsigned int)(term_bin_bits(x) % 8);

	buf_adds(out, "<<");
	for (i = 0; i < n; i++)
		buf_addf(out, i > 0 ? ",%u" : "%u", (unsigned int)s[i]);
	if (rest != 0) {
		if (n > 0)
			buf_addc(out, ',');
		buf_addf(out, "%u:%u", (unsigned int)s[n] >> (8 - rest), rest);
	}
	buf_adds(out, ">>");
}

/*
 * The intermediate tree (print_length).
 */

static size_t
node_new(struct ptree *t, enum pkind kind)
{
	struct pnode *v;

	if (t->nv == t->capv) {
		t->capv = t->capv ? t->capv * 2 : 64;
		t->v = xreallocarray(t->v, t->capv, sizeof *t->v);
	}
	v = &t->v[t->nv];
	memset(v, 0, sizeof *v);
	v->kind = (unsigned char)kind;
	return t->nv++;
}

/* Reserves n kid slots and returns the first. */
static size_t
kids_new(struct ptree *t, size_t n)
{
	size_t first = t->nkids;

	if (n > SIZE_MAX / 2 - t->nkids)
		fatal("term too large");
	if (t->nkids + n > t->capkids) {
		while (t->nkids + n > t->capkids)
			t->capkids = t->capkids ? t->capkids * 2 : 64;
		t->kids = xreallocarray(t->kids, t->capkids, sizeof *t->kids);
	}
	t->nkids += n;
	return first;
}

/* Starts a leaf whose text the caller appends to t->text. */
static size_t
leaf_begin(struct ptree *t, enum pkind kind)
{
	size_t i = node_new(t, kind);

	t->v[i].a = t->text.len;
	return i;
}

static size_t
leaf_end(struct ptree *t, size_t i)
{
	t->v[i].n = t->text.len - t->v[i].a;
	t->v[i].len = (long)t->v[i].n;
	return i;
}

static size_t
leaf_str(struct ptree *t, const char *s)
{
	size_t i = leaf_begin(t, P_LEAF);

	buf_adds(&t->text, s);
	return leaf_end(t, i);
}

/* Sum of the kids' lengths, their separators and the brackets. */
static void
seq_length(struct ptree *t, size_t i, long brackets)
{
	struct pnode *v = &t->v[i];
	size_t k;
	long len = brackets;

	for (k = 0; k < v->n; k++)
		len += t->v[t->kids[v->a + k]].len + (k > 0);
	v->len = len;
}

static size_t
build(struct ptree *t, term x, int depth)
{
	struct buf *s = &t->text;
	size_t i, k, first, n;
	term tail;
	int tagged, u;

	if (depth >= PRINT_MAX_DEPTH)
		return leaf_str(t, "...");
	switch (term_kind(x)) {
	case TERM_INT:
	case TERM_BIG:
		i = leaf_begin(t, P_LEAF);
		term_int_text(s, x);
		return leaf_end(t, i);
	case TERM_FLOAT:
		i = leaf_begin(t, P_LEAF);
		put_float(s, x.u.f);
		return leaf_end(t, i);
	case TERM_ATOM:
		i = leaf_begin(t, P_LEAF);
		put_atom(s, x);
		return leaf_end(t, i);
	case TERM_VAR:
	case TERM_ADDR:
		/* Never a value; show the text rather than nothing. */
		i = leaf_begin(t, P_LEAF);
		buf_add(s, term_atom_name(x), term_atom_len(x));
		return leaf_end(t, i);
	case TERM_REF:
		i = leaf_begin(t, P_LEAF);
		put_ref(s, x);
		return leaf_end(t, i);
	case TERM_PID:
		i = leaf_begin(t, P_LEAF);
		put_pid(s, x);
		return leaf_end(t, i);
	case TERM_FUN:
		i = leaf_begin(t, P_LEAF);
		put_fun(s, x);
		return leaf_end(t, i);
	case TERM_NIL:
		return leaf_str(t, "[]");
	case TERM_BINARY:
		n = term_bin_size(x);
		if (n == 0)
			return leaf_str(t, "<<>>");
		/* OTP: a bitstring is never shown as a string. */
		u = (t->flags & PRINT_UNICODE) && term_is_binary(x)
		        ? printable_utf8(term_bin_data(x), n)
		        : -1;
		if (u == 1 && memchr_high(term_bin_data(x), n)) {
			/* <<"é"/utf8>>: the characters, as latin1 */
			size_t at = 0;
			uint32_t c;

			i = leaf_begin(t, P_LEAF);
			buf_adds(s, "<<\"");
			while (at < n &&
			       utf8_next(term_bin_data(x), n, &at, &c) == 0)
				put_char_escaped(s, c, '"');
			buf_adds(s, "\"/utf8>>");
			return leaf_end(t, i);
		}
		if (!(t->flags & (PRINT_W | PRINT_NO_TEXT)) && u != 0 &&
		    term_is_binary(x) && printable_bytes(term_bin_data(x), n)) {
			i = leaf_begin(t, P_LEAF);
			buf_adds(s, "<<");
			put_quoted(s, term_bin_data(x), n, '"');
			buf_adds(s, ">>");
			return leaf_end(t, i);
		}
		i = leaf_begin(t, P_BIN);
		put_bin_bytes(s, x);
		return leaf_end(t, i);
	case TERM_LIST:
		if (!(t->flags & (PRINT_W | PRINT_NO_TEXT)) &&
		    printable_list(x)) {
			i = leaf_begin(t, P_LEAF);
			buf_addc(s, '"');
			for (k = 0; k < term_size(x); k++) {
				unsigned int ch =
				    (unsigned int)term_elems(x)[k].u.i;

				put_char_escaped(s, ch, '"');
			}
			buf_addc(s, '"');
			return leaf_end(t, i);
		}
		tail = term_list_tail(x);
		i = node_new(t, P_LIST);
		t->v[i].tail = term_kind(tail) != TERM_NIL;
		build_kids(t, i, term_elems(x), term_size(x), depth);
		if (t->v[i].tail) {
			size_t kid = build(t, tail, depth + 1);

			t->kids[t->v[i].a + t->v[i].n - 1] = kid;
		}
		seq_length(t, i, 2);
		return i;
	case TERM_TUPLE:
		n = term_size(x);
		if (n == 0)
			return leaf_str(t, "{}");
		tagged = n > 1 && term_kind(term_elems(x)[0]) == TERM_ATOM;
		i = node_new(t, tagged ? P_TAGGED : P_TUPLE);
		build_kids(t, i, term_elems(x), n, depth);
		seq_length(t, i, 2);
		return i;
	case TERM_MAP:
		n = term_size(x);
		if (n == 0)
			return leaf_str(t, "#{}");
		i = node_new(t, P_MAP);
		first = kids_new(t, n);
		t->v[i].a = first;
		t->v[i].n = n;
		for (k = 0; k < n; k++) {
			size_t p = node_new(t, P_PAIR), pk = kids_new(t, 2);
			size_t kn, vn;

			/* Build first: building may move t->v and t->kids. */
			kn = build(t, term_map_key(x, k), depth + 1);
			vn = build(t, term_map_value(x, k), depth + 1);
			t->kids[pk] = kn;
			t->kids[pk + 1] = vn;
			t->v[p].a = pk;
			t->v[p].n = 2;
			t->v[p].len = t->v[kn].len + 4 + t->v[vn].len;
			t->kids[first + k] = p;
		}
		seq_length(t, i, 3);
		return i;
	}
	fatal("print: bad term kind %d", (int)term_kind(x));
}

/*
 * Builds n elements as the kids of node i, with one slot more for an
 * improper tail when the node has one.
 */
static void
build_kids(struct ptree *t, size_t i, const term *e, size_t n, int depth)
{
	size_t first, k, total = n + t->v[i].tail;

	first = kids_new(t, total);
	t->v[i].a = first;
	t->v[i].n = total;
	for (k = 0; k < n; k++) {
		size_t kid = build(t, e[k], depth + 1);

		t->kids[first + k] = kid;
	}
}

static void
tree_free(struct ptree *t)
{
	free(t->v);
	free(t->kids);
	buf_free(&t->text);
}

static struct pnode *
node(const struct pctx *c, size_t i)
{
	return &c->t->v[i];
}

static struct pseq
node_seq(const struct pctx *c, size_t i)
{
	struct pseq s;
	const struct pnode *v = node(c, i);

	s.ks = c->t->kids + v->a;
	s.n = v->n;
	s.tail = v->kind == P_LIST && v->tail;
	return s;
}

/* The elements after the first (a tagged tuple without its tag). */
static struct pseq
seq_rest(struct pseq s)
{
	s.ks++;
	s.n--;
	return s;
}

/* Position i of s is [E | Es]: an element, not the tail nor the end. */
static int
seq_cons(struct pseq s, size_t i)
{
	return i < s.n && !(s.tail && i == s.n - 1);
}

/* last_depth/2: a following element resets the trailing depth. */
static long
last_depth(struct pseq s, size_t i, long ld)
{
	return seq_cons(s, i) ? 0 : ld + 1;
}

static int
is_atm(const struct pctx *c, size_t i)
{
	return node(c, i)->kind == P_LEAF;
}

static int
is_atm_pair(const struct pctx *c, size_t i)
{
	const struct pnode *p = node(c, i);

	return is_atm(c, c->t->kids[p->a]) && is_atm(c, c->t->kids[p->a + 1]);
}

/* The guard "Len < Ll - Col - LD, Len + W + LD =< M". */
static int
fits(const struct pctx *c, size_t i, long col, long ld, long w)
{
	long len = node(c, i)->len;

	return len < c->ll - col - ld && len + w + ld <= c->m;
}

/* The guard of pp_tail and friends for the element after a comma. */
static int
fits_next(const struct pctx *c, long elen, long col, long ld1, long w)
{
	if (ld1 == 0)
		return elen + 1 < c->ll - col && w + elen + 1 <= c->m;
	return elen < c->ll - col - ld1 && w + elen + ld1 <= c->m;
}

/*
 * One-line text (write/1).
 */

static void
write_node(struct buf *out, const struct ptree *t, size_t i)
{
	const struct pnode *v = &t->v[i];
	size_t k;

	switch (v->kind) {
	case P_LEAF:
	case P_BIN:
		buf_add(out, t->text.data + v->a, v->n);
		return;
	case P_PAIR:
		write_node(out, t, t->kids[v->a]);
		buf_adds(out, " => ");
		write_node(out, t, t->kids[v->a + 1]);
		return;
	case P_LIST:
		buf_addc(out, '[');
		break;
	case P_MAP:
		buf_adds(out, "#{");
		break;
	default:
		buf_addc(out, '{');
		break;
	}
	for (k = 0; k < v->n; k++) {
		if (k > 0)
			buf_addc(out, v->tail && k == v->n - 1 ? '|' : ',');
		write_node(out, t, t->kids[v->a + k]);
	}
	buf_addc(out, v->kind == P_LIST ? ']' : '}');
}

static void
put_spaces(struct buf *out, long n)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		long k = n < 32 ? n : 32;

		buf_add(out, sp, (size_t)k);
		n -= k;
	}
}

static void
newline(const struct pctx *c, long ind)
{
	buf_addc(c->out, '\n');
	put_spaces(c->out, ind);
}

/*
 * cind: the indentation test for tagged tuples. Each returns 0, or -1
 * where OTP throws no_good; widths come back through a pointer.
 */

static int cind(const struct pctx *, size_t, long, long, long, long);

static int
cind_element(const struct pctx *c, size_t e, long col, long ind, long ld,
    long w, long *we)
{
	if (fits(c, e, col, ld, w) && is_atm(c, e)) {
		*we = node(c, e)->len;
		return 0;
	}
	*we = c->ll;
	return cind(c, e, col, ind, ld, w);
}

static int
cind_tail(const struct pctx *c, struct pseq s, size_t i, long col0, long col,
    long ind, long ld, long w)
{
	long ld1, elen, we;
	size_t e;

	for (; i < s.n; i++) {
		e = s.ks[i];
		elen = 1 + node(c, e)->len;
		if (!seq_cons(s, i)) {
			/* An improper tail: OTP passes Col here, not Col0. */
			if (elen < c->ll - col - (ld + 1) &&
			    elen + w + (ld + 1) <= c->m && is_atm(c, e))
				return 0;
			return cind(c, e, col, ind, ld + 1, 0);
		}
		ld1 = last_depth(s, i + 1, ld);
		if (fits_next(c, elen, col, ld1, w) && is_atm(c, e)) {
			col += elen;
			w += elen;
			continue;
		}
		if (cind_element(c, e, col0, ind, ld1, 0, &we) < 0)
			return -1;
		col = col0 + we;
		w = we;
	}
	return 0;
}

static int
cind_list(
    const struct pctx *c, struct pseq s, long col0, long ind, long ld, long w)
{
	long we, ld1 = last_depth(s, 1, ld);

	if (cind_element(c, s.ks[0], col0, ind, ld1, w, &we) < 0)
		return -1;
	return cind_tail(c, s, 1, col0, col0 + we, ind, ld, w + we);
}

static int
cind_tag_tuple(
    const struct pctx *c, struct pseq s, long col, long ind, long ld, long w)
{
	long tlen = node(c, s.ks[0])->len, tagind = tlen + 2;
	long tcol = col + tagind, col1;

	if (ind > 0 && tagind > ind) {
		col1 = col + ind;
		if (c->m + col1 <= c->ll || col1 <= c->ll / 2)
			return cind_tail(
			    c, seq_rest(s), 0, col1, tcol, ind, ld, w + tlen);
		return -1;
	}
	if (c->m + tcol < c->ll || tcol < c->ll / 2)
		return cind_list(c, seq_rest(s), tcol, ind, ld, w + tlen + 1);
	return -1;
}

static long
map_value_indent(long tind)
{
	return tind > 0 ? tind : 4;
}

static int
cind_pair(const struct pctx *c, size_t p, long col, long ind, long ld, long w,
    long *pw)
{
	const struct pnode *v = node(c, p);

	if (fits(c, p, col, ld, w)) {
		*pw = is_atm_pair(c, p) ? v->len : c->ll;
		return 0;
	}
	*pw = c->ll;
	if (cind(c, c->t->kids[v->a], col, ind, ld, w) < 0)
		return -1;
	return cind(
	    c, c->t->kids[v->a + 1], col + map_value_indent(ind), ind, ld, 0);
}

static int
cind_map(
    const struct pctx *c, struct pseq s, long col, long ind, long ld, long w)
{
	long pw, elen, ld1, c1;
	size_t i;

	if (cind_pair(c, s.ks[0], col, ind, last_depth(s, 1, ld), w, &pw) < 0)
		return -1;
	/* OTP adds the first pair's width to W here, unlike pp_map. */
	c1 = col + pw;
	w += pw;
	for (i = 1; i < s.n; i++) {
		ld1 = last_depth(s, i + 1, ld);
		elen = 1 + node(c, s.ks[i])->len;
		if (fits_next(c, elen, c1, ld1, w) && is_atm_pair(c, s.ks[i])) {
			c1 += elen;
			w += elen;
			continue;
		}
		if (cind_pair(c, s.ks[i], col, ind, ld1, 0, &pw) < 0)
			return -1;
		c1 = col + pw;
		w = pw;
	}
	return 0;
}

static int
cind(const struct pctx *c, size_t e, long col, long ind, long ld, long w)
{
	if (fits(c, e, col, ld, w))
		return 0;
	switch (node(c, e)->kind) {
	case P_LIST:
	case P_TUPLE:
		return cind_list(c, node_seq(c, e), col + 1, ind, ld, w + 1);
	case P_TAGGED:
		return cind_tag_tuple(c, node_seq(c, e), col, ind, ld, w + 1);
	case P_MAP:
		return cind_map(c, node_seq(c, e), col + 2, ind, ld, w + 2);
	default:
		return 0;
	}
}

/*
 * pp: the layout walk.
 */

static void pp(const struct pctx *, size_t, long, long, long, long, long);

static long
pp_element(const struct pctx *c, size_t e, long col, long tind, long ind,
    long ld, long w)
{
	if (fits(c, e, col, ld, w) && is_atm(c, e)) {
		write_node(c->out, c->t, e);
		return node(c, e)->len;
	}
	pp(c, e, col, tind, ind, ld, w);
	return c->ll; /* force a new line */
}

/* The elements from i on, each after a comma; S precedes a tail. */
static void
pp_tail(const struct pctx *c, struct pseq s, size_t i, long col0, long col,
    long tind, long ind, long ld, int sep, long w)
{
	long ld1, elen, we;
	size_t e;

	for (; i < s.n; i++) {
		e = s.ks[i];
		elen = 1 + node(c, e)->len;
		if (!seq_cons(s, i)) {
			buf_addc(c->out, sep);
			if (elen < c->ll - col - (ld + 1) &&
			    elen + w + (ld + 1) <= c->m && is_atm(c, e))
				write_node(c->out, c->t, e);
			else {
				newline(c, ind);
				pp(c, e, col0, tind, ind, ld + 1, 0);
			}
			return;
		}
		ld1 = last_depth(s, i + 1, ld);
		buf_addc(c->out, ',');
		if (fits_next(c, elen, col, ld1, w) && is_atm(c, e)) {
			write_node(c->out, c->t, e);
			col += elen;
			w += elen;
			continue;
		}
		newline(c, ind);
		we = pp_element(c, e, col0, tind, ind, ld1, 0);
		col = col0 + we;
		w = we;
	}
}

static void
pp_list(const struct pctx *c, struct pseq s, long col0, long tind, long ind,
    long ld, int sep, long w)
{
	long we;

	we = pp_element(c, s.ks[0], col0, tind, ind, last_depth(s, 1, ld), w);
	pp_tail(c, s, 1, col0, col0 + we, tind, ind, ld, sep, w + we);
}

static void
pp_tag_tuple(const struct pctx *c, struct pseq s, long col, long tind, long ind,
    long ld, long w)
{
	long tlen = node(c, s.ks[0])->len, tagind = tlen + 2;
	long tcol = col + tagind;

	write_node(c->out, c->t, s.ks[0]);
	if (tind > 0 && tagind > tind)
		pp_tail(c, seq_rest(s), 0, col + tind, tcol, tind, ind + tind,
		    ld, ',', w + tlen);
	else {
		buf_addc(c->out, ',');
		pp_list(c, seq_rest(s), tcol, tind, ind + tagind, ld, ',',
		    w + tlen + 1);
	}
}

static long
pp_pair(const struct pctx *c, size_t p, long col, long tind, long ind, long ld,
    long w)
{
	const struct pnode *v = node(c, p);
	long i;

	if (fits(c, p, col, ld, w)) {
		write_node(c->out, c->t, p);
		return is_atm_pair(c, p) ? v->len : c->ll;
	}
	i = map_value_indent(tind);
	pp(c, c->t->kids[v->a], col, tind, ind, ld, w);
	buf_adds(c->out, " =>");
	newline(c, ind + i);
	pp(c, c->t->kids[v->a + 1], col + i, tind, ind + i, ld, 0);
	return c->ll;
}

static void
pp_map(const struct pctx *c, struct pseq s, long col, long tind, long ind,
    long ld, long w)
{
	long pw, elen, ld1, c1;
	size_t i;

	pw = pp_pair(c, s.ks[0], col, tind, ind, last_depth(s, 1, ld), w);
	c1 = col + pw;
	w = pw;
	for (i = 1; i < s.n; i++) {
		ld1 = last_depth(s, i + 1, ld);
		elen = 1 + node(c, s.ks[i])->len;
		buf_addc(c->out, ',');
		if (fits_next(c, elen, c1, ld1, w) && is_atm_pair(c, s.ks[i])) {
			write_node(c->out, c->t, s.ks[i]);
			c1 += elen;
			w += elen;
			continue;
		}
		newline(c, ind);
		pw = pp_pair(c, s.ks[i], col, tind, ind, ld1, 0);
		c1 = col + pw;
		w = pw;
	}
}

/*
 * A long binary of bytes: as many "N," as fit on each line, at least 8
 * columns' worth. A bitstring's last "V:S" is one piece, as OTP's
 * [BS1, $:, BS2] clause takes it.
 */
static void
pp_binary(const struct pctx *c, size_t e, long col, long ind, long ld, long w)
{
	const struct pnode *v = node(c, e);
	const char *p = c->t->text.data + v->a + 2;
	const char *end = c->t->text.data + v->a + v->n - 2;
	const char *comma;
	long n0, n, len;

	n0 = c->ll - col < c->m - 4 - w ? c->ll - col : c->m - 4 - w;
	n0 -= ld;
	if (n0 < 8)
		n0 = 8;
	n = n0;
	buf_adds(c->out, "<<");
	while ((comma = memchr(p, ',', (size_t)(end - p))) != NULL) {
		len = comma - p + 1;
		if (n - len < 0) {
			newline(c, ind);
			n = n0 - len;
		} else
			n -= len;
		buf_add(c->out, p, (size_t)len);
		p = comma + 1;
	}
	if (end - p > n)
		newline(c, ind);
	buf_add(c->out, p, (size_t)(end - p));
	buf_adds(c->out, ">>");
}

static void
pp(const struct pctx *c, size_t e, long col, long tind, long ind, long ld,
    long w)
{
	if (fits(c, e, col, ld, w)) {
		write_node(c->out, c->t, e);
		return;
	}
	switch (node(c, e)->kind) {
	case P_LIST:
		buf_addc(c->out, '[');
		pp_list(
		    c, node_seq(c, e), col + 1, tind, ind + 1, ld, '|', w + 1);
		buf_addc(c->out, ']');
		break;
	case P_TAGGED:
		buf_addc(c->out, '{');
		pp_tag_tuple(c, node_seq(c, e), col, tind, ind, ld, w + 1);
		buf_addc(c->out, '}');
		break;
	case P_TUPLE:
		buf_addc(c->out, '{');
		pp_list(
		    c, node_seq(c, e), col + 1, tind, ind + 1, ld, ',', w + 1);
		buf_addc(c->out, '}');
		break;
	case P_MAP:
		/* OTP passes W + 1 here and W + 2 in cind. */
		buf_adds(c->out, "#{");
		pp_map(c, node_seq(c, e), col + 2, tind, ind + 2, ld, w + 1);
		buf_addc(c->out, '}');
		break;
	case P_BIN:
		pp_binary(c, e, col + 2, ind + 2, ld, w);
		break;
	default:
		write_node(c->out, c->t, e);
		break;
	}
}

/*
 * io_lib_pretty:print/4 with line length ll, no depth limit and no
 * chars limit, so M is the whole term's length.
 */
static void
print_pretty(struct buf *out, term x, int flags, int col, long ll)
{
	struct ptree t;
	struct pctx c;
	size_t root;
	long tind, len;

	memset(&t, 0, sizeof t);
	buf_init(&t.text);
	t.flags = flags;
	root = build(&t, x, 0);
	len = t.v[root].len;
	if (col < 1)
		col = 1;
	c.t = &t;
	c.out = out;
	c.ll = ll;
	c.m = len;
	if ((flags & (PRINT_COMPACT | PRINT_W)) ||
	    (len < c.ll - col && len <= c.m))
		write_node(out, &t, root);
	else {
		/* The tagged tuple indent: -1 (none) if it fits, else 4. */
		if (cind(&c, root, col, -1, 0, 0) == 0)
			tind = -1;
		else if (cind(&c, root, col, 4, 0, 0) == 0)
			tind = 4;
		else
			tind = 1;
		pp(&c, root, col, tind, col - 1, 0, 0);
	}
	tree_free(&t);
}

/*
 * JSON, lossless: no two terms print the same document. Numbers are
 * numbers; true and false booleans, undefined null; a binary that is
 * valid UTF-8 a string of its characters; everything else that JSON has
 * no kind for is an object with one "$" key naming the kind:
 * {"$atom": "ok"}, {"$binary": "<base64>"}, {"$tuple": [...]},
 * {"$bitstring": "<base64>", "bits": N} (the bytes holding the N bits,
 * the last one's unused low bits zero),
 * {"$improper": [E1, ..., Tail]}, {"$map": [[K, V], ...]} (a map whose
 * keys are not all atoms, or one starts with $; other maps are plain
 * objects) and
 * {"$ref": "#Ref<...>"}. A list is an array, a string (a list of
 * character codes) included.
 */

/* A JSON string of latin1 text, or of UTF-8 text already valid. */
static void
json_string(struct buf *out, const unsigned char *s, size_t n, int utf8)
{
	static const char named[] = "\bb\ff\nn\rr\tt";
	const char *p;
	size_t i;
	unsigned int ch;

	buf_addc(out, '"');
	for (i = 0; i < n; i++) {
		ch = s[i];
		if (ch == '"' || ch == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (int)ch);
		} else if (ch != 0 && ch < 0x20 &&
		           (p = memchr(named, (int)ch, sizeof named - 1)) &&
		           (p - named) % 2 == 0) {
			buf_addc(out, '\\');
			buf_addc(out, p[1]);
		} else if (ch < 0x20 || ch == 0x7f)
			buf_addf(out, "\\u%04x", ch);
		else if (ch >= 0x80 && !utf8) {
			/* Latin1 to UTF-8. */
			buf_addc(out, (int)(0xc0 | (ch >> 6)));
			buf_addc(out, (int)(0x80 | (ch & 0x3f)));
		} else
			buf_addc(out, (int)ch);
	}
	buf_addc(out, '"');
}

static void
base64(struct buf *out, const unsigned char *s, size_t n)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v;
	size_t i, k;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		for (k = 0; k < 4; k++)
			buf_addc(out,
			    k <= n - i ? abc[v >> (18 - 6 * k) & 63] : '=');
	}
}

/* {"$Tag": and, after the caller's value, }. */
static void
json_tag(struct buf *out, const char *tag)
{
	buf_addf(out, "{\"$%s\":", tag);
}

static void json_value(struct buf *, term, int);

/* The elements of a tuple or list (and an improper tail) as an array. */
static void
json_array(struct buf *out, term x, int depth)
{
	size_t i, n = term_size(x);

	buf_addc(out, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, ',');
		json_value(out, term_elems(x)[i], depth + 1);
	}
	if (term_kind(x) == TERM_LIST &&
	    term_kind(term_list_tail(x)) != TERM_NIL) {
		buf_addc(out, ',');
		json_value(out, term_list_tail(x), depth + 1);
	}
	buf_addc(out, ']');
}

/* A map: an object when every key is an atom, else [[K, V], ...]. */
static void
json_map(struct buf *out, term x, int depth)
{
	size_t i, n = term_size(x);
	int atoms = 1;
	term k;

	/* A key "$..." would read as a tag: such maps take the long form. */
	for (i = 0; i < n && atoms; i++) {
		k = term_map_key(x, i);
		atoms =
		    term_kind(k) == TERM_ATOM && term_atom_name(k)[0] != '$';
	}
	if (!atoms)
		json_tag(out, "map");
	buf_addc(out, atoms ? '{' : '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, ',');
		k = term_map_key(x, i);
		if (atoms) {
			json_string(out,
			    (const unsigned char *)term_atom_name(k),
			    term_atom_len(k), 0);
			buf_addc(out, ':');
		} else {
			buf_addc(out, '[');
			json_value(out, k, depth + 1);
			buf_addc(out, ',');
		}
		json_value(out, term_map_value(x, i), depth + 1);
		if (!atoms)
			buf_addc(out, ']');
	}
	buf_adds(out, atoms ? "}" : "]}");
}

static void
json_value(struct buf *out, term x, int depth)
{
	struct buf text;
	const unsigned char *b;
	size_t n;

	if (depth >= PRINT_MAX_DEPTH) {
		buf_adds(out, "{\"$deep\":null}");
		return;
	}
	switch (term_kind(x)) {
	case TERM_INT:
	case TERM_BIG:
		term_int_text(out, x);
		return;
	case TERM_FLOAT:
		put_float(out, x.u.f);
		return;
	case TERM_ATOM:
		if (term_is_atom(x, A_TRUE) || term_is_atom(x, A_FALSE))
			buf_add(out, term_atom_name(x), term_atom_len(x));
		else if (term_is_atom(x, A_UNDEFINED))
			buf_adds(out, "null");
		else {
			json_tag(out, "atom");
			json_string(out,
			    (const unsigned char *)term_atom_name(x),
			    term_atom_len(x), 0);
			buf_addc(out, '}');
		}
		return;
	case TERM_NIL:
		buf_adds(out, "[]");
		return;
	case TERM_REF:
	case TERM_PID:
	case TERM_FUN:
	case TERM_VAR:
	case TERM_ADDR:
		buf_init(&text);
		print_pretty(&text, x, PRINT_COMPACT, 1, LINE_LENGTH);
		json_tag(out, term_kind(x) == TERM_PID   ? "pid"
		              : term_kind(x) == TERM_FUN ? "fun"
		                                         : "ref");
		json_string(out, (const unsigned char *)text.data, text.len, 0);
		buf_addc(out, '}');
		buf_free(&text);
		return;
	case TERM_BINARY:
		b = term_bin_data(x);
		n = term_bin_size(x);
		if (term_is_binary(x) && utf8_valid(b, n)) {
			json_string(out, b, n, 1);
			return;
		}
		json_tag(out, term_is_binary(x) ? "binary" : "bitstring");
		buf_addc(out, '"');
		base64(out, b, n);
		buf_addc(out, '"');
		if (!term_is_binary(x))
			buf_addf(out, ",\"bits\":%zu", term_bin_bits(x));
		buf_addc(out, '}');
		return;
	case TERM_LIST:
		if (term_kind(term_list_tail(x)) == TERM_NIL) {
			json_array(out, x, depth);
			return;
		}
		json_tag(out, "improper");
		json_array(out, x, depth);
		buf_addc(out, '}');
		return;
	case TERM_TUPLE:
		json_tag(out, "tuple");
		json_array(out, x, depth);
		buf_addc(out, '}');
		return;
	case TERM_MAP:
		json_map(out, x, depth);
		return;
	}
	fatal("print: bad term kind %d", (int)term_kind(x));
}

void
print_term(struct buf *out, term t, int flags, int col)
{
	if (flags & PRINT_JSON)
		json_value(out, t, 0);
	else
		print_pretty(out, t, flags, col, LINE_LENGTH);
}

void
print_term_width(struct buf *out, term t, int flags, int col, int width)
{
	print_pretty(out, t, flags & ~PRINT_JSON, col, width);
}
