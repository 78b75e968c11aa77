// SPDX-License-Identifier: GPL-2.0
/*
 * The rule compiler (userspace/rules): the shipped rule files and the
 * Falco seed rules load; every error names its file, line and column;
 * compiled programs give the right answers on sample events through the
 * reference interpreter; the events mask never leaves out a type the
 * program could match; the kernel's limits hold; `cimon rules check`.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "rules/rules.h"

#ifndef CIMON_RULES_DIR
#define CIMON_RULES_DIR "../../rules"
#endif

#define MEM	(1U << CIMON_EVENT_MEM_OPEN)
#define ENV	(1U << CIMON_EVENT_ENVIRON_OPEN)
#define PTR	(1U << CIMON_EVENT_PTRACE_ATTACH)
#define VMR	(1U << CIMON_EVENT_VM_READ)
#define VMW	(1U << CIMON_EVENT_VM_WRITE)
#define GFD	(1U << CIMON_EVENT_PIDFD_GETFD)
#define EXE	(1U << CIMON_EVENT_EXEC)
#define KMO	(1U << CIMON_EVENT_KMEM_OPEN)
#define ALL	(MEM | ENV | PTR | VMR | VMW | GFD)	/* memory access */
#define ANY	(ALL | EXE | KMO)			/* every rule type */

/* ---- helpers ------------------------------------------------------------ */

static const char *rules_dir(void)
{
	return getenv("CIMON_RULES_DIR") ? getenv("CIMON_RULES_DIR") :
		CIMON_RULES_DIR;
}

static char *rules_path(const char *file)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", rules_dir(), file);
	return buf;
}

/* Compiles YAML texts (named a.yaml, b.yaml, ...), base macros first. */
static struct cimon_ruleset *compile_texts(struct cimon_rules **rp, bool base,
					   const char *const *texts, size_t n)
{
	struct cimon_rules *r = cimon_rules_new(base);
	char name[16];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%c.yaml", (char)('a' + i));
		cimon_rules_add_buffer(r, name, texts[i], strlen(texts[i]));
	}
	*rp = r;
	return cimon_rules_compile(r);
}

static struct cimon_ruleset *compile1(struct cimon_rules **rp, const char *text)
{
	return compile_texts(rp, true, &text, 1);
}

/* All diagnostics as lines, for messages and strstr(). */
static char *diags_text(const struct cimon_rules *r)
{
	static char out[16384];
	const struct cimon_diag *d;
	char line[2048];
	size_t n, i, used = 0;

	out[0] = '\0';
	d = cimon_rules_diags(r, &n);
	for (i = 0; i < n && used < sizeof(out); i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s\n",
					 cimon_diag_format(&d[i], line, sizeof(line)));
	return out;
}

/* The text fails to compile, with @want among its diagnostics. */
static bool fails_with(const char *text, const char *want)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile1(&r, text);
	bool ok = !set && strstr(diags_text(r), want);

	if (!ok)
		fprintf(stderr, "# want \"%s\", got%s:\n%s", want,
			set ? " a rule set" : "", diags_text(r));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return ok;
}

static const struct cimon_rule *find(const struct cimon_ruleset *s,
				     const char *name)
{
	size_t i;

	for (i = 0; s && i < s->nrules; i++)
		if (!strcmp(s->rules[i].name, name))
			return &s->rules[i];
	return NULL;
}

/* ---- sample events --------------------------------------------------------- */

struct ev {
	unsigned int type;
	const char *evt_type;
	int open_read, open_write;	/* -1: no value */
	const char *proc_name;
	int64_t pid, ppid;
	const char *exe, *cmdline;
	const char *aname[CIMON_ANCESTORS + 1];	/* [1] parent ... */
	int64_t tty, uid, euid;
	const char *container, *fd_name;
	int64_t target_pid;		/* -1: no value */
	const char *target_name, *target_exe;
	const char *env[8];		/* "K=V"; env[0] NULL: no value */
	bool has_env;
	const char *aenv[CIMON_ANCESTORS + 1][8];
	bool has_aenv[CIMON_ANCESTORS + 1];
};

static const char *const type_names[] = {
	[CIMON_EVENT_MEM_OPEN] = "mem_open",
	[CIMON_EVENT_ENVIRON_OPEN] = "environ_open",
	[CIMON_EVENT_PTRACE_ATTACH] = "ptrace_attach",
	[CIMON_EVENT_VM_READ] = "process_vm_read",
	[CIMON_EVENT_VM_WRITE] = "process_vm_write",
	[CIMON_EVENT_PIDFD_GETFD] = "pidfd_getfd",
	[CIMON_EVENT_EXEC] = "exec",
	[CIMON_EVENT_KMEM_OPEN] = "kmem_open",
};

static void env_get(const char *const *env, bool has, const char *key,
		    struct cimon_value *v, char *buf, size_t len)
{
	size_t i, kl, used = 0;

	if (!has)
		return;
	if (!key) {
		buf[0] = '\0';
		for (i = 0; env[i]; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 i ? " " : "", env[i]);
		v->present = true;
		v->str = buf;
		return;
	}
	kl = strlen(key);
	for (i = 0; env[i]; i++) {
		if (!strncmp(env[i], key, kl) && env[i][kl] == '=') {
			v->present = true;
			v->str = env[i] + kl + 1;
			return;
		}
	}
}

static void get_field(void *ctx, unsigned int field, unsigned int index,
		      const char *key, struct cimon_value *v)
{
	const struct ev *e = ctx;
	static char buf[4096];
	const char *s = NULL;
	int64_t n = 0;
	bool num = cimon_field_is_numeric(field);

	v->present = false;
	switch (field) {
	case CIMON_FIELD_EVT_TYPE: s = e->evt_type; break;
	case CIMON_FIELD_CIMON_EVENT: s = type_names[e->type]; break;
	case CIMON_FIELD_EVT_IS_OPEN_READ:
		if (e->open_read < 0)
			return;
		n = e->open_read;
		break;
	case CIMON_FIELD_EVT_IS_OPEN_WRITE:
		if (e->open_write < 0)
			return;
		n = e->open_write;
		break;
	case CIMON_FIELD_PROC_NAME: s = e->proc_name; break;
	case CIMON_FIELD_PROC_PID: n = e->pid; break;
	case CIMON_FIELD_PROC_PPID: n = e->ppid; break;
	case CIMON_FIELD_PROC_EXEPATH: s = e->exe; break;
	case CIMON_FIELD_PROC_CMDLINE: s = e->cmdline; break;
	case CIMON_FIELD_PROC_PNAME: s = e->aname[1]; break;
	case CIMON_FIELD_PROC_ANAME: s = e->aname[index]; break;
	case CIMON_FIELD_PROC_TTY: n = e->tty; break;
	case CIMON_FIELD_USER_UID: n = e->uid; break;
	case CIMON_FIELD_USER_EUID: n = e->euid; break;
	case CIMON_FIELD_CONTAINER_ID: s = e->container ? e->container : "host"; break;
	case CIMON_FIELD_FD_NAME: s = e->fd_name; break;
	case CIMON_FIELD_TARGET_PID:
		if (e->target_pid < 0)
			return;
		n = e->target_pid;
		break;
	case CIMON_FIELD_TARGET_NAME: s = e->target_name; break;
	case CIMON_FIELD_TARGET_EXEPATH: s = e->target_exe; break;
	case CIMON_FIELD_PROC_ENV:
		env_get(e->env, e->has_env, key, v, buf, sizeof(buf));
		return;
	case CIMON_FIELD_PROC_AENV:
		env_get(e->aenv[index], e->has_aenv[index], key, v, buf, sizeof(buf));
		return;
	case CIMON_FIELD_EVT_DIR: s = "<"; break;
	case CIMON_FIELD_EVT_ARG_RES: n = 0; break;
	}
	if (num) {
		v->present = true;
		v->num = n;
	} else if (s) {
		v->present = true;
		v->str = s;
	}
}

/* A memory open by "cat" (pid 500) of Runner.Worker (pid 123). */
static struct ev mem_open(const char *path)
{
	struct ev e = {
		.type = CIMON_EVENT_MEM_OPEN, .evt_type = "openat",
		.open_read = 1, .open_write = 0, .proc_name = "cat", .pid = 500,
		.ppid = 400, .exe = "/usr/bin/cat", .cmdline = "cat /proc/123/mem",
		.aname = { NULL, "bash", "Runner.Worker", "Runner.Listener", "systemd" },
		.tty = 0, .uid = 0, .euid = 0, .fd_name = path, .target_pid = 123,
		.target_name = "Runner.Worker",
		.target_exe = "/home/runner/bin/Runner.Worker",
	};
	return e;
}

/* "cat" (pid 500) opening /dev/mem, /dev/port or /proc/kcore: no target. */
static struct ev kmem_open(const char *path)
{
	struct ev e = mem_open(path);

	e.type = CIMON_EVENT_KMEM_OPEN;
	e.cmdline = "cat /dev/mem";
	e.target_pid = -1;
	e.target_name = e.target_exe = NULL;
	return e;
}

static struct ev other_event(unsigned int type, const char *evt_type)
{
	struct ev e = mem_open(NULL);

	e.type = type;
	e.evt_type = evt_type;
	e.open_read = e.open_write = 0;
	return e;
}

/* An exec of "cat" by bash: no file, no target; env and aenv empty. */
static struct ev exec_event(const char *evt_type)
{
	struct ev e = other_event(CIMON_EVENT_EXEC, evt_type);

	e.fd_name = NULL;
	e.target_pid = -1;
	e.target_name = e.target_exe = NULL;
	e.has_env = e.has_aenv[1] = true;
	return e;
}

/* The program alone, whatever the rule's events mask says. */
static int run_prog(const struct cimon_rule *ru, struct ev *e)
{
	return cimon_prog_run(ru->insns, ru->ninsns, ru->strtab, ru->strtab_len,
			      get_field, e);
}

/* The rule as the module runs it: only for the types in its mask. */
static int run_rule(const struct cimon_rule *ru, struct ev *e)
{
	if (!(ru->events & (1U << e->type)))
		return 0;
	return run_prog(ru, e);
}

/* Compiles "condition: COND" alone and runs it on @e: 1, 0, or -1. */
static int eval_cond(const char *cond, struct ev *e, uint32_t *mask)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set;
	char text[8192];
	int ret = -1;

	snprintf(text, sizeof(text),
		 "- list: shells\n  items: [bash, sh, zsh]\n"
		 "- list: more_shells\n  items: [shells, dash, \"fish\"]\n"
		 "- rule: t\n  condition: '%s'\n", cond);
	set = compile1(&r, text);
	if (set && set->nrules == 1) {
		ret = run_rule(&set->rules[0], e);
		if (mask)
			*mask = set->rules[0].events;
	} else {
		fprintf(stderr, "# %s:\n%s", cond, diags_text(r));
	}
	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return ret;
}

/* ---- the shipped files ----------------------------------------------------- */

