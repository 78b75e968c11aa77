// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: status for anyone, rule sets loaded whole
 * or not at all by root only, every malformed program refused with a
 * reason, and a loaded set deciding what reaches /dev/cimon.
 *
 * Programs are built by hand here, as a hostile client would.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "feed.h"
#include "genl.h"
#include "kselftest_harness.h"

#define WAIT_MS 3000
#define NO_KEY CIMON_NO_KEY

struct rule {
	const char *name;
	unsigned int events;
	const struct cimon_insn *insns;
	int count;
	const char *strtab;
	int strtab_len;
	int prog_len;		/* bytes to send; 0: count instructions */
};

static int add_rule(struct genl *g, const struct rule *r)
{
	struct nl_msg *msg = genl_new(g, CIMON_CMD_RULES_ADD, 0);
	struct nlattr *nest = nla_nest_start(msg, CIMON_A_RULE);

	if (r->name)
		nla_put_string(msg, CIMON_A_RULE_NAME, r->name);
	nla_put_u32(msg, CIMON_A_RULE_EVENTS, r->events);
	nla_put(msg, CIMON_A_RULE_PROGRAM,
		r->prog_len ? r->prog_len : r->count * (int)sizeof(*r->insns),
		r->insns);
	if (r->strtab_len)
		nla_put(msg, CIMON_A_RULE_STRINGS, r->strtab_len, r->strtab);
	nla_put_string(msg, CIMON_A_RULE_OUTPUT, "%proc.name read %fd.name");
	nla_put_string(msg, CIMON_A_RULE_TAGS, "CI/CD,test");
	nla_put_u8(msg, CIMON_A_RULE_PRIORITY, CIMON_PRIORITY_WARNING);
	nla_nest_end(msg, nest);
	return genl_call(g, msg, 0, NULL, NULL);
}

static int simple(struct genl *g, int cmd)
{
	return genl_call(g, genl_new(g, cmd, 0), 0, NULL, NULL);
}

static int commit(struct genl *g, unsigned int count)
{
	struct nl_msg *msg = genl_new(g, CIMON_CMD_RULES_COMMIT, 0);

	nla_put_u32(msg, CIMON_A_RULES_COUNT, count);
	return genl_call(g, msg, 0, NULL, NULL);
}

struct status {
	unsigned int abi, rules, generation, mode;
	int seen;
};

static int on_status(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CIMON_A_MAX + 1];
	struct status *st = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CIMON_A_MAX, NULL))
		return NL_SKIP;
	st->seen = 1;
	if (tb[CIMON_A_ABI_VERSION])
		st->abi = nla_get_u32(tb[CIMON_A_ABI_VERSION]);
	if (tb[CIMON_A_RULES_COUNT])
		st->rules = nla_get_u32(tb[CIMON_A_RULES_COUNT]);
	if (tb[CIMON_A_RULES_GENERATION])
		st->generation = nla_get_u32(tb[CIMON_A_RULES_GENERATION]);
	if (tb[CIMON_A_MODE])
		st->mode = nla_get_u32(tb[CIMON_A_MODE]);
	return NL_OK;
}

static int status(struct genl *g, struct status *st)
{
	memset(st, 0, sizeof(*st));
	return genl_call(g, genl_new(g, CIMON_CMD_STATUS, 0), 0, on_status,
			 st);
}

/* target.name = "Runner.Worker" */
static const char strtab[] = "Runner.Worker\0/proc/";
static const struct cimon_insn is_runner[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_TARGET_NAME,
	  .cmp = CIMON_CMP_EQ, .key = NO_KEY, .arg = 0 },
};

FIXTURE(rules) {
	struct genl g;
	int feed;
	pid_t target;
	char mem[64], environ[64];
};

FIXTURE_SETUP(rules)
{
	ASSERT_EQ(0, genl_open(&self->g)) TH_LOG("no cimon genl family");
	self->feed = feed_open();
	ASSERT_LE(0, self->feed);
	self->target = target_start();
	ASSERT_LT(0, self->target);
	snprintf(self->mem, sizeof(self->mem), "/proc/%d/mem", self->target);
	snprintf(self->environ, sizeof(self->environ), "/proc/%d/environ",
		 self->target);
}

/* Leave the module as the other tests expect it: no set loaded. */
static void reload(struct __test_metadata *_metadata, const char *params)
{
	int fd = open(getenv("CIMON_MODULE") ? getenv("CIMON_MODULE") :
		      MODULE_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, cimon_unload());
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, params, 0));
	close(fd);
}

FIXTURE_TEARDOWN(rules)
{
	target_stop(self->target);
	close(self->feed);
	genl_close(&self->g);
	reload(_metadata, TEST_MODARGS);
}

static void touch(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0)
		close(fd);
}

