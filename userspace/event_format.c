// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_format.h"
#include "json.h"
#include "utf8.h"

/* The fixed fields, a key per carried variable of env and aenv, github.* */
#define MAX_FIELDS	(64 + 2 * CIMON_ENV_KEYS_MAX + 8)
/*
 * Room for every derived string of one event: cmdline, paths, flags, the
 * keys and joined strings of env and aenv, cut github.* values...
 */
#define ARENA_LEN	16384

enum field_kind {
	FIELD_NA,	/* no value: "<NA>", as Falco shows it */
	FIELD_STR,
	FIELD_NUM,
};

struct field {
	const char *key;
	size_t key_len;
	enum field_kind kind;
	const char *s;
	size_t len;
	uint64_t n;
};

/* Everything both printers need to know about one event. */
struct view {
	const char *rule;
	const char *priority;
	const char *tag;		/* the one tag of a built-in rule */
	const char *tags;		/* a loaded rule's, comma-separated */
	const char *output_tmpl;	/* Falco-style %field template */
	const char *text_tmpl;		/* the text line's, after "rule: " */
	unsigned int verdict;		/* enum cimon_verdict of an event */
	char rule_buf[48];		/* "cimon: rule <id>" */
	uint64_t time_ns;
	unsigned int nr;
	size_t used;			/* bytes of arena[] in use */
	struct field f[MAX_FIELDS];	/* only the first nr are set */
	char arena[ARENA_LEN];
};

/* ---- system calls and names -------------------------------------------- */

struct nr_name {
	int32_t nr;
	const char *name;
};

/*
 * The calls cimon's events come from; write, sendto, sendmsg and
 * delete_module are those of a tamper attempt (debugfs kprobes/enabled, a
 * netlink request, an unload).
 */
static const struct nr_name syscalls_x86_64[] = {
	{ 1, "write" }, { 2, "open" }, { 44, "sendto" }, { 46, "sendmsg" },
	{ 59, "execve" }, { 101, "ptrace" }, { 176, "delete_module" },
	{ 257, "openat" }, { 304, "open_by_handle_at" },
	{ 310, "process_vm_readv" }, { 311, "process_vm_writev" },
	{ 322, "execveat" }, { 426, "io_uring_enter" }, { 437, "openat2" },
	{ 438, "pidfd_getfd" }, { -1, NULL }
};

static const struct nr_name syscalls_ia32[] = {
	{ 4, "write" }, { 5, "open" }, { 11, "execve" }, { 26, "ptrace" },
	{ 129, "delete_module" }, { 295, "openat" },
	{ 342, "open_by_handle_at" }, { 347, "process_vm_readv" },
	{ 348, "process_vm_writev" }, { 358, "execveat" },
	{ 369, "sendto" }, { 370, "sendmsg" },
	{ 426, "io_uring_enter" }, { 437, "openat2" }, { 438, "pidfd_getfd" },
	{ -1, NULL }
};

/* x32 shares the x86-64 numbers except where its ABI differs. */
static const struct nr_name syscalls_x32[] = {
	{ 1, "write" }, { 2, "open" }, { 44, "sendto" },
	{ 176, "delete_module" }, { 257, "openat" },
	{ 304, "open_by_handle_at" },
	{ 426, "io_uring_enter" }, { 437, "openat2" }, { 438, "pidfd_getfd" },
	{ 518, "sendmsg" },
	{ 520, "execve" }, { 521, "ptrace" }, { 539, "process_vm_readv" },
	{ 540, "process_vm_writev" }, { 545, "execveat" }, { -1, NULL }
};

#define X32_SYSCALL_BIT	0x40000000	/* set in x32 numbers by the CPU ABI */

const char *cimon_syscall_name(int32_t nr, uint32_t flags)
{
	const struct nr_name *t = syscalls_x86_64;

	if (flags & CIMON_F_SYSCALL_IA32) {
		t = syscalls_ia32;
	} else if (flags & CIMON_F_SYSCALL_X32) {
		t = syscalls_x32;
		nr &= ~X32_SYSCALL_BIT;
	}
	if (nr < 0)
		return NULL;
	for (; t->name; t++)
		if (t->nr == nr)
			return t->name;
	return NULL;
}

static const char *const type_names[CIMON_EVENT_TYPE_COUNT] = {
	[CIMON_EVENT_LOST] = "lost",
	[CIMON_EVENT_MEM_OPEN] = "mem_open",
	[CIMON_EVENT_ENVIRON_OPEN] = "environ_open",
	[CIMON_EVENT_PTRACE_ATTACH] = "ptrace_attach",
	[CIMON_EVENT_VM_READ] = "process_vm_read",
	[CIMON_EVENT_VM_WRITE] = "process_vm_write",
	[CIMON_EVENT_PIDFD_GETFD] = "pidfd_getfd",
	[CIMON_EVENT_EXEC] = "exec",
	[CIMON_EVENT_KMEM_OPEN] = "kmem_open",
	[CIMON_EVENT_MISSED] = "missed",
	[CIMON_EVENT_TAMPER] = "tamper",
};

/* evt.type when the system call is not known: what the event implies. */
static const char *const type_syscalls[CIMON_EVENT_TYPE_COUNT] = {
	[CIMON_EVENT_MEM_OPEN] = "open",
	[CIMON_EVENT_ENVIRON_OPEN] = "open",
	[CIMON_EVENT_PTRACE_ATTACH] = "ptrace",
	[CIMON_EVENT_VM_READ] = "process_vm_readv",
	[CIMON_EVENT_VM_WRITE] = "process_vm_writev",
	[CIMON_EVENT_PIDFD_GETFD] = "pidfd_getfd",
	[CIMON_EVENT_EXEC] = "execve",
	[CIMON_EVENT_KMEM_OPEN] = "open",
};

const char *cimon_event_type_name(unsigned int type)
{
	return type < CIMON_EVENT_TYPE_COUNT ? type_names[type] : NULL;
}

const char *cimon_evt_type(const struct cimon_event *ev)
{
	const char *name = cimon_syscall_name(ev->syscall_nr, ev->flags);

	if (name)
		return name;
	if (ev->type < CIMON_EVENT_TYPE_COUNT && type_syscalls[ev->type])
		return type_syscalls[ev->type];
	return "unknown";
}

static bool is_open_event(unsigned int type)
{
	return type == CIMON_EVENT_MEM_OPEN ||
	       type == CIMON_EVENT_ENVIRON_OPEN ||
	       type == CIMON_EVENT_KMEM_OPEN;
}

/* Events about another process: target.* */
static bool has_target(unsigned int type)
{
	return type != CIMON_EVENT_EXEC && type != CIMON_EVENT_KMEM_OPEN;
}

static const char *const tamper_names[] = {
	[CIMON_TAMPER_UNLOAD] = "unload",
	[CIMON_TAMPER_MODE] = "mode",
	[CIMON_TAMPER_RULES] = "rules",
	[CIMON_TAMPER_KPROBES] = "kprobes",
};

