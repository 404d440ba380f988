/*
 * The Erlang term model: kinds, constructors, accessors, Erlang term
 * order and interned atoms. It knows nothing of sockets; printing lives
 * in term_print.c, scanning in term_scan.c and parsing in term_parse.c.
 *
 * A term is a small value passed by value. Atomic kinds (integers that fit
 * in 64 bits, floats, atoms, [] and variables) live inside it; the others
 * point to immutable reference-counted storage.
 *
 * Ownership, stated once for every function in term*.c:
 *   - a constructor consumes the terms given to it (term_tuple, term_list,
 *     term_map, term_cons...); the caller must not free them afterwards;
 *   - an accessor (term_tuple_get, term_map_find, ...) returns a borrowed
 *     term, valid while its container is; term_copy() makes it owned;
 *   - every other function borrows its term arguments and returns an owned
 *     result;
 *   - term_free() drops one reference; freeing an atomic term is a no-op.
 */
#ifndef ESOCK_TERM_H
#define ESOCK_TERM_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

/* Listed in Erlang term order where the kinds are ordered at all. */
enum term_kind {
	TERM_INT,    /* integer that fits in int64_t */
	TERM_BIG,    /* integer that does not: sign and magnitude */
	TERM_FLOAT,  /* double */
	TERM_ATOM,   /* interned: compare with term_atom_is() or ids */
	TERM_REF,    /* #Ref<A.B.C.D> */
	TERM_FUN,    /* a fun: an opaque closure or fun M:F/A */
	TERM_PID,    /* <A.B.C> */
	TERM_TUPLE,  /* {...} */
	TERM_MAP,    /* #{...}, keys kept sorted in term order, unique */
	TERM_NIL,    /* [] */
	TERM_LIST,   /* non-empty list: elements and a tail ([] if proper) */
	TERM_BINARY, /* <<...>>: bytes, or a bitstring (see term_bitstring) */
	TERM_VAR,    /* a variable in a pattern or expression; never a value */
	TERM_ADDR    /* an address literal (its text, as n): never a value */
};

typedef struct term {
	unsigned char kind; /* enum term_kind */
	/* Atom or variable id; a bitstring's bits in its last byte. */
	uint32_t n;
	union {
		int64_t i;
		double f;
		struct term_box *box;
	} u;
} term;

/* Limits on anything input can grow (checked by the parser). */
#define TERM_ATOM_MAX 255     /* characters in an atom, as in Erlang */
#define TERM_BIG_DIGITS 20000 /* decimal digits of an integer literal */

/*
 * Atoms named on hot paths, interned first and in this order so that
 * their ids are constants: term_atom_of(A_OK) makes one without a
 * lookup, and term_is_atom(t, A_OK) tests one with a compare.
 */
#define TERM_KNOWN_ATOMS(X)                                                    \
	X(A_OK, "ok")                                                          \
	X(A_ERROR, "error")                                                    \
	X(A_TRUE, "true")                                                      \
	X(A_FALSE, "false")                                                    \
	X(A_UNDEFINED, "undefined")                                            \
	X(A_SOCKET, "$socket")                                                 \
	X(A_SELECT, "select")                                                  \
	X(A_SELECT_INFO, "select_info")                                        \
	X(A_ABORT, "abort")                                                    \
	X(A_CLOSED, "closed")                                                  \
	X(A_TIMEOUT, "timeout")                                                \
	X(A_INVALID, "invalid")                                                \
	X(A_INFINITY, "infinity")                                              \
	X(A_NOWAIT, "nowait")                                                  \
	X(A_MSG_FLAG, "msg_flag")                                              \
	X(A_ACCEPT, "accept")                                                  \
	X(A_CONNECT, "connect")                                                \
	X(A_UNDERSCORE, "_")

enum term_known_atom {
#define TERM_KNOWN_ENUM(id, name) id,
	TERM_KNOWN_ATOMS(TERM_KNOWN_ENUM)
#undef TERM_KNOWN_ENUM
	    A_NKNOWN
};

static inline term
term_atom_of(enum term_known_atom id)
{
	term t;

	t.kind = TERM_ATOM;
	t.n = (uint32_t)id;
	t.u.i = 0;
	return t;
}

static inline int
term_is_atom(term t, enum term_known_atom id)
{
	return t.kind == TERM_ATOM && t.n == (uint32_t)id;
}

/* Constructors. */
term term_int(int64_t);
term term_float(double);
term term_atom(const char *);
term term_atom_n(const char *, size_t);
term term_nil(void);
term term_var(const char *);          /* "_" is the anonymous variable */
term term_addr(const char *, size_t); /* 127.0.0.1:80 as typed */
term term_ref(uint32_t, uint32_t, uint32_t, uint32_t);
term term_new_ref(void);      /* #Ref<0.0.0.N> with the next N */
uint32_t term_ref_next(void); /* takes the next N, making no term */
term term_pid(uint32_t, uint32_t, uint32_t);
/*
 * A closure of the language: impl is opaque here and owned by the term
 * (release is called on it when the last reference goes). index is the
 * number erl_eval's fun prints with: #Fun<erl_eval.INDEX.3316493>.
 */
term term_fun(
    uint32_t arity, uint32_t index, void *impl, void (*release)(void *));
/* fun Module:Name/Arity. */
term term_fun_ext(term module, term name, uint32_t arity);
term term_tuple(size_t, term *);      /* consumes the n elements */
term term_tuple2(term, term);         /* consumes both */
term term_tuple3(term, term, term);   /* consumes all three */
term term_list(size_t, term *, term); /* elements and tail; consumed */
term term_binary(const void *, size_t);
/*
 * A bitstring of nbits bits, numbered from the most significant bit of
 * the first byte as Erlang stores them: a trailing partial byte is
 * left-aligned and its unused low bits are cleared here. With nbits a
 * multiple of 8 it is term_binary(). Kept in the term's n (bits used in
 * the last byte, 0 when it is whole) so binaries pay nothing.
 */