TEST(shipped_files_load)
{
	static const char *const files[] = {
		"base.yaml", "falco_seed.yaml", "memory_access.yaml"
	};
	struct cimon_rules *r = cimon_rules_new(true);
	struct cimon_ruleset *set;
	const struct cimon_rule *ru;
	size_t i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, cimon_rules_add_file(r, rules_path(files[i])));
	set = cimon_rules_compile(r);
	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	EXPECT_EQ(10, set->nrules);
	for (i = 0; i < set->nrules; i++) {
		char err[128];

		ru = &set->rules[i];
		EXPECT_EQ(0, cimon_prog_verify(ru->insns, ru->ninsns, ru->strtab,
					       ru->strtab_len, err, sizeof(err)))
			TH_LOG("%s: %s", ru->name, err);
		EXPECT_NE(0, ru->desc[0]);
		EXPECT_NE(0, ru->output[0]);
		if (!strstr(ru->name, "Persistence"))	/* the article gives none */
			EXPECT_EQ(0, strncmp(ru->tags, "CI/CD", 5)) TH_LOG("%s", ru->name);
		EXPECT_TRUE(ru->enabled);
		/* only the runner's own rule blocks */
		EXPECT_EQ(strstr(ru->name, "GitHub Runner") &&
			  !strstr(ru->name, "Persistence") ?
			  CIMON_ACTION_BLOCK : CIMON_ACTION_ALERT, ru->action)
			TH_LOG("%s", ru->name);
	}
	ru = find(set, "Memory of GitHub Runner Read or Written");
	ASSERT_NE(NULL, ru);
	EXPECT_EQ(ALL, ru->events);
	EXPECT_EQ(CIMON_PRIORITY_CRITICAL, ru->priority);
	EXPECT_EQ(MEM, find(set, "Memory of Another Process Opened")->events);
	EXPECT_EQ(ENV, find(set, "Environment of Another Process Read")->events);
	EXPECT_EQ(PTR, find(set, "Ptrace Attach to Another Process")->events);
	EXPECT_EQ(VMR, find(set, "Memory of Another Process Read with process_vm_readv")->events);
	EXPECT_EQ(VMW, find(set, "Memory of Another Process Written with process_vm_writev")->events);
	EXPECT_EQ(GFD, find(set, "File Descriptor of Another Process Taken")->events);
	/* /dev/mem, /dev/port, /proc/kcore: whoever opens them, an alert */
	ru = find(set, "Kernel or Physical Memory Opened");
	ASSERT_NE(NULL, ru);
	EXPECT_EQ(KMO, ru->events);
	EXPECT_EQ(CIMON_PRIORITY_CRITICAL, ru->priority);
	EXPECT_EQ(CIMON_ACTION_ALERT, ru->action);
	EXPECT_NE(NULL, strstr(ru->output, "file=%fd.name"));
	EXPECT_NE(NULL, strstr(ru->output, "step=%github.action"));
	{
		static const char *const paths[] = {
			"/dev/mem", "/dev/port", "/proc/kcore"
		};
		struct ev e;

		for (i = 0; i < 3; i++) {
			e = kmem_open(paths[i]);
			EXPECT_EQ(1, run_rule(ru, &e)) TH_LOG("%s", paths[i]);
			e.open_read = 0;
			e.open_write = 1;
			EXPECT_EQ(1, run_rule(ru, &e)) TH_LOG("%s", paths[i]);
		}
		e = mem_open("/proc/1/mem");
		EXPECT_EQ(0, run_rule(ru, &e));
		/* the other rules leave these opens to it */
		e = kmem_open("/proc/kcore");
		for (i = 0; i < set->nrules; i++)
			if (&set->rules[i] != ru)
				EXPECT_EQ(0, run_rule(&set->rules[i], &e))
					TH_LOG("%s", set->rules[i].name);
	}
	/* the exec rule runs on exec events, and the kernel carries its env */
	ru = find(set, "Persistence Across Github Runner Executions Detected");
	EXPECT_EQ(EXE, ru->events);
	ASSERT_EQ(sizeof("RUNNER_TRACKING_ID"), ru->env_keys_len);
	EXPECT_EQ(0, memcmp(ru->env_keys, "RUNNER_TRACKING_ID", ru->env_keys_len));
	EXPECT_EQ(0, find(set, "Process Dumping Memory of Others")->env_keys_len);
	EXPECT_EQ(NULL, strstr(diags_text(r), "warning")) TH_LOG("%s", diags_text(r));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

