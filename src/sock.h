/*
 * The socket registry behind {'$socket', #Ref<...>}: each open socket's
 * descriptor (always non-blocking), its domain/type/protocol as OTP names
 * them, its counters and otp-level options, the current socket, and its
 * two request queues (readers and acceptors; writers and connectors),
 * OTP's per-socket queues, which every wait goes through on the one
 * event loop.
 */
#ifndef ESOCK_SOCK_H
#define ESOCK_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"

/* Counters as OTP's socket:info/1 names them, in that order. */
#define SOCK_COUNTERS(X)                                                       \
	X(acc_fails)                                                           \
	X(acc_success)                                                         \
	X(acc_tries)                                                           \
	X(acc_waits)                                                           \
	X(read_byte)                                                           \
	X(read_fails)                                                          \
	X(read_pkg)                                                            \
	X(read_pkg_max)                                                        \
	X(read_tries)                                                          \
	X(read_waits)                                                          \
	X(write_byte)                                                          \
	X(write_fails)                                                         \
	X(write_pkg)                                                           \
	X(write_pkg_max)                                                       \
	X(write_tries)                                                         \
	X(write_waits)

enum sock_counter {
#define SOCK_COUNTER_ENUM(n) SOCK_C_##n,
	SOCK_COUNTERS(SOCK_COUNTER_ENUM)
#undef SOCK_COUNTER_ENUM
	    SOCK_NCOUNTERS
};

/*
 * The counters OTP's info/1 adds once a socket has used sendfile (its
 * NIF allocates them then), in that order.
 */
#define SOCK_SENDFILE_COUNTERS(X)                                              \
	X(sendfile)                                                            \
	X(sendfile_byte)                                                       \
	X(sendfile_fails)                                                      \
	X(sendfile_max)                                                        \
	X(sendfile_pkg)                                                        \
	X(sendfile_pkg_max)                                                    \
	X(sendfile_tries)                                                      \
	X(sendfile_waits)

enum sock_sendfile_counter {
#define SOCK_SENDFILE_ENUM(n) SOCK_SF_##n,
	SOCK_SENDFILE_COUNTERS(SOCK_SENDFILE_ENUM)
#undef SOCK_SENDFILE_ENUM
	    SOCK_SF_NCOUNTERS
};

/*
 * What a socket keeps of sendfile: its counters, and the file of a
 * sendfile that a nowait partial or a timeout left in progress (OTP's
 * sendfileHandle: a continuation goes on with it).
 */
struct sock_sendfile {
	int fd;          /* -1: none in progress */
	uint64_t maxcnt; /* bytes of the current sendfile so far */
	uint64_t counters[SOCK_SF_NCOUNTERS];
};

/* State bits, reported by info/1 as OTP's rstates/wstates. */
#define SOCK_BOUND 0x01
#define SOCK_LISTENING 0x02
#define SOCK_CONNECTED 0x04
#define SOCK_CONNECTING 0x08
#define SOCK_SHUT_READ 0x10
#define SOCK_SHUT_WRITE 0x20
#define SOCK_ACCEPTING 0x40 /* only in info/1: an acceptor is queued */

/* More facts OTP's info/1 reports. */
#define SOCK_X_RSELECTED 0x1 /* a read or accept waited */
#define SOCK_X_WSELECTED 0x2 /* a write or connect waited */
#define SOCK_X_NOREG 0x4     /* opened with use_registry => false */
#define SOCK_X_DEBUG 0x8     /* opened with debug => true */
#define SOCK_X_CLOSED 0x10   /* closed: kept a while for info/1 */

#define SOCK_CTYPE_NORMAL (-1)
#define SOCK_CTYPE_FROMFD (-2) /* open(FD, #{dup => false}) */

/* The queues: one per direction of the descriptor. */
enum sock_dir { SOCK_QREAD, SOCK_QWRITE };

/* What a request waits to do, as info/1 counts and cancel/2 finds it. */
enum sock_op { SOCK_OP_ACCEPT, SOCK_OP_CONNECT, SOCK_OP_RECV, SOCK_OP_SEND };

/* The queue an op waits in: accept and recv read, connect and send write. */
int sock_op_dir(enum sock_op);

/*
 * A request waiting for its turn and for the socket to be ready: a
 * nowait one (its handle named in the select message) or the blocking
 * call the session is in. Only the first of a queue is armed on the
 * loop; once told the socket is ready it is "notified" and stays first
 * until the session acts on the socket again (as OTP's current reader
 * or writer stays current until it calls again).
 */
struct sock_req {
	struct sock_req *next;
	term handle;      /* nowait: the select handle; blocking: nil */
	term renewed;     /* an accept's handle since, or nil (see push) */
	unsigned char op; /* enum sock_op */
	unsigned char nowait;
	unsigned char notified;
};

/* OTP: ESOCK_RECV_BUFFER_SIZE_DEFAULT and the control buffers'. */
#define SOCK_RCVBUF_DEFAULT 8192
#define SOCK_CTRLBUF_DEFAULT 1024

/*
 * What OTP keeps in its socket descriptor rather than in the kernel:
 * the otp-level options (debug and use_registry are xflags), OTP's
 * defaults until set.
 */
struct sock_otp {
	int iow;           /* {otp, iow}: kept, not used */
	unsigned int rnum; /* {otp, rcvbuf} as {N, Size}: N; 0 for Size */
	uint64_t rbufsz;   /* {otp, rcvbuf}: what a recv of Length 0 reads */
	uint64_t rctrlsz;  /* {otp, rcvctrlbuf}: for received cmsgs */
	uint64_t wctrlsz;  /* {otp, sndctrlbuf}: for sent cmsgs */
	term meta;         /* {otp, meta} (owned): undefined until set */
};

