// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - hooks on one process reaching into another's memory.
 *
 * Every way in asks the same question, security_ptrace_access_check(),
 * with the target's task_lock held: ptrace attach and seize,
 * process_vm_readv/writev and pidfd_getfd (from their system calls), and
 * the opens of /proc/<pid>/mem, task/<tid>/mem and environ (from their
 * open functions, whatever path, dirfd, symlink or io_uring led there).
 * The kernel skips the question within one thread group, so a process
 * reading itself or its threads never reaches the hook.
 *
 * The mode alone cannot tell environ (a secret read) from maps or stat
 * (what every ps does): both ask PTRACE_MODE_READ_FSCREDS.  So kretprobes
 * on mem_open() and environ_open() mark the opening task for the nested
 * check; those opens are rare, and the check itself stays an entry-only
 * kprobe, which costs nothing measurable on the hot /proc/<pid>/stat path.
 *
 * To deny, the entry probe makes the check return EPERM before any LSM
 * ran (deny.c).  The opens of /dev/mem, /dev/port and /proc/kcore, the
 * machine's and the kernel's memory, are hooked at their open functions.
 */

#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <asm/unistd.h>

#include "cimon.h"
#include "limits.h"

/**
 * struct open_marker - a task inside mem_open() or environ_open()
 * @task: the task, or NULL when the slot is free; only that task reads
 *	the other fields.
 * @start_time: the task's start time: a slot left behind by a task that
 *	died inside the open (an oops) must not match a new task at the
 *	same address.
 * @file: the file being opened.
 * @type: CIMON_EVENT_MEM_OPEN or CIMON_EVENT_ENVIRON_OPEN.
 */
struct open_marker {
	struct task_struct *task;
	u64 start_time;
	struct file *file;
	u16 type;
};

static struct open_marker markers[CIMON_OPEN_MARKERS];
static atomic_t markers_used = ATOMIC_INIT(0);
static atomic_long_t markers_full = ATOMIC_LONG_INIT(0);

/* Per-instance data of the open kretprobes: the marker slot taken. */
struct open_probe_data {
	int slot;
};

static int open_marker_set(u16 type, struct file *file)
{
	int i;

	for (i = 0; i < CIMON_OPEN_MARKERS; i++) {
		if (!cmpxchg(&markers[i].task, NULL, current)) {
			markers[i].start_time = current->start_time;
			markers[i].file = file;
			markers[i].type = type;
			atomic_inc(&markers_used);
			return i;
		}
	}
	atomic_long_inc(&markers_full);
	return -1;
}

static void open_marker_clear(int slot)
{
	markers[slot].file = NULL;
	atomic_dec(&markers_used);
	/* The slot is free for others only once its fields are reset. */
	smp_store_release(&markers[slot].task, NULL);
}

static struct open_marker *open_marker_find(void)
{
	int i;

	if (!atomic_read(&markers_used))
		return NULL;
	for (i = 0; i < CIMON_OPEN_MARKERS; i++)
		if (READ_ONCE(markers[i].task) == current &&
		    markers[i].start_time == current->start_time)
			return &markers[i];
	return NULL;
}

/* mem_open(inode, file) and environ_open(inode, file): mark the task. */
static int open_entry(struct kretprobe_instance *ri, struct pt_regs *regs,
		      u16 type)
{
	struct open_probe_data *data = (struct open_probe_data *)ri->data;

	data->slot = open_marker_set(type, (struct file *)regs_get_kernel_argument(regs, 1));
	/* No slot: skip the return handler, the miss is counted. */
	return data->slot < 0;
}

static int mem_open_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return open_entry(ri, regs, CIMON_EVENT_MEM_OPEN);
}

static int environ_open_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	return open_entry(ri, regs, CIMON_EVENT_ENVIRON_OPEN);
}

static int open_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct open_probe_data *data = (struct open_probe_data *)ri->data;

	open_marker_clear(data->slot);
	return 0;
}

