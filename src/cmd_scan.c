/*
 * scan: which TCP ports of a host accept a connection, as netcat's -z
 * finds out, with many connects in flight on the shared event loop. A
 * probe is a raw descriptor, no socket of the registry: socket, a
 * nonblocking connect, and the question how it stands (probe_ask);
 * one still in progress gets one-shot write interest, whose firing
 * means the connect ended (SO_ERROR says how), and a deadline. The
 * host is resolved once, by sockaddr.c.
 */
#include "compat.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "loop.h"
#include "result.h"
#include "sockaddr.h"
#include "util.h"

#define SCAN_TIMEOUT 1000         /* ms a port has to answer, by default */
#define SCAN_TIMEOUT_MAX 86400000 /* a day, sleep's bound too */
#define SCAN_INFLIGHT 256         /* connects in flight, by default */
#define SCAN_INFLIGHT_MAX 65535   /* one per port */
/* Descriptors left to the session when the limit bounds the flight. */
#define SCAN_FD_RESERVE 64

/* A set of ports 0..65535, one bit each: sorted and without duplicates. */
struct portset {
	uint64_t w[65536 / 64];
};

static void
set_add(struct portset *s, unsigned int p)
{
	s->w[p / 64] |= (uint64_t)1 << (p % 64);
}

/* The lowest port >= from in the set, or -1. */
static int
set_next(const struct portset *s, unsigned int from)
{
	size_t i = from / 64;
	uint64_t w;

	if (from >= 65536)
		return -1;
	w = s->w[i] & (~(uint64_t)0 << (from % 64));
	for (;;) {
		if (w != 0)
			return (int)(i * 64 + (size_t)__builtin_ctzll(w));
		if (++i == NELEMS(s->w))
			return -1;
		w = s->w[i];
	}
}

/*
 * Ports written as nc writes them, "22,80,8000-8100": items split by
 * commas, each a port or a range Lo-Hi. Returns 0, or -1 on anything
 * else (an empty item, a port out of 1..65535, Lo > Hi, other bytes).
 */
