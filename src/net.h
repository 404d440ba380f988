/*
 * OTP's net module: host name, name and address translation, interface
 * addresses and the if_* calls. Every function returns an owned result
 * term, {ok, X} or {error, Reason}, equal to what net:F(...) returns in
 * OTP 25; term arguments are borrowed.
 */
#ifndef ESOCK_NET_H
#define ESOCK_NET_H

#include <stddef.h>

#include "term.h"

term net_gethostname(void);
/* Host and service as C strings; NULL stands for undefined (not both). */
term net_getaddrinfo(const char *, const char *);
/* A sockaddr() map and a name_info_flags() list or the atom undefined. */
term net_getnameinfo(term, term);
/*
 * Filter default | inet | inet6 | packet | all or a filter map
 * #{family => ..., flags => any | [Flag]}; a network namespace path, or
 * NULL for the current namespace.
 */
term net_getifaddrs(term, const char *);
/* The family filters getifaddrs takes and getnameinfo's flag names. */
extern const struct term_name net_ifaddrs_filters[];
extern const size_t net_nifaddrs_filters;
extern const struct term_name net_name_info_flags[];
extern const size_t net_nname_info_flags;
term net_if_names(void);
term net_if_name2index(const char *);
term net_if_index2name(unsigned int);

#endif
