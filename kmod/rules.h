/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - the rule machine's data: verified rules and the active set.
 */
#ifndef CIMON_RULES_H
#define CIMON_RULES_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <uapi/cimon.h>

#include "env.h"
#include "search.h"

struct netlink_ext_ack;

/**
 * struct cimon_search - contains tests of a rule searched for in one pass
 * @first: the first test's instruction.
 * @last: the last one's: "a contains x or a contains y ..." on one field,
 *	each test but the last followed by a JUMP_IF_TRUE that goes on as
 *	the last test's end does; or a test of its own on a whole
 *	environment.
 * @found_bit: on the new program's whole environment, when its strings
 *	are looked for as it is read: the bit of cimon_env_values.found
 *	they set; else -1.
 * @needles: the tests' strings.
 */
struct cimon_search {
	u16 first;
	u16 last;
	s8 found_bit;
	struct cimon_needles needles;
};

/* Searches of one rule set, at most (the rest are plain tests). */
#define CIMON_SEARCHES_MAX	1024

/**
 * struct cimon_rule - one verified rule
 * @insns: its program.
 * @count: instructions in @insns.
 * @strtab: its string table.
 * @strtab_len: bytes in @strtab.
 * @name: the rule's name.
 * @output: its output template, rendered by the reader.
 * @tags: comma-separated tags.
 * @env_keys: NUL-terminated names of the variables its output shows.
 * @env_keys_len: bytes in @env_keys.
 * @events: bit (1 << type) for each event type it can match.
 * @priority: enum cimon_priority.
 * @action: enum cimon_action.
 * @late: it tests an executable path, which a hook knows only as far as
 *	its mount: an alert rule like that runs in the report worker.
 * @env_slots: for each instruction that names a variable, where the set
 *	keeps it: its index in the set's env_keys (low byte: the test's
 *	field; high byte: the field it is compared with), CIMON_ENV_SLOT_NONE
 *	for none; NULL when the rule names no variable in a test.
 * @searches: its searches, in program order; NULL when none.
 * @search_count: entries in @searches.
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
	char *env_keys;
	u32 env_keys_len;
	u32 events;
	u8 priority;
	u8 action;
	bool late;
	u16 *env_slots;
	struct cimon_search *searches;
	u32 search_count;
	atomic64_t hits;
};

/* A byte of cimon_rule.env_slots: no variable named. */
#define CIMON_ENV_SLOT_NONE	0xff

/* Fields of cimon_rule_index: name, pname, target, fd, exepath. */
#define CIMON_INDEX_FIELDS	5
/* Bytes of a needle a rule is filed under in the proc.cmdline index. */
#define CIMON_GRAM_LEN		4
/* Bits of the filter of the grams present (a 16-bit hash). */
#define CIMON_GRAM_FILTER_BITS	BIT(16)

/**
 * struct cimon_index_entry - a rule filed under a field's value
 * @hash: jhash of @value.
 * @rule: the rule's id.
 * @value: a constant the rule requires the field to equal (one of them),
 *	in its string table.
 */
struct cimon_index_entry {
	u32 hash;
	u16 rule;
	const char *value;
};

/**
 * struct cimon_gram_entry - a rule filed under a piece of a needle
 * @gram: CIMON_GRAM_LEN bytes of a string the rule requires proc.cmdline
 *	to contain (one of them), as a native-endian u32.
 * @rule: the rule's id.
 */
struct cimon_gram_entry {
	u32 gram;
	u16 rule;
};

/**
 * struct cimon_rule_index - which rules can match an event (rule_index.c)
 * @ready: built; when not, every rule is a candidate.
 * @entries: per field, the filed rules sorted by hash.
 * @count: entries per field.
 * @exepath_filed: bitmap of the rules filed under proc.exepath, all
 *	candidates when an event's path is only known in part.
 * @grams: rules filed under pieces of proc.cmdline, sorted by gram.
 * @gram_count: entries in @grams.
 * @gram_filter: CIMON_GRAM_FILTER_BITS bits, one per hash of a gram in
 *	@grams: most bytes of a command line are passed over with one test.
 * @unindexed: bitmap of the rules filed nowhere: always candidates.
 */
struct cimon_rule_index {
	bool ready;
	struct cimon_index_entry *entries[CIMON_INDEX_FIELDS];
	u32 count[CIMON_INDEX_FIELDS];
	unsigned long *exepath_filed;
	struct cimon_gram_entry *grams;
	u32 gram_count;
	unsigned long *gram_filter;
	unsigned long *unindexed;
};

