/*
 * The socket module's data commands: send, sendto, recv and recvfrom,
 * with OTP 25's argument forms, results (partial data in {error,
 * {Reason, Data}}, nowait's {select, ...} forms), and counters counted as
 * its NIF counts them. Every wait takes its turn in the socket's queue
 * on the event loop (sockname_op_*); descriptors never block.
 * Opening and naming sockets is cmd_socket.c's part.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "loop.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "trace.h"
#include "util.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* SIGPIPE is ignored at start-up anyway */
#endif

/* OTP: recv with Length 0 reads at most {otp, rcvbuf}, 8192 by default. */
#define RECV_BUFSZ(s)                                                          \
	((s)->otp.rbufsz > RECV_CHUNK_MAX ? RECV_CHUNK_MAX                     \
	                                  : (size_t)(s)->otp.rbufsz)
/* One read never asks for more; a longer Length takes several. */
#define RECV_CHUNK_MAX (64 * 1024 * 1024)

#define CNT(s, c) ((s)->counters[SOCK_C_##c])

/*
 * The Data argument: iodata, or (the short forms' shorthand, as for
 * strings elsewhere) a bare atom for its text. A list that is no iodata
 * is OTP's {invalid, {data, Data}}; anything else (a bitstring, an atom
 * in socket:send) is badarg.
 */
static int
arg_data(const struct cmd_ctx *ctx, term t, struct buf *b, term *why)
{
	if (term_kind(t) == TERM_ATOM && !ctx->strict) {
		buf_add(b, term_atom_name(t), term_atom_len(t));
		return 0;
	}
	if (term_kind(t) != TERM_LIST && term_kind(t) != TERM_NIL &&
	    !term_is_binary(t))
		return CMD_ARG_BADARG;
	if (term_iodata(t, b) < 0) {
		*why = term_tuple2(term_atom_of(A_INVALID),
		    term_tuple2(term_atom("data"), term_copy(t)));
		return CMD_ARG_RAISE;
	}
	return 0;
}

/* Reason alone, or {Reason, Data} once part of the data has gone. */
static term
partial_error(term reason, const void *data, size_t len)
{
	if (len == 0)
		return t_error(reason);
	return t_error(term_tuple2(reason, term_binary(data, len)));
}

/* Nil, or the rest of data from off when part of it has gone. */
static term
rest_of(const char *p, size_t off, size_t len)
{
	return off > 0 ? term_binary(p + off, len - off) : term_nil();
}

/*
 * Sends all of data, waiting for room as op allows. OTP counts a
 * package and its bytes only when the last part goes (write_byte counts
 * that part alone), a wait per would-block or short write, and keeps
 * the bytes of the parts in write_pkg_max's running total. A nowait
 * send that could not finish gives {select, {SelectInfo, Rest}}.
 */
static term
do_send(struct sock *s, const struct buf *data, int flags,
    const struct sockaddr *to, socklen_t tolen, struct sockname_op *op)
{
	const char *p = data->data != NULL ? data->data : "";
	size_t off = 0, left;
	uint64_t total;
	ssize_t n;
	int rc;

	flags |= MSG_NOSIGNAL;
	for (rc = sockname_op_start(op); rc == 0; rc = sockname_op_wait(op)) {
		left = data->len - off;
		CNT(s, write_tries)++;
		if (to != NULL)
			n = sendto(s->fd, p + off, left, flags, to, tolen);
		else
			n = send(s->fd, p + off, left, flags);
		/* A select, not a branch: the trace's test stays the only one.
		 */
		trace_bytes(s, 1, p + off, n > 0 ? (size_t)n : 0);
		if (n >= 0 && (size_t)n == left) {
			sockname_op_done(op);
			CNT(s, write_pkg)++;
			CNT(s, write_byte) += (uint64_t)n;
			total = (uint64_t)n;
			total += s->wacc;
			s->wacc = 0;
			if (total > CNT(s, write_pkg_max))
				CNT(s, write_pkg_max) = total;
			return term_atom_of(A_OK);
		}
		if (n >= 0) {
			CNT(s, write_waits)++;
			s->wacc += (uint64_t)n;
			off += (size_t)n;
		} else if (sockname_would_block(errno))
			CNT(s, write_waits)++;
		else {
			sockname_op_done(op);
			CNT(s, write_fails)++;
			return partial_error(sockname_wait_reason(errno),
			    p + off, off > 0 ? data->len - off : 0);
		}
	}
	if (rc > 0)
		return sockname_op_select(op, rest_of(p, off, data->len));
	return partial_error(sockname_wait_reason(errno), p + off,
	    off > 0 ? data->len - off : 0);
}

/* OTP's select tag of a send: {send, Flags}, Flags as the NIF has them. */
static term
send_tag(int flags)
{
	return term_tuple2(term_atom("send"), term_int(flags));
}

