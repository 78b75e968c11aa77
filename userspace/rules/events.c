// SPDX-License-Identifier: GPL-2.0
/*
 * What each event type fixes about the fields, for the events mask: the
 * kernel runs a rule only for the types in its mask, so the mask must
 * never leave out a type for which the condition could be true.  Every
 * answer here is "certainly true", "certainly false" or "maybe"; when in
 * doubt, "maybe".
 *
 * A new event type is one more line in cimon_evtypes[].
 */
#include <string.h>

#include "rules.h"
#include "rules_int.h"

/*
 * evt.type of the open types: the system calls that can open a file, and
 * "open", the name the reader (and the kernel) give an open when the
 * system call is not known (an io_uring worker, a compat number).
 */
static const char *const open_types[] = {
	"open", "openat", "openat2", "open_by_handle_at", "io_uring_enter",
	NULL
};
static const char *const ptrace_types[] = { "ptrace", NULL };
static const char *const vm_read_types[] = { "process_vm_readv", NULL };
static const char *const vm_write_types[] = { "process_vm_writev", NULL };
static const char *const getfd_types[] = { "pidfd_getfd", NULL };
/* execveat when the exec came from it; execve for execve and any other */
static const char *const exec_types[] = { "execve", "execveat", NULL };

const struct cimon_evtype cimon_evtypes[] = {
	{ CIMON_EVENT_MEM_OPEN, "mem_open", open_types, EVT_OPEN | EVT_TARGET },
	{ CIMON_EVENT_ENVIRON_OPEN, "environ_open", open_types,
	  EVT_OPEN | EVT_TARGET },
	{ CIMON_EVENT_PTRACE_ATTACH, "ptrace_attach", ptrace_types, EVT_TARGET },
	{ CIMON_EVENT_VM_READ, "process_vm_read", vm_read_types, EVT_TARGET },
	{ CIMON_EVENT_VM_WRITE, "process_vm_write", vm_write_types, EVT_TARGET },
	{ CIMON_EVENT_PIDFD_GETFD, "pidfd_getfd", getfd_types, EVT_TARGET },
	{ CIMON_EVENT_EXEC, "exec", exec_types, EVT_EXEC },
	/* /dev/mem, /dev/port, /proc/kcore: an open, of no process */
	{ CIMON_EVENT_KMEM_OPEN, "kmem_open", open_types, EVT_OPEN },
	{ 0, NULL, NULL, 0 }
};

const char *cimon_rules_event_name(unsigned int type)
{
	const struct cimon_evtype *et;

	for (et = cimon_evtypes; et->type; et++)
		if (et->type == type)
			return et->name;
	return NULL;
}

/* The fields the reader fills in outputs: the condition fields and more. */
const char *const cimon_output_fields[] = {
	"evt.type", "cimon.event", "evt.is_open_read", "evt.is_open_write",
	"proc.name", "proc.pid", "proc.ppid", "proc.exepath", "proc.cmdline",
	"proc.pname", "proc.aname", "proc.tty", "user.uid", "user.euid",
	"container.id", "fd.name", "target.pid", "target.name",
	"target.exepath", "proc.env", "proc.aenv", "evt.dir", "evt.arg.res",
	"github.repository", "github.workflow", "github.run_id", "github.job",
	"github.action", "github.action_repository", "github.action_ref",
	/* output only, as userspace/event_format.c fills them */
	"evt.time", "evt.arg.flags", "evt.rawarg.flags", "evt.arg.request",
	"evt.rawarg.request", "thread.tid", "target.tid", "cimon.access",
	"cimon.tty", "cimon.seq", "cimon.verdict", "cimon.type", "cimon.lost",
	"cimon.missed", "cimon.tamper", "cimon.rule_id", "cimon.action",
	"rule", "priority",
	NULL
};

bool cimon_output_field_known(const char *name)
{
	const char *const *f;

	for (f = cimon_output_fields; *f; f++)
		if (!strcmp(*f, name))
			return true;
	return false;
}

enum presence { ALWAYS, MAYBE, NEVER };

/* Folds one more possible outcome into a running answer. */
static void fold(bool *any_true, bool *any_false, bool outcome)
{
	if (outcome)
		*any_true = true;
	else
		*any_false = true;
}

static enum tv answer(bool any_true, bool any_false)
{
	if (any_true && any_false)
		return TV_MAYBE;
	return any_true ? TV_TRUE : TV_FALSE;
}

