/*
 * Allocation wrappers, the growable buffer (with UTF-8 encoding and
 * validation) and fatal(). Running out of memory is not an outcome a
 * command can report, so it ends the process with exit status 3; nothing
 * a user types can get here.
 */
#include "compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_KEEP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_KEEP 0
#endif
#endif
#ifndef POOL_KEEP
#define POOL_KEEP 1
#endif

void *
pool_get(struct pool *p)
{
	void *b = p->head;

	if (b == NULL)
		return xmalloc(p->size);
	memcpy(&p->head, b, sizeof p->head);
	p->n--;
	return b;
}

void
pool_put(struct pool *p, void *b)
{
	if (!POOL_KEEP || p->n >= p->max) {
		free(b);
		return;
	}
	memcpy(b, &p->head, sizeof p->head);
	p->head = b;
	p->n++;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("esock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

static int out_errno;
static void (*out_gone)(void);

void
out_on_gone(void (*hook)(void))
{
	out_gone = hook;
}

/* A pipe or socket with no reader left, which is EPIPE to a write. */
static int
out_reader_gone(void)
{
	struct pollfd pfd = {STDOUT_FILENO, POLLOUT, 0};
	struct stat st;

	return fstat(STDOUT_FILENO, &st) == 0 &&
	       (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) &&
	       poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP));
}

/* e: the write's errno, or 0 when a write other than out_write's failed. */
static void
out_failed(int e)
{
	if (e == 0)
		e = out_reader_gone() ? EPIPE : EIO;
	if (out_errno == 0)
		out_errno = e;
	if (out_errno == EPIPE && out_gone != NULL)
		out_gone();
}

size_t
out_write(FILE *f, const void *p, size_t n)
{
	size_t done = fwrite(p, 1, n, f);

	if (f == stdout && ferror(f))
		out_failed(errno);
	return done;
}

void
out_flush(void)
{
	if (fflush(stdout) != 0)
		out_failed(errno);
}

int
out_failure(void)
{
	int e;

	if (ferror(stdout))
		out_failed(0);
	clearerr(stdout);
	e = out_errno;
	out_errno = 0;
	return e;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		fatal("size overflow (%zu x %zu)", n, size);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

int
buf_try_reserve(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->cap - b->len > n)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap - b->len <= n) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

void
buf_reserve(struct buf *b, size_t n)
{
	if (buf_try_reserve(b, n) < 0)
		fatal("out of memory (a buffer for %zu more bytes)", n);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, int c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = (char)c;
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		fatal("bad format");
	buf_reserve(b, (size_t)n + 1);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *
buf_str(struct buf *b)
{
	buf_reserve(b, 1);
	b->data[b->len] = '\0';
	return b->data;
}

void
buf_add_utf8(struct buf *b, uint32_t c)
{
	if (c < 0x80)
		buf_addc(b, (int)c);
	else if (c < 0x800) {
		buf_addc(b, (int)(0xc0 | c >> 6));
		buf_addc(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (int)(0xe0 | c >> 12));
		buf_addc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (int)(0xf0 | c >> 18));
		buf_addc(b, (int)(0x80 | ((c >> 12) & 0x3f)));
		buf_addc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (int)(0x80 | (c & 0x3f)));
	}
}

void
buf_latin1_utf8(struct buf *b, size_t from)
{
	struct buf t;
	size_t i;

	for (i = from; i < b->len && (unsigned char)b->data[i] < 0x80; i++)
		;
	if (i == b->len)
		return;
	buf_init(&t);
	buf_add(&t, b->data + i, b->len - i);
	b->len = i;
	for (i = 0; i < t.len; i++)
		buf_add_utf8(b, (unsigned char)t.data[i]);
	buf_free(&t);
}

int
utf8_next(const unsigned char *p, size_t n, size_t *pos, uint32_t *out)
{
	size_t i = *pos, k, more;
	uint32_t c, min;

	c = p[i++];
	if (c < 0x80) {
		more = 0;
		min = 0;
	} else if ((c & 0xe0) == 0xc0) {
		more = 1;
		min = 0x80;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		more = 2;
		min = 0x800;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		more = 3;
		min = 0x10000;
		c &= 0x07;
	} else
		return -1;
	if (n - i < more)
		return -1;
	for (k = 0; k < more; k++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (p[i++] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*pos = i;
	*out = c;
	return 0;
}

int
utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;
	uint32_t c;

	while (i < n)
		if (utf8_next(p, n, &i, &c) < 0)
			return 0;
	return 1;
}

/*
 * Eight bytes a step, each word mixed in by a multiply (as in FNV, wider):
 * script lines and atoms are hashed often, and a byte a step was seen in
 * profiles.
 */
uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}
