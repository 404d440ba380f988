/*
 * What the BIF bodies share: the one list of every BIF (BIF_LIST, whose
 * rows give both bif_table[] in bif.c and the prototypes of the bodies in
 * bif_*.c), list readers, character data, calling funs, a stable sort,
 * and the exceptions erl raises. Private to the bif*.c files.
 */
#ifndef ESOCK_BIF_LIB_H
#define ESOCK_BIF_LIB_H

#include <stddef.h>
#include <stdint.h>

#include "bif.h"
#include "term.h"

/*
 * X(module, name, arity, flags) for a BIF named by a C identifier, whose
 * body is bif_module_name_arity; OP(module, "name", arity, flags, body)
 * for an operator. Rows are sorted by module, then name (strcmp order),
 * then arity: bif_find() searches them by bisection.
 */
#define BIF_LIST(X, OP)                                                        \
	X(binary, at, 2, 0)                                                    \
	X(binary, bin_to_list, 1, 0)                                           \
	X(binary, bin_to_list, 2, 0)                                           \
	X(binary, bin_to_list, 3, 0)                                           \
	X(binary, copy, 1, 0)                                                  \
	X(binary, copy, 2, 0)                                                  \
	X(binary, decode_unsigned, 1, 0)                                       \
	X(binary, decode_unsigned, 2, 0)                                       \
	X(binary, encode_unsigned, 1, 0)                                       \
	X(binary, encode_unsigned, 2, 0)                                       \
	X(binary, first, 1, 0)                                                 \
	X(binary, last, 1, 0)                                                  \
	X(binary, list_to_bin, 1, 0)                                           \
	X(binary, longest_common_prefix, 1, 0)                                 \
	X(binary, longest_common_suffix, 1, 0)                                 \
	X(binary, match, 2, 0)                                                 \
	X(binary, match, 3, 0)                                                 \
	X(binary, matches, 2, 0)                                               \
	X(binary, matches, 3, 0)                                               \
	X(binary, part, 2, 0)                                                  \
	X(binary, part, 3, 0)                                                  \
	X(binary, replace, 3, 0)                                               \
	X(binary, replace, 4, 0)                                               \
	X(binary, split, 2, 0)                                                 \
	X(binary, split, 3, 0)                                                 \
	OP(erlang, "++", 2, 0, erlang_append_2)                                \
	OP(erlang, "--", 2, 0, erlang_subtract_2)                              \
	X(erlang, abs, 1, BIF_GUARD)                                           \
	X(erlang, append_element, 2, BIF_NOAUTO)                               \
	X(erlang, apply, 2, 0)                                                 \
	X(erlang, apply, 3, 0)                                                 \
	X(erlang, atom_to_binary, 1, 0)                                        \
	X(erlang, atom_to_binary, 2, 0)                                        \
	X(erlang, atom_to_list, 1, 0)                                          \
	X(erlang, binary_part, 2, BIF_GUARD)                                   \
	X(erlang, binary_part, 3, BIF_GUARD)                                   \
	X(erlang, binary_to_atom, 1, 0)                                        \
	X(erlang, binary_to_atom, 2, 0)                                        \
	X(erlang, binary_to_float, 1, 0)                                       \
	X(erlang, binary_to_integer, 1, 0)                                     \
	X(erlang, binary_to_integer, 2, 0)                                     \
	X(erlang, binary_to_list, 1, 0)                                        \
	X(erlang, binary_to_list, 3, 0)                                        \
	X(erlang, bit_size, 1, BIF_GUARD)                                      \
	X(erlang, bitstring_to_list, 1, 0)                                     \
	X(erlang, byte_size, 1, BIF_GUARD)                                     \
	X(erlang, ceil, 1, BIF_GUARD)                                          \
	X(erlang, date, 0, 0)                                                  \
	X(erlang, delete_element, 2, BIF_NOAUTO)                               \
	X(erlang, element, 2, BIF_GUARD)                                       \
	X(erlang, error, 1, 0)                                                 \
	X(erlang, error, 2, 0)                                                 \
	X(erlang, exit, 1, 0)                                                  \
	X(erlang, float, 1, BIF_GUARD)                                         \
	X(erlang, float_to_list, 1, 0)                                         \
	X(erlang, floor, 1, BIF_GUARD)                                         \
	X(erlang, hd, 1, BIF_GUARD)                                            \
	X(erlang, insert_element, 3, BIF_NOAUTO)                               \
	X(erlang, integer_to_binary, 1, 0)                                     \
	X(erlang, integer_to_binary, 2, 0)                                     \
	X(erlang, integer_to_list, 1, 0)                                       \
	X(erlang, integer_to_list, 2, 0)                                       \
	X(erlang, iolist_size, 1, 0)                                           \
	X(erlang, iolist_to_binary, 1, 0)                                      \
	X(erlang, is_alive, 0, 0)                                              \
	X(erlang, is_atom, 1, BIF_GUARD)                                       \
	X(erlang, is_binary, 1, BIF_GUARD)                                     \
	X(erlang, is_bitstring, 1, BIF_GUARD)                                  \
	X(erlang, is_boolean, 1, BIF_GUARD)                                    \
	X(erlang, is_float, 1, BIF_GUARD)                                      \
	X(erlang, is_function, 1, BIF_GUARD)                                   \
	X(erlang, is_function, 2, BIF_GUARD)                                   \
	X(erlang, is_integer, 1, BIF_GUARD)                                    \
	X(erlang, is_list, 1, BIF_GUARD)                                       \
	X(erlang, is_map, 1, BIF_GUARD)                                        \
	X(erlang, is_map_key, 2, BIF_GUARD)                                    \
	X(erlang, is_number, 1, BIF_GUARD)                                     \
	X(erlang, is_pid, 1, BIF_GUARD)                                        \
	X(erlang, is_reference, 1, BIF_GUARD)                                  \
	X(erlang, is_tuple, 1, BIF_GUARD)                                      \
	X(erlang, length, 1, BIF_GUARD)                                        \
	X(erlang, list_to_atom, 1, 0)                                          \
	X(erlang, list_to_binary, 1, 0)                                        \
	X(erlang, list_to_bitstring, 1, 0)                                     \
	X(erlang, list_to_float, 1, 0)                                         \
	X(erlang, list_to_integer, 1, 0)                                       \
	X(erlang, list_to_integer, 2, 0)                                       \
	X(erlang, list_to_pid, 1, 0)                                           \
	X(erlang, list_to_tuple, 1, 0)                                         \
	X(erlang, localtime, 0, BIF_NOAUTO)                                    \
	X(erlang, make_ref, 0, 0)                                              \
	X(erlang, make_tuple, 2, BIF_NOAUTO)                                   \
	X(erlang, map_get, 2, BIF_GUARD)                                       \
	X(erlang, map_size, 1, BIF_GUARD)                                      \
	X(erlang, max, 2, 0)                                                   \
	X(erlang, min, 2, 0)                                                   \
	X(erlang, monotonic_time, 0, BIF_NOAUTO)                               \
	X(erlang, monotonic_time, 1, BIF_NOAUTO)                               \
	X(erlang, node, 0, BIF_GUARD)                                          \
	X(erlang, node, 1, BIF_GUARD)                                          \
	X(erlang, nodes, 0, 0)                                                 \
	X(erlang, pid_to_list, 1, 0)                                           \
	X(erlang, raise, 3, BIF_NOAUTO)                                        \
	X(erlang, round, 1, BIF_GUARD)                                         \
	X(erlang, self, 0, BIF_GUARD)                                          \
	X(erlang, setelement, 3, 0)                                            \
	X(erlang, size, 1, BIF_GUARD)                                          \
	X(erlang, split_binary, 2, 0)                                          \
	X(erlang, system_time, 0, BIF_NOAUTO)                                  \
	X(erlang, system_time, 1, BIF_NOAUTO)                                  \
	X(erlang, throw, 1, 0)                                                 \
	X(erlang, time, 0, 0)                                                  \
	X(erlang, tl, 1, BIF_GUARD)                                            \
	X(erlang, trunc, 1, BIF_GUARD)                                         \
	X(erlang, tuple_size, 1, BIF_GUARD)                                    \
	X(erlang, tuple_to_list, 1, 0)                                         \
	X(erlang, unique_integer, 0, BIF_NOAUTO)                               \
	X(erlang, unique_integer, 1, BIF_NOAUTO)                               \
	X(erlang, universaltime, 0, BIF_NOAUTO)                                \
	X(io, format, 1, 0)                                                    \
	X(io, format, 2, 0)                                                    \
	X(io, fwrite, 1, 0)                                                    \
	X(io, fwrite, 2, 0)                                                    \
	X(io, nl, 0, 0)                                                        \
	X(io, put_chars, 1, 0)                                                 \
	X(io_lib, format, 2, 0)                                                \
	X(io_lib, fwrite, 2, 0)                                                \
	X(lists, all, 2, 0)                                                    \
	X(lists, any, 2, 0)                                                    \
	X(lists, append, 1, 0)                                                 \
	X(lists, append, 2, 0)                                                 \
	X(lists, concat, 1, 0)                                                 \
	X(lists, delete, 2, 0)                                                 \
	X(lists, droplast, 1, 0)                                               \
	X(lists, dropwhile, 2, 0)                                              \
	X(lists, duplicate, 2, 0)                                              \
	X(lists, enumerate, 1, 0)                                              \
	X(lists, enumerate, 2, 0)                                              \
	X(lists, filter, 2, 0)                                                 \
	X(lists, filtermap, 2, 0)                                              \
	X(lists, flatlength, 1, 0)                                             \
	X(lists, flatmap, 2, 0)                                                \
	X(lists, flatten, 1, 0)                                                \
	X(lists, flatten, 2, 0)                                                \
	X(lists, foldl, 3, 0)                                                  \
	X(lists, foldr, 3, 0)                                                  \
	X(lists, foreach, 2, 0)                                                \
	X(lists, join, 2, 0)                                                   \
	X(lists, keydelete, 3, 0)                                              \
	X(lists, keyfind, 3, 0)                                                \
	X(lists, keymap, 3, 0)                                                 \
	X(lists, keymember, 3, 0)                                              \
	X(lists, keyreplace, 4, 0)                                             \
	X(lists, keysort, 2, 0)                                                \
	X(lists, keystore, 4, 0)                                               \
	X(lists, keytake, 3, 0)                                                \
	X(lists, last, 1, 0)                                                   \
	X(lists, map, 2, 0)                                                    \
	X(lists, mapfoldl, 3, 0)                                               \
	X(lists, mapfoldr, 3, 0)                                               \
	X(lists, max, 1, 0)                                                    \
	X(lists, member, 2, 0)                                                 \
	X(lists, merge, 1, 0)                                                  \
	X(lists, merge, 2, 0)                                                  \
	X(lists, merge3, 3, 0)                                                 \
	X(lists, min, 1, 0)                                                    \
	X(lists, nth, 2, 0)                                                    \
	X(lists, nthtail, 2, 0)                                                \
	X(lists, partition, 2, 0)                                              \
	X(lists, prefix, 2, 0)                                                 \
	X(lists, reverse, 1, 0)                                                \
	X(lists, reverse, 2, 0)                                                \
	X(lists, search, 2, 0)                                                 \
	X(lists, seq, 2, 0)                                                    \
	X(lists, seq, 3, 0)                                                    \
	X(lists, sort, 1, 0)                                                   \
	X(lists, sort, 2, 0)                                                   \
	X(lists, split, 2, 0)                                                  \
	X(lists, splitwith, 2, 0)                                              \
	X(lists, sublist, 2, 0)                                                \
	X(lists, sublist, 3, 0)                                                \
	X(lists, subtract, 2, 0)                                               \
	X(lists, suffix, 2, 0)                                                 \
	X(lists, sum, 1, 0)                                                    \
	X(lists, takewhile, 2, 0)                                              \
	X(lists, ukeysort, 2, 0)                                               \
	X(lists, umerge, 1, 0)                                                 \
	X(lists, umerge, 2, 0)                                                 \
	X(lists, umerge3, 3, 0)                                                \
	X(lists, uniq, 1, 0)                                                   \
	X(lists, uniq, 2, 0)                                                   \
	X(lists, unzip, 1, 0)                                                  \
	X(lists, unzip3, 1, 0)                                                 \
	X(lists, usort, 1, 0)                                                  \
	X(lists, usort, 2, 0)                                                  \
	X(lists, zip, 2, 0)                                                    \
	X(lists, zip3, 3, 0)                                                   \
	X(lists, zipwith, 3, 0)                                                \
	X(lists, zipwith3, 4, 0)                                               \
	X(maps, filter, 2, 0)                                                  \
	X(maps, filtermap, 2, 0)                                               \
	X(maps, find, 2, 0)                                                    \
	X(maps, fold, 3, 0)                                                    \
	X(maps, foreach, 2, 0)                                                 \
	X(maps, from_keys, 2, 0)                                               \
	X(maps, from_list, 1, 0)                                               \
	X(maps, get, 2, 0)                                                     \
	X(maps, get, 3, 0)                                                     \
	X(maps, groups_from_list, 2, 0)                                        \
	X(maps, groups_from_list, 3, 0)                                        \
	X(maps, intersect, 2, 0)                                               \
	X(maps, intersect_with, 3, 0)                                          \
	X(maps, is_key, 2, 0)                                                  \
	X(maps, keys, 1, 0)                                                    \
	X(maps, map, 2, 0)                                                     \
	X(maps, merge, 2, 0)                                                   \
	X(maps, merge_with, 3, 0)                                              \
	X(maps, new, 0, 0)                                                     \
	X(maps, put, 3, 0)                                                     \
	X(maps, remove, 2, 0)                                                  \
	X(maps, size, 1, 0)                                                    \
	X(maps, take, 2, 0)                                                    \
	X(maps, to_list, 1, 0)                                                 \
	X(maps, update, 3, 0)                                                  \
	X(maps, update_with, 3, 0)                                             \
	X(maps, update_with, 4, 0)                                             \
	X(maps, values, 1, 0)                                                  \
	X(maps, with, 2, 0)                                                    \
	X(maps, without, 2, 0)                                                 \
	X(math, acos, 1, 0)                                                    \
	X(math, acosh, 1, 0)                                                   \
	X(math, asin, 1, 0)                                                    \
	X(math, asinh, 1, 0)                                                   \
	X(math, atan, 1, 0)                                                    \
	X(math, atan2, 2, 0)                                                   \
	X(math, atanh, 1, 0)                                                   \
	X(math, ceil, 1, 0)                                                    \
	X(math, cos, 1, 0)                                                     \
	X(math, cosh, 1, 0)                                                    \
	X(math, erf, 1, 0)                                                     \
	X(math, erfc, 1, 0)                                                    \
	X(math, exp, 1, 0)                                                     \
	X(math, floor, 1, 0)                                                   \
	X(math, fmod, 2, 0)                                                    \
	X(math, log, 1, 0)                                                     \
	X(math, log10, 1, 0)                                                   \
	X(math, log2, 1, 0)                                                    \
	X(math, pi, 0, 0)                                                      \
	X(math, pow, 2, 0)                                                     \
	X(math, sin, 1, 0)                                                     \
	X(math, sinh, 1, 0)                                                    \
	X(math, sqrt, 1, 0)                                                    \
	X(math, tan, 1, 0)                                                     \
	X(math, tanh, 1, 0)                                                    \
	X(os, cmd, 1, 0)                                                       \
	X(os, getpid, 0, 0)                                                    \
	X(os, system_time, 0, 0)                                               \
	X(os, system_time, 1, 0)                                               \
	X(os, type, 0, 0)                                                      \
	X(string, centre, 2, 0)                                                \
	X(string, centre, 3, 0)                                                \
	X(string, chars, 2, 0)                                                 \
	X(string, chars, 3, 0)                                                 \
	X(string, chr, 2, 0)                                                   \
	X(string, concat, 2, 0)                                                \
	X(string, copies, 2, 0)                                                \
	X(string, cspan, 2, 0)                                                 \
	X(string, equal, 2, 0)                                                 \
	X(string, find, 2, 0)                                                  \
	X(string, find, 3, 0)                                                  \
	X(string, is_empty, 1, 0)                                              \
	X(string, join, 2, 0)                                                  \
	X(string, left, 2, 0)                                                  \
	X(string, left, 3, 0)                                                  \
	X(string, len, 1, 0)                                                   \
	X(string, length, 1, 0)                                                \
	X(string, lexemes, 2, 0)                                               \
	X(string, lowercase, 1, 0)                                             \
	X(string, pad, 2, 0)                                                   \
	X(string, pad, 3, 0)                                                   \
	X(string, pad, 4, 0)                                                   \
	X(string, rchr, 2, 0)                                                  \
	X(string, replace, 3, 0)                                               \
	X(string, replace, 4, 0)                                               \
	X(string, reverse, 1, 0)                                               \
	X(string, right, 2, 0)                                                 \
	X(string, right, 3, 0)                                                 \
	X(string, rstr, 2, 0)                                                  \
	X(string, slice, 2, 0)                                                 \
	X(string, slice, 3, 0)                                                 \
	X(string, span, 2, 0)                                                  \
	X(string, split, 2, 0)                                                 \
	X(string, split, 3, 0)                                                 \
	X(string, str, 2, 0)                                                   \
	X(string, strip, 1, 0)                                                 \
	X(string, strip, 2, 0)                                                 \
	X(string, strip, 3, 0)                                                 \
	X(string, sub_string, 2, 0)                                            \
	X(string, sub_string, 3, 0)                                            \
	X(string, sub_word, 2, 0)                                              \
	X(string, sub_word, 3, 0)                                              \
	X(string, substr, 2, 0)                                                \
	X(string, substr, 3, 0)                                                \
	X(string, titlecase, 1, 0)                                             \
	X(string, to_float, 1, 0)                                              \
	X(string, to_integer, 1, 0)                                            \
	X(string, to_lower, 1, 0)                                              \
	X(string, to_upper, 1, 0)                                              \
	X(string, tokens, 2, 0)                                                \
	X(string, trim, 1, 0)                                                  \
	X(string, trim, 2, 0)                                                  \
	X(string, trim, 3, 0)                                                  \
	X(string, uppercase, 1, 0)                                             \
	X(string, words, 1, 0)                                                 \
	X(string, words, 2, 0)                                                 \
	X(timer, hms, 3, 0)                                                    \
	X(timer, hours, 1, 0)                                                  \
	X(timer, minutes, 1, 0)                                                \
	X(timer, seconds, 1, 0)                                                \
	X(timer, tc, 1, 0)                                                     \
	X(unicode, characters_to_binary, 1, 0)                                 \
	X(unicode, characters_to_binary, 2, 0)                                 \
	X(unicode, characters_to_list, 1, 0)                                   \
	X(unicode, characters_to_list, 2, 0)

