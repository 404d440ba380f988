/*
 * The sockaddr() map of OTP's socket module to and from struct
 * sockaddr_storage: inet, inet6, local (paths and Linux abstract names),
 * unspec, packet (encode only) and native families as integers.
 */
#ifndef ESOCK_SOCKADDR_H
#define ESOCK_SOCKADDR_H

#include <sys/socket.h>
#include <netinet/in.h>

#include "term.h"

/*
 * The map OTP builds for an address of len bytes (an owned term). A len
 * of 0 means the length is not known: the family's own size is used, as
 * OTP does for getifaddrs entries. len must not exceed the storage sa
 * points to.
 */
term sa_encode(const struct sockaddr *, socklen_t);

/*
 * Decodes a sockaddr() map, borrowed, into *ss and *len. Returns 0, or
 * -1 with *why set to an owned reason as OTP spells it:
 * {invalid, {sockaddr, X}},
 * {invalid, {sockaddr, family | path | {keys, Keys}, X}} or
 * {invalid, {path, Path}}. A port outside 0..65535 is
 * {invalid, {sockaddr, X}} (OTP wraps it).
 */
int sa_decode(term, struct sockaddr_storage *, socklen_t *, term *);

/*
 * An address literal of the language, as the scanner read it:
 * 127.0.0.1:80, [::1]:80, [fe80::1%lo]:80, host:port and :port (resolved
 * in family, AF_INET when that is AF_UNSPEC), /path and @name (abstract).
 * Returns 0 with *out the sockaddr() map (owned), or -1 with *why set:
 * {invalid, {sockaddr, Text}}, the getaddrinfo reason (enoname, ...) or
 * eafnosupport for a family without ports.
 */
int sa_literal(const char *, size_t, int, term *, term *);

/*
 * Resolves host (a name or a numeric address) with getaddrinfo, the one
 * lookup of a name a call makes: the first address of family, or with
 * AF_UNSPEC the first inet or inet6 address, with port. Returns 0, or -1
 * with *why set to the getaddrinfo reason (enoname, ...) or eafnosupport
 * when no address of the family came back.
 */
int sa_resolve(
    const char *, int, long, struct sockaddr_storage *, socklen_t *, term *);

/*
 * A sockaddr argument of a command: a sockaddr() map, or a string or
 * binary holding an address literal ("127.0.0.1:80", as a script's
 * argument brings it), read in family as sa_literal reads it. Returns as
 * sa_decode does.
 */
int sa_decode_arg(term, int, struct sockaddr_storage *, socklen_t *, term *);

/*
 * The address parts alone, as OTP's esock_encode_in_addr and
 * esock_decode_in_addr/in6_addr have them (socket options use them
 * too): {A, B, C, D} for an in_addr (owned); decoding takes any,
 * loopback, broadcast (IPv4 only) or the tuple, borrowed, and returns 0,
 * or -1 leaving the address as it was.
 */
term sa_in_addr_term(const struct in_addr *);
term sa_in6_addr_term(const struct in6_addr *); /* {A, ..., H} */
int sa_in_addr_decode(term, struct in_addr *);
int sa_in6_addr_decode(term, struct in6_addr *);

#endif
