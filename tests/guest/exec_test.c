// SPDX-License-Identifier: GPL-2.0
/*
 * Exec events: every way of executing a program is seen once, before it
 * runs, with the new program's name, path, argv and the environment
 * values the rules name (the parent's too); bounds are kept and marked;
 * and each process is named with the GitHub Actions step it runs in,
 * inherited from the step's first process whatever it does to its own
 * environment.
 *
 * Rules are built by hand and loaded over netlink; each matches only
 * execs whose environment carries CIMON_TEST_MARK, so the guest's own
 * execs stay out of the way.  This binary is also the program executed:
 * with CIMON_EXEC_HELPER in its environment it exits at once, and
 * installed as .../bin/Runner.Worker it plays the runner.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/syscall.h>

#include "feed.h"
#include "genl.h"
#include "kselftest_harness.h"

#define WAIT_MS 3000
#define NO_KEY CIMON_NO_KEY
#define WORKER_DIR "/tmp/actions-runner/bin"
#define WORKER WORKER_DIR "/Runner.Worker"
#define SCRIPT "/tmp/cimon-script.sh"	/* 15 bytes of name: a whole comm */
/* The form of id the runner gives a job. */
#define JOB_TRACKING_ID "github_0f3c2a5e-7d41-4b8e-9a6c-1e2d3c4b5a69"

/*
 * The runner's part: run each argument as a step, one after the other.
 * A copy run from inside a step gives its steps other names.
 */
static void play_worker(int argc, char **argv)
{
	const char *step = getenv("GITHUB_REPOSITORY") ? "nested" : "step";
	char repo[64];
	char workflow[] = "GITHUB_WORKFLOW=CI";
	char run[] = "GITHUB_RUN_ID=4242";
	char job[] = "GITHUB_JOB=build";
	char action[64], action_repo[80], mark[64];
	char tracking[] = "RUNNER_TRACKING_ID=" JOB_TRACKING_ID;
	char *envp[] = { repo, workflow, run, job, action, action_repo, mark,
			 tracking, NULL };
	int i, status;
	pid_t pid;

	snprintf(repo, sizeof(repo), "GITHUB_REPOSITORY=%s",
		 getenv("GITHUB_REPOSITORY") ? "evil/nested" : "octo/app");
	for (i = 1; i < argc; i++) {
		snprintf(action, sizeof(action), "GITHUB_ACTION=%s%d", step, i);
		snprintf(action_repo, sizeof(action_repo),
			 "GITHUB_ACTION_REPOSITORY=%s",
			 i == 2 ? "tj-actions/changed-files" : "");
		snprintf(mark, sizeof(mark), "CIMON_TEST_MARK=%s%d", step, i);
		pid = fork();
		if (pid == 0) {
			char *sh[] = { "sh", "-c", argv[i], NULL };

			execve("/bin/sh", sh, envp);
			_exit(127);
		}
		waitpid(pid, &status, 0);
	}
	_exit(0);
}

/* "agree-parent": run "agree" with this environment, as a shell would. */
static void play_parent(void)
{
	extern char **environ;
	char *child[] = { "agree", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve("/proc/self/exe", child, environ);
		_exit(127);
	}
	_exit(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) ? WEXITSTATUS(status) : 126);
}

__attribute__((constructor)) static void helper_modes(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');

	if (!strcmp(argv[0], "agree-parent"))
		play_parent();
	if (getenv("CIMON_EXEC_HELPER"))
		_exit(0);
	if (!strcmp(slash ? slash + 1 : argv[0], "Runner.Worker"))
		play_worker(argc, argv);
}

struct rule {
	const char *name;
	const struct cimon_insn *insns;
	int count;
	const char *strtab;
	int strtab_len;
	const char *env_keys;
	int env_keys_len;
};

/* 0: any exec marked CIMON_TEST_MARK; its output shows two variables. */
static const char mark_strtab[] = "CIMON_TEST_MARK";
static const struct cimon_insn marked[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_ENV,
	  .cmp = CIMON_CMP_EXISTS, .key = 0 },
};
static const char mark_outputs[] = "RUNNER_TRACKING_ID\0P\0A=B";

/* 1: marked "changed", and P differs from the parent's P. */
static const char changed_strtab[] = "CIMON_TEST_MARK\0changed\0P";
static const struct cimon_insn changed[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_ENV,
	  .cmp = CIMON_CMP_EQ, .key = 0, .arg = 16 },
	{ .op = CIMON_OP_JUMP_IF_FALSE, .key = NO_KEY, .jump = 1 },
	{ .op = CIMON_OP_TEST_FIELD, .field = CIMON_FIELD_PROC_ENV,
	  .cmp = CIMON_CMP_NE, .key = 24,
	  .arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_AENV, 1, 24) },
};

/* A program of one test: @field compared with the string table's first. */
#define ONE_TEST(field_, cmp_) {					\
	{ .op = CIMON_OP_TEST, .field = (field_), .cmp = (cmp_),	\
	  .key = NO_KEY, .arg = 0 },					\
}

/* 2: the whole environment, joined by spaces as Falco shows it. */
static const char whole_strtab[] = "A=1 CIMON_WHOLE=yes";
static const struct cimon_insn whole[] =
	ONE_TEST(CIMON_FIELD_PROC_ENV, CIMON_CMP_CONTAINS);

static const char container_strtab[] = "0123456789ab";
static const struct cimon_insn container[] =
	ONE_TEST(CIMON_FIELD_CONTAINER_ID, CIMON_CMP_EQ);

/* The executable's path, which an exec reads only when asked. */
static const char exe_strtab[] = "/exec_test";
static const struct cimon_insn exe[] =
	ONE_TEST(CIMON_FIELD_PROC_EXEPATH, CIMON_CMP_ENDSWITH);

/* A test other than contains: the whole environment as one string. */
static const char glob_strtab[] = "*A=1 CIMON_WHOLE=yes";
static const struct cimon_insn glob[] =
	ONE_TEST(CIMON_FIELD_PROC_ENV, CIMON_CMP_GLOB);

static const struct rule rules[] = {
	{ "marked exec", marked, 1, mark_strtab, sizeof(mark_strtab),
	  mark_outputs, sizeof(mark_outputs) },
	{ "P changed", changed, 3, changed_strtab, sizeof(changed_strtab),
	  NULL, 0 },
	{ "whole env", whole, 1, whole_strtab, sizeof(whole_strtab),
	  NULL, 0 },
	{ "in container", container, 1, container_strtab,
	  sizeof(container_strtab), NULL, 0 },
	{ "whole env glob", glob, 1, glob_strtab, sizeof(glob_strtab),
	  NULL, 0 },
	{ "exe path", exe, 1, exe_strtab, sizeof(exe_strtab), NULL, 0 },
};