/*
 * A BIF that is one call of a body shared with its other arities or
 * relatives: BIF_VIA(bif_lists_any_2, all_any(ctx, a, 1, out)).
 */
#define BIF_VIA(fn, call)                                                      \
	int fn(struct bif_ctx *ctx, const term *a, term *out)                  \
	{                                                                      \
		(void)ctx;                                                     \
		(void)a;                                                       \
		(void)out;                                                     \
		return call;                                                   \
	}

#define BIF_PROTO(m, f, a, fl)                                                 \
	int bif_##m##_##f##_##a(struct bif_ctx *, const term *, term *);
#define BIF_OP_PROTO(m, f, a, fl, body)                                        \
	int bif_##body(struct bif_ctx *, const term *, term *);
BIF_LIST(BIF_PROTO, BIF_OP_PROTO)
#undef BIF_PROTO
#undef BIF_OP_PROTO

/*
 * The elements of a proper list (borrowed; NULL with *n 0 for []).
 * Returns 0, or -1 when t is no proper list.
 */
int bif_list(term, const term **, size_t *);
/* A copy of tuple t with element i (0-based) replaced by x (consumed). */
term bif_tuple_with(term, size_t, term);
/* The elements of e (n) whose key keys[i] (=:=) no earlier one has. */
term bif_uniq_by(const term *, const term *, size_t);
/*
 * Any list, proper or not: its elements (borrowed) and its tail ([] when
 * proper). Returns 0, or -1 when t is neither [] nor a cons.
 */
