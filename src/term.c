/*
 * The term model: storage, constructors, accessors, atoms and Erlang term
 * order. Boxed kinds share one header and a flexible payload; boxes are
 * immutable once built, so sharing them by reference count is safe.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "util.h"

struct term_box {
	uint32_t refs;
	int sign;  /* TERM_BIG */
	size_t n;  /* elements, pairs, bytes or limbs */
	term tail; /* TERM_LIST */
	/* terms, 32-bit limbs or bytes, by kind; aligned for any of them */
	_Alignas(max_align_t) unsigned char payload[];
};

#define BOX_T(b) ((term *)(void *)(b)->payload)
#define BOX_W(b) ((uint32_t *)(void *)(b)->payload)
#define BOX_B(b) ((unsigned char *)(void *)(b)->payload)

/* Interned atoms: an array of names and an open-addressing hash. */
struct atom {
	const char *name;
	size_t len;
	unsigned char tag; /* term_atom_set_tag's */
};
static struct atom known_atoms[] = {
#define KNOWN_ROW(id, name) {name, sizeof name - 1, 0},
    TERM_KNOWN_ATOMS(KNOWN_ROW)
#undef KNOWN_ROW
};
/* The known atoms until the first other one moves the array to the heap. */
static struct atom *atoms = known_atoms;
static uint32_t natoms = A_NKNOWN, atoms_cap = A_NKNOWN;
static uint32_t *atom_hash; /* ids + 1, 0 = empty */
static size_t atom_hash_cap;
static uint32_t next_ref;

static int key_cmp(term, term);

static void
atom_rehash(void)
{
	size_t cap = atom_hash_cap ? atom_hash_cap * 2 : 256, i, j;
	uint32_t *h = xcalloc(cap, sizeof *h);

	for (i = 0; i < natoms; i++) {
		j = hash_bytes(atoms[i].name, atoms[i].len) & (cap - 1);
		while (h[j] != 0)
			j = (j + 1) & (cap - 1);
		h[j] = (uint32_t)i + 1;
	}
	free(atom_hash);
	atom_hash = h;
	atom_hash_cap = cap;
}

static uint32_t
atom_intern(const char *s, size_t n)
{
	size_t j;
	uint32_t id;

	if (atom_hash_cap == 0 || (size_t)natoms * 2 >= atom_hash_cap)
		atom_rehash();
	j = hash_bytes(s, n) & (atom_hash_cap - 1);
	while (atom_hash[j] != 0) {
		id = atom_hash[j] - 1;
		if (atoms[id].len == n && memcmp(atoms[id].name, s, n) == 0)
			return id;
		j = (j + 1) & (atom_hash_cap - 1);
	}
	if (natoms == atoms_cap) {
		struct atom *a = atoms == known_atoms ? NULL : atoms;

		atoms_cap = atoms_cap < 64 ? 128 : atoms_cap * 2;
		a = xreallocarray(a, atoms_cap, sizeof *atoms);
		if (atoms == known_atoms)
			memcpy(a, known_atoms, sizeof known_atoms);
		atoms = a;
	}
	atoms[natoms].name = xstrndup(s, n);
	atoms[natoms].len = n;
	atoms[natoms].tag = 0;
	atom_hash[j] = natoms + 1;
	return natoms++;
}

/*
 * Small boxes (a pair, a reference, a short binary) come and go by the
 * thousand a second: they come from two pools, by size. A box asking
 * for at most a pool's block size gets a whole block, so any box can go
 * back to the pool its contents fit.
 */
#define BOX_HEAD offsetof(struct term_box, payload)
#define BOX_CLASS                                                              \
	64 /* bytes of the first pool's blocks; the second's twice             \
	    */

static struct pool box_pools[2] = {
    POOL_INIT(BOX_CLASS, 4096), POOL_INIT(2 * BOX_CLASS, 4096)};

/* The pool a box of total bytes falls in, or -1 for none. */
static int
box_class(size_t total)
{
	return total <= BOX_CLASS ? 0 : total <= 2 * BOX_CLASS ? 1 : -1;
}

static struct term_box *
box_alloc(size_t total)
{
	int c = box_class(total);

	return c < 0 ? xmalloc(total) : pool_get(&box_pools[c]);
}

/* Bytes a box's contents take, which its allocation is at least. */
static size_t
box_size(enum term_kind kind, const struct term_box *b)
{
	switch (kind) {
	case TERM_TUPLE:
	case TERM_LIST:
		return BOX_HEAD + b->n * sizeof(term);
	case TERM_MAP:
		return BOX_HEAD + 2 * b->n * sizeof(term);
	case TERM_BIG:
		return BOX_HEAD + b->n * sizeof(uint32_t);
	case TERM_REF:
	case TERM_PID:
		return BOX_HEAD + b->n * sizeof(uint32_t);
	case TERM_BINARY:
		return BOX_HEAD + (b->n ? b->n : 1);
	default:
		return SIZE_MAX; /* a fun: not pooled */
	}
}

