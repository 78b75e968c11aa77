/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CIMON_UTF8_H
#define CIMON_UTF8_H

#include <stddef.h>

/*
 * Length of the well-formed UTF-8 sequence of two or more bytes at the
 * start of @s (at most @n bytes), or 0 when those bytes are not one:
 * overlong forms, surrogates, code points above U+10FFFF, stray
 * continuation bytes and cut sequences are all rejected (RFC 3629).
 * ASCII bytes also return 0: callers handle them first.
 */
size_t cimon_utf8_seq_len(const unsigned char *s, size_t n);

#endif /* CIMON_UTF8_H */
