/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cimon generic netlink family, from userspace (libnl-genl-3): status,
 * mode, loading a compiled rule set, listing the loaded rules.
 *
 * Calls return 0 or a positive errno; cimon_nl_error() then holds the
 * kernel's own reason when it gave one (extack).
 */
#ifndef CIMON_NL_H
#define CIMON_NL_H

#include <stddef.h>
#include <stdint.h>

struct cimon_nl;
struct cimon_ruleset;

struct cimon_nl_status {
	uint32_t abi_version;
	uint32_t mode;			/* enum cimon_mode */
	uint32_t readers;
	uint32_t rules;			/* rules in the loaded set */
	uint32_t generation;		/* 0: none loaded, built-in alerts */
	uint64_t events;
	uint64_t dropped;
	uint64_t lost;
	uint64_t probe_misses;
	int locked;			/* 1 locked, 0 not, -1 not said */
};

struct cimon_nl_rule {
	uint32_t id;
	uint32_t generation;
	const char *name;
	const char *output;
	const char *tags;
	uint32_t events;
	uint8_t priority;		/* enum cimon_priority */
	uint8_t action;			/* enum cimon_action */
	uint64_t hits;
};

/*
 * Connects and finds the family.  NULL with errno ENOENT when the module
 * is not loaded, another errno otherwise.
 */
struct cimon_nl *cimon_nl_open(void);
void cimon_nl_close(struct cimon_nl *nl);
const char *cimon_nl_error(const struct cimon_nl *nl);

int cimon_nl_status(struct cimon_nl *nl, struct cimon_nl_status *st);
int cimon_nl_set_mode(struct cimon_nl *nl, uint32_t mode);

/* Locks cimon until reboot (CIMON_CMD_LOCK); locking twice is no error. */
int cimon_nl_lock(struct cimon_nl *nl);

/*
 * Replaces the loaded set with @set's enabled rules, whole or not at all.
 * On a refused rule, *@bad is its index in @set; SIZE_MAX when the set as
 * a whole was refused (a locked cimon refuses RULES_BEGIN).
 */
int cimon_nl_load(struct cimon_nl *nl, const struct cimon_ruleset *set,
		  size_t *bad);

/* Calls @fn for each loaded rule, in id order; stops if it returns != 0. */
int cimon_nl_rules(struct cimon_nl *nl,
		   int (*fn)(const struct cimon_nl_rule *rule, void *arg),
		   void *arg);

/* The CLI's messages for a failed open and a refused request. */
void cimon_nl_open_failed(void);
int cimon_nl_failed(struct cimon_nl *nl, const char *what, int err);

#endif /* CIMON_NL_H */
