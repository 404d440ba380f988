/*
 * The REPL: reads lines with libedit, joins continuation lines while
 * brackets are open, and hands each logical line to the language.
 * History lives in $XDG_STATE_HOME/esock/history (or ~/.esock_history),
 * created with mode 0600.
 *
 * libedit is loaded with dlopen when the REPL starts, not linked: a
 * one-shot command or script then maps only libc, and esock starts as
 * fast as /bin/true (libedit drags in libtinfo, libbsd and libmd).
 */
#include "compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dlfcn.h>
#include <editline/readline.h>

#include "lang.h"
#include "repl.h"
#include "util.h"

/* The libedit functions the REPL uses, resolved by name at start. */
static struct {
	char *(*readline)(const char *);
	int (*add_history)(const char *);
	int (*read_history)(const char *);
	int (*write_history)(const char *);
} el;

static const struct {
	const char *name;
	void **slot;
} el_syms[] = {
    {"readline", (void **)&el.readline},
    {"add_history", (void **)&el.add_history},
    {"read_history", (void **)&el.read_history},
    {"write_history", (void **)&el.write_history},
};

static const char *const el_libs[] = {"libedit.so.2", "libedit.so"};

/* Returns 0 when libedit is loaded, or -1 with a message printed. */
static int
load_libedit(void)
{
	void *h = NULL;
	size_t i;

	for (i = 0; h == NULL && i < sizeof el_libs / sizeof el_libs[0]; i++)
		h = dlopen(el_libs[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "esock: cannot load libedit: %s\n", dlerror());
		return -1;
	}
	for (i = 0; i < sizeof el_syms / sizeof el_syms[0]; i++) {
		/* POSIX allows this conversion for dlsym's result. */
		*el_syms[i].slot = dlsym(h, el_syms[i].name);
		if (*el_syms[i].slot == NULL) {
			fprintf(stderr, "esock: libedit lacks %s\n",
			    el_syms[i].name);
			dlclose(h);
			return -1;
		}
	}
	return 0;
}

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
	char prompt[32], *line, *hist;
	int lineno = 1;
	long inputs = 0; /* the prompt counts inputs, as erl's does */

	if (load_libedit() < 0)
		return LANG_INTERNAL;
	hist = history_path();
	if (hist != NULL) {
		history_touch(hist);
		el.read_history(hist);
	}
	buf_init(&pending);
	while (!s->quit) {
		if (pending.len == 0)
			snprintf(
			    prompt, sizeof prompt, "%ld> ", inputs + 1);
		else
			snprintf(prompt, sizeof prompt, "%*s ",
			    (int)strlen(prompt) - 1, "..");
		if ((line = el.readline(prompt)) == NULL)
			break;
		if (*line != '\0')
			el.add_history(line);
		if (pending.len > 0)
			buf_addc(&pending, '\n');
		buf_adds(&pending, line);
		free(line);
		if (lang_incomplete(pending.data, pending.len))
			continue;
		s->status = 0;
		if (strspn(pending.data, " \t\r\n") < pending.len) {
			lang_eval(s, pending.data, pending.len, lineno);
			inputs++;
		}
		buf_reset(&pending);
	}
	if (!s->quit)
		putchar('\n');
	if (hist != NULL) {
		el.write_history(hist);
		history_touch(hist);
		free(hist);
	}
	buf_free(&pending);
	return LANG_OK;
}
