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
 *   locked        1 once cimon is locked (until reboot), else 0
 */

/* Bounds of the strings in an event, including the terminating NUL. */
#define CIMON_COMM_LEN		16	/* TASK_COMM_LEN */
#define CIMON_TTY_LEN		16
#define CIMON_CONTAINER_ID_LEN	16	/* 12 hex digits, as Falco shows */
#define CIMON_PATH_LEN		256
#define CIMON_CMDLINE_LEN	512
#define CIMON_ANCESTORS		4	/* parent, grandparent, ... */
#define CIMON_ENV_LEN		512	/* cimon_event.env, .aenv */
#define CIMON_ENV_VALUE_LEN	256	/* an environment value a rule sees */
#define CIMON_ENV_WHOLE_LEN	16384	/* proc.env without a key */
#define CIMON_ENV_KEYS_MAX	32	/* variables one rule set names */

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
 * @CIMON_EVENT_EXEC: a program is being executed (execve, execveat, and
 *	the kernel's own execs), seen before the point of no return.  @proc
 *	describes the process as the exec will make it: its new name,
 *	executable and argv; its uid and euid are those it execs with (a
 *	set-user-ID program's owner is not in @proc.euid yet, as the exec
 *	has not decided it); @env and @aenv carry the values
 *	of the environment variables the rules name.  A script is one event,
 *	for the script (its interpreter is not reported again).
 * @CIMON_EVENT_KMEM_OPEN: /dev/mem, /dev/port or /proc/kcore was opened:
 *	the kernel's or the machine's memory; @file names it, @arg holds
 *	the open flags.
 * @CIMON_EVENT_MISSED: not an event: detections that could not happen
 *	(a kernel probe missed, CIMON_F_* unused) or could not be reported
 *	(no room to queue them) since the last such record; @lost holds how
 *	many.  The counters probe_misses and dropped add up the same.
 * @CIMON_EVENT_TAMPER: an attempt to weaken a locked cimon: @arg holds
 *	the enum cimon_tamper; @verdict says it was denied.
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
	CIMON_EVENT_EXEC,
	CIMON_EVENT_KMEM_OPEN,
	CIMON_EVENT_MISSED,
	CIMON_EVENT_TAMPER,
	CIMON_EVENT_TYPE_COUNT
};

/**
 * enum cimon_verdict - what cimon did with the operation
 * @CIMON_VERDICT_ALLOWED: it went ahead.
 * @CIMON_VERDICT_BLOCKED: cimon denied it (enforce mode, a rule with
 *	action block matched): the caller got EPERM, or EACCES from the
 *	opens of /proc/<pid>/mem and environ, before anything was read.
 * @CIMON_VERDICT_WOULD_BLOCK: monitor mode: a rule with action block
 *	matched; in enforce mode it would have been denied.
 */
enum cimon_verdict {
	CIMON_VERDICT_ALLOWED = 0,
	CIMON_VERDICT_BLOCKED = 1,
	CIMON_VERDICT_WOULD_BLOCK = 2,
};

/**
 * enum cimon_tamper - what a CIMON_EVENT_TAMPER record reports
 * @CIMON_TAMPER_UNLOAD: delete_module() of cimon, forced or not.
 * @CIMON_TAMPER_MODE: a change of mode away from enforce.
 * @CIMON_TAMPER_RULES: loading another rule set.
 * @CIMON_TAMPER_KPROBES: disarming every kprobe
 *	(/sys/kernel/debug/kprobes/enabled).
 */
enum cimon_tamper {
	CIMON_TAMPER_UNLOAD = 1,
	CIMON_TAMPER_MODE,
	CIMON_TAMPER_RULES,
	CIMON_TAMPER_KPROBES,
};

