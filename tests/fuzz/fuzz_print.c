/*
 * libFuzzer harness for the ~p printer: every term the parser reads from
 * any bytes is printed in each of the printer's forms (~p at a few
 * columns, ~Np at a few widths, the one-line form, ~w and ~lp), and each
 * text must read back equal (=:=) with the same parser; printing must
 * never crash, leak or invoke undefined behaviour. The printer writes
 * latin1, as the Erlang shell does, while the scanner takes UTF-8 where
 * it is valid, so the text is read back as UTF-8. A term holding a
 * variable or an address literal is no value: it is printed only.
 *   make fuzz   (clang, -fsanitize=fuzzer,address,undefined)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "term_parse.h"
#include "term_print.h"
#include "util.h"


/*
 * Terms heavier than this (bytes of binaries, elements) are skipped, and
 * texts longer than that are not read back: <<0:16000000>> is short to
 * type, and its dozen layouts would cost seconds a run, not coverage.
 */
#define WEIGHT_MAX (64 * 1024)
#define READBACK_MAX (256 * 1024)

/* About how many bytes and elements t holds, up to max. */
static size_t
weight(term t, size_t max)
{
	size_t i, n, w = 1;

	switch (term_kind(t)) {
	case TERM_BINARY:
		return w + term_bin_size(t);
	case TERM_TUPLE:
	case TERM_LIST:
		n = term_size(t);
		for (i = 0; i < n && w <= max; i++)
			w += weight(term_elems(t)[i], max);
		if (term_kind(t) == TERM_LIST)
			w += weight(term_list_tail(t), max);
		return w;
	case TERM_MAP:
		n = term_size(t);
		for (i = 0; i < n && w <= max; i++)
			w += weight(term_map_key(t, i), max) +
			     weight(term_map_value(t, i), max);
		return w;
	default:
		return w;
	}
}

/* The latin1 text as UTF-8, as a terminal would hand it back. */
static void
latin1_to_utf8(struct buf *out, const struct buf *in)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < in->len; i++)
		buf_add_utf8(out, (unsigned char)in->data[i]);
}

/* The text must parse as one term equal to t, and nothing after it. */
static void
read_back(const struct buf *text, term t, const char *form)
{
	struct parser p;
	const struct token *tok;
	struct buf u;
	term back;

	if (text->len > READBACK_MAX)
		return;
	buf_init(&u);
	latin1_to_utf8(&u, text);
	parse_init(&p, u.data, u.len, 1);
	if (parse_term(&p, &back) < 0) {
		fprintf(stderr, "%s: %.*s\ndoes not parse: %s\n", form,
		    (int)text->len, text->data, p.err);
		abort();
	}
	tok = parse_peek(&p, 0);
	if (tok == NULL || tok->kind != TOK_EOF || !term_equal(t, back)) {
		fprintf(stderr, "%s: %.*s\ndoes not read back\n", form,
		    (int)text->len, text->data);
		abort();
	}
	term_free(back);
	parse_done(&p);
	buf_free(&u);
}

static void
check(term t, void *arg)
{
	(void)arg;
	static const struct {
		const char *name;
		int flags;
		int col;
		int width; /* 0: print_term's 80 columns */
	} forms[] = {
	    {"~p", 0, 1, 0},
	    {"~p at column 30", 0, 30, 0},
	    {"~p at column 79", 0, 79, 0},
	    {"one line", PRINT_COMPACT, 1, 0},
	    {"~w", PRINT_W, 1, 0},
	    {"~lp", PRINT_NO_TEXT, 1, 0},
	    {"~lp at column 50", PRINT_NO_TEXT, 50, 0},
	    {"~1p", 0, 1, 1},
	    {"~10p", 0, 5, 10},
	    {"~40p", 0, 1, 40},
	    {"~200p", 0, 1, 200},
	    {"~20w", PRINT_W, 1, 20},
	    {"~tp", PRINT_UNICODE, 1, 0},
	};
	struct buf b;
	size_t i;
	int value;

	if (weight(t, WEIGHT_MAX) > WEIGHT_MAX)
		return;
	value = !term_holds(t, TERM_VAR) && !term_holds(t, TERM_ADDR);
	buf_init(&b);
	for (i = 0; i < NELEMS(forms); i++) {
		buf_reset(&b);
		if (forms[i].width == 0)
			print_term(&b, t, forms[i].flags, forms[i].col);
		else
			print_term_width(&b, t, forms[i].flags, forms[i].col,
			    forms[i].width);
		if (value)
			read_back(&b, t, forms[i].name);
	}
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_term(data, size, check, NULL);
	return 0;
}
