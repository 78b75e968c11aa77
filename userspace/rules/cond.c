// SPDX-License-Identifier: GPL-2.0
/*
 * Falco conditions: text to a syntax tree.  Names are not resolved here
 * (macros, lists and fields are looked up when a rule is compiled, after
 * every file is read), so this only knows the grammar:
 *
 *	expr    := and ("or" and)*
 *	and     := unary ("and" unary)*
 *	unary   := "not" unary | "(" expr ")" | check
 *	check   := NAME                                  a macro
 *		 | FIELD ("exists" | OP VALUE | OP VAL
 *			  | "in" "(" [VALUE ("," VALUE)*] ")")
 *	FIELD   := NAME ("[" ARG "]"){0,2}               proc.aenv[1][HOME]
 *	OP      := = == != < <= > >= startswith endswith contains glob
 *	VALUE   := "..." | '...' | a bare word (no blanks, parentheses, commas)
 *	VAL     := "val(" FIELD ")"                      Falco's other field
 *
 * Which operators may take a VAL is the compiler's to say: it knows the
 * fields' types.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

#define MAX_DEPTH	200	/* nesting of parentheses and "not" */

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
	bool failed;
	size_t err_off;
	char *err;
	size_t errlen;
};

static void perr(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	p->err_off = off;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
}

static void *xcalloc(struct parser *p, size_t n, size_t size)
{
	void *q = calloc(n ? n : 1, size);

	if (!q)
		perr(p, p->pos, "out of memory");
	return q;
}

static char *xstrndup(struct parser *p, const char *s, size_t n)
{
	char *q = malloc(n + 1);

	if (!q) {
		perr(p, p->pos, "out of memory");
		return NULL;
	}
	memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

void cimon_cond_free(struct cond_node *n)
{
	size_t i;

	if (!n)
		return;
	cimon_cond_free(n->a);
	cimon_cond_free(n->b);
	free(n->name);
	free(n->args[0]);
	free(n->args[1]);
	free(n->op_text);
	for (i = 0; i < n->nvals; i++)
		free(n->vals[i].s);
	free(n->vals);
	cimon_cond_free(n->ref);
	free(n);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && is_blank(p->s[p->pos]))
		p->pos++;
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* Length of the name at @pos (0 if none). */
static size_t name_len(const struct parser *p, size_t pos)
{
	size_t n = 0;

	if (pos >= p->len || !name_start(p->s[pos]))
		return 0;
	while (pos + n < p->len && name_char(p->s[pos + n]))
		n++;
	return n;
}

/* Whether the word at the cursor is @kw (a whole word). */
static bool at_word(const struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	return name_len(p, p->pos) == n && !memcmp(p->s + p->pos, kw, n);
}

/* What is at @off, for messages: the word or character found there. */
static const char *found(const struct parser *p, size_t off, char *buf,
			 size_t len)
{
	size_t n = name_len(p, off);

	if (off >= p->len)
		return "the end of the condition";
	if (!n)
		n = 1;
	snprintf(buf, len, "'%.*s'", (int)(n > 40 ? 40 : n), p->s + off);
	return buf;
}

static struct cond_node *parse_or(struct parser *p);

/* Whether "@word(" is at the cursor: a call of Falco's transformers. */
static bool at_call(const struct parser *p, const char *word)
{
	size_t n = strlen(word);

	return at_word(p, word) && p->pos + n < p->len &&
	       p->s[p->pos + n] == '(';
}

/* Falco's transformers but val(), which only goes on the right. */
static const char *const transformers[] = {
	"tolower", "toupper", "b64", "basename", "len", NULL
};

/* An error for a transformer at the cursor that cimon cannot apply. */
static bool bad_transformer(struct parser *p, bool right)
{
	size_t i;

	if (!right && at_call(p, "val")) {
		perr(p, p->pos, "val() goes on the right of a comparison, as in 'proc.name = val(proc.pname)'");
		return true;
	}
	for (i = 0; transformers[i]; i++) {
		if (at_call(p, transformers[i])) {
			perr(p, p->pos, "transformer '%s()' is not supported by cimon",
			     transformers[i]);
			return true;
		}
	}
	return false;
}

/* A quoted string at the cursor ('"' or '\''): its value, unescaped. */
static char *parse_quoted(struct parser *p)
{
	char q = p->s[p->pos], *out;
	size_t start = p->pos, n = 0, i;

	out = xcalloc(p, p->len - start + 1, 1);
	if (!out)
		return NULL;
	for (i = start + 1; i < p->len; i++) {
		char c = p->s[i];

		if (c == q) {
			p->pos = i + 1;
			out[n] = '\0';
			return out;
		}
		if (c == '\\' && i + 1 < p->len &&
		    (p->s[i + 1] == q || p->s[i + 1] == '\\')) {
			c = p->s[++i];
		}
		out[n++] = c;
	}
	free(out);
	perr(p, start, "unterminated string");
	return NULL;
}

/* A value: quoted, or a bare word up to a blank, parenthesis or comma. */
static bool parse_value(struct parser *p, struct cond_val *v, const char *after)
{
	char buf[64];
	size_t start;

	skip_ws(p);
	start = p->pos;
	v->off = start;
	if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
		v->s = parse_quoted(p);
		return v->s != NULL;
	}
	while (p->pos < p->len && !is_blank(p->s[p->pos]) &&
	       !strchr("(),", p->s[p->pos]))
		p->pos++;
	if (p->pos == start || at_word(&(struct parser){ .s = p->s, .len = p->len,
			.pos = start }, "and") ||
	    at_word(&(struct parser){ .s = p->s, .len = p->len, .pos = start }, "or")) {
		perr(p, start, "expected a value after %s, found %s", after,
		     found(p, start, buf, sizeof(buf)));
		return false;
	}
	v->bare = true;
	v->s = xstrndup(p, p->s + start, p->pos - start);
	return v->s != NULL;
}