/* cimon_event.flags: a string was cut to fit its array. */
#define CIMON_F_CMDLINE_TRUNCATED	(1U << 0)
#define CIMON_F_EXE_TRUNCATED		(1U << 1)
#define CIMON_F_TARGET_EXE_TRUNCATED	(1U << 2)
#define CIMON_F_FILE_TRUNCATED		(1U << 3)
#define CIMON_F_ENV_TRUNCATED		(1U << 4)	/* @env or a value */
#define CIMON_F_AENV_TRUNCATED		(1U << 5)	/* @aenv or a value */
#define CIMON_F_GITHUB_TRUNCATED	(1U << 6)	/* a @github string */
/* cimon_event.flags: a value could not be read; its field is empty. */
#define CIMON_F_CMDLINE_UNAVAILABLE	(1U << 8)
#define CIMON_F_EXE_UNAVAILABLE		(1U << 9)
#define CIMON_F_TARGET_EXE_UNAVAILABLE	(1U << 10)
#define CIMON_F_ENV_UNAVAILABLE		(1U << 11)	/* not read */
#define CIMON_F_AENV_UNAVAILABLE	(1U << 12)	/* no parent's */
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

/* Bounds of the GitHub Actions context strings, with their NUL. */
#define CIMON_GITHUB_REPOSITORY_LEN	128	/* owner/name */
#define CIMON_GITHUB_WORKFLOW_LEN	128
#define CIMON_GITHUB_RUN_ID_LEN		24
#define CIMON_GITHUB_JOB_LEN		64
#define CIMON_GITHUB_ACTION_LEN		64
#define CIMON_GITHUB_ACTION_REF_LEN	64

/**
 * struct cimon_github - the GitHub Actions step a process runs in
 *
 * Taken from the environment Runner.Worker gives a step's first process
 * when it executes it, and inherited by every process forked below it,
 * whatever they later do to their own environment.  All empty outside a
 * job.  Each is the GITHUB_* variable of the same name.
 *
 * @repository: GITHUB_REPOSITORY, "owner/name".
 * @workflow: GITHUB_WORKFLOW.
 * @run_id: GITHUB_RUN_ID.
 * @job: GITHUB_JOB.
 * @action: GITHUB_ACTION: the step's id ("__run_2" for an unnamed run:
 *	step, the id or "__owner_name" for a uses: step).
 * @action_repository: GITHUB_ACTION_REPOSITORY, for a uses: step
 *	("tj-actions/changed-files").
 * @action_ref: GITHUB_ACTION_REF, for a uses: step ("v45").
 */
struct cimon_github {
	char repository[CIMON_GITHUB_REPOSITORY_LEN];
	char workflow[CIMON_GITHUB_WORKFLOW_LEN];
	char run_id[CIMON_GITHUB_RUN_ID_LEN];
	char job[CIMON_GITHUB_JOB_LEN];
	char action[CIMON_GITHUB_ACTION_LEN];
	char action_repository[CIMON_GITHUB_REPOSITORY_LEN];
	char action_ref[CIMON_GITHUB_ACTION_REF_LEN];
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
 * @file: the opened file's path, for the *_OPEN types, as procfs names
 *	it (/proc/<pid>/mem) whatever mount or link reached it; /dev/mem,
 *	/dev/port or /proc/kcore for CIMON_EVENT_KMEM_OPEN.
 * @rule_id: the rule that matched: its id in the rule set (see
 *	CIMON_CMD_RULES_LIST), or CIMON_RULE_BUILTIN when no set is loaded
 *	and cimon reports every access.  An event matching several rules
 *	comes once per rule.
 * @rules_generation: the rule set @rule_id belongs to; 0 for built-in.
 * @github: the GitHub Actions step the acting process runs in.
 * @env_len: bytes used in @env.
 * @aenv_len: bytes used in @aenv.
 * @env: for CIMON_EVENT_EXEC, "NAME=value" strings, each NUL-terminated,
 *	for the variables the rule set names (in conditions or outputs)
 *	that the new program's environment has; values cut to
 *	CIMON_ENV_VALUE_LEN - 1 bytes.  Empty for other types.
 * @aenv: the same variables in the parent's environment.
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
	__u32 rule_id;
	__u32 rules_generation;
	struct cimon_github github;
	__u32 env_len;
	__u32 aenv_len;
	char env[CIMON_ENV_LEN];
	char aenv[CIMON_ENV_LEN];
};

