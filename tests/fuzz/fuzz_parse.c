/*
 * libFuzzer harness for the scanner and the term parser: any bytes must
 * give a term or an error, never a crash, a leak or undefined behaviour.
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#include <stddef.h>
#include <stdint.h>

#include "term_parse.h"
#include "term_print.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parser p;
	struct buf b;
	term t;
	int i;

	parse_init(&p, (const char *)data, size, 1);
	buf_init(&b);
	for (i = 0; i < 64; i++) {
		if (parse_term(&p, &t) < 0)
			break;
		print_term(&b, t, 0, 1);
		print_term(&b, t, 0x1, 1);
		print_term(&b, t, 0x2, 1);
		term_free(t);
		if (parse_is(&p, ','))
			parse_skip(&p);
	}
	parse_done(&p);
	buf_free(&b);
	return 0;
}
