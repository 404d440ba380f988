/*
 * The option table. Each row names an option as OTP 25 does
 * ({Level, Opt}), gives its C level and name, the codec that turns a
 * value term into option bytes and back (opt_codec.c), whether it can
 * be set and read, and a summary. setopt, getopt and their native forms,
 * supports(options), is_supported(options, ...) and the listing for
 * completion all read the rows; nothing else knows an option by name.
 *
 * Where OTP 25's NIF has a row, the encoding and the errors are its own
 * (prim_socket_nif.c, prim_socket.erl); rows OTP lists but cannot do on
 * Linux are kept so that supports(options) names them as false. A few
 * Linux options OTP 25 lacks (tcp keepidle and friends, tcp info, socket
 * mark, ...) are added: they are marked "esock" below.
 *
 * The otp level holds what OTP keeps per socket rather than in the
 * kernel (rcvbuf, rcvctrlbuf, sndctrlbuf, iow, meta: struct sock's otp;
 * debug and use_registry: its flags; fd and domain: read only;
 * controlling_process: the session, the one process there is).
 */
#define ESOCK_SOCKOPTS 1
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "errnames.h"
#include "mailbox.h"
#include "opt.h"
#include "opt_codec.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "util.h"

/* OTP's numbers for its own options, as its exception reasons show. */
#define OTP_DEBUG 1001
#define OTP_IOW 1002
#define OTP_CTRL_PROC 1003
#define OTP_RCVBUF 1004
#define OTP_RCVCTRLBUF 1006
#define OTP_SNDCTRLBUF 1007
#define OTP_FD 1008
#define OTP_META 1009
#define OTP_USE_REGISTRY 1010
#define OTP_DOMAIN 1999

/* The largest buffer a getsockopt is given, whatever a caller asks. */
#define GETOPT_MAX (64 * 1024)

enum level { L_SOCKET, L_IP, L_IPV6, L_TCP, L_UDP, L_SCTP, L_OTP, L_N };

/*
 * The canonical name of each level and its C value. Other names of the
 * protocol levels come from the protocols database, as in OTP.
 */
static const struct term_name levels[L_N] = {
    {SOL_SOCKET, "socket"},
    {IPPROTO_IP, "ip"},
    {IPPROTO_IPV6, "ipv6"},
    {IPPROTO_TCP, "tcp"},
    {IPPROTO_UDP, "udp"},
    {IPPROTO_SCTP, "sctp"},
    {-1, "otp"},
};

/* Access bits of a row. */
#define OPT_GET 0x1
#define OPT_SET 0x2
#define OPT_GS (OPT_GET | OPT_SET)
#define OPT_HIDDEN 0x4 /* works, but supports(options) says false (OTP) */

struct row {
	unsigned char level;  /* enum level */
	unsigned char codec;  /* enum codec_id */
	unsigned char access; /* OPT_* */
	int cname;            /* C option (OTP's number at level otp); -1 */
	const char *name;
	const char *summary;
};

#define ROW(l, n, c, k, a, s)                                                  \
	{                                                                      \
		L_##l, CODEC_##k, a, c, n, s                                   \
	}

/*
 * Grouped by level, alphabetical within a level. Access follows OTP's
 * NIF (which options have a getter, which a setter); rows marked esock
 * are Linux options OTP 25 does not know.
 */
