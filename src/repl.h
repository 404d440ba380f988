/*
 * The interactive shell on libedit: prompt, history, continuation lines.
 */
#ifndef ESOCK_REPL_H
#define ESOCK_REPL_H

struct session;

/* Runs the REPL until q, exit or end of input; returns the exit status. */
int repl_run(struct session *);

#endif
