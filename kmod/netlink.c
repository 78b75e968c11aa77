// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the generic netlink family "cimon": status, rule sets, mode.
 *
 * Every attribute is checked against a strict policy before a handler
 * sees it, every program is verified before it is stored, and a rule set
 * becomes active only whole: RULES_BEGIN opens a pending set for one
 * socket, RULES_ADD appends verified rules to it, RULES_COMMIT with the
 * right count swaps it in.  Changing anything takes CAP_NET_ADMIN.
 */

#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "cimon.h"
#include "rules.h"

static struct genl_family cimon_family;

static atomic_t mode = ATOMIC_INIT(CIMON_MODE_MONITOR);

/* The set being loaded, and the socket loading it. */
static DEFINE_MUTEX(pending_lock);
static struct cimon_ruleset *pending;	/* protected by pending_lock */
static u32 pending_portid;		/* protected by pending_lock */

/* Event types a rule may name: every type but CIMON_EVENT_LOST. */
/* Rules run on events; LOST, MISSED and TAMPER are the module's own. */
#define RULE_EVENTS_VALID \
	(GENMASK(CIMON_EVENT_KMEM_OPEN, 0) & ~(BIT(0) | BIT(CIMON_EVENT_LOST)))

static const struct nla_policy rule_policy[CIMON_A_RULE_MAX + 1] = {
	[CIMON_A_RULE_NAME] = { .type = NLA_NUL_STRING,
				.len = CIMON_RULE_NAME_MAX - 1 },
	[CIMON_A_RULE_PRIORITY] = NLA_POLICY_MAX(NLA_U8,
						 CIMON_PRIORITY_DEBUG),
	[CIMON_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U8, CIMON_ACTION_BLOCK),
	[CIMON_A_RULE_EVENTS] = NLA_POLICY_MASK(NLA_U32, RULE_EVENTS_VALID),
	[CIMON_A_RULE_PROGRAM] = { .type = NLA_BINARY,
				   .len = CIMON_RULE_INSNS_MAX *
					  sizeof(struct cimon_insn) },
	[CIMON_A_RULE_STRINGS] = { .type = NLA_BINARY,
				   .len = CIMON_RULE_STRTAB_MAX },
	[CIMON_A_RULE_OUTPUT] = { .type = NLA_NUL_STRING,
				  .len = CIMON_RULE_OUTPUT_MAX - 1 },
	[CIMON_A_RULE_TAGS] = { .type = NLA_NUL_STRING,
				.len = CIMON_RULE_TAGS_MAX - 1 },
	[CIMON_A_RULE_ENV_KEYS] = { .type = NLA_BINARY,
				    .len = CIMON_ENV_KEYS_MAX *
					   CIMON_RULE_STR_MAX },
};

static const struct nla_policy cimon_policy[CIMON_A_MAX + 1] = {
	[CIMON_A_MODE] = NLA_POLICY_MAX(NLA_U32, CIMON_MODE_ENFORCE),
	[CIMON_A_RULES_COUNT] = NLA_POLICY_MAX(NLA_U32, CIMON_RULES_MAX),
	[CIMON_A_RULE] = NLA_POLICY_NESTED(rule_policy),
};

/**
 * cimon_mode_get() - the current mode
 */
enum cimon_mode cimon_mode_get(void)
{
	return atomic_read(&mode);
}

/**
 * cimon_mode_set() - the mode at load
 * @new: enum cimon_mode
 */
void cimon_mode_set(enum cimon_mode new)
{
	atomic_set(&mode, new);
}

/* A locked cimon refuses, reports the attempt, says why. */
static int refuse_locked(struct genl_info *info, u32 what)
{
	cimon_tamper(what);
	NL_SET_ERR_MSG(info->extack, "cimon is locked until reboot");
	return -EPERM;
}

/* GENL_REQ_ATTR_CHECK() is 6.1's; this works on older kernels too. */
#define require_attr(info, attr) ({					\
	struct genl_info *__info = (info);				\
	int __ret = 0;							\
	if (!__info->attrs[attr]) {					\
		NL_SET_ERR_MSG(__info->extack, "missing " #attr);	\
		__ret = -EINVAL;					\
	}								\
	__ret;								\
})

