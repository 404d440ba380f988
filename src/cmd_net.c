/*
 * The net module's commands: gethostname, getaddrinfo, getnameinfo,
 * getifaddrs (alias ifaddrs), if_names, if_name2index, if_index2name.
 * Each exec turns its arguments into C values and leaves the work and
 * the result to net.c. Called as net:Name(...), a wrong type raises
 * as OTP 25's net.erl does (function_clause where its guards fail,
 * badarg where the NIF refuses); the short forms answer it with {error,
 * {invalid, {What, Value}}} and take esock's shorthands (an atom for a
 * string, a port number for a service, an address for a host).
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <netinet/in.h>
#include <limits.h>

#include "cmd.h"
#include "net.h"
#include "sockaddr.h"
#include "util.h"

/* The atom undefined, which OTP's net functions take for "no value". */
static int
is_undefined(term t)
{
	return term_is_atom(t, A_UNDEFINED);
}

/*
 * A host: a string, or an inet or inet6 address, which is what a word
 * such as 127.0.0.1 or [::1]:80 scans as; its port, when not 0, goes to
 * *port. Returns 0 or -1.
 */
static int
arg_host(term t, struct buf *b, int *port)
{
	char host[NI_MAXHOST];
	struct sockaddr_storage ss;
	socklen_t len;
	term why;

	*port = 0;
	if (term_kind(t) != TERM_MAP)
		return cmd_arg_string(t, b);
	if (sa_decode(t, &ss, &len, &why) < 0) {
		term_free(why);
		return -1;
	}
	if ((ss.ss_family != AF_INET && ss.ss_family != AF_INET6) ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, NULL, 0,
	        NI_NUMERICHOST) != 0)
		return -1;
	*port = ntohs(ss.ss_family == AF_INET
	                  ? ((struct sockaddr_in *)&ss)->sin_port
	                  : ((struct sockaddr_in6 *)&ss)->sin6_port);
	buf_adds(b, host);
	buf_str(b);
	return 0;
}

/* OTP's is_list/1, or the atom undefined where it may stand. */
static int
is_list_or(term t, int undefined_too)
{
	return term_kind(t) == TERM_LIST || term_kind(t) == TERM_NIL ||
	       (undefined_too && is_undefined(t));
}

/* A service: a string, or (esock's shorthand) a port number. */
static int
arg_service(term t, struct buf *b)
{
	int64_t port;

	if (term_to_int64(t, &port) == 0) {
		if (port < 0 || port > 65535)
			return -1;
		buf_addf(b, "%lld", (long long)port);
		buf_str(b);
		return 0;
	}
	return cmd_arg_string(t, b);
}

static enum cmd_retval
cmd_gethostname_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return CMD_RETURN_USAGE;
	*result = net_gethostname();
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_gethostname_entry = {
    .name = "gethostname",
    .module = "net",
    .args = {0, 0},
    .usage = "",
    .summary = "the name of this host",
    .exec = cmd_gethostname_exec,
};

static enum cmd_retval
cmd_getaddrinfo_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct buf host, serv;
	int have_host, have_serv, bad_host, bad_serv, port = 0;
	enum cmd_retval rv = CMD_RETURN_NORMAL;

	if (argc < 1 || argc > 2)
		return CMD_RETURN_USAGE;
	/* net.erl's guards: a string host, or undefined beside a service. */
	if (ctx->strict &&
	    (argc == 1 ? !is_list_or(argv[0], 0)
	               : !is_list_or(argv[0], 1) || !is_list_or(argv[1], 1) ||
	                     (is_undefined(argv[0]) && is_undefined(argv[1]))))
		return cmd_raise(result, "function_clause");
	buf_init(&host);
	buf_init(&serv);
	have_host = !is_undefined(argv[0]);
	have_serv = argc > 1 && !is_undefined(argv[1]);
	/* OTP: getaddrinfo/1 needs a host, getaddrinfo/2 one of the two. */
	bad_host = (!have_host && (argc == 1 || !have_serv)) ||
	           (have_host && arg_host(argv[0], &host, &port) < 0);
	bad_serv = !bad_host && have_serv && arg_service(argv[1], &serv) < 0;
	if ((bad_host || bad_serv) && ctx->strict)
		/* A list the NIF cannot read as a string. */
		rv = cmd_raise(result, "badarg");
	else if (bad_host)
		*result = t_invalid("host", term_copy(argv[0]));
	else if (bad_serv)
		*result = t_invalid("service", term_copy(argv[1]));
	else if (!have_serv && port != 0) {
		/* 127.0.0.1:80 alone: the port is the service. */
		buf_addf(&serv, "%d", port);
		*result = net_getaddrinfo(buf_str(&host), buf_str(&serv));
	} else
		*result = net_getaddrinfo(have_host ? buf_str(&host) : NULL,
		    have_serv ? buf_str(&serv) : NULL);
	buf_free(&host);
	buf_free(&serv);
	return rv;
}

const struct cmd_entry cmd_getaddrinfo_entry = {
    .name = "getaddrinfo",
    .module = "net",
    .args = {1, 2},
    .usage = "Host [Service]",
    .summary = "translate a host and service name to socket addresses",
    .flags = CMD_STRING_ARGS,
    .exec = cmd_getaddrinfo_exec,
};

