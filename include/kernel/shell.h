/*
 * The console shell (kernel/shell.c): a prompt on the PL011, lines edited
 * with lib/lineedit, split into words and run as commands from tables
 * (kernel/shell_cmds*.c). docs/shell.md lists the commands.
 *
 * Syntax: words separated by blanks (no quoting); "> file" after echo's
 * words writes them to a /proc or /sys file; a last word "&" runs `run`'s
 * app in the background. Anything else is an error naming the word.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include <lib/lineedit.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <types.h>

#define SHELL_PROMPT "pagoda:/# "
#define SHELL_ARGS_MAX 16

/* One command line, as a command gets it. */
struct shell_call {
	int argc;
	char **argv;          /* argv[0] is the command's name */
	const char *redirect; /* the file after '>', or NULL (echo only) */
	bool background;      /* a last "&" (run only) */
};

struct shell_cmd {
	const char *name;
	const char *usage;  /* arguments, for help and errors */
	const char *help;   /* one line */
	int (*fn)(struct shell_call *c); /* 0, or nonzero after printing why */
	unsigned flags;     /* SHELL_REDIRECT, SHELL_BACKGROUND: what it accepts */
};
#define SHELL_REDIRECT 1u   /* "> file" */
#define SHELL_BACKGROUND 2u /* "&" */

/* The command tables, each ended by an entry with a NULL name. */
extern const struct shell_cmd shell_cmds_files[];  /* kernel/shell_cmds.c */
extern const struct shell_cmd shell_cmds_mm[];     /* kernel/shell_cmds_mm.c */
extern const struct shell_cmd shell_cmds_task[];   /* kernel/shell_cmds_task.c */

/* Read and run command lines forever (the boot task, after init). */
void __noreturn shell_main(void);
/* Run one command line (a copy is split in place); the command's result,
 * or 1 after a syntax error or an unknown command (printed). */
int shell_exec(const char *line);
/* Whether ^C was typed since the current command started. */
bool shell_interrupted(void);
/* Sleep ns, waking early on ^C; false if interrupted. */
bool shell_sleep_ns(u64 ns);
/* Reap background apps that ended, printing "[pid] Done ..." for each. */
void shell_reap_jobs(void);
/* Print usage for the command c (to stdout) and return 1. */
int shell_usage(const struct shell_call *c);
/* Parse a decimal int (sign allowed) into *v; false if s is not one. */
bool shell_parse_int(const char *s, int *v);
/* "No such file or directory" etc. for -errno values procfs returns. */
const char *shell_strerror(long err);

/* kernel/shell_parse.c. Split line in place into c (c->argv must hold
 * SHELL_ARGS_MAX + 1 pointers): 0, or -1 with the syntax error in err. */
int shell_split(char *line, struct shell_call *c, char *err, size_t errlen);
/* Tab completion (lib/lineedit's callback): the first word from the
 * command tables, a word starting with '/' from proc_readdir of its
 * directory. */
void shell_complete(const struct shell_cmd *const *tables, size_t ntables, const char *line, size_t start,
		    size_t len, struct le_matches *m);

/* kernel/memtest.c: test size bytes of free memory with the patterns,
 * printing progress and the bad words to f. 0 pass, 1 bad memory found or
 * interrupted, -ENOMEM (nothing tested). */
int memtest_run(FILE *f, u64 size);
/* Tests: called between each pattern's write and verify passes with the
 * first block tested (its kernel VA and physical address). NULL normally. */
extern void (*memtest_test_hook)(unsigned pattern, void *va, phys_addr_t pa);

#endif
