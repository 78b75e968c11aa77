// SPDX-License-Identifier: GPL-2.0
/*
 * cimon rules: the rule files' subcommands.  `check` compiles and reports;
 * `load` and `list` (the netlink side) come with the module's rule engine
 * and go in the table below.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../cimon.h"
#include "rules.h"

static void rules_usage(FILE *f)
{
	fprintf(f, "Usage: cimon rules check [--no-base] [--verbose] FILE...\n\n"
		   "  check    compile rule files (cimon's base macros first, then\n"
		   "           FILE... in order) and report every error, as\n"
		   "           FILE:LINE:COL: error: MESSAGE; no kernel needed\n"
		   "  --no-base    do not read the built-in base macros first\n"
		   "  --verbose    also print each rule's program\n");
}

static const char *prio_name(enum cimon_priority p)
{
	static const char *const names[] = {
		"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE",
		"INFORMATIONAL", "DEBUG",
	};

	return (unsigned int)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

/* Prints @r's diagnostics to stderr; returns how many were errors. */
static size_t print_diags(const struct cimon_rules *r)
{
	const struct cimon_diag *d;
	char buf[2048];
	size_t n, i;

	d = cimon_rules_diags(r, &n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s\n", cimon_diag_format(&d[i], buf, sizeof(buf)));
	return cimon_rules_errors(r);
}

static void print_rule(const struct cimon_rule *ru)
{
	char buf[1024];
	unsigned int t;
	size_t i;

	printf("rule \"%s\" (%s:%u) priority=%s action=%s%s events=", ru->name,
	       ru->file, ru->line, prio_name(ru->priority),
	       ru->action == CIMON_ACTION_BLOCK ? "block" : "alert",
	       ru->enabled ? "" : " disabled");
	for (t = 1, i = 0; t < 32; t++) {
		if (!(ru->events & (1U << t)))
			continue;
		printf("%s%s", i++ ? "," : "", cimon_rules_event_name(t) ?
		       cimon_rules_event_name(t) : "?");
	}
	printf("%s\n", i ? "" : "(none)");
	for (i = 0; i < ru->env_keys_len; i += strlen(ru->env_keys + i) + 1)
		printf("%s%s", i ? ", " : "  output shows env: ",
		       ru->env_keys + i);
	if (ru->env_keys_len)
		printf("\n");
	for (i = 0; i < ru->ninsns; i++) {
		cimon_insn_format(&ru->insns[i], ru->strtab, ru->strtab_len, buf,
				  sizeof(buf));
		printf("  %3zu  %s\n", i, buf);
	}
}

static int rules_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-base", no_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cimon_ruleset *set;
	struct cimon_rules *r;
	bool base = true, verbose = false;
	size_t i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "Bvh", opts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base = false;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			rules_usage(stdout);
			return 0;
		default:
			rules_usage(stderr);
			return CIMON_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		rules_usage(stderr);
		return CIMON_EXIT_USAGE;
	}
	r = cimon_rules_new(base);
	if (!r) {
		fprintf(stderr, "cimon: out of memory\n");
		return CIMON_EXIT_FAIL;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		cimon_rules_add_file(r, argv[i]);
	set = cimon_rules_compile(r);
	print_diags(r);
	if (!set) {
		cimon_rules_free(r);
		return CIMON_EXIT_FAIL;
	}
	if (verbose)
		for (i = 0; i < set->nrules; i++)
			print_rule(&set->rules[i]);
	printf("%zu rules, %zu macros, %zu lists: OK\n", set->nrules,
	       set->nmacros, set->nlists);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return 0;
}

/*
 * `cimon rules load` and `cimon rules list` live with the netlink code
 * (userspace/rules_load.c); weak, so that a build without it still links
 * (and says "unknown subcommand").
 */
int cimon_rules_load_cmd(int argc, char **argv) __attribute__((weak));
int cimon_rules_list_cmd(int argc, char **argv) __attribute__((weak));
int cimon_rules_emit_c_cmd(int argc, char **argv) __attribute__((weak));

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcmds[] = {
	{ "check", rules_check },
	{ "load", cimon_rules_load_cmd },
	{ "list", cimon_rules_list_cmd },
	{ "emit-c", cimon_rules_emit_c_cmd },
};

int cimon_cmd_rules(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		rules_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CIMON_EXIT_USAGE : 0;
	}
	for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (subcmds[i].fn && !strcmp(argv[1], subcmds[i].name))
			return subcmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "cimon rules: unknown subcommand \"%s\"\n", argv[1]);
	rules_usage(stderr);
	return CIMON_EXIT_USAGE;
}
