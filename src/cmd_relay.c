/*
 * relay: copies both ways between two endpoints (relay.c does the
 * moving, endpoint.c the opening); here the arguments, the options and
 * the result term. relay with one argument joins it to stdin and stdout,
 * with none the current socket.
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "endpoint.h"
#include "loop.h"
#include "relay.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "term_print.h"
#include "util.h"

/* The keys of relay's option map; serve's adds its own. */
static const char *const relay_keys[] = {"idle", "timeout", "crlf", "dir"};
static const char *const serve_keys[] = {
    "idle", "timeout", "crlf", "dir", "max", "conn_idle", "log"};

/*
 * A key not in the list is {error, {invalid, {options, Key, Opts}}}, as
 * open/2 spells it. Returns 0 or -1.
 */
static int
opts_known(term m, const char *const *keys, size_t n, term *why)
{
	size_t i, k;
	term key;

	for (i = 0; i < term_size(m); i++) {
		key = term_map_key(m, i);
		for (k = 0; k < n; k++)
			if (term_atom_is(key, keys[k]))
				break;
		if (k == n) {
			*why = t_error(term_tuple2(term_atom_of(A_INVALID),
			    term_tuple3(term_atom("options"), term_copy(key),
			        term_copy(m))));
			return -1;
		}
	}
	return 0;
}

/* A time in ms (or infinity, -1) under key; 0 when absent. */
static int
opts_ms(const struct cmd_ctx *ctx, term m, const char *key, int64_t *ms)
{
	const term *v = term_map_get(m, key);
	term why = term_nil();

	if (v == NULL)
		return 0;
	if (cmd_arg_timeout(ctx, v, ms, &why) != 0 || *ms < -1) {
		term_free(why);
		return -1;
	}
	return 0;
}

/* relay's and serve's option map: the keys relay takes. */
static int
relay_opts(const struct cmd_ctx *ctx, const term *m, const char *const *keys,
    size_t nkeys, struct relay_opts *o, term *why)
{
	const term *v;

	o->ways = RELAY_AB | RELAY_BA;
	o->crlf = 0;
	o->idle_ms = ctx->timeout_ms;
	o->total_ms = -1;
	if (m == NULL)
		return 0;
	if (term_kind(*m) != TERM_MAP) {
		*why = t_invalid("options", term_copy(*m));
		return -1;
	}
	if (opts_known(*m, keys, nkeys, why) < 0)
		return -1;
	if (opts_ms(ctx, *m, "idle", &o->idle_ms) < 0 ||
	    opts_ms(ctx, *m, "timeout", &o->total_ms) < 0)
		goto bad;
	if ((v = term_map_get(*m, "crlf")) != NULL) {
		if (!term_is_atom(*v, A_TRUE) && !term_is_atom(*v, A_FALSE))
			goto bad;
		o->crlf = term_is_atom(*v, A_TRUE);
	}
	if ((v = term_map_get(*m, "dir")) != NULL) {
		if (term_atom_is(*v, "forward"))
			o->ways = RELAY_AB;
		else if (term_atom_is(*v, "backward"))
			o->ways = RELAY_BA;
		else if (!term_atom_is(*v, "both"))
			goto bad;
	}
	return 0;
bad:
	*why = t_invalid("options", term_copy(*m));
	return -1;
}

/*
 * An endpoint argument: an open socket (*s), or endpoint text (ep).
 * Returns 0; -1 for text that is no endpoint; -2 for a closed socket.
 */
static int
arg_endpoint(term t, struct endpoint *ep, struct sock **s, term *why)
{
	struct buf b;
	int rc;

	*s = NULL;
	if (sock_is_term(t)) {
		if ((*s = sock_find(t)) == NULL) {
			*why = t_error(term_atom_of(A_CLOSED));
			return -2;
		}
		return 0;
	}
	/* An address (127.0.0.1:80, /path as words) is a connect to it. */
	if (term_kind(t) == TERM_MAP)
		return endpoint_connect_to(t, ep, why);
	buf_init(&b);
	if (cmd_arg_string(t, &b) < 0) {
		buf_free(&b);
		*why = t_invalid("endpoint", term_copy(t));
		return -1;
	}
	rc = endpoint_parse(buf_str(&b), ep, why);
	buf_free(&b);
	return rc;
}

