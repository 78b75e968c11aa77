// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the rule machine: verify rule programs from userspace, keep the
 * active rule set, run the programs against an event.
 *
 * Userspace compiles conditions; nothing it sends is trusted.  A program
 * is accepted only if every instruction is known, every field and
 * comparison go together, every string reference lands inside the rule's
 * string table on a terminated string, and every jump goes forward and
 * stays inside the program.  Running such a program takes at most one
 * step per instruction, each bounded by CIMON_RULE_STR_MAX.
 *
 * The active set is swapped whole under RCU; readers never wait.
 */

#include <linux/fcntl.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unistd.h>

#include "cimon.h"
#include "search.h"
#include "rules.h"
#include "default_rules.h"

static struct cimon_ruleset __rcu *active;
static DEFINE_MUTEX(active_lock);	/* serialises replacements */
static u32 generation;			/* protected by active_lock */

enum field_type { FIELD_NONE, FIELD_NUMBER, FIELD_STRING };

static const u8 field_types[CIMON_FIELD_COUNT] = {
	[CIMON_FIELD_EVT_TYPE] = FIELD_STRING,
	[CIMON_FIELD_CIMON_EVENT] = FIELD_STRING,
	[CIMON_FIELD_EVT_IS_OPEN_READ] = FIELD_NUMBER,
	[CIMON_FIELD_EVT_IS_OPEN_WRITE] = FIELD_NUMBER,
	[CIMON_FIELD_PROC_NAME] = FIELD_STRING,
	[CIMON_FIELD_PROC_PID] = FIELD_NUMBER,
	[CIMON_FIELD_PROC_PPID] = FIELD_NUMBER,
	[CIMON_FIELD_PROC_EXEPATH] = FIELD_STRING,
	[CIMON_FIELD_PROC_CMDLINE] = FIELD_STRING,
	[CIMON_FIELD_PROC_PNAME] = FIELD_STRING,
	[CIMON_FIELD_PROC_ANAME] = FIELD_STRING,
	[CIMON_FIELD_PROC_TTY] = FIELD_NUMBER,
	[CIMON_FIELD_USER_UID] = FIELD_NUMBER,
	[CIMON_FIELD_USER_EUID] = FIELD_NUMBER,
	[CIMON_FIELD_CONTAINER_ID] = FIELD_STRING,
	[CIMON_FIELD_FD_NAME] = FIELD_STRING,
	[CIMON_FIELD_TARGET_PID] = FIELD_NUMBER,
	[CIMON_FIELD_TARGET_NAME] = FIELD_STRING,
	[CIMON_FIELD_TARGET_EXEPATH] = FIELD_STRING,
	[CIMON_FIELD_PROC_ENV] = FIELD_STRING,
	[CIMON_FIELD_PROC_AENV] = FIELD_STRING,
	[CIMON_FIELD_EVT_DIR] = FIELD_STRING,
	[CIMON_FIELD_EVT_ARG_RES] = FIELD_NUMBER,
	[CIMON_FIELD_GITHUB_REPOSITORY] = FIELD_STRING,
	[CIMON_FIELD_GITHUB_WORKFLOW] = FIELD_STRING,
	[CIMON_FIELD_GITHUB_RUN_ID] = FIELD_STRING,
	[CIMON_FIELD_GITHUB_JOB] = FIELD_STRING,
	[CIMON_FIELD_GITHUB_ACTION] = FIELD_STRING,
	[CIMON_FIELD_GITHUB_ACTION_REPOSITORY] = FIELD_STRING,
	[CIMON_FIELD_GITHUB_ACTION_REF] = FIELD_STRING,
};

/* Does @off start a terminated string of at most CIMON_RULE_STR_MAX? */
static bool string_ok(const char *strtab, u32 len, s64 off)
{
	if (off < 0 || off >= len)
		return false;
	return strnlen(strtab + off, min_t(u32, len - off, CIMON_RULE_STR_MAX)) <
	       min_t(u32, len - off, CIMON_RULE_STR_MAX);
}

/* A field with its ancestor @index and variable @key. */
static int verify_operand(u8 field, u8 index, u16 key, const char *strtab,
			  u32 len, struct netlink_ext_ack *extack)
{
	switch (field) {
	case CIMON_FIELD_PROC_ANAME:
		if (index > CIMON_ANCESTORS) {
			NL_SET_ERR_MSG(extack, "ancestor index out of range");
			return -EINVAL;
		}
		break;
	case CIMON_FIELD_PROC_AENV:
		/* Only the parent's environment is read. */
		if (index != 1) {
			NL_SET_ERR_MSG(extack, "proc.aenv index must be 1");
			return -EINVAL;
		}
		fallthrough;
	case CIMON_FIELD_PROC_ENV:
		if (field == CIMON_FIELD_PROC_ENV && index) {
			NL_SET_ERR_MSG(extack, "index on a field that takes none");
			return -EINVAL;
		}
		if (key != CIMON_NO_KEY && (!string_ok(strtab, len, key) ||
					    !strtab[key])) {
			NL_SET_ERR_MSG(extack, "variable name outside the string table");
			return -EINVAL;
		}
		return 0;
	default:
		if (index) {
			NL_SET_ERR_MSG(extack, "index on a field that takes none");
			return -EINVAL;
		}
	}
	if (key != CIMON_NO_KEY) {
		NL_SET_ERR_MSG(extack, "variable name on a field that takes none");
		return -EINVAL;
	}
	return 0;
}

static bool field_known(u8 field)
{
	return field && field < CIMON_FIELD_COUNT && field_types[field];
}

/* CIMON_OP_TEST_FIELD: two fields of one type, compared for (in)equality. */
static int verify_test_field(const struct cimon_insn *insn,
			     const char *strtab, u32 len,
			     struct netlink_ext_ack *extack)
{
	u8 other = CIMON_FIELD_REF_FIELD(insn->arg);
	int ret;

	if (!field_known(insn->field) || !field_known(other)) {
		NL_SET_ERR_MSG(extack, "unknown field");
		return -EINVAL;
	}
	if ((u64)insn->arg >> 32) {
		NL_SET_ERR_MSG(extack, "bad field reference");
		return -EINVAL;
	}
	if (field_types[insn->field] != field_types[other]) {
		NL_SET_ERR_MSG(extack, "comparison of a string and a numeric field");
		return -EINVAL;
	}
	if (insn->cmp != CIMON_CMP_EQ && insn->cmp != CIMON_CMP_NE &&
	    (field_types[other] != FIELD_NUMBER ||
	     insn->cmp < CIMON_CMP_LT || insn->cmp > CIMON_CMP_GE)) {
		NL_SET_ERR_MSG(extack, "unsupported comparison of two fields");
		return -EINVAL;
	}
	ret = verify_operand(insn->field, insn->index, insn->key, strtab, len,
			     extack);
	if (ret)
		return ret;
	return verify_operand(other, CIMON_FIELD_REF_INDEX(insn->arg),
			      CIMON_FIELD_REF_KEY(insn->arg), strtab, len,
			      extack);
}

