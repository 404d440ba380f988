/*
 * errno values and getaddrinfo error codes to and from the atoms OTP uses
 * for them (inet:posix(), net's getaddrinfo reasons).
 */
#ifndef ESOCK_ERRNAMES_H
#define ESOCK_ERRNAMES_H

#include <stddef.h>

#include "term.h"

/*
 * Every errno name this build knows, with its value; two names may share
 * a value (eagain and ewouldblock), the first is the one OTP prints.
 */
extern const struct term_name err_names[];
extern const size_t err_nnames;

/* Lowercase posix name of an errno ("econnrefused"), or NULL. */
const char *err_name(int);
/* errno for a lowercase name, or -1. */
int err_value(const char *);
/* The reason atom OTP gives for a getaddrinfo/getnameinfo error code. */
term err_eai(int);

#endif
