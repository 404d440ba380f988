/*
 * The event loop, after Redis's ae: per-fd slots indexed by descriptor,
 * a shared array of fired events that the backend fills, and dispatch
 * written once here. The backend (loop_epoll.c, loop_kqueue.c or
 * loop_poll.c, best first) is #included, never compiled alone.
 *
 * Interest is level-triggered, or one-shot (LOOP_ONESHOT): a one-shot
 * direction is dropped as it fires, and the kernel disarms it by itself
 * (EPOLLONESHOT, EV_ONESHOT), so that the common nowait request costs
 * one call to arm and none to disarm. The slot keeps what the kernel
 * has armed (kmask) beside what is wanted (mask); a backend's api_sync
 * makes the one match the other, and only when it must (stale). A
 * one-shot direction no longer wanted is left armed: it fires at most
 * once more, to nobody. There are no timer events: the one
 * wait in progress (a blocking call, sleep, receive or relay) has one
 * deadline, which its caller turns into the wait's timeout, and nowait
 * requests have none, as in OTP. Thousands of pending requests thus
 * cost no timer at all.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "util.h"

struct loop_fd {
	int mask;  /* directions wanted */
	int once;  /* which of them are one-shot */
	int kmask; /* directions the kernel has armed */
	int kone;  /* armed one-shot */
	int added; /* in the kernel's set (epoll) */
	loop_fd_cb *rcb;
	loop_fd_cb *wcb;
	void *rarg;
	void *warg;
};

struct loop_fired {
	int fd;
	int mask;
};

struct loop {
	struct loop_fd *fds; /* indexed by fd */
	int nfds;            /* slots allocated */
	int maxfd;           /* highest fd with interest, or -1 */
	struct loop_fired *fired;
	uint64_t polls; /* waits so far: a callback may run the loop too */
	void *api;      /* backend state */
};

static struct loop *the_loop;
static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t sig_int;

static void loop_grow(struct loop *, int);

/* One-shot is asked for when every direction wanted is one-shot. */
static int
want_one(const struct loop_fd *f)
{
	return f->mask != 0 && f->once == f->mask;
}

/* Whether the kernel's interest must be brought in line now. */
static int
stale(const struct loop_fd *f)
{
	if (f->mask & ~f->kmask)
		return 1; /* wanted, not armed */
	if (f->kmask & ~f->mask)
		return !f->kone; /* armed, unwanted: a one-shot may fire once */
	return f->mask != 0 && f->kone != want_one(f);
}

#if defined(ESOCK_FORCE_POLL)
#include "loop_poll.c"
#elif defined(__linux__)
#include "loop_epoll.c"
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) ||    \
    defined(__NetBSD__) || defined(__DragonFly__)
#include "loop_kqueue.c"
#else
#include "loop_poll.c"
#endif

const char *
loop_backend(void)
{
	return api_name();
}

int64_t
loop_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		fatal("clock_gettime: %s", strerror(errno));
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sig_pipe_open(struct loop *);

struct loop *
loop_get(void)
{
	struct loop *l;

	if (the_loop != NULL)
		return the_loop;
	l = xcalloc(1, sizeof *l);
	l->maxfd = -1;
	loop_grow(l, 64);
	if (api_create(l) < 0)
		fatal("event loop: %s", strerror(errno));
	the_loop = l;
	sig_pipe_open(l);
	return l;
}

static void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	api_free(l);
	free(l->fds);
	free(l->fired);
	if (l == the_loop)
		the_loop = NULL;
	free(l);
}

