/*
 * Relays, after OpenBSD nc's readwrite(): four slots (A in, B out, B in,
 * A out) joined by two ways, each with a pipe or a buffer in between.
 * EAGAIN and EINTR are states, not errors. EOF on a way's source becomes
 * shutdown(SHUT_WR) on its sink once what was read has gone out (nc -N);
 * the other way goes on until its own EOF. A relay ends when both ways
 * have ended, at its time limits, or at the first error.
 *
 * On Linux a way whose two ends allow it goes through a pipe with
 * splice(2), so the bytes never cross into user space; otherwise (a
 * terminal, a regular file written to, a datagram socket, CRLF
 * translation, another system) it copies through a buffer. The loop is
 * level-triggered: a slot is watched while its way needs it, so a steady
 * transfer costs no epoll_ctl at all, and what the loop cannot watch
 * (regular files: epoll says EPERM) is always ready, as poll(2) reports
 * it. Many relays share the loop: a slot's callback marks its relay
 * kicked, and the driver (relay_run, or serve) steps the kicked ones.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/sysmacros.h>
#endif

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "relay.h"
#include "sock.h"
#include "trace.h"
#include "util.h"

#if defined(__linux__) && defined(SPLICE_F_NONBLOCK)
#define RELAY_SPLICE 1
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* SIGPIPE is ignored at start-up anyway */
#endif

#define RELAY_BUFSZ (128 * 1024)   /* copy buffer, as socat -b 131072 */
#define RELAY_PIPESZ (1024 * 1024) /* Linux's default pipe-max-size */
#define RELAY_DGRAM_MAX 65507      /* largest UDP payload over IPv4 */
#define RELAY_DGRAM_IDLE 500       /* ms of quiet after the ends, socat -t */
#define RELAY_ROUNDS 16            /* moves on one way before the other's */
#define RELAY_RETRY_MS 10          /* unwatchable slot that said EAGAIN */
#define RELAY_SPLICE_AFTER 65536   /* bytes a way moves before it splices */

/* The slots: one descriptor in one direction each. */
enum {
	SLOT_AIN,  /* end A, read */
	SLOT_BOUT, /* end B, write */
	SLOT_BIN,  /* end B, read */
	SLOT_AOUT, /* end A, write */
	SLOT_N
};

struct relay;

struct slot {
	struct relay *r;
	int fd;
	int mask;       /* LOOP_READ or LOOP_WRITE */
	struct sock *s; /* its esock socket: counters and state, or NULL */
	int sock;       /* a socket: recv/send */
	int type;       /* the socket's SOCK_STREAM, ...; 0 for none */
	int ready;      /* not known to block: try it */
	int splices;    /* splice(2) takes it: 1, 0, or -1 not known yet */
	int watched;    /* the loop holds interest for it */
	int nowatch;    /* the loop cannot watch it: take it as ready */
	int flags;      /* F_GETFL before relay, restored after */
	int setfl;      /* flags were changed */
};

/* One way: from the src slot through a pipe or buffer to the dst slot. */
struct way {
	int src;
	int dst;
	int spliced;   /* through pipe[] with splice(2), else through buf */
	int splice_ok; /* may switch to splice once it has moved enough */
	int pipe[2];
	char *buf;
	size_t off;  /* buf: the held bytes start here */
	size_t held; /* bytes in the pipe or the buffer */
	size_t cap;  /* what the pipe or the buffer holds */
	size_t max;  /* largest single read */
	int packets; /* one read is one datagram: read only when empty */
	int crlf;    /* LF read becomes CRLF */
	int stuck;   /* the pipe took no more: drain before reading */
	int eof;     /* the source has ended */
	int done;    /* ended, drained and, into a socket, shut down */
	int endless; /* a datagram source: no EOF ends it */
	int nopeer;  /* into a datagram socket whose peer is not known yet */
	uint64_t bytes;
};

struct relay {
	struct loop *loop;
	struct slot slot[SLOT_N];
	struct way way[2]; /* A to B, B to A */
	int tty_in;        /* A reads a terminal */
	int kicked;
	int ended;
	int64_t idle_ms;  /* -1: no limit */
	int64_t total_ms; /* -1: no limit */
	int64_t start;
	int64_t last;  /* when bytes last moved */
	int64_t quiet; /* when every way that can end had ended, or -1 */
	int64_t end;
	int err;
};

