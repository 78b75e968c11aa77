/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - argv and environment strings, as an exec or a process holds
 * them, read into the values the rules ask for.
 */
#ifndef CIMON_ENV_H
#define CIMON_ENV_H

#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <uapi/cimon.h>

#include "search.h"

struct linux_binprm;
struct task_struct;

/* Bytes of the values of one environment kept for the rules. */
#define CIMON_ENV_VALUES_LEN	4096
/* Bytes of scratch cimon_env_read_parent() is given to read through. */
#define CIMON_ENV_SCRATCH_LEN	4096
/* The start of a "NAME=value" string kept while it is read. */
#define CIMON_ENV_HEAD_LEN	(CIMON_RULE_STR_MAX + CIMON_ENV_VALUE_LEN)

/* Groups of needles a struct cimon_env_key_search may need. */
#define CIMON_ENV_KEY_GROUPS \
	DIV_ROUND_UP(CIMON_ENV_KEYS_MAX, CIMON_NEEDLES_MAX)

/* cimon_env_key_search.what: a string a rule searches for, its bit. */
#define CIMON_ENV_FIND		0x80

/**
 * struct cimon_env_key_search - the names, as "NAME=" strings to search
 *	an environment for (see cimon_env_key_search_build()), and the
 *	strings rules search it for when they fit in the same pass
 * @groups: entries of @needles used.
 * @finds: the strings of rules are in (then there is one group, and no
 *	name holds a space: a NUL of the environment matches a space).
 * @whole_unused: every test of the set on the new program's whole
 *	environment is one of those strings: an exec's is searched where
 *	it is, not copied.
 * @what: for needle j of group g, @what[g * CIMON_NEEDLES_MAX + j] is the
 *	name's index, or CIMON_ENV_FIND | the bit of cimon_env_values.found
 *	it sets.
 * @needles: the groups.
 * @strings: the "NAME=" strings the needles point to.
 */
struct cimon_env_key_search {
	u32 groups;
	bool finds;
	bool whole_unused;
	u8 what[CIMON_ENV_KEY_GROUPS * CIMON_NEEDLES_MAX];
	struct cimon_needles needles[CIMON_ENV_KEY_GROUPS];
	char strings[];
};

/**
 * struct cimon_env_keys - the variables asked for
 * @count: how many.
 * @len: the length of each name; 0 for a name no variable has (it
 *	holds a '=').
 * @name: the names.
 * @search: the names ready to be searched for, or NULL: then only a
 *	walk string by string finds them.
 */
struct cimon_env_keys {
	u32 count;
	u16 len[CIMON_ENV_KEYS_MAX];
	const char *name[CIMON_ENV_KEYS_MAX];
	struct cimon_env_key_search *search;
};

/**
 * struct cimon_env_values - the values of some variables in one
 *	environment
 * @present: there was an environment to read.
 * @failed: it could not be read to its end (a fault, a fatal signal).
 * @off: for each name asked, 1 + the offset of its value in @buf; 0 when
 *	the environment does not have it.  The first definition counts.
 * @cut: bit i: value i was cut to fit.
 * @used: bytes used in @buf.
 * @buf: the values, NUL-terminated.
 * @whole: when not NULL, CIMON_ENV_WHOLE_LEN bytes for the whole
 *	environment, "NAME=value" strings joined by spaces.
 * @whole_len: bytes used in @whole.
 * @whole_cut: @whole was cut to fit.
 * @raw: @whole holds the strings as they are, NUL-separated: each NUL
 *	stands for the space between two.
 * @found_known: @whole was searched for the strings of the set's
 *	cimon_env_key_search.
 * @found: bit i: a string with CIMON_ENV_FIND | i is in @whole.
 * @head: the start of the string being read.
 * @head_len: bytes in @head.
 * @head_cut: the string is longer than @head.
 */
struct cimon_env_values {
	bool present;
	bool failed;
	bool whole_cut;
	bool head_cut;
	bool raw;
	bool found_known;
	u8 found;
	u16 off[CIMON_ENV_KEYS_MAX];
	u32 cut;
	u32 used;
	u32 whole_len;
	u32 head_len;
	char *whole;
	/* Not cleared between uses: only what @used and @head_len cover counts. */
	char buf[CIMON_ENV_VALUES_LEN];
	char head[CIMON_ENV_HEAD_LEN];
};

/* Ready @v for a read: clears all but the buffers' contents. */
static inline void cimon_env_values_reset(struct cimon_env_values *v)
{
	memset(v, 0, offsetof(struct cimon_env_values, buf));
}

/**
 * struct cimon_argv - where argv goes: arguments separated by NUL
 * @buf: the buffer, terminated when read.
 * @size: its size.
 * @len: bytes used, without the terminator.
 * @cut: arguments did not fit.
 */
struct cimon_argv {
	char *buf;
	u32 size;
	u32 len;
	bool cut;
};

int cimon_env_read_bprm(struct linux_binprm *bprm,
			const struct cimon_env_keys *keys,
			struct cimon_env_values *values,
			struct cimon_argv *argv);
int cimon_env_read_parent(struct task_struct *parent,
			  const struct cimon_env_keys *keys,
			  struct cimon_env_values *values, char *buf);
const char *cimon_env_value(const struct cimon_env_values *values, u32 i);
int cimon_env_key_search_build(struct cimon_env_keys *keys,
			       const char *const *finds, const u8 *bits,
			       u32 count, bool whole_unused);
void cimon_env_join(struct cimon_env_values *values);
bool cimon_env_value_cut(const struct cimon_env_values *values, u32 i);

#endif /* CIMON_ENV_H */