const char *cimon_tamper_name(unsigned int tamper)
{
	if (tamper >= sizeof(tamper_names) / sizeof(tamper_names[0]))
		return NULL;
	return tamper_names[tamper];
}

const char *cimon_verdict_name(unsigned int verdict)
{
	switch (verdict) {
	case CIMON_VERDICT_ALLOWED: return "allowed";
	case CIMON_VERDICT_BLOCKED: return "blocked";
	case CIMON_VERDICT_WOULD_BLOCK: return "would_block";
	}
	return NULL;
}

bool cimon_event_is_builtin(const struct cimon_event *ev)
{
	/* Generations start at 1: a zeroed record is a built-in one. */
	return ev->rule_id == CIMON_RULE_BUILTIN || ev->rules_generation == 0;
}

static const char *const priority_names[] = {
	[CIMON_PRIORITY_EMERGENCY] = "Emergency",
	[CIMON_PRIORITY_ALERT] = "Alert",
	[CIMON_PRIORITY_CRITICAL] = "Critical",
	[CIMON_PRIORITY_ERROR] = "Error",
	[CIMON_PRIORITY_WARNING] = "Warning",
	[CIMON_PRIORITY_NOTICE] = "Notice",
	[CIMON_PRIORITY_INFORMATIONAL] = "Informational",
	[CIMON_PRIORITY_DEBUG] = "Debug",
};

const char *cimon_priority_name(unsigned int priority)
{
	if (priority >= sizeof(priority_names) / sizeof(priority_names[0]))
		return NULL;
	return priority_names[priority];
}

const char *cimon_action_name(unsigned int action)
{
	if (action == CIMON_ACTION_ALERT)
		return "alert";
	if (action == CIMON_ACTION_BLOCK)
		return "block";
	return NULL;
}

/* ---- time -------------------------------------------------------------- */

/*
 * The second last formatted, in this thread: events come many to a
 * second, and strftime() and snprintf() were a tenth of a JSON line.
 * Keyed by the offset too, since TZ may change between calls.
 */
struct time_cache {
	bool valid;
	time_t sec;
	long gmtoff;
	char date[64];		/* "2026-11-23T19:30:14" */
	char zone[24];		/* "Z", "+09:00" */
};

static _Thread_local struct time_cache time_cache;

void cimon_format_time(char *buf, size_t len, uint64_t time_ns, bool utc)
{
	time_t sec = (time_t)(time_ns / 1000000000ULL);
	unsigned long nsec = (unsigned long)(time_ns % 1000000000ULL);
	struct time_cache *c = &time_cache;
	char line[sizeof(c->date) + 10 + sizeof(c->zone)];
	size_t n, date_len, zone_len;
	struct tm tm;
	long off;
	int i;

	if (utc ? !gmtime_r(&sec, &tm) : !localtime_r(&sec, &tm)) {
		snprintf(buf, len, "%" PRIu64 "ns", time_ns);
		return;
	}
	if (utc)
		tm.tm_gmtoff = 0;
	if (!c->valid || c->sec != sec || c->gmtoff != tm.tm_gmtoff) {
		strftime(c->date, sizeof(c->date), "%Y-%m-%dT%H:%M:%S", &tm);
		off = tm.tm_gmtoff / 60;
		if (off)
			snprintf(c->zone, sizeof(c->zone), "%c%02ld:%02ld",
				 off < 0 ? '-' : '+', labs(off) / 60,
				 labs(off) % 60);
		else
			strcpy(c->zone, "Z");
		c->sec = sec;
		c->gmtoff = tm.tm_gmtoff;
		c->valid = true;
	}
	/* "%s.%09lu%s" of date, nsec and zone, cut to @len as snprintf would */
	date_len = strlen(c->date);
	zone_len = strlen(c->zone);
	memcpy(line, c->date, date_len);
	line[date_len] = '.';
	for (i = 9; i > 0; i--, nsec /= 10)
		line[date_len + i] = (char)('0' + nsec % 10);
	memcpy(line + date_len + 10, c->zone, zone_len);
	n = date_len + 10 + zone_len;
	if (!len)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, line, n);
	buf[n] = '\0';
}

/* ---- the field table --------------------------------------------------- */

static struct field *add_field(struct view *v, const char *key)
{
	struct field *f;

	/* The table is sized for the fixed set below; never overflow it. */
	if (v->nr >= MAX_FIELDS)
		return NULL;
	f = &v->f[v->nr++];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->key_len = strlen(key);
	return f;
}

static const struct field *find_field(const struct view *v, const char *key,
				      size_t len)
{
	unsigned int i;

	for (i = 0; i < v->nr; i++)
		if (v->f[i].key_len == len && !memcmp(v->f[i].key, key, len))
			return &v->f[i];
	return NULL;
}

static void add_num(struct view *v, const char *key, uint64_t n)
{
	struct field *f = add_field(v, key);

	if (f) {
		f->kind = FIELD_NUM;
		f->n = n;
	}
}

static void add_bytes(struct view *v, const char *key, const char *s,
		      size_t len)
{
	struct field *f = add_field(v, key);

	if (f && len) {
		f->kind = FIELD_STR;
		f->s = s;
		f->len = len;
	}
}

static void add_lit(struct view *v, const char *key, const char *s)
{
	add_bytes(v, key, s, strlen(s));
}

/* A bounded string from the kernel: it may lack a NUL, so never strlen. */
#define add_array(v, key, arr) \
	add_bytes(v, key, arr, strnlen(arr, sizeof(arr)))

/* Copies into the arena; returns where, or NULL when it is full. */
static char *arena_add(struct view *v, const void *p, size_t len)
{
	char *dst = v->arena + v->used;

	if (len > sizeof(v->arena) - v->used)
		return NULL;
	memcpy(dst, p, len);
	v->used += len;
	return dst;
}

/* A derived string: copied into the arena, <NA> if it does not fit. */
static void add_copy(struct view *v, const char *key, const char *s,
		     size_t len)
{
	const char *dst = arena_add(v, s, len);

	if (dst)
		add_bytes(v, key, dst, len);
	else
		add_field(v, key);
}

/* A string field that may be cut ("..." appended) or missing (<NA>). */
static void add_flagged(struct view *v, const char *key, const char *s,
			size_t max, bool cut, bool unavailable)
{
	size_t len = strnlen(s, max);
	char *dst;

	if (unavailable || !len) {
		add_field(v, key);
		return;
	}
	if (!cut) {
		add_bytes(v, key, s, len);
		return;
	}
	dst = arena_add(v, s, len);
	if (dst && arena_add(v, "...", 3))
		add_bytes(v, key, dst, len + 3);
	else
		add_bytes(v, key, s, len);
}

/*
 * A value that may be empty (an environment variable set to ""), which is
 * not the same as no value.  @cut appends "...", as add_flagged() does.
 */