static void
box_release(enum term_kind kind, struct term_box *b)
{
	size_t total = box_size(kind, b);
	int c = total == SIZE_MAX ? -1 : box_class(total);

	if (c < 0)
		free(b);
	else
		pool_put(&box_pools[c], b);
}

static struct term_box *
box_new(size_t payload)
{
	struct term_box *b;

	b = box_alloc(BOX_HEAD + (payload ? payload : 1));
	b->refs = 1;
	b->sign = 1;
	b->n = 0;
	b->tail.kind = TERM_NIL;
	return b;
}

static term
boxed(enum term_kind kind, struct term_box *b)
{
	term t;

	t.kind = (unsigned char)kind;
	t.n = 0;
	t.u.box = b;
	return t;
}

#define BOXED_KINDS                                                            \
	(1u << TERM_BIG | 1u << TERM_REF | 1u << TERM_FUN | 1u << TERM_PID |   \
	    1u << TERM_TUPLE | 1u << TERM_MAP | 1u << TERM_LIST |              \
	    1u << TERM_BINARY)

static inline int
is_boxed(term t)
{
	return (BOXED_KINDS >> t.kind) & 1;
}

term
term_int(int64_t i)
{
	term t;

	t.kind = TERM_INT;
	t.n = 0;
	t.u.i = i;
	return t;
}

term
term_float(double f)
{
	term t;

	t.kind = TERM_FLOAT;
	t.n = 0;
	t.u.f = f;
	return t;
}

term
term_atom_n(const char *s, size_t n)
{
	term t;

	t.kind = TERM_ATOM;
	t.n = atom_intern(s, n);
	t.u.i = 0;
	return t;
}

/*
 * Commands name their atoms with string literals ("ok", "select") many
 * times a second: a small table keyed by the string's address finds the
 * atom without hashing, and a compare of the name checks that the
 * address still holds that text (a buffer may be reused).
 */
#define ATOM_CACHE 256

static struct {
	const char *s;
	uint32_t id;
} atom_cache[ATOM_CACHE];

term
term_atom(const char *s)
{
	size_t k = ((uintptr_t)s >> 3) & (ATOM_CACHE - 1);
	term t;

	if (atom_cache[k].s == s &&
	    strcmp(atoms[atom_cache[k].id].name, s) == 0) {
		t.kind = TERM_ATOM;
		t.n = atom_cache[k].id;
		t.u.i = 0;
		return t;
	}
	t = term_atom_n(s, strlen(s));
	atom_cache[k].s = s;
	atom_cache[k].id = t.n;
	return t;
}

uint32_t
term_atom_id(const char *s)
{
	return atom_intern(s, strlen(s));
}

term
term_var(const char *s)
{
	term t = term_atom(s);

	t.kind = TERM_VAR;
	return t;
}

term
term_addr(const char *s, size_t n)
{
	term t = term_atom_n(s, n);

	t.kind = TERM_ADDR;
	return t;
}

term
term_nil(void)
{
	term t;

	t.kind = TERM_NIL;
	t.n = 0;
	t.u.i = 0;
	return t;
}

term
term_ref(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct term_box *x = box_new(4 * sizeof(uint32_t));

	x->n = 4;
	BOX_W(x)[0] = a;
	BOX_W(x)[1] = b;
	BOX_W(x)[2] = c;
	BOX_W(x)[3] = d;
	if (a == 0 && b == 0 && c == 0 && d >= next_ref)
		next_ref = d; /* a pasted ref is never handed out again */
	return boxed(TERM_REF, x);
}

term
term_new_ref(void)
{
	return term_ref(0, 0, 0, ++next_ref);
}

uint32_t
term_ref_next(void)
{
	return ++next_ref;
}

term
term_pid(uint32_t a, uint32_t b, uint32_t c)
{
	struct term_box *x = box_new(3 * sizeof(uint32_t));

	x->n = 3;
	BOX_W(x)[0] = a;
	BOX_W(x)[1] = b;
	BOX_W(x)[2] = c;
	return boxed(TERM_PID, x);
}

/* A fun's payload: a closure (impl set) or fun M:F/A (atoms set). */
struct fun_info {
	void *impl;
	void (*release)(void *);
	term module;
	term name;
	uint32_t arity;
	uint32_t index;
};

#define BOX_FUN(b) ((struct fun_info *)(void *)(b)->payload)

