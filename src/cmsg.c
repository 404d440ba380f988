/*
 * Control messages as OTP 25's NIF (prim_socket_nif.c) and prim_socket
 * encode and decode them: one table of types per level (socket, ip,
 * ipv6), each type with its name and, where OTP has them, an encoder
 * from data to value and a decoder from value to data. The value codecs
 * of the option table (tos, int, timeval) and the address codecs of
 * sockaddr.c serve here too. Also the set of descriptors received in
 * SCM_RIGHTS messages, which the session closes at exit. The msg() maps
 * and the calls to recvmsg and sendmsg are cmd_msg.c's.
 */
#define ESOCK_SOCKOPTS 1
#include "compat.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/errqueue.h>)
#include <linux/types.h>
#include <linux/errqueue.h>
#define ESOCK_HAVE_ERRQUEUE 1
#endif
#endif

#include "cmsg.h"
#include "errnames.h"
#include "opt_codec.h"
#include "result.h"
#include "sockaddr.h"
#include "sockname.h"
#include "util.h"

#ifndef SCM_CREDENTIALS
#define SCM_CREDENTIALS (-1)
#endif
#ifndef IP_ORIGDSTADDR
#define IP_ORIGDSTADDR (-1)
#endif

/*
 * A type of a level: its C value (-1 where this platform lacks it: the
 * row is never matched), OTP's name, and the codecs OTP has for it. enc
 * gives the value of n bytes of data (-1: too short, no value); dec
 * appends the data of a value (-1: no value of the type).
 */
struct cmsg_type {
	int type;
	const char *name;
	int (*enc)(const unsigned char *, size_t, term *);
	int (*dec)(term, struct buf *);
};

/* The data as an int (OTP's esock_cmsg_encode_int). */
static int
enc_int(const unsigned char *d, size_t n, term *value)
{
	if (n < sizeof(int))
		return -1;
	*value = codec_encode(CODEC_INT, NULL, d, sizeof(int));
	return 0;
}

static int
dec_int(term t, struct buf *b)
{
	return codec_decode(CODEC_INT, t, b);
}

/* One byte: IP_RECVTTL's (OTP's esock_cmsg_encode_uchar). */
static int
enc_uchar(const unsigned char *d, size_t n, term *value)
{
	if (n < 1)
		return -1;
	*value = term_int(d[0]);
	return 0;
}

/* The kernel gives the TOS as one byte; it is sent as an int. */
static int
enc_tos(const unsigned char *d, size_t n, term *value)
{
	int v;

	if (n < 1)
		return -1;
	v = d[0];
	*value =
	    codec_encode(CODEC_TOS, NULL, (const unsigned char *)&v, sizeof v);
	return 0;
}

static int
dec_tos(term t, struct buf *b)
{
	return codec_decode(CODEC_TOS, t, b);
}

static int
enc_timeval(const unsigned char *d, size_t n, term *value)
{
	if (n < sizeof(struct timeval))
		return -1;
	*value = codec_encode(CODEC_TIMEVAL, NULL, d, sizeof(struct timeval));
	return 0;
}

static int
dec_timeval(term t, struct buf *b)
{
	return codec_decode(CODEC_TIMEVAL, t, b);
}

/* An address, as origdstaddr brings it. */
static int
enc_sockaddr(const unsigned char *d, size_t n, term *value)
{
	struct sockaddr_storage ss;

	if (n > sizeof ss)
		n = sizeof ss;
	memset(&ss, 0, sizeof ss);
	memcpy(&ss, d, n);
	*value = sa_encode((const struct sockaddr *)&ss, (socklen_t)n);
	return 0;
}

#ifdef IP_PKTINFO
/* #{addr, ifindex, spec_dst} */
static int
enc_in_pktinfo(const unsigned char *d, size_t n, term *value)
{
	static const char *const keys[] = {"addr", "ifindex", "spec_dst"};
	struct in_pktinfo pi;
	term v[3];

	if (n < sizeof pi)
		return -1;
	memcpy(&pi, d, sizeof pi);
	v[0] = sa_in_addr_term(&pi.ipi_addr);
	/* OTP: made as an unsigned int. */
	v[1] = term_int((unsigned int)pi.ipi_ifindex);
	v[2] = sa_in_addr_term(&pi.ipi_spec_dst);
	*value = term_map_atoms(3, keys, v);
	return 0;
}
#else
#define IP_PKTINFO (-1)
#define enc_in_pktinfo NULL
#endif

