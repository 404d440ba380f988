/*
 * The traffic trace (trace.h). A transfer becomes one text block, the
 * term line or socat -x's header and hex lines, written to stderr with
 * one fwrite after stdout is flushed, so that the trace and the results
 * interleave in the order they happened when both go to one file. The
 * hex dump's from/to offsets count each who's bytes per direction, as
 * socat counts a connection's; the counts are kept by the who's printed
 * text. What a transfer is, and when one happens, is the callers' part.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/uio.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "term_print.h"
#include "trace.h"
#include "util.h"

/* A sendfile is read back and printed in pieces of this many bytes. */
#define TRACE_FILE_CHUNK (64 * 1024)
/* Bytes a hex line shows, as socat -x -v lays them out. */
#define TRACE_HEX_LINE 16

#define TRACE_MODE_ROW(v, n) {v, #n},
const struct term_name trace_mode_names[] = {TRACE_MODES(TRACE_MODE_ROW, )};
#undef TRACE_MODE_ROW
const size_t trace_nmode_names = NELEMS(trace_mode_names);

enum trace_mode trace_current = TRACE_OFF;

static int64_t start_ms;

/* The bytes each who moved so far, per direction (hex mode's offsets). */
struct trace_count {
	struct trace_count *next;
	char *key; /* the who's one-line text */
	size_t klen;
	uint64_t off[2]; /* in, out */
};

static struct {
	struct trace_count **slots;
	size_t nslots; /* a power of two, or 0 before the first count */
	size_t n;
} counts;

void
trace_init(void)
{
	start_ms = loop_now_ms();
}

void
trace_set_mode(enum trace_mode m)
{
	trace_current = m;
}

enum trace_mode
trace_mode(void)
{
	return trace_current;
}

static size_t
slot_of(const char *key, size_t klen)
{
	return (size_t)hash_bytes(key, klen) & (counts.nslots - 1);
}

/* Doubles the slots once there are more counts than slots. */
static void
grow(void)
{
	struct trace_count **old = counts.slots, *c, *next;
	size_t i, nold = counts.nslots, k;

	counts.nslots = nold ? nold * 2 : 64;
	counts.slots = xcalloc(counts.nslots, sizeof *counts.slots);
	for (i = 0; i < nold; i++) {
		for (c = old[i]; c != NULL; c = next) {
			next = c->next;
			k = slot_of(c->key, c->klen);
			c->next = counts.slots[k];
			counts.slots[k] = c;
		}
	}
	free(old);
}

/* The count of the who whose text is key, made at 0 when new. */
static struct trace_count *
count_of(const char *key, size_t klen)
{
	struct trace_count *c;
	size_t k;

	if (counts.n >= counts.nslots)
		grow();
	k = slot_of(key, klen);
	for (c = counts.slots[k]; c != NULL; c = c->next)
		if (c->klen == klen && memcmp(c->key, key, klen) == 0)
			return c;
	c = xcalloc(1, sizeof *c);
	c->key = xstrndup(key, klen);
	c->klen = klen;
	c->next = counts.slots[k];
	counts.slots[k] = c;
	counts.n++;
	return c;
}

void
trace_forget(term who)
{
	struct trace_count **pp, *c;
	struct buf key;

	if (counts.n == 0)
		return;
	buf_init(&key);
	print_term(&key, who, PRINT_COMPACT, 1);
	for (pp = &counts.slots[slot_of(key.data, key.len)]; *pp != NULL;
	     pp = &(*pp)->next) {
		c = *pp;
		if (c->klen == key.len &&
		    memcmp(c->key, key.data, key.len) == 0) {
			*pp = c->next;
			free(c->key);
			free(c);
			counts.n--;
			break;
		}
	}
	buf_free(&key);
}

void
trace_fini(void)
{
	struct trace_count *c, *next;
	size_t i;

	for (i = 0; i < counts.nslots; i++) {
		for (c = counts.slots[i]; c != NULL; c = next) {
			next = c->next;
			free(c->key);
			free(c);
		}
	}
	free(counts.slots);
	memset(&counts, 0, sizeof counts);
	trace_current = TRACE_OFF;
}

/*
 * Writes a block of trace lines. stdout goes first, so that a result
 * printed before the transfer comes before its trace in a shared file;
 * a trace that cannot be written has nowhere to say so, and stops.
 */
static void
put(const struct buf *b)
{
	(void)fflush(stdout);
	if (fwrite(b->data, 1, b->len, stderr) != b->len || fflush(stderr) != 0)
		trace_current = TRACE_OFF;
}

