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

static const struct {
	int dir;
	short filter;
} kq_filters[] = {{LOOP_READ, EVFILT_READ}, {LOOP_WRITE, EVFILT_WRITE}};

/*
 * kqueue filters are per direction: each wanted one is added (again, if
 * its kind changes), one-shot when the slot asks (EV_ONESHOT), and each
 * armed one no longer wanted is deleted. A one-shot filter that fired
 * is gone already, so a failed delete is no error.
 */
static int
api_sync(struct loop *l, int fd, struct loop_fd *f)
{
	struct api_state *st = l->api;
	struct kevent ke;
	int one = want_one(f);
	size_t i;

	for (i = 0; i < NELEMS(kq_filters); i++) {
		int d = kq_filters[i].dir;

		if ((f->mask & d) && (!(f->kmask & d) || f->kone != one)) {
			EV_SET(&ke, fd, kq_filters[i].filter,
			    EV_ADD | (one ? EV_ONESHOT : 0), 0, 0, NULL);
			if (kevent(st->kq, &ke, 1, NULL, 0, NULL) < 0)
				return -1;
		} else if (!(f->mask & d) && (f->kmask & d)) {
			EV_SET(&ke, fd, kq_filters[i].filter, EV_DELETE, 0, 0,
			    NULL);
			(void)kevent(st->kq, &ke, 1, NULL, 0, NULL);
		}
	}
	f->kmask = f->mask;
	f->kone = one;
	return 0;
}

/* A one-shot filter that fired is deleted: that direction only. */
static void
api_fired(struct loop_fd *f, int mask)
{
	if (f->kone)
		f->kmask &= ~mask;
}

/* close(2) deletes the descriptor's filters. */
static void
api_forget(struct loop *l, int fd, struct loop_fd *f)
{
	(void)l;
	(void)fd;
	(void)f;
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