#ifdef IPV6_PKTINFO
/* #{addr, ifindex} */
static int
enc_in6_pktinfo(const unsigned char *d, size_t n, term *value)
{
	static const char *const keys[] = {"addr", "ifindex"};
	struct in6_pktinfo pi;
	term v[2];

	if (n < sizeof pi)
		return -1;
	memcpy(&pi, d, sizeof pi);
	v[0] = sa_in6_addr_term(&pi.ipi6_addr);
	v[1] = term_int((int)pi.ipi6_ifindex);
	*value = term_map_atoms(2, keys, v);
	return 0;
}
#else
#define IPV6_PKTINFO (-1)
#define enc_in6_pktinfo NULL
#endif

#ifdef ESOCK_HAVE_ERRQUEUE
/* struct sock_extended_err's origins, as OTP names them. */
static const struct term_name ee_origins[] = {
    {SO_EE_ORIGIN_NONE, "none"},
    {SO_EE_ORIGIN_LOCAL, "local"},
    {SO_EE_ORIGIN_ICMP, "icmp"},
    {SO_EE_ORIGIN_ICMP6, "icmp6"},
#ifdef SO_EE_ORIGIN_TXSTATUS
    {SO_EE_ORIGIN_TXSTATUS, "txstatus"},
#endif
#ifdef SO_EE_ORIGIN_ZEROCOPY
    {SO_EE_ORIGIN_ZEROCOPY, "zerocopy"},
#endif
#ifdef SO_EE_ORIGIN_TXTIME
    {SO_EE_ORIGIN_TXTIME, "txtime"},
#endif
};

/* ICMP (RFC 792) and ICMPv6 (RFC 4443) types and codes OTP names. */
static const struct term_name icmp_types[] = {
    {3, "dest_unreach"},
    {11, "time_exceeded"},
};
static const struct term_name icmp_unreach_codes[] = {
    {0, "net_unreach"},
    {1, "host_unreach"},
    {3, "port_unreach"},
    {4, "frag_needed"},
    {6, "net_unknown"},
    {7, "host_unknown"},
};
static const struct term_name icmp6_types[] = {
    {1, "dest_unreach"},
    {2, "pkt_toobig"},
    {3, "time_exceeded"},
};
static const struct term_name icmp6_unreach_codes[] = {
    {0, "noroute"},
    {1, "adm_prohibited"},
    {2, "not_neighbour"},
    {3, "addr_unreach"},
    {4, "port_unreach"},
    {5, "policy_fail"},
    {6, "reject_route"},
};

/*
 * The extended error of IP_RECVERR and IPV6_RECVERR: #{error, origin,
 * type, code, info, data} and the offender's address when the kernel
 * put one after the structure.
 */
static int
enc_recverr(const unsigned char *d, size_t n, term *value)
{
	static const char *const keys[] = {
	    "error", "origin", "type", "code", "info", "data", "offender"};
	const struct term_name *types = NULL, *codes = NULL;
	size_t ntypes = 0, ncodes = 0, nk = 6;
	struct sock_extended_err ee;
	const char *errname;
	term v[7];

	if (n < sizeof ee)
		return -1;
	memcpy(&ee, d, sizeof ee);
	if (ee.ee_origin == SO_EE_ORIGIN_ICMP) {
		types = icmp_types;
		ntypes = NELEMS(icmp_types);
		if (ee.ee_type == 3) {
			codes = icmp_unreach_codes;
			ncodes = NELEMS(icmp_unreach_codes);
		}
	} else if (ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
		types = icmp6_types;
		ntypes = NELEMS(icmp6_types);
		if (ee.ee_type == 1) {
			codes = icmp6_unreach_codes;
			ncodes = NELEMS(icmp6_unreach_codes);
		}
	}
	errname = err_name((int)ee.ee_errno);
	v[0] = term_atom(errname != NULL ? errname : "unknown");
	v[1] = term_name_or_int(ee_origins, NELEMS(ee_origins), ee.ee_origin);
	v[2] = term_name_or_int(types, ntypes, ee.ee_type);
	v[3] = term_name_or_int(codes, ncodes, ee.ee_code);
	/* OTP: both made as ints from their unsigned fields. */
	v[4] = term_int((int)ee.ee_info);
	v[5] = term_int((int)ee.ee_data);
	if (n > sizeof ee) {
		enc_sockaddr(d + sizeof ee, n - sizeof ee, &v[6]);
		nk = 7;
	}
	*value = term_map_atoms(nk, keys, v);
	return 0;
}
#else
#define enc_recverr NULL
#endif

