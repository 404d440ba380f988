/*
 * libFuzzer harness for the language, parser and evaluator: lines of any
 * bytes run through lang_run_text. Only the shell's own commands may
 * run: an input naming any socket or net command, relay, sleep, q or a
 * receive (which would wait) is skipped, so that the fuzzer never
 * touches the network, the resolver or stdin, and never stalls; a step
 * limit ends loops (a fun that calls itself for ever) with system_limit. esock's output is discarded (stdout, and the session's
 * message stream); stderr stays libFuzzer's and the sanitizers', so a
 * crash report is never lost. Never a crash, a leak or undefined
 * behaviour.
 */
#define _GNU_SOURCE 1
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct session s;
	size_t i;

	for (i = 0; i < cmd_table_size; i++) {
		const struct cmd_entry *ce = cmd_table[i];
		int safe = strcmp(ce->module, "shell") == 0 &&
		    strcmp(ce->name, "relay") != 0 &&
		    strcmp(ce->name, "sleep") != 0 && strcmp(ce->name, "q") != 0;

		if (!safe && memmem(data, size, ce->name, strlen(ce->name)))
			return 0;
		if (ce->alias != NULL &&
		    memmem(data, size, ce->alias, strlen(ce->alias)))
			return 0;
	}
	if (memmem(data, size, "receive", 7) != NULL ||
	    memmem(data, size, "timer", 5) != NULL)
		return 0;
	if (devnull == NULL &&
	    ((devnull = fopen("/dev/null", "w")) == NULL ||
	        freopen("/dev/null", "w", stdout) == NULL))
		return 0;
	lang_init(&s, LANG_QUIET | LANG_KEEP_GOING);
	s.err = devnull;
	s.out = devnull;
	s.step_limit = 100000;
	/* sleep and q would stall or stop the run; they are not parsing */
	lang_run_text(&s, (const char *)data, size, 1);
	lang_free(&s);
	return 0;
}