enum { R_MARKED, R_CHANGED, R_WHOLE, R_CONTAINER, R_GLOB, R_EXE };

static int add_rule(struct genl *g, const struct rule *r)
{
	struct nl_msg *msg = genl_new(g, CIMON_CMD_RULES_ADD, 0);
	struct nlattr *nest = nla_nest_start(msg, CIMON_A_RULE);

	nla_put_string(msg, CIMON_A_RULE_NAME, r->name);
	nla_put_u32(msg, CIMON_A_RULE_EVENTS, 1U << CIMON_EVENT_EXEC);
	nla_put(msg, CIMON_A_RULE_PROGRAM, r->count * (int)sizeof(*r->insns),
		r->insns);
	nla_put(msg, CIMON_A_RULE_STRINGS, r->strtab_len, r->strtab);
	if (r->env_keys_len)
		nla_put(msg, CIMON_A_RULE_ENV_KEYS, r->env_keys_len,
			r->env_keys);
	nla_put_string(msg, CIMON_A_RULE_OUTPUT, "%proc.name");
	nla_nest_end(msg, nest);
	return genl_call(g, msg, 0, NULL, NULL);
}

static int load_rules(struct genl *g)
{
	struct nl_msg *msg;
	unsigned int i;
	int ret;

	ret = genl_call(g, genl_new(g, CIMON_CMD_RULES_BEGIN, 0), 0, NULL,
			NULL);
	for (i = 0; !ret && i < sizeof(rules) / sizeof(rules[0]); i++)
		ret = add_rule(g, &rules[i]);
	if (ret)
		return ret;
	msg = genl_new(g, CIMON_CMD_RULES_COMMIT, 0);
	nla_put_u32(msg, CIMON_A_RULES_COUNT, i);
	return genl_call(g, msg, 0, NULL, NULL);
}

/* "NAME=value" in a record's env or aenv section, or NULL. */
static const char *section_get(const char *sec, unsigned int len,
			       const char *name)
{
	size_t n = strlen(name);
	unsigned int off;

	for (off = 0; off < len; off += strlen(sec + off) + 1)
		if (!strncmp(sec + off, name, n) && sec[off + n] == '=')
			return sec + off + n + 1;
	return NULL;
}

/* The next record of rule @rule whose CIMON_TEST_MARK is @mark. */
static int find(int feed, unsigned int rule, const char *mark,
		struct cimon_event *ev, int timeout_ms)
{
	const char *m;
	int ret;

	for (;;) {
		ret = feed_next(feed, ev, timeout_ms);
		if (ret <= 0)
			return ret;
		m = section_get(ev->env, ev->env_len, "CIMON_TEST_MARK");
		if (ev->type == CIMON_EVENT_EXEC && ev->rule_id == rule &&
		    m && !strcmp(m, mark))
			return 1;
	}
}

static char self_path[256];

/* Run @path with @argv and @envp in a child; its exit status. */
static int run(const char *path, char *const argv[], char *const envp[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

FIXTURE(exec) {
	struct genl g;
	int feed;
};

FIXTURE_SETUP(exec)
{
	ssize_t n = readlink("/proc/self/exe", self_path,
			     sizeof(self_path) - 1);

	ASSERT_LT(0, n);
	self_path[n] = '\0';
	ASSERT_EQ(0, genl_open(&self->g)) TH_LOG("no cimon genl family");
	ASSERT_EQ(0, load_rules(&self->g)) TH_LOG("%s", self->g.message);
	self->feed = feed_open();
	ASSERT_LE(0, self->feed);
	feed_drain(self->feed);
}

FIXTURE_TEARDOWN(exec)
{
	int fd = open(getenv("CIMON_MODULE") ? getenv("CIMON_MODULE") :
		      MODULE_PATH, O_RDONLY | O_CLOEXEC);

	close(self->feed);
	genl_close(&self->g);
	/* Leave the module as the other tests expect it: no set loaded. */
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, cimon_unload());
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, TEST_MODARGS, 0));
	close(fd);
}

TEST_F(exec, execve_shows_the_new_program)
{
	char *argv[] = { "renamed", "one arg", "", "x", NULL };
	char *envp[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=execve",
			 "RUNNER_TRACKING_ID=abc", "UNRELATED=1", NULL };
	struct cimon_event ev;

	ASSERT_EQ(0, run(self_path, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "execve", &ev, WAIT_MS));
	EXPECT_EQ(SYS_execve, ev.syscall_nr);
	EXPECT_EQ(CIMON_VERDICT_ALLOWED, ev.verdict);
	/* The name the exec gives (from the path), not the old one. */
	EXPECT_STREQ("exec_test", ev.proc.comm);
	EXPECT_STREQ(self_path, ev.proc.exe);
	EXPECT_EQ(sizeof("renamed\0one arg\0\0x") - 1, ev.proc.cmdline_len);
	EXPECT_EQ(0, memcmp("renamed\0one arg\0\0x", ev.proc.cmdline,
			    ev.proc.cmdline_len + 1));
	EXPECT_EQ((unsigned int)getpid(), ev.proc.ppid);
	EXPECT_STREQ("abc", section_get(ev.env, ev.env_len,
					"RUNNER_TRACKING_ID"));
	/* Only the names the rules ask for are carried. */
	EXPECT_EQ(NULL, section_get(ev.env, ev.env_len, "UNRELATED"));
	EXPECT_EQ(NULL, section_get(ev.env, ev.env_len, "P"));
	EXPECT_EQ(0U, ev.flags & (CIMON_F_ENV_TRUNCATED |
				  CIMON_F_CMDLINE_TRUNCATED |
				  CIMON_F_ENV_UNAVAILABLE));
	/* The parent (this test) has no such variables, but an env. */
	EXPECT_EQ(0U, ev.flags & CIMON_F_AENV_UNAVAILABLE);
	EXPECT_EQ('\0', ev.github.repository[0]);
	/* A rule on the path sees it too. */
	ASSERT_EQ(1, find(self->feed, R_EXE, "execve", &ev, WAIT_MS));
	EXPECT_STREQ(self_path, ev.proc.exe);
	/* Exactly one event for one exec. */
	EXPECT_EQ(0, find(self->feed, R_MARKED, "execve", &ev, 300));
}

