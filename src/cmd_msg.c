/*
 * The socket module's recvmsg and sendmsg, with OTP 25's msg() maps
 * (addr, iov, ctrl, flags), argument forms, errors in the order socket.erl,
 * prim_socket and the NIF find them, nowait forms with their select tags
 * and partial results, sendmsg's continuation form, and the counters as
 * the NIF counts them. Control messages are cmsg.c's; the waits go
 * through the socket's queue (sockname_op_*), as cmd_io.c's do.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmsg.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "trace.h"
#include "util.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* SIGPIPE is ignored at start-up anyway */
#endif
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0
#endif
#ifndef IOV_MAX
#define IOV_MAX 16 /* POSIX's least */
#endif

/* One recvmsg never asks for more data or control bytes than this. */
#define MSG_BUF_MAX (64 * 1024 * 1024)

#define CNT(s, c) ((s)->counters[SOCK_C_##c])

/*
 * The socket argument. A closed socket is reported only once the other
 * arguments passed, as OTP's NIF finds it closed after socket.erl and
 * prim_socket checked them: *closed then holds {error, closed}.
 */
static struct sock *
arg_sock(
    size_t argc, const term *argv, size_t *used, term *closed, term *result)
{
	struct sock *s = sockname_sock(argc, argv, used, result);

	*closed = term_nil();
	if (s == NULL && *used == 1) {
		*closed = *result;
		*result = term_nil();
	}
	return s;
}

/* --- recvmsg -------------------------------------------------------- */

struct recvmsg_args {
	uint64_t bufsz;  /* 0: {otp, rcvbuf} */
	uint64_t ctrlsz; /* 0: {otp, rcvctrlbuf} */
	int flags;
	int64_t ms;
	term timeout; /* borrowed; nil when there is none */
};

/* BufSz or CtrlSz: socket.erl's guard wants an integer, 0 or more. */
static int
arg_size(const term *t, uint64_t *out)
{
	int64_t v;

	*out = 0;
	if (t == NULL)
		return 0;
	if (term_to_int64(*t, &v) < 0 || v < 0)
		return CMD_ARG_BADARG;
	*out = (uint64_t)v;
	return 0;
}

/*
 * () | (Flags | Timeout) | (Flags, Timeout) | (BufSz, CtrlSz) |
 * (BufSz, CtrlSz, Timeout) | (BufSz, CtrlSz, Flags, Timeout), told apart
 * as socket.erl's clauses tell them: a list is Flags. Checked in OTP's
 * order: the sizes and the Flags list, the Timeout, then each flag.
 * Returns 0, 1 for a usage error, or a CMD_ARG_* code with *why.
 */
static int
recvmsg_args(struct cmd_ctx *ctx, size_t argc, const term *argv,
    struct recvmsg_args *ra, term *why)
{
	const term *bufsz = NULL, *ctrlsz = NULL, *flags = NULL,
	           *timeout = NULL;
	int rc;

	switch (argc) {
	case 0:
		break;
	case 1:
		if (term_is_list(argv[0]))
			flags = &argv[0];
		else
			timeout = &argv[0];
		break;
	case 2:
		if (term_is_list(argv[0])) {
			flags = &argv[0];
			timeout = &argv[1];
		} else if (term_is_integer(argv[0]) &&
		           term_is_integer(argv[1])) {
			bufsz = &argv[0];
			ctrlsz = &argv[1];
		} else {
			/* socket.erl's recvmsg/3 has no clause for it. */
			*why = term_atom("function_clause");
			return CMD_ARG_RAISE;
		}
		break;
	case 3:
		bufsz = &argv[0];
		ctrlsz = &argv[1];
		timeout = &argv[2];
		break;
	case 4:
		bufsz = &argv[0];
		ctrlsz = &argv[1];
		flags = &argv[2];
		timeout = &argv[3];
		break;
	default:
		return 1;
	}
	ra->flags = 0;
	ra->timeout = timeout != NULL ? *timeout : term_nil();
	if ((rc = arg_size(bufsz, &ra->bufsz)) < 0 ||
	    (rc = arg_size(ctrlsz, &ra->ctrlsz)) < 0 ||
	    (rc = flags != NULL && !term_is_list(*flags) ? CMD_ARG_BADARG : 0) <
	        0 ||
	    (rc = cmd_arg_timeout(ctx, timeout, &ra->ms, why)) < 0 ||
	    (flags != NULL &&
	        (rc = cmd_arg_flags(*flags, &ra->flags, why)) < 0))
		return rc;
	return 0;
}