static enum cmd_retval
cmd_getnameinfo_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	if (argc < 1 || argc > 2)
		return CMD_RETURN_USAGE;
	if (ctx->strict && (term_kind(argv[0]) != TERM_MAP ||
	                       (argc > 1 && !is_list_or(argv[1], 1))))
		return cmd_raise(result, "function_clause");
	*result = net_getnameinfo(
	    argv[0], argc > 1 ? argv[1] : term_atom_of(A_UNDEFINED));
	/* OTP's NIF: a flag it does not know is badarg. */
	if (ctx->strict && term_is_record(*result, A_ERROR, 2) &&
	    term_is_record(term_tuple_get(*result, 1), A_INVALID, 2) &&
	    term_is_tagged(term_tuple_get(term_tuple_get(*result, 1), 1),
	        "name_info_flag", 2)) {
		cmd_drop(result);
		return cmd_raise(result, "badarg");
	}
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_getnameinfo_entry = {
    .name = "getnameinfo",
    .module = "net",
    .args = {1, 2},
    .usage = "SockAddr [Flags]",
    .summary = "translate a socket address to a host and service name",
    .complete = "addr name_info_flags",
    .exec = cmd_getnameinfo_exec,
};

/* A Filter net.erl's guards let through: a map, a fun/1, or a family. */
static int
filter_ok(term f)
{
	static const char *const families[] = {
	    "default", "inet", "inet6", "packet", "all"};
	size_t i;

	if (term_kind(f) == TERM_MAP)
		return 1;
	if (term_kind(f) == TERM_FUN)
		return term_fun_arity(f) == 1;
	for (i = 0; i < NELEMS(families); i++)
		if (term_atom_is(f, families[i]))
			return 1;
	return 0;
}

/*
 * getifaddrs(), getifaddrs(Filter | Namespace), getifaddrs(Filter,
 * Namespace). Alone, a string (or a /path word) is a namespace path, as
 * in net:getifaddrs/1, and anything else a filter.
 */
static enum cmd_retval
cmd_getifaddrs_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	term filter = term_atom("default"), ns = term_nil();
	int have_ns = 0;
	struct buf b;

	if (argc > 2)
		return CMD_RETURN_USAGE;
	if (ctx->strict && argc > 0 && !(argc == 1 && is_list_or(argv[0], 0)) &&
	    (!filter_ok(argv[0]) || (argc == 2 && !is_list_or(argv[1], 0))))
		return cmd_raise(result, "function_clause");
	buf_init(&b);
	if (argc == 2) {
		filter = argv[0];
		ns = argv[1];
		have_ns = 1;
	} else if (argc == 1) {
		switch (term_kind(argv[0])) {
		case TERM_LIST:
		case TERM_NIL:
		case TERM_BINARY:
			have_ns = 1;
			break;
		case TERM_MAP:
			have_ns = cmd_arg_path(argv[0], &b) == 0;
			buf_reset(&b);
			break;
		default:
			break;
		}
		if (have_ns)
			ns = argv[0];
		else
			filter = argv[0];
	}
	if (have_ns && cmd_arg_path(ns, &b) < 0)
		*result = t_invalid("namespace", term_copy(ns));
	else
		*result = net_getifaddrs(filter, have_ns ? buf_str(&b) : NULL);
	buf_free(&b);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_getifaddrs_entry = {
    .name = "getifaddrs",
    .alias = "ifaddrs",
    .module = "net",
    .args = {0, 2},
    .usage = "[Filter] [Namespace]",
    .summary = "list the interfaces and their addresses",
    .complete = "filter",
    .exec = cmd_getifaddrs_exec,
};

static enum cmd_retval
cmd_if_names_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return CMD_RETURN_USAGE;
	*result = net_if_names();
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_if_names_entry = {
    .name = "if_names",
    .module = "net",
    .args = {0, 0},
    .usage = "",
    .summary = "list the interface indexes and names",
    .exec = cmd_if_names_exec,
};

static enum cmd_retval
cmd_if_name2index_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct buf b;

	if (argc != 1)
		return CMD_RETURN_USAGE;
	if (ctx->strict && !is_list_or(argv[0], 0))
		return cmd_raise(result, "function_clause");
	buf_init(&b);
	if (cmd_arg_string(argv[0], &b) == 0)
		*result = net_if_name2index(buf_str(&b));
	else if (term_kind(argv[0]) == TERM_LIST)
		/* OTP: a list the NIF cannot read as latin1 is einval. */
		*result = t_error(term_atom("einval"));
	else
		*result = t_invalid("name", term_copy(argv[0]));
	buf_free(&b);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_if_name2index_entry = {
    .name = "if_name2index",
    .module = "net",
    .args = {1, 1},
    .usage = "Name",
    .summary = "the index of a network interface",
    .flags = CMD_STRING_ARGS,
    .exec = cmd_if_name2index_exec,
};

static enum cmd_retval
cmd_if_index2name_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	int64_t idx;

	if (argc != 1)
		return CMD_RETURN_USAGE;
	/* OTP: no integer fails the guard; one out of 32 bits is badarg. */
	if (ctx->strict && !term_is_integer(argv[0]))
		return cmd_raise(result, "function_clause");
	if (term_to_int64(argv[0], &idx) < 0 || idx < 0 || idx > UINT_MAX) {
		if (ctx->strict)
			return cmd_raise(result, "badarg");
		*result = t_invalid("index", term_copy(argv[0]));
	} else
		*result = net_if_index2name((unsigned int)idx);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_if_index2name_entry = {
    .name = "if_index2name",
    .module = "net",
    .args = {1, 1},
    .usage = "Index",
    .summary = "the name of a network interface index",
    .exec = cmd_if_index2name_exec,
};
