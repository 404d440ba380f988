/*
 * socket:sendfile/2..5, with a path where OTP takes a file handle
 * (esock has no file handles): the file is opened read-only here and
 * sendfile(2) sends it from Offset, Count bytes (0: to its end), with
 * OTP 25's results ({ok, BytesSent}, {error, Reason}, {error, {Reason,
 * BytesSent}} once a wait came between), nowait's {select, {SelectInfo,
 * BytesSent}}, and the counters its NIF adds to info/1. A partial nowait
 * send leaves the file with the socket (struct sock_sendfile) until a
 * continuation, sendfile(S, SelectInfo, Offset, Count, Timeout), sends
 * the rest, as OTP's socket keeps its dup of the handle. Waits take
 * their turn in the socket's write queue (sockname_op_*), as send does.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#if defined(__linux__)
#include <sys/sendfile.h>
#elif defined(__FreeBSD__) || defined(__DragonFly__) || defined(__APPLE__)
#include <sys/uio.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "sock.h"
#include "sockname.h"
#include "trace.h"
#include "util.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* OTP sends at most 0.5 GB a sendfile(2) call. */
#define SF_CHUNK ((size_t)0x20000000UL)

#define SFC(sf, c) ((sf)->counters[SOCK_SF_##c])

/*
 * One sendfile(2) of at most chunk bytes from *off, which moves on by
 * what went (*sent). Returns what the call returned (< 0: errno says
 * why; on the BSDs a would-block may have sent part).
 */
static ssize_t
sf_once(int sock, int fd, off_t *off, size_t chunk, size_t *sent)
{
#if defined(__linux__)
	off_t prev = *off;
	ssize_t res = sendfile(sock, fd, off, chunk);

	*sent = (size_t)(*off - prev);
	return res;
#elif defined(__FreeBSD__) || defined(__DragonFly__) || defined(__APPLE__)
	off_t sbytes;
	int res, e;

#if defined(__APPLE__)
	sbytes = (off_t)chunk;
	res = sendfile(fd, sock, *off, &sbytes, NULL, 0);
#else
	sbytes = 0;
	res = sendfile(fd, sock, *off, chunk, NULL, &sbytes, 0);
#endif
	e = errno;
	/* OTP trusts sbytes after an error only for these two. */
	if (res < 0 && !sockname_would_block(e))
		sbytes = 0;
	*off += sbytes;
	*sent = (size_t)sbytes;
	errno = e;
	return res;
#else
	(void)sock;
	(void)fd;
	(void)off;
	(void)chunk;
	*sent = 0;
	errno = ENOTSUP;
	return -1;
#endif
}

/*
 * One call of OTP's NIF: sendfile(2) again and again until Count bytes
 * went (count 0: until the file ends), the socket would block or an
 * error came. *n is what this call sent. Returns 0 done, 1 would block,
 * -1 with *err set. Counters as the NIF counts them: each sendfile(2),
 * each that sent something, the bytes, the most one call sent (pkg_max)
 * and the most one sendfile sent so far (max).
 */
static int
sf_call(struct sock *s, off_t off, uint64_t count, uint64_t *n, int *err)
{
	struct sock_sendfile *sf = s->sf;
	size_t chunk, sent;
	ssize_t res;
	int e;

	*n = 0;
	for (;;) {
		chunk = SF_CHUNK;
		if (count > 0 && count < chunk)
			chunk = (size_t)count;
		res = sf_once(s->fd, sf->fd, &off, chunk, &sent);
		e = res < 0 ? errno : 0;
		trace_file(s, sf->fd, off - (off_t)sent, sent);
		SFC(sf, sendfile)++;
		if (sent > 0) {
			*n += sent;
			SFC(sf, sendfile_pkg)++;
			SFC(sf, sendfile_byte) += sent;
			if (*n > SFC(sf, sendfile_pkg_max))
				SFC(sf, sendfile_pkg_max) = *n;
			sf->maxcnt += sent;
			if (sf->maxcnt > SFC(sf, sendfile_max))
				SFC(sf, sendfile_max) = sf->maxcnt;
		}
		if (count > 0) {
			count -= sent;
			if (count == 0)
				return 0;
		}
		if (res < 0) {
			if (e == EAGAIN || e == EWOULDBLOCK)
				return 1;
			if (e == EINTR)
				continue;
			*err = e;
			return -1;
		}
		if (sent == 0)
			return 0; /* the end of the file */
	}
}

/* The file a sendfile no longer needs goes. */
static void
sf_release(struct sock *s)
{
	if (s->sf->fd >= 0)
		(void)close(s->sf->fd);
	s->sf->fd = -1;
}