static int
ports_text(const char *p, size_t len, struct portset *set)
{
	const char *end = p + len;
	long lo, hi;

	for (;;) {
		lo = hi = 0;
		if (p == end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9' && lo <= 65535)
			lo = lo * 10 + (*p++ - '0');
		hi = lo;
		if (p < end && *p == '-') {
			if (++p == end || *p < '0' || *p > '9')
				return -1;
			hi = 0;
			while (p < end && *p >= '0' && *p <= '9' && hi <= 65535)
				hi = hi * 10 + (*p++ - '0');
		}
		if (lo < 1 || hi > 65535 || lo > hi)
			return -1;
		for (; lo <= hi; lo++)
			set_add(set, (unsigned int)lo);
		if (p == end)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

/*
 * A list of nothing but the characters of nc's port text is that text
 * ("1-1024" in a script is the list [49,45,...]): no port list of
 * Erlang code would consist of ports 44, 45 and 48..57 alone.
 */
static int
is_ports_text(term t)
{
	const term *e;
	size_t i, n;

	if (!term_is_charlist(t))
		return 0;
	e = term_elems(t);
	n = term_size(t);
	for (i = 0; i < n; i++)
		if (e[i].u.i != ',' && e[i].u.i != '-' &&
		    (e[i].u.i < '0' || e[i].u.i > '9'))
			return 0;
	return 1;
}

/* One port of a Ports list: 0, or -1 when t is none. */
static int
port_of(term t, int64_t *p)
{
	return term_to_int64(t, p) < 0 || *p < 1 || *p > 65535 ? -1 : 0;
}

/*
 * Ports: an integer; a list of integers and {Lo, Hi} ranges (or one
 * range); or nc's text as a string or binary. Returns 0, or -1.
 */
static int
ports_decode(term t, struct portset *set)
{
	const term *e;
	int64_t lo, hi;
	size_t i, n;
	term x;

	if (term_kind(t) == TERM_BINARY) {
		if (term_bin_bits(t) % 8 != 0)
			return -1;
		return ports_text(
		    (const char *)term_bin_data(t), term_bin_size(t), set);
	}
	if (term_kind(t) == TERM_LIST && is_ports_text(t)) {
		struct buf b;
		int rc;

		buf_init(&b);
		rc = term_text(t, &b) < 0 ? -1 : ports_text(b.data, b.len, set);
		buf_free(&b);
		return rc;
	}
	if (term_kind(t) == TERM_LIST) {
		if (term_kind(term_list_tail(t)) != TERM_NIL)
			return -1;
		e = term_elems(t);
		n = term_size(t);
	} else {
		e = &t;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		x = e[i];
		if (term_kind(x) == TERM_TUPLE && term_size(x) == 2) {
			if (port_of(term_tuple_get(x, 0), &lo) < 0 ||
			    port_of(term_tuple_get(x, 1), &hi) < 0 || lo > hi)
				return -1;
		} else if (port_of(x, &lo) == 0)
			hi = lo;
		else
			return -1;
		for (; lo <= hi; lo++)
			set_add(set, (unsigned int)lo);
	}
	return n > 0 ? 0 : -1;
}

/*
 * Host: an inet or inet6 sockaddr() map (what 127.0.0.1 and ::1 are in
 * the language; its port is not used), an address tuple, or a name or
 * numeric address as a string, binary or atom, which getaddrinfo
 * resolves. Returns 0, or -1 with *why the {error, ...} result.
 */
static int
host_decode(term t, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	term reason = term_nil();
	struct buf b;
	int rc;

	memset(ss, 0, sizeof *ss);
	if (term_kind(t) == TERM_MAP) {
		if (sa_decode(t, ss, len, &reason) == 0 &&
		    (ss->ss_family == AF_INET || ss->ss_family == AF_INET6))
			return 0;
		term_free(reason);
	} else if (term_kind(t) == TERM_TUPLE && term_size(t) == 4 &&
	           sa_in_addr_decode(t, &sin->sin_addr) == 0) {
		sin->sin_family = AF_INET;
		*len = sizeof *sin;
		return 0;
	} else if (term_kind(t) == TERM_TUPLE && term_size(t) == 8 &&
	           sa_in6_addr_decode(t, &sin6->sin6_addr) == 0) {
		sin6->sin6_family = AF_INET6;
		*len = sizeof *sin6;
		return 0;
	} else if (term_kind(t) != TERM_TUPLE) {
		buf_init(&b);
		rc = cmd_arg_string(t, &b);
		if (rc == 0 && (rc = sa_resolve(buf_str(&b), AF_UNSPEC, 0, ss,
		                    len, &reason)) < 0) {
			buf_free(&b);
			*why = t_error(reason);
			return -1;
		}
		buf_free(&b);
		if (rc == 0)
			return 0;
	}
	*why = t_invalid("host", term_copy(t));
	return -1;
}

/* {error, {invalid, {options, What, Opts}}}, as open/2 spells it. */
static term
bad_option(term what, term opts)
{
	return t_error(term_tuple2(term_atom_of(A_INVALID),
	    term_tuple3(term_atom("options"), what, term_copy(opts))));
}

/*
 * Opts #{timeout => Ms, inflight => N}: 0, or -1 with *why set. A map
 * holds each key once, so the loop is bounded by its size.
 */
static int
opts_decode(term opts, int64_t *timeout, int64_t *inflight, term *why)
{
	size_t i;
	term k;
	int64_t v;

	if (term_kind(opts) != TERM_MAP) {
		*why = t_error(term_tuple2(term_atom_of(A_INVALID),
		    term_tuple2(term_atom("options"), term_copy(opts))));
		return -1;
	}
	for (i = 0; i < term_size(opts); i++) {
		k = term_map_key(opts, i);
		if (term_to_int64(term_map_value(opts, i), &v) < 0)
			v = -1;
		if (term_atom_is(k, "timeout") && v >= 1 &&
		    v <= SCAN_TIMEOUT_MAX)
			*timeout = v;
		else if (term_atom_is(k, "inflight") && v >= 1 &&
		         v <= SCAN_INFLIGHT_MAX)
			*inflight = v;
		else {
			*why = bad_option(term_copy(k), opts);
			return -1;
		}
	}
	return 0;
}

struct scan;

/* A connect in flight; fd -1 when the slot is free. */
struct probe {
	struct scan *sc;
	int fd;
	unsigned int port;
	size_t seq; /* its place in the scan's order of starts */
	int64_t deadline;
};

struct scan {
	struct loop *loop;
	struct sockaddr_storage ss;
	socklen_t len;
	int64_t timeout;
	/* A socket refused and unconnected again, for the next port; -1. */
	int spare;
	struct probe *probes; /* cap slots */
	size_t cap;
	size_t *free; /* free slots, a stack */
	size_t nfree;
	/*
	 * The slot of each probe by start, so that the first live one has
	 * the nearest deadline (every probe has the same timeout): ended
	 * probes before it are passed over, and no timer heap is needed.
	 */
	size_t *order;
	size_t started;
	size_t head;
	struct portset want;
	struct portset open;
};

/* Ends a probe: interest dropped before the close, as loop.h asks. */
static void
probe_end(struct probe *p)
{
	struct scan *sc = p->sc;

	loop_forget(sc->loop, p->fd);
	(void)close(p->fd);
	p->fd = -1;
	sc->free[sc->nfree++] = (size_t)(p - sc->probes);
}

/* The connect ended: SO_ERROR is 0 when the port accepted it. */
static void
probe_ready(struct loop *l, int fd, int mask, void *arg)
{
	struct probe *p = arg;
	socklen_t len = sizeof(int);
	int err;

	(void)l;
	(void)mask;
	/* A descriptor that cannot tell counts as a port that did not. */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
		set_add(&p->sc->open, p->port);
	probe_end(p);
}

/* A nonblocking stream socket in the host's family, or -1 with errno. */
static int
probe_socket(int family)
{
	int fd, fl;

	if ((fd = socket(family, SOCK_STREAM | ESOCK_SOCK_FLAGS, 0)) < 0)
		return -1;
	if (!ESOCK_HAVE_SOCK_FLAGS &&
	    ((fl = fcntl(fd, F_GETFL)) < 0 ||
	        fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)) {
		int save = errno;

		(void)close(fd);
		errno = save;
		return -1;
	}
	return fd;
}

/* Errors of connect(2) that speak of the port, not of this host. */
static int
port_failed(int err)
{
	return err == ECONNREFUSED || err == ETIMEDOUT || err == ECONNRESET ||
	       err == EHOSTUNREACH || err == ENETUNREACH || err == EACCES ||
	       err == EPERM;
}

/*
 * How a connect in progress stands: 0 accepted, 1 still going, -1
 * ended otherwise (errno). Linux takes a second connect(2) as that
 * question (EALREADY while it goes on) and, after a refusal, leaves the
 * socket unconnected and free to connect again (tcp_disconnect), which
 * spares a refused port its socket(2) and close(2). Elsewhere SO_ERROR
 * is asked, and no failed socket is used again: POSIX leaves its state
 * unspecified.
 */
#ifdef __linux__
#define SCAN_REUSE 1
static int
probe_ask(struct scan *sc, int fd)
{
	if (connect(fd, (struct sockaddr *)&sc->ss, sc->len) == 0 ||
	    errno == EISCONN)
		return 0;
	return errno == EALREADY || errno == EINPROGRESS ? 1 : -1;
}
#else
#define SCAN_REUSE 0
static int
probe_ask(struct scan *sc, int fd)
{
	socklen_t len = sizeof(int);
	int err;

	(void)sc;
	/* No error says nothing: connected or still going. */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err == 0)
		return 1;
	errno = err;
	return -1;
}
#endif

/*
 * Starts the probe of a port: a connect that ends at once, as most do
 * on loopback where the peer answers within the call, needs no loop.
 * Returns 0, 1 when no descriptor is left now (EMFILE, ENFILE), or -1
 * with errno.
 */
static int
probe_start(struct scan *sc, unsigned int port)
{
	struct probe *p;
	int fd = sc->spare, save;

	sc->spare = -1;
	if (fd < 0 && (fd = probe_socket(sc->ss.ss_family)) < 0)
		return errno == EMFILE || errno == ENFILE ? 1 : -1;
	if (sc->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&sc->ss)->sin_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&sc->ss)->sin6_port =
		    htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&sc->ss, sc->len) == 0) {
		set_add(&sc->open, port);
		(void)close(fd);
		return 0;
	}
	/* EINTR: the connect goes on, and ends as one in progress does. */
	if (errno != EINPROGRESS && errno != EINTR) {
		save = errno;
		(void)close(fd);
		errno = save;
		return port_failed(save) ? 0 : -1;
	}
	switch (probe_ask(sc, fd)) {
	case 0:
		set_add(&sc->open, port);
		(void)close(fd);
		return 0;
	case -1:
		if (SCAN_REUSE && errno == ECONNREFUSED)
			sc->spare = fd;
		else
			(void)close(fd);
		return 0;
	}
	p = &sc->probes[sc->free[--sc->nfree]];
	p->fd = fd;
	if (loop_watch(
	        sc->loop, fd, LOOP_WRITE | LOOP_ONESHOT, probe_ready, p) < 0) {
		save = errno;
		probe_end(p);
		errno = save;
		return -1;
	}
	p->port = port;
	p->seq = sc->started;
	p->deadline = loop_now_ms() + sc->timeout;
	sc->order[sc->started++] = (size_t)(p - sc->probes);
	return 0;
}

