/*
 * Netcat mode, after OpenBSD nc's readwrite(): four named slots (stdin,
 * net out, net in, stdout) joined by two ways, each with a pipe or a
 * buffer in between. EAGAIN and EINTR are states, not errors. EOF on
 * stdin becomes shutdown(SHUT_WR) on the socket once what was read has
 * gone out (nc -N); EOF from the socket ends the way to stdout. Relay
 * ends when both ways have ended, or at the first error.
 *
 * On Linux a way whose two ends allow it goes through a pipe with
 * splice(2), so the bytes never cross into user space; otherwise (a
 * terminal, a regular file written to, a datagram socket, another
 * system) it copies through a buffer. The loop is level-triggered: a slot is
 * watched while its way needs it, so a steady transfer costs no epoll_ctl at
 * all, and what the loop cannot watch (regular files: epoll says EPERM) is
 * always ready, as poll(2) reports it. Building result terms is cmd_relay.c's.
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
#define RELAY_DGRAM_IDLE 500       /* ms of quiet after stdin, as socat -t */
#define RELAY_ROUNDS 16            /* moves on one way before the other's */
#define RELAY_RETRY_MS 10          /* unwatchable slot that said EAGAIN */

/* The slots of nc's readwrite(): one descriptor in one direction each. */
enum {
	SLOT_STDIN,  /* in_fd, read */
	SLOT_NETOUT, /* the socket, write */
	SLOT_NETIN,  /* the socket, read */
	SLOT_STDOUT, /* out_fd, write */
	SLOT_N
};

struct slot {
	int fd;
	int mask;    /* LOOP_READ or LOOP_WRITE */
	int net;     /* the socket: recv/send, counters */
	int ready;   /* not known to block: try it */
	int watched; /* the loop holds interest for it */
	int nowatch; /* the loop cannot watch it: take it as ready */
	int flags;   /* F_GETFL before relay, restored after */
	int setfl;   /* flags were changed */
};

/* One way: from the src slot through a pipe or buffer to the dst slot. */
struct way {
	int src;
	int dst;
	int spliced; /* through pipe[] with splice(2), else through buf */
	int pipe[2];
	char *buf;
	size_t off;  /* buf: the held bytes start here */
	size_t held; /* bytes in the pipe or the buffer */
	size_t cap;  /* what the pipe or the buffer holds */
	size_t max;  /* largest single read */
	int packets; /* one read is one datagram: read only when empty */
	int stuck;   /* the pipe took no more: drain before reading */
	int eof;     /* the source has ended */
	int done;    /* ended, drained and, net out, shut down */
};

struct relay {
	struct sock *s;
	struct loop *loop;
	struct slot slot[SLOT_N];
	struct way up;   /* stdin to net out */
	struct way down; /* net in to stdout */
	int dgram;       /* no EOF from the socket, no shutdown */
	int nopeer;      /* a datagram socket whose peer the first one names */
	int tty_in;      /* stdin is a terminal */
	int64_t idle_ms; /* -1: no limit */
	int64_t last;    /* when bytes last moved */
};

static void
relay_ready(struct loop *l, int fd, int mask, void *arg)
{
	struct slot *sl = arg;

	(void)l;
	(void)fd;
	(void)mask;
	sl->ready = 1;
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

/* Nonzero when the kernel splices the socket itself (TCP, local). */
static int
sock_splices(const struct sock *s)
{
	if (s->type != SOCK_STREAM)
		return 0;
	if (s->domain == AF_UNIX)
		return 1;
	return (s->domain == AF_INET || s->domain == AF_INET6) &&
	       (s->protocol == 0 || s->protocol == IPPROTO_TCP);
}

static void
way_init(struct way *w, int src, int dst)
{
	memset(w, 0, sizeof *w);
	w->src = src;
	w->dst = dst;
	w->pipe[0] = w->pipe[1] = -1;
}

/* Through a buffer: the fallback, and datagrams. */
static void
way_buffer(struct way *w, int packets, size_t max)
{
	w->spliced = 0;
	w->packets = packets;
	w->cap = RELAY_BUFSZ;
	w->max = max < w->cap ? max : w->cap;
	w->buf = xmalloc(w->cap);
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
	return w->off + w->held < w->cap;
}

/* Reads the source into the pipe or buffer: as read(2) returns. */
/*
 * The first datagram of an unconnected socket: as nc -u -l does, the
 * socket is connected to its sender, whom stdin's data then goes to.
 * Returns as recv(2).
 */
static ssize_t
read_first(struct relay *r, int fd, char *at, size_t room)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof from;
	ssize_t n;

	if ((n = recvfrom(fd, at, room, 0, (struct sockaddr *)&from, &len)) < 0)
		return n;
	if (len > 0 && connect(fd, (struct sockaddr *)&from, len) == 0) {
		r->nopeer = 0;
		r->s->state |= SOCK_CONNECTED;
	}
	return n;
}