static int verify_test(const struct cimon_insn *insn, const char *strtab,
		       u32 len, struct netlink_ext_ack *extack)
{
	u8 type;

	if (!field_known(insn->field)) {
		NL_SET_ERR_MSG(extack, "unknown field");
		return -EINVAL;
	}
	type = field_types[insn->field];
	switch (insn->cmp) {
	case CIMON_CMP_EXISTS:
		break;
	case CIMON_CMP_EQ:
	case CIMON_CMP_NE:
		if (type == FIELD_STRING && !string_ok(strtab, len, insn->arg))
			goto bad_string;
		break;
	case CIMON_CMP_LT:
	case CIMON_CMP_LE:
	case CIMON_CMP_GT:
	case CIMON_CMP_GE:
		if (type != FIELD_NUMBER) {
			NL_SET_ERR_MSG(extack, "ordering comparison of a string field");
			return -EINVAL;
		}
		break;
	case CIMON_CMP_STARTSWITH:
	case CIMON_CMP_ENDSWITH:
	case CIMON_CMP_CONTAINS:
	case CIMON_CMP_GLOB:
		if (type != FIELD_STRING) {
			NL_SET_ERR_MSG(extack, "string comparison of a numeric field");
			return -EINVAL;
		}
		if (!string_ok(strtab, len, insn->arg))
			goto bad_string;
		break;
	default:
		NL_SET_ERR_MSG(extack, "unknown comparison");
		return -EINVAL;
	}

	return verify_operand(insn->field, insn->index, insn->key, strtab, len,
			      extack);

bad_string:
	NL_SET_ERR_MSG(extack, "string constant outside the string table or too long");
	return -EINVAL;
}

/**
 * cimon_rule_verify() - check a program before it may run
 * @insns: the program
 * @count: its length
 * @strtab: its string table
 * @len: the table's length
 * @extack: where to say what is wrong
 *
 * Return: 0 when the program is safe to run, -EINVAL otherwise.
 */
int cimon_rule_verify(const struct cimon_insn *insns, u32 count,
		      const char *strtab, u32 len,
		      struct netlink_ext_ack *extack)
{
	u32 i;
	int ret;

	if (!count || count > CIMON_RULE_INSNS_MAX) {
		NL_SET_ERR_MSG(extack, "program empty or too long");
		return -EINVAL;
	}
	if (len > CIMON_RULE_STRTAB_MAX) {
		NL_SET_ERR_MSG(extack, "string table too big");
		return -EINVAL;
	}
	for (i = 0; i < count; i++) {
		const struct cimon_insn *insn = &insns[i];

		if (insn->op != CIMON_OP_TEST && insn->op != CIMON_OP_TEST_FIELD &&
		    (insn->field || insn->cmp || insn->index ||
		     insn->key != CIMON_NO_KEY)) {
			NL_SET_ERR_MSG(extack, "operand on an instruction that takes none");
			return -EINVAL;
		}
		switch (insn->op) {
		case CIMON_OP_TEST:
			if (insn->jump) {
				NL_SET_ERR_MSG(extack, "jump on a test");
				return -EINVAL;
			}
			ret = verify_test(insn, strtab, len, extack);
			if (ret)
				return ret;
			break;
		case CIMON_OP_TEST_FIELD:
			if (insn->jump) {
				NL_SET_ERR_MSG(extack, "jump on a test");
				return -EINVAL;
			}
			ret = verify_test_field(insn, strtab, len, extack);
			if (ret)
				return ret;
			break;
		case CIMON_OP_JUMP_IF_TRUE:
		case CIMON_OP_JUMP_IF_FALSE:
			/* Forward only, landing at most just past the end. */
			if (!insn->jump || insn->jump > count - i - 1 ||
			    insn->arg) {
				NL_SET_ERR_MSG(extack, "jump out of the program");
				return -EINVAL;
			}
			break;
		case CIMON_OP_NOT:
		case CIMON_OP_RET:
		case CIMON_OP_CONST:
			if (insn->jump || (insn->op != CIMON_OP_CONST && insn->arg)) {
				NL_SET_ERR_MSG(extack, "operand on an instruction that takes none");
				return -EINVAL;
			}
			break;
		default:
			NL_SET_ERR_MSG(extack, "unknown instruction");
			return -EINVAL;
		}
	}
	return 0;
}

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

/* The name Falco's evt.type gives the system call the event came from. */
static const char *syscall_name(const struct cimon_event *ev)
{
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
	int nr = ev->syscall_nr;

	if (ev->flags & CIMON_F_SYSCALL_IA32) {
#ifdef CONFIG_IA32_EMULATION
		switch (nr) {
		case __NR_ia32_open: return "open";
		case __NR_ia32_openat: return "openat";
		case __NR_ia32_openat2: return "openat2";
		case __NR_ia32_open_by_handle_at: return "open_by_handle_at";
		case __NR_ia32_io_uring_enter: return "io_uring_enter";
		case __NR_ia32_ptrace: return "ptrace";
		case __NR_ia32_process_vm_readv: return "process_vm_readv";
		case __NR_ia32_process_vm_writev: return "process_vm_writev";
		case __NR_ia32_pidfd_getfd: return "pidfd_getfd";
		case __NR_ia32_execve: return "execve";
		case __NR_ia32_execveat: return "execveat";
		}
#endif
	} else if (ev->flags & CIMON_F_SYSCALL_X32) {
#ifdef CONFIG_X86_X32_ABI
		if (nr == __NR_x32_execveat)
			return "execveat";
#endif
	} else {
		switch (nr) {
		case __NR_open: return "open";
		case __NR_openat: return "openat";
		case __NR_openat2: return "openat2";
		case __NR_open_by_handle_at: return "open_by_handle_at";
		case __NR_io_uring_enter: return "io_uring_enter";
		case __NR_ptrace: return "ptrace";
		case __NR_process_vm_readv: return "process_vm_readv";
		case __NR_process_vm_writev: return "process_vm_writev";
		case __NR_pidfd_getfd: return "pidfd_getfd";
		case __NR_execve: return "execve";
		case __NR_execveat: return "execveat";
		}
	}
	return ev->type < CIMON_EVENT_TYPE_COUNT ? fallback[ev->type] : NULL;
}

