// SPDX-License-Identifier: GPL-2.0
/*
 * Compiling the rules read: names resolved (macros inlined, lists
 * expanded), fields and operators checked, then one program per rule:
 * short-circuit code over one accumulator,
 *
 *	A and B    [A] JUMP_IF_FALSE(len B) [B]
 *	A or B     [A] JUMP_IF_TRUE(len B) [B]
 *	not A      [A] NOT     (not x = c: TEST ne; not x != c: TEST eq)
 *	x in (a,b) TEST x = a; JUMP_IF_TRUE 1; TEST x = b
 *	x = val(y) TEST_FIELD x = y
 *
 * with jumps threaded (a jump onto a jump of the same kind goes where
 * that one goes), and the string table deduplicated.  Then the events
 * mask, by evaluating the condition in three values for each event type.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules_int.h"

#define MAX_EXPRS	65536	/* nodes of one rule's expanded condition */
#define MAX_MACRO_DEPTH	256

enum ekind { E_CONST, E_TEST, E_FIELD, E_AND, E_OR, E_NOT };

struct expr {
	enum ekind k;
	struct expr *a, *b;
	bool c;				/* E_CONST */
	uint8_t field, cmp, index;	/* E_TEST, E_FIELD */
	const char *key;		/* NULL: none */
	const char *str;		/* string constant */
	int64_t num;			/* numeric constant */
	uint8_t rfield, rindex;		/* E_FIELD: val(other) */
	const char *rkey;
};

struct chunk {
	struct chunk *next;
	size_t used;
	struct expr e[256];
};

/* A value to compare with, and where it was written. */
struct lit {
	const char *s;
	const struct cimon_spos *sp;
	size_t off;
};

struct cctx {
	struct cimon_rules *r;
	const struct cimon_rule_def *rule;
	struct chunk *chunks;
	size_t nexpr;
	bool too_big;
	struct cimon_macro_def **stack;	/* macros being expanded */
	size_t depth;
	struct cimon_list_def **lstack;	/* lists being expanded */
	size_t ldepth;
	struct lit *lits;
	size_t nlits, litcap;
};

static struct expr const_false = { .k = E_CONST, .c = false };
static struct expr const_true = { .k = E_CONST, .c = true };

static struct expr *new_expr(struct cctx *c, enum ekind k)
{
	struct chunk *ch = c->chunks;
	struct expr *e;

	if (++c->nexpr > MAX_EXPRS) {
		c->too_big = true;
		return NULL;
	}
	if (!ch || ch->used == sizeof(ch->e) / sizeof(ch->e[0])) {
		ch = calloc(1, sizeof(*ch));
		if (!ch) {
			c->r->oom = true;
			return NULL;
		}
		ch->next = c->chunks;
		c->chunks = ch;
	}
	e = &ch->e[ch->used++];
	memset(e, 0, sizeof(*e));
	e->k = k;
	return e;
}

static struct expr *mk_bin(struct cctx *c, enum ekind k, struct expr *a,
			   struct expr *b)
{
	struct expr *e;

	if (!a || !b)
		return NULL;
	/* constants fold away; the other side has no side effects */
	if (a->k == E_CONST)
		return (a->c == (k == E_OR)) ? a : b;
	if (b->k == E_CONST)
		return (b->c == (k == E_OR)) ? b : a;
	e = new_expr(c, k);
	if (e) {
		e->a = a;
		e->b = b;
	}
	return e;
}

static struct expr *mk_not(struct cctx *c, struct expr *a)
{
	struct expr *e;

	if (!a)
		return NULL;
	if (a->k == E_CONST)
		return a->c ? &const_false : &const_true;
	if (a->k == E_NOT)
		return a->a;
	e = new_expr(c, E_NOT);
	if (e)
		e->a = a;
	return e;
}

static void free_chunks(struct cctx *c)
{
	while (c->chunks) {
		struct chunk *n = c->chunks->next;

		free(c->chunks);
		c->chunks = n;
	}
}

/* ---- lowering: syntax tree to expressions ----------------------------- */

static struct expr *lower(struct cctx *c, const struct cond_node *n,
			  const struct cimon_spos *sp);

/* Parses a macro's condition once; false (and an error) when it is bad. */
static bool macro_parse(struct cimon_rules *r, struct cimon_macro_def *m)
{
	char err[256];
	size_t off = 0;
	bool empty;

	if (m->parsed)
		return !m->bad;
	m->parsed = true;
	m->ast = cimon_cond_parse(m->cond, m->cond_len, &off, err, sizeof(err),
				  &empty);
	if (!m->ast) {
		m->bad = true;
		if (empty)
			cimon_diag_at(r, false, &m->cond_pos, 0,
				      "macro '%s' has an empty condition", m->name);
		else
			cimon_diag_at(r, false, &m->cond_pos, off, "%s", err);
	}
	return !m->bad;
}