static struct kretprobe mem_open_probe = {
	.kp.symbol_name = "mem_open",
	.entry_handler = mem_open_entry,
	.handler = open_return,
	.data_size = sizeof(struct open_probe_data),
	.maxactive = CIMON_OPEN_MARKERS,
};

static struct kretprobe environ_open_probe = {
	.kp.symbol_name = "environ_open",
	.entry_handler = environ_open_entry,
	.handler = open_return,
	.data_size = sizeof(struct open_probe_data),
	.maxactive = CIMON_OPEN_MARKERS,
};

/* Which memory access a system call is, or 0 when it is none. */
static u16 syscall_access_type(int nr, u32 flags, unsigned long arg0,
			       u32 *arg)
{
	if (flags & CIMON_F_SYSCALL_IA32) {
#ifdef CONFIG_IA32_EMULATION
		switch (nr) {
		case __NR_ia32_ptrace:
			goto ptrace;
		case __NR_ia32_process_vm_readv:
			return CIMON_EVENT_VM_READ;
		case __NR_ia32_process_vm_writev:
			return CIMON_EVENT_VM_WRITE;
		case __NR_ia32_pidfd_getfd:
			return CIMON_EVENT_PIDFD_GETFD;
		}
#endif
		return 0;
	}
#ifdef CONFIG_X86_X32_ABI
	/* x32 has numbers of its own for these; the rest are x86-64's. */
	if (flags & CIMON_F_SYSCALL_X32) {
		switch (nr) {
		case __NR_x32_ptrace:
			goto ptrace;
		case __NR_x32_process_vm_readv:
			return CIMON_EVENT_VM_READ;
		case __NR_x32_process_vm_writev:
			return CIMON_EVENT_VM_WRITE;
		}
	}
#endif
	switch (nr) {
	case __NR_ptrace:
		goto ptrace;
	case __NR_process_vm_readv:
		return CIMON_EVENT_VM_READ;
	case __NR_process_vm_writev:
		return CIMON_EVENT_VM_WRITE;
	case __NR_pidfd_getfd:
		return CIMON_EVENT_PIDFD_GETFD;
	}
	return 0;

ptrace:
	/* Only attach and seize ask; PTRACE_TRACEME has a hook of its own. */
	if (arg0 != PTRACE_ATTACH && arg0 != PTRACE_SEIZE)
		return 0;
	*arg = arg0;
	return CIMON_EVENT_PTRACE_ATTACH;
}

/**
 * ptrace_check_entry() - entry of security_ptrace_access_check()
 * @p: the kprobe
 * @regs: arguments: the target task and the PTRACE_MODE_* mode
 *
 * Context: atomic, the target's task_lock held.  Decides in bounded time
 * whether this check is a memory access cimon reports, reports it, and
 * denies it when a rule with action block says so in enforce mode.
 *
 * Return: 0 to let the check run; 1 when it was made to fail with EPERM
 * (which the opens of /proc/<pid>/mem and environ turn into EACCES).
 */
static int ptrace_check_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct task_struct *target = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	unsigned int mode = regs_get_kernel_argument(regs, 1);
	struct cimon_access access = { .target = target };
	struct open_marker *marker;
	unsigned long arg0 = 0;

	marker = open_marker_find();
	if (marker) {
		access.type = marker->type;
		access.file = marker->file;
		access.arg = marker->file->f_flags;
		access.syscall_nr = cimon_current_syscall(&access.flags, &arg0);
	} else {
		/* The system calls in question all ask for attach rights. */
		if (!(mode & PTRACE_MODE_ATTACH))
			return 0;
		access.syscall_nr = cimon_current_syscall(&access.flags, &arg0);
		if (access.syscall_nr < 0)
			return 0;
		access.type = syscall_access_type(access.syscall_nr,
						  access.flags, arg0,
						  &access.arg);
		if (!access.type)
			return 0;
	}
	if (cimon_report_access(&access) != CIMON_VERDICT_BLOCKED)
		return 0;
	cimon_deny(regs);
	return 1;
}

static struct kprobe ptrace_check_probe = {
	.symbol_name = "security_ptrace_access_check",
	.pre_handler = ptrace_check_entry,
	.post_handler = cimon_ipmodify_post,
};