/* ... and of a sendto: {sendto, {Dest, Dest, Flags}} (dest consumed). */
static term
sendto_tag(term dest, int flags)
{
	term v[3];

	v[0] = dest;
	v[1] = term_copy(dest);
	v[2] = term_int(flags);
	return term_tuple2(term_atom("sendto"), term_tuple(3, v));
}

/* send([Socket,] Data [, Flags] [, Timeout]) */
static enum cmd_retval
cmd_send_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const term *flags = NULL, *timeout = NULL, *argv0 = argv;
	struct sockname_op op;
	struct sock *s;
	struct buf data;
	size_t used, argc0 = argc;
	int64_t ms;
	int f = 0, rc;
	term why = term_nil();

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	argc -= used;
	if (argc < 1 || argc > 3) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	if (argc == 2 && term_is_list(argv[1]))
		flags = &argv[1];
	else if (argc == 2)
		timeout = &argv[1];
	else if (argc == 3) {
		flags = &argv[1];
		timeout = &argv[2];
	}
	/* socket.erl: the data and the flags' type, the timeout, the NIF. */
	buf_init(&data);
	if ((rc = arg_data(ctx, argv[0], &data, &why)) < 0 ||
	    (rc = flags != NULL && !term_is_list(*flags) ? CMD_ARG_BADARG : 0) <
	        0 ||
	    (rc = cmd_arg_timeout(ctx, timeout, &ms, &why)) < 0 ||
	    (flags != NULL && (rc = cmd_arg_flags(*flags, &f, &why)) < 0)) {
		buf_free(&data);
		return cmd_arg_raise(ctx, rc, argc0, argv0, why, result);
	}
	/* OTP: a connect in progress holds the writing side. */
	if (s != NULL && (s->state & SOCK_CONNECTING))
		*result = t_error(
		    term_tuple2(term_atom_of(A_INVALID), term_atom("state")));
	else if (s != NULL) {
		sockname_op_init(&op, s, SOCK_OP_SEND, ms,
		    timeout ? *timeout : term_nil(), send_tag(f));
		*result = do_send(s, &data, f, NULL, 0, &op);
		sockname_op_fini(&op);
	}
	buf_free(&data);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_send_entry = {
    .name = "send",
    .module = "socket",
    .args = {1, 4},
    .usage = "[Socket] Data [Flags] [Timeout]",
    .summary = "send data on a connected socket",
    .complete = "socket data flags timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK,
    .otp_arity = 4,
    .otp_defaults = "[], infinity",
    .exec = cmd_send_exec,
};

/* sendto([Socket,] Data, Dest [, Flags] [, Timeout]) */
static enum cmd_retval
cmd_sendto_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const term *flags = NULL, *timeout = NULL, *argv0 = argv;
	struct sockaddr_storage ss;
	struct sockname_op op;
	socklen_t len;
	struct sock *s;
	term dest;
	struct buf data;
	size_t used, argc0 = argc;
	int64_t ms;
	int f = 0, rc;
	term why = term_nil();

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	argc -= used;
	if (argc < 2 || argc > 4) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	if (argc == 3 && term_is_list(argv[2]))
		flags = &argv[2];
	else if (argc == 3)
		timeout = &argv[2];
	else if (argc == 4) {
		flags = &argv[2];
		timeout = &argv[3];
	}
	/* socket.erl: the data and the flags' type, the timeout, the NIF. */
	buf_init(&data);
	if ((rc = arg_data(ctx, argv[0], &data, &why)) < 0 ||
	    (rc = flags != NULL && !term_is_list(*flags) ? CMD_ARG_BADARG : 0) <
	        0 ||
	    (rc = cmd_arg_timeout(ctx, timeout, &ms, &why)) < 0 ||
	    (rc = cmd_arg_addr(argv[1], s != NULL ? s->domain : AF_UNSPEC, &ss,
	         &len, &why)) < 0 ||
	    (flags != NULL && (rc = cmd_arg_flags(*flags, &f, &why)) < 0)) {
		buf_free(&data);
		return cmd_arg_raise(ctx, rc, argc0, argv0, why, result);
	}
	if (s == NULL)
		goto out;
	if (s->state & SOCK_CONNECTING) {
		*result = t_error(
		    term_tuple2(term_atom_of(A_INVALID), term_atom("state")));
		goto out;
	}
	dest = term_kind(argv[1]) == TERM_MAP
	           ? term_copy(argv[1])
	           : sa_encode((struct sockaddr *)&ss, len);
	sockname_op_init(&op, s, SOCK_OP_SEND, ms,
	    timeout ? *timeout : term_nil(), sendto_tag(dest, f));
	*result = do_send(s, &data, f, (struct sockaddr *)&ss, len, &op);
	sockname_op_fini(&op);
