/*
 * Endpoints (see endpoint.h): one table of kinds read from text, and
 * their opening and closing. Sockets made here are esock sockets, so
 * their options are set by the option table and info/1 counts them.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "endpoint.h"
#include "loop.h"
#include "opt.h"
#include "result.h"
#include "sock.h"
#include "sockaddr.h"
#include "term_parse.h"
#include "util.h"

/* How a kind's text after the colon reads. */
enum ep_form {
	F_NONE, /* nothing: echo, discard, stdio */
	F_HOSTPORT,
	F_PORT, /* [ADDR:]PORT */
	F_PATH,
	F_NAME,    /* abstract */
	F_COMMAND, /* the rest of the text, commas included */
	F_FILE
};

struct ep_kind {
	const char *name;
	enum endpoint_kind kind;
	enum ep_form form;
	int domain;
	int type;
};

/*
 * Every endpoint kind and its aliases: name, what follows it (":" when
 * text does), kind, form, family, type. esock --list endpoints and
 * completion read the names.
 */
#define ENDPOINT_KINDS(X)                                                      \
	X("-", "", EP_STDIO, F_NONE, 0, 0)                                     \
	X("stdio", "", EP_STDIO, F_NONE, 0, 0)                                 \
	X("tcp", ":", EP_CONNECT, F_HOSTPORT, AF_UNSPEC, SOCK_STREAM)          \
	X("tcp-connect", ":", EP_CONNECT, F_HOSTPORT, AF_UNSPEC, SOCK_STREAM)  \
	X("tcp4", ":", EP_CONNECT, F_HOSTPORT, AF_INET, SOCK_STREAM)           \
	X("tcp6", ":", EP_CONNECT, F_HOSTPORT, AF_INET6, SOCK_STREAM)          \
	X("tcp-listen", ":", EP_LISTEN, F_PORT, AF_UNSPEC, SOCK_STREAM)        \
	X("tcp-l", ":", EP_LISTEN, F_PORT, AF_UNSPEC, SOCK_STREAM)             \
	X("tcp4-listen", ":", EP_LISTEN, F_PORT, AF_INET, SOCK_STREAM)         \
	X("tcp6-listen", ":", EP_LISTEN, F_PORT, AF_INET6, SOCK_STREAM)        \
	X("udp", ":", EP_CONNECT, F_HOSTPORT, AF_UNSPEC, SOCK_DGRAM)           \
	X("udp-connect", ":", EP_CONNECT, F_HOSTPORT, AF_UNSPEC, SOCK_DGRAM)   \
	X("udp4", ":", EP_CONNECT, F_HOSTPORT, AF_INET, SOCK_DGRAM)            \
	X("udp6", ":", EP_CONNECT, F_HOSTPORT, AF_INET6, SOCK_DGRAM)           \
	X("udp-listen", ":", EP_LISTEN, F_PORT, AF_UNSPEC, SOCK_DGRAM)         \
	X("udp-l", ":", EP_LISTEN, F_PORT, AF_UNSPEC, SOCK_DGRAM)              \
	X("unix", ":", EP_CONNECT, F_PATH, AF_UNIX, SOCK_STREAM)               \
	X("unix-connect", ":", EP_CONNECT, F_PATH, AF_UNIX, SOCK_STREAM)       \
	X("unix-listen", ":", EP_LISTEN, F_PATH, AF_UNIX, SOCK_STREAM)         \
	X("unix-l", ":", EP_LISTEN, F_PATH, AF_UNIX, SOCK_STREAM)              \
	X("abstract", ":", EP_CONNECT, F_NAME, AF_UNIX, SOCK_STREAM)           \
	X("abstract-connect", ":", EP_CONNECT, F_NAME, AF_UNIX, SOCK_STREAM)   \
	X("abstract-listen", ":", EP_LISTEN, F_NAME, AF_UNIX, SOCK_STREAM)     \
	X("exec", ":", EP_EXEC, F_COMMAND, 0, 0)                               \
	X("file", ":", EP_FILE, F_FILE, 0, 0)                                  \
	X("echo", "", EP_ECHO, F_NONE, 0, 0)                                   \
	X("discard", "", EP_DISCARD, F_NONE, 0, 0)

static const struct ep_kind kinds[] = {
#define KIND_ROW(name, sep, kind, form, domain, type)                          \
	{name, kind, form, domain, type},
    ENDPOINT_KINDS(KIND_ROW)
#undef KIND_ROW
};

