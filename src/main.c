/*
 * Entry point: global options (getopt_long, from one table that also
 * gives --help and --list), the choice of mode (REPL, -f, -e, stdin
 * script, argv chain) and the exit status: 0 success, 1 a command failed
 * or a match did not, 2 usage or syntax, 3 internal.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bif.h"
#include "cmd.h"
#include "endpoint.h"
#include "cmsg.h"
#include "errnames.h"
#include "eval.h"
#include "lang.h"
#include "loop.h"
#include "mailbox.h"
#include "net.h"
#include "opt.h"
#include "sock.h"
#include "sockname.h"
#include "term_scan.h"
#include "trace.h"
#include "repl.h"
#include "util.h"

enum { OPT_COMPACT = 256, OPT_JSON, OPT_LIST, OPT_TRACE };

struct opt_row {
	const char *name;
	int val;         /* short letter or OPT_* */
	const char *arg; /* argument name, NULL for none; "[=...]" optional */
	const char *help;
	int flag; /* the LANG_* flag the option sets, or 0 */
};

static const struct opt_row opt_rows[] = {
    {"compact", OPT_COMPACT, NULL, "one term per line, no wrapping",
        LANG_COMPACT},
    {"eval", 'e', "TEXT", "run TEXT as a script", 0},
    {"file", 'f', "FILE", "run a script file (also as a #! interpreter)", 0},
    {"help", 'h', NULL, "show this help and exit", 0},
    {"json", OPT_JSON, NULL, "print results as JSON, one per line", LANG_JSON},
    {"keep-going", 'k', NULL, "go on after a failure (exit 1 at the end)",
        LANG_KEEP_GOING},
    {"list", OPT_LIST, "WHAT",
        "list names, one a line (--list lists gives each WHAT)", 0},
    {"quiet", 'q', NULL, "print nothing; the exit status tells", LANG_QUIET},
    {"raw", 'r', NULL, "the data recv receives to stdout, results to stderr",
        LANG_RAW},
    {"timeout", 't', "MS", "default timeout of blocking operations", 0},
    {"trace", OPT_TRACE, "[=hex]",
        "print every transfer on stderr (hex: as socat -x)", 0},
    {"verbose", 'v', NULL, "print every result of a chain", LANG_VERBOSE},
    {"version", 'V', NULL, "show the version and exit", 0},
};
#define NOPTS (sizeof opt_rows / sizeof opt_rows[0])
/* An argument that may be left out goes as --name=ARG, never apart. */
#define ARG_OPTIONAL(r) ((r)->arg != NULL && (r)->arg[0] == '[')

static void
usage(FILE *fp)
{
	const struct opt_row *r;
	const char *arg, *sep;
	size_t i;
	char left[40];

	fprintf(fp,
	    "usage: esock [options] [COMMAND [ARG...] [, COMMAND "
	    "[ARG...]]...]\n"
	    "       esock [options] -e TEXT | -f FILE [ARG...]\n"
	    "With no command, esock reads a script from stdin, or starts "
	    "the REPL\nwhen stdin is a terminal.\n\noptions:\n");
	for (i = 0; i < NOPTS; i++) {
		r = &opt_rows[i];
		arg = r->arg != NULL ? r->arg : "";
		sep = r->arg != NULL && !ARG_OPTIONAL(r) ? " " : "";
		if (r->val < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", r->val,
			    r->name, sep, arg);
		else
			snprintf(left, sizeof left, "    --%s%s%s", r->name,
			    sep, arg);
		fprintf(fp, "  %-22s %s\n", left, r->help);
	}
	fprintf(fp, "\ncommands:\n");
	cmd_list_summaries(fp);
}

static void
list_commands(void)
{
	size_t i;

	for (i = 0; i < cmd_table_size; i++) {
		printf("%s\n", cmd_table[i]->name);
		if (cmd_table[i]->alias != NULL)
			printf("%s\n", cmd_table[i]->alias);
	}
}

