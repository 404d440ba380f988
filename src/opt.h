/*
 * Socket options: one table of {Level, Opt} rows, each with its C level
 * and name, value codec, get/set access and a summary. setopt, getopt,
 * their native forms, supports(options), is_supported(options, ...) and
 * the option listing for completion all read it. The commands that use
 * it are in cmd_opt.c and cmd_info.c.
 */
#ifndef ESOCK_OPT_H
#define ESOCK_OPT_H

#include <stddef.h>
#include <stdio.h>

#include "term.h"

struct sock;

/*
 * setopt(S, Opt, Value) and setopt_native(S, Opt, Value); getopt(S, Opt)
 * and getopt_native(S, Opt, ValueSpec). The terms are borrowed; s is NULL
 * when the socket term names a closed socket (OTP checks the option
 * before it looks at the socket). The result is owned: ok, {ok, Value}
 * or {error, Reason} as OTP 25 spells it.
 */
term opt_set(struct sock *, term, term);
term opt_set_native(struct sock *, term, term);
term opt_get(struct sock *, term);
term opt_get_native(struct sock *, term, term);
/*
 * Whether prim_socket throws {invalid, {socket_option, Opt}} rather than
 * returning it, for an option of a shape it cannot encode: for setopt
 * and getopt (native 0) anything but {Atom, Atom} or {otp, _}; for
 * setopt_native (native 1) anything but a pair of atoms and integers
 * whose level is no integer when its name is an atom.
 */
int opt_throws(term, int);

/*
 * supports(options): [{{Level, Opt}, Bool}] for every row and every name
 * the protocols database gives its level ('IP' as well as ip);
 * supports(options, Level): [{Opt, Bool}]; is_supported(options, Opt).
 */
term opt_supports(void);
term opt_supports_level(term);
int opt_is_supported(term);

/*
 * The level and name of row i ("socket" and "reuseaddr"), for
 * completion: returns 1 with both set, 0 for a row this build does not
 * accept, -1 past the last row.
 */
int opt_row_name(size_t, const char **, const char **);
/*
 * Prints every option this build accepts, one "{Level,Opt}" a line; with
 * verbose set also its value type, access and summary.
 */
void opt_print_list(FILE *, int);

#endif