/* open_port(inode, file): /dev/mem (minor 1) and /dev/port (minor 4). */
#define DEV_MEM_MINOR	1
#define DEV_PORT_MINOR	4

static int kmem_open(struct pt_regs *regs, const char *name)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 1);
	struct cimon_access access = {
		.type = CIMON_EVENT_KMEM_OPEN,
		.file_name = name,
		.arg = file->f_flags,
	};
	unsigned long arg0;

	access.syscall_nr = cimon_current_syscall(&access.flags, &arg0);
	if (cimon_report_access(&access) != CIMON_VERDICT_BLOCKED)
		return 0;
	cimon_deny(regs);
	return 1;
}

static int open_port_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct inode *inode = (struct inode *)regs_get_kernel_argument(regs, 0);

	return kmem_open(regs, iminor(inode) == DEV_PORT_MINOR ? "/dev/port" :
			 "/dev/mem");
}

static int open_kcore_entry(struct kprobe *p, struct pt_regs *regs)
{
	return kmem_open(regs, "/proc/kcore");
}

static struct kprobe open_port_probe = {
	.symbol_name = "open_port",
	.pre_handler = open_port_entry,
	.post_handler = cimon_ipmodify_post,
};

static struct kprobe open_kcore_probe = {
	.symbol_name = "open_kcore",
	.pre_handler = open_kcore_entry,
	.post_handler = cimon_ipmodify_post,
};

/**
 * cimon_mem_access_misses() - detections that could not happen
 *
 * Return: kprobe and kretprobe misses plus opens that found no free
 * marker slot.
 */
unsigned long cimon_mem_access_misses(void)
{
	return ptrace_check_probe.nmissed + open_port_probe.nmissed +
	       open_kcore_probe.nmissed +
	       mem_open_probe.nmissed + mem_open_probe.kp.nmissed +
	       environ_open_probe.nmissed + environ_open_probe.kp.nmissed +
	       atomic_long_read(&markers_full);
}

/**
 * cimon_mem_access_init() - attach the hooks
 *
 * The open probes go first, so the check never runs without them.
 *
 * Return: 0, or the error of the first probe that failed to register
 * (a renamed or inlined function, kprobes disabled), after logging it.
 */
int cimon_mem_access_init(void)
{
	int ret;

	ret = register_kretprobe(&mem_open_probe);
	if (ret) {
		pr_err("cannot probe mem_open: %d\n", ret);
		return ret;
	}
	ret = register_kretprobe(&environ_open_probe);
	if (ret) {
		pr_err("cannot probe environ_open: %d\n", ret);
		goto out_mem_open;
	}
	ret = register_kprobe(&ptrace_check_probe);
	if (ret) {
		pr_err("cannot probe security_ptrace_access_check: %d\n", ret);
		goto out_environ_open;
	}
	ret = register_kprobe(&open_port_probe);
	if (ret) {
		pr_err("cannot probe open_port (/dev/mem): %d\n", ret);
		goto out_ptrace_check;
	}
	ret = register_kprobe(&open_kcore_probe);
	if (ret) {
		pr_err("cannot probe open_kcore (/proc/kcore): %d\n", ret);
		goto out_open_port;
	}
	return 0;

out_open_port:
	unregister_kprobe(&open_port_probe);
out_ptrace_check:
	unregister_kprobe(&ptrace_check_probe);
out_environ_open:
	unregister_kretprobe(&environ_open_probe);
out_mem_open:
	unregister_kretprobe(&mem_open_probe);
	return ret;
}

/**
 * cimon_mem_access_exit() - detach the hooks
 *
 * Returns once no handler runs anymore.
 */
void cimon_mem_access_exit(void)
{
	unregister_kprobe(&open_kcore_probe);
	unregister_kprobe(&open_port_probe);
	unregister_kprobe(&ptrace_check_probe);
	unregister_kretprobe(&environ_open_probe);
	unregister_kretprobe(&mem_open_probe);
}
