/*
 * The interactive shell on libedit, reading input on the event loop:
 * prompt, history, continuation lines, completion, live messages, Ctrl-C.
 */
#ifndef ESOCK_REPL_H
#define ESOCK_REPL_H

struct session;

/* Runs the REPL until q, exit or end of input; returns the exit status. */
int repl_run(struct session *);

#endif