out:
	buf_free(&data);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_sendto_entry = {
    .name = "sendto",
    .module = "socket",
    .args = {2, 5},
    .usage = "[Socket] Data Dest [Flags] [Timeout]",
    .summary = "send data to an address",
    .complete = "socket data addr flags timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK | CMD_NEEDS_PORT,
    .otp_arity = 5,
    .otp_defaults = "[], infinity",
    .exec = cmd_sendto_exec,
};

/* The arguments recv and recvfrom share after the socket. */
struct recv_args {
	int64_t length;
	int flags;
	int64_t ms;
	term timeout; /* borrowed; nil when there is none */
};

/*
 * () | (Length | Flags) | (Flags, Timeout) | (Length, Flags) |
 * (Length, Timeout) | (Length, Flags, Timeout), as socket.erl tells
 * them apart: a list is Flags. Returns 0, 1 for a usage error, or an
 * ARG_* code.
 */
static int
recv_args(struct cmd_ctx *ctx, size_t argc, const term *argv,
    struct recv_args *ra, term *why)
{
	const term *length = NULL, *flags = NULL, *timeout = NULL;
	int rc;

	if (argc > 3)
		return 1;
	if (argc == 3) {
		length = &argv[0];
		flags = &argv[1];
		timeout = &argv[2];
	} else if (argc >= 1 && term_is_list(argv[0])) {
		flags = &argv[0];
		timeout = argc == 2 ? &argv[1] : NULL;
	} else if (argc >= 1) {
		length = &argv[0];
		if (argc == 2 && term_is_list(argv[1]))
			flags = &argv[1];
		else if (argc == 2)
			timeout = &argv[1];
	}
	ra->length = 0;
	ra->flags = 0;
	ra->timeout = timeout != NULL ? *timeout : term_nil();
	/* socket.erl's guards, then its deadline, then the NIF's flags. */
	if (length != NULL &&
	    (term_to_int64(*length, &ra->length) < 0 || ra->length < 0 ||
	        (uint64_t)ra->length > SIZE_MAX / 4))
		return CMD_ARG_BADARG;
	if (flags != NULL && !term_is_list(*flags))
		return CMD_ARG_BADARG;
	if ((rc = cmd_arg_timeout(ctx, timeout, &ra->ms, why)) < 0 ||
	    (flags != NULL &&
	        (rc = cmd_arg_flags(*flags, &ra->flags, why)) < 0))
		return rc;
	return 0;
}

/*
 * recv: Length 0 reads what one read gives (up to {otp, rcvbuf}); on a
 * stream, Length N reads until N bytes came, the peer closed or the
 * deadline passed, returning what came so far with the reason. With a
 * timeout of 0 OTP does not wait at all and a short read is a result;
 * with nowait a short read is {select, {SelectInfo, Data}}.
 */
static term
do_recv(struct sock *s, const struct recv_args *ra, struct sockname_op *op)
{
	int stream = s->type == SOCK_STREAM, zero = ra->ms == 0, tried = 0, rc;
	size_t want;
	struct buf acc;
	ssize_t n;
	term result;

	buf_init(&acc);
	for (rc = sockname_op_start(op); rc == 0; rc = sockname_op_wait(op)) {
		want = ra->length == 0 ? RECV_BUFSZ(s)
		                       : (size_t)ra->length - acc.len;
		if (want > RECV_CHUNK_MAX)
			want = RECV_CHUNK_MAX;
		if (buf_try_reserve(&acc, want) < 0) {
			result = partial_error(
			    sockname_wait_reason(ENOMEM), acc.data, acc.len);
			break;
		}
		CNT(s, read_tries)++;
		n = recv(s->fd, acc.data + acc.len, want, ra->flags);
		if (n > 0) {
			/* MSG_TRUNC tells the real size. */
			if ((size_t)n > want)
				n = (ssize_t)want;
			trace_bytes(s, 0, acc.data + acc.len, (size_t)n);
			CNT(s, read_byte) += (uint64_t)n;
			acc.len += (size_t)n;
			if (!stream || ra->length == 0 ||
			    acc.len == (size_t)ra->length || zero) {
				CNT(s, read_pkg)++;
				if ((uint64_t)n > CNT(s, read_pkg_max))
					CNT(s, read_pkg_max) = (uint64_t)n;
				result = t_ok(term_binary(acc.data, acc.len));
				break;
			}
		} else if (n == 0 && stream) {
			/* OTP: end of stream is closed, a failed read. */
			CNT(s, read_fails)++;
			result = partial_error(
			    term_atom_of(A_CLOSED), acc.data, acc.len);
			break;
		} else if (n == 0) {
			CNT(s, read_pkg)++;
			result = t_ok(term_binary("", 0));
			break;
		} else if (!sockname_would_block(errno)) {
			CNT(s, read_fails)++;
			result = partial_error(
			    sockname_wait_reason(errno), acc.data, acc.len);
			break;
		} else if (zero) {
			result = t_error(term_atom_of(A_TIMEOUT));
			tried = 1;
			break;
		}
	}
	if (tried)
		sock_q_tried(s, SOCK_QREAD);
	else if (rc == 0)
		sockname_op_done(op);
	else if (rc > 0)
		result = sockname_op_select(op,
		    acc.len > 0 ? term_binary(acc.data, acc.len) : term_nil());
	else
		result = partial_error(
		    sockname_wait_reason(errno), acc.data, acc.len);
	buf_free(&acc);
	return result;
}