/* cimon_ruleset.env_whole: a rule asks for a whole environment. */
#define CIMON_ENV_WHOLE_OWN	BIT(0)	/* proc.env */
#define CIMON_ENV_WHOLE_PARENT	BIT(1)	/* proc.aenv[1] */

/**
 * struct cimon_ruleset - a whole rule set, replaced at once
 * @rcu: drops the active set's reference once no RCU reader can see it.
 * @users: references: one while active, one per exec being matched
 *	(which may sleep reading an environment); the last one frees.
 * @generation: bumped by every replacement.
 * @events: union of the rules' @events: the hooks' pre-filter.
 * @block_events: union of the @events of the rules with action block,
 *	which the hooks run themselves.
 * @env_whole: CIMON_ENV_WHOLE_* bits.
 * @env_keys: every variable a condition or an output names, once; the
 *	names point into the rules' string tables and @env_keys.
 * @index: which rules can match an event.
 * @capacity: room in @rules.
 * @count: rules in @rules.
 * @rules: the rules, in file order; a rule's id is its index.
 */
struct cimon_ruleset {
	struct rcu_head rcu;
	refcount_t users;
	u32 generation;
	u32 events;
	u32 block_events;
	u32 env_whole;
	struct cimon_env_keys env_keys;
	struct cimon_rule_index index;
	u32 capacity;
	u32 count;
	struct cimon_rule rules[];
};

struct cimon_exec_env;

/**
 * struct cimon_match_ctx - an event as the rules see it
 * @event: the completed record.
 * @set: the set being run.
 * @env: the environments of an exec, read when a rule first asks; NULL
 *	for other events.
 * @exe_partial: proc.exepath is known only as far as its mount (in a
 *	hook): the index may not skip a rule on it.
 * @cmdline_ready: @cmdline was built.
 * @cmdline_len: bytes in @cmdline.
 * @cmdline: Falco's proc.cmdline, built on first use.
 * @candidates: the rules of @set the index says can match.
 */
struct cimon_match_ctx {
	const struct cimon_event *event;
	const struct cimon_ruleset *set;
	struct cimon_exec_env *env;
	bool exe_partial;
	bool cmdline_ready;
	u32 cmdline_len;
	char cmdline[CIMON_COMM_LEN + CIMON_CMDLINE_LEN];
	DECLARE_BITMAP(candidates, CIMON_RULES_MAX);
};

int cimon_rule_verify(const struct cimon_insn *insns, u32 count,
		      const char *strtab, u32 len,
		      struct netlink_ext_ack *extack);
bool cimon_rule_match(const struct cimon_rule *rule,
		      struct cimon_match_ctx *ctx);
const char *cimon_match_cmdline(struct cimon_match_ctx *ctx);
const char *cimon_match_string(struct cimon_match_ctx *ctx, u8 field);
void cimon_match_begin(struct cimon_match_ctx *ctx,
		       const struct cimon_event *event,
		       const struct cimon_ruleset *set,
		       struct cimon_exec_env *env, bool exe_partial);

/* rule_index.c */
void cimon_rule_index_build(struct cimon_ruleset *set);
void cimon_rule_index_free(struct cimon_rule_index *ix);
void cimon_rule_candidates(struct cimon_match_ctx *ctx,
			   unsigned long *candidates);
int cimon_ruleset_env_key(const struct cimon_ruleset *set, const char *name);
int cimon_ruleset_prepare(struct cimon_ruleset *set,
			  struct netlink_ext_ack *extack);
int cimon_rule_env_keys_verify(const char *keys, u32 len,
			       struct netlink_ext_ack *extack);
bool cimon_rules_want(u16 type);
struct cimon_ruleset *cimon_ruleset_tryget(void);
void cimon_ruleset_put(struct cimon_ruleset *set);

/* exec.c: an environment value for the rules (@key: -1 for all). */
const char *cimon_exec_env_value(struct cimon_exec_env *env,
				 unsigned int level, int key, bool raw_ok,
				 size_t *len, bool *raw);
int cimon_exec_env_found(struct cimon_exec_env *env, unsigned int bit);
void cimon_exec_container_id(struct cimon_exec_env *env);
void cimon_exec_exe(struct cimon_exec_env *env);

void cimon_rule_free(struct cimon_rule *rule);
struct cimon_ruleset *cimon_ruleset_get(void);
struct cimon_ruleset *cimon_ruleset_alloc(u32 count);
void cimon_ruleset_free(struct cimon_ruleset *set);
u32 cimon_ruleset_replace(struct cimon_ruleset *set);
int cimon_rules_load_defaults(void);
void cimon_rules_exit(void);

#endif /* CIMON_RULES_H */