static term
fun_new(struct fun_info *f)
{
	struct term_box *x = box_new(sizeof *f);

	*BOX_FUN(x) = *f;
	return boxed(TERM_FUN, x);
}

term
term_fun(uint32_t arity, uint32_t index, void *impl, void (*release)(void *))
{
	struct fun_info f = {impl, release, {TERM_NIL, 0, {0}},
	    {TERM_NIL, 0, {0}}, arity, index};

	return fun_new(&f);
}

term
term_fun_ext(term module, term name, uint32_t arity)
{
	struct fun_info f = {NULL, NULL, module, name, arity, 0};

	return fun_new(&f);
}

static term
seq_new(enum term_kind kind, size_t n, term *elems)
{
	struct term_box *b;

	if (n > (SIZE_MAX - 64) / sizeof(term))
		fatal("term too large");
	b = box_new(n * sizeof(term));
	b->n = n;
	if (n > 0)
		memcpy(BOX_T(b), elems, n * sizeof(term));
	return boxed(kind, b);
}

term
term_tuple(size_t n, term *elems)
{
	return seq_new(TERM_TUPLE, n, elems);
}

term
term_tuple2(term a, term b)
{
	term e[2] = {a, b};

	return term_tuple(2, e);
}

term
term_tuple3(term a, term b, term c)
{
	term e[3] = {a, b, c};

	return term_tuple(3, e);
}

term
term_list(size_t n, term *elems, term tail)
{
	term t;

	if (n == 0)
		return tail;
	/* [a | [b, c]] flattens, so one list has one representation. */
	if (term_kind(tail) == TERM_LIST) {
		size_t m = tail.u.box->n, i;
		term *all = xreallocarray(NULL, n + m, sizeof(term));

		memcpy(all, elems, n * sizeof(term));
		for (i = 0; i < m; i++)
			all[n + i] = term_copy(BOX_T(tail.u.box)[i]);
		t = seq_new(TERM_LIST, n + m, all);
		t.u.box->tail = term_copy(tail.u.box->tail);
		free(all);
		term_free(tail);
		return t;
	}
	t = seq_new(TERM_LIST, n, elems);
	t.u.box->tail = tail;
	return t;
}

term
term_binary(const void *p, size_t n)
{
	struct term_box *b = box_new(n);

	b->n = n;
	if (n > 0)
		memcpy(BOX_B(b), p, n);
	return boxed(TERM_BINARY, b);
}

term
term_bitstring(const void *p, size_t nbits)
{
	term t = term_binary(p, nbits / 8 + (nbits % 8 != 0));
	unsigned char *last;

	if (nbits % 8 != 0) {
		last = BOX_B(t.u.box) + nbits / 8;
		*last &= (unsigned char)(0xff00 >> (nbits % 8));
		t.n = (uint32_t)(nbits % 8);
	}
	return t;
}

term
term_string_n(const char *s, size_t n)
{
	term *e, t;
	size_t i;

	if (n == 0)
		return term_nil();
	e = xreallocarray(NULL, n, sizeof(term));
	for (i = 0; i < n; i++)
		e[i] = term_int((unsigned char)s[i]);
	t = term_list(n, e, term_nil());
	free(e);
	return t;
}

term
term_string_cps(const uint32_t *c, size_t n)
{
	struct term_vec v = {NULL, 0, 0};
	size_t i;

	for (i = 0; i < n; i++)
		term_vec_push(&v, term_int(c[i]));
	return term_vec_list(&v, term_nil());
}

term
term_string(const char *s)
{
	return term_string_n(s, strlen(s));
}

/* Sorts (key, value, position) triples so the last repeated key wins. */
static int
pair_cmp(const void *a, const void *b)
{
	const term *x = a, *y = b;
	int c = key_cmp(x[0], y[0]);

	if (c != 0)
		return c;
	return x[2].u.i < y[2].u.i ? -1 : 1;
}

term
term_map(size_t n, term *keys, term *vals)
{
	struct term_box *b;
	term *tr;
	size_t i, m = 0;

	if (n > (SIZE_MAX - 64) / (3 * sizeof(term)))
		fatal("term too large");
	tr = xreallocarray(NULL, n ? 3 * n : 1, sizeof(term));
	for (i = 0; i < n; i++) {
		tr[3 * i] = keys[i];
		tr[3 * i + 1] = vals[i];
		tr[3 * i + 2] = term_int((int64_t)i);
	}
	qsort(tr, n, 3 * sizeof(term), pair_cmp);
	b = box_new(2 * n * sizeof(term));
	for (i = 0; i < n; i++) {
		if (i + 1 < n && term_equal(tr[3 * i], tr[3 * i + 3])) {
			term_free(tr[3 * i]);
			term_free(tr[3 * i + 1]);
			continue;
		}
		BOX_T(b)[2 * m] = tr[3 * i];
		BOX_T(b)[2 * m + 1] = tr[3 * i + 1];
		m++;
	}
	b->n = m;
	free(tr);
	return boxed(TERM_MAP, b);
}