static void
list_options(void)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		if (opt_rows[i].val < 256)
			printf("-%c\n", opt_rows[i].val);
		printf("--%s\n", opt_rows[i].name);
	}
}

static void
list_socket_options(void)
{
	opt_print_list(stdout, 0);
}

/* The levels of the option table, each once, in the table's order. */
static void
list_levels(void)
{
	const char *lv, *nm, *seen, *n2;
	size_t i, j;
	int rc;

	for (i = 0; (rc = opt_row_name(i, &lv, &nm)) >= 0; i++) {
		if (rc != 1)
			continue;
		for (j = 0; j < i; j++)
			if (opt_row_name(j, &seen, &n2) == 1 &&
			    strcmp(seen, lv) == 0)
				break;
		if (j == i)
			printf("%s\n", lv);
	}
}

/* The library functions, Module:Name/Arity. */
static void
list_functions(void)
{
	size_t i;

	for (i = 0; i < bif_table_size; i++)
		printf("%s:%s/%u\n", bif_table[i].module, bif_table[i].name,
		    bif_table[i].arity);
}

/* The language's reserved words. */
static void
list_keywords(void)
{
	size_t i;

	for (i = 0; i < KW_COUNT; i++)
		printf("%s\n", scan_keywords[i]);
}

static void list_lists(void);

/*
 * What --list prints, each from the table the commands read: a function,
 * or a term_name table (a WHAT may have several rows, printed in turn).
 */
static const struct {
	const char *what;
	void (*print)(void);
	const struct term_name *names;
	const size_t *nnames;
} lists[] = {
    {"commands", list_commands, NULL, NULL},
    {"endpoints", NULL, endpoint_names, &endpoint_nnames},
    {"errnames", NULL, err_names, &err_nnames},
    {"filters", NULL, net_ifaddrs_filters, &net_nifaddrs_filters},
    {"functions", list_functions, NULL, NULL},
    {"hows", NULL, cmd_shutdown_hows, &cmd_nshutdown_hows},
    {"keywords", list_keywords, NULL, NULL},
    {"levels", list_levels, NULL, NULL},
    {"lists", list_lists, NULL, NULL},
    {"msg-flags", NULL, sockname_msg_flag_names, &sockname_nmsg_flags},
    {"name-info-flags", NULL, net_name_info_flags, &net_nname_info_flags},
    {"options", list_options, NULL, NULL},
    {"socket-options", list_socket_options, NULL, NULL},
    {"supports", NULL, cmd_supports_keys, &cmd_nsupports_keys},
    {"supports", NULL, cmd_supports_features, &cmd_nsupports_features},
    {"trace-modes", NULL, trace_mode_names, &trace_nmode_names},
    {"which", NULL, cmd_which_filters, &cmd_nwhich_filters},
};

/* Each WHAT once, after sep but the first: rows of a WHAT are adjacent. */
static void
print_whats(FILE *fp, const char *sep)
{
	size_t i;

	for (i = 0; i < NELEMS(lists); i++)
		if (i == 0 || strcmp(lists[i].what, lists[i - 1].what) != 0)
			fprintf(fp, "%s%s", i > 0 ? sep : "", lists[i].what);
}

static void
list_lists(void)
{
	print_whats(stdout, "\n");
	putchar('\n');
}

static int
list(const char *what)
{
	size_t i, k;
	int found = 0;

	for (i = 0; i < NELEMS(lists); i++) {
		if (strcmp(lists[i].what, what) != 0)
			continue;
		found = 1;
		if (lists[i].print != NULL)
			lists[i].print();
		for (k = 0; lists[i].names != NULL && k < *lists[i].nnames; k++)
			printf("%s\n", lists[i].names[k].name);
	}
	if (found)
		return LANG_OK;
	fprintf(stderr, "esock: --list takes");
	for (i = 0; i < NELEMS(lists); i++)
		if (i == 0 || strcmp(lists[i].what, lists[i - 1].what) != 0)
			fprintf(
			    stderr, "%s %s", i > 0 ? "," : "", lists[i].what);
	fprintf(stderr, ", not %s\n", what);
	return LANG_USAGE;
}

