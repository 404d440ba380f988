/*
 * The command table and what reads it: lookup by exact name or alias,
 * the --help listing and `help CMD`, and reading string arguments.
 * cmd_table[] is kept sorted by name (a test checks it).
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "result.h"
#include "sockaddr.h"
#include "sockname.h"
#include "term_parse.h"
#include "util.h"

#define CMD_LIST(X)                                                            \
	X(accept)                                                              \
	X(b)                                                                   \
	X(bind)                                                                \
	X(cancel)                                                              \
	X(cancel_monitor)                                                      \
	X(close)                                                               \
	X(connect)                                                             \
	X(f)                                                                   \
	X(flush)                                                               \
	X(getaddrinfo)                                                         \
	X(gethostname)                                                         \
	X(getifaddrs)                                                          \
	X(getnameinfo)                                                         \
	X(getopt)                                                              \
	X(getopt_native)                                                       \
	X(help)                                                                \
	X(i)                                                                   \
	X(if_index2name)                                                       \
	X(if_name2index)                                                       \
	X(if_names)                                                            \
	X(info)                                                                \
	X(ioctl)                                                               \
	X(is_supported)                                                        \
	X(listen)                                                              \
	X(make_ref)                                                            \
	X(monitor)                                                             \
	X(monitored_by)                                                        \
	X(number_of)                                                           \
	X(number_of_monitors)                                                  \
	X(open)                                                                \
	X(peername)                                                            \
	X(q)                                                                   \
	X(receive)                                                             \
	X(recv)                                                                \
	X(recvfrom)                                                            \
	X(recvmsg)                                                             \
	X(relay)                                                               \
	X(scan)                                                                \
	X(send)                                                                \
	X(sendfile)                                                            \
	X(sendmsg)                                                             \
	X(sendto)                                                              \
	X(serve)                                                               \
	X(setopt)                                                              \
	X(setopt_native)                                                       \
	X(shutdown)                                                            \
	X(sleep)                                                               \
	X(sockname)                                                            \
	X(supports)                                                            \
	X(to_list)                                                             \
	X(trace)                                                               \
	X(use_registry)                                                        \
	X(which_monitors)                                                      \
	X(which_socket_kind)                                                   \
	X(which_sockets)

#define CMD_DECLARE(n) extern const struct cmd_entry cmd_##n##_entry;
CMD_LIST(CMD_DECLARE)
#undef CMD_DECLARE

#define CMD_ADDRESS(n) &cmd_##n##_entry,
const struct cmd_entry *const cmd_table[] = {CMD_LIST(CMD_ADDRESS)};
#undef CMD_ADDRESS

const size_t cmd_table_size = sizeof cmd_table / sizeof cmd_table[0];

const struct cmd_entry *
cmd_find_n(const char *name, size_t n)
{
	size_t lo = 0, hi = cmd_table_size, mid, i;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(name, cmd_table[mid]->name, n);
		if (c == 0 && cmd_table[mid]->name[n] != '\0')
			c = -1;
		if (c == 0)
			return cmd_table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	for (i = 0; i < cmd_table_size; i++) {
		const char *a = cmd_table[i]->alias;

		if (a != NULL && strncmp(a, name, n) == 0 && a[n] == '\0')
			return cmd_table[i];
	}
	return NULL;
}

const struct cmd_entry *
cmd_find_in(const char *module, const char *name)
{
	const struct cmd_entry *ce = cmd_find(name);

	if (ce != NULL && module != NULL && strcmp(ce->module, module) != 0)
		return NULL;
	return ce;
}

int
cmd_arg_timeout(
    const struct cmd_ctx *ctx, const term *t, int64_t *ms, term *why)
{
	if (t == NULL) {
		*ms = ctx->timeout_ms;
		return 0;
	}
	if (sockname_timeout(*t, ms) < 0) {
		*why = term_tuple2(term_atom_of(A_INVALID),
		    term_tuple2(term_atom_of(A_TIMEOUT), term_copy(*t)));
		return CMD_ARG_RAISE;
	}
	return 0;
}

int
cmd_arg_flags(term t, int *flags, term *why)
{
	if (!term_is_list(t))
		return CMD_ARG_BADARG;
	if (sockname_msg_flags(t, flags, why) == 0)
		return 0;
	if (term_is_atom(
	        term_tuple_get(term_tuple_get(*why, 1), 0), A_MSG_FLAG))
		return CMD_ARG_RESULT;
	return CMD_ARG_RAISE;
}

int
cmd_arg_addr(
    term t, int domain, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	if (sa_decode_arg(t, domain, ss, len, why) == 0)
		return 0;
	/* prim_socket raises for no map; the NIF returns a map's faults. */
	return term_is_record(*why, A_INVALID, 2) && term_kind(t) != TERM_MAP
	           ? CMD_ARG_RAISE
	           : CMD_ARG_RESULT;
}