static struct expr *lower_macro(struct cctx *c, const struct cond_node *n,
				const struct cimon_spos *sp)
{
	struct cimon_macro_def *m = cimon_find_macro(c->r, n->name), **ns;
	struct expr *e;
	char chain[512];
	size_t i, used = 0;

	if (!m) {
		for (i = 1; i < CIMON_FIELD_COUNT; i++)
			if (!strcmp(cimon_fields[i].name, n->name))
				break;
		if (i < CIMON_FIELD_COUNT)
			cimon_diag_at(c->r, false, sp, n->off,
				      "field '%s' needs an operator (e.g. '%s exists')",
				      n->name, n->name);
		else
			cimon_diag_at(c->r, false, sp, n->off,
				      "undefined macro '%s'", n->name);
		return NULL;
	}
	if (m->mark) {
		chain[0] = '\0';
		for (i = 0; i < c->depth; i++)
			if (c->stack[i] == m)
				break;
		for (; i < c->depth && used < sizeof(chain); i++)
			used += (size_t)snprintf(chain + used, sizeof(chain) - used,
						 "%s -> ", c->stack[i]->name);
		cimon_diag_at(c->r, false, sp, n->off,
			      "macro cycle: %s%s", chain, m->name);
		return NULL;
	}
	if (!macro_parse(c->r, m))
		return NULL;
	if (c->depth >= MAX_MACRO_DEPTH) {
		cimon_diag_at(c->r, false, sp, n->off,
			      "macros nested more than %d deep", MAX_MACRO_DEPTH);
		return NULL;
	}
	ns = realloc(c->stack, (c->depth + 1) * sizeof(*ns));
	if (!ns) {
		c->r->oom = true;
		return NULL;
	}
	c->stack = ns;
	c->stack[c->depth++] = m;
	m->mark = 1;
	e = lower(c, m->ast, &m->cond_pos);
	m->mark = 0;
	c->depth--;
	return e;
}

static bool add_lit(struct cctx *c, const char *s, const struct cimon_spos *sp,
		    size_t off)
{
	struct lit *nl;
	size_t i;

	for (i = 0; i < c->nlits; i++)
		if (!strcmp(c->lits[i].s, s))
			return true;	/* "in (a, a)": once is enough */
	if (c->nlits == c->litcap) {
		c->litcap = c->litcap ? c->litcap * 2 : 16;
		nl = realloc(c->lits, c->litcap * sizeof(*nl));
		if (!nl) {
			c->r->oom = true;
			return false;
		}
		c->lits = nl;
	}
	c->lits[c->nlits++] = (struct lit){ s, sp, off };
	return true;
}

/* A list's items into c->lits; lists inside lists expand too. */
static bool expand_list(struct cctx *c, struct cimon_list_def *l,
			const struct cimon_spos *sp, size_t off)
{
	struct cimon_list_def *sub, **ns;
	char chain[512];
	size_t i, used = 0;
	bool ok = true;

	if (l->mark) {
		chain[0] = '\0';
		for (i = 0; i < c->ldepth; i++)
			if (c->lstack[i] == l)
				break;
		for (; i < c->ldepth && used < sizeof(chain); i++)
			used += (size_t)snprintf(chain + used, sizeof(chain) - used,
						 "%s -> ", c->lstack[i]->name);
		cimon_diag_at(c->r, false, sp, off, "list cycle: %s%s", chain,
			      l->name);
		return false;
	}
	ns = realloc(c->lstack, (c->ldepth + 1) * sizeof(*ns));
	if (!ns) {
		c->r->oom = true;
		return false;
	}
	c->lstack = ns;
	c->lstack[c->ldepth++] = l;
	l->mark = 1;
	for (i = 0; ok && i < l->nitems; i++) {
		sub = cimon_find_list(c->r, l->items[i]);
		if (sub)
			ok = expand_list(c, sub, &l->item_pos[i], 0);
		else
			ok = add_lit(c, l->items[i], &l->item_pos[i], 0);
	}
	l->mark = 0;
	c->ldepth--;
	return ok;
}

static bool parse_num(const char *s, int64_t *v)
{
	char *end;
	long long n;

	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		*v = !strcmp(s, "true");
		return true;
	}
	errno = 0;
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		n = strtoll(s + 2, &end, 16);
	else
		n = strtoll(s, &end, 10);
	if (errno || end == s || *end || !*s || s[0] == ' ' || s[0] == '\t' ||
	    ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) &&
	     (!s[2] || s[2] == '-' || s[2] == '+' || s[2] == ' ')))
		return false;
	*v = n;
	return true;
}

/* An ancestor number written in a field's [argument], or -1. */
static int parse_index(const char *s)
{
	if (s[0] >= '0' && s[0] <= '9' && !s[1])
		return s[0] - '0';
	return -1;
}

static bool check_key(struct cctx *c, const struct cond_node *n,
		      const struct cimon_spos *sp, unsigned int i)
{
	const char *k = n->args[i];

	if (!*k || strchr(k, '=')) {
		cimon_diag_at(c->r, false, sp, n->arg_off[i],
			      "'%s' is not an environment variable name", k);
		return false;
	}
	if (strlen(k) > CIMON_RULE_STR_MAX - 1) {
		cimon_diag_at(c->r, false, sp, n->arg_off[i],
			      "variable name is %zu bytes long; at most %d fit",
			      strlen(k), CIMON_RULE_STR_MAX - 1);
		return false;
	}
	return true;
}

/* A field as a test names it: resolved, its arguments checked. */
struct operand {
	const struct cimon_field_info *fi;
	unsigned int field;
	unsigned int lo, hi;		/* ancestors; lo < hi: any of them */
	const char *key;		/* NULL: none */
};

static bool ancestor_arg(struct cctx *c, const struct cond_node *n,
			 const struct cimon_spos *sp, bool right,
			 struct operand *o)
{
	int idx;

