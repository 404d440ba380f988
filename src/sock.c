/*
 * The socket registry: sockets by reference number in a hash table and
 * in a list kept in order of creation (which_sockets), the current
 * socket, and the blocking wait on the event loop. Commands build OTP's
 * semantics on top; the loop knows nothing of them.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "sock.h"
#include "util.h"

static struct sock **table; /* hash by ref */
static size_t table_cap;
static size_t nsocks;
static struct sock *first, *last, *current;

static size_t
slot(uint32_t ref)
{
	return (ref * 2654435761u) & (table_cap - 1);
}

static void
table_grow(void)
{
	size_t cap = table_cap ? table_cap * 2 : 64, i;
	struct sock **t = xcalloc(cap, sizeof *t), *s, *next;

	for (i = 0; i < table_cap; i++) {
		for (s = table[i]; s != NULL; s = next) {
			next = s->hnext;
			s->hnext = t[(s->ref * 2654435761u) & (cap - 1)];
			t[(s->ref * 2654435761u) & (cap - 1)] = s;
		}
	}
	free(table);
	table = t;
	table_cap = cap;
}

static int
set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

struct sock *
sock_new(int fd, int domain, int type, int protocol)
{
	struct sock *s;
	term ref;
	uint32_t parts[4];
	size_t h;

	if (set_flags(fd) < 0)
		return NULL;
	if (nsocks * 2 >= table_cap)
		table_grow();
	s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->domain = domain;
	s->type = type;
	s->protocol = protocol;
	s->owned = 1;
	s->ctype = SOCK_CTYPE_NORMAL;
	ref = term_new_ref();
	term_ref_parts(ref, parts);
	term_free(ref);
	s->ref = parts[3];
	h = slot(s->ref);
	s->hnext = table[h];
	table[h] = s;
	s->prev = last;
	if (last != NULL)
		last->next = s;
	else
		first = s;
	last = s;
	nsocks++;
	return s;
}

int
sock_close(struct sock *s)
{
	struct sock **pp;
	int rc = 0, save = 0;

	for (pp = &table[slot(s->ref)]; *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	}
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		first = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		last = s->prev;
	nsocks--;
	if (current == s)
		current = NULL;
	loop_unwatch(loop_get(), s->fd, LOOP_READ | LOOP_WRITE);
	/* EINTR from close still released the descriptor on Linux. */
	if (close(s->fd) < 0 && errno != EINTR) {
		save = errno;
		rc = -1;
	}
	free(s);
	errno = save;
	return rc;
}

void
sock_close_all(void)
{
	while (first != NULL)
		(void)sock_close(first);
	free(table);
	table = NULL;
	table_cap = 0;
}

int
sock_is_term(term t)
{
	return term_is_tagged(t, "$socket", 2) &&
	       term_kind(term_tuple_get(t, 1)) == TERM_REF;
}

struct sock *
sock_find(term t)
{
	uint32_t p[4];
	struct sock *s;

	if (!sock_is_term(t) || table_cap == 0)
		return NULL;
	term_ref_parts(term_tuple_get(t, 1), p);
	if (p[0] != 0 || p[1] != 0 || p[2] != 0)
		return NULL;
	for (s = table[slot(p[3])]; s != NULL; s = s->hnext)
		if (s->ref == p[3])
			return s;
	return NULL;
}

term
sock_term(const struct sock *s)
{
	return term_tuple2(term_atom("$socket"), term_ref(0, 0, 0, s->ref));
}

struct sock *
sock_current(void)
{
	return current;
}

void
sock_set_current(struct sock *s)
{
	current = s;
}

struct sock **
sock_all(size_t *n)
{
	struct sock **all =
	                xreallocarray(NULL, nsocks ? nsocks : 1, sizeof *all),
	            *s;
	size_t i = 0;

	for (s = first; s != NULL; s = s->next)
		all[i++] = s;
	*n = i;
	return all;
}

size_t
sock_count(void)
{
	return nsocks;
}

struct wait_state {
	int ready;
	int timed_out;
};

static void
on_ready(struct loop *l, int fd, int mask, void *arg)
{
	struct wait_state *w = arg;

	(void)l;
	(void)fd;
	(void)mask;
	w->ready = 1;
}

static void
on_timeout(struct loop *l, uint64_t id, void *arg)
{
	struct wait_state *w = arg;

	(void)l;
	(void)id;
	w->timed_out = 1;
}

int
sock_wait(struct sock *s, int mask, int64_t timeout_ms)
{
	struct loop *l = loop_get();
	struct wait_state w = {0, 0};
	uint64_t timer = 0;
	int interrupted = 0;

	if (loop_watch(l, s->fd, mask, on_ready, &w) < 0)
		return -1;
	if (timeout_ms >= 0)
		timer = loop_timer_add(l, timeout_ms, on_timeout, &w);
	while (!w.ready && !w.timed_out) {
		if (loop_run_once(l, -1) < 0 && loop_interrupted()) {
			interrupted = 1;
			break;
		}
	}
	loop_unwatch(l, s->fd, mask);
	if (timer != 0 && !w.timed_out)
		loop_timer_del(l, timer);
	if (w.ready)
		return 0;
	errno = interrupted ? EINTR : ETIMEDOUT;
	return -1;
}
