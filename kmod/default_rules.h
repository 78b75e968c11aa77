/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - the rule set built into the module (kmod/default_rules.c, made
 * from the files in rules/ by `make default-rules`).
 */
#ifndef CIMON_DEFAULT_RULES_H
#define CIMON_DEFAULT_RULES_H

#include <linux/kernel.h>
#include <linux/types.h>
#include <uapi/cimon.h>

/* One compiled rule, as RULES_ADD would carry it. */
struct cimon_default_rule {
	const char *name;
	const char *output;
	const char *tags;
	u8 priority;
	u8 action;
	u32 events;
	const struct cimon_insn *insns;
	u32 count;
	const char *strtab;
	u32 strtab_len;
	const char *env_keys;
	u32 env_keys_len;
};

extern const struct cimon_default_rule cimon_default_rules[];
extern const unsigned int cimon_default_rules_count;

#endif /* CIMON_DEFAULT_RULES_H */
