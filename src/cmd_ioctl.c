/*
 * socket:ioctl/2,3,4: the network interface requests of OTP 25 (gifconf,
 * the gif* gets by interface name or index, the sif* sets), from one
 * table of requests with each one's ioctl(2) number and its encoder or
 * decoder. Results are those of OTP's NIF; its argument checks (which
 * raise badarg in socket.erl) give {error, {invalid, {What, Value}}}
 * here, as every esock command does. supports(ioctl_requests) and
 * supports(ioctl_flags) (cmd_info.c) read the same tables.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "util.h"

/*
 * Linux keeps these in <linux/if.h>, which clashes with <net/if.h>; OTP
 * knows them there. Flags a platform lacks count as 0: not supported.
 */
#ifdef __linux__
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif
#ifndef IFF_DORMANT
#define IFF_DORMANT 0x20000
#endif
#ifndef IFF_ECHO
#define IFF_ECHO 0x40000
#endif
#endif
#ifndef IFF_ALLMULTI
#define IFF_ALLMULTI 0
#endif
#ifndef IFF_AUTOMEDIA
#define IFF_AUTOMEDIA 0
#endif
#ifndef IFF_BROADCAST
#define IFF_BROADCAST 0
#endif
#ifndef IFF_CANTCONFIG
#define IFF_CANTCONFIG 0
#endif
#ifndef IFF_DEBUG
#define IFF_DEBUG 0
#endif
#ifndef IFF_DORMANT
#define IFF_DORMANT 0
#endif
#ifndef IFF_DYING
#define IFF_DYING 0
#endif
#ifndef IFF_DYNAMIC
#define IFF_DYNAMIC 0
#endif
#ifndef IFF_ECHO
#define IFF_ECHO 0
#endif
#ifndef IFF_KNOWSEPOCH
#define IFF_KNOWSEPOCH 0
#endif
#ifndef IFF_LINK0
#define IFF_LINK0 0
#endif
#ifndef IFF_LINK1
#define IFF_LINK1 0
#endif
#ifndef IFF_LINK2
#define IFF_LINK2 0
#endif
#ifndef IFF_LOOPBACK
#define IFF_LOOPBACK 0
#endif
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0
#endif
#ifndef IFF_MASTER
#define IFF_MASTER 0
#endif
#ifndef IFF_MONITOR
#define IFF_MONITOR 0
#endif
#ifndef IFF_MULTICAST
#define IFF_MULTICAST 0
#endif
#ifndef IFF_NOARP
#define IFF_NOARP 0
#endif
#ifndef IFF_NOGROUP
#define IFF_NOGROUP 0
#endif
#ifndef IFF_NOTRAILERS
#define IFF_NOTRAILERS 0
#endif
#ifndef IFF_OACTIVE
#define IFF_OACTIVE 0
#endif
#ifndef IFF_POINTOPOINT
#define IFF_POINTOPOINT 0
#endif
#ifndef IFF_PORTSEL
#define IFF_PORTSEL 0
#endif
#ifndef IFF_PPROMISC
#define IFF_PPROMISC 0
#endif
#ifndef IFF_PROMISC
#define IFF_PROMISC 0
#endif
#ifndef IFF_RENAMING
#define IFF_RENAMING 0
#endif
#ifndef IFF_RUNNING
#define IFF_RUNNING 0
#endif
#ifndef IFF_SIMPLEX
#define IFF_SIMPLEX 0
#endif
#ifndef IFF_SLAVE
#define IFF_SLAVE 0
#endif
#ifndef IFF_STATICARP
#define IFF_STATICARP 0
#endif
#ifndef IFF_UP
#define IFF_UP 0
#endif

/*
 * The interface flags in the order of OTP's NIF table, which is the
 * order gifflags lists them in (supports(ioctl_flags) sorts them).
 */
