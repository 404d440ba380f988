/*
 * The net module, shaped after OTP 25's net.erl, prim_net.erl and
 * prim_net_nif.c: results, their order and their error reasons are
 * OTP's. Arguments arrive already taken apart by cmd_net.c where they
 * are plain strings or numbers; the structured ones (sockaddr maps,
 * flag lists, getifaddrs filters) are checked here.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netdb.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sched.h>
#define HAVE_SETNS 1
#endif

#include "result.h"
#include "errnames.h"
#include "net.h"
#include "sockaddr.h"
#include "util.h"

/* OTP: prim_net_nif.c's HOSTNAME_LEN and SERVICE_LEN. */
#define NET_HOST_LEN 256
#define NET_SERV_LEN 256

/* Interface flags in the order prim_net_nif.c lists them. */
static const struct term_name if_flags[] = {
#ifdef IFF_UP
    {IFF_UP, "up"},
#endif
#ifdef IFF_BROADCAST
    {IFF_BROADCAST, "broadcast"},
#endif
#ifdef IFF_DEBUG
    {IFF_DEBUG, "debug"},
#endif
#ifdef IFF_LOOPBACK
    {IFF_LOOPBACK, "loopback"},
#endif
#ifdef IFF_POINTOPOINT
    {IFF_POINTOPOINT, "pointopoint"},
#endif
#ifdef IFF_NOTRAILERS
    {IFF_NOTRAILERS, "notrailers"},
#endif
#ifdef IFF_RUNNING
    {IFF_RUNNING, "running"},
#endif
#ifdef IFF_NOARP
    {IFF_NOARP, "noarp"},
#endif
#ifdef IFF_PROMISC
    {IFF_PROMISC, "promisc"},
#endif
#ifdef IFF_MASTER
    {IFF_MASTER, "master"},
#endif
#ifdef IFF_SLAVE
    {IFF_SLAVE, "slave"},
#endif
#ifdef IFF_MULTICAST
    {IFF_MULTICAST, "multicast"},
#endif
#ifdef IFF_PORTSEL
    {IFF_PORTSEL, "portsel"},
#endif
#ifdef IFF_AUTOMEDIA
    {IFF_AUTOMEDIA, "automedia"},
#endif
#ifdef IFF_DYNAMIC
    {IFF_DYNAMIC, "dynamic"},
#endif
};

/* getnameinfo/2 flags, name_info_flag() and name_info_flag_ext(). */
const struct term_name net_name_info_flags[] = {
    {NI_NAMEREQD, "namereqd"},
    {NI_DGRAM, "dgram"},
    {NI_NOFQDN, "nofqdn"},
    {NI_NUMERICHOST, "numerichost"},
    {NI_NUMERICSERV, "numericserv"},
#ifdef NI_IDN
    {NI_IDN, "idn"},
#endif
};
const size_t net_nname_info_flags = NELEMS(net_name_info_flags);

static const struct term_name families[] = {
    {AF_INET, "inet"},
    {AF_INET6, "inet6"},
    {AF_LOCAL, "local"},
    {AF_UNSPEC, "unspec"},
};

/* OTP: a socket type of 0 in an address_info() is any. */
static const struct term_name socktypes[] = {
    {0, "any"},
    {SOCK_STREAM, "stream"},
    {SOCK_DGRAM, "dgram"},
    {SOCK_RAW, "raw"},
#ifdef SOCK_SEQPACKET
    {SOCK_SEQPACKET, "seqpacket"},
#endif
#ifdef SOCK_RDM
    {SOCK_RDM, "rdm"},
#endif
};

/*
 * getifaddrs filter families: each filter's value is the set of address
 * families it keeps, 0 for every entry (with an address or not).
 */
#define IF_INET 0x1
#define IF_INET6 0x2
#define IF_PACKET 0x4

const struct term_name net_ifaddrs_filters[] = {
    {IF_INET | IF_INET6, "default"},
    {IF_INET, "inet"},
    {IF_INET6, "inet6"},
    {IF_PACKET, "packet"},
    {0, "all"},
};
const size_t net_nifaddrs_filters = NELEMS(net_ifaddrs_filters);

/* The family atoms of an address, as filter bits. */
static const struct term_name if_families[] = {
    {IF_INET, "inet"},
    {IF_INET6, "inet6"},
    {IF_PACKET, "packet"},
};

