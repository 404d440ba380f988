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
#include "trace.h"
#include "util.h"

static void q_abort_all(struct sock *);
static void keep_closed(struct sock *);
static void monitors_down(struct sock *);

/* Sockets and requests come and go by the thousand a second. */
static struct pool sock_pool = POOL_INIT(sizeof(struct sock), 1024);
static struct pool req_pool = POOL_INIT(sizeof(struct sock_req), 1024);

static struct sock **table; /* hash by ref */
static struct sock *closed_ring[SOCK_CLOSED_KEEP];
static size_t closed_next;
static int use_registry = 1;

/* A monitor, newest first in one list for the session's one process. */
struct mon {
	uint32_t ref; /* N of the monitor's #Ref<0.0.0.N> */
	struct sock *s;
	struct mon *next;
};
static struct mon *mons;
static size_t nmons;
static size_t table_cap;
static size_t nsocks;
static struct sock *first, *last, *current;
/*
 * sock_find's cache, by the address of the socket term's box (copies of
 * the term share it): an open socket's entry, as its box lives as long
 * as it is open.
 */
#define FOUND_SLOTS 256
static struct sock *found[FOUND_SLOTS];

static size_t
found_slot(const void *box)
{
	return ((uintptr_t)box >> 4) & (FOUND_SLOTS - 1);
}

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
	size_t h;

	if (!flags_set && set_flags(fd) < 0)
		return NULL;
	if (nsocks * 2 >= table_cap)
		table_grow();
	s = pool_get(&sock_pool);
	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->domain = domain;
	s->type = type;
	s->protocol = protocol;
	s->owned = 1;
	s->ctype = SOCK_CTYPE_NORMAL;
	s->otp.rbufsz = SOCK_RCVBUF_DEFAULT;
	s->otp.rctrlsz = SOCK_CTRLBUF_DEFAULT;
	s->otp.wctrlsz = SOCK_CTRLBUF_DEFAULT;
	s->otp.meta = term_atom_of(A_UNDEFINED);
	s->ref = term_ref_next();
	s->self =
	    term_tuple2(term_atom_of(A_SOCKET), term_ref(0, 0, 0, s->ref));
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
	if (found[found_slot(s->self.u.box)] == s)
		found[found_slot(s->self.u.box)] = NULL;
	q_abort_all(s);
	if (s->nmon > 0)
		monitors_down(s);
	loop_forget(loop_get(), s->fd);
	/* EINTR from close still released the descriptor on Linux. */
	if (close(s->fd) < 0 && errno != EINTR) {
		save = errno;
		rc = -1;
	}
	/* The sendfile counters stay for info/1; the file goes. */
	if (s->sf != NULL && s->sf->fd >= 0) {
		(void)close(s->sf->fd);
		s->sf->fd = -1;
	}
	term_free(s->otp.meta);
	s->otp.meta = term_nil();
	trace_forget(s->self);
	term_free(s->self);
	s->self = term_nil();
	s->xflags |= SOCK_X_CLOSED;
	s->state = 0;
	keep_closed(s);
	errno = save;
	return rc;
}

/* A closed socket leaves the ring for good. */
static void
sock_drop(struct sock *s)
{
	free(s->sf);
	pool_put(&sock_pool, s);
}

/* The closed socket joins the ring, the oldest there leaving it. */
static void
keep_closed(struct sock *s)
{
	if (closed_ring[closed_next] != NULL)
		sock_drop(closed_ring[closed_next]);
	closed_ring[closed_next] = s;
	closed_next = (closed_next + 1) % SOCK_CLOSED_KEEP;
}

/* The N of a {'$socket', #Ref<0.0.0.N>}: 0 with it, or -1. */
static int
sock_ref_of(term t, uint32_t *n)
{
	uint32_t p[4];
	term r;

	if (!term_is_record(t, A_SOCKET, 2) ||
	    term_kind(r = term_elems(t)[1]) != TERM_REF)
		return -1;
	term_ref_parts(r, p);
	if (p[0] != 0 || p[1] != 0 || p[2] != 0)
		return -1;
	*n = p[3];
	return 0;
}