static const struct row rows[] = {
    ROW(SOCKET, "acceptconn", SO_ACCEPTCONN, BOOL, OPT_GS,
        "whether the socket is listening"),
    ROW(SOCKET, "acceptfilter", -1, NONE, OPT_GS,
        "FreeBSD accept filter (not supported)"),
    ROW(SOCKET, "bindtodevice", SO_BINDTODEVICE, IFNAME, OPT_GS,
        "bind to a network interface by name"),
    ROW(SOCKET, "broadcast", SO_BROADCAST, BOOL, OPT_GS,
        "allow sending to broadcast addresses"),
    ROW(SOCKET, "busy_poll", SO_BUSY_POLL, INT, OPT_GS,
        "microseconds to busy poll on receive (esock)"),
    ROW(SOCKET, "debug", SO_DEBUG, INT, OPT_GS, "kernel socket debugging"),
    ROW(SOCKET, "domain", SO_DOMAIN, DOMAIN, OPT_GET, "the socket's domain"),
    ROW(SOCKET, "dontroute", SO_DONTROUTE, BOOL, OPT_GS,
        "send only to directly connected hosts"),
    ROW(SOCKET, "error", SO_ERROR, INT, OPT_GET,
        "the pending error as an errno number, cleared (esock)"),
    ROW(SOCKET, "keepalive", SO_KEEPALIVE, BOOL, OPT_GS,
        "send keepalive probes on an idle connection"),
    ROW(SOCKET, "linger", SO_LINGER, LINGER, OPT_GS,
        "how close waits for unsent data"),
    ROW(SOCKET, "mark", SO_MARK, INT, OPT_GS,
        "firewall mark of outgoing packets (esock)"),
    ROW(SOCKET, "oobinline", SO_OOBINLINE, BOOL, OPT_GS,
        "receive out-of-band data inline"),
    ROW(SOCKET, "passcred", SO_PASSCRED, BOOL, OPT_GS,
        "receive the sender's credentials (local)"),
    ROW(SOCKET, "peek_off", SO_PEEK_OFF, INT, OPT_GS | OPT_HIDDEN,
        "offset of the next peek (local)"),
    ROW(SOCKET, "peercred", SO_PEERCRED, PEERCRED, OPT_GET,
        "the peer's pid, uid and gid (local, esock)"),
    ROW(SOCKET, "priority", SO_PRIORITY, INT, OPT_GS,
        "queueing priority of outgoing packets"),
    ROW(SOCKET, "protocol", SO_PROTOCOL, PROTOCOL, OPT_GET,
        "the socket's protocol"),
    ROW(SOCKET, "rcvbuf", SO_RCVBUF, INT, OPT_GS,
        "receive buffer size (Linux doubles it)"),
    ROW(SOCKET, "rcvbufforce", SO_RCVBUFFORCE, INT, OPT_GS,
        "receive buffer size beyond rmem_max (esock)"),
    ROW(SOCKET, "rcvlowat", SO_RCVLOWAT, INT, OPT_GS,
        "bytes a receive waits for"),
    ROW(SOCKET, "rcvtimeo", SO_RCVTIMEO, TIMEVAL, OPT_GS,
        "kernel receive timeout (esock)"),
    ROW(SOCKET, "reuseaddr", SO_REUSEADDR, BOOL, OPT_GS,
        "allow reusing a local address"),
    ROW(SOCKET, "reuseport", SO_REUSEPORT, BOOL, OPT_GS,
        "allow several sockets on one port"),
    ROW(SOCKET, "rxq_ovfl", SO_RXQ_OVFL, BOOL, OPT_GS,
        "report dropped packets in a control message (esock)"),
    ROW(SOCKET, "setfib", SO_SETFIB, INT, OPT_GS, "FreeBSD routing table"),
    ROW(SOCKET, "sndbuf", SO_SNDBUF, INT, OPT_GS,
        "send buffer size (Linux doubles it)"),
    ROW(SOCKET, "sndbufforce", SO_SNDBUFFORCE, INT, OPT_GS,
        "send buffer size beyond wmem_max (esock)"),
    ROW(SOCKET, "sndlowat", SO_SNDLOWAT, INT, OPT_GS,
        "bytes a send waits for room for"),
    ROW(SOCKET, "sndtimeo", SO_SNDTIMEO, TIMEVAL, OPT_GS,
        "kernel send timeout (esock)"),
    ROW(SOCKET, "timestamp", SO_TIMESTAMP, BOOL, OPT_GS,
        "receive a timestamp control message"),
    ROW(SOCKET, "type", SO_TYPE, TYPE, OPT_GET, "the socket's type"),

    ROW(IP, "add_membership", IP_ADD_MEMBERSHIP, MREQ, OPT_SET,
        "join a multicast group"),
    ROW(IP, "add_source_membership", IP_ADD_SOURCE_MEMBERSHIP, MREQ_SOURCE,
        OPT_SET, "join a multicast group for one source"),
    ROW(IP, "block_source", IP_BLOCK_SOURCE, MREQ_SOURCE, OPT_SET,
        "block multicast from a source"),
    ROW(IP, "dontfrag", IP_DONTFRAG, BOOL, OPT_GS, "BSD don't fragment flag"),
    ROW(IP, "drop_membership", IP_DROP_MEMBERSHIP, MREQ, OPT_SET,
        "leave a multicast group"),
    ROW(IP, "drop_source_membership", IP_DROP_SOURCE_MEMBERSHIP, MREQ_SOURCE,
        OPT_SET, "leave a multicast group for one source"),
    ROW(IP, "freebind", IP_FREEBIND, BOOL, OPT_GS,
        "bind to addresses not (yet) local"),
    ROW(IP, "hdrincl", IP_HDRINCL, BOOL, OPT_GS,
        "the application writes the IP header (raw)"),
    ROW(IP, "minttl", IP_MINTTL, INT, OPT_GS, "drop packets with a lower TTL"),
    ROW(IP, "msfilter", IP_MSFILTER, MSFILTER, OPT_SET,
        "multicast source filter"),
    ROW(IP, "mtu", IP_MTU, INT, OPT_GET, "path MTU of a connected socket"),
    ROW(IP, "mtu_discover", IP_MTU_DISCOVER, PMTUDISC, OPT_GS,
        "path MTU discovery"),
    ROW(IP, "multicast_all", IP_MULTICAST_ALL, BOOL, OPT_GS,
        "receive all groups joined on the host"),
    ROW(IP, "multicast_if", IP_MULTICAST_IF, IN_ADDR, OPT_GS,
        "interface address for outgoing multicast"),
    ROW(IP, "multicast_loop", IP_MULTICAST_LOOP, BOOL, OPT_GS,
        "loop outgoing multicast back"),
    ROW(IP, "multicast_ttl", IP_MULTICAST_TTL, INT, OPT_GS,
        "TTL of outgoing multicast"),
    ROW(IP, "nodefrag", IP_NODEFRAG, BOOL, OPT_GS,
        "no reassembly of fragments (raw)"),
    ROW(IP, "options", IP_OPTIONS, BINARY, OPT_GS,
        "IP options of outgoing packets, raw bytes (esock)"),
    ROW(IP, "pktinfo", IP_PKTINFO, BOOL, OPT_GS,
        "receive a pktinfo control message"),
    ROW(IP, "pktoptions", IP_PKTOPTIONS, PKTOPTIONS, OPT_GET,
        "control messages of a stream socket"),
    ROW(IP, "recvdstaddr", IP_RECVDSTADDR, BOOL, OPT_GS,
        "BSD destination address control message"),
    ROW(IP, "recverr", IP_RECVERR, BOOL, OPT_GS, "queue extended errors"),
    ROW(IP, "recvif", IP_RECVIF, BOOL, OPT_GS, "BSD interface control message"),
    ROW(IP, "recvopts", IP_RECVOPTS, BOOL, OPT_GS, "receive the IP options"),
    ROW(IP, "recvorigdstaddr", IP_RECVORIGDSTADDR, BOOL, OPT_GS,
        "receive the original destination address"),
    ROW(IP, "recvtos", IP_RECVTOS, BOOL, OPT_GS,
        "receive a tos control message"),
    ROW(IP, "recvttl", IP_RECVTTL, BOOL, OPT_GS,
        "receive a ttl control message"),
    ROW(IP, "retopts", IP_RETOPTS, BOOL, OPT_GS, "receive the raw IP options"),
    ROW(IP, "router_alert", IP_ROUTER_ALERT, INT, OPT_GS,
        "receive router alert packets (raw)"),
    ROW(IP, "sendsrcaddr", IP_SENDSRCADDR, BOOL, OPT_GS,
        "BSD source address control message"),
    ROW(IP, "tos", IP_TOS, TOS, OPT_GS, "type of service"),
    ROW(IP, "transparent", IP_TRANSPARENT, BOOL, OPT_GS,
        "transparent proxying"),
    ROW(IP, "ttl", IP_TTL, INT, OPT_GS, "time to live of outgoing packets"),
    ROW(IP, "unblock_source", IP_UNBLOCK_SOURCE, MREQ_SOURCE, OPT_SET,
        "unblock multicast from a source"),

    ROW(IPV6, "add_membership", IPV6_ADD_MEMBERSHIP, IPV6_MREQ, OPT_SET,
        "join a multicast group"),
    ROW(IPV6, "addrform", IPV6_ADDRFORM, ADDRFORM, OPT_SET,
        "turn the socket into another domain's"),
    ROW(IPV6, "auth_level", -1, NONE, OPT_GS, "BSD IPsec level"),
    ROW(IPV6, "authhdr", IPV6_AUTHHDR, BOOL, OPT_GS,
        "receive the authentication header"),
    ROW(IPV6, "checksum", IPV6_CHECKSUM, INT, OPT_GS,
        "checksum offset (raw, esock)"),
    ROW(IPV6, "drop_membership", IPV6_DROP_MEMBERSHIP, IPV6_MREQ, OPT_SET,
        "leave a multicast group"),
    ROW(IPV6, "dstopts", IPV6_DSTOPTS, BOOL, OPT_GS,
        "receive destination options"),
    ROW(IPV6, "esp_network_level", -1, NONE, OPT_GS, "BSD IPsec level"),
    ROW(IPV6, "esp_trans_level", -1, NONE, OPT_GS, "BSD IPsec level"),
    ROW(IPV6, "faith", -1, NONE, OPT_GS, "BSD faith translator"),
    ROW(IPV6, "flowinfo", IPV6_FLOWINFO, BOOL, OPT_GS,
        "receive the flow information"),
    ROW(IPV6, "hoplimit", IPV6_HOPLIMIT, BOOL, OPT_GS, "receive the hop limit"),
    ROW(IPV6, "hopopts", IPV6_HOPOPTS, BOOL, OPT_GS,
        "receive hop-by-hop options"),
    ROW(IPV6, "ipcomp_level", -1, NONE, OPT_GS, "BSD IPsec level"),
    ROW(IPV6, "join_group", IPV6_JOIN_GROUP, IPV6_MREQ, OPT_SET,
        "join a multicast group (esock)"),
    ROW(IPV6, "leave_group", IPV6_LEAVE_GROUP, IPV6_MREQ, OPT_SET,
        "leave a multicast group (esock)"),
    ROW(IPV6, "mtu", IPV6_MTU, INT, OPT_GS, "path MTU"),
    ROW(IPV6, "mtu_discover", IPV6_MTU_DISCOVER, PMTUDISC, OPT_GS,
        "path MTU discovery"),
    ROW(IPV6, "multicast_hops", IPV6_MULTICAST_HOPS, HOPS, OPT_GS,
        "hop limit of outgoing multicast"),
    ROW(IPV6, "multicast_if", IPV6_MULTICAST_IF, INT, OPT_GS,
        "interface index for outgoing multicast"),
    ROW(IPV6, "multicast_loop", IPV6_MULTICAST_LOOP, BOOL, OPT_GS,
        "loop outgoing multicast back"),
    ROW(IPV6, "pktoptions", IPV6_PKTOPTIONS, PKTOPTIONS, OPT_GET,
        "control messages of a stream socket"),
    ROW(IPV6, "portrange", -1, NONE, OPT_GS, "BSD port range"),
    ROW(IPV6, "recverr", IPV6_RECVERR, BOOL, OPT_GS, "queue extended errors"),
    ROW(IPV6, "recvhoplimit", IPV6_RECVHOPLIMIT, BOOL, OPT_GS,
        "receive a hoplimit control message"),
    ROW(IPV6, "recvpktinfo", IPV6_RECVPKTINFO, BOOL, OPT_GS,
        "receive a pktinfo control message"),
    ROW(IPV6, "recvtclass", IPV6_RECVTCLASS, BOOL, OPT_GS,
        "receive a tclass control message"),
    ROW(IPV6, "router_alert", IPV6_ROUTER_ALERT, INT, OPT_GS,
        "receive router alert packets (raw)"),
    ROW(IPV6, "rthdr", IPV6_RTHDR, BOOL, OPT_GS, "receive the routing header"),
    ROW(IPV6, "tclass", IPV6_TCLASS, INT, OPT_GS,
        "traffic class of outgoing packets"),
    ROW(IPV6, "unicast_hops", IPV6_UNICAST_HOPS, HOPS, OPT_GS,
        "hop limit of outgoing unicast"),
    ROW(IPV6, "use_min_mtu", IPV6_USE_MIN_MTU, BOOL, OPT_GS, "BSD minimum MTU"),
    ROW(IPV6, "v6only", IPV6_V6ONLY, BOOL, OPT_GS,
        "IPv6 only, no IPv4-mapped addresses"),

    ROW(TCP, "congestion", TCP_CONGESTION, CONGESTION, OPT_GS,
        "congestion control algorithm"),
    ROW(TCP, "cork", TCP_CORK, BOOL, OPT_GS, "hold back partial frames"),
    ROW(TCP, "info", TCP_INFO, TCP_INFO, OPT_GET,
        "connection statistics as a map (esock)"),
    ROW(TCP, "keepcnt", TCP_KEEPCNT, INT, OPT_GS,
        "keepalive probes before the connection drops (esock)"),
    ROW(TCP, "keepidle", TCP_KEEPIDLE, INT, OPT_GS,
        "idle seconds before keepalive probes (esock)"),
    ROW(TCP, "keepintvl", TCP_KEEPINTVL, INT, OPT_GS,
        "seconds between keepalive probes (esock)"),
    ROW(TCP, "maxseg", TCP_MAXSEG, INT, OPT_GS, "maximum segment size"),
    ROW(TCP, "md5sig", -1, NONE, OPT_GS, "RFC 2385 signatures"),
    ROW(TCP, "nodelay", TCP_NODELAY, BOOL, OPT_GS, "send at once, no Nagle"),
    ROW(TCP, "noopt", TCP_NOOPT, BOOL, OPT_GS, "BSD: no TCP options"),
    ROW(TCP, "nopush", TCP_NOPUSH, BOOL, OPT_GS, "BSD cork"),
    ROW(TCP, "syncnt", TCP_SYNCNT, INT, OPT_GS,
        "SYN retransmits before connect gives up (esock)"),
    ROW(TCP, "user_timeout", TCP_USER_TIMEOUT, INT, OPT_GS,
        "milliseconds unacknowledged data may wait (esock)"),

    ROW(UDP, "cork", UDP_CORK, BOOL, OPT_GS, "collect sends into one datagram"),

    ROW(SCTP, "adaption_layer", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "associnfo", SCTP_ASSOCINFO, SCTP_ASSOCINFO, OPT_GS,
        "association parameters"),
    ROW(SCTP, "auth_active_key", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "auth_chunk", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "auth_delete_key", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "auth_key", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "autoclose", SCTP_AUTOCLOSE, INT, OPT_GS,
        "seconds before an idle association closes"),
    ROW(SCTP, "context", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "default_send_params", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "delayed_ack_time", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "disable_fragments", SCTP_DISABLE_FRAGMENTS, BOOL, OPT_GS,
        "no fragmenting of messages"),
    ROW(SCTP, "events", SCTP_EVENTS, SCTP_EVENTS, OPT_SET,
        "which notifications to receive"),
    ROW(SCTP, "explicit_eor", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "fragment_interleave", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "get_peer_addr_info", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "hmac_ident", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "i_want_mapped_v4_addr", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "initmsg", SCTP_INITMSG, SCTP_INITMSG, OPT_GS,
        "parameters of new associations"),
    ROW(SCTP, "local_auth_chunks", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "maxburst", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "maxseg", SCTP_MAXSEG, INT, OPT_GS, "maximum segment size"),
    ROW(SCTP, "nodelay", SCTP_NODELAY, BOOL, OPT_GS, "send at once, no Nagle"),
    ROW(SCTP, "partial_delivery_point", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "peer_addr_params", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "peer_auth_chunks", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "primary_addr", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "reset_streams", -1, NONE, OPT_GS, "not supported"),
    /* OTP 25 lists it, but its NIF can neither set nor read it. */
    ROW(SCTP, "rtoinfo", SCTP_RTOINFO, SCTP_RTOINFO, 0,
        "retransmission timeouts (OTP 25 can neither set nor read it)"),
    ROW(SCTP, "set_peer_primary_addr", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "status", -1, NONE, OPT_GS, "not supported"),
    ROW(SCTP, "use_ext_recvinfo", -1, NONE, OPT_GS, "not supported"),

    ROW(OTP, "controlling_process", OTP_CTRL_PROC, OTP_CTRL_PROC, OPT_GS,
        "the owner: the session (another pid is taken and ignored)"),
    ROW(OTP, "debug", OTP_DEBUG, OTP_DEBUG, OPT_GS,
        "print what esock does with the socket"),
    ROW(OTP, "domain", OTP_DOMAIN, OTP_DOMAIN, OPT_GET,
        "the domain the socket was opened with"),
    ROW(OTP, "fd", OTP_FD, OTP_FD, OPT_GET, "the file descriptor"),
    ROW(OTP, "iow", OTP_IOW, OTP_IOW, OPT_GS,
        "warn about counter wraps (kept, not used)"),
    ROW(OTP, "meta", OTP_META, OTP_META, OPT_GS,
        "any term kept with the socket"),
    ROW(OTP, "rcvbuf", OTP_RCVBUF, OTP_RCVBUF, OPT_GS,
        "bytes recv and recvfrom read when Length is 0 (N is kept)"),
    ROW(OTP, "rcvctrlbuf", OTP_RCVCTRLBUF, OTP_RCVCTRLBUF, OPT_GS,
        "bytes for received control messages"),
    ROW(OTP, "sndctrlbuf", OTP_SNDCTRLBUF, OTP_SNDCTRLBUF, OPT_GS,
        "bytes for sent control messages"),
    ROW(OTP, "use_registry", OTP_USE_REGISTRY, OTP_REGISTRY, OPT_GS,
        "whether which_sockets lists the socket (only true can be set)"),
};