struct sock {
	int fd;
	uint32_t ref;  /* N of #Ref<0.0.0.N> */
	term self;     /* {'$socket', #Ref<0.0.0.N>}, made once */
	size_t nmon;   /* monitors on it */
	int domain;    /* AF_* */
	int type;      /* SOCK_* */
	int protocol;  /* IPPROTO_* or 0 */
	int state;     /* SOCK_* bits */
	int owned;     /* 1: esock closes fd; 0: adopted with dup */
	int xflags;    /* SOCK_X_* */
	int ctype;     /* SOCK_CTYPE_*, or the FD of {fromfd, FD} */
	uint64_t wacc; /* OTP\'s writePkgMaxCnt: bytes of one send so far */
	uint64_t counters[SOCK_NCOUNTERS];
	struct sock_otp otp;
	struct sock_sendfile *sf;             /* NULL until sendfile is used */
	struct sock_req *qhead[2], *qtail[2]; /* by enum sock_dir */
	struct sock *hnext;                   /* registry hash chain */
	struct sock *prev; /* registry list, in order of creation */
	struct sock *next;
};

/* Closes every socket (at exit). */
void sock_close_all(void);
/*
 * Closes every open socket, as close does each (info/1 still answers for
 * the last ones): their owner, the session's process, went.
 */
void sock_close_open(void);

/*
 * A socket closed a short while ago, kept so that info/1 still reads
 * its counters as OTP's does (the last SOCK_CLOSED_KEEP closed); NULL
 * when the term names none.
 */
#define SOCK_CLOSED_KEEP 256
struct sock *sock_find_closed(term);

/*
 * Monitors (OTP's socket:monitor/1), all the session's own: when the
 * socket closes, {'DOWN', MRef, socket, Socket, closed} goes to the
 * mailbox. sock_monitor returns MRef; for a socket closed already the
 * message goes at once. sock_demonitor: 1 when MRef was active.
 */
term sock_monitor(term);
int sock_demonitor(term);
/* The monitors of a socket, or all (NULL), newest first; a list. */
term sock_monitors(const struct sock *);
size_t sock_nmonitors(void);

/*
 * Whether sockets are listed by which_sockets and number_of when their
 * open options do not say (use_registry/1; on at first).
 */
void sock_set_registry(int);
int sock_registry(void);

/*
 * Registers an open descriptor (made non-blocking and close-on-exec
 * here unless the last argument says it is already). Returns the
 * socket, or NULL with errno set.
 */
struct sock *sock_new(int, int, int, int, int);
/* Closes and forgets a socket. Returns 0, or -1 with errno set. */
int sock_close(struct sock *);
/* The socket a {'$socket', Ref} term names; NULL if none or closed. */
struct sock *sock_find(term);
/* Nonzero when the term has the shape of a socket, open or not. */
int sock_is_term(term);
/* {'$socket', #Ref<0.0.0.N>} for a socket (owned result). */
term sock_term(const struct sock *);

/* The current socket (most recently opened or accepted), or NULL. */
struct sock *sock_current(void);
void sock_set_current(struct sock *);

/* Every open socket, in order of creation (free the array). */
struct sock **sock_all(size_t *);

/*
 * Nonzero when the session may try an operation in a direction now: no
 * request waits there, or the first was notified (the session then acts
 * for it). A first request not yet notified gets one look at the loop
 * first, as OTP's poll thread would have told it by now.
 */
int sock_q_free(struct sock *, int);
/*
 * The operation in that direction finished (done or failed): the
 * notified request the session acted for leaves, and the next is armed.
 */
void sock_q_done(struct sock *, int);
/*
 * The same for a call that only tried (Timeout 0 found nothing): the
 * session's own nowait request waiting first stays.
 */
void sock_q_tried(struct sock *, int);
/*
 * A nowait operation could not complete: a request with this handle
 * (consumed) takes the place of the notified first one (the session
 * acted for it and keeps its turn) or joins the end of the queue. A
 * nowait accept or recv while the session's own nowait one waits first
 * renews that one instead, as OTP's current acceptor or reader calling
 * again does: a recv's handle is replaced; an accept's select message
 * names the new handle while cancel and abort still know the first.
 * Returns 0, or -1 with errno set when the loop cannot watch the fd.
 */
int sock_q_push(struct sock *, int, enum sock_op, term);
/*
 * A blocking operation must wait (a blocking recv drops the session's
 * own nowait one waiting first, as OTP's does): it queues as a request and runs
 * the loop until its turn comes and the socket is ready, acting for the nowait
 * requests ahead of it as each is notified. deadline is on loop_now_ms()'s
 * clock, -1 for none. Returns 0 (try again), or -1 with errno ETIMEDOUT, EINTR
 * (SIGINT) or a watch failure; the request is gone then.
 */
int sock_q_wait(struct sock *, int, enum sock_op, int64_t);
/*
 * Whether the session's own nowait accept or recv of op waits first: a
 * new call of op tries at once and takes it over (OTP's current acceptor
 * or reader), and once the call is done the request is gone too.
 */
int sock_q_own(struct sock *, enum sock_op);
/* Withdraws the nowait request op/handle: 0, or -1 when there is none. */
int sock_q_cancel(struct sock *, enum sock_op, term);
/* Requests of an op waiting on the socket (info/1's num_* counts). */
size_t sock_q_count(const struct sock *, enum sock_op);
/* Re-arms both queues after relay took the descriptor's callbacks. */
void sock_q_rearm(struct sock *);

#endif
