// SPDX-License-Identifier: GPL-2.0
/*
 * cimon rules load FILE... and cimon rules list: compile rule files and
 * hand the set to the kernel, show what the kernel runs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cimon.h"
#include "nl.h"
#include "rules/rules.h"

static const char *const priority_names[] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice",
	"Informational", "Debug",
};

/* Compile @files (base macros first); NULL after printing the errors. */
static struct cimon_ruleset *compile(int nfiles, char **files,
				     struct cimon_rules **loader)
{
	const struct cimon_diag *diags;
	struct cimon_ruleset *set;
	char buf[1024];
	size_t i, n;
	int f;

	*loader = cimon_rules_new(true);
	if (!*loader)
		return NULL;
	for (f = 0; f < nfiles; f++)
		cimon_rules_add_file(*loader, files[f]);
	set = cimon_rules_compile(*loader);
	diags = cimon_rules_diags(*loader, &n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s\n", cimon_diag_format(&diags[i], buf,
							  sizeof(buf)));
	return set;
}

int cimon_rules_load_cmd(int argc, char **argv)
{
	struct cimon_rules *loader;
	struct cimon_ruleset *set;
	struct cimon_nl_status st;
	struct cimon_nl *nl;
	size_t bad = 0;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "Usage: cimon rules load FILE...\n");
		return CIMON_EXIT_USAGE;
	}
	set = compile(argc - 1, argv + 1, &loader);
	if (!set) {
		fprintf(stderr, "cimon: nothing loaded: the rule files have errors\n");
		cimon_rules_free(loader);
		return CIMON_EXIT_FAIL;
	}
	nl = cimon_nl_open();
	if (!nl) {
		cimon_nl_open_failed();
		ret = CIMON_EXIT_FAIL;
		goto out;
	}
	ret = cimon_nl_load(nl, set, &bad);
	if (ret) {
		if (bad < set->nrules)
			fprintf(stderr, "%s:%u: rule \"%s\" refused by the kernel\n",
				set->rules[bad].file, set->rules[bad].line,
				set->rules[bad].name);
		ret = cimon_nl_failed(nl, "nothing loaded", ret);
	} else if (!cimon_nl_status(nl, &st)) {
		printf("loaded %u rules (rule set %u)\n", st.rules,
		       st.generation);
	}
	cimon_nl_close(nl);
out:
	cimon_ruleset_free(set);
	cimon_rules_free(loader);
	return ret;
}

static int print_rule(const struct cimon_nl_rule *r, void *arg)
{
	int *n = arg;

	if (!(*n)++)
		printf("%-4s %-9s %-6s %10s  %s\n", "ID", "PRIORITY", "ACTION",
		       "HITS", "RULE");
	printf("%-4u %-9s %-6s %10llu  %s\n", r->id,
	       r->priority < 8 ? priority_names[r->priority] : "?",
	       r->action == CIMON_ACTION_BLOCK ? "block" : "alert",
	       (unsigned long long)r->hits, r->name);
	return 0;
}

int cimon_rules_list_cmd(int argc, char **argv)
{
	struct cimon_nl_status st;
	struct cimon_nl *nl;
	int ret, n = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "Usage: cimon rules list\n");
		return CIMON_EXIT_USAGE;
	}
	nl = cimon_nl_open();
	if (!nl) {
		cimon_nl_open_failed();
		return CIMON_EXIT_FAIL;
	}
	ret = cimon_nl_status(nl, &st);
	if (!ret && !st.generation) {
		printf("no rule set loaded: cimon reports every access to another process's memory\n");
		goto out;
	}
	if (!ret)
		ret = cimon_nl_rules(nl, print_rule, &n);
	if (ret)
		ret = cimon_nl_failed(nl, "rules list", ret);
out:
	cimon_nl_close(nl);
	return ret;
}