term
net_gethostname(void)
{
	char buf[NET_HOST_LEN];

	if (gethostname(buf, sizeof buf) < 0)
		return t_errno(errno);
	buf[sizeof buf - 1] = '\0';
	return t_ok(term_string(buf));
}

/* OTP: protocol numbers are named after /etc/protocols when they can be. */
static term
protocol_term(int proto)
{
	struct protoent *pe = getprotobynumber(proto);

	return pe != NULL ? term_atom(pe->p_name) : term_int(proto);
}

static term
address_info(const struct addrinfo *ai)
{
	static const char *const names[] = {
	    "family", "type", "protocol", "addr"};
	term v[4];

	v[0] = term_name_or_int(families, NELEMS(families), ai->ai_family);
	v[1] = term_name_or_int(socktypes, NELEMS(socktypes), ai->ai_socktype);
	v[2] = protocol_term(ai->ai_protocol);
	v[3] = sa_encode(ai->ai_addr, ai->ai_addrlen);
	return term_map_atoms(4, names, v);
}

term
net_getaddrinfo(const char *host, const char *service)
{
	struct addrinfo *res, *ai;
	term *v, list;
	size_t n = 0;
	int rc;

	/* OTP passes no hints: glibc then uses AI_V4MAPPED|AI_ADDRCONFIG. */
	if ((rc = getaddrinfo(host, service, NULL, &res)) != 0)
		return t_error(err_eai(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next)
		n++;
	v = xreallocarray(NULL, n, sizeof(term));
	n = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		v[n++] = address_info(ai);
	freeaddrinfo(res);
	list = term_list(n, v, term_nil());
	free(v);
	return t_ok(list);
}

/*
 * What getnameinfo/2 makes of a sa_decode() reason (consumed): the NIF's
 * {invalid, {sockaddr, X}} is einval, enc_sockaddr/1's throws come back
 * bare, and any other reason is an error as usual.
 */
static term
decode_error(term why)
{
	term inner;

	if (!term_is_record(why, A_INVALID, 2))
		return t_error(why);
	inner = term_tuple_get(why, 1);
	if (term_is_tagged(inner, "sockaddr", 2)) {
		term_free(why);
		return t_error(term_atom("einval"));
	}
	return why;
}

/*
 * The checks happen in OTP's order: net.erl's guards, then
 * prim_socket:enc_sockaddr/1 (whose throw prim_net returns as it is, not
 * inside an error tuple), then the NIF's decoding (einval) and the
 * flags (badarg, here an invalid-flag error).
 */
term
net_getnameinfo(term sockaddr, term flags)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char host[NET_HOST_LEN], serv[NET_SERV_LEN];
	static const char *const names[] = {"host", "service"};
	term why, v[2];
	size_t i, n;
	int fl = 0, rc;

	if (term_kind(sockaddr) != TERM_MAP)
		return t_invalid("sockaddr", term_copy(sockaddr));
	if (!term_is_atom(flags, A_UNDEFINED) &&
	    term_kind(flags) != TERM_LIST && term_kind(flags) != TERM_NIL)
		return t_invalid("name_info_flags", term_copy(flags));
	if (sa_decode(sockaddr, &ss, &len, &why) < 0)
		return decode_error(why);
	/* OTP: the NIF stops at an improper tail and ignores it. */
	n = term_size(flags);
	for (i = 0; i < n; i++) {
		term f = term_list_get(flags, i);
		const struct term_name *row = term_name_find(
		    net_name_info_flags, net_nname_info_flags, f);

		if (row == NULL)
			return t_invalid("name_info_flag", term_copy(f));
		fl |= row->value;
	}
	rc = getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, serv,
	    sizeof serv, fl);
	if (rc == EAI_SYSTEM)
		return t_errno(errno);
	if (rc != 0)
		return t_error(err_eai(rc));
	v[0] = term_string(host);
	v[1] = term_string(serv);
	return t_ok(term_map_atoms(2, names, v));
}

static term
if_flags_list(unsigned int flags)
{
	term v[NELEMS(if_flags)];
	size_t i, n = 0;

	for (i = 0; i < NELEMS(if_flags); i++)
		if (flags & (unsigned int)if_flags[i].value)
			v[n++] = term_atom(if_flags[i].name);
	return term_list(n, v, term_nil());
}

