/*
 * The command table: one entry per command, from which the interpreter
 * checks arity, `help` prints usage, --help lists summaries and the REPL
 * and completions read names. Command bodies live in cmd_*.c.
 */
#ifndef ESOCK_CMD_H
#define ESOCK_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include <sys/types.h>
#include <sys/socket.h>

#include "term.h"

/* What an exec function tells the interpreter. */
enum cmd_retval {
	CMD_RETURN_NORMAL, /* *result holds the command's result */
	CMD_RETURN_USAGE,  /* wrong arguments: print usage, status 2 */
	CMD_RETURN_QUIT,   /* leave the session (q, exit) */
	/*
	 * The call raises error:Reason, *result being Reason, as OTP's
	 * function raises it (badarg, function_clause...): the language
	 * shows the call as Module:Name(Args).
	 */
	CMD_RETURN_RAISE,
	/*
	 * The call throws *result, as prim_socket:invalid/1 does for an
	 * option it cannot encode, called from the function throw_from of
	 * the context (cmd_throw_invalid).
	 */
	CMD_RETURN_THROW
};

/* Flags of an entry. */
#define CMD_SOCKET_OPTIONAL 0x1 /* a leading socket may be left out */
#define CMD_MAY_BLOCK 0x2       /* waits on the event loop */
#define CMD_STRING_ARGS 0x4     /* bare atoms are taken as strings */
#define CMD_RAW_ARGS 0x8        /* variables reach exec unevaluated (f) */
#define CMD_DATA_STDOUT 0x10    /* stdout carries data: ok does not print */
#define CMD_DATA_RESULT 0x20    /* --raw: the Data of {ok, Data} is output */
#define CMD_NEEDS_PORT 0x40     /* its address needs a port (connect) */

/*
 * What the language lends the shell's own commands (f, b, flush), so
 * that no command includes the language: arg is passed back to each.
 */
struct cmd_ctx;

struct cmd_host {
	/* Prints prefix and a term as results print, even with -q. */
	void (*print)(void *, const char *, term);
	/* f(Var): forgets the binding of a TERM_VAR; f(): nil forgets all. */
	void (*forget)(void *, term);
	/* b(): prints every binding. */
	void (*bindings)(void *);
	/*
	 * Calls a fun with n arguments (borrowed): 0 with *out set, or -1
	 * when the call raised (or was stopped); the command then returns
	 * as it will, and the exception goes on from its call.
	 */
	int (*apply)(struct cmd_ctx *, term, size_t, const term *, term *);
};

/* A command's context: the session's settings it needs, by value. */
struct cmd_ctx {
	const struct cmd_entry *entry;
	int64_t
	    timeout_ms; /* default Timeout of a blocking call; -1: infinity */
	const struct cmd_host *host;
	void *arg;  /* the host's */
	int raised; /* the host's: set when an apply raised */
	/*
	 * Called as Module:Name(...): the arguments are OTP's, no socket
	 * is put first (the language's omitted-socket rule is for the
	 * short forms).
	 */
	int strict;
	/*
	 * With CMD_RETURN_RAISE, the call the stack shows: OTP's arguments
	 * (a list) or the arity of the function that raised (an integer);
	 * nil: the command's own arguments.
	 */
	term raise_args;
	/* With CMD_RETURN_RAISE, the module the stack shows, or NULL: the
	 * command's. */
	const char *raise_module;
	/* With CMD_RETURN_THROW: prim_socket's function that threw. */
	const char *throw_from;
	unsigned throw_arity;
};

struct cmd_entry {
	const char *name;
	const char *alias;  /* another name, or NULL */
	const char *module; /* "socket", "net" or "shell" */
	struct {
		int lower;
		int upper; /* -1: no upper bound */
	} args;
	const char *usage; /* arguments, as in "usage: NAME USAGE" */
	const char *summary;
	/*
	 * What each argument is, for the REPL's completion: kinds separated
	 * by blanks, one an argument (socket, domain, type, protocol, how,
	 * flags, timeout, supports, filter, level, command, ...; a kind
	 * repl.c does not know completes nothing); NULL when none is known.
	 * A "data" argument of the argv chain is the bytes typed (lang.c).
	 */
	const char *complete;
	int flags;
	/*
	 * SOCK_* states in which the current socket is not the omitted
	 * socket: the command opens a fresh one instead (connect, bind).
	 */
	int busy;
	/*
	 * OTP's function, for the exceptions it raises: its full arity and
	 * the defaults of its trailing arguments (term text, such as
	 * "0, [], infinity" for recv/4), which a shorter call gets.
	 */
	int otp_arity;
	const char *otp_defaults;
	/* Arguments are borrowed; *result is set to an owned term. */
	enum cmd_retval (*exec)(struct cmd_ctx *, size_t, const term *, term *);
};

extern const struct cmd_entry *const cmd_table[];
extern const size_t cmd_table_size;

/*
 * The names a command's argument takes, each list in one table that the
 * command, REPL completion and esock --list read: shutdown/2's How,
 * which_sockets/1's Filter, the keys of supports/1 and is_supported/2,
 * and the features of supports/0 and is_supported/1.
 */
extern const struct term_name cmd_shutdown_hows[];
extern const size_t cmd_nshutdown_hows;
extern const struct term_name cmd_which_filters[];
extern const size_t cmd_nwhich_filters;
extern const struct term_name cmd_supports_keys[];
extern const size_t cmd_nsupports_keys;
extern const struct term_name cmd_supports_features[];
extern const size_t cmd_nsupports_features;

