/*
 * Result builders every layer uses, so that each reason is spelt as OTP
 * spells it: {ok, X}, {error, X}, {error, {invalid, {What, X}}} and
 * {error, Posix}. Each consumes the term it is given and returns an
 * owned result, as term.h's constructors do.
 */
#ifndef ESOCK_RESULT_H
#define ESOCK_RESULT_H

#include "term.h"

term t_ok(term);
term t_error(term);
/* {error, {invalid, {What, Value}}}. */
term t_invalid(const char *, term);
/* {error, Posix}; an errno without a name gives {error, {unknown, N}}. */
term t_errno(int);

#endif
