/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon's rule compiler: Falco-shaped rule files (YAML: rules, macros,
 * lists) in, one small program per rule out, in the format of
 * include/uapi/cimon.h ("Rules").
 *
 *	struct cimon_rules *r = cimon_rules_new(true);   // base macros first
 *	cimon_rules_add_file(r, "rules/falco_seed.yaml");
 *	cimon_rules_add_file(r, "my.yaml");
 *	set = cimon_rules_compile(r);                     // NULL on any error
 *	for each d in cimon_rules_diags(r): print it      // errors, warnings
 *
 * Files are read in order: a later macro, list or rule of the same name
 * replaces an earlier one, as in Falco; names are resolved only when
 * compiling, so a macro may use one defined in a later file.  Any error
 * (in any file) means no set at all: a set is loaded whole or not at all.
 */
#ifndef CIMON_RULES_H
#define CIMON_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/cimon.h"

/* A message about a place in a rule file ("FILE:LINE:COL: error: MSG"). */
struct cimon_diag {
	char *file;		/* as given to cimon_rules_add_*() */
	unsigned int line;	/* 1-based; 0 when not about a place */
	unsigned int col;	/* 1-based; 0 when not known */
	bool warning;		/* false: an error */
	char *msg;
};

/* One compiled rule: what RULES_ADD sends, plus where it came from. */
struct cimon_rule {
	char *name;			/* < CIMON_RULE_NAME_MAX bytes */
	char *desc;			/* "" when the file has none */
	enum cimon_priority priority;	/* WARNING when the file has none */
	enum cimon_action action;	/* ALERT unless "action: block" */
	bool enabled;
	uint32_t events;		/* bit (1 << enum cimon_event_type) */
	struct cimon_insn *insns;	/* the program */
	size_t ninsns;			/* 1..CIMON_RULE_INSNS_MAX */
	char *strtab;			/* NUL-terminated strings back to back */
	size_t strtab_len;		/* bytes, <= CIMON_RULE_STRTAB_MAX */
	char *output;			/* Falco output template, "" if none */
	char *env_keys;			/* the variables @output shows
					 * (%proc.env[NAME], %proc.aenv[1][NAME]),
					 * NUL-terminated, back to back, once
					 * each: CIMON_A_RULE_ENV_KEYS */
	size_t env_keys_len;		/* bytes; 0 (and NULL) for none */
	char *tags;			/* comma-separated, "" if none */
	char *file;			/* where "- rule:" is */
	unsigned int line;
};

/* A compiled rule set, in file order (a replaced rule keeps its place). */
struct cimon_ruleset {
	struct cimon_rule *rules;
	size_t nrules;
	size_t nmacros;		/* macros and lists defined, base included */
	size_t nlists;
};

struct cimon_rules;	/* a loader: the files read so far, diagnostics */

/* A loader; with @base, cimon's built-in base macros are read first. */
struct cimon_rules *cimon_rules_new(bool base);
void cimon_rules_free(struct cimon_rules *r);

/*
 * Reads one file (or a buffer, named @name in messages).  Returns 0, or -1
 * when the file had errors (they are in the diagnostics; reading more
 * files still finds their errors too).
 */
int cimon_rules_add_file(struct cimon_rules *r, const char *path);
int cimon_rules_add_buffer(struct cimon_rules *r, const char *name,
			   const char *buf, size_t len);

/* Compiles everything read; NULL if there was any error, ever. */
struct cimon_ruleset *cimon_rules_compile(struct cimon_rules *r);

/*
 * Whether cimon_rules_compile() folds the tests every event of a rule's
 * types answers alike (evt.dir, an exec's evt.type ...); on by default.
 * A folded program answers as written only for the types in its events
 * mask, the only ones the module runs it for.
 */
void cimon_rules_set_fold(struct cimon_rules *r, bool fold);
void cimon_ruleset_free(struct cimon_ruleset *set);

/* The diagnostics so far, in the order found (errors and warnings). */
const struct cimon_diag *cimon_rules_diags(const struct cimon_rules *r,
					    size_t *n);
size_t cimon_rules_errors(const struct cimon_rules *r);