/* --- rows ---------------------------------------------------------- */

/* Nonzero when setopt and getopt take the row on this platform. */
static int
row_ok(const struct row *r)
{
	if (r->level == L_OTP)
		return 1;
	if (r->cname < 0 || r->codec == CODEC_NONE)
		return 0;
	return codec_decodes(r->codec) || codec_encodes(r->codec);
}

/* What supports(options) says of a row. */
static int
row_supported(const struct row *r)
{
	return r->level != L_OTP && row_ok(r) && !(r->access & OPT_HIDDEN);
}

/*
 * The level an atom names for a named option: the canonical name, or
 * another name the protocols database gives the level's number in its
 * first entry for it (OTP: 'IP', but not hopopt, which shares 0).
 */
static int
level_of(term l, int with_otp)
{
	const struct term_name *row;
	struct protoent *pe;
	char **a;
	int i, proto;

	if (term_kind(l) != TERM_ATOM)
		return -1;
	if ((row = term_name_find(levels, L_N, l)) != NULL) {
		i = (int)(row - levels);
		return i == L_OTP && !with_otp ? -1 : i;
	}
	if ((pe = getprotobyname(term_atom_name(l))) == NULL)
		return -1;
	proto = pe->p_proto;
	for (i = L_IP; i <= L_SCTP; i++) {
		if (levels[i].value != proto)
			continue;
		if ((pe = getprotobynumber(proto)) == NULL)
			return -1;
		if (strcmp(pe->p_name, term_atom_name(l)) == 0)
			return i;
		for (a = pe->p_aliases; a != NULL && *a != NULL; a++)
			if (strcmp(*a, term_atom_name(l)) == 0)
				return i;
		return -1;
	}
	return -1;
}

