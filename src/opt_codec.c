/*
 * The value codecs of socket options, as OTP 25's NIF has them
 * (prim_socket_nif.c): booleans and ints, names for tos and mtu
 * discovery, interface and algorithm names, addresses and multicast
 * requests, timevals, control messages, and structures (linger,
 * tcp_info, ucred, the SCTP parameters) mapped field by field from one
 * table per structure. The option rows, the otp level and the calls to
 * setsockopt and getsockopt are opt.c's; the in_addr codec is
 * sockaddr.c's, the control messages cmsg.c's.
 */
#define ESOCK_SOCKOPTS 1
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cmsg.h"
#include "opt_codec.h"
#include "sock.h"
#include "sockaddr.h"
#include "sockname.h"
#include "util.h"

/* OTP: 256 characters for a congestion algorithm's name. */
#define CONGESTION_MAX 257

/* --- value helpers ------------------------------------------------- */

/* OTP's GET_INT and GET_UINT: integers in range. */
int
codec_int_of(term t, int *out)
{
	int64_t v;

	if (term_to_int64(t, &v) < 0 || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int
codec_uint_of(term t, unsigned int *out)
{
	int64_t v;

	if (term_to_int64(t, &v) < 0 || v < 0 || v > (int64_t)UINT_MAX)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int
codec_bool_of(term t, int *out)
{
	if (term_is_atom(t, A_TRUE))
		*out = 1;
	else if (term_is_atom(t, A_FALSE))
		*out = 0;
	else
		return -1;
	return 0;
}

term
codec_bool_term(int v)
{
	return term_atom(v ? "true" : "false");
}

int
codec_get_int(const unsigned char *p)
{
	int v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* The member of map t under key, or NULL (also when t is no map). */
static const term *
member(term t, const char *key)
{
	return term_map_get(t, key);
}

static int
uint_member(term t, const char *key, unsigned int *out)
{
	const term *v = member(t, key);

	return v == NULL ? -1 : codec_uint_of(*v, out);
}

static int
in_addr_member(term t, const char *key, struct in_addr *a)
{
	const term *v = member(t, key);

	return v == NULL ? -1 : sa_in_addr_decode(*v, a);
}

/*
 * OTP's GET_STR into a buffer of max bytes: a latin1 string shorter than
 * max; the kernel gets its characters without the NUL. A bare atom is
 * taken as its text too, as everywhere in esock a string (here an
 * interface or algorithm name) is taken.
 */
static int
text_of(term t, size_t max, struct buf *b)
{
	if (term_kind(t) != TERM_ATOM && term_kind(t) != TERM_NIL &&
	    !term_is_charlist(t))
		return -1;
	if (term_text(t, b) < 0 || b->len >= max)
		return -1;
	return 0;
}

/* --- codecs -------------------------------------------------------- */

static int
dec_bool(term t, struct buf *b)
{
	int v;

	if (codec_bool_of(t, &v) < 0)
		return -1;
	buf_add(b, &v, sizeof v);
	return 0;
}

static term
enc_bool(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	(void)len;
	return codec_bool_term(codec_get_int(p) != 0);
}

static int
dec_int(term t, struct buf *b)
{
	int v;

	if (codec_int_of(t, &v) < 0)
		return -1;
	buf_add(b, &v, sizeof v);
	return 0;
}

static term
enc_int(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	(void)len;
	return term_int(codec_get_int(p));
}

static int
dec_ifname(term t, struct buf *b)
{
	return text_of(t, IFNAMSIZ, b);
}

/* OTP keeps the NUL the kernel counts in an interface name. */
static term
enc_ifname(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	return term_string_n((const char *)p, len);
}

static int
dec_congestion(term t, struct buf *b)
{
	return text_of(t, CONGESTION_MAX, b);
}

/* OTP strips one trailing NUL of the name (Linux pads it to 16). */
static term
enc_congestion(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	if (len > 0 && p[len - 1] == '\0')
		len--;
	return term_string_n((const char *)p, len);
}

static term
enc_domain(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	(void)len;
	return sockname_domain_term(codec_get_int(p));
}

static term
enc_type(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	(void)len;
	return sockname_type_term(codec_get_int(p));
}

/* OTP: 0 of a local socket is default; others by the protocols' names. */
static term
enc_protocol(const struct sock *s, const unsigned char *p, socklen_t len)
{
	int v = codec_get_int(p);

	(void)len;
	if (v == 0 && s->domain == AF_LOCAL)
		return term_atom("default");
	return sockname_protocol_term(v);
}

/* RFC 1349 type of service values, as OTP names them. */
static const struct term_name tos_names[] = {
    {0x10, "lowdelay"},
    {0x08, "throughput"},
    {0x04, "reliability"},
    {0x02, "mincost"},
};

/* An int given by its name in a table, or as a number. */
static int
dec_named(term t, const struct term_name *tab, size_t n, struct buf *b)
{
	const struct term_name *row = term_name_find(tab, n, t);
	int v;

	if (row != NULL)
		v = row->value;
	else if (codec_int_of(t, &v) < 0)
		return -1;
	buf_add(b, &v, sizeof v);
	return 0;
}

static int
dec_tos(term t, struct buf *b)
{
	return dec_named(t, tos_names, NELEMS(tos_names), b);
}

/* OTP: the name when the TOS bits (mask 0x1e) are one of them. */
static term
tos_term(int v)
{
	size_t i;

	for (i = 0; i < NELEMS(tos_names); i++)
		if ((v & 0x1e) == tos_names[i].value)
			return term_atom(tos_names[i].name);
	return term_int(v);
}

static term
enc_tos(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	(void)len;
	return tos_term(codec_get_int(p));
}

/* Linux's IP_PMTUDISC_* and IPV6_PMTUDISC_* values, OTP's names. */
static const struct term_name pmtudisc_names[] = {
    {0, "dont"},
    {1, "want"},
    {2, "do"},
    {3, "probe"},
};

static int
dec_pmtudisc(term t, struct buf *b)
{
	return dec_named(t, pmtudisc_names, NELEMS(pmtudisc_names), b);
}

static term
enc_pmtudisc(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	(void)len;
	return term_name_or_int(
	    pmtudisc_names, NELEMS(pmtudisc_names), codec_get_int(p));
}

static int
dec_in_addr(term t, struct buf *b)
{
	struct in_addr a;

	if (sa_in_addr_decode(t, &a) < 0)
		return -1;
	buf_add(b, &a, sizeof a);
	return 0;
}

static term
enc_in_addr(const struct sock *s, const unsigned char *p, socklen_t len)
{
	struct in_addr a;

	(void)s;
	(void)len;
	memcpy(&a, p, sizeof a);
	return sa_in_addr_term(&a);
}

/* #{multiaddr := ip4_address(), interface := any | ip4_address()} */
static int
dec_mreq(term t, struct buf *b)
{
	struct ip_mreq m;

	memset(&m, 0, sizeof m);
	if (in_addr_member(t, "multiaddr", &m.imr_multiaddr) < 0 ||
	    in_addr_member(t, "interface", &m.imr_interface) < 0)
		return -1;
	buf_add(b, &m, sizeof m);
	return 0;
}

/* The same with sourceaddr := ip4_address(). */
static int
dec_mreq_source(term t, struct buf *b)
{
#ifdef ESOCK_HAVE_MREQ_SOURCE
	struct ip_mreq_source m;

	memset(&m, 0, sizeof m);
	if (in_addr_member(t, "multiaddr", &m.imr_multiaddr) < 0 ||
	    in_addr_member(t, "interface", &m.imr_interface) < 0 ||
	    in_addr_member(t, "sourceaddr", &m.imr_sourceaddr) < 0)
		return -1;
	buf_add(b, &m, sizeof m);
	return 0;
#else
	(void)t;
	(void)b;
	return -1;
#endif
}

/*
 * null (no filter: OTP passes no bytes), or #{multiaddr, interface,
 * mode := include | exclude, slist := [ip4_address()]}.
 */
static int
dec_msfilter(term t, struct buf *b)
{
#ifdef ESOCK_HAVE_MSFILTER
	struct ip_msfilter *f;
	const term *mode, *sl;
	size_t n, i, size;
	int rc = -1;

	if (term_atom_is(t, "null"))
		return 0;
	if (member(t, "multiaddr") == NULL || member(t, "interface") == NULL ||
	    (mode = member(t, "mode")) == NULL ||
	    (sl = member(t, "slist")) == NULL)
		return -1;
	if (term_kind(*sl) == TERM_NIL)
		n = 0;
	else if (term_kind(*sl) == TERM_LIST &&
	         term_kind(term_list_tail(*sl)) == TERM_NIL)
		n = term_size(*sl);
	else
		return -1;
	if (n > 65536)
		return -1;
	size = IP_MSFILTER_SIZE(n);
	f = xcalloc(1, size);
	if (in_addr_member(t, "multiaddr", &f->imsf_multiaddr) < 0 ||
	    in_addr_member(t, "interface", &f->imsf_interface) < 0)
		goto out;
	if (term_atom_is(*mode, "include"))
		f->imsf_fmode = MCAST_INCLUDE;
	else if (term_atom_is(*mode, "exclude"))
		f->imsf_fmode = MCAST_EXCLUDE;
	else
		goto out;
	f->imsf_numsrc = (uint32_t)n;
	for (i = 0; i < n; i++)
		if (sa_in_addr_decode(
		        term_list_get(*sl, i), &f->imsf_slist[i]) < 0)
			goto out;
	buf_add(b, f, size);
	rc = 0;
out:
	free(f);
	return rc;
#else
	(void)t;
	(void)b;
	return -1;
#endif
}

/* #{multiaddr := ip6_address(), interface := non_neg_integer()} */
static int
dec_ipv6_mreq(term t, struct buf *b)
{
	struct ipv6_mreq m;
	const term *ma;
	unsigned int ifindex;

	memset(&m, 0, sizeof m);
	if ((ma = member(t, "multiaddr")) == NULL ||
	    member(t, "interface") == NULL ||
	    sa_in6_addr_decode(*ma, &m.ipv6mr_multiaddr) < 0 ||
	    uint_member(t, "interface", &ifindex) < 0)
		return -1;
	m.ipv6mr_interface = ifindex;
	buf_add(b, &m, sizeof m);
	return 0;
}

/* default (the kernel's -1) or 0..255. */
static int
dec_hops(term t, struct buf *b)
{
	int v;

	if (term_atom_is(t, "default"))
		v = -1;
	else if (codec_int_of(t, &v) < 0 || v < 0 || v > 255)
		return -1;
	buf_add(b, &v, sizeof v);
	return 0;
}

static int
dec_addrform(term t, struct buf *b)
{
	int v;

	if (sockname_domain(t, &v) < 0)
		return -1;
	buf_add(b, &v, sizeof v);
	return 0;
}

/* The control messages of a pktoptions result, as the NIF has them. */
static term
enc_pktoptions(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	return cmsg_list(p, len, CMSG_LEVEL_NUMBERS);
}

/* #{sec := integer(), usec := integer()} */
static int
dec_timeval(term t, struct buf *b)
{
	struct timeval tv;
	const term *sec, *usec;
	int64_t s, u;

	memset(&tv, 0, sizeof tv);
	if ((sec = member(t, "sec")) == NULL ||
	    (usec = member(t, "usec")) == NULL || term_to_int64(*sec, &s) < 0 ||
	    term_to_int64(*usec, &u) < 0 || u < LONG_MIN || u > LONG_MAX)
		return -1;
	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)u;
	if ((int64_t)tv.tv_sec != s)
		return -1;
	buf_add(b, &tv, sizeof tv);
	return 0;
}

static term
enc_timeval(const struct sock *s, const unsigned char *p, socklen_t len)
{
	static const char *const keys[] = {"sec", "usec"};
	struct timeval tv;
	term v[2];

	(void)s;
	(void)len;
	memcpy(&tv, p, sizeof tv);
	v[0] = term_int((int64_t)tv.tv_sec);
	v[1] = term_int((int64_t)tv.tv_usec);
	return term_map_atoms(2, keys, v);
}

static int
dec_binary(term t, struct buf *b)
{
	return term_iodata(t, b);
}

static term
enc_binary(const struct sock *s, const unsigned char *p, socklen_t len)
{
	(void)s;
	return term_binary(p, len);
}

/* --- structures, field by field ------------------------------------- */

/*
 * How a field reads and writes: an int (OTP's GET_INT), an unsigned int
 * (GET_UINT), a boolean, or an unsigned number shown by its name in the
 * layout's table when it has one. A value is checked against the range
 * of its kind and then stored in the field's size, as OTP's NIF casts it.
 */
enum field_kind { F_INT, F_UINT, F_BOOL, F_NAMED };

struct field {
	const char *key;     /* the map key */
	size_t off;          /* offsetof the member */
	unsigned char size;  /* 1, 2 or 4 bytes */
	unsigned char kind;  /* enum field_kind */
	unsigned char shift; /* a bit-field (read only): its low bit */
	unsigned char bits;  /* and its width; 0 for a whole member */
};

#define FIELD(type, member, key, kind)                                         \
	{                                                                      \
		key, offsetof(type, member), sizeof(((type *)0)->member),      \
		    kind, 0, 0                                                 \
	}

/* The most fields a layout has (tcp_info's). */
#define LAYOUT_FIELDS_MAX 32

/* A structure as a map: its size and fields (keys in any order). */
struct layout {
	size_t size;
	const struct field *fields;
	size_t n;
	const struct term_name *names; /* for F_NAMED */
	size_t nnames;
};

#define LAYOUT(type, fields, names, nnames)                                    \
	{                                                                      \
		sizeof(type), fields, NELEMS(fields), names, nnames            \
	}

/* The field as an unsigned number; 0 past the len bytes there are. */
static uint32_t
field_get(const struct field *f, const unsigned char *p, size_t len)
{
	uint32_t v = 0;
	uint16_t v16;
	uint8_t v8;

	if (f->off + f->size > len)
		return 0;
	if (f->size == 1) {
		memcpy(&v8, p + f->off, 1);
		v = v8;
	} else if (f->size == 2) {
		memcpy(&v16, p + f->off, 2);
		v = v16;
	} else
		memcpy(&v, p + f->off, 4);
	if (f->bits != 0)
		v = v >> f->shift & ((1u << f->bits) - 1);
	return v;
}

/* The field's value as an Erlang term. */
static term
field_term(const struct layout *l, const struct field *f,
    const unsigned char *p, size_t len)
{
	uint32_t v = field_get(f, p, len), top = 1u << (8 * f->size - 1);

	switch (f->kind) {
	case F_INT: /* sign-extended from its size */
		return term_int(
		    (v & top) ? (int64_t)v - 2 * (int64_t)top : (int64_t)v);
	case F_BOOL:
		return codec_bool_term(v != 0);
	case F_NAMED:
		return term_name_or_int(l->names, l->nnames, (int)v);
	default:
		return term_int(v);
	}
}

/* Stores v in the field's size (truncating, as OTP's casts do). */
static void
field_put(const struct field *f, unsigned char *p, int64_t v)
{
	uint32_t v32 = (uint32_t)v;
	uint16_t v16 = (uint16_t)v;
	uint8_t v8 = (uint8_t)v;

	if (f->size == 1)
		memcpy(p + f->off, &v8, 1);
	else if (f->size == 2)
		memcpy(p + f->off, &v16, 2);
	else
		memcpy(p + f->off, &v32, 4);
}

/* The structure of len bytes at p as a map of its fields. */
static term
layout_encode(const struct layout *l, const unsigned char *p, socklen_t len)
{
	const char *keys[LAYOUT_FIELDS_MAX];
	term v[LAYOUT_FIELDS_MAX];
	size_t i;

	if (l->n > LAYOUT_FIELDS_MAX)
		fatal("a layout has %zu fields", l->n);
	for (i = 0; i < l->n; i++) {
		keys[i] = l->fields[i].key;
		v[i] = field_term(l, &l->fields[i], p, len);
	}
	return term_map_atoms(l->n, keys, v);
}

/*
 * A map with every field's key (others are ignored) into the structure
 * at p, zeroed first; -1 when a key is missing or a value out of range.
 */
static int
layout_decode(const struct layout *l, term t, unsigned char *p)
{
	const struct field *f;
	const term *v;
	unsigned int u;
	size_t i;
	int n;

	memset(p, 0, l->size);
	for (i = 0; i < l->n; i++) {
		f = &l->fields[i];
		if ((v = term_map_get(t, f->key)) == NULL)
			return -1;
		if (f->kind == F_INT && codec_int_of(*v, &n) == 0)
			field_put(f, p, n);
		else if (f->kind == F_BOOL && codec_bool_of(*v, &n) == 0)
			field_put(f, p, n);
		else if ((f->kind == F_UINT || f->kind == F_NAMED) &&
		         codec_uint_of(*v, &u) == 0)
			field_put(f, p, u);
		else
			return -1;
	}
	return 0;
}

static const struct field linger_fields[] = {
    FIELD(struct linger, l_onoff, "onoff", F_BOOL),
    FIELD(struct linger, l_linger, "linger", F_INT),
};
static const struct layout linger_layout =
    LAYOUT(struct linger, linger_fields, NULL, 0);

/* #{onoff := boolean(), linger := non_neg_integer()} or abort. */
static int
dec_linger(term t, struct buf *b)
{
	struct linger l;

	if (term_is_atom(t, A_ABORT)) {
		memset(&l, 0, sizeof l);
		l.l_onoff = 1;
	} else if (layout_decode(&linger_layout, t, (unsigned char *)&l) < 0 ||
	           l.l_linger < 0)
		return -1;
	buf_add(b, &l, sizeof l);
	return 0;
}

#ifdef ESOCK_HAVE_TCP_INFO
/* Linux's TCP states, lowercase, as ss(8) shows them. */
static const struct term_name tcp_states[] = {
    {1, "established"},
    {2, "syn_sent"},
    {3, "syn_recv"},
    {4, "fin_wait1"},
    {5, "fin_wait2"},
    {6, "time_wait"},
    {7, "close"},
    {8, "close_wait"},
    {9, "last_ack"},
    {10, "listen"},
    {11, "closing"},
};

#define TI(m, key, kind) FIELD(struct tcp_info, tcpi_##m, key, kind)
/*
 * The two window scales share the byte after tcpi_options as 4-bit
 * fields, snd_wscale declared first: the ABI puts the first in the low
 * bits on a little-endian machine and in the high bits on a big one.
 */
#define TI_WSCALE_OFF (offsetof(struct tcp_info, tcpi_options) + 1)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define TI_SND_WSCALE_SHIFT 4
#define TI_RCV_WSCALE_SHIFT 0
#else
#define TI_SND_WSCALE_SHIFT 0
#define TI_RCV_WSCALE_SHIFT 4
#endif

/* struct tcp_info as a map, its fields without the tcpi_ prefix. */
static const struct field tcp_info_fields[] = {
    TI(state, "state", F_NAMED),
    TI(ca_state, "ca_state", F_UINT),
    TI(retransmits, "retransmits", F_UINT),
    TI(probes, "probes", F_UINT),
    TI(backoff, "backoff", F_UINT),
    TI(options, "options", F_UINT),
    {"snd_wscale", TI_WSCALE_OFF, 1, F_UINT, TI_SND_WSCALE_SHIFT, 4},
    {"rcv_wscale", TI_WSCALE_OFF, 1, F_UINT, TI_RCV_WSCALE_SHIFT, 4},
    TI(rto, "rto", F_UINT),
    TI(ato, "ato", F_UINT),
    TI(snd_mss, "snd_mss", F_UINT),
    TI(rcv_mss, "rcv_mss", F_UINT),
    TI(unacked, "unacked", F_UINT),
    TI(sacked, "sacked", F_UINT),
    TI(lost, "lost", F_UINT),
    TI(retrans, "retrans", F_UINT),
    TI(fackets, "fackets", F_UINT),
    TI(last_data_sent, "last_data_sent", F_UINT),
    TI(last_ack_sent, "last_ack_sent", F_UINT),
    TI(last_data_recv, "last_data_recv", F_UINT),
    TI(last_ack_recv, "last_ack_recv", F_UINT),
    TI(pmtu, "pmtu", F_UINT),
    TI(rcv_ssthresh, "rcv_ssthresh", F_UINT),
    TI(rtt, "rtt", F_UINT),
    TI(rttvar, "rttvar", F_UINT),
    TI(snd_ssthresh, "snd_ssthresh", F_UINT),
    TI(snd_cwnd, "snd_cwnd", F_UINT),
    TI(advmss, "advmss", F_UINT),
    TI(reordering, "reordering", F_UINT),
    TI(rcv_rtt, "rcv_rtt", F_UINT),
    TI(rcv_space, "rcv_space", F_UINT),
    TI(total_retrans, "total_retrans", F_UINT),
};
#undef TI
static const struct layout tcp_info_layout =
    LAYOUT(struct tcp_info, tcp_info_fields, tcp_states, NELEMS(tcp_states));
#define TCP_INFO_LAYOUT (&tcp_info_layout)
#define TCP_INFO_ENC NULL
#define TCP_INFO_LEN sizeof(struct tcp_info)
#else
#define TCP_INFO_LAYOUT NULL
#define TCP_INFO_ENC enc_binary
#define TCP_INFO_LEN 256
#endif

#ifdef ESOCK_HAVE_PEERCRED
static const struct field ucred_fields[] = {
    FIELD(struct ucred, pid, "pid", F_INT),
    FIELD(struct ucred, uid, "uid", F_UINT),
    FIELD(struct ucred, gid, "gid", F_UINT),
};
static const struct layout ucred_layout =
    LAYOUT(struct ucred, ucred_fields, NULL, 0);
#define PEERCRED_LAYOUT (&ucred_layout)
#define PEERCRED_ENC NULL
#define PEERCRED_LEN sizeof(struct ucred)
#else
#define PEERCRED_LAYOUT NULL
#define PEERCRED_ENC enc_binary
#define PEERCRED_LEN 64
#endif

#ifdef ESOCK_HAVE_SCTP
/* The SCTP parameters, each key required, as OTP's NIF reads them. */
static const struct field assocparams_fields[] = {
    FIELD(struct sctp_assocparams, sasoc_assoc_id, "assoc_id", F_INT),
    FIELD(struct sctp_assocparams, sasoc_asocmaxrxt, "asocmaxrxt", F_UINT),
    FIELD(struct sctp_assocparams, sasoc_number_peer_destinations,
        "number_peer_destinations", F_UINT),
    FIELD(struct sctp_assocparams, sasoc_peer_rwnd, "peer_rwnd", F_UINT),
    FIELD(struct sctp_assocparams, sasoc_local_rwnd, "local_rwnd", F_UINT),
    FIELD(struct sctp_assocparams, sasoc_cookie_life, "cookie_life", F_UINT),
};
static const struct layout assocparams_layout =
    LAYOUT(struct sctp_assocparams, assocparams_fields, NULL, 0);

#define EV(m, key) FIELD(struct sctp_event_subscribe, sctp_##m, key, F_BOOL)
static const struct field events_fields[] = {
    EV(data_io_event, "data_io"),
    EV(association_event, "association"),
    EV(address_event, "address"),
    EV(send_failure_event, "send_failure"),
    EV(peer_error_event, "peer_error"),
    EV(shutdown_event, "shutdown"),
    EV(partial_delivery_event, "partial_delivery"),
    EV(adaptation_layer_event, "adaptation_layer"),
    EV(authentication_event, "authentication"),
    EV(sender_dry_event, "sender_dry"),
};
#undef EV
static const struct layout events_layout =
    LAYOUT(struct sctp_event_subscribe, events_fields, NULL, 0);

static const struct field initmsg_fields[] = {
    FIELD(struct sctp_initmsg, sinit_num_ostreams, "num_outstreams", F_UINT),
    FIELD(struct sctp_initmsg, sinit_max_instreams, "max_instreams", F_UINT),
    FIELD(struct sctp_initmsg, sinit_max_attempts, "max_attempts", F_UINT),
    FIELD(struct sctp_initmsg, sinit_max_init_timeo, "max_init_timeo", F_UINT),
};
static const struct layout initmsg_layout =
    LAYOUT(struct sctp_initmsg, initmsg_fields, NULL, 0);

static const struct field rtoinfo_fields[] = {
    FIELD(struct sctp_rtoinfo, srto_assoc_id, "assoc_id", F_INT),
    FIELD(struct sctp_rtoinfo, srto_initial, "initial", F_UINT),
    FIELD(struct sctp_rtoinfo, srto_max, "max", F_UINT),
    FIELD(struct sctp_rtoinfo, srto_min, "min", F_UINT),
};
static const struct layout rtoinfo_layout =
    LAYOUT(struct sctp_rtoinfo, rtoinfo_fields, NULL, 0);

#define SCTP_LAYOUT(x) (&x##_layout)
#define SCTP_LEN(type) sizeof(struct type)
#else
#define SCTP_LAYOUT(x) NULL
#define SCTP_LEN(type) 0
#endif

/* --- the table ------------------------------------------------------ */

/*
 * Each codec decodes with its function or its layout, and encodes the
 * same way. A getlen of 0 means the socket's {otp, rcvctrlbuf}.
 */
static const struct codec {
	const char *type; /* the value, for the listing */
	int (*dec)(term, struct buf *);
	term (*enc)(const struct sock *, const unsigned char *, socklen_t);
	const struct layout *dec_layout;
	const struct layout *enc_layout;
	socklen_t getlen;
} codecs[CODEC_N] = {
    [CODEC_NONE] = {"-", NULL, NULL, NULL, NULL, 0},
    [CODEC_BOOL] = {"boolean()", dec_bool, enc_bool, NULL, NULL, sizeof(int)},
    [CODEC_INT] = {"integer()", dec_int, enc_int, NULL, NULL, sizeof(int)},
    [CODEC_LINGER] = {"linger()", dec_linger, NULL, NULL, &linger_layout,
        sizeof(struct linger)},
    [CODEC_IFNAME] = {"string()", dec_ifname, enc_ifname, NULL, NULL,
        IFNAMSIZ + 1},
    [CODEC_CONGESTION] = {"string()", dec_congestion, enc_congestion, NULL,
        NULL, CONGESTION_MAX},
    [CODEC_DOMAIN] = {"domain()", NULL, enc_domain, NULL, NULL, sizeof(int)},
    [CODEC_TYPE] = {"type()", NULL, enc_type, NULL, NULL, sizeof(int)},
    [CODEC_PROTOCOL] = {"protocol()", NULL, enc_protocol, NULL, NULL,
        sizeof(int)},
    [CODEC_TOS] = {"ip_tos()", dec_tos, enc_tos, NULL, NULL, sizeof(int)},
    [CODEC_PMTUDISC] = {"ip_pmtudisc()", dec_pmtudisc, enc_pmtudisc, NULL, NULL,
        sizeof(int)},
    [CODEC_IN_ADDR] = {"any | ip4_address()", dec_in_addr, enc_in_addr, NULL,
        NULL, sizeof(struct in_addr)},
    [CODEC_MREQ] = {"ip_mreq()", dec_mreq, NULL, NULL, NULL, 0},
    [CODEC_MREQ_SOURCE] = {"ip_mreq_source()", dec_mreq_source, NULL, NULL,
        NULL, 0},
    [CODEC_MSFILTER] = {"null | ip_msfilter()", dec_msfilter, NULL, NULL, NULL,
        0},
    [CODEC_IPV6_MREQ] = {"ipv6_mreq()", dec_ipv6_mreq, NULL, NULL, NULL, 0},
    [CODEC_HOPS] = {"default | 0..255", dec_hops, enc_int, NULL, NULL,
        sizeof(int)},
    [CODEC_ADDRFORM] = {"domain()", dec_addrform, NULL, NULL, NULL, 0},
    [CODEC_PKTOPTIONS] = {"[cmsg()]", NULL, enc_pktoptions, NULL, NULL, 0},
    [CODEC_TIMEVAL] = {"timeval()", dec_timeval, enc_timeval, NULL, NULL,
        sizeof(struct timeval)},
    [CODEC_TCP_INFO] = {"map()", NULL, TCP_INFO_ENC, NULL, TCP_INFO_LAYOUT,
        TCP_INFO_LEN},
    [CODEC_PEERCRED] = {"map()", NULL, PEERCRED_ENC, NULL, PEERCRED_LAYOUT,
        PEERCRED_LEN},
    [CODEC_BINARY] = {"binary()", dec_binary, enc_binary, NULL, NULL, 40},
    [CODEC_SCTP_ASSOCINFO] = {"sctp_assocparams()", NULL, NULL,
        SCTP_LAYOUT(assocparams), SCTP_LAYOUT(assocparams),
        SCTP_LEN(sctp_assocparams)},
    [CODEC_SCTP_EVENTS] = {"sctp_event_subscribe()", NULL, NULL,
        SCTP_LAYOUT(events), NULL, 0},
    [CODEC_SCTP_INITMSG] = {"sctp_initmsg()", NULL, NULL, SCTP_LAYOUT(initmsg),
        SCTP_LAYOUT(initmsg), SCTP_LEN(sctp_initmsg)},
    [CODEC_SCTP_RTOINFO] = {"sctp_rtoinfo()", NULL, NULL, SCTP_LAYOUT(rtoinfo),
        NULL, 0},
    [CODEC_OTP_DEBUG] = {"boolean()", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_IOW] = {"boolean()", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_RCVBUF] = {"default | Size | {N, Size}", NULL, NULL, NULL, NULL,
        0},
    [CODEC_OTP_RCVCTRLBUF] = {"default | Size", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_SNDCTRLBUF] = {"default | Size", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_FD] = {"integer()", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_META] = {"term()", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_CTRL_PROC] = {"pid()", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_REGISTRY] = {"boolean()", NULL, NULL, NULL, NULL, 0},
    [CODEC_OTP_DOMAIN] = {"domain()", NULL, NULL, NULL, NULL, 0},
};

const char *
codec_type(enum codec_id id)
{
	return codecs[id].type;
}

int
codec_decodes(enum codec_id id)
{
	return codecs[id].dec != NULL || codecs[id].dec_layout != NULL;
}

int
codec_encodes(enum codec_id id)
{
	return codecs[id].enc != NULL || codecs[id].enc_layout != NULL;
}

socklen_t
codec_getlen(enum codec_id id)
{
	return codecs[id].getlen;
}

int
codec_decode(enum codec_id id, term t, struct buf *b)
{
	const struct codec *c = &codecs[id];
	unsigned char *p;
	int rc;

	if (c->dec != NULL)
		return c->dec(t, b);
	if (c->dec_layout == NULL)
		fatal("codec %s has no decoder", c->type);
	p = xmalloc(c->dec_layout->size);
	if ((rc = layout_decode(c->dec_layout, t, p)) == 0)
		buf_add(b, p, c->dec_layout->size);
	free(p);
	return rc;
}

term
codec_encode(enum codec_id id, const struct sock *s, const unsigned char *p,
    socklen_t len)
{
	const struct codec *c = &codecs[id];

	if (c->enc != NULL)
		return c->enc(s, p, len);
	if (c->enc_layout == NULL)
		fatal("codec %s has no encoder", c->type);
	return layout_encode(c->enc_layout, p, len);
}