static void
relay_ready(struct loop *l, int fd, int mask, void *arg)
{
	struct slot *sl = arg;

	(void)l;
	(void)fd;
	(void)mask;
	sl->ready = 1;
	sl->r->kicked = 1;
}

/* Nonzero when splice(2) can read (or write) fd, judged by its type. */
static int
can_splice(int fd, int writing)
{
#ifdef RELAY_SPLICE
	struct stat st;
	socklen_t len;
	int type;

	if (fstat(fd, &st) < 0)
		return 0;
	if (S_ISFIFO(st.st_mode))
		return 1;
	/*
	 * Never into a regular file: splice(2) takes and moves the file
	 * offset without the lock write(2) holds, so it would race every
	 * other writer of the same open file (a shell's "> out" shared by
	 * two processes) and bytes would be overwritten.
	 */
	if (S_ISREG(st.st_mode))
		return !writing;
	if (S_ISBLK(st.st_mode))
		return !writing;
	if (S_ISCHR(st.st_mode))
		return writing && st.st_rdev == makedev(1, 3); /* /dev/null */
	if (S_ISSOCK(st.st_mode)) {
		len = sizeof type;
		return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
		       type == SOCK_STREAM;
	}
#else
	(void)fd;
	(void)writing;
#endif
	return 0;
}

/* Nonzero when a slot's socket is one the kernel splices (TCP, local). */
static int
slot_splices(const struct slot *sl)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int proto = 0;

	if (!sl->sock)
		return can_splice(sl->fd, sl->mask == LOOP_WRITE);
	if (sl->type != SOCK_STREAM)
		return 0;
	if (getsockname(sl->fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_UNIX)
		return 1;
	len = sizeof proto;
#ifdef SO_PROTOCOL
	if (getsockopt(sl->fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0)
		return 0;
#endif
	return (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) &&
	       (proto == 0 || proto == IPPROTO_TCP);
}

static void
way_init(struct way *w, int src, int dst)
{
	memset(w, 0, sizeof *w);
	w->src = src;
	w->dst = dst;
	w->pipe[0] = w->pipe[1] = -1;
}

/*
 * Through a buffer: short transfers, datagrams and what cannot splice.
 * The buffer is taken when a read needs it and given back once drained,
 * so an idle connection holds none.
 */
static void
way_buffer(struct way *w, int packets, size_t max)
{
	w->spliced = 0;
	w->packets = packets;
	w->cap = RELAY_BUFSZ;
	w->max = max < w->cap ? max : w->cap;
}

/*
 * Through a pipe. A larger pipe means fewer calls per byte; when the
 * user's pipe limit refuses it, the default size will do. Returns 0, or
 * -1 with errno set.
 */
static int
way_pipe(struct way *w)
{
#ifdef RELAY_SPLICE
	int i, sz;

	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	(void)fcntl(w->pipe[1], F_SETPIPE_SZ, RELAY_PIPESZ);
	if ((sz = fcntl(w->pipe[1], F_GETPIPE_SZ)) < 0) {
		int save = errno;

		for (i = 0; i < 2; i++) {
			close(w->pipe[i]);
			w->pipe[i] = -1;
		}
		errno = save;
		return -1;
	}
	w->spliced = 1;
	w->cap = (size_t)sz;
	w->max = w->cap;
	return 0;
#else
	(void)w;
	errno = EOPNOTSUPP;
	return -1;
#endif
}

/* From splice to the buffer, when a source turns out not to splice. */
static void
way_unpipe(struct way *w)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (w->pipe[i] >= 0)
			close(w->pipe[i]);
		w->pipe[i] = -1;
	}
	w->splice_ok = 0;
	way_buffer(w, 0, RELAY_BUFSZ);
}

static void
way_free(struct way *w)
{
	int i;

	for (i = 0; i < 2; i++)
		if (w->pipe[i] >= 0)
			close(w->pipe[i]);
	free(w->buf);
}

/* Nonzero when the way wants its source read. */
static int
way_can_read(const struct way *w)
{
	if (w->eof || w->done || w->stuck)
		return 0;
	if (w->packets)
		return w->held == 0;
	/* CRLF: room for every byte read to double. */
	if (w->crlf)
		return w->held == 0;
	return w->off + w->held < w->cap;
}

