// SPDX-License-Identifier: GPL-2.0
/*
 * Reading rule files: libyaml's document API, one file after another,
 * into the loader's tables of rules, macros and lists (a later definition
 * of a name replaces the earlier one).  Also the diagnostics, which point
 * at a line and column of the file, inside a condition when they can.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "rules.h"
#include "rules_int.h"

/* ---- places ------------------------------------------------------------ */

/* Bytes of the line break at @i (as YAML counts them), 0 if none. */
static size_t brk_len(const struct cimon_src *src, size_t i)
{
	const unsigned char *t = (const unsigned char *)src->text;
	size_t left = src->len - i;

	if (i >= src->len)
		return 0;
	if (t[i] == '\r')
		return left >= 2 && t[i + 1] == '\n' ? 2 : 1;
	if (t[i] == '\n')
		return 1;
	if (left >= 2 && t[i] == 0xc2 && t[i + 1] == 0x85)
		return 2;	/* NEL */
	if (left >= 3 && t[i] == 0xe2 && t[i + 1] == 0x80 &&
	    (t[i + 2] == 0xa8 || t[i + 2] == 0xa9))
		return 3;	/* LS, PS */
	return 0;
}

/* Byte offset of 0-based @line, column @col (in characters) of @src. */
static size_t mark_byte(const struct cimon_src *src, unsigned int line,
			unsigned int col)
{
	size_t i = 0, b;

	while (line && i < src->len) {
		b = brk_len(src, i);
		if (b)
			line--;
		i += b ? b : 1;
	}
	while (col && i < src->len && !brk_len(src, i)) {
		i++;
		while (i < src->len && ((unsigned char)src->text[i] & 0xc0) == 0x80)
			i++;
		col--;
	}
	return i;
}

static void byte_pos(const struct cimon_src *src, size_t b, unsigned int *line,
		     unsigned int *col)
{
	size_t i = 0, n;

	*line = 1;
	*col = 1;
	while (i < b && i < src->len) {
		n = brk_len(src, i);
		if (n) {
			(*line)++;
			*col = 1;
			i += n;
			continue;
		}
		if (((unsigned char)src->text[i] & 0xc0) != 0x80)
			(*col)++;
		i++;
	}
}

static bool same_char(char v, char t)
{
	return v == t || ((v == ' ' || v == '\n') && (t == '\n' || t == '\r'));
}

/*
 * Where byte @off of the scalar's value is in the file: walk the value and
 * the source text together (folding, indentation and quotes are what the
 * source has in addition); the scalar's start when that fails.
 */
static void spos_place(const struct cimon_spos *sp, size_t off,
		       unsigned int *line, unsigned int *col)
{
	const struct cimon_src *src = sp->src;
	size_t b, e, j, i;

	*line = sp->line + 1;
	*col = sp->col + 1;
	if (!src || !src->text || !sp->value || off > sp->value_len)
		return;
	b = mark_byte(src, sp->line, sp->col);
	e = mark_byte(src, sp->end_line, sp->end_col);
	if (e > src->len || b > e)
		return;
	if (sp->style == YAML_LITERAL_SCALAR_STYLE ||
	    sp->style == YAML_FOLDED_SCALAR_STYLE) {
		while (b < e && src->text[b] != '\n')
			b++;
	} else if (sp->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		   sp->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		b++;
	}
	j = b;
	for (i = 0; i <= off && i < sp->value_len; i++) {
		while (j < e && !same_char(sp->value[i], src->text[j]))
			j++;
		if (j >= e)
			return;
		if (i < off)
			j++;
	}
	byte_pos(src, j, line, col);
}

