/*
 * The traffic trace: every transfer of bytes on the user's sockets (and
 * on what a relay copies between a socket and a pipe or file) printed on
 * stderr as it happens, one line a transfer as the term
 * {trace, Ms, S, Dir, Bytes}, or as socat -x's hex dump. The code that
 * moves bytes calls trace_bytes and its relatives after each call that
 * moved some; with the trace off each costs one test of trace_current.
 * Setting the mode is the command line's and the trace command's part.
 */
#ifndef ESOCK_TRACE_H
#define ESOCK_TRACE_H

#include <sys/types.h>
#include <sys/uio.h>
#include <stddef.h>

#include "sock.h"
#include "term.h"

enum trace_mode { TRACE_OFF, TRACE_ON, TRACE_HEX };

/*
 * The modes' names as an X-macro of (value, name) pairs, X(v, n) SEP
 * X(v, n)..., so that the trace command's usage is made from the table.
 */
#define TRACE_MODES(X, SEP)                                                    \
	X(TRACE_OFF, off)                                                      \
	SEP X(TRACE_ON, on)                                                    \
	SEP X(TRACE_HEX, hex)

/* The modes by name, for the command, completion and --list. */
extern const struct term_name trace_mode_names[];
extern const size_t trace_nmode_names;

/* The mode now: read by the inline checks below, set by trace_set_mode. */
extern enum trace_mode trace_current;

/* Takes the start of Ms's clock: call once, as esock starts. */
void trace_init(void);
void trace_set_mode(enum trace_mode);
enum trace_mode trace_mode(void);
/* Drops what the trace keeps of a socket or other who (hex offsets). */
void trace_forget(term);
/* Drops all that the trace keeps (at exit). */
void trace_fini(void);

/*
 * Prints one transfer of len bytes, gathered from the cnt parts of iov,
 * made by who (borrowed; printed where S goes), out (nonzero) or in.
 * A transfer of no bytes prints nothing.
 */
void trace_emit(term, int, const struct iovec *, size_t, size_t);
/*
 * Prints what sendfile(2) sent: len bytes of the file fd from off, read
 * back with pread(2), a line each 64 KiB at most; bytes the file no
 * longer gives print as {sendfile, N}.
 */
void trace_emit_file(term, int, off_t, size_t);

/* A transfer of a buffer on the socket s. */
static inline void
trace_bytes(const struct sock *s, int out, const void *data, size_t len)
{
	struct iovec v;

	if (trace_current != TRACE_OFF) {
		v.iov_base = (void *)data;
		v.iov_len = len;
		trace_emit(s->self, out, &v, 1, len);
	}
}

/* ... of the first len bytes of an iovec (sendmsg, recvmsg). */
static inline void
trace_iov(const struct sock *s, int out, const struct iovec *iov, size_t cnt,
    size_t len)
{
	if (trace_current != TRACE_OFF)
		trace_emit(s->self, out, iov, cnt, len);
}

/* ... of a file region that sendfile(2) sent. */
static inline void
trace_file(const struct sock *s, int fd, off_t off, size_t len)
{
	if (trace_current != TRACE_OFF)
		trace_emit_file(s->self, fd, off, len);
}

/*
 * A transfer that is not on an esock socket's own call (a relay's pipe
 * or file side, say): who (borrowed) is printed in place of S.
 */
static inline void
trace_fd_bytes(term who, int out, const void *data, size_t len)
{
	struct iovec v;

	if (trace_current != TRACE_OFF) {
		v.iov_base = (void *)data;
		v.iov_len = len;
		trace_emit(who, out, &v, 1, len);
	}
}

#endif
