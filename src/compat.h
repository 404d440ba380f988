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

/* The event loop backend, best first; make BACKEND=poll forces poll. */
#if !defined(ESOCK_FORCE_POLL) && defined(__linux__)
#define ESOCK_BACKEND "epoll"
#elif !defined(ESOCK_FORCE_POLL) &&                                        \
    (defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
        defined(__NetBSD__) || defined(__DragonFly__))
#define ESOCK_BACKEND "kqueue"
#else
#define ESOCK_BACKEND "poll"
#endif

#endif
