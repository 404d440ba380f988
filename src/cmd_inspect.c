/*
 * Looking at sockets as OTP 25's socket module does: i/0,1,2 (socket:i's
 * table of the registered sockets, column for column), to_list/1,
 * which_socket_kind/1 and use_registry/1. Arguments OTP's guards refuse
 * raise as OTP raises them.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sock.h"
#include "sockname.h"
#include "term_print.h"
#include "util.h"

/* socket:i's columns when none are asked for. */
static const char *const i_default_keys[] = {"domain", "type", "protocol", "fd",
    "owner", "local_address", "remote_address", "recv", "sent", "state"};

/* socket.erl's fmt_state: the abbreviations of the state list. */
static const struct {
	const char *state, *abbrev;
} state_abbrevs[] = {
    {"accepting", "A"},
    {"bound", "BD"},
    {"busy", "BY"},
    {"connected", "CD"},
    {"connecting", "CG"},
    {"listen", "LN"},
    {"listening", "LG"},
    {"open", "O"},
    {"selected", "SD"},
};

/* Upper-cases an atom's name into b. */
static void
add_upper(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
}

/* A state list, "BD:LG", as fmt_states/1 writes it. */
static void
add_states(struct buf *b, term l)
{
	size_t i, k, n = term_size(l);

	for (i = 0; i < n; i++) {
		const char *name = term_atom_name(term_list_get(l, i));

		if (i > 0)
			buf_addc(b, ':');
		for (k = 0; k < NELEMS(state_abbrevs); k++)
			if (strcmp(state_abbrevs[k].state, name) == 0)
				break;
		if (k < NELEMS(state_abbrevs))
			buf_adds(b, state_abbrevs[k].abbrev);
		else
			add_upper(b, name);
	}
}

/* fmt_states/2: the read states, then the write states. */
static void
add_state_column(struct buf *b, term r, term w)
{
	if (term_size(r) == 0 && term_size(w) == 0)
		buf_addc(b, ' ');
	else if (term_size(w) == 0) {
		add_states(b, r);
		buf_adds(b, ", -");
	} else if (term_size(r) == 0) {
		buf_adds(b, " - , ");
		add_states(b, w);
	} else {
		add_states(b, r);
		buf_adds(b, " , ");
		add_states(b, w);
	}
}

/* inet_parse:ntoa/1 of an IPv6 address's eight 16-bit words. */
static void
add_ntoa6(struct buf *b, const uint16_t w[8])
{
	size_t i, best = 8, bestn = 0, at, n;
	int scope = (w[0] == 0xfe80 || w[0] == 0xff02) && w[1] != 0;
	uint16_t v[8];

	memcpy(v, w, sizeof v);
	if (scope)
		v[1] = 0;
	for (i = 0; i < 6 && v[i] == 0; i++)
		continue;
	if (i == 6 && v[6] == 0 && v[7] <= 1) {
		buf_adds(b, v[7] ? "::1" : "::");
		return;
	}
	if (i >= 5 && !scope && (i == 6 || v[5] == 0xffff)) {
		buf_addf(b, "::%s%u.%u.%u.%u", i == 6 ? "" : "ffff:", v[6] >> 8,
		    v[6] & 0xff, v[7] >> 8, v[7] & 0xff);
		return;
	}
	/* The longest run of two zeros or more, the first of equals. */
	for (i = 0; i < 8;) {
		if (v[i] != 0) {
			i++;
			continue;
		}
		for (at = i; i < 8 && v[i] == 0; i++)
			continue;
		n = i - at;
		if (n >= 2 && n > bestn) {
			best = at;
			bestn = n;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			buf_adds(b, "::");
			i += bestn - 1;
			continue;
		}
		if (i > 0 && i != best + bestn)
			buf_addc(b, ':');
		buf_addf(b, "%x", v[i]);
	}
	if (scope)
		buf_addf(b, "%%0%u", w[1]);
}

/* fmt_port/2: a port, with its service name when it has one. */
static void
add_port(struct buf *b, unsigned port, const char *proto)
{
	struct servent *se = getservbyport(htons((uint16_t)port), proto);

	if (se != NULL)
		buf_addf(b, "%s (%u)", se->s_name, port);
	else
		buf_addf(b, "%u", port);
}