static int
parse_timeout(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (strcmp(s, "infinity") == 0) {
		*out = -1;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 0x7ffffff)
		return -1;
	*out = v;
	return 0;
}

/* --trace (on), --trace=on, --trace=hex or --trace=off. */
static int
parse_trace(const char *arg, enum trace_mode *out)
{
	const struct term_name *m;

	if (arg == NULL) {
		*out = TRACE_ON;
		return 0;
	}
	m = term_name_find_str(trace_mode_names, trace_nmode_names, arg);
	if (m == NULL) {
		fprintf(stderr,
		    "esock: --trace takes " TRACE_MODES(
		        CMD_NAME_STR, ", ") ", not %s\n",
		    arg);
		return -1;
	}
	*out = (enum trace_mode)m->value;
	return 0;
}

/* Reads a whole file (or stdin) into memory. */
static int
slurp(FILE *fp, struct buf *b)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	return ferror(fp) ? -1 : 0;
}

/* Binds Args to the script's arguments as a list of strings. */
static void
bind_args(struct session *s, int argc, char **argv)
{
	term *e;
	int i;

	if (argc == 0)
		return;
	e = xreallocarray(NULL, (size_t)argc, sizeof *e);
	for (i = 0; i < argc; i++)
		e[i] = term_string(argv[i]);
	lang_bind(
	    s, term_atom_id("Args"), term_list((size_t)argc, e, term_nil()));
	free(e);
}

static int
run_file(struct session *s, const char *path)
{
	struct buf b;
	FILE *fp;
	size_t skip = 0;
	int line = 1, rc;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "esock: %s: %s\n", path, strerror(errno));
		return LANG_USAGE;
	}
	buf_init(&b);
	if (slurp(fp, &b) < 0) {
		fprintf(stderr, "esock: %s: read error\n", path);
		if (fp != stdin)
			fclose(fp);
		buf_free(&b);
		return LANG_USAGE;
	}
	if (fp != stdin)
		fclose(fp);
	/* A #! line is the kernel's, not ours. */
	if (b.len >= 2 && b.data[0] == '#' && b.data[1] == '!') {
		const char *nl = memchr(b.data, '\n', b.len);

		skip = nl ? (size_t)(nl - b.data) + 1 : b.len;
		line = 2;
	}
	s->source = path;
	rc = lang_run_text(s, b.data ? b.data + skip : "", b.len - skip, line);
	buf_free(&b);
	return rc;
}

/*
 * A closed stdin, stdout or stderr would let the first socket take its
 * number, and relay or a result would then write into the socket.
 */
static void
guard_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(LANG_INTERNAL);
	}
}

/* What the command line asks for. */
struct invocation {
	int flags;             /* LANG_* */
	int64_t timeout;       /* -t, or -1 */
	enum trace_mode trace; /* --trace */
	const char *file;      /* -f */
	const char **evals;    /* each -e, in order */
	int nevals;
};

/* getopt_long's tables from opt_rows. */
static void
getopt_tables(struct option *longopts, char *shortopts)
{
	char *p = shortopts;
	size_t i;

	*p++ = '+'; /* options end at the first command word */
	for (i = 0; i < NOPTS; i++) {
		longopts[i].name = opt_rows[i].name;
		if (ARG_OPTIONAL(&opt_rows[i]))
			longopts[i].has_arg = optional_argument;
		else if (opt_rows[i].arg != NULL)
			longopts[i].has_arg = required_argument;
		else
			longopts[i].has_arg = no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = opt_rows[i].val;
		if (opt_rows[i].val < 256) {
			*p++ = (char)opt_rows[i].val;
			if (opt_rows[i].arg)
				*p++ = ':';
		}
	}
	*p = '\0';
	memset(&longopts[NOPTS], 0, sizeof longopts[NOPTS]);
}

