/*
 * The check erl's shell makes of each expression before it runs any of
 * it (erl_lint's rules for variables): a variable used where it is not
 * bound, or bound on some paths only of a case, if, receive, try, catch,
 * andalso or orelse and used after it, stops the expression with erl's
 * message, before anything has run.
 */
#ifndef ESOCK_LINT_H
#define ESOCK_LINT_H

#include "expr.h"

struct session;

/*
 * Checks a top-level expression against the session's bindings: 0 when
 * it may run, -1 after reporting the first error at its line and column.
 */
int lint_top(struct session *, const struct node *);

#endif