void cimon_diag_at(struct cimon_rules *r, bool warning,
		   const struct cimon_spos *sp, size_t off, const char *fmt, ...)
{
	struct cimon_diag d = { .warning = warning }, *nd;
	const char *file = sp && sp->src ? sp->src->name : "";
	char msg[1024];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sp && sp->src && sp->src->text)
		spos_place(sp, off, &d.line, &d.col);
	if (!warning)
		r->nerrors++;
	/* the same macro used by two rules: say it once */
	for (i = 0; i < r->ndiags; i++) {
		nd = &r->diags[i];
		if (nd->line == d.line && nd->col == d.col &&
		    nd->warning == warning && !strcmp(nd->msg, msg) &&
		    !strcmp(nd->file, file))
			return;
	}
	nd = realloc(r->diags, (r->ndiags + 1) * sizeof(*nd));
	if (!nd) {
		r->oom = true;
		return;
	}
	r->diags = nd;
	d.file = strdup(file);
	d.msg = strdup(msg);
	if (!d.file || !d.msg) {
		free(d.file);
		free(d.msg);
		r->oom = true;
		return;
	}
	r->diags[r->ndiags++] = d;
}

const struct cimon_diag *cimon_rules_diags(const struct cimon_rules *r,
					    size_t *n)
{
	*n = r->ndiags;
	return r->diags;
}

size_t cimon_rules_errors(const struct cimon_rules *r)
{
	return r->nerrors + (r->oom ? 1 : 0);
}

const char *cimon_diag_format(const struct cimon_diag *d, char *buf, size_t len)
{
	const char *kind = d->warning ? "warning" : "error";

	if (d->line && d->col)
		snprintf(buf, len, "%s:%u:%u: %s: %s", d->file, d->line, d->col,
			 kind, d->msg);
	else if (d->line)
		snprintf(buf, len, "%s:%u: %s: %s", d->file, d->line, kind, d->msg);
	else if (d->file[0])
		snprintf(buf, len, "%s: %s: %s", d->file, kind, d->msg);
	else
		snprintf(buf, len, "cimon: %s: %s", kind, d->msg);
	return buf;
}

/* ---- the loader --------------------------------------------------------- */

struct cimon_rules *cimon_rules_new(bool base)
{
	struct cimon_rules *r = calloc(1, sizeof(*r));

	if (r && base)
		cimon_rules_add_buffer(r, CIMON_BASE_RULES_NAME,
				       (const char *)cimon_base_rules,
				       cimon_base_rules_len);
	return r;
}

static void free_list(struct cimon_list_def *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nitems; i++)
		free(l->items[i]);
	free(l->items);
	free(l->item_pos);
	free(l->name);
	free(l);
}

static void free_macro(struct cimon_macro_def *m)
{
	if (!m)
		return;
	cimon_cond_free(m->ast);
	free(m->name);
	free(m->cond);
	free(m);
}

static void free_rule(struct cimon_rule_def *d)
{
	if (!d)
		return;
	free(d->name);
	free(d->desc);
	free(d->cond);
	free(d->output);
	free(d->tags);
	free(d);
}

void cimon_rules_free(struct cimon_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nlists; i++)
		free_list(r->lists[i]);
	for (i = 0; i < r->nmacros; i++)
		free_macro(r->macros[i]);
	for (i = 0; i < r->nrules; i++)
		free_rule(r->rules[i]);
	for (i = 0; i < r->nsrcs; i++) {
		free(r->srcs[i]->name);
		free(r->srcs[i]->text);
		free(r->srcs[i]);
	}
	for (i = 0; i < r->ndiags; i++) {
		free(r->diags[i].file);
		free(r->diags[i].msg);
	}
	free(r->lists);
	free(r->macros);
	free(r->rules);
	free(r->srcs);
	free(r->diags);
	free(r);
}

struct cimon_list_def *cimon_find_list(struct cimon_rules *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nlists; i++)
		if (!strcmp(r->lists[i]->name, name))
			return r->lists[i];
	return NULL;
}

struct cimon_macro_def *cimon_find_macro(struct cimon_rules *r,
					  const char *name)
{
	size_t i;

	for (i = 0; i < r->nmacros; i++)
		if (!strcmp(r->macros[i]->name, name))
			return r->macros[i];
	return NULL;
}

static struct cimon_rule_def *find_rule(struct cimon_rules *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nrules; i++)
		if (!strcmp(r->rules[i]->name, name))
			return r->rules[i];
	return NULL;
}