enum cmd_retval
cmd_arg_raise(struct cmd_ctx *ctx, int rc, size_t argc, const term *argv,
    term why, term *result)
{
	cmd_drop(result);
	if (rc == CMD_ARG_RESULT) {
		*result = t_error(why);
		return CMD_RETURN_NORMAL;
	}
	if (rc == CMD_ARG_BADARG)
		return cmd_raise_badarg(ctx, argc, argv, result);
	return cmd_raise_reason(ctx, why, result);
}

void
cmd_drop(term *result)
{
	term_free(*result);
	*result = term_nil();
}

enum cmd_retval
cmd_raise(term *result, const char *reason)
{
	*result = term_atom(reason);
	return CMD_RETURN_RAISE;
}

/* The arity the stack shows for an error OTP raises without arguments. */
static int
otp_arity(const struct cmd_ctx *ctx, size_t argc)
{
	return ctx->entry->otp_arity > 0 ? ctx->entry->otp_arity : (int)argc;
}

enum cmd_retval
cmd_raise_badarg(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct cmd_entry *ce = ctx->entry;
	size_t i, n = argc, want = (size_t)otp_arity(ctx, argc), k;
	term defaults = term_nil(), *v;

	if (ce->otp_defaults != NULL && want > argc) {
		struct buf b;

		buf_init(&b);
		buf_addf(&b, "[%s]", ce->otp_defaults);
		if (parse_term_string(buf_str(&b), &defaults) < 0)
			fatal("%s: bad otp_defaults", ce->name);
		buf_free(&b);
	}
	k = term_size(defaults);
	v = xreallocarray(NULL, want > argc ? want : argc + 1, sizeof *v);
	for (i = 0; i < argc; i++)
		v[i] = term_copy(argv[i]);
	/* The defaults fill the last positions that were left out. */
	for (; n < want && k >= want - n; n++)
		v[n] = term_copy(term_list_get(defaults, k - (want - n)));
	term_free(ctx->raise_args);
	ctx->raise_args = term_list(n, v, term_nil());
	free(v);
	term_free(defaults);
	return cmd_raise(result, "badarg");
}

enum cmd_retval
cmd_raise_reason(struct cmd_ctx *ctx, term reason, term *result)
{
	term_free(ctx->raise_args);
	ctx->raise_args = ctx->entry->otp_arity > 0
	                      ? term_int(ctx->entry->otp_arity)
	                      : term_nil();
	*result = reason;
	return CMD_RETURN_RAISE;
}

enum cmd_retval
cmd_throw_invalid(struct cmd_ctx *ctx, const char *what, term v,
    const char *from, unsigned arity, term *result)
{
	*result = term_tuple2(term_atom_of(A_INVALID),
	    term_tuple2(term_atom(what), term_copy(v)));
	ctx->throw_from = from;
	ctx->throw_arity = arity;
	return CMD_RETURN_THROW;
}

enum cmd_retval
cmd_raise_invalid(struct cmd_ctx *ctx, const char *what, term v, term *result)
{
	return cmd_raise_reason(ctx,
	    term_tuple2(term_atom_of(A_INVALID),
	        term_tuple2(term_atom(what), term_copy(v))),
	    result);
}

const struct cmd_entry *
cmd_find(const char *name)
{
	return cmd_find_n(name, strlen(name));
}

size_t
cmd_arg_kind(const struct cmd_entry *ce, size_t n, const char **kind)
{
	const char *p = ce->complete;
	size_t len;

	if (p == NULL)
		return 0;
	for (;;) {
		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (len == 0)
			return 0;
		if (n-- == 0) {
			*kind = p;
			return len;
		}
		p += len;
	}
}

int
cmd_arg_is(const struct cmd_entry *ce, size_t n, const char *kind)
{
	const char *k;
	size_t len = cmd_arg_kind(ce, n, &k);

	return len > 0 && len == strlen(kind) && strncmp(k, kind, len) == 0;
}

int
cmd_arg_string(term t, struct buf *out)
{
	size_t start = out->len;

	if (term_kind(t) == TERM_ATOM && (term_is_atom(t, A_UNDEFINED)))
		return -1;
	if (term_text(t, out) < 0)
		return -1;
	if (memchr(out->data ? out->data + start : "", '\0',
	        out->len - start) != NULL) {
		out->len = start;
		return -1;
	}
	buf_str(out);
	return 0;
}

int
cmd_arg_path(term t, struct buf *out)
{
	const term *family, *path;

	if (term_kind(t) == TERM_MAP &&
	    (family = term_map_get(t, "family")) != NULL &&
	    term_atom_is(*family, "local") &&
	    (path = term_map_get(t, "path")) != NULL && term_size(t) == 2)
		t = *path;
	return cmd_arg_string(t, out);
}