int bif_cons(term, const term **, size_t *, term *);
/* The list from element i on: the rest of the elements and the tail. */
term bif_list_from(term, size_t);
/* A list of copies of n borrowed terms, then tail (consumed). */
term bif_list_of(const term *, size_t, term);
/*
 * The n lists joined end to end as a chain of ++ joins them: each but
 * the last must be a proper list (else badarg); the last is the tail.
 */
int bif_concat(struct bif_ctx *, const term *, size_t, term *);
/* The lists of v joined, each a proper list, then []; v is freed. */
int bif_append_all(struct bif_ctx *, struct term_vec *, term *);

/* erl's error:function_clause, error:{Tag, Term} (t borrowed). */
int bif_fclause(struct bif_ctx *);
int bif_error_with(struct bif_ctx *, const char *, term);
/* error:{badmap, M} as maps:* and map_get/2 raise it, explained. */
int bif_badmap(struct bif_ctx *, term, int);

/*
 * Calls fun with the n borrowed arguments through ctx->apply: 0 with
 * *out owned, or -1 with the exception in the context.
 */
int bif_call(struct bif_ctx *, term, size_t, const term *, term *);
/*
 * One step of a fold: *acc = Fun(args[0], ..., *acc), the accumulator
 * going in as the last of the n arguments. 0, or -1 with *acc freed.
 */