/* "(" [VALUE ("," VALUE)*] ")" after "in". */
static bool parse_in_list(struct parser *p, struct cond_node *n)
{
	size_t cap = 0;
	char buf[64];

	skip_ws(p);
	if (at_call(p, "val")) {
		perr(p, p->pos, "'in' takes a list of values, not val(): compare with '=' instead");
		return false;
	}
	if (p->pos >= p->len || p->s[p->pos] != '(') {
		perr(p, p->pos, "expected '(' after 'in', found %s",
		     found(p, p->pos, buf, sizeof(buf)));
		return false;
	}
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ')') {
		p->pos++;
		return true;
	}
	for (;;) {
		if (n->nvals == cap) {
			struct cond_val *v;

			cap = cap ? cap * 2 : 8;
			v = realloc(n->vals, cap * sizeof(*v));
			if (!v) {
				perr(p, p->pos, "out of memory");
				return false;
			}
			n->vals = v;
		}
		memset(&n->vals[n->nvals], 0, sizeof(n->vals[0]));
		if (!parse_value(p, &n->vals[n->nvals], "'(' or ','")) {
			free(n->vals[n->nvals].s);
			return false;
		}
		n->nvals++;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ')') {
			p->pos++;
			return true;
		}
		perr(p, p->pos, "expected ',' or ')' in the list, found %s",
		     found(p, p->pos, buf, sizeof(buf)));
		return false;
	}
}

/* "[" ARG "]" right after a field name; ARG may be quoted. */
static bool parse_arg(struct parser *p, struct cond_node *n)
{
	size_t start = ++p->pos, i = n->nargs;

	if (n->nargs == 2) {
		perr(p, start - 1, "a field takes at most two [arguments]");
		return false;
	}
	n->arg_off[i] = start;
	if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
		n->args[i] = parse_quoted(p);
		if (!n->args[i])
			return false;
	} else {
		while (p->pos < p->len && p->s[p->pos] != ']' &&
		       !is_blank(p->s[p->pos]))
			p->pos++;
		n->args[i] = xstrndup(p, p->s + start, p->pos - start);
		if (!n->args[i])
			return false;
	}
	n->nargs++;
	if (p->pos >= p->len || p->s[p->pos] != ']') {
		perr(p, start - 1, "unterminated '[' after '%s'", n->name);
		return false;
	}
	p->pos++;
	return true;
}

static const char *const unsupported_ops[] = {
	"icontains", "bcontains", "bstartswith", "bendswith", "pmatch",
	"regex", "intersects", "iglob", "iendswith", "istartswith", NULL
};

static const struct { const char *word; int cmp; } word_ops[] = {
	{ "startswith", CIMON_CMP_STARTSWITH }, { "endswith", CIMON_CMP_ENDSWITH },
	{ "contains", CIMON_CMP_CONTAINS }, { "glob", CIMON_CMP_GLOB },
	{ "exists", CIMON_CMP_EXISTS }, { "in", OP_IN },
};