/* The article's text, byte for byte, is in falco_seed.yaml. */
TEST(seed_rules_unchanged)
{
	static const char *const lines[] = {
		"- rule: Process Dumping Memory of Others\n",
		"    Detect a process dumping memory of other processes. Sensitive information can be stored in memory, and this could be a step prior to exfiltration.\n",
		"    open_read and fd.name startswith \"/proc/\" and fd.name endswith \"/mem\" and not fd.name contains \"/self/\"\n",
		"  output: A process %proc.name with pid %proc.pid is dumping memory of other processes (file=%fd.name process=%proc.name proc_exepath=%proc.exepath gparent=%proc.aname[2] ggparent=%proc.aname[3] gggparent=%proc.aname[4] command=%proc.cmdline terminal=%proc.tty container_image=%container.image.repository)\n",
		"  priority: WARNING\n",
		"  tags: [CI/CD]\n",
		"- macro: spawned_process\n",
		"  condition: (evt.type in (execve, execveat) and evt.dir=< and evt.arg.res=0)\n",
		"- rule: Persistence Across Github Runner Executions Detected\n",
		"  desc: This rule detects the usage of the RUNNER_TRACKING_ID environment variable set to 0 or empty string. When this variable is set, the cleanup job does not terminate the associated process. Threat actors can exploit this to maintain persistence across workflow executions.\n",
		"  condition: spawned_process and (proc.env contains \"RUNNER_TRACKING_ID=0\" or proc.env contains \"RUNNER_TRACKING_ID= \") and not proc.aenv[1] contains \"RUNNER_TRACKING_ID=\"\n",
		"Persistence attempt via GitHub Runner detected. Process %proc.name (PID: %proc.pid) spawned in container %container.name with RUNNER_TRACKING_ID=%proc.env[\"RUNNER_TRACKING_ID\"]. (user=%user.name image=%container.image.repository cmdline=%proc.cmdline)",
	};
	FILE *f = fopen(rules_path("falco_seed.yaml"), "r");
	char text[16384];
	size_t n, i;

	ASSERT_NE(NULL, f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		EXPECT_NE(NULL, strstr(text, lines[i])) TH_LOG("missing: %s", lines[i]);
}

TEST(seed_rule_dumping_memory)
{
	struct cimon_rules *r = cimon_rules_new(true);
	struct cimon_ruleset *set;
	const struct cimon_rule *ru;
	struct ev e;

	ASSERT_EQ(0, cimon_rules_add_file(r, rules_path("falco_seed.yaml")));
	set = cimon_rules_compile(r);
	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	ru = find(set, "Process Dumping Memory of Others");
	ASSERT_NE(NULL, ru);
	/* open_read and fd.name: any open, /proc/kcore's too, might match */
	EXPECT_EQ(MEM | ENV | KMO, ru->events);
	EXPECT_EQ(CIMON_PRIORITY_WARNING, ru->priority);
	EXPECT_STREQ("CI/CD", ru->tags);

	e = mem_open("/proc/123/mem");
	EXPECT_EQ(1, run_rule(ru, &e));
	e = mem_open("/proc/self/mem");
	EXPECT_EQ(0, run_rule(ru, &e));
	e = mem_open("/proc/123/task/124/mem");
	EXPECT_EQ(1, run_rule(ru, &e));
	e = mem_open("/proc/123/maps");
	EXPECT_EQ(0, run_rule(ru, &e));
	/* the gaps cimon's own rules close */
	e = mem_open("/mnt/proc/123/mem");		/* /proc mounted elsewhere */
	EXPECT_EQ(0, run_rule(ru, &e));
	e = mem_open("/proc/123/mem");
	e.open_read = 0;				/* opened for writing */
	e.open_write = 1;
	EXPECT_EQ(0, run_rule(ru, &e));
	e = mem_open("/proc/123/mem");
	e.evt_type = "open";
	EXPECT_EQ(1, run_rule(ru, &e));
	e = other_event(CIMON_EVENT_PTRACE_ATTACH, "ptrace");
	EXPECT_EQ(0, run_rule(ru, &e));
	e = kmem_open("/proc/kcore");
	EXPECT_EQ(0, run_rule(ru, &e));

	ru = find(set, "Memory of Another Process Opened");
	EXPECT_EQ(NULL, ru);	/* not loaded: only the seed file */
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(seed_rule_persistence)
{
	struct cimon_rules *r = cimon_rules_new(true);
	struct cimon_ruleset *set;
	const struct cimon_rule *ru;
	struct ev e = exec_event("execve");

	ASSERT_EQ(0, cimon_rules_add_file(r, rules_path("falco_seed.yaml")));
	set = cimon_rules_compile(r);
	ASSERT_NE(NULL, set);
	ru = find(set, "Persistence Across Github Runner Executions Detected");
	ASSERT_NE(NULL, ru);
	e.has_env = true;
	e.env[0] = "HOME=/root";
	e.env[1] = "RUNNER_TRACKING_ID=0";
	e.has_aenv[1] = true;
	e.aenv[1][0] = "HOME=/root";
	EXPECT_EQ(1, run_rule(ru, &e));
	/* the gap: the step's shell already carries it */
	e.aenv[1][1] = "RUNNER_TRACKING_ID=0";
	EXPECT_EQ(0, run_rule(ru, &e));
	e.aenv[1][1] = NULL;
	e.env[1] = "RUNNER_TRACKING_ID=github_123";
	EXPECT_EQ(0, run_rule(ru, &e));
	e.env[1] = "RUNNER_TRACKING_ID=";	/* the empty value: missed */
	EXPECT_EQ(0, run_rule(ru, &e));
	e.env[1] = "RUNNER_TRACKING_ID=0";
	e.evt_type = "execveat";
	EXPECT_EQ(1, run_rule(ru, &e));
	e.has_aenv[1] = false;		/* no parent's environment */
	EXPECT_EQ(1, run_rule(ru, &e));
	/* an open is no spawned process, whatever it holds */
	e.type = CIMON_EVENT_MEM_OPEN;
	e.evt_type = "openat";
	EXPECT_EQ(0, run_rule(ru, &e));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(cimon_rules_close_the_gaps)
{
	struct cimon_rules *r = cimon_rules_new(true);
	struct cimon_ruleset *set;
	const struct cimon_rule *runner, *mem, *env, *ptr;
	struct ev e;

	ASSERT_EQ(0, cimon_rules_add_file(r, rules_path("memory_access.yaml")));
	set = cimon_rules_compile(r);
	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	runner = find(set, "Memory of GitHub Runner Read or Written");
	mem = find(set, "Memory of Another Process Opened");
	env = find(set, "Environment of Another Process Read");
	ptr = find(set, "Ptrace Attach to Another Process");
	ASSERT_TRUE(runner && mem && env && ptr);

	e = mem_open("/mnt/proc/123/task/124/mem");
	EXPECT_EQ(1, run_rule(runner, &e));
	EXPECT_EQ(0, run_rule(mem, &e));
	e.target_name = "python3";
	e.target_exe = "/usr/bin/python3.11";
	EXPECT_EQ(0, run_rule(runner, &e));
	EXPECT_EQ(1, run_rule(mem, &e));
	e.open_read = 0;		/* a write is caught too */
	EXPECT_EQ(1, run_rule(mem, &e));
	/* the runner by its path, whatever its comm */
	e.target_name = "dotnet";
	e.target_exe = "/opt/actions-runner/bin/Runner.Worker";
	EXPECT_EQ(1, run_rule(runner, &e));
	e = other_event(CIMON_EVENT_ENVIRON_OPEN, "openat");
	e.fd_name = "/proc/123/environ";
	EXPECT_EQ(1, run_rule(runner, &e));
	e.target_name = "node";
	e.target_exe = "/usr/bin/node";
	EXPECT_EQ(1, run_rule(env, &e));
	EXPECT_EQ(0, run_rule(mem, &e));
	e = other_event(CIMON_EVENT_PTRACE_ATTACH, "ptrace");
	EXPECT_EQ(1, run_rule(runner, &e));
	e = other_event(CIMON_EVENT_VM_READ, "process_vm_readv");
	EXPECT_EQ(1, run_rule(runner, &e));
	e = other_event(CIMON_EVENT_PIDFD_GETFD, "pidfd_getfd");
	EXPECT_EQ(1, run_rule(runner, &e));
	e.target_name = "sshd";
	e.target_exe = "/usr/sbin/sshd";
	EXPECT_EQ(0, run_rule(runner, &e));
	EXPECT_EQ(1, run_rule(find(set, "File Descriptor of Another Process Taken"), &e));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

/* ---- names across files ---------------------------------------------------- */

TEST(redefinition_order)
{
	static const char *const texts[] = {
		/* a.yaml: uses a macro and a list defined later */
		"- rule: uses_later\n"
		"  condition: later_macro and proc.name in (later_list)\n"
		"- macro: m\n  condition: proc.name = first\n"
		"- list: l\n  items: [one]\n"
		"- rule: replaced\n  condition: proc.name = old\n  priority: DEBUG\n"
		"- rule: kept\n  condition: m and proc.pname in (l)\n",
		/* b.yaml */
		"- macro: later_macro\n  condition: proc.pid = 500\n"
		"- list: later_list\n  items: [cat]\n"
		"- macro: m\n  condition: proc.name = cat\n"
		"- list: l\n  items: [two, bash]\n"
		"- rule: replaced\n  condition: proc.name = cat\n  priority: info\n"
		"- rule: kept\n  enabled: false\n",
	};
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile_texts(&r, true, texts, 2);
	struct ev e = mem_open("/proc/1/mem");

	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	ASSERT_EQ(3, set->nrules);
	/* a replaced rule keeps its place, takes the new definition */
	EXPECT_STREQ("uses_later", set->rules[0].name);
	EXPECT_STREQ("replaced", set->rules[1].name);
	EXPECT_STREQ("b.yaml", set->rules[1].file);
	EXPECT_EQ(9, set->rules[1].line);
	EXPECT_EQ(CIMON_PRIORITY_INFORMATIONAL, set->rules[1].priority);
	EXPECT_EQ(1, run_rule(&set->rules[0], &e));
	EXPECT_EQ(1, run_rule(&set->rules[1], &e));
	/* the later m and l win; "enabled: false" alone turns kept off */
	EXPECT_EQ(1, run_rule(&set->rules[2], &e));
	EXPECT_FALSE(set->rules[2].enabled);
	e.aname[1] = "one";
	EXPECT_EQ(0, run_rule(&set->rules[2], &e));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(user_redefines_base_macro)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile1(&r,
		"- macro: open_read\n  condition: fd.name exists\n"
		"- rule: x\n  condition: open_read\n");
	struct ev e = other_event(CIMON_EVENT_PTRACE_ATTACH, "ptrace");

	ASSERT_NE(NULL, set);
	EXPECT_EQ(0, run_rule(&set->rules[0], &e));
	EXPECT_EQ(MEM | ENV | KMO, set->rules[0].events);
	e = mem_open("/proc/1/mem");
	e.open_read = 0;	/* the base open_read would say no */
	EXPECT_EQ(1, run_rule(&set->rules[0], &e));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(lists_of_lists)
{
	struct ev e = mem_open("/proc/1/mem");

	e.proc_name = "fish";
	EXPECT_EQ(1, eval_cond("proc.name in (more_shells)", &e, NULL));
	e.proc_name = "zsh";
	EXPECT_EQ(1, eval_cond("proc.name in (more_shells)", &e, NULL));
	EXPECT_EQ(1, eval_cond("proc.name in (cat, more_shells, x)", &e, NULL));
	e.proc_name = "shells";	/* a list name is not a value */
	EXPECT_EQ(0, eval_cond("proc.name in (more_shells)", &e, NULL));
	EXPECT_EQ(1, eval_cond("proc.name in (\"shells\")", &e, NULL));
	EXPECT_EQ(0, eval_cond("proc.name in ()", &e, NULL));
}

/* ---- operators and fields ------------------------------------------------- */

struct case_ {
	const char *cond;
	int want;
};

TEST(operators_and_fields)
{
	static const struct case_ cases[] = {
		{ "proc.name = cat", 1 }, { "proc.name == cat", 1 },
		{ "proc.name=cat", 1 }, { "proc.name = \"cat\"", 1 },
		{ "proc.name != cat", 0 }, { "proc.name != dog", 1 },
		{ "proc.name startswith ca", 1 }, { "proc.name endswith at", 1 },
		{ "proc.name contains a", 1 }, { "proc.name contains x", 0 },
		{ "proc.name glob \"c?t\"", 1 }, { "proc.name glob \"[a-c]*\"", 1 },
		{ "proc.name glob \"d*\"", 0 }, { "proc.name in (dog, cat)", 1 },
		{ "proc.name in (dog)", 0 }, { "proc.name exists", 1 },
		{ "proc.pid = 500", 1 }, { "proc.pid != 500", 0 },
		{ "proc.pid < 501", 1 }, { "proc.pid <= 500", 1 },
		{ "proc.pid > 500", 0 }, { "proc.pid >= 500", 1 },
		{ "proc.pid in (1, 500)", 1 }, { "proc.pid = 0x1f4", 1 },
		{ "proc.ppid = 400", 1 }, { "user.uid = 0", 1 },
		{ "user.euid > 0", 0 }, { "proc.tty = 0", 1 },
		{ "evt.type = openat", 1 }, { "evt.type in (open, openat, openat2)", 1 },
		{ "cimon.event = mem_open", 1 }, { "evt.is_open_read = true", 1 },
		{ "evt.is_open_write = true", 0 }, { "evt.is_open_write = false", 1 },
		{ "proc.exepath = /usr/bin/cat", 1 },
		{ "proc.cmdline contains \"/proc/123\"", 1 },
		{ "proc.pname = bash", 1 }, { "proc.aname[1] = bash", 1 },
		{ "proc.aname[0] = cat", 1 }, { "proc.aname[2] = Runner.Worker", 1 },
		{ "proc.aname[4] = systemd", 1 }, { "proc.aname = Runner.Listener", 1 },
		{ "proc.aname = cat", 0 }, { "proc.aname != bash", 0 },
		{ "proc.aname != zsh", 1 }, { "proc.aname in (zsh, systemd)", 1 },
		{ "container.id = host", 1 }, { "not container", 1 },
		{ "fd.name = /proc/1/mem", 1 }, { "fd.name exists", 1 },
		{ "target.pid = 123", 1 }, { "target.name = Runner.Worker", 1 },
		{ "target.exepath endswith /Runner.Worker", 1 },
		{ "evt.dir = <", 1 }, { "evt.dir=<", 1 }, { "evt.arg.res = 0", 1 },
		/* no value: false to everything, true with != */
		{ "proc.env exists", 0 }, { "proc.env contains X", 0 },
		{ "proc.env != X", 1 }, { "not proc.env = X", 1 },
		{ "proc.env[HOME] = /root", 0 }, { "proc.aenv[1] exists", 0 },
		{ "proc.aenv[1][HOME] != x", 1 },
		{ "github.action exists", 0 }, { "github.job != build", 1 },
		/* and, or, not, parentheses, precedence */
		{ "proc.name = cat and proc.pid = 500", 1 },
		{ "proc.name = cat and proc.pid = 1", 0 },
		{ "proc.name = dog or proc.pid = 500", 1 },
		{ "proc.name = dog or proc.pid = 1 or user.uid = 0", 1 },
		{ "proc.name = dog or proc.pid = 1 and user.uid = 0", 0 },
		{ "(proc.name = dog or proc.pid = 500) and user.uid = 0", 1 },
		{ "not proc.name = cat", 0 }, { "not not proc.name = cat", 1 },
		{ "not (proc.name = dog or proc.pid = 1)", 1 },
		{ "not(proc.name=dog)and(proc.pid=500)", 1 },
		{ "open_read and not proc_environ_open", 1 },
		{ "", 1 }, { "   ", 1 },
	};
	struct ev e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = mem_open("/proc/1/mem");
		EXPECT_EQ(cases[i].want, eval_cond(cases[i].cond, &e, NULL))
			TH_LOG("%s", cases[i].cond);
	}
}

TEST(env_fields)
{
	static const struct case_ cases[] = {
		{ "proc.env contains \"RUNNER_TRACKING_ID=0\"", 1 },
		{ "proc.env[RUNNER_TRACKING_ID] = 0", 1 },
		{ "proc.env[\"RUNNER_TRACKING_ID\"] = \"0\"", 1 },
		{ "proc.env[HOME] startswith /ro", 1 },
		{ "proc.env[NOPE] exists", 0 }, { "proc.env[NOPE] != x", 1 },
		{ "proc.aenv[1] contains RUNNER_TRACKING_ID=", 0 },
		{ "proc.aenv[1][PATH] = /bin", 1 },
		{ "proc.aenv[\"1\"][PATH] = /bin", 1 },
		{ "proc.aenv[1] = PATH=/bin", 1 },
		{ "proc.env = \"HOME=/root RUNNER_TRACKING_ID=0\"", 1 },
		/* only the parent: any other ancestor is an error */
		{ "proc.aenv[2][PATH] = /sbin", -1 },
		{ "proc.aenv[PATH] = /sbin", -1 },
		{ "proc.aenv contains PATH=/sbin", -1 },
		/* the other event's fields have no value in an exec */
		{ "fd.name exists", 0 }, { "target.pid exists", 0 },
		{ "target.name != x", 1 }, { "evt.type = execve", 1 },
		{ "cimon.event = exec", 1 }, { "spawned_process", 1 },
	};
	struct ev e = exec_event("execve");
	size_t i;

	e.env[0] = "HOME=/root";
	e.env[1] = "RUNNER_TRACKING_ID=0";
	e.aenv[1][0] = "PATH=/bin";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(cases[i].want, eval_cond(cases[i].cond, &e, NULL))
			TH_LOG("%s", cases[i].cond);
	}
}

/* ---- programs -------------------------------------------------------------- */

/* The program of "condition: @cond" as text, one instruction a line. */
static const char *program(const char *cond)
{
	static char out[4096];
	struct cimon_rules *r;
	struct cimon_ruleset *set;
	char text[2048], line[512];
	size_t i, used = 0;

	snprintf(text, sizeof(text), "- rule: t\n  condition: '%s'\n", cond);
	set = compile1(&r, text);
	out[0] = '\0';
	for (i = 0; set && i < set->rules[0].ninsns; i++) {
		cimon_insn_format(&set->rules[0].insns[i], set->rules[0].strtab,
				  set->rules[0].strtab_len, line, sizeof(line));
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
					 i ? "; " : "", line);
	}
	if (!set)
		snprintf(out, sizeof(out), "ERROR %s", diags_text(r));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return out;
}

TEST(program_shapes)
{
	EXPECT_STREQ("CONST 1", program(""));
	EXPECT_STREQ("TEST proc.name = \"a\"; JIF 1; TEST proc.pid = 1",
		     program("proc.name = a and proc.pid = 1"));
	EXPECT_STREQ("TEST proc.name = \"a\"; JIT 1; TEST proc.pid = 1",
		     program("proc.name = a or proc.pid = 1"));
	EXPECT_STREQ("TEST proc.name != \"a\"", program("proc.name != a"));
	EXPECT_STREQ("TEST proc.name != \"a\"", program("not proc.name = a"));
	EXPECT_STREQ("TEST proc.name = \"a\"", program("not proc.name != a"));
	EXPECT_STREQ("TEST proc.name contains \"a\"; NOT",
		     program("not proc.name contains a"));
	EXPECT_STREQ("TEST proc.name = \"a\"", program("not not proc.name = a"));
	/* in: a chain of tests, duplicates once, jumps to the end */
	EXPECT_STREQ("TEST proc.name = \"a\"; JIT 4; TEST proc.name = \"b\"; JIT 2; TEST proc.name = \"c\"; JIF 1; TEST proc.pid = 1",
		     program("proc.name in (a, b, a, c) and proc.pid = 1"));
	/* a and b and c: the first jump goes straight to the end */
	EXPECT_STREQ("TEST proc.pid = 1; JIF 3; TEST proc.pid = 2; JIF 1; TEST proc.pid = 3",
		     program("proc.pid = 1 and proc.pid = 2 and proc.pid = 3"));
	/* (a or b) and c: a true goes to c, a false and b false to the end */
	EXPECT_STREQ("TEST proc.pid = 1; JIT 2; TEST proc.pid = 2; JIF 1; TEST proc.pid = 3",
		     program("(proc.pid = 1 or proc.pid = 2) and proc.pid = 3"));
	EXPECT_STREQ("CONST 0", program("proc.name in ()"));
	EXPECT_STREQ("TEST proc.name = \"a\"", program("proc.name in () or proc.name = a"));
	EXPECT_STREQ("TEST proc.aname[1] exists; JIT 5; TEST proc.aname[2] exists; JIT 3; TEST proc.aname[3] exists; JIT 1; TEST proc.aname[4] exists",
		     program("proc.aname exists"));
	EXPECT_STREQ("TEST proc.env[HOME] = \"x\"", program("proc.env[HOME] = x"));
	EXPECT_STREQ("TEST proc.aenv[1][HOME] exists", program("proc.aenv[1][HOME] exists"));
	/* val(): one TEST_FIELD; negated by its comparison */
	EXPECT_STREQ("TEST proc.name = val(proc.pname)", program("proc.name = val(proc.pname)"));
	EXPECT_STREQ("TEST proc.name != val(proc.aname[2])",
		     program("not proc.name == val( proc.aname[2] )"));
	EXPECT_STREQ("TEST proc.name = val(proc.name)", program("proc.name = val(proc.aname[0])"));
	EXPECT_STREQ("TEST proc.pid < val(proc.ppid); NOT", program("not proc.pid < val(proc.ppid)"));
	EXPECT_STREQ("TEST proc.env[A] != val(proc.aenv[1][A])",
		     program("proc.env[A] != val(proc.aenv[1][\"A\"])"));
	EXPECT_STREQ("TEST proc.aname[1] = val(proc.name); JIT 5; TEST proc.aname[2] = val(proc.name); JIT 3; TEST proc.aname[3] = val(proc.name); JIT 1; TEST proc.aname[4] = val(proc.name); NOT",
		     program("proc.aname != val(proc.name)"));
	/* a quoted "val(x)" is a string */
	EXPECT_STREQ("TEST proc.name = \"val(x)\"", program("proc.name = \"val(x)\""));
}

TEST(string_table)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile1(&r,
		"- rule: t\n  condition: proc.name = a or proc.pname = a or proc.env[a] = b or fd.name = b\n");
	const struct cimon_rule *ru;

	ASSERT_NE(NULL, set);
	ru = &set->rules[0];
	ASSERT_EQ(4, ru->strtab_len);
	EXPECT_EQ(0, memcmp(ru->strtab, "a\0b\0", 4));
	EXPECT_EQ(0, ru->insns[0].arg);
	EXPECT_EQ(CIMON_NO_KEY, ru->insns[0].key);
	EXPECT_EQ(0, ru->insns[4].key);
	EXPECT_EQ(2, ru->insns[4].arg);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

TEST(interpreter_semantics)
{
	/* hand-made programs: RET, jumps, CONST, verifier refusals */
	struct cimon_insn p[4] = {
		{ .op = CIMON_OP_CONST, .key = CIMON_NO_KEY, .arg = 1 },
		{ .op = CIMON_OP_RET, .key = CIMON_NO_KEY },
		{ .op = CIMON_OP_NOT, .key = CIMON_NO_KEY },
	};
	struct ev e = mem_open("/proc/1/mem");
	char err[128];

	EXPECT_EQ(1, cimon_prog_run(p, 3, NULL, 0, get_field, &e));
	p[1].op = CIMON_OP_NOT;
	EXPECT_EQ(1, cimon_prog_run(p, 3, NULL, 0, get_field, &e));
	p[1] = (struct cimon_insn){ .op = CIMON_OP_JUMP_IF_TRUE, .jump = 1,
				    .key = CIMON_NO_KEY };
	EXPECT_EQ(1, cimon_prog_run(p, 3, NULL, 0, get_field, &e));
	p[1].jump = 2;		/* past the end */
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, NULL, 0, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "past the end"));
	EXPECT_EQ(-1, cimon_prog_run(p, 3, NULL, 0, get_field, &e));
	p[1].jump = 1;
	p[2] = (struct cimon_insn){ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_NAME,
				    .cmp = CIMON_CMP_LT, .key = CIMON_NO_KEY };
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[2].cmp = CIMON_CMP_EQ;
	p[2].arg = 2;		/* off the table */
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[2].arg = 0;
	EXPECT_EQ(0, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "ab", 2, err, sizeof(err)));	/* no NUL */
	p[2].field = CIMON_FIELD_PROC_ANAME;	/* needs an index */
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[2].index = 5;
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[2].index = 2;
	EXPECT_EQ(0, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[2].key = 0;		/* aname takes no key */
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[2].key = CIMON_NO_KEY;
	p[0].op = 0;
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	p[0].op = CIMON_OP_COUNT;
	EXPECT_EQ(-1, cimon_prog_verify(p, 3, "a", 2, err, sizeof(err)));
	EXPECT_EQ(-1, cimon_prog_verify(p, 0, "a", 2, err, sizeof(err)));
}