int bif_fold(struct bif_ctx *, term, size_t, term *, term *);
/* Nonzero when t is a fun taking n arguments (is_function(T, N)). */
int bif_is_fun(term, uint32_t);
/*
 * The boolean a predicate fun returned (r consumed): 0 or 1, or -1 with
 * error:{case_clause, R} raised, as lists:any/2 and friends raise it.
 */
int bif_truth(struct bif_ctx *, term);

/*
 * Character data: a list of code points under construction, and the
 * readers that fill it.
 */
struct bif_chars {
	uint32_t *c;
	size_t n;
	size_t cap;
};

void bif_chars_add(struct bif_chars *, uint32_t);
void bif_chars_free(struct bif_chars *);
/*
 * Appends the characters of chardata (code points, binaries and nested
 * lists of them, as unicode:characters_to_list/1 reads it): binaries as
 * UTF-8, or as latin1 bytes when latin1 is set. Returns 0, or -1 when t
 * is no chardata (a bitstring is not) or a binary is no valid UTF-8.
 */
int bif_chardata(term, struct bif_chars *, int);
/* Appends the characters of n bytes of UTF-8: 0, or -1 when malformed. */
int bif_chars_utf8(const unsigned char *, size_t, struct bif_chars *);
/* The characters as a UTF-8 binary. */
term bif_chars_binary(const uint32_t *, size_t);

/* The atom true or false. */
term bif_bool(int);

/* Integer arguments: 0 with *v, or -1 when t is no integer in range. */
int bif_int_range(term, int64_t, int64_t, int64_t *);

/*
 * A stable merge sort of n terms in place: le(a, b, arg) is 1 when a may
 * stay before b, 0 when b goes first, -1 when it raised (a fun of
 * lists:sort/2); the sort then stops and returns -1, with the terms all
 * still in the array.
 */
typedef int (*bif_le_fn)(term, term, void *);
int bif_sort(term *, size_t, bif_le_fn, void *);

#endif
