/*
 * The socket registry behind {'$socket', #Ref<...>}: each open socket's
 * descriptor (always non-blocking), its domain/type/protocol as OTP names
 * them, its counters, the current socket, and the blocking wait that
 * every command with a Timeout uses, on the one event loop.
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

/* State bits, reported by info/1 as OTP's rstates/wstates. */
#define SOCK_BOUND 0x01
#define SOCK_LISTENING 0x02
#define SOCK_CONNECTED 0x04
#define SOCK_CONNECTING 0x08
#define SOCK_SHUT_READ 0x10
#define SOCK_SHUT_WRITE 0x20

/* More facts OTP's info/1 reports. */
#define SOCK_X_RSELECTED 0x1 /* a read or accept waited */
#define SOCK_X_WSELECTED 0x2 /* a write or connect waited */
#define SOCK_X_NOREG 0x4     /* opened with use_registry => false */
#define SOCK_X_DEBUG 0x8     /* opened with debug => true */

#define SOCK_CTYPE_NORMAL (-1)
#define SOCK_CTYPE_FROMFD (-2) /* open(FD, #{dup => false}) */

struct sock {
	int fd;
	uint32_t ref; /* N of #Ref<0.0.0.N> */
	int domain;   /* AF_* */
	int type;     /* SOCK_* */
	int protocol; /* IPPROTO_* or 0 */
	int state;    /* SOCK_* bits */
	int owned;    /* 1: esock closes fd; 0: adopted with dup */
	int xflags;   /* SOCK_X_* */
	int ctype;    /* SOCK_CTYPE_*, or the FD of {fromfd, FD} */
	uint64_t wacc; /* OTP\'s writePkgMaxCnt: bytes of one send so far */
	uint64_t counters[SOCK_NCOUNTERS];
	struct sock *hnext; /* registry hash chain */
	struct sock *prev;  /* registry list, in order of creation */
	struct sock *next;
};

/* Closes every socket (at exit). */
void sock_close_all(void);

/*
 * Registers an open descriptor (made non-blocking here). Returns the
 * socket, or NULL with errno set.
 */
struct sock *sock_new(int, int, int, int);
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
size_t sock_count(void);

/*
 * Waits until the socket is ready for mask (LOOP_READ or LOOP_WRITE) or
 * timeout_ms passes (-1: infinity). Returns 0 when ready, -1 with errno
 * ETIMEDOUT on timeout or EINTR when SIGINT interrupted the wait.
 */
int sock_wait(struct sock *, int, int64_t);

#endif
