/*
 * sockaddr() maps to and from struct sockaddr_storage, the way OTP 25's
 * prim_socket:enc_sockaddr/1 and the NIF's esock_encode_sockaddr and
 * esock_decode_sockaddr do it, so that results and error reasons read
 * the same as OTP's; and the address literals of esock's language
 * (127.0.0.1:80, [::1]:80, host:port, :port, /path, @name), which only
 * this module reads. Sockets, and what a family means to them, are left
 * to sock.c.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <net/if_arp.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <netpacket/packet.h>
#define HAVE_SOCKADDR_LL 1
#endif

#include "errnames.h"
#include "sockaddr.h"
#include "util.h"

/* OTP: enc_sockaddr/1 refuses local paths longer than this. */
#define SA_PATH_MAX 255

#ifdef HAVE_SOCKADDR_LL
/* ARP hardware types as OTP's esock_encode_packet_hatype names them. */
static const struct term_name hatypes[] = {
#ifdef ARPHRD_NETROM
    {ARPHRD_NETROM, "netrom"},
#endif
#ifdef ARPHRD_ETHER
    {ARPHRD_ETHER, "ether"},
#endif
#ifdef ARPHRD_EETHER
    {ARPHRD_EETHER, "eether"},
#endif
#ifdef ARPHRD_AX25
    {ARPHRD_AX25, "ax25"},
#endif
#ifdef ARPHRD_PRONET
    {ARPHRD_PRONET, "pronet"},
#endif
#ifdef ARPHRD_CHAOS
    {ARPHRD_CHAOS, "chaos"},
#endif
#ifdef ARPHRD_IEEE802
    {ARPHRD_IEEE802, "ieee802"},
#endif
#ifdef ARPHRD_ARCNET
    {ARPHRD_ARCNET, "arcnet"},
#endif
#ifdef ARPHRD_APPLETLK
    {ARPHRD_APPLETLK, "appletlk"},
#endif
#ifdef ARPHRD_DLCI
    {ARPHRD_DLCI, "dlci"},
#endif
#ifdef ARPHRD_ATM
    {ARPHRD_ATM, "atm"},
#endif
#ifdef ARPHRD_METRICOM
    {ARPHRD_METRICOM, "metricom"},
#endif
#ifdef ARPHRD_IEEE1394
    {ARPHRD_IEEE1394, "ieee1394"},
#endif
#ifdef ARPHRD_EUI64
    {ARPHRD_EUI64, "eui64"},
#endif
#ifdef ARPHRD_INFINIBAND
    {ARPHRD_INFINIBAND, "infiniband"},
#endif
#ifdef ARPHRD_TUNNEL
    {ARPHRD_TUNNEL, "tunnel"},
#endif
#ifdef ARPHRD_TUNNEL6
    {ARPHRD_TUNNEL6, "tunnel6"},
#endif
#ifdef ARPHRD_LOOPBACK
    {ARPHRD_LOOPBACK, "loopback"},
#endif
#ifdef ARPHRD_LOCALTLK
    {ARPHRD_LOCALTLK, "localtlk"},
#endif
#ifdef ARPHRD_NONE
    {ARPHRD_NONE, "none"},
#endif
#ifdef ARPHRD_VOID
    {ARPHRD_VOID, "void"},
#endif
};

/* Packet types; PACKET_FASTROUTE shares PACKET_USER's value. */
static const struct term_name pkttypes[] = {
#ifdef PACKET_HOST
    {PACKET_HOST, "host"},
#endif
#ifdef PACKET_BROADCAST
    {PACKET_BROADCAST, "broadcast"},
#endif
#ifdef PACKET_MULTICAST
    {PACKET_MULTICAST, "multicast"},
#endif
#ifdef PACKET_OTHERHOST
    {PACKET_OTHERHOST, "otherhost"},
#endif
#ifdef PACKET_OUTGOING
    {PACKET_OUTGOING, "outgoing"},
#endif
#ifdef PACKET_LOOPBACK
    {PACKET_LOOPBACK, "loopback"},
#endif
#ifdef PACKET_USER
    {PACKET_USER, "user"},
#endif
#ifdef PACKET_KERNEL
    {PACKET_KERNEL, "kernel"},
#endif
};
#endif /* HAVE_SOCKADDR_LL */

