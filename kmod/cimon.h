/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - interfaces between the module's parts.
 *
 * Hooks (atomic context) detect, decide a verdict and queue a report;
 * the report worker (process context) completes it and writes it to the
 * ring; /dev/cimon readers read the ring.
 */
#ifndef CIMON_H
#define CIMON_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <uapi/cimon.h>

struct cimon_match_ctx;
struct file;
struct linux_binprm;
struct mm_struct;
struct task_struct;

/* ring.c: one ring of events, one position per reader. */

/**
 * struct cimon_reader - the state of one open /dev/cimon
 * @seq: sequence number of the next record this reader will read.
 * @record: bounce buffer: a record is copied out of the ring under the
 *	ring lock, then to userspace without it.
 */
struct cimon_reader {
	u64 seq;
	struct cimon_event record;
};

int cimon_ring_init(unsigned int records);
void cimon_ring_exit(void);
void cimon_ring_write(struct cimon_event *event);
void cimon_ring_reader_start(struct cimon_reader *reader);
int cimon_ring_next(struct cimon_reader *reader, u64 *next_seq);
bool cimon_ring_readable(const struct cimon_reader *reader);
int cimon_ring_wait(const struct cimon_reader *reader);
struct wait_queue_head *cimon_ring_waitqueue(void);
unsigned int cimon_ring_size(void);
u64 cimon_ring_written(void);

/* chardev.c: /dev/cimon and its counters in sysfs. */

/**
 * struct cimon_counters - totals shown in /sys/class/misc/cimon
 * @dropped: detections lost before reaching the ring.
 * @lost: records overwritten before a reader read them, over all readers.
 * @readers: open readers.
 */
struct cimon_counters {
	atomic64_t dropped;
	atomic64_t lost;
	atomic_t readers;
};

extern struct cimon_counters cimon_counters;

int cimon_chardev_init(void);
void cimon_chardev_exit(void);

/* report.c: events detected in hooks, completed by a worker. */

/**
 * struct cimon_access - what a hook saw, handed to the report path
 * @type: enum cimon_event_type.
 * @verdict: enum cimon_verdict of a built-in report (CIMON_EVENT_TAMPER).
 * @target: the task acted on; its task_lock is held by the caller.
 * @file: the /proc file being opened, or NULL.
 * @file_name: the name of another file being opened, or NULL.
 * @syscall_nr: system call the actor is in, or -1.
 * @flags: CIMON_F_SYSCALL_* bits.
 * @arg: type-specific argument (see struct cimon_event).
 */
struct cimon_access {
	u16 type;
	u16 verdict;
	struct task_struct *target;
	struct file *file;
	const char *file_name;
	int syscall_nr;
	u32 flags;
	u32 arg;
};

int cimon_report_init(void);
void cimon_report_exit(void);
u16 cimon_report_access(const struct cimon_access *access);
void cimon_event_init(struct cimon_event *event, u16 type);
void cimon_event_stamp(struct cimon_event *event, u16 type);
void cimon_fill_process(struct cimon_event *event);
struct file *cimon_exe_file_get(struct mm_struct *mm);
u32 cimon_fill_path(char *dst, struct file *file, char *scratch,
		    u32 truncated, u32 unavailable);
void cimon_fill_container_id(char *dst);

/* deny.c: making a probed function fail. */

struct kprobe;
struct pt_regs;

void cimon_deny(struct pt_regs *regs);
void cimon_ipmodify_post(struct kprobe *p, struct pt_regs *regs,
			 unsigned long flags);

/* lock.c: locked until reboot. */

bool cimon_locked(void);
void cimon_lock(void);
void cimon_tamper(u32 what);
int cimon_lock_init(void);
void cimon_lock_exit(void);
unsigned long cimon_lock_misses(void);

/* missed.c: detections that could not happen, as records. */

void cimon_missed_init(void);
void cimon_missed_exit(void);

/* syscall.c: the system call a hook was reached from. */

int cimon_current_syscall(u32 *flags, unsigned long *arg0);

/* step.c: the GitHub Actions step each process runs in. */

int cimon_step_init(void);
void cimon_step_exit(void);
void cimon_step_exec(struct linux_binprm *bprm);
bool cimon_step_fill(struct cimon_github *github);
unsigned long cimon_step_misses(void);

/* exec.c: the hook on every exec. */

int cimon_exec_init(void);
void cimon_exec_start(void);
void cimon_exec_exit(void);
unsigned long cimon_exec_misses(void);

/* netlink.c: the generic netlink family. */

int cimon_netlink_init(void);
void cimon_netlink_exit(void);
enum cimon_mode cimon_mode_get(void);
void cimon_mode_set(enum cimon_mode mode);

/* mem_access.c: hooks on access to another process's memory. */

int cimon_mem_access_init(void);
void cimon_mem_access_exit(void);
unsigned long cimon_mem_access_misses(void);

/* main.c */

unsigned long cimon_probe_misses(void);

#endif /* CIMON_H */