static enum cmd_retval
bad_endpoint(const struct cmd_ctx *ctx, term why, term *result)
{
	struct buf b;

	/* An endpoint that cannot be read is a usage error, named. */
	buf_init(&b);
	print_term(&b, why, 0, 1);
	fflush(stdout);
	fprintf(stderr, "esock: %s: %s\n", ctx->entry->name, buf_str(&b));
	buf_free(&b);
	term_free(why);
	*result = term_nil();
	return CMD_RETURN_USAGE;
}

/* One side of the relay: an open socket, or an endpoint opened now. */
struct side {
	struct endpoint ep;
	struct endpoint_open o;
	struct sock *s;
	int parsed;
	int opened;
};

static void
side_free(struct side *sd)
{
	if (sd->opened)
		endpoint_close(&sd->o);
	if (sd->parsed)
		endpoint_free(&sd->ep);
}

static term
relay_result(const struct relay_stats *st, int rc)
{
	if (rc == 0)
		return term_atom_of(A_OK);
	if (st->err == ETIMEDOUT)
		return t_error(term_atom_of(A_TIMEOUT));
	return t_errno(st->err);
}

static enum cmd_retval
cmd_relay_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct side sd[2];
	struct relay_end end[2];
	struct relay_opts o;
	struct relay_stats st;
	term why = term_nil();
	size_t i, nends = argc > 2 ? 2 : argc;
	int rc;

	memset(sd, 0, sizeof sd);
	memset(end, 0, sizeof end);
	memset(&st, 0, sizeof st);
	if (relay_opts(ctx, argc > 2 ? &argv[2] : NULL, relay_keys,
	        NELEMS(relay_keys), &o, &why) < 0) {
		*result = why;
		return CMD_RETURN_NORMAL;
	}
	/* No argument: the current socket; one: it and stdin/stdout. */
	if (argc == 0 && (sd[0].s = sock_current()) == NULL) {
		*result = t_invalid("socket", term_atom("none"));
		return CMD_RETURN_NORMAL;
	}
	for (i = 0; i < nends; i++) {
		if ((rc = arg_endpoint(argv[i], &sd[i].ep, &sd[i].s, &why)) <
		    0) {
			side_free(&sd[0]);
			if (rc == -2) {
				*result = why;
				return CMD_RETURN_NORMAL;
			}
			return bad_endpoint(ctx, why, result);
		}
		sd[i].parsed = sd[i].s == NULL;
	}
	if (nends < 2) {
		sd[1].ep.kind = EP_STDIO;
		sd[1].parsed = 1;
	}
	if (argc == 0)
		sd[0].parsed = 0;
	/* What printed before must come out before the relayed bytes. */
	if (fflush(stdout) != 0) {
		*result = t_errno(errno);
		goto out;
	}
	for (i = 0; i < 2; i++) {
		if (sd[i].s != NULL) {
			end[i].rfd = end[i].wfd = sd[i].s->fd;
			end[i].s = sd[i].s;
			end[i].type = sd[i].s->type;
			continue;
		}
		if (endpoint_open(&sd[i].ep, &sd[i].o, &why) < 0) {
			*result = why;
			goto out;
		}
		sd[i].opened = 1;
		end[i] = sd[i].o.end;
	}
	/* One endpoint and stdio: stdin is read as nc reads it (end A). */
	if (nends < 2)
		rc = relay_run(&end[1], &end[0], &o, &st);
	else
		rc = relay_run(&end[0], &end[1], &o, &st);
	if (rc < 0)
		st.err = errno;
	*result = relay_result(&st, rc);
out:
	for (i = 0; i < 2; i++) {
		/* Relay had the descriptor's callbacks: nowait requests too. */
		if (sd[i].s != NULL && sd[i].parsed == 0)
			sock_q_rearm(sd[i].s);
		side_free(&sd[i]);
	}
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_relay_entry = {
    .name = "relay",
    .module = "shell",
    .args = {0, 3},
    .usage = "[Endpoint [Endpoint [Opts]]]",
    .summary = "copy both ways between two endpoints (default: the "
               "socket and stdin/stdout)",
    .complete = "endpoint endpoint",
    .flags = CMD_MAY_BLOCK | CMD_DATA_STDOUT,
    .exec = cmd_relay_exec,
};