struct sock *
sock_find_closed(term t)
{
	uint32_t n;
	size_t i;

	if (sock_ref_of(t, &n) < 0)
		return NULL;
	for (i = 0; i < SOCK_CLOSED_KEEP; i++)
		if (closed_ring[i] != NULL && closed_ring[i]->ref == n)
			return closed_ring[i];
	return NULL;
}

/* {'DOWN', MRef, socket, Socket, closed} (both terms consumed). */
static void
post_down(term mref, term socket)
{
	term v[5];

	v[0] = term_atom("DOWN");
	v[1] = mref;
	v[2] = term_atom("socket");
	v[3] = socket;
	v[4] = term_atom_of(A_CLOSED);
	mbox_put(term_tuple(5, v));
}

/* The socket closes: each of its monitors goes down, newest first. */
static void
monitors_down(struct sock *s)
{
	struct mon **pp = &mons, *m;

	while ((m = *pp) != NULL) {
		if (m->s != s) {
			pp = &m->next;
			continue;
		}
		*pp = m->next;
		post_down(term_ref(0, 0, 0, m->ref), term_copy(s->self));
		free(m);
		nmons--;
	}
	s->nmon = 0;
}

term
sock_monitor(term t)
{
	uint32_t ref = term_ref_next();
	struct sock *s = sock_find(t);
	struct mon *m;

	if (s == NULL) {
		post_down(term_ref(0, 0, 0, ref), term_copy(t));
		return term_ref(0, 0, 0, ref);
	}
	m = xmalloc(sizeof *m);
	m->ref = ref;
	m->s = s;
	m->next = mons;
	mons = m;
	nmons++;
	s->nmon++;
	return term_ref(0, 0, 0, ref);
}

int
sock_demonitor(term mref)
{
	struct mon **pp, *m;
	uint32_t p[4];

	if (term_kind(mref) != TERM_REF)
		return 0;
	term_ref_parts(mref, p);
	if (p[0] != 0 || p[1] != 0 || p[2] != 0)
		return 0;
	for (pp = &mons; (m = *pp) != NULL; pp = &m->next) {
		if (m->ref == p[3]) {
			*pp = m->next;
			m->s->nmon--;
			free(m);
			nmons--;
			return 1;
		}
	}
	return 0;
}

term
sock_monitors(const struct sock *s)
{
	term *v = xreallocarray(NULL, nmons ? nmons : 1, sizeof *v), l;
	const struct mon *m;
	size_t k = 0;

	for (m = mons; m != NULL; m = m->next)
		if (s == NULL || m->s == s)
			v[k++] = term_ref(0, 0, 0, m->ref);
	l = term_list(k, v, term_nil());
	free(v);
	return l;
}

size_t
sock_nmonitors(void)
{
	return nmons;
}

void
sock_set_registry(int on)
{
	use_registry = on;
}

int
sock_registry(void)
{
	return use_registry;
}

void
sock_close_open(void)
{
	while (first != NULL)
		(void)sock_close(first);
}

void
sock_close_all(void)
{
	size_t i;

	sock_close_open();
	for (i = 0; i < SOCK_CLOSED_KEEP; i++) {
		if (closed_ring[i] != NULL)
			sock_drop(closed_ring[i]);
		closed_ring[i] = NULL;
	}
	free(table);
	table = NULL;
	table_cap = 0;
}

int
sock_is_term(term t)
{
	return term_is_record(t, A_SOCKET, 2) &&
	       term_kind(term_tuple_get(t, 1)) == TERM_REF;
}

struct sock *
sock_find(term t)
{
	struct sock *s;
	uint32_t n;

	if (term_kind(t) == TERM_TUPLE &&
	    (s = found[found_slot(t.u.box)]) != NULL &&
	    t.u.box == s->self.u.box)
		return s;
	if (table_cap == 0 || sock_ref_of(t, &n) < 0)
		return NULL;
	for (s = table[slot(n)]; s != NULL; s = s->hnext)
		if (s->ref == n) {
			if (term_kind(t) == TERM_TUPLE)
				found[found_slot(s->self.u.box)] = s;
			return s;
		}
	return NULL;
}

