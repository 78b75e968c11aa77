/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - finding bytes and strings in environments and command lines.
 *
 * Every exec's environment (kilobytes) is searched for the variables and
 * the strings the rules name; the kernel's memchr() and strstr() look at
 * one byte per step.  A byte is found a word at a time, with the
 * word-at-a-time helpers the kernel's own string and path-hashing code
 * use; strings by Boyer-Moore-Horspool, which most often moves the
 * shortest string's whole length per step, all the strings a rule "or"s
 * on one field in the same pass.
 */
#ifndef CIMON_SEARCH_H
#define CIMON_SEARCH_H

#include <linux/bitops.h>
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

/*
 * Is @s the @len bytes of @needle?  @nul_is_space: a NUL of @s matches a
 * space of @needle.
 */
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

/* Needles of one struct cimon_needles. */
#define CIMON_NEEDLES_MAX	8

/**
 * struct cimon_needles - needles searched for in one pass
 * @count: how many, 1 to CIMON_NEEDLES_MAX.
 * @min_len: the shortest one's length, at most 255: the window that
 *	moves.
 * @len: each one's length (less than CIMON_HORSPOOL_MIN moves little).
 * @needle: their bytes.
 * @ends: bit i: the byte ends needle i's first @min_len bytes.  A NUL
 *	counts as a space, for haystacks searched as cimon_needles_find()
 *	says.
 * @shift: how far the window may move when this byte is under its end:
 *	the least any needle allows (Horspool's rule for a set of strings).
 */
struct cimon_needles {
	u8 count;
	u8 min_len;
	u16 len[CIMON_NEEDLES_MAX];
	const char *needle[CIMON_NEEDLES_MAX];
	u8 ends[256];
	u8 shift[256];
};

/**
 * cimon_needles_init() - ready @nd to search for @count needles at once
 * @nd: filled
 * @needle: the needles, NUL-terminated, each 1 to U16_MAX bytes long
 * @count: 1 to CIMON_NEEDLES_MAX
 */
static inline void cimon_needles_init(struct cimon_needles *nd,
				      const char *const *needle, u32 count)
{
	u32 i, k;
	u8 m = U8_MAX;

	for (k = 0; k < count; k++) {
		nd->needle[k] = needle[k];
		nd->len[k] = strlen(needle[k]);
		m = min_t(u16, m, nd->len[k]);
	}
	nd->count = count;
	nd->min_len = m;
	memset(nd->ends, 0, sizeof(nd->ends));
	memset(nd->shift, m, sizeof(nd->shift));
	for (k = 0; k < count; k++) {
		for (i = 0; i < m - 1U; i++)
			nd->shift[(unsigned char)needle[k][i]] =
				min_t(u8, nd->shift[(unsigned char)needle[k][i]],
				      m - 1 - i);
		nd->ends[(unsigned char)needle[k][m - 1]] |= BIT(k);
	}
	nd->shift[0] = nd->shift[' '];
	nd->ends[0] = nd->ends[' '];
}

/**
 * cimon_needles_first() - the first place of one of @nd's needles in @s
 * @nd: the needles
 * @s: the haystack
 * @n: its length; none past it is read
 * @nul_is_space: a NUL of @s matches a space of a needle
 * @which: set to the needle's index
 *
 * Return: where the first one starts, or NULL when none is there.
 */
static inline const char *cimon_needles_first(const struct cimon_needles *nd,
					      const char *s, size_t n,
					      bool nul_is_space, u32 *which)
{
	const size_t m = nd->min_len;
	unsigned long ends;
	unsigned char b;
	size_t i;
	u32 k;

	if (n < m)
		return NULL;
	for (i = 0; i <= n - m; i += nd->shift[b]) {
		b = s[i + m - 1];
		for (ends = nd->ends[b]; ends; ends &= ends - 1) {
			k = __ffs(ends);
			if (nd->len[k] <= n - i &&
			    cimon_needle_at(s + i, nd->needle[k], nd->len[k],
					    nul_is_space)) {
				*which = k;
				return s + i;
			}
		}
	}
	return NULL;
}

/* Is any of @nd's needles in @s[0..@n)?  See cimon_needles_first(). */
static inline bool cimon_needles_find(const struct cimon_needles *nd,
				      const char *s, size_t n,
				      bool nul_is_space)
{
	u32 which;

	return cimon_needles_first(nd, s, n, nul_is_space, &which);
}

#endif /* CIMON_SEARCH_H */
