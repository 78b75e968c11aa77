// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - watches CI/CD runner hosts for the attacks aimed at them: a
 * process reading a runner's secrets out of its memory, first of all.
 *
 * This file loads and unloads the parts in order; each part lives in its
 * own file (ring, chardev, report, rules, netlink, step, mem_access,
 * exec).
 */

#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "cimon.h"
#include "rules.h"

#if !IS_ENABLED(CONFIG_KPROBES) || !IS_ENABLED(CONFIG_KRETPROBES)
#error "cimon needs a kernel with CONFIG_KPROBES and CONFIG_KRETPROBES"
#endif

static unsigned int ring_size = CIMON_RING_DEFAULT;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size,
		 "Events the ring holds, rounded up to a power of two (16-65536, default 4096)");

static bool default_rules = true;
module_param(default_rules, bool, 0444);
MODULE_PARM_DESC(default_rules,
		 "Run the built-in rule set from load (default); 0: report every access until a set is loaded");

/**
 * cimon_probe_misses() - detections that could not happen, over all hooks
 */
unsigned long cimon_probe_misses(void)
{
	return cimon_mem_access_misses() + cimon_step_misses() +
	       cimon_exec_misses() + cimon_lock_misses();
}

static bool lock;
module_param(lock, bool, 0444);
MODULE_PARM_DESC(lock,
		 "Lock at load: no unload until reboot, no lower mode, no other rule set (default 0)");

static unsigned int mode;
module_param(mode, uint, 0444);
MODULE_PARM_DESC(mode, "Mode at load: 0 monitor (default), 1 enforce");

static int __init cimon_init(void)
{
	int ret;

	/* The record layout is ABI: catch an accidental change. */
	BUILD_BUG_ON(sizeof(struct cimon_process) != 912);
	BUILD_BUG_ON(sizeof(struct cimon_target) != 280);
	BUILD_BUG_ON(sizeof(struct cimon_github) != 600);
	BUILD_BUG_ON(sizeof(struct cimon_event) != 3136);

	if (ring_size < CIMON_RING_MIN || ring_size > CIMON_RING_MAX) {
		pr_err("ring_size=%u is out of range [%u, %u]\n", ring_size,
		       CIMON_RING_MIN, CIMON_RING_MAX);
		return -EINVAL;
	}
	if (mode > CIMON_MODE_ENFORCE) {
		pr_err("mode=%u: 0 is monitor, 1 enforce\n", mode);
		return -EINVAL;
	}
	cimon_mode_set(mode);
	ret = cimon_ring_init(ring_size);
	if (ret)
		return ret;
	ret = cimon_report_init();
	if (ret)
		goto out_ring;
	if (default_rules) {
		ret = cimon_rules_load_defaults();
		if (ret)
			goto out_report;
	}
	ret = cimon_netlink_init();
	if (ret)
		goto out_report;
	ret = cimon_step_init();
	if (ret)
		goto out_netlink;
	ret = cimon_mem_access_init();
	if (ret)
		goto out_step;
	ret = cimon_exec_init();
	if (ret)
		goto out_mem_access;
	ret = cimon_lock_init();
	if (ret)
		goto out_exec;
	/* Last: an open /dev/cimon pins the module, which must then stay. */
	ret = cimon_chardev_init();
	if (ret)
		goto out_lock;
	/* So does an exec in the handler: put it in when nothing can fail. */
	cimon_exec_start();
	cimon_missed_init();
	pr_info("loaded: ABI %u, ring of %u events, %s mode\n",
		CIMON_ABI_VERSION, cimon_ring_size(),
		mode == CIMON_MODE_ENFORCE ? "enforce" : "monitor");
	if (lock)
		cimon_lock();
	return 0;

out_lock:
	cimon_lock_exit();
out_exec:
	cimon_exec_exit();
out_mem_access:
	cimon_mem_access_exit();
out_step:
	cimon_step_exit();
out_netlink:
	cimon_netlink_exit();
out_report:
	cimon_report_exit();
	cimon_rules_exit();
out_ring:
	cimon_ring_exit();
	return ret;
}

static void __exit cimon_exit(void)
{
	cimon_missed_exit();
	cimon_chardev_exit();
	cimon_lock_exit();
	cimon_exec_exit();
	cimon_mem_access_exit();
	cimon_step_exit();
	cimon_netlink_exit();
	cimon_report_exit();
	cimon_rules_exit();
	cimon_ring_exit();
	pr_info("unloaded\n");
}

module_init(cimon_init);
module_exit(cimon_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("cimon developers");
MODULE_DESCRIPTION("Detects attacks on CI/CD runner hosts: memory theft, runner backdoors");
MODULE_VERSION("0.1.0");