/*
 * ioctl's interface flags (gifflags, sifflags) in the order of OTP's NIF
 * table, a value of 0 where the host lacks the flag; and its requests,
 * as supports(ioctl_requests) lists them and is_supported finds them.
 */
extern const struct term_name cmd_ioctl_flags[];
extern const size_t cmd_nioctl_flags;
term cmd_ioctl_requests_list(void);
int cmd_ioctl_request_listed(term);

/*
 * For a list written as an X-macro of (value, name) pairs, X(v, n) SEP
 * X(v, n)...: CMD_NAME_ROW gives its term_name rows (SEP empty) and
 * CMD_NAME_STR, with SEP " | ", its usage text, so the usage cannot
 * drift from the table.
 */
#define CMD_NAME_ROW(v, n) {v, #n},
#define CMD_NAME_STR(v, n) #n

/* Finds a command by exact name or alias; NULL when there is none. */
const struct cmd_entry *cmd_find(const char *);
/*
 * The command Module:Name, the one rule of prefixes: a prefix must be
 * the command's own module (socket, net, shell); module NULL when none
 * was written. NULL when there is no such command.
 */
const struct cmd_entry *cmd_find_in(const char *, const char *);
const struct cmd_entry *cmd_find_n(const char *, size_t);

/* Drops what *result holds, leaving nil (exec's result is freed once). */
void cmd_drop(term *);

/* *result = the atom reason; returns CMD_RETURN_RAISE. */
enum cmd_retval cmd_raise(term *, const char *);
/*
 * OTP's erlang:error(badarg, Args) for the call's arguments, completed
 * with the entry's defaults to its full arity.
 */
enum cmd_retval cmd_raise_badarg(
    struct cmd_ctx *, size_t, const term *, term *);
/* OTP's erlang:error({invalid, {What, Value}}) (value copied). */
enum cmd_retval cmd_raise_invalid(struct cmd_ctx *, const char *, term, term *);
/*
 * OTP's throw({invalid, {What, Value}}) from prim_socket:invalid/1,
 * called by prim_socket's function from/arity (value copied).
 */
enum cmd_retval cmd_throw_invalid(
    struct cmd_ctx *, const char *, term, const char *, unsigned, term *);
/* OTP's erlang:error(Reason) in the function (reason consumed). */
enum cmd_retval cmd_raise_reason(struct cmd_ctx *, term, term *);

/*
 * Argument checks that raise as OTP's do, before anything looks at the
 * socket (a closed one included): each returns 0, CMD_ARG_RAISE with
 * *why the reason OTP raises, CMD_ARG_BADARG for erlang:error(badarg,
 * Args), or CMD_ARG_RESULT with *why the reason of an {error, Why}
 * result (what prim_socket returns rather than raises).
 */
#define CMD_ARG_RAISE (-1)
#define CMD_ARG_BADARG (-2)
#define CMD_ARG_RESULT (-3)
/* A Timeout (NULL: the session's default) into milliseconds. */
int cmd_arg_timeout(const struct cmd_ctx *, const term *, int64_t *, term *);
/*
 * Message flags: prim_socket returns {invalid, {msg_flag, F}} for an atom
 * it does not know and raises {invalid, {msg_flags, Rest}} for anything
 * else; a Flags argument that is no list is badarg.
 */
int cmd_arg_flags(term, int *, term *);
/*
 * An address argument (sa_decode_arg's): a reason OTP's prim_socket
 * raises ({invalid, ...}) is CMD_ARG_RAISE; one an address literal of
 * the language gives (a name that does not resolve) is CMD_ARG_RESULT.
 */
int cmd_arg_addr(term, int, struct sockaddr_storage *, socklen_t *, term *);
/*
 * What a check found (rc < 0) becomes the command's outcome, the call's
 * arguments being argc and argv; *result may hold a closed socket's
 * error, which goes.
 */
enum cmd_retval cmd_arg_raise(
    struct cmd_ctx *, int, size_t, const term *, term, term *);

/* A socket's info/1 map (a socket closed a while ago, too). */
struct sock;
term cmd_sock_info(struct sock *);
/*
 * The registered sockets, in order of creation, of a row of
 * cmd_which_filters (NULL: all); free the array.
 */
struct sock **cmd_which(const struct term_name *, size_t *);

/* Prints "  name  summary" for every command. */
#include <stdio.h>
void cmd_list_summaries(FILE *);

/*
 * The kind of argument n (counting a socket the command may be given) of
 * the entry's .complete: its length with *kind pointing at it, or 0 when
 * none is known. cmd_arg_is tells whether it is the named kind.
 */
size_t cmd_arg_kind(const struct cmd_entry *, size_t, const char **);
int cmd_arg_is(const struct cmd_entry *, size_t, const char *);

/*
 * Text of a string argument: a char list, a binary or (the shell's
 * shorthand) a bare atom. Returns 0, or -1 when the term is none of those.
 * The buffer is NUL-terminated on success; an embedded NUL gives -1.
 */
int cmd_arg_string(term, struct buf *);
/*
 * A path argument: a string as cmd_arg_string reads it, or the local
 * address a /path word scans as (#{family => local, path => Path}).
 */
int cmd_arg_path(term, struct buf *);

#endif