static void notify(u8 cmd, u32 generation)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &cimon_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(skb, CIMON_A_RULES_GENERATION, generation) ||
	    nla_put_u32(skb, CIMON_A_MODE, atomic_read(&mode))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&cimon_family, skb, 0, 0, GFP_KERNEL);
}

static int status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cimon_ruleset *set;
	u32 count = 0, generation = 0;
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	set = cimon_ruleset_get();
	if (set) {
		count = set->count;
		generation = set->generation;
	}
	rcu_read_unlock();

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &cimon_family, 0, CIMON_CMD_STATUS);
	if (!hdr ||
	    nla_put_u32(msg, CIMON_A_ABI_VERSION, CIMON_ABI_VERSION) ||
	    nla_put_u32(msg, CIMON_A_MODE, atomic_read(&mode)) ||
	    nla_put_u64_64bit(msg, CIMON_A_EVENTS, cimon_ring_written(),
			      CIMON_A_PAD) ||
	    nla_put_u64_64bit(msg, CIMON_A_DROPPED,
			      atomic64_read(&cimon_counters.dropped),
			      CIMON_A_PAD) ||
	    nla_put_u64_64bit(msg, CIMON_A_LOST,
			      atomic64_read(&cimon_counters.lost), CIMON_A_PAD) ||
	    nla_put_u64_64bit(msg, CIMON_A_PROBE_MISSES,
			      cimon_probe_misses(), CIMON_A_PAD) ||
	    nla_put_u32(msg, CIMON_A_READERS,
			atomic_read(&cimon_counters.readers)) ||
	    nla_put_u32(msg, CIMON_A_RULES_COUNT, count) ||
	    nla_put_u32(msg, CIMON_A_RULES_GENERATION, generation) ||
	    nla_put_u8(msg, CIMON_A_LOCKED, cimon_locked())) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int rules_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cimon_ruleset *set;

	if (cimon_locked())
		return refuse_locked(info, CIMON_TAMPER_RULES);
	set = cimon_ruleset_alloc(CIMON_RULES_MAX);
	if (!set)
		return -ENOMEM;
	mutex_lock(&pending_lock);
	/* A load left unfinished by another socket is abandoned. */
	cimon_ruleset_free(pending);
	pending = set;
	pending_portid = info->snd_portid;
	mutex_unlock(&pending_lock);
	return 0;
}

/* Copy a verified rule out of its attributes into @rule. */
static int rule_fill(struct cimon_rule *rule, struct nlattr **tb,
		     struct netlink_ext_ack *extack)
{
	u32 prog_len = nla_len(tb[CIMON_A_RULE_PROGRAM]);
	u32 str_len = tb[CIMON_A_RULE_STRINGS] ?
		      nla_len(tb[CIMON_A_RULE_STRINGS]) : 0;
	int ret;

