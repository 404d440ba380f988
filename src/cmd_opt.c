/*
 * The socket module's option commands: setopt/3,4, getopt/2,3,
 * setopt_native/3 and getopt_native/3. The option table, the value
 * codecs and OTP's errors are in opt.c; this file only takes the
 * arguments apart as socket.erl does.
 */
#include "compat.h"

#include "cmd.h"
#include "opt.h"
#include "sock.h"
#include "sockname.h"

/*
 * The socket argument, through the one resolver; *s is NULL when the
 * socket is closed, since OTP looks at the option first. Returns how
 * many arguments it took, or -1 with *result set when there is none.
 */
static int
opt_sock(size_t argc, const term *argv, struct sock **s, term *result)
{
	size_t used;

	if ((*s = sockname_sock(argc, argv, &used, result)) == NULL) {
		if (used == 0)
			return -1;
		cmd_drop(result);
	}
	return (int)used;
}

/* {Level, Opt} from the two-argument form (both borrowed). */
static term
level_opt(term level, term opt)
{
	return term_tuple2(term_copy(level), term_copy(opt));
}

/* opt_get, or the throw of prim_socket:getopt/2. */
static enum cmd_retval
get(struct cmd_ctx *ctx, struct sock *s, term opt, term *result)
{
	if (opt_throws(opt, 0))
		return cmd_throw_invalid(
		    ctx, "socket_option", opt, "getopt", 2, result);
	*result = opt_get(s, opt);
	return CMD_RETURN_NORMAL;
}

/* opt_set or opt_set_native, or the throw of prim_socket:setopt_common/4. */
static enum cmd_retval
set(struct cmd_ctx *ctx, struct sock *s, term opt, term value, int native,
    term *result)
{
	if (opt_throws(opt, native))
		return cmd_throw_invalid(
		    ctx, "socket_option", opt, "setopt_common", 4, result);
	*result =
	    native ? opt_set_native(s, opt, value) : opt_set(s, opt, value);
	return CMD_RETURN_NORMAL;
}

/*
 * getopt(S, {Level, Opt}); getopt(S, Level, Opt), which is
 * getopt_native(S, {Level, NativeOpt}, ValueSpec) when Opt is
 * {NativeOpt, ValueSpec} with an integer NativeOpt.
 */
static enum cmd_retval
cmd_getopt_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	term opt, o;
	int used;

	enum cmd_retval rv = CMD_RETURN_NORMAL;

	if ((used = opt_sock(argc, argv, &s, result)) < 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	switch (argc - (size_t)used) {
	case 1:
		rv = get(ctx, s, argv[0], result);
		break;
	case 2:
		o = argv[1];
		if (term_kind(o) == TERM_TUPLE && term_size(o) == 2 &&
		    term_is_integer(term_tuple_get(o, 0))) {
			opt = level_opt(argv[0], term_tuple_get(o, 0));
			*result = opt_get_native(s, opt, term_tuple_get(o, 1));
		} else {
			opt = level_opt(argv[0], o);
			rv = get(ctx, s, opt, result);
		}
		term_free(opt);
		break;
	default:
		return CMD_RETURN_USAGE;
	}
	return rv;
}

const struct cmd_entry cmd_getopt_entry = {
    .name = "getopt",
    .module = "socket",
    .args = {1, 3},
    .usage = "[Socket] {Level, Opt} | [Socket] Level Opt",
    .summary = "read a socket option",
    .complete = "socket level",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_getopt_exec,
};

/*
 * setopt(S, {Level, Opt}, Value); setopt(S, Level, Opt, Value), which is
 * setopt_native when Opt is an integer and Value a binary.
 */
static enum cmd_retval
cmd_setopt_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	term opt;
	int used;

	enum cmd_retval rv;

	if ((used = opt_sock(argc, argv, &s, result)) < 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	switch (argc - (size_t)used) {
	case 2:
		rv = set(ctx, s, argv[0], argv[1], 0, result);
		break;
	case 3:
		opt = level_opt(argv[0], argv[1]);
		/* OTP: is_binary(Value) goes native, a bitstring not. */
		rv = set(ctx, s, opt, argv[2],
		    term_is_integer(argv[1]) && term_is_binary(argv[2]),
		    result);
		term_free(opt);
		break;
	default:
		return CMD_RETURN_USAGE;
	}
	return rv;
}

const struct cmd_entry cmd_setopt_entry = {
    .name = "setopt",
    .module = "socket",
    .args = {2, 4},
    .usage = "[Socket] {Level, Opt} Value | [Socket] Level Opt Value",
    .summary = "set a socket option",
    .complete = "socket level",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_setopt_exec,
};

static enum cmd_retval
cmd_getopt_native_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	int used;

	(void)ctx;
	if ((used = opt_sock(argc, argv, &s, result)) < 0)
		return CMD_RETURN_NORMAL;
	if (argc - (size_t)used != 2)
		return CMD_RETURN_USAGE;
	*result = opt_get_native(s, argv[used], argv[used + 1]);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_getopt_native_entry = {
    .name = "getopt_native",
    .module = "socket",
    .args = {2, 3},
    .usage = "[Socket] {Level, Opt} integer | boolean | Size | Binary",
    .summary = "read a socket option as an integer, boolean or bytes",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_getopt_native_exec,
};

static enum cmd_retval
cmd_setopt_native_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	int used;

	if ((used = opt_sock(argc, argv, &s, result)) < 0)
		return CMD_RETURN_NORMAL;
	if (argc - (size_t)used != 2)
		return CMD_RETURN_USAGE;
	return set(ctx, s, argv[used], argv[used + 1], 1, result);
}

const struct cmd_entry cmd_setopt_native_entry = {
    .name = "setopt_native",
    .module = "socket",
    .args = {2, 3},
    .usage = "[Socket] {Level, Opt} Integer | Boolean | Binary",
    .summary = "set a socket option from an integer, boolean or bytes",
    .flags = CMD_SOCKET_OPTIONAL,
    .exec = cmd_setopt_native_exec,
};
