/*
 * Arithmetic on number terms as Erlang's operators and number BIFs do it:
 * integers of any size (TERM_INT when the value fits in 64 bits, else
 * TERM_BIG, always canonical) and floats. It knows only term.h.
 *
 * Every function borrows its operands and, on success, returns 0 with an
 * owned result in *out. It returns -1, with *out untouched, where Erlang
 * raises badarith (an operand that is no number, or no integer for the
 * integer operators; division by zero; a float result that is not
 * finite, or an integer too large to be a float) or system_limit (an
 * integer result over NUM_BITS_MAX bits). When both operands are
 * integers, -1 from num_add, num_sub, num_mul, num_band, num_bor,
 * num_bxor, num_bsl or num_bsr is always system_limit. (The BIFs float/1,
 * trunc/1 and the like raise badarg where the operators raise badarith.)
 */
#ifndef ESOCK_NUM_H
#define ESOCK_NUM_H

#include "term.h"

/*
 * Largest integer result, in bits: larger ones raise system_limit. erl's
 * own limit is higher (near 2^25 bits), but results this large are rare.
 */
#define NUM_BITS_MAX (1u << 20)

int num_add(term, term, term *);  /* + */
int num_sub(term, term, term *);  /* - */
int num_mul(term, term, term *);  /* * */
int num_fdiv(term, term, term *); /* /: always a float */
int num_div(term, term, term *);  /* div: integers, truncated */
int num_rem(term, term, term *);  /* rem: integers, sign of the dividend */
int num_band(term, term, term *);
int num_bor(term, term, term *);
int num_bxor(term, term, term *);
int num_bsl(term, term, term *); /* a negative shift shifts right */
int num_bsr(term, term, term *);
int num_neg(term, term *);  /* unary - */
int num_bnot(term, term *); /* integers only */
int num_abs(term, term *);

/* Nonzero when t is an integer or float term. */
int num_is_number(term);
/*
 * The value as a double: 0, or -1 when not a number or too large. A big
 * integer converts as erts converts it, not always to the nearest double.
 */
int num_to_double(term, double *);
/*
 * trunc/1, round/1 (half away from zero), floor/1, ceil/1 of a number:
 * an integer term. 0, or -1 when t is no number.
 */
int num_trunc(term, term *);
int num_round(term, term *);
int num_floor(term, term *);
int num_ceil(term, term *);
/*
 * integer_to_list(I, Base): appends the digits of an integer term in base
 * 2..36, capital letters, a leading '-' when negative. Returns 0, or -1
 * when t is no integer or base is out of range.
 */
struct buf;
int num_int_text(struct buf *, term, int);
/*
 * list_to_integer(Text, Base): an optional sign then digits of base 2..36
 * (either case), nothing else. 0 with *out set, or -1.
 */
int num_parse_int(const char *, size_t, int, term *);

#endif