/*
 * The received flags as OTP lists them: the names in the order of
 * socket:supports(msg_flags), then what is left as an integer.
 */
static term
flags_term(int mf)
{
	struct term_vec v;
	size_t i;
	int f;

	memset(&v, 0, sizeof v);
	for (i = 0; i < sockname_nmsg_flags && mf != 0; i++) {
		f = sockname_msg_flag_names[i].value;
		if (f != 0 && (mf & f) == f) {
			mf &= ~f;
			term_vec_push(
			    &v, term_atom(sockname_msg_flag_names[i].name));
		}
	}
	if (mf != 0)
		term_vec_push(&v, term_int(mf));
	return term_vec_list(&v, term_nil());
}

/*
 * The msg() of a received message: addr when the kernel gave one, the
 * data in one binary, ctrl and flags. n is what recvmsg returned, more
 * than the buffer when MSG_TRUNC asked for the real length.
 */
static term
msg_term(const struct msghdr *mh, size_t n, int asked)
{
	static const char *const keys[] = {"iov", "ctrl", "flags", "addr"};
	const struct iovec *iov = mh->msg_iov;
	term v[4];
	int mf = mh->msg_flags;

	if (n > iov->iov_len)
		n = iov->iov_len;
	v[0] =
	    term_list(1, (term[]){term_binary(iov->iov_base, n)}, term_nil());
	v[1] = cmsg_list(mh->msg_control,
	    mh->msg_control != NULL ? mh->msg_controllen : 0, CMSG_LEVEL_NAMES);
	/* esock always asks for close-on-exec descriptors; OTP shows the
	 * flag only when the caller asked for it. */
	if (!(asked & MSG_CMSG_CLOEXEC))
		mf &= ~MSG_CMSG_CLOEXEC;
	v[2] = flags_term(mf);
	if (mh->msg_namelen == 0)
		return term_map_atoms(3, keys, v);
	v[3] = sa_encode(mh->msg_name, mh->msg_namelen);
	return term_map_atoms(4, keys, v);
}

static size_t
buf_size(uint64_t asked, uint64_t otp)
{
	uint64_t n = asked != 0 ? asked : otp;

	return n > MSG_BUF_MAX ? MSG_BUF_MAX : (size_t)n;
}

/*
 * One message with its source and control data. OTP counts it as a
 * package of all the bytes recvmsg gave, and leaves read_pkg_max alone;
 * a stream's end is closed, a failed read.
 */
static term
do_recvmsg(
    struct sock *s, const struct recvmsg_args *ra, struct sockname_op *op)
{
	struct sockaddr_storage ss;
	size_t bufsz = buf_size(ra->bufsz, s->otp.rbufsz);
	size_t ctrlsz = buf_size(ra->ctrlsz, s->otp.rctrlsz);
	char *data = malloc(bufsz ? bufsz : 1);
	char *ctrl = malloc(ctrlsz ? ctrlsz : 1);
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;
	term result = term_nil();
	int rc;

	if (data == NULL || ctrl == NULL) {
		free(data);
		free(ctrl);
		return t_errno(ENOMEM);
	}

	for (rc = sockname_op_start(op); rc == 0; rc = sockname_op_wait(op)) {
		memset(&ss, 0, sizeof ss);
		memset(&mh, 0, sizeof mh);
		iov.iov_base = data;
		iov.iov_len = bufsz;
		mh.msg_name = &ss;
		mh.msg_namelen = sizeof ss;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctrlsz > 0 ? ctrl : NULL;
		mh.msg_controllen = ctrlsz;
		CNT(s, read_tries)++;
		n = recvmsg(s->fd, &mh, ra->flags | MSG_CMSG_CLOEXEC);
		if (n == 0 && s->type == SOCK_STREAM) {
			CNT(s, read_fails)++;
			result = t_error(term_atom("closed"));
			break;
		}
		if (n >= 0) {
			if (mh.msg_control == NULL)
				mh.msg_controllen = 0;
			cmsg_fds_keep(mh.msg_control, mh.msg_controllen);
			if (mh.msg_namelen > sizeof ss)
				mh.msg_namelen = sizeof ss;
			trace_iov(s, 0, &iov, 1, (size_t)n);
			CNT(s, read_pkg)++;
			CNT(s, read_byte) += (uint64_t)n;
			result = t_ok(msg_term(&mh, (size_t)n, ra->flags));
			break;
		}
		if (!sockname_would_block(errno)) {
			CNT(s, read_fails)++;
			result = t_errno(errno);
			break;
		}
		if (ra->ms == 0) {
			result = t_error(term_atom("timeout"));
			break;
		}
	}
	result = sockname_op_end(op, rc, result);
	free(data);
	free(ctrl);
	return result;
}