/* The oldest probe still in flight, or NULL. */
static struct probe *
oldest(struct scan *sc)
{
	struct probe *p;

	for (; sc->head < sc->started; sc->head++) {
		p = &sc->probes[sc->order[sc->head]];
		if (p->fd >= 0 && p->seq == sc->head)
			return p;
	}
	return NULL;
}

/*
 * Probes every port of sc->want, at most sc->cap at a time. Each round
 * starts probes or waits until one ends or reaches its deadline, so the
 * rounds are bounded by the ports and their timeouts. Returns 0, or -1
 * with errno: EINTR for SIGINT, else what failed. Probes may be left in
 * flight on failure.
 */
static int
scan_run(struct scan *sc)
{
	struct probe *p;
	int port = set_next(&sc->want, 0), rc;
	int64_t now;

	while (port >= 0 || sc->nfree < sc->cap) {
		while (port >= 0 && sc->nfree > 0) {
			/*
			 * Refusals end without the loop, which then never
			 * sees SIGINT: the flag is read here too.
			 */
			if (loop_interrupted()) {
				errno = EINTR;
				return -1;
			}
			if ((rc = probe_start(sc, (unsigned int)port)) < 0)
				return -1;
			/* Out of descriptors: wait for those in flight. */
			if (rc > 0 && sc->nfree == sc->cap)
				return -1;
			if (rc > 0)
				break;
			port = set_next(&sc->want, (unsigned int)port + 1);
		}
		if ((p = oldest(sc)) == NULL)
			continue;
		now = loop_now_ms();
		if (loop_run_once(sc->loop,
		        p->deadline > now ? p->deadline - now : 0) < 0 &&
		    loop_interrupted()) {
			errno = EINTR;
			return -1;
		}
		/* A port that has not answered by its deadline is not open. */
		now = loop_now_ms();
		while ((p = oldest(sc)) != NULL && p->deadline <= now)
			probe_end(p);
	}
	return 0;
}

