// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the rule index: which rules of a set can match an event.
 *
 * Running every rule of a big set on every event costs in proportion to
 * rules that cannot match.  Most rules require one field to equal a
 * constant (proc.name = "config.sh", target.name = "Runner.Worker"): a
 * rule whose program ends with that test, with no jump past it that
 * makes the rule true, or starts with it and jumps to the end when it
 * fails, cannot match an event whose field has another value.  Such rules
 * are filed under (field, constant) in a sorted array per field; an event
 * looks its few field values up and runs only the rules found there, and
 * the rules that could not be filed.  Deriving the required test from the
 * verified program, not from what userspace says, keeps the index exact:
 * a rule is skipped only when its own program would have said no.
 */

#include <linux/bitmap.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "rules.h"

/* The fields rules are filed under. */
static const u8 index_fields[CIMON_INDEX_FIELDS] = {
	CIMON_FIELD_PROC_NAME, CIMON_FIELD_PROC_PNAME,
	CIMON_FIELD_TARGET_NAME, CIMON_FIELD_FD_NAME,
	CIMON_FIELD_PROC_EXEPATH,
};

static int index_slot(const struct cimon_insn *insn)
{
	int i;

	if (insn->op != CIMON_OP_TEST || insn->cmp != CIMON_CMP_EQ ||
	    insn->key != CIMON_NO_KEY || insn->index)
		return -1;
	for (i = 0; i < CIMON_INDEX_FIELDS; i++)
		if (index_fields[i] == insn->field)
			return i;
	return -1;
}

/*
 * The test @rule cannot match without, or NULL: its last instruction, if
 * nothing jumps past it with the accumulator true and nothing returns
 * before it; else its first, if a failed first test jumps to the end.
 */
static const struct cimon_insn *required_test(const struct cimon_rule *rule)
{
	const struct cimon_insn *insns = rule->insns;
	u32 i, n = rule->count;
	bool last = true;

	for (i = 0; i + 1 < n; i++) {
		if (insns[i].op == CIMON_OP_RET ||
		    (insns[i].op == CIMON_OP_JUMP_IF_TRUE &&
		     i + 1 + insns[i].jump >= n))
			last = false;
	}
	if (last && index_slot(&insns[n - 1]) >= 0)
		return &insns[n - 1];
	if (n >= 2 && index_slot(&insns[0]) >= 0 &&
	    insns[1].op == CIMON_OP_JUMP_IF_FALSE &&
	    2 + insns[1].jump >= n)
		return &insns[0];
	return NULL;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct cimon_index_entry *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static u32 hash_string(const char *s)
{
	return jhash(s, strlen(s), 0);
}

/**
 * cimon_rule_index_build() - file a verified set's rules
 * @set: the set, not active yet
 *
 * Context: process context.  Without memory the set stays unindexed:
 * every rule is then a candidate for every event, which is correct.
 */
void cimon_rule_index_build(struct cimon_ruleset *set)
{
	struct cimon_rule_index *ix = &set->index;
	const struct cimon_insn *t;
	struct cimon_index_entry *e;
	u32 i, n[CIMON_INDEX_FIELDS] = { 0 };
	int f;

	ix->unindexed = bitmap_zalloc(max_t(u32, set->count, 1), GFP_KERNEL);
	if (!ix->unindexed)
		return;
	for (i = 0; i < set->count; i++) {
		t = required_test(&set->rules[i]);
		if (t)
			n[index_slot(t)]++;
		else
			__set_bit(i, ix->unindexed);
	}
	for (f = 0; f < CIMON_INDEX_FIELDS; f++) {
		if (!n[f])
			continue;
		ix->entries[f] = kvmalloc_array(n[f], sizeof(*e), GFP_KERNEL);
		if (!ix->entries[f])
			goto fail;
	}
	for (i = 0; i < set->count; i++) {
		t = required_test(&set->rules[i]);
		if (!t)
			continue;
		f = index_slot(t);
		e = &ix->entries[f][ix->count[f]++];
		e->value = set->rules[i].strtab + t->arg;
		e->hash = hash_string(e->value);
		e->rule = i;
	}
	for (f = 0; f < CIMON_INDEX_FIELDS; f++)
		if (ix->count[f])
			sort(ix->entries[f], ix->count[f], sizeof(*e),
			     entry_cmp, NULL);
	ix->ready = true;
	return;

fail:
	cimon_rule_index_free(ix);
}

/**
 * cimon_rule_index_free() - free what the index holds
 * @ix: the index
 */
void cimon_rule_index_free(struct cimon_rule_index *ix)
{
	int f;

	for (f = 0; f < CIMON_INDEX_FIELDS; f++)
		kvfree(ix->entries[f]);
	bitmap_free(ix->unindexed);
	memset(ix, 0, sizeof(*ix));
}

/* Mark the rules filed under @value in @entries[0..@n). */
static void add_filed(const struct cimon_index_entry *entries, u32 n,
		      const char *value, unsigned long *candidates)
{
	u32 hash = hash_string(value), lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (entries[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && entries[lo].hash == hash; lo++)
		if (!strcmp(entries[lo].value, value))
			__set_bit(entries[lo].rule, candidates);
}

/**
 * cimon_rule_candidates() - the rules of @ctx->set that can match
 * @ctx: the event and its set
 * @candidates: a bitmap of CIMON_RULES_MAX bits, filled
 *
 * Context: any; allocates nothing.
 */
void cimon_rule_candidates(struct cimon_match_ctx *ctx,
			   unsigned long *candidates)
{
	const struct cimon_ruleset *set = ctx->set;
	const struct cimon_rule_index *ix = &set->index;
	const char *value;
	int f;

	if (!ix->ready) {
		bitmap_fill(candidates, set->count);
		return;
	}
	bitmap_copy(candidates, ix->unindexed, set->count);
	for (f = 0; f < CIMON_INDEX_FIELDS; f++) {
		if (!ix->count[f])
			continue;
		value = cimon_match_string(ctx, index_fields[f]);
		if (value)
			add_filed(ix->entries[f], ix->count[f], value,
				  candidates);
	}
}
