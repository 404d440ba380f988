/*
 * What the socket module's commands (cmd_socket.c, cmd_io.c) share: the
 * names OTP gives domains, types, protocols and message flags, finding
 * the socket argument, reading a Timeout, waiting with a deadline, and
 * the few per-socket facts OTP's info/1 reports that the registry in
 * sock.c does not keep.
 */
#ifndef ESOCK_SOCKNAME_H
#define ESOCK_SOCKNAME_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"

struct sock;

/*
 * Decoders: 0 with *out set, or -1 when the term names nothing known.
 * A domain or type is an atom of OTP's or an int; a protocol is default,
 * a name from the protocols database, {raw, N} or an int.
 */
int sockname_domain(term, int *);
int sockname_type(term, int *);
int sockname_protocol(term, int *);

/* The atom OTP's info/1 shows, or the integer when it has no name. */
term sockname_domain_term(int);
term sockname_type_term(int);
term sockname_protocol_term(int);

/*
 * Message flags as prim_socket:enc_msg_flags/1 reads them. Returns 0, or
 * -1 with *why set to {invalid, {msg_flag, F}} or
 * {invalid, {msg_flags, Rest}} (owned).
 */
int sockname_msg_flags(term, int *, term *);

/*
 * The socket a command works on: argv[0] when it is a socket term (then
 * *used is 1), else the current socket (*used 0). Returns NULL with
 * *result set when there is none: {error, closed} for a closed socket,
 * {error, {invalid, {socket, none}}} when no socket is current.
 */
struct sock *sockname_sock(size_t, const term *, size_t *, term *);

/*
 * A Timeout: infinity (-1) or milliseconds. Returns 0, or -1 for
 * anything else, nowait and select handles included until the event
 * loop serves them.
 */
int sockname_timeout(term, int64_t *);

/* An absolute deadline for a timeout (-1 stays -1: none). */
int64_t sockname_deadline(int64_t);

/*
 * Waits for mask (LOOP_READ or LOOP_WRITE) until the deadline, marking
 * the socket selected as OTP's NIF does when it selects. A deadline
 * already past (timeout 0) gives ETIMEDOUT without waiting. Returns 0,
 * or -1 with errno ETIMEDOUT or EINTR.
 */
int sockname_wait(struct sock *, int, int64_t);

/* Prints a debug line for a socket opened with debug => true. */
void sockname_debug(const struct sock *, const char *, ...) printflike(2, 3);

/*
 * The msg flags as socket:supports(msg_flags) lists them, alphabetical;
 * a value of 0 where the host lacks the flag.
 */
extern const struct term_name sockname_msg_flag_names[];
extern const size_t sockname_nmsg_flags;

#endif
