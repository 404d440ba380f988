/*
 * Shell commands that are not part of OTP's socket or net modules:
 * help, f (forget bindings), b (show bindings), make_ref, sleep,
 * receive and flush (the mailbox), trace (the traffic trace's mode),
 * q/exit. Waiting runs the event loop, so select messages keep arriving
 * meanwhile.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "loop.h"
#include "mailbox.h"
#include "opt.h"
#include "trace.h"
#include "util.h"

static void
print_entry(const struct cmd_entry *ce)
{
	printf("usage: %s%s%s\n", ce->name, *ce->usage ? " " : "", ce->usage);
	printf("  %s (%s module)%s%s\n", ce->summary, ce->module,
	    ce->alias ? "; alias " : "", ce->alias ? ce->alias : "");
}

/* The command list with summaries, shared with --help. */
void
cmd_list_summaries(FILE *fp)
{
	size_t i;

	for (i = 0; i < cmd_table_size; i++)
		fprintf(fp, "  %-16s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
}

static enum cmd_retval
cmd_help_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct cmd_entry *ce;
	struct buf b;

	(void)ctx;
	if (argc == 0) {
		printf("commands (help COMMAND for its usage):\n");
		cmd_list_summaries(stdout);
		*result = term_atom_of(A_OK);
		return CMD_RETURN_NORMAL;
	}
	buf_init(&b);
	/* help options: the socket option table, one row per option. */
	if (cmd_arg_string(argv[0], &b) == 0 &&
	    strcmp(buf_str(&b), "options") == 0) {
		buf_free(&b);
		printf("socket options (name, access, value, summary):\n");
		opt_print_list(stdout, 1);
		*result = term_atom_of(A_OK);
		return CMD_RETURN_NORMAL;
	}
	buf_reset(&b);
	if (cmd_arg_string(argv[0], &b) < 0 ||
	    (ce = cmd_find(buf_str(&b))) == NULL) {
		buf_free(&b);
		*result = t_invalid("command", term_copy(argv[0]));
		return CMD_RETURN_NORMAL;
	}
	buf_free(&b);
	print_entry(ce);
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .module = "shell",
    .args = {0, 1},
    .usage = "[Command | options]",
    .summary = "list the commands, one command's usage, or the options",
    .complete = "command",
    .flags = CMD_STRING_ARGS,
    .exec = cmd_help_exec,
};

static enum cmd_retval
cmd_f_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	if (argc == 0)
		ctx->host->forget(ctx->arg, term_nil());
	else if (term_kind(argv[0]) == TERM_VAR)
		ctx->host->forget(ctx->arg, argv[0]);
	else {
		*result = t_invalid("variable", term_copy(argv[0]));
		return CMD_RETURN_NORMAL;
	}
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_f_entry = {
    .name = "f",
    .module = "shell",
    .args = {0, 1},
    .usage = "[Variable]",
    .summary = "forget one variable's binding, or all of them",
    .flags = CMD_RAW_ARGS,
    .exec = cmd_f_exec,
};

static enum cmd_retval
cmd_b_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)argc;
	(void)argv;
	ctx->host->bindings(ctx->arg);
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_b_entry = {
    .name = "b",
    .module = "shell",
    .args = {0, 0},
    .usage = "",
    .summary = "show the variable bindings",
    .exec = cmd_b_exec,
};

static enum cmd_retval
cmd_make_ref_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	*result = term_new_ref();
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_make_ref_entry = {
    .name = "make_ref",
    .module = "shell",
    .args = {0, 0},
    .usage = "",
    .summary = "make a new reference, for nowait operations",
    .exec = cmd_make_ref_exec,
};