static term
big_normal(int sign, const uint32_t *w, size_t n)
{
	struct term_box *b;
	uint64_t mag;

	while (n > 0 && w[n - 1] == 0)
		n--;
	if (n <= 2) {
		mag = n == 0 ? 0 : w[0];
		if (n == 2)
			mag |= (uint64_t)w[1] << 32;
		if (sign > 0 && mag <= INT64_MAX)
			return term_int((int64_t)mag);
		if (sign < 0 && mag <= (uint64_t)INT64_MAX + 1)
			return term_int(mag == (uint64_t)INT64_MAX + 1
			                    ? INT64_MIN
			                    : -(int64_t)mag);
	}
	b = box_new(n * sizeof(uint32_t));
	b->n = n;
	b->sign = sign < 0 ? -1 : 1;
	memcpy(BOX_W(b), w, n * sizeof(uint32_t));
	return boxed(TERM_BIG, b);
}

term
term_big(int sign, const uint32_t *w, size_t n)
{
	return big_normal(sign, w, n);
}

int
term_int_parse(const char *s, size_t n, int base, int neg, term *out)
{
	uint32_t *w;
	size_t nw = 0, i, k;
	int d;
	uint64_t carry;

	if (base < 2 || base > 36 || n == 0 || n > TERM_BIG_DIGITS)
		return -1;
	/* A digit of base 36 or less carries at most 6 bits. */
	w = xcalloc(n * 6 / 32 + 2, sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'Z')
			d = c - 'A' + 10;
		else
			d = 99;
		if (d >= base) {
			free(w);
			return -1;
		}
		carry = (uint64_t)d;
		for (k = 0; k < nw; k++) {
			carry += (uint64_t)w[k] * (uint64_t)base;
			w[k] = (uint32_t)carry;
			carry >>= 32;
		}
		if (carry != 0)
			w[nw++] = (uint32_t)carry;
	}
	*out = big_normal(neg ? -1 : 1, w, nw);
	free(w);
	return 0;
}

term
term_name_or_int(const struct term_name *tab, size_t n, int value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].value == value)
			return term_atom(tab[i].name);
	return term_int(value);
}

/*
 * term_name_find's answers by table and atom: the tables are constant
 * and the same few atoms (inet, stream, nowait ...) come on every call.
 */
#define NAME_CACHE 64
static struct {
	const struct term_name *tab;
	uint32_t atom;
	uint32_t i;
} name_cache[NAME_CACHE];

const struct term_name *
term_name_find(const struct term_name *tab, size_t n, term t)
{
	const struct term_name *e;
	size_t k;

	if (term_kind(t) != TERM_ATOM)
		return NULL;
	k = (t.n ^ (uint32_t)((uintptr_t)tab >> 4)) & (NAME_CACHE - 1);
	if (name_cache[k].tab == tab && name_cache[k].atom == t.n &&
	    name_cache[k].i < n)
		return &tab[name_cache[k].i];
	e = term_name_find_str(tab, n, term_atom_name(t));
	if (e != NULL) {
		name_cache[k].tab = tab;
		name_cache[k].atom = t.n;
		name_cache[k].i = (uint32_t)(e - tab);
	}
	return e;
}

const struct term_name *
term_name_find_str(const struct term_name *tab, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].name[0] == name[0] && strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

term
term_map_atoms(size_t n, const char *const *names, term *vals)
{
	term *keys = xreallocarray(NULL, n, sizeof *keys), t;
	size_t i;

	for (i = 0; i < n; i++)
		keys[i] = term_atom(names[i]);
	t = term_map(n, keys, vals);
	free(keys);
	return t;
}

void
term_vec_push(struct term_vec *v, term t)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
	}
	v->v[v->n++] = t;
}

term
term_vec_list(struct term_vec *v, term tail)
{
	term t = term_list(v->n, v->v, tail);

	free(v->v);
	memset(v, 0, sizeof *v);
	return t;
}

void
term_vec_free(struct term_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		term_free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof *v);
}

term
term_copy(term t)
{
	if (is_boxed(t))
		t.u.box->refs++;
	return t;
}

