/*
 * The socket module's commands that make, name and end sockets: open,
 * bind, listen, accept, connect, shutdown, close, sockname, peername,
 * info, which_sockets and number_of, with OTP 25's results, error
 * reasons, counters and states. Data transfer is in cmd_io.c, the
 * registry and the blocking wait in sock.c, addresses in sockaddr.c.
 *
 * A socket argument may be left out (the current socket is used), and
 * connect and bind with no socket at all open a stream socket in the
 * address's family.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmsg.h"
#include "loop.h"
#include "mailbox.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "util.h"

/* OTP: listen/1 uses a backlog of 5. */
#define LISTEN_BACKLOG 5

/* Linux tells a descriptor's domain and protocol; elsewhere -1: ask not. */
#ifndef SO_DOMAIN
#define SO_DOMAIN (-1)
#endif
#ifndef SO_PROTOCOL
#define SO_PROTOCOL (-1)
#endif

/*
 * The counters of info/0, kept as OTP 25's NIF keeps them: a socket
 * counts by the protocol asked for at open (0 is "ip") and is uncounted
 * by the protocol it has, never below 0, and local sockets count as
 * inet6.
 */
enum {
	G_DINET,
	G_DINET6,
	G_DLOCAL,
	G_PIP,
	G_PSCTP,
	G_PTCP,
	G_PUDP,
	G_SOCKETS,
	G_TDGRAMS,
	G_TSEQPKGS,
	G_TSTREAMS,
	G_N
};

static const char *const gnames[G_N] = {
    "num_dinet",
    "num_dinet6",
    "num_dlocal",
    "num_pip",
    "num_psctp",
    "num_ptcp",
    "num_pudp",
    "num_sockets",
    "num_tdgrams",
    "num_tseqpkgs",
    "num_tstreams",
};

static uint64_t gcounters[G_N];

/* A C value and the counter it goes to. */
struct gmap {
	int value;
	int index;
};

static const struct gmap gdomains[] = {
    {AF_INET, G_DINET}, {AF_INET6, G_DINET6},
    {AF_LOCAL, G_DINET6}, /* OTP 25 counts local as inet6 */
};

static const struct gmap gtypes[] = {
    {SOCK_STREAM, G_TSTREAMS},
    {SOCK_DGRAM, G_TDGRAMS},
    {SOCK_SEQPACKET, G_TSEQPKGS},
};

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

static const struct gmap gprotocols[] = {
    {0, G_PIP},
    {IPPROTO_TCP, G_PTCP},
    {IPPROTO_UDP, G_PUDP},
    {IPPROTO_SCTP, G_PSCTP},
};

/* The counter for value in a table, or -1. */
static int
gindex(const struct gmap *tab, size_t n, int value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].value == value)
			return tab[i].index;
	return -1;
}

static void
gbump(int idx, int delta)
{
	if (idx < 0)
		return;
	if (delta > 0)
		gcounters[idx]++;
	else if (gcounters[idx] > 0)
		gcounters[idx]--;
}

static void
gcount(int domain, int type, int protocol, int delta)
{
	gbump(gindex(gdomains, NELEMS(gdomains), domain), delta);
	gbump(gindex(gtypes, NELEMS(gtypes), type), delta);
	gbump(gindex(gprotocols, NELEMS(gprotocols), protocol), delta);
	gbump(G_SOCKETS, delta);
}

static int
opt_is(const term *opts, const char *key, const char *atom)
{
	const term *v;

	return opts != NULL && (v = term_map_get(*opts, key)) != NULL &&
	       term_atom_is(*v, atom);
}

/*
 * Registers a new descriptor and makes it the current socket. On failure
 * the descriptor is closed (unless adopted without dup) and the result
 * is the error. Returns the socket or NULL.
 */
static struct sock *
register_fd(int fd, int domain, int type, int protocol, int counted,
    const term *opts, int ctype, term *result)
{
	struct sock *s;
	int save;

	/* socket() and accept4() made it non-blocking where they can. */
	if ((s = sock_new(fd, domain, type, protocol,
	         ctype == SOCK_CTYPE_NORMAL && ESOCK_HAVE_SOCK_FLAGS)) ==
	    NULL) {
		save = errno;
		if (ctype != SOCK_CTYPE_FROMFD)
			(void)close(fd);
		*result = t_errno(save);
		return NULL;
	}
	s->ctype = ctype;
	if (opt_is(opts, "use_registry", "false") ||
	    (!sock_registry() && !opt_is(opts, "use_registry", "true")))
		s->xflags |= SOCK_X_NOREG;
	if (opt_is(opts, "debug", "true"))
		s->xflags |= SOCK_X_DEBUG;
	gcount(domain, type, counted, 1);
	sock_set_current(s);
	sockname_debug(
	    s, "open: domain %d, type %d, protocol %d", domain, type, protocol);
	return s;
}

/* A SOL_SOCKET option that is an int, or -1 (also for opt -1). */
static int
fd_option(int fd, int opt, int *out)
{
	socklen_t len = sizeof(int);

	if (opt < 0 || getsockopt(fd, SOL_SOCKET, opt, out, &len) < 0)
		return -1;
	return 0;
}

/*
 * The protocol the kernel gave the socket, or the one asked for. The
 * default of an inet stream or datagram socket is known without a call.
 */
