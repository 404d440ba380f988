/*
 * libFuzzer harness for the sockaddr() codec: every term the parser
 * reads from any bytes goes to sa_decode, and to sa_decode_arg in each
 * family (a string is an address literal there); an address decoded must
 * encode to a map that decodes to the same bytes and length, where OTP's
 * codec is a round trip (see same_address). The address parts alone,
 * sa_in_addr_decode and sa_in6_addr_decode, must round trip through
 * their encoders too. Names resolve as numbers only: the harness never
 * asks a resolver on the network.
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NUMERIC_NAMES /* getaddrinfo of numbers only */
#include "fuzz.h"
#include "sockaddr.h"
#include "term.h"
#include "util.h"


/*
 * Where decode(encode(address)) must give the address back. A local
 * path is read up to its NUL, as the kernel reads it (an abstract name,
 * NUL first, whole), so a path with a NUL inside comes back shorter, as
 * in OTP. A family given as an integer encodes by its name when it has
 * one (2 is inet, with no sin_zero), and OTP decodes no packet or other
 * named native family: those are no round trip either.
 */
static int
same_address(const struct sockaddr_storage *a, socklen_t alen,
    const struct sockaddr_storage *b, socklen_t blen)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)a;
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	if (a->ss_family == AF_LOCAL && alen > off && un->sun_path[0] != '\0') {
		n = strnlen(un->sun_path, alen - off);
		return blen == off + n && memcmp(a, b, off + n) == 0;
	}
	return alen == blen && memcmp(a, b, alen) == 0;
}

static void
round_trip(term given, const struct sockaddr_storage *ss, socklen_t len)
{
	struct sockaddr_storage ss2;
	socklen_t len2;
	const term *family, *family2;
	term back, why;
	int exact;

	family = term_map_get(given, "family");
	back = sa_encode((const struct sockaddr *)ss, len);
	family2 = term_map_get(back, "family");
	exact = family == NULL || term_kind(*family) == TERM_ATOM ||
	        (family2 != NULL && term_kind(*family2) == TERM_INT);
	if (sa_decode(back, &ss2, &len2, &why) < 0) {
		term_free(why);
		if (exact)
			abort();
	} else if (exact && !same_address(ss, len, &ss2, len2))
		abort();
	term_free(back);
}

static void
decode(term t, void *arg)
{
	(void)arg;
	static const int families[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_LOCAL};
	struct sockaddr_storage ss;
	struct in6_addr a6, b6;
	struct in_addr a4, b4;
	socklen_t len;
	term why, back;
	size_t i;

	if (sa_decode(t, &ss, &len, &why) == 0)
		round_trip(t, &ss, len);
	else
		term_free(why);
	for (i = 0; i < NELEMS(families); i++) {
		if (sa_decode_arg(t, families[i], &ss, &len, &why) == 0) {
			back = sa_encode((const struct sockaddr *)&ss, len);
			term_free(back);
		} else
			term_free(why);
	}
	if (sa_in_addr_decode(t, &a4) == 0) {
		back = sa_in_addr_term(&a4);
		if (sa_in_addr_decode(back, &b4) < 0 ||
		    memcmp(&a4, &b4, sizeof a4) != 0)
			abort();
		term_free(back);
	}
	if (sa_in6_addr_decode(t, &a6) == 0) {
		back = sa_in6_addr_term(&a6);
		if (sa_in6_addr_decode(back, &b6) < 0 ||
		    memcmp(&a6, &b6, sizeof a6) != 0)
			abort();
		term_free(back);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_term(data, size, decode, NULL);
	return 0;
}
