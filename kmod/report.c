// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - turning what a hook saw into a verdict and an event record.
 *
 * Hooks run in atomic context (a kprobe handler, often under the target's
 * task_lock): there they fill what needs no lock and no sleep (ids, names,
 * ancestry, the command line if it is resident, the procfs file name,
 * the container id, executable paths as far as their mount) in a per-CPU
 * record, run the rules with action block on it to decide the verdict,
 * and queue a copy with references on the executable files.  The report
 * worker, in process context, resolves the full paths, runs the other
 * rules, writes the records to the ring and drops the references.
 * Nothing is allocated in the hook: reports come from a preallocated
 * pool, and an empty pool is counted as a drop (the verdict stands).
 */

#include <linux/bitmap.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/kernfs.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/llist.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "cimon.h"
#include "limits.h"
#include "rules.h"

/**
 * struct pending_report - an event waiting for the worker
 * @node: link in the free list or in the queue.
 * @exe: the actor's executable, referenced.
 * @target_exe: the target's executable, referenced.
 * @set: the rule set the hook judged the event by, referenced (NULL for
 *	a built-in record): the worker finishes with the same set, even if
 *	another replaced it meanwhile.
 * @partial: PARTIAL_* bits: the paths the worker completes from @exe and
 *	@target_exe; the others are whole in @event already.
 * @builtin: written once as a built-in record, no rule run.
 * @matched: the rules of @set the hook found matching; the worker runs
 *	only the rules on executable paths, which need the full paths
 *	(cimon_rule.late).
 * @event: the record, filled as far as atomic context allows.
 */
struct pending_report {
	struct llist_node node;
	struct file *exe;
	struct file *target_exe;
	struct cimon_ruleset *set;
	u32 partial;
	bool builtin;
	DECLARE_BITMAP(matched, CIMON_RULES_MAX);
	struct cimon_event event;
};

/**
 * struct hook_scratch - where a hook builds and judges its event
 * @event: the record.
 * @ctx: the rules' view of it.
 * @matched: the rules that matched.
 */
struct hook_scratch {
	struct cimon_event event;
	struct cimon_match_ctx ctx;
	DECLARE_BITMAP(matched, CIMON_RULES_MAX);
};

/* Hooks run with preemption off and never nest on one CPU. */
static struct hook_scratch __percpu *hook_scratch;

/* /proc/<pid>/task/<tid>/mem is the deepest file reported. */
#define PROC_FILE_DEPTH 4

static struct pending_report *pool;
static struct llist_node *pool_free;	/* protected by pool_lock */
static DEFINE_RAW_SPINLOCK(pool_lock);
static LLIST_HEAD(queue);

static void report_work_fn(struct work_struct *work);
static DECLARE_WORK(report_work, report_work_fn);
/*
 * High priority: the worker runs as soon as the hook that queued it is
 * done, before the process that raised the event goes on, on its CPU.
 * The pool of pending reports drains as fast as it fills, and what
 * reporting costs is taken from whoever makes the events.
 */
static struct workqueue_struct *report_wq;

static struct pending_report *pool_get(void)
{
	struct llist_node *node;
	unsigned long irqflags;

	raw_spin_lock_irqsave(&pool_lock, irqflags);
	node = pool_free;
	if (node)
		pool_free = node->next;
	raw_spin_unlock_irqrestore(&pool_lock, irqflags);
	return node ? llist_entry(node, struct pending_report, node) : NULL;
}

static void pool_put(struct pending_report *report)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&pool_lock, irqflags);
	report->node.next = pool_free;
	pool_free = &report->node;
	raw_spin_unlock_irqrestore(&pool_lock, irqflags);
}

/**
 * cimon_exe_file_get() - mm->exe_file with a reference
 * @mm: the address space, or NULL
 *
 * Context: any; under RCU as get_mm_exe_file() does.
 */
struct file *cimon_exe_file_get(struct mm_struct *mm)
{
	struct file *exe;

