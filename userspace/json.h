/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer in the style of iproute2's json_print: the caller
 * opens and closes objects and arrays and names keys; the writer places
 * the commas.  Output is compact (no spaces), one document per call site.
 */
#ifndef CIMON_JSON_H
#define CIMON_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "sbuf.h"

#define CIMON_JSON_MAX_DEPTH	8

struct cimon_json {
	struct cimon_sbuf *sb;
	unsigned int depth;
	bool after_key;
	bool need_comma[CIMON_JSON_MAX_DEPTH];
};

void cimon_json_init(struct cimon_json *j, struct cimon_sbuf *sb);
void cimon_json_obj_open(struct cimon_json *j);
void cimon_json_obj_close(struct cimon_json *j);
void cimon_json_arr_open(struct cimon_json *j);
void cimon_json_arr_close(struct cimon_json *j);
void cimon_json_key(struct cimon_json *j, const char *key);
/* A string value of @len bytes; any bytes at all, see cimon_json_quote. */
void cimon_json_str(struct cimon_json *j, const char *s, size_t len);
void cimon_json_cstr(struct cimon_json *j, const char *s);
void cimon_json_u64(struct cimon_json *j, uint64_t v);
void cimon_json_s64(struct cimon_json *j, int64_t v);
void cimon_json_null(struct cimon_json *j);
void cimon_json_bool(struct cimon_json *j, bool v);

/*
 * Appends @len bytes of @s as a quoted JSON string.  Valid UTF-8 passes
 * through; '"', '\\', control characters and DEL are escaped; every byte
 * that is not part of valid UTF-8 becomes \u00XX, so the result always
 * parses whatever a process name or path holds.  @s must not point into
 * @sb.
 */
void cimon_json_quote(struct cimon_sbuf *sb, const char *s, size_t len);

#endif /* CIMON_JSON_H */