/*
 * One #{name, flags, addr, netmask, broadaddr | dstaddr} entry; a field
 * the kernel leaves empty is left out, as prim_net_nif.c does.
 */
static term
ifaddrs_entry(const struct ifaddrs *ifa)
{
	struct sockaddr_storage tmp;
	term keys[5], vals[5];
	size_t n = 0;

	keys[n] = term_atom("name");
	vals[n++] = ifa->ifa_name != NULL ? term_string(ifa->ifa_name)
	                                  : term_atom_of(A_UNDEFINED);
	keys[n] = term_atom("flags");
	vals[n++] = if_flags_list(ifa->ifa_flags);
	if (ifa->ifa_addr != NULL) {
		keys[n] = term_atom("addr");
		vals[n++] = sa_encode(ifa->ifa_addr, 0);
	}
	if (ifa->ifa_netmask != NULL) {
		const struct sockaddr *mask = ifa->ifa_netmask;

		/* OTP: an inet address's AF_UNSPEC netmask (OpenBSD) is inet.
		 */
		if (ifa->ifa_addr != NULL &&
		    ifa->ifa_addr->sa_family == AF_INET &&
		    mask->sa_family == AF_UNSPEC) {
			memset(&tmp, 0, sizeof tmp);
			memcpy(&tmp, mask, sizeof(struct sockaddr_in));
			tmp.ss_family = AF_INET;
			mask = (const struct sockaddr *)&tmp;
		}
		keys[n] = term_atom("netmask");
		vals[n++] = sa_encode(mask, 0);
	}
	if (ifa->ifa_dstaddr != NULL && (ifa->ifa_flags & IFF_POINTOPOINT)) {
		const struct sockaddr *dst = ifa->ifa_dstaddr;

		/* OTP: likewise for a point-to-point peer's address. */
		if (dst->sa_family == AF_UNSPEC) {
			memset(&tmp, 0, sizeof tmp);
			memcpy(&tmp, dst, sizeof(struct sockaddr_in));
			tmp.ss_family = AF_INET;
			dst = (const struct sockaddr *)&tmp;
		}
		keys[n] = term_atom("dstaddr");
		vals[n++] = sa_encode(dst, 0);
	} else if (ifa->ifa_broadaddr != NULL &&
	           (ifa->ifa_flags & IFF_BROADCAST)) {
		keys[n] = term_atom("broadaddr");
		vals[n++] = sa_encode(ifa->ifa_broadaddr, 0);
	}
	return term_map(n, keys, vals);
}

/*
 * OTP: FilterFlags -- Flags =:= [], so each filter flag must be matched
 * by a flag of its own. Returns 1 or 0, or -1 when the filter flags are
 * not a proper list (badarg in OTP, which only finds out here).
 */
static int
flags_match(term want, term have)
{
	size_t i, j, nw, nh = term_size(have);
	char used[NELEMS(if_flags) + 1];

	if (term_atom_is(want, "any"))
		return 1;
	if (term_kind(want) == TERM_NIL)
		return 1;
	if (term_kind(want) != TERM_LIST ||
	    term_kind(term_list_tail(want)) != TERM_NIL)
		return -1;
	memset(used, 0, sizeof used);
	nw = term_size(want);
	for (i = 0; i < nw; i++) {
		for (j = 0; j < nh && j < sizeof used; j++)
			if (!used[j] && term_equal(term_list_get(want, i),
			                    term_list_get(have, j)))
				break;
		if (j == nh || j == sizeof used)
			return 0;
		used[j] = 1;
	}
	return 1;
}

/*
 * OTP's getifaddrs_filter/2 for the filter f (NULL: one that names no
 * family, which keeps nothing): 1 to keep, 0 to drop, -1 on bad flags.
 */
static int
filter_entry(const struct term_name *f, term fflags, term entry)
{
	const struct term_name *fam;
	const term *addr, *family;

	if (f == NULL)
		return 0;
	if (f->value != 0) {
		if ((addr = term_map_get(entry, "addr")) == NULL ||
		    (family = term_map_get(*addr, "family")) == NULL)
			return 0;
		fam = term_name_find(if_families, NELEMS(if_families), *family);
		if (fam == NULL || !(f->value & fam->value))
			return 0;
	}
	return flags_match(fflags, *term_map_get(entry, "flags"));
}

