/*
 * What the socket module's commands (cmd_socket.c, cmd_io.c) share: the
 * names OTP gives domains, types, protocols and message flags, finding
 * the socket argument, reading a Timeout, an operation's turns and waits
 * on its socket's queue (nowait and select info included), and
 * the few per-socket facts OTP's info/1 reports that the registry in
 * sock.c does not keep.
 */
#ifndef ESOCK_SOCKNAME_H
#define ESOCK_SOCKNAME_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"

#include "sock.h"

/*
 * Decoders: 0 with *out set, or -1 when the term names nothing known.
 * A domain or type is an atom of OTP's or an int; a protocol is default,
 * a name from the protocols database, {raw, N} or an int.
 */
int sockname_domain(term, int *);
int sockname_type(term, int *);
int sockname_protocol(term, int *);

/*
 * Calls fn with each name and alias of the protocols database: the
 * names sockname_protocol decodes besides sockname_protocol_atoms. The
 * database is the decoder's own source (getprotobyname), so completion
 * and supports(protocols) read it rather than a copy of it.
 */
void sockname_protocol_names(void (*)(const char *, void *), void *);

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
 * The one resolver of a socket argument: argv[0] when it is a socket
 * term (then *used is 1). Returns NULL with *result set when there is
 * none: {error, closed} for a closed socket, {error, {invalid, {socket,
 * none}}} when argv[0] is no socket (lang.c has already put the current
 * socket first where the command lets it be left out).
 */
struct sock *sockname_sock(size_t, const term *, size_t *, term *);

/* The ms of a Timeout of nowait or a select handle (a reference). */
#define SOCKNAME_NOWAIT (-2)

/*
 * A Timeout: infinity (-1), milliseconds, or nowait and a reference
 * (SOCKNAME_NOWAIT). Returns 0, or -1 for anything else.
 */
int sockname_timeout(term, int64_t *);
/* The atoms a Timeout may be: infinity and nowait. */
extern const struct term_name sockname_timeout_atoms[];
extern const size_t sockname_ntimeout_atoms;

/* The reason of a failed wait or call: timeout, or the errno's name. */
term sockname_wait_reason(int);
/* Whether an errno only says "not now": EAGAIN, EWOULDBLOCK or EINTR. */
int sockname_would_block(int);

/* An absolute deadline for a timeout (-1 and SOCKNAME_NOWAIT: none). */
int64_t sockname_deadline(int64_t);

/*
 * One operation's place in its socket's queue, from its first try to
 * its result: OTP's select model for every command that may wait.
 *
 *	sockname_op_init(&op, s, SOCK_OP_RECV, ms, timeout, tag);
 *	for (rc = sockname_op_start(&op); rc == 0; rc = sockname_op_wait(&op))
 *		try; when it completes or fails: sockname_op_done(&op), break;
 *	rc 1: sockname_op_select(&op, partial); rc -1: errno says why;
 *	sockname_op_fini(&op);
 */
struct sockname_op {
	struct sock *s;
	enum sock_op op;
	int64_t ms;       /* the Timeout: -1, ms, or SOCKNAME_NOWAIT */
	int64_t deadline; /* -1: none */
	term timeout;     /* borrowed: the argument naming the handle */
	term tag;         /* the select tag (owned) */
	term handle;      /* once queued nowait: the handle (owned) */
};

/* Tag is consumed; timeout is borrowed for the op's life. */
void sockname_op_init(
    struct sockname_op *, struct sock *, enum sock_op, int64_t, term, term);
/* 0: try now; else as sockname_op_wait (a request is ahead). */
int sockname_op_start(struct sockname_op *);
/*
 * The try would block. nowait: queues the request and returns 1.
 * Otherwise waits for the turn and readiness: 0 to try again, or -1
 * with errno ETIMEDOUT, EINTR or a watch failure. The select flags of
 * info/1's rstates and wstates are set, as OTP's NIF sets them.
 */
int sockname_op_wait(struct sockname_op *);
/* The try completed or failed for good. */
void sockname_op_done(struct sockname_op *);
/*
 * {select, SelectInfo}, or {select, {SelectInfo, Partial}} when partial
 * (consumed) is not nil: OTP's result for a queued nowait op.
 */
term sockname_op_select(struct sockname_op *, term);
/*
 * A loop's result when it ended with rc and nothing went in part: the
 * try's result (rc 0, the op done), the select (rc 1) or {error, Why}
 * of the wait (rc -1, errno set). result is consumed.
 */
term sockname_op_end(struct sockname_op *, int, term);
void sockname_op_fini(struct sockname_op *);

/* Prints a debug line for a socket opened with debug => true. */
void sockname_debug_print(const struct sock *, const char *, ...)
    printflike(2, 3);
#define sockname_debug(s, ...)                                                 \
	do {                                                                   \
		if ((s)->xflags & SOCK_X_DEBUG)                                \
			sockname_debug_print((s), __VA_ARGS__);                \
	} while (0)

/*
 * OTP's domain() and type() names, and the protocol atoms that are no
 * database names (REPL completion and --list read them too).
 */
extern const struct term_name sockname_domain_names[];
extern const size_t sockname_ndomains;
extern const struct term_name sockname_type_names[];
extern const size_t sockname_ntypes;
extern const struct term_name sockname_protocol_atoms[];
extern const size_t sockname_nprotocol_atoms;

/*
 * The msg flags as socket:supports(msg_flags) lists them, alphabetical;
 * a value of 0 where the host lacks the flag.
 */
extern const struct term_name sockname_msg_flag_names[];
extern const size_t sockname_nmsg_flags;

#endif
