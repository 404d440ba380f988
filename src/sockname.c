/*
 * Helpers shared by the socket module's commands: OTP's names for
 * domains, types, protocols and message flags (prim_socket's encoders
 * and info/1's decoders), the socket argument, Timeout and deadlines,
 * and a small table of per-socket facts that only info/1 and the
 * registry functions read. Sockets themselves live in sock.c.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "result.h"
#include "errnames.h"
#include "loop.h"
#include "sock.h"
#include "sockname.h"
#include "util.h"

/* OTP 25's domain() and type(); rdm is refused by its NIF on Linux. */
const struct term_name sockname_domain_names[] = {
    {AF_INET, "inet"},
    {AF_INET6, "inet6"},
    {AF_LOCAL, "local"},
    {AF_UNSPEC, "unspec"},
};
const size_t sockname_ndomains = NELEMS(sockname_domain_names);

const struct term_name sockname_type_names[] = {
    {SOCK_STREAM, "stream"},
    {SOCK_DGRAM, "dgram"},
    {SOCK_RAW, "raw"},
    {SOCK_SEQPACKET, "seqpacket"},
};
const size_t sockname_ntypes = NELEMS(sockname_type_names);

/* As socket:supports(msg_flags) lists them; 0 where the host lacks one. */
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0
#endif
#ifndef MSG_CONFIRM
#define MSG_CONFIRM 0
#endif
#ifndef MSG_ERRQUEUE
#define MSG_ERRQUEUE 0
#endif
#ifndef MSG_MORE
#define MSG_MORE 0
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

const struct term_name sockname_msg_flag_names[] = {
    {MSG_CMSG_CLOEXEC, "cmsg_cloexec"},
    {MSG_CONFIRM, "confirm"},
    {MSG_CTRUNC, "ctrunc"},
    {MSG_DONTROUTE, "dontroute"},
    {MSG_EOR, "eor"},
    {MSG_ERRQUEUE, "errqueue"},
    {MSG_MORE, "more"},
    {MSG_NOSIGNAL, "nosignal"},
    {MSG_OOB, "oob"},
    {MSG_PEEK, "peek"},
    {MSG_TRUNC, "trunc"},
};
const size_t sockname_nmsg_flags = NELEMS(sockname_msg_flag_names);

