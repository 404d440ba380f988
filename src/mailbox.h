/*
 * The session's mailbox: the select and abort messages the socket
 * registry delivers ({'$socket', S, select, Handle} and
 * {'$socket', S, abort, {Handle, closed}}), in order of arrival, as an
 * Erlang process's mailbox holds them. receive and flush take them out;
 * the REPL shows each as it arrives through a hook.
 */
#ifndef ESOCK_MAILBOX_H
#define ESOCK_MAILBOX_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"

/* Appends a message (consumed) and calls the hook, if one is set. */
void mbox_put(term);
/* Takes the oldest message into *t: 1, or 0 when the mailbox is empty. */
int mbox_take(term *);
/* Takes the i-th message from the oldest: 1, or 0 when there is none. */
int mbox_take_at(size_t, term *);
size_t mbox_count(void);
/*
 * Runs the event loop until the mailbox holds more than seen messages
 * (SIZE_MAX: never mind them) or the deadline (loop_now_ms() time; -1:
 * none) passes. What is ready already is looked at once, unless a
 * message is there: anything newer would queue behind it. Returns 0, or
 * -1 when SIGINT interrupted the wait.
 */
int mbox_wait(int64_t, size_t);
/* The i-th message from the oldest (borrowed); i < mbox_count(). */
term mbox_peek(size_t);
/* Called with each message as it is put (borrowed); NULL: none. */
void mbox_set_hook(void (*)(term));
/* Drops every message (at exit). */
void mbox_clear(void);
/*
 * The process ends (mbox_exit: its messages go, and what arrives until
 * mbox_restart is dropped unseen) and a new one, with a new pid, takes
 * its place: erl's shell after an uncaught exception.
 */
void mbox_exit(void);
void mbox_restart(void);
/*
 * The pid of the process the mailbox belongs to, as erl -noshell -eval
 * shows its own: <0.9.0> (owned result).
 */
term mbox_self(void);
/* Whether a term is that pid. */
int mbox_is_self(term);

#endif