const struct term_name endpoint_names[] = {
#define NAME_ROW(name, sep, kind, form, domain, type) {kind, name sep},
    ENDPOINT_KINDS(NAME_ROW)
#undef NAME_ROW
};
const size_t endpoint_nnames = NELEMS(endpoint_names);

/* The file: endpoint's own options and the open(2) flags they set. */
static const struct {
	const char *name;
	int flags;
} file_opts[] = {
    {"create", O_WRONLY | O_CREAT | O_TRUNC},
    {"append", O_WRONLY | O_CREAT | O_APPEND},
};

static term
bad(const char *what, const char *text, size_t len)
{
	return t_invalid(what, term_binary(text, len));
}

static const struct ep_kind *
kind_find(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < NELEMS(kinds); i++)
		if (strlen(kinds[i].name) == len &&
		    strncasecmp(kinds[i].name, text, len) == 0)
			return &kinds[i];
	return NULL;
}

/* A sockaddr() map into ep->addr, its family ep's. */
static int
decode_addr(struct endpoint *ep, term map, term *why)
{
	if (sa_decode(map, &ep->addr, &ep->addrlen, why) < 0) {
		*why = t_error(*why);
		return -1;
	}
	ep->domain = ep->addr.ss_family;
	return 0;
}

/* An address literal in the family, into ep->addr. */
static int
parse_addr(struct endpoint *ep, const char *text, size_t len, term *why)
{
	term map;
	int rc;

	if (sa_literal(text, len, ep->domain, &map, why) < 0) {
		*why = t_error(*why);
		return -1;
	}
	rc = decode_addr(ep, map, why);
	term_free(map);
	return rc;
}

int
endpoint_connect_to(term map, struct endpoint *ep, term *why)
{
	memset(ep, 0, sizeof *ep);
	ep->kind = EP_CONNECT;
	ep->type = SOCK_STREAM;
	return decode_addr(ep, map, why);
}

/* PORT alone: the wildcard address of the family (IPv4 unless tcp6). */
static int
parse_wildcard(struct endpoint *ep, const char *text, size_t len, term *why)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ep->addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ep->addr;
	unsigned long port = 0;
	size_t i;

	for (i = 0; i < len && port <= 65535; i++) {
		if (!isdigit((unsigned char)text[i]))
			break;
		port = port * 10 + (unsigned long)(text[i] - '0');
	}
	if (i < len || port > 65535) {
		*why = bad("port", text, len);
		return -1;
	}
	memset(&ep->addr, 0, sizeof ep->addr);
	if (ep->domain == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons((uint16_t)port);
		ep->addrlen = sizeof *sin6;
	} else {
		ep->domain = AF_INET;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons((uint16_t)port);
		ep->addrlen = sizeof *sin;
	}
	return 0;
}

/* PATH or, abstract, NAME, into a sockaddr_un. */
static int
parse_unix(
    struct endpoint *ep, const char *text, size_t len, int abstract, term *why)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&ep->addr;
	size_t at = abstract ? 1 : 0;

	if (len == 0 || len + at >= sizeof un->sun_path) {
		*why = bad("path", text, len);
		return -1;
	}
	memset(un, 0, sizeof *un);
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path + at, text, len);
	ep->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + at +
	                          len + (abstract ? 0 : 1));
	if (!abstract) {
		ep->arg = xmalloc(len + 1);
		memcpy(ep->arg, text, len);
		ep->arg[len] = '\0';
	}
	return 0;
}