/* fmt_sockaddr/2 of the socket's own or peer's address, or " ". */
static void
add_address(struct buf *b, const struct sock *s, int peer, const char *proto)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	const struct sockaddr_in *in = (const void *)&ss;
	const struct sockaddr_in6 *in6 = (const void *)&ss;
	const struct sockaddr_un *un = (const void *)&ss;
	uint16_t w[8];
	size_t i;

	memset(&ss, 0, sizeof ss);
	if ((peer ? getpeername(s->fd, (struct sockaddr *)&ss, &len)
	          : getsockname(s->fd, (struct sockaddr *)&ss, &len)) < 0) {
		buf_addc(b, ' ');
		return;
	}
	switch (ss.ss_family) {
	case AF_INET: {
		uint32_t a = ntohl(in->sin_addr.s_addr);

		if (a == 0)
			buf_addc(b, '*');
		else if (a == INADDR_LOOPBACK)
			buf_adds(b, "localhost");
		else
			buf_addf(b, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
			    (a >> 8) & 0xff, a & 0xff);
		buf_addc(b, ':');
		add_port(b, ntohs(in->sin_port), proto);
		break;
	}
	case AF_INET6:
		for (i = 0; i < 8; i++)
			w[i] = (uint16_t)(in6->sin6_addr.s6_addr[2 * i] << 8 |
			                  in6->sin6_addr.s6_addr[2 * i + 1]);
		if (IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
			buf_addc(b, '*');
		else if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			buf_adds(b, "localhost");
		else
			add_ntoa6(b, w);
		buf_addc(b, ':');
		add_port(b, ntohs(in6->sin6_port), proto);
		break;
	case AF_UNIX:
		buf_adds(b, "local:");
		if (len > offsetof(struct sockaddr_un, sun_path))
			buf_add(b, un->sun_path,
			    strnlen(un->sun_path,
			        len - offsetof(struct sockaddr_un, sun_path)));
		break;
	default:
		buf_addc(b, ' ');
		break;
	}
}

/* One cell of socket:i's table: i_socket_info/4. */
static void
add_cell(struct buf *b, struct sock *s, term info, const char *key)
{
	const term *v;
	const char *proto;

	v = term_map_get(info, "protocol");
	proto = v != NULL ? term_atom_name(*v) : "ip";
	if (strcmp(key, "domain") == 0 &&
	    (v = term_map_get(info, "domain")) != NULL)
		buf_adds(b, term_atom_name(*v));
	else if (strcmp(key, "type") == 0 &&
	         (v = term_map_get(info, "type")) != NULL)
		add_upper(b, term_atom_name(*v));
	else if (strcmp(key, "protocol") == 0)
		add_upper(b, proto);
	else if (strcmp(key, "fd") == 0)
		buf_addf(b, "%d", s->fd);
	else if (strcmp(key, "owner") == 0 &&
	         (v = term_map_get(info, "owner")) != NULL)
		print_term(b, *v, 0, 0);
	else if (strcmp(key, "local_address") == 0)
		add_address(b, s, 0, proto);
	else if (strcmp(key, "remote_address") == 0)
		add_address(b, s, 1, proto);
	else if ((strcmp(key, "recv") == 0 || strcmp(key, "sent") == 0) &&
	         (v = term_map_get(info, "counters")) != NULL &&
	         (v = term_map_get(
	              *v, key[0] == 'r' ? "read_byte" : "write_byte")) != NULL)
		print_term(b, *v, 0, 0);
	else if (strcmp(key, "state") == 0)
		add_state_column(b, *term_map_get(info, "rstates"),
		    *term_map_get(info, "wstates"));
	else
		buf_addc(b, ' ');
}

/* header_field/1: "local_address" is "Local Address". */
static void
add_header(struct buf *b, const char *key)
{
	int up = 1;

	for (; *key != '\0'; key++) {
		if (*key == '_' && key[1] != '\0') {
			buf_addc(b, ' ');
			up = 1;
			continue;
		}
		buf_addc(b,
		    up && *key >= 'a' && *key <= 'z' ? *key - 'a' + 'A' : *key);
		up = 0;
	}
}

/* do_i/2: the table, each column as wide as its widest cell, then a space. */
static void
print_table(struct sock **socks, size_t n, const char *const *keys, size_t nk)
{
	struct buf *cells;
	size_t *width, r, c, rows = n + 1;

	if (n == 0)
		return;
	cells = xreallocarray(NULL, rows * nk, sizeof *cells);
	width = xcalloc(nk, sizeof *width);
	for (r = 0; r < rows; r++) {
		term info = r > 0 ? cmd_sock_info(socks[r - 1]) : term_nil();

		for (c = 0; c < nk; c++) {
			struct buf *b = &cells[r * nk + c];

			buf_init(b);
			if (r == 0)
				add_header(b, keys[c]);
			else
				add_cell(b, socks[r - 1], info, keys[c]);
			if (b->len > width[c])
				width[c] = b->len;
		}
		term_free(info);
	}
	for (r = 0; r < rows; r++) {
		for (c = 0; c < nk; c++) {
			struct buf *b = &cells[r * nk + c];

			printf("%-*s ", (int)width[c], buf_str(b));
			buf_free(b);
		}
		putchar('\n');
	}
	free(cells);
	free(width);
}