TEST_F(rules, status_answers)
{
	struct status st;

	ASSERT_EQ(0, status(&self->g, &st));
	EXPECT_TRUE(st.seen);
	EXPECT_EQ(CIMON_ABI_VERSION, st.abi);
	EXPECT_EQ(CIMON_MODE_MONITOR, st.mode);
}

TEST_F(rules, a_loaded_set_decides_what_is_reported)
{
	struct rule r = { "Runner memory", 1U << CIMON_EVENT_MEM_OPEN,
			  is_runner, 1, strtab, sizeof(strtab), 0 };
	struct cimon_event ev;
	struct status st;
	pid_t other;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &r)) TH_LOG("%s", self->g.message);
	ASSERT_EQ(0, commit(&self->g, 1)) TH_LOG("%s", self->g.message);
	ASSERT_EQ(0, status(&self->g, &st));
	EXPECT_EQ(1U, st.rules);
	EXPECT_LT(0U, st.generation);
	feed_drain(self->feed);

	/* environ is not in the rule's events: filtered before the pool. */
	touch(self->environ);
	touch(self->mem);
	ASSERT_EQ(1, feed_next(self->feed, &ev, WAIT_MS));
	EXPECT_EQ(CIMON_EVENT_MEM_OPEN, ev.type);
	EXPECT_EQ(0U, ev.rule_id);
	EXPECT_EQ(st.generation, ev.rules_generation);
	EXPECT_STREQ(self->mem, ev.file);

	/* A process not named Runner.Worker does not match. */
	other = fork();
	if (other == 0) {
		prctl(PR_SET_NAME, "innocent");
		for (;;)
			pause();
	}
	snprintf(self->mem, sizeof(self->mem), "/proc/%d/mem", other);
	touch(self->mem);
	EXPECT_EQ(0, feed_next(self->feed, &ev, 500));
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
}

TEST_F(rules, an_empty_set_reports_nothing)
{
	struct cimon_event ev;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, commit(&self->g, 0));
	feed_drain(self->feed);
	touch(self->mem);
	EXPECT_EQ(0, feed_next(self->feed, &ev, 500));
}

struct listed {
	char name[CIMON_RULE_NAME_MAX];
	unsigned long long hits;
	int count;
};

static int on_rule(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CIMON_A_MAX + 1], *rt[CIMON_A_RULE_MAX + 1];
	struct listed *l = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CIMON_A_MAX, NULL) ||
	    !tb[CIMON_A_RULE] ||
	    nla_parse_nested(rt, CIMON_A_RULE_MAX, tb[CIMON_A_RULE], NULL))
		return NL_SKIP;
	l->count++;
	if (rt[CIMON_A_RULE_NAME])
		snprintf(l->name, sizeof(l->name), "%s",
			 nla_get_string(rt[CIMON_A_RULE_NAME]));
	if (rt[CIMON_A_RULE_HITS])
		l->hits = nla_get_u64(rt[CIMON_A_RULE_HITS]);
	return NL_OK;
}

TEST_F(rules, list_shows_rules_and_hits)
{
	struct rule r = { "Runner memory", 1U << CIMON_EVENT_MEM_OPEN,
			  is_runner, 1, strtab, sizeof(strtab), 0 };
	struct listed l = { 0 };
	int i;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &r));
	ASSERT_EQ(0, commit(&self->g, 1));
	for (i = 0; i < 3; i++)
		touch(self->mem);
	usleep(300000);
	ASSERT_EQ(0, genl_call(&self->g, genl_new(&self->g,
			       CIMON_CMD_RULES_LIST, NLM_F_DUMP), 1,
			       on_rule, &l));
	EXPECT_EQ(1, l.count);
	EXPECT_STREQ("Runner memory", l.name);
	EXPECT_EQ(3ULL, l.hits);
}

/* A set replaced whole or not at all: a bad count changes nothing. */
TEST_F(rules, commit_is_all_or_nothing)
{
	struct rule r = { "Runner memory", 1U << CIMON_EVENT_MEM_OPEN,
			  is_runner, 1, strtab, sizeof(strtab), 0 };
	struct status before, after;

	ASSERT_EQ(0, status(&self->g, &before));
	ASSERT_EQ(ENOENT, add_rule(&self->g, &r));	/* no BEGIN */
	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &r));
	EXPECT_EQ(EINVAL, commit(&self->g, 2));
	EXPECT_NE(NULL, strstr(self->g.message, "count"));
	ASSERT_EQ(0, status(&self->g, &after));
	EXPECT_EQ(before.generation, after.generation);
	EXPECT_EQ(before.rules, after.rules);
	/* Another socket cannot finish this socket's load. */
	{
		struct genl other;

		ASSERT_EQ(0, genl_open(&other));
		EXPECT_EQ(ENOENT, commit(&other, 1));
		genl_close(&other);
	}
}

