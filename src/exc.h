/*
 * Exceptions of the language: what the evaluator records when one is
 * raised (class, reason, and where: a BIF's call, an operator, a binary's
 * segment), the stack that catch and try see, and the text the Erlang
 * shell prints for one that is not caught (erl_error's format).
 */
#ifndef ESOCK_EXC_H
#define ESOCK_EXC_H

#include <stdint.h>
#include <stdio.h>

#include "bif.h"
#include "term.h"

/* Where an exception was raised, for the shell's explanation. */
enum where {
	AT_NONE,
	AT_FUNCTION,
	AT_OPERATOR,
	AT_UNDEF_LOCAL,
	AT_ADDRESS, /* an address literal that names no address */
	AT_SEGMENT  /* a binary's segment: args is the value */
};

struct exc {
	enum exc_class cls;
	term reason; /* owned */
	enum where where;
	term mod, fun; /* atoms (fun: the operator for AT_OPERATOR) */
	term args;     /* list, or the arity alone (an integer); owned */
	/* The caller in mod of a frame raised with its arity, or NULL. */
	const char *from_fun;
	unsigned from_arity;
	const char *why[BIF_ARGS_MAX];
	const char *general;
	/* AT_SEGMENT: segment seg of seg_type: seg_what Value seg_after */
	uint32_t seg;
	const char *seg_type, *seg_what, *seg_after;
};

/* Frees what x holds (zeroed or filled before) and makes it empty. */
void exc_clear(struct exc *);
/* error, throw or exit. */
const char *exc_class_name(enum exc_class);
/* The stack catch and try see: the call that raised, or []. */
term exc_stack(const struct exc *);
/*
 * Prints "** exception Class: ..." as erl's shell does, on fp: latin1,
 * or with utf8 in UTF-8.
 */
void exc_print(const struct exc *, FILE *, int);

#endif