	if (!mm)
		return NULL;
	rcu_read_lock();
#ifdef CIMON_GET_FILE_RCU_TAKES_POINTER
	exe = get_file_rcu(&mm->exe_file);
#else
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#endif
	rcu_read_unlock();
	return exe;
}

/* Copy a comm, which another CPU may be rewriting: bounded, terminated. */
static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, CIMON_COMM_LEN);
	dst[CIMON_COMM_LEN - 1] = '\0';
}

/*
 * The controlling terminal.  signal->tty may be released by a hangup on
 * another CPU and taking siglock here would nest it under the target's
 * task_lock, so read it without faulting: at worst a stale name.
 */
static void fill_tty(struct cimon_process *proc)
{
	struct tty_struct *tty = READ_ONCE(current->signal->tty);
	struct tty_driver *driver;
	int major, minor_start, index;

	if (!tty)
		return;
	if (copy_from_kernel_nofault(&driver, &tty->driver, sizeof(driver)) ||
	    copy_from_kernel_nofault(&index, &tty->index, sizeof(index)) ||
	    !driver ||
	    copy_from_kernel_nofault(&major, &driver->major, sizeof(major)) ||
	    copy_from_kernel_nofault(&minor_start, &driver->minor_start,
				     sizeof(minor_start)))
		return;
	proc->tty_dev = new_encode_dev(MKDEV(major, minor_start) + index);
	/* The kernel calls a pty "pts0"; people know it as /dev/pts/0. */
	if (major >= UNIX98_PTY_SLAVE_MAJOR &&
	    major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT) {
		snprintf(proc->tty, CIMON_TTY_LEN, "pts/%d", index);
		return;
	}
	if (copy_from_kernel_nofault(proc->tty, tty->name, CIMON_TTY_LEN - 1))
		proc->tty[0] = '\0';
	proc->tty[CIMON_TTY_LEN - 1] = '\0';
}

/*
 * argv of the current process, as /proc/self/cmdline shows it, if its
 * pages are resident: page faults cannot be taken here.
 */
static void fill_cmdline(struct cimon_event *event)
{
	struct cimon_process *proc = &event->proc;
	struct mm_struct *mm = current->mm;
	unsigned long start, end, len;

	if (!mm || (current->flags & PF_KTHREAD)) {
		event->flags |= CIMON_F_CMDLINE_UNAVAILABLE;
		return;
	}
	start = READ_ONCE(mm->arg_start);
	end = READ_ONCE(mm->arg_end);
	if (end <= start) {
		event->flags |= CIMON_F_CMDLINE_UNAVAILABLE;
		return;
	}
	len = end - start;
	if (len > CIMON_CMDLINE_LEN - 1) {
		len = CIMON_CMDLINE_LEN - 1;
		event->flags |= CIMON_F_CMDLINE_TRUNCATED;
	}
	if (copy_from_user_nofault(proc->cmdline,
				   (const void __user *)start, len)) {
		/* A partial copy may have landed: the field must be empty. */
		memset(proc->cmdline, 0, len);
		event->flags |= CIMON_F_CMDLINE_UNAVAILABLE;
		event->flags &= ~CIMON_F_CMDLINE_TRUNCATED;
		return;
	}
	/* Drop the terminator of the last argument; keep the separators. */
	while (len && proc->cmdline[len - 1] == '\0')
		len--;
	proc->cmdline[len] = '\0';
	proc->cmdline_len = len;
}

/*
 * The path of a /proc/<pid>/{mem,environ} file being opened, named as
 * procfs names it: "/proc/<pid>/mem", "/proc/<pid>/task/<tid>/mem", even
 * when proc is mounted elsewhere or reached through a bind mount, so a
 * rule on fd.name cannot be dodged by mounting proc somewhere else.  The
 * opener holds the dentry; pid directories are never renamed; the walk
 * takes no lock (d_path would, and on PREEMPT_RT that lock sleeps).
 */