/* Families OTP names although it cannot decode them. */
static const struct term_name native_families[] = {
    {AF_UNSPEC, "unspec"},
#ifdef AF_IMPLINK
    {AF_IMPLINK, "implink"},
#endif
#ifdef AF_PUP
    {AF_PUP, "pup"},
#endif
#ifdef AF_CHAOS
    {AF_CHAOS, "chaos"},
#endif
};

/* #{family => Family, addr => Bin}: the bytes after the family field. */
static term
encode_native(const struct sockaddr *sa, socklen_t len, term family)
{
	size_t off = offsetof(struct sockaddr, sa_data);
	static const char *const names[] = {"family", "addr"};
	term v[2];

	v[0] = family;
	v[1] = term_binary(sa->sa_data, len > off ? len - off : 0);
	return term_map_atoms(2, names, v);
}

term
sa_in_addr_term(const struct in_addr *ia)
{
	const unsigned char *a = (const unsigned char *)ia;
	term e[4];
	size_t i;

	for (i = 0; i < 4; i++)
		e[i] = term_int(a[i]);
	return term_tuple(4, e);
}

static term
encode_in(const struct sockaddr_in *sin)
{
	static const char *const names[] = {"family", "port", "addr"};
	term v[3];

	v[0] = term_atom("inet");
	v[1] = term_int(ntohs(sin->sin_port));
	v[2] = sa_in_addr_term(&sin->sin_addr);
	return term_map_atoms(3, names, v);
}

term
sa_in6_addr_term(const struct in6_addr *ia)
{
	const unsigned char *a = ia->s6_addr;
	term e[8];
	size_t i;

	for (i = 0; i < 8; i++)
		e[i] = term_int(a[2 * i] << 8 | a[2 * i + 1]);
	return term_tuple(8, e);
}

static term
encode_in6(const struct sockaddr_in6 *sin6)
{
	static const char *const names[] = {
	    "family", "port", "addr", "flowinfo", "scope_id"};
	term v[5];

	v[0] = term_atom("inet6");
	v[1] = term_int(ntohs(sin6->sin6_port));
	v[2] = sa_in6_addr_term(&sin6->sin6_addr);
	/* OTP: flowinfo goes through as stored, in network order. */
	v[3] = term_int(sin6->sin6_flowinfo);
	v[4] = term_int(sin6->sin6_scope_id);
	return term_map_atoms(5, names, v);
}

static term
encode_un(const struct sockaddr_un *un, socklen_t len)
{
	static const char *const names[] = {"family", "path"};
	size_t off = offsetof(struct sockaddr_un, sun_path), n, m;
	term v[2];

	if (len == 0)
		len = (socklen_t)(off +
		                  strnlen(un->sun_path, sizeof un->sun_path));
	if (len < off)
		return encode_native(
		    (const struct sockaddr *)un, len, term_atom("local"));
	n = len - off;
	if (n > SA_PATH_MAX)
		return term_atom("bad_data"); /* OTP: a length not to trust */
	/*
	 * A path is read up to its NUL; a Linux abstract name starts with
	 * one and takes the whole reported length.
	 */
	m = strnlen(un->sun_path, n);
	if (m == 0)
		m = n;
	v[0] = term_atom("local");
	v[1] = term_binary(un->sun_path, m);
	return term_map_atoms(2, names, v);
}

#ifdef HAVE_SOCKADDR_LL
static term
encode_ll(const struct sockaddr_ll *sll)
{
	static const char *const names[] = {
	    "family", "protocol", "ifindex", "hatype", "pkttype", "addr"};
	size_t alen = sll->sll_halen;
	term v[6];

	if (alen > sizeof sll->sll_addr)
		alen = sizeof sll->sll_addr;
	v[0] = term_atom("packet");
	v[1] = term_int(ntohs(sll->sll_protocol));
	v[2] = term_int(sll->sll_ifindex);
	v[3] = term_name_or_int(hatypes, NELEMS(hatypes), sll->sll_hatype);
	v[4] = term_name_or_int(pkttypes, NELEMS(pkttypes), sll->sll_pkttype);
	v[5] = term_binary(sll->sll_addr, alen);
	return term_map_atoms(6, names, v);
}
#endif