/* "FILE:LINE:COL: error: MSG" (no newline) into @buf; returns @buf. */
const char *cimon_diag_format(const struct cimon_diag *d, char *buf,
			      size_t len);

/* The built-in base macros (rules/base.yaml), as embedded at build time. */
extern const unsigned char cimon_base_rules[];
extern const unsigned int cimon_base_rules_len;
#define CIMON_BASE_RULES_NAME	"<built-in>/base.yaml"

/* ---- fields ------------------------------------------------------------ */

/* Falco's name of a condition field ("proc.aname"), NULL if not one. */
const char *cimon_field_name(unsigned int field);
bool cimon_field_is_numeric(unsigned int field);

/*
 * Whether the reader can fill output field @name (as written after '%',
 * without the argument: "proc.aname", "proc.env", "fd.name").  Output
 * templates may name any field; those not known render as "<NA>".
 */
bool cimon_output_field_known(const char *name);
extern const char *const cimon_output_fields[];	/* NULL-terminated */

/* Name of an event type as cimon.event shows it ("mem_open"), or NULL. */
const char *cimon_rules_event_name(unsigned int type);

/* ---- programs ---------------------------------------------------------- */

/*
 * A field's value for one event, filled in by a cimon_field_fn.  Numeric
 * fields set @num, string fields @str (NUL-terminated).
 */
struct cimon_value {
	bool present;		/* false: the field has no value here */
	int64_t num;
	const char *str;
};

/*
 * Asked by cimon_prog_run() for the value of @field (@index, and @key, or
 * NULL for CIMON_NO_KEY) of the event being matched.
 */
typedef void (*cimon_field_fn)(void *ctx, unsigned int field,
			       unsigned int index, const char *key,
			       struct cimon_value *out);

/*
 * Checks a program as the kernel must before accepting it: opcodes,
 * field/comparison pairs, indexes, jump targets, string offsets (inside
 * the table, NUL-terminated), sizes.  0, or -1 with a reason in @err.
 */
int cimon_prog_verify(const struct cimon_insn *insns, size_t n,
		      const char *strtab, size_t strtab_len,
		      char *err, size_t errlen);

/*
 * The reference interpreter: runs a program with the semantics the header
 * documents (the kernel runs the same).  1 when the rule matches, 0 when
 * not, -1 when the program does not verify.
 */
int cimon_prog_run(const struct cimon_insn *insns, size_t n,
		   const char *strtab, size_t strtab_len,
		   cimon_field_fn get, void *ctx);

/*
 * An event as the kernel matches it, for cimon_match_field(): the record,
 * and for an exec the environments the kernel reads at exec (the new
 * program's, and its parent's for proc.aenv[1]) as arrays of "NAME=value"
 * ending in NULL; NULL when there is none (not an exec, not readable).
 * The rest is the field's scratch space.
 */
struct cimon_match {
	const struct cimon_event *ev;
	const char *const *env;
	const char *const *aenv;
	char cmdline[CIMON_COMM_LEN + CIMON_CMDLINE_LEN];
	char whole[2][CIMON_ENV_WHOLE_LEN];	/* proc.env, proc.aenv[1] */
	char value[2][CIMON_ENV_VALUE_LEN];	/* cut values, in turn */
	unsigned int turn;
};

/*
 * A cimon_field_fn over a struct cimon_match (@ctx): the values
 * kmod/rules.c reads from the same event.
 */
void cimon_match_field(void *ctx, unsigned int field, unsigned int index,
		       const char *key, struct cimon_value *out);

/*
 * @rule over @m as the module runs it: 0 for an event type outside its
 * mask, else cimon_prog_run(): 1, 0, or -1 (does not verify).
 */
int cimon_match_rule(const struct cimon_rule *rule, struct cimon_match *m);

/* One instruction as text ("TEST proc.name startswith \"x\""). */
void cimon_insn_format(const struct cimon_insn *insn, const char *strtab,
		       size_t strtab_len, char *buf, size_t len);

/* ---- the CLI ----------------------------------------------------------- */

/* `cimon rules SUBCOMMAND ...`; argv[0] is "rules". */
int cimon_cmd_rules(int argc, char **argv);

#endif /* CIMON_RULES_H */
