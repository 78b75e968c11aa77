// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the rule compiler: YAML text in, compiled; when
 * it compiles, every program must hold what the kernel's verifier checks
 * (forward jumps in bounds, string offsets inside the table and
 * NUL-terminated, field/comparison pairs valid, sizes within the limits),
 * and the events mask must hold every type whose sample events the
 * program as written matches; folded (the default), the program must
 * answer as written for every sample of a type in its mask.  When it
 * does not compile, there must be an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "rules_fuzz: %s: ", #cond);		\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* Sample events: what each type fixes, and a few values that vary. */
struct sample {
	unsigned int type;
	const char *evt_type;
	int open;		/* evt.is_open_*, fd.name present */
	unsigned int variant;
};

/* The types rules run on: memory accesses, execs, kernel memory opens. */
#define LAST_TYPE	CIMON_EVENT_KMEM_OPEN

static const char *const syscalls[LAST_TYPE + 1][3] = {
	[CIMON_EVENT_MEM_OPEN] = { "openat", "open", "openat2" },
	[CIMON_EVENT_ENVIRON_OPEN] = { "openat", "open", "openat2" },
	[CIMON_EVENT_PTRACE_ATTACH] = { "ptrace", "ptrace", "ptrace" },
	[CIMON_EVENT_VM_READ] = { "process_vm_readv", "process_vm_readv", "process_vm_readv" },
	[CIMON_EVENT_VM_WRITE] = { "process_vm_writev", "process_vm_writev", "process_vm_writev" },
	[CIMON_EVENT_PIDFD_GETFD] = { "pidfd_getfd", "pidfd_getfd", "pidfd_getfd" },
	[CIMON_EVENT_EXEC] = { "execve", "execveat", "execve" },
	[CIMON_EVENT_KMEM_OPEN] = { "openat", "open", "io_uring_enter" },
};

/* An open of a file: fd.name, evt.is_open_* */
static int is_open(unsigned int type)
{
	return type == CIMON_EVENT_MEM_OPEN ||
	       type == CIMON_EVENT_ENVIRON_OPEN ||
	       type == CIMON_EVENT_KMEM_OPEN;
}

static void get(void *ctx, unsigned int field, unsigned int index,
		const char *key, struct cimon_value *v)
{
	const struct sample *s = ctx;
	static const char *const strs[] = { "", "a", "/proc/1/mem", "bash" };
	const char *str = strs[(s->variant + field + index) % 4];

	(void)key;
	v->present = true;
	v->num = (int64_t)((s->variant >> 2) % 3);
	v->str = str;
	switch (field) {
	case CIMON_FIELD_EVT_TYPE:
		v->str = s->evt_type;
		break;
	case CIMON_FIELD_CIMON_EVENT:
		v->str = cimon_rules_event_name(s->type);
		break;
	case CIMON_FIELD_EVT_IS_OPEN_READ:
	case CIMON_FIELD_EVT_IS_OPEN_WRITE:
		v->num = s->open ? (int64_t)(s->variant & 1) : 0;
		break;
	case CIMON_FIELD_FD_NAME:
		v->present = s->open;
		break;
	case CIMON_FIELD_TARGET_PID:
	case CIMON_FIELD_TARGET_NAME:
	case CIMON_FIELD_TARGET_EXEPATH:
		/* no other process: an exec, a kernel memory open */
		v->present = s->type != CIMON_EVENT_EXEC &&
			     s->type != CIMON_EVENT_KMEM_OPEN &&
			     !(s->variant & 8);
		break;
	case CIMON_FIELD_PROC_ENV:
	case CIMON_FIELD_PROC_AENV:
		/* an exec's environment: a variable set or not */
		v->present = s->type == CIMON_EVENT_EXEC &&
			     (!key || (s->variant + strlen(key)) % 3);
		break;
	case CIMON_FIELD_EVT_DIR:
		v->str = "<";
		break;
	case CIMON_FIELD_EVT_ARG_RES:
		v->num = 0;
		break;
	default:
		if (s->variant & 8)
			v->present = false;
	}
}

/* What CIMON_A_RULE_ENV_KEYS carries: names the kernel takes. */
static void check_env_keys(const struct cimon_rule *ru)
{
	size_t off, len, n = 0;

	CHECK(!ru->env_keys_len == !ru->env_keys, "env_keys");
	CHECK(!ru->env_keys_len || !ru->env_keys[ru->env_keys_len - 1],
	      "env_keys not NUL-terminated");
	for (off = 0; off < ru->env_keys_len; off += len + 1, n++) {
		len = strlen(ru->env_keys + off);
		CHECK(len > 0 && len < CIMON_RULE_STR_MAX, "env key of %zu bytes", len);
		CHECK(!strchr(ru->env_keys + off, '='), "env key with '='");
	}
	CHECK(n <= CIMON_ENV_KEYS_MAX, "%zu env keys", n);
}