term
sa_encode(const struct sockaddr *sa, socklen_t len)
{
	/* OTP: too short to hold even the family, so a plain binary. */
	if (len > 0 && len < offsetof(struct sockaddr, sa_data))
		return term_binary(sa, len);
	switch (sa->sa_family) {
	case AF_INET:
		if (len == 0 || len >= offsetof(struct sockaddr_in, sin_zero))
			return encode_in((const struct sockaddr_in *)sa);
		return encode_native(sa, len, term_atom("inet"));
	case AF_INET6:
		if (len == 0 || len >= sizeof(struct sockaddr_in6))
			return encode_in6((const struct sockaddr_in6 *)sa);
		return encode_native(sa, len, term_atom("inet6"));
	case AF_LOCAL:
		return encode_un((const struct sockaddr_un *)sa, len);
#ifdef HAVE_SOCKADDR_LL
	case AF_PACKET:
		if (len == 0 || len >= sizeof(struct sockaddr_ll))
			return encode_ll((const struct sockaddr_ll *)sa);
		return encode_native(sa, len, term_atom("packet"));
#endif
	default:
		return encode_native(sa, len,
		    term_name_or_int(native_families, NELEMS(native_families),
		        sa->sa_family));
	}
}

/* {invalid, {sockaddr, X}}: what OTP's NIF reports for a bad field. */
static int
bad(term *why, term x)
{
	*why = term_tuple2(term_atom_of(A_INVALID),
	    term_tuple2(term_atom("sockaddr"), term_copy(x)));
	return -1;
}

/* {invalid, {sockaddr, Detail, X}}: what enc_sockaddr/1 throws. */
static int
thrown(term *why, term detail, term x)
{
	*why = term_tuple2(term_atom_of(A_INVALID),
	    term_tuple3(term_atom("sockaddr"), detail, term_copy(x)));
	return -1;
}

static int
is_one_of(term key, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (term_atom_is(key, names[i]))
			return 1;
	return 0;
}

/*
 * OTP: merge_sockaddr/2 throws {keys, Keys} for keys the family does not
 * have; it folds over the map and prepends, so they come out in reverse
 * term order.
 */
static int
check_keys(term m, const char *const *names, size_t n, term *why)
{
	size_t i, nbad = 0, size = term_size(m);
	term *badkeys, list;

	for (i = 0; i < size; i++)
		if (!is_one_of(term_map_key(m, i), names, n))
			nbad++;
	if (nbad == 0)
		return 0;
	badkeys = xreallocarray(NULL, nbad, sizeof(term));
	nbad = 0;
	for (i = size; i-- > 0;)
		if (!is_one_of(term_map_key(m, i), names, n))
			badkeys[nbad++] = term_copy(term_map_key(m, i));
	list = term_list(nbad, badkeys, term_nil());
	free(badkeys);
	return thrown(why, term_tuple2(term_atom("keys"), list), m);
}

/*
 * An integer field in lo..hi; a missing one takes its default. A port is
 * any C int, its low 16 bits taken, as OTP's NIF takes it.
 */
static int
get_int(
    term m, const char *key, int64_t dflt, int64_t lo, int64_t hi, int64_t *out)
{
	const term *v = term_map_get(m, key);

	if (v == NULL) {
		*out = dflt;
		return 0;
	}
	if (term_to_int64(*v, out) < 0 || *out < lo || *out > hi)
		return -1;
	return 0;
}

/* Integer elements of an n-tuple, each in 0..max, into a[]. */
static int
get_tuple(term t, size_t n, int64_t max, int64_t *a)
{
	size_t i;

	if (term_kind(t) != TERM_TUPLE || term_size(t) != n)
		return -1;
	for (i = 0; i < n; i++)
		if (term_to_int64(term_tuple_get(t, i), &a[i]) < 0 ||
		    a[i] < 0 || a[i] > max)
			return -1;
	return 0;
}

