// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

void cimon_sbuf_init(struct cimon_sbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void cimon_sbuf_free(struct cimon_sbuf *sb)
{
	free(sb->buf);
	cimon_sbuf_init(sb);
}

void cimon_sbuf_reset(struct cimon_sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Makes room for @n more bytes plus the NUL; false (and oom set) if not. */
static bool reserve(struct cimon_sbuf *sb, size_t n)
{
	size_t want, cap;
	char *p;

	if (sb->oom)
		return false;
	if (n > (size_t)-1 / 2 - sb->len) {
		sb->oom = true;
		return false;
	}
	want = sb->len + n + 1;
	if (want <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(sb->buf, cap);
	if (!p) {
		sb->oom = true;
		return false;
	}
	sb->buf = p;
	sb->cap = cap;
	return true;
}

void cimon_sbuf_add(struct cimon_sbuf *sb, const void *p, size_t n)
{
	if (!reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void cimon_sbuf_addc(struct cimon_sbuf *sb, char c)
{
	cimon_sbuf_add(sb, &c, 1);
}

void cimon_sbuf_adds(struct cimon_sbuf *sb, const char *s)
{
	cimon_sbuf_add(sb, s, strlen(s));
}

void cimon_sbuf_addf(struct cimon_sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *cimon_sbuf_str(const struct cimon_sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
