// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the rule index: which rules of a set can match an event.
 *
 * Running every rule of a big set on every event costs in proportion to
 * rules that cannot match.  Most rules can only be true when one field
 * equals one of a few constants (proc.name = "config.sh", proc.pname in
 * (sudo, su), target.name = "Runner.Worker"), or when the command line
 * contains one of a few strings.  Such a rule is filed under those
 * constants; an event looks its few field values up, and scans its
 * command line once for the filed pieces of strings, and runs only the
 * rules found, and those that could not be filed.
 *
 * Whether a rule can be filed is derived from its verified program, not
 * from what userspace says: the program is run once over every path,
 * with the field's tests answered as for a value that equals none of
 * its constants (or contains none of its strings) and every other test
 * answered both ways.  If no path ends true, the rule cannot match such
 * an event, and skipping it is exact: a rule is skipped only when its
 * own program would have said no.
 */

#include <linux/bitmap.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "rules.h"

/* The fields rules are filed under by equality. */
static const u8 index_fields[CIMON_INDEX_FIELDS] = {
	CIMON_FIELD_PROC_NAME, CIMON_FIELD_PROC_PNAME,
	CIMON_FIELD_TARGET_NAME, CIMON_FIELD_FD_NAME,
	CIMON_FIELD_PROC_EXEPATH,
};

/* Values the accumulator can have at a point of a program. */
#define ACC_FALSE	BIT(0)
#define ACC_TRUE	BIT(1)
#define ACC_ANY		(ACC_FALSE | ACC_TRUE)

/* Does @insn test @field itself (no ancestor index, no variable)? */
static bool tests_field(const struct cimon_insn *insn, u8 field, u8 cmp)
{
	return insn->op == CIMON_OP_TEST && insn->field == field &&
	       insn->cmp == cmp && !insn->index && insn->key == CIMON_NO_KEY;
}

/*
 * Can @rule be true for an event whose @field fails every one of the
 * rule's @cmp tests on it (equals none of its constants, or contains
 * none of its strings)?  Those tests are false, every other test may go
 * either way.  @reach: CIMON_RULE_INSNS_MAX + 1 bytes of scratch.
 */
static bool can_match_without(const struct cimon_rule *rule, u8 field,
			      u8 cmp, u8 *reach)
{
	const struct cimon_insn *insn;
	u32 i, n = rule->count, to;
	u8 acc, result = 0;

	memset(reach, 0, n + 1);
	reach[0] = ACC_FALSE;
	for (i = 0; i < n; i++) {
		acc = reach[i];
		if (!acc)
			continue;
		insn = &rule->insns[i];
		to = min(i + 1 + insn->jump, n);
		switch (insn->op) {
		case CIMON_OP_TEST:
			reach[i + 1] |= tests_field(insn, field, cmp) ?
					ACC_FALSE : ACC_ANY;
			break;
		case CIMON_OP_TEST_FIELD:
			reach[i + 1] |= ACC_ANY;
			break;
		case CIMON_OP_CONST:
			reach[i + 1] |= insn->arg ? ACC_TRUE : ACC_FALSE;
			break;
		case CIMON_OP_NOT:
			reach[i + 1] |= ((acc & ACC_TRUE) ? ACC_FALSE : 0) |
					((acc & ACC_FALSE) ? ACC_TRUE : 0);
			break;
		case CIMON_OP_JUMP_IF_TRUE:
			reach[to] |= acc & ACC_TRUE;
			reach[i + 1] |= acc & ACC_FALSE;
			break;
		case CIMON_OP_JUMP_IF_FALSE:
			reach[to] |= acc & ACC_FALSE;
			reach[i + 1] |= acc & ACC_TRUE;
			break;
		case CIMON_OP_RET:
			result |= acc;
			break;
		}
	}
	return (result | reach[n]) & ACC_TRUE;
}

/* The constants of @rule's @cmp tests on @field; -1 if one is unusable. */
static int count_operands(const struct cimon_rule *rule, u8 field, u8 cmp)
{
	u32 i, n = 0;

	for (i = 0; i < rule->count; i++) {
		if (!tests_field(&rule->insns[i], field, cmp))
			continue;
		if (cmp == CIMON_CMP_CONTAINS &&
		    strlen(rule->strtab + rule->insns[i].arg) < CIMON_GRAM_LEN)
			return -1;
		n++;
	}
	return n;
}

