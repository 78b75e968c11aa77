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
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unistd.h>

#include "cimon.h"
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
};

/* Does @off start a terminated string of at most CIMON_RULE_STR_MAX? */
static bool string_ok(const char *strtab, u32 len, s64 off)
{
	if (off < 0 || off >= len)
		return false;
	return strnlen(strtab + off, min_t(u32, len - off, CIMON_RULE_STR_MAX)) <
	       min_t(u32, len - off, CIMON_RULE_STR_MAX);
}

static int verify_test(const struct cimon_insn *insn, const char *strtab,
		       u32 len, struct netlink_ext_ack *extack)
{
	u8 type;

	if (!insn->field || insn->field >= CIMON_FIELD_COUNT) {
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

	switch (insn->field) {
	case CIMON_FIELD_PROC_ANAME:
		if (insn->index > CIMON_ANCESTORS) {
			NL_SET_ERR_MSG(extack, "ancestor index out of range");
			return -EINVAL;
		}
		break;
	case CIMON_FIELD_PROC_AENV:
		if (!insn->index || insn->index > CIMON_ANCESTORS) {
			NL_SET_ERR_MSG(extack, "ancestor index out of range");
			return -EINVAL;
		}
		fallthrough;
	case CIMON_FIELD_PROC_ENV:
		if (insn->key != CIMON_NO_KEY &&
		    !string_ok(strtab, len, insn->key)) {
			NL_SET_ERR_MSG(extack, "variable name outside the string table");
			return -EINVAL;
		}
		return 0;
	default:
		if (insn->index) {
			NL_SET_ERR_MSG(extack, "index on a field that takes none");
			return -EINVAL;
		}
	}
	if (insn->key != CIMON_NO_KEY) {
		NL_SET_ERR_MSG(extack, "variable name on a field that takes none");
		return -EINVAL;
	}
	return 0;

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

		if (insn->op != CIMON_OP_TEST &&
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
		}
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
		}
	}
	return ev->type < CIMON_EVENT_TYPE_COUNT ? fallback[ev->type] : NULL;
}

static bool is_open(const struct cimon_event *ev)
{
	return ev->type == CIMON_EVENT_MEM_OPEN ||
	       ev->type == CIMON_EVENT_ENVIRON_OPEN;
}

/* A string field's value, or NULL when the event has none. */
static const char *string_field(const struct cimon_insn *insn,
				struct cimon_match_ctx *ctx)
{
	const struct cimon_event *ev = ctx->event;
	const char *s;

	switch (insn->field) {
	case CIMON_FIELD_EVT_TYPE:
		return syscall_name(ev);
	case CIMON_FIELD_CIMON_EVENT:
		return ev->type < CIMON_EVENT_TYPE_COUNT ?
		       event_names[ev->type] : NULL;
	case CIMON_FIELD_PROC_NAME:
		return ev->proc.comm;
	case CIMON_FIELD_PROC_EXEPATH:
		s = ev->proc.exe;
		break;
	case CIMON_FIELD_PROC_CMDLINE:
		return cimon_match_cmdline(ctx);
	case CIMON_FIELD_PROC_PNAME:
		s = ev->proc.ancestors[0];
		break;
	case CIMON_FIELD_PROC_ANAME:
		if (!insn->index)
			return ev->proc.comm;
		s = ev->proc.ancestors[insn->index - 1];
		break;
	case CIMON_FIELD_CONTAINER_ID:
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
	default:
		/* proc.env and proc.aenv: exec events carry them. */
		return NULL;
	}
	return s[0] ? s : NULL;
}

/* A numeric field's value; false when the event has none. */
static bool number_field(const struct cimon_insn *insn,
			 const struct cimon_event *ev, s64 *value)
{
	u32 mode = ev->arg & O_ACCMODE;

	switch (insn->field) {
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

static bool test_string(u8 cmp, const char *s, const char *c)
{
	size_t ls, lc;

	switch (cmp) {
	case CIMON_CMP_EQ:
		return !strcmp(s, c);
	case CIMON_CMP_NE:
		return strcmp(s, c);
	case CIMON_CMP_STARTSWITH:
		return !strncmp(s, c, strlen(c));
	case CIMON_CMP_ENDSWITH:
		ls = strlen(s);
		lc = strlen(c);
		return ls >= lc && !strcmp(s + ls - lc, c);
	case CIMON_CMP_CONTAINS:
		return strstr(s, c);
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

static bool run_test(const struct cimon_rule *rule,
		     const struct cimon_insn *insn,
		     struct cimon_match_ctx *ctx)
{
	const char *s;
	s64 v;

	if (field_types[insn->field] == FIELD_STRING) {
		s = string_field(insn, ctx);
		if (insn->cmp == CIMON_CMP_EXISTS)
			return s;
		if (!s)
			return insn->cmp == CIMON_CMP_NE;
		return test_string(insn->cmp, s, rule->strtab + insn->arg);
	}
	if (!number_field(insn, ctx->event, &v))
		return insn->cmp == CIMON_CMP_NE;
	if (insn->cmp == CIMON_CMP_EXISTS)
		return true;
	return test_number(insn->cmp, v, insn->arg);
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
	const struct cimon_insn *insn = rule->insns;
	const struct cimon_insn *end = insn + rule->count;
	bool acc = false;

	for (; insn < end; insn++) {
		switch (insn->op) {
		case CIMON_OP_TEST:
			acc = run_test(rule, insn, ctx);
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
	if (set)
		set->capacity = count;
	return set;
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
	kvfree(set);
}

static void ruleset_free_rcu(struct rcu_head *head)
{
	cimon_ruleset_free(container_of(head, struct cimon_ruleset, rcu));
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

	for (i = 0; i < set->count; i++)
		set->events |= set->rules[i].events;
	mutex_lock(&active_lock);
	gen = ++generation;
	set->generation = gen;
	old = rcu_replace_pointer(active, set, lockdep_is_held(&active_lock));
	mutex_unlock(&active_lock);
	if (old)
		call_rcu(&old->rcu, ruleset_free_rcu);
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
		set->count++;
		if (!rule->insns || !rule->strtab || !rule->name ||
		    !rule->output || !rule->tags) {
			ret = -ENOMEM;
			goto fail;
		}
		rule->count = d->count;
		rule->strtab_len = d->strtab_len;
		rule->events = d->events;
		rule->priority = d->priority;
		rule->action = d->action;
		ret = cimon_rule_verify(rule->insns, rule->count, rule->strtab,
					rule->strtab_len, NULL);
		if (ret) {
			pr_err("built-in rule \"%s\" does not verify\n", d->name);
			goto fail;
		}
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
	cimon_ruleset_free(old);
	rcu_barrier();
}
