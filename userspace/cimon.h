/* SPDX-License-Identifier: GPL-2.0 */
/* What the subcommands of the cimon CLI share. */
#ifndef CIMON_CLI_H
#define CIMON_CLI_H

#include "uapi/cimon.h"

#ifndef CIMON_VERSION
#define CIMON_VERSION "0.1.0"
#endif

/* Exit statuses: 0 success, 1 failure, 2 bad command line. */
#define CIMON_EXIT_FAIL		1
#define CIMON_EXIT_USAGE	2

#define CIMON_DEVICE_PATH	"/dev/" CIMON_DEVICE_NAME

/* Each subcommand gets argv with argv[0] its own name. */
int cimon_cmd_watch(int argc, char **argv);
int cimon_cmd_status(int argc, char **argv);
int cimon_cmd_mode(int argc, char **argv);
int cimon_cmd_lock(int argc, char **argv);
int cimon_rules_load_cmd(int argc, char **argv);
int cimon_rules_list_cmd(int argc, char **argv);

#endif /* CIMON_CLI_H */
