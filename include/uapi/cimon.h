/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cimon - the contract between the cimon kernel module and its userspace.
 *
 * Events are read from /dev/cimon as whole, fixed-layout records
 * (struct cimon_event).  Every record starts with its size and the ABI
 * version; a reader must check both, and must step over a record by its
 * size field, so that later versions can append fields without breaking
 * older readers.  Strings are NUL-terminated inside their arrays; a string
 * that did not fit is cut and flagged in cimon_event.flags.
 */
#ifndef _UAPI_LINUX_CIMON_H
#define _UAPI_LINUX_CIMON_H

#include <linux/types.h>

/* Bumped when a field changes meaning; appending fields does not bump it. */
#define CIMON_ABI_VERSION	1

#define CIMON_DEVICE_NAME	"cimon"		/* /dev/cimon */
#define CIMON_SYSFS_DIR		"/sys/class/misc/cimon"

/*
 * Counters, one decimal number per file in CIMON_SYSFS_DIR, readable
 * without opening the device:
 *   abi_version   CIMON_ABI_VERSION of the loaded module
 *   ring_size     capacity of the event ring, in records
 *   events        records written to the ring since load
 *   dropped       events detected but never written (no free slot in
 *                 the pending pool); each is also a hole in no reader
 *   lost          records overwritten before some reader read them,
 *                 summed over readers
 *   probe_misses  times a kernel probe could not run (kprobe nmissed,
 *                 marker table full): detection that did not happen
 *   readers       open readers of /dev/cimon
 */

/* Bounds of the strings in an event, including the terminating NUL. */
#define CIMON_COMM_LEN		16	/* TASK_COMM_LEN */
#define CIMON_TTY_LEN		16
#define CIMON_CONTAINER_ID_LEN	16	/* 12 hex digits, as Falco shows */
#define CIMON_PATH_LEN		256
#define CIMON_CMDLINE_LEN	512
#define CIMON_ANCESTORS		4	/* parent, grandparent, ... */

/* Bounds of the ring_size module parameter, in records. */
#define CIMON_RING_MIN		16
#define CIMON_RING_DEFAULT	4096
#define CIMON_RING_MAX		65536

/**
 * enum cimon_event_type - what a record reports
 * @CIMON_EVENT_LOST: not an event: this reader fell behind and the ring
 *	overwrote cimon_event.lost records it had not read yet.
 * @CIMON_EVENT_MEM_OPEN: /proc/<pid>/mem or /proc/<pid>/task/<tid>/mem of
 *	another process was opened; @arg holds the open flags.
 * @CIMON_EVENT_ENVIRON_OPEN: /proc/<pid>/environ of another process was
 *	opened.
 * @CIMON_EVENT_PTRACE_ATTACH: ptrace(PTRACE_ATTACH or PTRACE_SEIZE) of
 *	another process; @arg holds the request.
 * @CIMON_EVENT_VM_READ: process_vm_readv() of another process.
 * @CIMON_EVENT_VM_WRITE: process_vm_writev() of another process.
 * @CIMON_EVENT_PIDFD_GETFD: pidfd_getfd() took a file of another process.
 * @CIMON_EVENT_TYPE_COUNT: number of types; not a type.
 */
enum cimon_event_type {
	CIMON_EVENT_LOST = 1,
	CIMON_EVENT_MEM_OPEN,
	CIMON_EVENT_ENVIRON_OPEN,
	CIMON_EVENT_PTRACE_ATTACH,
	CIMON_EVENT_VM_READ,
	CIMON_EVENT_VM_WRITE,
	CIMON_EVENT_PIDFD_GETFD,
	CIMON_EVENT_TYPE_COUNT
};

/**
 * enum cimon_verdict - what cimon did with the operation
 * @CIMON_VERDICT_ALLOWED: it went ahead.
 * @CIMON_VERDICT_BLOCKED: cimon denied it.
 */
enum cimon_verdict {
	CIMON_VERDICT_ALLOWED = 0,
	CIMON_VERDICT_BLOCKED = 1,
};