TEST_F(exec, execveat_on_an_fd_is_seen)
{
	char *argv[] = { "fd-exec", NULL };
	char *envp[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=execveat",
			 NULL };
	struct cimon_event ev;
	char comm[16];
	int fd, status;
	pid_t pid;

	fd = open(self_path, O_RDONLY);
	ASSERT_LE(0, fd);
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "execveat", &ev, WAIT_MS));
	EXPECT_EQ(SYS_execveat, ev.syscall_nr);
	/* The kernel resolved the fd to the file; comm is the fd number. */
	EXPECT_STREQ(self_path, ev.proc.exe);
	snprintf(comm, sizeof(comm), "%d", fd);
	EXPECT_STREQ(comm, ev.proc.comm);
	EXPECT_STREQ("fd-exec", ev.proc.cmdline);
	close(fd);
}

TEST_F(exec, a_script_is_one_event_for_the_script)
{
	char *argv[] = { SCRIPT, "arg1", NULL };
	char *envp[] = { "CIMON_TEST_MARK=script", NULL };
	struct cimon_event ev;
	FILE *f = fopen(SCRIPT, "w");

	ASSERT_NE(NULL, f);
	fputs("#!/bin/sh\nexit 3\n", f);
	fclose(f);
	ASSERT_EQ(0, chmod(SCRIPT, 0755));
	ASSERT_EQ(3, run(SCRIPT, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "script", &ev, WAIT_MS));
	EXPECT_STREQ(SCRIPT, ev.proc.exe);
	EXPECT_STREQ("cimon-script.sh", ev.proc.comm);
	EXPECT_EQ(0, memcmp(SCRIPT "\0arg1", ev.proc.cmdline,
			    sizeof(SCRIPT "\0arg1")));
	/* The interpreter's pass is not another event. */
	EXPECT_EQ(0, find(self->feed, R_MARKED, "script", &ev, 300));
	unlink(SCRIPT);
}

TEST_F(exec, long_values_are_cut_and_marked)
{
	static char value[1200], pad[64][2048];
	char *argv[] = { "long", NULL };
	char *envp[80];
	struct cimon_event ev;
	const char *got;
	int i, n = 0;

	envp[n++] = "CIMON_EXEC_HELPER=1";
	/* 128 KiB of other variables before the one the rule names. */
	for (i = 0; i < 64; i++) {
		snprintf(pad[i], sizeof(pad[i]), "PAD%d=", i);
		memset(pad[i] + strlen(pad[i]), 'p',
		       sizeof(pad[i]) - strlen(pad[i]) - 1);
		envp[n++] = pad[i];
	}
	strcpy(value, "RUNNER_TRACKING_ID=");
	memset(value + strlen(value), 'v', sizeof(value) - strlen(value) - 1);
	envp[n++] = value;
	envp[n++] = "CIMON_TEST_MARK=long";
	envp[n] = NULL;
	ASSERT_EQ(0, run(self_path, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "long", &ev, WAIT_MS));
	got = section_get(ev.env, ev.env_len, "RUNNER_TRACKING_ID");
	ASSERT_NE(NULL, got);
	EXPECT_EQ((size_t)CIMON_ENV_VALUE_LEN - 1, strlen(got));
	EXPECT_TRUE(ev.flags & CIMON_F_ENV_TRUNCATED);
}

TEST_F(exec, the_whole_environment_is_joined_by_spaces)
{
	char *argv[] = { "whole", NULL };
	char *envp[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=whole",
			 "A=1", "CIMON_WHOLE=yes", NULL };
	char *apart[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=apart",
			  "A=1", "B=2", "CIMON_WHOLE=yes", NULL };
	struct cimon_event ev;

	ASSERT_EQ(0, run(self_path, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_WHOLE, "whole", &ev, WAIT_MS));
	/* and as one string, for a test other than contains */
	ASSERT_EQ(1, find(self->feed, R_GLOB, "whole", &ev, WAIT_MS));
	ASSERT_EQ(0, run(self_path, argv, apart));
	EXPECT_EQ(0, find(self->feed, R_WHOLE, "apart", &ev, 500));
	EXPECT_EQ(0, find(self->feed, R_GLOB, "apart", &ev, 500));
}

/* The same in a long environment, which is searched another way. */
TEST_F(exec, a_long_environment_is_searched_whole)
{
	static char pad[600];
	char *argv[] = { "whole", NULL };
	char *last[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=last", pad,
			 "A=1", "CIMON_WHOLE=yes", NULL };
	char *first[] = { "A=1", "CIMON_WHOLE=yes", "CIMON_EXEC_HELPER=1",
			  pad, "CIMON_TEST_MARK=first", NULL };
	char *apart[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=apart",
			  pad, "A=1", "B=2", "CIMON_WHOLE=yes", NULL };
	char *cut[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=cut", pad,
			"A=1", "CIMON_WHOLE=ye", NULL };
	struct cimon_event ev;

	/* Every byte of the needle's own: Horspool's shifts all differ. */
	memset(pad, 'W', sizeof(pad) - 1);
	memcpy(pad, "PAD=A=1 CIMON_WHOLE", 19);
	ASSERT_EQ(0, run(self_path, argv, last));
	EXPECT_EQ(1, find(self->feed, R_WHOLE, "last", &ev, WAIT_MS));
	ASSERT_EQ(0, run(self_path, argv, first));
	EXPECT_EQ(1, find(self->feed, R_WHOLE, "first", &ev, WAIT_MS));
	ASSERT_EQ(0, run(self_path, argv, apart));
	EXPECT_EQ(0, find(self->feed, R_WHOLE, "apart", &ev, 500));
	ASSERT_EQ(0, run(self_path, argv, cut));
	EXPECT_EQ(0, find(self->feed, R_WHOLE, "cut", &ev, 500));
}

/*
 * A variable is found by its whole name, and its first definition
 * counts; a name with a '=' is no variable's.
 */
TEST_F(exec, only_a_whole_name_is_a_variable)
{
	char *argv[] = { "names", NULL };
	char *envp[] = { "CIMON_EXEC_HELPER=1", "PP=no", "P_=no", "XP=no",
			 "P", "A=B=no", "P=first", "P=second",
			 "CIMON_TEST_MARK=names", NULL };
	struct cimon_event ev;

	ASSERT_EQ(0, run(self_path, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "names", &ev, WAIT_MS));
	EXPECT_STREQ("first", section_get(ev.env, ev.env_len, "P"));
	EXPECT_EQ(NULL, section_get(ev.env, ev.env_len, "A=B"));
	EXPECT_EQ(NULL, section_get(ev.env, ev.env_len, "A"));
}

#define CGROUP "/sys/fs/cgroup/docker-0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef.scope"