static void add_value(struct view *v, const char *key, const char *s,
		      size_t len, bool cut)
{
	struct field *f = add_field(v, key);
	char *dst;

	if (!f)
		return;
	f->kind = FIELD_STR;
	f->s = s;
	f->len = len;
	if (!cut)
		return;
	dst = arena_add(v, s, len);
	if (dst && arena_add(v, "...", 3)) {
		f->s = dst;
		f->len = len + 3;
	}
}

/* A field's name built from parts, in the arena; NULL when it is full. */
static const char *arena_key(struct view *v, const char *prefix,
			     const char *name, size_t name_len)
{
	char *key = v->arena + v->used;

	if (!arena_add(v, prefix, strlen(prefix)) ||
	    !arena_add(v, name, name_len) || !arena_add(v, "]", 2))
		return NULL;
	return key;
}

/* proc.cmdline as Falco forms it: comm, then argv[1..] joined by spaces. */
static void add_cmdline(struct view *v, const struct cimon_process *p,
			uint32_t flags)
{
	size_t len = p->cmdline_len, comm_len, i, start, end, n;
	const char *arg0_end;
	char *dst, *args;

	if (flags & CIMON_F_CMDLINE_UNAVAILABLE) {
		add_field(v, "proc.cmdline");
		return;
	}
	if (len > sizeof(p->cmdline))
		len = sizeof(p->cmdline);
	comm_len = strnlen(p->comm, sizeof(p->comm));
	dst = v->arena + v->used;
	if (!arena_add(v, p->comm, comm_len)) {
		add_field(v, "proc.cmdline");
		return;
	}
	arg0_end = memchr(p->cmdline, '\0', len);
	start = arg0_end ? (size_t)(arg0_end - p->cmdline) + 1 : len;
	/* The NUL that ends the last argument separates nothing. */
	end = (len && !p->cmdline[len - 1]) ? len - 1 : len;
	if (start < end && arena_add(v, " ", 1)) {
		/* As much as fits, NULs between arguments turned to spaces. */
		n = end - start;
		if (n > sizeof(v->arena) - v->used)
			n = sizeof(v->arena) - v->used;
		args = arena_add(v, p->cmdline + start, n);
		for (i = 0; i < n; i++)
			if (!args[i])
				args[i] = ' ';
	}
	if (flags & CIMON_F_CMDLINE_TRUNCATED)
		arena_add(v, "...", 3);
	add_bytes(v, "proc.cmdline", dst, (size_t)(v->arena + v->used - dst));
}

/* ---- the environment of an exec ----------------------------------------- */

/* One "NAME=value" string of an env section. */
struct env_var {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

/*
 * The next variable of @sec (@len bytes) at or after *@pos; false at the
 * end.  Strings without a name or an '=' are skipped, and the last one
 * may lack its NUL: nothing is read past @len.
 */
static bool next_env_var(const char *sec, size_t len, size_t *pos,
			 struct env_var *var)
{
	const char *s, *nul, *eq;
	size_t n;

	while (*pos < len) {
		s = sec + *pos;
		nul = memchr(s, '\0', len - *pos);
		n = nul ? (size_t)(nul - s) : len - *pos;
		*pos += n + 1;
		eq = memchr(s, '=', n);
		if (!eq || eq == s)
			continue;
		var->name = s;
		var->name_len = (size_t)(eq - s);
		var->value = eq + 1;
		var->value_len = n - var->name_len - 1;
		return true;
	}
	return false;
}

/*
 * The fields of one env section (cimon_event.env or .aenv): @whole, the
 * "NAME=value" strings joined by spaces as Falco shows proc.env, then
 * @prefix NAME "]" for each variable (proc.env[HOME]).  Under @cut the
 * kernel cut a value or left variables out: a value of the longest length
 * a value can have ends in "...", and so does @whole.  Under @unavailable
 * there is nothing: <NA>.
 */
static void add_env(struct view *v, const char *sec, uint32_t sec_len,
		    bool cut, bool unavailable, const char *whole,
		    const char *prefix)
{
	size_t len = sec_len < CIMON_ENV_LEN ? sec_len : CIMON_ENV_LEN;
	size_t pos = 0, nvars = 0;
	struct env_var var;
	const char *key;
	char *joined;

	if (unavailable) {
		add_field(v, whole);
		return;
	}
	joined = v->arena + v->used;
	while (next_env_var(sec, len, &pos, &var) &&
	       nvars < CIMON_ENV_KEYS_MAX) {
		if ((nvars++ && !arena_add(v, " ", 1)) ||
		    !arena_add(v, var.name, var.name_len + 1 + var.value_len))
			break;
	}
	if (cut)
		arena_add(v, "...", 3);
	add_bytes(v, whole, joined, (size_t)(v->arena + v->used - joined));

	pos = 0;
	nvars = 0;
	while (next_env_var(sec, len, &pos, &var) &&
	       nvars++ < CIMON_ENV_KEYS_MAX) {
		key = arena_key(v, prefix, var.name, var.name_len);
		if (!key)
			break;
		/* Twice in the environment: the first, as getenv() finds. */
		if (find_field(v, key, strlen(key)))
			continue;
		add_value(v, key, var.value, var.value_len,
			  cut && var.value_len >= CIMON_ENV_VALUE_LEN - 1);
	}
}

/* ---- the GitHub Actions step -------------------------------------------- */

/* In a job: the kernel found a step for the process. */
static bool in_job(const struct cimon_github *g)
{
	return g->repository[0] || g->workflow[0] || g->run_id[0] ||
	       g->job[0] || g->action[0] || g->action_repository[0] ||
	       g->action_ref[0];
}

/*
 * A github.* string.  The kernel says only that one of them was cut: a
 * string that fills its array is the one (or one of those) marked.
 */
#define add_github(v, key, arr, cut) \
	add_flagged(v, key, arr, sizeof(arr), \
		    (cut) && strnlen(arr, sizeof(arr)) >= sizeof(arr) - 1, \
		    false)

static void build_github(struct view *v, const struct cimon_event *ev)
{
	const struct cimon_github *g = &ev->github;
	bool cut = ev->flags & CIMON_F_GITHUB_TRUNCATED;

	/* Outside a job: no github.* keys, Falco's JSON shape. */
	if (!in_job(g))
		return;
	add_github(v, "github.repository", g->repository, cut);
	add_github(v, "github.workflow", g->workflow, cut);
	add_github(v, "github.run_id", g->run_id, cut);
	add_github(v, "github.job", g->job, cut);
	add_github(v, "github.action", g->action, cut);
	add_github(v, "github.action_repository", g->action_repository, cut);
	add_github(v, "github.action_ref", g->action_ref, cut);
}

/* ---- open flags and ptrace requests ------------------------------------ */

/*
 * The kernel's O_* values (asm-generic, which x86 uses), spelled out:
 * glibc's differ for O_LARGEFILE (0 on 64-bit), which f_flags always has.
 */
static const struct { uint32_t bit; const char *name; } open_flags[] = {
	{ 00000100, "O_CREAT" }, { 00000200, "O_EXCL" },
	{ 00000400, "O_NOCTTY" }, { 00001000, "O_TRUNC" },
	{ 00002000, "O_APPEND" }, { 00004000, "O_NONBLOCK" },
	{ 00010000, "O_DSYNC" }, { 00020000, "FASYNC" },
	{ 00040000, "O_DIRECT" }, { 00100000, "O_LARGEFILE" },
	{ 00200000, "O_DIRECTORY" }, { 00400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
	{ 04000000, "O_SYNC" }, { 010000000, "O_PATH" },
	{ 020000000, "O_TMPFILE" },
};

static const char *const acc_modes[] = {
	"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"
};
static const char *const acc_words[] = {
	"read", "write", "read-write", "ioctl"
};

/* Appends @s at @n of @buf, which the caller sized for every name. */
static size_t put_name(char *buf, size_t n, const char *s)
{
	size_t len = strlen(s);

	memcpy(buf + n, s, len);
	return n + len;
}

static void add_open_flags(struct view *v, uint32_t flags)
{
	char buf[512];	/* every name, a '|' before each, and |0x%x */
	uint32_t rest = flags & ~3U;
	size_t i, n;

	n = put_name(buf, 0, acc_modes[flags & 3]);
	for (i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); i++) {
		if (!(flags & open_flags[i].bit))
			continue;
		n = put_name(buf, n, "|");
		n = put_name(buf, n, open_flags[i].name);
		rest &= ~open_flags[i].bit;
	}
	if (rest)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "|0x%" PRIx32,
				      rest);
	add_copy(v, "evt.arg.flags", buf, n);
	add_num(v, "evt.rawarg.flags", flags);
	add_lit(v, "cimon.access", acc_words[flags & 3]);
}

