/*
 * The event loop: file descriptors with read/write interest and
 * callbacks, and one wait call with a timeout. It knows nothing of
 * terms or sockets; sock.c and relay.c build OTP's semantics on it.
 * Backends (epoll, kqueue, poll) sit behind it, chosen at compile time.
 */
#ifndef ESOCK_LOOP_H
#define ESOCK_LOOP_H

#include <stdint.h>

#define LOOP_READ 0x1
#define LOOP_WRITE 0x2
#define LOOP_ONESHOT 0x4 /* with loop_watch: dropped when it fires */

struct loop;

/* Called with the ready part of the fd's interest (LOOP_READ/WRITE). */
typedef void loop_fd_cb(struct loop *, int, int, void *);
/* A callback that sets the int its argument points to, to 1. */
loop_fd_cb loop_set_flag;

/*
 * The process's loop and its signal self-pipe, made on first use (main
 * makes them at start, before any socket can use up the descriptors).
 */
struct loop *loop_get(void);
/* Frees the process's loop, if it was made (at exit). */
void loop_shutdown(void);

/*
 * Adds interest in mask for fd, with one callback per direction: a
 * second watch of the same direction replaces the first. Returns 0, or
 * -1 with errno set.
 */
int loop_watch(struct loop *, int, int, loop_fd_cb *, void *);
/* Drops interest in mask; the fd is forgotten when none is left. */
void loop_unwatch(struct loop *, int, int);
/*
 * Drops all interest in fd, which is about to be closed: a descriptor
 * ever watched one-shot must go through here before close(2), as a
 * one-shot direction may still be armed.
 */
void loop_forget(struct loop *, int);

/*
 * Waits at most timeout_ms (-1: until something happens) and runs the
 * callbacks of what became ready. Returns the number of callbacks run,
 * or -1 when interrupted by SIGINT (see loop_interrupted). A wait
 * failure other than EINTR is fatal.
 */
int loop_run_once(struct loop *, int64_t);

/* Milliseconds of a monotonic clock. */
int64_t loop_now_ms(void);

/* Nonzero once after SIGINT arrived (the flag is cleared by reading). */
int loop_interrupted(void);
/* Installs the SIGINT handler that wakes the loop through a self-pipe. */
void loop_catch_sigint(void);

/* "epoll", "kqueue" or "poll". */
const char *loop_backend(void);

#endif
