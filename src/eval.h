/*
 * The evaluator: Erlang's expressions as erl_eval evaluates them, over
 * the nodes of expr.h, with esock's commands as functions. Exceptions
 * travel as return codes; an uncaught one is printed as the Erlang shell
 * prints it.
 */
#ifndef ESOCK_EVAL_H
#define ESOCK_EVAL_H

#include <stddef.h>

#include "expr.h"

struct bif;
struct cmd_entry;
struct session;

enum eval_rc {
	EVAL_OK = 0,
	EVAL_EXC = -1,  /* an exception, printed by eval_top */
	EVAL_ABORT = -2 /* reported already (usage, unbound variable) or quit */
};

/*
 * Evaluates a top-level expression of the ast in the session's
 * bindings: EVAL_OK with an owned *out, or another code when it failed
 * (and said so).
 */
int eval_top(struct session *, struct ast *, struct node *, term *);
/*
 * What a call Module:Name/Argc runs (module NULL for a local call), the
 * one rule of the parser and the evaluator: a command (returned), else
 * a BIF (*bf), else neither (undef). A local name that is both is the
 * command when it takes that many arguments; timer:sleep/1 is sleep.
 */
const struct cmd_entry *eval_resolve(
    const char *, const char *, unsigned, const struct bif **);
/*
 * The stack the language runs on: an address near its base and its size.
 * Fun calls nest until they would use most of it (then system_limit).
 */
void eval_stack(const void *, size_t);

#endif