/*
 * serve: accepts on a listener and relays each connection to a fresh
 * instance of an endpoint, all at once on the one loop.
 */

#define SERVE_DGRAM_IDLE 60000 /* ms: a datagram session's default idle */

/* One connection being served. */
struct conn {
	struct relay *r;
	struct sock *s; /* the accepted socket */
	struct endpoint_open target;
	term peer;
	uint64_t n;                   /* its number, from 1 */
	struct sockaddr_storage addr; /* the peer's, for datagram sessions */
	socklen_t addrlen;
};

struct server {
	const struct cmd_ctx *ctx;
	struct sock *l;
	struct endpoint *target;
	struct relay_opts o;
	struct conn *c;
	size_t nc, cap;
	uint64_t max;    /* connections to take; 0: no limit */
	int64_t idle_ms; /* time with no connection that ends serve */
	int log;         /* print each connection's start and end */
	int ready;       /* the listener is readable */
	int starved;     /* out of descriptors: accept again when one ends */
	int retry;       /* one ended: waiting connections try again */
	uint64_t accepted, failed;
	uint64_t bytes[2]; /* to the target, back to the clients */
};

static void
serve_log(term t)
{
	struct buf b;

	/* One line an event, for grep and awk. */
	buf_init(&b);
	print_term_width(&b, t, 0, 1, INT_MAX);
	fflush(stdout);
	fprintf(stderr, "%s\n", buf_str(&b));
	buf_free(&b);
	term_free(t);
}

/* Ends connection i: logs it, closes both ends, drops it from the set. */
static void
conn_end(struct server *sv, size_t i)
{
	struct conn *c = &sv->c[i];
	struct relay_stats st;
	term keys[5], vals[5];

	if (c->r != NULL)
		relay_stats(c->r, &st);
	else {
		/* Still waiting for descriptors when serve ended. */
		memset(&st, 0, sizeof st);
		st.err = EMFILE;
	}
	sv->bytes[0] += st.bytes[0];
	sv->bytes[1] += st.bytes[1];
	/* A datagram session has no end but its idle time. */
	if (st.err != 0 && !(st.err == ETIMEDOUT && c->addrlen > 0))
		sv->failed++;
	if (sv->log) {
		keys[0] = term_atom("peer");
		vals[0] = term_copy(c->peer);
		keys[1] = term_atom("in");
		vals[1] = term_int((int64_t)st.bytes[0]);
		keys[2] = term_atom("out");
		vals[2] = term_int((int64_t)st.bytes[1]);
		keys[3] = term_atom("ms");
		vals[3] = term_int(st.end_ms - st.start_ms);
		keys[4] = term_atom("reason");
		if (st.err == 0)
			vals[4] = term_atom_of(A_OK);
		else if (st.err == ETIMEDOUT)
			vals[4] = term_atom_of(A_TIMEOUT);
		else {
			/* The Posix of {error, Posix}. */
			term e = t_errno(st.err);

			vals[4] = term_copy(term_tuple_get(e, 1));
			term_free(e);
		}
		serve_log(term_tuple3(term_atom("close"),
		    term_int((int64_t)c->n), term_map(5, keys, vals)));
	}
	relay_free(c->r);
	sock_close(c->s);
	endpoint_close(&c->target);
	if (sv->starved) {
		sv->starved = 0;
		sv->retry = 1;
	}
	term_free(c->peer);
	sv->c[i] = sv->c[--sv->nc];
}

/* A new slot in the connection set. */
static struct conn *
conn_add(struct server *sv)
{
	struct conn *c;

	if (sv->nc == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 64;
		sv->c = xreallocarray(sv->c, sv->cap, sizeof *sv->c);
	}
	c = &sv->c[sv->nc];
	memset(c, 0, sizeof *c);
	c->n = ++sv->accepted;
	return c;
}

/* Nonzero when an {error, Posix} is out of descriptors. */
static int
out_of_fds(term why)
{
	term r = term_kind(why) == TERM_TUPLE && term_size(why) == 2
	             ? term_tuple_get(why, 1)
	             : term_nil();

	return term_atom_is(r, "emfile") || term_atom_is(r, "enfile");
}

