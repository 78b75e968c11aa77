/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON checker for the tests (RFC 8259, and strings must be
 * valid UTF-8 as the consumers decode them), independent of the writer it
 * checks: it shares no code with userspace/json.c.  It can also hand back
 * the raw text of one member, found by a path of keys, and decode a
 * string token.
 */
#ifndef CIMON_JSON_CHECK_H
#define CIMON_JSON_CHECK_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct jc {
	const char *p, *end;
	const char *const *path;	/* keys to the member wanted */
	int path_len;
	const char *found;		/* its value's raw text */
	size_t found_len;
};

static bool jc_value(struct jc *c, int depth, bool on_path);

static void jc_ws(struct jc *c)
{
	while (c->p < c->end && strchr(" \t\r\n", *c->p) && *c->p)
		c->p++;
}

static bool jc_lit(struct jc *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return false;
	c->p += n;
	return true;
}

static int jc_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Length of the valid UTF-8 sequence at p (checked without the writer). */
static size_t jc_utf8(const unsigned char *p, size_t n)
{
	unsigned int cp, min, len, i;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool jc_string(struct jc *c)
{
	size_t n;
	int i;

	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p;

		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			if (++c->p >= c->end)
				return false;
			if (*c->p == 'u') {
				for (i = 1; i <= 4; i++)
					if (c->p + i >= c->end ||
					    jc_hex(c->p[i]) < 0)
						return false;
				c->p += 5;
			} else if (strchr("\"\\/bfnrt", *c->p) && *c->p) {
				c->p++;
			} else {
				return false;
			}
			continue;
		}
		n = jc_utf8((const unsigned char *)c->p,
			    (size_t)(c->end - c->p));
		if (!n)
			return false;
		c->p += n;
	}
	if (c->p >= c->end)
		return false;
	c->p++;
	return true;
}

static bool jc_number(struct jc *c)
{
	const char *s = c->p;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return false;
	if (*c->p == '0')
		c->p++;
	else
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	if (c->p < c->end && *c->p == '.') {
		if (++c->p >= c->end || *c->p < '0' || *c->p > '9')
			return false;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return false;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	return c->p > s;
}

static bool jc_members(struct jc *c, int depth, bool on_path, bool object)
{
	const char *key;
	bool hit;

	c->p++;
	jc_ws(c);
	if (c->p < c->end && *c->p == (object ? '}' : ']')) {
		c->p++;
		return true;
	}
	for (;;) {
		hit = false;
		jc_ws(c);
		if (object) {
			key = c->p;
			if (!jc_string(c))
				return false;
			hit = on_path && depth < c->path_len &&
			      (size_t)(c->p - key - 2) ==
				strlen(c->path[depth]) &&
			      !memcmp(key + 1, c->path[depth],
				      strlen(c->path[depth]));
			jc_ws(c);
			if (!jc_lit(c, ":"))
				return false;
		}
		if (!jc_value(c, depth + 1, hit))
			return false;
		jc_ws(c);
		if (jc_lit(c, ","))
			continue;
		return jc_lit(c, object ? "}" : "]");
	}
}

static bool jc_value(struct jc *c, int depth, bool on_path)
{
	const char *start;
	bool ok;

	if (depth > 32)
		return false;
	jc_ws(c);
	start = c->p;
	if (c->p >= c->end)
		return false;
	if (*c->p == '{')
		ok = jc_members(c, depth, on_path, true);
	else if (*c->p == '[')
		ok = jc_members(c, depth, false, false);
	else if (*c->p == '"')
		ok = jc_string(c);
	else if (jc_lit(c, "true") || jc_lit(c, "false") || jc_lit(c, "null"))
		ok = true;
	else
		ok = jc_number(c);
	if (ok && on_path && depth == c->path_len) {
		c->found = start;
		c->found_len = (size_t)(c->p - start);
	}
	return ok;
}

/* True when [s, s+len) is exactly one JSON value (whitespace around). */
static inline bool jc_valid(const char *s, size_t len)
{
	struct jc c = { .p = s, .end = s + len };

	if (!jc_value(&c, 0, false))
		return false;
	jc_ws(&c);
	return c.p == c.end;
}

/*
 * The raw text of the member at @path (e.g. "output_fields", "proc.pid")
 * in the one-object document @s, malloc'ed; NULL when invalid or absent.
 */
static inline char *jc_get(const char *s, const char *const *path,
			   int path_len)
{
	struct jc c = { .p = s, .end = s + strlen(s), .path = path,
			.path_len = path_len };
	char *r;

	if (!jc_value(&c, 0, true) || !c.found)
		return NULL;
	r = malloc(c.found_len + 1);
	memcpy(r, c.found, c.found_len);
	r[c.found_len] = '\0';
	return r;
}

/* Appends code point @cp as UTF-8 (\u escapes below U+10000 only). */
static inline char *jc_put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* A malloc'ed decoded copy of a string token; NULL when not a string. */
static inline char *jc_decode(const char *tok)
{
	const char *p, *end;
	unsigned int cp;
	char *r, *o;
	size_t n;
	int i;

	if (!tok)
		return NULL;
	n = strlen(tok);
	if (n < 2 || tok[0] != '"' || tok[n - 1] != '"')
		return NULL;
	p = tok + 1;
	end = tok + n - 1;
	r = o = malloc(n * 3);
	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			*o++ = "\b\f\n\r\t"[strchr("bfnrt", *p) - "bfnrt"];
			p++;
			break;
		case 'u':
			for (cp = 0, i = 1; i <= 4; i++)
				cp = cp << 4 | (unsigned int)jc_hex(p[i]);
			o = jc_put_utf8(o, cp);
			p += 5;
			break;
		default:
			*o++ = *p++;
		}
	}
	*o = '\0';
	return r;
}

#endif /* CIMON_JSON_CHECK_H */