static const struct cmsg_type socket_types[] = {
    {SCM_CREDENTIALS, "credentials", NULL, NULL},
    {SCM_RIGHTS, "rights", NULL, NULL},
    {SO_TIMESTAMP, "timestamp", enc_timeval, dec_timeval},
};

static const struct cmsg_type ip_types[] = {
    {IP_TOS, "tos", enc_tos, dec_tos},
    {IP_TTL, "ttl", enc_int, dec_int},
    {IP_RECVTTL, "recvttl", enc_uchar, NULL},
    {IP_PKTINFO, "pktinfo", enc_in_pktinfo, NULL},
    {IP_ORIGDSTADDR, "origdstaddr", enc_sockaddr, NULL},
    {IP_RECVTOS, "recvtos", enc_tos, NULL},
    {IP_RECVERR, "recverr", enc_recverr, NULL},
};

static const struct cmsg_type ipv6_types[] = {
    {IPV6_PKTINFO, "pktinfo", enc_in6_pktinfo, NULL},
    {IPV6_HOPLIMIT, "hoplimit", enc_int, dec_int},
    {IPV6_TCLASS, "tclass", enc_int, dec_int},
    {IPV6_RECVTCLASS, "recvtclass", enc_int, NULL},
    {IPV6_RECVERR, "recverr", enc_recverr, NULL},
};

static const struct cmsg_level {
	int level;
	const struct cmsg_type *types;
	size_t ntypes;
} cmsg_levels_table[] = {
    {SOL_SOCKET, socket_types, NELEMS(socket_types)},
    {IPPROTO_IP, ip_types, NELEMS(ip_types)},
    {IPPROTO_IPV6, ipv6_types, NELEMS(ipv6_types)},
};

static const struct cmsg_level *
level_find(int level)
{
	size_t i;

	for (i = 0; i < NELEMS(cmsg_levels_table); i++)
		if (cmsg_levels_table[i].level == level)
			return &cmsg_levels_table[i];
	return NULL;
}

/* The row of a level's type, by number or by name; NULL if none. */
static const struct cmsg_type *
type_by_value(const struct cmsg_level *l, int type)
{
	size_t i;

	for (i = 0; l != NULL && type >= 0 && i < l->ntypes; i++)
		if (l->types[i].type == type)
			return &l->types[i];
	return NULL;
}

static const struct cmsg_type *
type_by_name(const struct cmsg_level *l, term name)
{
	size_t i;

	for (i = 0; l != NULL && i < l->ntypes; i++)
		if (l->types[i].type >= 0 &&
		    term_atom_is(name, l->types[i].name))
			return &l->types[i];
	return NULL;
}

/* --- received control data ----------------------------------------- */

/* One cmsg() map. */
static term
cmsg_term(
    int level, int type, const unsigned char *d, size_t n, enum cmsg_levels how)
{
	static const char *const keys[] = {"level", "type", "data", "value"};
	const struct cmsg_type *t = type_by_value(level_find(level), type);
	term v[4];
	size_t nk = 3;

	if (level == SOL_SOCKET)
		v[0] = term_atom("socket");
	else if (how == CMSG_LEVEL_NAMES)
		v[0] = sockname_protocol_term(level);
	else
		v[0] = term_int(level);
	v[1] = t != NULL ? term_atom(t->name) : term_int(type);
	v[2] = term_binary(d, n);
	if (t != NULL && t->enc != NULL && t->enc(d, n, &v[3]) == 0)
		nk = 4;
	return term_map_atoms(nk, keys, v);
}

/*
 * Calls fn with each header and its data, stepping as CMSG_NXTHDR does.
 * Returns 0, or -1 when the first header claims more than there is (OTP
 * then shows bad_data; later ones end the walk, as glibc's CMSG_NXTHDR
 * ends it).
 */