/* An exec in a container's cgroup is known by the container's id. */
TEST_F(exec, an_exec_in_a_container_has_its_id)
{
	char *argv[] = { "ct", NULL };
	char *envp[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=ct", NULL };
	char *host[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=host", NULL };
	struct cimon_event ev;
	int status, fd;
	pid_t pid;

	ASSERT_EQ(0, mkdir(CGROUP, 0755) && errno != EEXIST ? -1 : 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = open(CGROUP "/cgroup.procs", O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(126);
		execve(self_path, argv, envp);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	rmdir(CGROUP);
	ASSERT_EQ(0, status);
	ASSERT_EQ(1, find(self->feed, R_MARKED, "ct", &ev, WAIT_MS));
	EXPECT_STREQ("0123456789ab", ev.proc.container_id);
	ASSERT_EQ(1, find(self->feed, R_CONTAINER, "ct", &ev, WAIT_MS));
	EXPECT_STREQ("0123456789ab", ev.proc.container_id);
	ASSERT_EQ(0, run(self_path, argv, host));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "host", &ev, WAIT_MS));
	EXPECT_STREQ("", ev.proc.container_id);
	EXPECT_EQ(0, find(self->feed, R_CONTAINER, "host", &ev, 500));
}

/* Are @n bytes at @p all zero? */
static int zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n && !b[n - 1])
		n--;
	return !n;
}

/* Past its strings, a record is zeros: nothing of an exec before it. */
TEST_F(exec, a_record_holds_nothing_of_an_earlier_exec)
{
	static char arg[400], value[300];
	char *long_argv[] = { "long", arg, arg, NULL };
	char *short_argv[] = { "s", NULL };
	char *long_env[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=big",
			     value, NULL };
	char *short_env[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=small",
			      NULL };
	struct cimon_event ev;
	size_t n;

	memset(arg, 'a', sizeof(arg) - 1);
	snprintf(value, sizeof(value), "P=%0*d", (int)sizeof(value) - 3, 7);
	ASSERT_EQ(0, run(self_path, long_argv, long_env));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "big", &ev, WAIT_MS));
	ASSERT_EQ(0, run(self_path, short_argv, short_env));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "small", &ev, WAIT_MS));
	EXPECT_STREQ("s", ev.proc.cmdline);
	n = strlen(ev.proc.exe);
	EXPECT_TRUE(zero(ev.proc.exe + n, sizeof(ev.proc.exe) - n));
	n = ev.proc.cmdline_len;
	EXPECT_TRUE(zero(ev.proc.cmdline + n, sizeof(ev.proc.cmdline) - n));
	EXPECT_TRUE(zero(&ev.target, sizeof(ev.target)));
	EXPECT_TRUE(zero(ev.file, sizeof(ev.file)));
	EXPECT_TRUE(zero(ev.env + ev.env_len, sizeof(ev.env) - ev.env_len));
	EXPECT_TRUE(zero(ev.aenv + ev.aenv_len,
			 sizeof(ev.aenv) - ev.aenv_len));
}

/*
 * Environments read two ways: copied as they are and searched (up to a
 * few pages of strings; the parent's in a buffer of its size when it is
 * more than 4 KiB), or walked string by string (more: a 16 KiB variable
 * last).  Both must give what a reader of envp would: the first
 * value of each name, and the strings joined by spaces for contains.
 */
static const char agree_strtab[] = "CIMON_TEST_MARK\0P=1 Q=\0P";
static const struct cimon_insn agree_marked[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_ENV,
	  .cmp = CIMON_CMP_EXISTS, .key = 0 },
};
/* The same, after a look at the parent's P (before its whole is read). */
static const struct cimon_insn agree_marked_first[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_ENV,
	  .cmp = CIMON_CMP_EXISTS, .key = 0 },
	{ .op = CIMON_OP_JUMP_IF_FALSE, .key = NO_KEY, .jump = 4 },
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_AENV, .index = 1,
	  .cmp = CIMON_CMP_EXISTS, .key = 23 },
	{ .op = CIMON_OP_JUMP_IF_TRUE, .key = NO_KEY, .jump = 2 },
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_AENV, .index = 1,
	  .cmp = CIMON_CMP_EXISTS, .key = 23 },
	{ .op = CIMON_OP_NOT, .key = NO_KEY },
};
static const struct cimon_insn agree_whole[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_ENV,
	  .cmp = CIMON_CMP_CONTAINS, .key = NO_KEY, .arg = 16 },
};
static const struct cimon_insn agree_parent_whole[] = {
	{ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_AENV, .index = 1,
	  .cmp = CIMON_CMP_CONTAINS, .key = NO_KEY, .arg = 16 },
};

static int load_agree_set(struct genl *g, const char *keys, int keys_len)
{
	const struct rule set[] = {
		{ "agree marked", agree_marked_first, 6, agree_strtab,
		  sizeof(agree_strtab), keys, keys_len },
		{ "agree whole", agree_whole, 1, agree_strtab,
		  sizeof(agree_strtab), NULL, 0 },
		{ "agree parent whole", agree_parent_whole, 1, agree_strtab,
		  sizeof(agree_strtab), NULL, 0 },
		{ "agree end", agree_marked, 1, agree_strtab,
		  sizeof(agree_strtab), NULL, 0 },
	};
	struct nl_msg *msg;
	int i, ret;

	ret = genl_call(g, genl_new(g, CIMON_CMD_RULES_BEGIN, 0), 0, NULL,
			NULL);
	for (i = 0; !ret && i < 4; i++)
		ret = add_rule(g, &set[i]);
	if (ret)
		return ret;
	msg = genl_new(g, CIMON_CMD_RULES_COMMIT, 0);
	nla_put_u32(msg, CIMON_A_RULES_COUNT, 4);
	return genl_call(g, msg, 0, NULL, NULL);
}

