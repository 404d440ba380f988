/*
 * Erlang's bit syntax on terms: writing segments into a bitstring under
 * construction (<<X:16/little, B/binary>>) and reading them out of one in
 * a match. A segment is already evaluated here (its size an integer); the
 * language parses and evaluates the expressions around it. Knows only
 * term.h and util.h.
 *
 * Bits are numbered from the most significant bit of the first byte, as
 * Erlang stores a bitstring; term_bitstring() keeps a trailing partial
 * byte left-aligned with its low bits zero.
 */
#ifndef ESOCK_BITS_H
#define ESOCK_BITS_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"
#include "util.h"

enum bits_type {
	BITS_INTEGER,
	BITS_FLOAT,
	BITS_BINARY,    /* binary and bytes: unit 8 */
	BITS_BITSTRING, /* bitstring and bits: unit 1 */
	BITS_UTF8,
	BITS_UTF16,
	BITS_UTF32
};

enum bits_endian { BITS_BIG, BITS_LITTLE, BITS_NATIVE };

struct bits_seg {
	enum bits_type type;
	enum bits_endian endian;
	int is_signed;
	/*
	 * In units; -1 when the segment gave none. A size that evaluates
	 * negative is the caller's to refuse (badarg, or no match), since
	 * -1 here means "none".
	 */
	int64_t size;
	int unit; /* 1..256; 0 when the segment gave none */
};

/*
 * Largest bitstring bits_put builds, in bits (256 MiB): a segment that
 * would pass it fails with -2, where Erlang raises system_limit.
 */
#define BITS_MAX ((uint64_t)1 << 31)

/*
 * Fills in what the segment left out as Erlang does: size 8 for integer,
 * 64 for float, unit 1 for integer, float and bitstring, 8 for binary.
 * Returns 0, or -1 when the specifiers cannot go together (a size or
 * unit on utf*, unit without size...), with *why the static name of the
 * error erl_eval raises for it (utf_bittype_size_or_unit, bittype_unit,
 * undefined_bittype for a unit out of range). Type words that clash
 * (binary-integer, bits-unit:4) are the language's to refuse: the
 * segment here holds one type and one unit.
 */
int bits_defaults(struct bits_seg *, const char **why);

struct bits_writer {
	struct buf b;
	size_t nbits;
};

void bits_init(struct bits_writer *);
void bits_free(struct bits_writer *);
/*
 * Appends one segment holding value (borrowed); the segment's defaults
 * are filled in as bits_defaults() does. Returns 0, or -1 when the value
 * does not fit the segment as Erlang raises badarg (not an integer for
 * integer, a binary whose size is not a multiple of the unit or shorter
 * than size, an invalid code point for utf*, a float size not 16/32/64,
 * a negative size), or -2 when the result would pass BITS_MAX (Erlang's
 * system_limit). Integers are truncated to the size, as <<300:8>> is
 * <<44>>; a float too large for 32 or 16 bits becomes infinity, as OTP
 * 25 stores it. On failure nothing is written.
 */
int bits_put(struct bits_writer *, const struct bits_seg *, term);
/* The bitstring written so far (owned); the writer is left empty. */
term bits_finish(struct bits_writer *);

struct bits_reader {
	term bin;   /* borrowed bitstring */
	size_t pos; /* bits consumed so far */
};

void bits_reader_init(struct bits_reader *, term);
/*
 * Reads one segment at the reader's position into *out (owned) and moves
 * past it. A binary or bitstring segment with size -1 takes the rest
 * (for binary, the rest must be whole bytes). Returns 0, or -1 when the
 * bits there do not match (too few bits, an invalid UTF sequence, a
 * float that is NaN or infinite) and the position is unchanged.
 */
int bits_get(struct bits_reader *, const struct bits_seg *, term *);
/* Bits left to read. */
size_t bits_left(const struct bits_reader *);

#endif