static int
walk(const void *ctrl, size_t len,
    void (*fn)(const struct cmsghdr *, const unsigned char *, size_t, void *),
    void *arg)
{
	const unsigned char *p = ctrl;
	struct cmsghdr h;
	size_t off = 0, dl;

	while (off + sizeof h <= len) {
		memcpy(&h, p + off, sizeof h);
		if (h.cmsg_len < CMSG_LEN(0) || h.cmsg_len > len - off)
			return off == 0 ? -1 : 0;
		dl = h.cmsg_len - CMSG_LEN(0);
		fn(&h, p + off + CMSG_LEN(0), dl, arg);
		off += CMSG_SPACE(dl);
	}
	return 0;
}

struct list_arg {
	struct term_vec v;
	enum cmsg_levels how;
};

static void
list_one(const struct cmsghdr *h, const unsigned char *d, size_t n, void *arg)
{
	struct list_arg *la = arg;

	term_vec_push(
	    &la->v, cmsg_term(h->cmsg_level, h->cmsg_type, d, n, la->how));
}

term
cmsg_list(const void *ctrl, size_t len, enum cmsg_levels how)
{
	struct list_arg la;

	memset(&la, 0, sizeof la);
	la.how = how;
	if (walk(ctrl, len, list_one, &la) < 0)
		term_vec_push(&la.v, term_atom("bad_data"));
	return term_vec_list(&la.v, term_nil());
}

/* --- ctrl of a msg() to send ---------------------------------------- */

term
cmsg_invalid_ctrl(term ctrl)
{
	static const char *const key[] = {"ctrl"};
	term v = term_copy(ctrl);

	return term_tuple2(term_atom("invalid"),
	    term_tuple3(term_atom("msg"), term_atom("ctrl"),
	        term_map_atoms(1, key, &v)));
}

/* The map m (borrowed) with key set to value (consumed). */
static term
map_put(term m, const char *key, term value)
{
	size_t i, n = term_size(m);
	term *k = xreallocarray(NULL, n + 1, sizeof *k);
	term *v = xreallocarray(NULL, n + 1, sizeof *v), r;

	for (i = 0; i < n; i++) {
		k[i] = term_copy(term_map_key(m, i));
		v[i] = term_copy(term_map_value(m, i));
	}
	/* term_map keeps the last of a repeated key. */
	k[n] = term_atom(key);
	v[n] = value;
	r = term_map(n + 1, k, v);
	free(k);
	free(v);
	return r;
}

int
cmsg_levels(term ctrl, term *out, term *why)
{
	size_t i, n = term_kind(ctrl) == TERM_LIST ? term_size(ctrl) : 0;
	struct term_vec v;
	struct protoent *pe;
	const term *level;
	term e, num;

	memset(&v, 0, sizeof v);
	for (i = 0; i < n; i++) {
		e = term_list_get(ctrl, i);
		/* OTP: a generator pattern #{level := L}, which skips. */
		if (term_kind(e) != TERM_MAP ||
		    (level = term_map_get(e, "level")) == NULL)
			continue;
		if (term_kind(*level) != TERM_ATOM ||
		    term_atom_is(*level, "socket")) {
			term_vec_push(&v, term_copy(e));
			continue;
		}
		if ((pe = getprotobyname(term_atom_name(*level))) == NULL) {
			term_vec_free(&v);
			*why = term_tuple2(term_atom("invalid"),
			    term_tuple2(
			        term_atom("protocol"), term_copy(*level)));
			return -1;
		}
		/* Cmsg#{level := L}: the same map with the number. */
		num = term_int(pe->p_proto);
		term_vec_push(&v, map_put(e, "level", num));
	}
	/* OTP: bad_generator, an exception. */
	if (term_kind(n > 0 ? term_list_tail(ctrl) : ctrl) != TERM_NIL) {
		term_vec_free(&v);
		*why = cmsg_invalid_ctrl(ctrl);
		return -1;
	}
	*out = term_vec_list(&v, term_nil());
	return 0;
}

/*
 * A header for size bytes of data at the end of b, zeroed, within max
 * bytes of control data in all (OTP's init_cmsghdr). Returns the offset
 * of the data, or -1 when it does not fit.
 */