static bool is_open(const struct cimon_event *ev)
{
	return ev->type == CIMON_EVENT_MEM_OPEN ||
	       ev->type == CIMON_EVENT_ENVIRON_OPEN ||
	       ev->type == CIMON_EVENT_KMEM_OPEN;
}

/* A string's length when string_field() does not know it. */
#define LEN_UNKNOWN	SIZE_MAX

/**
 * struct field_value - what string_field() knows of a value besides it
 * @len: its length when known without counting (a whole environment is
 *	kilobytes, and strlen() counts a byte per step), else LEN_UNKNOWN.
 * @raw_ok: (in) the test can take a raw value: contains.
 * @raw: the value is a whole environment's strings, NUL-separated: a
 *	NUL stands for the space that joins two.
 */
struct field_value {
	size_t len;
	bool raw_ok;
	bool raw;
};

/*
 * An environment value asked for by a rule, or NULL: the variable in
 * @slot of the set's env_keys, or the whole environment without @key.
 */
static const char *env_field(u8 field, u16 key, u8 slot,
			     struct cimon_match_ctx *ctx,
			     struct field_value *fv)
{
	if (!ctx->env || (key != CIMON_NO_KEY && slot == CIMON_ENV_SLOT_NONE))
		return NULL;
	return cimon_exec_env_value(ctx->env, field == CIMON_FIELD_PROC_AENV,
				    key == CIMON_NO_KEY ? -1 : slot,
				    fv->raw_ok, &fv->len, &fv->raw);
}

/* A string field's value, or NULL when the event has none. */
static const char *string_field(u8 field, u8 index, u16 key, u8 slot,
				struct cimon_match_ctx *ctx,
				struct field_value *fv)
{
	const struct cimon_event *ev = ctx->event;
	const struct cimon_github *gh = &ev->github;
	const char *s;

	fv->len = LEN_UNKNOWN;
	fv->raw = false;
	switch (field) {
	case CIMON_FIELD_EVT_TYPE:
		return syscall_name(ev);
	case CIMON_FIELD_CIMON_EVENT:
		return ev->type < CIMON_EVENT_TYPE_COUNT ?
		       event_names[ev->type] : NULL;
	case CIMON_FIELD_PROC_NAME:
		return ev->proc.comm;
	case CIMON_FIELD_PROC_EXEPATH:
		if (ctx->env)
			cimon_exec_exe(ctx->env);
		s = ev->proc.exe;
		break;
	case CIMON_FIELD_PROC_CMDLINE:
		s = cimon_match_cmdline(ctx);
		fv->len = ctx->cmdline_len;
		return s;
	case CIMON_FIELD_PROC_PNAME:
		s = ev->proc.ancestors[0];
		break;
	case CIMON_FIELD_PROC_ANAME:
		if (!index)
			return ev->proc.comm;
		s = ev->proc.ancestors[index - 1];
		break;
	case CIMON_FIELD_CONTAINER_ID:
		if (ctx->env)
			cimon_exec_container_id(ctx->env);
		return ev->proc.container_id[0] ? ev->proc.container_id : "host";
	case CIMON_FIELD_FD_NAME:
		if (!is_open(ev))
			return NULL;
		s = ev->file;
		break;
	case CIMON_FIELD_TARGET_NAME:
		s = ev->target.comm;
		break;
	case CIMON_FIELD_TARGET_EXEPATH:
		s = ev->target.exe;
		break;
	case CIMON_FIELD_EVT_DIR:
		return "<";
	case CIMON_FIELD_PROC_ENV:
	case CIMON_FIELD_PROC_AENV:
		return env_field(field, key, slot, ctx, fv);
	case CIMON_FIELD_GITHUB_REPOSITORY:
		s = gh->repository;
		break;
	case CIMON_FIELD_GITHUB_WORKFLOW:
		s = gh->workflow;
		break;
	case CIMON_FIELD_GITHUB_RUN_ID:
		s = gh->run_id;
		break;
	case CIMON_FIELD_GITHUB_JOB:
		s = gh->job;
		break;
	case CIMON_FIELD_GITHUB_ACTION:
		s = gh->action;
		break;
	case CIMON_FIELD_GITHUB_ACTION_REPOSITORY:
		s = gh->action_repository;
		break;
	case CIMON_FIELD_GITHUB_ACTION_REF:
		s = gh->action_ref;
		break;
	default:
		return NULL;
	}
	return s[0] ? s : NULL;
}

/* A numeric field's value; false when the event has none. */
static bool number_field(u8 field, const struct cimon_event *ev, s64 *value)
{
	u32 mode = ev->arg & O_ACCMODE;

	switch (field) {
	case CIMON_FIELD_EVT_IS_OPEN_READ:
		*value = is_open(ev) && mode != O_WRONLY;
		return true;
	case CIMON_FIELD_EVT_IS_OPEN_WRITE:
		*value = is_open(ev) && mode != O_RDONLY;
		return true;
	case CIMON_FIELD_PROC_PID:
		*value = ev->proc.tgid;
		return true;
	case CIMON_FIELD_PROC_PPID:
		*value = ev->proc.ppid;
		return true;
	case CIMON_FIELD_PROC_TTY:
		*value = ev->proc.tty_dev;
		return true;
	case CIMON_FIELD_USER_UID:
		*value = ev->proc.uid;
		return true;
	case CIMON_FIELD_USER_EUID:
		*value = ev->proc.euid;
		return true;
	case CIMON_FIELD_TARGET_PID:
		*value = ev->target.tgid;
		return ev->target.tgid != 0;
	case CIMON_FIELD_EVT_ARG_RES:
		*value = 0;
		return true;
	}
	return false;
}

/*
 * Glob, as include/uapi/cimon.h documents it; the compiler's reference
 * interpreter (userspace/rules/prog.c) implements the same.  Not the
 * kernel's glob_match(): that lets a negated class match the string's
 * terminating NUL and then reads past it.
 */