/* The row of {Level, Opt} (both atoms), or NULL. */
static const struct row *
find_row(term opt, int with_otp)
{
	term o;
	size_t i;
	int l;

	if (term_kind(opt) != TERM_TUPLE || term_size(opt) != 2)
		return NULL;
	o = term_tuple_get(opt, 1);
	if (term_kind(o) != TERM_ATOM ||
	    (l = level_of(term_tuple_get(opt, 0), with_otp)) < 0)
		return NULL;
	for (i = 0; i < NELEMS(rows); i++)
		if (rows[i].level == l && term_atom_is(o, rows[i].name))
			return &rows[i];
	return NULL;
}

/* What an option term names: a row, or (native) numbers alone. */
struct target {
	const struct row *row; /* NULL for a native {Level, Int} */
	int level;
	int name;
};

/*
 * Resolves an option as prim_socket:enc_sockopt/2 does: {otp, Opt}
 * (not native), {Int, Int} and {Level, Int} (native; Level socket or a
 * protocol's name), {Level, Opt} by the table. Anything else is
 * {error, {invalid, {socket_option, Opt}}} (OTP throws it for shapes it
 * cannot take, and fails on integers out of range).
 */
static int
resolve(term opt, int native, struct target *t, term *err)
{
	struct protoent *pe;
	term l, o;

	t->row = NULL;
	if (term_kind(opt) != TERM_TUPLE || term_size(opt) != 2)
		goto invalid;
	l = term_tuple_get(opt, 0);
	o = term_tuple_get(opt, 1);
	if (native && term_is_integer(o)) {
		if (codec_int_of(o, &t->name) < 0)
			goto invalid;
		if (term_atom_is(l, "socket"))
			t->level = SOL_SOCKET;
		else if (term_kind(l) == TERM_ATOM &&
		         (pe = getprotobyname(term_atom_name(l))) != NULL)
			t->level = pe->p_proto;
		else if (codec_int_of(l, &t->level) < 0)
			goto invalid;
		return 0;
	}
	if ((t->row = find_row(opt, !native)) == NULL || !row_ok(t->row))
		goto invalid;
	t->level = levels[t->row->level].value;
	t->name = t->row->cname;
	return 0;
invalid:
	*err = t_invalid("socket_option", term_copy(opt));
	return -1;
}

