/*
 * epoll backend of loop.c (Linux). Included by loop.c; not compiled
 * alone. It only turns epoll's events into the loop's fired array.
 */
#include <sys/epoll.h>

struct api_state {
	int epfd;
	struct epoll_event *events;
};

static int
api_create(struct loop *l)
{
	struct api_state *st = xcalloc(1, sizeof *st);

	st->events = xreallocarray(NULL, (size_t)l->nfds, sizeof *st->events);
	st->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (st->epfd < 0) {
		int save = errno;

		free(st->events);
		free(st);
		errno = save;
		return -1;
	}
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
	close(st->epfd);
	free(st->events);
	free(st);
	l->api = NULL;
}

static uint32_t
to_epoll(int mask)
{
	return ((mask & LOOP_READ) ? EPOLLIN : 0) |
	       ((mask & LOOP_WRITE) ? EPOLLOUT : 0);
}

/*
 * Arms what the slot wants, one-shot when it asks (EPOLLONESHOT), or
 * leaves the set when it wants nothing.
 */
static int
api_sync(struct loop *l, int fd, struct loop_fd *f)
{
	struct api_state *st = l->api;
	struct epoll_event ee;
	int one = want_one(f);

	memset(&ee, 0, sizeof ee); /* avoid valgrind's uninitialised data */
	if (f->mask == 0) {
		/* Kernel < 2.6.9 wants a non-null event even for EPOLL_CTL_DEL.
		 */
		(void)epoll_ctl(st->epfd, EPOLL_CTL_DEL, fd, &ee);
		f->added = f->kmask = f->kone = 0;
		return 0;
	}
	ee.events = to_epoll(f->mask) | (one ? EPOLLONESHOT : 0);
	ee.data.fd = fd;
	if (!f->added
	        ? epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ee) < 0 &&
	              (errno != EEXIST ||
	                  epoll_ctl(st->epfd, EPOLL_CTL_MOD, fd, &ee) < 0)
	        /* A descriptor closed and opened again left the set. */
	        : epoll_ctl(st->epfd, EPOLL_CTL_MOD, fd, &ee) < 0 &&
	              (errno != ENOENT ||
	                  epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ee) < 0))
		return -1;
	f->added = 1;
	f->kmask = f->mask;
	f->kone = one;
	return 0;
}

/* A one-shot registration fired: the kernel disarmed all of it. */
static void
api_fired(struct loop_fd *f, int mask)
{
	(void)mask;
	if (f->kone)
		f->kmask = 0;
}

/* Before close: a registration still armed must not outlive the fd. */
static void
api_forget(struct loop *l, int fd, struct loop_fd *f)
{
	struct api_state *st = l->api;
	struct epoll_event ee;

	if (f->kmask == 0)
		return;
	memset(&ee, 0, sizeof ee);
	(void)epoll_ctl(st->epfd, EPOLL_CTL_DEL, fd, &ee);
}

static int
api_poll(struct loop *l, int64_t wait)
{
	struct api_state *st = l->api;
	int n, i, m;

	n = epoll_wait(st->epfd, st->events, l->nfds,
	    wait < 0            ? -1
	    : wait > 0x7fffffff ? 0x7fffffff
	                        : (int)wait);
	for (i = 0; i < n; i++) {
		uint32_t e = st->events[i].events;

		m = 0;
		/* Errors and hang-ups wake both directions, as poll's do. */
		if (e & (EPOLLIN | EPOLLERR | EPOLLHUP))
			m |= LOOP_READ;
		if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			m |= LOOP_WRITE;
		l->fired[i].fd = st->events[i].data.fd;
		l->fired[i].mask = m;
	}
	return n;
}

static const char *
api_name(void)
{
	return "epoll";
}