#define PTRACE_ATTACH_REQ	16
#define PTRACE_SEIZE_REQ	0x4206

static void add_ptrace_request(struct view *v, uint32_t req)
{
	char buf[16];
	size_t n;

	if (req == PTRACE_ATTACH_REQ) {
		add_lit(v, "evt.arg.request", "PTRACE_ATTACH");
		add_lit(v, "cimon.access", "attach");
	} else if (req == PTRACE_SEIZE_REQ) {
		add_lit(v, "evt.arg.request", "PTRACE_SEIZE");
		add_lit(v, "cimon.access", "seize");
	} else {
		n = (size_t)snprintf(buf, sizeof(buf), "0x%" PRIx32, req);
		add_copy(v, "evt.arg.request", buf, n);
		add_lit(v, "cimon.access", "attach");
	}
	add_num(v, "evt.rawarg.request", req);
}

/* ---- building the view ------------------------------------------------- */

#define FALCO_OUTPUT_HEAD \
	"A process %proc.name with pid %proc.pid is dumping memory of " \
	"other processes ("
#define FALCO_OUTPUT_TAIL \
	" process=%proc.name proc_exepath=%proc.exepath " \
	"gparent=%proc.aname[2] ggparent=%proc.aname[3] " \
	"gggparent=%proc.aname[4] command=%proc.cmdline terminal=%proc.tty " \
	"container_image=<NA>) target=%target.name target_pid=%target.pid " \
	"verdict=%cimon.verdict"

static const char output_file_tmpl[] =
	FALCO_OUTPUT_HEAD "file=%fd.name" FALCO_OUTPUT_TAIL;
static const char output_access_tmpl[] =
	FALCO_OUTPUT_HEAD "access=%cimon.event" FALCO_OUTPUT_TAIL;

/* /dev/mem, /dev/port or /proc/kcore opened, without a rule's template. */
static const char output_kmem_tmpl[] =
	"Kernel or physical memory opened (file=%fd.name "
	"flags=%evt.arg.flags process=%proc.name pid=%proc.pid "
	"exepath=%proc.exepath parent=%proc.pname gparent=%proc.aname[2] "
	"command=%proc.cmdline uid=%user.uid terminal=%proc.tty "
	"container_id=%container.id) verdict=%cimon.verdict";

/* An exec reported without a rule's template: what it ran, and its env. */
static const char output_exec_tmpl[] =
	"A program was executed (process=%proc.name pid=%proc.pid "
	"exepath=%proc.exepath parent=%proc.pname gparent=%proc.aname[2] "
	"command=%proc.cmdline uid=%user.uid terminal=%proc.tty "
	"container_id=%container.id env=%proc.env "
	"parent_env=%proc.aenv[1]) verdict=%cimon.verdict";

#define TEXT_WHO "%proc.name (pid %proc.pid, uid %user.uid, exe %proc.exepath) "
#define TEXT_WHOM " %target.name (pid %target.pid, exe %target.exepath) " \
	"cmdline=\"%proc.cmdline\" parent=%proc.pname tty=%cimon.tty " \
	"container=%container.id verdict=%cimon.verdict"

static const char *const text_tmpls[CIMON_EVENT_TYPE_COUNT] = {
	[CIMON_EVENT_MEM_OPEN] =
		TEXT_WHO "opened %fd.name [%cimon.access] of" TEXT_WHOM,
	[CIMON_EVENT_ENVIRON_OPEN] =
		TEXT_WHO "opened %fd.name [%cimon.access] of" TEXT_WHOM,
	[CIMON_EVENT_PTRACE_ATTACH] =
		TEXT_WHO "attached with ptrace (%evt.arg.request) to" TEXT_WHOM,
	[CIMON_EVENT_VM_READ] =
		TEXT_WHO "read the memory (%evt.type) of" TEXT_WHOM,
	[CIMON_EVENT_VM_WRITE] =
		TEXT_WHO "wrote the memory (%evt.type) of" TEXT_WHOM,
	[CIMON_EVENT_PIDFD_GETFD] =
		TEXT_WHO "took a file descriptor (%evt.type) of" TEXT_WHOM,
	[CIMON_EVENT_EXEC] =
		TEXT_WHO "started (%evt.type), parent %proc.pname: "
		"cmdline=\"%proc.cmdline\" env=\"%proc.env\" "
		"parent_env=\"%proc.aenv[1]\" tty=%cimon.tty "
		"container=%container.id verdict=%cimon.verdict",
	[CIMON_EVENT_KMEM_OPEN] =
		TEXT_WHO "opened %fd.name [%cimon.access], the kernel's or "
		"the machine's memory: cmdline=\"%proc.cmdline\" "
		"parent=%proc.pname tty=%cimon.tty container=%container.id "
		"verdict=%cimon.verdict",
};