int
opt_throws(term opt, int native)
{
	term l, o;

	if (term_kind(opt) != TERM_TUPLE || term_size(opt) != 2)
		return 1;
	l = term_tuple_get(opt, 0);
	o = term_tuple_get(opt, 1);
	if (!native)
		return term_kind(l) != TERM_ATOM ||
		       (term_kind(o) != TERM_ATOM && !term_atom_is(l, "otp"));
	return (term_kind(l) != TERM_ATOM && !term_is_integer(l)) ||
	       (term_kind(o) != TERM_ATOM && !term_is_integer(o)) ||
	       (term_is_integer(l) && term_kind(o) == TERM_ATOM);
}

/* --- the otp level ------------------------------------------------- */

/* OTP's GET_ULONG and its encoding of a uint64_t. */
static int
u64_of(term t, uint64_t *out)
{
	const uint32_t *w;
	int64_t v;
	size_t n, i;

	if (term_to_int64(t, &v) == 0) {
		if (v < 0)
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	if (term_kind(t) != TERM_BIG || term_big_sign(t) < 0)
		return -1;
	w = term_big_limbs(t, &n);
	for (i = 2; i < n; i++)
		if (w[i] != 0)
			return -1;
	*out = (uint64_t)w[0] | (n > 1 ? (uint64_t)w[1] << 32 : 0);
	return 0;
}

static term
u64_term(uint64_t v)
{
	uint32_t w[2];

	if (v <= INT64_MAX)
		return term_int((int64_t)v);
	w[0] = (uint32_t)v;
	w[1] = (uint32_t)(v >> 32);
	return term_big(1, w, 2);
}

/* OTP: esock_decode_bufsz: default, or 1..2^64-1. */
static int
bufsz_of(term t, uint64_t def, uint64_t *out)
{
	if (term_atom_is(t, "default")) {
		*out = def;
		return 0;
	}
	return u64_of(t, out) < 0 || *out == 0 ? -1 : 0;
}

static term
otp_set(struct sock *s, const struct row *r, term opt, term v)
{
	uint64_t sz;
	unsigned int n = 0;
	int b;

	/* OTP's NIF raises for these before it looks at the socket. */
	if (r->codec == CODEC_OTP_FD || r->codec == CODEC_OTP_DOMAIN)
		return t_error(term_tuple2(term_atom_of(A_INVALID),
		    term_tuple2(
		        term_atom("otp_socket_option"), term_int(r->cname))));
	if (s == NULL)
		return t_error(term_atom_of(A_CLOSED));
	switch (r->codec) {
	case CODEC_OTP_DEBUG:
	case CODEC_OTP_IOW:
	case CODEC_OTP_REGISTRY:
		/* OTP: use_registry can only be turned on. */
		if (codec_bool_of(v, &b) < 0 ||
		    (r->codec == CODEC_OTP_REGISTRY && !b))
			goto invalid;
		if (r->codec == CODEC_OTP_DEBUG)
			s->xflags = b ? s->xflags | SOCK_X_DEBUG
			              : s->xflags & ~SOCK_X_DEBUG;
		else if (r->codec == CODEC_OTP_REGISTRY)
			s->xflags &= ~SOCK_X_NOREG;
		else
			s->otp.iow = b;
		break;
	case CODEC_OTP_RCVBUF:
		if (bufsz_of(v, SOCK_RCVBUF_DEFAULT, &sz) < 0 &&
		    (term_kind(v) != TERM_TUPLE || term_size(v) != 2 ||
		        codec_uint_of(term_tuple_get(v, 0), &n) < 0 || n == 0 ||
		        bufsz_of(term_tuple_get(v, 1), SOCK_RCVBUF_DEFAULT,
		            &sz) < 0))
			goto invalid;
		s->otp.rnum = n;
		s->otp.rbufsz = sz;
		break;
	case CODEC_OTP_RCVCTRLBUF:
	case CODEC_OTP_SNDCTRLBUF:
		if (bufsz_of(v, SOCK_CTRLBUF_DEFAULT, &sz) < 0)
			goto invalid;
		if (r->codec == CODEC_OTP_RCVCTRLBUF)
			s->otp.rctrlsz = sz;
		else
			s->otp.wctrlsz = sz;
		break;
	case CODEC_OTP_META:
		term_free(s->otp.meta);
		s->otp.meta = term_copy(v);
		break;
	case CODEC_OTP_CTRL_PROC:
		if (term_kind(v) != TERM_PID)
			goto invalid;
		break;
	default:
		fatal("otp option %s has no setter", r->name);
	}
	return term_atom_of(A_OK);
invalid:
	return t_error(term_tuple2(
	    term_atom_of(A_INVALID), term_tuple3(term_atom("socket_option"),
	                                 term_copy(opt), term_copy(v))));
}

static term
otp_get(struct sock *s, const struct row *r)
{
	const struct sock_otp *o;
	term v;

	/* OTP reads use_registry without looking whether it is closed. */
	if (r->codec == CODEC_OTP_REGISTRY)
		return t_ok(
		    codec_bool_term(s == NULL || !(s->xflags & SOCK_X_NOREG)));
	if (s == NULL)
		return t_error(term_atom_of(A_CLOSED));
	o = &s->otp;
	switch (r->codec) {
	case CODEC_OTP_DEBUG:
		v = codec_bool_term((s->xflags & SOCK_X_DEBUG) != 0);
		break;
	case CODEC_OTP_IOW:
		v = codec_bool_term(o->iow);
		break;
	case CODEC_OTP_RCVBUF:
		/* OTP shows N as a signed int. */
		v = o->rnum == 0 ? u64_term(o->rbufsz)
		                 : term_tuple2(term_int((int)o->rnum),
		                       u64_term(o->rbufsz));
		break;
	case CODEC_OTP_RCVCTRLBUF:
		v = u64_term(o->rctrlsz);
		break;
	case CODEC_OTP_SNDCTRLBUF:
		v = u64_term(o->wctrlsz);
		break;
	case CODEC_OTP_FD:
		v = term_int(s->fd);
		break;
	case CODEC_OTP_META:
		v = term_copy(o->meta);
		break;
	case CODEC_OTP_CTRL_PROC:
		v = mbox_self();
		break;
	case CODEC_OTP_DOMAIN:
		v = sockname_domain_term(s->domain);
		break;
	default:
		fatal("otp option %s has no getter", r->name);
	}
	return t_ok(v);
}

/* --- setting and getting ------------------------------------------- */

/*
 * setsockopt as OTP's socket_setopt() does it on Linux: setting IP_TOS
 * makes the kernel change SO_PRIORITY, and other options may reset the
 * TOS, so both are read first and put back after any other option (by
 * number alone, whatever the level, as OTP compares them). A priority
 * the kernel will not let us restore (EPERM) is not an error.
 */
static int
set_raw(int fd, int level, int name, const void *v, socklen_t len)
{
#if defined(SO_PRIORITY) && defined(IP_TOS) && SO_PRIORITY >= 0
	int prio = 0, tos = 0, rprio, rtos;
	socklen_t plen = sizeof prio, tlen = sizeof tos;

	rprio = getsockopt(fd, SOL_SOCKET, SO_PRIORITY, &prio, &plen);
	rtos = getsockopt(fd, IPPROTO_IP, IP_TOS, &tos, &tlen);
	if (setsockopt(fd, level, name, v, len) < 0)
		return -1;
	if (name == SO_PRIORITY)
		return 0;
	if (name != IP_TOS && rtos == 0 &&
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, tlen) < 0)
		return -1;
	if (rprio == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_PRIORITY, &prio, plen) < 0 &&
	    errno != EPERM)
		return -1;
	return 0;