static bool class_matches(const char **pat, unsigned char c, bool *ok)
{
	const char *p = *pat;
	bool neg = *p == '!', hit = false;
	unsigned char lo, hi;

	p += neg;
	lo = *p++;
	do {
		if (!lo)
			return *ok = false;
		hi = lo;
		if (p[0] == '-' && p[1] != ']') {
			hi = p[1];
			if (!hi)
				return *ok = false;
			p += 2;
		}
		hit |= lo <= c && c <= hi;
	} while ((lo = *p++) != ']');
	*pat = p;
	*ok = true;
	return hit != neg;
}

static bool glob_matches(const char *pat, const char *str)
{
	const char *star_pat = NULL, *star_str = NULL;

	for (;;) {
		unsigned char c = *str++, d = *pat++;
		bool ok;

		if (d == '?') {
			if (c)
				continue;
			goto backtrack;
		} else if (d == '*') {
			if (!*pat)
				return true;
			star_pat = pat;
			star_str = --str;
			continue;
		} else if (d == '[') {
			const char *after = pat;

			if (!c)
				goto backtrack;
			if (class_matches(&after, c, &ok)) {
				pat = after;
				continue;
			}
			if (ok)
				goto backtrack;
			/* malformed: the '[' is literal */
		} else if (d == '\\') {
			d = *pat++;
		}
		if (c == d) {
			if (!d)
				return true;
			continue;
		}
backtrack:
		if (!c || !star_pat)
			return false;
		pat = star_pat;
		str = ++star_str;
	}
}

/* Horspool's search pays for its table from haystacks this long. */
#define HORSPOOL_MIN_HAYSTACK	256

/* contains() in a raw value, for a needle too short for Horspool. */
static bool contains_short_raw(const char *s, size_t ls, const char *c,
			       size_t lc)
{
	size_t i;

	for (i = 0; i + lc <= ls; i++)
		if (cimon_needle_at(s + i, c, lc, true))
			return true;
	return false;
}

/*
 * strstr() compares at every byte; an environment of kilobytes is
 * searched on every exec: long ones by Horspool's skips, short ones by
 * skipping to the candidates a word at a time.  @raw: see struct
 * field_value.
 */
static bool contains(const char *s, size_t ls, bool raw, const char *c)
{
	size_t lc = strlen(c);
	struct cimon_needles nd;
	const char *end, *p;

	if (!lc)
		return true;
	if (ls < lc)
		return false;
	if (lc >= CIMON_HORSPOOL_MIN && (raw || ls >= HORSPOOL_MIN_HAYSTACK)) {
		cimon_needles_init(&nd, &c, 1);
		return cimon_needles_find(&nd, s, ls, raw);
	}
	if (raw)
		return contains_short_raw(s, ls, c, lc);
	end = s + ls - lc + 1;
	for (p = s; (p = cimon_find_byte(p, c[0], end - p)); p++)
		if (p[lc - 1] == c[lc - 1] && !memcmp(p + 1, c + 1, lc - 1))
			return true;
	return false;
}

static bool test_string(u8 cmp, const char *s,
			const struct field_value *fv, const char *c)
{
	size_t ls = fv->len, lc;

	if (ls == LEN_UNKNOWN && (cmp == CIMON_CMP_ENDSWITH ||
				  cmp == CIMON_CMP_CONTAINS))
		ls = strlen(s);
	switch (cmp) {
	case CIMON_CMP_EQ:
		return !strcmp(s, c);
	case CIMON_CMP_NE:
		return strcmp(s, c);
	case CIMON_CMP_STARTSWITH:
		return !strncmp(s, c, strlen(c));
	case CIMON_CMP_ENDSWITH:
		lc = strlen(c);
		return ls >= lc && !strcmp(s + ls - lc, c);
	case CIMON_CMP_CONTAINS:
		return contains(s, ls, fv->raw, c);
	case CIMON_CMP_GLOB:
		return glob_matches(c, s);
	}
	return false;
}

static bool test_number(u8 cmp, s64 v, s64 c)
{
	switch (cmp) {
	case CIMON_CMP_EQ:
		return v == c;
	case CIMON_CMP_NE:
		return v != c;
	case CIMON_CMP_LT:
		return v < c;
	case CIMON_CMP_LE:
		return v <= c;
	case CIMON_CMP_GT:
		return v > c;
	case CIMON_CMP_GE:
		return v >= c;
	}
	return false;
}

/* Where the set keeps the variable operand @which of @insn names. */
static u8 env_slot(const struct cimon_rule *rule,
		   const struct cimon_insn *insn, unsigned int which)
{
	if (!rule->env_slots)
		return CIMON_ENV_SLOT_NONE;
	return rule->env_slots[insn - rule->insns] >> (8 * which);
}

static bool run_test(const struct cimon_rule *rule,
		     const struct cimon_insn *insn,
		     struct cimon_match_ctx *ctx)
{
	struct field_value fv = { .raw_ok = insn->cmp == CIMON_CMP_CONTAINS };
	const char *s;
	s64 v;

	if (field_types[insn->field] == FIELD_STRING) {
		s = string_field(insn->field, insn->index, insn->key,
				 env_slot(rule, insn, 0), ctx, &fv);
		if (insn->cmp == CIMON_CMP_EXISTS)
			return s;
		if (!s)
			return insn->cmp == CIMON_CMP_NE;
		return test_string(insn->cmp, s, &fv,
				   rule->strtab + insn->arg);
	}
	if (!number_field(insn->field, ctx->event, &v))
		return insn->cmp == CIMON_CMP_NE;
	if (insn->cmp == CIMON_CMP_EXISTS)
		return true;
	return test_number(insn->cmp, v, insn->arg);
}

/* The tests of @search: whether any of them is true. */
static bool run_search(const struct cimon_rule *rule,
		       const struct cimon_search *search,
		       struct cimon_match_ctx *ctx)
{
	const struct cimon_insn *insn = &rule->insns[search->first];
	struct field_value fv = { .raw_ok = true };
	const char *s;
	int found;

	if (search->found_bit >= 0 && ctx->env) {
		found = cimon_exec_env_found(ctx->env, search->found_bit);
		if (found >= 0)
			return found;
	}
	s = string_field(insn->field, insn->index, insn->key,
			 env_slot(rule, insn, 0), ctx, &fv);
	if (!s)
		return false;
	if (fv.len == LEN_UNKNOWN)
		fv.len = strlen(s);
	return cimon_needles_find(&search->needles, s, fv.len, fv.raw);
}

/*
 * Falco's "field = val(other)".  Two fields without a value are equal;
 * one without a value is unequal to one with a value.
 */
