/*
 * relay: netcat mode. Copies stdin to a socket and the socket to stdout
 * until both directions end (relay.c does the moving); here only the
 * socket argument and the result term.
 */
#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "relay.h"
#include "sock.h"
#include "sockname.h"

static enum cmd_retval
cmd_relay_exec(struct cmd_ctx *ctx, size_t argc, const term *argv, term *result)
{
	struct sock *s;
	size_t used;

	if ((s = sockname_sock(argc, argv, &used, result)) == NULL) {
		/* relay names an argument that is no socket. */
		if (argc > 0 && used == 0) {
			cmd_drop(result);
			*result = t_invalid("socket", term_copy(argv[0]));
		}
		return CMD_RETURN_NORMAL;
	}
	/* What printed before must come out before the relayed bytes. */
	if (fflush(stdout) != 0) {
		*result = t_errno(errno);
		return CMD_RETURN_NORMAL;
	}
	if (relay_run(s, STDIN_FILENO, STDOUT_FILENO, ctx->timeout_ms) < 0)
		*result = errno == ETIMEDOUT ? t_error(term_atom_of(A_TIMEOUT))
		                             : t_errno(errno);
	else
		*result = term_atom_of(A_OK);
	/* Relay had the descriptor's callbacks: nowait requests get theirs. */
	sock_q_rearm(s);
	return CMD_RETURN_NORMAL;
}

const struct cmd_entry cmd_relay_entry = {
    .name = "relay",
    .module = "shell",
    .args = {0, 1},
    .usage = "[Socket]",
    .summary = "copy stdin to the socket and the socket to stdout "
               "(netcat mode)",
    .complete = "socket",
    .flags = CMD_SOCKET_OPTIONAL | CMD_MAY_BLOCK | CMD_DATA_STDOUT,
    .exec = cmd_relay_exec,
};