const struct term_name cmd_ioctl_flags[] = {
    {IFF_UP, "up"},
    {IFF_BROADCAST, "broadcast"},
    {IFF_DEBUG, "debug"},
    {IFF_LOOPBACK, "loopback"},
    {IFF_POINTOPOINT, "pointopoint"},
    {IFF_NOTRAILERS, "notrailers"},
    {IFF_KNOWSEPOCH, "knowsepoch"},
    {IFF_RUNNING, "running"},
    {IFF_NOARP, "noarp"},
    {IFF_PROMISC, "promisc"},
    {IFF_ALLMULTI, "allmulti"},
    {IFF_MASTER, "master"},
    {IFF_OACTIVE, "oactive"},
    {IFF_SLAVE, "slave"},
    {IFF_SIMPLEX, "simplex"},
    {IFF_MULTICAST, "multicast"},
    {IFF_LINK0, "link0"},
    {IFF_LINK1, "link1"},
    {IFF_LINK2, "link2"},
    {IFF_PORTSEL, "portsel"},
    {IFF_AUTOMEDIA, "automedia"},
    {IFF_DYNAMIC, "dynamic"},
    {IFF_CANTCONFIG, "cantconfig"},
    {IFF_LOWER_UP, "lower_up"},
    {IFF_PPROMISC, "ppromisc"},
    {IFF_DORMANT, "dormant"},
    {IFF_MONITOR, "monitor"},
    {IFF_ECHO, "echo"},
    {IFF_STATICARP, "staticarp"},
    {IFF_DYING, "dying"},
    {IFF_RENAMING, "renaming"},
    {IFF_NOGROUP, "nogroup"},
};
const size_t cmd_nioctl_flags = NELEMS(cmd_ioctl_flags);

/* gifhwaddr's family: the ARPHRD_* types OTP 25 names. */
#ifdef SIOCGIFHWADDR
static const struct term_name hw_families[] = {
#ifdef ARPHRD_NETROM
    {ARPHRD_NETROM, "netrom"},
#endif
#ifdef ARPHRD_ETHER
    {ARPHRD_ETHER, "ether"},
#endif
#ifdef ARPHRD_IEEE802
    {ARPHRD_IEEE802, "ieee802"},
#endif
#ifdef ARPHRD_DLCI
    {ARPHRD_DLCI, "dlci"},
#endif
#ifdef ARPHRD_FRELAY
    {ARPHRD_FRELAY, "frelay"},
#endif
#ifdef ARPHRD_IEEE1394
    {ARPHRD_IEEE1394, "ieee1394"},
#endif
#ifdef ARPHRD_LOOPBACK
    {ARPHRD_LOOPBACK, "loopback"},
#endif
#ifdef ARPHRD_NONE
    {ARPHRD_NONE, "none"},
#endif
    {-1, "-"}, /* keeps the table non-empty */
};
#endif

/* The index of a request, as the platform's struct ifreq calls it. */
#ifdef __linux__
#define IFR_INDEX(ifr) ((ifr)->ifr_ifindex)
#else
#define IFR_INDEX(ifr) ((ifr)->ifr_index)
#endif

/*
 * Encoders of the gets: the value the kernel left in the ifreq (zeroed
 * before the call, where OTP leaves bytes uninitialised), as {ok, V}.
 */
static term
enc_int(int v)
{
	return t_ok(term_int(v));
}

#ifdef SIOCGIFNAME
static term
enc_name(const struct ifreq *ifr)
{
	return t_ok(term_string_n(
	    ifr->ifr_name, strnlen(ifr->ifr_name, sizeof ifr->ifr_name)));
}
#endif

static term
enc_addr(const struct ifreq *ifr)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof ss);
	memcpy(&ss, &ifr->ifr_addr, sizeof ifr->ifr_ifru);
	return t_ok(sa_encode((struct sockaddr *)&ss, 0));
}

/*
 * OTP walks its flag table in order, taking each flag that is all set
 * in the short ifr_flags, and ends with the bits it did not name as one
 * integer.
 */