static int
actual_protocol(int fd, int domain, int type, int asked)
{
	int p;

	if (asked == 0 && (domain == AF_INET || domain == AF_INET6)) {
		if (type == SOCK_STREAM)
			return IPPROTO_TCP;
		if (type == SOCK_DGRAM)
			return IPPROTO_UDP;
	}
	return fd_option(fd, SO_PROTOCOL, &p) == 0 ? p : asked;
}

#ifdef __linux__
/*
 * socket() inside the network namespace at path, as OTP's netns option
 * does. Returns the descriptor, or -1 with errno set.
 */
static int
socket_in_netns(const char *path, int domain, int type, int protocol)
{
	int home, ns, fd = -1, save;

	if ((home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((ns = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		goto err;
	if (setns(ns, CLONE_NEWNET) < 0)
		goto err;
	fd = socket(domain, type | ESOCK_SOCK_FLAGS, protocol);
	save = errno;
	if (setns(home, CLONE_NEWNET) < 0)
		fatal("cannot return to the network namespace: %s",
		    strerror(errno));
	(void)close(ns);
	(void)close(home);
	errno = save;
	return fd;
err:
	save = errno;
	if (ns >= 0)
		(void)close(ns);
	(void)close(home);
	errno = save;
	return -1;
}
#endif

/* open(Domain, Type, Protocol, Opts); protocol and opts may be NULL. */
static term
open_new(term dt, term tt, const term *pt, const term *opts)
{
	int domain, type, protocol = 0, fd;
	const term *netns;
	struct buf path;
	term result;

	/* OTP: prim_socket encodes the protocol before the NIF runs. */
	if (pt != NULL && sockname_protocol(*pt, &protocol) < 0)
		return t_invalid("protocol", term_copy(*pt));
	if (sockname_domain(dt, &domain) < 0)
		return t_invalid("domain", term_copy(dt));
	if (sockname_type(tt, &type) < 0)
		return t_invalid("type", term_copy(tt));
	buf_init(&path);
	netns = opts != NULL ? term_map_get(*opts, "netns") : NULL;
	if (netns != NULL && cmd_arg_string(*netns, &path) < 0) {
		buf_free(&path);
		return t_invalid("path", term_copy(*netns));
	}
#ifdef __linux__
	if (netns != NULL)
		fd = socket_in_netns(buf_str(&path), domain, type, protocol);
	else
#endif
		fd = socket(domain, type | ESOCK_SOCK_FLAGS, protocol);
	buf_free(&path);
	if (fd < 0)
		return t_errno(errno);
	if (register_fd(fd, domain, type,
	        actual_protocol(fd, domain, type, protocol), protocol, opts,
	        SOCK_CTYPE_NORMAL, &result) == NULL)
		return result;
	return t_ok(sock_term(sock_current()));
}

/* {error, {invalid, {options, What, Opts}}}, OTP's reason for open/2. */
static term
invalid_options(const char *what, const term *opts)
{
	term m = opts != NULL ? term_copy(*opts) : term_map(0, NULL, NULL);

	return t_error(term_tuple2(term_atom_of(A_INVALID),
	    term_tuple3(term_atom("options"), term_atom(what), m)));
}

/*
 * open(FD, Opts): adopts a descriptor. As OTP does, the kernel's
 * domain, type and protocol win; Opts fill in what the kernel will not
 * say. With dup (the default) the socket gets its own descriptor.
 */
static term
open_fd(term ft, const term *opts)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int64_t fd;
	int domain, type, protocol = 0, nfd, dup = 1, ctype;
	const term *v;
	struct sock *s;
	term result;

	v = opts != NULL ? term_map_get(*opts, "protocol") : NULL;
	if (v != NULL && sockname_protocol(*v, &protocol) < 0)
		return t_invalid("protocol", term_copy(*v));
	if (term_to_int64(ft, &fd) < 0 || fd < INT_MIN || fd > INT_MAX)
		return t_invalid("fd", term_copy(ft));
	if (fd_option((int)fd, SO_DOMAIN, &domain) < 0 &&
	    ((v = opts != NULL ? term_map_get(*opts, "domain") : NULL) ==
	            NULL ||
	        sockname_domain(*v, &domain) < 0))
		return invalid_options("domain", opts);
	if (fd_option((int)fd, SO_TYPE, &type) < 0 &&
	    ((v = opts != NULL ? term_map_get(*opts, "type") : NULL) == NULL ||
	        sockname_type(*v, &type) < 0))
		return invalid_options("type", opts);
	(void)fd_option((int)fd, SO_PROTOCOL, &protocol);
	if (opt_is(opts, "dup", "false"))
		dup = 0;
	nfd = (int)fd;
	if (dup && (nfd = fcntl((int)fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return t_errno(errno);
	ctype = dup ? (int)fd : SOCK_CTYPE_FROMFD;
	if ((s = register_fd(nfd, domain, type, protocol, protocol, opts, ctype,
	         &result)) == NULL)
		return result;
	/* A descriptor from a rights message is the socket's to close now. */
	if (!dup)
		(void)cmsg_fd_take(nfd);
	/* OTP: an adopted socket that has a peer shows as connected. */
	if (getpeername(nfd, (struct sockaddr *)&ss, &len) == 0)
		s->state |= SOCK_CONNECTED;
	return t_ok(sock_term(s));
}

/*
 * open(FD), open(FD, Opts), open(Domain, Type), open(Domain, Type,
 * Protocol | Opts), open(Domain, Type, Protocol, Opts).
 */
static enum cmd_retval
cmd_open_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	/* socket.erl: open(FD) and open(FD, Opts) take an integer FD. */
	if ((argc == 1 || (argc == 2 && term_kind(argv[1]) == TERM_MAP)) &&
	    term_kind(argv[0]) != TERM_INT && term_kind(argv[0]) != TERM_BIG)
		return cmd_raise_badarg(ctx, argc, argv, result);
	switch (argc) {
	case 1:
		*result = open_fd(argv[0], NULL);
		break;
	case 2:
		if (term_kind(argv[1]) == TERM_MAP)
			*result = open_fd(argv[0], &argv[1]);
		else
			*result = open_new(argv[0], argv[1], NULL, NULL);
		break;
	case 3:
		if (term_kind(argv[2]) == TERM_MAP)
			*result = open_new(argv[0], argv[1], NULL, &argv[2]);
		else
			*result = open_new(argv[0], argv[1], &argv[2], NULL);
		break;
	case 4:
		if (term_kind(argv[3]) != TERM_MAP)
			return cmd_raise_badarg(ctx, argc, argv, result);
		else
			*result =
			    open_new(argv[0], argv[1], &argv[2], &argv[3]);
		break;
	default:
		return CMD_RETURN_USAGE;
	}
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_open_entry = {
    .name = "open",
    .module = "socket",
    .args = {1, 4},
    .usage = "Domain Type [Protocol] [Opts] | FD [Opts]",
    .summary = "open a socket, or adopt a descriptor",
    .complete = "domain type protocol",
    .exec = cmd_open_exec,
};

/* Closes a socket and uncounts it. Returns 0, or -1 with errno set. */
static int
close_sock(struct sock *s)
{
	int domain = s->domain, type = s->type, protocol = s->protocol;

	sockname_debug(s, "close");
	gcount(domain, type, protocol, -1);
	return sock_close(s);
}

/*
 * Decodes the address of a call, once: a sockaddr() map or (bind only)
 * the atoms any, broadcast and loopback, which OTP turns into an address
 * of the socket's own family (inet for a socket yet to be opened).
 * Returns 0, or a CMD_ARG_* code with *why the reason, as cmd_arg_addr.
 */
static int
decode_addr(int domain, term addr, int atoms, struct sockaddr_storage *ss,
    socklen_t *len, term *why)
{
	static const char *const names[] = {"family", "addr"};
	term m, v[2];
	int rc;

	if (atoms &&
	    (term_atom_is(addr, "any") || term_atom_is(addr, "broadcast") ||
	        term_atom_is(addr, "loopback"))) {
		if (domain != AF_INET && domain != AF_INET6) {
			*why = sockname_wait_reason(EAFNOSUPPORT);
			return CMD_ARG_RESULT;
		}
		v[0] = sockname_domain_term(domain);
		v[1] = term_copy(addr);
		m = term_map_atoms(2, names, v);
		rc = sa_decode(m, ss, len, why);
		term_free(m);
		return rc < 0 ? CMD_ARG_RAISE : 0;
	}
	if (term_kind(addr) == TERM_ATOM) {
		*why = term_tuple2(term_atom_of(A_INVALID),
		    term_tuple2(term_atom("sockaddr"), term_copy(addr)));
		return CMD_ARG_RAISE;
	}
	return cmd_arg_addr(addr, domain, ss, len, why);
}

/*
 * The socket that connect or bind opens when there is none: stream, in
 * the family of the address the call decoded. Returns NULL with *result
 * set when the socket cannot be opened.
 */
static struct sock *
auto_open(int domain, term *result)
{
	int fd;

	if ((fd = socket(domain, SOCK_STREAM | ESOCK_SOCK_FLAGS, 0)) < 0) {
		*result = t_errno(errno);
		return NULL;
	}
	return register_fd(fd, domain, SOCK_STREAM,
	    actual_protocol(fd, domain, SOCK_STREAM, 0), 0, NULL,
	    SOCK_CTYPE_NORMAL, result);
}

static term
do_bind(struct sock *s, const struct sockaddr_storage *ss, socklen_t len)
{
	if (bind(s->fd, (const struct sockaddr *)ss, len) < 0)
		return t_errno(errno);
	s->state |= SOCK_BOUND;
	sockname_debug(s, "bound");
	return term_atom_of(A_OK);
}

/* bind([Socket,] Addr); with no socket at all, one is opened. */
static enum cmd_retval
cmd_bind_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct sock *s;
	size_t used;
	int opened = 0;
	term why;

	(void)ctx;
	s = sockname_sock(argc, argv, &used, result);
	if (argc != used + 1) {
		if (s == NULL)
			cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	if (s == NULL && used == 1)
		return CMD_RETURN_NORMAL;
	if (s == NULL)
		cmd_drop(result);
	/* OTP's bind returns what prim_socket finds wrong, raising nothing. */
	if (decode_addr(s != NULL ? s->domain : AF_INET, argv[used], 1, &ss,
	        &len, &why) < 0) {
		*result = t_error(why);
		return CMD_RETURN_NORMAL;
	}
	if (s == NULL) {
		if ((s = auto_open(ss.ss_family, result)) == NULL)
			return CMD_RETURN_NORMAL;
		opened = 1;
	}
	*result = do_bind(s, &ss, len);
	if (opened && !term_is_atom(*result, A_OK))
		(void)close_sock(s);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_bind_entry = {
    .name = "bind",
    .module = "socket",
    .args = {1, 2},
    .usage = "[Socket] SockAddr",
    .summary = "bind a socket to an address (opens one if none)",
    .complete = "socket addr",
    .flags = CMD_SOCKET_OPTIONAL,
    .busy = SOCK_BOUND | SOCK_CONNECTED | SOCK_CONNECTING | SOCK_LISTENING,
    .exec = cmd_bind_exec,
};

static enum cmd_retval
cmd_listen_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	int64_t backlog = LISTEN_BACKLOG;
	size_t used;

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	if (argc > used + 1) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	/* socket.erl's guard: an integer backlog, or badarg. */
	if (argc == used + 1 && (term_to_int64(argv[used], &backlog) < 0 ||
	                            backlog < INT_MIN || backlog > INT_MAX)) {
		cmd_drop(result);
		return cmd_raise_badarg(ctx, argc, argv, result);
	}
	if (s == NULL)
		return CMD_RETURN_NORMAL;
	if (listen(s->fd, (int)backlog) < 0) {
		*result = t_errno(errno);
		return CMD_RETURN_NORMAL;
	}
	s->state |= SOCK_LISTENING;
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_listen_entry = {
    .name = "listen",
    .module = "socket",
    .args = {0, 2},
    .usage = "[Socket] [Backlog]",
    .summary = "make a socket listen for connections",
    .complete = "socket",
    .flags = CMD_SOCKET_OPTIONAL,
    .otp_arity = 2,
    .otp_defaults = "5",
    .exec = cmd_listen_exec,
};

/* The Timeout argument at argv[i], or NULL when the call has none. */
static const term *
timeout_at(size_t argc, const term *argv, size_t i)
{
	return i < argc ? &argv[i] : NULL;
}

/* accept, with the new descriptor non-blocking already where it can be. */
static int
accept_fd(int fd)
{
#if ESOCK_HAVE_SOCK_FLAGS
	return accept4(fd, NULL, NULL, ESOCK_SOCK_FLAGS);
#else
	return accept(fd, NULL, NULL);
#endif
}

static term
do_accept(struct sock *ls, struct sockname_op *op)
{
	struct sock *s;
	term result;
	int fd = -1, rc, tries = 0;

	for (rc = sockname_op_start(op); rc == 0; rc = sockname_op_wait(op)) {
		ls->counters[SOCK_C_acc_tries]++;
		if ((fd = accept_fd(ls->fd)) >= 0)
			break;
		if (!sockname_would_block(errno)) {
			sockname_op_done(op);
			ls->counters[SOCK_C_acc_fails]++;
			return t_errno(errno);
		}
		/*
		 * OTP counts a wait only when an acceptor that waited finds
		 * nothing again, not the first would-block.
		 */
		if (tries++ > 0)
			ls->counters[SOCK_C_acc_waits]++;
	}
	if (rc > 0)
		return sockname_op_select(op, term_nil());
	if (rc < 0)
		return t_error(sockname_wait_reason(errno));
	sockname_op_done(op);
	ls->counters[SOCK_C_acc_success]++;
	/* OTP 25 marks the listening socket, not the new one, connected. */
	ls->state |= SOCK_CONNECTED;
	if ((s = register_fd(fd, ls->domain, ls->type, ls->protocol,
	         ls->protocol, NULL, SOCK_CTYPE_NORMAL, &result)) == NULL)
		return result;
	sockname_debug(ls, "accepted #Ref<0.0.0.%u>", (unsigned)s->ref);
	return t_ok(sock_term(s));
}

static enum cmd_retval
cmd_accept_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sockname_op op;
	struct sock *s;
	size_t used;
	int64_t ms;
	int rc;
	term why;

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	if (argc > used + 1) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	if ((rc = cmd_arg_timeout(
	         ctx, timeout_at(argc, argv, used), &ms, &why)) < 0)
		return cmd_arg_raise(ctx, rc, argc, argv, why, result);
	if (s == NULL)
		return CMD_RETURN_NORMAL;
	sockname_op_init(&op, s, SOCK_OP_ACCEPT, ms,
	    argc > used ? argv[used] : term_nil(), term_atom_of(A_ACCEPT));
	*result = do_accept(s, &op);
	sockname_op_fini(&op);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_accept_entry = {
    .name = "accept",
    .module = "socket",
    .args = {0, 2},
    .usage = "[ListenSocket] [Timeout]",
    .summary = "accept a connection on a listening socket",
    .complete = "socket timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK,
    .otp_arity = 2,
    .otp_defaults = "infinity",
    .exec = cmd_accept_exec,
};

/* The pending error of a connecting socket, or -1 with errno set. */
static int
so_error(int fd)
{
	socklen_t len = sizeof(int);
	int err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	return err;
}

static term
connect_done(struct sock *s)
{
	int err = so_error(s->fd);

	s->state &= ~SOCK_CONNECTING;
	if (err != 0)
		return t_errno(err < 0 ? errno : err);
	s->state |= SOCK_CONNECTED;
	sockname_debug(s, "connected");
	return term_atom_of(A_OK);
}

static term
do_connect(struct sock *s, const struct sockaddr_storage *ss, socklen_t len,
    struct sockname_op *op)
{
	int rc;

	/*
	 * OTP: connecting a connected TCP socket again is ok, while it is
	 * not shut down; a local one gives eisconn.
	 */
	if (connect(s->fd, (const struct sockaddr *)ss, len) == 0 ||
	    (errno == EISCONN && (s->state & SOCK_CONNECTED) &&
	        (s->domain == AF_INET || s->domain == AF_INET6) &&
	        !(s->state & (SOCK_SHUT_READ | SOCK_SHUT_WRITE)))) {
		s->state |= SOCK_CONNECTED;
		return term_atom_of(A_OK);
	}
	/*
	 * OTP waits for EAGAIN too (a local listener's full backlog) and
	 * then finds no error, so such a connect gives ok.
	 */
	if (errno != EINPROGRESS && errno != EINTR && errno != EAGAIN)
		return t_errno(errno);
	s->state |= SOCK_CONNECTING;
	if ((rc = sockname_op_wait(op)) > 0)
		return sockname_op_select(op, term_nil());
	if (rc < 0) {
		/* OTP: the timed-out connect is cancelled, not left pending. */
		s->state &= ~SOCK_CONNECTING;
		return t_error(sockname_wait_reason(errno));
	}
	sockname_op_done(op);
	return connect_done(s);
}

/*
 * connect(Socket) completes a connect left in progress; connect([Socket,]
 * Addr [, Timeout]) connects, opening a socket when there is none.
 */
static enum cmd_retval
cmd_connect_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct sockname_op op;
	struct sock *s;
	size_t used;
	int64_t ms;
	int opened = 0, closed, rc;
	enum cmd_retval rv;
	term why;

	s = sockname_sock(argc, argv, &used, result);
	closed = s == NULL && used == 1;
	if (argc > used + 2 || (s == NULL && argc == used && !closed)) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	if (argc == used) {
		/* OTP's NIF: closed, then no connect in progress raises. */
		if (closed)
			return CMD_RETURN_NORMAL;
		if (!(s->state & SOCK_CONNECTING)) {
			rv = cmd_raise_reason(ctx,
			    term_tuple2(
			        term_atom_of(A_INVALID), term_atom("state")),
			    result);
			term_free(ctx->raise_args);
			ctx->raise_args = term_int(1);
			return rv;
		}
		/* The session acts for a notified nowait connect. */
		sock_q_done(s, SOCK_QWRITE);
		*result = connect_done(s);
		return CMD_RETURN_NORMAL;
	}
	if (!closed)
		cmd_drop(result);
	/* socket.erl checks the timeout, prim_socket then the address. */
	if ((rc = cmd_arg_timeout(
	         ctx, timeout_at(argc, argv, used + 1), &ms, &why)) < 0 ||
	    (rc = decode_addr(s != NULL ? s->domain : AF_INET, argv[used], 0,
	         &ss, &len, &why)) < 0) {
		/* A closed socket's error stands before a name's. */
		if (rc == CMD_ARG_RESULT && closed) {
			term_free(why);
			return CMD_RETURN_NORMAL;
		}
		return cmd_arg_raise(ctx, rc, argc, argv, why, result);
	}
	if (closed)
		return CMD_RETURN_NORMAL;
	/*
	 * OTP's NIF: the session's second connect while its first is in
	 * progress finishes that one, whatever the address, as connect/1.
	 */
	if (s != NULL && (s->state & SOCK_CONNECTING)) {
		sock_q_done(s, SOCK_QWRITE);
		*result = connect_done(s);
		return CMD_RETURN_NORMAL;
	}
	if (s == NULL) {
		if ((s = auto_open(ss.ss_family, result)) == NULL)
			return CMD_RETURN_NORMAL;
		opened = 1;
	}
	sockname_op_init(&op, s, SOCK_OP_CONNECT, ms,
	    argc > used + 1 ? argv[used + 1] : term_nil(),
	    term_atom_of(A_CONNECT));
	*result = do_connect(s, &ss, len, &op);
	sockname_op_fini(&op);
	if (opened && term_is_record(*result, A_ERROR, 2))
		(void)close_sock(s);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_connect_entry = {
    .name = "connect",
    .module = "socket",
    .args = {0, 3},
    .usage = "[Socket] [SockAddr [Timeout]]",
    .summary = "connect a socket to an address (opens one if none)",
    .complete = "socket addr timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK | CMD_NEEDS_PORT,
    .otp_arity = 3,
    .otp_defaults = "infinity",
    .busy = SOCK_CONNECTED | SOCK_CONNECTING | SOCK_LISTENING,
    .exec = cmd_connect_exec,
};

/* shutdown/2's How: the table and the usage text come from this list. */
#define SHUTDOWN_HOWS(X, SEP)                                                  \
	X(SHUT_RD, read)                                                       \
	SEP X(SHUT_WR, write)                                                  \
	SEP X(SHUT_RDWR, read_write)

const struct term_name cmd_shutdown_hows[] = {SHUTDOWN_HOWS(CMD_NAME_ROW, )};
const size_t cmd_nshutdown_hows = NELEMS(cmd_shutdown_hows);

static enum cmd_retval
cmd_shutdown_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct term_name *how;
	struct sock *s;
	size_t used;

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	if (argc != used + 1) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	/* OTP's NIF raises for How before it looks at the socket. */
	how = term_name_find(cmd_shutdown_hows, cmd_nshutdown_hows, argv[used]);
	if (how == NULL) {
		cmd_drop(result);
		return cmd_raise_invalid(ctx, "how", argv[used], result);
	}
	if (s == NULL)
		return CMD_RETURN_NORMAL;
	if (shutdown(s->fd, how->value) < 0)
		*result = t_errno(errno);
	else {
		if (how->value != SHUT_WR)
			s->state |= SOCK_SHUT_READ;
		if (how->value != SHUT_RD)
			s->state |= SOCK_SHUT_WRITE;
		*result = term_atom_of(A_OK);
	}
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_shutdown_entry = {
    .name = "shutdown",
    .module = "socket",
    .args = {1, 2},
    .usage = "[Socket] " SHUTDOWN_HOWS(CMD_NAME_STR, " | "),
    .summary = "shut down one or both directions of a connection",
    .complete = "socket how",
    .flags = CMD_SOCKET_OPTIONAL,
    .otp_arity = 2,
    .exec = cmd_shutdown_exec,
};

/* OTP: a second close/1 gives {error, closed}, as sockname_sock does. */
static enum cmd_retval
cmd_close_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	size_t used;

	(void)ctx;
	if ((s = sockname_sock(argc, argv, &used, result)) == NULL)
		return CMD_RETURN_NORMAL;
	if (argc != used)
		return CMD_RETURN_USAGE;
	if (close_sock(s) < 0)
		*result = t_errno(errno);
	else
		*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_close_entry = {
    .name = "close",
    .module = "socket",
    .args = {0, 1},
    .usage = "[Socket]",
    .summary = "close a socket",
    .complete = "socket",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_close_exec,
};

/* select_info tags (an atom, or {Atom, Cont} for sends) by queue. */
static const struct term_name select_tags[] = {
    {SOCK_OP_ACCEPT, "accept"},
    {SOCK_OP_CONNECT, "connect"},
    {SOCK_OP_RECV, "recv"},
    {SOCK_OP_RECV, "recvfrom"},
    {SOCK_OP_RECV, "recvmsg"},
    {SOCK_OP_SEND, "send"},
    {SOCK_OP_SEND, "sendfile"},
    {SOCK_OP_SEND, "sendmsg"},
    {SOCK_OP_SEND, "sendto"},
};

/* The op a select_info tag names: 0, or -1 when it names none. */
static int
select_tag_op(term tag, enum sock_op *op)
{
	const struct term_name *row;

	if (term_kind(tag) == TERM_TUPLE && term_size(tag) == 2)
		tag = term_tuple_get(tag, 0);
	if ((row = term_name_find(select_tags, NELEMS(select_tags), tag)) ==
	    NULL)
		return -1;
	*op = (enum sock_op)row->value;
	return 0;
}

/*
 * cancel(Socket, SelectInfo): withdraws a nowait request. OTP: a
 * request the socket does not hold (any more) is {error, {invalid,
 * SelectInfo}}, a closed socket {error, closed}, an unknown operation
 * or a handle that is no reference badarg.
 */
static enum cmd_retval
cmd_cancel_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	enum sock_op op;
	struct sock *s;
	size_t used;
	term si;

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	if (argc != used + 1) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	si = argv[used];
	if (!term_is_record(si, A_SELECT_INFO, 3)) {
		cmd_drop(result);
		return cmd_raise_badarg(ctx, argc, argv, result);
	}
	if (s == NULL)
		return CMD_RETURN_NORMAL;
	/* OTP's NIF: an operation or handle it cannot read is badarg. */
	if (select_tag_op(term_tuple_get(si, 1), &op) < 0 ||
	    term_kind(term_tuple_get(si, 2)) != TERM_REF)
		return cmd_raise_badarg(ctx, argc, argv, result);
	if (sock_q_cancel(s, op, term_tuple_get(si, 2)) < 0)
		*result = t_error(
		    term_tuple2(term_atom_of(A_INVALID), term_copy(si)));
	else
		*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_cancel_entry = {
    .name = "cancel",
    .module = "socket",
    .args = {1, 2},
    .usage = "[Socket] SelectInfo",
    .summary = "withdraw a nowait request",
    .complete = "socket select",
    .flags = CMD_SOCKET_OPTIONAL,
    .otp_arity = 2,
    .exec = cmd_cancel_exec,
};

/* sockname and peername differ only in the call. */
static enum cmd_retval
name_exec(int (*get)(int, struct sockaddr *, socklen_t *), size_t argc,
    const term *argv, term *result)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	struct sock *s;
	size_t used;

	if ((s = sockname_sock(argc, argv, &used, result)) == NULL)
		return CMD_RETURN_NORMAL;
	if (argc != used)
		return CMD_RETURN_USAGE;
	memset(&ss, 0, sizeof ss);
	if (get(s->fd, (struct sockaddr *)&ss, &len) < 0)
		*result = t_errno(errno);
	else
		*result = t_ok(sa_encode(
		    (struct sockaddr *)&ss, len > sizeof ss ? sizeof ss : len));
	return CMD_RETURN_NORMAL;
}

static enum cmd_retval
cmd_sockname_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	return name_exec(getsockname, argc, argv, result);
}

const struct cmd_entry cmd_sockname_entry = {
    .name = "sockname",
    .module = "socket",
    .args = {0, 1},
    .usage = "[Socket]",
    .summary = "the address a socket is bound to",
    .complete = "socket",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_sockname_exec,
};

static enum cmd_retval
cmd_peername_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	return name_exec(getpeername, argc, argv, result);
}

const struct cmd_entry cmd_peername_entry = {
    .name = "peername",
    .module = "socket",
    .args = {0, 1},
    .usage = "[Socket]",
    .summary = "the address of a socket's peer",
    .complete = "socket",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_peername_exec,
};

/* info/0: OTP's global map; esock has no debug or iow switches (yet). */
static term
info_global(void)
{
	static const char *const keys[] = {"counters", "debug", "iov_max",
	    "iow", "socket_debug", "use_registry"};
	const char *names[G_N + 1];
	term cv[G_N + 1], v[NELEMS(keys)];
	long iov_max;
	size_t i;

	for (i = 0; i < G_N; i++) {
		names[i] = gnames[i];
		cv[i] = term_int((int64_t)gcounters[i]);
	}
	names[G_N] = "num_cnt_bits";
	cv[G_N] = term_int(64);
	iov_max = sysconf(_SC_IOV_MAX);
	v[0] = term_map_atoms(G_N + 1, names, cv);
	v[1] = term_atom_of(A_FALSE);
	v[2] = term_int(iov_max > 0 ? iov_max : 16);
	v[3] = term_atom_of(A_FALSE);
	v[4] = term_atom_of(A_FALSE);
	v[5] = term_atom_of(sock_registry() ? A_TRUE : A_FALSE);
	return term_map_atoms(NELEMS(keys), keys, v);
}

/* State bits in OTP's order for rstates and wstates. */
struct state_name {
	int bit;
	int extra; /* a bit of xflags instead of state */
	const char *name;
};

static const struct state_name rstates[] = {
    {SOCK_BOUND, 0, "bound"},
    {SOCK_LISTENING, 0, "listening"},
    {SOCK_ACCEPTING, 0, "accepting"},
    {SOCK_X_RSELECTED, 1, "selected"},
};

static const struct state_name wstates[] = {
    {SOCK_CONNECTING, 0, "connecting"},
    {SOCK_CONNECTED, 0, "connected"},
    {SOCK_X_WSELECTED, 1, "selected"},
};

static term
state_list(const struct sock *s, const struct state_name *tab, size_t n)
{
	int state = s->state;
	term v[8];
	size_t i, k = 0;

	/* OTP: a closed socket's resource says so both ways. */
	if (s->xflags & SOCK_X_CLOSED) {
		v[0] = term_atom("closing");
		v[1] = term_atom_of(A_CLOSED);
		return term_list(2, v, term_nil());
	}
	/* OTP: accepting while an acceptor waits. */
	if (sock_q_count(s, SOCK_OP_ACCEPT) > 0)
		state |= SOCK_ACCEPTING;
	for (i = 0; i < n && k < NELEMS(v); i++)
		if (((tab[i].extra ? s->xflags : state) & tab[i].bit) != 0)
			v[k++] = term_atom(tab[i].name);
	return term_list(k, v, term_nil());
}

term
cmd_sock_info(struct sock *s)
{
	/* OTP: the sendfile counters show once sendfile has been used. */
	static const char *const cnames[] = {
#define SOCK_COUNTER_NAME(n) #n,
	    SOCK_COUNTERS(SOCK_COUNTER_NAME)
	        SOCK_SENDFILE_COUNTERS(SOCK_COUNTER_NAME)
#undef SOCK_COUNTER_NAME
	};
	static const char *const keys[] = {"counters", "ctype", "domain",
	    "num_acceptors", "num_readers", "num_writers", "owner", "protocol",
	    "rstates", "type", "wstates"};
	term cv[NELEMS(cnames)], v[NELEMS(keys)];
	size_t i, nc = SOCK_NCOUNTERS;

	for (i = 0; i < SOCK_NCOUNTERS; i++)
		cv[i] = term_int((int64_t)s->counters[i]);
	for (i = 0; s->sf != NULL && i < SOCK_SF_NCOUNTERS; i++)
		cv[nc++] = term_int((int64_t)s->sf->counters[i]);
	v[0] = term_map_atoms(nc, cnames, cv);
	if (s->ctype == SOCK_CTYPE_NORMAL)
		v[1] = term_atom("normal");
	else if (s->ctype == SOCK_CTYPE_FROMFD)
		v[1] = term_atom("fromfd");
	else
		v[1] = term_tuple2(term_atom("fromfd"), term_int(s->ctype));
	v[2] = sockname_domain_term(s->domain);
	v[3] = term_int((int64_t)sock_q_count(s, SOCK_OP_ACCEPT));
	v[4] = term_int((int64_t)sock_q_count(s, SOCK_OP_RECV));
	/* OTP: a connect in progress is its connector, not a writer. */
	v[5] = term_int((int64_t)sock_q_count(s, SOCK_OP_SEND));
	/* A closed socket has no owner left. */
	v[6] =
	    s->xflags & SOCK_X_CLOSED ? term_atom_of(A_UNDEFINED) : mbox_self();
	v[7] = sockname_protocol_term(s->protocol);
	v[8] = state_list(s, rstates, NELEMS(rstates));
	v[9] = sockname_type_term(s->type);
	v[10] = state_list(s, wstates, NELEMS(wstates));
	return term_map_atoms(NELEMS(keys), keys, v);
}

static enum cmd_retval
cmd_info_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;

	(void)ctx;
	if (argc == 0)
		*result = info_global();
	else if (!sock_is_term(argv[0]))
		return cmd_raise(result, "badarg");
	else if ((s = sock_find(argv[0])) != NULL ||
	         (s = sock_find_closed(argv[0])) != NULL)
		*result = cmd_sock_info(s);
	else
		*result = t_error(term_atom_of(A_CLOSED));
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_info_entry = {
    .name = "info",
    .module = "socket",
    .args = {0, 1},
    .usage = "[Socket]",
    .summary = "the socket module's counters, or one socket's",
    .complete = "socket",
    .exec = cmd_info_exec,
};

/*
 * which_sockets/1 filters, socket.erl's guards: each row's value is the
 * field it tests (WHICH_DOMAIN, WHICH_TYPE or WHICH_PROTOCOL) or'ed with
 * the value that field must have, which fits in WHICH_VALUE. The table
 * and the usage text come from this list.
 */
#define WHICH_VALUE 0xffff
#define WHICH_DOMAIN (1 << 16)
#define WHICH_TYPE (2 << 16)
#define WHICH_PROTOCOL (3 << 16)
#define WHICH_FILTERS(X, SEP)                                                  \
	X(WHICH_DOMAIN | AF_INET, inet)                                        \
	SEP X(WHICH_DOMAIN | AF_INET6, inet6)                                  \
	SEP X(WHICH_DOMAIN | AF_LOCAL, local)                                  \
	SEP X(WHICH_TYPE | SOCK_STREAM, stream)                                \
	SEP X(WHICH_TYPE | SOCK_DGRAM, dgram)                                  \
	SEP X(WHICH_TYPE | SOCK_SEQPACKET, seqpacket)                          \
	SEP X(WHICH_PROTOCOL | IPPROTO_SCTP, sctp)                             \
	SEP X(WHICH_PROTOCOL | IPPROTO_TCP, tcp)                               \
	SEP X(WHICH_PROTOCOL | IPPROTO_UDP, udp)

const struct term_name cmd_which_filters[] = {WHICH_FILTERS(CMD_NAME_ROW, )};
const size_t cmd_nwhich_filters = NELEMS(cmd_which_filters);

/* Sockets opened with use_registry => false are not listed, as in OTP. */
static int
registered(const struct sock *s)
{
	return !(s->xflags & SOCK_X_NOREG);
}

/* Whether a registered socket passes a filter row. */
static int
which_row(const struct term_name *f, const struct sock *s)
{
	int want = f->value & ~WHICH_VALUE;
	int field = want == WHICH_DOMAIN ? s->domain
	            : want == WHICH_TYPE ? s->type
	                                 : s->protocol;

	return field == (f->value & WHICH_VALUE);
}

struct sock **
cmd_which(const struct term_name *f, size_t *n)
{
	struct sock **all = sock_all(n);
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		if (registered(all[i]) && (f == NULL || which_row(f, all[i])))
			all[k++] = all[i];
	*n = k;
	return all;
}

/*
 * which_sockets/0,1: all registered sockets, or those of a domain, type
 * or protocol (a row of cmd_which_filters), of an owner (the session's
 * pid: all; another: none), or those a fun of one argument is true for,
 * given the socket's info/1 map; anything else raises badarg, as a fun
 * that raises does.
 */
static enum cmd_retval
cmd_which_sockets_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct term_name *f = NULL;
	struct sock **all;
	term *v, fun = term_nil(), r;
	size_t n, i, k = 0;
	int keep, none = 0;

	if (argc == 1) {
		if (term_kind(argv[0]) == TERM_PID)
			none = !mbox_is_self(argv[0]);
		else if (term_kind(argv[0]) == TERM_FUN &&
		         term_fun_arity(argv[0]) == 1)
			fun = argv[0];
		else if ((f = term_name_find(cmd_which_filters,
		              cmd_nwhich_filters, argv[0])) == NULL)
			return cmd_raise(result, "badarg");
	}
	all = cmd_which(f, &n);
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	for (i = 0; i < n && !none; i++) {
		if (term_kind(fun) == TERM_FUN) {
			term info = cmd_sock_info(all[i]);
			int rc = ctx->host->apply(ctx, fun, 1, &info, &r);

			term_free(info);
			if (rc < 0)
				break;
			keep = term_is_atom(r, A_TRUE);
			term_free(r);
			if (!keep)
				continue;
		}
		v[k++] = sock_term(all[i]);
	}
	*result = term_list(k, v, term_nil());
	free(v);
	free(all);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_which_sockets_entry = {
    .name = "which_sockets",
    .module = "socket",
    .args = {0, 1},
    .usage = "[" WHICH_FILTERS(CMD_NAME_STR, " | ") " | Pid | Fun]",
    .summary = "list the open sockets, or those of a domain, type, "
               "protocol or owner, or those a fun selects",
    .complete = "which",
    .exec = cmd_which_sockets_exec,
};

static enum cmd_retval
cmd_number_of_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock **all;
	size_t n, i, k = 0;

	(void)ctx;
	(void)argc;
	(void)argv;
	all = sock_all(&n);
	for (i = 0; i < n; i++)
		if (registered(all[i]))
			k++;
	free(all);
	*result = term_int((int64_t)k);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_number_of_entry = {
    .name = "number_of",
    .module = "socket",
    .args = {0, 0},
    .usage = "",
    .summary = "the number of open sockets",
    .exec = cmd_number_of_exec,
};
