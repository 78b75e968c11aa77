// SPDX-License-Identifier: GPL-2.0
/*
 * cimon mode [monitor|enforce]: show or set what a matching block rule
 * does.  Setting it takes CAP_NET_ADMIN.
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
	if (err == EPERM)
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

	if (argc > 2 || (argc == 2 && !strcmp(argv[1], "--help"))) {
		fprintf(argc > 2 ? stderr : stdout,
			"Usage: cimon mode [monitor|enforce]\n");
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