static term
enc_flags(const struct ifreq *ifr)
{
	short flags = ifr->ifr_flags;
	struct term_vec v = {NULL, 0, 0};
	size_t i;
	int f;

	for (i = 0; i < cmd_nioctl_flags && flags != 0; i++) {
		f = cmd_ioctl_flags[i].value;
		if (f != 0 && (flags & f) == f) {
			term_vec_push(&v, term_atom(cmd_ioctl_flags[i].name));
			flags &= ~f;
		}
	}
	if (flags != 0)
		term_vec_push(&v, term_int(flags));
	return t_ok(term_vec_list(&v, term_nil()));
}

#ifdef SIOCGIFINDEX
static term
enc_index(const struct ifreq *ifr)
{
	return enc_int(IFR_INDEX(ifr));
}
#endif

static term
enc_mtu(const struct ifreq *ifr)
{
	return enc_int(ifr->ifr_mtu);
}

#ifdef SIOCGIFTXQLEN
static term
enc_txqlen(const struct ifreq *ifr)
{
	return enc_int(ifr->ifr_qlen);
}
#endif

/* OTP: #{family => ARPHRD type, addr => the 14 bytes of sa_data}. */
#ifdef SIOCGIFHWADDR
static term
enc_hwaddr(const struct ifreq *ifr)
{
	static const char *const keys[] = {"addr", "family"};
	const struct sockaddr *sa = &ifr->ifr_hwaddr;
	term v[2];

	v[0] = term_binary(sa->sa_data, sizeof sa->sa_data);
	v[1] = term_name_or_int(
	    hw_families, NELEMS(hw_families) - 1, (int)sa->sa_family);
	return t_ok(term_map_atoms(2, keys, v));
}
#endif

#ifdef SIOCGIFMAP
static term
enc_map(const struct ifreq *ifr)
{
	static const char *const keys[] = {
	    "base_addr", "dma", "irq", "mem_end", "mem_start", "port"};
	const struct ifmap *m = &ifr->ifr_map;
	term v[NELEMS(keys)];

	v[0] = term_int(m->base_addr);
	v[1] = term_int(m->dma);
	v[2] = term_int(m->irq);
	v[3] = term_int((int64_t)m->mem_end);
	v[4] = term_int((int64_t)m->mem_start);
	v[5] = term_int(m->port);
	return t_ok(term_map_atoms(NELEMS(keys), keys, v));
}
#endif

/*
 * Decoders of the sets: the value into the ifreq. Return 0, or -1 with
 * *result set: OTP's NIF returns {invalid, What} itself (no error
 * tuple) for a value it cannot decode; socket.erl's guards (an
 * integer, a map) come first and raise badarg, here
 * {error, {invalid, {What, Value}}}.
 */