void
loop_shutdown(void)
{
	int i;

	loop_free(the_loop);
	for (i = 0; i < 2; i++) {
		if (sig_pipe[i] >= 0)
			(void)close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
}

/* Makes room for descriptors up to n - 1. */
static void
loop_grow(struct loop *l, int n)
{
	int old = l->nfds;

	if (n <= old)
		return;
	if (n < old * 2)
		n = old * 2;
	l->fds = xreallocarray(l->fds, (size_t)n, sizeof *l->fds);
	l->fired = xreallocarray(l->fired, (size_t)n, sizeof *l->fired);
	memset(l->fds + old, 0, (size_t)(n - old) * sizeof *l->fds);
	l->nfds = n;
	if (l->api != NULL && api_resize(l, n) < 0)
		fatal("event loop: %s", strerror(errno));
}

int
loop_watch(struct loop *l, int fd, int mask, loop_fd_cb *cb, void *arg)
{
	struct loop_fd *f, saved;
	int dirs = mask & (LOOP_READ | LOOP_WRITE);

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (fd >= l->nfds)
		loop_grow(l, fd + 1);
	f = &l->fds[fd];
	saved = *f;
	f->mask |= dirs;
	if (mask & LOOP_ONESHOT)
		f->once |= dirs;
	else
		f->once &= ~dirs;
	if (stale(f) && api_sync(l, fd, f) < 0) {
		int save = errno;

		*f = saved;
		errno = save;
		return -1;
	}
	if (dirs & LOOP_READ) {
		f->rcb = cb;
		f->rarg = arg;
	}
	if (dirs & LOOP_WRITE) {
		f->wcb = cb;
		f->warg = arg;
	}
	if (fd > l->maxfd)
		l->maxfd = fd;
	return 0;
}

static void
lower_maxfd(struct loop *l)
{
	while (l->maxfd >= 0 && l->fds[l->maxfd].mask == 0)
		l->maxfd--;
}

/*
 * Brings the kernel in line after interest dropped or a one-shot fired.
 * A descriptor closed meanwhile has left the kernel's set by itself;
 * any other failure is a lost memory.
 */
static void
resync(struct loop *l, int fd, struct loop_fd *f)
{
	if (!stale(f) || api_sync(l, fd, f) == 0)
		return;
	if (errno != EBADF && errno != ENOENT)
		fatal("event loop: %s", strerror(errno));
	f->kmask = f->kone = f->added = 0;
}

void
loop_unwatch(struct loop *l, int fd, int mask)
{
	struct loop_fd *f;

	if (fd < 0 || fd >= l->nfds || (l->fds[fd].mask & mask) == 0)
		return;
	f = &l->fds[fd];
	f->mask &= ~mask;
	f->once &= ~mask;
	resync(l, fd, f);
	if (f->mask == 0 && fd == l->maxfd)
		lower_maxfd(l);
}

void
loop_forget(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfds)
		return;
	api_forget(l, fd, &l->fds[fd]);
	memset(&l->fds[fd], 0, sizeof l->fds[fd]);
	if (fd == l->maxfd)
		lower_maxfd(l);
}

static void
on_sigint(int sig)
{
	int save = errno;

	(void)sig;
	sig_int = 1;
	if (sig_pipe[1] >= 0)
		(void)write(sig_pipe[1], "", 1);
	errno = save;
}

static void
drain_sig_pipe(struct loop *l, int fd, int mask, void *arg)
{
	char b[64];

	(void)l;
	(void)mask;
	(void)arg;
	while (read(fd, b, sizeof b) > 0)
		continue;
}

/*
 * The self-pipe a signal handler writes to, made with the loop: a
 * signal may come when no descriptor is left to make it with.
 */
static void
sig_pipe_open(struct loop *l)
{
	int i;

	if (pipe(sig_pipe) < 0)
		fatal("pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		(void)fcntl(sig_pipe[i], F_SETFL,
		    fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		(void)fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	if (loop_watch(l, sig_pipe[0], LOOP_READ, drain_sig_pipe, NULL) < 0)
		fatal("event loop: %s", strerror(errno));
}

void
loop_set_flag(struct loop *l, int fd, int mask, void *arg)
{
	(void)l;
	(void)fd;
	(void)mask;
	*(int *)arg = 1;
}

void
loop_catch_sigint(void)
{
	struct sigaction sa;

	(void)loop_get();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0)
		fatal("sigaction: %s", strerror(errno));
}

int
loop_interrupted(void)
{
	int was = sig_int;

	sig_int = 0;
	return was;
}

int
loop_run_once(struct loop *l, int64_t timeout_ms)
{
	uint64_t polls;
	int n, i, ran = 0;

	n = api_poll(l, timeout_ms);
	polls = ++l->polls;
	if (n < 0) {
		if (errno != EINTR)
			fatal("event loop wait: %s", strerror(errno));
		n = 0;
	}
	/*
	 * A callback that runs the loop itself (the REPL evaluating a line
	 * that waits) refills fired[]: the rest of this round is then stale,
	 * and being level-triggered, the next wait reports it again.
	 */
	for (i = 0; i < n && polls == l->polls; i++) {
		int fd = l->fired[i].fd, mask = l->fired[i].mask;
		struct loop_fd *f = &l->fds[fd];

		api_fired(f, mask);
		/* A callback may have dropped interest since the wait. */
		if ((mask & LOOP_READ) && (f->mask & LOOP_READ)) {
			f->mask &= ~(f->once & LOOP_READ);
			f->once &= ~LOOP_READ;
			f->rcb(l, fd, LOOP_READ, f->rarg);
			ran++;
			f = &l->fds[fd]; /* a callback may have grown fds */
		}
		if ((mask & LOOP_WRITE) && (f->mask & LOOP_WRITE) &&
		    polls == l->polls) {
			f->mask &= ~(f->once & LOOP_WRITE);
			f->once &= ~LOOP_WRITE;
			f->wcb(l, fd, LOOP_WRITE, f->warg);
			ran++;
			f = &l->fds[fd];
		}
		/* What the kernel disarmed and is still wanted is armed again.
		 */
		resync(l, fd, f);
	}
	if (sig_int)
		return -1;
	return ran;
}