	if (n->nargs > 1) {
		cimon_diag_at(c->r, false, sp, n->arg_off[1] - 1,
			      "field '%s' takes one [argument]", n->name);
		return false;
	}
	if (!n->nargs && right) {
		cimon_diag_at(c->r, false, sp, n->off,
			      "val(%s) needs an ancestor: val(%s[N]), N = 0 (the process) to %d",
			      n->name, n->name, CIMON_ANCESTORS);
		return false;
	}
	if (!n->nargs) {	/* Falco: any ancestor */
		o->lo = 1;
		o->hi = CIMON_ANCESTORS;
		return true;
	}
	idx = parse_index(n->args[0]);
	if (idx < 0 || idx > CIMON_ANCESTORS) {
		cimon_diag_at(c->r, false, sp, n->arg_off[0],
			      "ancestor '%s' of %s: cimon knows 0 (the process) to %d",
			      n->args[0], n->name, CIMON_ANCESTORS);
		return false;
	}
	if (idx == 0)
		o->field = CIMON_FIELD_PROC_NAME;
	o->lo = o->hi = (unsigned int)idx;
	return true;
}

/* proc.aenv[1] and proc.aenv[1][NAME]: cimon reads the parent's only. */
static bool parent_arg(struct cctx *c, const struct cond_node *n,
		       const struct cimon_spos *sp, struct operand *o)
{
	if (!n->nargs) {
		cimon_diag_at(c->r, false, sp, n->off,
			      "%s supports only [1], the parent: write %s[1] or %s[1][NAME]",
			      n->name, n->name, n->name);
		return false;
	}
	if (strcmp(n->args[0], "1") && parse_index(n->args[0]) < 0) {
		cimon_diag_at(c->r, false, sp, n->arg_off[0],
			      "%s supports only [1], the parent, not [%s]; a variable is the second argument: %s[1][NAME]",
			      n->name, n->args[0], n->name);
		return false;
	}
	if (strcmp(n->args[0], "1")) {
		cimon_diag_at(c->r, false, sp, n->arg_off[0],
			      "%s supports only [1], the parent, not [%s]",
			      n->name, n->args[0]);
		return false;
	}
	if (n->nargs == 2 && !check_key(c, n, sp, 1))
		return false;
	o->lo = o->hi = 1;
	o->key = n->nargs == 2 ? n->args[1] : NULL;
	return true;
}

/* The field @n names and its [arguments]; @right: inside val(). */
static bool resolve_field(struct cctx *c, const struct cond_node *n,
			  const struct cimon_spos *sp, bool right,
			  struct operand *o)
{
	const char *in = right ? " in val()" : "";

	memset(o, 0, sizeof(*o));
	for (o->field = 1; o->field < CIMON_FIELD_COUNT; o->field++)
		if (!strcmp(cimon_fields[o->field].name, n->name))
			break;
	if (o->field == CIMON_FIELD_COUNT) {
		cimon_diag_at(c->r, false, sp, n->off, "unknown field '%s'%s",
			      n->name, in);
		return false;
	}
	o->fi = &cimon_fields[o->field];
	switch (o->fi->arg) {
	case FARG_NONE:
		if (n->nargs) {
			cimon_diag_at(c->r, false, sp, n->arg_off[0] - 1,
				      "field '%s' takes no [argument]", n->name);
			return false;
		}
		return true;
	case FARG_ANCESTOR:
		return ancestor_arg(c, n, sp, right, o);
	case FARG_KEY:
		if (n->nargs > 1) {
			cimon_diag_at(c->r, false, sp, n->arg_off[1] - 1,
				      "field '%s' takes one [argument]", n->name);
			return false;
		}
		if (n->nargs && !check_key(c, n, sp, 0))
			return false;
		o->key = n->nargs ? n->args[0] : NULL;
		return true;
	case FARG_PARENT_KEY:
		return parent_arg(c, n, sp, o);
	}
	return false;
}

/* One test of @o (ancestor @a) by @cmp, for lower_test*() to fill in. */
static struct expr *new_test(struct cctx *c, enum ekind k,
			     const struct operand *o, unsigned int a,
			     unsigned int cmp)
{
	struct expr *t = new_expr(c, k);

	if (!t)
		return NULL;
	t->field = (uint8_t)o->field;
	t->cmp = (uint8_t)cmp;
	t->index = (uint8_t)a;
	t->key = o->key;
	return t;
}

/* FIELD OP val(OTHER): Falco's comparison of two fields. */
static struct expr *lower_test_field(struct cctx *c, const struct cond_node *n,
				     const struct cimon_spos *sp,
				     const struct operand *l, unsigned int cmp)
{
	struct expr *res = &const_false, *t;
	struct operand r;
	bool negate = false;
	unsigned int a;

	if (!resolve_field(c, n->ref, sp, true, &r))
		return NULL;
	if (cmp != CIMON_CMP_EQ && cmp != CIMON_CMP_NE &&
	    (cmp < CIMON_CMP_LT || cmp > CIMON_CMP_GE)) {
		cimon_diag_at(c->r, false, sp, n->op_off,
			      "operator '%s' cannot compare two fields: val() takes =, == and !=, and <, <=, >, >= between numeric fields",
			      n->op_text);
		return NULL;
	}
	if (l->fi->numeric != r.fi->numeric) {
		cimon_diag_at(c->r, false, sp, n->ref->off,
			      "'%s' is a %s field and val(%s) a %s one: cimon compares fields of one type",
			      n->name, l->fi->numeric ? "numeric" : "string",
			      n->ref->name, r.fi->numeric ? "numeric" : "string");
		return NULL;
	}
	/* proc.aname != val(x) with no index: no ancestor is x */
	if (l->lo != l->hi && cmp == CIMON_CMP_NE) {
		cmp = CIMON_CMP_EQ;
		negate = true;
	}
	for (a = l->lo; a <= l->hi; a++) {
		t = new_test(c, E_FIELD, l, a, cmp);
		if (!t)
			return NULL;
		t->rfield = (uint8_t)r.field;
		t->rindex = (uint8_t)r.lo;
		t->rkey = r.key;
		res = mk_bin(c, E_OR, res, t);
		if (!res)
			return NULL;
	}
	return negate ? mk_not(c, res) : res;
}