static enum cmd_retval
cmd_sleep_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	int64_t ms;

	(void)argc;
	/* timer:sleep(T) is receive after T: up to 2^32 - 1 or infinity,
	 * else timeout_value is raised. */
	if (ctx->strict && term_atom_is(argv[0], "infinity"))
		ms = -1;
	else if (term_to_int64(argv[0], &ms) < 0 || ms < 0 ||
	         ms > (ctx->strict ? 4294967295 : 86400000)) {
		if (ctx->strict) {
			/* in function timer:sleep/1 */
			ctx->raise_module = "timer";
			ctx->raise_args = term_int(1);
			return cmd_raise(result, "timeout_value");
		}
		*result = t_invalid("time", term_copy(argv[0]));
		return CMD_RETURN_NORMAL;
	}
	if (mbox_wait(ms < 0 ? -1 : loop_now_ms() + ms, SIZE_MAX) < 0)
		*result = t_errno(EINTR);
	else
		*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_sleep_entry = {
    .name = "sleep",
    .module = "shell",
    .args = {1, 1},
    .usage = "Milliseconds",
    .summary = "wait for a number of milliseconds",
    .flags = CMD_MAY_BLOCK,
    .exec = cmd_sleep_exec,
};

/* trace [Mode]: sets the traffic trace's mode, or tells it. */
static enum cmd_retval
cmd_trace_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	const struct term_name *m;

	(void)ctx;
	if (argc == 0) {
		*result = term_name_or_int(
		    trace_mode_names, trace_nmode_names, (int)trace_mode());
		return CMD_RETURN_NORMAL;
	}
	m = term_name_find(trace_mode_names, trace_nmode_names, argv[0]);
	if (m == NULL) {
		*result = t_invalid("trace", term_copy(argv[0]));
		return CMD_RETURN_NORMAL;
	}
	trace_set_mode((enum trace_mode)m->value);
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_trace_entry = {
    .name = "trace",
    .module = "shell",
    .args = {0, 1},
    .usage = "[" TRACE_MODES(CMD_NAME_STR, " | ") "]",
    .summary = "print every transfer on stderr, or tell the trace's mode",
    .complete = "trace",
    .exec = cmd_trace_exec,
};

/*
 * receive [Timeout]: the oldest message, waiting for one until the
 * timeout (the session's default when none is given), else timeout, as
 * `receive M -> M after T -> timeout end` gives.
 */
static enum cmd_retval
cmd_receive_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	int64_t ms = ctx->timeout_ms;

	if (argc == 1) {
		if (term_is_atom(argv[0], A_INFINITY))
			ms = -1;
		else if (term_to_int64(argv[0], &ms) < 0 || ms < 0) {
			*result = t_invalid("timeout", term_copy(argv[0]));
			return CMD_RETURN_NORMAL;
		}
	}
	if (mbox_wait(ms < 0 ? -1 : loop_now_ms() + ms, 0) < 0)
		*result = t_errno(EINTR);
	else if (!mbox_take(result))
		*result = term_atom_of(A_TIMEOUT);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_receive_entry = {
    .name = "receive",
    .module = "shell",
    .args = {0, 1},
    .usage = "[Timeout]",
    .summary = "take the next select or abort message from the mailbox",
    .complete = "timeout",
    .flags = CMD_MAY_BLOCK,
    .exec = cmd_receive_exec,
};

/* flush: prints "Shell got Msg" for each message, as erl's shell does. */
static enum cmd_retval
cmd_flush_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	term m;

	(void)argc;
	(void)argv;
	(void)mbox_wait(0, SIZE_MAX);
	while (mbox_take(&m)) {
		ctx->host->print(ctx->arg, "Shell got ", m);
		term_free(m);
	}
	*result = term_atom_of(A_OK);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_flush_entry = {
    .name = "flush",
    .module = "shell",
    .args = {0, 0},
    .usage = "",
    .summary = "print and drop every message in the mailbox",
    .exec = cmd_flush_exec,
};

static enum cmd_retval
cmd_q_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	*result = term_atom_of(A_OK);
	return CMD_RETURN_QUIT;
}

const struct cmd_entry cmd_q_entry = {
    .name = "q",
    .alias = "exit",
    .module = "shell",
    .args = {0, 0},
    .usage = "",
    .summary = "leave esock, closing every socket",
    .exec = cmd_q_exec,
};