/* The last reference to a box went: its contents go too. */
static void
box_drop(enum term_kind kind, struct term_box *b)
{
	size_t i, n = 0;

	switch (kind) {
	case TERM_TUPLE:
	case TERM_LIST:
		n = b->n;
		term_free(b->tail);
		break;
	case TERM_MAP:
		n = 2 * b->n;
		break;
	case TERM_FUN:
		if (BOX_FUN(b)->release != NULL)
			BOX_FUN(b)->release(BOX_FUN(b)->impl);
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++) {
		term e = BOX_T(b)[i];

		if (is_boxed(e) && --e.u.box->refs == 0)
			box_drop(term_kind(e), e.u.box);
	}
	box_release(kind, b);
}

void
term_free(term t)
{
	if (is_boxed(t) && --t.u.box->refs == 0)
		box_drop(term_kind(t), t.u.box);
}

size_t
term_size(term t)
{
	switch (term_kind(t)) {
	case TERM_TUPLE:
	case TERM_LIST:
	case TERM_MAP:
	case TERM_BINARY:
		return t.u.box->n;
	default:
		return 0;
	}
}

term
term_tuple_get(term t, size_t i)
{
	return BOX_T(t.u.box)[i];
}

term
term_list_get(term t, size_t i)
{
	return BOX_T(t.u.box)[i];
}

term
term_list_tail(term t)
{
	return term_kind(t) == TERM_LIST ? t.u.box->tail : term_nil();
}

const term *
term_elems(term t)
{
	return BOX_T(t.u.box);
}

const unsigned char *
term_bin_data(term t)
{
	return BOX_B(t.u.box);
}

size_t
term_bin_size(term t)
{
	return t.u.box->n;
}

size_t
term_bin_bits(term t)
{
	return t.n == 0 ? 8 * t.u.box->n : 8 * (t.u.box->n - 1) + t.n;
}

int
term_is_binary(term t)
{
	return term_kind(t) == TERM_BINARY && t.n == 0;
}

term
term_map_key(term t, size_t i)
{
	return BOX_T(t.u.box)[2 * i];
}

term
term_map_value(term t, size_t i)
{
	return BOX_T(t.u.box)[2 * i + 1];
}