/* The value of the first NAME= in @envp, as a reader of envp finds it. */
static const char *first_value(char *const envp[], const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; envp[i]; i++)
		if (!strncmp(envp[i], name, n) && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

static int joined_contains(char *const envp[], const char *needle)
{
	static char joined[32768];
	size_t len = 0;
	int i;

	joined[0] = '\0';
	for (i = 0; envp[i]; i++)
		len += snprintf(joined + len, sizeof(joined) - len, "%s%s",
				i ? " " : "", envp[i]);
	return strstr(joined, needle) != NULL;
}

/*
 * One exec's records in the agree set: "agree marked" (kept in @ev),
 * then those of the two whole-environment rules that matched (@seen),
 * then "agree end".
 */
static int agree_records(int feed, const char *mark, struct cimon_event *ev,
			 int seen[4])
{
	struct cimon_event next;

	seen[1] = seen[2] = 0;
	if (find(feed, 0, mark, ev, WAIT_MS) != 1)
		return 0;
	do {
		if (feed_next(feed, &next, WAIT_MS) != 1 || next.rule_id > 3)
			return 0;
		seen[next.rule_id] = 1;
	} while (next.rule_id != 3);
	return 1;
}

TEST_F(exec, both_ways_of_reading_an_environment_agree)
{
	static const char *const names[] = { "P", "Q", "PP", "P_", "XP", "" };
	static const char *const values[] = { "", "1", "1 Q=", "=", "x Q=1",
					      "P=1 Q=" };
	static const char few[] = "P\0Q";
	static const char many[] = "P\0Q\0V1\0V2\0V3";
	static char strings[16][64], mark[32], big[1500], mid[6000];
	static char pad[16384];
	char *argv[] = { "agree-parent", NULL };
	char *envp[20];
	struct cimon_event ev;
	int set, round, i, n, at, seen[4], want;

	srandom(7);
	memset(big, 'b', sizeof(big) - 1);
	memcpy(big, "BIG=", 4);
	memset(mid, 'm', sizeof(mid) - 1);
	memcpy(mid, "MID=", 4);
	memset(pad, 'p', sizeof(pad) - 1);
	memcpy(pad, "PAD=", 4);
	for (set = 0; set < 2; set++) {
		ASSERT_EQ(0, set ? load_agree_set(&self->g, many, sizeof(many)) :
				   load_agree_set(&self->g, few, sizeof(few)))
			TH_LOG("%s", self->g.message);
		for (round = 0; round < 40; round++) {
			n = 0;
			envp[n++] = "CIMON_EXEC_HELPER=1";
			for (i = 0; round >= 3 && i < (int)(random() % 12); i++) {
				snprintf(strings[i], sizeof(strings[i]), "%s=%s",
					 names[random() % 6],
					 values[random() % 6]);
				/* execve takes empty strings too */
				if (!(random() % 8))
					strings[i][0] = '\0';
				envp[n++] = strings[i];
			}
			/* first the needle across two strings; not three */
			if (round < 3) {
				envp[n++] = "P=1";
				if (round)
					envp[n++] = "";
				envp[n++] = "Q=";
			}
			/* some long enough to cross pages, or to be walked */
			if (round % 4 == 3)
				envp[n++] = big;
			/* over 4 KiB, under 16 */
			if (round % 8 == 2)
				envp[n++] = mid;
			envp[n] = NULL;
			snprintf(mark, sizeof(mark), "CIMON_TEST_MARK=a%d.%d",
				 set, round);
			at = round < 3 ? n : 1 + random() % n;
			memmove(envp + at + 1, envp + at,
				(n - at + 1) * sizeof(*envp));
			envp[at] = mark;
			/* half of them walked */
			if (round % 2) {
				envp[++n] = pad;
				envp[n + 1] = NULL;
			}
			/* "agree-parent" with envp, then its child "agree" */
			ASSERT_EQ(0, run(self_path, argv, envp));
			want = joined_contains(envp, "P=1 Q=");
			ASSERT_EQ(1, agree_records(self->feed, mark + 16, &ev,
						   seen));
			EXPECT_STREQ("agree-parent", ev.proc.cmdline);
			EXPECT_EQ(want, seen[1])
				TH_LOG("set %d round %d", set, round);
			ASSERT_EQ(1, agree_records(self->feed, mark + 16, &ev,
						   seen));
			EXPECT_STREQ("agree", ev.proc.cmdline);
			EXPECT_EQ(want, seen[1])
				TH_LOG("set %d round %d", set, round);
			/* the parent's, inherited: the same strings */
			EXPECT_EQ(want, seen[2])
				TH_LOG("set %d round %d", set, round);
			/* P and Q, the exec's own and the parent's */
			for (i = 0; i < 4; i++)
				EXPECT_STREQ(first_value(envp, i % 2 ? "Q" : "P") ?:
					     "(none)",
					     section_get(i < 2 ? ev.env : ev.aenv,
							 i < 2 ? ev.env_len :
							 ev.aenv_len,
							 i % 2 ? "Q" : "P") ?:
					     "(none)")
					TH_LOG("set %d round %d", set, round);
		}
	}
}

/*
 * "a contains x or a contains y or ..." on one field is searched for in
 * one pass: the rules must fire as if each test ran in turn.  Each round
 * draws an environment and needles (pieces of the environment, pieces
 * with a byte changed, strings of its alphabet, some too short to skip
 * by) and loads rules whose runs of tests are searched together, next to
 * the same tests written so that none is (each one negated twice), and
 * programs that jump out of a run elsewhere or into its middle.  Every
 * other four rounds load only a few of them: few enough strings to be looked
 * for as the environment is read.  A reader of envp decides what each
 * must do.
 */
#define RUN_NEEDLES	10
#define RUN_RULES	10	/* rules between "marked" and "end" */

/* Offsets of the needles in the string table run_set() builds. */
struct run_tab {
	char tab[RUN_NEEDLES * 32 + 32];
	unsigned short at[RUN_NEEDLES];
	int len;
};

#define RT(f, i, n) { .op = CIMON_OP_TEST, .field = (f), .index = (i),	\
		      .cmp = CIMON_CMP_CONTAINS, .key = NO_KEY, .arg = (n) }
#define RJ(o, n) { .op = (o), .key = NO_KEY, .jump = (n) }
#define RN { .op = CIMON_OP_NOT, .key = NO_KEY }