/*
 * The first datagram of an unconnected socket: as nc -u -l does, the
 * socket is connected to its sender, whom the other end's data then goes
 * to. Returns as recv(2).
 */
static ssize_t
read_first(struct relay *r, struct slot *sl, char *at, size_t room)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof from;
	ssize_t n;
	int i;

	n = recvfrom(sl->fd, at, room, 0, (struct sockaddr *)&from, &len);
	if (n < 0)
		return n;
	if (len > 0 && connect(sl->fd, (struct sockaddr *)&from, len) == 0) {
		for (i = 0; i < 2; i++)
			if (r->slot[r->way[i].dst].fd == sl->fd)
				r->way[i].nopeer = 0;
		if (sl->s != NULL)
			sl->s->state |= SOCK_CONNECTED;
	}
	return n;
}

/* LF to CRLF in place: n bytes at at, room for 2n. Returns the length. */
static size_t
to_crlf(char *at, size_t n)
{
	size_t i, lf = 0, j;

	for (i = 0; i < n; i++)
		lf += at[i] == '\n' && (i == 0 || at[i - 1] != '\r');
	if (lf == 0)
		return n;
	j = n + lf;
	for (i = n; i-- > 0;) {
		at[--j] = at[i];
		if (at[i] == '\n' && (i == 0 || at[i - 1] != '\r'))
			at[--j] = '\r';
	}
	return n + lf;
}

/* Reads the source into the pipe or buffer: as read(2) returns. */
static ssize_t
way_read(struct relay *r, struct way *w)
{
	struct slot *sl = &r->slot[w->src];
	size_t room;
	ssize_t n;
	char *at;

#ifdef RELAY_SPLICE
	if (w->spliced)
		return splice(sl->fd, NULL, w->pipe[1], NULL, w->cap - w->held,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
#endif
	if (w->buf == NULL)
		w->buf = xmalloc(w->cap);
	at = w->buf + w->off + w->held;
	room = w->cap - w->off - w->held;
	if (room > w->max)
		room = w->max;
	if (w->crlf)
		room /= 2;
	if (sl->sock && sl->type != SOCK_STREAM &&
	    (r->way[0].nopeer || r->way[1].nopeer))
		n = read_first(r, sl, at, room);
	else if (sl->sock)
		n = recv(sl->fd, at, room, 0);
	else
		n = read(sl->fd, at, room);
	if (n > 0 && sl->s != NULL)
		trace_bytes(sl->s, 0, at, (size_t)n);
	if (n > 0 && w->crlf)
		n = (ssize_t)to_crlf(at, (size_t)n);
	return n;
}

/* Writes from the pipe or buffer to the sink: as write(2) returns. */
static ssize_t
way_write(struct relay *r, struct way *w)
{
	struct slot *sl = &r->slot[w->dst];
	ssize_t n;

#ifdef RELAY_SPLICE
	if (w->spliced)
		return splice(w->pipe[0], NULL, sl->fd, NULL, w->held,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
#endif
	if (!sl->sock)
		return write(sl->fd, w->buf + w->off, w->held);
	n = send(sl->fd, w->buf + w->off, w->held, MSG_NOSIGNAL);
	if (n > 0 && sl->s != NULL)
		trace_bytes(sl->s, 1, w->buf + w->off, (size_t)n);
	return n;
}

/*
 * Counts one try on an esock socket into OTP's info/1 counters: n bytes
 * (an empty datagram is a packet too), or -1 and the errno.
 */
static void
count(const struct slot *sl, int writing, ssize_t n, int err)
{
	uint64_t *c, *byte, *pkg, *max;

	if (sl->s == NULL)
		return;
	c = sl->s->counters;
	/* The read_ and write_ counters are laid out alike. */
	byte = c + (writing ? SOCK_C_write_byte : SOCK_C_read_byte);
	pkg = byte + (SOCK_C_read_pkg - SOCK_C_read_byte);
	max = byte + (SOCK_C_read_pkg_max - SOCK_C_read_byte);
	byte[SOCK_C_read_tries - SOCK_C_read_byte]++;
	if (n > 0 || (n == 0 && sl->type != SOCK_STREAM && sl->type != 0)) {
		*byte += (uint64_t)n;
		(*pkg)++;
		if ((uint64_t)n > *max)
			*max = (uint64_t)n;
	} else if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK))
		byte[SOCK_C_read_waits - SOCK_C_read_byte]++;
	else if (n < 0 && err != EINTR)
		byte[SOCK_C_read_fails - SOCK_C_read_byte]++;
}

