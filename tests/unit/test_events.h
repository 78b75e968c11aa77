/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events as the module would write them for the tj-actions attack: a
 * memdump run under sudo reading the memory of Runner.Worker; and, for
 * exec, the Shai-Hulud persistence trick typed in a step:
 * RUNNER_TRACKING_ID=0 nohup ./x &.  A kernel memory open is cat
 * /dev/mem; a tamper attempt, rmmod -f cimon after cimon lock.
 */
#ifndef CIMON_TEST_EVENTS_H
#define CIMON_TEST_EVENTS_H

#include <string.h>

#include "uapi/cimon.h"

/* 2026-11-23T19:30:14.123456789Z */
#define TEST_TIME_NS		1795462214123456789ULL
#define TEST_TIME_UTC		"2026-11-23T19:30:14.123456789Z"
#define TEST_TTY_DEV		34816	/* new_encode_dev(136, 0): pts/0 */
#define TEST_PTRACE_ATTACH	16
#define TEST_PTRACE_SEIZE	0x4206
/* The tracking id Runner.Worker gives a job: "github_" and a GUID. */
#define TEST_TRACKING_ID	"github_5f1c2c8e-3b1d-4c39-9a57-0c9e0d7f6a21"

/* Copies a C string into a bounded array, as the kernel's strscpy would. */
#define test_set(arr, s) test_copy(arr, sizeof(arr), s)

static inline void test_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n > size - 1)
		n = size - 1;
	memset(dst, 0, size);
	memcpy(dst, src, n);
}

/* Sets argv from one buffer holding NUL-separated arguments. */
static inline void test_set_cmdline(struct cimon_process *p, const char *args,
				    size_t len)
{
	memset(p->cmdline, 0, sizeof(p->cmdline));
	memcpy(p->cmdline, args, len);
	p->cmdline_len = (__u32)len;
}

/* Sets an env section from one buffer of NUL-terminated "NAME=value". */
#define test_set_env(arr, arr_len, strs) \
	test_set_strings(arr, sizeof(arr), &(arr_len), strs, sizeof(strs) - 1)

static inline void test_set_strings(char *dst, size_t size, __u32 *len,
				    const char *src, size_t n)
{
	memset(dst, 0, size);
	memcpy(dst, src, n);
	*len = (__u32)n;
}

/* The step of a job: a uses: step when @action_repository is not NULL. */
static inline void test_set_github(struct cimon_event *ev,
				   const char *action,
				   const char *action_repository,
				   const char *action_ref)
{
	struct cimon_github *g = &ev->github;

	test_set(g->repository, "octo/app");
	test_set(g->workflow, "build");
	test_set(g->run_id, "1234");
	test_set(g->job, "test");
	test_set(g->action, action);
	test_set(g->action_repository, action_repository ? action_repository : "");
	test_set(g->action_ref, action_ref ? action_ref : "");
}

static inline void test_event(struct cimon_event *ev,
			      enum cimon_event_type type)
{
	static const char argv[] = "python3\0memdump.py\0--all";

	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->version = CIMON_ABI_VERSION;
	ev->type = type;
	ev->seq = 7;
	ev->time_ns = TEST_TIME_NS;
	ev->verdict = CIMON_VERDICT_ALLOWED;
	ev->syscall_nr = -1;

	ev->proc.pid = 124;
	ev->proc.tgid = 123;
	ev->proc.ppid = 100;
	ev->proc.uid = 0;
	ev->proc.euid = 0;
	ev->proc.tty_dev = TEST_TTY_DEV;
	test_set(ev->proc.comm, "memdump");
	test_set(ev->proc.tty, "pts/0");
	test_set(ev->proc.ancestors[0], "sudo");
	test_set(ev->proc.ancestors[1], "bash");
	test_set(ev->proc.ancestors[2], "Runner.Worker");
	test_set(ev->proc.ancestors[3], "Runner.Listener");
	test_set(ev->proc.exe, "/usr/bin/python3.11");
	test_set_cmdline(&ev->proc, argv, sizeof(argv));

