/*
 * libFuzzer harness for the value codecs of socket options. The first
 * byte picks a codec; the rest is read two ways. As terms (setopt's
 * values): each is decoded to option bytes, and where the codec also
 * encodes, the bytes encode to a term that must decode to the same
 * bytes again (see same_bytes), or, for the codecs that keep less than
 * they are given (see exact), to a term that encodes the same. As raw
 * bytes (what getsockopt gives): encoded at the codec's length, shorter
 * and longer, in a buffer at least that long as opt.c allocates it,
 * never a crash. The second byte picks the socket's domain (local or
 * inet), which the protocol codec reads.
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "opt_codec.h"
#include "sock.h"
#include "util.h"


/*
 * Nonzero when encode then decode gives back the bytes decode made. Not
 * so for tos, whose names stand for bits under the mask 0x1e (0x11 is
 * lowdelay, which sets 0x10), nor for hops, whose default is the
 * kernel's -1, which only the atom sets, as in OTP: for those the term
 * must encode the same again.
 */
static int
exact(enum codec_id id)
{
	return id != CODEC_TOS && id != CODEC_HOPS;
}

/*
 * The same option bytes. A congestion algorithm is a name the kernel
 * reads up to its NUL, and the encoder drops the one NUL the kernel pads
 * it with (as OTP does), so "reno\0" comes back as "reno": compare
 * names.
 */
static int
same_bytes(enum codec_id id, const struct buf *a, const struct buf *b)
{
	size_t na = a->len, nb = b->len;

	if (id == CODEC_CONGESTION) {
		na = na > 0 ? strnlen(a->data, na) : 0;
		nb = nb > 0 ? strnlen(b->data, nb) : 0;
	}
	return na == nb && (na == 0 || memcmp(a->data, b->data, na) == 0);
}

static term
encode(enum codec_id id, const struct sock *s, const struct buf *b)
{
	return codec_encode(
	    id, s, (const unsigned char *)b->data, (socklen_t)b->len);
}

/* The codec and socket an input's terms are values of. */
struct opt_case {
	enum codec_id id;
	const struct sock *s;
};

/* A value term: decoded, and where the codec encodes, back again. */
static void
value(term t, void *arg)
{
	const struct opt_case *c = arg;
	enum codec_id id = c->id;
	const struct sock *s = c->s;
	struct buf b1, b2;
	term e1, e2;

	buf_init(&b1);
	buf_init(&b2);
	if (codec_decode(id, t, &b1) < 0 || !codec_encodes(id))
		goto out;
	/* A buffer of the codec's length at least, as getsockopt fills. */
	if (b1.len < codec_getlen(id)) {
		buf_reserve(&b1, codec_getlen(id) - b1.len);
		memset(b1.data + b1.len, 0, codec_getlen(id) - b1.len);
	}
	e1 = encode(id, s, &b1);
	if (codec_decode(id, e1, &b2) < 0) {
		if (exact(id))
			abort();
	} else if (exact(id)) {
		if (!same_bytes(id, &b1, &b2))
			abort();
	} else {
		e2 = encode(id, s, &b2);
		if (!term_equal(e1, e2))
			abort();
		term_free(e2);
	}
	term_free(e1);
out:
	buf_free(&b1);
	buf_free(&b2);
}

/* n bytes from getsockopt, which gave a buffer of getlen at least. */
static void
raw(enum codec_id id, const struct sock *s, const uint8_t *data, size_t n,
    size_t len)
{
	size_t getlen = codec_getlen(id), size = len > getlen ? len : getlen;
	unsigned char *p;
	term t;

	p = xcalloc(1, size > 0 ? size : 1);
	memcpy(p, data, n < size ? n : size);
	t = codec_encode(id, s, p, (socklen_t)len);
	term_free(t);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock s;
	struct opt_case c;
	enum codec_id id;
	size_t getlen;

	if (size < 2)
		return 0;
	id = (enum codec_id)(data[0] % CODEC_N);
	memset(&s, 0, sizeof s);
	s.domain = data[1] & 1 ? AF_LOCAL : AF_INET;
	data += 2;
	size -= 2;
	if (codec_encodes(id)) {
		getlen = codec_getlen(id);
		raw(id, &s, data, size, getlen);
		raw(id, &s, data, size, getlen / 2);
		raw(id, &s, data, size, 0);
		raw(id, &s, data, size, getlen + 7);
		raw(id, &s, data, size, size);
	}
	if (!codec_decodes(id))
		return 0;
	c.id = id;
	c.s = &s;
	fuzz_each_term(data, size, value, &c);
	return 0;
}