int
sa_in_addr_decode(term t, struct in_addr *ia)
{
	unsigned char *p = (unsigned char *)ia;
	int64_t a[4];
	size_t i;

	if (term_atom_is(t, "any"))
		ia->s_addr = htonl(INADDR_ANY);
	else if (term_atom_is(t, "loopback"))
		ia->s_addr = htonl(INADDR_LOOPBACK);
	else if (term_atom_is(t, "broadcast"))
		ia->s_addr = htonl(INADDR_BROADCAST);
	else if (get_tuple(t, 4, 255, a) == 0)
		for (i = 0; i < 4; i++)
			p[i] = (unsigned char)a[i];
	else
		return -1;
	return 0;
}

/* OTP: there is no IPv6 broadcast, so the atom is refused. */
int
sa_in6_addr_decode(term t, struct in6_addr *ia)
{
	int64_t a[8];
	size_t i;

	if (term_atom_is(t, "any"))
		*ia = in6addr_any;
	else if (term_atom_is(t, "loopback"))
		*ia = in6addr_loopback;
	else if (get_tuple(t, 8, 65535, a) == 0)
		for (i = 0; i < 8; i++) {
			ia->s6_addr[2 * i] = (unsigned char)(a[i] >> 8);
			ia->s6_addr[2 * i + 1] = (unsigned char)a[i];
		}
	else
		return -1;
	return 0;
}

static int
decode_inet(term m, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	static const char *const keys[] = {"family", "port", "addr"};
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	const term *addr;
	int64_t port;

	if (check_keys(m, keys, NELEMS(keys), why) < 0)
		return -1;
	sin->sin_family = AF_INET;
	if (get_int(m, "port", 0, INT32_MIN, INT32_MAX, &port) < 0)
		return bad(why, m);
	sin->sin_port = htons((uint16_t)port);
	addr = term_map_get(m, "addr");
	if (addr != NULL && sa_in_addr_decode(*addr, &sin->sin_addr) < 0)
		return bad(why, m);
	*len = sizeof *sin;
	return 0;
}

static int
decode_inet6(term m, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	static const char *const keys[] = {
	    "family", "port", "addr", "flowinfo", "scope_id"};
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	const term *addr;
	int64_t port, flowinfo, scope_id;

	if (check_keys(m, keys, NELEMS(keys), why) < 0)
		return -1;
	sin6->sin6_family = AF_INET6;
	if (get_int(m, "port", 0, INT32_MIN, INT32_MAX, &port) < 0 ||
	    get_int(m, "flowinfo", 0, 0, UINT32_MAX, &flowinfo) < 0 ||
	    get_int(m, "scope_id", 0, 0, UINT32_MAX, &scope_id) < 0)
		return bad(why, m);
	sin6->sin6_port = htons((uint16_t)port);
	sin6->sin6_flowinfo = (uint32_t)flowinfo;
	sin6->sin6_scope_id = (uint32_t)scope_id;
	addr = term_map_get(m, "addr");
	if (addr != NULL && sa_in6_addr_decode(*addr, &sin6->sin6_addr) < 0)
		return bad(why, m);
	*len = sizeof *sin6;
	return 0;
}

#define SA_CHARDATA_DEPTH 64

/*
 * unicode:characters_to_binary/2 into UTF-8, the native file name
 * encoding OTP uses for paths: code points, UTF-8 binaries and nested
 * lists, a list's tail being [] or a binary. Returns -1 on anything else.
 */
static int
chardata(term t, struct buf *out, int depth)
{
	size_t i, n;
	int64_t c;

	if (depth > SA_CHARDATA_DEPTH)
		return -1;
	switch (term_kind(t)) {
	case TERM_NIL:
		return 0;
	case TERM_BINARY:
		if (!term_is_binary(t) ||
		    !utf8_valid(term_bin_data(t), term_bin_size(t)))
			return -1;
		buf_add(out, term_bin_data(t), term_bin_size(t));
		return 0;
	case TERM_LIST:
		n = term_size(t);
		for (i = 0; i < n; i++) {
			term e = term_list_get(t, i);

			if (term_kind(e) == TERM_INT) {
				c = e.u.i;
				if (c < 0 || c > 0x10ffff ||
				    (c >= 0xd800 && c <= 0xdfff))
					return -1;
				buf_add_utf8(out, (uint32_t)c);
			} else if (term_kind(e) == TERM_BINARY ||
			           term_kind(e) == TERM_LIST ||
			           term_kind(e) == TERM_NIL) {
				if (chardata(e, out, depth + 1) < 0)
					return -1;
			} else
				return -1;
		}
		t = term_list_tail(t);
		if (term_kind(t) != TERM_NIL && term_kind(t) != TERM_BINARY)
			return -1;
		return chardata(t, out, depth + 1);
	default:
		return -1;
	}
}