/* ---- events mask ----------------------------------------------------------- */

TEST(events_mask)
{
	static const struct { const char *cond; uint32_t mask; } cases[] = {
		{ "", ANY },
		{ "proc.name = cat", ANY },
		{ "open_read", MEM | ENV | KMO },
		{ "open_write", MEM | ENV | KMO },
		{ "spawned_process", EXE },
		{ "not spawned_process", ANY },
		{ "evt.type = execveat", EXE },
		{ "cimon.event = exec", EXE },
		{ "not cimon.event = exec", ALL | KMO },
		{ "spawned_process and fd.name exists", 0 },
		{ "spawned_process and target.pid = 1", 0 },
		{ "spawned_process and target.name != x", EXE },
		{ "spawned_process and proc.env[X] = 1", EXE },
		{ "github.action = x", ANY },
		{ "fd.name = val(target.name)", ANY },	/* both none: equal */
		{ "fd.name != val(target.name)", ALL | KMO },
		{ "proc.env[A] = val(proc.aenv[1][A])", ANY },
		{ "proc.env[A] != val(proc.aenv[1][A])", EXE },
		{ "proc.env[A] != val(evt.type)", ANY },
		{ "proc.env[A] = val(evt.type)", EXE },
		{ "proc.pid < val(target.pid)", ALL },
		{ "proc.name = val(proc.pname)", ANY },
		{ "evt.type = ptrace", PTR },
		{ "evt.type != ptrace", ANY & ~PTR },
		{ "evt.type in (process_vm_readv, process_vm_writev)", VMR | VMW },
		{ "evt.type startswith process_vm", VMR | VMW },
		{ "evt.type = open", MEM | ENV | KMO },
		{ "evt.type = nonesuch", 0 },
		{ "cimon.event = mem_open", MEM },
		{ "cimon.event in (mem_open, pidfd_getfd)", MEM | GFD },
		{ "not cimon.event = mem_open", ANY & ~MEM },
		{ "cimon.event glob \"process_vm_*\"", VMR | VMW },
		{ "fd.name exists", MEM | ENV | KMO },
		{ "not fd.name exists", ANY },
		{ "fd.name startswith /proc", MEM | ENV | KMO },
		{ "fd.name != /proc", ANY },
		{ "evt.is_open_read = 1", MEM | ENV | KMO },
		{ "evt.is_open_read = 0", ANY },
		{ "evt.is_open_read != 1", ANY },
		{ "proc.env contains X", EXE },
		{ "proc.env[X] != 1", ANY },
		{ "proc.aenv[1] exists", EXE },
		{ "evt.dir = >", 0 },
		{ "evt.arg.res != 0", 0 },
		{ "never_true", 0 },
		{ "always_true", ANY },
		{ "target.pid > 0", ALL },
		{ "proc_mem_open or ptrace_attach", MEM | PTR },
		{ "other_process_access", ALL },
		{ "proc.name in ()", 0 },
		/* /dev/mem, /dev/port, /proc/kcore: an open of no process */
		{ "kernel_memory_open", KMO },
		{ "cimon.event = kmem_open", KMO },
		{ "cimon.event = kmem_open and evt.type = openat2", KMO },
		{ "cimon.event = kmem_open and evt.type = ptrace", 0 },
		{ "kernel_memory_open and target.pid exists", 0 },
		{ "kernel_memory_open and target.name exists", 0 },
		{ "kernel_memory_open and proc.env exists", 0 },
		{ "kernel_memory_open and fd.name = /dev/mem", KMO },
		{ "evt.type = io_uring_enter", MEM | ENV | KMO },
		{ "evt.type = open_by_handle_at and not other_process_access", KMO },
		{ "cimon.event in (lost, missed, tamper)", 0 },
	};
	uint32_t mask;
	struct ev e = mem_open("/proc/1/mem");
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mask = 0xdead;
		eval_cond(cases[i].cond, &e, &mask);
		EXPECT_EQ(cases[i].mask, mask) TH_LOG("%s", cases[i].cond);
	}
}