#else
	return setsockopt(fd, level, name, v, len);
#endif
}

static term
set_bytes(struct sock *s, const struct target *t, const struct buf *b)
{
	if (set_raw(s->fd, t->level, t->name, b->data ? b->data : "",
	        (socklen_t)b->len) < 0)
		return t_errno(errno);
	return term_atom_of(A_OK);
}

term
opt_set(struct sock *s, term opt, term value)
{
	const struct row *r;
	struct target t;
	struct buf b;
	term res;

	if (resolve(opt, 0, &t, &res) < 0)
		return res;
	r = t.row;
	if (r->level == L_OTP)
		return otp_set(s, r, opt, value);
	if (s == NULL)
		return t_error(term_atom_of(A_CLOSED));
	if (!(r->access & OPT_SET) || !codec_decodes(r->codec))
		return t_invalid("socket_option", term_copy(opt));
	buf_init(&b);
	if (codec_decode(r->codec, value, &b) < 0)
		res = t_error(term_tuple2(term_atom_of(A_INVALID),
		    term_tuple3(term_atom("socket_option"), term_copy(opt),
		        term_copy(value))));
	else
		res = set_bytes(s, &t, &b);
	buf_free(&b);
	return res;
}

/*
 * The value decides the bytes: iodata as they are, an integer or a
 * boolean as an int.
 */