/* "small": a set whose strings are looked for as the environment is read. */
static int load_run_set(struct genl *g, const struct run_tab *t, int small)
{
	static const struct cimon_insn never[] = {
		{ .op = CIMON_OP_CONST, .key = NO_KEY, .arg = 0 } };
	const unsigned short *a = t->at;
	const int E = CIMON_FIELD_PROC_ENV, P = CIMON_FIELD_PROC_AENV;
	/* 0: the first three as the compiler writes "a or b or c" */
	const struct cimon_insn run3[] = {
		RT(E, 0, a[0]), RJ(CIMON_OP_JUMP_IF_TRUE, 3), RT(E, 0, a[1]),
		RJ(CIMON_OP_JUMP_IF_TRUE, 1), RT(E, 0, a[2]) };
	/* 1: the same, no run */
	const struct cimon_insn ref3[] = {
		RT(E, 0, a[0]), RN, RN, RJ(CIMON_OP_JUMP_IF_TRUE, 7),
		RT(E, 0, a[1]), RN, RN, RJ(CIMON_OP_JUMP_IF_TRUE, 3),
		RT(E, 0, a[2]), RN, RN };
	/* 2: (a or b) and d, the jump threaded past the JUMP_IF_FALSE */
	const struct cimon_insn and[] = {
		RT(E, 0, a[0]), RJ(CIMON_OP_JUMP_IF_TRUE, 2), RT(E, 0, a[1]),
		RJ(CIMON_OP_JUMP_IF_FALSE, 1), RT(E, 0, a[3]) };
	/* 3: a ? false : b, a jump out of the run elsewhere */
	const struct cimon_insn elsewhere[] = {
		RT(E, 0, a[0]), RJ(CIMON_OP_JUMP_IF_TRUE, 2), RT(E, 0, a[1]),
		{ .op = CIMON_OP_RET, .key = NO_KEY },
		{ .op = CIMON_OP_CONST, .key = NO_KEY, .arg = 0 } };
	/* 4: (e and a) or b, a jump into the run's middle */
	const struct cimon_insn middle[] = {
		RT(E, 0, a[4]), RJ(CIMON_OP_JUMP_IF_FALSE, 2), RT(E, 0, a[0]),
		RJ(CIMON_OP_JUMP_IF_TRUE, 1), RT(E, 0, a[1]) };
	/* 5: all ten: more than one search holds */
	struct cimon_insn ten[2 * RUN_NEEDLES - 1];
	/* 6: the first three in the parent's environment */
	const struct cimon_insn parent[] = {
		RT(P, 1, a[0]), RJ(CIMON_OP_JUMP_IF_TRUE, 3), RT(P, 1, a[1]),
		RJ(CIMON_OP_JUMP_IF_TRUE, 1), RT(P, 1, a[2]) };
	/* 7: not (a or b) */
	const struct cimon_insn negated[] = {
		RT(E, 0, a[0]), RJ(CIMON_OP_JUMP_IF_TRUE, 1), RT(E, 0, a[1]),
		RN };
	/* 8, 9: one needle each */
	const struct cimon_insn one0[] = { RT(E, 0, a[0]) };
	const struct cimon_insn one5[] = { RT(E, 0, a[5]) };
	struct rule set[RUN_RULES + 2] = {
		{ "marked", agree_marked, 1, agree_strtab,
		  sizeof(agree_strtab), NULL, 0 },
		{ "run3", run3, 5, t->tab, t->len, NULL, 0 },
		{ "ref3", ref3, 11, t->tab, t->len, NULL, 0 },
		{ "and", and, 5, t->tab, t->len, NULL, 0 },
		{ "elsewhere", elsewhere, 5, t->tab, t->len, NULL, 0 },
		{ "middle", middle, 5, t->tab, t->len, NULL, 0 },
		{ "ten", ten, 2 * RUN_NEEDLES - 1, t->tab, t->len, NULL, 0 },
		{ "parent", parent, 5, t->tab, t->len, NULL, 0 },
		{ "negated", negated, 4, t->tab, t->len, NULL, 0 },
		{ "one0", one0, 1, t->tab, t->len, NULL, 0 },
		{ "one5", one5, 1, t->tab, t->len, NULL, 0 },
		{ "end", agree_marked, 1, agree_strtab,
		  sizeof(agree_strtab), NULL, 0 },
	};
	struct nl_msg *msg;
	int i, ret;

	/* all but run3, parent and one5 never fire */
	for (i = 1; small && i <= RUN_RULES; i++) {
		if (i == 1 || i == 7 || i == 10)
			continue;
		set[i].insns = never;
		set[i].count = 1;
	}
	for (i = 0; i < RUN_NEEDLES; i++) {
		ten[2 * i] = (struct cimon_insn)RT(E, 0, a[i]);
		if (i + 1 < RUN_NEEDLES)
			ten[2 * i + 1] = (struct cimon_insn)
				RJ(CIMON_OP_JUMP_IF_TRUE,
				   2 * (RUN_NEEDLES - i) - 3);
	}
	ret = genl_call(g, genl_new(g, CIMON_CMD_RULES_BEGIN, 0), 0, NULL,
			NULL);
	for (i = 0; !ret && i < RUN_RULES + 2; i++)
		ret = add_rule(g, &set[i]);
	if (ret)
		return ret;
	msg = genl_new(g, CIMON_CMD_RULES_COMMIT, 0);
	nla_put_u32(msg, CIMON_A_RULES_COUNT, RUN_RULES + 2);
	return genl_call(g, msg, 0, NULL, NULL);
}

#undef RT
#undef RJ
#undef RN

/* What each rule between "marked" and "end" must do, by a reader of envp. */
static void run_expect(const char *joined, const struct run_tab *t,
		       int small, int want[RUN_RULES])
{
	int in[RUN_NEEDLES], i, any = 0;

	for (i = 0; i < RUN_NEEDLES; i++) {
		in[i] = strstr(joined, t->tab + t->at[i]) != NULL;
		any |= in[i];
	}
	want[0] = want[1] = in[0] || in[1] || in[2];
	want[2] = (in[0] || in[1]) && in[3];
	want[3] = !in[0] && in[1];
	want[4] = (in[4] && in[0]) || in[1];
	want[5] = any;
	want[6] = in[0] || in[1] || in[2];
	want[7] = !(in[0] || in[1]);
	want[8] = in[0];
	want[9] = in[5];
	for (i = 1; small && i < RUN_RULES - 1; i++)
		if (i != 6)
			want[i] = 0;
}

/* One exec's rules between "marked" and "end" that fired. */
static int run_records(int feed, const char *mark, int fired[RUN_RULES])
{
	struct cimon_event ev;

	memset(fired, 0, RUN_RULES * sizeof(*fired));
	if (find(feed, 0, mark, &ev, WAIT_MS) != 1)
		return 0;
	for (;;) {
		if (feed_next(feed, &ev, WAIT_MS) != 1 ||
		    ev.rule_id > RUN_RULES + 1)
			return 0;
		if (ev.rule_id == RUN_RULES + 1)
			return 1;
		fired[ev.rule_id - 1] = 1;
	}
}

