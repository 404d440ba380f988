/*
 * Exceptions (see exc.h): the record the evaluator fills, the stack catch
 * and try see, and the shell's text for an uncaught one, after OTP 25's
 * erl_error: an explanation of the reason, then for a BIF or an operator
 * the call and erl_erts_errors' notes on its arguments. Frames of erl's
 * own evaluator (erl_eval, eval_bits) are not shown: esock has none.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exc.h"
#include "term_print.h"
#include "util.h"

static const char *const class_names[] = {"error", "throw", "exit"};

void
exc_clear(struct exc *x)
{
	term_free(x->reason);
	term_free(x->args);
	memset(x, 0, sizeof *x);
	x->reason = term_nil();
	x->args = term_nil();
	x->mod = term_nil();
	x->fun = term_nil();
}

const char *
exc_class_name(enum exc_class cls)
{
	return class_names[cls];
}

term
exc_stack(const struct exc *x)
{
	term frame[4];

	term frames[2];
	size_t n = 1;

	if (x->where != AT_FUNCTION && x->where != AT_OPERATOR)
		return term_nil();
	frame[0] = x->mod;
	frame[1] = x->fun;
	frame[2] = term_copy(x->args);
	frame[3] = term_nil();
	frames[0] = term_tuple(4, frame);
	if (x->from_fun != NULL) {
		frame[1] = term_atom(x->from_fun);
		frame[2] = term_int(x->from_arity);
		frames[n++] = term_tuple(4, frame);
	}
	return term_list(n, frames, term_nil());
}

/* The shell's explanation of an exception (erl_error's format). */

static void
put_term(struct buf *b, term t, int col)
{
	print_term(b, t, 0, col);
}

static int
column(const struct buf *b)
{
	size_t i = b->len;

	while (i > 0 && b->data[i - 1] != '\n')
		i--;
	return (int)(b->len - i) + 1;
}

/* How erl_error counts arguments: words up to two, then digits. */
static void
put_args_count(struct buf *b, size_t n)
{
	static const char *const w[] = {
	    "no arguments", "one argument", "two arguments"};

	if (n < sizeof w / sizeof *w)
		buf_adds(b, w[n]);
	else
		buf_addf(b, "%zu arguments", n);
}

/*
 * The arguments of a call as erl_error writes them: the list printed as
 * ~p prints it at the column of its "(", brackets made parentheses. A
 * list of character codes must not print as a string: its first element
 * is written as the integer it is.
 */
static void
put_args(struct buf *b, term args)
{
	size_t start = b->len, n = term_size(args), i;

	if (n > 0 && term_is_charlist(args)) {
		for (i = 0; i < n; i++)
			buf_addf(b, "%c%lld", i == 0 ? '(' : ',',
			    (long long)term_elems(args)[i].u.i);
		buf_addc(b, ')');
		return;
	}
	put_term(b, args, column(b));
	b->data[start] = '(';
	b->data[b->len - 1] = ')';
}

/* M:F(A1,A2) as erl_error writes a call; erlang: is left out. */
static void
put_call(struct buf *b, const struct exc *x)
{
	if (!term_atom_is(x->mod, "erlang") && term_kind(x->mod) == TERM_ATOM) {
		put_term(b, x->mod, column(b));
		buf_addc(b, ':');
	}
	put_term(b, x->fun, column(b));
	put_args(b, x->args);
}

/* What erl_error says of a reason: an atom, or {Tag, Term} before Term. */
struct reason_text {
	const char *reason;
	const char *text;
};

static const struct reason_text atom_texts[] = {
    {"badarg", "bad argument"},
    {"badarith", "an error occurred when evaluating an arithmetic "
                 "expression"},
    {"if_clause", "no true branch found when evaluating an if expression"},
    {"system_limit", "a system limit has been reached"},
    {"timeout_value", "bad receive timeout value"},
};

static const struct reason_text tagged_texts[] = {
    {"badarg", "bad argument: "},
    {"badmatch", "no match of right hand side value "},
    {"case_clause", "no case clause matching "},
    {"try_clause", "no try clause matching "},
    {"badfun", "bad function "},
    {"bad_generator", "bad generator "},
    {"bad_filter", "bad filter "},
    {"badkey", "bad key: "},
    {"badmap", "bad map: "},
};

static const char *
reason_text(const struct reason_text *t, size_t n, term r)
{
	size_t i;

	if (t == tagged_texts) {
		if (term_kind(r) != TERM_TUPLE || term_size(r) != 2)
			return NULL;
		r = term_tuple_get(r, 0);
	}
	for (i = 0; i < n; i++)
		if (term_atom_is(r, t[i].reason))
			return t[i].text;
	return NULL;
}

/*
 * A "*** ..." line of erl's explanation: head, then why, whose further
 * lines (io:format's list of bad elements) erl_error indents under its
 * first.
 */
static void
put_why(struct buf *b, const char *head, const char *why)
{
	const char *nl;

	buf_addc(b, '\n');
	buf_adds(b, head);
	while ((nl = strchr(why, '\n')) != NULL) {
		buf_add(b, why, (size_t)(nl - why) + 1);
		buf_addf(b, "%*s", (int)strlen(head), "");
		why = nl + 1;
	}
	buf_adds(b, why);
}

/*
 * A frame raised without its arguments (the stack has only the arity),
 * and the caller's when there is one. prim_socket is preloaded without
 * line numbers: erl shows its frames with an empty location, a blank.
 */