/* Nonzero when splice(2) takes the slot's descriptor; asked once. */
static int
slot_can_splice(struct slot *sl)
{
	if (sl->splices < 0)
		sl->splices = slot_splices(sl);
	return sl->splices;
}

/*
 * A buffered way that has drained and moved enough goes through a pipe
 * from now on, when both ends splice: a short exchange never pays for
 * the pipe.
 */
static void
way_drained(struct relay *r, struct way *w)
{
	if (!w->splice_ok || w->bytes < RELAY_SPLICE_AFTER)
		return;
	w->splice_ok = 0;
	if (slot_can_splice(&r->slot[w->src]) &&
	    slot_can_splice(&r->slot[w->dst]))
		(void)way_pipe(w); /* no pipe (EMFILE...): the buffer will do */
}

/*
 * Moves what it can along one way, for a bounded number of rounds so
 * that the other way gets its turn. Returns 1 when anything moved, 0
 * when nothing did, -1 on an error with errno set.
 */
static int
way_pump(struct relay *r, struct way *w)
{
	struct slot *src = &r->slot[w->src], *dst = &r->slot[w->dst];
	int round, moved = 0, progress, save;
	ssize_t n;

	for (round = 0; round < RELAY_ROUNDS; round++) {
		progress = 0;
		/* Source into the pipe or buffer. */
		if (src->ready && way_can_read(w)) {
			n = way_read(r, w);
			save = errno;
			count(src, 0, n, save);
			if (n > 0) {
				w->held += (size_t)n;
				progress = 1;
			} else if (n == 0 && w->endless) {
				/* An empty datagram, not an end. */
				progress = 1;
			} else if (n == 0) {
				/* EOF: drain what is held, then end. */
				w->eof = 1;
				progress = 1;
			} else if (save == EAGAIN || save == EWOULDBLOCK) {
				/*
				 * splice cannot tell an empty source from
				 * a full pipe: drain first, then ask again.
				 */
				if (w->spliced && w->held > 0)
					w->stuck = 1;
				else
					src->ready = 0;
				/* Idle and empty: no buffer held meanwhile. */
				if (w->held == 0 && w->buf != NULL) {
					free(w->buf);
					w->buf = NULL;
				}
			} else if (save == EINTR) {
				progress = 1;
			} else if (w->spliced && w->held == 0 &&
			           save == EINVAL) {
				/* This source does not splice after all. */
				way_unpipe(w);
				progress = 1;
			} else {
				errno = save;
				return -1;
			}
		}
		/* Pipe or buffer into the sink (a peer known). */
		if (dst->ready && w->held > 0 && !w->nopeer) {
			n = way_write(r, w);
			save = errno;
			count(dst, 1, n, save);
			if (n > 0) {
				w->held -= (size_t)n;
				w->off = w->held > 0 ? w->off + (size_t)n : 0;
				w->bytes += (uint64_t)n;
				w->stuck = 0;
				progress = 1;
				if (w->held == 0 && !w->spliced)
					way_drained(r, w);
			} else if (n < 0 &&
			           (save == EAGAIN || save == EWOULDBLOCK)) {
				dst->ready = 0;
			} else if (n < 0 && save != EINTR) {
				errno = save;
				return -1;
			}
		}
		if (!progress)
			break;
		moved = 1;
	}
	return moved;
}

/*
 * Ends a way whose source ended and whose data has gone out: a stream
 * socket at its sink is shut down for writing (nc -N). Returns 0, or -1
 * with errno set.
 */
static int
way_end(struct relay *r, struct way *w)
{
	struct slot *dst = &r->slot[w->dst];

	if (w->done || !w->eof || w->held > 0)
		return 0;
	w->done = 1;
	if (dst->fd < 0 || !dst->sock || dst->type == SOCK_DGRAM ||
	    dst->type == SOCK_RAW)
		return 0;
	/* ENOTCONN: reset already; the other way reports it. */
	if (shutdown(dst->fd, SHUT_WR) < 0 && errno != ENOTCONN)
		return -1;
	if (dst->s != NULL)
		dst->s->state |= SOCK_SHUT_WRITE;
	return 0;
}

