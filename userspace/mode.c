// SPDX-License-Identifier: GPL-2.0
/*
 * cimon mode [monitor|enforce]: show or set what a matching block rule
 * does; cimon lock: lock cimon until reboot.  Both take CAP_NET_ADMIN to
 * change anything.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cimon.h"
#include "nl.h"

static const char *const mode_names[] = {
	[CIMON_MODE_MONITOR] = "monitor",
	[CIMON_MODE_ENFORCE] = "enforce",
};

/* The message for a failed connection to the module's netlink family. */
void cimon_nl_open_failed(void)
{
	if (errno == ENOENT)
		fprintf(stderr, "cimon: the cimon module is not loaded (modprobe cimon)\n");
	else
		fprintf(stderr, "cimon: cannot talk to the cimon module: %s\n",
			strerror(errno));
}

/* Report a refused netlink request with the kernel's reason. */
int cimon_nl_failed(struct cimon_nl *nl, const char *what, int err)
{
	/* A locked cimon says EPERM too, with its reason. */
	if (err == EPERM && !*cimon_nl_error(nl))
		fprintf(stderr, "cimon: %s: permission denied: run as root (CAP_NET_ADMIN)\n",
			what);
	else if (*cimon_nl_error(nl))
		fprintf(stderr, "cimon: %s: %s (%s)\n", what,
			cimon_nl_error(nl), strerror(err));
	else
		fprintf(stderr, "cimon: %s: %s\n", what, strerror(err));
	return CIMON_EXIT_FAIL;
}

int cimon_cmd_mode(int argc, char **argv)
{
	struct cimon_nl_status st;
	struct cimon_nl *nl;
	unsigned int mode;
	int ret;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "--help") ||
					!strcmp(argv[1], "-h")))) {
		fprintf(argc > 2 ? stderr : stdout,
			"Usage: cimon mode [monitor|enforce]\n"
			"Show the mode, or set it (as root).\n"
			"  monitor  a rule with action block only alerts, with verdict would_block\n"
			"  enforce  it denies the operation (EPERM, EACCES for /proc/<pid>/mem\n"
			"           and environ opens), with verdict blocked\n"
			"A locked cimon (cimon lock) refuses to leave enforce.\n");
		return argc > 2 ? CIMON_EXIT_USAGE : 0;
	}
	if (argc == 2) {
		for (mode = 0; mode < 2; mode++)
			if (!strcmp(argv[1], mode_names[mode]))
				break;
		if (mode == 2) {
			fprintf(stderr, "cimon: unknown mode \"%s\": monitor or enforce\n",
				argv[1]);
			return CIMON_EXIT_USAGE;
		}
	}
	nl = cimon_nl_open();
	if (!nl) {
		cimon_nl_open_failed();
		return CIMON_EXIT_FAIL;
	}
	if (argc == 2) {
		ret = cimon_nl_set_mode(nl, mode);
		if (ret) {
			ret = cimon_nl_failed(nl, "mode", ret);
			goto out;
		}
	}
	ret = cimon_nl_status(nl, &st);
	if (ret) {
		ret = cimon_nl_failed(nl, "status", ret);
		goto out;
	}
	printf("%s\n", st.mode < 2 ? mode_names[st.mode] : "unknown");
out:
	cimon_nl_close(nl);
	return ret;
}

static void lock_usage(FILE *f)
{
	fprintf(f,
		"Usage: cimon lock\n"
		"Lock cimon until reboot (as root).  Afterwards the module cannot be\n"
		"unloaded, its mode cannot be lowered from enforce, and its rule set\n"
		"cannot be replaced: each attempt is denied and reported as a tamper\n"
		"event.  Raising the mode to enforce still works.  There is no unlock.\n"
		"To lock from load, give the module lock=1 (e.g. in /etc/modprobe.d).\n");
}

int cimon_cmd_lock(int argc, char **argv)
{
	struct cimon_nl_status st;
	struct cimon_nl *nl;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		lock_usage(stdout);
		return 0;
	}
	if (argc != 1) {
		lock_usage(stderr);
		return CIMON_EXIT_USAGE;
	}
	nl = cimon_nl_open();
	if (!nl) {
		cimon_nl_open_failed();
		return CIMON_EXIT_FAIL;
	}
	ret = cimon_nl_status(nl, &st);
	if (!ret && st.locked == 1) {
		printf("cimon is already locked until reboot (mode %s)\n",
		       st.mode < 2 ? mode_names[st.mode] : "unknown");
		goto out;
	}
	ret = cimon_nl_lock(nl);
	if (ret) {
		ret = cimon_nl_failed(nl, "lock", ret);
		goto out;
	}
	ret = cimon_nl_status(nl, &st);
	if (ret) {
		ret = cimon_nl_failed(nl, "status", ret);
		goto out;
	}
	printf("cimon is locked until reboot: it cannot be unloaded, its mode cannot be lowered, its rule set cannot be replaced\n");
	if (st.generation)
		printf("mode %s, %u rules (rule set %u)\n",
		       st.mode < 2 ? mode_names[st.mode] : "unknown", st.rules,
		       st.generation);
	else
		printf("mode %s, no rule set: every access is reported\n",
		       st.mode < 2 ? mode_names[st.mode] : "unknown");
	if (st.mode != CIMON_MODE_ENFORCE)
		fprintf(stderr, "cimon: note: the mode is %s: block rules only alert; \"cimon mode enforce\" can still raise it\n",
			st.mode < 2 ? mode_names[st.mode] : "unknown");
out:
	cimon_nl_close(nl);
	return ret;
}
