/*
 * The socket module's information commands, supports/0,1,2 and
 * is_supported/1,2,3, as OTP 25's socket.erl and prim_socket.erl answer
 * them: which ioctl requests and flags, options, message flags and
 * protocols this build knows, and the features sctp, ipv6, local, netns
 * and sendfile. OTP keeps each table in a map and folds over it with a
 * prepend, so a small table comes out in reverse alphabetical order; the
 * tables below are alphabetical and are walked backwards. The ioctl
 * tables are cmd_ioctl.c's.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "sockname.h"
#include "util.h"

/* The features at the end of supports/0, in OTP's order. */
#ifdef IPPROTO_SCTP
#define INFO_SCTP 1
#else
#define INFO_SCTP 0
#endif
#ifdef AF_INET6
#define INFO_IPV6 1
#else
#define INFO_IPV6 0
#endif
#ifdef AF_LOCAL
#define INFO_LOCAL 1
#else
#define INFO_LOCAL 0
#endif
#ifdef __linux__
#define INFO_NETNS 1 /* setns(2), which net.c uses */
#else
#define INFO_NETNS 0
#endif
#if defined(__linux__) || defined(__FreeBSD__) || defined(__DragonFly__) ||    \
    defined(__APPLE__)
#define INFO_SENDFILE 1
#else
#define INFO_SENDFILE 0
#endif

const struct term_name cmd_supports_features[] = {
    {INFO_SCTP, "sctp"},
    {INFO_IPV6, "ipv6"},
    {INFO_LOCAL, "local"},
    {INFO_NETNS, "netns"},
    {INFO_SENDFILE, "sendfile"},
};
const size_t cmd_nsupports_features = NELEMS(cmd_supports_features);

/* [{Name, Bool}] from an alphabetical table, last name first. */
static term
flag_list(const struct term_name *tab, size_t n)
{
	term *v = xreallocarray(NULL, n, sizeof(term)), list;
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = term_tuple2(term_atom(tab[n - 1 - i].name),
		    term_atom(tab[n - 1 - i].value != 0 ? "true" : "false"));
	list = term_list(n, v, term_nil());
	free(v);
	return list;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct term_name *)a)->name,
	    ((const struct term_name *)b)->name);
}

/* ioctl's flags are in the NIF's order; OTP's map sorts them. */
static term
ioctl_flags_list(void)
{
	struct term_name *v;
	term list;

	v = xreallocarray(NULL, cmd_nioctl_flags, sizeof *v);
	memcpy(v, cmd_ioctl_flags, cmd_nioctl_flags * sizeof *v);
	qsort(v, cmd_nioctl_flags, sizeof *v, name_cmp);
	list = flag_list(v, cmd_nioctl_flags);
	free(v);
	return list;
}

static int
ioctl_flags_has(term t)
{
	const struct term_name *f;

	f = term_name_find(cmd_ioctl_flags, cmd_nioctl_flags, t);
	return f != NULL && f->value != 0;
}

static term
msg_flags_list(void)
{
	return flag_list(sockname_msg_flag_names, sockname_nmsg_flags);
}

static int
msg_flags_has(term t)
{
	const struct term_name *f =
	    term_name_find(sockname_msg_flag_names, sockname_nmsg_flags, t);

	return f != NULL && f->value != 0;
}

/*
 * The options entry is the option table's (opt.c): every option it knows
 * as {{Level, Opt}, Bool}, those of one level as {Opt, Bool}, and whether
 * {Level, Opt} is supported (OTP: never {socket, peek_off}).
 */
static term
options_list(void)
{
	return opt_supports();
}

static term
options_of_level(term level)
{
	return opt_supports_level(level);
}

static int
options_has(term opt)
{
	return opt_is_supported(opt);
}

struct names {
	char **v;
	size_t n, cap;
};

static void
names_add(const char *name, void *arg)
{
	struct names *ns = arg;

	if (strlen(name) > TERM_ATOM_MAX)
		return; /* no atom could name it */
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 64;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	ns->v[ns->n++] = xstrdup(name);
}