static void build_process(struct view *v, const struct cimon_event *ev)
{
	const struct cimon_process *p = &ev->proc;

	add_array(v, "proc.name", p->comm);
	add_num(v, "proc.pid", p->tgid);
	add_num(v, "thread.tid", p->pid);
	add_num(v, "proc.ppid", p->ppid);
	add_flagged(v, "proc.exepath", p->exe, sizeof(p->exe),
		    ev->flags & CIMON_F_EXE_TRUNCATED,
		    ev->flags & CIMON_F_EXE_UNAVAILABLE);
	add_cmdline(v, p, ev->flags);
	add_array(v, "proc.pname", p->ancestors[0]);
	add_array(v, "proc.aname[2]", p->ancestors[1]);
	add_array(v, "proc.aname[3]", p->ancestors[2]);
	add_array(v, "proc.aname[4]", p->ancestors[3]);
	add_num(v, "user.uid", p->uid);
	add_num(v, "user.euid", p->euid);
	add_num(v, "proc.tty", p->tty_dev);
	add_array(v, "cimon.tty", p->tty);
	if (strnlen(p->container_id, sizeof(p->container_id)))
		add_array(v, "container.id", p->container_id);
	else
		add_lit(v, "container.id", "host");
}

static void build_target(struct view *v, const struct cimon_event *ev)
{
	const struct cimon_target *t = &ev->target;

	add_num(v, "target.pid", t->tgid);
	add_num(v, "target.tid", t->pid);
	add_array(v, "target.name", t->comm);
	add_flagged(v, "target.exepath", t->exe, sizeof(t->exe),
		    ev->flags & CIMON_F_TARGET_EXE_TRUNCATED,
		    ev->flags & CIMON_F_TARGET_EXE_UNAVAILABLE);
}

/*
 * A rule-matched event: the rule's name, priority, tags and output when
 * @r tells them, else "cimon: rule <id>" with the built-in rendering.
 */
static void apply_rule(struct view *v, const struct cimon_event *ev,
		       const struct cimon_fmt_rule *r)
{
	const char *s;

	add_num(v, "cimon.rule_id", ev->rule_id);
	if (r && r->id != ev->rule_id)
		r = NULL;
	if (!r || !r->name || !*r->name) {
		snprintf(v->rule_buf, sizeof(v->rule_buf), CIMON_RULE_FALLBACK,
			 ev->rule_id);
		v->rule = v->rule_buf;
	} else {
		v->rule = r->name;
	}
	if (!r) {
		add_field(v, "cimon.action");
		return;
	}
	s = cimon_priority_name(r->priority);
	if (s)
		v->priority = s;
	v->tags = r->tags ? r->tags : "";
	if (r->output && *r->output)
		v->output_tmpl = v->text_tmpl = r->output;
	s = cimon_action_name(r->action);
	if (s)
		add_lit(v, "cimon.action", s);
	else
		add_field(v, "cimon.action");
}

static void add_verdict(struct view *v, const struct cimon_event *ev)
{
	const char *s = cimon_verdict_name(ev->verdict);

	v->verdict = ev->verdict;
	add_lit(v, "cimon.verdict", s ? s : "unknown");
}

/* An event of a known type: memory access, exec, kernel memory open. */
static void build_event(struct view *v, const struct cimon_event *ev,
			const struct cimon_fmt_rule *rule)
{
	bool exec = ev->type == CIMON_EVENT_EXEC;

	v->rule = exec ? CIMON_RULE_EXEC : CIMON_RULE_MEMORY;
	v->priority = "Warning";
	if (ev->type == CIMON_EVENT_KMEM_OPEN) {
		v->rule = CIMON_RULE_KMEM;
		v->priority = "Critical";
	}
	v->tag = "CI/CD";
	v->text_tmpl = text_tmpls[ev->type];
	add_lit(v, "evt.type", cimon_evt_type(ev));
	add_lit(v, "cimon.event", cimon_event_type_name(ev->type));
	build_process(v, ev);
	if (exec) {
		v->output_tmpl = output_exec_tmpl;
		add_env(v, ev->env, ev->env_len,
			ev->flags & CIMON_F_ENV_TRUNCATED,
			ev->flags & CIMON_F_ENV_UNAVAILABLE,
			"proc.env", "proc.env[");
		add_env(v, ev->aenv, ev->aenv_len,
			ev->flags & CIMON_F_AENV_TRUNCATED,
			ev->flags & CIMON_F_AENV_UNAVAILABLE,
			"proc.aenv[1]", "proc.aenv[1][");
	} else if (is_open_event(ev->type)) {
		v->output_tmpl = ev->type == CIMON_EVENT_KMEM_OPEN ?
				 output_kmem_tmpl : output_file_tmpl;
		add_flagged(v, "fd.name", ev->file, sizeof(ev->file),
			    ev->flags & CIMON_F_FILE_TRUNCATED, false);
		add_open_flags(v, ev->arg);
	} else {
		v->output_tmpl = output_access_tmpl;
		if (ev->type == CIMON_EVENT_PTRACE_ATTACH)
			add_ptrace_request(v, ev->arg);
	}
	/* An exec or a kernel memory open acts on no other process. */
	if (has_target(ev->type))
		build_target(v, ev);
	add_verdict(v, ev);
	build_github(v, ev);
	add_num(v, "cimon.seq", ev->seq);
	add_num(v, "evt.time", ev->time_ns);
	if (!cimon_event_is_builtin(ev))
		apply_rule(v, ev, rule);
}

static void build_lost(struct view *v, const struct cimon_event *ev)
{
	v->rule = CIMON_RULE_LOST;
	v->priority = "Error";
	v->tag = "cimon";
	v->output_tmpl = v->text_tmpl =
		"%cimon.lost events were overwritten before this reader "
		"read them: it fell behind the ring";
	add_num(v, "cimon.lost", ev->lost);
}

static void build_missed(struct view *v, const struct cimon_event *ev)
{
	v->rule = CIMON_RULE_MISSED;
	v->priority = "Critical";
	v->tag = "cimon";
	v->output_tmpl = v->text_tmpl =
		"%cimon.missed detections could not happen or could not be "
		"reported (a kernel probe missed, or no room to queue them): "
		"see probe_misses and dropped in cimon status";
	add_num(v, "cimon.missed", ev->lost);
}

#define TAMPER_TEXT(what) \
	TEXT_WHO "tried to " what ", and was denied: cimon is locked until " \
	"reboot; cmdline=\"%proc.cmdline\" parent=%proc.pname tty=%cimon.tty " \
	"container=%container.id verdict=%cimon.verdict"

static const char *const tamper_text_tmpls[] = {
	[CIMON_TAMPER_UNLOAD] = TAMPER_TEXT("unload the cimon module"),
	[CIMON_TAMPER_MODE] = TAMPER_TEXT("lower cimon's mode"),
	[CIMON_TAMPER_RULES] = TAMPER_TEXT("replace cimon's rule set"),
	[CIMON_TAMPER_KPROBES] =
		TAMPER_TEXT("disarm every kprobe (debugfs kprobes/enabled)"),
};

static const char output_tamper_tmpl[] =
	"Tamper attempt on a locked cimon denied (attempt=%cimon.tamper "
	"syscall=%evt.type process=%proc.name pid=%proc.pid "
	"exepath=%proc.exepath parent=%proc.pname gparent=%proc.aname[2] "
	"command=%proc.cmdline uid=%user.uid euid=%user.euid "
	"terminal=%proc.tty container_id=%container.id) "
	"verdict=%cimon.verdict";

