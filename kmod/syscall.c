// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - which system call the current task is in, for the hooks that
 * are reached from several (an open from open, openat, openat2 or
 * io_uring; an exec from execve or execveat).
 */

#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <asm/syscall.h>

#include "cimon.h"

/**
 * cimon_current_syscall() - the system call the current task is in
 * @flags: CIMON_F_SYSCALL_* are set here to say which table the number
 *	is from.
 * @arg0: set to its first argument.
 *
 * Context: any; reads only the task's saved user registers.
 * Return: the number (x86-64 numbering, or ia32 or x32 as @flags say),
 * or -1 when there is none: a kernel thread, or an io_uring worker
 * acting for a process, whose registers are not a system call's.
 */
int cimon_current_syscall(u32 *flags, unsigned long *arg0)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long args[6];
	long nr;

	if (current->flags & (PF_KTHREAD | PF_IO_WORKER))
		return -1;
	nr = syscall_get_nr(current, regs);
	if (nr < 0)
		return -1;
	syscall_get_arguments(current, regs, args);
	*arg0 = args[0];
#ifdef CONFIG_IA32_EMULATION
	if (in_ia32_syscall()) {
		*flags |= CIMON_F_SYSCALL_IA32;
		return nr;
	}
#endif
#ifdef CONFIG_X86_X32_ABI
	if (nr & __X32_SYSCALL_BIT) {
		*flags |= CIMON_F_SYSCALL_X32;
		return nr & ~__X32_SYSCALL_BIT;
	}
#endif
	return nr;
}