/* The values of a test into c->lits, lists expanded, each checked. */
static bool test_values(struct cctx *c, const struct cond_node *n,
			const struct cimon_spos *sp, const struct operand *o)
{
	bool ok = true;
	size_t i;

	c->nlits = 0;
	for (i = 0; i < n->nvals; i++) {
		const struct cond_val *v = &n->vals[i];
		struct cimon_list_def *l = NULL;

		if (n->op == OP_IN && v->bare)
			l = cimon_find_list(c->r, v->s);
		if (l)
			ok = expand_list(c, l, sp, v->off) && ok;
		else
			ok = add_lit(c, v->s, sp, v->off) && ok;
	}
	if (!ok)
		return false;
	for (i = 0; i < c->nlits; i++) {
		const struct lit *l = &c->lits[i];
		int64_t num;

		if (o->fi->numeric && !parse_num(l->s, &num)) {
			cimon_diag_at(c->r, false, l->sp, l->off,
				      "'%s' is not a number (nor a list), and %s is numeric",
				      l->s, n->name);
			ok = false;
		} else if (!o->fi->numeric && strlen(l->s) > CIMON_RULE_STR_MAX - 1) {
			cimon_diag_at(c->r, false, l->sp, l->off,
				      "value is %zu bytes long; at most %d fit",
				      strlen(l->s), CIMON_RULE_STR_MAX - 1);
			ok = false;
		}
	}
	return ok;
}

static struct expr *lower_test(struct cctx *c, const struct cond_node *n,
			       const struct cimon_spos *sp)
{
	struct expr *res = &const_false, *t;
	struct operand o;
	unsigned int cmp, a;
	bool negate = false;
	size_t i;

	if (!resolve_field(c, n, sp, false, &o))
		return NULL;

	/* the operator */
	cmp = n->op == OP_IN ? CIMON_CMP_EQ : (unsigned int)n->op;
	if (!cimon_cmp_valid(o.field, cmp)) {
		cimon_diag_at(c->r, false, sp, n->op_off,
			      "operator '%s' does not apply to %s field '%s'",
			      n->op_text, o.fi->numeric ? "numeric" : "string",
			      n->name);
		return NULL;
	}
	if (n->ref)
		return lower_test_field(c, n, sp, &o, cmp);

	if (!test_values(c, n, sp, &o))
		return NULL;

	/* proc.aname != x with no index: no ancestor is x */
	if (o.lo != o.hi && cmp == CIMON_CMP_NE) {
		cmp = CIMON_CMP_EQ;
		negate = true;
	}
	for (a = o.lo; a <= o.hi; a++) {
		if (cmp == CIMON_CMP_EXISTS) {
			t = new_test(c, E_TEST, &o, a, cmp);
			res = t ? mk_bin(c, E_OR, res, t) : NULL;
			if (!res)
				return NULL;
			continue;
		}
		for (i = 0; i < c->nlits; i++) {
			t = new_test(c, E_TEST, &o, a, cmp);
			if (!t)
				return NULL;
			if (o.fi->numeric)
				parse_num(c->lits[i].s, &t->num);
			else
				t->str = c->lits[i].s;
			res = mk_bin(c, E_OR, res, t);
			if (!res)
				return NULL;
		}
	}
	return negate ? mk_not(c, res) : res;
}

static struct expr *lower(struct cctx *c, const struct cond_node *n,
			  const struct cimon_spos *sp)
{
	struct expr *a, *b;

	if (c->too_big || c->r->oom)
		return NULL;
	switch (n->kind) {
	case N_AND:
	case N_OR:
		a = lower(c, n->a, sp);
		b = lower(c, n->b, sp);	/* even if a failed: more errors */
		return mk_bin(c, n->kind == N_AND ? E_AND : E_OR, a, b);
	case N_NOT:
		return mk_not(c, lower(c, n->a, sp));
	case N_MACRO:
		return lower_macro(c, n, sp);
	case N_TEST:
		return lower_test(c, n, sp);
	}
	return NULL;
}

/* ---- code --------------------------------------------------------------- */

struct gen {
	struct cimon_rules *r;
	struct cimon_insn *insns;
	size_t n, cap;
	char *strtab;
	size_t slen, scap;
	bool oom;
};

static size_t emit(struct gen *g, uint8_t op)
{
	struct cimon_insn *ni;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 32;
		ni = realloc(g->insns, g->cap * sizeof(*ni));
		if (!ni) {
			g->oom = true;
			g->cap = g->n;
			return g->n;
		}
		g->insns = ni;
	}
	memset(&g->insns[g->n], 0, sizeof(g->insns[0]));
	g->insns[g->n].op = op;
	g->insns[g->n].key = CIMON_NO_KEY;
	return g->n++;
}

