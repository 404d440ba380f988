/*
 * The socket registry: sockets by reference number in a hash table and
 * in a list kept in order of creation (which_sockets), the current
 * socket, and each socket's request queues on the event loop: OTP's
 * select model (one-shot readiness, select and abort messages, FIFO
 * turns). Commands build the operations on top; the loop knows nothing
 * of them.
 */
#include "compat.h"

#include <sys/resource.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "mailbox.h"
#include "sock.h"
#include "util.h"

static void q_abort_all(struct sock *);

static struct sock **table; /* hash by ref */
static size_t table_cap;
static size_t nsocks;
static struct sock *first, *last, *current;

static size_t
slot(uint32_t ref)
{
	return (ref * 2654435761u) & (table_cap - 1);
}

/*
 * The registry's first socket raises the descriptor limit to its hard
 * limit, as erts does at start, so ten thousand sockets fit; one-shot
 * runs that open none pay nothing.
 */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
table_grow(void)
{
	size_t cap = table_cap ? table_cap * 2 : 64, i;
	struct sock **t = xcalloc(cap, sizeof *t), *s, *next;

	if (table_cap == 0)
		raise_nofile();
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
sock_new(int fd, int domain, int type, int protocol, int flags_set)
{
	struct sock *s;
	term ref;
	uint32_t parts[4];
	size_t h;

	if (!flags_set && set_flags(fd) < 0)
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
	s->otp.rbufsz = SOCK_RCVBUF_DEFAULT;
	s->otp.rctrlsz = SOCK_CTRLBUF_DEFAULT;
	s->otp.wctrlsz = SOCK_CTRLBUF_DEFAULT;
	s->otp.meta = term_atom("undefined");
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
	q_abort_all(s);
	loop_unwatch(loop_get(), s->fd, LOOP_READ | LOOP_WRITE);
	/* EINTR from close still released the descriptor on Linux. */
	if (close(s->fd) < 0 && errno != EINTR) {
		save = errno;
		rc = -1;
	}
	if (s->sf != NULL && s->sf->fd >= 0)
		(void)close(s->sf->fd);
	free(s->sf);
	term_free(s->otp.meta);
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

static const int dir_mask[2] = {LOOP_READ, LOOP_WRITE};

static void q_arm(struct sock *, int);

/* {'$socket', S, What, Info} into the mailbox (Info consumed). */
static void
post(const struct sock *s, const char *what, term info)
{
	term v[4];

	v[0] = term_atom("$socket");
	v[1] = sock_term(s);
	v[2] = term_atom(what);
	v[3] = info;
	mbox_put(term_tuple(4, v));
}

/*
 * The loop's callback: the first request of each ready direction is
 * notified (a nowait one through the mailbox) and the direction is
 * disarmed, as enif_select is one-shot. O(1) per event.
 */
static void
on_ready(struct loop *l, int fd, int mask, void *arg)
{
	struct sock *s = arg;
	struct sock_req *r;
	int dir;

	for (dir = SOCK_QREAD; dir <= SOCK_QWRITE; dir++) {
		if (!(mask & dir_mask[dir]))
			continue;
		loop_unwatch(l, fd, dir_mask[dir]);
		if ((r = s->qhead[dir]) == NULL || r->notified)
			continue;
		r->notified = 1;
		if (r->nowait)
			post(s, "select", term_copy(r->handle));
	}
}

/* Watches a direction while its first request waits to be notified. */
static int
q_arm_try(struct sock *s, int dir)
{
	struct sock_req *r = s->qhead[dir];

	if (r == NULL || r->notified) {
		loop_unwatch(loop_get(), s->fd, dir_mask[dir]);
		return 0;
	}
	return loop_watch(loop_get(), s->fd, dir_mask[dir], on_ready, s);
}

/*
 * Re-arming after a request left cannot report a failure to anyone;
 * epoll_ctl on an fd already known fails only without memory.
 */
static void
q_arm(struct sock *s, int dir)
{
	if (q_arm_try(s, dir) < 0)
		fatal("cannot watch a socket: %s", strerror(errno));
}

static void
req_free(struct sock_req *r)
{
	term_free(r->handle);
	free(r);
}

/* Unlinks r (with its predecessor, or NULL when r is first). */
static void
q_unlink(struct sock *s, int dir, struct sock_req *prev, struct sock_req *r)
{
	if (prev == NULL)
		s->qhead[dir] = r->next;
	else
		prev->next = r->next;
	if (s->qtail[dir] == r)
		s->qtail[dir] = prev;
}

/* The first request, if the session acted for it: it leaves. */
static void
q_pop_notified(struct sock *s, int dir)
{
	struct sock_req *r = s->qhead[dir];

	if (r != NULL && r->notified) {
		q_unlink(s, dir, NULL, r);
		req_free(r);
	}
}

/*
 * A request in place of the notified first one, or at the end. Returns
 * it (the caller sets its fields) and whether it is first.
 */
static struct sock_req *
q_enter(struct sock *s, int dir)
{
	struct sock_req *r = s->qhead[dir];

	if (r != NULL && r->notified) {
		term_free(r->handle);
		r->handle = term_nil();
		r->notified = 0;
		return r;
	}
	r = xcalloc(1, sizeof *r);
	r->handle = term_nil();
	if (s->qtail[dir] != NULL)
		s->qtail[dir]->next = r;
	else
		s->qhead[dir] = r;
	s->qtail[dir] = r;
	return r;
}

/* Removes a request that gave up, re-arming the queue if it was first. */
static void
q_remove(struct sock *s, int dir, struct sock_req *r)
{
	struct sock_req *prev = NULL, *p;

	for (p = s->qhead[dir]; p != NULL && p != r; p = p->next)
		prev = p;
	if (p == NULL)
		return;
	q_unlink(s, dir, prev, r);
	req_free(r);
	if (prev == NULL)
		q_arm(s, dir);
}

int
sock_q_free(struct sock *s, int dir)
{
	struct sock_req *r = s->qhead[dir];

	if (r != NULL && !r->notified)
		(void)loop_run_once(loop_get(), 0);
	r = s->qhead[dir];
	return r == NULL || r->notified;
}

void
sock_q_done(struct sock *s, int dir)
{
	q_pop_notified(s, dir);
	q_arm(s, dir);
}

int
sock_q_push(struct sock *s, int dir, enum sock_op op, term handle)
{
	struct sock_req *r = q_enter(s, dir);

	r->handle = handle;
	r->op = (unsigned char)op;
	r->nowait = 1;
	if (r == s->qhead[dir] && q_arm_try(s, dir) < 0) {
		int save = errno;

		q_remove(s, dir, r);
		errno = save;
		return -1;
	}
	return 0;
}

int
sock_q_wait(struct sock *s, int dir, enum sock_op op, int64_t deadline)
{
	struct loop *l = loop_get();
	struct sock_req *r = q_enter(s, dir);
	int64_t left = -1;
	int err = 0;

	r->op = (unsigned char)op;
	r->nowait = 0;
	if (r == s->qhead[dir] && q_arm_try(s, dir) < 0)
		err = errno;
	while (err == 0 && !r->notified) {
		if (s->qhead[dir] != r && s->qhead[dir]->notified) {
			/* The session is calling: it acts for that one. */
			q_pop_notified(s, dir);
			if (q_arm_try(s, dir) < 0)
				err = errno;
			continue;
		}
		if (deadline >= 0 && (left = deadline - loop_now_ms()) <= 0)
			err = ETIMEDOUT;
		else if (loop_run_once(l, left) < 0 && loop_interrupted())
			err = EINTR;
	}
	if (err == 0)
		return 0;
	q_remove(s, dir, r);
	errno = err;
	return -1;
}

int
sock_op_dir(enum sock_op op)
{
	return op == SOCK_OP_ACCEPT || op == SOCK_OP_RECV ? SOCK_QREAD
	                                                  : SOCK_QWRITE;
}

int
sock_q_cancel(struct sock *s, enum sock_op op, term handle)
{
	int dir = sock_op_dir(op);
	struct sock_req *r;

	for (r = s->qhead[dir]; r != NULL; r = r->next) {
		if (r->nowait && r->op == op && term_equal(r->handle, handle)) {
			q_remove(s, dir, r);
			return 0;
		}
	}
	return -1;
}

size_t
sock_q_count(const struct sock *s, enum sock_op op)
{
	const struct sock_req *r;
	size_t n = 0;

	for (r = s->qhead[sock_op_dir(op)]; r != NULL; r = r->next)
		n += r->op == op;
	return n;
}

void
sock_q_rearm(struct sock *s)
{
	q_arm(s, SOCK_QREAD);
	q_arm(s, SOCK_QWRITE);
}

/*
 * OTP: closing tells each request not yet notified, writers first,
 * {'$socket', S, abort, {Handle, closed}}; a notified one hears nothing
 * more.
 */
static void
q_abort_all(struct sock *s)
{
	static const int order[] = {SOCK_QWRITE, SOCK_QREAD};
	struct sock_req *r;
	size_t i;

	for (i = 0; i < NELEMS(order); i++) {
		while ((r = s->qhead[order[i]]) != NULL) {
			s->qhead[order[i]] = r->next;
			if (r->nowait && !r->notified)
				post(s, "abort",
				    term_tuple2(term_copy(r->handle),
				        term_atom("closed")));
			req_free(r);
		}
		s->qtail[order[i]] = NULL;
	}
}