term
opt_set_native(struct sock *s, term opt, term value)
{
	struct target t;
	struct buf b;
	term res;
	int v;

	if (resolve(opt, 1, &t, &res) < 0)
		return res;
	if (s == NULL)
		return t_error(term_atom_of(A_CLOSED));
	buf_init(&b);
	if (term_iodata(value, &b) == 0)
		res = set_bytes(s, &t, &b);
	else if (codec_int_of(value, &v) == 0 ||
	         codec_bool_of(value, &v) == 0) {
		buf_reset(&b);
		buf_add(&b, &v, sizeof v);
		res = set_bytes(s, &t, &b);
	} else
		res = t_error(
		    term_tuple2(term_atom_of(A_INVALID), term_atom("value")));
	buf_free(&b);
	return res;
}

/* getsockopt into a zeroed buffer of len bytes; -1 with errno set. */
static int
get_raw(
    struct sock *s, const struct target *t, unsigned char **p, socklen_t *len)
{
	int save;

	*p = xcalloc(1, *len ? *len : 1);
	if (getsockopt(s->fd, t->level, t->name, *p, len) < 0) {
		save = errno;
		free(*p);
		*p = NULL;
		errno = save;
		return -1;
	}
	return 0;
}

term
opt_get(struct sock *s, term opt)
{
	const struct row *r;
	struct target t;
	unsigned char *p;
	socklen_t len;
	term res;

	if (resolve(opt, 0, &t, &res) < 0)
		return res;
	r = t.row;
	if (r->level == L_OTP)
		return otp_get(s, r);
	if (s == NULL)
		return t_error(term_atom_of(A_CLOSED));
	if (!(r->access & OPT_GET) || !codec_encodes(r->codec))
		return t_invalid("socket_option", term_copy(opt));
	len = codec_getlen(r->codec);
	if (len == 0)
		len = s->otp.rctrlsz > GETOPT_MAX ? GETOPT_MAX
		                                  : (socklen_t)s->otp.rctrlsz;
	if (get_raw(s, &t, &p, &len) < 0)
		return t_errno(errno);
	res = t_ok(codec_encode(r->codec, s, p, len));
	free(p);
	return res;
}

/*
 * ValueSpec: integer, boolean, a size (a binary of at most that many
 * bytes; 0 asks the kernel with no buffer at all and gives ok) or a
 * binary (given to the kernel, which may read it, and returned as the
 * kernel left it).
 */