/* @ru, folded, as the kernel gets it; @written: the same unfolded. */
static void check_rule(const struct cimon_rule *ru,
		       const struct cimon_rule *written)
{
	const uint32_t types = ((1U << (LAST_TYPE + 1)) - 1) &
			       ~((1U << CIMON_EVENT_LOST) | 1U);
	char err[256];
	unsigned int t, i, v;

	CHECK(cimon_prog_verify(ru->insns, ru->ninsns, ru->strtab,
				ru->strtab_len, err, sizeof(err)) == 0, "%s", err);
	CHECK(ru->ninsns >= 1 && ru->ninsns <= CIMON_RULE_INSNS_MAX, "%zu", ru->ninsns);
	CHECK(ru->strtab_len <= CIMON_RULE_STRTAB_MAX, "%zu", ru->strtab_len);
	CHECK(strlen(ru->name) > 0 && strlen(ru->name) < CIMON_RULE_NAME_MAX, "name");
	CHECK(strlen(ru->output) < CIMON_RULE_OUTPUT_MAX, "output");
	CHECK(strlen(ru->tags) < CIMON_RULE_TAGS_MAX, "tags");
	CHECK((ru->events & ~types) == 0, "events %#x", ru->events);
	CHECK(ru->priority <= CIMON_PRIORITY_DEBUG, "priority");
	CHECK(ru->action == CIMON_ACTION_ALERT || ru->action == CIMON_ACTION_BLOCK,
	      "action");
	check_env_keys(ru);
	/* jumps: forward, inside the program (the verifier says so too) */
	for (i = 0; i < ru->ninsns; i++)
		if (ru->insns[i].op == CIMON_OP_JUMP_IF_TRUE ||
		    ru->insns[i].op == CIMON_OP_JUMP_IF_FALSE)
			CHECK(i + 1 + ru->insns[i].jump <= ru->ninsns, "jump");
	for (t = CIMON_EVENT_MEM_OPEN; t <= LAST_TYPE; t++) {
		for (v = 0; v < 48; v++) {
			struct sample s = {
				.type = t, .evt_type = syscalls[t][v % 3],
				.open = is_open(t) && v % 5,
				.variant = v,
			};
			int m = cimon_prog_run(written->insns, written->ninsns,
					       written->strtab,
					       written->strtab_len, get, &s);

			CHECK(m == 0 || m == 1, "run %d", m);
			CHECK(!m || (ru->events & (1U << t)),
			      "rule '%s' matched a %s event outside its mask %#x",
			      ru->name, cimon_rules_event_name(t), ru->events);
			if (!(ru->events & (1U << t)))
				continue;
			CHECK(m == cimon_prog_run(ru->insns, ru->ninsns,
						  ru->strtab, ru->strtab_len,
						  get, &s),
			      "rule '%s' folded answers otherwise on a %s event",
			      ru->name, cimon_rules_event_name(t));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cimon_rules *r = cimon_rules_new(true);
	struct cimon_rules *rw = cimon_rules_new(true);
	struct cimon_ruleset *set, *written = NULL;
	const struct cimon_diag *d;
	size_t i, n, lines = 1;

	if (!r || !rw) {
		cimon_rules_free(r);
		cimon_rules_free(rw);
		return 0;
	}
	for (i = 0; i < size; i++)
		lines += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 ||
			 data[i] == 0xa8 || data[i] == 0xa9;	/* YAML's breaks */
	cimon_rules_add_buffer(r, "fuzz.yaml", (const char *)data, size);
	set = cimon_rules_compile(r);
	d = cimon_rules_diags(r, &n);
	if (set) {
		cimon_rules_add_buffer(rw, "fuzz.yaml", (const char *)data, size);
		cimon_rules_set_fold(rw, false);
		written = cimon_rules_compile(rw);
		CHECK(written && written->nrules == set->nrules,
		      "compiles folded, not as written");
		CHECK(cimon_rules_errors(r) == 0, "a set despite errors");
		CHECK(set->nrules <= CIMON_RULES_MAX, "%zu rules", set->nrules);
		for (i = 0; i < set->nrules; i++) {
			CHECK(written->rules[i].events == set->rules[i].events,
			      "folding changed the events mask");
			check_rule(&set->rules[i], &written->rules[i]);
		}
	} else {
		CHECK(cimon_rules_errors(r) > 0, "no set and no error");
	}
	for (i = 0; i < n; i++) {
		CHECK(d[i].msg && d[i].msg[0], "empty message");
		if (!strcmp(d[i].file, "fuzz.yaml"))
			CHECK(d[i].line >= 1 && d[i].line <= lines + 1,
			      "line %u of %zu", d[i].line, lines);
	}
	cimon_ruleset_free(written);
	cimon_rules_free(rw);
	cimon_ruleset_free(set);
	cimon_rules_free(r);
	return 0;
}