/* Offset of @s in the string table, added if not there yet. */
static size_t str_off(struct gen *g, const char *s)
{
	size_t len = strlen(s) + 1, off = 0;
	char *ns;

	while (off < g->slen) {
		size_t l = strlen(g->strtab + off) + 1;

		if (l == len && !memcmp(g->strtab + off, s, len))
			return off;
		off += l;
	}
	if (g->slen + len > g->scap) {
		g->scap = (g->slen + len) * 2;
		ns = realloc(g->strtab, g->scap);
		if (!ns) {
			g->oom = true;
			return 0;
		}
		g->strtab = ns;
	}
	memcpy(g->strtab + g->slen, s, len);
	g->slen += len;
	return off;
}

/* A variable name's offset, or CIMON_NO_KEY (the table fits below it). */
static uint16_t key_off(struct gen *g, const char *key)
{
	size_t off = key ? str_off(g, key) : CIMON_NO_KEY;

	return (uint16_t)(off > CIMON_NO_KEY ? CIMON_NO_KEY : off);
}

/* TEST or TEST_FIELD of @e, by @cmp. */
static void gen_test(struct gen *g, const struct expr *e, uint8_t cmp)
{
	bool field = e->k == E_FIELD;
	size_t i = emit(g, field ? CIMON_OP_TEST_FIELD : CIMON_OP_TEST);
	uint16_t key = key_off(g, e->key);
	int64_t arg = 0;

	if (field)
		arg = CIMON_FIELD_REF(e->rfield, e->rindex, key_off(g, e->rkey));
	else if (cmp != CIMON_CMP_EXISTS)
		arg = cimon_fields[e->field].numeric ? e->num :
			(int64_t)str_off(g, e->str);
	if (g->oom)
		return;
	g->insns[i].field = e->field;
	g->insns[i].cmp = cmp;
	g->insns[i].index = e->index;
	g->insns[i].key = key;
	g->insns[i].arg = arg;
}

static bool is_test(const struct expr *e)
{
	return e->k == E_TEST || e->k == E_FIELD;
}

static void gen(struct gen *g, const struct expr *e)
{
	size_t j;

	if (g->oom)
		return;
	switch (e->k) {
	case E_CONST:
		j = emit(g, CIMON_OP_CONST);
		if (!g->oom)
			g->insns[j].arg = e->c;
		break;
	case E_TEST:
	case E_FIELD:
		gen_test(g, e, e->cmp);
		break;
	case E_NOT:
		if (is_test(e->a) && e->a->cmp == CIMON_CMP_EQ) {
			gen_test(g, e->a, CIMON_CMP_NE);
		} else if (is_test(e->a) && e->a->cmp == CIMON_CMP_NE) {
			gen_test(g, e->a, CIMON_CMP_EQ);
		} else {
			gen(g, e->a);
			emit(g, CIMON_OP_NOT);
		}
		break;
	case E_AND:
	case E_OR:
		gen(g, e->a);
		j = emit(g, e->k == E_AND ? CIMON_OP_JUMP_IF_FALSE :
			 CIMON_OP_JUMP_IF_TRUE);
		gen(g, e->b);
		if (!g->oom) {
			size_t d = g->n - j - 1;

			g->insns[j].jump = (uint16_t)(d > UINT16_MAX ? UINT16_MAX : d);
		}
		break;
	}
}

/* A jump onto a jump of the same kind goes on; onto the other kind, past it. */
static void thread_jumps(struct cimon_insn *in, size_t n)
{
	size_t i, t;

	for (i = 0; i < n; i++) {
		uint8_t op = in[i].op, other;

		if (op != CIMON_OP_JUMP_IF_TRUE && op != CIMON_OP_JUMP_IF_FALSE)
			continue;
		other = op == CIMON_OP_JUMP_IF_TRUE ? CIMON_OP_JUMP_IF_FALSE :
			CIMON_OP_JUMP_IF_TRUE;
		t = i + 1 + in[i].jump;
		while (t < n) {
			if (in[t].op == op)
				t = t + 1 + in[t].jump;
			else if (in[t].op == other)
				t = t + 1;
			else
				break;
		}
		in[i].jump = (uint16_t)(t - i - 1);
	}
}

/* ---- events mask ---------------------------------------------------------- */

static enum tv eval3(const struct expr *e, const struct cimon_evtype *et)
{
	enum tv a, b;

	switch (e->k) {
	case E_CONST:
		return e->c ? TV_TRUE : TV_FALSE;
	case E_TEST:
		return cimon_evtype_test(et, e->field, e->cmp,
					 cimon_fields[e->field].numeric, e->num,
					 e->str ? e->str : "");
	case E_FIELD:
		return cimon_evtype_test_field(et, e->field, e->cmp, e->rfield);
	case E_NOT:
		a = eval3(e->a, et);
		return a == TV_MAYBE ? TV_MAYBE : a == TV_TRUE ? TV_FALSE : TV_TRUE;
	case E_AND:
		a = eval3(e->a, et);
		if (a == TV_FALSE)
			return TV_FALSE;
		b = eval3(e->b, et);
		if (b == TV_FALSE)
			return TV_FALSE;
		return a == TV_TRUE && b == TV_TRUE ? TV_TRUE : TV_MAYBE;
	case E_OR:
		a = eval3(e->a, et);
		if (a == TV_TRUE)
			return TV_TRUE;
		b = eval3(e->b, et);
		if (b == TV_TRUE)
			return TV_TRUE;
		return a == TV_FALSE && b == TV_FALSE ? TV_FALSE : TV_MAYBE;
	}
	return TV_MAYBE;
}