	if (prog_len % sizeof(struct cimon_insn)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CIMON_A_RULE_PROGRAM],
				    "program is not whole instructions");
		return -EINVAL;
	}
	rule->count = prog_len / sizeof(struct cimon_insn);
	rule->insns = kvmalloc(prog_len, GFP_KERNEL);
	rule->strtab = kmalloc(max_t(u32, str_len, 1), GFP_KERNEL);
	rule->name = nla_strdup(tb[CIMON_A_RULE_NAME], GFP_KERNEL);
	rule->output = tb[CIMON_A_RULE_OUTPUT] ?
		       nla_strdup(tb[CIMON_A_RULE_OUTPUT], GFP_KERNEL) :
		       kstrdup("", GFP_KERNEL);
	rule->tags = tb[CIMON_A_RULE_TAGS] ?
		     nla_strdup(tb[CIMON_A_RULE_TAGS], GFP_KERNEL) :
		     kstrdup("", GFP_KERNEL);
	if (!rule->insns || !rule->strtab || !rule->name || !rule->output ||
	    !rule->tags)
		return -ENOMEM;
	nla_memcpy(rule->insns, tb[CIMON_A_RULE_PROGRAM], prog_len);
	if (str_len)
		nla_memcpy(rule->strtab, tb[CIMON_A_RULE_STRINGS], str_len);
	rule->strtab_len = str_len;
	if (tb[CIMON_A_RULE_ENV_KEYS] && nla_len(tb[CIMON_A_RULE_ENV_KEYS])) {
		rule->env_keys = nla_memdup(tb[CIMON_A_RULE_ENV_KEYS],
					    GFP_KERNEL);
		if (!rule->env_keys)
			return -ENOMEM;
		rule->env_keys_len = nla_len(tb[CIMON_A_RULE_ENV_KEYS]);
		ret = cimon_rule_env_keys_verify(rule->env_keys,
						 rule->env_keys_len, extack);
		if (ret) {
			NL_SET_BAD_ATTR(extack, tb[CIMON_A_RULE_ENV_KEYS]);
			return ret;
		}
	}

	/* Verify the copy: userspace cannot change it after this. */
	ret = cimon_rule_verify(rule->insns, rule->count, rule->strtab,
				rule->strtab_len, extack);
	if (ret)
		return ret;
	rule->events = nla_get_u32(tb[CIMON_A_RULE_EVENTS]);
	rule->priority = tb[CIMON_A_RULE_PRIORITY] ?
			 nla_get_u8(tb[CIMON_A_RULE_PRIORITY]) :
			 CIMON_PRIORITY_WARNING;
	rule->action = tb[CIMON_A_RULE_ACTION] ?
		       nla_get_u8(tb[CIMON_A_RULE_ACTION]) :
		       CIMON_ACTION_ALERT;
	atomic64_set(&rule->hits, 0);
	return 0;
}

static int rules_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[CIMON_A_RULE_MAX + 1];
	struct cimon_rule *rule;
	int ret;

	if (cimon_locked()) {
		NL_SET_ERR_MSG(extack, "cimon is locked until reboot");
		return -EPERM;
	}
	ret = require_attr(info, CIMON_A_RULE);
	if (ret)
		return ret;
	ret = nla_parse_nested(tb, CIMON_A_RULE_MAX, info->attrs[CIMON_A_RULE],
			       rule_policy, extack);
	if (ret)
		return ret;
	if (!tb[CIMON_A_RULE_NAME] || !tb[CIMON_A_RULE_PROGRAM] ||
	    !tb[CIMON_A_RULE_EVENTS]) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[CIMON_A_RULE],
				    "a rule needs a name, a program and events");
		return -EINVAL;
	}

	mutex_lock(&pending_lock);
	if (!pending || pending_portid != info->snd_portid) {
		NL_SET_ERR_MSG(extack, "no rule set being loaded by this socket");
		ret = -ENOENT;
		goto out;
	}
	if (pending->count == pending->capacity) {
		NL_SET_ERR_MSG(extack, "too many rules");
		ret = -E2BIG;
		goto out;
	}
	rule = &pending->rules[pending->count];
	ret = rule_fill(rule, tb, extack);
	if (ret) {
		/* Keep the set free of half-built rules. */
		cimon_rule_free(rule);
		goto out;
	}
	pending->count++;
out:
	mutex_unlock(&pending_lock);
	return ret;
}

static int rules_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct cimon_ruleset *set;
	u32 generation;
	int ret;

	/* A load begun before the lock does not finish after it. */
	if (cimon_locked())
		return refuse_locked(info, CIMON_TAMPER_RULES);
	if (require_attr(info, CIMON_A_RULES_COUNT))
		return -EINVAL;
	mutex_lock(&pending_lock);
	set = pending;
	if (!set || pending_portid != info->snd_portid) {
		mutex_unlock(&pending_lock);
		NL_SET_ERR_MSG(extack, "no rule set being loaded by this socket");
		return -ENOENT;
	}
	if (nla_get_u32(info->attrs[CIMON_A_RULES_COUNT]) != set->count) {
		mutex_unlock(&pending_lock);
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[CIMON_A_RULES_COUNT],
				    "rule count does not match the rules added");
		return -EINVAL;
	}
	pending = NULL;
	mutex_unlock(&pending_lock);

	ret = cimon_ruleset_prepare(set, extack);
	if (ret) {
		cimon_ruleset_free(set);
		return ret;
	}
	generation = cimon_ruleset_replace(set);
	pr_info("rule set %u loaded: %u rules\n", generation, set->count);
	notify(CIMON_CMD_RULES_CHANGED, generation);
	return 0;
}