#define CIMON_RULE_BUILTIN	0xffffffffU	/* cimon_event.rule_id */

/*
 * Rules.  `cimon rules load` compiles rule files in userspace into one
 * small program per rule and sends them over generic netlink; the module
 * verifies every program before it accepts the set, and runs the programs
 * of the rules that apply to an event's type.
 *
 * A program is an array of struct cimon_insn run top to bottom with one
 * boolean accumulator, false at the start.  Jumps only go forward, so every program ends after
 * at most CIMON_RULE_INSNS_MAX steps.  The rule matches when the
 * accumulator is true after the last instruction (or CIMON_OP_RET).
 *
 * Constants live in the rule's string table: NUL-terminated strings back
 * to back, referenced by their byte offset.
 */
#define CIMON_RULES_MAX		4096	/* rules in one set */
#define CIMON_RULE_INSNS_MAX	512	/* instructions in one program */
#define CIMON_RULE_STRTAB_MAX	16384	/* bytes of one rule's string table */
#define CIMON_RULE_STR_MAX	256	/* bytes of one string, with its NUL */
#define CIMON_RULE_NAME_MAX	128	/* bytes of a rule name, with its NUL */
#define CIMON_RULE_OUTPUT_MAX	2048	/* bytes of an output template */
#define CIMON_RULE_TAGS_MAX	512	/* bytes of the comma-separated tags */

/**
 * enum cimon_op - what an instruction does
 * @CIMON_OP_TEST: acc = (field @cmp constant); the constant is @arg, a
 *	number or a string-table offset as the field's type says.
 * @CIMON_OP_NOT: acc = !acc.
 * @CIMON_OP_JUMP_IF_TRUE: if acc, skip the next @jump instructions.
 * @CIMON_OP_JUMP_IF_FALSE: if !acc, skip the next @jump instructions.
 * @CIMON_OP_CONST: acc = (@arg != 0).
 * @CIMON_OP_RET: stop; the rule matches if acc.
 * @CIMON_OP_TEST_FIELD: acc = (field @cmp other field), Falco's
 *	"field = val(other)": @arg names the other field with
 *	CIMON_FIELD_REF() and must be of the same type; @cmp is EQ or NE for
 *	strings, EQ..GE for numbers.  Two fields without a value are equal;
 *	a field without a value is unequal to one with a value.
 */
enum cimon_op {
	CIMON_OP_TEST = 1,
	CIMON_OP_NOT,
	CIMON_OP_JUMP_IF_TRUE,
	CIMON_OP_JUMP_IF_FALSE,
	CIMON_OP_CONST,
	CIMON_OP_RET,
	CIMON_OP_TEST_FIELD,
	CIMON_OP_COUNT
};

/**
 * enum cimon_cmp - comparisons of CIMON_OP_TEST
 *
 * Numeric fields take EQ..GE; string fields take EQ, NE and
 * STARTSWITH..GLOB.  GLOB: '*' any run of bytes ('/' included), '?' one
 * byte, '[...]' a class with ranges and '!' negation (']' may come first),
 * '\' makes the next byte literal, a malformed class is a literal '['.
 * EXISTS is true when the field has a value for this event (fd.name of an
 * open, proc.env[NAME] when set).  A field without a value compares false
 * to everything, and true with NE.
 */
enum cimon_cmp {
	CIMON_CMP_EQ = 1,
	CIMON_CMP_NE,
	CIMON_CMP_LT,
	CIMON_CMP_LE,
	CIMON_CMP_GT,
	CIMON_CMP_GE,
	CIMON_CMP_STARTSWITH,
	CIMON_CMP_ENDSWITH,
	CIMON_CMP_CONTAINS,
	CIMON_CMP_GLOB,
	CIMON_CMP_EXISTS,
	CIMON_CMP_COUNT
};

