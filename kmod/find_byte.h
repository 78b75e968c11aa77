/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - finding a byte a word at a time.
 *
 * Every exec's environment (kilobytes) is split at its NULs and searched
 * for the rules' strings; the kernel's memchr() looks at one byte per
 * step.  This looks at a word per step, with the word-at-a-time helpers
 * the kernel's own string and path-hashing code use.
 */
#ifndef CIMON_FIND_BYTE_H
#define CIMON_FIND_BYTE_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <asm/word-at-a-time.h>

/**
 * cimon_find_byte() - the first @c in @p[0..@n), as memchr()
 * @p: the bytes
 * @c: the byte to find
 * @n: how many bytes to look at; none past them is read
 *
 * Return: a pointer to it, or NULL.
 */
static inline const char *cimon_find_byte(const char *p, unsigned char c,
					  size_t n)
{
	const struct word_at_a_time constants = WORD_AT_A_TIME_CONSTANTS;
	const unsigned long pattern = REPEAT_BYTE(c);
	unsigned long word, bits;

	for (; n >= sizeof(word); p += sizeof(word), n -= sizeof(word)) {
		/* a byte equal to @c is a zero byte of @word */
		word = get_unaligned((const unsigned long *)p) ^ pattern;
		if (has_zero(word, &bits, &constants)) {
			bits = prep_zero_mask(word, bits, &constants);
			return p + find_zero(create_zero_mask(bits));
		}
	}
	return memchr(p, c, n);
}

#endif /* CIMON_FIND_BYTE_H */