struct bad {
	const char *why;
	struct cimon_insn insns[4];
	int count;
	int prog_len;
	unsigned int events;
	const char *strtab;
	int strtab_len;
	const char *message;	/* part of the extack message */
};

static const struct bad bads[] = {
	{ "unknown op", { { .op = 99, .key = NO_KEY } }, 1, 0, 0, NULL, 0,
	  "unknown instruction" },
	{ "unknown field", { { .op = CIMON_OP_TEST, .field = 200,
	  .cmp = CIMON_CMP_EQ, .key = NO_KEY } }, 1, 0, 0, NULL, 0,
	  "unknown field" },
	{ "unknown comparison", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_PID, .cmp = 77, .key = NO_KEY } }, 1, 0,
	  0, NULL, 0, "unknown comparison" },
	{ "jump past the end", { { .op = CIMON_OP_CONST, .key = NO_KEY,
	  .arg = 1 }, { .op = CIMON_OP_JUMP_IF_TRUE, .jump = 5,
	  .key = NO_KEY } }, 2, 0, 0, NULL, 0, "jump" },
	{ "jump of zero (a loop)", { { .op = CIMON_OP_JUMP_IF_FALSE,
	  .jump = 0, .key = NO_KEY }, { .op = CIMON_OP_RET,
	  .key = NO_KEY } }, 2, 0, 0, NULL, 0, "jump" },
	{ "string outside the table", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_EQ,
	  .key = NO_KEY, .arg = 4096 } }, 1, 0, 0, "x", 2, "string" },
	{ "negative string offset", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_CONTAINS,
	  .key = NO_KEY, .arg = -1 } }, 1, 0, 0, "x", 2, "string" },
	{ "unterminated string", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_EQ,
	  .key = NO_KEY, .arg = 0 } }, 1, 0, 0, "abc", 3, "string" },
	{ "string test on a number", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_PID, .cmp = CIMON_CMP_STARTSWITH,
	  .key = NO_KEY } }, 1, 0, 0, "x", 2, "numeric" },
	{ "ordering on a string", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_LT,
	  .key = NO_KEY } }, 1, 0, 0, NULL, 0, "ordering" },
	{ "ancestor out of range", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_ANAME, .cmp = CIMON_CMP_EXISTS,
	  .index = 9, .key = NO_KEY } }, 1, 0, 0, NULL, 0, "ancestor" },
	{ "env name outside the table", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_ENV, .cmp = CIMON_CMP_EXISTS,
	  .key = 900 } }, 1, 0, 0, "x", 2, "variable" },
	{ "half an instruction", { { .op = CIMON_OP_RET, .key = NO_KEY } },
	  1, 7, 0, NULL, 0, "whole instructions" },
	{ "empty program", { { 0 } }, 0, 0, 0, NULL, 0, "empty" },
	{ "event bit of LOST", { { .op = CIMON_OP_RET, .key = NO_KEY } }, 1,
	  0, 1U << CIMON_EVENT_LOST, NULL, 0, "" },
	{ "operand on NOT", { { .op = CIMON_OP_NOT, .field = 3,
	  .key = NO_KEY } }, 1, 0, 0, NULL, 0, "operand" },
	{ "a grandparent's environment", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_AENV, .cmp = CIMON_CMP_EXISTS,
	  .index = 2, .key = 0 } }, 1, 0, 0, "X", 2, "aenv index" },
	{ "an empty variable name", { { .op = CIMON_OP_TEST,
	  .field = CIMON_FIELD_PROC_ENV, .cmp = CIMON_CMP_EXISTS,
	  .key = 0 } }, 1, 0, 0, "", 1, "variable" },
	{ "a string field against a number", { { .op = CIMON_OP_TEST_FIELD,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_EQ, .key = NO_KEY,
	  .arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_PID, 0, NO_KEY) } }, 1, 0,
	  0, NULL, 0, "string and a numeric" },
	{ "contains between two fields", { { .op = CIMON_OP_TEST_FIELD,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_CONTAINS,
	  .key = NO_KEY, .arg = CIMON_FIELD_REF(CIMON_FIELD_TARGET_NAME, 0,
						NO_KEY) } }, 1, 0, 0, NULL, 0,
	  "unsupported comparison" },
	{ "compared with an unknown field", { { .op = CIMON_OP_TEST_FIELD,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_EQ, .key = NO_KEY,
	  .arg = CIMON_FIELD_REF(200, 0, NO_KEY) } }, 1, 0, 0, NULL, 0,
	  "unknown field" },
	{ "a field reference with stray bits", { { .op = CIMON_OP_TEST_FIELD,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_EQ, .key = NO_KEY,
	  .arg = CIMON_FIELD_REF(CIMON_FIELD_TARGET_NAME, 0, NO_KEY) |
		 (1LL << 40) } }, 1, 0, 0, NULL, 0, "field reference" },
	{ "compared variable outside the table", {
	  { .op = CIMON_OP_TEST_FIELD, .field = CIMON_FIELD_PROC_NAME,
	  .cmp = CIMON_CMP_NE, .key = NO_KEY,
	  .arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_ENV, 0, 900) } }, 1, 0, 0,
	  "x", 2, "variable" },
	{ "index on a compared field", { { .op = CIMON_OP_TEST_FIELD,
	  .field = CIMON_FIELD_PROC_NAME, .cmp = CIMON_CMP_EQ, .key = NO_KEY,
	  .arg = CIMON_FIELD_REF(CIMON_FIELD_TARGET_NAME, 3, NO_KEY) } }, 1,
	  0, 0, NULL, 0, "index" },
};