term
opt_get_native(struct sock *s, term opt, term spec)
{
	struct target t;
	unsigned char *p;
	socklen_t len;
	term res;
	int v;

	if (resolve(opt, 1, &t, &res) < 0)
		return res;
	if (s == NULL)
		return t_error(term_atom_of(A_CLOSED));
	if (codec_int_of(spec, &v) == 0) {
		/* OTP asks for 2^32 - 1 bytes, which the kernel refuses. */
		if (v < 0)
			return t_errno(EINVAL);
		if (v == 0) {
			if (getsockopt(s->fd, t.level, t.name, NULL, NULL) < 0)
				return t_errno(errno);
			return term_atom_of(A_OK);
		}
		len = v > GETOPT_MAX ? GETOPT_MAX : (socklen_t)v;
		if (get_raw(s, &t, &p, &len) < 0)
			return t_errno(errno);
		res = t_ok(term_binary(p, len));
	} else if (term_atom_is(spec, "integer") ||
	           term_atom_is(spec, "boolean")) {
		len = sizeof(int);
		if (get_raw(s, &t, &p, &len) < 0)
			return t_errno(errno);
		v = codec_get_int(p);
		res = t_ok(term_atom_is(spec, "integer")
		               ? term_int(v)
		               : codec_bool_term(v != 0));
	} else if (term_is_binary(spec)) {
		len = (socklen_t)term_bin_size(spec);
		if (term_bin_size(spec) > GETOPT_MAX)
			len = GETOPT_MAX;
		p = xmalloc(len ? len : 1);
		memcpy(p, term_bin_data(spec), len);
		if (getsockopt(s->fd, t.level, t.name, p, &len) < 0) {
			res = t_errno(errno);
			free(p);
			return res;
		}
		res = t_ok(term_binary(p, len));
	} else
		return t_invalid("value_spec", term_copy(spec));
	free(p);
	return res;
}

/* --- supports and listings ----------------------------------------- */

#define NAMES_MAX 8

static void
add_name(char **out, size_t *n, const char *name)
{
	size_t k;

	if (*n == NAMES_MAX || strlen(name) > TERM_ATOM_MAX)
		return;
	for (k = 0; k < *n; k++)
		if (strcmp(out[k], name) == 0)
			return;
	out[(*n)++] = xstrdup(name);
}

/*
 * The names of a level: socket alone, or those the protocols database
 * gives the level's number in its first entry, the canonical name
 * always among them. Returns how many (copies, to free).
 */
static size_t
level_names(int l, char **out)
{
	struct protoent *pe;
	size_t n = 0;
	char **a;

	add_name(out, &n, levels[l].name);
	if (l == L_SOCKET || (pe = getprotobynumber(levels[l].value)) == NULL)
		return n;
	add_name(out, &n, pe->p_name);
	for (a = pe->p_aliases; a != NULL && *a != NULL; a++)
		add_name(out, &n, *a);
	return n;
}

struct entry {
	const char *level;
	const char *name;
	int yes;
};

/* Descending: OTP's small maps fold to reverse order; so does this. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(y->level, x->level);

	return c != 0 ? c : strcmp(y->name, x->name);
}

/*
 * Every row of a protocol level under each of its names; with only set,
 * just the rows whose level has that name (for supports(options, L)).
 */
static term
supports_list(term only)
{
	char *names[L_N][NAMES_MAX];
	size_t nn[L_N], i, k, n = 0;
	struct entry *e;
	term *v, list;
	int l;

	for (l = 0; l < L_OTP; l++)
		nn[l] = level_names(l, names[l]);
	e = xreallocarray(NULL, NELEMS(rows) * NAMES_MAX, sizeof *e);
	for (i = 0; i < NELEMS(rows); i++) {
		l = rows[i].level;
		if (l == L_OTP)
			continue;
		for (k = 0; k < nn[l]; k++) {
			if (term_kind(only) == TERM_ATOM &&
			    strcmp(term_atom_name(only), names[l][k]) != 0)
				continue;
			e[n].level = names[l][k];
			e[n].name = rows[i].name;
			e[n++].yes = row_supported(&rows[i]);
		}
	}
	qsort(e, n, sizeof *e, entry_cmp);
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	for (i = 0; i < n; i++) {
		term key = term_atom(e[i].name);

		if (term_kind(only) != TERM_ATOM)
			key = term_tuple2(term_atom(e[i].level), key);
		v[i] = term_tuple2(key, codec_bool_term(e[i].yes));
	}
	list = term_list(n, v, term_nil());
	free(v);
	free(e);
	for (l = 0; l < L_OTP; l++)
		for (k = 0; k < nn[l]; k++)
			free(names[l][k]);
	return list;
}

term
opt_supports(void)
{
	return supports_list(term_nil());
}

term
opt_supports_level(term level)
{
	if (term_kind(level) != TERM_ATOM)
		return term_nil();
	return supports_list(level);
}

int
opt_is_supported(term opt)
{
	const struct row *r = find_row(opt, 0);

	return r != NULL && row_supported(r);
}

int
opt_row_name(size_t i, const char **level, const char **name)
{
	if (i >= NELEMS(rows))
		return -1;
	if (!row_ok(&rows[i]))
		return 0;
	*level = levels[rows[i].level].name;
	*name = rows[i].name;
	return 1;
}

void
opt_print_list(FILE *fp, int verbose)
{
	static const char *const access[] = {"-", "get", "set", "get/set"};
	const struct row *r;
	char key[64];
	size_t i;

	for (i = 0; i < NELEMS(rows); i++) {
		r = &rows[i];
		if (!row_ok(r))
			continue;
		(void)snprintf(
		    key, sizeof key, "{%s,%s}", levels[r->level].name, r->name);
		if (!verbose)
			fprintf(fp, "%s\n", key);
		else
			fprintf(fp, "  %-30s %-8s %-22s %s\n", key,
			    access[r->access & OPT_GS], codec_type(r->codec),
			    r->summary);
	}
}