static term
invalid_state(void)
{
	return t_error(term_tuple2(term_atom("invalid"), term_atom("state")));
}

/*
 * Sends fd (-1: a continuation, with the file the socket kept) from off,
 * count bytes (0: all), as socket.erl's sendfile_nowait and
 * sendfile_deadline drive the NIF. file is the File argument, for the
 * select tag of a start that queues behind another writer: OTP's
 * {sendfile, FileRef}, here {sendfile, Path}, whose continuation starts
 * over. fd is consumed.
 */
static term
do_sendfile(struct sock *s, struct sockname_op *op, int fd, term file,
    off_t off, uint64_t count)
{
	int cont = fd < 0, waited = 0, rc, r, err = 0;
	uint64_t n = 0, total = 0;
	term result;

	/*
	 * OTP: one sendfile at a time (the session is the writer that has
	 * one going, so no queue comes first); a continuation needs one.
	 */
	if (cont ? s->sf == NULL || s->sf->fd < 0
	         : s->sf != NULL && s->sf->fd >= 0) {
		if (fd >= 0)
			(void)close(fd);
		return invalid_state();
	}
	if ((rc = sockname_op_start(op)) != 0) {
		if (fd >= 0)
			(void)close(fd);
		if (rc < 0)
			return t_error(sockname_wait_reason(errno));
		/* A start queued behind a writer: OTP has not begun. */
		if (!cont) {
			term_free(op->tag);
			op->tag =
			    term_tuple2(term_atom("sendfile"), term_copy(file));
			return sockname_op_select(op, term_nil());
		}
		return sockname_op_select(op, term_int(0));
	}
	if (!cont) {
		if (s->sf == NULL) {
			s->sf = xcalloc(1, sizeof *s->sf);
			s->sf->fd = -1;
		}
		s->sf->fd = fd;
		SFC(s->sf, sendfile_tries)++;
		s->sf->maxcnt = 0;
	}
	for (;;) {
		r = sf_call(s, off, count, &n, &err);
		if (r <= 0)
			break;
		/* Would block: socket.erl waits for the select message. */
		SFC(s->sf, sendfile_waits)++;
		total += n;
		off += (off_t)n;
		if (count > 0)
			count -= n;
		waited = 1;
		if ((rc = sockname_op_wait(op)) != 0)
			break;
	}
	if (r == 1 && rc > 0)
		return sockname_op_select(op, term_int((int64_t)n));
	if (r == 1) {
		/* The deadline passed; OTP keeps the file (its handle). */
		return t_error(term_tuple2(
		    sockname_wait_reason(errno), term_int((int64_t)total)));
	}
	sockname_op_done(op);
	sf_release(s);
	if (r == 0) {
		s->wacc = 0; /* OTP: writePkgMaxCnt starts over */
		return t_ok(term_int((int64_t)(total + n)));
	}
	SFC(s->sf, sendfile_fails)++;
	result = t_errno(err);
	/*
	 * socket.erl: a continuation's error after a wait carries the bytes
	 * sent before it (not those of the failed call); nowait's is plain.
	 */
	if (op->ms != SOCKNAME_NOWAIT && (cont || waited)) {
		term reason = term_copy(term_tuple_get(result, 1));

		term_free(result);
		result = t_error(term_tuple2(reason, term_int((int64_t)total)));
	}
	return result;
}

/*
 * A continuation takes the place of the request its SelectInfo names,
 * if that one still waits to be told the socket is ready, as OTP's
 * continuation overwrites the writer's registration. One already told
 * is the session's turn, which the continuation takes.
 */
static void
withdraw(struct sock *s, term handle)
{
	struct sock_req *r;

	for (r = s->qhead[SOCK_QWRITE]; r != NULL; r = r->next) {
		if (r->nowait && !r->notified && r->op == SOCK_OP_SEND &&
		    term_equal(r->handle, handle)) {
			(void)sock_q_cancel(s, SOCK_OP_SEND, handle);
			return;
		}
	}
}

/*
 * Offset: any integer that fits off_t; Count: one >= 0 that fits size_t.
 * 0, CMD_ARG_BADARG, or 1 with *result an error beyond esock's range.
 */
static int
arg_offset(term t, off_t *off, term *result)
{
	int64_t v;

	/* socket.erl's guard: an integer, or badarg. */
	if (!term_is_integer(t))
		return CMD_ARG_BADARG;
	if (term_to_int64(t, &v) < 0 || (off_t)v != v) {
		*result = t_invalid("integer_range", term_copy(t));
		return 1; /* a result, as esock's own limit */
	}
	*off = (off_t)v;
	return 0;
}

