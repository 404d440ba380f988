/*
 * What the libFuzzer harnesses share: reading the terms of an input,
 * and (where FUZZ_NUMERIC_NAMES is defined before this header, in the
 * one file of a harness) a getaddrinfo that resolves numbers only, so
 * that no harness ever asks a resolver on the network.
 */
#ifndef ESOCK_FUZZ_H
#define ESOCK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"
#include "term_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Calls fn with each of the first 16 terms the parser reads from the
 * bytes (separated by commas or full stops), freeing each after; stops
 * at the first that does not parse.
 */
static inline void
fuzz_each_term(const uint8_t *data, size_t size, void (*fn)(term, void *),
    void *arg)
{
	struct parser p;
	const struct token *tok;
	term t;
	int i;

	parse_init(&p, (const char *)data, size, 1);
	for (i = 0; i < 16; i++) {
		if (parse_term(&p, &t) < 0)
			break;
		fn(t, arg);
		term_free(t);
		tok = parse_peek(&p, 0);
		if (tok != NULL && (tok->kind == TOK_END || parse_is(&p, ',')))
			parse_skip(&p);
	}
	parse_done(&p);
}

#ifdef FUZZ_NUMERIC_NAMES
#include <sys/socket.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <netdb.h>
#include <string.h>

/* getaddrinfo for numeric hosts and services only. */
int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	static int (*real)(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **);
	struct addrinfo h;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
	if (real == NULL)
		return EAI_FAIL;
	memset(&h, 0, sizeof h);
	if (hints != NULL)
		h = *hints;
	h.ai_flags |= AI_NUMERICHOST | AI_NUMERICSERV;
	return real(node, service, &h, res);
}
#endif

#endif