/* Random events of every type: a rule that matches one has its type. */
TEST(events_mask_is_sound)
{
	static const char *const conds[] = {
		"open_read", "open_write", "not open_read", "proc_mem_open",
		"not (evt.type in (open, openat) and evt.is_open_read = 0)",
		"evt.is_open_write != 1 and not fd.name exists",
		"evt.is_open_read = 0", "not evt.is_open_read = 1",
		"fd.name != /proc/1/mem", "not fd.name startswith /proc",
		"target.pid exists or proc.env exists", "evt.type glob \"*open*\"",
		"evt.type endswith v and cimon.event != process_vm_write",
		"cimon.event contains open or evt.type = ptrace",
		"not (cimon.event in (other_events) or proc.pid = 7)",
		"proc.aname exists", "not proc.env contains A",
		"evt.dir = < and evt.arg.res = 0 and not spawned_process",
		"spawned_process and proc.env[X] exists", "not proc.aenv[1] contains X",
		"proc.name = val(proc.pname)", "fd.name = val(target.name)",
		"not fd.name != val(proc.env[X])", "proc.env != val(proc.aenv[1])",
		"target.pid >= val(proc.pid)", "evt.type != val(cimon.event)",
		"proc.aname = val(proc.name) or target.name = val(proc.aenv[1][X])",
		"kernel_memory_open and evt.is_open_write = 1",
		"fd.name in (/dev/mem, /proc/kcore) and not target.pid exists",
		"not target.name exists and evt.type = openat",
	};
	static const char *const evt_types[][6] = {
		[CIMON_EVENT_MEM_OPEN] = { "open", "openat", "openat2", "io_uring_enter" },
		[CIMON_EVENT_ENVIRON_OPEN] = { "open", "openat", "openat2", "open_by_handle_at" },
		[CIMON_EVENT_PTRACE_ATTACH] = { "ptrace" },
		[CIMON_EVENT_VM_READ] = { "process_vm_readv" },
		[CIMON_EVENT_VM_WRITE] = { "process_vm_writev" },
		[CIMON_EVENT_PIDFD_GETFD] = { "pidfd_getfd" },
		[CIMON_EVENT_EXEC] = { "execve", "execveat" },
		[CIMON_EVENT_KMEM_OPEN] = { "open", "openat", "openat2", "io_uring_enter" },
	};
	char text[8192];
	struct cimon_ruleset *set, *folded;
	struct cimon_rules *r, *rf;
	size_t i, used, k;
	unsigned int seed = 1, t;

	used = (size_t)snprintf(text, sizeof(text),
		"- list: other_events\n  items: [ptrace_attach, environ_open]\n");
	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "- rule: r%zu\n  condition: '%s'\n", i, conds[i]);
	/* the programs as written, and folded for each rule's types */
	r = cimon_rules_new(true);
	cimon_rules_add_buffer(r, "a.yaml", text, strlen(text));
	cimon_rules_set_fold(r, false);
	set = cimon_rules_compile(r);
	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	folded = compile1(&rf, text);
	ASSERT_NE(NULL, folded) TH_LOG("%s", diags_text(rf));
	ASSERT_EQ(set->nrules, folded->nrules);
	for (k = 0; k < 3000; k++) {
		struct ev e = mem_open("/proc/1/mem");
		size_t nt;

		t = CIMON_EVENT_MEM_OPEN + rand_r(&seed) % 8;
		e.type = t;
		for (nt = 0; evt_types[t][nt]; nt++)
			;
		e.evt_type = evt_types[t][rand_r(&seed) % nt];
		if (t == CIMON_EVENT_MEM_OPEN || t == CIMON_EVENT_ENVIRON_OPEN ||
		    t == CIMON_EVENT_KMEM_OPEN) {
			e.open_read = rand_r(&seed) % 2;
			e.open_write = rand_r(&seed) % 2;
			e.fd_name = rand_r(&seed) % 4 ? "/proc/1/mem" : NULL;
			if (t == CIMON_EVENT_KMEM_OPEN && e.fd_name)
				e.fd_name = rand_r(&seed) % 2 ? "/dev/mem" : "/proc/kcore";
		} else {
			e.open_read = e.open_write = rand_r(&seed) % 2 ? 0 : -1;
			e.fd_name = NULL;
		}
		e.proc_name = rand_r(&seed) % 2 ? "cat" : "x";
		e.pid = rand_r(&seed) % 8;
		e.aname[1] = rand_r(&seed) % 2 ? "bash" : NULL;
		e.target_name = rand_r(&seed) % 3 ? "t" : NULL;
		e.target_exe = rand_r(&seed) % 3 ? "/t" : NULL;
		if (t == CIMON_EVENT_EXEC || t == CIMON_EVENT_KMEM_OPEN) {
			e.target_pid = -1;
			e.target_name = e.target_exe = NULL;
		}
		if (t == CIMON_EVENT_EXEC) {
			e.has_env = rand_r(&seed) % 4;
			e.has_aenv[1] = rand_r(&seed) % 4;
			e.env[0] = rand_r(&seed) % 2 ? "X=x" : NULL;
			e.aenv[1][0] = rand_r(&seed) % 2 ? "X=t" : NULL;
		}
		for (i = 0; i < set->nrules; i++) {
			int m = run_prog(&set->rules[i], &e);

			ASSERT_NE(-1, m);
			if (m)
				ASSERT_NE(0, set->rules[i].events & (1U << t))
					TH_LOG("%s matched a %s event (%s) outside its mask",
					       conds[i], type_names[t], e.evt_type);
			/* folded: the same mask, the same answers in it */
			ASSERT_EQ(set->rules[i].events, folded->rules[i].events);
			EXPECT_EQ(m, run_rule(&folded->rules[i], &e))
				TH_LOG("%s folded answers otherwise on a %s event (%s)",
				       conds[i], type_names[t], e.evt_type);
		}
	}
	cimon_ruleset_free(folded);
	cimon_rules_free(rf);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

/* ---- errors, with file:line:col ------------------------------------------- */

TEST(errors_in_conditions)
{
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.nam = x\n",
			       "a.yaml:2:14: error: unknown field 'proc.nam'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = x and fd.nam = y\n",
			       "a.yaml:2:32: error: unknown field 'fd.nam'"));
	/* a folded condition: the place inside it */
	EXPECT_TRUE(fails_with("- rule: r\n  condition: >\n    proc.name = x\n    and container.image = y\n",
			       "a.yaml:4:9: error: unknown field 'container.image'"));
	/* quoted: past the quote */
	EXPECT_TRUE(fails_with("- rule: r\n  condition: \"proc.pid startswith 1\"\n",
			       "a.yaml:2:24: error: operator 'startswith' does not apply to numeric field 'proc.pid'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name < x\n",
			       "a.yaml:2:24: error: operator '<' does not apply to string field 'proc.name'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = abc\n",
			       "a.yaml:2:25: error: 'abc' is not a number"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: nosuch_macro and proc.pid = 1\n",
			       "a.yaml:2:14: error: undefined macro 'nosuch_macro'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid in (1, nosuch_list)\n",
			       "a.yaml:2:30: error: 'nosuch_list' is not a number (nor a list)"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: fd.name\n",
			       "a.yaml:2:14: error: field 'fd.name' needs an operator"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name pmatch (a)\n",
			       "a.yaml:2:24: error: operator 'pmatch' is not supported by cimon"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name icontains a\n",
			       "a.yaml:2:24: error: operator 'icontains' is not supported"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.aname[5] = a\n",
			       "a.yaml:2:25: error: ancestor '5' of proc.aname"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.aenv[0] = a\n",
			       "a.yaml:2:24: error: proc.aenv supports only [1], the parent, not [0]\n"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.aenv[2][HOME] = a\n",
			       "a.yaml:2:24: error: proc.aenv supports only [1], the parent, not [2]\n"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.aenv[HOME] = a\n",
			       "a.yaml:2:24: error: proc.aenv supports only [1], the parent, not [HOME]; a variable is the second argument: proc.aenv[1][NAME]"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.aenv exists\n",
			       "a.yaml:2:14: error: proc.aenv supports only [1], the parent: write proc.aenv[1] or proc.aenv[1][NAME]"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.aenv[1][A=B] exists\n",
			       "a.yaml:2:27: error: 'A=B' is not an environment variable name"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: github.action[1] = x\n",
			       "a.yaml:2:27: error: field 'github.action' takes no [argument]"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name[1] = a\n",
			       "a.yaml:2:23: error: field 'proc.name' takes no [argument]"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.env[A=B] = a\n",
			       "a.yaml:2:23: error: 'A=B' is not an environment variable name"));
}

TEST(syntax_errors)
{
	EXPECT_TRUE(fails_with("- rule: r\n  condition: (proc.name = a\n",
			       "a.yaml:2:28: error: expected ')', found the end of the condition"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = a)\n",
			       "a.yaml:2:27: error: unbalanced ')'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = a proc.pid = 1\n",
			       "a.yaml:2:28: error: expected 'and', 'or' or the end, found 'proc.pid'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name =\n",
			       "a.yaml:2:25: error: expected a value after '='"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = a and\n",
			       "a.yaml:2:31: error: expected a condition, found the end"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: and proc.name = a\n",
			       "a.yaml:2:14: error: expected a condition before 'and'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name in a, b\n",
			       "a.yaml:2:27: error: expected '(' after 'in'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name in (a b)\n",
			       "a.yaml:2:30: error: expected ',' or ')' in the list"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: 'proc.name = \"abc'\n",
			       "a.yaml:2:27: error: unterminated string"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name foo x\n",
			       "a.yaml:2:24: error: expected an operator after 'proc.name', found 'foo'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.env[X = 1\n",
			       "a.yaml:2:22: error: unterminated '['"));
	EXPECT_TRUE(fails_with("- macro: m\n  condition: (((\n- rule: r\n  condition: proc.pid = 1\n",
			       "a.yaml:2:17: error: expected a condition, found the end"));
}

TEST(macro_cycles)
{
	EXPECT_TRUE(fails_with("- macro: a\n  condition: b\n- macro: b\n  condition: proc.pid = 1 or a\n"
			       "- rule: r\n  condition: a\n",
			       "a.yaml:4:30: error: macro cycle: a -> b -> a"));
	EXPECT_TRUE(fails_with("- macro: a\n  condition: a\n- rule: r\n  condition: a\n",
			       "a.yaml:2:14: error: macro cycle: a -> a"));
	EXPECT_TRUE(fails_with("- list: a\n  items: [b]\n- list: b\n  items: [x, a]\n"
			       "- rule: r\n  condition: proc.name in (a)\n",
			       "a.yaml:4:14: error: list cycle: a -> b -> a"));
	/* a macro used twice reports its error once */
	{
		struct cimon_rules *r;
		struct cimon_ruleset *set = compile1(&r,
			"- macro: m\n  condition: x.y = 1\n"
			"- rule: r1\n  condition: m\n- rule: r2\n  condition: m\n");
		size_t n;

		EXPECT_EQ(NULL, set);
		cimon_rules_diags(r, &n);
		EXPECT_EQ(1, n) TH_LOG("%s", diags_text(r));
		cimon_rules_free(r);
	}
}

