// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

void cimon_json_init(struct cimon_json *j, struct cimon_sbuf *sb)
{
	memset(j, 0, sizeof(*j));
	j->sb = sb;
}

/* Writes the comma a new member or element needs, unless it follows a key. */
static void sep(struct cimon_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		cimon_sbuf_addc(j->sb, ',');
	j->need_comma[j->depth] = true;
}

static void open_nest(struct cimon_json *j, char c)
{
	sep(j);
	cimon_sbuf_addc(j->sb, c);
	/* Deeper nesting is a programming error; stay in bounds regardless. */
	if (j->depth + 1 < CIMON_JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_nest(struct cimon_json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	cimon_sbuf_addc(j->sb, c);
}

void cimon_json_obj_open(struct cimon_json *j)
{
	open_nest(j, '{');
}

void cimon_json_obj_close(struct cimon_json *j)
{
	close_nest(j, '}');
}

void cimon_json_arr_open(struct cimon_json *j)
{
	open_nest(j, '[');
}

void cimon_json_arr_close(struct cimon_json *j)
{
	close_nest(j, ']');
}

void cimon_json_key(struct cimon_json *j, const char *key)
{
	sep(j);
	cimon_json_quote(j->sb, key, strlen(key));
	cimon_sbuf_addc(j->sb, ':');
	j->after_key = true;
}

void cimon_json_str(struct cimon_json *j, const char *s, size_t len)
{
	sep(j);
	cimon_json_quote(j->sb, s, len);
}

void cimon_json_cstr(struct cimon_json *j, const char *s)
{
	cimon_json_str(j, s, strlen(s));
}

void cimon_json_u64(struct cimon_json *j, uint64_t v)
{
	sep(j);
	cimon_sbuf_addf(j->sb, "%" PRIu64, v);
}

void cimon_json_s64(struct cimon_json *j, int64_t v)
{
	sep(j);
	cimon_sbuf_addf(j->sb, "%" PRId64, v);
}

void cimon_json_null(struct cimon_json *j)
{
	sep(j);
	cimon_sbuf_adds(j->sb, "null");
}

void cimon_json_bool(struct cimon_json *j, bool v)
{
	sep(j);
	cimon_sbuf_adds(j->sb, v ? "true" : "false");
}

/* The escape for an ASCII byte, or NULL when it stands for itself. */
static const char *ascii_escape(unsigned char c, char tmp[7])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(tmp, 7, "\\u%04x", c);
		return tmp;
	}
	return NULL;
}

void cimon_json_quote(struct cimon_sbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	const char *esc;
	char tmp[7];

	cimon_sbuf_addc(sb, '"');
	while (i < len) {
		if (p[i] < 0x80) {
			esc = ascii_escape(p[i], tmp);
			if (esc)
				cimon_sbuf_adds(sb, esc);
			else
				cimon_sbuf_addc(sb, (char)p[i]);
			i++;
			continue;
		}
		n = cimon_utf8_seq_len(p + i, len - i);
		if (n) {
			cimon_sbuf_add(sb, p + i, n);
			i += n;
		} else {
			/* Not UTF-8: keep the byte's value, as U+00XX. */
			cimon_sbuf_addf(sb, "\\u%04x", p[i]);
			i++;
		}
	}
	cimon_sbuf_addc(sb, '"');
}
