// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of struct cimon_insn: the field table, the verifier the kernel
 * mirrors, and the reference interpreter (the semantics of
 * include/uapi/cimon.h, "Rules", word for word).  No libyaml here, so the
 * fuzzer and the kernel's author can read this file alone.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "rules_int.h"

const struct cimon_field_info cimon_fields[CIMON_FIELD_COUNT] = {
	[CIMON_FIELD_EVT_TYPE] = { "evt.type", false, FARG_NONE },
	[CIMON_FIELD_CIMON_EVENT] = { "cimon.event", false, FARG_NONE },
	[CIMON_FIELD_EVT_IS_OPEN_READ] = { "evt.is_open_read", true, FARG_NONE },
	[CIMON_FIELD_EVT_IS_OPEN_WRITE] = { "evt.is_open_write", true, FARG_NONE },
	[CIMON_FIELD_PROC_NAME] = { "proc.name", false, FARG_NONE },
	[CIMON_FIELD_PROC_PID] = { "proc.pid", true, FARG_NONE },
	[CIMON_FIELD_PROC_PPID] = { "proc.ppid", true, FARG_NONE },
	[CIMON_FIELD_PROC_EXEPATH] = { "proc.exepath", false, FARG_NONE },
	[CIMON_FIELD_PROC_CMDLINE] = { "proc.cmdline", false, FARG_NONE },
	[CIMON_FIELD_PROC_PNAME] = { "proc.pname", false, FARG_NONE },
	[CIMON_FIELD_PROC_ANAME] = { "proc.aname", false, FARG_ANCESTOR },
	[CIMON_FIELD_PROC_TTY] = { "proc.tty", true, FARG_NONE },
	[CIMON_FIELD_USER_UID] = { "user.uid", true, FARG_NONE },
	[CIMON_FIELD_USER_EUID] = { "user.euid", true, FARG_NONE },
	[CIMON_FIELD_CONTAINER_ID] = { "container.id", false, FARG_NONE },
	[CIMON_FIELD_FD_NAME] = { "fd.name", false, FARG_NONE },
	[CIMON_FIELD_TARGET_PID] = { "target.pid", true, FARG_NONE },
	[CIMON_FIELD_TARGET_NAME] = { "target.name", false, FARG_NONE },
	[CIMON_FIELD_TARGET_EXEPATH] = { "target.exepath", false, FARG_NONE },
	[CIMON_FIELD_PROC_ENV] = { "proc.env", false, FARG_KEY },
	[CIMON_FIELD_PROC_AENV] = { "proc.aenv", false, FARG_PARENT_KEY },
	[CIMON_FIELD_EVT_DIR] = { "evt.dir", false, FARG_NONE },
	[CIMON_FIELD_EVT_ARG_RES] = { "evt.arg.res", true, FARG_NONE },
	[CIMON_FIELD_GITHUB_REPOSITORY] = { "github.repository", false, FARG_NONE },
	[CIMON_FIELD_GITHUB_WORKFLOW] = { "github.workflow", false, FARG_NONE },
	[CIMON_FIELD_GITHUB_RUN_ID] = { "github.run_id", false, FARG_NONE },
	[CIMON_FIELD_GITHUB_JOB] = { "github.job", false, FARG_NONE },
	[CIMON_FIELD_GITHUB_ACTION] = { "github.action", false, FARG_NONE },
	[CIMON_FIELD_GITHUB_ACTION_REPOSITORY] = {
		"github.action_repository", false, FARG_NONE },
	[CIMON_FIELD_GITHUB_ACTION_REF] = { "github.action_ref", false, FARG_NONE },
};

const char *const cimon_cmp_names[CIMON_CMP_COUNT] = {
	[CIMON_CMP_EQ] = "=", [CIMON_CMP_NE] = "!=", [CIMON_CMP_LT] = "<",
	[CIMON_CMP_LE] = "<=", [CIMON_CMP_GT] = ">", [CIMON_CMP_GE] = ">=",
	[CIMON_CMP_STARTSWITH] = "startswith",
	[CIMON_CMP_ENDSWITH] = "endswith", [CIMON_CMP_CONTAINS] = "contains",
	[CIMON_CMP_GLOB] = "glob", [CIMON_CMP_EXISTS] = "exists",
};