static bool run_test_field(const struct cimon_rule *rule,
			   const struct cimon_insn *insn,
			   struct cimon_match_ctx *ctx)
{
	u8 other = CIMON_FIELD_REF_FIELD(insn->arg);
	struct field_value fv = { .raw_ok = false };
	const char *a, *b;
	bool has_a, has_b;
	s64 va, vb;

	if (field_types[insn->field] == FIELD_STRING) {
		a = string_field(insn->field, insn->index, insn->key,
				 env_slot(rule, insn, 0), ctx, &fv);
		/* proc.cmdline twice would share one buffer: equal anyway. */
		b = string_field(other, CIMON_FIELD_REF_INDEX(insn->arg),
				 CIMON_FIELD_REF_KEY(insn->arg),
				 env_slot(rule, insn, 1), ctx, &fv);
		has_a = a;
		has_b = b;
		if (has_a && has_b)
			return (insn->cmp == CIMON_CMP_EQ) == !strcmp(a, b);
	} else {
		has_a = number_field(insn->field, ctx->event, &va);
		has_b = number_field(other, ctx->event, &vb);
		if (has_a && has_b)
			return test_number(insn->cmp, va, vb);
	}
	if (insn->cmp == CIMON_CMP_EQ)
		return !has_a && !has_b;
	if (insn->cmp == CIMON_CMP_NE)
		return has_a || has_b;
	return false;
}

/**
 * cimon_rule_match() - run a verified rule's program against an event
 * @rule: the rule
 * @ctx: the event and its derived values
 *
 * Return: whether the rule matches.
 */
bool cimon_rule_match(const struct cimon_rule *rule,
		      struct cimon_match_ctx *ctx)
{
	const struct cimon_search *search = rule->searches;
	const struct cimon_search *searches_end = search + rule->search_count;
	const struct cimon_insn *insn = rule->insns;
	const struct cimon_insn *end = insn + rule->count;
	bool acc = false;

	for (; insn < end; insn++) {
		switch (insn->op) {
		case CIMON_OP_TEST:
			while (search < searches_end &&
			       rule->insns + search->first < insn)
				search++;
			if (search < searches_end &&
			    rule->insns + search->first == insn) {
				acc = run_search(rule, search, ctx);
				insn = rule->insns + search->last;
				break;
			}
			acc = run_test(rule, insn, ctx);
			break;
		case CIMON_OP_TEST_FIELD:
			acc = run_test_field(rule, insn, ctx);
			break;
		case CIMON_OP_NOT:
			acc = !acc;
			break;
		case CIMON_OP_JUMP_IF_TRUE:
			if (acc)
				insn += insn->jump;
			break;
		case CIMON_OP_JUMP_IF_FALSE:
			if (!acc)
				insn += insn->jump;
			break;
		case CIMON_OP_CONST:
			acc = insn->arg;
			break;
		case CIMON_OP_RET:
			return acc;
		}
	}
	return acc;
}

/**
 * cimon_match_begin() - make @ctx the rules' view of @event
 * @ctx: the context
 * @event: the record
 * @set: the set to run
 * @env: the exec's environments, or NULL for other events
 * @exe_partial: the event's proc.exepath is only known as far as its
 *	mount (a hook's)
 *
 * Also finds the candidate rules (ctx->candidates): run only those.
 */
void cimon_match_begin(struct cimon_match_ctx *ctx,
		       const struct cimon_event *event,
		       const struct cimon_ruleset *set,
		       struct cimon_exec_env *env, bool exe_partial)
{
	ctx->event = event;
	ctx->set = set;
	ctx->env = env;
	ctx->exe_partial = exe_partial;
	ctx->cmdline_ready = false;
	cimon_rule_candidates(ctx, ctx->candidates);
}

/**
 * cimon_match_string() - a string field of the event that takes no
 *	argument, as the rules see it
 * @ctx: the event
 * @field: enum cimon_field, a string field without index or key
 *
 * Return: the value, or NULL when the event has none.
 */
const char *cimon_match_string(struct cimon_match_ctx *ctx, u8 field)
{
	struct field_value fv = { .raw_ok = false };

	return string_field(field, 0, CIMON_NO_KEY, CIMON_ENV_SLOT_NONE, ctx,
			    &fv);
}

/**
 * cimon_match_cmdline() - Falco's proc.cmdline: name, then args by spaces
 * @ctx: the event; the string is built once, on first use.
 */
const char *cimon_match_cmdline(struct cimon_match_ctx *ctx)
{
	const struct cimon_process *p = &ctx->event->proc;
	u32 i, len, n;

	if (ctx->cmdline_ready)
		return ctx->cmdline;
	n = strscpy(ctx->cmdline, p->comm, sizeof(ctx->cmdline));
	len = min_t(u32, p->cmdline_len, CIMON_CMDLINE_LEN - 1);
	/* Skip argv[0]: Falco shows the name instead. */
	for (i = 0; i < len && p->cmdline[i]; i++)
		;
	for (; i < len && n < sizeof(ctx->cmdline) - 1; i++)
		ctx->cmdline[n++] = p->cmdline[i] ? p->cmdline[i] : ' ';
	ctx->cmdline[n] = '\0';
	ctx->cmdline_len = n;
	ctx->cmdline_ready = true;
	return ctx->cmdline;
}

/**
 * cimon_ruleset_get() - the active rule set
 *
 * Context: under rcu_read_lock().
 * Return: the set, or NULL when none was ever loaded.
 */
struct cimon_ruleset *cimon_ruleset_get(void)
{
	return rcu_dereference(active);
}

/**
 * cimon_ruleset_alloc() - an empty set with room for @count rules
 * @count: number of rules
 */
struct cimon_ruleset *cimon_ruleset_alloc(u32 count)
{
	struct cimon_ruleset *set;

	set = kvzalloc(struct_size(set, rules, count), GFP_KERNEL);
	if (set) {
		set->capacity = count;
		refcount_set(&set->users, 1);
	}
	return set;
}

/**
 * cimon_ruleset_tryget() - a reference on the active set, for a caller
 *	that may sleep while it runs the rules
 *
 * Return: the set, or NULL when none is active.
 */
struct cimon_ruleset *cimon_ruleset_tryget(void)
{
	struct cimon_ruleset *set;

	rcu_read_lock();
	set = rcu_dereference(active);
	if (set && !refcount_inc_not_zero(&set->users))
		set = NULL;
	rcu_read_unlock();
	return set;
}

