/* SPDX-License-Identifier: GPL-2.0 */
/* The rule compiler's insides, shared by its files (not an API). */
#ifndef CIMON_RULES_INT_H
#define CIMON_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

/* ---- fields (prog.c) ---------------------------------------------------- */

enum cimon_farg {
	FARG_NONE,		/* no [argument] */
	FARG_ANCESTOR,		/* [N], N = 1..CIMON_ANCESTORS (proc.aname) */
	FARG_KEY,		/* optional [NAME] (proc.env) */
	FARG_PARENT_KEY,	/* [1] and optional [NAME] (proc.aenv) */
};

struct cimon_field_info {
	const char *name;	/* Falco's name */
	bool numeric;
	enum cimon_farg arg;
};

extern const struct cimon_field_info cimon_fields[CIMON_FIELD_COUNT];
extern const char *const cimon_cmp_names[CIMON_CMP_COUNT];

/* Whether a TEST of @field may use @cmp (numeric vs string operators). */
bool cimon_cmp_valid(unsigned int field, unsigned int cmp);
/* A string TEST, as the interpreter runs it. */
bool cimon_test_str(unsigned int cmp, const char *v, const char *c);
/* Whether a TEST_FIELD may compare @field with @other by @cmp. */
bool cimon_cmp_field_valid(unsigned int field, unsigned int cmp,
			   unsigned int other);

/* ---- event types (events.c) ---------------------------------------------- */

#define EVT_OPEN	(1U << 0)	/* an open: fd.name, evt.is_open_* */
#define EVT_TARGET	(1U << 1)	/* acts on another process: target.* */
#define EVT_EXEC	(1U << 2)	/* an exec: proc.env, proc.aenv */

/* What an event type fixes, for the events mask (one line per type). */
struct cimon_evtype {
	unsigned int type;		/* enum cimon_event_type */
	const char *name;		/* cimon.event */
	const char *const *evt_types;	/* every evt.type it can carry */
	unsigned int flags;		/* EVT_* */
};

extern const struct cimon_evtype cimon_evtypes[];	/* ends with type 0 */

/* Three-valued truth for the events mask. */
enum tv { TV_FALSE, TV_TRUE, TV_MAYBE };

/* What a TEST can give for events of type @et. */
enum tv cimon_evtype_test(const struct cimon_evtype *et, unsigned int field,
			  unsigned int cmp, bool numeric, int64_t num,
			  const char *str);
/* What a TEST_FIELD of @field and @other can give for events of type @et. */
enum tv cimon_evtype_test_field(const struct cimon_evtype *et,
				unsigned int field, unsigned int cmp,
				unsigned int other);

/* ---- sources and places --------------------------------------------------- */

struct cimon_src {
	char *name;
	char *text;
	size_t len;
};

/* Where a YAML scalar is: enough to point at a byte inside its value. */
struct cimon_spos {
	const struct cimon_src *src;
	unsigned int line, col;		/* of the scalar's start, 0-based */
	unsigned int end_line, end_col;
	int style;			/* yaml_scalar_style_t */
	const char *value;		/* the scalar's value */
	size_t value_len;
};

/* ---- conditions (cond.c) -------------------------------------------------- */

enum node_kind { N_AND = 1, N_OR, N_NOT, N_MACRO, N_TEST };

#define OP_IN	100	/* besides enum cimon_cmp */

struct cond_val {
	char *s;
	size_t off;		/* in the condition */
	bool bare;		/* not quoted: may name a list */
};

struct cond_node {
	enum node_kind kind;
	size_t off;		/* where it starts in the condition */
	struct cond_node *a, *b;
	char *name;		/* the macro, or the field ("proc.aname") */
	unsigned int nargs;	/* [arguments] after the field: 0..2 */
	char *args[2];
	size_t arg_off[2];
	int op;			/* enum cimon_cmp, or OP_IN */
	size_t op_off;
	char *op_text;		/* as written ("==", "startswith") */
	struct cond_val *vals;
	size_t nvals;
	struct cond_node *ref;	/* val(FIELD) on the right: an N_TEST with
				 * only the field and its arguments */
};

/* Parses @len bytes; NULL with *@err_off/@err set on a syntax error. */
struct cond_node *cimon_cond_parse(const char *s, size_t len, size_t *err_off,
				   char *err, size_t errlen, bool *empty);
void cimon_cond_free(struct cond_node *n);

/* ---- the loader (load.c), compiled by compile.c ------------------------------ */

struct cimon_list_def {
	char *name;
	struct cimon_spos pos;
	char **items;
	struct cimon_spos *item_pos;
	size_t nitems;
	int mark;		/* being expanded (cycle check) */
};

struct cimon_macro_def {
	char *name;
	struct cimon_spos pos;
	char *cond;
	size_t cond_len;
	struct cimon_spos cond_pos;
	struct cond_node *ast;	/* parsed when first used */
	bool parsed, bad;
	int mark;		/* being expanded (cycle check) */
};

struct cimon_rule_def {
	char *name;
	struct cimon_spos pos;		/* of the name */
	char *desc;
	char *cond;
	size_t cond_len;
	struct cimon_spos cond_pos;
	char *output;
	struct cimon_spos output_pos;
	char *tags;
	struct cimon_spos tags_pos;
	enum cimon_priority priority;
	enum cimon_action action;
	bool enabled;
};

struct cimon_rules {
	struct cimon_src **srcs;
	size_t nsrcs;
	struct cimon_list_def **lists;
	size_t nlists;
	struct cimon_macro_def **macros;
	size_t nmacros;
	struct cimon_rule_def **rules;
	size_t nrules;
	struct cimon_diag *diags;
	size_t ndiags;
	size_t nerrors;
	bool oom;
	bool no_fold;	/* cimon_rules_set_fold(r, false) */
};

/* A diagnostic at byte @off of the value at @sp (NULL: no place). */
void cimon_diag_at(struct cimon_rules *r, bool warning,
		   const struct cimon_spos *sp, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

struct cimon_list_def *cimon_find_list(struct cimon_rules *r, const char *name);
struct cimon_macro_def *cimon_find_macro(struct cimon_rules *r,
					  const char *name);

#endif /* CIMON_RULES_INT_H */