static void fill_proc_file(char *dst, struct file *file)
{
	const struct dentry *dentry = file->f_path.dentry;
	const struct dentry *chain[PROC_FILE_DEPTH];
	int depth = 0, len, n;

	rcu_read_lock();
	while (!IS_ROOT(dentry)) {
		if (depth == PROC_FILE_DEPTH)
			goto out;
		chain[depth++] = dentry;
		dentry = READ_ONCE(dentry->d_parent);
	}
	len = strscpy(dst, "/proc", CIMON_PATH_LEN);
	while (depth--) {
		n = READ_ONCE(chain[depth]->d_name.len);
		if (n > CIMON_PATH_LEN - len - 2)
			break;
		dst[len++] = '/';
		memcpy(dst + len, chain[depth]->d_name.name, n);
		len += n;
	}
	dst[len] = '\0';
out:
	rcu_read_unlock();
}

/**
 * cimon_event_init() - an empty record of @type, stamped now
 * @event: the record
 * @type: enum cimon_event_type
 */
void cimon_event_init(struct cimon_event *event, u16 type)
{
	memset(event, 0, sizeof(*event));
	cimon_event_stamp(event, type);
}

/**
 * cimon_event_stamp() - make @event a record of @type, stamped now
 * @event: the record
 * @type: enum cimon_event_type
 */
void cimon_event_stamp(struct cimon_event *event, u16 type)
{
	event->size = sizeof(*event);
	event->version = CIMON_ABI_VERSION;
	event->type = type;
	event->time_ns = ktime_get_real_ns();
}

/**
 * cimon_fill_process() - ids, names, ancestry, terminal and GitHub step
 *	of the current task
 * @event: the record
 *
 * Context: any; never sleeps.  The command line is not filled.
 */
void cimon_fill_process(struct cimon_event *event)
{
	struct cimon_process *proc = &event->proc;
	const struct cred *cred = current_cred();
	struct task_struct *task;
	int i;

	proc->pid = task_pid_nr(current);
	proc->tgid = task_tgid_nr(current);
	proc->uid = from_kuid_munged(&init_user_ns, cred->uid);
	proc->euid = from_kuid_munged(&init_user_ns, cred->euid);
	copy_comm(proc->comm, current->comm);

	rcu_read_lock();
	task = rcu_dereference(current->real_parent);
	proc->ppid = task_tgid_nr(task);
	for (i = 0; i < CIMON_ANCESTORS && task_tgid_nr(task) > 0; i++) {
		copy_comm(proc->ancestors[i], task->group_leader->comm);
		task = rcu_dereference(task->real_parent);
	}
	rcu_read_unlock();

	fill_tty(proc);
	if (cimon_step_fill(&event->github))
		event->flags |= CIMON_F_GITHUB_TRUNCATED;
}

/*
 * The path of @file as far as the root of its mount, walked without a
 * lock as prepend_name() reads names: what a hook can know of an
 * executable's path.  Return: the CIMON_F_* flag to set.
 */
static u32 fill_path_in_mount(char *dst, const struct file *file,
			      u32 truncated, u32 unavailable)
{
	const struct dentry *dentry, *root, *parent;
	char buf[CIMON_PATH_LEN];
	int pos = sizeof(buf) - 1, depth, n, i;
	const char *name;
	u32 flags = 0;

	if (!file)
		return unavailable;
	buf[pos] = '\0';
	rcu_read_lock();
	dentry = file->f_path.dentry;
	root = file->f_path.mnt->mnt_root;
	for (depth = 0; dentry != root && !IS_ROOT(dentry); depth++) {
		parent = READ_ONCE(dentry->d_parent);
		/* Pairs with d_move()'s release of a new name, as in d_path. */
		name = smp_load_acquire(&dentry->d_name.name);
		n = min_t(u32, READ_ONCE(dentry->d_name.len), NAME_MAX);
		if (depth == PATH_MAX / 2 || n + 1 > pos) {
			flags = truncated;
			break;
		}
		/* A rename may race: stop at the name's own end. */
		for (i = 0; i < n && name[i]; i++)
			;
		pos -= i;
		memcpy(buf + pos, name, i);
		buf[--pos] = '/';
		dentry = parent;
	}
	rcu_read_unlock();
	if (pos == sizeof(buf) - 1)
		buf[--pos] = '/';
	memcpy(dst, buf + pos, sizeof(buf) - pos);
	return flags;
}