/* A copy of map m with key set to v (consumed). */
static term
map_with(term m, const char *key, term v)
{
	size_t i, n = term_size(m), k = 0;
	term *keys = xreallocarray(NULL, n + 1, sizeof(term));
	term *vals = xreallocarray(NULL, n + 1, sizeof(term));
	term r;

	for (i = 0; i < n; i++) {
		keys[k] = term_copy(term_map_key(m, i));
		vals[k++] = term_copy(term_map_value(m, i));
	}
	keys[k] = term_atom(key);
	vals[k++] = v;
	r = term_map(k, keys, vals);
	free(keys);
	free(vals);
	return r;
}

static int
decode_local(term m, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	static const char *const keys[] = {"family", "path"};
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	const term *path = term_map_get(m, "path");
	const unsigned char *p;
	struct buf b;
	term mm;
	size_t n;

	if (path == NULL)
		return thrown(why, term_atom("path"), m);
	buf_init(&b);
	if (term_is_binary(*path) && term_bin_size(*path) <= SA_PATH_MAX)
		mm = term_copy(m);
	else if ((term_kind(*path) == TERM_NIL ||
	             (term_kind(*path) == TERM_LIST &&
	                 term_kind(term_list_tail(*path)) == TERM_NIL)) &&
	         term_size(*path) <= SA_PATH_MAX) {
		if (chardata(*path, &b, 0) < 0) {
			buf_free(&b);
			*why = term_tuple2(term_atom_of(A_INVALID),
			    term_tuple2(term_atom("path"), term_copy(*path)));
			return -1;
		}
		/* OTP: later errors show the map with the path encoded. */
		mm = map_with(m, "path", term_binary(b.data, b.len));
		buf_free(&b);
		if (term_bin_size(*term_map_get(mm, "path")) > SA_PATH_MAX) {
			thrown(why, term_atom("path"), mm);
			term_free(mm);
			return -1;
		}
	} else
		return thrown(why, term_atom("path"), m);
	if (check_keys(mm, keys, NELEMS(keys), why) < 0) {
		term_free(mm);
		return -1;
	}
	path = term_map_get(mm, "path");
	p = term_bin_data(*path);
	n = term_bin_size(*path);
	/*
	 * A path needs room for its NUL; an abstract name (leading NUL) is
	 * counted by length and may fill sun_path.
	 */
	if (n + (n > 0 && p[0] == '\0' ? 0 : 1) > sizeof un->sun_path) {
		term_free(mm);
		return bad(why, m);
	}
	un->sun_family = AF_LOCAL;
	if (n > 0)
		memcpy(un->sun_path, p, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	term_free(mm);
	return 0;
}

/* unspec and integer families: #{family => F, addr => Bin}. */
static int
decode_native(
    term m, int family, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	static const char *const keys[] = {"family", "addr"};
	struct sockaddr *sa = (struct sockaddr *)ss;
	size_t off = offsetof(struct sockaddr, sa_data), n;
	const term *addr;

	if (check_keys(m, keys, NELEMS(keys), why) < 0)
		return -1;
	addr = term_map_get(m, "addr");
	if (addr != NULL && !term_is_binary(*addr))
		return bad(why, m);
	n = addr != NULL ? term_bin_size(*addr) : 0;
	if (n > sizeof *ss - off)
		return bad(why, m);
	sa->sa_family = (sa_family_t)family;
	if (n > 0)
		memcpy((char *)ss + off, term_bin_data(*addr), n);
	*len = (socklen_t)(off + n);
	return 0;
}

/*
 * Port digits after the last colon of text; -1 when there are none or
 * too many, so that a port over 65535 is refused rather than wrapped.
 */
static long
literal_port(const char *text, size_t len, size_t *hostlen)
{
	const char *colon = memrchr(text, ':', len);
	size_t i, n;
	long port = 0;

	if (colon == NULL)
		return -1;
	n = len - (size_t)(colon + 1 - text);
	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (colon[1 + i] < '0' || colon[1 + i] > '9')
			return -1;
		port = port * 10 + (colon[1 + i] - '0');
	}
	*hostlen = (size_t)(colon - text);
	return port;
}