/*
 * Opens the target of connection c and starts its relay. Returns 0; 1
 * when the descriptors ran out with other connections open (c waits for
 * one of them to end, its client unanswered meanwhile); -1 when it
 * failed, c then closed, logged and counted.
 */
static int
conn_open(struct server *sv, struct conn *c, const char *pending, size_t n)
{
	struct relay_end a;
	term why = term_nil();

	memset(&a, 0, sizeof a);
	a.rfd = a.wfd = c->s->fd;
	a.s = c->s;
	a.type = c->s->type;
	a.pending = pending;
	a.npending = n;
	if (endpoint_open(sv->target, &c->target, &why) == 0) {
		if ((c->r = relay_start(&a, &c->target.end, &sv->o)) != NULL)
			return 0;
		why = t_errno(errno);
		endpoint_close(&c->target);
	}
	if (out_of_fds(why) && n == 0 && sv->nc > 0) {
		term_free(why);
		sv->starved = 1;
		return 1;
	}
	if (sv->log)
		serve_log(term_tuple3(
		    term_atom("close"), term_int((int64_t)c->n), why));
	else
		term_free(why);
	sock_close(c->s);
	term_free(c->peer);
	sv->failed++;
	return -1;
}

/*
 * Starts serving a connection or session whose socket c->s is set, the
 * last of the set's slots: logs it and opens its target (conn_open).
 * pending is what the client sent already.
 */
static void
conn_start(struct server *sv, struct conn *c, const char *pending, size_t n)
{
	if (sv->log)
		serve_log(term_tuple3(term_atom("accept"),
		    term_int((int64_t)c->n), term_copy(c->peer)));
	if (conn_open(sv, c, pending, n) >= 0)
		sv->nc++;
}

/* Connections that waited for descriptors try their targets again. */
static void
conns_retry(struct server *sv)
{
	size_t i;

	for (i = sv->nc; i-- > 0 && !sv->starved;)
		if (sv->c[i].r == NULL && conn_open(sv, &sv->c[i], NULL, 0) < 0)
			sv->c[i] = sv->c[--sv->nc];
}

/*
 * A datagram listener: each new sender gets a session, a socket of its
 * own bound to the listener's address and connected to the sender (the
 * kernel then gives it that sender's datagrams), relayed to a fresh
 * target, its first datagram sent on. A datagram that reached the
 * listener for a session already open goes to that session's target.
 */
static void
serve_datagrams(struct server *sv)
{
	static char dgram[65536];
	struct sockaddr_storage ss, local;
	socklen_t len, llen = sizeof local;
	struct conn *c;
	ssize_t n;
	size_t i;
	int fd, one = 1;

	if (getsockname(sv->l->fd, (struct sockaddr *)&local, &llen) < 0)
		return;
	while (sv->max == 0 || sv->accepted < sv->max) {
		len = sizeof ss;
		n = recvfrom(sv->l->fd, dgram, sizeof dgram, 0,
		    (struct sockaddr *)&ss, &len);
		if (n < 0) {
			if (errno != EINTR)
				sv->ready = 0;
			return;
		}
		for (i = 0; i < sv->nc; i++)
			if (sv->c[i].addrlen == len &&
			    memcmp(&sv->c[i].addr, &ss, len) == 0)
				break;
		if (i < sv->nc) {
			/* Best effort, as UDP is: a full target drops it. */
			if (sv->c[i].target.end.wfd >= 0)
				(void)send(sv->c[i].target.end.wfd, dgram,
				    (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
			continue;
		}
		c = conn_add(sv);
		c->addr = ss;
		c->addrlen = len;
		c->peer = sa_encode((struct sockaddr *)&ss, len);
		fd = socket(local.ss_family, SOCK_DGRAM | ESOCK_SOCK_FLAGS, 0);
		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) <
		        0 ||
		    bind(fd, (struct sockaddr *)&local, llen) < 0 ||
		    connect(fd, (struct sockaddr *)&ss, len) < 0 ||
		    (c->s = sock_new(fd, local.ss_family, SOCK_DGRAM, 0,
		         ESOCK_SOCK_FLAGS != 0)) == NULL) {
			if (fd >= 0)
				close(fd);
			term_free(c->peer);
			sv->failed++;
			continue;
		}
		c->s->state |= SOCK_BOUND | SOCK_CONNECTED;
		conn_start(sv, c, dgram, (size_t)n);
	}
}

