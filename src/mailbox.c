/*
 * The mailbox: a ring of terms that grows by doubling, so a burst of
 * ten thousand select messages costs one allocation per doubling and
 * O(1) per message. It knows nothing of sockets; sock.c puts, and the
 * shell's receive and flush take.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "mailbox.h"
#include "util.h"

static term *ring;
static size_t cap, head, count;
static void (*hook)(term);
static int exited; /* between mbox_exit and mbox_restart */

void
mbox_put(term t)
{
	term *bigger;
	size_t i;

	if (exited) {
		term_free(t);
		return;
	}
	if (count == cap) {
		bigger = xreallocarray(NULL, cap ? cap * 2 : 16, sizeof *ring);
		for (i = 0; i < count; i++)
			bigger[i] = ring[(head + i) % cap];
		free(ring);
		ring = bigger;
		cap = cap ? cap * 2 : 16;
		head = 0;
	}
	ring[(head + count) % cap] = t;
	count++;
	if (hook != NULL)
		hook(t);
}

int
mbox_take(term *t)
{
	if (count == 0)
		return 0;
	*t = ring[head];
	head = (head + 1) % cap;
	count--;
	return 1;
}

int
mbox_take_at(size_t i, term *t)
{
	size_t k;

	if (i >= count)
		return 0;
	*t = ring[(head + i) % cap];
	/*
	 * Close the gap from the nearer end: a receive mostly takes the
	 * oldest message, which costs nothing to move.
	 */
	if (i < count / 2) {
		for (k = i; k > 0; k--)
			ring[(head + k) % cap] = ring[(head + k - 1) % cap];
		head = (head + 1) % cap;
	} else {
		for (k = i; k + 1 < count; k++)
			ring[(head + k) % cap] = ring[(head + k + 1) % cap];
	}
	count--;
	return 1;
}

int
mbox_wait(int64_t deadline, size_t seen)
{
	struct loop *l = loop_get();
	int64_t left = 0;

	if (count > seen)
		return 0;
	for (;;) {
		if (loop_run_once(l, left) < 0 && loop_interrupted())
			return -1;
		if (count > seen)
			return 0;
		if (deadline < 0)
			left = -1;
		else if ((left = deadline - loop_now_ms()) <= 0)
			return 0;
	}
}

size_t
mbox_count(void)
{
	return count;
}

term
mbox_peek(size_t i)
{
	return ring[(head + i) % cap];
}

void
mbox_set_hook(void (*fn)(term))
{
	hook = fn;
}

void
mbox_clear(void)
{
	term t;

	while (mbox_take(&t))
		term_free(t);
	free(ring);
	ring = NULL;
	cap = head = 0;
}

/* erl -noshell -eval's process: the one esock stands for. */
static uint32_t self_pid[3] = {0, 9, 0};

void
mbox_exit(void)
{
	mbox_clear();
	exited = 1;
}

void
mbox_restart(void)
{
	exited = 0;
	self_pid[1]++;
}

term
mbox_self(void)
{
	return term_pid(self_pid[0], self_pid[1], self_pid[2]);
}

int
mbox_is_self(term t)
{
	uint32_t p[3];

	if (term_kind(t) != TERM_PID)
		return 0;
	term_pid_parts(t, p);
	return memcmp(p, self_pid, sizeof p) == 0;
}