const term *
term_map_find(term t, term key)
{
	size_t lo = 0, hi, mid;
	int c;

	if (term_kind(t) != TERM_MAP)
		return NULL;
	hi = t.u.box->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = key_cmp(key, BOX_T(t.u.box)[2 * mid]);
		if (c == 0)
			return &BOX_T(t.u.box)[2 * mid + 1];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const term *
term_map_get(term t, const char *atom)
{
	return term_map_find(t, term_atom(atom));
}

const char *
term_atom_name(term t)
{
	return atoms[t.n].name;
}

size_t
term_atom_len(term t)
{
	return atoms[t.n].len;
}

int
term_atom_is(term t, const char *name)
{
	return term_kind(t) == TERM_ATOM && strcmp(atoms[t.n].name, name) == 0;
}

int
term_is_tagged(term t, const char *tag, size_t n)
{
	return term_kind(t) == TERM_TUPLE && t.u.box->n == n && n > 0 &&
	       term_atom_is(BOX_T(t.u.box)[0], tag);
}

int
term_is_record(term t, enum term_known_atom tag, size_t n)
{
	return term_kind(t) == TERM_TUPLE && t.u.box->n == n && n > 0 &&
	       term_is_atom(BOX_T(t.u.box)[0], tag);
}

void
term_ref_parts(term t, uint32_t p[4])
{
	memcpy(p, BOX_W(t.u.box), 4 * sizeof(uint32_t));
}

void
term_atom_set_tag(uint32_t id, unsigned char tag)
{
	if (id < natoms)
		atoms[id].tag = tag;
}

unsigned char
term_atom_tag(uint32_t id)
{
	return id < natoms ? atoms[id].tag : 0;
}

void
term_pid_parts(term t, uint32_t p[3])
{
	memcpy(p, BOX_W(t.u.box), 3 * sizeof(uint32_t));
}

uint32_t
term_fun_arity(term t)
{
	return BOX_FUN(t.u.box)->arity;
}

uint32_t
term_fun_index(term t)
{
	return BOX_FUN(t.u.box)->index;
}

void *
term_fun_impl(term t)
{
	return BOX_FUN(t.u.box)->impl;
}

term
term_fun_module(term t)
{
	return BOX_FUN(t.u.box)->module;
}

term
term_fun_name(term t)
{
	return BOX_FUN(t.u.box)->name;
}

int
term_big_sign(term t)
{
	return t.u.box->sign;
}

const uint32_t *
term_big_limbs(term t, size_t *n)
{
	*n = t.u.box->n;
	return BOX_W(t.u.box);
}

int
term_is_integer(term t)
{
	return term_kind(t) == TERM_INT || term_kind(t) == TERM_BIG;
}

int
term_to_int64(term t, int64_t *out)
{
	if (term_kind(t) != TERM_INT)
		return -1;
	*out = t.u.i;
	return 0;
}

void
term_int_text(struct buf *out, term t)
{
	uint32_t *w;
	size_t n, i, start;
	uint64_t rem;
	char *digits;
	size_t nd = 0;

	if (term_kind(t) == TERM_INT) {
		buf_addf(out, "%lld", (long long)t.u.i);
		return;
	}
	n = t.u.box->n;
	w = xreallocarray(NULL, n, sizeof(uint32_t));
	memcpy(w, BOX_W(t.u.box), n * sizeof(uint32_t));
	digits = xmalloc(n * 10 + 1);
	/* Repeated division by 10^9 gives nine digits at a time. */
	while (n > 0) {
		rem = 0;
		for (i = n; i-- > 0;) {
			uint64_t cur = (rem << 32) | w[i];

			w[i] = (uint32_t)(cur / 1000000000u);
			rem = cur % 1000000000u;
		}
		while (n > 0 && w[n - 1] == 0)
			n--;
		for (i = 0; i < 9; i++) {
			digits[nd++] = (char)('0' + rem % 10);
			rem /= 10;
			if (n == 0 && rem == 0)
				break;
		}
	}
	if (t.u.box->sign < 0)
		buf_addc(out, '-');
	for (start = nd; start-- > 0;)
		buf_addc(out, digits[start]);
	free(digits);
	free(w);
}

static int
iodata(term t, struct buf *b, int depth)
{
	size_t i, n;
	term e;

	if (depth > TERM_IODATA_DEPTH)
		return -1;
	switch (term_kind(t)) {
	case TERM_BINARY:
		/* OTP: iolist_to_binary([<<1:3>>]) raises badarg. */
		if (!term_is_binary(t))
			return -1;
		buf_add(b, term_bin_data(t), term_bin_size(t));
		return 0;
	case TERM_NIL:
		return 0;
	case TERM_LIST:
		n = term_size(t);
		for (i = 0; i < n; i++) {
			e = term_list_get(t, i);
			if (term_kind(e) == TERM_INT && e.u.i >= 0 &&
			    e.u.i <= 255)
				buf_addc(b, (int)e.u.i);
			else if (iodata(e, b, depth + 1) < 0)
				return -1;
		}
		e = term_list_tail(t);
		if (term_kind(e) != TERM_NIL && term_kind(e) != TERM_BINARY)
			return -1;
		return iodata(e, b, depth + 1);
	default:
		return -1;
	}
}

int
term_iodata(term t, struct buf *b)
{
	return iodata(t, b, 0);
}

int
term_is_charlist(term t)
{
	size_t i;

	if (term_kind(t) != TERM_LIST || term_kind(t.u.box->tail) != TERM_NIL)
		return 0;
	for (i = 0; i < t.u.box->n; i++) {
		term e = BOX_T(t.u.box)[i];

		if (term_kind(e) != TERM_INT || e.u.i < 0 || e.u.i > 255)
			return 0;
	}
	return 1;
}

int
term_text(term t, struct buf *out)
{
	size_t i;

	switch (term_kind(t)) {
	case TERM_NIL:
		return 0;
	case TERM_ATOM:
		buf_add(out, atoms[t.n].name, atoms[t.n].len);
		return 0;
	case TERM_BINARY:
		if (!term_is_binary(t))
			return -1;
		buf_add(out, BOX_B(t.u.box), t.u.box->n);
		return 0;
	case TERM_LIST:
		if (!term_is_charlist(t))
			return -1;
		for (i = 0; i < t.u.box->n; i++)
			buf_addc(out, (int)BOX_T(t.u.box)[i].u.i);
		return 0;
	default:
		return -1;
	}
}

/* Rank of a kind in Erlang term order; numbers share one rank. */
#define RANK_LIST 8
static int
rank(term t)
{
	switch (term_kind(t)) {
	case TERM_INT:
	case TERM_BIG:
	case TERM_FLOAT:
		return 0;
	case TERM_ATOM:
		return 1;
	case TERM_REF:
		return 2;
	case TERM_FUN:
		return 3;
	case TERM_PID:
		return 4;
	case TERM_TUPLE:
		return 5;
	case TERM_MAP:
		return 6;
	case TERM_NIL:
		return 7;
	case TERM_LIST:
		return 8;
	case TERM_BINARY:
		return 9;
	case TERM_VAR:
		return 10;
	case TERM_ADDR:
		return 11;
	}
	return 12;
}

static int
cmp_mag(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return na < nb ? -1 : 1;
	for (i = na; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Integers of either kind; a TERM_INT is always smaller in magnitude. */
static int
cmp_int(term a, term b)
{
	int sa, sb, c;

	if (term_kind(a) == TERM_INT && term_kind(b) == TERM_INT)
		return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
	sa = term_kind(a) == TERM_INT ? (a.u.i < 0 ? -1 : 1) : a.u.box->sign;
	sb = term_kind(b) == TERM_INT ? (b.u.i < 0 ? -1 : 1) : b.u.box->sign;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (term_kind(a) == TERM_INT)
		return -sb;
	if (term_kind(b) == TERM_INT)
		return sa;
	c = cmp_mag(BOX_W(a.u.box), a.u.box->n, BOX_W(b.u.box), b.u.box->n);
	return sa < 0 ? -c : c;
}

term
term_int_of_double(double f)
{
	uint32_t w[34] = {0};
	uint64_t bits, m, lo;
	int e, q, r;

	if (f > -0x1p63 && f < 0x1p63)
		return term_int((int64_t)f);
	/* |f| = m * 2^e with a 53-bit m and e >= 11, at most 2^1024. */
	memcpy(&bits, &f, sizeof bits);
	e = (int)((bits >> 52) & 0x7ff) - 1075;
	m = (bits & 0xfffffffffffffULL) | 1ULL << 52;
	q = e / 32;
	r = e % 32;
	lo = m << r;
	w[q] = (uint32_t)lo;
	w[q + 1] = (uint32_t)(lo >> 32);
	w[q + 2] = r == 0 ? 0 : (uint32_t)(m >> (64 - r));
	return big_normal(f < 0 ? -1 : 1, w, (size_t)q + 3);
}

/*
 * An integer against a float, exactly as erts compares them: 2^53 + 1 is
 * more than 2^53 as a float, though it converts to that very double.
 */
static int
cmp_int_float(term a, double f)
{
	term b;
	int64_t i;
	int c;

	if (!(f > -0x1p63 && f < 0x1p63)) {
		/* Here f is an integer, and may be compared as one. */
		b = term_int_of_double(f);
		c = cmp_int(a, b);
		term_free(b);
		return c;
	}
	if (term_kind(a) == TERM_BIG)
		return a.u.box->sign;
	/* i and f differ by f's fraction, so a == i decides on it alone. */
	i = (int64_t)f;
	if (a.u.i != i)
		return a.u.i < i ? -1 : 1;
	return (double)i < f ? -1 : (double)i > f;
}

/*
 * Numbers by value; with exact (map key order, erts's CMP_TERM) every
 * integer sorts before every float, so #{2 => x, 0.5 => y} keeps 2 first.
 */
static int
cmp_num(term a, term b, int exact)
{
	double x, y;
	int fa = term_kind(a) == TERM_FLOAT, fb = term_kind(b) == TERM_FLOAT;

	if (exact && fa != fb)
		return fa ? 1 : -1;
	if (term_kind(a) != TERM_FLOAT && term_kind(b) != TERM_FLOAT)
		return cmp_int(a, b);
	if (!fa)
		return cmp_int_float(a, b.u.f);
	if (!fb)
		return -cmp_int_float(b, a.u.f);
	x = a.u.f;
	y = b.u.f;
	if (x != y)
		return x < y ? -1 : 1;
	/* Equal values are equal for == (1 == 1.0); =:= was told above. */
	return 0;
}

/*
 * erts compares bitstrings bit by bit over the shorter length, then by
 * length: <<1:1>> > <<1>> since its first bit is 1. The partial last
 * byte is left-aligned, so whole bytes compare with memcmp and the rest
 * under a mask.
 */
static int
cmp_bits(term a, term b)
{
	size_t na = term_bin_bits(a), nb = term_bin_bits(b);
	size_t m = na < nb ? na : nb;
	const unsigned char *x = BOX_B(a.u.box), *y = BOX_B(b.u.box);
	unsigned int mask;
	int c;

	if (m >= 8 && (c = memcmp(x, y, m / 8)) != 0)
		return c < 0 ? -1 : 1;
	if (m % 8 != 0) {
		mask = 0xff00u >> (m % 8) & 0xff;
		if ((x[m / 8] & mask) != (y[m / 8] & mask))
			return (x[m / 8] & mask) < (y[m / 8] & mask) ? -1 : 1;
	}
	return na < nb ? -1 : na > nb;
}

static int cmp(term, term, int);

static int
cmp_seq(const term *a, size_t na, const term *b, size_t nb, int exact)
{
	size_t i;
	int c;

	for (i = 0; i < na && i < nb; i++)
		if ((c = cmp(a[i], b[i], exact)) != 0)
			return c;
	return na < nb ? -1 : na > nb;
}

static int
cmp(term a, term b, int exact)
{
	int ra = rank(a), rb = rank(b), c;
	struct term_box *x, *y;
	size_t n;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (term_kind(a)) {
	case TERM_INT:
	case TERM_BIG:
	case TERM_FLOAT:
		return cmp_num(a, b, exact);
	case TERM_ATOM:
	case TERM_VAR:
	case TERM_ADDR:
		if (a.n == b.n)
			return 0;
		n = atoms[a.n].len < atoms[b.n].len ? atoms[a.n].len
		                                    : atoms[b.n].len;
		c = memcmp(atoms[a.n].name, atoms[b.n].name, n);
		if (c != 0)
			return c < 0 ? -1 : 1;
		return atoms[a.n].len < atoms[b.n].len ? -1 : 1;
	case TERM_NIL:
		return 0;
	default:
		break;
	}
	x = a.u.box;
	y = b.u.box;
	switch (term_kind(a)) {
	case TERM_REF:
	case TERM_PID:
		for (n = x->n; n-- > 0;)
			if (BOX_W(x)[n] != BOX_W(y)[n])
				return BOX_W(x)[n] < BOX_W(y)[n] ? -1 : 1;
		return 0;
	case TERM_FUN:
		/* fun M:F/A by name and arity, closures by identity. */
		if ((c = cmp(BOX_FUN(x)->module, BOX_FUN(y)->module, 1)) ||
		    (c = cmp(BOX_FUN(x)->name, BOX_FUN(y)->name, 1)))
			return c;
		if (BOX_FUN(x)->arity != BOX_FUN(y)->arity)
			return BOX_FUN(x)->arity < BOX_FUN(y)->arity ? -1 : 1;
		return x == y ? 0 : x < y ? -1 : 1;
	case TERM_TUPLE:
		if (x->n != y->n)
			return x->n < y->n ? -1 : 1;
		return cmp_seq(BOX_T(x), x->n, BOX_T(y), y->n, exact);
	case TERM_MAP:
		/* Size first, then keys in order, then values. */
		if (x->n != y->n)
			return x->n < y->n ? -1 : 1;
		for (n = 0; n < x->n; n++)
			if ((c = cmp(BOX_T(x)[2 * n], BOX_T(y)[2 * n], 1)))
				return c;
		for (n = 0; n < x->n; n++)
			if ((c = cmp(BOX_T(x)[2 * n + 1], BOX_T(y)[2 * n + 1],
			         exact)))
				return c;
		return 0;
	case TERM_LIST:
		n = x->n < y->n ? x->n : y->n;
		if ((c = cmp_seq(BOX_T(x), n, BOX_T(y), n, exact)) != 0)
			return c;
		if (x->n == y->n)
			return cmp(x->tail, y->tail, exact);
		/* The shorter list's tail meets the rest of the longer list. */
		if (x->n < y->n)
			return rank(x->tail) < RANK_LIST ? -1 : 1;
		return rank(y->tail) < RANK_LIST ? 1 : -1;
	case TERM_BINARY:
		return cmp_bits(a, b);
	default:
		return 0;
	}
}

int
term_compare(term a, term b)
{
	return cmp(a, b, 0);
}

/* Map key order: term order with integers before floats. */
static int
key_cmp(term a, term b)
{
	return cmp(a, b, 1);
}

int
term_equal(term a, term b)
{
	/* The common cases first: the same atom, integer or box. */
	if (a.kind == b.kind && a.n == b.n) {
		if (a.kind == TERM_ATOM || a.kind == TERM_NIL)
			return 1;
		if (a.kind == TERM_INT)
			return a.u.i == b.u.i;
		if (is_boxed(a) && a.u.box == b.u.box)
			return 1;
	}
	return cmp(a, b, 1) == 0;
}

int
term_holds(term t, enum term_kind kind)
{
	size_t i, n;

	if (term_kind(t) == kind)
		return 1;
	switch (term_kind(t)) {
	case TERM_TUPLE:
	case TERM_LIST:
		for (i = 0; i < t.u.box->n; i++)
			if (term_holds(BOX_T(t.u.box)[i], kind))
				return 1;
		return term_kind(t) == TERM_LIST &&
		       term_holds(t.u.box->tail, kind);
	case TERM_MAP:
		n = 2 * t.u.box->n;
		for (i = 0; i < n; i++)
			if (term_holds(BOX_T(t.u.box)[i], kind))
				return 1;
		return 0;
	default:
		return 0;
	}
}

int
term_has_var(term t)
{
	return term_holds(t, TERM_VAR) || term_holds(t, TERM_ADDR);
}
