// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - reading argv and environment strings.
 *
 * An exec's strings are read from the kernel's own copy, in the new
 * program's not-yet-installed stack (bprm->mm, from bprm->p: argv, then
 * the environment, then the file name at bprm->exec), so no other thread
 * can change them between the check and the use.  A running process's
 * environment is read from its address space, as /proc/<pid>/environ
 * shows it.  Either way pages are taken with get_user_pages_remote(), a
 * few under one lock (an exec's strings usually fit), as TOMOYO's
 * tomoyo_dump_page() takes them one by one; that may fault and sleep, so
 * this runs in process context only.
 *
 * Walking costs at most what the exec itself copied: every string is
 * looked at once, and only the start of each is kept (a name and the
 * first CIMON_ENV_VALUE_LEN - 1 bytes of its value).
 */

#include <linux/binfmts.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "env.h"
#include "search.h"

/**
 * struct env_walk - the state of one walk over NUL-terminated strings
 * @keys: the names asked for, or NULL.
 * @values: where their values go; NULL to read argv only.
 * @argv: where argv goes, or NULL.
 * @skip: strings of argv before the environment.
 * @limit: strings in all.
 * @strings: strings finished.
 * @len: bytes of the current string seen so far.
 * @stop: where the walk ended, in the bytes fed last.
 * @to_env: read all of argv, to where the environment starts, even
 *	when @argv is full.
 * @argv_sep: a NUL must separate the next argument from the last.
 */
struct env_walk {
	const struct cimon_env_keys *keys;
	struct cimon_env_values *values;
	struct cimon_argv *argv;
	u32 skip;
	u32 limit;
	u32 strings;
	u32 len;
	const char *stop;
	bool to_env;
	bool argv_sep;
};

static void argv_put(struct cimon_argv *argv, const char *p, size_t n)
{
	size_t room = argv->size - 1 - argv->len;

	if (n > room) {
		n = room;
		argv->cut = true;
	}
	memcpy(argv->buf + argv->len, p, n);
	argv->len += n;
}

static void whole_put(struct cimon_env_values *v, const char *p, size_t n)
{
	size_t room = CIMON_ENV_WHOLE_LEN - 1 - v->whole_len;

	if (n > room) {
		n = room;
		v->whole_cut = true;
	}
	memcpy(v->whole + v->whole_len, p, n);
	v->whole_len += n;
}

/* @n bytes of an environment string, for the whole environment. */
static void whole_take(struct env_walk *w, const char *p, size_t n)
{
	struct cimon_env_values *v = w->values;

	if (!v->whole)
		return;
	/* The separator before all but the first: a store, not a copy. */
	if (!w->len && w->strings > w->skip) {
		if (v->whole_len < CIMON_ENV_WHOLE_LEN - 1)
			v->whole[v->whole_len++] = ' ';
		else
			v->whole_cut = true;
	}
	whole_put(v, p, n);
}

/* Bytes of the string being read, which has no NUL among them. */
static void take_bytes(struct env_walk *w, const char *p, size_t n)
{
	struct cimon_env_values *v = w->values;
	size_t room;

	if (w->strings < w->skip) {
		if (!w->argv)
			return;
		if (w->argv_sep) {
			argv_put(w->argv, "", 1);
			w->argv_sep = false;
		}
		argv_put(w->argv, p, n);
		return;
	}
	whole_take(w, p, n);
	room = CIMON_ENV_HEAD_LEN - v->head_len;
	if (n > room) {
		n = room;
		v->head_cut = true;
	}
	memcpy(v->head + v->head_len, p, n);
	v->head_len += n;
}

/* Keep @value (@len bytes; @cut: only its start) for name @i. */
static void keep_value(struct cimon_env_values *v, u32 i, const char *value,
		       size_t len, bool cut)
{
	size_t room = CIMON_ENV_VALUES_LEN - v->used;

	if (cut || len > CIMON_ENV_VALUE_LEN - 1) {
		len = min_t(size_t, len, CIMON_ENV_VALUE_LEN - 1);
		v->cut |= BIT(i);
	}
	if (!room)
		return;
	if (len > room - 1) {
		len = room - 1;
		v->cut |= BIT(i);
	}
	memcpy(v->buf + v->used, value, len);
	v->buf[v->used + len] = '\0';
	v->off[i] = v->used + 1;
	v->used += len + 1;
}

/*
 * The "NAME=value" string @s of @len bytes (@cut: only its start): keep
 * the value if NAME is one of @keys not found before.  Each name is tried
 * where it would end, at the '=': most strings fail at their first byte
 * or there.
 */
static void match_keys(const struct cimon_env_keys *keys,
		       struct cimon_env_values *v, const char *s, size_t len,
		       bool cut)
{
	size_t name_len;
	u32 i;

	if (!keys)
		return;
	for (i = 0; i < keys->count; i++) {
		name_len = keys->len[i];
		if (!name_len || name_len >= len || s[name_len] != '=' ||
		    keys->name[i][0] != s[0] || v->off[i] ||
		    memcmp(keys->name[i], s, name_len))
			continue;
		keep_value(v, i, s + name_len + 1, len - name_len - 1, cut);
		return;
	}
}

/* A NUL: the string ends.  Return: whether the walk is done. */
static bool end_string(struct env_walk *w)
{
	if (w->strings < w->skip) {
		if (w->argv) {
			if (w->argv_sep)
				argv_put(w->argv, "", 1);
			w->argv_sep = true;
		}
	} else if (w->values->head_len) {
		/* A string read in pieces ends: match what was kept of it. */
		match_keys(w->keys, w->values, w->values->head,
			   w->values->head_len, w->values->head_cut);
		w->values->head_len = 0;
		w->values->head_cut = false;
	}
	w->len = 0;
	w->strings++;
	if (!w->values && w->strings >= w->skip)
		return true;
	return w->strings >= w->limit;
}

/* Feed @n bytes.  Return: whether the walk is done. */
static bool walk_bytes(struct env_walk *w, const char *p, size_t n)
{
	const char *nul;
	size_t seg;

	while (n) {
		nul = cimon_find_byte(p, '\0', n);
		seg = nul ? nul - p : n;
		if (nul && !w->len && w->strings >= w->skip) {
			/*
			 * A whole variable here: looked at where it is.  An
			 * empty string is one of the whole environment's too.
			 */
			whole_take(w, p, seg);
			if (seg)
				match_keys(w->keys, w->values, p, seg, false);
		} else if (seg) {
			take_bytes(w, p, seg);
			w->len += seg;
			/* Only argv wanted, and it is full. */
			if (!w->values && w->argv && w->argv->cut &&
			    !w->to_env)
				return true;
		}
		if (!nul)
			return false;
		if (end_string(w)) {
			w->stop = nul + 1;
			return true;
		}
		p += seg + 1;
		n -= seg + 1;
	}
	return false;
}

/* Pages taken per get_user_pages_remote() call: an exec's usual strings. */
#define WALK_PAGES	4

/*
 * Take the pages of [@pos, @pos + @n pages) of @mm, under one lock.
 * Return: how many were got (at least 1), or -EINTR / -EFAULT.
 */
static long get_pages(struct mm_struct *mm, unsigned long pos,
		      unsigned long n, unsigned int gup_flags,
		      struct page **pages)
{
	long got;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
#ifdef CIMON_GUP_REMOTE_HAS_VMAS
	got = get_user_pages_remote(mm, pos, n, gup_flags, pages, NULL, NULL);
#else
	got = get_user_pages_remote(mm, pos, n, gup_flags, pages, NULL);
#endif
	mmap_read_unlock(mm);
	return got > 0 ? got : -EFAULT;
}

/* Walk the strings in [@pos, @end) of @mm, a few pages at a time. */
static int walk_mm(struct mm_struct *mm, unsigned long pos,
		   unsigned long end, unsigned int gup_flags,
		   struct env_walk *w)
{
	struct page *pages[WALK_PAGES];
	unsigned long want;
	bool done = false;
	long got, i;
	char *kaddr;
	size_t n;

	while (pos < end && !done) {
		if (fatal_signal_pending(current))
			return -EINTR;
		want = min_t(unsigned long, WALK_PAGES,
			     DIV_ROUND_UP(end - (pos & PAGE_MASK), PAGE_SIZE));
		got = get_pages(mm, pos, want, gup_flags, pages);
		if (got < 0)
			return got;
		for (i = 0; i < got; i++) {
			if (!done) {
				n = min_t(unsigned long,
					  PAGE_SIZE - offset_in_page(pos),
					  end - pos);
				kaddr = kmap_local_page(pages[i]);
				done = walk_bytes(w, kaddr + offset_in_page(pos),
						  n);
				kunmap_local(kaddr);
				pos += n;
			}
			put_page(pages[i]);
		}
		cond_resched();
	}
	/* An unterminated last string still ends. */
	if (!done && w->len)
		end_string(w);
	return 0;
}

static void walk_done(struct env_walk *w, int ret)
{
	if (w->argv)
		w->argv->buf[w->argv->len] = '\0';
	if (w->values) {
		/* A read again for the whole keeps an earlier failure. */
		if (ret)
			w->values->failed = true;
		if (w->values->whole)
			w->values->whole[w->values->whole_len] = '\0';
	}
}

/*
 * @v->whole holds @len bytes of environment strings as they were: make it
 * the whole environment, raw.  The last string's NUL ends it, and is not
 * in it.
 */
static void end_raw(struct cimon_env_values *v, size_t len)
{
	v->whole_len = len && !v->whole[len - 1] ? len - 1 : len;
	v->raw = true;
}

/* Append @n bytes at @src to @v->whole, a word per step. */
static void copy_words(struct cimon_env_values *v, const char *src, size_t n)
{
	char *dst = v->whole + v->whole_len;
	size_t i;

	for (i = 0; i + sizeof(long) <= n; i += sizeof(long))
		put_unaligned(get_unaligned((const unsigned long *)(src + i)),
			      (unsigned long *)(dst + i));
	for (; i < n; i++)
		dst[i] = src[i];
	v->whole_len += n;
}

/**
 * cimon_env_key_search_build() - ready @keys to be searched for
 * @keys: the names, all collected
 * @finds: strings rules search a whole environment for, or NULL
 * @bits: for each, the bit of cimon_env_values.found it sets
 * @count: how many; they fit in one pass with the names
 *	(CIMON_NEEDLES_MAX in all)
 * @whole_unused: see struct cimon_env_key_search
 *
 * Sets @keys->search, which an exec's environment copied whole is
 * searched with (see search_segments()).  A name with a space would match
 * across two strings (a NUL counts as a space): @finds must be none then.
 *
 * Return: 0, or -ENOMEM.
 */
int cimon_env_key_search_build(struct cimon_env_keys *keys,
			       const char *const *finds, const u8 *bits,
			       u32 count, bool whole_unused)
{
	const char *needle[CIMON_ENV_KEYS_MAX + CIMON_NEEDLES_MAX];
	struct cimon_env_key_search *ks;
	size_t bytes = 0;
	u32 i, n = 0;
	char *str;

	for (i = 0; i < keys->count; i++)
		bytes += keys->len[i] + 2;
	ks = kzalloc(struct_size(ks, strings, bytes), GFP_KERNEL);
	if (!ks)
		return -ENOMEM;
	str = ks->strings;
	for (i = 0; i < keys->count; i++) {
		/* a name with a '=' is no variable's (len 0) */
		if (!keys->len[i])
			continue;
		memcpy(str, keys->name[i], keys->len[i]);
		str[keys->len[i]] = '=';
		needle[n] = str;
		ks->what[n++] = i;
		str += keys->len[i] + 2;
	}
	for (i = 0; i < count && n < CIMON_NEEDLES_MAX; i++) {
		needle[n] = finds[i];
		ks->what[n++] = CIMON_ENV_FIND | bits[i];
		ks->finds = true;
	}
	for (i = 0; i < n; i += CIMON_NEEDLES_MAX)
		cimon_needles_init(&ks->needles[ks->groups++], needle + i,
				   min_t(u32, n - i, CIMON_NEEDLES_MAX));
	ks->whole_unused = whole_unused;
	keys->search = ks;
	return 0;
}

/* Environment strings in one mapped page. */
struct env_seg {
	const char *p;
	size_t n;
};

/* The byte before @seg[@si].p[@off], or NUL at the environment's start. */
static char seg_byte_before(const struct env_seg *seg, int si, size_t off)
{
	if (off)
		return seg[si].p[off - 1];
	while (si--)
		if (seg[si].n)
			return seg[si].p[seg[si].n - 1];
	return '\0';
}

/*
 * Keep for name @i the value that starts at @seg[@si].p[@off], and may go
 * on in the next segments, as keep_value() does.
 */
static void keep_seg_value(struct cimon_env_values *v, u32 i,
			   const struct env_seg *seg, int nsegs, int si,
			   size_t off)
{
	size_t room = CIMON_ENV_VALUES_LEN - v->used, max, len = 0;
	char *dst = v->buf + v->used;
	const char *nul;
	size_t take;

	if (!room)
		return;
	max = min_t(size_t, CIMON_ENV_VALUE_LEN - 1, room - 1);
	/* the value may start in a later piece */
	for (; si < nsegs && off >= seg[si].n; si++)
		off -= seg[si].n;
	for (; si < nsegs; si++, off = 0) {
		take = seg[si].n - off;
		nul = cimon_find_byte(seg[si].p + off, '\0', take);
		if (nul)
			take = nul - (seg[si].p + off);
		if (take > max - len) {
			memcpy(dst + len, seg[si].p + off, max - len);
			len = max;
			v->cut |= BIT(i);
			break;
		}
		memcpy(dst + len, seg[si].p + off, take);
		len += take;
		if (nul)
			break;
	}
	dst[len] = '\0';
	v->off[i] = v->used + 1;
	v->used += len + 1;
}

/*
 * Every needle of @ks's group @g at @p (@avail bytes readable there) that
 * ends more than @past bytes after @p: a name's value, or a rule's
 * string.  @p is @seg[@si].p[@start], or its copy when a needle crosses
 * into the next piece.
 */
static void found_at(const struct cimon_env_key_search *ks,
		     struct cimon_env_values *v, u32 g, const char *p,
		     size_t avail, size_t past, const struct env_seg *seg,
		     int nsegs, int si, size_t start)
{
	const struct cimon_needles *nd = &ks->needles[g];
	u32 k, i, len;

	for (k = 0; k < nd->count; k++) {
		len = nd->len[k];
		if (len > avail || len <= past ||
		    !cimon_needle_at(p, nd->needle[k], len, ks->finds))
			continue;
		i = ks->what[g * CIMON_NEEDLES_MAX + k];
		if (i & CIMON_ENV_FIND)
			v->found |= BIT(i & ~CIMON_ENV_FIND);
		/* a name only at a string's start; its first value counts */
		else if (!seg_byte_before(seg, si, start) && !v->off[i])
			keep_seg_value(v, i, seg, nsegs, si, start + len);
	}
}

/*
 * Find the names of @ks in environment strings as they are (NUL-separated)
 * in @nsegs pieces, one per page: each is searched for as "NAME=" at a
 * string's start, the first such string's value kept in @v; and the
 * strings of the rules' searches that share the pass, anywhere.  A few
 * searches that skip most bytes instead of a look at every string.  Each
 * piece is searched, then each pair's junction for the needles that
 * cross it (a page is longer than any needle).  @junction: 2 * 255 bytes
 * of scratch when there are two pieces or more.
 */
static void search_segments(const struct cimon_env_key_search *ks,
			    struct cimon_env_values *v,
			    const struct env_seg *seg, int nsegs,
			    char *junction)
{
	const struct cimon_needles *nd;
	size_t at, tail, head, len;
	const char *s, *p;
	int si, g;
	u32 k;

	for (g = 0; g < ks->groups; g++) {
		nd = &ks->needles[g];
		len = 0;
		for (k = 0; k < nd->count; k++)
			len = max_t(size_t, len, nd->len[k]);
		for (si = 0; si < nsegs; si++) {
			s = seg[si].p;
			for (at = 0; at < seg[si].n; at++) {
				p = cimon_needles_first(nd, s + at,
							seg[si].n - at,
							ks->finds, &k);
				if (!p)
					break;
				at = p - s;
				found_at(ks, v, g, p, seg[si].n - at, 0, seg,
					 nsegs, si, at);
			}
			if (si + 1 == nsegs || len < 2)
				continue;
			/* needles that start in this page and end in the next */
			tail = min(len - 1, seg[si].n);
			head = min(len - 1, seg[si + 1].n);
			memcpy(junction, s + seg[si].n - tail, tail);
			memcpy(junction + tail, seg[si + 1].p, head);
			for (at = 0; at < tail; at++) {
				p = cimon_needles_first(nd, junction + at,
							tail + head - at,
							ks->finds, &k);
				if (!p || p - junction >= tail)
					break;
				at = p - junction;
				found_at(ks, v, g, p, tail + head - at,
					 tail - at, seg, nsegs, si,
					 seg[si].n - tail + at);
			}
		}
	}
	v->found_known = true;
}

/*
 * cimon_env_read_bprm() when the whole environment is wanted and the
 * strings span at most WALK_PAGES pages (an exec's usual): argv as a walk
 * reads it, then the environment copied as it is, NUL-separated
 * (@values->raw), a word at a time, then searched for its variables
 * (search_segments(); when no rule needs the copy, it is not made: the
 * pages are searched where they are).  A walk copies the whole
 * environment string by string, and handles each string as it may end
 * on another page.
 * Return: -E2BIG when this does not apply.
 */
static int read_bprm_raw(struct linux_binprm *bprm,
			 const struct cimon_env_keys *keys,
			 struct cimon_env_values *v, struct cimon_argv *argv)
{
	unsigned long pos = bprm->p, end = bprm->exec, env = end;
	struct env_walk w = {
		.argv = argv,
		.skip = bprm->argc,
		.limit = bprm->argc + bprm->envc,
		.to_env = true,
	};
	bool in_place = keys && keys->search && keys->search->whole_unused;
	char *kaddr, *kaddrs[WALK_PAGES];
	struct env_seg seg[WALK_PAGES];
	struct page *pages[WALK_PAGES];
	long got, i, want;
	int nsegs = 0;
	size_t n, off;
	bool in_argv;

	want = DIV_ROUND_UP(end - (pos & PAGE_MASK), PAGE_SIZE);
	if ((!in_place && (!v->whole || v->whole_len)) || want > WALK_PAGES ||
	    end - pos >= CIMON_ENV_WHOLE_LEN || (keys && !keys->search))
		return -E2BIG;
	got = get_pages(bprm->mm, pos, want, FOLL_FORCE, pages);
	/* Not all: the walk reads what it can, and says what it could not. */
	if (got < 0)
		return -E2BIG;
	if (got < want) {
		for (i = 0; i < got; i++)
			put_page(pages[i]);
		return -E2BIG;
	}
	in_argv = w.skip;
	if (!in_argv)
		env = pos;
	for (i = 0; i < got; i++, pos += n) {
		off = offset_in_page(pos);
		n = min_t(unsigned long, PAGE_SIZE - off, end - pos);
		kaddr = kmap_local_page(pages[i]);
		kaddrs[i] = kaddr;
		/* argv, to where the environment starts */
		if (in_argv && walk_bytes(&w, kaddr + off, n)) {
			env = pos + (w.stop - (kaddr + off));
			in_argv = false;
		}
		if (env >= pos + n)
			continue;
		off += max(env, pos) - pos;
		if (in_place)
			seg[nsegs++] = (struct env_seg){
				kaddr + off, pos + n - max(env, pos) };
		else
			copy_words(v, kaddr + off, pos + n - max(env, pos));
	}
	/* the last NUL is not the environment's: search without it */
	if (in_place) {
		if (nsegs && seg[nsegs - 1].n &&
		    !seg[nsegs - 1].p[seg[nsegs - 1].n - 1])
			seg[nsegs - 1].n--;
		/* a needle is a name and '=', or a rule's string */
		BUILD_BUG_ON(CIMON_ENV_HEAD_LEN < 2 * (CIMON_RULE_STR_MAX - 1));
		search_segments(keys->search, v, seg, nsegs, v->head);
	} else {
		end_raw(v, v->whole_len);
		seg[0] = (struct env_seg){ v->whole, v->whole_len };
		if (keys)
			search_segments(keys->search, v, seg, 1, NULL);
	}
	/* mapped in order, unmapped in the reverse */
	for (i = got; i--; ) {
		kunmap_local(kaddrs[i]);
		put_page(pages[i]);
	}
	w.values = v;
	walk_done(&w, 0);
	return 0;
}

/**
 * cimon_env_read_bprm() - argv and environment of an exec
 * @bprm: the exec, before its point of no return, at its first binary
 *	handler (before a script's interpreter rewrote argv)
 * @keys: the variables wanted, or NULL for none
 * @values: zeroed, except @values->whole (or read before with more keys:
 *	what was found stays); NULL to read argv only
 * @argv: where argv goes, or NULL
 *
 * The whole environment, when room was given for it, may be left raw:
 * see cimon_env_join().
 *
 * Context: process context, may sleep.
 * Return: 0, or -EFAULT/-EINTR when the strings could not be read whole
 * (what was read is kept).
 */
int cimon_env_read_bprm(struct linux_binprm *bprm,
			const struct cimon_env_keys *keys,
			struct cimon_env_values *values,
			struct cimon_argv *argv)
{
	struct env_walk w = {
		.keys = keys,
		.values = values,
		.argv = argv,
		.skip = bprm->argc,
		.limit = bprm->argc + bprm->envc,
	};
	int ret = 0;

	if (values) {
		values->present = true;
		ret = read_bprm_raw(bprm, keys, values, argv);
		if (ret != -E2BIG)
			return ret;
		ret = 0;
	}
	if (values ? w.limit : argv && w.skip)
		ret = walk_mm(bprm->mm, bprm->p, bprm->exec, FOLL_FORCE, &w);
	walk_done(&w, ret);
	return ret;
}

/* Walk the strings in [@pos, @end) of the current task's own memory. */
static int walk_user(unsigned long pos, unsigned long end, char *buf,
		     struct env_walk *w)
{
	size_t n;

	while (pos < end) {
		if (fatal_signal_pending(current))
			return -EINTR;
		n = min3(CIMON_ENV_SCRATCH_LEN,
			 PAGE_SIZE - offset_in_page(pos), end - pos);
		if (copy_from_user(buf, (const void __user *)pos, n))
			return -EFAULT;
		if (walk_bytes(w, buf, n))
			return 0;
		pos += n;
		cond_resched();
	}
	if (w->len)
		end_string(w);
	return 0;
}

/*
 * The environment area of the current task, which has not exec'd since
 * it was forked: the environment it inherited from the process that
 * forked it, whether that process has exec'd, exited or been replaced
 * as the parent since (a double fork does not launder a variable).
 */
static int walk_inherited(char *buf, struct env_walk *w)
{
	struct mm_struct *mm = current->mm;
	struct cimon_env_values *v = w->values;
	unsigned long start, end;
	const char *p, *stop, *nul;
	char *dst, *big = NULL;
	int ret = 0;

	spin_lock(&mm->arg_lock);
	start = mm->env_start;
	end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	/*
	 * Small enough (for the room for the whole environment when a rule
	 * wants it, else for the scratch or a buffer of its size): one
	 * copy, then searched for its variables, as read_bprm_raw() does.
	 * A job's environment is often more than the scratch's 4 KiB.
	 */
	if (!v->whole && end - start > CIMON_ENV_SCRATCH_LEN &&
	    end - start < CIMON_ENV_WHOLE_LEN)
		big = kmalloc(end - start, GFP_KERNEL);
	if (v->whole && !v->whole_len && end - start < CIMON_ENV_WHOLE_LEN)
		dst = v->whole;
	else if (!v->whole && end - start <= CIMON_ENV_SCRATCH_LEN)
		dst = buf;
	else if (big)
		dst = big;
	else
		return walk_user(start, end, buf, w);
	if (copy_from_user(dst, (const void __user *)start, end - start)) {
		ret = walk_user(start, end, buf, w);
		goto out;
	}
	stop = dst + (end - start);
	if (w->keys && w->keys->search) {
		search_segments(w->keys->search, v,
				&(struct env_seg){ dst, stop - dst }, 1, NULL);
	} else {
		for (p = dst; p < stop; p = nul + 1) {
			nul = cimon_find_byte(p, '\0', stop - p);
			match_keys(w->keys, v, p, (nul ? nul : stop) - p,
				   false);
			if (!nul)
				break;
		}
	}
	if (dst == v->whole)
		end_raw(v, end - start);
out:
	kfree(big);
	return ret;
}

/**
 * cimon_env_read_parent() - the environment of the exec's parent
 * @parent: the real parent of the task executing
 * @keys: the variables wanted, or NULL for none
 * @values: zeroed, except @values->whole (or read before with more keys:
 *	what was found stays)
 * @buf: CIMON_ENV_SCRATCH_LEN bytes of scratch
 *
 * When the task executing has not exec'd since its fork (the usual fork,
 * then exec; vfork; posix_spawn), the environment its parent had when it
 * forked it, from the task's own memory: a copy that costs a fraction of
 * a walk of another's page tables, and that the parent cannot take away
 * by exiting first.  Else @parent's, as its /proc/<pid>/environ shows it.
 *
 * Context: process context, may sleep; before the exec's point of no
 * return (current->mm is still the old program's).
 * Return: 0; -ESRCH when @parent has no address space (a kernel thread,
 * an exiting process); -EFAULT/-EINTR when it could not be read whole.
 */
int cimon_env_read_parent(struct task_struct *parent,
			  const struct cimon_env_keys *keys,
			  struct cimon_env_values *values, char *buf)
{
	struct env_walk w = {
		.keys = keys,
		.values = values,
		.limit = U32_MAX,
	};
	unsigned long start, end;
	struct mm_struct *mm;
	int ret;

	if (current->mm && current->self_exec_id == current->parent_exec_id) {
		values->present = true;
		ret = walk_inherited(buf, &w);
		walk_done(&w, ret);
		return ret;
	}
	mm = get_task_mm(parent);
	if (!mm) {
		walk_done(&w, 0);
		return -ESRCH;
	}
	values->present = true;
	spin_lock(&mm->arg_lock);
	start = mm->env_start;
	end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	ret = walk_mm(mm, start, end, 0, &w);
	mmput(mm);
	walk_done(&w, ret);
	return ret;
}

/**
 * cimon_env_join() - make a raw whole environment one string, joined by
 *	spaces
 * @values: what was read
 */
void cimon_env_join(struct cimon_env_values *values)
{
	char *p = values->whole, *end = p + values->whole_len;

	if (!values->raw)
		return;
	while ((p = (char *)cimon_find_byte(p, '\0', end - p)))
		*p++ = ' ';
	values->raw = false;
}

/**
 * cimon_env_value() - the value of name @i, or NULL when it is not set
 * @values: what was read
 * @i: index of the name in the keys the read was given
 */
const char *cimon_env_value(const struct cimon_env_values *values, u32 i)
{
	return values->off[i] ? values->buf + values->off[i] - 1 : NULL;
}

/**
 * cimon_env_value_cut() - whether value @i was cut to fit
 * @values: what was read
 * @i: index of the name
 */
bool cimon_env_value_cut(const struct cimon_env_values *values, u32 i)
{
	return values->cut & BIT(i);
}