const char *cimon_field_name(unsigned int field)
{
	return field > 0 && field < CIMON_FIELD_COUNT ?
		cimon_fields[field].name : NULL;
}

bool cimon_field_is_numeric(unsigned int field)
{
	return field > 0 && field < CIMON_FIELD_COUNT && cimon_fields[field].numeric;
}

bool cimon_cmp_valid(unsigned int field, unsigned int cmp)
{
	if (!cimon_field_name(field) || cmp < CIMON_CMP_EQ || cmp >= CIMON_CMP_COUNT)
		return false;
	if (cmp == CIMON_CMP_EQ || cmp == CIMON_CMP_NE || cmp == CIMON_CMP_EXISTS)
		return true;
	if (cimon_fields[field].numeric)
		return cmp >= CIMON_CMP_LT && cmp <= CIMON_CMP_GE;
	return cmp >= CIMON_CMP_STARTSWITH && cmp <= CIMON_CMP_GLOB;
}

bool cimon_cmp_field_valid(unsigned int field, unsigned int cmp,
			   unsigned int other)
{
	if (!cimon_field_name(field) || !cimon_field_name(other) ||
	    cimon_fields[field].numeric != cimon_fields[other].numeric)
		return false;
	if (cmp == CIMON_CMP_EQ || cmp == CIMON_CMP_NE)
		return true;
	return cimon_fields[field].numeric && cmp >= CIMON_CMP_LT &&
	       cmp <= CIMON_CMP_GE;
}

/* The string at @off, or NULL when @off is not a valid string offset. */
static const char *str_at(const char *strtab, size_t len, int64_t off)
{
	const char *nul;

	if (off < 0 || (uint64_t)off >= len)
		return NULL;
	nul = memchr(strtab + off, '\0', len - (size_t)off);
	if (!nul || nul - (strtab + off) > CIMON_RULE_STR_MAX - 1)
		return NULL;
	return strtab + off;
}

