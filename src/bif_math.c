/*
 * The math module of OTP 25: C's functions on doubles. An argument is any
 * number (an integer too large for a double is badarith, as erts has
 * it), anything else badarg; a result that is no finite number (sqrt(-1),
 * log(0), exp(1000)) is badarith.
 */
#include "compat.h"

#include <math.h>

#include "bif_lib.h"
#include "num.h"

/* The argument as a double: 0, or -1 with the exception raised. */
static int
arg(struct bif_ctx *ctx, term t, int i, double *d)
{
	if (!term_is_integer(t) && term_kind(t) != TERM_FLOAT)
		return bif_badarg(ctx, i, "not a number");
	if (num_to_double(t, d) < 0)
		return bif_error(ctx, term_atom("badarith"));
	return 0;
}

static int
result(struct bif_ctx *ctx, double d, term *out)
{
	if (!isfinite(d))
		return bif_error(ctx, term_atom("badarith"));
	*out = term_float(d);
	return 0;
}

static int
unary(struct bif_ctx *ctx, const term *a, double (*fn)(double), term *out)
{
	double x;

	if (arg(ctx, a[0], 0, &x) < 0)
		return -1;
	return result(ctx, fn(x), out);
}

static int
binary(
    struct bif_ctx *ctx, const term *a, double (*fn)(double, double), term *out)
{
	double x, y;

	if (arg(ctx, a[0], 0, &x) < 0 || arg(ctx, a[1], 1, &y) < 0)
		return -1;
	return result(ctx, fn(x, y), out);
}

#define MATH1(name) BIF_VIA(bif_math_##name##_1, unary(ctx, a, name, out))
#define MATH2(name) BIF_VIA(bif_math_##name##_2, binary(ctx, a, name, out))

MATH1(acos)
MATH1(acosh)
MATH1(asin)
MATH1(asinh)
MATH1(atan)
MATH2(atan2)
MATH1(atanh)
MATH1(ceil)
MATH1(cos)
MATH1(cosh)
MATH1(erf)
MATH1(erfc)
MATH1(exp)
MATH1(floor)
MATH2(fmod)
MATH1(log)
MATH1(log10)
MATH1(log2)
MATH2(pow)
MATH1(sin)
MATH1(sinh)
MATH1(sqrt)
MATH1(tan)
MATH1(tanh)

int
bif_math_pi_0(struct bif_ctx *ctx, const term *a, term *out)
{
	(void)ctx;
	(void)a;
	*out = term_float(M_PI);
	return 0;
}