static ssize_t
way_read(struct relay *r, struct way *w)
{
	struct slot *sl = &r->slot[w->src];
	size_t room;
	char *at;

#ifdef RELAY_SPLICE
	if (w->spliced)
		return splice(sl->fd, NULL, w->pipe[1], NULL, w->cap - w->held,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
#endif
	at = w->buf + w->off + w->held;
	room = w->cap - w->off - w->held;
	if (room > w->max)
		room = w->max;
	if (sl->net && r->nopeer)
		return read_first(r, sl->fd, at, room);
	if (sl->net)
		return recv(sl->fd, at, room, 0);
	return read(sl->fd, at, room);
}

/* Writes from the pipe or buffer to the sink: as write(2) returns. */
static ssize_t
way_write(struct relay *r, struct way *w)
{
	struct slot *sl = &r->slot[w->dst];

#ifdef RELAY_SPLICE
	if (w->spliced)
		return splice(w->pipe[0], NULL, sl->fd, NULL, w->held,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
#endif
	if (sl->net)
		return send(sl->fd, w->buf + w->off, w->held, MSG_NOSIGNAL);
	return write(sl->fd, w->buf + w->off, w->held);
}

/*
 * Counts one try on the socket into OTP's info/1 counters: n bytes (an
 * empty datagram is a packet too), or -1 and the errno.
 */
static void
count(struct relay *r, int writing, ssize_t n, int err)
{
	uint64_t *c = r->s->counters;
	/* The read_ and write_ counters are laid out alike. */
	uint64_t *byte = c + (writing ? SOCK_C_write_byte : SOCK_C_read_byte);
	uint64_t *pkg = byte + (SOCK_C_read_pkg - SOCK_C_read_byte);
	uint64_t *max = byte + (SOCK_C_read_pkg_max - SOCK_C_read_byte);

	byte[SOCK_C_read_tries - SOCK_C_read_byte]++;
	if (n > 0 || (n == 0 && r->dgram)) {
		*byte += (uint64_t)n;
		(*pkg)++;
		if ((uint64_t)n > *max)
			*max = (uint64_t)n;
	} else if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK))
		byte[SOCK_C_read_waits - SOCK_C_read_byte]++;
	else if (n < 0 && err != EINTR)
		byte[SOCK_C_read_fails - SOCK_C_read_byte]++;
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
			if (src->net)
				count(r, 0, n, save);
			if (n > 0) {
				w->held += (size_t)n;
				progress = 1;
			} else if (n == 0 && src->net && r->dgram) {
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
		if (dst->ready && w->held > 0 && !(dst->net && r->nopeer)) {
			n = way_write(r, w);
			save = errno;
			if (dst->net)
				count(r, 1, n, save);
			if (n > 0) {
				w->held -= (size_t)n;
				w->off = w->held > 0 ? w->off + (size_t)n : 0;
				w->stuck = 0;
				progress = 1;
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
 * Ends the ways that can end: net in gone and its data written ends the
 * way to stdout; stdin gone and its data sent becomes a shutdown(SHUT_WR)
 * (nc -N). Returns 0, or -1 with errno set.
 */
static int
relay_ends(struct relay *r)
{
	struct way *up = &r->up, *down = &r->down;

	if (!down->done && down->eof && down->held == 0) {
		down->done = 1;
		/*
		 * As nc and ncat do, a terminal's session ends with the
		 * peer's: nobody types into a connection that has ended.
		 */
		if (r->tty_in)
			up->eof = 1;
	}
	if (!up->done && up->eof && up->held == 0) {
		/* ENOTCONN: reset already; the way in reports it. */
		if (!r->dgram) {
			if (shutdown(r->s->fd, SHUT_WR) < 0 &&
			    errno != ENOTCONN)
				return -1;
			r->s->state |= SOCK_SHUT_WRITE;
		}
		up->done = 1;
		/* A datagram socket's quiet time starts now. */
		r->last = loop_now_ms();
	}
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
	int need[SLOT_N], i;
	int64_t wait = -1;
	struct slot *sl;

	need[SLOT_STDIN] = way_can_read(&r->up);
	need[SLOT_NETOUT] = r->up.held > 0 && !r->nopeer;
	need[SLOT_NETIN] = way_can_read(&r->down);
	need[SLOT_STDOUT] = r->down.held > 0;
	for (i = 0; i < SLOT_N; i++) {
		sl = &r->slot[i];
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
 * The state machine: pump both ways, end what ended, wait for what
 * blocks. Returns 0 when both ways are done, or -1 with errno set.
 */
static int
relay_loop(struct relay *r)
{
	int64_t wait, limit, now;
	int moved, i, rc;

	r->last = loop_now_ms();
	for (;;) {
		moved = 0;
		if (!r->up.done) {
			if ((rc = way_pump(r, &r->up)) < 0)
				return -1;
			moved |= rc;
		}
		if (!r->down.done) {
			if ((rc = way_pump(r, &r->down)) < 0)
				return -1;
			moved |= rc;
		}
		if (relay_ends(r) < 0)
			return -1;
		if (r->up.done && r->down.done)
			return 0;
		if ((wait = relay_interest(r)) == -2)
			return -1;
		/* Datagrams never end: quiet after stdin ends them. */
		limit = r->idle_ms;
		if (r->dgram && r->up.done && limit < 0)
			limit = RELAY_DGRAM_IDLE;
		now = loop_now_ms();
		if (moved)
			r->last = now;
		if (limit >= 0) {
			if (now - r->last >= limit) {
				if (r->dgram && r->up.done)
					return 0;
				errno = ETIMEDOUT;
				return -1;
			}
			if (wait < 0 || r->last + limit - now < wait)
				wait = r->last + limit - now;
		}
		if (loop_run_once(r->loop, wait) < 0 && loop_interrupted()) {
			errno = EINTR;
			return -1;
		}
		for (i = 0; i < SLOT_N; i++)
			if (r->slot[i].nowatch)
				r->slot[i].ready = 1;
	}
}

/* Nonzero when a socket is connected to a peer. */
static int
has_peer(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	return getpeername(fd, (struct sockaddr *)&ss, &len) == 0;
}

/* Makes a slot's descriptor non-blocking. Returns 0, or -1 with errno. */
static int
slot_open(struct slot *sl, int fd, int mask, int net)
{
	int fl;

	sl->fd = fd;
	sl->mask = mask;
	sl->net = net;
	sl->ready = 1;
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

/* Chooses splice or a buffer for a way. Returns 0, or -1 with errno. */
static int
way_setup(struct relay *r, struct way *w)
{
	struct slot *src = &r->slot[w->src], *dst = &r->slot[w->dst];

	if (w->done)
		return 0;
	if (r->dgram || r->s->type == SOCK_SEQPACKET) {
		/* Keep message boundaries: one read, one datagram. */
		way_buffer(w, 1, src->net ? RELAY_BUFSZ : RELAY_DGRAM_MAX);
		return 0;
	}
	if (sock_splices(r->s) && (src->net || can_splice(src->fd, 0)) &&
	    (dst->net || can_splice(dst->fd, 1))) {
		if (way_pipe(w) == 0)
			return 0;
		if (errno != EMFILE && errno != ENFILE)
			return -1;
	}
	way_buffer(w, 0, RELAY_BUFSZ);
	return 0;
}

int
relay_run(struct sock *s, int in_fd, int out_fd, int64_t idle_ms)
{
	struct relay r;
	int rc = -1, save, i;

	memset(&r, 0, sizeof r);
	r.s = s;
	r.loop = loop_get();
	r.idle_ms = idle_ms;
	r.dgram = s->type == SOCK_DGRAM || s->type == SOCK_RAW;
	r.nopeer = r.dgram && !has_peer(s->fd);
	for (i = 0; i < SLOT_N; i++)
		r.slot[i].fd = -1;
	way_init(&r.up, SLOT_STDIN, SLOT_NETOUT);
	way_init(&r.down, SLOT_NETIN, SLOT_STDOUT);
	/* A direction shut down before relay has nothing to carry. */
	if (s->state & SOCK_SHUT_WRITE)
		r.up.eof = r.up.done = 1;
	if (s->state & SOCK_SHUT_READ)
		r.down.eof = r.down.done = 1;
	if (slot_open(&r.slot[SLOT_NETOUT], s->fd, LOOP_WRITE, 1) < 0 ||
	    slot_open(&r.slot[SLOT_NETIN], s->fd, LOOP_READ, 1) < 0)
		goto out;
	if (!r.up.done &&
	    slot_open(&r.slot[SLOT_STDIN], in_fd, LOOP_READ, 0) < 0) {
		/* A closed stdin is an empty one, as nc -d. */
		if (errno != EBADF)
			goto out;
		r.slot[SLOT_STDIN].fd = -1;
		r.up.eof = 1;
	} else if (!r.up.done)
		r.tty_in = isatty(in_fd);
	if (!r.down.done &&
	    slot_open(&r.slot[SLOT_STDOUT], out_fd, LOOP_WRITE, 0) < 0)
		goto out;
	if (way_setup(&r, &r.up) < 0 || way_setup(&r, &r.down) < 0)
		goto out;
	rc = relay_loop(&r);
out:
	save = errno;
	/* In reverse: stdin and stdout may share one file description. */
	for (i = SLOT_N; i-- > 0;)
		if (r.slot[i].fd >= 0)
			slot_close(&r, &r.slot[i]);
	way_free(&r.up);
	way_free(&r.down);
	errno = save;
	return rc;
}