term term_bitstring(const void *, size_t);
term term_string(const char *); /* latin1 bytes as a char list */
term term_string_n(const char *, size_t);
term term_string_cps(const uint32_t *, size_t); /* code points as a list */
/* A map from n keys and values, consumed; a repeated key keeps the last. */
term term_map(size_t, term *, term *);
/*
 * Integer from digits (no sign) in base 2..36; canonical: TERM_INT when it
 * fits. Returns -1 on a bad digit or a number over TERM_BIG_DIGITS.
 */
int term_int_parse(const char *, size_t, int, int, term *);
/* Big integer from a sign and magnitude in 32-bit limbs, least first. */
term term_big(int, const uint32_t *, size_t);
/* trunc/1 of a finite double, exact at any magnitude. */
term term_int_of_double(double);

term term_copy(term);
void term_free(term);

/* Accessors (borrowed results). */
static inline enum term_kind
term_kind(term t)
{
	return (enum term_kind)t.kind;
}
/* A list: [] or a cons (proper or not). */
static inline int
term_is_list(term t)
{
	return t.kind == TERM_NIL || t.kind == TERM_LIST;
}
size_t term_size(term);            /* tuple arity, list length, map size */
term term_tuple_get(term, size_t); /* element i, 0-based */
term term_list_get(term, size_t);
term term_list_tail(term);    /* [] for a proper list */
const term *term_elems(term); /* tuple or list elements, contiguous */
const unsigned char *term_bin_data(term);
/*
 * Bytes holding the bits (a bitstring's partial last byte counts, as
 * byte_size/1 counts it); term_size() of a binary says the same. Where
 * whole bytes are required, check term_is_binary() first.
 */
size_t term_bin_size(term);
size_t term_bin_bits(term); /* bit_size/1 */
/* is_binary/1: a TERM_BINARY of whole bytes, not a bitstring. */
int term_is_binary(term);
term term_map_key(term, size_t);
term term_map_value(term, size_t);
const term *term_map_find(term, term);        /* NULL when absent */
const term *term_map_get(term, const char *); /* key given as atom name */
const char *term_atom_name(term);             /* atoms, variables, addresses */
size_t term_atom_len(term);
uint32_t term_atom_id(const char *); /* the id term_atom() would use */
/*
 * A small number a client keeps with an atom (the scanner marks its
 * keywords), 0 until set: a lookup that costs no search.
 */
void term_atom_set_tag(uint32_t, unsigned char);
unsigned char term_atom_tag(uint32_t);
int term_atom_is(term, const char *);
int term_is_tagged(term, const char *, size_t); /* {tag, ...} of arity n */
int term_is_record(term, enum term_known_atom, size_t); /* the same, faster */
void term_ref_parts(term, uint32_t[4]);
void term_pid_parts(term, uint32_t[3]);
uint32_t term_fun_arity(term);
uint32_t term_fun_index(term);
void *term_fun_impl(term);  /* NULL for fun M:F/A */
term term_fun_module(term); /* atoms of fun M:F/A; [] for a closure */
term term_fun_name(term);
int term_big_sign(term); /* -1 or 1 */
const uint32_t *term_big_limbs(term, size_t *);

/* A C constant and the atom OTP names it with, for small tables. */
struct term_name {
	int value;
	const char *name;
};
/* The atom for value in the table, or the integer when it has none. */
term term_name_or_int(const struct term_name *, size_t, int);
/*
 * The one lookup by name of every such table: the row whose name is the
 * atom t (or, with term_name_find_str, the C string), or NULL when t is
 * no atom of the table.
 */
const struct term_name *term_name_find(const struct term_name *, size_t, term);
const struct term_name *term_name_find_str(
    const struct term_name *, size_t, const char *);
/* A map with atom keys given by name; consumes the n values. */
term term_map_atoms(size_t, const char *const *, term *);

/*
 * A list under construction: push terms (consumed), then take the list,
 * built from the array in one go however long it grows.
 */
struct term_vec {
	term *v;
	size_t n;
	size_t cap;
};

void term_vec_push(struct term_vec *, term);
/* The list of the terms pushed, then tail (consumed); the vector empties. */
term term_vec_list(struct term_vec *, term);
/* Frees the terms pushed and the array. */
void term_vec_free(struct term_vec *);

/* Integer helpers: 0 on success, -1 when not an integer or out of range. */
int term_to_int64(term, int64_t *);
int term_is_integer(term);
/* Appends the decimal form of an integer term (TERM_INT or TERM_BIG). */
struct buf;
void term_int_text(struct buf *, term);

/* Latin1 text of a string, binary or atom term; -1 if not one. */
int term_text(term, struct buf *);
/*
 * erlang:iolist_to_binary/1: appends the bytes of iodata (bytes,
 * binaries, nested lists, a binary tail). Returns 0, or -1 when t is not
 * iodata (a bitstring is not) or nests deeper than TERM_IODATA_DEPTH.
 */
#define TERM_IODATA_DEPTH 100
int term_iodata(term, struct buf *);
/* Nonzero when t is a proper list of integers 0..255. */
int term_is_charlist(term);

/* Erlang term order (<0, 0, >0) and exact equality (=:=). */
int term_compare(term, term);
int term_equal(term, term);

/*
 * Nonzero when the term holds a variable or an address literal anywhere:
 * it must be evaluated before it is a value.
 */
int term_has_var(term);
/* Nonzero when the term is or holds a term of that kind. */
int term_holds(term, enum term_kind);

#endif
