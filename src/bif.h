/*
 * The built-in functions of the language: erlang's guard BIFs and
 * conversions, and the lists, maps, binary, string and io functions a
 * shell user reaches for. One table (bif_table) names them all; the
 * evaluator finds a call's BIF there, and REPL completion lists them.
 *
 * A BIF borrows its arguments. It returns 0 with an owned *out, or -1
 * with the exception it raises set in the context. Funs passed to a BIF
 * (lists:map/2 ...) are called back through ctx->apply.
 */
#ifndef ESOCK_BIF_H
#define ESOCK_BIF_H

#include <stddef.h>
#include <stdio.h>

#include "term.h"

/* The classes of an exception. */
enum exc_class { EXC_ERROR, EXC_THROW, EXC_EXIT };

/* At most this many arguments of a BIF get an explanation line. */
#define BIF_ARGS_MAX 4
/* The longest explanation a BIF composes at run time. */
#define BIF_TEXT_MAX 512

struct bif_ctx {
	/*
	 * Calls fun with n arguments (borrowed): 0 with an owned *out, or -1
	 * when the call raised; the exception is then already in the
	 * context (raised set) and the BIF returns -1 at once, freeing what
	 * it holds.
	 */
	int (*apply)(
	    struct bif_ctx *, term fun, size_t n, const term *args, term *out);
	void *arg; /* the evaluator's own state */
	FILE *out; /* io:format's standard_io */
	int utf8;  /* it is a UTF-8 terminal (else latin1, as erl -noshell) */
	/* The exception, when a BIF returns -1. */
	/* Set when it came from apply, to be left as it is: 1 an exception,
	 * 2 a stop (a usage error, quit) the host has reported. */
	int raised;
	enum exc_class cls;
	term reason; /* owned */
	/*
	 * erl's extended error information for a badarg (erl_erts_errors),
	 * static text or text: why[i] is "*** argument i+1: ..." without the
	 * prefix, general a line of its own ("*** ..."); NULL when none.
	 */
	const char *why[BIF_ARGS_MAX];
	const char *general;
	/*
	 * Room for an explanation composed at run time (io:format's says
	 * which argument has the wrong type): why[i] may point into it.
	 */
	char text[BIF_TEXT_MAX];
};

typedef int (*bif_fn)(struct bif_ctx *, const term *, term *);

/* A BIF usable in a guard (type tests, element/2, size/1 ...). */
#define BIF_GUARD 0x1
/* An erlang BIF erl does not import: called without erlang: it is undef. */
#define BIF_NOAUTO 0x2

struct bif {
	const char *module; /* "erlang", "lists", ... */
	const char *name;
	unsigned char arity;
	unsigned char flags; /* BIF_* */
	bif_fn fn;
};

/* The BIF module:name/arity, or NULL. */
const struct bif *bif_find(const char *, const char *, unsigned);
/* Whether module:name exists at some arity (for undef vs. arity errors). */
int bif_module_exists(const char *);
extern const struct bif bif_table[];
extern const size_t bif_table_size;

/*
 * Helpers for BIF bodies: raise error:Reason (consumed; badarg with
 * bif_badarg, which also sets the explanation of argument i (0-based, or
 * -1 for none)). Both return -1 for the BIF to return.
 */
int bif_error(struct bif_ctx *, term);
int bif_badarg(struct bif_ctx *, int, const char *);

#endif
