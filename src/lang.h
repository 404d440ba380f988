/*
 * esock's language: expressions in Erlang call form or word form,
 * patterns and bindings, sequences, scripts and the argv chain. The REPL
 * and main.c drive it; commands are reached through the command table.
 */
#ifndef ESOCK_LANG_H
#define ESOCK_LANG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "env.h"
#include "term.h"

/* Session flags. */
#define LANG_VERBOSE 0x01     /* print every result of a sequence */
#define LANG_QUIET 0x02       /* print nothing */
#define LANG_COMPACT 0x04     /* one term per line */
#define LANG_JSON 0x08        /* results as JSON */
#define LANG_KEEP_GOING 0x10  /* go on after a failure */
#define LANG_INTERACTIVE 0x20 /* REPL: report and carry on */
#define LANG_RAW 0x40         /* the data of recv results to stdout */
/* The terminal is UTF-8 (the REPL): text is written in it, not latin1. */
#define LANG_UTF8 0x80

/* Exit statuses. */
#define LANG_OK 0
#define LANG_FAIL 1
#define LANG_USAGE 2
#define LANG_INTERNAL 3

struct session {
	int flags;
	int64_t timeout_ms; /* default of blocking operations, -1: infinity */
	const char *source; /* name for messages: "-e", a path, "stdin" */
	FILE *err;          /* where esock's own messages go: stderr */
	FILE
	    *out; /* where results go: stdout, or stderr once it carries data */
	struct env env; /* the bindings */
	int status;     /* worst outcome so far */
	int line_shift; /* added to the line numbers of the running code */
	/* Fun calls and comprehension steps allowed per expression (0: no
	 * limit), past which it raises system_limit: for the fuzzer. */
	unsigned long step_limit;
	int quit; /* q or exit was called */
	/* Standard output failed (errno), said on err: exit status 3. */
	int out_lost;
};

void lang_init(struct session *, int);
void lang_free(struct session *);

/*
 * Runs script text: each logical line (brackets balanced) is one
 * sequence whose result prints. Returns the exit status.
 */
int lang_run_text(struct session *, const char *, size_t, int);
/* Runs an argv chain: commands separated by "," words. */
int lang_run_argv(struct session *, int, char **);
/* Evaluates one logical line starting at the given line number. */
int lang_eval(struct session *, const char *, size_t, int);
/*
 * Nonzero when text needs more lines: an open bracket or block (case,
 * fun, ... end), an unfinished string or quoted atom, or a last token
 * (",", an operator) that no expression ends with.
 */
int lang_incomplete(const char *, size_t);

/*
 * Says on err that standard output could not be written, when it could
 * not since the last call (once a run; at each line in the REPL).
 */
void lang_check_output(struct session *);

/* Binds a variable (its atom id) to a term, consumed. */
void lang_bind(struct session *, uint32_t, term);

/* Reports an error of the text at line:col, as erl's shell does. */
void lang_report(struct session *, int, int, const char *, ...)
    printflike(4, 5);
/* Prints a command's usage line. */
struct cmd_entry;
void lang_usage(struct session *, const struct cmd_entry *);

/* Prints prefix and the term after it, even with -q (flush's lines). */
void lang_print_after(struct session *, const char *, term);
/* Appends that line, as the session's flags print it, to a buffer. */
struct buf;
void lang_format(struct session *, struct buf *, const char *, term);

#endif
