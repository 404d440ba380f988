/*
 * The term printer: one walker for the Erlang shell's ~p (80-column
 * wrapping as io_lib_pretty does it), its one-line form and JSON. It
 * writes to a buffer and knows nothing of where the text goes.
 */
#ifndef ESOCK_TERM_PRINT_H
#define ESOCK_TERM_PRINT_H

#include "term.h"

struct buf;

/*
 * One line, no wrapping: like io_lib:write/1 (~w) but with strings and
 * printable binaries shown as ~p shows them, i.e. ~p with infinite line
 * length.
 */
#define PRINT_COMPACT 0x1
/*
 * Compact JSON: integers and floats as numbers (floats in ~p's text),
 * true and false as themselves, null and undefined as null, other atoms,
 * printable strings and binaries as strings (latin1 as UTF-8), other
 * lists (an improper tail last), tuples and binaries (bytes) as arrays,
 * maps as objects keyed by the text of atom, string and binary keys or
 * else by the key's one-line ~p, refs as "#Ref<...>".
 */
#define PRINT_JSON 0x2
/*
 * io_lib:write/1 (~w): one line, strings as lists of integers and
 * binaries as bytes (<<97,98>>), no printable text detected.
 */
#define PRINT_W 0x4
/* ~lp: laid out as ~p, but with no printable text detected either. */
#define PRINT_NO_TEXT 0x8
/*
 * ~tp: a binary of UTF-8 is text when its characters are printable
 * latin1 ones: <<"é"/utf8>> (and only as bytes when it has others).
 */
#define PRINT_UNICODE 0x10

/*
 * Appends the text of t (no trailing newline) as the Erlang shell's ~p
 * prints it when the text starts at column col (1-based; 1 = start of
 * line), wrapping at 80 columns. Borrows t.
 */
void print_term(struct buf *, term, int, int);
/* ~Np: the same with a line length of width columns; never JSON. */
void print_term_width(struct buf *, term, int, int, int);

#endif