int
sa_resolve(const char *host, int family, long port, struct sockaddr_storage *ss,
    socklen_t *len, term *why)
{
	struct addrinfo hints, *res, *ai, *v6 = NULL;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	/* An inet6 socket reaches an IPv4-only host by a mapped address. */
	if (family == AF_INET6)
		hints.ai_flags = AI_V4MAPPED;
	if ((rc = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		*why = err_eai(rc);
		return -1;
	}
	/* Either family: IPv4 first, as socat prefers it, else IPv6. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof *ss)
			continue;
		if (ai->ai_addr->sa_family ==
		    (family == AF_UNSPEC ? AF_INET : family))
			break;
		if (family == AF_UNSPEC && ai->ai_addr->sa_family == AF_INET6 &&
		    v6 == NULL)
			v6 = ai;
	}
	if (ai == NULL)
		ai = v6;
	if (ai == NULL) {
		freeaddrinfo(res);
		*why = term_atom("eafnosupport");
		return -1;
	}
	memset(ss, 0, sizeof *ss);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	if (ai->ai_addr->sa_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	freeaddrinfo(res);
	return 0;
}

/* /path (a string, as OTP gives paths back) or @name (abstract). */
static term
local_literal(const char *text, size_t len)
{
	static const char *const keys[] = {"family", "path"};
	term v[2];

	v[0] = term_atom("local");
	if (text[0] == '@') {
		char *b = xmalloc(len);

		b[0] = '\0';
		memcpy(b + 1, text + 1, len - 1);
		v[1] = term_binary(b, len);
		free(b);
	} else
		v[1] = term_string_n(text, len);
	return term_map_atoms(2, keys, v);
}

/*
 * 127.0.0.1[:80] and [::1][:80] (with a %scope by name or number): the
 * map is built as written, and a port out of range is left for
 * sa_decode to refuse with the map, as OTP's NIF does.
 */
static int
numeric_literal(const char *text, size_t len, term *out)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2], *pct;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	size_t hl = len;
	long port = 0;
	term m;
	const char *h = text;

	if (memchr(text, ':', len) != NULL &&
	    (text[0] != '[' || text[len - 1] != ']')) {
		/* A shorthand's port is 0..65535, though a map's wraps. */
		if ((port = literal_port(text, len, &hl)) < 0 || port > 65535)
			return -1;
	}
	if (text[0] == '[') {
		if (hl < 2 || text[hl - 1] != ']')
			return -1;
		h++;
		hl -= 2;
	}
	if (hl >= sizeof host)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	memset(&ss, 0, sizeof ss);
	if (text[0] != '[') {
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		sin->sin_family = AF_INET;
		m = sa_encode((struct sockaddr *)&ss, sizeof *sin);
	} else {
		if ((pct = strchr(host, '%')) != NULL) {
			*pct++ = '\0';
			if (*pct >= '0' && *pct <= '9')
				sin6->sin6_scope_id =
				    (uint32_t)strtoul(pct, NULL, 10);
			else if ((sin6->sin6_scope_id = if_nametoindex(pct)) ==
			         0)
				return -1;
		}
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		m = sa_encode((struct sockaddr *)&ss, sizeof *sin6);
	}
	*out = map_with(m, "port", term_int(port));
	term_free(m);
	return 0;
}

/* {invalid, {sockaddr, Text}}: a literal that names no address. */
static int
bad_text(term *why, const char *text, size_t len)
{
	term t = term_string_n(text, len);

	bad(why, t);
	term_free(t);
	return -1;
}