/* Nonzero when every way that can end by itself has ended. */
static int
ends_done(const struct relay *r)
{
	int i;

	for (i = 0; i < 2; i++)
		if (!r->way[i].done && !r->way[i].endless)
			return 0;
	return 1;
}

static int
relay_ends(struct relay *r)
{
	int i;

	for (i = 0; i < 2; i++)
		if (way_end(r, &r->way[i]) < 0)
			return -1;
	/*
	 * As nc and ncat do, a terminal's session ends with the peer's:
	 * nobody types into a connection that has ended.
	 */
	if (r->tty_in && r->way[1].done && !r->way[0].done) {
		r->way[0].eof = 1;
		r->way[0].held = 0;
		r->way[0].done = 1;
	}
	/* Datagrams never end: the quiet time starts now. */
	if (r->quiet < 0 && ends_done(r))
		r->quiet = loop_now_ms();
	return 0;
}

/*
 * Asks the loop for what the ways wait on, and drops what they no longer
 * need. Returns how long the next wait may be (0: something is ready;
 * -1: no limit), or -2 with errno set when the loop refused a watch.
 */
static int64_t
relay_interest(struct relay *r)
{
	int need[SLOT_N] = {0}, i;
	int64_t wait = -1;
	struct slot *sl;
	struct way *w;

	for (i = 0; i < 2; i++) {
		w = &r->way[i];
		if (w->done)
			continue;
		need[w->src] |= way_can_read(w);
		need[w->dst] |= w->held > 0 && !w->nopeer;
	}
	for (i = 0; i < SLOT_N; i++) {
		sl = &r->slot[i];
		if (sl->fd < 0)
			continue;
		if (need[i] && !sl->watched && !sl->nowatch) {
			if (loop_watch(r->loop, sl->fd, sl->mask, relay_ready,
			        sl) == 0)
				sl->watched = 1;
			else if (errno == EPERM) {
				/* epoll: a regular file is always ready. */
				sl->nowatch = 1;
				sl->ready = 1;
			} else
				return -2;
		} else if (!need[i] && sl->watched) {
			loop_unwatch(r->loop, sl->fd, sl->mask);
			sl->watched = 0;
		}
		if (!need[i])
			continue;
		if (sl->ready)
			wait = 0;
		else if (sl->nowatch && (wait < 0 || wait > RELAY_RETRY_MS))
			wait = RELAY_RETRY_MS;
	}
	return wait;
}

/*
 * The earliest deadline of the time limits, or -1: the total time; the
 * idle time; once only datagram ways are left, their quiet time (the
 * idle time, or RELAY_DGRAM_IDLE), which ends the relay without fault.
 */
static int64_t
relay_deadline(const struct relay *r, int *fault)
{
	int64_t d = -1, t, from;

	*fault = 1;
	if (r->total_ms >= 0)
		d = r->start + r->total_ms;
	if (r->quiet >= 0) {
		from = r->last > r->quiet ? r->last : r->quiet;
		t = from + (r->idle_ms >= 0 ? r->idle_ms : RELAY_DGRAM_IDLE);
		if (d < 0 || t < d) {
			d = t;
			*fault = 0;
		}
	} else if (r->idle_ms >= 0) {
		t = r->last + r->idle_ms;
		if (d < 0 || t < d)
			d = t;
	}
	return d;
}

static int
relay_finish(struct relay *r, int err)
{
	r->ended = 1;
	r->err = err;
	r->end = loop_now_ms();
	return 1;
}