/**
 * enum cimon_field - what a rule can ask about an event
 *
 * (n) numeric, (s) string.  @index is used by the fields that take one,
 * @key (a string-table offset) by the fields that name a variable.
 *
 * @CIMON_FIELD_EVT_TYPE: (s) system call name: open, openat, openat2,
 *	open_by_handle_at, io_uring_enter, ptrace, process_vm_readv,
 *	process_vm_writev, pidfd_getfd, execve, execveat; for another or no
 *	system call, "open" for the *_OPEN types, "execve" for an exec,
 *	else the call the type is named after.
 * @CIMON_FIELD_CIMON_EVENT: (s) event type name: mem_open, environ_open,
 *	ptrace_attach, process_vm_read, process_vm_write, pidfd_getfd, exec,
 *	kmem_open.
 * @CIMON_FIELD_EVT_IS_OPEN_READ: (n) 1 for an open for reading.
 * @CIMON_FIELD_EVT_IS_OPEN_WRITE: (n) 1 for an open for writing.
 * @CIMON_FIELD_PROC_NAME: (s) comm.
 * @CIMON_FIELD_PROC_PID: (n) process id.
 * @CIMON_FIELD_PROC_PPID: (n) parent's process id.
 * @CIMON_FIELD_PROC_EXEPATH: (s) executable path.
 * @CIMON_FIELD_PROC_CMDLINE: (s) Falco's proc.cmdline: name and args
 *	joined by spaces.
 * @CIMON_FIELD_PROC_PNAME: (s) parent's name.
 * @CIMON_FIELD_PROC_ANAME: (s) name of ancestor @index (1 = parent ...
 *	CIMON_ANCESTORS).
 * @CIMON_FIELD_PROC_TTY: (n) terminal, as struct cimon_process.tty_dev.
 * @CIMON_FIELD_USER_UID: (n) real uid.
 * @CIMON_FIELD_USER_EUID: (n) effective uid.
 * @CIMON_FIELD_CONTAINER_ID: (s) container id, "host" outside one.
 * @CIMON_FIELD_FD_NAME: (s) opened file's path.
 * @CIMON_FIELD_TARGET_PID: (n) target's process id.
 * @CIMON_FIELD_TARGET_NAME: (s) target's name.
 * @CIMON_FIELD_TARGET_EXEPATH: (s) target's executable path.
 * @CIMON_FIELD_PROC_ENV: (s) for CIMON_EVENT_EXEC, the new program's
 *	environment: with @key, that variable's value (cut to
 *	CIMON_ENV_VALUE_LEN - 1 bytes); without, "NAME=value" strings joined
 *	by spaces, as Falco shows it, cut to CIMON_ENV_WHOLE_LEN - 1 bytes.
 *	No value for other types.
 * @CIMON_FIELD_PROC_AENV: (s) the same for the parent's environment: the
 *	one the process inherited when it was forked, if it has not exec'd
 *	since (read from its own memory: the parent exiting first changes
 *	nothing), else the parent's as its /proc/<pid>/environ shows it;
 *	@index must be 1.
 * @CIMON_FIELD_EVT_DIR: (s) "<" (cimon reports completed decisions).
 * @CIMON_FIELD_EVT_ARG_RES: (n) 0 (the operation's own result is not
 *	known when cimon decides).
 * @CIMON_FIELD_GITHUB_REPOSITORY: (s) struct cimon_github.repository;
 *	like all github.* fields, no value outside a job.
 * @CIMON_FIELD_GITHUB_WORKFLOW: (s) .workflow.
 * @CIMON_FIELD_GITHUB_RUN_ID: (s) .run_id.
 * @CIMON_FIELD_GITHUB_JOB: (s) .job.
 * @CIMON_FIELD_GITHUB_ACTION: (s) .action.
 * @CIMON_FIELD_GITHUB_ACTION_REPOSITORY: (s) .action_repository.
 * @CIMON_FIELD_GITHUB_ACTION_REF: (s) .action_ref.
 * @CIMON_FIELD_COUNT: number of fields; not a field.
 */
