/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small libnl client of the cimon generic netlink family for the guest
 * tests: send one request, get the kernel's error and extack message.
 */
#ifndef CIMON_TESTS_GENL_H
#define CIMON_TESTS_GENL_H

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>

#include "cimon.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct genl {
	struct nl_sock *sock;
	int family;
	int error;		/* errno of the last request, 0 if it worked */
	char message[256];	/* the kernel's extack message, if any */
};

static inline int genl_open(struct genl *g)
{
	int one = 1;

	memset(g, 0, sizeof(*g));
	g->sock = nl_socket_alloc();
	if (!g->sock || genl_connect(g->sock))
		return -1;
	setsockopt(nl_socket_get_fd(g->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	g->family = genl_ctrl_resolve(g->sock, CIMON_GENL_NAME);
	return g->family < 0 ? -1 : 0;
}

static inline void genl_close(struct genl *g)
{
	nl_socket_free(g->sock);
}

static inline int genl_on_error(struct sockaddr_nl *who, struct nlmsgerr *err,
				void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct genl *g = arg;
	int off = sizeof(*nlh) + sizeof(*err);

	(void)who;
	g->error = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < (int)nlh->nlmsg_len &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		       nlh->nlmsg_len - off, NULL) && tb[NLMSGERR_ATTR_MSG])
		snprintf(g->message, sizeof(g->message), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static inline int genl_on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 1;
	return NL_STOP;
}

/*
 * Send @msg (built with genl_new()) and wait for the answer: the ack, or
 * for a dump the end of it; @on_reply (optional) sees each reply.
 * Returns 0 or the kernel's errno.
 */
static inline int genl_call(struct genl *g, struct nl_msg *msg, int dump,
			    nl_recvmsg_msg_cb_t on_reply, void *arg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int done = 0, ret;

	g->error = 0;
	g->message[0] = '\0';
	nl_cb_err(cb, NL_CB_CUSTOM, genl_on_error, g);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, genl_on_ack, &done);
	if (on_reply)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, arg);
	ret = nl_send_auto(g->sock, msg);
	nlmsg_free(msg);
	if (ret >= 0 && dump)
		ret = nl_recvmsgs(g->sock, cb);
	while (ret >= 0 && !dump && !done && !g->error)
		ret = nl_recvmsgs(g->sock, cb);
	nl_cb_put(cb);
	if (g->error)
		return g->error;
	return ret < 0 ? EIO : 0;
}

static inline struct nl_msg *genl_new(struct genl *g, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0,
		    flags ? flags : NLM_F_ACK, cmd, CIMON_GENL_VERSION);
	return msg;
}

#endif /* CIMON_TESTS_GENL_H */