int
sa_literal(const char *text, size_t len, int family, term *out, term *why)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	size_t hl;
	long port;
	char *host;
	int rc;

	if (len == 0 || memchr(text, '\0', len) != NULL)
		return bad_text(why, text, len);
	if (text[0] == '/' || text[0] == '@') {
		*out = local_literal(text, len);
		return 0;
	}
	if ((text[0] >= '0' && text[0] <= '9') || text[0] == '[') {
		if (numeric_literal(text, len, out) < 0)
			return bad_text(why, text, len);
		return 0;
	}
	/* host:port and :port, in the family the caller names. */
	if ((port = literal_port(text, len, &hl)) < 0 || port > 65535)
		return bad_text(why, text, len);
	if (family == AF_UNSPEC)
		family = AF_INET;
	if (family != AF_INET && family != AF_INET6) {
		*why = term_atom("eafnosupport");
		return -1;
	}
	if (hl == 0) {
		/* :port is OTP's addr => any, decoded as the map is. */
		static const char *const keys[] = {"family", "addr", "port"};
		term v[3], m;

		v[0] = term_atom(family == AF_INET ? "inet" : "inet6");
		v[1] = term_atom("any");
		v[2] = term_int(port);
		m = term_map_atoms(3, keys, v);
		rc = sa_decode(m, &ss, &sl, why);
		term_free(m);
	} else {
		host = xstrndup(text, hl);
		rc = sa_resolve(host, family, port, &ss, &sl, why);
		free(host);
	}
	if (rc < 0)
		return -1;
	*out = sa_encode((struct sockaddr *)&ss, sl);
	return 0;
}

/*
 * A loop that connects to one address decodes the same map each time:
 * the last map decoded is kept, with a reference so that it cannot be
 * freed and its storage reused for another, and the same map decodes to
 * the same bytes (terms do not change).
 */
static struct {
	term map;
	struct sockaddr_storage ss;
	socklen_t len;
} last = {{TERM_NIL, 0, {0}}, {0}, 0};

static int decode_map(
    term t, struct sockaddr_storage *ss, socklen_t *len, term *why);

int
sa_decode(term t, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	if (term_kind(t) == TERM_MAP && term_kind(last.map) == TERM_MAP &&
	    t.u.box == last.map.u.box) {
		*ss = last.ss;
		*len = last.len;
		return 0;
	}
	if (decode_map(t, ss, len, why) < 0)
		return -1;
	if (term_kind(t) == TERM_MAP) {
		term_free(last.map);
		last.map = term_copy(t);
		last.ss = *ss;
		last.len = *len;
	}
	return 0;
}

static int
decode_map(term t, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	const term *family;
	int64_t f;

	memset(ss, 0, sizeof *ss);
	*len = 0;
	if (term_kind(t) != TERM_MAP)
		return bad(why, t);
	if ((family = term_map_get(t, "family")) == NULL)
		return thrown(why, term_atom("family"), t);
	if (term_atom_is(*family, "inet"))
		return decode_inet(t, ss, len, why);
	if (term_atom_is(*family, "inet6"))
		return decode_inet6(t, ss, len, why);
	if (term_atom_is(*family, "local"))
		return decode_local(t, ss, len, why);
	if (term_atom_is(*family, "unspec"))
		return decode_native(t, AF_UNSPEC, ss, len, why);
	/* OTP casts any int to sa_family_t; esock refuses what won't fit. */
	if (term_to_int64(*family, &f) == 0) {
		if (f < 0 || f > 65535)
			return bad(why, t);
		return decode_native(t, (int)f, ss, len, why);
	}
	/* OTP passes other families on unchecked, and the NIF refuses them. */
	return bad(why, t);
}

int
sa_decode_arg(
    term t, int family, struct sockaddr_storage *ss, socklen_t *len, term *why)
{
	struct buf b;
	term m;
	int rc;

	if (term_kind(t) != TERM_LIST && term_kind(t) != TERM_BINARY)
		return sa_decode(t, ss, len, why);
	buf_init(&b);
	if (term_text(t, &b) < 0) {
		buf_free(&b);
		return sa_decode(t, ss, len, why);
	}
	rc = sa_literal(b.data, b.len, family, &m, why);
	buf_free(&b);
	if (rc < 0)
		return -1;
	rc = sa_decode(m, ss, len, why);
	term_free(m);
	return rc;
}