/* {trace, Ms, Who, Dir, Bytes}, Bytes being data (consumed). */
static void
term_line(struct buf *b, term who, int out, term data)
{
	term v[5], t;

	v[0] = term_atom("trace");
	v[1] = term_int(loop_now_ms() - start_ms);
	v[2] = term_copy(who);
	v[3] = term_atom(out ? "out" : "in");
	v[4] = data;
	t = term_tuple(5, v);
	print_term(b, t, PRINT_COMPACT, 1);
	buf_addc(b, '\n');
	term_free(t);
}

/*
 * socat -x's header: "> 2026/12/02 05:00:00.123456  length=16 from=0
 * to=15" (local time, microseconds), then the who, which socat, with one
 * connection, has no need of. The who's count moves on by len.
 */
static void
hex_header(struct buf *b, term who, int out, size_t len)
{
	struct trace_count *c;
	struct timespec ts;
	struct tm tm;
	char date[32];
	size_t mark = b->len;
	uint64_t from;

	print_term(b, who, PRINT_COMPACT, 1);
	c = count_of(b->data + mark, b->len - mark);
	b->len = mark;
	from = c->off[out != 0];
	c->off[out != 0] += len;
	buf_addf(b, "%c ", out ? '>' : '<');
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		fatal("clock_gettime: %s", strerror(errno));
	if (localtime_r(&ts.tv_sec, &tm) != NULL &&
	    strftime(date, sizeof date, "%Y/%m/%d %H:%M:%S", &tm) > 0)
		buf_addf(b, "%s.%06ld", date, (long)(ts.tv_nsec / 1000));
	else
		buf_addf(b, "@%lld.%06ld", (long long)ts.tv_sec,
		    (long)(ts.tv_nsec / 1000));
	buf_addf(b, "  length=%zu from=%llu to=%llu  ", len,
	    (unsigned long long)from, (unsigned long long)(from + len - 1));
	print_term(b, who, PRINT_COMPACT, 1);
	buf_addc(b, '\n');
}

/* The bytes as socat -x writes them: " 47 45 54", 16 a line. */
static void
hex_lines(struct buf *b, const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		buf_addc(b, ' ');
		buf_addc(b, digits[p[i] >> 4]);
		buf_addc(b, digits[p[i] & 0xf]);
		if (i % TRACE_HEX_LINE == TRACE_HEX_LINE - 1 || i == len - 1)
			buf_addc(b, '\n');
	}
}

/* One transfer of the len bytes at p. */
static void
emit(term who, int out, const void *p, size_t len)
{
	struct buf b;

	buf_init(&b);
	if (trace_current == TRACE_HEX) {
		hex_header(&b, who, out, len);
		hex_lines(&b, p, len);
	} else
		term_line(&b, who, out, term_binary(p, len));
	put(&b);
	buf_free(&b);
}

void
trace_emit(term who, int out, const struct iovec *iov, size_t cnt, size_t len)
{
	struct buf data;
	size_t i, part;

	if (len == 0)
		return;
	/* One part needs no copy; sendmsg's several are gathered. */
	if (cnt == 1) {
		emit(who, out, iov[0].iov_base,
		    len < iov[0].iov_len ? len : iov[0].iov_len);
		return;
	}
	buf_init(&data);
	for (i = 0; i < cnt && data.len < len; i++) {
		part = len - data.len;
		if (part > iov[i].iov_len)
			part = iov[i].iov_len;
		buf_add(&data, iov[i].iov_base, part);
	}
	if (data.len > 0)
		emit(who, out, data.data, data.len);
	buf_free(&data);
}

/* What the file no longer gives: {sendfile, N}, or the header alone. */
static void
emit_unread(term who, size_t len)
{
	struct buf b;

	buf_init(&b);
	if (trace_current == TRACE_HEX)
		hex_header(&b, who, 1, len);
	else
		term_line(&b, who, 1,
		    term_tuple2(term_atom("sendfile"), term_int((int64_t)len)));
	put(&b);
	buf_free(&b);
}

void
trace_emit_file(term who, int fd, off_t off, size_t len)
{
	char *chunk;
	size_t want;
	ssize_t n;

	if (len == 0)
		return;
	chunk = xmalloc(len < TRACE_FILE_CHUNK ? len : TRACE_FILE_CHUNK);
	while (len > 0 && trace_current != TRACE_OFF) {
		want = len < TRACE_FILE_CHUNK ? len : TRACE_FILE_CHUNK;
		n = pread(fd, chunk, want, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* Shortened since, or no file pread reads (a pipe). */
			emit_unread(who, len);
			break;
		}
		emit(who, 1, chunk, (size_t)n);
		off += n;
		len -= (size_t)n;
	}
	free(chunk);
}
