// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the GitHub Actions step each process runs in.
 *
 * Runner.Worker starts each step as a process of its own with the step's
 * context in its environment (GITHUB_REPOSITORY, GITHUB_RUN_ID,
 * GITHUB_ACTION ...).  When Runner.Worker executes such a process, cimon
 * copies that context into a step record; every process forked below it
 * inherits the record, whatever it later does to its own environment.
 * A process already inside a step never starts a new one, even by running
 * a program named Runner.Worker: a step cannot pass itself off as
 * another.  Processes outside any job have no step.
 *
 * Processes are keyed by their signal_struct (one per process, shared by
 * its threads, kept across exec) and their start time (so that a freed
 * and reused signal_struct is never taken for the old process).  The fork
 * and exit tracepoints keep the table; they run with preemption off, so
 * entries come from a preallocated pool under a raw spinlock, and an
 * empty pool is counted as a miss.  Lookups are lock-free under RCU.
 */

#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/binfmts.h>

#include "cimon.h"
#include "env.h"
#include "limits.h"

/**
 * struct cimon_step - one step's context, shared by its processes
 * @refs: processes of the step in the table.
 * @rcu: frees it after the last process left the table.
 * @github: the context.
 * @truncated: a context string was cut to fit.
 */
struct cimon_step {
	refcount_t refs;
	struct rcu_head rcu;
	struct cimon_github github;
	bool truncated;
};

/**
 * struct step_proc - a process that runs in a step
 * @node: link in the table, or in the free list.
 * @rcu: returns it to the pool after readers are done.
 * @signal: the process's signal_struct: the key.
 * @start_time: its thread-group leader's start time.
 * @step: the step, referenced.
 */
struct step_proc {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct signal_struct *signal;
	u64 start_time;
	struct cimon_step *step;
};

#define STEP_HASH_BITS 10

static DEFINE_HASHTABLE(procs, STEP_HASH_BITS);
static DEFINE_RAW_SPINLOCK(procs_lock);	/* @procs, @free_procs */
static struct step_proc *pool;
static HLIST_HEAD(free_procs);
static atomic_t procs_used = ATOMIC_INIT(0);
static atomic_long_t misses = ATOMIC_LONG_INIT(0);

static struct tracepoint *fork_tp, *exit_tp;

/* The variables a step's first process carries, in cimon_github order. */
static const char *const github_names[] = {
	"GITHUB_REPOSITORY", "GITHUB_WORKFLOW", "GITHUB_RUN_ID",
	"GITHUB_JOB", "GITHUB_ACTION", "GITHUB_ACTION_REPOSITORY",
	"GITHUB_ACTION_REF",
};

static struct cimon_env_keys github_vars;	/* the same, at init */

static u64 group_start_time(const struct task_struct *task)
{
	return READ_ONCE(task->group_leader)->start_time;
}

/* Context: under rcu_read_lock() or procs_lock. */
static struct step_proc *proc_find(const struct task_struct *task)
{
	const struct signal_struct *signal = task->signal;
	u64 start = group_start_time(task);
	struct step_proc *p;

	hash_for_each_possible_rcu(procs, p, node, (unsigned long)signal)
		if (p->signal == signal && p->start_time == start)
			return p;
	return NULL;
}

static void step_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct cimon_step, rcu));
}

static void step_put(struct cimon_step *step)
{
	if (refcount_dec_and_test(&step->refs))
		call_rcu(&step->rcu, step_free_rcu);
}

static void proc_free_rcu(struct rcu_head *head)
{
	struct step_proc *p = container_of(head, struct step_proc, rcu);
	unsigned long flags;

	step_put(p->step);
	raw_spin_lock_irqsave(&procs_lock, flags);
	hlist_add_head(&p->node, &free_procs);
	raw_spin_unlock_irqrestore(&procs_lock, flags);
}

/*
 * Put @task in @step, taking a reference on it.  Context: any.
 * Return: false when the pool is empty (counted); true when @task is
 * in a step already.
 */