/* The options after the first comma, each name[=value]. */
static int
parse_opts(struct endpoint *ep, const char *p, term *why)
{
	const char *end, *eq;
	size_t i;

	while (*p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (end == p || eq == p || ep->nopts == EP_OPTS_MAX) {
			*why = bad("option", p, (size_t)(end - p));
			return -1;
		}
		i = ep->nopts++;
		if (eq == NULL) {
			ep->opts[i].name = xmalloc((size_t)(end - p) + 1);
			memcpy(ep->opts[i].name, p, (size_t)(end - p));
			ep->opts[i].name[end - p] = '\0';
			ep->opts[i].value = NULL;
		} else {
			ep->opts[i].name = xmalloc((size_t)(eq - p) + 1);
			memcpy(ep->opts[i].name, p, (size_t)(eq - p));
			ep->opts[i].name[eq - p] = '\0';
			ep->opts[i].value = xmalloc((size_t)(end - eq));
			memcpy(
			    ep->opts[i].value, eq + 1, (size_t)(end - eq - 1));
			ep->opts[i].value[end - eq - 1] = '\0';
		}
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/*
 * The socket option table's row of that name (any case): 0 with its
 * level and name set, or -1 when it has none.
 */
static int
opt_find(const char *name, const char **level, const char **oname)
{
	size_t i;
	int rc;

	for (i = 0; (rc = opt_row_name(i, level, oname)) >= 0; i++)
		if (rc == 1 && strcasecmp(*oname, name) == 0)
			return 0;
	return -1;
}

/* file: takes create or append, which are no socket options. */
static int
file_options(struct endpoint *ep, term *why)
{
	size_t i, k;

	ep->file_flags = O_RDONLY;
	for (i = 0; i < ep->nopts; i++) {
		for (k = 0; k < NELEMS(file_opts); k++)
			if (strcasecmp(ep->opts[i].name, file_opts[k].name) ==
			        0 &&
			    ep->opts[i].value == NULL)
				break;
		if (k == NELEMS(file_opts)) {
			*why = bad("option", ep->opts[i].name,
			    strlen(ep->opts[i].name));
			return -1;
		}
		ep->file_flags = file_opts[k].flags;
	}
	return 0;
}

int
endpoint_parse(const char *text, struct endpoint *ep, term *why)
{
	const struct ep_kind *k;
	const char *colon, *rest, *comma, *level, *oname;
	size_t klen, len, i;
	int rc = -1;

	memset(ep, 0, sizeof *ep);
	colon = strchr(text, ':');
	comma = strchr(text, ',');
	klen = colon != NULL && (comma == NULL || colon < comma)
	           ? (size_t)(colon - text)
	       : comma != NULL ? (size_t)(comma - text)
	                       : strlen(text);
	if ((k = kind_find(text, klen)) == NULL) {
		/* HOST:PORT, /PATH or @NAME alone: a stream connect to it. */
		ep->kind = EP_CONNECT;
		ep->type = SOCK_STREAM;
		ep->domain = AF_UNSPEC;
		if (comma == NULL &&
		    parse_addr(ep, text, strlen(text), why) == 0)
			return 0;
		term_free(*why);
		*why = bad("endpoint", text, strlen(text));
		return -1;
	}
	ep->kind = k->kind;
	ep->domain = k->domain;
	ep->type = k->type;
	rest = text + klen + (text[klen] == ':' ? 1 : 0);
	if (k->form == F_COMMAND) {
		if (text[klen] != ':' || *rest == '\0') {
			*why = bad("endpoint", text, strlen(text));
			return -1;
		}
		ep->arg = xstrdup(rest);
		return 0;
	}
	if (k->form == F_NONE && text[klen] == ':') {
		*why = bad("endpoint", text, strlen(text));
		return -1;
	}
	comma = strchr(rest, ',');
	len = comma != NULL ? (size_t)(comma - rest) : strlen(rest);
	if (k->form != F_NONE && (text[klen] != ':' || len == 0)) {
		*why = bad("endpoint", text, strlen(text));
		return -1;
	}
	if (comma != NULL && parse_opts(ep, comma + 1, why) < 0)
		goto fail;
	switch (k->form) {
	case F_NONE:
		if (ep->nopts > 0) {
			*why = bad("option", ep->opts[0].name,
			    strlen(ep->opts[0].name));
			goto fail;
		}
		return 0;
	case F_HOSTPORT:
	case F_PORT:
	case F_PATH:
	case F_NAME:
		for (i = 0; i < ep->nopts; i++)
			if (opt_find(ep->opts[i].name, &level, &oname) < 0) {
				*why = bad("option", ep->opts[i].name,
				    strlen(ep->opts[i].name));
				goto fail;
			}
		break;
	default:
		break;
	}
	switch (k->form) {
	case F_NONE:
		break;
	case F_HOSTPORT:
		rc = parse_addr(ep, rest, len, why);
		break;
	case F_PORT:
		rc = memchr(rest, ':', len) != NULL
		         ? parse_addr(ep, rest, len, why)
		         : parse_wildcard(ep, rest, len, why);
		break;
	case F_PATH:
	case F_NAME:
		rc = parse_unix(ep, rest, len, k->form == F_NAME, why);
		break;
	case F_FILE:
		ep->arg = xmalloc(len + 1);
		memcpy(ep->arg, rest, len);
		ep->arg[len] = '\0';
		rc = file_options(ep, why);
		break;
	case F_COMMAND:
		break;
	}
	if (rc == 0)
		return 0;
fail:
	endpoint_free(ep);
	return -1;
}

void
endpoint_free(struct endpoint *ep)
{
	size_t i;

	for (i = 0; i < ep->nopts; i++) {
		free(ep->opts[i].name);
		free(ep->opts[i].value);
	}
	ep->nopts = 0;
	free(ep->arg);
	ep->arg = NULL;
}

int
endpoint_listens(const struct endpoint *ep)
{
	return ep->kind == EP_LISTEN;
}

int
endpoint_setopt(struct sock *s, const char *name, const char *value, term *why)
{
	const char *level, *oname;
	term opt, val, res;

	if (opt_find(name, &level, &oname) < 0) {
		*why = bad("option", name, strlen(name));
		return -1;
	}
	opt = term_tuple2(term_atom(level), term_atom(oname));
	if (value == NULL)
		val = term_atom_of(A_TRUE);
	else if (parse_term_string(value, &val) < 0)
		val = term_string(value);
	res = opt_set(s, opt, val);
	/* bindtodevice=lo: the value is a string where a term read fails. */
	if (!term_is_atom(res, A_OK) && value != NULL) {
		term_free(res);
		term_free(val);
		val = term_string(value);
		res = opt_set(s, opt, val);
	}
	term_free(opt);
	term_free(val);
	if (term_is_atom(res, A_OK)) {
		term_free(res);
		return 0;
	}
	term_free(res);
	*why = t_invalid("option", value != NULL
	                               ? term_tuple2(term_atom(name),
	                                     term_binary(value, strlen(value)))
	                               : term_atom(name));
	return -1;
}

/* A listener sets reuseaddr unless told otherwise. */
static int
listener_default(const struct endpoint *ep)
{
	size_t i;

	if (ep->domain == AF_UNIX || ep->kind != EP_LISTEN)
		return 0;
	for (i = 0; i < ep->nopts; i++)
		if (strcasecmp(ep->opts[i].name, "reuseaddr") == 0)
			return 0;
	return 1;
}

/* A fresh esock socket of the endpoint's kind, its options set. */
static struct sock *
ep_socket(const struct endpoint *ep, term *why)
{
	struct sock *s;
	size_t i;
	int fd;

	fd = socket(ep->domain, ep->type | ESOCK_SOCK_FLAGS, 0);
	if (fd < 0 || (s = sock_new(fd, ep->domain, ep->type, 0,
	                   ESOCK_SOCK_FLAGS != 0)) == NULL) {
		*why = t_errno(errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (listener_default(ep) &&
	    endpoint_setopt(s, "reuseaddr", NULL, why) < 0)
		goto fail;
	for (i = 0; i < ep->nopts; i++)
		if (endpoint_setopt(
		        s, ep->opts[i].name, ep->opts[i].value, why) < 0)
			goto fail;
	return s;
fail:
	sock_close(s);
	return NULL;
}

struct sock *
endpoint_listen(const struct endpoint *ep, term *why)
{
	struct sock *s;

	if ((s = ep_socket(ep, why)) == NULL)
		return NULL;
	if (bind(s->fd, (const struct sockaddr *)&ep->addr, ep->addrlen) < 0 ||
	    (ep->type == SOCK_STREAM && listen(s->fd, SOMAXCONN) < 0)) {
		*why = t_errno(errno);
		sock_close(s);
		return NULL;
	}
	s->state |= SOCK_BOUND | (ep->type == SOCK_STREAM ? SOCK_LISTENING : 0);
	return s;
}

/* Waits for one connection on a listener. Returns its descriptor or -1. */
static int
accept_one(struct sock *l)
{
	struct loop *loop = loop_get();
	int fd, ready = 0;

	for (;;) {
		fd = accept4(l->fd, NULL, NULL, ESOCK_SOCK_FLAGS);
		if (fd >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		                   errno != EINTR && errno != ECONNABORTED))
			return fd;
		if (loop_watch(loop, l->fd, LOOP_READ, loop_set_flag, &ready) <
		    0)
			return -1;
		while (!ready)
			if (loop_run_once(loop, -1) < 0 && loop_interrupted()) {
				loop_unwatch(loop, l->fd, LOOP_READ);
				errno = EINTR;
				return -1;
			}
		loop_unwatch(loop, l->fd, LOOP_READ);
		ready = 0;
	}
}

/* exec: the command line under /bin/sh on one end of a socketpair. */
static int
ep_exec(const struct endpoint *ep, struct endpoint_open *o, term *why)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		*why = t_errno(errno);
		return -1;
	}
	if ((pid = fork()) < 0) {
		*why = t_errno(errno);
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		if (dup2(sv[1], STDIN_FILENO) < 0 ||
		    dup2(sv[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", ep->arg, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	o->fds[0] = sv[0];
	o->pid = pid;
	o->end.rfd = o->end.wfd = sv[0];
	/* The child's end blocks; this one does not. */
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0)
		o->end.type = SOCK_STREAM;
	return 0;
}

int
endpoint_open(const struct endpoint *ep, struct endpoint_open *o, term *why)
{
	struct sock *l;
	int fd, sv[2];

	memset(o, 0, sizeof *o);
	o->fds[0] = o->fds[1] = -1;
	o->end.rfd = o->end.wfd = -1;
	switch (ep->kind) {
	case EP_STDIO:
		o->end.rfd = STDIN_FILENO;
		o->end.wfd = STDOUT_FILENO;
		return 0;
	case EP_CONNECT:
		if ((o->s = ep_socket(ep, why)) == NULL)
			return -1;
		if (connect(o->s->fd, (const struct sockaddr *)&ep->addr,
		        ep->addrlen) < 0 &&
		    errno != EINPROGRESS) {
			*why = t_errno(errno);
			sock_close(o->s);
			o->s = NULL;
			return -1;
		}
		o->s->state |= SOCK_CONNECTED;
		break;
	case EP_LISTEN:
		if ((l = endpoint_listen(ep, why)) == NULL)
			return -1;
		if (ep->domain == AF_UNIX && ep->arg != NULL)
			o->unlink = xstrdup(ep->arg);
		if (ep->type != SOCK_STREAM) {
			o->s = l;
			break;
		}
		fd = accept_one(l);
		sock_close(l);
		if (fd < 0 || (o->s = sock_new(fd, ep->domain, ep->type, 0,
		                   ESOCK_SOCK_FLAGS != 0)) == NULL) {
			*why = t_errno(errno);
			if (fd >= 0)
				close(fd);
			endpoint_close(o);
			return -1;
		}
		o->s->state |= SOCK_CONNECTED;
		break;
	case EP_EXEC:
		return ep_exec(ep, o, why);
	case EP_FILE:
		if ((fd = open(ep->arg, ep->file_flags | O_CLOEXEC, 0666)) <
		    0) {
			*why = t_errno(errno);
			return -1;
		}
		o->fds[0] = fd;
		if (ep->file_flags == O_RDONLY)
			o->end.rfd = fd;
		else
			o->end.wfd = fd;
		return 0;
	case EP_ECHO:
		/* What is written to one end comes out of the other. */
		if (socketpair(AF_UNIX, SOCK_STREAM | ESOCK_SOCK_FLAGS, 0, sv) <
		    0) {
			*why = t_errno(errno);
			return -1;
		}
		o->fds[0] = o->end.rfd = sv[0];
		o->fds[1] = o->end.wfd = sv[1];
		o->end.type = ESOCK_SOCK_FLAGS != 0 ? SOCK_STREAM : 0;
		return 0;
	case EP_DISCARD:
		if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
			*why = t_errno(errno);
			return -1;
		}
		o->fds[0] = o->end.wfd = fd;
		return 0;
	}
	o->end.rfd = o->end.wfd = o->s->fd;
	o->end.s = o->s;
	o->end.type = o->s->type;
	return 0;
}

void
endpoint_close(struct endpoint_open *o)
{
	int i, status;

	if (o->s != NULL)
		sock_close(o->s);
	o->s = NULL;
	for (i = 0; i < 2; i++)
		if (o->fds[i] >= 0)
			close(o->fds[i]);
	o->fds[0] = o->fds[1] = -1;
	if (o->pid > 0) {
		/* Its input has ended: a child still running is stopped. */
		if (waitpid(o->pid, &status, WNOHANG) == 0) {
			(void)kill(o->pid, SIGTERM);
			(void)waitpid(o->pid, &status, 0);
		}
		o->pid = 0;
	}
	if (o->unlink != NULL)
		(void)unlink(o->unlink);
	free(o->unlink);
	o->unlink = NULL;
}