static int
dec_int(term t, const char *what, int *out, term *result)
{
	int64_t v;

	if (!term_is_integer(t)) {
		*result = t_invalid(what, term_copy(t));
		return -1;
	}
	if (term_to_int64(t, &v) < 0 || v < INT_MIN || v > INT_MAX) {
		*result = term_tuple2(term_atom("invalid"), term_atom(what));
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
dec_mtu(term t, struct ifreq *ifr, term *result)
{
	return dec_int(t, "mtu", &ifr->ifr_mtu, result);
}

#ifdef SIOCSIFTXQLEN
static int
dec_txqlen(term t, struct ifreq *ifr, term *result)
{
	return dec_int(t, "txqlen", &ifr->ifr_qlen, result);
}
#endif

/*
 * socket.erl's enc_sockaddr, which runs before anything else: it throws
 * for a map of no family, of unknown keys or with a bad path (those
 * reasons are {error, Why} here). Returns 1 with *result set then (or
 * for no map at all, socket.erl's badarg), else 0.
 */
static int
addr_throws(term t, term *result)
{
	struct sockaddr_storage ss;
	socklen_t len;
	term why;

	if (term_kind(t) != TERM_MAP) {
		*result = t_invalid("sockaddr", term_copy(t));
		return 1;
	}
	if (sa_decode(t, &ss, &len, &why) == 0)
		return 0;
	if (term_is_tagged(term_tuple_get(why, 1), "sockaddr", 2)) {
		term_free(why);
		return 0;
	}
	*result = t_error(why);
	return 1;
}

/*
 * A sockaddr map the NIF decodes, or returns {invalid, sockaddr} for.
 * The address goes where ifr_addr is, cut to the union, where OTP
 * writes a longer one past the end of its ifreq.
 */
static int
dec_addr(term t, struct ifreq *ifr, term *result)
{
	struct sockaddr_storage ss;
	socklen_t len;
	term why;

	if (sa_decode(t, &ss, &len, &why) < 0) {
		term_free(why);
		*result =
		    term_tuple2(term_atom("invalid"), term_atom("sockaddr"));
		return -1;
	}
	if (len > sizeof ifr->ifr_ifru)
		len = sizeof ifr->ifr_ifru;
	memcpy(&ifr->ifr_addr, &ss, len);
	return 0;
}

/* The kinds of request, by the arguments after the request. */
enum ioc_kind {
	IOC_CONF,  /* none */
	IOC_INDEX, /* an interface index */
	IOC_GET,   /* an interface name */
	IOC_SET,   /* a name and a value */
	IOC_FLAGS  /* a name and a map of flags (read, changed, written) */
};

/*
 * The requests of socket.erl, alphabetical. listed: in OTP 25's
 * supports(ioctl_requests); socket.erl takes sifnetmask, but its
 * prim_socket finds no number for it and says {invalid, ...}.
 */
static const struct ioc_req {
	const char *name;
	unsigned long req;
	enum ioc_kind kind;
	int listed;
	term (*enc)(const struct ifreq *);
	int (*dec)(term, struct ifreq *, term *);
} reqs[] = {
#ifdef SIOCGIFADDR
    {"gifaddr", SIOCGIFADDR, IOC_GET, 1, enc_addr, NULL},
#endif
#ifdef SIOCGIFBRDADDR
    {"gifbrdaddr", SIOCGIFBRDADDR, IOC_GET, 1, enc_addr, NULL},
#endif
#ifdef SIOCGIFCONF
    {"gifconf", SIOCGIFCONF, IOC_CONF, 1, NULL, NULL},
#endif
#ifdef SIOCGIFDSTADDR
    {"gifdstaddr", SIOCGIFDSTADDR, IOC_GET, 1, enc_addr, NULL},
#endif
#ifdef SIOCGIFFLAGS
    {"gifflags", SIOCGIFFLAGS, IOC_GET, 1, enc_flags, NULL},
#endif
#ifdef SIOCGIFHWADDR
    {"gifhwaddr", SIOCGIFHWADDR, IOC_GET, 1, enc_hwaddr, NULL},
#endif
#ifdef SIOCGIFINDEX
    {"gifindex", SIOCGIFINDEX, IOC_GET, 1, enc_index, NULL},
#endif
#ifdef SIOCGIFMAP
    {"gifmap", SIOCGIFMAP, IOC_GET, 1, enc_map, NULL},
#endif
#ifdef SIOCGIFMTU
    {"gifmtu", SIOCGIFMTU, IOC_GET, 1, enc_mtu, NULL},
#endif
#ifdef SIOCGIFNAME
    {"gifname", SIOCGIFNAME, IOC_INDEX, 1, enc_name, NULL},
#endif
#ifdef SIOCGIFNETMASK
    {"gifnetmask", SIOCGIFNETMASK, IOC_GET, 1, enc_addr, NULL},
#endif
#ifdef SIOCGIFTXQLEN
    {"giftxqlen", SIOCGIFTXQLEN, IOC_GET, 1, enc_txqlen, NULL},
#endif
#ifdef SIOCSIFADDR
    {"sifaddr", SIOCSIFADDR, IOC_SET, 1, NULL, dec_addr},
#endif
#ifdef SIOCSIFBRDADDR
    {"sifbrdaddr", SIOCSIFBRDADDR, IOC_SET, 1, NULL, dec_addr},
#endif
#ifdef SIOCSIFDSTADDR
    {"sifdstaddr", SIOCSIFDSTADDR, IOC_SET, 1, NULL, dec_addr},
#endif
#ifdef SIOCSIFFLAGS
    {"sifflags", SIOCSIFFLAGS, IOC_FLAGS, 1, NULL, NULL},
#endif
#ifdef SIOCSIFMTU
    {"sifmtu", SIOCSIFMTU, IOC_SET, 1, NULL, dec_mtu},
#endif
#ifdef SIOCSIFNETMASK
    {"sifnetmask", SIOCSIFNETMASK, IOC_SET, 0, NULL, dec_addr},
#endif
#ifdef SIOCSIFTXQLEN
    {"siftxqlen", SIOCSIFTXQLEN, IOC_SET, 1, NULL, dec_txqlen},
#endif
};

static const struct ioc_req *
find_req(term t)
{
	size_t i;

	if (term_kind(t) != TERM_ATOM)
		return NULL;
	for (i = 0; i < NELEMS(reqs); i++)
		if (strcmp(reqs[i].name, term_atom_name(t)) == 0)
			return &reqs[i];
	return NULL;
}

term
cmd_ioctl_requests_list(void)
{
	struct term_vec v = {NULL, 0, 0};
	size_t i;

	/* OTP folds its small map with a prepend: reverse alphabetical. */
	for (i = NELEMS(reqs); i-- > 0;)
		if (reqs[i].listed)
			term_vec_push(&v, term_tuple2(term_atom(reqs[i].name),
			                      term_atom("true")));
	return term_vec_list(&v, term_nil());
}

int
cmd_ioctl_request_listed(term t)
{
	const struct ioc_req *r = find_req(t);

	return r != NULL && r->listed;
}

/*
 * The interface name of a request: a string (OTP), a binary or a bare
 * atom (the shell's shorthand). OTP reads it as a C string (a NUL ends
 * it) and keeps at most IFNAMSIZ - 1 bytes; the ifreq is zeroed.
 */
static int
arg_name(term t, struct ifreq *ifr, term *result)
{
	struct buf b;
	size_t n;

	buf_init(&b);
	if (term_text(t, &b) < 0) {
		buf_free(&b);
		*result = t_invalid("name", term_copy(t));
		return -1;
	}
	n = b.len < IFNAMSIZ - 1 ? b.len : IFNAMSIZ - 1;
	if (n > 0)
		memcpy(ifr->ifr_name, b.data, n);
	buf_free(&b);
	return 0;
}

/* ioctl(2) on the socket: 0, or -1 with *result the errno's reason. */
static int
do_ioctl(const struct sock *s, unsigned long req, void *arg, term *result)
{
	if (ioctl(s->fd, req, arg) < 0) {
		*result = t_errno(errno);
		return -1;
	}
	return 0;
}

/*
 * gifconf: [#{name => Name, addr => SockAddr}], one a configured IPv4
 * address. The buffer grows until the kernel leaves room to spare, so
 * that nothing was cut off.
 */
static term
ioc_conf(const struct sock *s, const struct ioc_req *r)
{
	struct ifconf ifc;
	struct ifreq *ifr;
	struct term_vec v = {NULL, 0, 0};
	static const char *const keys[] = {"addr", "name"};
	size_t cap = 16, i, n;
	term kv[2], result;
	char *buf = NULL;

	for (;;) {
		buf = xreallocarray(buf, cap, sizeof(struct ifreq));
		memset(buf, 0, cap * sizeof(struct ifreq));
		ifc.ifc_len = (int)(cap * sizeof(struct ifreq));
		ifc.ifc_buf = buf;
		if (do_ioctl(s, r->req, &ifc, &result) < 0) {
			free(buf);
			return result;
		}
		if ((size_t)ifc.ifc_len + sizeof(struct ifreq) <=
		    cap * sizeof(struct ifreq))
			break;
		if (cap >= 65536) {
			free(buf);
			return t_errno(ENOBUFS);
		}
		cap *= 2;
	}
	n = (size_t)ifc.ifc_len / sizeof(struct ifreq);
	for (i = 0; i < n; i++) {
		ifr = (struct ifreq *)(buf + i * sizeof(struct ifreq));
		result = enc_addr(ifr);
		kv[0] = term_copy(term_tuple_get(result, 1));
		term_free(result);
		kv[1] = term_string_n(ifr->ifr_name,
		    strnlen(ifr->ifr_name, sizeof ifr->ifr_name));
		term_vec_push(&v, term_map_atoms(2, keys, kv));
	}
	free(buf);
	return t_ok(term_vec_list(&v, term_nil()));
}

#ifdef SIOCGIFNAME
/* gifname: OTP's NIF takes any int and raises badarg for the rest. */
static term
ioc_index(const struct sock *s, const struct ioc_req *r, term arg)
{
	struct ifreq ifr;
	int64_t v;
	term result;

	if (term_to_int64(arg, &v) < 0 || v < INT_MIN || v > INT_MAX)
		return t_invalid("index", term_copy(arg));
	memset(&ifr, 0, sizeof ifr);
	IFR_INDEX(&ifr) = (int)v;
	if (do_ioctl(s, r->req, &ifr, &result) < 0)
		return result;
	return r->enc(&ifr);
}
#endif

static term
ioc_get(const struct sock *s, const struct ioc_req *r, term name)
{
	struct ifreq ifr;
	term result;

	memset(&ifr, 0, sizeof ifr);
	if (arg_name(name, &ifr, &result) < 0 ||
	    do_ioctl(s, r->req, &ifr, &result) < 0)
		return result;
	return r->enc(&ifr);
}

static term
ioc_set(const struct sock *s, const struct ioc_req *r, term name, term value)
{
	struct ifreq ifr;
	term result;

	memset(&ifr, 0, sizeof ifr);
	if (arg_name(name, &ifr, &result) < 0 ||
	    r->dec(value, &ifr, &result) < 0 ||
	    do_ioctl(s, r->req, &ifr, &result) < 0)
		return result;
	return term_atom("ok");
}

/*
 * The new flags of sifflags: each Flag => true sets, => false clears.
 * Returns 0, or -1 with *result the reason prim_socket's
 * enc_ioctl_flags builds for the first bad entry in key order,
 * {invalid, {ioctl_flag, Flag | {Flag, Value}}}. OTP 25 hands that
 * error tuple to its NIF as if it were the map, and what comes back
 * depends on uninitialised memory (ok or badarg): esock returns it.
 */
static int
new_flags(term map, short *flags, term *result)
{
	const struct term_name *row;
	int f = *flags;
	size_t i;
	term k, v;

	for (i = 0; i < term_size(map); i++) {
		k = term_map_key(map, i);
		v = term_map_value(map, i);
		row = term_name_find(cmd_ioctl_flags, cmd_nioctl_flags, k);
		if (row == NULL) {
			*result = t_invalid("ioctl_flag", term_copy(k));
			return -1;
		}
		if (term_atom_is(v, "true"))
			f |= row->value;
		else if (term_atom_is(v, "false"))
			f &= ~row->value;
		else {
			*result = t_invalid("ioctl_flag",
			    term_tuple2(term_copy(k), term_copy(v)));
			return -1;
		}
	}
	*flags = (short)f;
	return 0;
}

/* sifflags reads the flags first, as OTP's NIF does. */
static term
ioc_flags(const struct sock *s, const struct ioc_req *r, term name, term map)
{
	struct ifreq ifr;
	term result;

	if (term_kind(map) != TERM_MAP)
		return t_invalid("flags", term_copy(map));
	memset(&ifr, 0, sizeof ifr);
	if (arg_name(name, &ifr, &result) < 0)
		return result;
	/* prim_socket encodes the map before its NIF does anything. */
	if (new_flags(map, &ifr.ifr_flags, &result) < 0)
		return result;
	if (do_ioctl(s, SIOCGIFFLAGS, &ifr, &result) < 0 ||
	    new_flags(map, &ifr.ifr_flags, &result) < 0 ||
	    do_ioctl(s, r->req, &ifr, &result) < 0)
		return result;
	return term_atom("ok");
}

/* A proper list of bytes, as the NIF reads a name (or raises badarg). */
static int
latin1_list(term t)
{
	size_t i, n = term_size(t);

	if (term_kind(t) == TERM_NIL)
		return 1;
	if (term_kind(t) != TERM_LIST ||
	    term_kind(term_list_tail(t)) != TERM_NIL)
		return 0;
	for (i = 0; i < n; i++) {
		term c = term_list_get(t, i);

		if (term_kind(c) != TERM_INT || c.u.i < 0 || c.u.i > 255)
			return 0;
	}
	return 1;
}

/*
 * socket.erl's guards: gifname an integer index, the others a name that
 * is a list, sif*addr and sifflags a map, sifmtu and siftxqlen an
 * integer.
 */
static int
guard_ok(const struct cmd_ctx *ctx, const struct ioc_req *r, size_t argc,
    const term *argv)
{
	int name_ok;
	int64_t v;

	if (argc < 2)
		return 1;
	/* gifname: OTP's NIF takes an int, and raises for a bigger one. */
	if (r->kind == IOC_INDEX)
		return term_to_int64(argv[1], &v) == 0 && v >= INT_MIN &&
		       v <= INT_MAX;
	/* The short forms also take a name as an atom or a binary. */
	name_ok = latin1_list(argv[1]) ||
	          (!ctx->strict && (term_kind(argv[1]) == TERM_ATOM ||
	                               term_is_binary(argv[1])));
	if (!name_ok || argc < 3)
		return name_ok;
	if (r->kind == IOC_FLAGS || r->dec == dec_addr)
		return term_kind(argv[2]) == TERM_MAP;
	return term_is_integer(argv[2]);
}

/*
 * ioctl([Socket,] Request [, NameOrIndex [, Value]]): socket.erl takes
 * each request with its own number of arguments only.
 */
static enum cmd_retval
cmd_ioctl_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	static const enum ioc_kind kinds[][2] = {
	    {IOC_CONF, IOC_CONF}, {IOC_INDEX, IOC_GET}, {IOC_SET, IOC_FLAGS}};
	const struct ioc_req *r;
	const term *argv0 = argv;
	struct sock *s;
	size_t used, argc0 = argc;

	s = sockname_sock(argc, argv, &used, result);
	if (s == NULL && used == 0)
		return CMD_RETURN_NORMAL;
	argv += used;
	argc -= used;
	if (argc < 1 || argc > 3) {
		cmd_drop(result);
		return CMD_RETURN_USAGE;
	}
	r = find_req(argv[0]);
	/* socket.erl's clauses: each request with its arity and types. */
	if (r == NULL ||
	    (r->kind != kinds[argc - 1][0] && r->kind != kinds[argc - 1][1]) ||
	    !guard_ok(ctx, r, argc, argv)) {
		cmd_drop(result);
		return cmd_raise_badarg(ctx, argc0, argv0, result);
	}
	if (s == NULL)
		return CMD_RETURN_NORMAL;
	/* socket.erl's enc_sockaddr comes before prim_socket's table. */
	if (r->dec == dec_addr && addr_throws(argv[2], result))
		return CMD_RETURN_NORMAL;
	if (!r->listed) {
		*result = t_invalid("ioctl_request", term_copy(argv[0]));
		return CMD_RETURN_NORMAL;
	}
	switch (r->kind) {
	case IOC_CONF:
		*result = ioc_conf(s, r);
		break;
	case IOC_INDEX:
#ifdef SIOCGIFNAME
		*result = ioc_index(s, r, argv[1]);
#endif
		break;
	case IOC_GET:
		*result = ioc_get(s, r, argv[1]);
		break;
	case IOC_SET:
		*result = ioc_set(s, r, argv[1], argv[2]);
		break;
	case IOC_FLAGS:
		*result = ioc_flags(s, r, argv[1], argv[2]);
		break;
	}
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_ioctl_entry = {
    .name = "ioctl",
    .module = "socket",
    .args = {1, 4},
    .usage = "[Socket] Request [NameOrIndex [Value]]",
    .summary = "get or set a network interface's settings",
    .complete = "socket ioctl_request name value",
    .flags = CMD_SOCKET_OPTIONAL,
    .otp_arity = 0,
    .exec = cmd_ioctl_exec,
};
