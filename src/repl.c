/*
 * The REPL: reads lines with libedit, joins continuation lines while
 * brackets are open, and hands each logical line to the language.
 * History lives in $XDG_STATE_HOME/esock/history (or ~/.esock_history),
 * created with mode 0600.
 */
#include "compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "lang.h"
#include "repl.h"
#include "util.h"

/* Finds (and creates the directory of) the history file. */
static char *
history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct buf b;

	buf_init(&b);
	if (state != NULL && *state == '/') {
		buf_addf(&b, "%s/esock", state);
		if (mkdir(buf_str(&b), 0700) < 0 && errno != EEXIST) {
			buf_free(&b);
			return NULL;
		}
		buf_adds(&b, "/history");
	} else if (home != NULL && *home != '\0')
		buf_addf(&b, "%s/.esock_history", home);
	else
		return NULL;
	return (char *)buf_str(&b);
}

static void
history_touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);

	if (fd >= 0) {
		(void)fchmod(fd, 0600);
		close(fd);
	}
}

int
repl_run(struct session *s)
{
	struct buf pending;
	char prompt[32], *line, *hist = history_path();
	int lineno = 1;

	if (hist != NULL) {
		history_touch(hist);
		read_history(hist);
	}
	buf_init(&pending);
	while (!s->quit) {
		if (pending.len == 0)
			snprintf(prompt, sizeof prompt, "%ld> ",
			    s->counter + 1);
		else
			snprintf(prompt, sizeof prompt, "%*s ",
			    (int)strlen(prompt) - 1, "..");
		if ((line = readline(prompt)) == NULL)
			break;
		if (*line != '\0')
			add_history(line);
		if (pending.len > 0)
			buf_addc(&pending, '\n');
		buf_adds(&pending, line);
		free(line);
		if (lang_incomplete(pending.data, pending.len))
			continue;
		s->status = 0;
		lang_eval(s, pending.data, pending.len, lineno);
		buf_reset(&pending);
	}
	if (!s->quit)
		putchar('\n');
	if (hist != NULL) {
		write_history(hist);
		history_touch(hist);
		free(hist);
	}
	buf_free(&pending);
	return LANG_OK;
}