/*
 * Container runtimes name a container's cgroup after its 64-hex-digit id
 * (docker-<id>.scope, /docker/<id>, cri-containerd-<id>.scope,
 * libpod-<id>.scope, kubepods/.../<id>).  Take the deepest such run, as
 * Falco takes the last of the path, and keep its first 12 digits.
 */
#define CONTAINER_ID_DIGITS 12
#define CGROUP_NAME_MAX 128
#define CGROUP_DEPTH_MAX 16

static bool find_container_id(char *dst, const char *name)
{
	const char *p;
	int run = 0;

	for (p = name; ; p++) {
		if (*p && isxdigit(*p) && !isupper(*p)) {
			run++;
			continue;
		}
		if (run == 64) {
			BUILD_BUG_ON(CONTAINER_ID_DIGITS >= CIMON_CONTAINER_ID_LEN);
			strscpy(dst, p - 64, CONTAINER_ID_DIGITS + 1);
			return true;
		}
		run = 0;
		if (!*p)
			return false;
	}
}

/*
 * A string at @src in kernel memory that may be freed meanwhile, into
 * @size bytes of @dst, terminated.  Reads never cross into a page the
 * string does not reach.  Return: false when it faulted.
 */
static bool read_kernel_string(char *dst, const char *src, size_t size)
{
	size_t done = 0, n;

	while (done < size - 1) {
		n = min_t(size_t, size - 1 - done,
			  PAGE_SIZE - offset_in_page(src + done));
		if (copy_from_kernel_nofault(dst + done, src + done, n))
			return false;
		if (memchr(dst + done, '\0', n))
			return true;
		done += n;
	}
	dst[size - 1] = '\0';
	return true;
}

/**
 * cimon_fill_container_id() - the current task's container id
 * @dst: CIMON_CONTAINER_ID_LEN bytes, left empty on the host
 *
 * Context: any.  Walks the task's cgroup and its parents without a lock
 * (kernfs takes a spinlock for that, which sleeps on PREEMPT_RT), reading
 * each name and parent with the nofault accessors: a cgroup renamed at
 * that moment gives no id, never a fault.
 */
void cimon_fill_container_id(char *dst)
{
	struct kernfs_node *kn, *parent;
	char name[CGROUP_NAME_MAX];
	const char *ptr;
	int depth;

	rcu_read_lock();
	kn = task_dfl_cgroup(current)->kn;
	for (depth = 0; kn && depth < CGROUP_DEPTH_MAX; depth++) {
		if (copy_from_kernel_nofault(&ptr, &kn->name, sizeof(ptr)) ||
		    !read_kernel_string(name, ptr, sizeof(name)))
			break;
		if (find_container_id(dst, name) ||
		    copy_from_kernel_nofault(&parent, &kn->parent,
					     sizeof(parent)))
			break;
		kn = parent;
	}
	rcu_read_unlock();
}

/*
 * Run @set's rules on @event, in the hook: all of them but the alert
 * rules on executable paths, which the worker runs on the full paths
 * (@exe_partial: the actor's is only known as far as its mount).
 * Those that match go to @matched.  Context: under rcu_read_lock().
 * Return: the verdict (the first rule with action block decides); in
 * *@report, whether a record may have to be written.
 */