/* recvmsg([Socket,] [BufSz, CtrlSz,] [Flags,] [Timeout]) */
static enum cmd_retval
cmd_recvmsg_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sockname_op op;
	struct recvmsg_args ra;
	struct sock *s;
	term closed, why = term_nil();
	size_t used;
	int rc;

	s = arg_sock(argc, argv, &used, &closed, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	rc = recvmsg_args(ctx, argc - used, argv + used, &ra, &why);
	if (rc != 0 || s == NULL) {
		if (rc == 0) {
			*result = closed;
			return CMD_RETURN_NORMAL;
		}
		term_free(closed);
		if (rc > 0)
			return CMD_RETURN_USAGE;
		return cmd_arg_raise(ctx, rc, argc, argv, why, result);
	}
	sockname_op_init(
	    &op, s, SOCK_OP_RECV, ra.ms, ra.timeout, term_atom("recvmsg"));
	*result = do_recvmsg(s, &ra, &op);
	sockname_op_fini(&op);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_recvmsg_entry = {
    .name = "recvmsg",
    .module = "socket",
    .args = {0, 5},
    .usage = "[Socket] [BufSz CtrlSz] [Flags] [Timeout]",
    .summary = "receive a message with its address and control messages",
    .complete = "socket length length flags timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK,
    .otp_arity = 5,
    .otp_defaults = "0, 0, [], infinity",
    .exec = cmd_recvmsg_exec,
};

/* --- sendmsg -------------------------------------------------------- */

/* The map m (borrowed) with key set to value (consumed), or removed. */
static term
map_set(term m, const char *key, const term *value)
{
	size_t i, k = 0, n = term_size(m);
	term *keys = xreallocarray(NULL, n + 1, sizeof *keys);
	term *vals = xreallocarray(NULL, n + 1, sizeof *vals), r;

	for (i = 0; i < n; i++) {
		if (term_atom_is(term_map_key(m, i), key))
			continue;
		keys[k] = term_copy(term_map_key(m, i));
		vals[k++] = term_copy(term_map_value(m, i));
	}
	if (value != NULL) {
		keys[k] = term_atom(key);
		vals[k++] = *value;
	}
	r = term_map(k, keys, vals);
	free(keys);
	free(vals);
	return r;
}

/* The map with key set to value (consumed) unless it has one already. */
static term
with_default(term m, const char *key, term value)
{
	term r;

	if (term_map_get(m, key) != NULL) {
		term_free(value);
		return m;
	}
	r = map_set(m, key, &value);
	term_free(m);
	return r;
}

/*
 * A sockaddr() map as prim_socket:enc_sockaddr/1 passes it on (the
 * select tag of a sendmsg shows it): OTP's defaults for what is missing,
 * a local path as a binary.
 */
static term
enc_sockaddr(term a)
{
	const term *f = term_map_get(a, "family"), *path;
	term r = term_copy(a), bin;
	struct buf b;

	if (f == NULL)
		return r;
	if (term_atom_is(*f, "inet") || term_atom_is(*f, "inet6")) {
		r = with_default(r, "port", term_int(0));
		r = with_default(r, "addr", term_atom("any"));
		if (term_atom_is(*f, "inet6")) {
			r = with_default(r, "flowinfo", term_int(0));
			r = with_default(r, "scope_id", term_int(0));
		}
	} else if (term_atom_is(*f, "local")) {
		path = term_map_get(r, "path");
		buf_init(&b);
		if (path != NULL && term_is_list(*path) &&
		    term_text(*path, &b) == 0) {
			bin = term_binary(b.data, b.len);
			a = map_set(r, "path", &bin);
			term_free(r);
			r = a;
		}
		buf_free(&b);
	} else if (term_atom_is(*f, "unspec") || term_kind(*f) == TERM_INT)
		r = with_default(r, "addr", term_binary("", 0));
	return r;
}

/* {invalid, {msg, Key, maps:with([Key], Msg)}}, the NIF's reason. */
static term
invalid_part(const char *key, term msg)
{
	const term *v =
	    term_kind(msg) == TERM_MAP ? term_map_get(msg, key) : NULL;
	term m = term_map(0, NULL, NULL), c;

	if (v != NULL) {
		c = term_copy(*v);
		term_free(m);
		m = term_map_atoms(1, &key, &c);
	}
	return term_tuple2(term_atom("invalid"),
	    term_tuple3(term_atom("msg"), term_atom(key), m));
}

/*
 * prim_socket:enc_msg/1: the msg() as the NIF gets it, its addr with
 * OTP's defaults and its ctrl levels as numbers (an empty ctrl goes).
 * Returns 0 with *emsg (owned), or -1 with *why (owned) for what
 * prim_socket refuses. An addr only the NIF refuses passes here.
 */
static int
enc_msg(term msg, int domain, term *emsg, term *why)
{
	struct sockaddr_storage ss;
	const term *addr, *ctrl;
	socklen_t len;
	term m = term_copy(msg), v, r;

	if ((addr = term_map_get(msg, "addr")) != NULL) {
		if (sa_decode_arg(*addr, domain, &ss, &len, &r) < 0) {
			/* {invalid, {sockaddr, Map}} is the NIF's. */
			v = term_tuple_get(r, 1);
			if (term_kind(*addr) != TERM_MAP ||
			    !term_is_tagged(v, "sockaddr", 2) ||
			    term_kind(term_tuple_get(v, 1)) != TERM_MAP) {
				term_free(m);
				*why = r;
				return -1;
			}
			term_free(r);
			v = enc_sockaddr(*addr);
		} else if (term_kind(*addr) == TERM_MAP)
			v = enc_sockaddr(*addr);
		else
			v = sa_encode((struct sockaddr *)&ss, len);
		r = map_set(m, "addr", &v);
		term_free(m);
		m = r;
	}
	if ((ctrl = term_map_get(msg, "ctrl")) != NULL) {
		if (term_kind(*ctrl) == TERM_NIL)
			r = map_set(m, "ctrl", NULL);
		else if (cmsg_levels(*ctrl, &v, why) < 0) {
			term_free(m);
			return -1;
		} else
			r = map_set(m, "ctrl", &v);
		term_free(m);
		m = r;
	}
	*emsg = m;
	return 0;
}

/* The iov: a proper list of binaries, or OTP's reason for what is not. */
static int
check_iov(term iov, term *why)
{
	size_t i, n = term_kind(iov) == TERM_LIST ? term_size(iov) : 0;

	for (i = 0; i < n; i++) {
		if (!term_is_binary(term_list_get(iov, i))) {
			*why = term_tuple2(term_atom("element_not_binary"),
			    term_int((int64_t)i + 1));
			goto bad;
		}
	}
	if (term_kind(n > 0 ? term_list_tail(iov) : iov) == TERM_NIL)
		return 0;
	*why = term_tuple2(term_atom("improper_list"), term_int((int64_t)n));
bad:
	*why = term_tuple2(
	    term_atom("invalid"), term_tuple2(term_atom("iov"), *why));
	return -1;
}

/* What one sendmsg sends, as the NIF decodes it from the msg(). */
struct msg_out {
	struct sockaddr_storage ss;
	socklen_t sslen; /* 0: no address */
	struct buf ctrl; /* the cmsghdrs; empty: none */
	const term *iov; /* the binaries (borrowed) */
	size_t niov;
	int flags;
};

/*
 * The NIF's part: addr, iov, then ctrl of the encoded msg() (the reason
 * shows the msg() as given). Returns 0, or -1 with *why (owned).
 */
static int
nif_msg(struct sock *s, term msg, term emsg, term iov, struct msg_out *mo,
    term *why)
{
	const term *addr = term_map_get(emsg, "addr"),
	           *ctrl = term_map_get(emsg, "ctrl");
	term r;

	mo->sslen = 0;
	if (addr != NULL && sa_decode(*addr, &mo->ss, &mo->sslen, &r) < 0) {
		term_free(r);
		*why = invalid_part("addr", msg);
		return -1;
	}
	if (check_iov(iov, why) < 0)
		return -1;
	mo->iov = term_kind(iov) == TERM_LIST ? term_elems(iov) : NULL;
	mo->niov = term_kind(iov) == TERM_LIST ? term_size(iov) : 0;
	if (ctrl != NULL &&
	    cmsg_build(*ctrl,
	        s->otp.wctrlsz > SIZE_MAX ? SIZE_MAX : (size_t)s->otp.wctrlsz,
	        &mo->ctrl) < 0) {
		*why = invalid_part("ctrl", msg);
		return -1;
	}
	return 0;
}

/* The binaries from element i, byte off, on (OTP's rest_iov). */
static term
rest_iov(const struct msg_out *mo, size_t i, size_t off)
{
	struct term_vec v;

	memset(&v, 0, sizeof v);
	for (; i < mo->niov; i++, off = 0)
		term_vec_push(
		    &v, off == 0 ? term_copy(mo->iov[i])
		                 : term_binary(term_bin_data(mo->iov[i]) + off,
		                       term_bin_size(mo->iov[i]) - off));
	return term_vec_list(&v, term_nil());
}

/* Reason alone, or {Reason, RestIOV} once part of the data has gone. */
static term
partial_error(
    term reason, const struct msg_out *mo, size_t i, size_t off, int written)
{
	if (!written)
		return t_error(reason);
	return t_error(term_tuple2(reason, rest_iov(mo, i, off)));
}

/*
 * Fills v with at most IOV_MAX parts from element *i, byte *off, and
 * returns their bytes.
 */
static size_t
iov_fill(const struct msg_out *mo, size_t i, size_t off, struct iovec *v,
    size_t *cnt)
{
	size_t k, left = 0;

	for (k = 0; i + k < mo->niov && k < IOV_MAX; k++, off = 0) {
		v[k].iov_base = (void *)(term_bin_data(mo->iov[i + k]) + off);
		v[k].iov_len = term_bin_size(mo->iov[i + k]) - off;
		left += v[k].iov_len;
	}
	*cnt = k;
	return left;
}

/* Moves past n bytes sent, and past empty parts after them. */
static void
iov_advance(const struct msg_out *mo, size_t *i, size_t *off, size_t n)
{
	*off += n;
	while (*i < mo->niov && *off >= term_bin_size(mo->iov[*i])) {
		*off -= term_bin_size(mo->iov[*i]);
		(*i)++;
	}
}

/*
 * Sends the msg(), waiting for room as op allows, in calls of at most
 * IOV_MAX parts; as OTP's NIF, each call carries the address and the
 * control messages. OTP counts a package and its bytes when the last
 * part goes (write_byte counts that call's alone), a wait per would-block
 * or short write, and keeps the bytes of the parts for write_pkg_max.
 */
static term
do_sendmsg(struct sock *s, const struct msg_out *mo, struct sockname_op *op)
{
	struct iovec v[IOV_MAX];
	struct msghdr mh;
	size_t i = 0, off = 0, cnt, left = 0;
	uint64_t total;
	ssize_t n = -1;
	int rc, written = 0;

	for (rc = sockname_op_start(op); rc == 0; rc = sockname_op_wait(op)) {
		for (;;) {
			left = iov_fill(mo, i, off, v, &cnt);
			memset(&mh, 0, sizeof mh);
			mh.msg_name = mo->sslen > 0 ? (void *)&mo->ss : NULL;
			mh.msg_namelen = mo->sslen;
			mh.msg_iov = v;
			mh.msg_iovlen = cnt;
			mh.msg_control =
			    mo->ctrl.len > 0 ? mo->ctrl.data : NULL;
			mh.msg_controllen = mo->ctrl.len;
			CNT(s, write_tries)++;
			n = sendmsg(s->fd, &mh, mo->flags | MSG_NOSIGNAL);
			trace_iov(s, 1, v, cnt, n > 0 ? (size_t)n : 0);
			if (n < 0 || (size_t)n < left || i + cnt >= mo->niov)
				break;
			/* OTP: IOV_MAX parts went whole; the rest goes at once.
			 */
			s->wacc += (uint64_t)n;
			iov_advance(mo, &i, &off, (size_t)n);
			written = 1;
		}
		if (n >= 0 && (size_t)n == left) {
			sockname_op_done(op);
			CNT(s, write_pkg)++;
			CNT(s, write_byte) += (uint64_t)n;
			total = (uint64_t)n + s->wacc;
			s->wacc = 0;
			if (total > CNT(s, write_pkg_max))
				CNT(s, write_pkg_max) = total;
			return term_atom("ok");
		}
		if (n >= 0) {
			CNT(s, write_waits)++;
			s->wacc += (uint64_t)n;
			iov_advance(mo, &i, &off, (size_t)n);
			written |= n > 0;
		} else if (sockname_would_block(errno))
			CNT(s, write_waits)++;
		else {
			sockname_op_done(op);
			CNT(s, write_fails)++;
			return partial_error(
			    sockname_wait_reason(errno), mo, i, off, written);
		}
	}
	if (rc > 0)
		return sockname_op_select(
		    op, written ? rest_iov(mo, i, off) : term_nil());
	return partial_error(sockname_wait_reason(errno), mo, i, off, written);
}

/* Sends with the tag {sendmsg, ContData} (consumed). */
static term
send_prepared(struct cmd_ctx *ctx, struct sock *s, const struct msg_out *mo,
    const term *timeout, term tag)
{
	struct sockname_op op;
	int64_t ms;
	term result;

	(void)cmd_arg_timeout(ctx, timeout, &ms, &result);
	sockname_op_init(&op, s, SOCK_OP_SEND, ms,
	    timeout != NULL ? *timeout : term_nil(), tag);
	result = do_sendmsg(s, mo, &op);
	sockname_op_fini(&op);
	return result;
}

/*
 * sendmsg(S, RestData, Cont [, Timeout]): goes on with a nowait sendmsg
 * that gave {select, {Cont, RestIOV}}, with Cont's encoded msg() and
 * flags and RestData (a msg() or the iov alone) as the data. Returns 0
 * with *out the result, or a CMD_ARG_* code with *out the reason.
 */
static int
sendmsg_cont(struct cmd_ctx *ctx, struct sock *s, term closed, term rest,
    term cont, const term *timeout, term *out)
{
	const term *iov = &rest;
	struct msg_out mo;
	term tag = term_tuple_get(cont, 1), cd, why;
	int64_t ms, f;
	int rc;

	if (!term_is_tagged(tag, "sendmsg", 2)) {
		*out =
		    t_error(term_tuple2(term_atom("invalid"), term_copy(cont)));
		return 0;
	}
	/* socket.erl: a msg() with an iov, or the iov alone, else badarg. */
	if ((term_kind(rest) == TERM_MAP &&
	        (iov = term_map_get(rest, "iov")) == NULL) ||
	    (term_kind(rest) != TERM_MAP && !term_is_list(rest)))
		return CMD_ARG_BADARG;
	if ((rc = cmd_arg_timeout(ctx, timeout, &ms, out)) < 0)
		return rc;
	cd = term_tuple_get(tag, 1);
	/* prim_socket:sendmsg/4 takes {Msg, EMsg, EFlags} and no other. */
	if (term_kind(cd) != TERM_TUPLE || term_size(cd) != 3) {
		*out = term_atom("function_clause");
		return CMD_ARG_RAISE;
	}
	if (term_kind(term_tuple_get(cd, 1)) != TERM_MAP ||
	    term_to_int64(term_tuple_get(cd, 2), &f) < 0 || f < INT_MIN ||
	    f > INT_MAX) {
		*out =
		    t_error(term_tuple2(term_atom("invalid"), term_copy(cont)));
		return 0;
	}
	if (s == NULL) {
		*out = term_copy(closed);
		return 0;
	}
	memset(&mo, 0, sizeof mo);
	buf_init(&mo.ctrl);
	mo.flags = (int)f;
	if (nif_msg(s, term_tuple_get(cd, 0), term_tuple_get(cd, 1), *iov, &mo,
	        &why) < 0)
		*out = t_error(why);
	else
		*out = send_prepared(ctx, s, &mo, timeout, term_copy(tag));
	buf_free(&mo.ctrl);
	return 0;
}

/*
 * sendmsg(S, Msg [, Flags] [, Timeout]), checked in OTP's order: the
 * msg() and Flags list, the Timeout, prim_socket's encoding of addr and
 * ctrl, each flag, then the NIF's: closed, addr, iov and ctrl. Returns as
 * sendmsg_cont does.
 */
static int
sendmsg_msg(struct cmd_ctx *ctx, struct sock *s, term closed, term msg,
    const term *flags, const term *timeout, term *out)
{
	const term *iov, *ctrl;
	struct msg_out mo;
	term emsg, why, v[3];
	int64_t ms;
	int f = 0, rc;

	if (term_kind(msg) != TERM_MAP ||
	    (iov = term_map_get(msg, "iov")) == NULL ||
	    (flags != NULL && !term_is_list(*flags)))
		return CMD_ARG_BADARG;
	if ((rc = cmd_arg_timeout(ctx, timeout, &ms, out)) < 0)
		return rc;
	/* prim_socket encodes ctrl with a comprehension: a list, or it fails.
	 */
	if ((ctrl = term_map_get(msg, "ctrl")) != NULL) {
		term t = *ctrl;

		if (term_kind(t) == TERM_LIST)
			t = term_list_tail(t);
		if (term_kind(t) != TERM_NIL) {
			*out = term_tuple2(
			    term_atom("bad_generator"), term_copy(t));
			return CMD_ARG_RAISE;
		}
	}
	if (enc_msg(msg, s != NULL ? s->domain : AF_UNSPEC, &emsg, &why) < 0) {
		*out = t_error(why);
		return 0;
	}
	if (flags != NULL && (rc = cmd_arg_flags(*flags, &f, out)) < 0) {
		term_free(emsg);
		return rc;
	}
	if (s == NULL || (s->state & SOCK_CONNECTING)) {
		term_free(emsg);
		/* A connect in progress holds the writing side, as for send. */
		*out = s == NULL ? term_copy(closed)
		                 : t_error(term_tuple2(term_atom_of(A_INVALID),
		                       term_atom("state")));
		return 0;
	}
	memset(&mo, 0, sizeof mo);
	buf_init(&mo.ctrl);
	mo.flags = f;
	if (nif_msg(s, msg, emsg, *iov, &mo, &why) < 0) {
		term_free(emsg);
		*out = t_error(why);
	} else {
		/* OTP's select tag: {sendmsg, {Msg, EMsg, EFlags}}. */
		v[0] = term_copy(msg);
		v[1] = emsg;
		v[2] = term_int(f);
		*out = send_prepared(ctx, s, &mo, timeout,
		    term_tuple2(term_atom("sendmsg"), term_tuple(3, v)));
	}
	buf_free(&mo.ctrl);
	return 0;
}

/* sendmsg([Socket,] Msg [, Flags] [, Timeout]) and the continuation. */
static enum cmd_retval
cmd_sendmsg_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const term *x = NULL, *timeout = NULL, *argv0 = argv;
	struct sock *s;
	term closed, out = term_nil();
	size_t used, argc0 = argc;
	int rc;

	s = arg_sock(argc, argv, &used, &closed, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	argc -= used;
	if (argc < 1 || argc > 3) {
		term_free(closed);
		return CMD_RETURN_USAGE;
	}
	if (argc == 3) {
		x = &argv[1];
		timeout = &argv[2];
	} else if (argc == 2 &&
	           (term_is_list(argv[1]) || term_kind(argv[1]) == TERM_TUPLE))
		x = &argv[1];
	else if (argc == 2)
		timeout = &argv[1];
	if (x != NULL && term_is_tagged(*x, "select_info", 3))
		rc = sendmsg_cont(ctx, s, closed, argv[0], *x, timeout, &out);
	else
		rc = sendmsg_msg(ctx, s, closed, argv[0], x, timeout, &out);
	term_free(closed);
	if (rc < 0)
		return cmd_arg_raise(ctx, rc, argc0, argv0, out, result);
	*result = out;
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_sendmsg_entry = {
    .name = "sendmsg",
    .module = "socket",
    .args = {1, 4},
    .usage = "[Socket] Msg [Flags | Cont] [Timeout]",
    .summary = "send a message with its address and control messages",
    .complete = "socket msg flags timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK,
    .otp_arity = 4,
    .otp_defaults = "[], infinity",
    .exec = cmd_sendmsg_exec,
};
