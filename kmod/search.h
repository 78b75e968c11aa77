/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - finding bytes and strings in environments and command lines.
 *
 * Every exec's environment (kilobytes) is searched for the variables and
 * the strings the rules name; the kernel's memchr() and strstr() look at
 * one byte per step.  A byte is found a word at a time, with the
 * word-at-a-time helpers the kernel's own string and path-hashing code
 * use; a string by Boyer-Moore-Horspool, which most often moves the
 * string's whole length per step.
 */
#ifndef CIMON_SEARCH_H
#define CIMON_SEARCH_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
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

/* Needles shorter than this are found by their first byte. */
#define CIMON_HORSPOOL_MIN	4

/**
 * struct cimon_horspool - a needle ready to be searched for
 * @needle: its bytes.
 * @len: how many, at least CIMON_HORSPOOL_MIN and less than 256.
 * @nul_is_space: in the haystack, a NUL matches a space of the needle
 *	(strings kept apart by NULs, searched as if joined by spaces).
 * @shift: how far the needle may move when this byte is under its end.
 */
struct cimon_horspool {
	const char *needle;
	u8 len;
	bool nul_is_space;
	u8 shift[256];
};

/**
 * cimon_horspool_init() - ready @h to search for @needle
 * @h: filled
 * @needle: the bytes
 * @len: how many: at least CIMON_HORSPOOL_MIN and less than 256
 * @nul_is_space: see struct cimon_horspool
 */
static inline void cimon_horspool_init(struct cimon_horspool *h,
				       const char *needle, size_t len,
				       bool nul_is_space)
{
	size_t i;

	h->needle = needle;
	h->len = len;
	h->nul_is_space = nul_is_space;
	memset(h->shift, len, sizeof(h->shift));
	for (i = 0; i < len - 1; i++)
		h->shift[(unsigned char)needle[i]] = len - 1 - i;
	if (nul_is_space)
		h->shift[0] = h->shift[' '];
}

/* Is @s the @len bytes of @needle?  @nul_is_space: see cimon_horspool. */
static inline bool cimon_needle_at(const char *s, const char *needle,
				   size_t len, bool nul_is_space)
{
	size_t i;

	if (!nul_is_space)
		return !memcmp(s, needle, len);
	for (i = 0; i < len; i++)
		if (s[i] != needle[i] && (s[i] || needle[i] != ' '))
			return false;
	return true;
}

/**
 * cimon_horspool_find() - the first place of @h's needle in @s[0..@n)
 * @h: the needle
 * @s: the haystack
 * @n: its length; none past it is read
 *
 * Return: a pointer to it, or NULL.
 */
static inline const char *cimon_horspool_find(const struct cimon_horspool *h,
					      const char *s, size_t n)
{
	const unsigned char last = h->needle[h->len - 1];
	unsigned char b;
	size_t i;

	if (n < h->len)
		return NULL;
	for (i = 0; i <= n - h->len; i += h->shift[b]) {
		b = s[i + h->len - 1];
		if ((b == last || (!b && last == ' ' && h->nul_is_space)) &&
		    cimon_needle_at(s + i, h->needle, h->len, h->nul_is_space))
			return s + i;
	}
	return NULL;
}

#endif /* CIMON_SEARCH_H */