static uint32_t events_mask(const struct expr *e)
{
	const struct cimon_evtype *et;
	uint32_t mask = 0;

	for (et = cimon_evtypes; et->type; et++)
		if (eval3(e, et) != TV_FALSE)
			mask |= 1U << et->type;
	return mask;
}

/* ---- constant tests -------------------------------------------------------- */

/*
 * @e for an event of type @et whose evt.type is @evt_type: 1 or 0, or -1
 * when the type does not decide it.
 */
static int eval_world(const struct expr *e, const struct cimon_evtype *et,
		      const char *evt_type)
{
	enum tv t;
	int a, b;

	switch (e->k) {
	case E_CONST:
		return e->c;
	case E_TEST:
		if (e->field == CIMON_FIELD_EVT_TYPE)
			return e->cmp == CIMON_CMP_EXISTS ||
			       cimon_test_str(e->cmp, evt_type, e->str);
		t = cimon_evtype_test(et, e->field, e->cmp,
				      cimon_fields[e->field].numeric, e->num,
				      e->str ? e->str : "");
		return t == TV_MAYBE ? -1 : t == TV_TRUE;
	case E_FIELD:
		t = cimon_evtype_test_field(et, e->field, e->cmp, e->rfield);
		return t == TV_MAYBE ? -1 : t == TV_TRUE;
	case E_NOT:
		a = eval_world(e->a, et, evt_type);
		return a < 0 ? -1 : !a;
	case E_AND:
	case E_OR:
		/* false and x, true or x: x does not matter */
		a = eval_world(e->a, et, evt_type);
		if (a == (e->k == E_OR))
			return a;
		b = eval_world(e->b, et, evt_type);
		if (b == (e->k == E_OR))
			return b;
		return a < 0 || b < 0 ? -1 : e->k == E_AND;
	}
	return -1;
}

/* @e over every event of the types in @mask: always, never, or maybe. */
static enum tv eval_mask(const struct expr *e, uint32_t mask)
{
	const struct cimon_evtype *et;
	bool any_true = false, any_false = false;
	const char *const *t;
	int v;

	for (et = cimon_evtypes; et->type; et++) {
		if (!(mask & (1U << et->type)))
			continue;
		for (t = et->evt_types; *t; t++) {
			v = eval_world(e, et, *t);
			if (v < 0)
				return TV_MAYBE;
			if (v)
				any_true = true;
			else
				any_false = true;
		}
	}
	if (any_true == any_false)
		return TV_MAYBE;
	return any_true ? TV_TRUE : TV_FALSE;
}

/*
 * @e with what every event of the types in @mask (the rule's events)
 * answers alike folded away: evt.dir is always "<", evt.arg.res 0, an
 * exec's evt.type execve or execveat.  Falco's spawned_process is then
 * no test at all, on every exec.
 */
static struct expr *fold(struct cctx *c, struct expr *e, uint32_t mask)
{
	struct expr *a, *b;

	switch (eval_mask(e, mask)) {
	case TV_TRUE:
		return &const_true;
	case TV_FALSE:
		return &const_false;
	case TV_MAYBE:
		break;
	}
	switch (e->k) {
	case E_NOT:
		a = fold(c, e->a, mask);
		return a == e->a ? e : mk_not(c, a);
	case E_AND:
	case E_OR:
		a = fold(c, e->a, mask);
		b = fold(c, e->b, mask);
		return a == e->a && b == e->b ? e : mk_bin(c, e->k, a, b);
	default:
		return e;
	}
}

void cimon_rules_set_fold(struct cimon_rules *r, bool fold)
{
	r->no_fold = !fold;
}

/* ---- environment variables ------------------------------------------------ */

/* Variable names, NUL-terminated back to back, each once. */
struct keys {
	char *buf;
	size_t len;
	size_t n;
};

/* Adds @name (@len bytes): 1 when new, 0 when there already, -1 on OOM. */
static int keys_add(struct keys *k, const char *name, size_t len)
{
	size_t off;
	char *nb;

	for (off = 0; off < k->len; off += strlen(k->buf + off) + 1)
		if (strlen(k->buf + off) == len && !memcmp(k->buf + off, name, len))
			return 0;
	nb = realloc(k->buf, k->len + len + 1);
	if (!nb)
		return -1;
	memcpy(nb + k->len, name, len);
	nb[k->len + len] = '\0';
	k->buf = nb;
	k->len += len + 1;
	k->n++;
	return 1;
}

/* ---- outputs ------------------------------------------------------------- */

static bool out_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.';
}

/* A reference in an output: %NAME, %NAME[ARG], %NAME[ARG][ARG]. */
struct out_ref {
	const char *name;
	size_t name_len;
	unsigned int nargs;
	size_t arg[2], arg_len[2];	/* offsets in the output */
};

static bool out_ref_is(const struct out_ref *f, const char *name)
{
	return f->name_len == strlen(name) && !memcmp(f->name, name, f->name_len);
}