TEST(errors_in_items)
{
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  exceptions: []\n",
			       "a.yaml:3:3: error: unknown key 'exceptions' in a rule (write exceptions into the condition"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  append: true\n",
			       "a.yaml:3:3: error: unknown key 'append' in a rule (cimon does not merge rules"));
	EXPECT_TRUE(fails_with("- macro: m\n  condition: proc.pid = 1\n  override: {}\n",
			       "a.yaml:3:3: error: unknown key 'override' in a macro"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  priority: LOUD\n",
			       "a.yaml:3:13: error: unknown priority 'LOUD'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  action: kill\n",
			       "a.yaml:3:11: error: 'action' must be 'alert' or 'block', not 'kill'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  source: k8s_audit\n",
			       "a.yaml:3:11: error: source 'k8s_audit' is not supported"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  enabled: maybe\n",
			       "a.yaml:3:12: error: 'enabled' must be true or false"));
	EXPECT_TRUE(fails_with("- rule: r\n  desc: d\n",
			       "a.yaml:1:3: error: rule 'r' has no 'condition'"));
	EXPECT_TRUE(fails_with("- rule: r\n  enabled: false\n",
			       "a.yaml:1:9: error: rule 'r' has no condition, and no earlier rule"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  condition: proc.pid = 2\n",
			       "a.yaml:3:3: error: duplicate key 'condition'"));
	EXPECT_TRUE(fails_with("- rule: r\n  macro: m\n  condition: proc.pid = 1\n",
			       "a.yaml:2:3: error: an item has both 'rule' and 'macro'"));
	EXPECT_TRUE(fails_with("- required_plugin_versions: []\n",
			       "a.yaml:1:3: error: 'required_plugin_versions' items are not supported"));
	EXPECT_TRUE(fails_with("- just a string\n",
			       "a.yaml:1:3: error: expected a rule, a macro or a list"));
	EXPECT_TRUE(fails_with("rule: r\n",
			       "a.yaml:1:1: error: a rules file is a sequence of items"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: [a]\n",
			       "a.yaml:2:14: error: a condition must be a single value"));
	EXPECT_TRUE(fails_with("- list: l\n  items: abc\n",
			       "a.yaml:2:10: error: a list's 'items' must be a sequence"));
	EXPECT_TRUE(fails_with("- macro: bad name\n  condition: proc.pid = 1\n",
			       "a.yaml:1:10: error: 'bad name' is not a valid macro name"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  tags: [a, \"b,c\"]\n",
			       "a.yaml:3:13: error: a tag must be non-empty and have no ','"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  output: 100% sure\n",
			       "a.yaml:3:14: error: '%' must start a field"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  output: x %proc.env[A\n",
			       "a.yaml:3:22: error: unterminated '['"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  desc: \"a\\0b\"\n",
			       "a.yaml:3:9: error: 'desc' contains a NUL byte"));
	/* libyaml's own errors, at its place */
	EXPECT_TRUE(fails_with("- rule: r\n  condition: a: b: c\n",
			       "a.yaml:2:15: error: YAML: mapping values are not allowed"));
	EXPECT_TRUE(fails_with("- rule: r\n   bad indent\n", "a.yaml:"));
	/* required_engine_version is read and ignored; empty files are fine */
	{
		struct cimon_rules *r;
		struct cimon_ruleset *set = compile1(&r,
			"- required_engine_version: 26\n");

		EXPECT_NE(NULL, set);
		cimon_ruleset_free(set);
		cimon_rules_free(r);
		set = compile1(&r, "# nothing\n");
		EXPECT_NE(NULL, set);
		cimon_ruleset_free(set);
		cimon_rules_free(r);
	}
}

/* Several errors in several files: all reported, nothing produced. */
TEST(every_error_reported)
{
	static const char *const texts[] = {
		"- rule: r1\n  condition: bad.field = 1\n"
		"- rule: r2\n  condition: proc.pid = x or nosuch\n",
		"- rule: r3\n  condition: proc.pid = 1\n"
		"- rule: r4\n  condition: (\n",
	};
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile_texts(&r, true, texts, 2);
	const char *d = diags_text(r);

	EXPECT_EQ(NULL, set);
	EXPECT_EQ(4, cimon_rules_errors(r)) TH_LOG("%s", d);
	EXPECT_NE(NULL, strstr(d, "a.yaml:2:14: error: unknown field 'bad.field'"));
	EXPECT_NE(NULL, strstr(d, "a.yaml:4:25: error: 'x' is not a number"));
	EXPECT_NE(NULL, strstr(d, "a.yaml:4:30: error: undefined macro 'nosuch'"));
	EXPECT_NE(NULL, strstr(d, "b.yaml:4:15: error: expected a condition"));
	cimon_rules_free(r);
}

TEST(missing_file)
{
	struct cimon_rules *r = cimon_rules_new(false);

	EXPECT_EQ(-1, cimon_rules_add_file(r, "/nonexistent/x.yaml"));
	EXPECT_EQ(NULL, cimon_rules_compile(r));
	EXPECT_NE(NULL, strstr(diags_text(r),
			       "/nonexistent/x.yaml: error: No such file or directory"));
	cimon_rules_free(r);
}

/* ---- limits --------------------------------------------------------------- */

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static bool compiles(const char *text)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile1(&r, text);
	bool ok = set != NULL;

	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return ok;
}

TEST(limits)
{
	char *text = malloc(1 << 20), *s;
	size_t used, i;

	/* a value of 255 bytes fits, 256 do not */
	s = repeat('v', CIMON_RULE_STR_MAX - 1);
	snprintf(text, 1 << 20, "- rule: r\n  condition: proc.name = %s\n", s);
	EXPECT_TRUE(compiles(text));
	free(s);
	s = repeat('v', CIMON_RULE_STR_MAX);
	snprintf(text, 1 << 20, "- rule: r\n  condition: proc.name = %s\n", s);
	EXPECT_TRUE(fails_with(text, "a.yaml:2:26: error: value is 256 bytes long; at most 255 fit"));
	free(s);

	/* rule names */
	s = repeat('n', CIMON_RULE_NAME_MAX - 1);
	snprintf(text, 1 << 20, "- rule: %s\n  condition: proc.pid = 1\n", s);
	EXPECT_TRUE(compiles(text));
	free(s);
	s = repeat('n', CIMON_RULE_NAME_MAX);
	snprintf(text, 1 << 20, "- rule: %s\n  condition: proc.pid = 1\n", s);
	EXPECT_TRUE(fails_with(text, "a.yaml:1:9: error: rule name is 128 bytes long; at most 127 fit"));
	free(s);

	/* outputs and tags */
	s = repeat('o', CIMON_RULE_OUTPUT_MAX - 1);
	snprintf(text, 1 << 20, "- rule: r\n  condition: proc.pid = 1\n  output: %s\n", s);
	EXPECT_TRUE(compiles(text));
	free(s);
	s = repeat('o', CIMON_RULE_OUTPUT_MAX);
	snprintf(text, 1 << 20, "- rule: r\n  condition: proc.pid = 1\n  output: %s\n", s);
	EXPECT_TRUE(fails_with(text, "a.yaml:3:11: error: output is 2048 bytes long; at most 2047 fit"));
	free(s);
	s = repeat('t', CIMON_RULE_TAGS_MAX - 3);	/* "a," + s = 511 */
	snprintf(text, 1 << 20, "- rule: r\n  condition: proc.pid = 1\n  tags: [a, %s]\n", s);
	EXPECT_TRUE(compiles(text));
	free(s);
	s = repeat('t', CIMON_RULE_TAGS_MAX - 2);
	snprintf(text, 1 << 20, "- rule: r\n  condition: proc.pid = 1\n  tags: [a, %s]\n", s);
	EXPECT_TRUE(fails_with(text, "a.yaml:3:9: error: tags are 512 bytes long"));
	free(s);

	/* instructions: n values of "in" are 2n - 1 of them */
	used = (size_t)snprintf(text, 1 << 20, "- rule: r\n  condition: proc.pid in (0");
	for (i = 1; i < (CIMON_RULE_INSNS_MAX + 1) / 2; i++)
		used += (size_t)snprintf(text + used, (1 << 20) - used, ", %zu", i);
	snprintf(text + used, (1 << 20) - used, ")\n");
	EXPECT_TRUE(compiles(text));	/* 256 values: 511 instructions */
	snprintf(text + used, (1 << 20) - used, ", 9999)\n");
	EXPECT_TRUE(fails_with(text, "a.yaml:2:14: error: rule 'r' compiles to 513 instructions; at most 512 fit"));

	/* the string table: 100 strings of 200 bytes */
	used = (size_t)snprintf(text, 1 << 20, "- rule: r\n  condition: proc.name in (x");
	for (i = 0; i < 100; i++)
		used += (size_t)snprintf(text + used, (1 << 20) - used, ", %0200zu", i);
	snprintf(text + used, (1 << 20) - used, ")\n");
	EXPECT_TRUE(fails_with(text, "a.yaml:2:14: error: rule 'r' needs 20102 bytes of strings; at most 16384 fit"));

	/* rules in a set */
	used = 0;
	for (i = 0; i < CIMON_RULES_MAX; i++)
		used += (size_t)snprintf(text + used, (1 << 20) - used,
					 "- rule: r%zu\n  condition: proc.pid = 1\n", i);
	EXPECT_TRUE(compiles(text));
	snprintf(text + used, (1 << 20) - used, "- rule: last\n  condition: proc.pid = 1\n");
	EXPECT_TRUE(fails_with(text, "a.yaml:8193:9: error: more than 4096 rules"));

	/* a macro bomb: 2^30 terms */
	used = (size_t)snprintf(text, 1 << 20, "- macro: m0\n  condition: proc.pid = 1\n");
	for (i = 1; i <= 30; i++)
		used += (size_t)snprintf(text + used, (1 << 20) - used,
					 "- macro: m%zu\n  condition: m%zu or m%zu\n",
					 i, i - 1, i - 1);
	snprintf(text + used, (1 << 20) - used, "- rule: r\n  condition: m30\n");
	EXPECT_TRUE(fails_with(text, "error: rule 'r': the condition expands to more than"));
	free(text);
}

/* ---- the command line ------------------------------------------------------ */

