// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - locked until reboot.
 *
 * A hardened fleet loads cimon from boot, in enforce mode, and locks it
 * (`cimon lock`, or the module parameter lock=1).  From then on:
 *  - the module holds a reference on itself, and delete_module() of it,
 *    forced or not, fails with EPERM before the kernel looks at it; so
 *    does every forced delete_module() (O_TRUNC), whatever the name it
 *    gives: the kernel reads that name again, after the probe, and a
 *    forced unload would not stop at the reference;
 *  - writes to /sys/kernel/debug/kprobes/enabled, which would disarm every
 *    kprobe and with them all of cimon's hooks, fail with EPERM;
 *  - a permanent ftrace_ops makes `sysctl kernel.ftrace_enabled=0`, which
 *    would switch off the ftrace call sites the kprobes sit on, fail with
 *    EBUSY;
 *  - netlink refuses a new rule set and a mode lower than the current one.
 * Each denied attempt is reported as a CIMON_EVENT_TAMPER record.  Root
 * can still load another module to undo all this: the kernel's lockdown
 * (lockdown=integrity) is what stops that.
 */

#include <linux/atomic.h>
#include <linux/fcntl.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "cimon.h"

static atomic_t locked = ATOMIC_INIT(0);

/**
 * cimon_locked() - whether cimon is locked
 */
bool cimon_locked(void)
{
	return atomic_read(&locked);
}

/**
 * cimon_tamper() - report a denied attempt to weaken a locked cimon
 * @what: enum cimon_tamper
 *
 * Context: any but NMI.
 */
void cimon_tamper(u32 what)
{
	struct cimon_access access = {
		.type = CIMON_EVENT_TAMPER,
		.verdict = CIMON_VERDICT_BLOCKED,
		.arg = what,
	};
	unsigned long arg0;

	access.syscall_nr = cimon_current_syscall(&access.flags, &arg0);
	cimon_report_access(&access);
}

/*
 * Is the name delete_module() was given cimon's?  Read without faulting
 * (a kprobe handler), a page at a time so as not to fault past its end.
 */
static bool unloads_cimon(const char __user *uname)
{
	const size_t want = strlen(THIS_MODULE->name) + 1;
	char name[MODULE_NAME_LEN];
	size_t done = 0, n;

	while (done < want) {
		n = min_t(size_t, want - done,
			  PAGE_SIZE - offset_in_page(uname + done));
		if (copy_from_user_nofault(name + done, uname + done, n))
			return false;
		done += n;
	}
	return !memcmp(name, THIS_MODULE->name, want);
}

static int deny_unload(struct pt_regs *regs, const char __user *uname,
		       unsigned long flags)
{
	if (!cimon_locked())
		return 0;
	if (!(flags & O_TRUNC) && !unloads_cimon(uname))
		return 0;
	cimon_tamper(CIMON_TAMPER_UNLOAD);
	cimon_deny(regs);
	return 1;
}

/* __x64_sys_delete_module(regs): name and flags in regs->di and ->si. */
static int delete_module_entry(struct kprobe *p, struct pt_regs *regs)
{
	const struct pt_regs *uregs =
		(const struct pt_regs *)regs_get_kernel_argument(regs, 0);

	return deny_unload(regs, (const char __user *)uregs->di, uregs->si);
}

static struct kprobe delete_module_probe = {
	.symbol_name = "__x64_sys_delete_module",
	.pre_handler = delete_module_entry,
	.post_handler = cimon_ipmodify_post,
};

#ifdef CONFIG_IA32_EMULATION
/* __ia32_sys_delete_module(regs): name and flags in regs->bx and ->cx. */
static int ia32_delete_module_entry(struct kprobe *p, struct pt_regs *regs)
{
	const struct pt_regs *uregs =
		(const struct pt_regs *)regs_get_kernel_argument(regs, 0);

	return deny_unload(regs, (const char __user *)uregs->bx,
			   (u32)uregs->cx);
}

static struct kprobe ia32_delete_module_probe = {
	.symbol_name = "__ia32_sys_delete_module",
	.pre_handler = ia32_delete_module_entry,
	.post_handler = cimon_ipmodify_post,
};
#endif

/* The write handler of /sys/kernel/debug/kprobes/enabled. */
static int kprobes_enabled_entry(struct kprobe *p, struct pt_regs *regs)
{
	if (!cimon_locked())
		return 0;
	cimon_tamper(CIMON_TAMPER_KPROBES);
	cimon_deny(regs);
	return 1;
}

static struct kprobe kprobes_enabled_probe = {
	.symbol_name = "write_enabled_file_bool",
	.pre_handler = kprobes_enabled_entry,
	.post_handler = cimon_ipmodify_post,
};

static void permanent_func(unsigned long ip, unsigned long parent_ip,
			   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
}

/* Registered at lock: while it is, ftrace_enabled cannot be cleared. */
static struct ftrace_ops permanent_ops = {
	.func = permanent_func,
	.flags = FTRACE_OPS_FL_PERMANENT | FTRACE_OPS_FL_RECURSION,
};

#define PERMANENT_FUNC "write_enabled_file_bool"

static bool permanent_registered;

/**
 * cimon_lock() - lock until reboot
 *
 * Context: process context.  Locking twice is locking once.
 */
void cimon_lock(void)
{
	int ret;

	if (atomic_xchg(&locked, 1))
		return;
	__module_get(THIS_MODULE);
	ret = ftrace_set_filter(&permanent_ops, PERMANENT_FUNC,
				strlen(PERMANENT_FUNC), 1);
	if (!ret)
		ret = register_ftrace_function(&permanent_ops);
	permanent_registered = !ret;
	if (ret) {
		ftrace_free_filter(&permanent_ops);
		pr_warn("locked, but ftrace_enabled stays writable: %d\n", ret);
	}
	pr_notice("locked until reboot\n");
}

static struct kprobe *const probes[] = {
	&delete_module_probe,
#ifdef CONFIG_IA32_EMULATION
	&ia32_delete_module_probe,
#endif
	&kprobes_enabled_probe,
};

/**
 * cimon_lock_init() - attach the probes that keep a lock
 *
 * Return: 0, or the error of the probe that could not be registered.
 */
int cimon_lock_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		ret = register_kprobe(probes[i]);
		if (ret) {
			pr_err("cannot probe %s: %d\n", probes[i]->symbol_name,
			       ret);
			while (i--)
				unregister_kprobe(probes[i]);
			return ret;
		}
	}
	return 0;
}

/**
 * cimon_lock_exit() - detach them; cimon was never locked, or it could
 *	not be unloaded
 *
 * The permanent ops would otherwise outlive the module's text should a
 * lock ever be got round: drop them too.
 */
void cimon_lock_exit(void)
{
	int i;

	for (i = ARRAY_SIZE(probes) - 1; i >= 0; i--)
		unregister_kprobe(probes[i]);
	if (permanent_registered) {
		unregister_ftrace_function(&permanent_ops);
		ftrace_free_filter(&permanent_ops);
	}
	permanent_registered = false;
}

/**
 * cimon_lock_misses() - times a lock probe could not run
 */
unsigned long cimon_lock_misses(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(probes); i++)
		n += probes[i]->nmissed;
	return n;
}
