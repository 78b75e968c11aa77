// SPDX-License-Identifier: GPL-2.0
/*
 * The cimon generic netlink family through libnl-genl-3.  libnl builds,
 * sends, receives and parses; this file only knows cimon's commands and
 * asks the kernel for its extended ack, so that a refused rule comes back
 * with the kernel's reason.
 */
#include <errno.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "nl.h"
#include "rules/rules.h"
#include "uapi/cimon.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct cimon_nl {
	struct nl_sock *sock;
	int family;
	int error;		/* errno from the kernel's answer */
	int acked;
	char message[256];	/* the kernel's reason, if it gave one */
};

struct cimon_nl *cimon_nl_open(void)
{
	struct cimon_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl)
		return NULL;
	nl->sock = nl_socket_alloc();
	if (!nl->sock || genl_connect(nl->sock)) {
		cimon_nl_close(nl);
		errno = EIO;
		return NULL;
	}
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sock, CIMON_GENL_NAME);
	if (nl->family < 0) {
		cimon_nl_close(nl);
		errno = ENOENT;
		return NULL;
	}
	return nl;
}

void cimon_nl_close(struct cimon_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sock);
	free(nl);
}

const char *cimon_nl_error(const struct cimon_nl *nl)
{
	return nl->message;
}

/* An NLMSG_ERROR: keep the errno and the extack message. */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct cimon_nl *nl = arg;
	int off = sizeof(*nlh) + sizeof(*err);

	(void)who;
	nl->error = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    off < (int)nlh->nlmsg_len &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX,
		       (struct nlattr *)((char *)nlh + off),
		       nlh->nlmsg_len - off, NULL) &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->message, sizeof(nl->message), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct cimon_nl *)arg)->acked = 1;
	return NL_STOP;
}

static struct nl_msg *request(struct cimon_nl *nl, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, CIMON_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/*
 * Send @msg (freed here) and read the answer: for a dump until its end,
 * otherwise until the ack; @on_reply sees each reply message.
 */
static int call(struct cimon_nl *nl, struct nl_msg *msg, bool dump,
		nl_recvmsg_msg_cb_t on_reply, void *arg)
{
	struct nl_cb *cb;
	int ret;

	if (!msg)
		return ENOMEM;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return ENOMEM;
	}
	nl->error = 0;
	nl->acked = 0;
	nl->message[0] = '\0';
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, nl);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, nl);
	if (on_reply)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, arg);
	ret = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (ret >= 0 && dump)
		ret = nl_recvmsgs(nl->sock, cb);
	while (ret >= 0 && !dump && !nl->acked && !nl->error)
		ret = nl_recvmsgs(nl->sock, cb);
	nl_cb_put(cb);
	if (nl->error)
		return nl->error;
	return ret < 0 ? EIO : 0;
}

static int on_status(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CIMON_A_MAX + 1];
	struct cimon_nl_status *st = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CIMON_A_MAX, NULL))
		return NL_SKIP;
#define U32(a, f) do { if (tb[a]) st->f = nla_get_u32(tb[a]); } while (0)
#define U64(a, f) do { if (tb[a]) st->f = nla_get_u64(tb[a]); } while (0)
	U32(CIMON_A_ABI_VERSION, abi_version);
	U32(CIMON_A_MODE, mode);
	U32(CIMON_A_READERS, readers);
	U32(CIMON_A_RULES_COUNT, rules);
	U32(CIMON_A_RULES_GENERATION, generation);
	U64(CIMON_A_EVENTS, events);
	U64(CIMON_A_DROPPED, dropped);
	U64(CIMON_A_LOST, lost);
	U64(CIMON_A_PROBE_MISSES, probe_misses);
	if (tb[CIMON_A_LOCKED])
		st->locked = !!nla_get_u8(tb[CIMON_A_LOCKED]);
#undef U32
#undef U64
	return NL_OK;
}

int cimon_nl_status(struct cimon_nl *nl, struct cimon_nl_status *st)
{
	memset(st, 0, sizeof(*st));
	st->locked = -1;
	return call(nl, request(nl, CIMON_CMD_STATUS, NLM_F_ACK), false,
		    on_status, st);
}

int cimon_nl_set_mode(struct cimon_nl *nl, uint32_t mode)
{
	struct nl_msg *msg = request(nl, CIMON_CMD_SET_MODE, NLM_F_ACK);

	if (msg && nla_put_u32(msg, CIMON_A_MODE, mode)) {
		nlmsg_free(msg);
		return EMSGSIZE;
	}
	return call(nl, msg, false, NULL, NULL);
}

int cimon_nl_lock(struct cimon_nl *nl)
{
	return call(nl, request(nl, CIMON_CMD_LOCK, NLM_F_ACK), false, NULL,
		    NULL);
}