int
relay_step(struct relay *r)
{
	int64_t now, wait = 0, d;
	int moved = 0, i, rc, spins, fault;

	if (r->ended)
		return 1;
	r->kicked = 0;
	for (i = 0; i < SLOT_N; i++)
		if (r->slot[i].nowatch)
			r->slot[i].ready = 1;
	/* Bounded: a ready relay yields to the others after a few turns. */
	for (spins = 0; spins < 4; spins++) {
		rc = 0;
		for (i = 0; i < 2; i++) {
			if (r->way[i].done)
				continue;
			if ((rc = way_pump(r, &r->way[i])) < 0)
				return relay_finish(r, errno);
			moved |= rc;
		}
		if (relay_ends(r) < 0)
			return relay_finish(r, errno);
		if (r->way[0].done && r->way[1].done)
			return relay_finish(r, 0);
		if ((wait = relay_interest(r)) == -2)
			return relay_finish(r, errno);
		if (wait != 0)
			break;
	}
	now = loop_now_ms();
	if (moved)
		r->last = now;
	if ((d = relay_deadline(r, &fault)) >= 0 && now >= d)
		return relay_finish(r, fault ? ETIMEDOUT : 0);
	/* Still ready (a bounded turn ended): the driver comes back. */
	if (wait == 0)
		r->kicked = 1;
	return 0;
}

int
relay_kicked(const struct relay *r)
{
	return r->kicked;
}

int64_t
relay_wait(const struct relay *r)
{
	int64_t d, now, wait = -1;
	int i, fault;

	if (r->kicked || r->ended)
		return 0;
	d = relay_deadline(r, &fault);
	for (i = 0; i < SLOT_N; i++)
		if (r->slot[i].nowatch && r->slot[i].fd >= 0)
			wait = RELAY_RETRY_MS;
	if (d >= 0) {
		now = loop_now_ms();
		d = d > now ? d - now : 0;
		if (wait < 0 || d < wait)
			wait = d;
	}
	return wait;
}

void
relay_stats(const struct relay *r, struct relay_stats *st)
{
	st->bytes[0] = r->way[0].bytes;
	st->bytes[1] = r->way[1].bytes;
	st->start_ms = r->start;
	st->end_ms = r->ended ? r->end : loop_now_ms();
	st->err = r->err;
}

/*
 * Makes a slot's descriptor non-blocking and learns what it is. Returns
 * 0, or -1 with errno.
 */
static int
slot_open(struct relay *r, struct slot *sl, const struct relay_end *e, int mask)
{
	struct stat st;
	socklen_t len = sizeof sl->type;
	int fl, fd = mask == LOOP_READ ? e->rfd : e->wfd;

	sl->r = r;
	sl->fd = fd;
	sl->mask = mask;
	sl->s = e->s;
	sl->ready = 1;
	sl->splices = -1;
	/* A socket of known type is non-blocking already. */
	if (e->type != 0) {
		sl->sock = 1;
		sl->type = e->type;
		return 0;
	}
	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISSOCK(st.st_mode)) {
		sl->sock = 1;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &sl->type, &len) < 0)
			return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) < 0)
		return -1;
	sl->flags = fl;
	if (!(fl & O_NONBLOCK)) {
		if (fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
			return -1;
		sl->setfl = 1;
	}
	return 0;
}

static void
slot_close(struct relay *r, struct slot *sl)
{
	if (sl->watched)
		loop_unwatch(r->loop, sl->fd, sl->mask);
	sl->watched = 0;
	if (sl->setfl)
		(void)fcntl(sl->fd, F_SETFL, sl->flags);
	sl->setfl = 0;
}

/* Nonzero for a datagram socket slot (no EOF, message boundaries). */
static int
slot_packets(const struct slot *sl)
{
	return sl->sock && sl->type != SOCK_STREAM;
}

/* Nonzero when a slot's datagram socket has no peer yet. */
static int
slot_nopeer(const struct slot *sl)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	return sl->sock && (sl->type == SOCK_DGRAM || sl->type == SOCK_RAW) &&
	       getpeername(sl->fd, (struct sockaddr *)&ss, &len) < 0;
}

/*
 * Sets a way up: through a buffer, to splice later when both ends allow
 * it (way_drained), or keeping message boundaries for datagrams.
 */
static void
way_setup(struct relay *r, struct way *w)
{
	struct slot *src = &r->slot[w->src], *dst = &r->slot[w->dst];

	if (w->done)
		return;
	w->endless =
	    src->sock && (src->type == SOCK_DGRAM || src->type == SOCK_RAW);
	w->nopeer = slot_nopeer(dst);
	if (slot_packets(src) || slot_packets(dst)) {
		/* Keep message boundaries: one read, one datagram. */
		way_buffer(w, 1, src->sock ? RELAY_BUFSZ : RELAY_DGRAM_MAX);
		return;
	}
	/* Traced bytes are seen: they go through the buffer. */
	w->splice_ok = !w->crlf && trace_mode() == TRACE_OFF;
	way_buffer(w, 0, RELAY_BUFSZ);
}