/*
 * recvfrom: one datagram (or one read) with its source. OTP counts it
 * as a package but leaves read_pkg_max alone.
 */
static term
do_recvfrom(struct sock *s, const struct recv_args *ra, struct sockname_op *op)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	size_t want;
	char *buf;
	ssize_t n;
	term result = term_nil();
	int rc;

	want = ra->length == 0 ? RECV_BUFSZ(s) : (size_t)ra->length;
	if (want > RECV_CHUNK_MAX)
		want = RECV_CHUNK_MAX;
	if ((buf = malloc(want ? want : 1)) == NULL)
		return t_errno(ENOMEM);
	for (rc = sockname_op_start(op); rc == 0; rc = sockname_op_wait(op)) {
		memset(&ss, 0, sizeof ss);
		slen = sizeof ss;
		CNT(s, read_tries)++;
		n = recvfrom(
		    s->fd, buf, want, ra->flags, (struct sockaddr *)&ss, &slen);
		if (n == 0 && s->type == SOCK_STREAM) {
			CNT(s, read_fails)++;
			result = t_error(term_atom_of(A_CLOSED));
			break;
		}
		if (n >= 0) {
			if ((size_t)n > want)
				n = (ssize_t)want;
			trace_bytes(s, 0, buf, (size_t)n);
			CNT(s, read_pkg)++;
			CNT(s, read_byte) += (uint64_t)n;
			if (slen > sizeof ss)
				slen = sizeof ss;
			result = t_ok(
			    term_tuple2(sa_encode((struct sockaddr *)&ss, slen),
			        term_binary(buf, (size_t)n)));
			break;
		}
		if (!sockname_would_block(errno)) {
			CNT(s, read_fails)++;
			result = t_errno(errno);
			break;
		}
		if (ra->ms == 0) {
			result = t_error(term_atom_of(A_TIMEOUT));
			break;
		}
	}
	result = sockname_op_end(op, rc, result);
	free(buf);
	return result;
}

static enum cmd_retval
recv_common(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result,
    const char *tag,
    term (*fn)(struct sock *, const struct recv_args *, struct sockname_op *))
{
	struct sockname_op op;
	struct recv_args ra;
	struct sock *s;
	size_t used;
	int rc;
	term why = term_nil();

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	rc = recv_args(ctx, argc - used, argv + used, &ra, &why);
	if (rc > 0) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	if (rc < 0)
		return cmd_arg_raise(ctx, rc, argc, argv, why, result);
	if (s != NULL) {
		sockname_op_init(
		    &op, s, SOCK_OP_RECV, ra.ms, ra.timeout, term_atom(tag));
		*result = fn(s, &ra, &op);
		sockname_op_fini(&op);
	}
	return CMD_RETURN_NORMAL;
}

static enum cmd_retval
cmd_recv_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	return recv_common(ctx, argc, argv, result, "recv", do_recv);
}

const struct cmd_entry cmd_recv_entry = {
    .name = "recv",
    .module = "socket",
    .args = {0, 4},
    .usage = "[Socket] [Length] [Flags] [Timeout]",
    .summary = "receive data (Length 0: what one read gives)",
    .complete = "socket length flags timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK | CMD_DATA_RESULT,
    .otp_arity = 4,
    .otp_defaults = "0, [], infinity",
    .exec = cmd_recv_exec,
};

static enum cmd_retval
cmd_recvfrom_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	return recv_common(ctx, argc, argv, result, "recvfrom", do_recvfrom);
}

const struct cmd_entry cmd_recvfrom_entry = {
    .name = "recvfrom",
    .module = "socket",
    .args = {0, 4},
    .usage = "[Socket] [BufSz] [Flags] [Timeout]",
    .summary = "receive a datagram and its source address",
    .complete = "socket length flags timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK | CMD_DATA_RESULT,
    .otp_arity = 4,
    .otp_defaults = "0, [], infinity",
    .exec = cmd_recvfrom_exec,
};