static bool proc_add(const struct task_struct *task, struct cimon_step *step)
{
	struct step_proc *p = NULL;
	unsigned long flags;
	bool known;

	raw_spin_lock_irqsave(&procs_lock, flags);
	/* Already in (an exec the kernel retried, a second exec): no miss. */
	known = proc_find(task);
	if (!known && !hlist_empty(&free_procs)) {
		p = hlist_entry(free_procs.first, struct step_proc, node);
		hlist_del(&p->node);
		p->signal = task->signal;
		p->start_time = group_start_time(task);
		p->step = step;
		refcount_inc(&step->refs);
		hash_add_rcu(procs, &p->node, (unsigned long)p->signal);
		atomic_inc(&procs_used);
	}
	raw_spin_unlock_irqrestore(&procs_lock, flags);
	if (!p && !known)
		atomic_long_inc(&misses);
	return p || known;
}

static void proc_remove(const struct task_struct *task)
{
	struct step_proc *p;
	unsigned long flags;

	raw_spin_lock_irqsave(&procs_lock, flags);
	p = proc_find(task);
	if (p) {
		hash_del_rcu(&p->node);
		atomic_dec(&procs_used);
	}
	raw_spin_unlock_irqrestore(&procs_lock, flags);
	if (p)
		call_rcu(&p->rcu, proc_free_rcu);
}

/* sched_process_fork: a child of a process in a step is in the step. */
static void step_fork(void *data, struct task_struct *parent,
		      struct task_struct *child)
{
	struct step_proc *p;

	if (!atomic_read(&procs_used) || child->signal == parent->signal)
		return;
	rcu_read_lock();
	p = proc_find(parent);
	if (p)
		proc_add(child, p->step);
	rcu_read_unlock();
}

/* sched_process_exit: the last thread of a process leaves its step. */
static void step_exit(void *data, struct task_struct *task)
{
	if (!atomic_read(&procs_used) || atomic_read(&task->signal->live))
		return;
	proc_remove(task);
}

/**
 * cimon_step_fill() - the GitHub step the current process runs in
 * @github: filled, or left empty outside a step
 *
 * Context: any.
 * Return: whether a context string had been cut to fit.
 */
bool cimon_step_fill(struct cimon_github *github)
{
	struct step_proc *p;
	bool truncated = false;

	if (!atomic_read(&procs_used))
		return false;
	rcu_read_lock();
	p = proc_find(current);
	if (p) {
		*github = p->step->github;
		truncated = p->step->truncated;
	}
	rcu_read_unlock();
	return truncated;
}

/* Is @task Runner.Worker, itself outside any step? */
static bool is_runner_worker(struct task_struct *task)
{
	char comm[TASK_COMM_LEN];
	const unsigned char *name;
	struct mm_struct *mm;
	struct file *exe;
	bool worker;

	/* The cheap test first: this runs for every exec. */
	memcpy(comm, task->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	if (strcmp(comm, "Runner.Worker"))
		return false;
	rcu_read_lock();
	worker = !proc_find(task);
	rcu_read_unlock();
	if (!worker)
		return false;
	mm = get_task_mm(task);
	if (!mm)
		return false;
	exe = cimon_exe_file_get(mm);
	mmput(mm);
	if (!exe)
		return false;
	/* A rename may free the old name: read it under RCU. */
	rcu_read_lock();
	/* Pairs with d_move()'s release of a new name, as in d_path. */
	name = smp_load_acquire(&exe->f_path.dentry->d_name.name);
	worker = !strcmp(name, "Runner.Worker");
	rcu_read_unlock();
	fput(exe);
	return worker;
}

/* Copy a context value, cut to @size; true when cut. */
static bool copy_value(char *dst, size_t size, const char *value)
{
	return value && strscpy(dst, value, size) < 0;
}

/**
 * cimon_step_exec() - start a step if Runner.Worker is executing its
 *	first process
 * @bprm: the exec, before its point of no return
 *
 * Context: process context, may sleep.
 */
void cimon_step_exec(struct linux_binprm *bprm)
{
	struct cimon_env_values *values;
	struct task_struct *parent;
	struct cimon_step *step;
	struct cimon_github *gh;
	bool worker;
	int i;

	rcu_read_lock();
	parent = rcu_dereference(current->real_parent);
	get_task_struct(parent);
	rcu_read_unlock();
	worker = is_runner_worker(parent);
	put_task_struct(parent);
	if (!worker)
		return;

	values = kzalloc(sizeof(*values), GFP_KERNEL);
	step = kzalloc(sizeof(*step), GFP_KERNEL);
	if (!values || !step)
		goto out;
	if (cimon_env_read_bprm(bprm, &github_vars, values, NULL) ||
	    (!cimon_env_value(values, 0) && !cimon_env_value(values, 2)))
		goto out;	/* not a step: no repository, no run */
	gh = &step->github;
	step->truncated =
		copy_value(gh->repository, sizeof(gh->repository),
			   cimon_env_value(values, 0)) |
		copy_value(gh->workflow, sizeof(gh->workflow),
			   cimon_env_value(values, 1)) |
		copy_value(gh->run_id, sizeof(gh->run_id),
			   cimon_env_value(values, 2)) |
		copy_value(gh->job, sizeof(gh->job),
			   cimon_env_value(values, 3)) |
		copy_value(gh->action, sizeof(gh->action),
			   cimon_env_value(values, 4)) |
		copy_value(gh->action_repository,
			   sizeof(gh->action_repository),
			   cimon_env_value(values, 5)) |
		copy_value(gh->action_ref, sizeof(gh->action_ref),
			   cimon_env_value(values, 6));
	for (i = 0; i < github_vars.count; i++)
		step->truncated |= cimon_env_value_cut(values, i);
	/* The table holds the only reference. */
	refcount_set(&step->refs, 1);
	if (proc_add(current, step))
		step_put(step);
	else
		kfree(step);
	step = NULL;
out:
	kfree(step);
	kfree(values);
}

/**
 * cimon_step_misses() - processes that could not be given their step
 */
unsigned long cimon_step_misses(void)
{
	return atomic_long_read(&misses);
}

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		fork_tp = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		exit_tp = tp;
}

