/*
 * Relays: copy both ways between two ends (a socket, stdin and stdout, a
 * child's socketpair, a file) until both ways have ended, on the shared
 * event loop. Many relays may run at once (serve); relay_run runs one to
 * its end. Building result terms is the callers' (cmd_relay.c).
 */
#ifndef ESOCK_RELAY_H
#define ESOCK_RELAY_H

#include <stdint.h>

struct sock;

/*
 * One end: the descriptor read from and the one written to (the same
 * for a socket), -1 for a way the end does not take part in. s is the
 * esock socket of the descriptors, whose counters and state relay keeps,
 * or NULL.
 */
struct relay_end {
	int rfd;
	int wfd;
	struct sock *s;
	int type; /* a non-blocking socket's known type, or 0: relay asks */
	/* Bytes (a datagram) read from this end already: sent on first. */
	const char *pending;
	size_t npending;
};

#define RELAY_AB 0x1 /* the way from end A to end B */
#define RELAY_BA 0x2 /* the way from end B to end A */

struct relay_opts {
	int ways;         /* RELAY_AB | RELAY_BA: the ways copied */
	int crlf;         /* a line's LF becomes CRLF into a socket (nc -C) */
	int64_t idle_ms;  /* time without traffic that ends it; -1: none */
	int64_t total_ms; /* time that ends it; -1: none */
};

/* What a relay moved, and how it ended. */
struct relay_stats {
	uint64_t bytes[2]; /* [0]: A to B, [1]: B to A */
	int64_t start_ms;  /* loop_now_ms() at the start and end */
	int64_t end_ms;
	int err; /* 0: both ways ended; else the errno (ETIMEDOUT...) */
};

struct relay;

/*
 * Starts a relay between a and b: descriptors made non-blocking (their
 * flags restored by relay_free), ways chosen (splice(2) where both ends
 * allow it). EOF on a way's source, once its data has gone out, becomes
 * shutdown(SHUT_WR) on a stream socket at its sink (nc -N); a datagram
 * socket has no EOF, and when every way that can end has ended, 500 ms
 * without a datagram end the relay (socat -t). When A reads a terminal,
 * the end of the way B to A ends the relay. Returns NULL with errno set.
 */
struct relay *relay_start(const struct relay_end *, const struct relay_end *,
    const struct relay_opts *);
/*
 * Moves what can move. Returns 1 when the relay has ended (stats tell
 * how), 0 when it waits on the loop.
 */
int relay_step(struct relay *);
/* Nonzero when the loop has woken the relay since its last step. */
int relay_kicked(const struct relay *);
/* Milliseconds until the relay's next deadline: -1 none, 0 now. */
int64_t relay_wait(const struct relay *);
void relay_stats(const struct relay *, struct relay_stats *);
/* Stops watching, restores the descriptors' flags; closes nothing. */
void relay_free(struct relay *);

/*
 * Runs one relay to its end. Returns 0 when both ways ended, or -1 with
 * errno set: ETIMEDOUT for a time limit, EINTR for SIGINT, else what
 * failed. stats may be NULL.
 */
int relay_run(const struct relay_end *, const struct relay_end *,
    const struct relay_opts *, struct relay_stats *);

#endif
