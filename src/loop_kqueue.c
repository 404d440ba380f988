/*
 * kqueue backend of loop.c (BSD, macOS). Included by loop.c; not
 * compiled alone. Written against kqueue(2) as documented; esock's
 * tests run on Linux, where this file is not built.
 */
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>

struct api_state {
	int kq;
	struct kevent *events;
};

static int
api_create(struct loop *l)
{
	struct api_state *st = xcalloc(1, sizeof *st);

	st->events = xreallocarray(NULL, (size_t)l->nfds, sizeof *st->events);
	st->kq = kqueue();
	if (st->kq < 0) {
		int save = errno;

		free(st->events);
		free(st);
		errno = save;
		return -1;
	}
	(void)fcntl(st->kq, F_SETFD, FD_CLOEXEC);
	l->api = st;
	return 0;
}

static int
api_resize(struct loop *l, int n)
{
	struct api_state *st = l->api;

	st->events = xreallocarray(st->events, (size_t)n, sizeof *st->events);
	return 0;
}

static void
api_free(struct loop *l)
{
	struct api_state *st = l->api;

	if (st == NULL)
		return;
	close(st->kq);
	free(st->events);
	free(st);
	l->api = NULL;
}

/* kqueue filters are per direction: add only what is new. */
static int
api_add(struct loop *l, int fd, int old, int add)
{
	struct api_state *st = l->api;
	struct kevent ke;

	if ((add & LOOP_READ) && !(old & LOOP_READ)) {
		EV_SET(&ke, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
		if (kevent(st->kq, &ke, 1, NULL, 0, NULL) < 0)
			return -1;
	}
	if ((add & LOOP_WRITE) && !(old & LOOP_WRITE)) {
		EV_SET(&ke, fd, EVFILT_WRITE, EV_ADD, 0, 0, NULL);
		if (kevent(st->kq, &ke, 1, NULL, 0, NULL) < 0)
			return -1;
	}
	return 0;
}

static void
api_del(struct loop *l, int fd, int old, int del)
{
	struct api_state *st = l->api;
	struct kevent ke;

	if ((del & LOOP_READ) && (old & LOOP_READ)) {
		EV_SET(&ke, fd, EVFILT_READ, EV_DELETE, 0, 0, NULL);
		(void)kevent(st->kq, &ke, 1, NULL, 0, NULL);
	}
	if ((del & LOOP_WRITE) && (old & LOOP_WRITE)) {
		EV_SET(&ke, fd, EVFILT_WRITE, EV_DELETE, 0, 0, NULL);
		(void)kevent(st->kq, &ke, 1, NULL, 0, NULL);
	}
}

static int
api_poll(struct loop *l, int64_t wait)
{
	struct api_state *st = l->api;
	struct timespec ts, *tp = NULL;
	int n, i;

	if (wait >= 0) {
		ts.tv_sec = (time_t)(wait / 1000);
		ts.tv_nsec = (long)(wait % 1000) * 1000000L;
		tp = &ts;
	}
	n = kevent(st->kq, NULL, 0, st->events, l->nfds, tp);
	/* One fd may fire twice (read and write): fired[] holds both. */
	for (i = 0; i < n; i++) {
		l->fired[i].fd = (int)st->events[i].ident;
		l->fired[i].mask = st->events[i].filter == EVFILT_READ
		                       ? LOOP_READ
		                       : LOOP_WRITE;
	}
	return n;
}

static const char *
api_name(void)
{
	return "kqueue";
}
