// SPDX-License-Identifier: GPL-2.0
/*
 * cimon: the command line of the cimon module.  Subcommands are found in a
 * table by any unambiguous prefix of their name, as iproute2 and bpftool
 * do: "cimon w" is "cimon watch".
 */
#include <stdio.h>
#include <string.h>

#include "cimon.h"
#include "rules/rules.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "watch", cimon_cmd_watch, "print events as they happen (--json)" },
	{ "status", cimon_cmd_status, "show mode, lock, rule set, counters (--json)" },
	{ "mode", cimon_cmd_mode, "show or set the mode (monitor|enforce)" },
	{ "rules", cimon_cmd_rules, "rule files: check, load FILE...; list" },
	{ "lock", cimon_cmd_lock, "lock until reboot: no unload, lower mode or new rules" },
	{ "help", cmd_help, "show this help" },
	{ "version", cmd_version, "show the version" },
};

#define NR_CMDS	(sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: cimon COMMAND [OPTIONS]\n"
		   "       cimon COMMAND --help\n"
		   "       cimon --version\n\n"
		   "Commands (any unambiguous prefix works):\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("cimon %s (event ABI %d)\n", CIMON_VERSION, CIMON_ABI_VERSION);
	return 0;
}

/* The command @name names: exact, else the only one it is a prefix of. */
static const struct cmd *find_cmd(const char *name)
{
	const struct cmd *found = NULL;
	size_t i, len = strlen(name);
	int matches = 0;

	for (i = 0; i < NR_CMDS; i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
		if (len && !strncmp(cmds[i].name, name, len)) {
			found = &cmds[i];
			matches++;
		}
	}
	if (matches == 1)
		return found;
	if (matches > 1) {
		fprintf(stderr, "cimon: \"%s\" is ambiguous:", name);
		for (i = 0; i < NR_CMDS; i++)
			if (!strncmp(cmds[i].name, name, len))
				fprintf(stderr, " %s", cmds[i].name);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "cimon: unknown command \"%s\"; try \"cimon help\"\n",
			name);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return CIMON_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(0, NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	cmd = find_cmd(argv[1]);
	if (!cmd)
		return CIMON_EXIT_USAGE;
	return cmd->fn(argc - 1, argv + 1);
}
