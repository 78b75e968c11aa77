// SPDX-License-Identifier: GPL-2.0
/*
 * The fields of an event as the kernel reads them (kmod/rules.c:
 * string_field(), number_field(), env_field()), for the reference
 * interpreter: tests and the fuzzer run compiled rules over a struct
 * cimon_event exactly as the module would.  The environments of an exec
 * are not in the record (it carries only the variables the rules name),
 * so they come as arrays, as the kernel reads them from the exec.
 */
#include <string.h>

#include "rules.h"
#include "rules_int.h"

static const char *const event_names[CIMON_EVENT_TYPE_COUNT] = {
	[CIMON_EVENT_MEM_OPEN] = "mem_open",
	[CIMON_EVENT_ENVIRON_OPEN] = "environ_open",
	[CIMON_EVENT_PTRACE_ATTACH] = "ptrace_attach",
	[CIMON_EVENT_VM_READ] = "process_vm_read",
	[CIMON_EVENT_VM_WRITE] = "process_vm_write",
	[CIMON_EVENT_PIDFD_GETFD] = "pidfd_getfd",
	[CIMON_EVENT_EXEC] = "exec",
	[CIMON_EVENT_KMEM_OPEN] = "kmem_open",
};

/* x86-64 numbers; a compat number is not known: the type's own call. */
static const struct { int nr; const char *name; } syscalls[] = {
	{ 2, "open" }, { 59, "execve" }, { 101, "ptrace" }, { 257, "openat" },
	{ 304, "open_by_handle_at" }, { 310, "process_vm_readv" },
	{ 311, "process_vm_writev" }, { 322, "execveat" },
	{ 426, "io_uring_enter" }, { 437, "openat2" }, { 438, "pidfd_getfd" },
};

static const char *const fallback[CIMON_EVENT_TYPE_COUNT] = {
	[CIMON_EVENT_MEM_OPEN] = "open",
	[CIMON_EVENT_ENVIRON_OPEN] = "open",
	[CIMON_EVENT_PTRACE_ATTACH] = "ptrace",
	[CIMON_EVENT_VM_READ] = "process_vm_readv",
	[CIMON_EVENT_VM_WRITE] = "process_vm_writev",
	[CIMON_EVENT_PIDFD_GETFD] = "pidfd_getfd",
	[CIMON_EVENT_EXEC] = "execve",
	[CIMON_EVENT_KMEM_OPEN] = "open",
};