enum cimon_field {
	CIMON_FIELD_EVT_TYPE = 1,
	CIMON_FIELD_CIMON_EVENT,
	CIMON_FIELD_EVT_IS_OPEN_READ,
	CIMON_FIELD_EVT_IS_OPEN_WRITE,
	CIMON_FIELD_PROC_NAME,
	CIMON_FIELD_PROC_PID,
	CIMON_FIELD_PROC_PPID,
	CIMON_FIELD_PROC_EXEPATH,
	CIMON_FIELD_PROC_CMDLINE,
	CIMON_FIELD_PROC_PNAME,
	CIMON_FIELD_PROC_ANAME,
	CIMON_FIELD_PROC_TTY,
	CIMON_FIELD_USER_UID,
	CIMON_FIELD_USER_EUID,
	CIMON_FIELD_CONTAINER_ID,
	CIMON_FIELD_FD_NAME,
	CIMON_FIELD_TARGET_PID,
	CIMON_FIELD_TARGET_NAME,
	CIMON_FIELD_TARGET_EXEPATH,
	CIMON_FIELD_PROC_ENV,
	CIMON_FIELD_PROC_AENV,
	CIMON_FIELD_EVT_DIR,
	CIMON_FIELD_EVT_ARG_RES,
	CIMON_FIELD_GITHUB_REPOSITORY,
	CIMON_FIELD_GITHUB_WORKFLOW,
	CIMON_FIELD_GITHUB_RUN_ID,
	CIMON_FIELD_GITHUB_JOB,
	CIMON_FIELD_GITHUB_ACTION,
	CIMON_FIELD_GITHUB_ACTION_REPOSITORY,
	CIMON_FIELD_GITHUB_ACTION_REF,
	CIMON_FIELD_COUNT
};

#define CIMON_NO_KEY	0xffff	/* cimon_insn.key: no variable named */

/*
 * cimon_insn.arg of CIMON_OP_TEST_FIELD: the other field, its @index and
 * its @key (CIMON_NO_KEY for none).
 */
#define CIMON_FIELD_REF(field, index, key) \
	((__s64)(((__u64)(key) << 16) | ((__u64)(index) << 8) | (field)))
#define CIMON_FIELD_REF_FIELD(arg)	((__u8)(arg))
#define CIMON_FIELD_REF_INDEX(arg)	((__u8)((arg) >> 8))
#define CIMON_FIELD_REF_KEY(arg)	((__u16)((arg) >> 16))

/**
 * struct cimon_insn - one instruction of a rule's program
 * @op: enum cimon_op.
 * @field: enum cimon_field, for CIMON_OP_TEST; 0 otherwise.
 * @cmp: enum cimon_cmp, for CIMON_OP_TEST; 0 otherwise.
 * @index: ancestor level for PROC_ANAME and PROC_AENV; 0 otherwise.
 * @jump: instructions to skip, for the jumps; 0 otherwise.
 * @key: string-table offset of a variable name, or CIMON_NO_KEY.
 * @arg: the constant: a number, or a string-table offset.
 */
struct cimon_insn {
	__u8 op;
	__u8 field;
	__u8 cmp;
	__u8 index;
	__u16 jump;
	__u16 key;
	__s64 arg;
};

/* enum cimon_action - what a matching rule asks for */
enum cimon_action {
	CIMON_ACTION_ALERT = 0,
	CIMON_ACTION_BLOCK = 1,
};

/* Falco's priorities, most severe first. */
enum cimon_priority {
	CIMON_PRIORITY_EMERGENCY = 0,
	CIMON_PRIORITY_ALERT,
	CIMON_PRIORITY_CRITICAL,
	CIMON_PRIORITY_ERROR,
	CIMON_PRIORITY_WARNING,
	CIMON_PRIORITY_NOTICE,
	CIMON_PRIORITY_INFORMATIONAL,
	CIMON_PRIORITY_DEBUG,
};

