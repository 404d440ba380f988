/*
 * Recursive-descent parser of terms over the scanner's tokens, with a
 * small lookahead the language uses for its own grammar (calls, words,
 * patterns). Terms may hold variables (TERM_VAR); the language binds them.
 */
#ifndef ESOCK_TERM_PARSE_H
#define ESOCK_TERM_PARSE_H

#include "term_scan.h"

/* Deepest nesting of brackets accepted. */
#define PARSE_DEPTH_MAX 1000
/* Largest binary literal, in bits (2 MiB): <<0:N>> is short to type. */
#define PARSE_BIN_BITS_MAX ((int64_t)1 << 24)

#define PARSE_LOOKAHEAD 4 /* a power of two */

struct parser {
	struct scanner sc;
	struct token la[PARSE_LOOKAHEAD]; /* lookahead, a ring from head */
	int head;
	int nla;
	int prev_line;   /* line of the last token taken */
	size_t prev_end; /* and the offset just past it */
	int newlines;    /* a new line ends a complete sequence (scripts) */
	int failed;
	char err[200];
	int err_line;
	int err_col;
	int incomplete; /* the error is an unfinished construct at the end */
};

void parse_init(struct parser *, const char *, size_t, int);
void parse_done(struct parser *);
/* The k-th token ahead (0 = next); NULL after a scan error. */
/* Scans tokens until k are ahead: parse_peek's slow path. */
const struct token *parse_fill(struct parser *, int);

/*
 * The k-th token ahead (k < PARSE_LOOKAHEAD), or NULL on a scan error.
 * Parsers ask for the same token many times, hence inline.
 */
static inline const struct token *
parse_peek(struct parser *p, int k)
{
	if (k < p->nla)
		return &p->la[(p->head + k) & (PARSE_LOOKAHEAD - 1)];
	return parse_fill(p, k);
}

/* The next token, to take its value; NULL on a scan error. */
static inline struct token *
parse_cur(struct parser *p)
{
	return parse_peek(p, 0) == NULL ? NULL : &p->la[p->head];
}
/* Drops the next token. */
void parse_skip(struct parser *);
/* Nonzero when the next token is punctuation p. */
int parse_is(struct parser *, int);
/*
 * Parses one term. Returns 0 with an owned term, or -1 with the error
 * set in the parser.
 */
int parse_term(struct parser *, term *);
/* Records an error at a token (or at the scanner when NULL); returns -1. */
int parse_error(struct parser *, const struct token *, const char *, ...)
    printflike(3, 4);
/*
 * Text of a token for messages ("'}'", "atom foo", "end of input"); t may
 * be NULL, as parse_peek gives after a scan error.
 */
void parse_token_text(const struct token *, char *, size_t);
/*
 * "syntax error before: X" at the next token, with "(expected WANT)"
 * when want is not NULL. Returns -1.
 */
int parse_unexpected(struct parser *, const char *);

/* Parses a whole string as one term, as a word in the argv chain. */
int parse_term_string(const char *, term *);

#endif