/*
 * Reads the options into *inv. Returns -1 to go on, or the exit status
 * of an option that is all the run (--help, --version, --list) or of a
 * usage error.
 */
static int
parse_options(int argc, char **argv, struct invocation *inv)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	size_t i;
	int c;

	getopt_tables(longopts, shortopts);
	/* What follows -f FILE is the script's, as for python3 script.py. */
	while (inv->file == NULL &&
	       (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		for (i = 0; i < NOPTS && opt_rows[i].val != c; i++)
			continue;
		if (i < NOPTS && opt_rows[i].flag != 0) {
			inv->flags |= opt_rows[i].flag;
			continue;
		}
		switch (c) {
		case 'e':
			/* Each -e runs in turn, as perl's and sed's do. */
			inv->evals[inv->nevals++] = optarg;
			break;
		case 'f':
			inv->file = optarg;
			break;
		case 'h':
			usage(stdout);
			return LANG_OK;
		case 't':
			if (parse_timeout(optarg, &inv->timeout) < 0) {
				fprintf(stderr,
				    "esock: timeout %s: not a number of "
				    "milliseconds or infinity\n",
				    optarg);
				return LANG_USAGE;
			}
			break;
		case 'V':
			printf("esock %s (event loop: %s)\n", ESOCK_VERSION,
			    loop_backend());
			return LANG_OK;
		case OPT_LIST:
			return list(optarg);
		case OPT_TRACE:
			if (parse_trace(optarg, &inv->trace) < 0)
				return LANG_USAGE;
			break;
		default:
			fprintf(stderr, "Try 'esock --help'.\n");
			return LANG_USAGE;
		}
	}
	if (inv->nevals > 0 && inv->file != NULL) {
		fprintf(stderr, "esock: -e and -f do not go together\n");
		return LANG_USAGE;
	}
	return -1;
}

/* Runs what was asked: -e, -f, the chain, the REPL or stdin's script. */
static int
run(struct session *s, const struct invocation *inv, int argc, char **argv)
{
	int k, rc = LANG_OK;

	if (inv->nevals > 0) {
		bind_args(s, argc, argv);
		for (k = 0; k < inv->nevals; k++)
			rc = lang_run_text(
			    s, inv->evals[k], strlen(inv->evals[k]), 1);
		return rc;
	}
	if (inv->file != NULL) {
		bind_args(s, argc, argv);
		return run_file(s, inv->file);
	}
	if (argc > 0)
		return lang_run_argv(s, argc, argv);
	if (isatty(STDIN_FILENO)) {
		s->flags |= LANG_INTERACTIVE;
		return repl_run(s);
	}
	s->source = "stdin";
	return run_file(s, "-");
}

/*
 * Standard output's reader went away (a closed pipe, as in esock ... |
 * head -1): nothing more can be shown, so the run ends at once, quietly,
 * with the status it had. (At the end of a run, the same ending is
 * lang_check_output's: quiet, the status kept.)
 */
static struct session *running;

/* Closes the session's sockets and received descriptors. */
static void
close_all(void)
{
	/* Aborts for requests left pending go nowhere at exit. */
	mbox_set_hook(NULL);
	sock_close_all();
	cmsg_fds_close_all();
	mbox_clear();
}

static void
output_gone(void)
{
	close_all();
	exit(running != NULL ? running->status : LANG_OK);
}

