// SPDX-License-Identifier: GPL-2.0
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
	cimon_sbuf_add_u64(j->sb, v);
}

void cimon_json_s64(struct cimon_json *j, int64_t v)
{
	sep(j);
	if (v < 0) {
		cimon_sbuf_addc(j->sb, '-');
		cimon_sbuf_add_u64(j->sb, -(uint64_t)v);
	} else {
		cimon_sbuf_add_u64(j->sb, (uint64_t)v);
	}
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

/*
 * What a byte becomes inside a JSON string: 0, itself; 'u', \u00XX; '8', the
 * start of a UTF-8 sequence or not; else the letter after a backslash.
 */
static const char json_escapes[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\', [0x7f] = 'u',
	[0x80 ... 0xff] = '8',
};

static const char hex_digits[] = "0123456789abcdef";

/* \u00XX: the byte's value as a code point, as "\\u%04x" writes it. */
static char *put_u00xx(char *out, unsigned char c)
{
	memcpy(out, "\\u00", 4);
	out[4] = hex_digits[c >> 4];
	out[5] = hex_digits[c & 0xf];
	return out + 6;
}

void cimon_json_quote(struct cimon_sbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run;
	char *out, esc;
	size_t n;

	/* At most 6 bytes ("\u00XX") for each byte, and the quotes. */
	out = cimon_sbuf_reserve_each(sb, len, 6, 2);
	if (!out)
		return;
	*out++ = '"';
	while (p < end) {
		/* The bytes that stand for themselves go out as one run. */
		run = p;
		while (end - p >= 4 && !(json_escapes[p[0]] | json_escapes[p[1]] |
					 json_escapes[p[2]] | json_escapes[p[3]]))
			p += 4;
		while (p < end && !json_escapes[*p])
			p++;
		memcpy(out, run, (size_t)(p - run));
		out += p - run;
		if (p == end)
			break;
		esc = json_escapes[*p];
		if (esc == '8') {
			n = cimon_utf8_seq_len(p, (size_t)(end - p));
			if (n) {
				memcpy(out, p, n);
				out += n;
				p += n;
				continue;
			}
			/* Not UTF-8: keep the byte's value, as U+00XX. */
			out = put_u00xx(out, *p++);
		} else if (esc == 'u') {
			out = put_u00xx(out, *p++);
		} else {
			*out++ = '\\';
			*out++ = esc;
			p++;
		}
	}
	*out++ = '"';
	cimon_sbuf_commit(sb, out);
}