/* Connects in flight: the limit on descriptors leaves room for them. */
static size_t
flight_room(int64_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)want + SCAN_FD_RESERVE > rl.rlim_cur)
		want = rl.rlim_cur > SCAN_FD_RESERVE + 1
		           ? (int64_t)(rl.rlim_cur - SCAN_FD_RESERVE)
		           : 1;
	return (size_t)want;
}

/* {ok, [Port, ...]} in ascending order. */
static term
ports_result(const struct portset *open)
{
	struct term_vec v = {NULL, 0, 0};
	int p;

	for (p = set_next(open, 0); p >= 0;
	     p = set_next(open, (unsigned int)p + 1))
		term_vec_push(&v, term_int(p));
	return t_ok(term_vec_list(&v, term_nil()));
}

static enum cmd_retval
cmd_scan_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct scan *sc = xcalloc(1, sizeof *sc);
	int64_t inflight = SCAN_INFLIGHT;
	size_t i, nports = 0;
	int save;

	(void)ctx;
	*result = term_nil();
	sc->timeout = SCAN_TIMEOUT;
	if (ports_decode(argv[1], &sc->want) < 0)
		*result = t_invalid("ports", term_copy(argv[1]));
	else if (argc < 3 ||
	         opts_decode(argv[2], &sc->timeout, &inflight, result) == 0)
		(void)host_decode(argv[0], &sc->ss, &sc->len, result);
	if (term_kind(*result) != TERM_NIL) {
		free(sc);
		return CMD_RETURN_NORMAL;
	}
	for (i = 0; i < NELEMS(sc->want.w); i++)
		nports += (size_t)__builtin_popcountll(sc->want.w[i]);
	sc->cap = flight_room(
	    inflight < (int64_t)nports ? inflight : (int64_t)nports);
	sc->loop = loop_get();
	sc->probes = xreallocarray(NULL, sc->cap, sizeof *sc->probes);
	sc->free = xreallocarray(NULL, sc->cap, sizeof *sc->free);
	sc->order = xreallocarray(NULL, nports, sizeof *sc->order);
	for (i = 0; i < sc->cap; i++) {
		sc->probes[i].sc = sc;
		sc->probes[i].fd = -1;
		sc->free[sc->cap - 1 - i] = i;
	}
	sc->nfree = sc->cap;
	sc->spare = -1;
	if (scan_run(sc) < 0) {
		save = errno;
		for (i = 0; i < sc->cap; i++)
			if (sc->probes[i].fd >= 0)
				probe_end(&sc->probes[i]);
		*result = t_errno(save);
	} else
		*result = ports_result(&sc->open);
	/* Never watched: no loop_forget. */
	if (sc->spare >= 0)
		(void)close(sc->spare);
	free(sc->probes);
	free(sc->free);
	free(sc->order);
	free(sc);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_scan_entry = {
    .name = "scan",
    .module = "shell",
    .args = {2, 3},
    .usage = "Host Ports [#{timeout => Ms, inflight => N}]",
    .summary = "list the TCP ports of a host that accept a connection "
               "(nc -z)",
    .flags = CMD_MAY_BLOCK,
    .exec = cmd_scan_exec,
};