/* The InfoKeys argument: a proper list of atoms; -1 if it is not one. */
static int
info_keys(term l, const char ***keys, size_t *n)
{
	size_t i;

	if (term_kind(l) != TERM_NIL &&
	    (term_kind(l) != TERM_LIST ||
	        term_kind(term_list_tail(l)) != TERM_NIL))
		return -1;
	*n = term_size(l);
	for (i = 0; i < *n; i++)
		if (term_kind(term_list_get(l, i)) != TERM_ATOM)
			return -1;
	*keys = xreallocarray(NULL, *n ? *n : 1, sizeof **keys);
	for (i = 0; i < *n; i++)
		(*keys)[i] = term_atom_name(term_list_get(l, i));
	return 0;
}

static enum cmd_retval
cmd_i_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct term_name *f = NULL;
	const char **keys = NULL;
	struct sock **socks;
	size_t n, nk = NELEMS(i_default_keys);
	term l = argc == 2 ? argv[1] : argc == 1 ? argv[0] : term_nil();

	(void)ctx;
	/* i(Keys), i(Filter) or i(Filter, Keys); a list is keys. */
	if (argc == 2 || (argc == 1 && term_kind(argv[0]) != TERM_LIST &&
	                     term_kind(argv[0]) != TERM_NIL)) {
		f = term_name_find(
		    cmd_which_filters, cmd_nwhich_filters, argv[0]);
		if (f == NULL)
			return cmd_raise(result, "function_clause");
	}
	if ((argc == 2 || (argc == 1 && f == NULL)) &&
	    info_keys(l, &keys, &nk) < 0)
		return cmd_raise(result, "function_clause");
	socks = cmd_which(f, &n);
	print_table(socks, n, keys != NULL ? keys : i_default_keys, nk);
	fflush(stdout);
	free(socks);
	free(keys);
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_i_entry = {
    .name = "i",
    .module = "socket",
    .args = {0, 2},
    .usage = "[Filter] [InfoKeys]",
    .summary = "print a table of the sockets, as socket:i() does",
    .complete = "which",
    .exec = cmd_i_exec,
};

static enum cmd_retval
cmd_to_list_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct buf ref, b;

	(void)ctx;
	(void)argc;
	if (!sock_is_term(argv[0]))
		return cmd_raise(result, "badarg");
	/* ref_to_list's "#Ref<...>", named "#Socket<...>". */
	buf_init(&ref);
	buf_init(&b);
	print_term(&ref, term_tuple_get(argv[0], 1), 0, 0);
	buf_adds(&b, "#Socket");
	buf_adds(&b, buf_str(&ref) + strlen("#Ref"));
	*result = term_string(buf_str(&b));
	buf_free(&ref);
	buf_free(&b);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_to_list_entry = {
    .name = "to_list",
    .module = "socket",
    .args = {1, 1},
    .usage = "Socket",
    .summary = "a socket as text: \"#Socket<...>\"",
    .complete = "socket",
    .exec = cmd_to_list_exec,
};

static enum cmd_retval
cmd_which_socket_kind_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;

	(void)ctx;
	(void)argc;
	if ((s = sock_find(argv[0])) == NULL)
		return cmd_raise(result, "badarg");
	*result = term_atom(
	    term_is_atom(s->otp.meta, A_UNDEFINED) ? "plain" : "compat");
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_which_socket_kind_entry = {
    .name = "which_socket_kind",
    .module = "socket",
    .args = {1, 1},
    .usage = "Socket",
    .summary = "plain, or compat for a socket with {otp, meta} set",
    .complete = "socket",
    .exec = cmd_which_socket_kind_exec,
};

static enum cmd_retval
cmd_use_registry_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argc;
	if (term_is_atom(argv[0], A_TRUE) || term_is_atom(argv[0], A_FALSE))
		sock_set_registry(term_is_atom(argv[0], A_TRUE));
	else
		return cmd_raise(result, "function_clause");
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_use_registry_entry = {
    .name = "use_registry",
    .module = "socket",
    .args = {1, 1},
    .usage = "true | false",
    .summary = "whether sockets opened from now on are listed by "
               "which_sockets",
    .exec = cmd_use_registry_exec,
};
