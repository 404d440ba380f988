/*
 * Platform macros in one place: feature-test macros, the event loop
 * backend choice and constants that some platforms lack.
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