/**
 * cimon_step_init() - allocate the table's pool, attach to fork and exit
 *
 * Return: 0, -ENOMEM, -ENOENT when a tracepoint is missing, or the
 * error of its registration.
 */
int cimon_step_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(github_names); i++) {
		github_vars.name[i] = github_names[i];
		github_vars.len[i] = strlen(github_names[i]);
	}
	github_vars.count = ARRAY_SIZE(github_names);
	for_each_kernel_tracepoint(find_tracepoint, NULL);
	if (!fork_tp || !exit_tp) {
		pr_err("no sched_process_fork/exit tracepoint\n");
		return -ENOENT;
	}
	pool = kvcalloc(CIMON_STEP_PROCS, sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	for (i = 0; i < CIMON_STEP_PROCS; i++)
		hlist_add_head(&pool[i].node, &free_procs);
	ret = tracepoint_probe_register(exit_tp, step_exit, NULL);
	if (ret)
		goto out_pool;
	ret = tracepoint_probe_register(fork_tp, step_fork, NULL);
	if (ret)
		goto out_exit;
	return 0;

out_exit:
	tracepoint_probe_unregister(exit_tp, step_exit, NULL);
	tracepoint_synchronize_unregister();
out_pool:
	kvfree(pool);
	pool = NULL;
	INIT_HLIST_HEAD(&free_procs);
	return ret;
}

/**
 * cimon_step_exit() - detach, empty the table, free the pool
 *
 * Context: after the exec hook and every reader of steps are gone.
 */
void cimon_step_exit(void)
{
	struct step_proc *p;
	struct hlist_node *tmp;
	int bkt;

	tracepoint_probe_unregister(fork_tp, step_fork, NULL);
	tracepoint_probe_unregister(exit_tp, step_exit, NULL);
	tracepoint_synchronize_unregister();
	raw_spin_lock_irq(&procs_lock);
	hash_for_each_safe(procs, bkt, tmp, p, node) {
		hash_del_rcu(&p->node);
		atomic_dec(&procs_used);
		call_rcu(&p->rcu, proc_free_rcu);
	}
	raw_spin_unlock_irq(&procs_lock);
	rcu_barrier();	/* the proc callbacks, which queue step callbacks */
	rcu_barrier();
	kvfree(pool);
	pool = NULL;
	INIT_HLIST_HEAD(&free_procs);
}