	ev->target.pid = 46;
	ev->target.tgid = 45;
	test_set(ev->target.comm, "Runner.Worker");
	test_set(ev->target.exe, "/opt/runner/bin/Runner.Worker");

	switch (type) {
	case CIMON_EVENT_MEM_OPEN:
		ev->syscall_nr = 257;
		ev->arg = 0100000 | 02000000;	/* O_LARGEFILE | O_CLOEXEC */
		test_set(ev->file, "/proc/45/mem");
		break;
	case CIMON_EVENT_ENVIRON_OPEN:
		ev->syscall_nr = 2;
		test_set(ev->file, "/proc/45/environ");
		break;
	case CIMON_EVENT_PTRACE_ATTACH:
		ev->syscall_nr = 101;
		ev->arg = TEST_PTRACE_ATTACH;
		break;
	case CIMON_EVENT_VM_READ:
		ev->syscall_nr = 310;
		break;
	case CIMON_EVENT_VM_WRITE:
		ev->syscall_nr = 311;
		break;
	case CIMON_EVENT_PIDFD_GETFD:
		ev->syscall_nr = 438;
		break;
	case CIMON_EVENT_EXEC:
		ev->syscall_nr = 59;
		memset(&ev->target, 0, sizeof(ev->target));
		ev->proc.uid = ev->proc.euid = 1001;
		test_set(ev->proc.comm, "nohup");
		test_set(ev->proc.exe, "/usr/bin/nohup");
		test_set(ev->proc.ancestors[0], "bash");
		test_set(ev->proc.ancestors[1], "Runner.Worker");
		test_set(ev->proc.ancestors[2], "Runner.Listener");
		test_set(ev->proc.ancestors[3], "run.sh");
		test_set_cmdline(&ev->proc, "nohup\0./x", sizeof("nohup\0./x"));
		test_set_env(ev->env, ev->env_len, "RUNNER_TRACKING_ID=0\0");
		test_set_env(ev->aenv, ev->aenv_len,
			     "RUNNER_TRACKING_ID=" TEST_TRACKING_ID "\0");
		break;
	case CIMON_EVENT_KMEM_OPEN:
		/* cat /dev/mem: no process is the target */
		ev->syscall_nr = 257;
		ev->arg = 0100000;		/* O_RDONLY | O_LARGEFILE */
		memset(&ev->target, 0, sizeof(ev->target));
		test_set(ev->proc.comm, "cat");
		test_set(ev->proc.exe, "/usr/bin/cat");
		test_set_cmdline(&ev->proc, "cat\0/dev/mem",
				 sizeof("cat\0/dev/mem"));
		test_set(ev->file, "/dev/mem");
		break;
	case CIMON_EVENT_LOST:
		memset(&ev->proc, 0, sizeof(ev->proc));
		memset(&ev->target, 0, sizeof(ev->target));
		ev->lost = 42;
		break;
	case CIMON_EVENT_MISSED:
		memset(&ev->proc, 0, sizeof(ev->proc));
		memset(&ev->target, 0, sizeof(ev->target));
		ev->lost = 3;
		break;
	case CIMON_EVENT_TAMPER:
		/* rmmod cimon, under sudo, after cimon lock */
		ev->syscall_nr = 176;		/* delete_module */
		ev->arg = CIMON_TAMPER_UNLOAD;
		ev->verdict = CIMON_VERDICT_BLOCKED;
		ev->rule_id = CIMON_RULE_BUILTIN;
		memset(&ev->target, 0, sizeof(ev->target));
		test_set(ev->proc.comm, "rmmod");
		test_set(ev->proc.exe, "/usr/bin/kmod");
		test_set_cmdline(&ev->proc, "rmmod\0-f\0cimon",
				 sizeof("rmmod\0-f\0cimon"));
		break;
	default:
		break;
	}
}

#endif /* CIMON_TEST_EVENTS_H */