/* An atom from the table, or any int. */
static int
name_or_int(const struct term_name *tab, size_t n, term t, int *out)
{
	const struct term_name *row = term_name_find(tab, n, t);
	int64_t v;

	if (row != NULL) {
		*out = row->value;
		return 0;
	}
	if (term_to_int64(t, &v) < 0 || v < INT32_MIN || v > INT32_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int
sockname_domain(term t, int *out)
{
	return name_or_int(sockname_domain_names, sockname_ndomains, t, out);
}

int
sockname_type(term t, int *out)
{
	return name_or_int(sockname_type_names, sockname_ntypes, t, out);
}

/* The protocol atoms that are not names of the protocols database. */
const struct term_name sockname_protocol_atoms[] = {
    {0, "default"},
};
const size_t sockname_nprotocol_atoms = NELEMS(sockname_protocol_atoms);

/* OTP: enc_protocol/1, with names from the protocols database. */
int
sockname_protocol(term t, int *out)
{
	const struct term_name *row;
	struct protoent *pe;

	if ((row = term_name_find(sockname_protocol_atoms,
	         sockname_nprotocol_atoms, t)) != NULL) {
		*out = row->value;
		return 0;
	}
	if (term_is_tagged(t, "raw", 2))
		return name_or_int(NULL, 0, term_tuple_get(t, 1), out);
	if (term_kind(t) == TERM_ATOM) {
		if ((pe = getprotobyname(term_atom_name(t))) == NULL)
			return -1;
		*out = pe->p_proto;
		return 0;
	}
	return name_or_int(NULL, 0, t, out);
}

term
sockname_domain_term(int d)
{
	return term_name_or_int(sockname_domain_names, sockname_ndomains, d);
}

term
sockname_type_term(int t)
{
	return term_name_or_int(sockname_type_names, sockname_ntypes, t);
}

void
sockname_protocol_names(void (*fn)(const char *, void *), void *arg)
{
	struct protoent *pe;
	char **alias;

	setprotoent(0);
	while ((pe = getprotoent()) != NULL) {
		fn(pe->p_name, arg);
		for (alias = pe->p_aliases; alias != NULL && *alias != NULL;
		     alias++)
			fn(*alias, arg);
	}
	endprotoent();
}

/*
 * OTP names a protocol number by the first name the database gives it
 * (0 is ip, not hopopt), and shows the number when there is none.
 */
term
sockname_protocol_term(int p)
{
	struct protoent *pe = getprotobynumber(p);

	if (pe == NULL || pe->p_name == NULL)
		return term_int(p);
	return term_atom(pe->p_name);
}

int
sockname_msg_flags(term t, int *out, term *why)
{
	const struct term_name *row;
	size_t i, k, n = term_kind(t) == TERM_LIST ? term_size(t) : 0;
	term f, *rest, tail;
	int64_t v;

	*out = 0;
	for (i = 0; i < n; i++) {
		f = term_list_get(t, i);
		if (term_kind(f) == TERM_ATOM) {
			row = term_name_find(
			    sockname_msg_flag_names, sockname_nmsg_flags, f);
			if (row == NULL) {
				*why = term_tuple2(term_atom_of(A_INVALID),
				    term_tuple2(
				        term_atom("msg_flag"), term_copy(f)));
				return -1;
			}
			*out |= row->value;
		} else if (term_to_int64(f, &v) == 0 && v >= 0 &&
		           v <= INT32_MAX)
			*out |= (int)v;
		else
			break;
	}
	tail = n > 0 ? term_list_tail(t) : t;
	if (i == n && term_kind(tail) == TERM_NIL)
		return 0;
	/* OTP: the error shows what was left of the list at the bad flag. */
	if (i == n)
		f = term_copy(tail);
	else {
		rest = xreallocarray(NULL, n - i, sizeof *rest);
		for (k = i; k < n; k++)
			rest[k - i] = term_copy(term_list_get(t, k));
		f = term_list(n - i, rest, term_copy(tail));
		free(rest);
	}
	*why = term_tuple2(
	    term_atom_of(A_INVALID), term_tuple2(term_atom("msg_flags"), f));
	return -1;
}

struct sock *
sockname_sock(size_t argc, const term *argv, size_t *used, term *result)
{
	struct sock *s;

	if (argc > 0 &&
	    ((s = sock_find(argv[0])) != NULL || sock_is_term(argv[0]))) {
		*used = 1;
		if (s == NULL)
			*result = t_error(term_atom_of(A_CLOSED));
		return s;
	}
	/* The language put the current socket first if there was one. */
	*used = 0;
	*result = t_invalid("socket", term_atom("none"));
	return NULL;
}

const struct term_name sockname_timeout_atoms[] = {
    {-1, "infinity"},
    {SOCKNAME_NOWAIT, "nowait"},
};
const size_t sockname_ntimeout_atoms = NELEMS(sockname_timeout_atoms);

int
sockname_timeout(term t, int64_t *ms)
{
	const struct term_name *row;

	if ((row = term_name_find(
	         sockname_timeout_atoms, sockname_ntimeout_atoms, t)) != NULL) {
		*ms = row->value;
		return 0;
	}
	/* A select handle is a reference, as with nowait. */
	if (term_kind(t) == TERM_REF) {
		*ms = SOCKNAME_NOWAIT;
		return 0;
	}
	if (term_kind(t) == TERM_INT && t.u.i >= 0) {
		*ms = t.u.i;
		return 0;
	}
	/* Longer than any wait that could end: as good as infinity. */
	if (term_kind(t) == TERM_BIG && term_big_sign(t) > 0) {
		*ms = -1;
		return 0;
	}
	return -1;
}

int
sockname_would_block(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

term
sockname_wait_reason(int err)
{
	term t, r;

	if (err == ETIMEDOUT)
		return term_atom_of(A_TIMEOUT);
	t = t_errno(err);
	r = term_copy(term_tuple_get(t, 1));
	term_free(t);
	return r;
}

int64_t
sockname_deadline(int64_t ms)
{
	if (ms < 0)
		return -1;
	return loop_now_ms() + ms;
}

void
sockname_op_init(struct sockname_op *op, struct sock *s, enum sock_op kind,
    int64_t ms, term timeout, term tag)
{
	op->s = s;
	op->op = kind;
	op->ms = ms;
	op->deadline = sockname_deadline(ms);
	op->timeout = timeout;
	op->tag = tag;
	op->handle = term_nil();
}

int
sockname_op_start(struct sockname_op *op)
{
	if (sock_q_free(op->s, sock_op_dir(op->op)) ||
	    sock_q_own(op->s, op->op))
		return 0;
	return sockname_op_wait(op);
}

int
sockname_op_wait(struct sockname_op *op)
{
	int dir = sock_op_dir(op->op);
	term handle;

	/* OTP: the NIF selects before the caller's receive ... after. */
	op->s->xflags |=
	    dir == SOCK_QREAD ? SOCK_X_RSELECTED : SOCK_X_WSELECTED;
	if (op->ms != SOCKNAME_NOWAIT)
		return sock_q_wait(op->s, dir, op->op, op->deadline);
	/* A user's reference is the handle; nowait makes a new one. */
	handle = term_kind(op->timeout) == TERM_REF ? term_copy(op->timeout)
	                                            : term_new_ref();
	if (sock_q_push(op->s, dir, op->op, term_copy(handle)) < 0) {
		term_free(handle);
		return -1;
	}
	term_free(op->handle);
	op->handle = handle;
	return 1;
}

void
sockname_op_done(struct sockname_op *op)
{
	sock_q_done(op->s, sock_op_dir(op->op));
}

term
sockname_op_end(struct sockname_op *op, int rc, term result)
{
	int err = errno;

	if (rc == 0) {
		sockname_op_done(op);
		return result;
	}
	term_free(result);
	if (rc > 0)
		return sockname_op_select(op, term_nil());
	return t_error(sockname_wait_reason(err));
}

term
sockname_op_select(struct sockname_op *op, term partial)
{
	term v[3], info;

	v[0] = term_atom_of(A_SELECT_INFO);
	v[1] = term_copy(op->tag);
	v[2] = term_copy(op->handle);
	info = term_tuple(3, v);
	if (term_kind(partial) != TERM_NIL)
		info = term_tuple2(info, partial);
	return term_tuple2(term_atom_of(A_SELECT), info);
}

void
sockname_op_fini(struct sockname_op *op)
{
	term_free(op->tag);
	term_free(op->handle);
}

void
sockname_debug_print(const struct sock *s, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr,
	    "esock: socket #Ref<0.0.0.%u> (fd %d): ", (unsigned)s->ref, s->fd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
