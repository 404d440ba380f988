/*
 * libFuzzer harness for the addresses and endpoints a user types: any
 * bytes read as an endpoint (relay, serve) or as an address literal
 * (127.0.0.1:80, [::1]:80, /path, @name) in each family must give a
 * value or an error, never a crash, a leak or undefined behaviour; an
 * address read must encode back to a map that decodes to the same
 * bytes. Names resolve as numbers only: the harness never asks a
 * resolver on the network.
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NUMERIC_NAMES /* getaddrinfo of numbers only */
#include "fuzz.h"
#include "endpoint.h"
#include "sockaddr.h"
#include "term.h"


/* A literal in a family: decoded, encoded again, decoded the same. */
static void
literal(const char *text, size_t len, int family)
{
	struct sockaddr_storage ss, ss2;
	socklen_t sl, sl2;
	term map, why, back;

	if (sa_literal(text, len, family, &map, &why) < 0) {
		term_free(why);
		return;
	}
	if (sa_decode(map, &ss, &sl, &why) < 0) {
		term_free(why);
		term_free(map);
		return;
	}
	back = sa_encode((struct sockaddr *)&ss, sl);
	if (sa_decode(back, &ss2, &sl2, &why) < 0 || sl != sl2 ||
	    memcmp(&ss, &ss2, sl) != 0)
		abort();
	term_free(back);
	term_free(map);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct endpoint ep;
	char *text;
	term why;

	if (size > 4096 || memchr(data, '\0', size) != NULL)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	why = term_nil();
	if (endpoint_parse(text, &ep, &why) == 0) {
		(void)endpoint_listens(&ep);
		endpoint_free(&ep);
	} else
		term_free(why);
	literal(text, size, AF_UNSPEC);
	literal(text, size, AF_INET);
	literal(text, size, AF_INET6);
	literal(text, size, AF_UNIX);
	free(text);
	return 0;
}