static int add_rule(struct cimon_nl *nl, const struct cimon_rule *r)
{
	struct nl_msg *msg = nlmsg_alloc_size(4096 +
					      r->ninsns * sizeof(*r->insns) +
					      r->strtab_len + r->env_keys_len +
					      strlen(r->output));
	struct nlattr *nest;

	if (!msg)
		return ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_ACK, CIMON_CMD_RULES_ADD, CIMON_GENL_VERSION))
		goto too_big;
	nest = nla_nest_start(msg, CIMON_A_RULE);
	if (!nest ||
	    nla_put_string(msg, CIMON_A_RULE_NAME, r->name) ||
	    nla_put_u8(msg, CIMON_A_RULE_PRIORITY, r->priority) ||
	    nla_put_u8(msg, CIMON_A_RULE_ACTION, r->action) ||
	    nla_put_u32(msg, CIMON_A_RULE_EVENTS, r->events) ||
	    nla_put(msg, CIMON_A_RULE_PROGRAM,
		    r->ninsns * sizeof(*r->insns), r->insns) ||
	    (r->strtab_len &&
	     nla_put(msg, CIMON_A_RULE_STRINGS, r->strtab_len, r->strtab)) ||
	    nla_put_string(msg, CIMON_A_RULE_OUTPUT, r->output) ||
	    nla_put_string(msg, CIMON_A_RULE_TAGS, r->tags) ||
	    (r->env_keys_len &&
	     nla_put(msg, CIMON_A_RULE_ENV_KEYS, r->env_keys_len,
		     r->env_keys)))
		goto too_big;
	nla_nest_end(msg, nest);
	return call(nl, msg, false, NULL, NULL);

too_big:
	nlmsg_free(msg);
	return EMSGSIZE;
}

int cimon_nl_load(struct cimon_nl *nl, const struct cimon_ruleset *set,
		  size_t *bad)
{
	struct nl_msg *msg;
	uint32_t count = 0;
	size_t i;
	int ret;

	*bad = SIZE_MAX;	/* no one rule refused, unless one is */
	ret = call(nl, request(nl, CIMON_CMD_RULES_BEGIN, NLM_F_ACK), false,
		   NULL, NULL);
	if (ret)
		return ret;
	for (i = 0; i < set->nrules; i++) {
		if (!set->rules[i].enabled)
			continue;
		ret = add_rule(nl, &set->rules[i]);
		if (ret) {
			*bad = i;
			return ret;
		}
		count++;
	}
	msg = request(nl, CIMON_CMD_RULES_COMMIT, NLM_F_ACK);
	if (msg && nla_put_u32(msg, CIMON_A_RULES_COUNT, count)) {
		nlmsg_free(msg);
		return EMSGSIZE;
	}
	return call(nl, msg, false, NULL, NULL);
}

struct rules_walk {
	int (*fn)(const struct cimon_nl_rule *rule, void *arg);
	void *arg;
	int stopped;
};

static int on_rule(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CIMON_A_MAX + 1], *rt[CIMON_A_RULE_MAX + 1];
	struct rules_walk *walk = arg;
	struct cimon_nl_rule rule = { 0 };

	if (walk->stopped ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, CIMON_A_MAX, NULL) ||
	    !tb[CIMON_A_RULE] ||
	    nla_parse_nested(rt, CIMON_A_RULE_MAX, tb[CIMON_A_RULE], NULL) ||
	    !rt[CIMON_A_RULE_ID] || !rt[CIMON_A_RULE_NAME])
		return NL_SKIP;
	rule.id = nla_get_u32(rt[CIMON_A_RULE_ID]);
	rule.name = nla_get_string(rt[CIMON_A_RULE_NAME]);
	rule.output = rt[CIMON_A_RULE_OUTPUT] ?
		      nla_get_string(rt[CIMON_A_RULE_OUTPUT]) : "";
	rule.tags = rt[CIMON_A_RULE_TAGS] ?
		    nla_get_string(rt[CIMON_A_RULE_TAGS]) : "";
	if (rt[CIMON_A_RULE_EVENTS])
		rule.events = nla_get_u32(rt[CIMON_A_RULE_EVENTS]);
	if (rt[CIMON_A_RULE_PRIORITY])
		rule.priority = nla_get_u8(rt[CIMON_A_RULE_PRIORITY]);
	if (rt[CIMON_A_RULE_ACTION])
		rule.action = nla_get_u8(rt[CIMON_A_RULE_ACTION]);
	if (rt[CIMON_A_RULE_HITS])
		rule.hits = nla_get_u64(rt[CIMON_A_RULE_HITS]);
	if (tb[CIMON_A_RULES_GENERATION])
		rule.generation = nla_get_u32(tb[CIMON_A_RULES_GENERATION]);
	if (walk->fn(&rule, walk->arg))
		walk->stopped = 1;
	return NL_OK;
}

int cimon_nl_rules(struct cimon_nl *nl,
		   int (*fn)(const struct cimon_nl_rule *rule, void *arg),
		   void *arg)
{
	struct rules_walk walk = { fn, arg, 0 };

	return call(nl, request(nl, CIMON_CMD_RULES_LIST, NLM_F_DUMP), true,
		    on_rule, &walk);
}
