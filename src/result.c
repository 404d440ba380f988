/*
 * Result builders: the tuples of every command's outcome. errno names
 * come from errnames.c.
 */
#include "compat.h"

#include "errnames.h"
#include "result.h"

term
t_ok(term t)
{
	return term_tuple2(term_atom_of(A_OK), t);
}

term
t_error(term t)
{
	return term_tuple2(term_atom_of(A_ERROR), t);
}

term
t_invalid(const char *what, term value)
{
	return t_error(term_tuple2(
	    term_atom_of(A_INVALID), term_tuple2(term_atom(what), value)));
}

term
t_errno(int value)
{
	const char *name = err_name(value);

	if (name == NULL)
		return t_error(
		    term_tuple2(term_atom("unknown"), term_int(value)));
	return t_error(term_atom(name));
}