/* Takes the connections waiting on the listener. */
static void
serve_accept(struct server *sv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct conn *c;
	int fd;

	while (sv->max == 0 || sv->accepted < sv->max) {
		len = sizeof ss;
		fd = accept4(
		    sv->l->fd, (struct sockaddr *)&ss, &len, ESOCK_SOCK_FLAGS);
		if (fd < 0) {
			/* EAGAIN: all taken. EMFILE...: when a connection ends.
			 */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				sv->starved = sv->nc > 0;
			if (errno != EINTR && errno != ECONNABORTED)
				sv->ready = 0;
			return;
		}
		c = conn_add(sv);
		c->peer = sa_encode((struct sockaddr *)&ss, len);
		if ((c->s = sock_new(fd, sv->l->domain, sv->l->type,
		         sv->l->protocol, ESOCK_SOCK_FLAGS != 0)) == NULL) {
			close(fd);
			term_free(c->peer);
			sv->failed++;
			continue;
		}
		c->s->state |= SOCK_CONNECTED;
		conn_start(sv, c, NULL, 0);
	}
}

/* Runs the server until max, idle or SIGINT. */
static void
serve_loop(struct server *sv)
{
	struct loop *loop = loop_get();
	int64_t wait, w, last = loop_now_ms(), now;
	size_t i;
	int watching = 0;

	for (;;) {
		int taking =
		    (sv->max == 0 || sv->accepted < sv->max) && !sv->starved;

		if (taking && !watching) {
			if (loop_watch(loop, sv->l->fd, LOOP_READ,
			        loop_set_flag, &sv->ready) < 0)
				return;
			watching = 1;
		} else if (!taking && watching) {
			loop_unwatch(loop, sv->l->fd, LOOP_READ);
			watching = 0;
		}
		if (sv->ready && taking && sv->l->type == SOCK_DGRAM)
			serve_datagrams(sv);
		else if (sv->ready && taking)
			serve_accept(sv);
		for (i = sv->nc; i-- > 0;)
			if (sv->c[i].r != NULL && relay_kicked(sv->c[i].r) &&
			    relay_step(sv->c[i].r))
				conn_end(sv, i);
		if (sv->retry) {
			sv->retry = 0;
			conns_retry(sv);
		}
		now = loop_now_ms();
		if (sv->nc > 0)
			last = now;
		if (!taking && sv->nc == 0 && !sv->starved)
			break;
		wait = -1;
		for (i = 0; i < sv->nc; i++) {
			w = sv->c[i].r != NULL ? relay_wait(sv->c[i].r) : -1;
			if (w >= 0 && (wait < 0 || w < wait))
				wait = w;
		}
		if (sv->ready && taking)
			wait = 0;
		if (sv->nc == 0 && sv->idle_ms >= 0) {
			if (now - last >= sv->idle_ms)
				break;
			w = last + sv->idle_ms - now;
			if (wait < 0 || w < wait)
				wait = w;
		}
		/* Deadlines that passed: step those relays now. */
		if (wait == 0)
			for (i = sv->nc; i-- > 0;)
				if (sv->c[i].r != NULL &&
				    relay_wait(sv->c[i].r) == 0 &&
				    relay_step(sv->c[i].r))
					conn_end(sv, i);
		if (loop_run_once(loop, wait) < 0 && loop_interrupted())
			break;
	}
	if (watching)
		loop_unwatch(loop, sv->l->fd, LOOP_READ);
}

/* serve's own keys, beside relay's. */
static int
serve_opts(struct server *sv, const term *m, term *why)
{
	const term *v;

	sv->max = 0;
	sv->idle_ms = -1;
	sv->log = 0;
	if (relay_opts(
	        sv->ctx, m, serve_keys, NELEMS(serve_keys), &sv->o, why) < 0)
		return -1;
	/* A connection's own idle time is relay's idle; serve's is serve's. */
	sv->o.idle_ms = -1;
	if (m == NULL)
		return 0;
	if ((v = term_map_get(*m, "max")) != NULL) {
		if (term_kind(*v) != TERM_INT || v->u.i < 1)
			goto bad;
		sv->max = (uint64_t)v->u.i;
	}
	if (opts_ms(sv->ctx, *m, "idle", &sv->idle_ms) < 0 ||
	    opts_ms(sv->ctx, *m, "conn_idle", &sv->o.idle_ms) < 0)
		goto bad;
	if ((v = term_map_get(*m, "log")) != NULL) {
		if (!term_is_atom(*v, A_TRUE) && !term_is_atom(*v, A_FALSE))
			goto bad;
		sv->log = term_is_atom(*v, A_TRUE);
	}
	return 0;
bad:
	*why = t_invalid("options", term_copy(*m));
	return -1;
}