TEST_F(rules, malformed_programs_are_refused_with_a_reason)
{
	struct rule good = { "good", 1U << CIMON_EVENT_MEM_OPEN, is_runner, 1,
			     strtab, sizeof(strtab), 0 };
	unsigned int i;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &good));
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		struct rule r = { b->why, b->events ? b->events :
				  1U << CIMON_EVENT_MEM_OPEN, b->insns,
				  b->count, b->strtab, b->strtab_len,
				  b->prog_len };

		EXPECT_EQ(EINVAL, add_rule(&self->g, &r)) TH_LOG("%s", b->why);
		EXPECT_NE(NULL, strstr(self->g.message, b->message))
			TH_LOG("%s: message \"%s\"", b->why, self->g.message);
	}
	/* The refused rules left nothing behind: the count is still 1. */
	EXPECT_EQ(0, commit(&self->g, 1)) TH_LOG("%s", self->g.message);
}

TEST_F(rules, a_rule_without_a_name_is_refused)
{
	struct rule r = { NULL, 1U << CIMON_EVENT_MEM_OPEN, is_runner, 1,
			  strtab, sizeof(strtab), 0 };

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	EXPECT_EQ(EINVAL, add_rule(&self->g, &r));
	EXPECT_NE(NULL, strstr(self->g.message, "name"));
}

TEST_F(rules, only_an_admin_changes_anything)
{
	pid_t pid = fork();
	int wstatus;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct status st;
		struct genl g;

		if (setgid(65534) || setuid(65534) || genl_open(&g))
			_exit(10);
		if (status(&g, &st) || !st.seen)
			_exit(11);
		if (simple(&g, CIMON_CMD_RULES_BEGIN) != EPERM)
			_exit(12);
		if (commit(&g, 0) != EPERM)
			_exit(13);
		{
			struct nl_msg *msg = genl_new(&g, CIMON_CMD_SET_MODE, 0);

			nla_put_u32(msg, CIMON_A_MODE, CIMON_MODE_ENFORCE);
			if (genl_call(&g, msg, 0, NULL, NULL) != EPERM)
				_exit(14);
		}
		if (genl_call(&g, genl_new(&g, CIMON_CMD_RULES_LIST,
					   NLM_F_DUMP), 1, NULL, NULL) != EPERM)
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_EQ(0, WEXITSTATUS(wstatus));
}

TEST_F(rules, bad_attributes_are_refused)
{
	struct nl_msg *msg;

	/* A mode that does not exist: out of the policy's range. */
	msg = genl_new(&self->g, CIMON_CMD_SET_MODE, 0);
	nla_put_u32(msg, CIMON_A_MODE, 7);
	EXPECT_EQ(ERANGE, genl_call(&self->g, msg, 0, NULL, NULL));
	/* A missing attribute. */
	EXPECT_EQ(EINVAL, simple(&self->g, CIMON_CMD_SET_MODE));
	EXPECT_NE(NULL, strstr(self->g.message, "CIMON_A_MODE"));
	/* A rule attribute of the wrong type. */
	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	msg = genl_new(&self->g, CIMON_CMD_RULES_ADD, 0);
	nla_put_u32(msg, CIMON_A_RULE, 5);
	EXPECT_EQ(EINVAL, genl_call(&self->g, msg, 0, NULL, NULL));
	/* A command that does not exist. */
	EXPECT_EQ(EOPNOTSUPP, simple(&self->g, 99));
}