static int run_cimon(const char *args, char *out, size_t len)
{
	char self[PATH_MAX], cmd[PATH_MAX * 2];
	ssize_t n;
	FILE *p;
	int st;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -1;
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd), "%s/cimon %s 2>&1", dirname(self), args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = (ssize_t)fread(out, 1, len - 1, p);
	out[n < 0 ? 0 : n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(cli_rules_check)
{
	static const char bad[] =
		"- rule: r\n  condition: proc.nam = 1\n- macro: m\n  condition: (\n";
	char out[8192], args[PATH_MAX * 3], path[] = "/tmp/cimon-rules-XXXXXX";
	int fd;

	snprintf(args, sizeof(args), "rules check %s", rules_path("falco_seed.yaml"));
	snprintf(args + strlen(args), sizeof(args) - strlen(args), " %s",
		 rules_path("memory_access.yaml"));
	EXPECT_EQ(0, run_cimon(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "10 rules, 16 macros, 2 lists: OK\n")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "warning")) TH_LOG("%s", out);

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ((ssize_t)strlen(bad), write(fd, bad, strlen(bad)));
	close(fd);
	snprintf(args, sizeof(args), "rules check %s", path);
	EXPECT_EQ(1, run_cimon(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, ":2:14: error: unknown field 'proc.nam'\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ":4:15: error: expected a condition, found the end of the condition\n")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "OK"));
	/* without the base macros, open_read is not defined */
	snprintf(args, sizeof(args), "rules check --no-base %s", rules_path("falco_seed.yaml"));
	EXPECT_EQ(1, run_cimon(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "falco_seed.yaml:14:5: error: undefined macro 'open_read'")) TH_LOG("%s", out);
	unlink(path);

	EXPECT_EQ(2, run_cimon("rules check", out, sizeof(out)));
	EXPECT_EQ(2, run_cimon("rules frobnicate", out, sizeof(out)));
	EXPECT_EQ(1, run_cimon("rules check /nonexistent.yaml", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "/nonexistent.yaml: error: No such file or directory"));
}

/* ---- val(): comparing two fields ----------------------------------------- */

TEST(val_semantics)
{
	static const struct case_ cases[] = {
		{ "proc.name = val(proc.pname)", 0 },
		{ "proc.name != val(proc.pname)", 1 },
		{ "proc.pname = val(proc.aname[1])", 1 },
		{ "proc.name = val(proc.aname[0])", 1 },
		{ "proc.pid > val(proc.ppid)", 1 },
		{ "proc.pid <= val(proc.ppid)", 0 },
		{ "proc.ppid >= val(proc.ppid)", 1 },
		{ "proc.ppid < val(target.pid)", 0 },
		{ "proc.aname = val(proc.aname[3])", 1 },
		{ "proc.aname != val(proc.pname)", 0 },
		{ "target.name = val(proc.aname[2])", 1 },
		/* no value on both sides: equal; on one side: unequal */
		{ "proc.env = val(proc.aenv[1])", 1 },
		{ "proc.env != val(proc.aenv[1])", 0 },
		{ "proc.env[HOME] = val(proc.name)", 0 },
		{ "proc.env[HOME] != val(proc.name)", 1 },
		{ "not proc.env[HOME] = val(proc.name)", 1 },
		{ "target.pid = val(target.pid)", 1 },
	};
	struct ev e = mem_open("/proc/1/mem");
	size_t i;

	e.aname[3] = "cat";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(cases[i].want, eval_cond(cases[i].cond, &e, NULL))
			TH_LOG("%s", cases[i].cond);
	}
	/* numbers without a value: unequal, and neither less nor more */
	e.target_pid = -1;
	EXPECT_EQ(0, eval_cond("proc.pid < val(target.pid)", &e, NULL));
	EXPECT_EQ(0, eval_cond("proc.pid >= val(target.pid)", &e, NULL));
	EXPECT_EQ(1, eval_cond("proc.pid != val(target.pid)", &e, NULL));
	EXPECT_EQ(0, eval_cond("target.pid = val(proc.pid)", &e, NULL));
	EXPECT_EQ(1, eval_cond("target.pid = val(target.pid)", &e, NULL));
}

/* What cimon's own RUNNER_TRACKING_ID rule needs: a value changed. */
TEST(val_env_changed)
{
	static const char cond[] =
		"spawned_process and proc.env[RUNNER_TRACKING_ID] != val(proc.aenv[1][RUNNER_TRACKING_ID])";
	struct ev e = exec_event("execve");

	e.env[0] = "RUNNER_TRACKING_ID=github_1";
	e.aenv[1][0] = "RUNNER_TRACKING_ID=github_1";
	EXPECT_EQ(0, eval_cond(cond, &e, NULL));
	e.env[0] = "RUNNER_TRACKING_ID=0";
	EXPECT_EQ(1, eval_cond(cond, &e, NULL));
	e.env[0] = "RUNNER_TRACKING_ID=";	/* set to empty: a value */
	EXPECT_EQ(1, eval_cond(cond, &e, NULL));
	e.env[0] = NULL;			/* unset by the child */
	EXPECT_EQ(1, eval_cond(cond, &e, NULL));
	e.aenv[1][0] = NULL;			/* in neither */
	EXPECT_EQ(0, eval_cond(cond, &e, NULL));
	e.env[0] = "RUNNER_TRACKING_ID=0";	/* set where the parent had none */
	EXPECT_EQ(1, eval_cond(cond, &e, NULL));
}

TEST(val_errors)
{
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = val(proc.pid)\n",
			       "a.yaml:2:30: error: 'proc.name' is a string field and val(proc.pid) a numeric one"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = val(proc.nam)\n",
			       "a.yaml:2:29: error: unknown field 'proc.nam' in val()"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name contains val(proc.pname)\n",
			       "a.yaml:2:24: error: operator 'contains' cannot compare two fields: val() takes =, == and !="));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name glob val(proc.pname)\n",
			       "a.yaml:2:24: error: operator 'glob' cannot compare two fields"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name < val(proc.pname)\n",
			       "a.yaml:2:24: error: operator '<' does not apply to string field 'proc.name'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name in val(proc.pname)\n",
			       "a.yaml:2:27: error: 'in' takes a list of values, not val()"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name exists val(proc.pname)\n",
			       "a.yaml:2:31: error: expected 'and', 'or' or the end, found 'val'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: val(proc.name) = x\n",
			       "a.yaml:2:14: error: val() goes on the right of a comparison"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: tolower(proc.name) = bash\n",
			       "a.yaml:2:14: error: transformer 'tolower()' is not supported by cimon"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = basename(proc.exepath)\n",
			       "a.yaml:2:26: error: transformer 'basename()' is not supported by cimon"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = val(proc.pname\n",
			       "a.yaml:2:40: error: expected ')' closing val(proc.pname, found the end"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = val()\n",
			       "a.yaml:2:30: error: expected a field in val(), found ')'"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = val(proc.aname)\n",
			       "a.yaml:2:30: error: val(proc.aname) needs an ancestor: val(proc.aname[N])"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = val(proc.aname[7])\n",
			       "a.yaml:2:41: error: ancestor '7' of proc.aname"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.env[A] = val(proc.aenv[2][A])\n",
			       "a.yaml:2:42: error: proc.aenv supports only [1], the parent, not [2]"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.env[A] = val(proc.env[B=C])\n",
			       "a.yaml:2:41: error: 'B=C' is not an environment variable name"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.name = val(evt.dir[1])\n",
			       "a.yaml:2:37: error: field 'evt.dir' takes no [argument]"));
}

/* ---- exec events and the GitHub step, through cimon_match ------------------- */

static struct cimon_event exec_record(void)
{
	struct cimon_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.size = sizeof(ev);
	ev.version = CIMON_ABI_VERSION;
	ev.type = CIMON_EVENT_EXEC;
	ev.syscall_nr = 59;
	ev.proc.tgid = ev.proc.pid = 700;
	ev.proc.ppid = 600;
	strcpy(ev.proc.comm, "nohup");
	strcpy(ev.proc.exe, "/usr/bin/nohup");
	memcpy(ev.proc.cmdline, "nohup\0./x", 10);
	ev.proc.cmdline_len = 9;	/* the last NUL is not counted */
	strcpy(ev.proc.ancestors[0], "bash");
	strcpy(ev.proc.ancestors[1], "Runner.Worker");
	strcpy(ev.github.repository, "octo/app");
	strcpy(ev.github.action, "__run_2");
	return ev;
}

static struct cimon_ruleset *compile_seed(struct cimon_rules **r)
{
	*r = cimon_rules_new(true);
	cimon_rules_add_file(*r, rules_path("falco_seed.yaml"));
	return cimon_rules_compile(*r);
}

TEST(match_exec_record)
{
	static const char *const env[] = {
		"PATH=/bin", "RUNNER_TRACKING_ID=0", NULL
	};
	static const char *const aenv[] = { "PATH=/bin", NULL };
	struct cimon_event ev = exec_record();
	struct cimon_match m = { .ev = &ev, .env = env, .aenv = aenv };
	const struct cimon_rule *ru;
	struct cimon_ruleset *set;
	struct cimon_rules *r;

	set = compile_seed(&r);
	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	ru = find(set, "Persistence Across Github Runner Executions Detected");
	ASSERT_NE(NULL, ru);
	EXPECT_EQ(1, cimon_match_rule(ru, &m));
	ev.syscall_nr = 322;		/* execveat */
	EXPECT_EQ(1, cimon_match_rule(ru, &m));
	ev.type = CIMON_EVENT_ENVIRON_OPEN;	/* not an exec: outside its mask */
	EXPECT_EQ(0, cimon_match_rule(ru, &m));
	ev.type = CIMON_EVENT_EXEC;
	ev.syscall_nr = 11;		/* ia32 execve: the type's own */
	ev.flags = CIMON_F_SYSCALL_IA32;
	EXPECT_EQ(1, cimon_match_rule(ru, &m));
	m.aenv = env;			/* the parent carries it already */
	EXPECT_EQ(0, cimon_match_rule(ru, &m));
	m.aenv = NULL;			/* the parent's could not be read */
	EXPECT_EQ(1, cimon_match_rule(ru, &m));
	m.env = NULL;
	EXPECT_EQ(0, cimon_match_rule(ru, &m));
	m.env = env;
	ev.type = CIMON_EVENT_PTRACE_ATTACH;	/* env is for execs only */
	EXPECT_EQ(0, cimon_match_rule(ru, &m));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

/* Compiles "condition: @cond" and runs it over @m through cimon_match. */
static int match_cond(const char *cond, struct cimon_match *m)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set;
	char text[2048];
	int ret = -1;

	snprintf(text, sizeof(text), "- rule: t\n  condition: '%s'\n", cond);
	set = compile1(&r, text);
	if (set)
		ret = cimon_match_rule(&set->rules[0], m);
	else
		fprintf(stderr, "# %s:\n%s", cond, diags_text(r));
	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return ret;
}