static u16 hook_match(struct cimon_ruleset *set, struct cimon_event *event,
		      bool exe_partial, struct cimon_match_ctx *ctx,
		      unsigned long *matched, bool *report)
{
	u16 verdict = CIMON_VERDICT_ALLOWED;
	struct cimon_rule *rule;
	u32 i;

	*report = false;
	bitmap_zero(matched, set->count);
	cimon_match_begin(ctx, event, set, NULL, exe_partial);
	for_each_set_bit(i, ctx->candidates, set->count) {
		rule = &set->rules[i];
		if (!(rule->events & BIT(event->type)))
			continue;
		if (rule->late && rule->action != CIMON_ACTION_BLOCK) {
			*report = true;
			continue;
		}
		if (!cimon_rule_match(rule, ctx))
			continue;
		atomic64_inc(&rule->hits);
		__set_bit(i, matched);
		*report = true;
		if (rule->action == CIMON_ACTION_BLOCK &&
		    verdict == CIMON_VERDICT_ALLOWED)
			verdict = cimon_mode_get() == CIMON_MODE_ENFORCE ?
				  CIMON_VERDICT_BLOCKED :
				  CIMON_VERDICT_WOULD_BLOCK;
	}
	return verdict;
}

/*
 * Is the path fill_path_in_mount() gives for @file the one the worker's
 * d_path() would give: is @file on the mount of the kernel threads' root
 * (the worker's, whatever root the task that raised the event has), is
 * that root the mount's own, and is @file still linked?  Context: under
 * rcu_read_lock().
 */
static bool path_in_mount_is_whole(const struct file *file)
{
	const struct fs_struct *fs = init_task.fs;

	return file->f_path.mnt == READ_ONCE(fs->root.mnt) &&
	       file->f_path.mnt->mnt_root == READ_ONCE(fs->root.dentry) &&
	       !d_unlinked(file->f_path.dentry);
}

/* Executable paths a hook knows only in part (fill_access()). */
#define PARTIAL_EXE		BIT(0)
#define PARTIAL_TARGET_EXE	BIT(1)

/* The path of @file as far as its mount; @part in *@partial if cut. */
static u32 fill_exe(char *dst, const struct file *file, u32 truncated,
		    u32 unavailable, u32 part, u32 *partial)
{
	u32 flags = fill_path_in_mount(dst, file, truncated, unavailable);

	if (file && (flags || !path_in_mount_is_whole(file)))
		*partial |= part;
	return flags;
}

/*
 * Fill the record of @access in atomic context.  Return: PARTIAL_* bits,
 * the executable paths only known in part, for the worker to complete.
 */
static u32 fill_access(struct cimon_event *event,
		       const struct cimon_access *access)
{
	struct task_struct *target = access->target;
	u32 partial = 0;
	struct file *exe;

	cimon_event_init(event, access->type);
	event->flags = access->flags;
	event->syscall_nr = access->syscall_nr;
	event->arg = access->arg;
	cimon_fill_process(event);
	fill_cmdline(event);
	cimon_fill_container_id(event->proc.container_id);
	if (access->file)
		fill_proc_file(event->file, access->file);
	else if (access->file_name)
		strscpy(event->file, access->file_name, CIMON_PATH_LEN);

	rcu_read_lock();
	exe = current->mm ? rcu_dereference(current->mm->exe_file) : NULL;
	event->flags |= fill_exe(event->proc.exe, exe, CIMON_F_EXE_TRUNCATED,
				 CIMON_F_EXE_UNAVAILABLE, PARTIAL_EXE,
				 &partial);
	if (target) {
		event->target.pid = task_pid_nr(target);
		event->target.tgid = task_tgid_nr(target);
		/* The process's name: a thread of Runner.Worker has its own. */
		copy_comm(event->target.comm, target->group_leader->comm);
		exe = target->mm ? rcu_dereference(target->mm->exe_file) : NULL;
		event->flags |= fill_exe(event->target.exe, exe,
					 CIMON_F_TARGET_EXE_TRUNCATED,
					 CIMON_F_TARGET_EXE_UNAVAILABLE,
					 PARTIAL_TARGET_EXE, &partial);
	}
	rcu_read_unlock();
	return partial;
}

