/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - the rule machine's data: verified rules and the active set.
 */
#ifndef CIMON_RULES_H
#define CIMON_RULES_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <uapi/cimon.h>

struct netlink_ext_ack;

/**
 * struct cimon_rule - one verified rule
 * @insns: its program.
 * @count: instructions in @insns.
 * @strtab: its string table.
 * @strtab_len: bytes in @strtab.
 * @name: the rule's name.
 * @output: its output template, rendered by the reader.
 * @tags: comma-separated tags.
 * @events: bit (1 << type) for each event type it can match.
 * @priority: enum cimon_priority.
 * @action: enum cimon_action.
 * @hits: events it matched.
 */
struct cimon_rule {
	struct cimon_insn *insns;
	u32 count;
	char *strtab;
	u32 strtab_len;
	char *name;
	char *output;
	char *tags;
	u32 events;
	u8 priority;
	u8 action;
	atomic64_t hits;
};

/**
 * struct cimon_ruleset - a whole rule set, replaced at once
 * @rcu: frees it once no reader can see it.
 * @generation: bumped by every replacement.
 * @events: union of the rules' @events: the hooks' pre-filter.
 * @capacity: room in @rules.
 * @count: rules in @rules.
 * @rules: the rules, in file order; a rule's id is its index.
 */
struct cimon_ruleset {
	struct rcu_head rcu;
	u32 generation;
	u32 events;
	u32 capacity;
	u32 count;
	struct cimon_rule rules[];
};

/**
 * struct cimon_match_ctx - an event as the rules see it
 * @event: the completed record.
 * @cmdline_ready: @cmdline was built.
 * @cmdline: Falco's proc.cmdline, built on first use.
 */
struct cimon_match_ctx {
	const struct cimon_event *event;
	bool cmdline_ready;
	char cmdline[CIMON_COMM_LEN + CIMON_CMDLINE_LEN];
};

int cimon_rule_verify(const struct cimon_insn *insns, u32 count,
		      const char *strtab, u32 len,
		      struct netlink_ext_ack *extack);
bool cimon_rule_match(const struct cimon_rule *rule,
		      struct cimon_match_ctx *ctx);
const char *cimon_match_cmdline(struct cimon_match_ctx *ctx);

void cimon_rule_free(struct cimon_rule *rule);
struct cimon_ruleset *cimon_ruleset_get(void);
struct cimon_ruleset *cimon_ruleset_alloc(u32 count);
void cimon_ruleset_free(struct cimon_ruleset *set);
u32 cimon_ruleset_replace(struct cimon_ruleset *set);
int cimon_rules_load_defaults(void);
void cimon_rules_exit(void);

#endif /* CIMON_RULES_H */
