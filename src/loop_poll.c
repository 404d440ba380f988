/*
 * poll(2) backend of loop.c: the portable fallback (make BACKEND=poll).
 * Included by loop.c; not compiled alone. The pollfd array is rebuilt
 * from the fd slots at each wait, which is O(maxfd): fine for a fallback.
 */
#include <poll.h>

struct api_state {
	struct pollfd *pfds;
};

static int
api_create(struct loop *l)
{
	struct api_state *st = xcalloc(1, sizeof *st);

	st->pfds = xreallocarray(NULL, (size_t)l->nfds, sizeof *st->pfds);
	l->api = st;
	return 0;
}

static int
api_resize(struct loop *l, int n)
{
	struct api_state *st = l->api;

	st->pfds = xreallocarray(st->pfds, (size_t)n, sizeof *st->pfds);
	return 0;
}

static void
api_free(struct loop *l)
{
	struct api_state *st = l->api;

	if (st == NULL)
		return;
	free(st->pfds);
	free(st);
	l->api = NULL;
}

/* poll asks anew at each wait: arming is bookkeeping. */
static int
api_sync(struct loop *l, int fd, struct loop_fd *f)
{
	(void)l;
	(void)fd;
	f->kmask = f->mask;
	f->kone = want_one(f);
	return 0;
}

static void
api_fired(struct loop_fd *f, int mask)
{
	if (f->kone)
		f->kmask &= ~mask;
}

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
	nfds_t n = 0, i;
	int rc, fired = 0;

	for (i = 0; (int)i <= l->maxfd; i++) {
		if (l->fds[i].mask == 0)
			continue;
		st->pfds[n].fd = (int)i;
		st->pfds[n].events =
		    (short)(((l->fds[i].mask & LOOP_READ) ? POLLIN : 0) |
		            ((l->fds[i].mask & LOOP_WRITE) ? POLLOUT : 0));
		st->pfds[n].revents = 0;
		n++;
	}
	rc = poll(st->pfds, n,
	    wait < 0            ? -1
	    : wait > 0x7fffffff ? 0x7fffffff
	                        : (int)wait);
	if (rc <= 0)
		return rc;
	for (i = 0; i < n; i++) {
		short e = st->pfds[i].revents;
		int m = 0;

		if (e == 0)
			continue;
		if (e & (POLLIN | POLLERR | POLLHUP | POLLNVAL))
			m |= LOOP_READ;
		if (e & (POLLOUT | POLLERR | POLLHUP | POLLNVAL))
			m |= LOOP_WRITE;
		l->fired[fired].fd = st->pfds[i].fd;
		l->fired[fired].mask = m;
		fired++;
	}
	return fired;
}

static const char *
api_name(void)
{
	return "poll";
}