/**
 * cimon_ruleset_put() - drop a reference; the last one frees the set
 * @set: the set
 *
 * Context: process context, or an RCU callback.
 */
void cimon_ruleset_put(struct cimon_ruleset *set)
{
	if (refcount_dec_and_test(&set->users))
		cimon_ruleset_free(set);
}

/**
 * cimon_rules_want() - the hooks' pre-filter: can a rule match @type?
 * @type: enum cimon_event_type
 *
 * Context: any.  Without a set, cimon reports every memory access.
 */
bool cimon_rules_want(u16 type)
{
	struct cimon_ruleset *set;
	bool want;

	rcu_read_lock();
	set = rcu_dereference(active);
	want = set ? set->events & BIT(type) : type != CIMON_EVENT_EXEC;
	rcu_read_unlock();
	return want;
}

/**
 * cimon_ruleset_env_key() - the index of a variable name in @set->env_keys
 * @set: the set
 * @name: the name
 *
 * Return: the index, or -1 when no rule of the set names it.
 */
int cimon_ruleset_env_key(const struct cimon_ruleset *set, const char *name)
{
	u32 i;

	for (i = 0; i < set->env_keys.count; i++)
		if (!strcmp(set->env_keys.name[i], name))
			return i;
	return -1;
}

static bool is_path_field(u8 field)
{
	return field == CIMON_FIELD_PROC_EXEPATH ||
	       field == CIMON_FIELD_TARGET_EXEPATH;
}

/* Does @rule test an executable path?  (cimon_rule.late) */
static bool tests_paths(const struct cimon_rule *rule)
{
	const struct cimon_insn *insn;
	u32 i;

	for (i = 0; i < rule->count; i++) {
		insn = &rule->insns[i];
		if ((insn->op == CIMON_OP_TEST ||
		     insn->op == CIMON_OP_TEST_FIELD) &&
		    is_path_field(insn->field))
			return true;
		if (insn->op == CIMON_OP_TEST_FIELD &&
		    is_path_field(CIMON_FIELD_REF_FIELD(insn->arg)))
			return true;
	}
	return false;
}

/* Return: @name's index in the set's env_keys, or -E2BIG. */
static int add_env_key(struct cimon_ruleset *set, const char *name,
		       struct netlink_ext_ack *extack)
{
	struct cimon_env_keys *keys = &set->env_keys;
	int index = cimon_ruleset_env_key(set, name);

	if (index >= 0)
		return index;
	if (keys->count == CIMON_ENV_KEYS_MAX) {
		NL_SET_ERR_MSG(extack, "the rules name too many environment variables");
		return -E2BIG;
	}
	keys->len[keys->count] = strchr(name, '=') ? 0 : strlen(name);
	keys->name[keys->count] = name;
	return keys->count++;
}

/*
 * The variable one operand of a test names, or its whole environment.
 * Return: the variable's index in the set's env_keys,
 * CIMON_ENV_SLOT_NONE when it names none, or -E2BIG.
 */
static int index_operand(struct cimon_ruleset *set,
			 const struct cimon_rule *rule, u8 field, u16 key,
			 struct netlink_ext_ack *extack)
{
	if (field != CIMON_FIELD_PROC_ENV && field != CIMON_FIELD_PROC_AENV)
		return CIMON_ENV_SLOT_NONE;
	if (key != CIMON_NO_KEY)
		return add_env_key(set, rule->strtab + key, extack);
	set->env_whole |= field == CIMON_FIELD_PROC_ENV ?
			  CIMON_ENV_WHOLE_OWN : CIMON_ENV_WHOLE_PARENT;
	return CIMON_ENV_SLOT_NONE;
}

/* Note where the set keeps the variables instruction @i names. */
static int set_env_slots(struct cimon_rule *rule, u32 i, int own, int other)
{
	if (own == CIMON_ENV_SLOT_NONE && other == CIMON_ENV_SLOT_NONE)
		return 0;
	if (!rule->env_slots) {
		rule->env_slots = kmalloc_array(rule->count,
						sizeof(*rule->env_slots),
						GFP_KERNEL);
		if (!rule->env_slots)
			return -ENOMEM;
		memset(rule->env_slots, 0xff,
		       rule->count * sizeof(*rule->env_slots));
	}
	rule->env_slots[i] = own | other << 8;
	return 0;
}

/* A test a search can take: contains, a string long enough to skip by. */
static bool searchable(const struct cimon_rule *rule,
		       const struct cimon_insn *insn)
{
	return insn->op == CIMON_OP_TEST && insn->cmp == CIMON_CMP_CONTAINS &&
	       strlen(rule->strtab + insn->arg) >= CIMON_HORSPOOL_MIN;
}

static bool same_operand(const struct cimon_insn *a,
			 const struct cimon_insn *b)
{
	return a->field == b->field && a->index == b->index &&
	       a->key == b->key;
}

/*
 * @go_on[i]: where @rule goes on from instruction i with a true
 * accumulator, past the jumps that follow; @go_on has room for
 * CIMON_RULE_INSNS_MAX + 1 entries.
 */
static void fill_go_on(const struct cimon_rule *rule, u16 *go_on)
{
	const struct cimon_insn *in = rule->insns;
	u32 i = rule->count;

	go_on[i] = i;
	while (i--) {
		if (in[i].op == CIMON_OP_JUMP_IF_TRUE)
			go_on[i] = go_on[i + 1 + in[i].jump];
		else if (in[i].op == CIMON_OP_JUMP_IF_FALSE)
			go_on[i] = go_on[i + 1];
		else
			go_on[i] = i;
	}
}

/*
 * The search that starts at @rule's test @first, if one does: the tests
 * "or"ed with it on the same field, as far as each jump out of the run
 * goes on where the run's end does (then running them as one gives the
 * same result; @go_on: see fill_go_on()).  A run of one test is a
 * search only on a whole environment, which is long.  Return: whether
 * one does; *@lastp: its last test.
 */
static bool search_run(const struct cimon_rule *rule, const u16 *go_on,
		       u32 first, u32 *lastp)
{
	const struct cimon_insn *in = rule->insns;
	u32 last = first, n = 1, j, end;

	while (n < CIMON_NEEDLES_MAX && last + 2 < rule->count &&
	       in[last + 1].op == CIMON_OP_JUMP_IF_TRUE &&
	       searchable(rule, &in[last + 2]) &&
	       same_operand(&in[first], &in[last + 2])) {
		last += 2;
		n++;
	}
	for (; n > 1; last -= 2, n--) {
		end = go_on[last + 1];
		for (j = first + 1; j < last; j += 2)
			if (go_on[j + 1 + in[j].jump] != end)
				break;
		if (j > last) {
			*lastp = last;
			return true;
		}
	}
	*lastp = first;
	return (in[first].field == CIMON_FIELD_PROC_ENV ||
		in[first].field == CIMON_FIELD_PROC_AENV) &&
	       in[first].key == CIMON_NO_KEY;
}