/* cimon_event.flags: a string was cut to fit its array. */
#define CIMON_F_CMDLINE_TRUNCATED	(1U << 0)
#define CIMON_F_EXE_TRUNCATED		(1U << 1)
#define CIMON_F_TARGET_EXE_TRUNCATED	(1U << 2)
#define CIMON_F_FILE_TRUNCATED		(1U << 3)
/* cimon_event.flags: a value could not be read; its field is empty. */
#define CIMON_F_CMDLINE_UNAVAILABLE	(1U << 8)
#define CIMON_F_EXE_UNAVAILABLE		(1U << 9)
#define CIMON_F_TARGET_EXE_UNAVAILABLE	(1U << 10)
/* cimon_event.flags: syscall_nr is an ia32 (compat) or x32 number. */
#define CIMON_F_SYSCALL_IA32		(1U << 16)
#define CIMON_F_SYSCALL_X32		(1U << 17)

/**
 * struct cimon_process - the process that acted
 * @pid: thread id, as the initial pid namespace sees it.
 * @tgid: process id (thread group id).
 * @ppid: process id of the parent (real_parent).
 * @uid: real uid, in the initial user namespace.
 * @euid: effective uid, in the initial user namespace.
 * @tty_dev: controlling terminal as an encoded dev_t (new_encode_dev,
 *	the number Falco's proc.tty shows), 0 when there is none.
 * @cmdline_len: bytes used in @cmdline.
 * @reserved: zero.
 * @comm: the task's name.
 * @tty: the terminal's name ("pts/0"), empty when there is none.
 * @ancestors: comm of the parent ([0]) and of up to three ancestors above
 *	it; empty past the top of the tree.
 * @container_id: first 12 hex digits of the container id found in the
 *	task's cgroup path, empty on the host.
 * @exe: path of the executable.
 * @cmdline: argv as the process holds it: arguments separated by NUL.
 */
struct cimon_process {
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__u32 euid;
	__u32 tty_dev;
	__u32 cmdline_len;
	__u32 reserved;
	char comm[CIMON_COMM_LEN];
	char tty[CIMON_TTY_LEN];
	char ancestors[CIMON_ANCESTORS][CIMON_COMM_LEN];
	char container_id[CIMON_CONTAINER_ID_LEN];
	char exe[CIMON_PATH_LEN];
	char cmdline[CIMON_CMDLINE_LEN];
};

/**
 * struct cimon_target - the process whose memory was reached for
 * @pid: thread id.
 * @tgid: process id.
 * @comm: its name.
 * @exe: path of its executable.
 */
struct cimon_target {
	__u32 pid;
	__u32 tgid;
	char comm[CIMON_COMM_LEN];
	char exe[CIMON_PATH_LEN];
};

/**
 * struct cimon_event - one record read from /dev/cimon
 * @size: bytes in this record; step over records by this, never by
 *	sizeof(struct cimon_event).
 * @version: CIMON_ABI_VERSION of the writer.
 * @type: enum cimon_event_type.
 * @seq: position in the ring's stream of events, starting at 0.
 * @time_ns: when it happened, CLOCK_REALTIME in nanoseconds.
 * @lost: for CIMON_EVENT_LOST, how many records this reader missed.
 * @flags: CIMON_F_* bits.
 * @verdict: enum cimon_verdict.
 * @syscall_nr: the system call the process was in (x86-64 numbering
 *	unless a CIMON_F_SYSCALL_* flag says otherwise), -1 when none.
 * @arg: type-specific: open flags for CIMON_EVENT_MEM_OPEN and
 *	CIMON_EVENT_ENVIRON_OPEN, the request for CIMON_EVENT_PTRACE_ATTACH.
 * @proc: the process that acted.
 * @target: the process acted on.
 * @file: the opened file's path, for the *_OPEN types.
 */
struct cimon_event {
	__u32 size;
	__u16 version;
	__u16 type;
	__u64 seq;
	__u64 time_ns;
	__u64 lost;
	__u32 flags;
	__u32 verdict;
	__s32 syscall_nr;
	__u32 arg;
	struct cimon_process proc;
	struct cimon_target target;
	char file[CIMON_PATH_LEN];
};

#endif /* _UAPI_LINUX_CIMON_H */