static void
put_frame(struct buf *b, const char *in, term mod, term fun, long long arity)
{
	buf_adds(b, in);
	if (!term_atom_is(mod, "erlang")) {
		put_term(b, mod, column(b));
		buf_addc(b, ':');
	}
	put_term(b, fun, column(b));
	buf_addf(
	    b, "/%lld%s", arity, term_atom_is(mod, "prim_socket") ? " " : "");
}

static void
put_frames(struct buf *b, const struct exc *x)
{
	put_frame(b, "\n     in function  ", x->mod, x->fun, x->args.u.i);
	if (x->from_fun != NULL)
		put_frame(b, "\n     in call from ", x->mod,
		    term_atom(x->from_fun), x->from_arity);
}

static void
explain(struct buf *b, const struct exc *x)
{
	term r = x->reason;
	size_t n = term_size(x->args), i;
	const char *text;
	char head[32];
	int col = column(b);

	if (x->where == AT_SEGMENT) {
		buf_addf(b,
		    "construction of binary failed\n        *** "
		    "segment %u of type '%s': %s",
		    x->seg, x->seg_type, x->seg_what);
		put_term(b, x->args, column(b));
		if (x->seg_after != NULL)
			buf_adds(b, x->seg_after);
		return;
	}
	if ((text = reason_text(atom_texts, NELEMS(atom_texts), r)) != NULL)
		buf_adds(b, text);
	else if (term_atom_is(r, "undef") && x->where == AT_UNDEF_LOCAL) {
		buf_addf(b, "undefined shell command ");
		put_term(b, x->fun, column(b));
		buf_addf(b, "/%zu", n);
		return;
	} else if (term_atom_is(r, "undef") && x->where == AT_FUNCTION) {
		buf_adds(b, "undefined function ");
		put_term(b, x->mod, column(b));
		buf_addc(b, ':');
		put_term(b, x->fun, column(b));
		buf_addf(b, "/%zu", n);
		return;
	} else if (term_atom_is(r, "function_clause") &&
	           x->where == AT_FUNCTION) {
		struct buf call;

		/* erl_error breaks the line when a two-argument call would
		 * not fit after the message. */
		buf_init(&call);
		put_call(&call, x);
		buf_adds(b, "no function clause matching ");
		if (column(b) + (int)(strchr(call.data, '(') - call.data) + 13 >
		    80)
			buf_addf(b, "\n%*s", col - 1, "");
		buf_add(b, call.data, call.len);
		buf_addc(b, ' ');
		buf_free(&call);
		return;
	} else if ((text = reason_text(
	                tagged_texts, NELEMS(tagged_texts), r)) != NULL) {
		buf_adds(b, text);
		put_term(b, term_tuple_get(r, 1), column(b));
	} else if (term_is_tagged(r, "badarity", 2) &&
	           term_kind(term_tuple_get(r, 1)) == TERM_TUPLE &&
	           term_size(term_tuple_get(r, 1)) == 2 &&
	           term_kind(term_tuple_get(term_tuple_get(r, 1), 0)) ==
	               TERM_FUN) {
		term fa = term_tuple_get(r, 1);

		buf_addf(b, "interpreted function with arity %u called with ",
		    term_fun_arity(term_tuple_get(fa, 0)));
		put_args_count(b, term_size(term_tuple_get(fa, 1)));
	} else
		put_term(b, r, col);
	if (x->where != AT_FUNCTION && x->where != AT_OPERATOR)
		return;
	if (x->where == AT_OPERATOR) {
		/* erl_error quotes '/' alone, so that '/'/2 reads. */
		buf_adds(b, "\n     in operator  ");
		if (term_atom_is(x->fun, "/"))
			buf_adds(b, "'/'");
		else
			buf_add(
			    b, term_atom_name(x->fun), term_atom_len(x->fun));
		buf_addf(b, "/%zu\n        called as ", n);
		if (n == 2) {
			put_term(b, term_elems(x->args)[0], column(b));
			buf_addc(b, ' ');
			buf_add(
			    b, term_atom_name(x->fun), term_atom_len(x->fun));
			buf_addc(b, ' ');
			put_term(b, term_elems(x->args)[1], column(b));
		} else {
			buf_add(
			    b, term_atom_name(x->fun), term_atom_len(x->fun));
			buf_addc(b, ' ');
			put_term(b, term_elems(x->args)[0], column(b));
		}
		return;
	}
	if (term_kind(x->args) == TERM_INT) {
		put_frames(b, x);
		return;
	}
	buf_adds(b, "\n     in function  ");
	if (!term_atom_is(x->mod, "erlang")) {
		put_term(b, x->mod, column(b));
		buf_addc(b, ':');
	}
	put_term(b, x->fun, column(b));
	buf_addf(b, "/%zu\n        called as ", n);
	put_call(b, x);
	for (i = 0; i < BIF_ARGS_MAX; i++)
		if (x->why[i] != NULL) {
			snprintf(head, sizeof head,
			    "        *** argument %zu: ", i + 1);
			put_why(b, head, x->why[i]);
		}
	if (x->general != NULL)
		put_why(b, "        *** ", x->general);
}

void
exc_print(const struct exc *x, FILE *fp, int utf8)
{
	struct buf b;

	buf_init(&b);
	buf_addf(&b, "** exception %s: ", exc_class_name(x->cls));
	if (x->cls == EXC_ERROR)
		explain(&b, x);
	else {
		put_term(&b, x->reason, column(&b));
		if (x->where == AT_FUNCTION && term_kind(x->args) == TERM_INT)
			put_frames(&b, x);
	}
	buf_addc(&b, '\n');
	if (utf8)
		buf_latin1_utf8(&b, 0);
	fflush(stdout);
	fwrite(b.data, 1, b.len, fp);
	buf_free(&b);
}