TEST_F(exec, a_run_of_contains_tests_fires_as_the_tests_would)
{
	static const char alphabet[] = "AB=_ x0";
	static char strings[14][40], mark[40], pad[16384];
	static char joined[CIMON_ENV_WHOLE_LEN + 64];
	char *argv[] = { "agree-parent", NULL };
	int round, i, n, len, pos, fired[RUN_RULES], want[RUN_RULES];
	struct run_tab t;
	char *envp[20];
	size_t jl;

	srandom(11);
	memset(pad, 'p', sizeof(pad) - 1);
	memcpy(pad, "PAD=", 4);
	for (round = 0; round < 48; round++) {
		n = 0;
		envp[n++] = "CIMON_EXEC_HELPER=1";
		snprintf(mark, sizeof(mark), "CIMON_TEST_MARK=r%d", round);
		envp[n++] = mark;
		for (i = 0; i < (int)(random() % 14); i++) {
			len = random() % 30;
			for (pos = 0; pos < len; pos++)
				strings[i][pos] = alphabet[random() % 7];
			strings[i][len] = '\0';
			if (len > 2 && random() % 4)
				memcpy(strings[i], "V=", 2);
			envp[n++] = strings[i];
		}
		/* a quarter walked, not copied: no needle from the pad */
		jl = 0;
		for (i = 0; i < n; i++)
			jl += snprintf(joined + jl, sizeof(joined) - jl, "%s%s",
				       i ? " " : "", envp[i]);
		if (round % 4 == 3)
			envp[n++] = pad;
		envp[n] = NULL;

		t.len = 0;
		for (i = 0; i < RUN_NEEDLES; i++) {
			len = 2 + random() % 18;
			t.at[i] = t.len;
			if (random() % 3 && (size_t)len <= jl) {
				pos = random() % (jl - len + 1);
				memcpy(t.tab + t.len, joined + pos, len);
				/* sometimes its last byte changed */
				if (!(random() % 4))
					t.tab[t.len + len - 1] =
						alphabet[random() % 7];
			} else {
				for (pos = 0; pos < len; pos++)
					t.tab[t.len + pos] =
						alphabet[random() % 7];
			}
			t.tab[t.len + len] = '\0';
			t.len += len + 1;
		}
		/* the pad's strings are searched as the kernel cuts them */
		if (round % 4 == 3)
			snprintf(joined + jl, sizeof(joined) - jl, " %s", pad);
		joined[CIMON_ENV_WHOLE_LEN - 1] = '\0';

		ASSERT_EQ(0, load_run_set(&self->g, &t, round / 4 % 2))
			TH_LOG("%s", self->g.message);
		run_expect(joined, &t, round / 4 % 2, want);
		/* "agree-parent" with envp, then its child "agree" */
		ASSERT_EQ(0, run(self_path, argv, envp));
		ASSERT_EQ(1, run_records(self->feed, mark + 16, fired));
		for (i = 0; i < RUN_RULES; i++)
			if (i != 6)	/* the parent's: the test's own */
				EXPECT_EQ(want[i], fired[i])
					TH_LOG("round %d rule %d", round, i);
		ASSERT_EQ(1, run_records(self->feed, mark + 16, fired));
		for (i = 0; i < RUN_RULES; i++)
			EXPECT_EQ(want[i], fired[i])
				TH_LOG("round %d rule %d", round, i);
	}
}

/*
 * An exec's strings end where its file name starts, a fixed distance
 * below the stack's top page boundary: 4088 - 1 - strlen(file name)
 * bytes into the page (Linux x86-64; the top is not randomized yet when
 * cimon reads them).  A tail of the right length after "P=1", "Q=" puts
 * a page boundary inside them: the variables, their values and a string
 * across the two strings must still be found, in the exec's own
 * environment and, for its child, as the parent's.  The lengths are
 * tried around the computed ones, so a kernel that lays the stack out
 * otherwise only makes the test look elsewhere.
 */
TEST_F(exec, a_string_across_two_pages_is_found)
{
	static const char few[] = "P\0Q";
	static char tail[4200], mark[40];
	const int names[2] = { (int)strlen(self_path), 14 /* /proc/self/exe */ };
	char *argv[] = { "agree-parent", NULL };
	char *envp[8];
	struct cimon_event ev;
	int f, t, at, seen[4];

	ASSERT_EQ(0, load_agree_set(&self->g, few, sizeof(few)))
		TH_LOG("%s", self->g.message);
	for (f = 0; f < 2; f++) {
		/* the tail's NUL and bytes are 4087 - name - t from the page */
		at = 4087 - names[f];
		for (t = at - 12; t <= at + 2; t++) {
			memset(tail, 't', sizeof(tail));
			memcpy(tail, "T=", 2);
			tail[t > 2 ? t : 2] = '\0';
			snprintf(mark, sizeof(mark), "CIMON_TEST_MARK=p%d.%d", f,
				 t);
			envp[0] = "CIMON_EXEC_HELPER=1";
			envp[1] = mark;
			envp[2] = "P=1";
			envp[3] = "Q=";
			envp[4] = tail;
			envp[5] = NULL;
			ASSERT_EQ(0, run(self_path, argv, envp));
			ASSERT_EQ(1, agree_records(self->feed, mark + 16, &ev,
						   seen));
			EXPECT_EQ(1, seen[1]) TH_LOG("%s", mark);
			EXPECT_STREQ("1", section_get(ev.env, ev.env_len, "P") ?:
				     "(none)") TH_LOG("%s", mark);
			EXPECT_STREQ("", section_get(ev.env, ev.env_len, "Q") ?:
				     "(none)") TH_LOG("%s", mark);
			ASSERT_EQ(1, agree_records(self->feed, mark + 16, &ev,
						   seen));
			EXPECT_EQ(1, seen[1]) TH_LOG("%s", mark);
			EXPECT_EQ(1, seen[2]) TH_LOG("%s", mark);
			EXPECT_STREQ("1", section_get(ev.env, ev.env_len, "P") ?:
				     "(none)") TH_LOG("%s", mark);
			EXPECT_STREQ("1", section_get(ev.aenv, ev.aenv_len, "P") ?:
				     "(none)") TH_LOG("%s", mark);
		}
	}
}

/* P compared with the parent's P, through a shell that holds P=same. */
TEST_F(exec, a_value_is_compared_with_the_parents)
{
	char *argv[] = { "sh", "-c",
		"CIMON_TEST_MARK=changed P=same /bin/true; "
		"CIMON_TEST_MARK=changed P=other /bin/true; "
		"unset P; CIMON_TEST_MARK=changed /bin/true; :", NULL };
	char *envp[] = { "P=same", "CIMON_TEST_MARK=shell", NULL };
	struct cimon_event ev;
	int hits = 0;

	ASSERT_EQ(0, run("/bin/sh", argv, envp));
	while (find(self->feed, R_CHANGED, "changed", &ev, 1000) == 1) {
		hits++;
		EXPECT_STREQ("same", section_get(ev.aenv, ev.aenv_len, "P"));
		if (hits == 1) {
			EXPECT_STREQ("other",
				     section_get(ev.env, ev.env_len, "P"));
		} else {
			EXPECT_EQ(NULL, section_get(ev.env, ev.env_len, "P"));
		}
	}
	/* P=other and the unset P; not the P=same that kept it. */
	EXPECT_EQ(2, hits);
}