static int
esock_main(int argc, char **argv)
{
	struct invocation inv;
	struct session s;
	int rc;

	guard_std_fds();
	signal(SIGPIPE, SIG_IGN);
	trace_init();
	memset(&inv, 0, sizeof inv);
	inv.timeout = -1;
	inv.evals = xreallocarray(NULL, (size_t)argc, sizeof *inv.evals);
	if ((rc = parse_options(argc, argv, &inv)) >= 0) {
		free(inv.evals);
		return rc;
	}
	/* Made before any socket; closed by any exit (fatal's too). */
	(void)loop_get();
	atexit(loop_shutdown);
	lang_init(&s, inv.flags);
	running = &s;
	out_on_gone(output_gone);
	s.timeout_ms = inv.timeout;
	trace_set_mode(inv.trace);
	rc = run(&s, &inv, argc - optind, argv + optind);
	running = NULL;
	out_on_gone(NULL);
	free(inv.evals);
	close_all();
	loop_shutdown();
	trace_fini();
	out_flush();
	lang_check_output(&s);
	if (s.out_lost && rc == LANG_OK)
		rc = LANG_INTERNAL;
	lang_free(&s);
	return rc;
}

/*
 * The language recurses as deep as a user's non-tail recursive fun, as
 * an Erlang process may: esock runs on a stack reserved large (only the
 * pages a deep recursion touches are ever committed), and eval.c stops
 * the recursion before its end.
 *
 * On Linux the main thread switches to that stack (ucontext), so that
 * esock stays one thread: while two threads share a descriptor table,
 * Linux counts a reference on every call on a descriptor and grows the
 * table (at 256, 512, 1024... descriptors) only after an RCU grace
 * period, milliseconds each time. Elsewhere, and under AddressSanitizer
 * (which cannot follow a switched stack), a thread with that stack runs
 * esock, signals blocked in the main thread so that they go to it.
 */
#define MAIN_STACK ((size_t)256 << 20)

#if defined(__SANITIZE_ADDRESS__)
#define MAIN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAIN_ASAN 1
#endif
#endif
#if defined(__linux__) && !defined(MAIN_ASAN)
#define MAIN_SWITCH 1
#include <sys/mman.h>
#include <ucontext.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0
#endif

static struct {
	int argc;
	char **argv;
	int rc;
} main_args;

static void
run_main(void)
{
	char base = 0;

	eval_stack(&base, MAIN_STACK);
	main_args.rc = esock_main(main_args.argc, main_args.argv);
}

static void *
main_thread(void *p)
{
	(void)p;
	run_main();
	return NULL;
}

#ifdef MAIN_SWITCH
/* Runs run_main on a new stack of MAIN_STACK bytes; -1 if it cannot. */
static int
switch_stack(void)
{
	static ucontext_t back, uc;
	long page = sysconf(_SC_PAGESIZE);
	char *lo;

	lo = mmap(NULL, MAIN_STACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (lo == MAP_FAILED)
		return -1;
	/* A guard page: a runaway recursion faults instead of writing on. */
	if (page <= 0 || mprotect(lo, (size_t)page, PROT_NONE) < 0 ||
	    getcontext(&uc) < 0) {
		(void)munmap(lo, MAIN_STACK);
		return -1;
	}
	uc.uc_stack.ss_sp = lo;
	uc.uc_stack.ss_size = MAIN_STACK;
	uc.uc_link = &back;
	makecontext(&uc, run_main, 0);
	(void)VALGRIND_STACK_REGISTER(lo, lo + MAIN_STACK);
	if (swapcontext(&back, &uc) < 0) {
		(void)munmap(lo, MAIN_STACK);
		return -1;
	}
	return 0;
}
#endif

int
main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all;

	main_args.argc = argc;
	main_args.argv = argv;
#ifdef MAIN_SWITCH
	if (switch_stack() == 0)
		return main_args.rc;
#endif
	if (pthread_attr_init(&attr) != 0)
		return esock_main(argc, argv);
	if (pthread_attr_setstacksize(&attr, MAIN_STACK) != 0 ||
	    pthread_create(&t, &attr, main_thread, NULL) != 0) {
		pthread_attr_destroy(&attr);
		return esock_main(argc, argv);
	}
	pthread_attr_destroy(&attr);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_join(t, NULL);
	return main_args.rc;
}