/* Loaded with its defaults, cimon runs the built-in rule set at once. */
TEST_F(rules, built_in_rules_run_from_load)
{
	struct cimon_event ev;
	struct status st;

	/* Whatever holds /dev/cimon holds the module: let go of it all. */
	target_stop(self->target);
	close(self->feed);
	genl_close(&self->g);
	self->g.sock = NULL;
	reload(_metadata, "");
	/* A new module registers the family anew, under a new id. */
	ASSERT_EQ(0, genl_open(&self->g));
	self->feed = feed_open();
	ASSERT_LE(0, self->feed);
	self->target = target_start();
	ASSERT_LT(0, self->target);
	snprintf(self->mem, sizeof(self->mem), "/proc/%d/mem", self->target);
	ASSERT_EQ(0, status(&self->g, &st));
	EXPECT_LE(8U, st.rules);
	EXPECT_EQ(1U, st.generation);

	touch(self->mem);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_NE(CIMON_RULE_BUILTIN, ev.rule_id);
	EXPECT_EQ(1U, ev.rules_generation);
}

/*
 * The rule index skips only rules whose own program would say no: rules
 * that require target.name = "Runner.Worker" at their end or their start
 * fire, a rule where that test can be bypassed (an or) still runs, one
 * that negates it does not fire, and one requiring another name neither.
 */
TEST_F(rules, indexed_rules_fire_exactly_as_unindexed)
{
	/* "Runner.Worker" 0, "nomatch" 14, "mem_open" 22, "rules_test" 31 */
	static const char tab[] = "Runner.Worker\0nomatch\0mem_open\0rules_test";
#define T(f, off) { .op = CIMON_OP_TEST, .field = (f), \
		    .cmp = CIMON_CMP_EQ, .key = NO_KEY, .arg = (off) }
#define J(o, n) { .op = (o), .key = NO_KEY, .jump = (n) }
	static const struct cimon_insn other[] = {
		T(CIMON_FIELD_TARGET_NAME, 14) };
	static const struct cimon_insn last[] = {
		T(CIMON_FIELD_CIMON_EVENT, 22), J(CIMON_OP_JUMP_IF_FALSE, 1),
		T(CIMON_FIELD_TARGET_NAME, 0) };
	static const struct cimon_insn first[] = {
		T(CIMON_FIELD_TARGET_NAME, 0), J(CIMON_OP_JUMP_IF_FALSE, 1),
		T(CIMON_FIELD_CIMON_EVENT, 22) };
	static const struct cimon_insn either[] = {
		T(CIMON_FIELD_PROC_NAME, 31), J(CIMON_OP_JUMP_IF_TRUE, 1),
		T(CIMON_FIELD_TARGET_NAME, 14) };
	static const struct cimon_insn negated[] = {
		T(CIMON_FIELD_TARGET_NAME, 0), { .op = CIMON_OP_NOT,
						 .key = NO_KEY } };
#undef T
#undef J
	const unsigned int ev_bit = 1U << CIMON_EVENT_MEM_OPEN;
	struct rule set[] = {
		{ "other name", ev_bit, other, 1, tab, sizeof(tab), 0 },
		{ "required last", ev_bit, last, 3, tab, sizeof(tab), 0 },
		{ "required first", ev_bit, first, 3, tab, sizeof(tab), 0 },
		{ "bypassed", ev_bit, either, 3, tab, sizeof(tab), 0 },
		{ "negated", ev_bit, negated, 2, tab, sizeof(tab), 0 },
	};
	int fired[5] = { 0 }, i;
	struct cimon_event ev;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, add_rule(&self->g, &set[i]))
			TH_LOG("%s: %s", set[i].name, self->g.message);
	}
	ASSERT_EQ(0, commit(&self->g, 5)) TH_LOG("%s", self->g.message);
	feed_drain(self->feed);
	touch(self->mem);
	while (feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target, &ev,
			 500) == 1)
		if (ev.rule_id < 5)
			fired[ev.rule_id]++;
	EXPECT_EQ(0, fired[0]);
	EXPECT_EQ(1, fired[1]);
	EXPECT_EQ(1, fired[2]);
	/* true by proc.name, though its last test (target.name) fails */
	EXPECT_EQ(1, fired[3]);
	EXPECT_EQ(0, fired[4]);
}

/*
 * Rules filed by the strings proc.cmdline must contain, or by a list of
 * names, fire exactly as they would unfiled: one whose needle is in the
 * command line fires, one whose needle is not does not, one where that
 * test can be bypassed or is negated still runs, and a needle too short
 * to be filed is still tested.
 */
TEST_F(rules, contains_and_lists_are_filed_exactly)
{
	/* offsets: see the comment of each string */
	static const char tab[] = "rules_te\0"	/* 0 */
				  "nomatch-needle\0"	/* 9 */
				  "Runner.Worker\0"	/* 24 */
				  "xyz\0"		/* 38 */
				  "rules_test\0"	/* 42 */
				  "rul\0"		/* 53 */
				  "s_test";		/* 57 */
#define C(off) { .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_CMDLINE, \
		 .cmp = CIMON_CMP_CONTAINS, .key = NO_KEY, .arg = (off) }
#define T(f, off) { .op = CIMON_OP_TEST, .field = (f), \
		    .cmp = CIMON_CMP_EQ, .key = NO_KEY, .arg = (off) }
