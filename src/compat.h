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

#endif