/*
 * Opens a way's two slots, or ends the way at once when one end does not
 * take part in it, or its socket was shut down that way before.
 */
static int
way_open(struct relay *r, struct way *w, int on, const struct relay_end *from,
    const struct relay_end *to)
{
	struct slot *src = &r->slot[w->src], *dst = &r->slot[w->dst];

	if (!on || from->rfd < 0 || to->wfd < 0 ||
	    (from->s != NULL && (from->s->state & SOCK_SHUT_READ)) ||
	    (to->s != NULL && (to->s->state & SOCK_SHUT_WRITE))) {
		w->eof = w->done = 1;
		return 0;
	}
	if (slot_open(r, src, from, LOOP_READ) < 0) {
		/* A closed stdin is an empty one, as nc -d. */
		if (errno != EBADF || from->s != NULL)
			return -1;
		src->fd = -1;
		w->eof = 1;
	}
	if (slot_open(r, dst, to, LOOP_WRITE) < 0)
		return -1;
	return 0;
}

/* What an end had read before the relay: the way's first bytes. */
static void
way_preload(struct way *w, const struct relay_end *from)
{
	size_t n = from->npending < RELAY_BUFSZ ? from->npending : RELAY_BUFSZ;

	if (n == 0 || w->done)
		return;
	w->buf = xmalloc(w->cap);
	memcpy(w->buf, from->pending, n);
	w->held = n;
}

struct relay *
relay_start(const struct relay_end *a, const struct relay_end *b,
    const struct relay_opts *o)
{
	struct relay *r = xcalloc(1, sizeof *r);
	int i, save;

	r->loop = loop_get();
	r->idle_ms = o->idle_ms;
	r->total_ms = o->total_ms;
	r->start = r->last = loop_now_ms();
	r->quiet = -1;
	for (i = 0; i < SLOT_N; i++) {
		r->slot[i].fd = -1;
		r->slot[i].r = r;
	}
	way_init(&r->way[0], SLOT_AIN, SLOT_BOUT);
	way_init(&r->way[1], SLOT_BIN, SLOT_AOUT);
	if (way_open(r, &r->way[0], o->ways & RELAY_AB, a, b) < 0 ||
	    way_open(r, &r->way[1], o->ways & RELAY_BA, b, a) < 0)
		goto fail;
	/* Lines typed or read, towards a socket, get CRLF (nc -C). */
	for (i = 0; i < 2; i++)
		r->way[i].crlf = o->crlf && r->slot[r->way[i].dst].sock &&
		                 !r->slot[r->way[i].src].sock;
	if (r->slot[SLOT_AIN].fd >= 0 && !r->slot[SLOT_AIN].sock)
		r->tty_in = isatty(r->slot[SLOT_AIN].fd);
	way_setup(r, &r->way[0]);
	way_setup(r, &r->way[1]);
	way_preload(&r->way[0], a);
	way_preload(&r->way[1], b);
	r->kicked = 1;
	return r;
fail:
	save = errno;
	relay_free(r);
	errno = save;
	return NULL;
}

void
relay_free(struct relay *r)
{
	int i;

	if (r == NULL)
		return;
	/* In reverse: stdin and stdout may share one file description. */
	for (i = SLOT_N; i-- > 0;)
		if (r->slot[i].fd >= 0)
			slot_close(r, &r->slot[i]);
	way_free(&r->way[0]);
	way_free(&r->way[1]);
	free(r);
}

int
relay_run(const struct relay_end *a, const struct relay_end *b,
    const struct relay_opts *o, struct relay_stats *st)
{
	struct relay *r;
	int err;

	if ((r = relay_start(a, b, o)) == NULL)
		return -1;
	while (!relay_step(r)) {
		if (loop_run_once(r->loop, relay_wait(r)) < 0 &&
		    loop_interrupted()) {
			relay_finish(r, EINTR);
			break;
		}
	}
	if (st != NULL)
		relay_stats(r, st);
	err = r->err;
	relay_free(r);
	errno = err;
	return err == 0 ? 0 : -1;
}
