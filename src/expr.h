/*
 * The syntax tree of esock's language, Erlang's expressions, and its
 * parser. expr_parse.c turns tokens into nodes (patterns are nodes too,
 * checked as patterns); eval.c evaluates them. A tree lives in a struct
 * ast, an arena with a reference count, since a fun made by a line
 * outlives the line: the closure holds the ast.
 */
#ifndef ESOCK_EXPR_H
#define ESOCK_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "bits.h"
#include "term.h"
#include "term_parse.h"

enum node_kind {
	N_LIT,     /* t: the value (constant subtrees are folded to one) */
	N_VAR,     /* t: the variable (TERM_VAR; "_" never bound) */
	N_ADDR,    /* t: an address literal's text (TERM_ADDR) */
	N_TUPLE,   /* kids */
	N_CONS,    /* kids: the elements; a: the tail */
	N_MAP,     /* a: the map updated or NULL; kids: K1, V1, K2, V2 ...;
	              exact[i]: pair i is K := V */
	N_BIN,     /* kids: N_SEG */
	N_SEG,     /* a: value, b: size or NULL; seg: type specifiers */
	N_MATCH,   /* a = b */
	N_OP,      /* a op b: op is the token (P_* or a KW_* + OP_KW) */
	N_UNOP,    /* op a: '-', '+', bnot, not */
	N_ANDALSO, /* a andalso b */
	N_ORELSE,  /* a orelse b */
	N_CALL,    /* a: the fun (F(X)) or NULL; t: {Module, Name}; kids */
	N_CMD,     /* cmd: the command; kids: arguments; words: argv chain */
	N_BLOCK,   /* begin kids end */
	N_CASE,    /* case a of cl end */
	N_IF,      /* if cl end (each clause a guard and a body) */
	N_RECEIVE, /* receive cl [after a -> kids] end */
	N_FUN,     /* fun cl end; t: the name of a named fun, else nil */
	N_FUNREF,  /* fun Name/Arity or fun M:F/A: a, b, c the parts */
	N_TRY,     /* try kids of cl catch cl2 after after end */
	N_CATCH,   /* catch a */
	N_LC,      /* [a || kids]: kids are N_GEN, N_BGEN or filters */
	N_BC,      /* <<a || kids>> */
	N_GEN,     /* a <- b */
	N_BGEN     /* a <= b */
};

/* Keyword operators are told from punctuation by this bit. */
#define OP_KW 0x40000000

struct node;

struct nodes {
	struct node **v;
	uint32_t n;
};

/* Pattern(s) [when G1a, G1b; G2a ...] -> body. */
struct clause {
	struct nodes pats;
	struct nodes *guards; /* alternatives, each a conjunction */
	uint32_t nguards;
	struct nodes body;
	int line;
	int col;
};

struct node {
	unsigned char kind; /* enum node_kind */
	int op;
	int line;
	int col;
	term t;
	struct node *a, *b, *c;
	struct nodes kids;
	struct clause *cl;
	uint32_t ncl;
	struct clause *cl2; /* try's catch clauses */
	uint32_t ncl2;
	struct nodes after; /* receive's and try's after body */
	struct bits_seg seg;
	const struct cmd_entry *cmd;
	const struct bif *bif; /* N_CALL to a BIF known when parsed */
	char **words; /* N_CMD of the argv chain: each argument's word */
	unsigned char *exact; /* N_MAP */
	uint32_t *free;       /* N_FUN: variables its clauses use */
	uint32_t nfree;
	uint32_t *headvars; /* N_FUN: per clause, offsets into hvars */
	uint32_t *hvars;    /* N_FUN: the variables of each clause head */
};

struct ast {
	uint32_t refs;
	struct arena *arena;
	term *lits; /* terms the nodes own, freed with the ast */
	size_t nlits, caplits;
};

struct ast *ast_new(void);
void ast_ref(struct ast *);
void ast_unref(struct ast *);

/*
 * Parses one top-level expression of a sequence, where the word form of
 * a command is allowed (open inet stream): 0 with *out, or -1 with the
 * parser's error set. Stops before the "," or "." that follows.
 */
int expr_parse_top(struct parser *, struct ast *, struct node **);
/* An argv chain's command: its arguments given as terms (consumed). */
struct node *expr_cmd_node(
    struct ast *, const struct cmd_entry *, term *, size_t, char **);
/*
 * Nonzero when an expression cannot end with this token (a ",", an
 * operator, "->", a keyword but end): a script's line goes on.
 */
int expr_needs_more(const struct token *);

/* Limits: the parse depth of nested expressions, as for terms. */
#define EXPR_DEPTH_MAX PARSE_DEPTH_MAX
/* Operators in a chain that nests (a ++ b ++ ..., - - - x, A = B = ...). */
#define EXPR_OPS_MAX 4000

#endif