/**
 * cimon_report_access() - judge and report what a hook saw
 * @access: what the hook saw
 *
 * The rules run here, on what atomic context can know (executable paths
 * only as far as their mount), so that an access no rule matches costs
 * no queueing and no worker; only the alert rules on executable paths
 * run in the worker, on the full paths.  Without a rule set every access
 * is reported.  CIMON_EVENT_TAMPER is always reported, as a built-in.
 *
 * Context: any but NMI, including atomic with the target's task_lock
 * held (which keeps @access->target->mm stable).  Never sleeps, never
 * allocates.
 * Return: enum cimon_verdict: CIMON_VERDICT_BLOCKED asks the hook to deny.
 */
u16 cimon_report_access(const struct cimon_access *access)
{
	bool builtin = access->type == CIMON_EVENT_TAMPER;
	u16 verdict = access->verdict;
	struct pending_report *report = NULL;
	struct cimon_ruleset *set;
	struct hook_scratch *hs;
	bool want = true;
	u32 partial;

	rcu_read_lock();
	set = cimon_ruleset_get();
	if (!builtin && set && !(set->events & BIT(access->type))) {
		rcu_read_unlock();
		return CIMON_VERDICT_ALLOWED;
	}
	builtin |= !set;
	/* Kprobes run with preemption off; netlink's tamper reports do not. */
	preempt_disable();
	hs = this_cpu_ptr(hook_scratch);
	partial = fill_access(&hs->event, access);
	if (!builtin) {
		verdict = hook_match(set, &hs->event, partial & PARTIAL_EXE,
				     &hs->ctx, hs->matched, &want);
		hs->event.rules_generation = set->generation;
	}
	hs->event.verdict = verdict;
	if (want)
		report = pool_get();
	if (report) {
		memcpy(&report->event, &hs->event, sizeof(hs->event));
		report->set = NULL;
		if (!builtin) {
			bitmap_copy(report->matched, hs->matched, set->count);
			/* An active set is put only after a grace period. */
			if (refcount_inc_not_zero(&set->users))
				report->set = set;
		}
		report->builtin = builtin;
	}
	preempt_enable();
	rcu_read_unlock();

	if (!want)
		return verdict;
	if (!report) {
		atomic64_inc(&cimon_counters.dropped);
		return verdict;
	}
	/* Whole paths need no d_path() in the worker, nor a reference. */
	report->exe = partial & PARTIAL_EXE ?
		      cimon_exe_file_get(current->mm) : NULL;
	report->target_exe = partial & PARTIAL_TARGET_EXE ?
			     cimon_exe_file_get(access->target->mm) : NULL;
	report->partial = partial;
	llist_add(&report->node, &queue);
	queue_work(report_wq, &report_work);
	return verdict;
}

/**
 * cimon_fill_path() - the path of @file into @dst, cut to fit
 * @dst: CIMON_PATH_LEN bytes
 * @file: the file, or NULL
 * @scratch: PATH_MAX bytes
 * @truncated: the flag to return when the path was cut
 * @unavailable: the flag to return when there is no path
 *
 * Context: process context (d_path may sleep on PREEMPT_RT).
 * Return: 0 or one of the two flags.
 */
u32 cimon_fill_path(char *dst, struct file *file, char *scratch,
		    u32 truncated, u32 unavailable)
{
	char *path;

	if (!file)
		return unavailable;
	path = d_path(&file->f_path, scratch, PATH_MAX);
	if (IS_ERR(path))
		return path == ERR_PTR(-ENAMETOOLONG) ? truncated : unavailable;
	if (strscpy(dst, path, CIMON_PATH_LEN) < 0)
		return truncated;
	return 0;
}

static void report_put_refs(struct pending_report *report)
{
	if (report->exe)
		fput(report->exe);
	if (report->target_exe)
		fput(report->target_exe);
}