static int
name_cmp_desc(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/*
 * Every name and alias in the protocols database, once each. OTP lists
 * them in the order of a large map's hash, which depends on its atom
 * table; reverse alphabetical order is the order a small map gives.
 */
static term
protocols_list(void)
{
	struct names ns = {NULL, 0, 0};
	term *v, list;
	size_t i, k = 0;

	sockname_protocol_names(names_add, &ns);
	if (ns.n > 0)
		qsort(ns.v, ns.n, sizeof *ns.v, name_cmp_desc);
	v = xreallocarray(NULL, ns.n, sizeof(term));
	for (i = 0; i < ns.n; i++)
		if (i == 0 || strcmp(ns.v[i], ns.v[i - 1]) != 0)
			v[k++] = term_tuple2(
			    term_atom(ns.v[i]), term_atom_of(A_TRUE));
	list = term_list(k, v, term_nil());
	for (i = 0; i < ns.n; i++)
		free(ns.v[i]);
	free(ns.v);
	free(v);
	return list;
}

static int
protocols_has(term t)
{
	return term_kind(t) == TERM_ATOM &&
	       getprotobyname(term_atom_name(t)) != NULL;
}

/*
 * The keys of supports/1 and is_supported/2, in supports/0's order: the
 * names in cmd_supports_keys, what each one lists and finds in key_ops.
 */
enum supports_key {
	KEY_IOCTL_REQUESTS,
	KEY_IOCTL_FLAGS,
	KEY_OPTIONS,
	KEY_MSG_FLAGS,
	KEY_PROTOCOLS
};

const struct term_name cmd_supports_keys[] = {
    {KEY_IOCTL_REQUESTS, "ioctl_requests"},
    {KEY_IOCTL_FLAGS, "ioctl_flags"},
    {KEY_OPTIONS, "options"},
    {KEY_MSG_FLAGS, "msg_flags"},
    {KEY_PROTOCOLS, "protocols"},
};
const size_t cmd_nsupports_keys = NELEMS(cmd_supports_keys);

static const struct {
	term (*list)(void);
	int (*has)(term);
} key_ops[] = {
    [KEY_IOCTL_REQUESTS] = {cmd_ioctl_requests_list, cmd_ioctl_request_listed},
    [KEY_IOCTL_FLAGS] = {ioctl_flags_list, ioctl_flags_has},
    [KEY_OPTIONS] = {options_list, options_has},
    [KEY_MSG_FLAGS] = {msg_flags_list, msg_flags_has},
    [KEY_PROTOCOLS] = {protocols_list, protocols_has},
};

/* The row of a supports key, or NULL. */
static const struct term_name *
key_find(term key)
{
	return term_name_find(cmd_supports_keys, cmd_nsupports_keys, key);
}

static term
supports_all(void)
{
	term v[NELEMS(cmd_supports_keys) + NELEMS(cmd_supports_features)];
	size_t i, n = 0;

	for (i = 0; i < NELEMS(cmd_supports_keys); i++)
		v[n++] = term_tuple2(term_atom(cmd_supports_keys[i].name),
		    key_ops[cmd_supports_keys[i].value].list());
	for (i = 0; i < NELEMS(cmd_supports_features); i++)
		v[n++] = term_tuple2(term_atom(cmd_supports_features[i].name),
		    term_atom(
		        cmd_supports_features[i].value ? "true" : "false"));
	return term_list(n, v, term_nil());
}

/*
 * supports() lists everything; supports(Key) one table, and [] for any
 * other key (the features included, as in OTP); supports(options,
 * Level) the options of one level, and [] for anything else.
 */
static enum cmd_retval
cmd_supports_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct term_name *key;

	(void)ctx;
	switch (argc) {
	case 0:
		*result = supports_all();
		break;
	case 1:
		key = key_find(argv[0]);
		*result = key != NULL ? key_ops[key->value].list() : term_nil();
		break;
	case 2:
		if (term_atom_is(argv[0], "options") &&
		    term_kind(argv[1]) == TERM_ATOM)
			*result = options_of_level(argv[1]);
		else
			*result = term_nil();
		break;
	default:
		return CMD_RETURN_USAGE;
	}
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_supports_entry = {
    .name = "supports",
    .module = "socket",
    .args = {0, 2},
    .usage = "[Key1 [Key2]]",
    .summary = "list what this build supports",
    .complete = "supports level",
    .exec = cmd_supports_exec,
};

static int
is_supported(term key1, term key2)
{
	const struct term_name *key = key_find(key1);

	return key != NULL && key_ops[key->value].has(key2);
}

/*
 * is_supported(Feature); is_supported(Table, Name); and
 * is_supported(options, Level, Opt), which OTP only takes with atoms.
 */
static enum cmd_retval
cmd_is_supported_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	static const char *const what[] = {"key", "level", "option"};
	const struct term_name *f;
	int yes, bad;

	switch (argc) {
	case 1:
		f = term_name_find(
		    cmd_supports_features, cmd_nsupports_features, argv[0]);
		yes = f != NULL && f->value != 0;
		break;
	case 2:
		/* OTP: options are {Level, Opt} pairs; nothing else is one. */
		if (term_atom_is(argv[0], "options") &&
		    !(term_kind(argv[1]) == TERM_TUPLE &&
		        term_size(argv[1]) == 2))
			yes = 0;
		else
			yes = is_supported(argv[0], argv[1]);
		break;
	case 3:
		/* socket.erl's one clause: options and two atoms. */
		bad = !term_atom_is(argv[0], "options") ? 0
		      : term_kind(argv[1]) != TERM_ATOM ? 1
		      : term_kind(argv[2]) != TERM_ATOM ? 2
		                                        : -1;
		if (bad >= 0 && ctx->strict)
			return cmd_raise(result, "function_clause");
		if (bad >= 0) {
			*result = t_invalid(what[bad], term_copy(argv[bad]));
			return CMD_RETURN_NORMAL;
		}
		{
			term opt =
			    term_tuple2(term_copy(argv[1]), term_copy(argv[2]));

			yes = options_has(opt);
			term_free(opt);
		}
		break;
	default:
		return CMD_RETURN_USAGE;
	}
	*result = term_atom(yes ? "true" : "false");
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_is_supported_entry = {
    .name = "is_supported",
    .module = "socket",
    .args = {1, 3},
    .usage = "Key1 [Key2 [Key3]]",
    .summary = "tell whether this build supports a feature or name",
    .complete = "supports level",
    .exec = cmd_is_supported_exec,
};