/* Appends @p to the array *@arr of *@n pointers; false when out of memory. */
static bool push(struct cimon_rules *r, void *arr, size_t *n, void *p)
{
	void ***a = arr, **na;

	na = realloc(*a, (*n + 1) * sizeof(**a));
	if (!na) {
		r->oom = true;
		return false;
	}
	*a = na;
	na[(*n)++] = p;
	return true;
}

/* ---- YAML --------------------------------------------------------------- */

struct yctx {
	struct cimon_rules *r;
	struct cimon_src *src;
	yaml_document_t *doc;
	size_t errors;		/* r->nerrors when the file started */
};

static void node_pos(struct yctx *y, const yaml_node_t *n, struct cimon_spos *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->src = y->src;
	sp->line = (unsigned int)n->start_mark.line;
	sp->col = (unsigned int)n->start_mark.column;
	sp->end_line = (unsigned int)n->end_mark.line;
	sp->end_col = (unsigned int)n->end_mark.column;
	if (n->type == YAML_SCALAR_NODE)
		sp->style = n->data.scalar.style;
}

#define yerr(y, node, ...) do {						\
	struct cimon_spos sp_;						\
	node_pos((y), (node), &sp_);					\
	cimon_diag_at((y)->r, false, &sp_, 0, __VA_ARGS__);		\
} while (0)

/* A scalar's value, copied; NULL (and an error) when it is not a scalar. */
static char *scalar(struct yctx *y, const yaml_node_t *n, const char *what,
		    struct cimon_spos *sp)
{
	struct cimon_spos tmp;
	char *s;

	if (!sp)
		sp = &tmp;
	if (n->type != YAML_SCALAR_NODE) {
		yerr(y, n, "%s must be a single value (a scalar), not a %s", what,
		     n->type == YAML_SEQUENCE_NODE ? "sequence" : "mapping");
		return NULL;
	}
	node_pos(y, n, sp);
	if (memchr(n->data.scalar.value, '\0', n->data.scalar.length)) {
		yerr(y, n, "%s contains a NUL byte", what);
		return NULL;
	}
	s = strndup((const char *)n->data.scalar.value, n->data.scalar.length);
	if (!s) {
		y->r->oom = true;
		return NULL;
	}
	sp->value = s;
	sp->value_len = n->data.scalar.length;
	return s;
}