static int
arg_count(term t, uint64_t *count, term *result)
{
	const uint32_t *limbs;
	size_t nlimbs;

	if (!term_is_integer(t) ||
	    (term_kind(t) == TERM_INT ? t.u.i < 0 : term_big_sign(t) < 0))
		return CMD_ARG_BADARG;
	if (term_kind(t) == TERM_INT) {
		*count = (uint64_t)t.u.i;
		return 0;
	}
	limbs = term_big_limbs(t, &nlimbs);
	if (nlimbs > 2 || (uint64_t)SIZE_MAX < UINT64_MAX) {
		*result = t_invalid("integer_range", term_copy(t));
		return 1; /* a result, as esock's own limit */
	}
	*count =
	    (uint64_t)limbs[0] | (nlimbs > 1 ? (uint64_t)limbs[1] << 32 : 0);
	return 0;
}

/*
 * The file: opened read-only (and without waiting, should it be a FIFO
 * with no writer). A directory is eisdir, as file:open says before
 * OTP's sendfile could. Returns the descriptor, or -1 with *result set.
 */
static int
open_file(term path, term *result)
{
	struct stat st;
	struct buf b;
	int fd, err;

	buf_init(&b);
	if (cmd_arg_path(path, &b) < 0) {
		buf_free(&b);
		*result = t_invalid("file", term_copy(path));
		return -1;
	}
	fd = open(b.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	err = errno;
	buf_free(&b);
	if (fd < 0) {
		*result = t_errno(err);
		return -1;
	}
	if (fstat(fd, &st) < 0)
		err = errno;
	else if (S_ISDIR(st.st_mode))
		err = EISDIR;
	else
		return fd;
	*result = t_errno(err);
	(void)close(fd);
	return -1;
}

/*
 * sendfile([Socket,] File) | (Socket, File, Timeout) |
 * (Socket, File, Offset, Count [, Timeout]); File is a path or the
 * SelectInfo of a nowait sendfile (a continuation).
 */
static enum cmd_retval
cmd_sendfile_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const term *timeout = NULL, *argv0 = argv;
	struct sockname_op op;
	struct sock *s;
	term file, tag, why = term_nil();
	off_t off = 0;
	uint64_t count = 0;
	size_t used, argc0 = argc;
	int64_t ms = ctx->timeout_ms;
	int fd = -1, cont = 0, rc;

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	argc -= used;
	if (argc < 1 || argc > 4) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	file = argv[0];
	if (argc == 2)
		timeout = &argv[1];
	else if (argc == 4)
		timeout = &argv[3];
	/* socket.erl: Offset and Count, then the timeout; then the socket. */
	if (argc >= 3 && ((rc = arg_offset(argv[1], &off, &why)) != 0 ||
	                     (rc = arg_count(argv[2], &count, &why)) != 0)) {
		if (rc > 0) {
			cmd_drop(result);
			*result = why;
			return CMD_RETURN_NORMAL;
		}
		return cmd_arg_raise(ctx, rc, argc0, argv0, why, result);
	}
	if ((rc = cmd_arg_timeout(ctx, timeout, &ms, &why)) < 0)
		return cmd_arg_raise(ctx, rc, argc0, argv0, why, result);
	if (s == NULL)
		return CMD_RETURN_NORMAL;
	if (term_is_tagged(file, "select_info", 3)) {
		tag = term_tuple_get(file, 1);
		if (term_atom_is(tag, "sendfile"))
			cont = 1;
		else if (term_is_tagged(tag, "sendfile", 2))
			file = term_tuple_get(tag, 1);
		else {
			/* OTP returns this one rather than raising. */
			*result = t_error(
			    term_tuple2(term_atom("invalid"), term_copy(file)));
			return CMD_RETURN_NORMAL;
		}
	}
	if (!cont && (fd = open_file(file, result)) < 0)
		return CMD_RETURN_NORMAL;
	if (cont)
		withdraw(s, term_tuple_get(argv[0], 2));
	sockname_op_init(&op, s, SOCK_OP_SEND, ms,
	    timeout != NULL ? *timeout : term_nil(), term_atom("sendfile"));
	*result = do_sendfile(s, &op, fd, file, off, count);
	sockname_op_fini(&op);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_sendfile_entry = {
    .name = "sendfile",
    .module = "socket",
    .args = {1, 5},
    .usage = "[Socket] File [Offset Count] [Timeout]",
    .summary = "send a file (a path) with sendfile(2)",
    .complete = "socket file offset count timeout",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK,
    .otp_arity = 5,
    .otp_defaults = "0, 0, infinity",
    .exec = cmd_sendfile_exec,
};