/*
 * Generic netlink family CIMON_GENL_NAME.  Commands that change state need
 * CAP_NET_ADMIN (GENL_ADMIN_PERM).  A rule set is loaded as a transaction
 * from one socket: RULES_BEGIN, one RULES_ADD per rule, RULES_COMMIT with
 * the count; the set is replaced whole at COMMIT or not at all.
 */
#define CIMON_GENL_NAME		"cimon"
#define CIMON_GENL_VERSION	1
#define CIMON_GENL_MCGRP	"notify"	/* RULES_CHANGED, MODE_CHANGED */

enum cimon_cmd {
	CIMON_CMD_UNSPEC,
	CIMON_CMD_STATUS,	/* -> CIMON_A_STATUS_* */
	CIMON_CMD_RULES_BEGIN,	/* start a set (admin) */
	CIMON_CMD_RULES_ADD,	/* CIMON_A_RULE (admin) */
	CIMON_CMD_RULES_COMMIT,	/* CIMON_A_RULES_COUNT (admin) */
	CIMON_CMD_RULES_LIST,	/* dump: one CIMON_A_RULE per message */
	CIMON_CMD_SET_MODE,	/* CIMON_A_MODE (admin) */
	CIMON_CMD_RULES_CHANGED, /* notification: CIMON_A_RULES_GENERATION */
	CIMON_CMD_LOCK,		/* lock until reboot (admin) */
	__CIMON_CMD_MAX,
};

#define CIMON_CMD_MAX (__CIMON_CMD_MAX - 1)

/* enum cimon_mode - what the module does with a matching block rule */
enum cimon_mode {
	CIMON_MODE_MONITOR = 0,	/* alert only ("would block") */
	CIMON_MODE_ENFORCE = 1,	/* deny */
};

enum cimon_attr {
	CIMON_A_UNSPEC,
	CIMON_A_ABI_VERSION,		/* u32 */
	CIMON_A_MODE,			/* u32, enum cimon_mode */
	CIMON_A_EVENTS,			/* u64 */
	CIMON_A_DROPPED,		/* u64 */
	CIMON_A_LOST,			/* u64 */
	CIMON_A_PROBE_MISSES,		/* u64 */
	CIMON_A_READERS,		/* u32 */
	CIMON_A_RULES_COUNT,		/* u32 */
	CIMON_A_RULES_GENERATION,	/* u32: bumped by every commit */
	CIMON_A_RULE,			/* nested CIMON_A_RULE_* */
	CIMON_A_PAD,
	CIMON_A_LOCKED,			/* u8: 1 when locked */
	__CIMON_A_MAX,
};

#define CIMON_A_MAX (__CIMON_A_MAX - 1)

enum cimon_rule_attr {
	CIMON_A_RULE_UNSPEC,
	CIMON_A_RULE_ID,	/* u32: position in the set, from 0 */
	CIMON_A_RULE_NAME,	/* string */
	CIMON_A_RULE_PRIORITY,	/* u8, enum cimon_priority */
	CIMON_A_RULE_ACTION,	/* u8, enum cimon_action */
	CIMON_A_RULE_EVENTS,	/* u32: bit (1 << type) per event type */
	CIMON_A_RULE_PROGRAM,	/* binary: struct cimon_insn[] */
	CIMON_A_RULE_STRINGS,	/* binary: the string table */
	CIMON_A_RULE_OUTPUT,	/* string: Falco output template */
	CIMON_A_RULE_TAGS,	/* string: comma-separated */
	CIMON_A_RULE_HITS,	/* u64, in RULES_LIST */
	CIMON_A_RULE_PAD,
	/* binary: NUL-terminated names of the variables the output shows */
	CIMON_A_RULE_ENV_KEYS,
	__CIMON_A_RULE_MAX,
};

#define CIMON_A_RULE_MAX (__CIMON_A_RULE_MAX - 1)

#endif /* _UAPI_LINUX_CIMON_H */