/*
 * Find @rule's searches and ready their needles; *@budget: searches the
 * set may still have; @go_on: room for fill_go_on().
 */
static int index_searches(struct cimon_rule *rule, u32 *budget, u16 *go_on)
{
	const char *needle[CIMON_NEEDLES_MAX];
	struct cimon_search *search;
	u32 pass, i, j, last, n;

	fill_go_on(rule, go_on);
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (i = 0; i < rule->count; i++) {
			if (!searchable(rule, &rule->insns[i]))
				continue;
			if (!search_run(rule, go_on, i, &last))
				continue;
			if (pass) {
				search = &rule->searches[n];
				search->first = i;
				search->last = last;
				search->found_bit = -1;
				for (j = i; j <= last; j += 2)
					needle[(j - i) / 2] = rule->strtab +
							      rule->insns[j].arg;
				cimon_needles_init(&search->needles, needle,
						   (last - i) / 2 + 1);
			}
			n++;
			i = last;
		}
		if (!n || n > *budget)
			return 0;
		if (!pass) {
			rule->searches = kmalloc_array(n, sizeof(*search),
						       GFP_KERNEL);
			if (!rule->searches)
				return -ENOMEM;
		}
	}
	rule->search_count = n;
	*budget -= n;
	return 0;
}

/* Collect the variables @rule names into @set's env_keys. */
static int index_rule_env(struct cimon_ruleset *set, struct cimon_rule *rule,
			  struct netlink_ext_ack *extack)
{
	const struct cimon_insn *insn;
	int own, other, ret;
	const char *key;
	u32 j;