TEST(match_fields)
{
	static char big[400];
	static const char *env[] = { "HOME=/root", "A=x", big, NULL };
	static const char *const aenv[] = { "A=x", NULL };
	static const struct case_ cases[] = {
		{ "evt.type = execve and cimon.event = exec", 1 },
		{ "proc.cmdline = \"nohup ./x\"", 1 },
		{ "proc.pname = bash and proc.aname[2] = Runner.Worker", 1 },
		{ "proc.aname[3] exists", 0 },
		{ "fd.name exists or target.pid exists or target.name exists", 0 },
		{ "evt.is_open_read = 0 and evt.arg.res = 0 and evt.dir = <", 1 },
		{ "container.id = host", 1 },
		{ "github.repository = octo/app and github.action = __run_2", 1 },
		{ "github.job exists or github.action_repository exists", 0 },
		{ "github.action_ref != v4", 1 },
		{ "github.workflow = val(github.run_id)", 1 },
		{ "github.action != val(github.job)", 1 },
		{ "proc.env = \"HOME=/root A=x\"", 0 },
		{ "proc.env startswith \"HOME=/root A=x B=bbbb\"", 1 },
		{ "proc.env[A] = val(proc.aenv[1][A])", 1 },
		{ "proc.env[HOME] != val(proc.aenv[1][HOME])", 1 },
		{ "proc.aenv[1] = A=x", 1 },
		{ "proc.env[B] endswith bbbb", 1 },
		{ "proc.env[B] endswith c", 0 },	/* cut at 255 bytes */
		{ "proc.env[B] = val(proc.env[B])", 1 },
	};
	struct cimon_event ev = exec_record();
	struct cimon_match m = { .ev = &ev, .env = env, .aenv = aenv };
	size_t i;

	memset(big, 'b', sizeof(big) - 1);
	memcpy(big, "B=", 2);
	big[sizeof(big) - 2] = 'c';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(cases[i].want, match_cond(cases[i].cond, &m))
			TH_LOG("%s", cases[i].cond);
	}
	/* outside a job: no github.* value */
	memset(&ev.github, 0, sizeof(ev.github));
	EXPECT_EQ(0, match_cond("github.repository exists", &m));
	EXPECT_EQ(1, match_cond("github.repository != octo/app", &m));
	/* a memory access: a file and a target, no env */
	ev.type = CIMON_EVENT_MEM_OPEN;
	ev.syscall_nr = 257;
	strcpy(ev.file, "/proc/9/mem");
	ev.target.tgid = 9;
	strcpy(ev.target.comm, "Runner.Worker");
	EXPECT_EQ(1, match_cond("open_read and fd.name = /proc/9/mem and target.pid = 9", &m));
	EXPECT_EQ(0, match_cond("proc.env exists or proc.aenv[1][A] exists", &m));
	EXPECT_EQ(1, match_cond("proc.pname != val(target.name)", &m));
}

/* ---- environment variables the kernel must carry --------------------------- */

TEST(output_env_keys)
{
	struct cimon_rules *r;
	struct cimon_ruleset *set = compile1(&r,
		"- rule: r\n  condition: proc.env[C] exists\n"
		"  output: '%proc.env[A] %proc.env[\"B\"] %proc.aenv[1][A] %proc.aenv[1][''D''] %proc.env %proc.aenv[1] %proc.name %proc.env[A]'\n"
		"- rule: s\n  condition: proc.pid = 1\n  output: none %proc.env\n");

	ASSERT_NE(NULL, set) TH_LOG("%s", diags_text(r));
	/* the output's names, once each; the condition's are the kernel's */
	ASSERT_EQ(6, set->rules[0].env_keys_len);
	EXPECT_EQ(0, memcmp(set->rules[0].env_keys, "A\0B\0D\0", 6));
	EXPECT_EQ(0, set->rules[1].env_keys_len);
	EXPECT_EQ(NULL, set->rules[1].env_keys);
	cimon_ruleset_free(set);
	cimon_rules_free(r);

	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  output: x %proc.env[A=B]\n",
			       "a.yaml:3:23: error: 'A=B' is not an environment variable name"));
	EXPECT_TRUE(fails_with("- rule: r\n  condition: proc.pid = 1\n  output: x %proc.aenv[1][\"\"]\n",
			       "a.yaml:3:27: error: '' is not an environment variable name"));
	/* another ancestor's: <NA>, a warning */
	set = compile1(&r, "- rule: r\n  condition: proc.pid = 1\n  output: x %proc.aenv[2][A] %proc.aenv\n");
	EXPECT_NE(NULL, set);
	EXPECT_NE(NULL, strstr(diags_text(r), "a.yaml:3:13: warning: %proc.aenv shows only the parent's environment"))
		TH_LOG("%s", diags_text(r));
	EXPECT_NE(NULL, strstr(diags_text(r), "a.yaml:3:30: warning: %proc.aenv shows only"));
	EXPECT_EQ(0, set->rules[0].env_keys_len);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
}

/* @n distinct names over rules r0..: half in conditions, half in outputs. */
static char *many_keys(size_t n, size_t dup, bool disable_last)
{
	char *text = malloc(65536);
	size_t used = 0, i;

	for (i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, 65536 - used,
			i % 2 ? "- rule: r%zu\n  condition: proc.pid = 1\n  output: x %%proc.env[V%zu] %%proc.aenv[1][V%zu]\n%s" :
				"- rule: r%zu\n  condition: proc.env[V%zu] = val(proc.aenv[1][V%zu])\n%s",
			i, i, i % dup, disable_last && i == n - 1 ? "  enabled: false\n" : "");
	return text;
}

TEST(env_keys_limit)
{
	char *text;

	text = many_keys(CIMON_ENV_KEYS_MAX, 1, false);
	EXPECT_TRUE(compiles(text));
	free(text);
	/* one more name: the rule that brings it is named */
	text = many_keys(CIMON_ENV_KEYS_MAX + 1, 1, false);
	EXPECT_TRUE(fails_with(text, "a.yaml:81:9: error: rule 'r32' names environment variable 'V32', one more than the 32 a rule set may name"));
	free(text);
	/* a disabled rule is not loaded: its names do not count */
	text = many_keys(CIMON_ENV_KEYS_MAX + 1, 1, true);
	EXPECT_TRUE(compiles(text));
	free(text);
	/* the same name in several rules, both sides, counts once */
	text = many_keys(2 * CIMON_ENV_KEYS_MAX, 2, false);
	EXPECT_FALSE(compiles(text));
	free(text);
	text = malloc(65536);
	snprintf(text, 65536, "%s", "- rule: a\n  condition: proc.env[X] exists\n  output: x %proc.env[X] %proc.aenv[1][X]\n"
		 "- rule: b\n  condition: proc.aenv[1][X] exists\n");
	EXPECT_TRUE(compiles(text));
	free(text);
}

/* ---- the interpreter's TEST_FIELD and its verifier ----------------------- */

TEST(test_field_semantics)
{
	struct cimon_insn p[1] = { {
		.op = CIMON_OP_TEST_FIELD, .field = CIMON_FIELD_PROC_NAME,
		.cmp = CIMON_CMP_EQ, .key = CIMON_NO_KEY,
		.arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_ANAME, 3, CIMON_NO_KEY),
	} };
	static const char strtab[] = "A\0B";
	struct ev e = mem_open("/proc/1/mem");
	char err[128];

	e.aname[3] = "cat";
	EXPECT_EQ(0, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1, cimon_prog_run(p, 1, NULL, 0, get_field, &e));
	p[0].cmp = CIMON_CMP_NE;
	EXPECT_EQ(0, cimon_prog_run(p, 1, NULL, 0, get_field, &e));
	/* proc.env[A] vs proc.aenv[1][B]: none, none / none, some */
	p[0] = (struct cimon_insn){ .op = CIMON_OP_TEST_FIELD,
		.field = CIMON_FIELD_PROC_ENV, .cmp = CIMON_CMP_EQ, .key = 0,
		.arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_AENV, 1, 2) };
	EXPECT_EQ(1, cimon_prog_run(p, 1, strtab, sizeof(strtab), get_field, &e));
	e = exec_event("execve");
	e.aenv[1][0] = "B=1";
	EXPECT_EQ(0, cimon_prog_run(p, 1, strtab, sizeof(strtab), get_field, &e));
	p[0].cmp = CIMON_CMP_NE;
	EXPECT_EQ(1, cimon_prog_run(p, 1, strtab, sizeof(strtab), get_field, &e));
	e.env[0] = "A=1";
	EXPECT_EQ(0, cimon_prog_run(p, 1, strtab, sizeof(strtab), get_field, &e));
	/* numbers, one without a value: only != holds */
	p[0] = (struct cimon_insn){ .op = CIMON_OP_TEST_FIELD,
		.field = CIMON_FIELD_PROC_PID, .cmp = CIMON_CMP_LE,
		.key = CIMON_NO_KEY,
		.arg = CIMON_FIELD_REF(CIMON_FIELD_TARGET_PID, 0, CIMON_NO_KEY) };
	EXPECT_EQ(0, cimon_prog_run(p, 1, NULL, 0, get_field, &e));
	p[0].cmp = CIMON_CMP_GT;
	EXPECT_EQ(0, cimon_prog_run(p, 1, NULL, 0, get_field, &e));
	p[0].cmp = CIMON_CMP_NE;
	EXPECT_EQ(1, cimon_prog_run(p, 1, NULL, 0, get_field, &e));
	e = mem_open("/proc/1/mem");	/* 500 and 123 */
	p[0].cmp = CIMON_CMP_GT;
	EXPECT_EQ(1, cimon_prog_run(p, 1, NULL, 0, get_field, &e));
	p[0].cmp = CIMON_CMP_LT;
	EXPECT_EQ(0, cimon_prog_run(p, 1, NULL, 0, get_field, &e));

	/* the verifier, as the kernel's */
	EXPECT_EQ(0, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_NAME, 0, CIMON_NO_KEY);
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));	/* types */
	p[0].field = CIMON_FIELD_PROC_EXEPATH;
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));	/* string < */
	p[0].cmp = CIMON_CMP_CONTAINS;
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].cmp = CIMON_CMP_EXISTS;
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].cmp = CIMON_CMP_NE;
	EXPECT_EQ(0, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err))) TH_LOG("%s", err);
	p[0].arg |= (int64_t)1 << 40;				/* junk above */
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_AENV, 2, CIMON_NO_KEY);
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));	/* aenv[2] */
	EXPECT_NE(NULL, strstr(err, "proc.aenv index 2"));
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_AENV, 1, 2);
	EXPECT_EQ(0, cimon_prog_verify(p, 1, strtab, sizeof(strtab), err, sizeof(err)));
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, strtab, 2, err, sizeof(err)));	/* key off table */
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_PNAME, 0, 0);	/* key on pname */
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, strtab, sizeof(strtab), err, sizeof(err)));
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_PROC_ANAME, 0, CIMON_NO_KEY);
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));	/* no ancestor */
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_COUNT, 0, CIMON_NO_KEY);
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].arg = CIMON_FIELD_REF(CIMON_FIELD_GITHUB_ACTION, 0, CIMON_NO_KEY);
	p[0].jump = 1;
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].jump = 0;
	EXPECT_EQ(0, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	/* a TEST of proc.aenv[2] is refused too */
	p[0] = (struct cimon_insn){ .op = CIMON_OP_TEST, .field = CIMON_FIELD_PROC_AENV,
		.cmp = CIMON_CMP_EXISTS, .index = 2, .key = CIMON_NO_KEY };
	EXPECT_EQ(-1, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
	p[0].index = 1;
	EXPECT_EQ(0, cimon_prog_verify(p, 1, NULL, 0, err, sizeof(err)));
}

TEST(cli_rules_emit_c)
{
	char out[65536], args[PATH_MAX * 3];

	snprintf(args, sizeof(args), "rules emit-c %s %s", rules_path("falco_seed.yaml"),
		 rules_path("memory_access.yaml"));
	EXPECT_EQ(0, run_cimon(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "static const char env_keys_1[19] = {\n\t0x52, 0x55,"))
		TH_LOG("%.2000s", out);
	EXPECT_NE(NULL, strstr(out, "\t\t.events = 0x100,\n"));
	EXPECT_NE(NULL, strstr(out, "\t\t.env_keys = env_keys_1,\n\t\t.env_keys_len = sizeof(env_keys_1),\n"));
	EXPECT_EQ(NULL, strstr(out, "env_keys_0"));
}

TEST_HARNESS_MAIN