#define J(o, n) { .op = (o), .key = NO_KEY, .jump = (n) }
	static const struct cimon_insn found[] = { C(0) };
	static const struct cimon_insn absent[] = { C(9) };
	static const struct cimon_insn bypassed[] = {
		C(9), J(CIMON_OP_JUMP_IF_TRUE, 1),
		T(CIMON_FIELD_TARGET_NAME, 24) };
	static const struct cimon_insn negated[] = {
		C(9), { .op = CIMON_OP_NOT, .key = NO_KEY } };
	static const struct cimon_insn in_list[] = {
		T(CIMON_FIELD_PROC_NAME, 38), J(CIMON_OP_JUMP_IF_TRUE, 1),
		T(CIMON_FIELD_PROC_NAME, 42) };
	static const struct cimon_insn not_in_list[] = {
		T(CIMON_FIELD_PROC_NAME, 38), J(CIMON_OP_JUMP_IF_TRUE, 1),
		T(CIMON_FIELD_PROC_NAME, 24) };
	static const struct cimon_insn short_needle[] = { C(53) };
	static const struct cimon_insn at_the_end[] = {
		C(9), J(CIMON_OP_JUMP_IF_TRUE, 1), C(57) };
#undef C
#undef T
#undef J
	const unsigned int ev_bit = 1U << CIMON_EVENT_MEM_OPEN;
	const struct rule set[] = {
		{ "found", ev_bit, found, 1, tab, sizeof(tab), 0 },
		{ "absent", ev_bit, absent, 1, tab, sizeof(tab), 0 },
		{ "bypassed", ev_bit, bypassed, 3, tab, sizeof(tab), 0 },
		{ "negated", ev_bit, negated, 2, tab, sizeof(tab), 0 },
		{ "in list", ev_bit, in_list, 3, tab, sizeof(tab), 0 },
		{ "not in list", ev_bit, not_in_list, 3, tab, sizeof(tab), 0 },
		{ "short needle", ev_bit, short_needle, 1, tab, sizeof(tab), 0 },
		{ "at the end", ev_bit, at_the_end, 3, tab, sizeof(tab), 0 },
	};
	static const int want[] = { 1, 0, 1, 1, 1, 0, 1, 1 };
	const int n = sizeof(set) / sizeof(set[0]);
	int fired[sizeof(set) / sizeof(set[0])] = { 0 }, i;
	struct cimon_event ev;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, add_rule(&self->g, &set[i]))
			TH_LOG("%s: %s", set[i].name, self->g.message);
	}
	ASSERT_EQ(0, commit(&self->g, n)) TH_LOG("%s", self->g.message);
	feed_drain(self->feed);
	touch(self->mem);
	while (feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target, &ev,
			 500) == 1)
		if (ev.rule_id < (unsigned int)n)
			fired[ev.rule_id]++;
	for (i = 0; i < n; i++) {
		EXPECT_EQ(want[i], fired[i])
			TH_LOG("rule \"%s\"", set[i].name);
	}
}

/*
 * A hook knows an executable's path only as far as its mount; an alert
 * rule on the full path of a program run from another mount still
 * fires (the index must not judge it on the partial path), and names
 * the program by its path from the host's root, also when it runs
 * chrooted into that mount (where its own root makes it "/reach").
 */