/* A denied attempt to weaken a locked cimon: a built-in alert. */
static void build_tamper(struct view *v, const struct cimon_event *ev)
{
	const char *name = cimon_syscall_name(ev->syscall_nr, ev->flags);
	const char *kind = cimon_tamper_name(ev->arg);

	v->rule = CIMON_RULE_TAMPER;
	v->priority = "Critical";
	v->tag = "cimon";
	v->output_tmpl = output_tamper_tmpl;
	v->text_tmpl = kind ? tamper_text_tmpls[ev->arg] :
		       TAMPER_TEXT("weaken cimon (attempt %cimon.tamper)");
	if (!name && ev->arg == CIMON_TAMPER_UNLOAD)
		name = "delete_module";
	if (name)
		add_lit(v, "evt.type", name);
	else
		add_field(v, "evt.type");
	add_lit(v, "cimon.event", "tamper");
	if (kind)
		add_lit(v, "cimon.tamper", kind);
	else
		add_num(v, "cimon.tamper", ev->arg);
	build_process(v, ev);
	add_verdict(v, ev);
	build_github(v, ev);
	add_num(v, "cimon.seq", ev->seq);
	add_num(v, "evt.time", ev->time_ns);
}

static void build_unknown(struct view *v, const struct cimon_event *ev)
{
	v->rule = CIMON_RULE_UNKNOWN;
	v->priority = "Notice";
	v->tag = "cimon";
	v->output_tmpl = v->text_tmpl =
		"event of type %cimon.type that this cimon does not know "
		"(is the module newer than cimon?)";
	add_num(v, "cimon.type", ev->type);
	add_num(v, "cimon.seq", ev->seq);
}

static void build_view(struct view *v, const struct cimon_event *ev,
		       const struct cimon_fmt_rule *rule)
{
	/* Only what add_field() hands out of f[] is ever read. */
	memset(v, 0, offsetof(struct view, f));
	v->time_ns = ev->time_ns;
	if (ev->type == CIMON_EVENT_LOST)
		build_lost(v, ev);
	else if (ev->type == CIMON_EVENT_MISSED)
		build_missed(v, ev);
	else if (ev->type == CIMON_EVENT_TAMPER)
		build_tamper(v, ev);
	else if (cimon_event_type_name(ev->type))
		build_event(v, ev, rule);
	else
		build_unknown(v, ev);
}

/* ---- rendering --------------------------------------------------------- */

/*
 * For a terminal: a process name or path must not be able to send escape
 * sequences to it, nor fake a closing quote, so control bytes (C1 too),
 * invalid UTF-8, '"' and '\\' are escaped; readable UTF-8 stays.
 */
/* Length of the printable UTF-8 character at @p, 0 if it is a C1 control. */
static size_t printable_utf8(const unsigned char *p, size_t len)
{
	size_t n = cimon_utf8_seq_len(p, len);

	return (n && p[0] == 0xc2 && p[1] < 0xa0) ? 0 : n;
}

/*
 * What a byte becomes on a text line: 0, itself; 'q', itself, with a
 * backslash before it in a value; '8', the start of a printable UTF-8
 * character or not; 'x', \xXX.
 */
static const char text_escapes[256] = {
	[0x00 ... 0x1f] = 'x',
	['"'] = 'q', ['\\'] = 'q', [0x7f] = 'x',
	[0x80 ... 0xff] = '8',
};

/* \xXX, as "\\x%02x" writes it. */
static char *put_hex_escape(char *out, unsigned char c)
{
	static const char hex_digits[] = "0123456789abcdef";

	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex_digits[c >> 4];
	out[3] = hex_digits[c & 0xf];
	return out + 4;
}

/* With !@quotes, '"' and '\\' pass (a rule's own text, not a value). */
static void text_escape_q(struct cimon_sbuf *sb, const char *s, size_t len,
			  bool quotes)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run;
	char *out, esc;
	size_t n;

	/* At most 4 bytes ("\xXX") for each byte. */
	out = cimon_sbuf_reserve_each(sb, len, 4, 0);
	if (!out)
		return;
	while (p < end) {
		/* The bytes that stand for themselves go out as one run. */
		run = p;
		while (p < end && !text_escapes[*p])
			p++;
		memcpy(out, run, (size_t)(p - run));
		out += p - run;
		if (p == end)
			break;
		esc = text_escapes[*p];
		n = esc == '8' ? printable_utf8(p, (size_t)(end - p)) : 0;
		if (esc == 'q') {
			if (quotes)
				*out++ = '\\';
			*out++ = (char)*p++;
		} else if (n) {
			memcpy(out, p, n);
			out += n;
			p += n;
		} else {
			out = put_hex_escape(out, *p++);
		}
	}
	cimon_sbuf_commit(sb, out);
}

static void text_escape(struct cimon_sbuf *sb, const char *s, size_t len)
{
	text_escape_q(sb, s, len, true);
}

