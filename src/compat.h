/*
 * Platform macros in one place: feature-test macros, the event loop
 * backend choice and constants that some platforms lack (the socket
 * option constants in a section of their own, at the end).
 */
#ifndef ESOCK_COMPAT_H
#define ESOCK_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#if defined(__GNUC__) || defined(__clang__)
#define printflike(a, b) __attribute__((format(printf, a, b)))
#define noreturn_fn __attribute__((noreturn))
#else
#define printflike(a, b)
#define noreturn_fn
#endif

#define ESOCK_VERSION "0.1.0"

/*
 * Flags that make socket() and accept4() return a descriptor already
 * non-blocking and close-on-exec, saving four fcntl calls a socket;
 * 0 where they do not exist (sock_new then sets both).
 */
#include <sys/socket.h>
#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
#define ESOCK_HAVE_SOCK_FLAGS 1 /* and accept4() */
#define ESOCK_SOCK_FLAGS (SOCK_NONBLOCK | SOCK_CLOEXEC)
#else
#define ESOCK_HAVE_SOCK_FLAGS 0
#define ESOCK_SOCK_FLAGS 0
#endif

#endif

/*
 * Socket option constants, for the files that define ESOCK_SOCKOPTS
 * before they include this header (opt.c and opt_codec.c): the protocol
 * headers, what they have, and every option constant a platform lacks
 * defined as -1, so that the option table names each option with no
 * #ifdef and a missing one is a row this build does not support. The
 * other files are spared the protocol headers.
 */
#if defined(ESOCK_SOCKOPTS) && !defined(ESOCK_COMPAT_SOCKOPTS_H)
#define ESOCK_COMPAT_SOCKOPTS_H

#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>

/* SCTP's structures, where the headers have them. */
#if defined(__has_include)
#if __has_include(<netinet/sctp.h>)
#include <netinet/sctp.h>
#define ESOCK_HAVE_SCTP 1
#elif __has_include(<linux/sctp.h>)
#include <linux/sctp.h>
#define ESOCK_HAVE_SCTP 1
#endif
#endif

/* Codec bodies that need a structure only some platforms have. */
#if defined(IP_ADD_SOURCE_MEMBERSHIP)
#define ESOCK_HAVE_MREQ_SOURCE 1
#endif
#if defined(IP_MSFILTER) && defined(IP_MSFILTER_SIZE)
#define ESOCK_HAVE_MSFILTER 1
#endif
#if defined(IP_PKTINFO)
#define ESOCK_HAVE_PKTINFO 1
#endif
#if defined(__linux__) && defined(TCP_INFO)
#define ESOCK_HAVE_TCP_INFO 1
#endif
#if defined(__linux__) && defined(SO_PEERCRED)
#define ESOCK_HAVE_PEERCRED 1
#endif

/* Linux has these in <linux/in6.h>, which glibc's headers leave out. */
#if defined(__linux__) && !defined(IPV6_FLOWINFO)
#define IPV6_FLOWINFO 11
#endif