/* A symbolic operator at the cursor, longest first; 0 if none. */
static int sym_op(struct parser *p, size_t *n)
{
	const char *s = p->s + p->pos;
	size_t left = p->len - p->pos;

	*n = 2;
	if (left >= 2 && s[0] == '=' && s[1] == '=')
		return CIMON_CMP_EQ;
	if (left >= 2 && s[0] == '!' && s[1] == '=')
		return CIMON_CMP_NE;
	if (left >= 2 && s[0] == '<' && s[1] == '=')
		return CIMON_CMP_LE;
	if (left >= 2 && s[0] == '>' && s[1] == '=')
		return CIMON_CMP_GE;
	*n = 1;
	if (left >= 1 && s[0] == '=')
		return CIMON_CMP_EQ;
	if (left >= 1 && s[0] == '<')
		return CIMON_CMP_LT;
	if (left >= 1 && s[0] == '>')
		return CIMON_CMP_GT;
	return 0;
}

/* "val(" FIELD ")" at the cursor, into @n->ref. */
static bool parse_val(struct parser *p, struct cond_node *n)
{
	struct cond_node *r;
	size_t len;
	char buf[64];

	p->pos += strlen("val(");
	skip_ws(p);
	len = name_len(p, p->pos);
	if (!len) {
		perr(p, p->pos, "expected a field in val(), found %s",
		     found(p, p->pos, buf, sizeof(buf)));
		return false;
	}
	r = xcalloc(p, 1, sizeof(*r));
	if (!r)
		return false;
	n->ref = r;
	r->kind = N_TEST;
	r->off = p->pos;
	r->name = xstrndup(p, p->s + p->pos, len);
	p->pos += len;
	while (r->name && p->pos < p->len && p->s[p->pos] == '[')
		if (!parse_arg(p, r))
			return false;
	if (p->failed)
		return false;
	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ')') {
		perr(p, p->pos, "expected ')' closing val(%s, found %s", r->name,
		     found(p, p->pos, buf, sizeof(buf)));
		return false;
	}
	p->pos++;
	return true;
}

/* What follows a binary operator: val(FIELD) or a value. */
static bool parse_right(struct parser *p, struct cond_node *n)
{
	char buf[64];

	skip_ws(p);
	if (at_call(p, "val"))
		return parse_val(p, n);
	if (bad_transformer(p, true))
		return false;
	n->vals = xcalloc(p, 1, sizeof(*n->vals));
	if (!n->vals)
		return false;
	snprintf(buf, sizeof(buf), "'%s'", n->op_text);
	if (!parse_value(p, &n->vals[0], buf))
		return false;
	n->nvals = 1;
	return true;
}

static struct cond_node *parse_check(struct parser *p)
{
	struct cond_node *n;
	size_t len = name_len(p, p->pos), oplen, i;
	char buf[64];
	int op;

	if (!len) {
		perr(p, p->pos, "expected a condition, found %s",
		     found(p, p->pos, buf, sizeof(buf)));
		return NULL;
	}
	if (bad_transformer(p, false))
		return NULL;
	if (at_word(p, "and") || at_word(p, "or")) {
		perr(p, p->pos, "expected a condition before '%.*s'", (int)len,
		     p->s + p->pos);
		return NULL;
	}
	n = xcalloc(p, 1, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = N_TEST;
	n->off = p->pos;
	n->name = xstrndup(p, p->s + p->pos, len);
	p->pos += len;
	while (n->name && p->pos < p->len && p->s[p->pos] == '[')
		if (!parse_arg(p, n))
			goto fail;
	if (p->failed)
		goto fail;
	skip_ws(p);

	op = sym_op(p, &oplen);
	if (op) {
		n->op = op;
		n->op_off = p->pos;
		n->op_text = xstrndup(p, p->s + p->pos, oplen);
		p->pos += oplen;
		if (!n->op_text || !parse_right(p, n))
			goto fail;
		return n;
	}
	if (p->pos < p->len && p->s[p->pos] == '!') {
		perr(p, p->pos, "unknown operator '!' (did you mean 'not' or '!=')");
		goto fail;
	}
	len = name_len(p, p->pos);
	for (i = 0; len && i < sizeof(word_ops) / sizeof(word_ops[0]); i++) {
		if (!at_word(p, word_ops[i].word))
			continue;
		n->op = word_ops[i].cmp;
		n->op_off = p->pos;
		n->op_text = xstrndup(p, p->s + p->pos, len);
		p->pos += len;
		if (!n->op_text)
			goto fail;
		if (n->op == CIMON_CMP_EXISTS)
			return n;
		if (n->op == OP_IN) {
			if (!parse_in_list(p, n))
				goto fail;
			return n;
		}
		if (!parse_right(p, n))
			goto fail;
		return n;
	}
	for (i = 0; len && unsupported_ops[i]; i++) {
		if (at_word(p, unsupported_ops[i])) {
			perr(p, p->pos, "operator '%s' is not supported by cimon",
			     unsupported_ops[i]);
			goto fail;
		}
	}
	/* No operator: a macro, if that is what it looks like. */
	if (p->pos >= p->len || p->s[p->pos] == ')' || at_word(p, "and") ||
	    at_word(p, "or")) {
		if (n->nargs) {
			perr(p, n->off, "expected an operator after '%s[...]'",
			     n->name);
			goto fail;
		}
		n->kind = N_MACRO;
		return n;
	}
	perr(p, p->pos, "expected an operator after '%s', found %s", n->name,
	     found(p, p->pos, buf, sizeof(buf)));
fail:
	cimon_cond_free(n);
	return NULL;
}

static struct cond_node *mk(struct parser *p, enum node_kind k, size_t off,
			    struct cond_node *a, struct cond_node *b)
{
	struct cond_node *n = xcalloc(p, 1, sizeof(*n));

