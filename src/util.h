/*
 * Leaves shared by every module: allocation that never returns NULL (a
 * failure is fatal, exit 3), a growable byte buffer with UTF-8 helpers,
 * standard output's write failures, and fatal().
 */
#ifndef ESOCK_UTIL_H
#define ESOCK_UTIL_H

#include "compat.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);

void buf_init(struct buf *);
void buf_free(struct buf *);
void buf_reset(struct buf *);
void buf_reserve(struct buf *, size_t);
/* Room for n more bytes: 0, or -1 when memory ran out (b unchanged). */
int buf_try_reserve(struct buf *, size_t);
void buf_add(struct buf *, const void *, size_t);
void buf_adds(struct buf *, const char *);
void buf_addc(struct buf *, int);
void buf_addf(struct buf *, const char *, ...) printflike(2, 3);
void buf_vaddf(struct buf *, const char *, va_list) printflike(2, 0);
/* Returns the buffer's text, NUL-terminated; the buffer keeps ownership. */
const char *buf_str(struct buf *);
/* Appends a code point (at most 0x10ffff) in UTF-8. */
void buf_add_utf8(struct buf *, uint32_t);
/* Re-encodes the bytes of b from offset from on, latin1, as UTF-8. */
void buf_latin1_utf8(struct buf *, size_t);
/*
 * fwrite that watches standard output: the first failure to write it
 * is kept for out_failure, and a reader gone (EPIPE, a closed pipe)
 * calls the hook out_on_gone set, at once (it does not return).
 */
size_t out_write(FILE *, const void *, size_t);
void out_on_gone(void (*)(void));
/* fflush(stdout), its failure kept as out_write's. */
void out_flush(void);
/*
 * The errno of standard output's failure since the last call (EPIPE or
 * EIO when a write other than out_write's failed), or 0 when none.
 * Clears it.
 */
int out_failure(void);
/* A 64-bit hash of n bytes, for the hash tables of atoms and lines. */
uint64_t hash_bytes(const char *, size_t);
/* Nonzero when the n bytes are well-formed UTF-8 (RFC 3629). */
int utf8_valid(const unsigned char *, size_t);
/*
 * Decodes the well-formed UTF-8 character at p[*pos] (*pos < n): 0 with
 * *pos past it, or -1 (*pos unchanged).
 */
int utf8_next(const unsigned char *, size_t, size_t *, uint32_t *);

/*
 * A free list of blocks of one size, for objects made and dropped by
 * the thousand a second: pool_get reuses a block put back, or allocates
 * one; pool_put keeps at most max blocks and frees the rest. Under
 * AddressSanitizer every block is freed at once, so that a use after
 * free is still caught.
 */
struct pool {
	size_t size; /* bytes a block, at least a pointer's */
	size_t max;  /* blocks kept at most */
	size_t n;
	void *head;
};
#define POOL_INIT(size, max)                                                   \
	{                                                                      \
		(size), (max), 0, NULL                                         \
	}
void *pool_get(struct pool *);
void pool_put(struct pool *, void *);

/* Prints "esock: MSG" to stderr and exits 3: broken invariants only. */
void fatal(const char *, ...) printflike(1, 2) noreturn_fn;

#endif