term
sock_term(const struct sock *s)
{
	return term_copy(s->self);
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
post(const struct sock *s, enum term_known_atom what, term info)
{
	term v[4];

	v[0] = term_atom_of(A_SOCKET);
	v[1] = sock_term(s);
	v[2] = term_atom_of(what);
	v[3] = info;
	mbox_put(term_tuple(4, v));
}

/*
 * The loop's callback: the first request of each ready direction is
 * notified (a nowait one through the mailbox). The direction was
 * watched one-shot, as enif_select is: the loop has dropped it. O(1)
 * per event.
 */
static void
on_ready(struct loop *l, int fd, int mask, void *arg)
{
	struct sock *s = arg;
	struct sock_req *r;
	int dir;

	(void)l;
	(void)fd;
	for (dir = SOCK_QREAD; dir <= SOCK_QWRITE; dir++) {
		if (!(mask & dir_mask[dir]))
			continue;
		if ((r = s->qhead[dir]) == NULL || r->notified)
			continue;
		r->notified = 1;
		if (r->nowait)
			post(s, A_SELECT,
			    term_copy(term_kind(r->renewed) != TERM_NIL
			                  ? r->renewed
			                  : r->handle));
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
	return loop_watch(
	    loop_get(), s->fd, dir_mask[dir] | LOOP_ONESHOT, on_ready, s);
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
	term_free(r->renewed);
	pool_put(&req_pool, r);
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
		term_free(r->renewed);
		r->handle = r->renewed = term_nil();
		r->notified = 0;
		return r;
	}
	r = pool_get(&req_pool);
	memset(r, 0, sizeof *r);
	r->handle = r->renewed = term_nil();
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

/*
 * The session's own nowait accept or recv waiting first, which a new
 * call of the same op takes over (OTP: the caller is the current
 * acceptor or reader already), or NULL.
 */
static struct sock_req *
q_own_waiting(struct sock *s, int dir, enum sock_op op)
{
	struct sock_req *r = s->qhead[dir];

	return dir == SOCK_QREAD && r != NULL && r->nowait && !r->notified &&
	               r->op == op
	           ? r
	           : NULL;
}

void
sock_q_done(struct sock *s, int dir)
{
	struct sock_req *r = s->qhead[dir];

	/* The session's own nowait one it took over is done with too. */
	if (r != NULL && dir == SOCK_QREAD && r->nowait && !r->notified) {
		q_unlink(s, dir, NULL, r);
		req_free(r);
	} else
		q_pop_notified(s, dir);
	q_arm(s, dir);
}

void
sock_q_tried(struct sock *s, int dir)
{
	q_pop_notified(s, dir);
	q_arm(s, dir);
}

int
sock_q_own(struct sock *s, enum sock_op op)
{
	return q_own_waiting(s, sock_op_dir(op), op) != NULL;
}

int
sock_q_push(struct sock *s, int dir, enum sock_op op, term handle)
{
	struct sock_req *r = q_own_waiting(s, dir, op);

	if (r != NULL) {
		if (op == SOCK_OP_ACCEPT) {
			term_free(r->renewed);
			r->renewed = handle;
		} else {
			term_free(r->handle);
			r->handle = handle;
		}
		return 0;
	}
	r = q_enter(s, dir);

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
	struct sock_req *r = q_own_waiting(s, dir, op);
	int64_t left = -1;
	int err = 0;

	/*
	 * A blocking recv forgets the nowait one it takes over, unless it
	 * gives up at once (Timeout 0 only tries).
	 */
	if (r != NULL && op != SOCK_OP_ACCEPT &&
	    (deadline < 0 || deadline > loop_now_ms())) {
		q_unlink(s, dir, NULL, r);
		req_free(r);
	}
	r = q_enter(s, dir);

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
				post(s, A_ABORT,
				    term_tuple2(term_copy(r->handle),
				        term_atom_of(A_CLOSED)));
			req_free(r);
		}
		s->qtail[order[i]] = NULL;
	}
}