static void run_from_mount(struct __test_metadata *_metadata,
			   FIXTURE_DATA(rules) *self, bool chrooted)
{
	static const char mnt[] = "/tmp/cimon-exe-mnt";
	static const char tab[] = "/tmp/cimon-exe-mnt/reach";
	static const struct cimon_insn on_path[] = {
		{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_EXEPATH,
		  .cmp = CIMON_CMP_EQ, .key = NO_KEY, .arg = 0 },
	};
	const struct rule r = { "on path", 1U << CIMON_EVENT_MEM_OPEN,
				on_path, 1, tab, sizeof(tab), 0 };
	char pid[16], cmd[256];
	struct cimon_event ev;
	int status;
	pid_t child;

	mkdir(mnt, 0755);
	ASSERT_EQ(0, mount("none", mnt, "tmpfs", 0, NULL));
	snprintf(cmd, sizeof(cmd), "cp /tests/reach %s/reach && mkdir %s/proc",
		 mnt, mnt);
	ASSERT_EQ(0, system(cmd));
	if (chrooted)
		ASSERT_EQ(0, mount("proc", "/tmp/cimon-exe-mnt/proc", "proc",
				   0, NULL));
	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &r)) TH_LOG("%s", self->g.message);
	ASSERT_EQ(0, commit(&self->g, 1)) TH_LOG("%s", self->g.message);
	feed_drain(self->feed);
	snprintf(pid, sizeof(pid), "%d", self->target);
	child = fork();
	if (child == 0) {
		if (chrooted && (chroot(mnt) || chdir("/")))
			_exit(126);
		execl(chrooted ? "/reach" : tab, "reach", "mem", pid,
		      (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_EQ(0U, ev.rule_id);
	EXPECT_STREQ(tab, ev.proc.exe);
	if (chrooted)
		umount("/tmp/cimon-exe-mnt/proc");
	umount(mnt);
	rmdir(mnt);
}

TEST_F(rules, a_path_rule_fires_for_a_program_on_another_mount)
{
	run_from_mount(_metadata, self, false);
}

TEST_F(rules, a_path_rule_fires_for_a_program_chrooted_into_a_mount)
{
	run_from_mount(_metadata, self, true);
}

/* glob runs in the kernel as the header says: classes, '?', '*', '!'. */
TEST_F(rules, glob_matches_as_documented)
{
	static const char globs[] = "/proc/[0-9]*/m?m\0[!R]*";
	static const struct cimon_insn by_path[] = {
		{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_FD_NAME,
		  .cmp = CIMON_CMP_GLOB, .key = NO_KEY, .arg = 0 },
	};
	static const struct cimon_insn not_r[] = {
		{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_TARGET_NAME,
		  .cmp = CIMON_CMP_GLOB, .key = NO_KEY, .arg = 17 },
	};
	struct rule a = { "path glob", 1U << CIMON_EVENT_MEM_OPEN, by_path, 1,
			  globs, sizeof(globs), 0 };
	struct rule b = { "negated class", 1U << CIMON_EVENT_MEM_OPEN, not_r,
			  1, globs, sizeof(globs), 0 };
	struct cimon_event ev;

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &a)) TH_LOG("%s", self->g.message);
	ASSERT_EQ(0, add_rule(&self->g, &b)) TH_LOG("%s", self->g.message);
	ASSERT_EQ(0, commit(&self->g, 2));
	feed_drain(self->feed);
	touch(self->mem);
	ASSERT_EQ(1, feed_next(self->feed, &ev, WAIT_MS));
	EXPECT_EQ(0U, ev.rule_id);
	/* Runner.Worker starts with R: the negated class does not match. */
	EXPECT_EQ(0, feed_next(self->feed, &ev, 500));
}

/*
 * Random rule sets, most of them accepted by the verifier, some mangled,
 * loaded one after another while the hooks and the exec handler run
 * them against accesses and execs built to hit the index (a command
 * line repeating one piece, the job's variables): the kernel must stay
 * well (the rig fails the run on any BUG or WARNING in its log) and the
 * last, known set must still fire.  The seed is fixed: a failure
 * reproduces.
 */
static const char fuzz_tab[] = "Runner.Worker\0"	/* 0 */
			       "rules_test\0"		/* 14 */
			       "/proc/\0"		/* 25 */
			       "RUNNER_TRACKING_ID\0"	/* 32 */
			       "aaaa\0"			/* 51 */
			       "*[!a]*\0"		/* 56 */
			       "true\0"			/* 63 */
			       "=0";			/* 68 */
static const unsigned short fuzz_strings[] = { 0, 14, 25, 32, 51, 56, 63,
					       68 };
#define FUZZ_KEY 32

static bool numeric_field(unsigned int f)
{
	switch (f) {
	case CIMON_FIELD_EVT_IS_OPEN_READ:
	case CIMON_FIELD_EVT_IS_OPEN_WRITE:
	case CIMON_FIELD_PROC_PID:
	case CIMON_FIELD_PROC_PPID:
	case CIMON_FIELD_PROC_TTY:
	case CIMON_FIELD_USER_UID:
	case CIMON_FIELD_USER_EUID:
	case CIMON_FIELD_TARGET_PID:
	case CIMON_FIELD_EVT_ARG_RES:
		return true;
	}
	return false;
}

/* One operand: a field with the index and variable it may take. */
static void fuzz_operand(unsigned int *seed, unsigned int *field,
			 unsigned int *index, unsigned int *key)
{
	*field = 1 + rand_r(seed) % (CIMON_FIELD_COUNT - 1);
	*index = 0;
	*key = NO_KEY;
	if (*field == CIMON_FIELD_PROC_ANAME)
		*index = rand_r(seed) % (CIMON_ANCESTORS + 1);
	if (*field == CIMON_FIELD_PROC_AENV)
		*index = 1;
	if ((*field == CIMON_FIELD_PROC_ENV ||
	     *field == CIMON_FIELD_PROC_AENV) && rand_r(seed) % 2)
		*key = FUZZ_KEY;
}