static long
add_header(struct buf *b, size_t max, int level, int type, size_t size)
{
	size_t space = CMSG_SPACE(size), start = b->len;
	struct cmsghdr h;

	if (size > max || space > max - start)
		return -1;
	buf_reserve(b, space);
	memset(b->data + start, 0, space);
	memset(&h, 0, sizeof h);
	h.cmsg_len = CMSG_LEN(size);
	h.cmsg_level = level;
	h.cmsg_type = type;
	memcpy(b->data + start, &h, sizeof h);
	b->len += space;
	return (long)(start + CMSG_LEN(0));
}

/* OTP's esock_decode_level: socket or an int. */
static int
level_of(term t, int *level)
{
	if (term_atom_is(t, "socket")) {
		*level = SOL_SOCKET;
		return 0;
	}
	return codec_int_of(t, level);
}

/* One cmsg() from data (binary, integer or boolean) or from value. */
static int
build_one(term e, size_t max, struct buf *b)
{
	const term *type, *data, *value;
	const struct cmsg_type *row;
	const struct cmsg_level *l;
	struct buf bytes;
	int level, t, v, rc = -1;
	long at;

	if (term_kind(e) != TERM_MAP ||
	    (type = term_map_get(e, "type")) == NULL ||
	    (data = term_map_get(e, "level")) == NULL ||
	    level_of(*data, &level) < 0)
		return -1;
	l = level_find(level);
	data = term_map_get(e, "data");
	value = term_map_get(e, "value");
	buf_init(&bytes);
	if (data != NULL && value == NULL) {
		if (codec_int_of(*type, &t) < 0) {
			if ((row = type_by_name(l, *type)) == NULL)
				goto out;
			t = row->type;
		}
		if (term_is_binary(*data))
			buf_add(
			    &bytes, term_bin_data(*data), term_bin_size(*data));
		else if (codec_int_of(*data, &v) == 0 ||
		         codec_bool_of(*data, &v) == 0)
			buf_add(&bytes, &v, sizeof v);
		else
			goto out;
	} else if (data == NULL && value != NULL) {
		if ((row = type_by_name(l, *type)) == NULL ||
		    row->dec == NULL || row->dec(*value, &bytes) < 0)
			goto out;
		t = row->type;
	} else
		goto out;
	if ((at = add_header(b, max, level, t, bytes.len)) < 0)
		goto out;
	if (bytes.len > 0)
		memcpy(b->data + at, bytes.data, bytes.len);
	rc = 0;
out:
	buf_free(&bytes);
	return rc;
}

int
cmsg_build(term ectrl, size_t max, struct buf *b)
{
	size_t i, n = term_kind(ectrl) == TERM_LIST ? term_size(ectrl) : 0;

	for (i = 0; i < n; i++)
		if (build_one(term_list_get(ectrl, i), max, b) < 0)
			return -1;
	return term_kind(n > 0 ? term_list_tail(ectrl) : ectrl) == TERM_NIL
	           ? 0
	           : -1;
}

/* --- received descriptors ------------------------------------------- */

/*
 * The descriptors SCM_RIGHTS brought that no socket took over. A plain
 * array: a session holds few, each one a descriptor of the process.
 */
static struct {
	int *fd;
	size_t n, cap;
} rights;

static void
keep_one(const struct cmsghdr *h, const unsigned char *d, size_t n, void *arg)
{
	size_t i;
	int fd;

	(void)arg;
	if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
		return;
	for (i = 0; i + sizeof fd <= n; i += sizeof fd) {
		memcpy(&fd, d + i, sizeof fd);
		if (rights.n == rights.cap) {
			rights.cap = rights.cap ? rights.cap * 2 : 16;
			rights.fd = xreallocarray(
			    rights.fd, rights.cap, sizeof *rights.fd);
		}
		rights.fd[rights.n++] = fd;
	}
}

void
cmsg_fds_keep(const void *ctrl, size_t len)
{
	(void)walk(ctrl, len, keep_one, NULL);
}

int
cmsg_fd_take(int fd)
{
	size_t i;

	for (i = 0; i < rights.n; i++) {
		if (rights.fd[i] == fd) {
			rights.fd[i] = rights.fd[--rights.n];
			return 1;
		}
	}
	return 0;
}

void
cmsg_fds_close_all(void)
{
	size_t i;

	/* EINTR from close still released the descriptor on Linux. */
	for (i = 0; i < rights.n; i++)
		(void)close(rights.fd[i]);
	free(rights.fd);
	memset(&rights, 0, sizeof rights);
}
