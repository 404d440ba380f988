/*
 * Netcat mode: copies one descriptor to a socket and the socket to
 * another descriptor until both directions have ended, on the shared
 * event loop. Building the result term is the caller's (cmd_relay.c).
 */
#ifndef ESOCK_RELAY_H
#define ESOCK_RELAY_H

#include <stdint.h>

struct sock;

/*
 * Copies in_fd to the socket and the socket to out_fd. EOF on in_fd
 * becomes shutdown(SHUT_WR) on a stream or seqpacket socket; EOF from the
 * socket ends the other direction. A datagram socket has no EOF: once
 * in_fd has ended, relay waits for idle_ms (500 when -1) without a
 * datagram and then ends. On a stream socket idle_ms >= 0 is a limit on
 * time without traffic. The descriptors' flags are restored before it
 * returns. Returns 0 when both directions ended, or -1 with errno set:
 * ETIMEDOUT for the idle limit, EINTR for SIGINT, else what failed.
 */
int relay_run(struct sock *, int, int, int64_t);

#endif