	for (j = 0; j < rule->count; j++) {
		insn = &rule->insns[j];
		if (insn->op != CIMON_OP_TEST &&
		    insn->op != CIMON_OP_TEST_FIELD)
			continue;
		own = index_operand(set, rule, insn->field, insn->key, extack);
		other = CIMON_ENV_SLOT_NONE;
		if (own >= 0 && insn->op == CIMON_OP_TEST_FIELD)
			other = index_operand(set, rule,
					      CIMON_FIELD_REF_FIELD(insn->arg),
					      CIMON_FIELD_REF_KEY(insn->arg),
					      extack);
		if (own < 0)
			return own;
		if (other < 0)
			return other;
		ret = set_env_slots(rule, j, own, other);
		if (ret)
			return ret;
	}
	for (key = rule->env_keys;
	     key && key < rule->env_keys + rule->env_keys_len;
	     key += strlen(key) + 1) {
		ret = add_env_key(set, key, extack);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Does operand @field, @key name the new program's whole environment? */
static bool whole_env(u8 field, u16 key)
{
	return field == CIMON_FIELD_PROC_ENV && key == CIMON_NO_KEY;
}

/*
 * Is every test of @set on the new program's whole environment one of a
 * search whose strings are found as it is read (cimon_search.found_bit)?
 */
static bool whole_only_found(const struct cimon_ruleset *set)
{
	const struct cimon_search *search;
	const struct cimon_insn *insn;
	const struct cimon_rule *rule;
	u32 i, j, s;

	for (i = 0; i < set->count; i++) {
		rule = &set->rules[i];
		search = rule->searches;
		for (j = 0, s = 0; j < rule->count; j++) {
			insn = &rule->insns[j];
			if (insn->op != CIMON_OP_TEST &&
			    insn->op != CIMON_OP_TEST_FIELD)
				continue;
			if (!whole_env(insn->field, insn->key) &&
			    !(insn->op == CIMON_OP_TEST_FIELD &&
			      whole_env(CIMON_FIELD_REF_FIELD(insn->arg),
					CIMON_FIELD_REF_KEY(insn->arg))))
				continue;
			while (s < rule->search_count && search[s].last < j)
				s++;
			/* a search's tests are every other one, first to last */
			if (s == rule->search_count || search[s].found_bit < 0 ||
			    j < search[s].first || (j - search[s].first) % 2)
				return false;
		}
	}
	return true;
}

/*
 * Ready the search an exec's environment, copied whole, gets for the
 * set's variables; the strings the rules search that environment for
 * share its pass when they fit in it (CIMON_NEEDLES_MAX needles in all):
 * one pass then answers them all.
 */
static int prepare_env_search(struct cimon_ruleset *set)
{
	const char *find[CIMON_NEEDLES_MAX];
	u8 bit[CIMON_NEEDLES_MAX];
	struct cimon_search *search;
	u32 i, j, k, n = 0, names = 0, bits = 0;
	bool fit = true;

	for (i = 0; i < set->env_keys.count; i++) {
		if (strchr(set->env_keys.name[i], ' '))
			fit = false;
		names += !!set->env_keys.len[i];
	}
	for (i = 0; i < set->count && fit; i++) {
		for (j = 0; j < set->rules[i].search_count && fit; j++) {
			search = &set->rules[i].searches[j];
			if (!whole_env(set->rules[i].insns[search->first].field,
				       set->rules[i].insns[search->first].key))
				continue;
			if (names + n + search->needles.count > CIMON_NEEDLES_MAX) {
				fit = false;
				break;
			}
			for (k = 0; k < search->needles.count; k++) {
				find[n] = search->needles.needle[k];
				bit[n++] = bits;
			}
			search->found_bit = bits++;
		}
	}
	if (!fit) {
		for (i = 0; i < set->count; i++)
			for (j = 0; j < set->rules[i].search_count; j++)
				set->rules[i].searches[j].found_bit = -1;
		n = 0;
	}
	return cimon_env_key_search_build(&set->env_keys, find, bit, n,
					  whole_only_found(set));
}

/**
 * cimon_ruleset_prepare() - ready a verified set to run
 * @set: the set, not active yet
 * @extack: where to say what is wrong
 *
 * Collects the variables the set names (an exec reads each environment
 * once, for all of them) and readies the searches for them and for the
 * rules' strings.
 *
 * Return: 0, -E2BIG beyond CIMON_ENV_KEYS_MAX names, or -ENOMEM.
 */
int cimon_ruleset_prepare(struct cimon_ruleset *set,
			  struct netlink_ext_ack *extack)
{
	u32 i, budget = CIMON_SEARCHES_MAX;
	int ret = 0;
	u16 *go_on;

	go_on = kmalloc_array(CIMON_RULE_INSNS_MAX + 1, sizeof(*go_on),
			      GFP_KERNEL);
	if (!go_on)
		return -ENOMEM;
	for (i = 0; i < set->count && !ret; i++) {
		ret = index_searches(&set->rules[i], &budget, go_on);
		if (!ret)
			ret = index_rule_env(set, &set->rules[i], extack);
	}
	kfree(go_on);
	return ret ?: prepare_env_search(set);
}

/**
 * cimon_rule_env_keys_verify() - check the names a rule's output shows
 * @keys: NUL-terminated names back to back
 * @len: bytes in @keys
 * @extack: where to say what is wrong
 *
 * Return: 0, or -EINVAL for an empty, unterminated or too long name.
 */
int cimon_rule_env_keys_verify(const char *keys, u32 len,
			       struct netlink_ext_ack *extack)
{
	u32 off = 0;

	if (len > CIMON_ENV_KEYS_MAX * CIMON_RULE_STR_MAX) {
		NL_SET_ERR_MSG(extack, "too many variable names");
		return -EINVAL;
	}
	while (off < len) {
		if (!keys[off] || !string_ok(keys, len, off)) {
			NL_SET_ERR_MSG(extack, "bad variable name");
			return -EINVAL;
		}
		off += strlen(keys + off) + 1;
	}
	return 0;
}

/**
 * cimon_rule_free() - free what a rule holds, leaving it empty
 * @rule: the rule
 */
void cimon_rule_free(struct cimon_rule *rule)
{
	kvfree(rule->insns);
	kfree(rule->strtab);
	kfree(rule->name);
	kfree(rule->output);
	kfree(rule->tags);
	kfree(rule->env_keys);
	kfree(rule->env_slots);
	kfree(rule->searches);
	memset(rule, 0, sizeof(*rule));
}

/**
 * cimon_ruleset_free() - free a set no reader can see
 * @set: the set, or NULL
 */
void cimon_ruleset_free(struct cimon_ruleset *set)
{
	u32 i;

	if (!set)
		return;
	for (i = 0; i < set->count; i++)
		cimon_rule_free(&set->rules[i]);
	cimon_rule_index_free(&set->index);
	kfree(set->env_keys.search);
	kvfree(set);
}

static void ruleset_put_rcu(struct rcu_head *head)
{
	cimon_ruleset_put(container_of(head, struct cimon_ruleset, rcu));
}

/**
 * cimon_ruleset_replace() - make @set the active set
 * @set: a set whose rules were all verified
 *
 * Return: the new generation number.
 */
u32 cimon_ruleset_replace(struct cimon_ruleset *set)
{
	struct cimon_ruleset *old;
	u32 i, gen;

	for (i = 0; i < set->count; i++) {
		set->events |= set->rules[i].events;
		set->rules[i].late = tests_paths(&set->rules[i]);
		if (set->rules[i].action == CIMON_ACTION_BLOCK)
			set->block_events |= set->rules[i].events;
	}
	cimon_rule_index_build(set);
	mutex_lock(&active_lock);
	gen = ++generation;
	set->generation = gen;
	old = rcu_replace_pointer(active, set, lockdep_is_held(&active_lock));
	mutex_unlock(&active_lock);
	if (old)
		call_rcu(&old->rcu, ruleset_put_rcu);
	return gen;
}

/**
 * cimon_rules_load_defaults() - make the built-in rule set active
 *
 * The built-in rules are verified like any set from userspace: a rule
 * file that compiles to something the kernel refuses fails the load.
 *
 * Return: 0, -ENOMEM, or -EINVAL for a rule that does not verify.
 */
int cimon_rules_load_defaults(void)
{
	const struct cimon_default_rule *d;
	struct cimon_ruleset *set;
	struct cimon_rule *rule;
	u32 i;
	int ret;

	set = cimon_ruleset_alloc(cimon_default_rules_count);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < cimon_default_rules_count; i++) {
		d = &cimon_default_rules[i];
		rule = &set->rules[set->count];
		rule->insns = kvmalloc_array(d->count, sizeof(*d->insns),
					     GFP_KERNEL);
		if (rule->insns)
			memcpy(rule->insns, d->insns,
			       d->count * sizeof(*d->insns));
		rule->strtab = kmemdup(d->strtab ? d->strtab : "",
				       max_t(u32, d->strtab_len, 1), GFP_KERNEL);
		rule->name = kstrdup(d->name, GFP_KERNEL);
		rule->output = kstrdup(d->output, GFP_KERNEL);
		rule->tags = kstrdup(d->tags, GFP_KERNEL);
		if (d->env_keys_len)
			rule->env_keys = kmemdup(d->env_keys, d->env_keys_len,
						 GFP_KERNEL);
		set->count++;
		if (!rule->insns || !rule->strtab || !rule->name ||
		    !rule->output || !rule->tags ||
		    (d->env_keys_len && !rule->env_keys)) {
			ret = -ENOMEM;
			goto fail;
		}
		rule->count = d->count;
		rule->strtab_len = d->strtab_len;
		rule->events = d->events;
		rule->priority = d->priority;
		rule->action = d->action;
		rule->env_keys_len = d->env_keys_len;
		ret = cimon_rule_verify(rule->insns, rule->count, rule->strtab,
					rule->strtab_len, NULL) ?:
		      cimon_rule_env_keys_verify(rule->env_keys,
						 rule->env_keys_len, NULL);
		if (ret) {
			pr_err("built-in rule \"%s\" does not verify\n", d->name);
			goto fail;
		}
	}
	ret = cimon_ruleset_prepare(set, NULL);
	if (ret) {
		pr_err("built-in rules name too many variables\n");
		goto fail;
	}
	cimon_ruleset_replace(set);
	return 0;

fail:
	cimon_ruleset_free(set);
	return ret;
}

/**
 * cimon_rules_exit() - drop the active set at unload
 */
void cimon_rules_exit(void)
{
	struct cimon_ruleset *old;

	mutex_lock(&active_lock);
	old = rcu_replace_pointer(active, NULL, lockdep_is_held(&active_lock));
	mutex_unlock(&active_lock);
	synchronize_rcu();
	if (old)
		cimon_ruleset_put(old);
	rcu_barrier();
}
