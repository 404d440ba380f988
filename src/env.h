/*
 * Variable bindings: the session's and each fun call's. Bindings are
 * appended and taken back to a mark (a failed match, a failed line), so
 * the index is a hash from the variable to its slot whose stale entries
 * are recognised rather than removed. Small environments (a fun's) are
 * searched in order and get no hash.
 */
#ifndef ESOCK_ENV_H
#define ESOCK_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"

struct binding {
	uint32_t var; /* the variable's atom id */
	term value;
};

/* Bindings kept in the env itself: a fun call needs no allocation. */
#define ENV_SMALL 6

struct env {
	struct binding *v; /* small, or allocated past it */
	size_t n, cap;
	struct binding small[ENV_SMALL];
	uint64_t *hash; /* var << 32 | (slot + 1); 0 = empty */
	size_t hcap;
	size_t hused;
	/* Read when a variable is not bound here (a comprehension's scope). */
	const struct env *parent;
};

/* Sets up an env in place; it must not be copied or moved while used. */
void env_init(struct env *);
void env_free(struct env *);
/* The value bound to a variable (borrowed), here or in a parent, or NULL. */
const term *env_get(const struct env *, uint32_t);
/* The same, in this env only. */
const term *env_get_here(const struct env *, uint32_t);
/* Binds var to value (consumed), replacing any earlier binding. */
void env_put(struct env *, uint32_t, term);
/* Drops the bindings made after the env had n of them. */
void env_truncate(struct env *, size_t);
/* Forgets one variable. */
void env_drop(struct env *, uint32_t);

#endif