static bool num_test(unsigned int cmp, int64_t v, int64_t c)
{
	switch (cmp) {
	case CIMON_CMP_EQ: return v == c;
	case CIMON_CMP_NE: return v != c;
	case CIMON_CMP_LT: return v < c;
	case CIMON_CMP_LE: return v <= c;
	case CIMON_CMP_GT: return v > c;
	case CIMON_CMP_GE: return v >= c;
	case CIMON_CMP_EXISTS: return true;
	}
	return false;
}

/* Whether events of type @et give @field a value, as far as the type says. */
static enum presence presence(const struct cimon_evtype *et, unsigned int field)
{
	switch (field) {
	case CIMON_FIELD_EVT_TYPE:
	case CIMON_FIELD_CIMON_EVENT:
	case CIMON_FIELD_EVT_DIR:
	case CIMON_FIELD_EVT_ARG_RES:
		return ALWAYS;
	case CIMON_FIELD_EVT_IS_OPEN_READ:
	case CIMON_FIELD_EVT_IS_OPEN_WRITE:
		return et->flags & EVT_OPEN ? ALWAYS : MAYBE;
	case CIMON_FIELD_FD_NAME:
		return et->flags & EVT_OPEN ? MAYBE : NEVER;
	case CIMON_FIELD_TARGET_PID:
	case CIMON_FIELD_TARGET_NAME:
	case CIMON_FIELD_TARGET_EXEPATH:
		return et->flags & EVT_TARGET ? MAYBE : NEVER;
	case CIMON_FIELD_PROC_ENV:
	case CIMON_FIELD_PROC_AENV:
		return et->flags & EVT_EXEC ? MAYBE : NEVER;
	}
	return MAYBE;
}

/*
 * field @cmp val(other): only what presence decides (two fields without
 * a value are equal, one without is unequal to one with); else maybe.
 */
enum tv cimon_evtype_test_field(const struct cimon_evtype *et,
				unsigned int field, unsigned int cmp,
				unsigned int other)
{
	enum presence a = presence(et, field), b = presence(et, other);

	if (a != NEVER && b != NEVER)
		return TV_MAYBE;	/* the values decide */
	if (cmp != CIMON_CMP_EQ && cmp != CIMON_CMP_NE)
		return TV_FALSE;	/* no value is neither less nor more */
	if (a == NEVER && b == NEVER)
		return cmp == CIMON_CMP_EQ ? TV_TRUE : TV_FALSE;
	if (a == ALWAYS || b == ALWAYS)
		return cmp == CIMON_CMP_NE ? TV_TRUE : TV_FALSE;
	return TV_MAYBE;
}

enum tv cimon_evtype_test(const struct cimon_evtype *et, unsigned int field,
			  unsigned int cmp, bool numeric, int64_t num,
			  const char *str)
{
	static const int64_t zero_one[] = { 0, 1 }, zero[] = { 0 };
	static const char *const dir[] = { "<", NULL };
	const char *one[2] = { NULL, NULL };
	const char *const *strs = NULL;
	const int64_t *nums = NULL;
	size_t nnums = 0, i;
	enum presence pr = presence(et, field);
	bool t = false, f = false;

	switch (field) {
	case CIMON_FIELD_EVT_TYPE:
		strs = et->evt_types;
		break;
	case CIMON_FIELD_CIMON_EVENT:
		one[0] = et->name;
		strs = one;
		break;
	case CIMON_FIELD_EVT_IS_OPEN_READ:
	case CIMON_FIELD_EVT_IS_OPEN_WRITE:
		/* 0 or no value outside opens: which one is the kernel's call */
		nums = et->flags & EVT_OPEN ? zero_one : zero;
		nnums = et->flags & EVT_OPEN ? 2 : 1;
		break;
	case CIMON_FIELD_EVT_DIR:
		strs = dir;
		break;
	case CIMON_FIELD_EVT_ARG_RES:
		nums = zero;
		nnums = 1;
		break;
	default:
		break;
	}

	if (pr == NEVER)
		return cmp == CIMON_CMP_NE ? TV_TRUE : TV_FALSE;
	if (pr == MAYBE)
		fold(&t, &f, cmp == CIMON_CMP_NE);	/* the no-value case */
	if (cmp == CIMON_CMP_EXISTS) {
		fold(&t, &f, true);
		return answer(t, f);
	}
	if (numeric && nums) {
		for (i = 0; i < nnums; i++)
			fold(&t, &f, num_test(cmp, nums[i], num));
		return answer(t, f);
	}
	if (!numeric && strs) {
		for (i = 0; strs[i]; i++)
			fold(&t, &f, cimon_test_str(cmp, strs[i], str));
		return answer(t, f);
	}
	return TV_MAYBE;	/* any value at all */
}