/* A variable name an output shows, its quotes stripped, into @k. */
static bool out_env_key(struct cimon_rules *r, const struct cimon_rule_def *d,
			size_t off, size_t len, struct keys *k)
{
	const char *s = d->output + off;

	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		s++;
		len -= 2;
	}
	if (!len || memchr(s, '=', len)) {
		cimon_diag_at(r, false, &d->output_pos, off,
			      "'%.*s' is not an environment variable name",
			      (int)len, s);
		return false;
	}
	if (len > CIMON_RULE_STR_MAX - 1) {
		cimon_diag_at(r, false, &d->output_pos, off,
			      "variable name is %zu bytes long; at most %d fit",
			      len, CIMON_RULE_STR_MAX - 1);
		return false;
	}
	if (keys_add(k, s, len) < 0)
		r->oom = true;
	return true;
}

/* %proc.env[NAME], %proc.aenv[1][NAME]: the kernel must carry NAME. */
static bool out_env_ref(struct cimon_rules *r, const struct cimon_rule_def *d,
			const struct out_ref *f, size_t start, struct keys *k)
{
	if (out_ref_is(f, "proc.env"))
		return !f->nargs || out_env_key(r, d, f->arg[0], f->arg_len[0], k);
	if (!out_ref_is(f, "proc.aenv"))
		return true;
	if (!f->nargs || f->arg_len[0] != 1 || d->output[f->arg[0]] != '1') {
		cimon_diag_at(r, true, &d->output_pos, start,
			      "%%proc.aenv shows only the parent's environment: %%proc.aenv[1] or %%proc.aenv[1][NAME]; this shows <NA>");
		return true;
	}
	return f->nargs < 2 || out_env_key(r, d, f->arg[1], f->arg_len[1], k);
}

/*
 * %field, %field[arg], %field["arg"], %field[arg][arg]: the syntax is
 * checked, and the environment variables shown are collected into @k.
 */
static bool check_output(struct cimon_rules *r, const struct cimon_rule_def *d,
			 struct keys *k)
{
	const char *s = d->output, *close;
	size_t i = 0, start;
	struct out_ref f;
	bool ok = true;

	while (s[i]) {
		if (s[i++] != '%')
			continue;
		start = i - 1;
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      s[i] == '_')) {
			cimon_diag_at(r, false, &d->output_pos, start,
				      "'%%' must start a field (%%proc.name, %%proc.aname[2], %%proc.env[NAME])");
			ok = false;
			continue;
		}
		f.name = s + i;
		while (out_name_char(s[i]))
			i++;
		f.name_len = (size_t)(s + i - f.name);
		for (f.nargs = 0; f.nargs < 2 && s[i] == '['; f.nargs++) {
			close = strchr(s + i, ']');
			if (!close) {
				cimon_diag_at(r, false, &d->output_pos, i,
					      "unterminated '[' in an output field");
				return false;
			}
			f.arg[f.nargs] = i + 1;
			f.arg_len[f.nargs] = (size_t)(close - s) - i - 1;
			i = (size_t)(close - s) + 1;
		}
		ok = out_env_ref(r, d, &f, start, k) && ok;
	}
	return ok;
}

/* ---- rules ----------------------------------------------------------------- */

static void free_rule_out(struct cimon_rule *o)
{
	free(o->name);
	free(o->desc);
	free(o->insns);
	free(o->strtab);
	free(o->output);
	free(o->env_keys);
	free(o->tags);
	free(o->file);
}

void cimon_ruleset_free(struct cimon_ruleset *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->nrules; i++)
		free_rule_out(&set->rules[i]);
	free(set->rules);
	free(set);
}

static bool compile_rule(struct cimon_rules *r, const struct cimon_rule_def *d,
			 struct cimon_rule *o)
{
	struct cctx c = { .r = r, .rule = d };
	struct gen g = { .r = r };
	struct cond_node *ast = NULL;
	struct expr *e = &const_true;
	size_t errors = r->nerrors, off = 0;
	struct keys keys = { 0 };
	uint32_t mask;
	char err[256];
	bool empty, ok;

	ok = check_output(r, d, &keys);
	ast = cimon_cond_parse(d->cond, d->cond_len, &off, err, sizeof(err), &empty);
	if (!ast && !empty) {
		cimon_diag_at(r, false, &d->cond_pos, off, "%s", err);
		goto out;
	}
	if (ast)
		e = lower(&c, ast, &d->cond_pos);
	if (c.too_big)
		cimon_diag_at(r, false, &d->cond_pos, 0,
			      "rule '%s': the condition expands to more than %d terms",
			      d->name, MAX_EXPRS);
	if (!e || r->nerrors > errors || !ok)
		goto out;

