/*
 * Socket monitors, as OTP 25's socket module has them: monitor,
 * cancel_monitor, which_monitors, number_of_monitors and monitored_by.
 * Every monitor is the session's own (its one process, mbox_self());
 * the monitors themselves live in sock.c, which sends the 'DOWN'
 * messages. Arguments OTP's guards refuse raise as OTP raises them.
 */
#include "compat.h"

#include "cmd.h"
#include "mailbox.h"
#include "sock.h"

static enum cmd_retval
cmd_monitor_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argc;
	if (!sock_is_term(argv[0]))
		return cmd_raise(result, "badarg");
	*result = sock_monitor(argv[0]);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_monitor_entry = {
    .name = "monitor",
    .module = "socket",
    .args = {1, 1},
    .usage = "Socket",
    .summary = "monitor a socket: {'DOWN', MRef, socket, Socket, "
               "closed} when it closes",
    .complete = "socket",
    .exec = cmd_monitor_exec,
};

static enum cmd_retval
cmd_cancel_monitor_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	(void)argc;
	if (term_kind(argv[0]) != TERM_REF)
		return cmd_raise(result, "badarg");
	*result = term_atom_of(sock_demonitor(argv[0]) ? A_TRUE : A_FALSE);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_cancel_monitor_entry = {
    .name = "cancel_monitor",
    .module = "socket",
    .args = {1, 1},
    .usage = "MRef",
    .summary = "cancel a monitor: true if it was active",
    .exec = cmd_cancel_monitor_exec,
};

/* A socket's monitors, or a pid's (all of them for the session's). */
static enum cmd_retval
cmd_which_monitors_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;

	(void)ctx;
	(void)argc;
	if (term_kind(argv[0]) == TERM_PID)
		*result =
		    mbox_is_self(argv[0]) ? sock_monitors(NULL) : term_nil();
	else if (!sock_is_term(argv[0]))
		return cmd_raise(result, "badarg");
	else if ((s = sock_find(argv[0])) == NULL)
		*result = term_nil();
	else
		*result = sock_monitors(s);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_which_monitors_entry = {
    .name = "which_monitors",
    .module = "socket",
    .args = {1, 1},
    .usage = "Socket | Pid",
    .summary = "the monitors of a socket, or of a process",
    .complete = "socket",
    .exec = cmd_which_monitors_exec,
};

static enum cmd_retval
cmd_number_of_monitors_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	(void)ctx;
	if (argc == 1 && term_kind(argv[0]) != TERM_PID)
		return cmd_raise(result, "function_clause");
	*result = term_int(
	    argc == 0 || mbox_is_self(argv[0]) ? (int64_t)sock_nmonitors() : 0);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_number_of_monitors_entry = {
    .name = "number_of_monitors",
    .module = "socket",
    .args = {0, 1},
    .usage = "[Pid]",
    .summary = "the number of socket monitors, or of a process's",
    .exec = cmd_number_of_monitors_exec,
};

static enum cmd_retval
cmd_monitored_by_exec(
    struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	term me;

	(void)ctx;
	(void)argc;
	if (!sock_is_term(argv[0]))
		return cmd_raise(result, "badarg");
	if ((s = sock_find(argv[0])) == NULL || s->nmon == 0) {
		*result = term_nil();
		return CMD_RETURN_NORMAL;
	}
	me = mbox_self();
	*result = term_list(1, &me, term_nil());
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_monitored_by_entry = {
    .name = "monitored_by",
    .module = "socket",
    .args = {1, 1},
    .usage = "Socket",
    .summary = "the processes that monitor a socket",
    .complete = "socket",
    .exec = cmd_monitored_by_exec,
};