	if (!n) {
		cimon_cond_free(a);
		cimon_cond_free(b);
		return NULL;
	}
	n->kind = k;
	n->off = off;
	n->a = a;
	n->b = b;
	return n;
}

static struct cond_node *parse_unary(struct parser *p)
{
	struct cond_node *n;
	size_t off;
	char buf[64];

	skip_ws(p);
	off = p->pos;
	if (++p->depth > MAX_DEPTH) {
		perr(p, off, "condition nested too deeply (more than %d levels)",
		     MAX_DEPTH);
		return NULL;
	}
	if (at_word(p, "not")) {
		p->pos += 3;
		n = parse_unary(p);
		n = n ? mk(p, N_NOT, off, n, NULL) : NULL;
	} else if (p->pos < p->len && p->s[p->pos] == '(') {
		p->pos++;
		n = parse_or(p);
		skip_ws(p);
		if (n && (p->pos >= p->len || p->s[p->pos] != ')')) {
			perr(p, p->pos, "expected ')', found %s",
			     found(p, p->pos, buf, sizeof(buf)));
			cimon_cond_free(n);
			n = NULL;
		} else if (n) {
			p->pos++;
		}
	} else {
		n = parse_check(p);
	}
	p->depth--;
	return n;
}

static struct cond_node *parse_and(struct parser *p)
{
	struct cond_node *n = parse_unary(p), *r;
	size_t off;

	while (n) {
		skip_ws(p);
		if (!at_word(p, "and"))
			break;
		off = p->pos;
		p->pos += 3;
		r = parse_unary(p);
		if (!r) {
			cimon_cond_free(n);
			return NULL;
		}
		n = mk(p, N_AND, off, n, r);
	}
	return n;
}

static struct cond_node *parse_or(struct parser *p)
{
	struct cond_node *n = parse_and(p), *r;
	size_t off;

	while (n) {
		skip_ws(p);
		if (!at_word(p, "or"))
			break;
		off = p->pos;
		p->pos += 2;
		r = parse_and(p);
		if (!r) {
			cimon_cond_free(n);
			return NULL;
		}
		n = mk(p, N_OR, off, n, r);
	}
	return n;
}

struct cond_node *cimon_cond_parse(const char *s, size_t len, size_t *err_off,
				   char *err, size_t errlen, bool *empty)
{
	struct parser p = { .s = s, .len = len, .err = err, .errlen = errlen };
	struct cond_node *n;
	char buf[64];

	*empty = false;
	skip_ws(&p);
	if (p.pos == len) {
		*empty = true;
		return NULL;
	}
	n = parse_or(&p);
	skip_ws(&p);
	if (n && p.pos < len) {
		if (s[p.pos] == ')')
			perr(&p, p.pos, "unbalanced ')'");
		else
			perr(&p, p.pos, "expected 'and', 'or' or the end, found %s",
			     found(&p, p.pos, buf, sizeof(buf)));
		cimon_cond_free(n);
		n = NULL;
	}
	if (!n) {
		if (!p.failed)
			perr(&p, p.pos, "syntax error");
		*err_off = p.err_off;
	}
	return n;
}