	mask = events_mask(e);
	if (!r->no_fold)
		e = fold(&c, e, mask);
	if (!e)
		goto out;
	gen(&g, e);
	thread_jumps(g.insns, g.n);
	if (g.oom) {
		r->oom = true;
		goto out;
	}
	if (g.n > CIMON_RULE_INSNS_MAX) {
		cimon_diag_at(r, false, &d->cond_pos, 0,
			      "rule '%s' compiles to %zu instructions; at most %d fit",
			      d->name, g.n, CIMON_RULE_INSNS_MAX);
		goto out;
	}
	if (g.slen > CIMON_RULE_STRTAB_MAX) {
		cimon_diag_at(r, false, &d->cond_pos, 0,
			      "rule '%s' needs %zu bytes of strings; at most %d fit",
			      d->name, g.slen, CIMON_RULE_STRTAB_MAX);
		goto out;
	}
	o->events = mask;
	if (!o->events && d->enabled)
		cimon_diag_at(r, true, &d->pos, 0,
			      "rule '%s' can never match an event cimon reports",
			      d->name);
	o->insns = g.insns;
	o->ninsns = g.n;
	o->strtab = g.strtab;
	o->strtab_len = g.slen;
	o->env_keys = keys.buf;
	o->env_keys_len = keys.len;
	g.insns = NULL;
	g.strtab = NULL;
	keys.buf = NULL;
	o->name = strdup(d->name);
	o->desc = strdup(d->desc);
	o->output = strdup(d->output);
	o->tags = strdup(d->tags);
	o->file = strdup(d->pos.src->name);
	o->line = d->pos.line + 1;
	o->priority = d->priority;
	o->action = d->action;
	o->enabled = d->enabled;
	if (!o->name || !o->desc || !o->output || !o->tags || !o->file)
		r->oom = true;
out:
	free(g.insns);
	free(g.strtab);
	free(keys.buf);
	free(c.stack);
	free(c.lstack);
	free(c.lits);
	free_chunks(&c);
	cimon_cond_free(ast);
	return r->nerrors == errors && !r->oom;
}

/* The variables a program names, either side of its tests, into @k. */
static int prog_env_keys(const struct cimon_rule *o, struct keys *k)
{
	const struct cimon_insn *in;
	unsigned int key;
	size_t i;
	int ret = 0;

	for (i = 0; i < o->ninsns && ret >= 0; i++) {
		in = &o->insns[i];
		if (in->op != CIMON_OP_TEST && in->op != CIMON_OP_TEST_FIELD)
			continue;
		if ((in->field == CIMON_FIELD_PROC_ENV ||
		     in->field == CIMON_FIELD_PROC_AENV) && in->key != CIMON_NO_KEY)
			ret = keys_add(k, o->strtab + in->key,
				       strlen(o->strtab + in->key));
		if (ret < 0 || in->op != CIMON_OP_TEST_FIELD)
			continue;
		key = CIMON_FIELD_REF_KEY(in->arg);
		if ((CIMON_FIELD_REF_FIELD(in->arg) == CIMON_FIELD_PROC_ENV ||
		     CIMON_FIELD_REF_FIELD(in->arg) == CIMON_FIELD_PROC_AENV) &&
		    key != CIMON_NO_KEY)
			ret = keys_add(k, o->strtab + key, strlen(o->strtab + key));
	}
	return ret < 0 ? -1 : 0;
}

/*
 * The kernel reads at each exec the variables the loaded (enabled) rules
 * name, in conditions and outputs: at most CIMON_ENV_KEYS_MAX for a set.
 * Checked rule by rule, so the error names the rule that goes past.
 */
static void count_env_keys(struct cimon_rules *r, const struct cimon_rule_def *d,
			   const struct cimon_rule *o, struct keys *set_keys)
{
	size_t before = set_keys->n, off;

	if (!o->enabled || set_keys->n > CIMON_ENV_KEYS_MAX)
		return;
	if (prog_env_keys(o, set_keys) < 0) {
		r->oom = true;
		return;
	}
	for (off = 0; off < o->env_keys_len; off += strlen(o->env_keys + off) + 1)
		if (keys_add(set_keys, o->env_keys + off,
			     strlen(o->env_keys + off)) < 0)
			r->oom = true;
	if (set_keys->n <= CIMON_ENV_KEYS_MAX)
		return;
	for (off = 0; before-- > 0; off += strlen(set_keys->buf + off) + 1)
		;
	cimon_diag_at(r, false, &d->pos, 0,
		      "rule '%s' names environment variable '%s', one more than the %d a rule set may name (in the conditions and outputs of its enabled rules)",
		      d->name, set_keys->buf + off, CIMON_ENV_KEYS_MAX);
}

struct cimon_ruleset *cimon_rules_compile(struct cimon_rules *r)
{
	struct cimon_ruleset *set = calloc(1, sizeof(*set));
	struct keys set_keys = { 0 };
	size_t i;

	if (!set) {
		r->oom = true;
		return NULL;
	}
	/* every macro's syntax, used or not */
	for (i = 0; i < r->nmacros; i++)
		macro_parse(r, r->macros[i]);
	if (r->nrules > CIMON_RULES_MAX)
		cimon_diag_at(r, false, &r->rules[CIMON_RULES_MAX]->pos, 0,
			      "more than %d rules", CIMON_RULES_MAX);
	set->rules = calloc(r->nrules + 1, sizeof(*set->rules));
	if (!set->rules) {
		r->oom = true;
		free(set);
		return NULL;
	}
	for (i = 0; i < r->nrules; i++) {
		if (compile_rule(r, r->rules[i], &set->rules[set->nrules])) {
			count_env_keys(r, r->rules[i], &set->rules[set->nrules],
				       &set_keys);
			set->nrules++;
		} else {
			free_rule_out(&set->rules[set->nrules]);
		}
		memset(&set->rules[set->nrules], 0, sizeof(set->rules[0]));
	}
	free(set_keys.buf);
	set->nmacros = r->nmacros;
	set->nlists = r->nlists;
	if (cimon_rules_errors(r)) {
		if (r->oom && !r->nerrors)
			cimon_diag_at(r, false, NULL, 0, "out of memory");
		cimon_ruleset_free(set);
		return NULL;
	}
	return set;
}
