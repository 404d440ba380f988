/*
 * libFuzzer harness for control messages, both ways. Any bytes, as a
 * control buffer from recvmsg (copied to an aligned buffer, as the
 * kernel's is), become a cmsg() list with levels by name and by number,
 * never a crash. Any term the parser reads, as the ctrl of a msg(), goes
 * through cmsg_levels and cmsg_build at a few sizes; what builds must
 * list back as one cmsg() a message, none of them bad_data. Received
 * descriptors are never kept (cmsg_fds_keep is not called), so that no
 * descriptor of the process is ever taken for one.
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cmsg.h"
#include "util.h"


static void
list_bytes(const void *ctrl, size_t len)
{
	term l;

	l = cmsg_list(ctrl, len, CMSG_LEVEL_NAMES);
	term_free(l);
	l = cmsg_list(ctrl, len, CMSG_LEVEL_NUMBERS);
	term_free(l);
}

/* The messages built from ectrl must list back, one a message. */
static void
check_built(term ectrl, const struct buf *b)
{
	static const enum cmsg_levels how[] = {
	    CMSG_LEVEL_NAMES, CMSG_LEVEL_NUMBERS};
	size_t i, k, n;
	term l;

	for (k = 0; k < NELEMS(how); k++) {
		l = cmsg_list(b->data, b->len, how[k]);
		n = term_kind(l) == TERM_LIST ? term_size(l) : 0;
		if (!term_is_list(l) ||
		    n != (term_kind(ectrl) == TERM_LIST ? term_size(ectrl) : 0))
			abort();
		for (i = 0; i < n; i++)
			if (term_kind(term_list_get(l, i)) != TERM_MAP)
				abort();
		term_free(l);
	}
}

static void
build(term ctrl, void *arg)
{
	(void)arg;
	static const size_t maxes[] = {0, 16, 64, 4096, 1 << 20};
	struct buf b;
	term ectrl, why;
	size_t i;

	if (cmsg_levels(ctrl, &ectrl, &why) < 0) {
		term_free(why);
		return;
	}
	buf_init(&b);
	for (i = 0; i < NELEMS(maxes); i++) {
		buf_reset(&b);
		if (cmsg_build(ectrl, maxes[i], &b) == 0)
			check_built(ectrl, &b);
	}
	buf_free(&b);
	term_free(ectrl);
	why = cmsg_invalid_ctrl(ctrl);
	term_free(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctrl;

	/* malloc aligns for any type, struct cmsghdr included. */
	ctrl = xmalloc(size > 0 ? size : 1);
	memcpy(ctrl, data, size);
	list_bytes(ctrl, size);
	free(ctrl);
	fuzz_each_term(data, size, build, NULL);
	return 0;
}