/* Resolve the full paths the hook knew only in part. */
static void report_complete(struct pending_report *report, char *scratch)
{
	struct cimon_event *event = &report->event;

	if (report->partial & PARTIAL_EXE) {
		event->flags &= ~(CIMON_F_EXE_TRUNCATED |
				  CIMON_F_EXE_UNAVAILABLE);
		event->flags |= cimon_fill_path(event->proc.exe, report->exe,
						scratch, CIMON_F_EXE_TRUNCATED,
						CIMON_F_EXE_UNAVAILABLE);
	}
	if (report->partial & PARTIAL_TARGET_EXE) {
		event->flags &= ~(CIMON_F_TARGET_EXE_TRUNCATED |
				  CIMON_F_TARGET_EXE_UNAVAILABLE);
		event->flags |= cimon_fill_path(event->target.exe,
						report->target_exe, scratch,
						CIMON_F_TARGET_EXE_TRUNCATED,
						CIMON_F_TARGET_EXE_UNAVAILABLE);
	}
}

/*
 * Write the record of @report once for each rule that matched: those the
 * hook found, and the alert rules on executable paths, run here on the
 * full paths, all of the set the hook used.  Once as a built-in record
 * when no set was loaded.
 */
static void report_match(struct pending_report *report,
			 struct cimon_match_ctx *ctx)
{
	struct cimon_event *event = &report->event;
	struct cimon_ruleset *set = report->set;
	struct cimon_rule *rule;
	u32 i;

	if (report->builtin) {
		event->rule_id = CIMON_RULE_BUILTIN;
		event->rules_generation = 0;
		cimon_ring_write(event);
		return;
	}
	if (!set) {
		atomic64_inc(&cimon_counters.dropped);
		return;
	}
	cimon_match_begin(ctx, event, set, NULL, false);
	/* What the hook matched on a partial path may be filed elsewhere. */
	bitmap_or(ctx->candidates, ctx->candidates, report->matched,
		  set->count);
	for_each_set_bit(i, ctx->candidates, set->count) {
		rule = &set->rules[i];
		if (!(rule->events & BIT(event->type)))
			continue;
		if (!(rule->late && rule->action != CIMON_ACTION_BLOCK)) {
			if (!test_bit(i, report->matched))
				continue;
		} else {
			if (!cimon_rule_match(rule, ctx))
				continue;
			atomic64_inc(&rule->hits);
		}
		event->rule_id = i;
		cimon_ring_write(event);
	}
}

static void report_work_fn(struct work_struct *work)
{
	struct pending_report *report, *next;
	struct cimon_match_ctx *ctx;
	struct llist_node *batch;
	char *scratch;

	scratch = kmalloc(PATH_MAX, GFP_KERNEL);
	ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);
	batch = llist_reverse_order(llist_del_all(&queue));
	llist_for_each_entry_safe(report, next, batch, node) {
		if (scratch && ctx)
			report_complete(report, scratch);
		report_put_refs(report);
		if (scratch && ctx)
			report_match(report, ctx);
		else
			atomic64_inc(&cimon_counters.dropped);
		if (report->set)
			cimon_ruleset_put(report->set);
		pool_put(report);
		cond_resched();
	}
	kfree(ctx);
	kfree(scratch);
}

/**
 * cimon_report_init() - allocate the pool of pending reports
 *
 * Return: 0 or -ENOMEM.
 */
int cimon_report_init(void)
{
	int i;

	report_wq = alloc_workqueue("cimon_report", WQ_HIGHPRI, 0);
	if (!report_wq)
		return -ENOMEM;
	hook_scratch = alloc_percpu(struct hook_scratch);
	pool = kvcalloc(CIMON_PENDING_REPORTS, sizeof(*pool), GFP_KERNEL);
	if (!hook_scratch || !pool) {
		kvfree(pool);
		free_percpu(hook_scratch);
		destroy_workqueue(report_wq);
		return -ENOMEM;
	}
	for (i = 0; i < CIMON_PENDING_REPORTS; i++)
		pool_put(&pool[i]);
	return 0;
}

/**
 * cimon_report_exit() - finish queued reports and free the pool
 *
 * Context: after every hook is unregistered, so nothing queues anymore.
 */
void cimon_report_exit(void)
{
	flush_work(&report_work);
	destroy_workqueue(report_wq);
	report_wq = NULL;
	kvfree(pool);
	pool = NULL;
	free_percpu(hook_scratch);
	hook_scratch = NULL;
	pool_free = NULL;
}