static bool is_key_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_key_char(char c)
{
	return is_key_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One %reference of a template: a field name and its [argument], if any. */
struct ref {
	const char *name;
	size_t name_len;
	const char *arg;	/* NULL: none */
	size_t arg_len;
};

/*
 * Parses the reference whose name starts at @p (just past the '%'), with
 * the syntax the rule compiler checks: NAME, NAME[ARG], NAME["ARG"],
 * and NAME[ARG][ARG] as conditions have it.
 * Returns the end of the reference, or NULL when no name starts at @p
 * (the '%' is then literal).
 */
static const char *parse_ref(const char *p, const char *end, struct ref *r)
{
	const char *q = p, *close;

	if (q >= end || !is_key_start(*q))
		return NULL;
	while (q < end && is_key_char(*q))
		q++;
	r->name = p;
	r->arg = NULL;
	r->arg_len = 0;
	if (q < end && *q == '[') {
		close = memchr(q + 1, ']', (size_t)(end - q - 1));
		if (close) {
			r->name_len = (size_t)(q - p);
			r->arg = q + 1;
			/* proc.aenv[1][HOME]: both arguments, as one. */
			if (close + 1 < end && close[1] == '[') {
				q = memchr(close + 2, ']',
					   (size_t)(end - close - 2));
				if (q)
					close = q;
			}
			r->arg_len = (size_t)(close - r->arg);
			return close + 1;
		}
	}
	/* "pid %proc.pid." ends a sentence: the full stop is text. */
	while (q[-1] == '.')
		q--;
	r->name_len = (size_t)(q - p);
	return q;
}

static bool ref_is(const struct ref *r, const char *name)
{
	return r->name_len == strlen(name) && !memcmp(r->name, name, r->name_len);
}

/* Strips the quotes of "NAME" or 'NAME', as Falco reads proc.env["NAME"]. */
static void unquote(const char **arg, size_t *len)
{
	if (*len >= 2 && ((*arg)[0] == '"' || (*arg)[0] == '\'') &&
	    (*arg)[*len - 1] == (*arg)[0]) {
		(*arg)++;
		*len -= 2;
	}
}

/* Appends @len bytes of @s at *@pos of a key the caller checked the size of. */
static void key_put(char *key, size_t *pos, const char *s, size_t len)
{
	memcpy(key + *pos, s, len);
	*pos += len;
}

/* The field a reference names, or NULL: cimon has no value for it. */
static const struct field *lookup_ref(const struct view *v,
				      const struct ref *r)
{
	const char *arg = r->arg, *sep;
	size_t len = r->arg_len, i, idx_len = 0, k = 0;
	unsigned int n = 0;
	char key[CIMON_ENV_LEN + 32];

	if (!arg)
		return find_field(v, r->name, r->name_len);
	if (r->name_len + len + 8 >= sizeof(key))
		return NULL;
	/* proc.aenv[1][NAME]: parse_ref took both arguments as one. */
	sep = ref_is(r, "proc.aenv") ? memchr(arg, ']', len) : NULL;
	if (sep) {
		if ((size_t)(sep - arg) + 1 >= len || sep[1] != '[')
			return NULL;
		idx_len = (size_t)(sep - arg);
		arg = sep + 2;
		len -= idx_len + 2;
		unquote(&arg, &len);
		/* proc.aenv[IDX][NAME] */
		key_put(key, &k, "proc.aenv[", 10);
		key_put(key, &k, r->arg, idx_len);
		key_put(key, &k, "][", 2);
		key_put(key, &k, arg, len);
		key_put(key, &k, "]", 1);
		return find_field(v, key, k);
	}
	unquote(&arg, &len);
	if (ref_is(r, "proc.aname")) {
		if (!len || len > 3)
			return NULL;
		for (i = 0; i < len; i++) {
			if (arg[i] < '0' || arg[i] > '9')
				return NULL;
			n = n * 10 + (unsigned int)(arg[i] - '0');
		}
		if (n == 0)
			return find_field(v, "proc.name", strlen("proc.name"));
		if (n == 1)
			return find_field(v, "proc.pname", strlen("proc.pname"));
		/* proc.aname[N], N in decimal: without its leading zeros */
		while (arg[0] == '0') {
			arg++;
			len--;
		}
	}
	if (r->name_len + len + 2 >= sizeof(key))
		return NULL;
	/* NAME[ARG] */
	key_put(key, &k, r->name, r->name_len);
	key_put(key, &k, "[", 1);
	key_put(key, &k, arg, len);
	key_put(key, &k, "]", 1);
	return find_field(v, key, k);
}

static void render_value(struct cimon_sbuf *sb, const struct field *f,
			 bool text)
{
	if (!f || f->kind == FIELD_NA)
		cimon_sbuf_adds(sb, CIMON_NA);
	else if (f->kind == FIELD_NUM)
		cimon_sbuf_add_u64(sb, f->n);
	else if (text)
		text_escape(sb, f->s, f->len);
	else
		cimon_sbuf_add(sb, f->s, f->len);
}

/* Text between references: as is, but never a control byte to a tty. */
static void render_literal(struct cimon_sbuf *sb, const char *s, size_t len,
			   bool text)
{
	if (text)
		text_escape_q(sb, s, len, false);
	else
		cimon_sbuf_add(sb, s, len);
}

/*
 * Cuts what was rendered since @start to CIMON_OUTPUT_MAX bytes, "..."
 * included, at the start of a UTF-8 character.
 */
static void cut_output(struct cimon_sbuf *sb, size_t start)
{
	size_t keep = CIMON_OUTPUT_MAX - 3, back;

	if (sb->oom || sb->len - start <= CIMON_OUTPUT_MAX)
		return;
	for (back = 0; back < 3 && keep &&
	     ((unsigned char)sb->buf[start + keep] & 0xc0) == 0x80; back++)
		keep--;
	sb->len = start + keep;
	sb->buf[sb->len] = '\0';
	cimon_sbuf_add(sb, "...", 3);
}

/*
 * Expands a Falco output template: each %field from the field table (a
 * field cimon does not fill is <NA>), a '%' that starts no field name
 * is literal, and blanks around the whole are trimmed, as Falco does.
 * The result is at most CIMON_OUTPUT_MAX bytes.
 */
static void render_template(struct cimon_sbuf *sb, const struct view *v,
			    const char *tmpl, bool text)
{
	const char *p = tmpl, *end = tmpl + strlen(tmpl), *q;
	size_t start = sb->len, n;
	struct ref r;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	while (p < end && !sb->oom && sb->len - start <= CIMON_OUTPUT_MAX) {
		if (*p != '%') {
			q = memchr(p, '%', (size_t)(end - p));
			n = (size_t)((q ? q : end) - p);
			if (n > CIMON_OUTPUT_MAX + 1)
				n = CIMON_OUTPUT_MAX + 1;
			render_literal(sb, p, n, text);
			p += n;
			continue;
		}
		q = parse_ref(p + 1, end, &r);
		if (!q) {
			render_literal(sb, "%", 1, text);
			p++;
			continue;
		}
		render_value(sb, lookup_ref(v, &r), text);
		p = q;
	}
	cut_output(sb, start);
}

static void json_field(struct cimon_json *j, const struct field *f)
{
	cimon_json_key(j, f->key);
	if (f->kind == FIELD_NUM)
		cimon_json_u64(j, f->n);
	else if (f->kind == FIELD_STR)
		cimon_json_str(j, f->s, f->len);
	else
		cimon_json_cstr(j, CIMON_NA);
}

/* A built-in rule's one tag, or a loaded rule's comma-separated ones. */
static void json_tags(struct cimon_json *j, const struct view *v)
{
	const char *p = v->tags, *end, *comma, *e;

	cimon_json_arr_open(j);
	if (!p) {
		cimon_json_cstr(j, v->tag);
		cimon_json_arr_close(j);
		return;
	}
	end = p + strlen(p);
	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		e = comma ? comma : end;
		while (p < e && is_blank(*p))
			p++;
		while (e > p && is_blank(e[-1]))
			e--;
		if (e > p)
			cimon_json_str(j, p, (size_t)(e - p));
		p = comma ? comma + 1 : end;
	}
	cimon_json_arr_close(j);
}