/* An option this platform lacks is -1: the row is there, unsupported. */
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#ifndef SO_ACCEPTCONN
#define SO_ACCEPTCONN (-1)
#endif
#ifndef SO_BINDTODEVICE
#define SO_BINDTODEVICE (-1)
#endif
#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL (-1)
#endif
#ifndef SO_DOMAIN
#define SO_DOMAIN (-1)
#endif
#ifndef SO_MARK
#define SO_MARK (-1)
#endif
#ifndef SO_PASSCRED
#define SO_PASSCRED (-1)
#endif
#ifndef SO_PEEK_OFF
#define SO_PEEK_OFF (-1)
#endif
#ifndef SO_PEERCRED
#define SO_PEERCRED (-1)
#endif
#ifndef SO_PRIORITY
#define SO_PRIORITY (-1)
#endif
#ifndef SO_PROTOCOL
#define SO_PROTOCOL (-1)
#endif
#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE (-1)
#endif
#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL (-1)
#endif
#ifndef SO_SETFIB
#define SO_SETFIB (-1)
#endif
#ifndef SO_SNDBUFFORCE
#define SO_SNDBUFFORCE (-1)
#endif
#ifndef SO_TIMESTAMP
#define SO_TIMESTAMP (-1)
#endif
#ifndef IP_ADD_SOURCE_MEMBERSHIP
#define IP_ADD_SOURCE_MEMBERSHIP (-1)
#endif
#ifndef IP_BLOCK_SOURCE
#define IP_BLOCK_SOURCE (-1)
#endif
#ifndef IP_DONTFRAG
#define IP_DONTFRAG (-1)
#endif
#ifndef IP_DROP_SOURCE_MEMBERSHIP
#define IP_DROP_SOURCE_MEMBERSHIP (-1)
#endif
#ifndef IP_FREEBIND
#define IP_FREEBIND (-1)
#endif
#ifndef IP_HDRINCL
#define IP_HDRINCL (-1)
#endif
#ifndef IP_MINTTL
#define IP_MINTTL (-1)
#endif
#ifndef IP_MSFILTER
#define IP_MSFILTER (-1)
#endif
#ifndef IP_MTU
#define IP_MTU (-1)
#endif
#ifndef IP_MTU_DISCOVER
#define IP_MTU_DISCOVER (-1)
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL (-1)
#endif
#ifndef IP_NODEFRAG
#define IP_NODEFRAG (-1)
#endif
#ifndef IP_OPTIONS
#define IP_OPTIONS (-1)
#endif
#ifndef IP_PKTINFO
#define IP_PKTINFO (-1)
#endif
#ifndef IP_PKTOPTIONS
#define IP_PKTOPTIONS (-1)
#endif
#ifndef IP_RECVDSTADDR
#define IP_RECVDSTADDR (-1)
#endif
#ifndef IP_RECVERR
#define IP_RECVERR (-1)
#endif
#ifndef IP_RECVIF
#define IP_RECVIF (-1)
#endif
#ifndef IP_RECVOPTS
#define IP_RECVOPTS (-1)
#endif
#ifndef IP_RECVORIGDSTADDR
#define IP_RECVORIGDSTADDR (-1)
#endif
#ifndef IP_RECVTOS
#define IP_RECVTOS (-1)
#endif
#ifndef IP_RECVTTL
#define IP_RECVTTL (-1)
#endif
#ifndef IP_RETOPTS
#define IP_RETOPTS (-1)
#endif
#ifndef IP_ROUTER_ALERT
#define IP_ROUTER_ALERT (-1)
#endif
#ifndef IP_SENDSRCADDR
#define IP_SENDSRCADDR (-1)
#endif
#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT (-1)
#endif
#ifndef IP_UNBLOCK_SOURCE
#define IP_UNBLOCK_SOURCE (-1)
#endif
#ifndef IPV6_ADDRFORM
#define IPV6_ADDRFORM (-1)
#endif
#ifndef IPV6_ADD_MEMBERSHIP
#define IPV6_ADD_MEMBERSHIP (-1)
#endif
#ifndef IPV6_AUTHHDR
#define IPV6_AUTHHDR (-1)
#endif
#ifndef IPV6_CHECKSUM
#define IPV6_CHECKSUM (-1)
#endif
#ifndef IPV6_DROP_MEMBERSHIP
#define IPV6_DROP_MEMBERSHIP (-1)
#endif
#ifndef IPV6_DSTOPTS
#define IPV6_DSTOPTS (-1)
#endif
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO (-1)
#endif
#ifndef IPV6_HOPLIMIT
#define IPV6_HOPLIMIT (-1)
#endif
#ifndef IPV6_HOPOPTS
#define IPV6_HOPOPTS (-1)
#endif
#ifndef IPV6_JOIN_GROUP
#define IPV6_JOIN_GROUP (-1)
#endif
#ifndef IPV6_LEAVE_GROUP
#define IPV6_LEAVE_GROUP (-1)
#endif
#ifndef IPV6_MTU
#define IPV6_MTU (-1)
#endif
#ifndef IPV6_MTU_DISCOVER
#define IPV6_MTU_DISCOVER (-1)
#endif
#ifndef IPV6_PKTOPTIONS
#define IPV6_PKTOPTIONS (-1)
#endif
#ifndef IPV6_RECVERR
#define IPV6_RECVERR (-1)
#endif
#ifndef IPV6_RECVHOPLIMIT
#define IPV6_RECVHOPLIMIT (-1)
#endif
#ifndef IPV6_RECVPKTINFO
#define IPV6_RECVPKTINFO (-1)
#endif
#ifndef IPV6_RECVTCLASS
#define IPV6_RECVTCLASS (-1)
#endif
#ifndef IPV6_ROUTER_ALERT
#define IPV6_ROUTER_ALERT (-1)
#endif
#ifndef IPV6_RTHDR
#define IPV6_RTHDR (-1)
#endif
#ifndef IPV6_TCLASS
#define IPV6_TCLASS (-1)
#endif
#ifndef IPV6_USE_MIN_MTU
#define IPV6_USE_MIN_MTU (-1)
#endif
#ifndef TCP_CONGESTION
#define TCP_CONGESTION (-1)
#endif
#ifndef TCP_CORK
#define TCP_CORK (-1)
#endif
#ifndef TCP_INFO
#define TCP_INFO (-1)
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT (-1)
#endif
#ifndef TCP_KEEPIDLE
#define TCP_KEEPIDLE (-1)
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL (-1)
#endif
#ifndef TCP_MAXSEG
#define TCP_MAXSEG (-1)
#endif
#ifndef TCP_NOOPT
#define TCP_NOOPT (-1)
#endif
#ifndef TCP_NOPUSH
#define TCP_NOPUSH (-1)
#endif
#ifndef TCP_SYNCNT
#define TCP_SYNCNT (-1)
#endif
#ifndef TCP_USER_TIMEOUT
#define TCP_USER_TIMEOUT (-1)
#endif
#ifndef UDP_CORK
#define UDP_CORK (-1)
#endif
#ifndef ESOCK_HAVE_SCTP
#undef SCTP_ASSOCINFO
#undef SCTP_AUTOCLOSE
#undef SCTP_DISABLE_FRAGMENTS
#undef SCTP_EVENTS
#undef SCTP_INITMSG
#undef SCTP_MAXSEG
#undef SCTP_NODELAY
#undef SCTP_RTOINFO
#define SCTP_ASSOCINFO (-1)
#define SCTP_AUTOCLOSE (-1)
#define SCTP_DISABLE_FRAGMENTS (-1)
#define SCTP_EVENTS (-1)
#define SCTP_INITMSG (-1)
#define SCTP_MAXSEG (-1)
#define SCTP_NODELAY (-1)
#define SCTP_RTOINFO (-1)
#endif

/* OTP: IFNAMSIZ for bindtodevice. */
#ifndef IFNAMSIZ
#define IFNAMSIZ 16
#endif

#endif /* ESOCK_SOCKOPTS */