static int fail(char *err, size_t errlen, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, size_t i, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err && errlen) {
		n = snprintf(err, errlen, "insn %zu: ", i);
		if (n < 0 || (size_t)n >= errlen)
			n = 0;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A field's @index and @key, for either side of a test. */
static int verify_operand(unsigned int field, unsigned int index,
			  unsigned int key, const char *strtab,
			  size_t strtab_len, char *err, size_t errlen, size_t i)
{
	const struct cimon_field_info *fi = &cimon_fields[field];

	if (fi->arg == FARG_ANCESTOR) {
		if (index < 1 || index > CIMON_ANCESTORS)
			return fail(err, errlen, i, "ancestor %u", index);
	} else if (fi->arg == FARG_PARENT_KEY) {
		if (index != 1)
			return fail(err, errlen, i, "%s index %u (only 1)",
				    fi->name, index);
	} else if (index) {
		return fail(err, errlen, i, "index on %s", fi->name);
	}
	if (key == CIMON_NO_KEY)
		return 0;
	if (fi->arg != FARG_KEY && fi->arg != FARG_PARENT_KEY)
		return fail(err, errlen, i, "key on %s", fi->name);
	if (!str_at(strtab, strtab_len, key) || !strtab[key])
		return fail(err, errlen, i, "bad key offset %u", key);
	return 0;
}

static int verify_test(const struct cimon_insn *in, const char *strtab,
		       size_t strtab_len, char *err, size_t errlen, size_t i)
{
	if (!cimon_cmp_valid(in->field, in->cmp))
		return fail(err, errlen, i, "field %u cannot take cmp %u",
			    in->field, in->cmp);
	if (verify_operand(in->field, in->index, in->key, strtab, strtab_len,
			   err, errlen, i))
		return -1;
	if (in->cmp == CIMON_CMP_EXISTS) {
		if (in->arg)
			return fail(err, errlen, i, "arg on exists");
	} else if (!cimon_fields[in->field].numeric &&
		   !str_at(strtab, strtab_len, in->arg)) {
		return fail(err, errlen, i, "bad string offset %" PRId64,
			    (int64_t)in->arg);
	}
	return 0;
}

static int verify_test_field(const struct cimon_insn *in, const char *strtab,
			     size_t strtab_len, char *err, size_t errlen,
			     size_t i)
{
	unsigned int other = CIMON_FIELD_REF_FIELD(in->arg);

	if ((uint64_t)in->arg >> 32)
		return fail(err, errlen, i, "bad field reference %#" PRIx64,
			    (uint64_t)in->arg);
	if (!cimon_cmp_field_valid(in->field, in->cmp, other))
		return fail(err, errlen, i, "field %u cannot take cmp %u with field %u",
			    in->field, in->cmp, other);
	if (verify_operand(in->field, in->index, in->key, strtab, strtab_len,
			   err, errlen, i))
		return -1;
	return verify_operand(other, CIMON_FIELD_REF_INDEX(in->arg),
			      CIMON_FIELD_REF_KEY(in->arg), strtab, strtab_len,
			      err, errlen, i);
}

/* NOT, the jumps, CONST, RET: no operands, jumps forward and not by 0. */
static int verify_plain(const struct cimon_insn *in, size_t n, char *err,
			size_t errlen, size_t i)
{
	if (in->field || in->cmp || in->index || in->key != CIMON_NO_KEY)
		return fail(err, errlen, i, "operands on a non-test");
	if (in->op != CIMON_OP_CONST && in->arg)
		return fail(err, errlen, i, "arg on a non-constant");
	if (in->op == CIMON_OP_JUMP_IF_TRUE || in->op == CIMON_OP_JUMP_IF_FALSE) {
		if (!in->jump)
			return fail(err, errlen, i, "jump of 0");
		if (in->jump > n - i - 1)
			return fail(err, errlen, i, "jump %u past the end",
				    in->jump);
	} else if (in->jump) {
		return fail(err, errlen, i, "jump on a non-jump");
	}
	return 0;
}

int cimon_prog_verify(const struct cimon_insn *insns, size_t n,
		      const char *strtab, size_t strtab_len,
		      char *err, size_t errlen)
{
	size_t i;
	int ret;

	if (n < 1 || n > CIMON_RULE_INSNS_MAX)
		return fail(err, errlen, 0, "%zu instructions (1..%d)", n,
			    CIMON_RULE_INSNS_MAX);
	if (strtab_len > CIMON_RULE_STRTAB_MAX)
		return fail(err, errlen, 0, "string table of %zu bytes", strtab_len);
	if (strtab_len && strtab[strtab_len - 1] != '\0')
		return fail(err, errlen, 0, "string table not NUL-terminated");
	for (i = 0; i < n; i++) {
		const struct cimon_insn *in = &insns[i];

		if (in->op < CIMON_OP_TEST || in->op >= CIMON_OP_COUNT)
			return fail(err, errlen, i, "bad opcode %u", in->op);
		if ((in->op == CIMON_OP_TEST || in->op == CIMON_OP_TEST_FIELD) &&
		    in->jump)
			return fail(err, errlen, i, "jump on a test");
		if (in->op == CIMON_OP_TEST)
			ret = verify_test(in, strtab, strtab_len, err, errlen, i);
		else if (in->op == CIMON_OP_TEST_FIELD)
			ret = verify_test_field(in, strtab, strtab_len, err,
						errlen, i);
		else
			ret = verify_plain(in, n, err, errlen, i);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Glob as the header documents it and kmod/rules.c runs it: '*' any
 * run of bytes, '/' included; '?' one byte; '[...]' a class with ranges
 * and '!' negation, ']' allowed first; '\\' makes the next byte literal;
 * a malformed class is literal.  Userspace must agree with the kernel, so
 * not fnmatch(), which also knows '^' and [[:alpha:]].  (Nor the kernel's
 * glob_match(), whose negated class matches the terminating NUL.)
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

static bool test_num(unsigned int cmp, int64_t v, int64_t c)
{
	switch (cmp) {
	case CIMON_CMP_EQ: return v == c;
	case CIMON_CMP_NE: return v != c;
	case CIMON_CMP_LT: return v < c;
	case CIMON_CMP_LE: return v <= c;
	case CIMON_CMP_GT: return v > c;
	case CIMON_CMP_GE: return v >= c;
	}
	return false;
}

bool cimon_test_str(unsigned int cmp, const char *v, const char *c)
{
	size_t vl, cl;

	switch (cmp) {
	case CIMON_CMP_EQ: return !strcmp(v, c);
	case CIMON_CMP_NE: return strcmp(v, c) != 0;
	case CIMON_CMP_STARTSWITH: return !strncmp(v, c, strlen(c));
	case CIMON_CMP_ENDSWITH:
		vl = strlen(v);
		cl = strlen(c);
		return vl >= cl && !memcmp(v + vl - cl, c, cl);
	case CIMON_CMP_CONTAINS: return strstr(v, c) != NULL;
	case CIMON_CMP_GLOB: return glob_matches(c, v);
	}
	return false;
}

static bool run_test(const struct cimon_insn *in, const char *strtab,
		     cimon_field_fn get, void *ctx)
{
	struct cimon_value v = { 0 };

	get(ctx, in->field, in->index,
	    in->key == CIMON_NO_KEY ? NULL : strtab + in->key, &v);
	if (in->cmp == CIMON_CMP_EXISTS)
		return v.present;
	if (!v.present)
		return in->cmp == CIMON_CMP_NE;
	if (cimon_fields[in->field].numeric)
		return test_num(in->cmp, v.num, in->arg);
	return cimon_test_str(in->cmp, v.str ? v.str : "", strtab + in->arg);
}

/*
 * field @cmp val(other): two fields without a value are equal, one
 * without a value is unequal to one with a value (and neither less nor
 * greater).
 */
static bool run_test_field(const struct cimon_insn *in, const char *strtab,
			   cimon_field_fn get, void *ctx)
{
	unsigned int key = CIMON_FIELD_REF_KEY(in->arg);
	struct cimon_value a = { 0 }, b = { 0 };

	get(ctx, in->field, in->index,
	    in->key == CIMON_NO_KEY ? NULL : strtab + in->key, &a);
	get(ctx, CIMON_FIELD_REF_FIELD(in->arg), CIMON_FIELD_REF_INDEX(in->arg),
	    key == CIMON_NO_KEY ? NULL : strtab + key, &b);
	if (a.present && b.present) {
		if (cimon_fields[in->field].numeric)
			return test_num(in->cmp, a.num, b.num);
		return cimon_test_str(in->cmp, a.str ? a.str : "",
				      b.str ? b.str : "");
	}
	if (in->cmp == CIMON_CMP_EQ)
		return !a.present && !b.present;
	if (in->cmp == CIMON_CMP_NE)
		return a.present || b.present;
	return false;
}

int cimon_prog_run(const struct cimon_insn *insns, size_t n,
		   const char *strtab, size_t strtab_len,
		   cimon_field_fn get, void *ctx)
{
	bool acc = false;
	size_t i;

	if (cimon_prog_verify(insns, n, strtab, strtab_len, NULL, 0))
		return -1;
	for (i = 0; i < n; i++) {
		const struct cimon_insn *in = &insns[i];

		switch (in->op) {
		case CIMON_OP_TEST:
			acc = run_test(in, strtab, get, ctx);
			break;
		case CIMON_OP_TEST_FIELD:
			acc = run_test_field(in, strtab, get, ctx);
			break;
		case CIMON_OP_NOT:
			acc = !acc;
			break;
		case CIMON_OP_JUMP_IF_TRUE:
			if (acc)
				i += in->jump;
			break;
		case CIMON_OP_JUMP_IF_FALSE:
			if (!acc)
				i += in->jump;
			break;
		case CIMON_OP_CONST:
			acc = in->arg != 0;
			break;
		case CIMON_OP_RET:
			return acc;
		}
	}
	return acc;
}

static const char *const op_names[CIMON_OP_COUNT] = {
	[CIMON_OP_TEST] = "TEST", [CIMON_OP_NOT] = "NOT",
	[CIMON_OP_JUMP_IF_TRUE] = "JIT", [CIMON_OP_JUMP_IF_FALSE] = "JIF",
	[CIMON_OP_CONST] = "CONST", [CIMON_OP_RET] = "RET",
	[CIMON_OP_TEST_FIELD] = "TEST",
};

/* "proc.aenv[1][HOME]": a field with its index and key, into @buf. */
static void format_operand(unsigned int field, unsigned int index,
			   unsigned int key, const char *strtab,
			   size_t strtab_len, char *buf, size_t len)
{
	const char *k = NULL;
	char idx[16] = "";

	if (index)
		snprintf(idx, sizeof(idx), "[%u]", index);
	if (key != CIMON_NO_KEY)
		k = str_at(strtab, strtab_len, key);
	snprintf(buf, len, "%s%s%s%s%s", cimon_fields[field].name, idx,
		 k ? "[" : "", k ? k : "", k ? "]" : "");
}

void cimon_insn_format(const struct cimon_insn *in, const char *strtab,
		       size_t strtab_len, char *buf, size_t len)
{
	const char *op = in->op < CIMON_OP_COUNT ? op_names[in->op] : NULL;
	char a[CIMON_RULE_STR_MAX + 64], b[CIMON_RULE_STR_MAX + 64];
	const char *s;

	if (!op) {
		snprintf(buf, len, "?%u", in->op);
		return;
	}
	if (in->op == CIMON_OP_JUMP_IF_TRUE || in->op == CIMON_OP_JUMP_IF_FALSE) {
		snprintf(buf, len, "%s %u", op, in->jump);
		return;
	}
	if (in->op == CIMON_OP_CONST) {
		snprintf(buf, len, "%s %" PRId64, op, (int64_t)in->arg);
		return;
	}
	if (in->op == CIMON_OP_TEST_FIELD &&
	    cimon_cmp_field_valid(in->field, in->cmp,
				  CIMON_FIELD_REF_FIELD(in->arg))) {
		format_operand(in->field, in->index, in->key, strtab, strtab_len,
			       a, sizeof(a));
		format_operand(CIMON_FIELD_REF_FIELD(in->arg),
			       CIMON_FIELD_REF_INDEX(in->arg),
			       CIMON_FIELD_REF_KEY(in->arg), strtab, strtab_len,
			       b, sizeof(b));
		snprintf(buf, len, "TEST %s %s val(%s)", a,
			 cimon_cmp_names[in->cmp], b);
		return;
	}
	if (in->op != CIMON_OP_TEST || !cimon_cmp_valid(in->field, in->cmp)) {
		snprintf(buf, len, "%s", op);
		return;
	}
	format_operand(in->field, in->index, in->key, strtab, strtab_len, a,
		       sizeof(a));
	if (in->cmp == CIMON_CMP_EXISTS)
		snprintf(buf, len, "TEST %s exists", a);
	else if (cimon_fields[in->field].numeric)
		snprintf(buf, len, "TEST %s %s %" PRId64, a,
			 cimon_cmp_names[in->cmp], (int64_t)in->arg);
	else
		snprintf(buf, len, "TEST %s %s \"%s\"", a, cimon_cmp_names[in->cmp],
			 (s = str_at(strtab, strtab_len, in->arg)) ? s : "?");
}
