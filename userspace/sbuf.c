// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

bool cimon_sbuf_grow(struct cimon_sbuf *sb, size_t n)
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

void cimon_sbuf_addf(struct cimon_sbuf *sb, const char *fmt, ...)
{
	size_t room = sb->cap - sb->len;
	va_list ap;
	int n;

	if (sb->oom)
		return;
	/* Most fit in the room there is: one vsnprintf, straight there. */
	va_start(ap, fmt);
	n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		sb->len += (size_t)n;
		return;
	}
	/* What did not fit (or failed) is not appended, and ends nothing. */
	if (room)
		sb->buf[sb->len] = '\0';
	if (n < 0 || !cimon_sbuf_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void cimon_sbuf_add_u64(struct cimon_sbuf *sb, uint64_t v)
{
	char digits[20], *p = digits + sizeof(digits);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	cimon_sbuf_add(sb, p, (size_t)(digits + sizeof(digits) - p));
}

const char *cimon_sbuf_str(const struct cimon_sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