static int rule_put(struct sk_buff *skb, const struct cimon_rule *rule,
		    u32 id)
{
	struct nlattr *nest = nla_nest_start(skb, CIMON_A_RULE);

	if (!nest ||
	    nla_put_u32(skb, CIMON_A_RULE_ID, id) ||
	    nla_put_string(skb, CIMON_A_RULE_NAME, rule->name) ||
	    nla_put_u8(skb, CIMON_A_RULE_PRIORITY, rule->priority) ||
	    nla_put_u8(skb, CIMON_A_RULE_ACTION, rule->action) ||
	    nla_put_u32(skb, CIMON_A_RULE_EVENTS, rule->events) ||
	    nla_put_string(skb, CIMON_A_RULE_OUTPUT, rule->output) ||
	    nla_put_string(skb, CIMON_A_RULE_TAGS, rule->tags) ||
	    nla_put_u64_64bit(skb, CIMON_A_RULE_HITS,
			      atomic64_read(&rule->hits), CIMON_A_RULE_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One message per rule; cb->args[0] is the next rule's id. */
static int rules_list_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cimon_ruleset *set;
	u32 id = cb->args[0];
	void *hdr;

	rcu_read_lock();
	set = cimon_ruleset_get();
	if (!set)
		goto out;
	/* A dump that spans a replacement is flagged NLM_F_DUMP_INTR. */
	cb->seq = set->generation;
	for (; id < set->count; id++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cimon_family,
				  NLM_F_MULTI, CIMON_CMD_RULES_LIST);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(skb, CIMON_A_RULES_GENERATION,
				set->generation) ||
		    rule_put(skb, &set->rules[id], id)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
out:
	rcu_read_unlock();
	cb->args[0] = id;
	return skb->len;
}

static int set_mode_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 generation = 0, new;
	struct cimon_ruleset *set;

	if (require_attr(info, CIMON_A_MODE))
		return -EINVAL;
	new = nla_get_u32(info->attrs[CIMON_A_MODE]);
	if (cimon_locked() && new < atomic_read(&mode))
		return refuse_locked(info, CIMON_TAMPER_MODE);
	atomic_set(&mode, new);
	rcu_read_lock();
	set = cimon_ruleset_get();
	if (set)
		generation = set->generation;
	rcu_read_unlock();
	notify(CIMON_CMD_SET_MODE, generation);
	return 0;
}

static int lock_doit(struct sk_buff *skb, struct genl_info *info)
{
	cimon_lock();
	return 0;
}

static const struct genl_ops cimon_ops[] = {
	{
		.cmd = CIMON_CMD_STATUS,
		.doit = status_doit,
	},
	{
		.cmd = CIMON_CMD_RULES_BEGIN,
		.doit = rules_begin_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CIMON_CMD_RULES_ADD,
		.doit = rules_add_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CIMON_CMD_RULES_COMMIT,
		.doit = rules_commit_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CIMON_CMD_RULES_LIST,
		.dumpit = rules_list_dumpit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CIMON_CMD_SET_MODE,
		.doit = set_mode_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CIMON_CMD_LOCK,
		.doit = lock_doit,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group cimon_mcgrps[] = {
	{ .name = CIMON_GENL_MCGRP },
};

static struct genl_family cimon_family = {
	.name = CIMON_GENL_NAME,
	.version = CIMON_GENL_VERSION,
	.maxattr = CIMON_A_MAX,
	.policy = cimon_policy,
	.module = THIS_MODULE,
	.ops = cimon_ops,
	.n_ops = ARRAY_SIZE(cimon_ops),
	.mcgrps = cimon_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cimon_mcgrps),
};

/**
 * cimon_netlink_init() - register the family
 *
 * Return: 0 or the error of genl_register_family().
 */
int cimon_netlink_init(void)
{
	return genl_register_family(&cimon_family);
}

/**
 * cimon_netlink_exit() - unregister the family and drop a pending set
 */
void cimon_netlink_exit(void)
{
	genl_unregister_family(&cimon_family);
	mutex_lock(&pending_lock);
	cimon_ruleset_free(pending);
	pending = NULL;
	mutex_unlock(&pending_lock);
}