static const char *evt_type(const struct cimon_event *ev)
{
	size_t i;

	if (!(ev->flags & (CIMON_F_SYSCALL_IA32 | CIMON_F_SYSCALL_X32)))
		for (i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
			if (syscalls[i].nr == ev->syscall_nr)
				return syscalls[i].name;
	return ev->type < CIMON_EVENT_TYPE_COUNT ? fallback[ev->type] : NULL;
}

static bool is_open(const struct cimon_event *ev)
{
	return ev->type == CIMON_EVENT_MEM_OPEN ||
	       ev->type == CIMON_EVENT_ENVIRON_OPEN ||
	       ev->type == CIMON_EVENT_KMEM_OPEN;
}

/* proc.cmdline: comm, then argv[1..] joined by spaces. */
static const char *cmdline(struct cimon_match *m)
{
	const struct cimon_process *p = &m->ev->proc;
	size_t n, i, len = p->cmdline_len;

	if (len > CIMON_CMDLINE_LEN - 1)
		len = CIMON_CMDLINE_LEN - 1;
	n = strnlen(p->comm, sizeof(p->comm));
	memcpy(m->cmdline, p->comm, n);
	for (i = 0; i < len && p->cmdline[i]; i++)
		;
	for (; i < len && n < sizeof(m->cmdline) - 1; i++)
		m->cmdline[n++] = p->cmdline[i] ? p->cmdline[i] : ' ';
	m->cmdline[n] = '\0';
	return m->cmdline;
}

/* "NAME=value" strings joined by spaces, cut as the kernel cuts them. */
static const char *env_whole(const char *const *env, char *buf)
{
	size_t n = 0, l, i;

	for (i = 0; env[i] && n < CIMON_ENV_WHOLE_LEN - 1; i++) {
		if (i)
			buf[n++] = ' ';
		l = strlen(env[i]);
		if (l > CIMON_ENV_WHOLE_LEN - 1 - n)
			l = CIMON_ENV_WHOLE_LEN - 1 - n;
		memcpy(buf + n, env[i], l);
		n += l;
	}
	buf[n] = '\0';
	return buf;
}

/* The value of @key in @env, cut to CIMON_ENV_VALUE_LEN - 1 bytes. */
static const char *env_value(struct cimon_match *m, const char *const *env,
			     const char *key)
{
	size_t kl = strlen(key), i;
	char *buf;

	for (i = 0; env[i]; i++) {
		if (strncmp(env[i], key, kl) || env[i][kl] != '=')
			continue;
		if (strlen(env[i] + kl + 1) < CIMON_ENV_VALUE_LEN)
			return env[i] + kl + 1;
		/* two buffers in turn: a TEST_FIELD holds two values */
		buf = m->value[m->turn++ & 1];
		memcpy(buf, env[i] + kl + 1, CIMON_ENV_VALUE_LEN - 1);
		buf[CIMON_ENV_VALUE_LEN - 1] = '\0';
		return buf;
	}
	return NULL;
}

/* proc.env and proc.aenv[1]: only an exec has them. */
static const char *env_field(struct cimon_match *m, unsigned int field,
			     const char *key)
{
	bool parent = field == CIMON_FIELD_PROC_AENV;
	const char *const *env = parent ? m->aenv : m->env;

	if (m->ev->type != CIMON_EVENT_EXEC || !env)
		return NULL;
	if (!key)
		return env_whole(env, m->whole[parent]);
	return env_value(m, env, key);
}

/* A string that is empty is no value, as in the kernel. */
static const char *nonempty(const char *s)
{
	return s[0] ? s : NULL;
}

static const char *string_field(struct cimon_match *m, unsigned int field,
				unsigned int index, const char *key)
{
	const struct cimon_event *ev = m->ev;
	const struct cimon_github *gh = &ev->github;

	switch (field) {
	case CIMON_FIELD_EVT_TYPE: return evt_type(ev);
	case CIMON_FIELD_CIMON_EVENT:
		return ev->type < CIMON_EVENT_TYPE_COUNT ?
		       event_names[ev->type] : NULL;
	case CIMON_FIELD_PROC_NAME: return ev->proc.comm;
	case CIMON_FIELD_PROC_EXEPATH: return nonempty(ev->proc.exe);
	case CIMON_FIELD_PROC_CMDLINE: return cmdline(m);
	case CIMON_FIELD_PROC_PNAME: return nonempty(ev->proc.ancestors[0]);
	case CIMON_FIELD_PROC_ANAME:
		if (!index)
			return ev->proc.comm;
		return index <= CIMON_ANCESTORS ?
		       nonempty(ev->proc.ancestors[index - 1]) : NULL;
	case CIMON_FIELD_CONTAINER_ID:
		return ev->proc.container_id[0] ? ev->proc.container_id : "host";
	case CIMON_FIELD_FD_NAME:
		return is_open(ev) ? nonempty(ev->file) : NULL;
	case CIMON_FIELD_TARGET_NAME: return nonempty(ev->target.comm);
	case CIMON_FIELD_TARGET_EXEPATH: return nonempty(ev->target.exe);
	case CIMON_FIELD_EVT_DIR: return "<";
	case CIMON_FIELD_PROC_ENV:
	case CIMON_FIELD_PROC_AENV:
		return env_field(m, field, key);
	case CIMON_FIELD_GITHUB_REPOSITORY: return nonempty(gh->repository);
	case CIMON_FIELD_GITHUB_WORKFLOW: return nonempty(gh->workflow);
	case CIMON_FIELD_GITHUB_RUN_ID: return nonempty(gh->run_id);
	case CIMON_FIELD_GITHUB_JOB: return nonempty(gh->job);
	case CIMON_FIELD_GITHUB_ACTION: return nonempty(gh->action);
	case CIMON_FIELD_GITHUB_ACTION_REPOSITORY:
		return nonempty(gh->action_repository);
	case CIMON_FIELD_GITHUB_ACTION_REF: return nonempty(gh->action_ref);
	}
	return NULL;
}

/* O_ACCMODE of the open flags: 0 read, 1 write, 2 both. */
static bool number_field(const struct cimon_event *ev, unsigned int field,
			 int64_t *v)
{
	unsigned int mode = ev->arg & 3;

	switch (field) {
	case CIMON_FIELD_EVT_IS_OPEN_READ: *v = is_open(ev) && mode != 1; break;
	case CIMON_FIELD_EVT_IS_OPEN_WRITE: *v = is_open(ev) && mode != 0; break;
	case CIMON_FIELD_PROC_PID: *v = ev->proc.tgid; break;
	case CIMON_FIELD_PROC_PPID: *v = ev->proc.ppid; break;
	case CIMON_FIELD_PROC_TTY: *v = ev->proc.tty_dev; break;
	case CIMON_FIELD_USER_UID: *v = ev->proc.uid; break;
	case CIMON_FIELD_USER_EUID: *v = ev->proc.euid; break;
	case CIMON_FIELD_TARGET_PID:
		*v = ev->target.tgid;
		return ev->target.tgid != 0;
	case CIMON_FIELD_EVT_ARG_RES: *v = 0; break;
	default: return false;
	}
	return true;
}

void cimon_match_field(void *ctx, unsigned int field, unsigned int index,
		       const char *key, struct cimon_value *out)
{
	struct cimon_match *m = ctx;

	memset(out, 0, sizeof(*out));
	if (cimon_field_is_numeric(field)) {
		out->present = number_field(m->ev, field, &out->num);
		return;
	}
	out->str = string_field(m, field, index, key);
	out->present = out->str != NULL;
}

int cimon_match_rule(const struct cimon_rule *rule, struct cimon_match *m)
{
	/* the module runs a rule for the types in its mask only */
	if (m->ev->type >= 32 || !(rule->events & (1U << m->ev->type)))
		return 0;
	return cimon_prog_run(rule->insns, rule->ninsns, rule->strtab,
			      rule->strtab_len, cimon_match_field, m);
}