static enum cmd_retval
cmd_serve_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct server sv;
	struct sigaction old;
	struct endpoint lep, tep;
	struct sock *ls;
	term why = term_nil(), keys[4], vals[4];
	int rc, own = 0;

	memset(&sv, 0, sizeof sv);
	memset(&lep, 0, sizeof lep);
	sv.ctx = ctx;
	if (serve_opts(&sv, argc > 2 ? &argv[2] : NULL, &why) < 0) {
		*result = why;
		return CMD_RETURN_NORMAL;
	}
	if ((rc = arg_endpoint(argv[0], &lep, &ls, &why)) < 0) {
		if (rc == -2) {
			*result = why;
			return CMD_RETURN_NORMAL;
		}
		return bad_endpoint(ctx, why, result);
	}
	if (ls == NULL && !endpoint_listens(&lep)) {
		endpoint_free(&lep);
		return bad_endpoint(
		    ctx, t_invalid("listener", term_copy(argv[0])), result);
	}
	if ((rc = arg_endpoint(argv[1], &tep, &sv.l, &why)) < 0 ||
	    sv.l != NULL || tep.kind == EP_STDIO || endpoint_listens(&tep)) {
		if (rc == 0 && sv.l == NULL)
			endpoint_free(&tep);
		endpoint_free(&lep);
		if (rc == 0)
			why = t_invalid("endpoint", term_copy(argv[1]));
		return bad_endpoint(ctx, why, result);
	}
	sv.target = &tep;
	if (ls == NULL) {
		if ((ls = endpoint_listen(&lep, &why)) == NULL) {
			*result = why;
			goto out;
		}
		own = 1;
	} else if (!(ls->state & SOCK_LISTENING) &&
	           !(ls->type == SOCK_DGRAM && (ls->state & SOCK_BOUND))) {
		*result = t_invalid("listener", term_copy(argv[0]));
		goto out;
	}
	sv.l = ls;
	/* A datagram session ends when its sender has gone quiet. */
	if (ls->type == SOCK_DGRAM && sv.o.idle_ms < 0)
		sv.o.idle_ms = SERVE_DGRAM_IDLE;
	if (fflush(stdout) != 0) {
		*result = t_errno(errno);
		goto out;
	}
	/* Ctrl-C ends serve with its summary, then SIGINT is as it was. */
	sigaction(SIGINT, NULL, &old);
	loop_catch_sigint();
	serve_loop(&sv);
	sigaction(SIGINT, &old, NULL);
	while (sv.nc > 0)
		conn_end(&sv, sv.nc - 1);
	keys[0] = term_atom("connections");
	vals[0] = term_int((int64_t)sv.accepted);
	keys[1] = term_atom("failed");
	vals[1] = term_int((int64_t)sv.failed);
	keys[2] = term_atom("in");
	vals[2] = term_int((int64_t)sv.bytes[0]);
	keys[3] = term_atom("out");
	vals[3] = term_int((int64_t)sv.bytes[1]);
	*result = t_ok(term_map(4, keys, vals));
out:
	free(sv.c);
	if (own) {
		sock_close(ls);
		if (lep.domain == AF_UNIX && lep.arg != NULL)
			(void)unlink(lep.arg);
	}
	endpoint_free(&lep);
	endpoint_free(&tep);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_serve_entry = {
    .name = "serve",
    .module = "shell",
    .args = {2, 3},
    .usage = "Listener Endpoint [Opts]",
    .summary = "accept connections and relay each to a new instance of "
               "the endpoint, all at once",
    .complete = "endpoint endpoint",
    .flags = CMD_MAY_BLOCK,
    .exec = cmd_serve_exec,
};
