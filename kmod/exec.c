// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the hook on every exec.
 *
 * A binary-format handler registered at the head of the kernel's list is
 * asked first about every exec (execve, execveat with or without
 * AT_EMPTY_PATH, the kernel's own), before the point of no return, in
 * process context where it may sleep; it inspects the exec and answers
 * -ENOEXEC so that the real loader runs.  A script comes through once
 * more for its interpreter; only the first pass is inspected, so a
 * script is one event, for the script as the kernel resolved it.
 *
 * The event describes the process as the exec will make it: the new
 * name, executable and argv.  The rules may ask for environment values;
 * each environment (the new program's, the parent's) is read at most
 * once, and only when a rule first asks for it: a rule set that names no
 * variable costs no environment walk.
 */

#include <linux/binfmts.h>
#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cimon.h"
#include "env.h"
#include "rules.h"

/* Levels of cimon_exec_env.values. */
#define ENV_OWN		0	/* proc.env */
#define ENV_PARENT	1	/* proc.aenv[1] */

/**
 * struct cimon_exec_env - the environments of one exec, read on demand
 * @bprm: the exec.
 * @set: the rule set whose variables are read.
 * @buf: CIMON_ENV_SCRATCH_LEN bytes of scratch for reading.
 * @read: the level was read (or tried).
 * @whole_tried: room for the whole environment at the level was asked.
 * @event: the exec's record, whose container id and executable path are
 *	filled on first use.
 * @container_ready: the container id was filled.
 * @exe_ready: the executable's path was filled.
 * @values: what was read, per level.
 */
struct cimon_exec_env {
	struct linux_binprm *bprm;
	const struct cimon_ruleset *set;
	char *buf;
	bool read[2];
	bool whole_tried[2];
	struct cimon_event *event;
	bool container_ready;
	bool exe_ready;
	struct cimon_env_values values[2];
};

/**
 * struct exec_report - everything one exec's inspection needs
 * @event: the record.
 * @match: the rules' view of it.
 * @env: its environments.
 * @matched: the rules that matched.
 * @scratch: room for paths.
 */
struct exec_report {
	struct cimon_event event;
	struct cimon_match_ctx match;
	struct cimon_exec_env env;
	DECLARE_BITMAP(matched, CIMON_RULES_MAX);
	char scratch[PATH_MAX];
};

static struct kmem_cache *report_cache;
/* Whole environments (proc.env): 16 KiB each, too big for kmalloc's slabs. */
static struct kmem_cache *whole_cache;
static atomic_long_t misses = ATOMIC_LONG_INIT(0);

/*
 * Ready @level for a read; with room for the whole environment when
 * @whole (and the set has a rule that asks for it).
 */
static void env_prepare(struct cimon_exec_env *env, unsigned int level,
			bool whole)
{
	struct cimon_env_values *v = &env->values[level];
	u32 bit = level == ENV_OWN ? CIMON_ENV_WHOLE_OWN :
		  CIMON_ENV_WHOLE_PARENT;

	env->read[level] = true;
	if (!whole)
		return;
	env->whole_tried[level] = true;
	if (!(env->set->env_whole & bit) || v->whole)
		return;
	v->whole = kmem_cache_alloc(whole_cache, GFP_KERNEL);
	if (!v->whole)
		atomic_long_inc(&misses);
}

/*
 * Read the environment at @level: the set's variables, and the whole of
 * it when @whole.  Asked for the whole after the variables were read
 * without it, read it again for the whole alone: the values already
 * given to the rules stay where they are.
 */
static void env_read(struct cimon_exec_env *env, unsigned int level,
		     bool whole)
{
	const struct cimon_ruleset *set = env->set;
	const struct cimon_env_keys *keys = env->read[level] ? NULL :
					    &set->env_keys;
	struct cimon_env_values *v = &env->values[level];
	struct task_struct *parent;

	env_prepare(env, level, whole);
	if (level == ENV_OWN) {
		cimon_env_read_bprm(env->bprm, keys, v, NULL);
		return;
	}
	rcu_read_lock();
	parent = rcu_dereference(current->real_parent);
	get_task_struct(parent);
	rcu_read_unlock();
	cimon_env_read_parent(parent, keys, v, env->buf);
	put_task_struct(parent);
}

/*
 * argv into @argv; and, when the set names any variable of the new
 * program, its environment in the same walk.  Return: as
 * cimon_env_read_bprm().
 */
static int read_argv(struct cimon_exec_env *env, struct cimon_argv *argv)
{
	const struct cimon_ruleset *set = env->set;

	if (!set->env_keys.count && !(set->env_whole & CIMON_ENV_WHOLE_OWN))
		return cimon_env_read_bprm(env->bprm, NULL, NULL, argv);
	/* A rule on the whole new environment would read it again. */
	env_prepare(env, ENV_OWN, true);
	return cimon_env_read_bprm(env->bprm, &set->env_keys,
				   &env->values[ENV_OWN], argv);
}

/**
 * cimon_exec_env_value() - an environment value for the rules
 * @env: the exec's environments
 * @level: 0 for the new program's, 1 for the parent's
 * @key: index in the set's env_keys, or -1 for the whole environment
 * @raw_ok: the whole environment may be given raw (its strings apart,
 *	NUL-separated; a NUL stands for a space), as it was read
 * @len: the whole environment's length, else SIZE_MAX
 * @raw: whether the value is raw
 *
 * Context: process context, may sleep (the first time a level is asked).
 * Return: the value, or NULL when there is none.
 */
const char *cimon_exec_env_value(struct cimon_exec_env *env,
				 unsigned int level, int key, bool raw_ok,
				 size_t *len, bool *raw)
{
	struct cimon_env_values *v = &env->values[level];

	if (!env->read[level] ||
	    (key < 0 && !v->whole && !env->whole_tried[level]))
		env_read(env, level, key < 0);
	*len = SIZE_MAX;
	*raw = false;
	if (!v->present)
		return NULL;
	if (key < 0) {
		if (!v->whole)
			return NULL;
		if (!raw_ok)
			cimon_env_join(v);
		*len = v->whole_len;
		*raw = v->raw;
		return v->whole;
	}
	return cimon_env_value(v, key);
}

/**
 * cimon_exec_env_found() - did the read of the new program's environment
 *	find a rule's strings in it?
 * @env: the exec's environments
 * @bit: the search's cimon_search.found_bit
 *
 * Context: process context, may sleep (the first time it is asked).
 * Return: 1 or 0; -1 when the environment was not searched as it was
 * read (it was read string by string): then search it.
 */
int cimon_exec_env_found(struct cimon_exec_env *env, unsigned int bit)
{
	struct cimon_env_values *v = &env->values[ENV_OWN];

	if (!env->read[ENV_OWN])
		env_read(env, ENV_OWN, true);
	if (!v->found_known)
		return -1;
	return !!(v->found & BIT(bit));
}

/**
 * cimon_exec_container_id() - fill the exec record's container id
 * @env: the exec's
 *
 * Most execs match no rule, and few rules ask for container.id: the
 * cgroup walk is done when one does, or when a record is written.
 */
void cimon_exec_container_id(struct cimon_exec_env *env)
{
	if (env->container_ready)
		return;
	cimon_fill_container_id(env->event->proc.container_id);
	env->container_ready = true;
}

/**
 * cimon_exec_exe() - fill the exec record's executable path
 * @env: the exec's
 *
 * The same for proc.exepath (d_path()): read when a rule, or the index,
 * asks for it, or a record is written.
 *
 * Context: process context, in the exec's inspection.
 */
void cimon_exec_exe(struct cimon_exec_env *env)
{
	struct cimon_event *ev = env->event;

	if (env->exe_ready)
		return;
	ev->flags |= cimon_fill_path(ev->proc.exe, env->bprm->file, env->buf,
				     CIMON_F_EXE_TRUNCATED,
				     CIMON_F_EXE_UNAVAILABLE);
	env->exe_ready = true;
}

/*
 * The exec record, cleared but for its big buffers: those filled
 * (proc.exe, proc.cmdline) or only used in a record written
 * (target.exe, file, env, aenv).  Most execs match nothing, and
 * clearing 3 KiB was a good part of what inspecting one cost; a
 * record written is finished by exec_record_finish().
 */
static void exec_record_init(struct cimon_event *ev)
{
	/* What is left is these buffers, back to back. */
	BUILD_BUG_ON(offsetof(struct cimon_event, proc.cmdline) !=
		     offsetof(struct cimon_event, proc.exe) + CIMON_PATH_LEN);
	BUILD_BUG_ON(offsetof(struct cimon_event, target) !=
		     offsetof(struct cimon_event, proc.cmdline) +
		     CIMON_CMDLINE_LEN);
	BUILD_BUG_ON(offsetof(struct cimon_event, file) !=
		     offsetof(struct cimon_event, target.exe) + CIMON_PATH_LEN);
	BUILD_BUG_ON(offsetof(struct cimon_event, rule_id) !=
		     offsetof(struct cimon_event, file) + CIMON_PATH_LEN);
	BUILD_BUG_ON(sizeof(struct cimon_event) !=
		     offsetof(struct cimon_event, env) + 2 * CIMON_ENV_LEN);
	memset(ev, 0, offsetof(struct cimon_event, proc.exe));
	ev->proc.exe[0] = '\0';
	memset(&ev->target, 0, offsetof(struct cimon_target, exe));
	ev->target.exe[0] = '\0';
	ev->file[0] = '\0';
	memset((char *)ev + offsetof(struct cimon_event, rule_id), 0,
	       offsetof(struct cimon_event, env) -
	       offsetof(struct cimon_event, rule_id));
	cimon_event_stamp(ev, CIMON_EVENT_EXEC);
}

/* Clear what exec_record_init() left, past what the record holds. */
static void exec_record_finish(struct exec_report *r)
{
	struct cimon_event *ev = &r->event;
	size_t n;

	cimon_exec_exe(&r->env);
	n = strnlen(ev->proc.exe, sizeof(ev->proc.exe));
	memset(ev->proc.exe + n, 0, sizeof(ev->proc.exe) - n);
	n = ev->proc.cmdline_len;
	memset(ev->proc.cmdline + n, 0, sizeof(ev->proc.cmdline) - n);
	memset(ev->target.exe, 0, sizeof(ev->target.exe));
	memset(ev->file, 0, sizeof(ev->file));
	memset(ev->env, 0, sizeof(ev->env));
	memset(ev->aenv, 0, sizeof(ev->aenv));
	cimon_exec_container_id(&r->env);
}

/*
 * "NAME=value" strings of the set's variables found at @level, into
 * @dst.  Return: the CIMON_F_* flags to set.
 */
static u32 env_section(struct cimon_exec_env *env, unsigned int level,
		       char *dst, u32 *len)
{
	const struct cimon_ruleset *set = env->set;
	struct cimon_env_values *v = &env->values[level];
	u32 truncated = level == ENV_OWN ? CIMON_F_ENV_TRUNCATED :
			CIMON_F_AENV_TRUNCATED;
	u32 flags = 0, i, n;
	const char *value;

	if (!set->env_keys.count)
		return 0;
	if (!env->read[level])
		env_read(env, level, false);
	if (!v->present || v->failed)
		flags |= level == ENV_OWN ? CIMON_F_ENV_UNAVAILABLE :
			 CIMON_F_AENV_UNAVAILABLE;
	for (i = 0; i < set->env_keys.count; i++) {
		value = cimon_env_value(v, i);
		if (!value)
			continue;
		if (cimon_env_value_cut(v, i))
			flags |= truncated;
		n = snprintf(dst + *len, CIMON_ENV_LEN - *len, "%s=%s",
			     set->env_keys.name[i], value);
		if (*len + n >= CIMON_ENV_LEN) {
			/* Only whole strings: drop the partial one. */
			memset(dst + *len, 0, CIMON_ENV_LEN - *len);
			return flags | truncated;
		}
		*len += n + 1;
	}
	return flags;
}

/* The record's name for the new program: what the exec sets comm to. */
static void fill_new_comm(char *dst, const char *filename)
{
	strscpy(dst, kbasename(filename), CIMON_COMM_LEN);
}

/*
 * Run @set's exec rules, then write one record per matching rule, all
 * with the verdict.  Return: the verdict.
 */
static u16 exec_match(struct exec_report *r, struct cimon_ruleset *set)
{
	struct cimon_event *ev = &r->event;
	bool block = false, any = false;
	u32 i;

	ev->rules_generation = set->generation;
	bitmap_zero(r->matched, set->count);
	cimon_match_begin(&r->match, ev, set, &r->env, false);
	for_each_set_bit(i, r->match.candidates, set->count) {
		struct cimon_rule *rule = &set->rules[i];

		if (!(rule->events & BIT(CIMON_EVENT_EXEC)) ||
		    !cimon_rule_match(rule, &r->match))
			continue;
		atomic64_inc(&rule->hits);
		__set_bit(i, r->matched);
		block |= rule->action == CIMON_ACTION_BLOCK;
		any = true;
	}
	if (!any)
		return CIMON_VERDICT_ALLOWED;
	if (block)
		ev->verdict = cimon_mode_get() == CIMON_MODE_ENFORCE ?
			      CIMON_VERDICT_BLOCKED : CIMON_VERDICT_WOULD_BLOCK;
	exec_record_finish(r);
	ev->flags |= env_section(&r->env, ENV_OWN, ev->env, &ev->env_len);
	ev->flags |= env_section(&r->env, ENV_PARENT, ev->aenv, &ev->aenv_len);
	for_each_set_bit(i, r->matched, set->count) {
		ev->rule_id = i;
		cimon_ring_write(ev);
	}
	return ev->verdict;
}

/*
 * Build the event of @bprm and run @set's exec rules on it.
 * Return: the verdict.
 */
static u16 exec_report(struct linux_binprm *bprm, struct cimon_ruleset *set)
{
	struct cimon_argv argv;
	struct exec_report *r;
	struct cimon_event *ev;
	unsigned long arg0;
	u16 verdict;

	r = kmem_cache_alloc(report_cache, GFP_KERNEL);
	if (!r) {
		atomic_long_inc(&misses);
		return CIMON_VERDICT_ALLOWED;
	}
	memset(r->env.read, 0, sizeof(r->env.read));
	memset(r->env.whole_tried, 0, sizeof(r->env.whole_tried));
	cimon_env_values_reset(&r->env.values[ENV_OWN]);
	cimon_env_values_reset(&r->env.values[ENV_PARENT]);
	r->env.bprm = bprm;
	r->env.set = set;
	r->env.buf = r->scratch;
	ev = &r->event;
	exec_record_init(ev);
	r->env.event = ev;
	r->env.container_ready = false;
	r->env.exe_ready = false;
	ev->syscall_nr = cimon_current_syscall(&ev->flags, &arg0);
	cimon_fill_process(ev);
	fill_new_comm(ev->proc.comm, bprm->filename);

	argv = (struct cimon_argv){ .buf = ev->proc.cmdline,
				    .size = CIMON_CMDLINE_LEN };
	if (read_argv(&r->env, &argv) && !argv.len)
		ev->flags |= CIMON_F_CMDLINE_UNAVAILABLE;
	else if (argv.cut)
		ev->flags |= CIMON_F_CMDLINE_TRUNCATED;
	ev->proc.cmdline_len = argv.len;

	verdict = exec_match(r, set);
	if (r->env.values[ENV_OWN].whole)
		kmem_cache_free(whole_cache, r->env.values[ENV_OWN].whole);
	if (r->env.values[ENV_PARENT].whole)
		kmem_cache_free(whole_cache, r->env.values[ENV_PARENT].whole);
	kmem_cache_free(report_cache, r);
	return verdict;
}

/*
 * load_binary of the inspecting handler.  Return: -EPERM when a rule with
 * action block matched in enforce mode (the exec fails, nothing of the
 * new program ran), else -ENOEXEC: the next handler loads the program.
 */
static int exec_inspect(struct linux_binprm *bprm)
{
	u16 verdict = CIMON_VERDICT_ALLOWED;
	struct cimon_ruleset *set;

	/* A script's interpreter, or binfmt_misc's: seen at the first pass. */
	if (bprm->interp != bprm->filename)
		return -ENOEXEC;
	cimon_step_exec(bprm);
	set = cimon_ruleset_tryget();
	if (!set)
		return -ENOEXEC;
	if (set->events & BIT(CIMON_EVENT_EXEC))
		verdict = exec_report(bprm, set);
	cimon_ruleset_put(set);
	return verdict == CIMON_VERDICT_BLOCKED ? -EPERM : -ENOEXEC;
}

static struct linux_binfmt exec_binfmt = {
	.module = THIS_MODULE,
	.load_binary = exec_inspect,
};

static bool registered;

/**
 * cimon_exec_misses() - execs that could not be inspected whole
 *	(no memory for the inspection or for a whole environment)
 */
unsigned long cimon_exec_misses(void)
{
	return atomic_long_read(&misses);
}

/*
 * Objects are cleared once, when their slab is made; every use then
 * initialises what it reads.  A constructor also spares each exec the
 * clearing of its 24 KiB that init_on_alloc (on in Debian's kernels)
 * does to objects of caches without one.
 */
static void exec_report_ctor(void *obj)
{
	memset(obj, 0, sizeof(struct exec_report));
}

static void env_whole_ctor(void *obj)
{
	memset(obj, 0, CIMON_ENV_WHOLE_LEN);
}

/**
 * cimon_exec_init() - ready the inspection's memory
 *
 * Return: 0 or -ENOMEM.
 */
int cimon_exec_init(void)
{
	/* The parent's environment is copied from user memory to @scratch. */
	BUILD_BUG_ON(sizeof_field(struct exec_report, scratch) <
		     CIMON_ENV_SCRATCH_LEN);
	report_cache = kmem_cache_create_usercopy("cimon_exec_report",
						  sizeof(struct exec_report),
						  0, 0,
						  offsetof(struct exec_report,
							   scratch),
						  sizeof_field(struct exec_report,
							       scratch),
						  exec_report_ctor);
	/* A parent's whole environment is copied from its memory at once. */
	whole_cache = kmem_cache_create_usercopy("cimon_env_whole",
						 CIMON_ENV_WHOLE_LEN, 0, 0, 0,
						 CIMON_ENV_WHOLE_LEN,
						 env_whole_ctor);
	if (!report_cache || !whole_cache) {
		kmem_cache_destroy(whole_cache);
		kmem_cache_destroy(report_cache);
		return -ENOMEM;
	}
	return 0;
}

/**
 * cimon_exec_start() - put the inspecting handler first in the list
 *
 * Called last in the module's init, when nothing can fail any more: an
 * exec that enters the handler holds a reference on the module, which a
 * failed init would not wait for.
 */
void cimon_exec_start(void)
{
	__register_binfmt(&exec_binfmt, 1);
	registered = true;
}

/**
 * cimon_exec_exit() - remove the handler, if it was put in, and free
 *
 * An exec inside the handler holds a reference on the module, so none
 * is left when this runs.
 */
void cimon_exec_exit(void)
{
	if (registered)
		unregister_binfmt(&exec_binfmt);
	registered = false;
	kmem_cache_destroy(whole_cache);
	kmem_cache_destroy(report_cache);
}