/* How @rule is filed: by equality of index_fields[*slot], or by grams. */
enum filing { FILED_NOWHERE, FILED_BY_VALUE, FILED_BY_GRAM };

static enum filing rule_filing(const struct cimon_rule *rule, u8 *reach,
			       int *slot, u32 *entries)
{
	int f, n, best = -1;

	for (f = 0; f < CIMON_INDEX_FIELDS; f++) {
		n = count_operands(rule, index_fields[f], CIMON_CMP_EQ);
		if (n < 0 || (best >= 0 && n >= *entries))
			continue;
		if (can_match_without(rule, index_fields[f], CIMON_CMP_EQ,
				      reach))
			continue;
		best = f;
		*entries = n;
	}
	if (best >= 0) {
		*slot = best;
		return FILED_BY_VALUE;
	}
	n = count_operands(rule, CIMON_FIELD_PROC_CMDLINE, CIMON_CMP_CONTAINS);
	if (n > 0 && !can_match_without(rule, CIMON_FIELD_PROC_CMDLINE,
					CIMON_CMP_CONTAINS, reach)) {
		*entries = n;
		return FILED_BY_GRAM;
	}
	return FILED_NOWHERE;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct cimon_index_entry *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static int gram_cmp(const void *a, const void *b)
{
	const struct cimon_gram_entry *x = a, *y = b;

	return x->gram < y->gram ? -1 : x->gram > y->gram;
}

static u32 hash_string(const char *s)
{
	return jhash(s, strlen(s), 0);
}

static u32 gram_hash(u32 gram)
{
	return (gram * 0x9e3779b1U) >> 16;
}

/* The piece a needle is filed under: its last CIMON_GRAM_LEN bytes. */
static u32 needle_gram(const char *needle)
{
	return get_unaligned((const u32 *)(needle + strlen(needle) -
					     CIMON_GRAM_LEN));
}

static void file_rule(struct cimon_rule_index *ix, const struct cimon_rule *rule,
		      u32 id, enum filing how, int slot)
{
	const struct cimon_insn *insn;
	struct cimon_index_entry *e;
	struct cimon_gram_entry *g;
	u8 field = how == FILED_BY_GRAM ? CIMON_FIELD_PROC_CMDLINE :
		   index_fields[slot];
	u8 cmp = how == FILED_BY_GRAM ? CIMON_CMP_CONTAINS : CIMON_CMP_EQ;
	u32 i;

	for (i = 0; i < rule->count; i++) {
		insn = &rule->insns[i];
		if (!tests_field(insn, field, cmp))
			continue;
		if (how == FILED_BY_GRAM) {
			g = &ix->grams[ix->gram_count++];
			g->gram = needle_gram(rule->strtab + insn->arg);
			g->rule = id;
			__set_bit(gram_hash(g->gram), ix->gram_filter);
			continue;
		}
		e = &ix->entries[slot][ix->count[slot]++];
		e->value = rule->strtab + insn->arg;
		e->hash = hash_string(e->value);
		e->rule = id;
	}
	if (field == CIMON_FIELD_PROC_EXEPATH)
		__set_bit(id, ix->exepath_filed);
}

/*
 * How each rule of @set is filed, into @how and @slot, and the entries
 * each table needs.  Return: 0 or -ENOMEM.
 */
static int plan_index(const struct cimon_ruleset *set, u8 *how, u8 *slot,
		      u32 *values, u32 *grams)
{
	u8 *reach = kmalloc(CIMON_RULE_INSNS_MAX + 1, GFP_KERNEL);
	u32 i, entries;
	int f;

	if (!reach)
		return -ENOMEM;
	for (i = 0; i < set->count; i++) {
		f = 0;
		entries = 0;
		how[i] = rule_filing(&set->rules[i], reach, &f, &entries);
		slot[i] = f;
		if (how[i] == FILED_BY_VALUE)
			values[f] += entries;
		else if (how[i] == FILED_BY_GRAM)
			*grams += entries;
	}
	kfree(reach);
	return 0;
}

static int alloc_tables(struct cimon_rule_index *ix, u32 rules,
			const u32 *values, u32 grams)
{
	int f;

	ix->unindexed = bitmap_zalloc(rules, GFP_KERNEL);
	ix->exepath_filed = bitmap_zalloc(rules, GFP_KERNEL);
	if (!ix->unindexed || !ix->exepath_filed)
		return -ENOMEM;
	for (f = 0; f < CIMON_INDEX_FIELDS; f++) {
		if (!values[f])
			continue;
		ix->entries[f] = kvmalloc_array(values[f],
						sizeof(*ix->entries[f]),
						GFP_KERNEL);
		if (!ix->entries[f])
			return -ENOMEM;
	}
	if (!grams)
		return 0;
	ix->grams = kvmalloc_array(grams, sizeof(*ix->grams), GFP_KERNEL);
	ix->gram_filter = bitmap_zalloc(CIMON_GRAM_FILTER_BITS, GFP_KERNEL);
	return ix->grams && ix->gram_filter ? 0 : -ENOMEM;
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
	u32 i, rules = max_t(u32, set->count, 1);
	u32 values[CIMON_INDEX_FIELDS] = { 0 }, grams = 0;
	u8 *how, *slot;
	int f;

	how = kmalloc_array(rules, 2, GFP_KERNEL);
	if (!how)
		return;
	slot = how + rules;
	if (plan_index(set, how, slot, values, &grams) ||
	    alloc_tables(ix, rules, values, grams))
		goto fail;
	for (i = 0; i < set->count; i++) {
		if (how[i] == FILED_NOWHERE)
			__set_bit(i, ix->unindexed);
		else
			file_rule(ix, &set->rules[i], i, how[i], slot[i]);
	}
	for (f = 0; f < CIMON_INDEX_FIELDS; f++)
		if (ix->count[f])
			sort(ix->entries[f], ix->count[f],
			     sizeof(*ix->entries[f]), entry_cmp, NULL);
	if (ix->gram_count)
		sort(ix->grams, ix->gram_count, sizeof(*ix->grams), gram_cmp,
		     NULL);
	ix->ready = true;
	kfree(how);
	return;

fail:
	kfree(how);
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
	kvfree(ix->grams);
	bitmap_free(ix->gram_filter);
	bitmap_free(ix->exepath_filed);
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

/* Mark the rules filed under @gram. */
static void add_gram(const struct cimon_rule_index *ix, u32 gram,
		     unsigned long *candidates)
{
	u32 lo = 0, hi = ix->gram_count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->grams[mid].gram < gram)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->gram_count && ix->grams[lo].gram == gram; lo++)
		__set_bit(ix->grams[lo].rule, candidates);
}

