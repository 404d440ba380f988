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
	TOK_ADDR,  /* value: TERM_ADDR, the literal's text (sockaddr.c reads it)
	            */
	TOK_PUNCT, /* punct: one of the codes below */
	TOK_KEY    /* a reserved word: punct is its KW_* (value: the atom) */
};

/* Erlang's reserved words, in the order of scan_keywords. */
enum keyword {
	KW_AFTER,
	KW_AND,
	KW_ANDALSO,
	KW_BAND,
	KW_BEGIN,
	KW_BNOT,
	KW_BOR,
	KW_BSL,
	KW_BSR,
	KW_BXOR,
	KW_CASE,
	KW_CATCH,
	KW_COND,
	KW_DIV,
	KW_END,
	KW_FUN,
	KW_IF,
	KW_LET,
	KW_NOT,
	KW_OF,
	KW_OR,
	KW_ORELSE,
	KW_RECEIVE,
	KW_REM,
	KW_TRY,
	KW_WHEN,
	KW_XOR,
	KW_COUNT
};
extern const char *const scan_keywords[KW_COUNT];

/* Punctuation: single characters stand for themselves. */
#define P_ARROW ('=' << 8 | '>')  /* => */
#define P_ASSOC (':' << 8 | '=')  /* := */
#define P_BINL ('<' << 8 | '<')   /* << */
#define P_BINR ('>' << 8 | '>')   /* >> */
#define P_MAPL ('#' << 8 | '{')   /* #{ */
#define P_RARROW ('-' << 8 | '>') /* -> */
#define P_LARROW ('<' << 8 | '-') /* <- */
#define P_BGEN ('<' << 8 | '=')   /* <= */
#define P_LE ('=' << 8 | '<')     /* =< */
#define P_GE ('>' << 8 | '=')     /* >= */
#define P_EQ ('=' << 8 | '=')     /* == */
#define P_NE ('/' << 8 | '=')     /* /= */
#define P_PLUSPLUS ('+' << 8 | '+')
#define P_MINUSMINUS ('-' << 8 | '-')
#define P_OROR ('|' << 8 | '|')            /* || */
#define P_XEQ ('=' << 16 | ':' << 8 | '=') /* =:= */
#define P_XNE ('=' << 16 | '/' << 8 | '=') /* =/= */

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
	/*
	 * The last token ends an operand (a variable, a number, a closing
	 * bracket...): a / or : after it is an operator, never the start
	 * of an address literal (X /2, not the path /2).
	 */
	int after_operand;
};

void scan_init(struct scanner *, const char *, size_t, int);
/*
 * Reads the next token. Returns 0, or -1 with err, err_line and err_col
 * set (the token is then TOK_EOF).
 */
int scan_next(struct scanner *, struct token *);
void scan_token_free(struct token *);
/* Nonzero for a token that is a value by itself: a variable or literal. */
int scan_is_value(enum tok_kind);
/*
 * +1 for a token that opens a bracket or a block (case, begin, ... but
 * not fun, which opens one only before "(" or a name), -1 for one that
 * closes it (end too), else 0.
 */
int scan_nesting(enum tok_kind, int);
/*
 * The bytes of the rest of the text as typed, with Erlang's escape
 * sequences (\r, \n, \t, \\, \xHH, \x{H...}, octal, \^C ...) decoded:
 * a code point over 255 as its UTF-8 bytes. Appends them to out and
 * returns 0, or -1 with err, err_line and err_col set for a bad escape.
 */
struct buf;
int scan_unescape(struct scanner *, struct buf *);

#endif
