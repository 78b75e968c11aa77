/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growing byte buffer that is always NUL-terminated.  Formatters append
 * to one of these instead of writing to a FILE, so that unit tests can
 * inspect exactly what a user would see and the caller decides when the
 * bytes go out (one write and one flush per batch of events).
 */
#ifndef CIMON_SBUF_H
#define CIMON_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct cimon_sbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;	/* an allocation failed: contents are incomplete */
};

void cimon_sbuf_init(struct cimon_sbuf *sb);
void cimon_sbuf_free(struct cimon_sbuf *sb);
void cimon_sbuf_reset(struct cimon_sbuf *sb);
void cimon_sbuf_add(struct cimon_sbuf *sb, const void *p, size_t n);
void cimon_sbuf_addc(struct cimon_sbuf *sb, char c);
void cimon_sbuf_adds(struct cimon_sbuf *sb, const char *s);
void cimon_sbuf_addf(struct cimon_sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The contents as a C string; never NULL, "" when empty. */
const char *cimon_sbuf_str(const struct cimon_sbuf *sb);

#endif /* CIMON_SBUF_H */