static bool is_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };
	int i;

	for (i = 0; yes[i]; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static const struct { const char *name; enum cimon_priority prio; } prios[] = {
	{ "emergency", CIMON_PRIORITY_EMERGENCY }, { "alert", CIMON_PRIORITY_ALERT },
	{ "critical", CIMON_PRIORITY_CRITICAL }, { "error", CIMON_PRIORITY_ERROR },
	{ "warning", CIMON_PRIORITY_WARNING }, { "notice", CIMON_PRIORITY_NOTICE },
	{ "informational", CIMON_PRIORITY_INFORMATIONAL },
	{ "info", CIMON_PRIORITY_INFORMATIONAL }, { "debug", CIMON_PRIORITY_DEBUG },
};

static const char *key_hint(const char *key)
{
	if (!strcmp(key, "append") || !strcmp(key, "override"))
		return " (cimon does not merge rules: write the whole rule)";
	if (!strcmp(key, "exceptions"))
		return " (write exceptions into the condition with \"and not\")";
	return "";
}

/*
 * The name of a `- list:` or `- macro:` item (@kind), into @name: once
 * only, a scalar, an identifier.  False, with an error, otherwise.
 */
static bool take_name(struct yctx *y, const yaml_node_t *k,
		      const yaml_node_t *v, const char *kind, char **name,
		      struct cimon_spos *pos)
{
	char what[32];

	if (*name) {
		yerr(y, k, "duplicate key '%s'", kind);
		return false;
	}
	snprintf(what, sizeof(what), "a %s's name", kind);
	*name = scalar(y, v, what, pos);
	if (!*name)
		return false;
	if (!is_identifier(*name)) {
		yerr(y, v, "'%s' is not a valid %s name (letters, digits, '_')",
		     *name, kind);
		return false;
	}
	return true;
}

static void add_list(struct yctx *y, const yaml_node_t *item)
{
	struct cimon_list_def *l = calloc(1, sizeof(*l)), *old;
	const yaml_node_pair_t *pr;
	const yaml_node_t *items = NULL;
	bool ok = true;
	size_t i;

	if (!l) {
		y->r->oom = true;
		return;
	}
	for (pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(y->doc, pr->value);
		const char *key = k->type == YAML_SCALAR_NODE ?
			(const char *)k->data.scalar.value : "";

		if (!strcmp(key, "list")) {
			ok &= take_name(y, k, v, "list", &l->name, &l->pos);
		} else if (!strcmp(key, "items")) {
			if (items) {
				yerr(y, k, "duplicate key 'items'");
				ok = false;
			}
			items = v;
		} else {
			yerr(y, k, "unknown key '%s' in a list%s", key, key_hint(key));
			ok = false;
		}
	}
	if (ok && !items) {
		yerr(y, item, "list '%s' has no 'items'", l->name);
		ok = false;
	}
	if (ok && items->type == YAML_SCALAR_NODE && !items->data.scalar.length) {
		items = NULL;	/* "items:" with nothing: an empty list */
	} else if (ok && items->type != YAML_SEQUENCE_NODE) {
		yerr(y, items, "a list's 'items' must be a sequence ([a, b, ...])");
		ok = false;
	}
	if (ok && items) {
		size_t n = (size_t)(items->data.sequence.items.top -
				    items->data.sequence.items.start);

		l->items = calloc(n ? n : 1, sizeof(*l->items));
		l->item_pos = calloc(n ? n : 1, sizeof(*l->item_pos));
		if (!l->items || !l->item_pos) {
			y->r->oom = true;
			ok = false;
		}
		for (i = 0; ok && i < n; i++) {
			yaml_node_t *v = yaml_document_get_node(y->doc,
				items->data.sequence.items.start[i]);

			l->items[i] = scalar(y, v, "a list item", &l->item_pos[i]);
			if (!l->items[i]) {
				ok = false;
				break;
			}
			l->nitems++;
		}
	}
	if (!ok) {
		free_list(l);
		return;
	}
	old = cimon_find_list(y->r, l->name);
	if (old) {
		for (i = 0; y->r->lists[i] != old; i++)
			;
		y->r->lists[i] = l;
		free_list(old);
	} else if (!push(y->r, &y->r->lists, &y->r->nlists, l)) {
		free_list(l);
	}
}

static void add_macro(struct yctx *y, const yaml_node_t *item)
{
	struct cimon_macro_def *m = calloc(1, sizeof(*m)), *old;
	const yaml_node_pair_t *pr;
	bool ok = true;
	size_t i;

	if (!m) {
		y->r->oom = true;
		return;
	}
	for (pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(y->doc, pr->value);
		const char *key = k->type == YAML_SCALAR_NODE ?
			(const char *)k->data.scalar.value : "";

		if (!strcmp(key, "macro")) {
			ok &= take_name(y, k, v, "macro", &m->name, &m->pos);
		} else if (!strcmp(key, "condition")) {
			if (m->cond) {
				yerr(y, k, "duplicate key 'condition'");
				ok = false;
			} else if (!(m->cond = scalar(y, v, "a condition", &m->cond_pos))) {
				ok = false;
			} else {
				m->cond_len = strlen(m->cond);
			}
		} else {
			yerr(y, k, "unknown key '%s' in a macro%s", key, key_hint(key));
			ok = false;
		}
	}
	if (ok && !m->cond) {
		yerr(y, item, "macro '%s' has no 'condition'", m->name);
		ok = false;
	}
	if (!ok) {
		free_macro(m);
		return;
	}
	old = cimon_find_macro(y->r, m->name);
	if (old) {
		for (i = 0; y->r->macros[i] != old; i++)
			;
		y->r->macros[i] = m;
		free_macro(old);
	} else if (!push(y->r, &y->r->macros, &y->r->nmacros, m)) {
		free_macro(m);
	}
}

/* "tags: [a, b]" as "a,b". */
static char *join_tags(struct yctx *y, const yaml_node_t *v)
{
	size_t n, i, len = 0;
	char *out, *t;

	if (v->type == YAML_SCALAR_NODE && !v->data.scalar.length)
		return strdup("");
	if (v->type != YAML_SEQUENCE_NODE) {
		yerr(y, v, "'tags' must be a sequence ([a, b, ...])");
		return NULL;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	out = calloc(1, 1);
	for (i = 0; out && i < n; i++) {
		yaml_node_t *tv = yaml_document_get_node(y->doc,
			v->data.sequence.items.start[i]);
		char *s = scalar(y, tv, "a tag", NULL);

		if (!s || strchr(s, ',') || !*s) {
			if (s)
				yerr(y, tv, "a tag must be non-empty and have no ','");
			free(s);
			free(out);
			return NULL;
		}
		t = realloc(out, len + strlen(s) + 2);
		if (!t) {
			free(s);
			free(out);
			y->r->oom = true;
			return NULL;
		}
		out = t;
		len += (size_t)sprintf(out + len, "%s%s", i ? "," : "", s);
		free(s);
	}
	if (!out)
		y->r->oom = true;
	return out;
}

enum rule_key {
	RK_RULE, RK_DESC, RK_CONDITION, RK_OUTPUT, RK_PRIORITY, RK_TAGS,
	RK_ENABLED, RK_SOURCE, RK_ACTION, RK_COUNT
};

static const char *const rule_keys[RK_COUNT] = {
	"rule", "desc", "condition", "output", "priority", "tags", "enabled",
	"source", "action",
};

static void add_rule(struct yctx *y, const yaml_node_t *item)
{
	struct cimon_rule_def *d = calloc(1, sizeof(*d)), *old;
	const yaml_node_pair_t *pr;
	const yaml_node_t *name_node = NULL;
	unsigned int seen = 0;
	bool ok = true;
	char *s;
	size_t i;
	int k;

	if (!d) {
		y->r->oom = true;
		return;
	}
	d->priority = CIMON_PRIORITY_WARNING;
	d->action = CIMON_ACTION_ALERT;
	d->enabled = true;
	for (pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(y->doc, pr->value);
		const char *key = kn->type == YAML_SCALAR_NODE ?
			(const char *)kn->data.scalar.value : "";

		for (k = 0; k < RK_COUNT; k++)
			if (!strcmp(key, rule_keys[k]))
				break;
		if (k == RK_COUNT) {
			yerr(y, kn, "unknown key '%s' in a rule%s", key, key_hint(key));
			ok = false;
			continue;
		}
		if (seen & (1U << k)) {
			yerr(y, kn, "duplicate key '%s'", key);
			ok = false;
			continue;
		}
		seen |= 1U << k;
		switch (k) {
		case RK_RULE:
			name_node = v;
			d->name = scalar(y, v, "a rule's name", &d->pos);
			if (!d->name) {
				ok = false;
			} else if (!*d->name) {
				yerr(y, v, "a rule's name must not be empty");
				ok = false;
			} else if (strlen(d->name) >= CIMON_RULE_NAME_MAX) {
				yerr(y, v, "rule name is %zu bytes long; at most %d fit",
				     strlen(d->name), CIMON_RULE_NAME_MAX - 1);
				ok = false;
			}
			break;
		case RK_DESC:
			d->desc = scalar(y, v, "'desc'", NULL);
			ok &= d->desc != NULL;
			break;
		case RK_CONDITION:
			d->cond = scalar(y, v, "a condition", &d->cond_pos);
			if (d->cond)
				d->cond_len = strlen(d->cond);
			ok &= d->cond != NULL;
			break;
		case RK_OUTPUT:
			d->output = scalar(y, v, "'output'", &d->output_pos);
			if (d->output && strlen(d->output) >= CIMON_RULE_OUTPUT_MAX) {
				yerr(y, v, "output is %zu bytes long; at most %d fit",
				     strlen(d->output), CIMON_RULE_OUTPUT_MAX - 1);
				ok = false;
			}
			ok &= d->output != NULL;
			break;
		case RK_PRIORITY:
			s = scalar(y, v, "'priority'", NULL);
			ok &= s != NULL;
			for (i = 0; s && i < sizeof(prios) / sizeof(prios[0]); i++)
				if (!strcasecmp(s, prios[i].name))
					break;
			if (s && i == sizeof(prios) / sizeof(prios[0])) {
				yerr(y, v, "unknown priority '%s' (EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL or DEBUG)",
				     s);
				ok = false;
			} else if (s) {
				d->priority = prios[i].prio;
			}
			free(s);
			break;
		case RK_TAGS:
			node_pos(y, v, &d->tags_pos);
			d->tags = join_tags(y, v);
			if (d->tags && strlen(d->tags) >= CIMON_RULE_TAGS_MAX) {
				yerr(y, v, "tags are %zu bytes long (joined by ','); at most %d fit",
				     strlen(d->tags), CIMON_RULE_TAGS_MAX - 1);
				ok = false;
			}
			ok &= d->tags != NULL;
			break;
		case RK_ENABLED:
			s = scalar(y, v, "'enabled'", NULL);
			if (s && !parse_bool(s, &d->enabled)) {
				yerr(y, v, "'enabled' must be true or false, not '%s'", s);
				ok = false;
			}
			ok &= s != NULL;
			free(s);
			break;
		case RK_SOURCE:
			s = scalar(y, v, "'source'", NULL);
			if (s && strcmp(s, "syscall")) {
				yerr(y, v, "source '%s' is not supported by cimon (only 'syscall')",
				     s);
				ok = false;
			}
			ok &= s != NULL;
			free(s);
			break;
		case RK_ACTION:
			s = scalar(y, v, "'action'", NULL);
			if (s && !strcmp(s, "alert")) {
				d->action = CIMON_ACTION_ALERT;
			} else if (s && !strcmp(s, "block")) {
				d->action = CIMON_ACTION_BLOCK;
			} else if (s) {
				yerr(y, v, "'action' must be 'alert' or 'block', not '%s'", s);
				ok = false;
			}
			ok &= s != NULL;
			free(s);
			break;
		}
	}
	if (!ok || !d->name) {
		free_rule(d);
		return;
	}
	old = find_rule(y->r, d->name);
	/* "- rule: X / enabled: false" alone turns an earlier rule off (Falco) */
	if (!d->cond && seen == ((1U << RK_RULE) | (1U << RK_ENABLED))) {
		if (old) {
			old->enabled = d->enabled;
		} else {
			yerr(y, name_node, "rule '%s' has no condition, and no earlier rule of that name to enable or disable",
			     d->name);
		}
		free_rule(d);
		return;
	}
	if (!d->cond) {
		yerr(y, item, "rule '%s' has no 'condition'", d->name);
		free_rule(d);
		return;
	}
	if (!d->desc)
		d->desc = strdup("");
	if (!d->output)
		d->output = strdup("");
	if (!d->tags)
		d->tags = strdup("");
	if (!d->desc || !d->output || !d->tags) {
		y->r->oom = true;
		free_rule(d);
		return;
	}
	if (old) {
		for (i = 0; y->r->rules[i] != old; i++)
			;
		y->r->rules[i] = d;
		free_rule(old);
	} else if (!push(y->r, &y->r->rules, &y->r->nrules, d)) {
		free_rule(d);
	}
}

static void add_item(struct yctx *y, const yaml_node_t *item)
{
	static const char *const kinds[] = { "rule", "macro", "list",
					     "required_engine_version" };
	const yaml_node_pair_t *pr;
	const yaml_node_t *first = NULL;
	int kind = -1, i;

	if (item->type != YAML_MAPPING_NODE) {
		yerr(y, item, "expected a rule, a macro or a list (a mapping with 'rule:', 'macro:' or 'list:')");
		return;
	}
	for (pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);

		if (!first)
			first = k;
		if (k->type != YAML_SCALAR_NODE)
			continue;
		for (i = 0; i < 4; i++) {
			if (strcmp((const char *)k->data.scalar.value, kinds[i]))
				continue;
			if (kind >= 0) {
				yerr(y, k, "an item has both '%s' and '%s'", kinds[kind],
				     kinds[i]);
				return;
			}
			kind = i;
		}
	}
	switch (kind) {
	case 0:
		add_rule(y, item);
		break;
	case 1:
		add_macro(y, item);
		break;
	case 2:
		add_list(y, item);
		break;
	case 3:
		break;	/* required_engine_version: cimon has its own */
	default:
		if (first && first->type == YAML_SCALAR_NODE)
			yerr(y, first, "'%s' items are not supported by cimon (only rule, macro, list)",
			     (const char *)first->data.scalar.value);
		else
			yerr(y, item, "expected a rule, a macro or a list");
	}
}

int cimon_rules_add_buffer(struct cimon_rules *r, const char *name,
			   const char *buf, size_t len)
{
	struct cimon_src *src = calloc(1, sizeof(*src));
	struct yctx y = { .r = r, .src = src, .errors = r->nerrors };
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t i;

	if (!src || !push(r, &r->srcs, &r->nsrcs, src)) {
		free(src);
		r->oom = true;
		return -1;
	}
	src->name = strdup(name);
	src->text = malloc(len + 1);
	if (!src->name || !src->text) {
		r->oom = true;
		return -1;
	}
	memcpy(src->text, buf, len);
	src->text[len] = '\0';
	src->len = len;

	if (!yaml_parser_initialize(&parser)) {
		r->oom = true;
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, len);
	for (;;) {
		yaml_node_t *root;

		if (!yaml_parser_load(&parser, &doc)) {
			struct cimon_spos sp = {
				.src = src,
				.line = (unsigned int)parser.problem_mark.line,
				.col = (unsigned int)parser.problem_mark.column,
			};

			cimon_diag_at(r, false, &sp, 0, "YAML: %s%s%s",
				      parser.context ? parser.context : "",
				      parser.context ? ": " : "",
				      parser.problem ? parser.problem : "syntax error");
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		y.doc = &doc;
		if (root->type == YAML_SEQUENCE_NODE) {
			for (i = 0; root->data.sequence.items.start + i <
				    root->data.sequence.items.top; i++)
				add_item(&y, yaml_document_get_node(&doc,
					root->data.sequence.items.start[i]));
		} else if (!(root->type == YAML_SCALAR_NODE &&
			     !root->data.scalar.length)) {
			yerr(&y, root, "a rules file is a sequence of items (- rule:, - macro:, - list:)");
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return r->nerrors > y.errors ? -1 : 0;
}

/* The whole of @f; NULL with *@err set on a read error. */
static char *read_all(FILE *f, size_t *len, int *err)
{
	size_t cap = 0, n;
	char *buf = NULL, *nb;

	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				*err = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (!n)
			break;
		*len += n;
	}
	if (ferror(f)) {
		*err = errno ? errno : EIO;
		free(buf);
		return NULL;
	}
	return buf;
}

int cimon_rules_add_file(struct cimon_rules *r, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "rb");
	int ret, err = 0;

	if (f) {
		buf = read_all(f, &len, &err);
		fclose(f);
	} else {
		err = errno;
	}
	if (!buf) {
		struct cimon_src *src = calloc(1, sizeof(*src));
		struct cimon_spos sp = { .src = src };

		if (!src || !push(r, &r->srcs, &r->nsrcs, src)) {
			free(src);
			r->oom = true;
			return -1;
		}
		src->name = strdup(path);
		if (!src->name) {
			r->oom = true;
			return -1;
		}
		cimon_diag_at(r, false, &sp, 0, "%s", strerror(err));
		return -1;
	}
	ret = cimon_rules_add_buffer(r, path, buf, len);
	free(buf);
	return ret;
}
