/*
 * Variable bindings (see env.h). Lookups are the evaluator's most
 * frequent operation: a script that binds thousands of sockets must not
 * search them all for each variable, hence the hash past a few entries.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "util.h"

/* Below this many bindings a linear search beats hashing. */
#define ENV_LINEAR 8

void
env_init(struct env *e)
{
	e->v = e->small;
	e->n = 0;
	e->cap = ENV_SMALL;
	e->hash = NULL;
	e->hcap = e->hused = 0;
	e->parent = NULL;
}

void
env_free(struct env *e)
{
	env_truncate(e, 0);
	if (e->v != e->small)
		free(e->v);
	free(e->hash);
	env_init(e);
}

static size_t
slot_of(uint32_t var, size_t cap)
{
	return (size_t)(var * 2654435761u) & (cap - 1);
}

/* Points var's hash entry at slot i: overwrites its entry or takes one. */
static void
hash_set(struct env *e, uint32_t var, size_t i)
{
	size_t h = slot_of(var, e->hcap);

	while (e->hash[h] != 0 && (uint32_t)(e->hash[h] >> 32) != var)
		h = (h + 1) & (e->hcap - 1);
	if (e->hash[h] == 0)
		e->hused++;
	e->hash[h] = (uint64_t)var << 32 | (uint64_t)(i + 1);
}

/* Builds the hash anew from the live bindings, at twice their number. */
static void
rehash(struct env *e)
{
	size_t i;

	e->hcap = 64;
	while (e->hcap < 4 * e->n)
		e->hcap *= 2;
	free(e->hash);
	e->hash = xreallocarray(NULL, e->hcap, sizeof *e->hash);
	memset(e->hash, 0, e->hcap * sizeof *e->hash);
	e->hused = 0;
	for (i = 0; i < e->n; i++)
		hash_set(e, e->v[i].var, i);
}

static size_t
find(const struct env *e, uint32_t var)
{
	size_t h, i;

	if (e->hash == NULL) {
		for (i = e->n; i-- > 0;)
			if (e->v[i].var == var)
				return i;
		return (size_t)-1;
	}
	for (h = slot_of(var, e->hcap); e->hash[h] != 0;
	     h = (h + 1) & (e->hcap - 1)) {
		if ((uint32_t)(e->hash[h] >> 32) != var)
			continue;
		/* A stale entry points past the end or at another var. */
		i = (size_t)(e->hash[h] & 0xffffffffu) - 1;
		return i < e->n && e->v[i].var == var ? i : (size_t)-1;
	}
	return (size_t)-1;
}

const term *
env_get_here(const struct env *e, uint32_t var)
{
	size_t i = find(e, var);

	return i == (size_t)-1 ? NULL : &e->v[i].value;
}

const term *
env_get(const struct env *e, uint32_t var)
{
	const term *v;

	for (; e != NULL; e = e->parent)
		if ((v = env_get_here(e, var)) != NULL)
			return v;
	return NULL;
}

void
env_put(struct env *e, uint32_t var, term value)
{
	size_t i = find(e, var);

	if (i != (size_t)-1) {
		term_free(e->v[i].value);
		e->v[i].value = value;
		return;
	}
	if (e->n == e->cap) {
		if (e->v == e->small) {
			e->v = xreallocarray(NULL, e->cap * 2, sizeof *e->v);
			memcpy(e->v, e->small, e->n * sizeof *e->v);
		} else
			e->v = xreallocarray(e->v, e->cap * 2, sizeof *e->v);
		e->cap *= 2;
	}
	e->v[e->n].var = var;
	e->v[e->n].value = value;
	e->n++;
	if (e->hash == NULL && e->n <= ENV_LINEAR)
		return;
	if (e->hash == NULL || 2 * (e->hused + 1) > e->hcap)
		rehash(e);
	else
		hash_set(e, var, e->n - 1);
}

void
env_truncate(struct env *e, size_t n)
{
	while (e->n > n)
		term_free(e->v[--e->n].value);
}

void
env_drop(struct env *e, uint32_t var)
{
	size_t i = find(e, var);

	if (i == (size_t)-1)
		return;
	term_free(e->v[i].value);
	/* The last binding takes the slot: no other moves (f(X) is common). */
	e->v[i] = e->v[--e->n];
	if (e->hash != NULL && i < e->n)
		hash_set(e, e->v[i].var, i);
}
