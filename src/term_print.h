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
/* Compact JSON; see term_print.c for how each kind maps. */
#define PRINT_JSON 0x2

/*
 * Appends the text of t (no trailing newline) as the Erlang shell's ~p
 * prints it when the text starts at column col (1-based; 1 = start of
 * line), wrapping at 80 columns. Borrows t.
 */
void print_term(struct buf *, term, int, int);

#endif