/* Grams looked up lately, skipped when they come again. */
#define RECENT_GRAMS	4

/*
 * Mark the rules filed under a piece of @s: one load and one filter test
 * per byte; a rule's needle can only be in @s where its piece is.  A
 * command line that repeats a piece ("aaaa...", "abab...") looks it up
 * once, not once per repetition.
 */
static void add_grams(const struct cimon_rule_index *ix, const char *s,
		      unsigned long *candidates)
{
	u32 recent[RECENT_GRAMS] = { 0 }, gram;
	size_t i, len = strlen(s);
	unsigned int n = 0, k;

	for (i = 0; i + CIMON_GRAM_LEN <= len; i++) {
		gram = get_unaligned((const u32 *)(s + i));
		if (!test_bit(gram_hash(gram), ix->gram_filter))
			continue;
		for (k = 0; k < min_t(unsigned int, n, RECENT_GRAMS); k++)
			if (recent[k] == gram)
				break;
		if (k < min_t(unsigned int, n, RECENT_GRAMS))
			continue;
		recent[n++ % RECENT_GRAMS] = gram;
		add_gram(ix, gram, candidates);
	}
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
		if (index_fields[f] == CIMON_FIELD_PROC_EXEPATH &&
		    ctx->exe_partial) {
			bitmap_or(candidates, candidates, ix->exepath_filed,
				  set->count);
			continue;
		}
		value = cimon_match_string(ctx, index_fields[f]);
		if (value)
			add_filed(ix->entries[f], ix->count[f], value,
				  candidates);
	}
	if (ix->gram_count) {
		value = cimon_match_string(ctx, CIMON_FIELD_PROC_CMDLINE);
		if (value)
			add_grams(ix, value, candidates);
	}
}