static int fuzz_program(unsigned int *seed, struct cimon_insn *p, int max)
{
	static const unsigned char string_cmps[] = {
		CIMON_CMP_EQ, CIMON_CMP_NE, CIMON_CMP_STARTSWITH,
		CIMON_CMP_ENDSWITH, CIMON_CMP_CONTAINS, CIMON_CMP_GLOB,
		CIMON_CMP_EXISTS };
	unsigned int field, index, key, other, oindex, okey;
	int n = 1 + rand_r(seed) % max, i;

	memset(p, 0, n * sizeof(*p));
	for (i = 0; i < n; i++) {
		p[i].key = NO_KEY;
		switch (rand_r(seed) % 8) {
		case 0: case 1: case 2:
			fuzz_operand(seed, &field, &index, &key);
			p[i].op = CIMON_OP_TEST;
			p[i].field = field;
			p[i].index = index;
			p[i].key = key;
			if (numeric_field(field)) {
				p[i].cmp = CIMON_CMP_EQ + rand_r(seed) % 6;
				p[i].arg = rand_r(seed) % 3;
			} else {
				p[i].cmp = string_cmps[rand_r(seed) % 7];
				p[i].arg = fuzz_strings[rand_r(seed) % 8];
			}
			break;
		case 3:
			fuzz_operand(seed, &field, &index, &key);
			do {
				fuzz_operand(seed, &other, &oindex, &okey);
			} while (numeric_field(other) != numeric_field(field));
			p[i].op = CIMON_OP_TEST_FIELD;
			p[i].field = field;
			p[i].index = index;
			p[i].key = key;
			p[i].cmp = rand_r(seed) % 2 ? CIMON_CMP_EQ : CIMON_CMP_NE;
			p[i].arg = CIMON_FIELD_REF(other, oindex, okey);
			break;
		case 4: case 5:
			if (i + 1 < n) {
				p[i].op = rand_r(seed) % 2 ?
					  CIMON_OP_JUMP_IF_TRUE :
					  CIMON_OP_JUMP_IF_FALSE;
				p[i].jump = 1 + rand_r(seed) % (n - i - 1);
				break;
			}
			/* fall through */
		case 6:
			p[i].op = CIMON_OP_NOT;
			break;
		default:
			p[i].op = rand_r(seed) % 4 ? CIMON_OP_CONST :
				  CIMON_OP_RET;
			if (p[i].op == CIMON_OP_CONST)
				p[i].arg = rand_r(seed) % 2;
		}
	}
	/* One in eight mangled: the verifier must refuse or run it safely. */
	if (!(rand_r(seed) % 8))
		((unsigned char *)p)[rand_r(seed) % (n * sizeof(*p))] ^=
			1 << (rand_r(seed) % 8);
	return n;
}

/* What the sets run on: accesses, and an exec with a job's variables. */
static void fuzz_events(const char *mem, const char *environ)
{
	char *argv[] = { "true", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--token=x",
			 "RUNNER_TRACKING_ID=0", NULL };
	char *envp[] = { "RUNNER_TRACKING_ID=0", "GITHUB_RUN_ID=1",
			 "PATH=/bin", NULL };
	pid_t pid;

	touch(mem);
	touch(environ);
	pid = fork();
	if (pid == 0) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

TEST_F(rules, random_rule_sets_run_without_harm)
{
	const unsigned int events = 1U << CIMON_EVENT_MEM_OPEN |
				    1U << CIMON_EVENT_ENVIRON_OPEN |
				    1U << CIMON_EVENT_EXEC;
	const struct rule known = { "known", 1U << CIMON_EVENT_MEM_OPEN,
				    is_runner, 1, strtab, sizeof(strtab), 0 };
	unsigned int seed = 20261206, loaded = 0, refused = 0;
	struct cimon_insn prog[40];
	struct cimon_event ev;
	int set, i, n, added;

	for (set = 0; set < 40; set++) {
		ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
		added = 0;
		n = 1 + rand_r(&seed) % 24;
		for (i = 0; i < n; i++) {
			struct rule r = { "fuzz", events, prog, 0, fuzz_tab,
					  sizeof(fuzz_tab), 0 };

			r.count = fuzz_program(&seed, prog, 40);
			if (add_rule(&self->g, &r))
				refused++;
			else
				added++;
		}
		if (!commit(&self->g, added))
			loaded += added;
		fuzz_events(self->mem, self->environ);
		feed_drain(self->feed);
	}
	TH_LOG("%u random rules loaded and run, %u refused", loaded, refused);
	EXPECT_LT(100U, loaded);
	EXPECT_LT(0U, refused);

	ASSERT_EQ(0, simple(&self->g, CIMON_CMD_RULES_BEGIN));
	ASSERT_EQ(0, add_rule(&self->g, &known));
	ASSERT_EQ(0, commit(&self->g, 1));
	feed_drain(self->feed);
	touch(self->mem);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_EQ(0U, ev.rule_id);
}

TEST_HARNESS_MAIN