static void install_worker(struct __test_metadata *_metadata)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "mkdir -p " WORKER_DIR " && cp %s " WORKER,
		 self_path);
	ASSERT_EQ(0, system(cmd));
}

static void expect_step(struct __test_metadata *_metadata,
			const struct cimon_event *ev, const char *action,
			const char *action_repo)
{
	EXPECT_STREQ("octo/app", ev->github.repository);
	EXPECT_STREQ("CI", ev->github.workflow);
	EXPECT_STREQ("4242", ev->github.run_id);
	EXPECT_STREQ("build", ev->github.job);
	EXPECT_STREQ(action, ev->github.action);
	EXPECT_STREQ(action_repo, ev->github.action_repository);
}

TEST_F(exec, each_process_is_named_with_its_step)
{
	char *argv[] = { "Runner.Worker",
		/* step 1 forges another step's context for its child */
		"GITHUB_ACTION=forged GITHUB_REPOSITORY=evil/repo "
		"CIMON_TEST_MARK=child1 /bin/true; :",
		/* step 2 leaves an orphan that outlives it */
		"(sleep 0.3; CIMON_TEST_MARK=orphan2 /bin/true) & exit 0",
		NULL };
	char *envp[] = { NULL };
	struct cimon_event ev;

	install_worker(_metadata);
	ASSERT_EQ(0, run(WORKER, argv, envp));

	ASSERT_EQ(1, find(self->feed, R_MARKED, "step1", &ev, WAIT_MS));
	EXPECT_STREQ("Runner.Worker", ev.proc.ancestors[0]);
	expect_step(_metadata, &ev, "step1", "");
	ASSERT_EQ(1, find(self->feed, R_MARKED, "child1", &ev, WAIT_MS));
	expect_step(_metadata, &ev, "step1", "");
	/* The job's tracking id, as the runner set it */
	EXPECT_STREQ(JOB_TRACKING_ID, section_get(ev.aenv, ev.aenv_len,
						  "RUNNER_TRACKING_ID"));

	ASSERT_EQ(1, find(self->feed, R_MARKED, "step2", &ev, WAIT_MS));
	expect_step(_metadata, &ev, "step2", "tj-actions/changed-files");
	ASSERT_EQ(1, find(self->feed, R_MARKED, "orphan2", &ev, WAIT_MS));
	expect_step(_metadata, &ev, "step2", "tj-actions/changed-files");
	EXPECT_NE((unsigned int)getpid(), ev.proc.ppid);
}

TEST_F(exec, a_step_cannot_start_a_step_of_its_own)
{
	/* A step running a copy of the runner stays in its own step. */
	char nested[600];
	char *argv[] = { "Runner.Worker", nested, NULL };
	char *envp[] = { NULL };
	struct cimon_event ev;

	install_worker(_metadata);
	snprintf(nested, sizeof(nested),
		 "%s 'CIMON_TEST_MARK=inner /bin/true; :'; :", WORKER);
	ASSERT_EQ(0, run(WORKER, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "nested1", &ev, WAIT_MS));
	EXPECT_STREQ("Runner.Worker", ev.proc.ancestors[0]);
	expect_step(_metadata, &ev, "step1", "");
	ASSERT_EQ(1, find(self->feed, R_MARKED, "inner", &ev, WAIT_MS));
	expect_step(_metadata, &ev, "step1", "");
}

TEST_F(exec, outside_a_job_there_is_no_step)
{
	char *argv[] = { "plain", NULL };
	char *envp[] = { "CIMON_EXEC_HELPER=1", "CIMON_TEST_MARK=plain",
			 "GITHUB_REPOSITORY=fake/repo", "GITHUB_RUN_ID=1",
			 NULL };
	struct cimon_event ev;

	ASSERT_EQ(0, run(self_path, argv, envp));
	ASSERT_EQ(1, find(self->feed, R_MARKED, "plain", &ev, WAIT_MS));
	EXPECT_EQ('\0', ev.github.repository[0]);
	EXPECT_EQ('\0', ev.github.run_id[0]);
}

/* Names a rule's output shows: each one terminated and non-empty. */
TEST_F(exec, bad_variable_names_are_refused)
{
	static const char *const bad[] = { "", "A\0\0B", "UNTERMINATED" };
	static const int len[] = { 1, 4, 12 };
	struct rule r = rules[R_MARKED];
	unsigned int i;

	ASSERT_EQ(0, genl_call(&self->g, genl_new(&self->g,
			       CIMON_CMD_RULES_BEGIN, 0), 0, NULL, NULL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.env_keys = bad[i];
		r.env_keys_len = len[i];
		EXPECT_EQ(EINVAL, add_rule(&self->g, &r)) TH_LOG("%u", i);
		EXPECT_NE(NULL, strstr(self->g.message, "variable name"))
			TH_LOG("%u: \"%s\"", i, self->g.message);
	}
}

/* A set naming more variables than an exec reads is refused whole. */
TEST_F(exec, too_many_variables_are_refused)
{
	char keys[CIMON_ENV_KEYS_MAX * 8];
	struct rule r = rules[R_MARKED];
	struct nl_msg *msg;
	int i, len = 0;

	/* CIMON_TEST_MARK from the condition, and 32 more. */
	for (i = 0; i < CIMON_ENV_KEYS_MAX; i++)
		len += sprintf(keys + len, "V%d", i) + 1;
	r.env_keys = keys;
	r.env_keys_len = len;
	ASSERT_EQ(0, genl_call(&self->g, genl_new(&self->g,
			       CIMON_CMD_RULES_BEGIN, 0), 0, NULL, NULL));
	ASSERT_EQ(0, add_rule(&self->g, &r)) TH_LOG("%s", self->g.message);
	msg = genl_new(&self->g, CIMON_CMD_RULES_COMMIT, 0);
	nla_put_u32(msg, CIMON_A_RULES_COUNT, 1);
	EXPECT_EQ(E2BIG, genl_call(&self->g, msg, 0, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->g.message, "too many"))
		TH_LOG("\"%s\"", self->g.message);
	/* The set loaded before is still the one that runs. */
	{
		char *argv[] = { "still", NULL };
		char *envp[] = { "CIMON_EXEC_HELPER=1",
				 "CIMON_TEST_MARK=still", NULL };
		struct cimon_event ev;

		ASSERT_EQ(0, run(self_path, argv, envp));
		EXPECT_EQ(1, find(self->feed, R_MARKED, "still", &ev,
				  WAIT_MS));
	}
}

TEST_HARNESS_MAIN
