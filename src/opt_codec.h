/*
 * The value codecs of socket options: how a value term becomes the bytes
 * setsockopt takes, and how the bytes getsockopt gives become a term, as
 * OTP 25's NIF encodes and decodes them. Structures (linger, tcp_info,
 * ucred, the SCTP parameters) go through one walker over a table of
 * their fields. Which option has which codec, and the setting and
 * getting themselves, are left to opt.c.
 */
#ifndef ESOCK_OPT_CODEC_H
#define ESOCK_OPT_CODEC_H

#include <sys/socket.h>

#include "term.h"

struct buf;
struct sock;

enum codec_id {
	CODEC_NONE, /* named by OTP, not done anywhere esock runs */
	CODEC_BOOL,
	CODEC_INT,
	CODEC_LINGER,
	CODEC_IFNAME,
	CODEC_CONGESTION,
	CODEC_DOMAIN,
	CODEC_TYPE,
	CODEC_PROTOCOL,
	CODEC_TOS,
	CODEC_PMTUDISC,
	CODEC_IN_ADDR,
	CODEC_MREQ,
	CODEC_MREQ_SOURCE,
	CODEC_MSFILTER,
	CODEC_IPV6_MREQ,
	CODEC_HOPS,
	CODEC_ADDRFORM,
	CODEC_PKTOPTIONS,
	CODEC_TIMEVAL,
	CODEC_TCP_INFO,
	CODEC_PEERCRED,
	CODEC_BINARY,
	CODEC_SCTP_ASSOCINFO,
	CODEC_SCTP_EVENTS,
	CODEC_SCTP_INITMSG,
	CODEC_SCTP_RTOINFO,
	/* The otp level: values opt.c keeps itself; a type name alone. */
	CODEC_OTP_DEBUG,
	CODEC_OTP_IOW,
	CODEC_OTP_RCVBUF,
	CODEC_OTP_RCVCTRLBUF,
	CODEC_OTP_SNDCTRLBUF,
	CODEC_OTP_FD,
	CODEC_OTP_META,
	CODEC_OTP_CTRL_PROC,
	CODEC_OTP_REGISTRY,
	CODEC_OTP_DOMAIN,
	CODEC_N
};

/* The value's type as the option listing shows it ("boolean()"). */
const char *codec_type(enum codec_id);
/* Nonzero when the codec has a decoder (for setopt) or encoder (getopt). */
int codec_decodes(enum codec_id);
int codec_encodes(enum codec_id);
/*
 * The bytes getsockopt is given for the codec; 0 means the socket's
 * {otp, rcvctrlbuf}.
 */
socklen_t codec_getlen(enum codec_id);
/*
 * Appends the option bytes for a value (borrowed). Returns 0, or -1 when
 * the term is no value of the codec (the caller builds OTP's reason).
 */
int codec_decode(enum codec_id, term, struct buf *);
/* The value (owned) of len bytes getsockopt gave for a socket. */
term codec_encode(
    enum codec_id, const struct sock *, const unsigned char *, socklen_t);

/* OTP's GET_INT and GET_UINT: 0, or -1 when no integer in range. */
int codec_int_of(term, int *);
int codec_uint_of(term, unsigned int *);
/* true and false: 0, or -1 for any other term. */
int codec_bool_of(term, int *);
term codec_bool_term(int);
/* The int at p, which need not be aligned. */
int codec_get_int(const unsigned char *);

#endif
