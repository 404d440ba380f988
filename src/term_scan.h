/*
 * Tokens of esock's language with line and column: Erlang's term tokens,
 * the few operators the language needs, #Ref<...> and the address
 * literals (by their shape; the token keeps the text). Shared by the term
 * parser, the language and REPL completion.
 */
#ifndef ESOCK_TERM_SCAN_H
#define ESOCK_TERM_SCAN_H

#include <stddef.h>

#include "term.h"

/* Longest source line accepted, in bytes. */
#define SCAN_LINE_MAX 65536

enum tok_kind {
	TOK_EOF,
	TOK_END,    /* the full stop ending an expression */
	TOK_ATOM,   /* value: the atom */
	TOK_VAR,    /* value: a TERM_VAR */
	TOK_INT,    /* value: integer ($a too) */
	TOK_FLOAT,  /* value: float */
	TOK_STRING, /* value: list of code points ([] when empty) */
	TOK_REF,    /* value: #Ref<...> */
	TOK_ADDR, /* value: TERM_ADDR, the literal's text (sockaddr.c reads it)
	           */
	TOK_PUNCT /* punct: one of the codes below */
};

/* Punctuation: single characters stand for themselves. */
#define P_ARROW ('=' << 8 | '>') /* => */
#define P_ASSOC (':' << 8 | '=') /* := */
#define P_BINL ('<' << 8 | '<')  /* << */
#define P_BINR ('>' << 8 | '>')  /* >> */
#define P_MAPL ('#' << 8 | '{')  /* #{ */

struct token {
	enum tok_kind kind;
	int punct;
	term value; /* owned by the token */
	int line;
	int col;
	size_t off;       /* byte offset of the token in the source */
	size_t end;       /* byte offset just past it */
	int space_before; /* white space (or start) right before it */
};

struct scanner {
	const char *src;
	size_t len;
	size_t pos;
	int line;
	int col;
	char err[160];
	int err_line;
	int err_col;
};

void scan_init(struct scanner *, const char *, size_t, int);
/*
 * Reads the next token. Returns 0, or -1 with err, err_line and err_col
 * set (the token is then TOK_EOF).
 */
int scan_next(struct scanner *, struct token *);
void scan_token_free(struct token *);
/* +1 for a token that opens a bracket, -1 for one that closes it, else 0. */
int scan_nesting(enum tok_kind, int);
/*
 * The bytes of the rest of the text as typed, with Erlang's escape
 * sequences (\r, \n, \t, \\, \xHH, \x{H...}, octal, \^C ...) decoded:
 * a code point over 255 as its UTF-8 bytes. Appends them to out and
 * returns 0, or -1 with err, err_line and err_col set for a bad escape.
 */
struct buf;
int scan_unescape(struct scanner *, struct buf *);
/* Nonzero when the text at the scanner's position is only blanks/comment. */
int scan_at_end(struct scanner *);

#endif