/* Falco's output keys, in the order Falco writes them. */
static void format_json(struct cimon_sbuf *sb, const struct view *v,
			const struct cimon_fmt_opts *opts)
{
	struct cimon_sbuf out;
	struct cimon_json j;
	char time[64];
	unsigned int i;

	cimon_sbuf_init(&out);
	/* Room for most outputs at once: one allocation per event. */
	cimon_sbuf_reserve(&out, 2048);
	render_template(&out, v, v->output_tmpl, false);
	cimon_format_time(time, sizeof(time), v->time_ns, true);

	cimon_json_init(&j, sb);
	cimon_json_obj_open(&j);
	cimon_json_key(&j, "hostname");
	cimon_json_cstr(&j, opts->hostname ? opts->hostname : CIMON_NA);
	cimon_json_key(&j, "output");
	cimon_json_str(&j, cimon_sbuf_str(&out), out.len);
	cimon_json_key(&j, "output_fields");
	cimon_json_obj_open(&j);
	for (i = 0; i < v->nr; i++)
		json_field(&j, &v->f[i]);
	cimon_json_obj_close(&j);
	cimon_json_key(&j, "priority");
	cimon_json_cstr(&j, v->priority);
	cimon_json_key(&j, "rule");
	cimon_json_str(&j, v->rule, strnlen(v->rule, CIMON_RULE_NAME_MAX));
	cimon_json_key(&j, "source");
	cimon_json_cstr(&j, "cimon");
	cimon_json_key(&j, "tags");
	json_tags(&j, v);
	cimon_json_key(&j, "time");
	cimon_json_cstr(&j, time);
	cimon_json_obj_close(&j);
	cimon_sbuf_addc(sb, '\n');
	if (out.oom)
		sb->oom = true;
	cimon_sbuf_free(&out);
}

/* A github.* value of the event, or NULL when it has none. */
static const struct field *step_field(const struct view *v, const char *key)
{
	const struct field *f = find_field(v, key, strlen(key));

	return f && f->kind == FIELD_STR ? f : NULL;
}

/*
 * One value of the step tag: quoted when it would not read as one word
 * ("CI / build"#1234), and escaped like every value of a text line.
 */
static void step_value(struct cimon_sbuf *sb, const struct field *f)
{
	bool quote = false;
	size_t i;

	for (i = 0; i < f->len && !quote; i++)
		quote = (unsigned char)f->s[i] <= ' ' || f->s[i] == '"' ||
			f->s[i] == '[' || f->s[i] == ']' || f->s[i] == '#' ||
			f->s[i] == 0x7f;
	if (quote)
		cimon_sbuf_addc(sb, '"');
	text_escape(sb, f->s, f->len);
	if (quote)
		cimon_sbuf_addc(sb, '"');
}

/*
 * Which GitHub Actions step did it, after the rule's name, in a job only:
 * " [octo/app build#1234 job=test step=__run_2
 * uses=tj-actions/changed-files@v45]" (repository, workflow#run, job,
 * step id, and the action of a uses: step).  What the event lacks is left
 * out; a cut value ends in "...", as in the JSON.
 */
/* Starts the next part of the step tag: " [" first, then " ". */
static void step_part(struct cimon_sbuf *sb, bool *open, const char *label)
{
	cimon_sbuf_adds(sb, *open ? " " : " [");
	cimon_sbuf_adds(sb, label);
	*open = true;
}

static void format_step(struct cimon_sbuf *sb, const struct view *v)
{
	const struct field *repo = step_field(v, "github.repository");
	const struct field *wf = step_field(v, "github.workflow");
	const struct field *run = step_field(v, "github.run_id");
	const struct field *job = step_field(v, "github.job");
	const struct field *step = step_field(v, "github.action");
	const struct field *uses = step_field(v, "github.action_repository");
	const struct field *ref = step_field(v, "github.action_ref");
	bool open = false;

	if (repo) {
		step_part(sb, &open, "");
		step_value(sb, repo);
	}
	if (wf || run) {
		step_part(sb, &open, "");
		if (wf)
			step_value(sb, wf);
		if (run) {
			cimon_sbuf_addc(sb, '#');
			step_value(sb, run);
		}
	}
	if (job) {
		step_part(sb, &open, "job=");
		step_value(sb, job);
	}
	if (step) {
		step_part(sb, &open, "step=");
		step_value(sb, step);
	}
	if (uses) {
		step_part(sb, &open, "uses=");
		step_value(sb, uses);
		if (ref) {
			cimon_sbuf_addc(sb, '@');
			step_value(sb, ref);
		}
	}
	if (open)
		cimon_sbuf_addc(sb, ']');
}

#define ANSI_RESET	"\033[0m"
#define ANSI_BOLD	"\033[1m"
#define ANSI_RED	"\033[1;31m"
#define ANSI_YELLOW	"\033[1;33m"
#define ANSI_CYAN	"\033[36m"

static const char *priority_color(const char *priority)
{
	if (!strcmp(priority, "Emergency") || !strcmp(priority, "Alert") ||
	    !strcmp(priority, "Critical") || !strcmp(priority, "Error"))
		return ANSI_RED;
	if (!strcmp(priority, "Warning"))
		return ANSI_YELLOW;
	return ANSI_CYAN;
}

/*
 * What cimon did, before the rule's name, when it did more than report:
 * a rule's own output may not say it.
 */
static void format_verdict(struct cimon_sbuf *sb, const struct view *v,
			   bool color)
{
	const char *mark, *col;

	if (v->verdict == CIMON_VERDICT_BLOCKED) {
		mark = "[BLOCKED]";
		col = ANSI_RED;
	} else if (v->verdict == CIMON_VERDICT_WOULD_BLOCK) {
		mark = "[WOULD BLOCK]";
		col = ANSI_YELLOW;
	} else {
		return;
	}
	if (color)
		cimon_sbuf_addf(sb, "%s%s" ANSI_RESET " ", col, mark);
	else
		cimon_sbuf_addf(sb, "%s ", mark);
}

static void format_text(struct cimon_sbuf *sb, const struct view *v,
			const struct cimon_fmt_opts *opts)
{
	char time[64];

	cimon_format_time(time, sizeof(time), v->time_ns, false);
	cimon_sbuf_adds(sb, time);
	cimon_sbuf_addc(sb, ' ');
	if (opts->color)
		cimon_sbuf_adds(sb, priority_color(v->priority));
	cimon_sbuf_adds(sb, v->priority);
	if (opts->color)
		cimon_sbuf_adds(sb, ANSI_RESET);
	cimon_sbuf_addc(sb, ' ');
	format_verdict(sb, v, opts->color);
	if (opts->color)
		cimon_sbuf_adds(sb, ANSI_BOLD);
	/* A loaded rule's name is its author's text: no escapes to a tty. */
	text_escape_q(sb, v->rule, strnlen(v->rule, CIMON_RULE_NAME_MAX),
		      false);
	if (opts->color)
		cimon_sbuf_adds(sb, ANSI_RESET);
	format_step(sb, v);
	cimon_sbuf_adds(sb, ": ");
	render_template(sb, v, v->text_tmpl, true);
	cimon_sbuf_addc(sb, '\n');
}

void cimon_event_format(struct cimon_sbuf *sb, const struct cimon_event *ev,
			const struct cimon_fmt_opts *opts)
{
	struct view v;

	build_view(&v, ev, opts->rule);
	if (opts->json)
		format_json(sb, &v, opts);
	else
		format_text(sb, &v, opts);
}
