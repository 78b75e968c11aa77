/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growing byte buffer that is always NUL-terminated.  Formatters append
 * to one of these instead of writing to a FILE, so that unit tests can
 * inspect exactly what a user would see and the caller decides when the
 * bytes go out (one write and one flush per batch of events).
 *
 * The appends that run once per byte or per field are inline and check
 * the room left with one comparison; only growing the buffer is a call.
 * A writer that knows the most it can append reserves that once
 * (cimon_sbuf_reserve_each()), writes where it says and ends with
 * cimon_sbuf_commit().
 */
#ifndef CIMON_SBUF_H
#define CIMON_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cimon_sbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;	/* an allocation failed: contents are incomplete */
};

void cimon_sbuf_init(struct cimon_sbuf *sb);
void cimon_sbuf_free(struct cimon_sbuf *sb);
void cimon_sbuf_reset(struct cimon_sbuf *sb);
void cimon_sbuf_addf(struct cimon_sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends @v in decimal, as "%" PRIu64 does. */
void cimon_sbuf_add_u64(struct cimon_sbuf *sb, uint64_t v);
/* The contents as a C string; never NULL, "" when empty. */
const char *cimon_sbuf_str(const struct cimon_sbuf *sb);

/* The slow path of cimon_sbuf_reserve(): makes the buffer bigger. */
bool cimon_sbuf_grow(struct cimon_sbuf *sb, size_t n);

/*
 * Makes room for @n more bytes plus the NUL.  Returns false (and oom is
 * set, or stays set) when there is none; nothing is appended after an
 * allocation failed.
 */
static inline bool cimon_sbuf_reserve(struct cimon_sbuf *sb, size_t n)
{
	/* cap is 0 or more than len (the NUL): the difference is the room. */
	if (n < sb->cap - sb->len && !sb->oom)
		return true;
	return cimon_sbuf_grow(sb, n);
}

/*
 * Room for @extra bytes and @per_byte for each of @len (an escaper's
 * worst case); the place to write them, or NULL (oom set when the size
 * would overflow).  End with cimon_sbuf_commit().
 */
static inline char *cimon_sbuf_reserve_each(struct cimon_sbuf *sb,
					    size_t len, size_t per_byte,
					    size_t extra)
{
	if (len > ((size_t)-1 / 2 - extra) / per_byte) {
		sb->oom = true;
		return NULL;
	}
	if (!cimon_sbuf_reserve(sb, per_byte * len + extra))
		return NULL;
	return sb->buf + sb->len;
}

/* Takes the bytes written where reserve_each said, up to @end; ends them. */
static inline void cimon_sbuf_commit(struct cimon_sbuf *sb, char *end)
{
	sb->len = (size_t)(end - sb->buf);
	*end = '\0';
}

static inline void cimon_sbuf_add(struct cimon_sbuf *sb, const void *p,
				  size_t n)
{
	if (!cimon_sbuf_reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void cimon_sbuf_addc(struct cimon_sbuf *sb, char c)
{
	if (!cimon_sbuf_reserve(sb, 1))
		return;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

static inline void cimon_sbuf_adds(struct cimon_sbuf *sb, const char *s)
{
	cimon_sbuf_add(sb, s, strlen(s));
}

#endif /* CIMON_SBUF_H */
