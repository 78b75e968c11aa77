/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events as the module would write them for the tj-actions attack: a
 * memdump run under sudo reading the memory of Runner.Worker.
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
	case CIMON_EVENT_LOST:
		memset(&ev->proc, 0, sizeof(ev->proc));
		memset(&ev->target, 0, sizeof(ev->target));
		ev->lost = 42;
		break;
	default:
		break;
	}
}

#endif /* CIMON_TEST_EVENTS_H */
