// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - making a probed function fail.
 *
 * Debian's kernels have no error injection (bpf_override_return), so an
 * entry kprobe denies the way that feature does: its handler points the
 * saved instruction pointer at a function that only returns -EPERM, and
 * returns 1 to say it did.  Execution then resumes there instead of in
 * the probed function, with the probed function's caller as the return
 * address: the caller sees the probed function fail with EPERM and
 * nothing of it ran.  The probes that deny carry an empty post handler,
 * which makes kprobes register them with FTRACE_OPS_FL_IPMODIFY, so that
 * a live patch of the same function is refused loudly, never silently
 * overridden.
 */

#include <linux/kprobes.h>
#include <linux/ptrace.h>

#include "cimon.h"

/* Returns -EPERM as a long: right for callers of int and ssize_t alike. */
static noinline notrace long deny_eperm(void)
{
	return -EPERM;
}

/**
 * cimon_deny() - make the probed function return -EPERM at once
 * @regs: the registers of an entry kprobe's pre handler, which must then
 *	return 1
 */
void cimon_deny(struct pt_regs *regs)
{
	instruction_pointer_set(regs, (unsigned long)deny_eperm);
}

/**
 * cimon_ipmodify_post() - post handler of the probes that may deny
 * @p: the probe
 * @regs: the registers
 * @flags: unused
 */
void cimon_ipmodify_post(struct kprobe *p, struct pt_regs *regs,
			 unsigned long flags)
{
}