#ifdef HAVE_SETNS
/*
 * Enters the network namespace at path, keeping the current one open in
 * *saved. Returns 0 or an errno; what it opened is closed on failure.
 */
static int
netns_enter(const char *path, int *saved)
{
	int fd, save_errno;

	if ((*saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		save_errno = errno;
		close(*saved);
		return save_errno;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		save_errno = errno;
		close(fd);
		close(*saved);
		return save_errno;
	}
	close(fd);
	return 0;
}

/* Staying in the other namespace would silently change every socket. */
static void
netns_leave(int saved)
{
	if (setns(saved, CLONE_NEWNET) < 0)
		fatal("cannot return to the network namespace: %s",
		    strerror(errno));
	close(saved);
}
#endif

term
net_getifaddrs(term filter, const char *netns)
{
	struct ifaddrs *ifap, *ifa;
	term fflags = term_atom("any"), entry, *v, list;
	const struct term_name *fi;
	const term *f;
	size_t n = 0;
	int keep, err = 0;
#ifdef HAVE_SETNS
	int saved = -1;
#endif

	if (term_kind(filter) == TERM_ATOM) {
		if ((fi = term_name_find(net_ifaddrs_filters,
		         net_nifaddrs_filters, filter)) == NULL)
			return t_invalid("filter", term_copy(filter));
	} else if (term_kind(filter) == TERM_MAP) {
		/* OTP: merged over #{family => default, flags => any}. */
		f = term_map_get(filter, "family");
		fi = f != NULL ? term_name_find(net_ifaddrs_filters,
		                     net_nifaddrs_filters, *f)
		               : term_name_find_str(net_ifaddrs_filters,
		                     net_nifaddrs_filters, "default");
		if ((f = term_map_get(filter, "flags")) != NULL)
			fflags = *f;
	} else
		return t_invalid("filter", term_copy(filter));
	if (netns != NULL) {
#ifdef HAVE_SETNS
		if ((err = netns_enter(netns, &saved)) != 0)
			return t_errno(err);
#else
		return t_error(term_atom("enotsup"));
#endif
	}
	if (getifaddrs(&ifap) < 0)
		err = errno;
#ifdef HAVE_SETNS
	if (netns != NULL)
		netns_leave(saved);
#endif
	if (err != 0)
		return t_errno(err);
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next)
		n++;
	v = xreallocarray(NULL, n, sizeof(term));
	n = 0;
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		entry = ifaddrs_entry(ifa);
		if ((keep = filter_entry(fi, fflags, entry)) < 0) {
			term_free(entry);
			while (n > 0)
				term_free(v[--n]);
			free(v);
			freeifaddrs(ifap);
			return t_invalid("flags", term_copy(fflags));
		}
		if (keep)
			v[n++] = entry;
		else
			term_free(entry);
	}
	freeifaddrs(ifap);
	list = term_list(n, v, term_nil());
	free(v);
	return t_ok(list);
}

term
net_if_names(void)
{
	struct if_nameindex *ifs;
	term *v, list;
	size_t n = 0, i;

	if ((ifs = if_nameindex()) == NULL)
		return t_errno(errno);
	while (ifs[n].if_index != 0 || ifs[n].if_name != NULL)
		n++;
	v = xreallocarray(NULL, n, sizeof(term));
	for (i = 0; i < n; i++)
		v[i] = term_tuple2(
		    term_int(ifs[i].if_index), term_string(ifs[i].if_name));
	if_freenameindex(ifs);
	list = term_list(n, v, term_nil());
	free(v);
	return t_ok(list);
}

term
net_if_name2index(const char *name)
{
	unsigned int idx;

	/* OTP: a name that does not fit IF_NAMESIZE + 1 bytes is einval. */
	if (strlen(name) > IF_NAMESIZE)
		return t_error(term_atom("einval"));
	if ((idx = if_nametoindex(name)) == 0)
		return t_errno(errno);
	return t_ok(term_int(idx));
}

term
net_if_index2name(unsigned int idx)
{
	char name[IF_NAMESIZE + 1];

	/* OTP: any failure is enxio. */
	if (if_indextoname(idx, name) == NULL)
		return t_error(term_atom("enxio"));
	return t_ok(term_string(name));
}
