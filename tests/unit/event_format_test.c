// SPDX-License-Identifier: GPL-2.0
/*
 * What `cimon watch` prints for each event: the Falco-compatible JSON that
 * Falcosidekick and dashboards consume, and the text line a person reads.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"

#include "event_format.h"
#include "json_check.h"
#include "sbuf.h"
#include "test_events.h"

#define HOST	"runner-7"

/* The line for @ev; the caller frees it. */
static char *format(const struct cimon_event *ev, bool json, bool color)
{
	struct cimon_fmt_opts opts = {
		.json = json, .color = color, .hostname = HOST,
	};
	struct cimon_sbuf sb;

	cimon_sbuf_init(&sb);
	cimon_event_format(&sb, ev, &opts);
	return sb.buf;
}

static char *json_line(const struct cimon_event *ev)
{
	return format(ev, true, false);
}

/* Text lines in UTC, so that they do not depend on the host's zone. */
static char *text_line(const struct cimon_event *ev, bool color)
{
	const char *tz = getenv("TZ");

	if (!tz || strcmp(tz, "UTC")) {
		setenv("TZ", "UTC", 1);
		tzset();
	}
	return format(ev, false, color);
}

/* Raw JSON text of output_fields[key], or of a top-level key. */
static char *field(const char *line, const char *key)
{
	const char *path[] = { "output_fields", key };

	return jc_get(line, path, 2);
}

static char *top(const char *line, const char *key)
{
	return jc_get(line, &key, 1);
}

/* The same, decoded from a JSON string; NULL when absent or no string. */
static char *field_str(const char *line, const char *key)
{
	char *raw = field(line, key), *s = jc_decode(raw);

	free(raw);
	return s;
}

static char *top_str(const char *line, const char *key)
{
	char *raw = top(line, key), *s = jc_decode(raw);

	free(raw);
	return s;
}

#define OR_MISSING(s)	((s) ? (s) : "(missing)")

/* output_fields[key] must be exactly the JSON text @want. */
#define EXPECT_FIELD(line, key, want) \
	do { \
		char *got_ = field(line, key); \
		EXPECT_STREQ(want, OR_MISSING(got_)) \
			TH_LOG("output_fields[%s]", key); \
		free(got_); \
	} while (0)

#define EXPECT_NO_FIELD(line, key) \
	do { \
		char *got_ = field(line, key); \
		EXPECT_EQ(NULL, got_) TH_LOG("unexpected %s", key); \
		free(got_); \
	} while (0)

/* The decoded string at top-level @key must be @want. */
#define EXPECT_TOP_STR(line, key, want) \
	do { \
		char *got_ = top_str(line, key); \
		EXPECT_STREQ(want, OR_MISSING(got_)) TH_LOG("%s", key); \
		free(got_); \
	} while (0)

#define EXPECT_VALID(line) \
	EXPECT_TRUE(jc_valid(line, strlen(line) - 1)) TH_LOG("%s", line)

static const enum cimon_event_type access_types[] = {
	CIMON_EVENT_MEM_OPEN, CIMON_EVENT_ENVIRON_OPEN,
	CIMON_EVENT_PTRACE_ATTACH, CIMON_EVENT_VM_READ, CIMON_EVENT_VM_WRITE,
	CIMON_EVENT_PIDFD_GETFD,
};

#define NR_ACCESS_TYPES	(sizeof(access_types) / sizeof(access_types[0]))

TEST(json_has_falco_top_level_keys)
{
	struct cimon_event ev;
	char *line, *tags;
	size_t i;

	for (i = 0; i < NR_ACCESS_TYPES; i++) {
		test_event(&ev, access_types[i]);
		line = json_line(&ev);
		ASSERT_NE(NULL, line);
		/* One object, one line. */
		EXPECT_EQ('\n', line[strlen(line) - 1]);
		EXPECT_EQ(NULL, memchr(line, '\n', strlen(line) - 1));
		EXPECT_VALID(line);
		EXPECT_TOP_STR(line, "time", TEST_TIME_UTC);
		EXPECT_TOP_STR(line, "rule", "Process Dumping Memory of Others");
		EXPECT_TOP_STR(line, "priority", "Warning");
		EXPECT_TOP_STR(line, "source", "cimon");
		EXPECT_TOP_STR(line, "hostname", HOST);
		tags = top(line, "tags");
		EXPECT_STREQ("[\"CI/CD\"]", OR_MISSING(tags));
		free(tags);
		free(line);
	}
}

/* The fields every memory-access event carries, with the sample's values. */
static void expect_common_fields(struct __test_metadata *_metadata,
				 const char *line)
{
	EXPECT_FIELD(line, "proc.name", "\"memdump\"");
	EXPECT_FIELD(line, "proc.pid", "123");
	EXPECT_FIELD(line, "thread.tid", "124");
	EXPECT_FIELD(line, "proc.ppid", "100");
	EXPECT_FIELD(line, "proc.exepath", "\"/usr/bin/python3.11\"");
	EXPECT_FIELD(line, "proc.cmdline", "\"memdump memdump.py --all\"");
	EXPECT_FIELD(line, "proc.pname", "\"sudo\"");
	EXPECT_FIELD(line, "proc.aname[2]", "\"bash\"");
	EXPECT_FIELD(line, "proc.aname[3]", "\"Runner.Worker\"");
	EXPECT_FIELD(line, "proc.aname[4]", "\"Runner.Listener\"");
	EXPECT_FIELD(line, "user.uid", "0");
	EXPECT_FIELD(line, "user.euid", "0");
	EXPECT_FIELD(line, "proc.tty", "34816");
	EXPECT_FIELD(line, "container.id", "\"host\"");
	EXPECT_FIELD(line, "target.pid", "45");
	EXPECT_FIELD(line, "target.tid", "46");
	EXPECT_FIELD(line, "target.name", "\"Runner.Worker\"");
	EXPECT_FIELD(line, "target.exepath",
		     "\"/opt/runner/bin/Runner.Worker\"");
	EXPECT_FIELD(line, "cimon.verdict", "\"allowed\"");
}

TEST(mem_open_fields)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	line = json_line(&ev);
	expect_common_fields(_metadata, line);
	EXPECT_FIELD(line, "evt.type", "\"openat\"");
	EXPECT_FIELD(line, "cimon.event", "\"mem_open\"");
	EXPECT_FIELD(line, "fd.name", "\"/proc/45/mem\"");
	EXPECT_FIELD(line, "evt.arg.flags", "\"O_RDONLY|O_LARGEFILE|O_CLOEXEC\"");
	EXPECT_NO_FIELD(line, "evt.arg.request");
	free(line);
}

TEST(environ_open_fields)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_ENVIRON_OPEN);
	line = json_line(&ev);
	expect_common_fields(_metadata, line);
	EXPECT_FIELD(line, "evt.type", "\"open\"");
	EXPECT_FIELD(line, "cimon.event", "\"environ_open\"");
	EXPECT_FIELD(line, "fd.name", "\"/proc/45/environ\"");
	EXPECT_FIELD(line, "evt.arg.flags", "\"O_RDONLY\"");
	free(line);
}

TEST(ptrace_attach_and_seize_fields)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_PTRACE_ATTACH);
	line = json_line(&ev);
	expect_common_fields(_metadata, line);
	EXPECT_FIELD(line, "evt.type", "\"ptrace\"");
	EXPECT_FIELD(line, "cimon.event", "\"ptrace_attach\"");
	EXPECT_FIELD(line, "evt.arg.request", "\"PTRACE_ATTACH\"");
	EXPECT_NO_FIELD(line, "fd.name");
	EXPECT_NO_FIELD(line, "evt.arg.flags");
	free(line);

	ev.arg = TEST_PTRACE_SEIZE;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.arg.request", "\"PTRACE_SEIZE\"");
	free(line);
}

TEST(vm_and_pidfd_fields)
{
	static const struct {
		enum cimon_event_type type;
		const char *evt_type, *name;
	} cases[] = {
		{ CIMON_EVENT_VM_READ, "\"process_vm_readv\"",
		  "\"process_vm_read\"" },
		{ CIMON_EVENT_VM_WRITE, "\"process_vm_writev\"",
		  "\"process_vm_write\"" },
		{ CIMON_EVENT_PIDFD_GETFD, "\"pidfd_getfd\"", "\"pidfd_getfd\"" },
	};
	struct cimon_event ev;
	char *line;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_event(&ev, cases[i].type);
		line = json_line(&ev);
		expect_common_fields(_metadata, line);
		EXPECT_FIELD(line, "evt.type", cases[i].evt_type);
		EXPECT_FIELD(line, "cimon.event", cases[i].name);
		EXPECT_NO_FIELD(line, "fd.name");
		free(line);
	}
}

TEST(output_renders_falco_rule_output)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	line = json_line(&ev);
	EXPECT_TOP_STR(line, "output",
		"A process memdump with pid 123 is dumping memory of other "
		"processes (file=/proc/45/mem process=memdump "
		"proc_exepath=/usr/bin/python3.11 gparent=bash "
		"ggparent=Runner.Worker gggparent=Runner.Listener "
		"command=memdump memdump.py --all terminal=34816 "
		"container_image=<NA>) target=Runner.Worker target_pid=45 "
		"verdict=allowed");
	free(line);

	test_event(&ev, CIMON_EVENT_PTRACE_ATTACH);
	ev.verdict = CIMON_VERDICT_BLOCKED;
	line = json_line(&ev);
	EXPECT_TOP_STR(line, "output",
		"A process memdump with pid 123 is dumping memory of other "
		"processes (access=ptrace_attach process=memdump "
		"proc_exepath=/usr/bin/python3.11 gparent=bash "
		"ggparent=Runner.Worker gggparent=Runner.Listener "
		"command=memdump memdump.py --all terminal=34816 "
		"container_image=<NA>) target=Runner.Worker target_pid=45 "
		"verdict=blocked");
	free(line);
}

TEST(verdict_blocked)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_VM_READ);
	ev.verdict = CIMON_VERDICT_BLOCKED;
	line = json_line(&ev);
	EXPECT_FIELD(line, "cimon.verdict", "\"blocked\"");
	free(line);
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, " verdict=blocked\n"));
	free(line);
}

TEST(time_is_rfc3339_utc_with_nanoseconds)
{
	char buf[64];

	cimon_format_time(buf, sizeof(buf), TEST_TIME_NS, true);
	EXPECT_STREQ(TEST_TIME_UTC, buf);
	/* Leading zeros of the fraction are kept. */
	cimon_format_time(buf, sizeof(buf), 1000000000ULL * 86400 + 5, true);
	EXPECT_STREQ("1970-01-02T00:00:00.000000005Z", buf);
}

TEST(text_time_is_local_with_offset)
{
	char buf[64];

	setenv("TZ", "JST-9", 1);
	tzset();
	cimon_format_time(buf, sizeof(buf), TEST_TIME_NS, false);
	EXPECT_STREQ("2026-11-24T04:30:14.123456789+09:00", buf);
	setenv("TZ", "UTC", 1);
	tzset();
	cimon_format_time(buf, sizeof(buf), TEST_TIME_NS, false);
	EXPECT_STREQ(TEST_TIME_UTC, buf);
}

TEST(cmdline_rendering)
{
	static const char one_arg[] = "python3";
	static const char gap[] = "a\0\0b";
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);

	/* argv[0] only, with its NUL: just the name. */
	test_set_cmdline(&ev.proc, one_arg, sizeof(one_arg));
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.cmdline", "\"memdump\"");
	free(line);

	/* An empty argument still separates its neighbours. */
	test_set_cmdline(&ev.proc, gap, sizeof(gap));
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.cmdline", "\"memdump  b\"");
	free(line);

	/* Cut by the kernel: no final NUL, and the mark. */
	test_set_cmdline(&ev.proc, "python3\0memdump.py\0--al", 23);
	ev.flags |= CIMON_F_CMDLINE_TRUNCATED;
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.cmdline", "\"memdump memdump.py --al...\"");
	free(line);

	/* Empty (a kernel thread): the name alone, as Falco shows it. */
	ev.flags = 0;
	test_set_cmdline(&ev.proc, "", 0);
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.cmdline", "\"memdump\"");
	free(line);

	/* Could not be read: <NA>, in the field and in the output. */
	ev.flags = CIMON_F_CMDLINE_UNAVAILABLE;
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.cmdline", "\"<NA>\"");
	EXPECT_TOP_STR(line, "rule", "Process Dumping Memory of Others");
	free(line);
}

TEST(cmdline_len_past_the_array_is_bounded)
{
	struct cimon_event *ev = malloc(sizeof(*ev));
	char *line, *got;

	ASSERT_NE(NULL, ev);
	test_event(ev, CIMON_EVENT_MEM_OPEN);
	memset(ev->proc.cmdline, 'x', sizeof(ev->proc.cmdline));
	ev->proc.cmdline[4] = '\0';
	ev->proc.cmdline_len = 100000;
	line = json_line(ev);
	got = field_str(line, "proc.cmdline");
	ASSERT_NE(NULL, got);
	/* comm, a space, and the 507 bytes after argv[0]: nothing more. */
	EXPECT_EQ(strlen("memdump") + 1 + CIMON_CMDLINE_LEN - 5, strlen(got));
	free(got);
	free(line);
	free(ev);
}

TEST(evt_type_syscall_mapping)
{
	static const struct {
		int32_t nr;
		uint32_t flags;
		const char *want;
	} cases[] = {
		{ 2, 0, "open" }, { 257, 0, "openat" }, { 437, 0, "openat2" },
		{ 101, 0, "ptrace" }, { 310, 0, "process_vm_readv" },
		{ 311, 0, "process_vm_writev" }, { 438, 0, "pidfd_getfd" },
		{ 426, 0, "io_uring_enter" }, { 304, 0, "open_by_handle_at" },
		{ 5, CIMON_F_SYSCALL_IA32, "open" },
		{ 295, CIMON_F_SYSCALL_IA32, "openat" },
		{ 437, CIMON_F_SYSCALL_IA32, "openat2" },
		{ 26, CIMON_F_SYSCALL_IA32, "ptrace" },
		{ 347, CIMON_F_SYSCALL_IA32, "process_vm_readv" },
		{ 348, CIMON_F_SYSCALL_IA32, "process_vm_writev" },
		{ 438, CIMON_F_SYSCALL_IA32, "pidfd_getfd" },
		{ 521, CIMON_F_SYSCALL_X32, "ptrace" },
		{ 0x40000000 | 539, CIMON_F_SYSCALL_X32, "process_vm_readv" },
		{ 540, CIMON_F_SYSCALL_X32, "process_vm_writev" },
		{ 257, CIMON_F_SYSCALL_X32, "openat" },
		{ 59, 0, "execve" }, { 322, 0, "execveat" },
		{ 11, CIMON_F_SYSCALL_IA32, "execve" },
		{ 358, CIMON_F_SYSCALL_IA32, "execveat" },
		{ 520, CIMON_F_SYSCALL_X32, "execve" },
		/* the calls of a tamper attempt */
		{ 176, 0, "delete_module" }, { 1, 0, "write" },
		{ 44, 0, "sendto" }, { 46, 0, "sendmsg" },
		{ 129, CIMON_F_SYSCALL_IA32, "delete_module" },
		{ 4, CIMON_F_SYSCALL_IA32, "write" },
		{ 369, CIMON_F_SYSCALL_IA32, "sendto" },
		{ 370, CIMON_F_SYSCALL_IA32, "sendmsg" },
		{ 0x40000000 | 176, CIMON_F_SYSCALL_X32, "delete_module" },
		{ 518, CIMON_F_SYSCALL_X32, "sendmsg" },
		/* 46 is x86-64's sendmsg only; 129 is query_module there */
		{ 46, CIMON_F_SYSCALL_X32, NULL }, { 129, 0, NULL },
		{ 176, CIMON_F_SYSCALL_IA32, NULL },
		{ 0x40000000 | 545, CIMON_F_SYSCALL_X32, "execveat" },
		/* x32 has its own execve: 59 is x86-64's only. */
		{ 59, CIMON_F_SYSCALL_X32, NULL },
		/* 11 is munmap for x86-64, 59 oldolduname for i386. */
		{ 11, 0, NULL }, { 59, CIMON_F_SYSCALL_IA32, NULL },
		/* 101 is ioperm for i386, 26 is msync for x86-64. */
		{ 101, CIMON_F_SYSCALL_IA32, NULL }, { 26, 0, NULL },
		{ -1, 0, NULL }, { 9999, 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = cimon_syscall_name(cases[i].nr,
						     cases[i].flags);

		EXPECT_STREQ(OR_MISSING(cases[i].want), OR_MISSING(got))
			TH_LOG("nr %d flags %#x", cases[i].nr, cases[i].flags);
	}
}

TEST(evt_type_falls_back_to_the_event_kind)
{
	static const struct {
		enum cimon_event_type type;
		const char *want;
	} cases[] = {
		{ CIMON_EVENT_MEM_OPEN, "\"open\"" },
		{ CIMON_EVENT_ENVIRON_OPEN, "\"open\"" },
		{ CIMON_EVENT_PTRACE_ATTACH, "\"ptrace\"" },
		{ CIMON_EVENT_VM_READ, "\"process_vm_readv\"" },
		{ CIMON_EVENT_VM_WRITE, "\"process_vm_writev\"" },
		{ CIMON_EVENT_PIDFD_GETFD, "\"pidfd_getfd\"" },
		{ CIMON_EVENT_EXEC, "\"execve\"" },
		{ CIMON_EVENT_KMEM_OPEN, "\"open\"" },
	};
	struct cimon_event ev;
	char *line;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_event(&ev, cases[i].type);
		ev.syscall_nr = -1;
		line = json_line(&ev);
		EXPECT_FIELD(line, "evt.type", cases[i].want);
		free(line);
		/* 101 is ioperm for ia32: not read as x86-64's ptrace. */
		ev.syscall_nr = 101;
		ev.flags = CIMON_F_SYSCALL_IA32;
		line = json_line(&ev);
		EXPECT_FIELD(line, "evt.type", cases[i].want);
		free(line);
	}
}

TEST(container_id_host_when_empty)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	line = json_line(&ev);
	EXPECT_FIELD(line, "container.id", "\"host\"");
	free(line);
	test_set(ev.proc.container_id, "0123456789ab");
	line = json_line(&ev);
	EXPECT_FIELD(line, "container.id", "\"0123456789ab\"");
	free(line);
}

TEST(unavailable_and_empty_fields_are_na)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ev.flags = CIMON_F_EXE_UNAVAILABLE | CIMON_F_TARGET_EXE_UNAVAILABLE;
	memset(ev.proc.ancestors[2], 0, sizeof(ev.proc.ancestors[2]));
	memset(ev.proc.ancestors[3], 0, sizeof(ev.proc.ancestors[3]));
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "proc.exepath", "\"<NA>\"");
	EXPECT_FIELD(line, "target.exepath", "\"<NA>\"");
	EXPECT_FIELD(line, "proc.aname[3]", "\"<NA>\"");
	EXPECT_FIELD(line, "proc.aname[4]", "\"<NA>\"");
	EXPECT_FIELD(line, "proc.tty", "34816");
	free(line);

	/* No terminal: Falco's proc.tty is 0. */
	ev.proc.tty_dev = 0;
	memset(ev.proc.tty, 0, sizeof(ev.proc.tty));
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.tty", "0");
	free(line);
}

TEST(truncated_paths_are_marked)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ev.flags = CIMON_F_EXE_TRUNCATED | CIMON_F_TARGET_EXE_TRUNCATED |
		   CIMON_F_FILE_TRUNCATED;
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.exepath", "\"/usr/bin/python3.11...\"");
	EXPECT_FIELD(line, "target.exepath",
		     "\"/opt/runner/bin/Runner.Worker...\"");
	EXPECT_FIELD(line, "fd.name", "\"/proc/45/mem...\"");
	free(line);
}

TEST(strings_without_nul_stay_in_their_arrays)
{
	/* Heap-allocated to its exact size, so ASan sees a read past the end. */
	struct cimon_event *ev = malloc(sizeof(*ev));
	char *line;

	ASSERT_NE(NULL, ev);
	test_event(ev, CIMON_EVENT_MEM_OPEN);
	memcpy(ev->proc.comm, "ABCDEFGHIJKLMNOP", CIMON_COMM_LEN);
	memcpy(ev->proc.ancestors[0], "0123456789abcdef", CIMON_COMM_LEN);
	memcpy(ev->proc.container_id, "0123456789abcdef", CIMON_COMM_LEN);
	memcpy(ev->target.comm, "Runner.Worker123", CIMON_COMM_LEN);
	memset(ev->file, 'f', sizeof(ev->file));
	line = json_line(ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "proc.name", "\"ABCDEFGHIJKLMNOP\"");
	EXPECT_FIELD(line, "proc.pname", "\"0123456789abcdef\"");
	EXPECT_FIELD(line, "container.id", "\"0123456789abcdef\"");
	EXPECT_FIELD(line, "target.name", "\"Runner.Worker123\"");
	{
		char *fd = field_str(line, "fd.name");

		ASSERT_NE(NULL, fd);
		EXPECT_EQ(CIMON_PATH_LEN, strlen(fd));
		free(fd);
	}
	free(line);
	free(ev);
}

TEST(hostile_names_are_escaped)
{
	struct cimon_event ev;
	char *line, *name;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	test_set(ev.proc.comm, "a\"b\\c\x1b[2J\xff");
	test_set(ev.target.exe, "/tmp/\xe6\x97\xa5\xc3");
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "proc.name", "\"a\\\"b\\\\c\\u001b[2J\\u00ff\"");
	EXPECT_FIELD(line, "target.exepath", "\"/tmp/\xe6\x97\xa5\\u00c3\"");
	name = top_str(line, "output");
	EXPECT_NE(NULL, strstr(OR_MISSING(name), "process=a\"b\\c\x1b[2J"));
	free(name);
	free(line);

	/* On a terminal, no escape sequence and no fake quote gets through. */
	line = text_line(&ev, false);
	EXPECT_EQ(NULL, strchr(line, '\x1b'));
	EXPECT_NE(NULL, strstr(line, "a\\\"b\\\\c\\x1b[2J\\xff (pid"))
		TH_LOG("%s", line);
	free(line);
	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	test_set_cmdline(&ev.proc, "x\0\" evil=\x1b]0;t\x07\xc2\x9b", 17);
	line = text_line(&ev, false);
	EXPECT_EQ(NULL, strchr(line, '\x1b'));
	EXPECT_EQ(NULL, strchr(line, '\x07'));
	EXPECT_EQ(NULL, strstr(line, "\xc2\x9b"));
	EXPECT_NE(NULL, strstr(line, "memdump (pid 123, uid 0, exe "));
	EXPECT_NE(NULL, strstr(line, "cmdline=\"memdump \\\" evil=\\x1b]0;t\\x07\\xc2\\x9b\""))
		TH_LOG("%s", line);
	free(line);
}

TEST(text_line_reads_as_a_sentence)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Warning Process Dumping Memory of "
		     "Others: memdump (pid 123, uid 0, exe /usr/bin/python3.11) "
		     "opened /proc/45/mem [read] of Runner.Worker (pid 45, exe "
		     "/opt/runner/bin/Runner.Worker) cmdline=\"memdump "
		     "memdump.py --all\" parent=sudo tty=pts/0 container=host "
		     "verdict=allowed\n", line);
	free(line);

	test_event(&ev, CIMON_EVENT_PTRACE_ATTACH);
	ev.arg = TEST_PTRACE_SEIZE;
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, "attached with ptrace (PTRACE_SEIZE) to "
			       "Runner.Worker (pid 45,")) TH_LOG("%s", line);
	free(line);

	test_event(&ev, CIMON_EVENT_VM_READ);
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, "read the memory (process_vm_readv) of "
			       "Runner.Worker")) TH_LOG("%s", line);
	free(line);
}

TEST(colour_only_when_asked)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	line = text_line(&ev, false);
	EXPECT_EQ(NULL, strchr(line, '\033'));
	free(line);
	line = text_line(&ev, true);
	EXPECT_NE(NULL, strstr(line, "\033[1;33mWarning\033[0m"));
	free(line);
	/* JSON never carries colour. */
	line = format(&ev, true, true);
	EXPECT_EQ(NULL, strstr(line, "\\u001b"));
	free(line);
}

TEST(lost_record)
{
	struct cimon_event ev;
	char *line, *fields, *tags;

	test_event(&ev, CIMON_EVENT_LOST);
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: events lost");
	EXPECT_TOP_STR(line, "priority", "Error");
	EXPECT_TOP_STR(line, "source", "cimon");
	EXPECT_TOP_STR(line, "time", TEST_TIME_UTC);
	fields = top(line, "output_fields");
	EXPECT_STREQ("{\"cimon.lost\":42}", OR_MISSING(fields));
	tags = top(line, "tags");
	EXPECT_NE(NULL, tags);
	free(tags);
	free(fields);
	{
		char *out = top_str(line, "output");

		EXPECT_NE(NULL, strstr(OR_MISSING(out),
				       "42 events were overwritten"));
		free(out);
	}
	free(line);

	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Error cimon: events lost: 42 events "
		     "were overwritten before this reader read them: it fell "
		     "behind the ring\n", line);
	free(line);
}

TEST(open_flags)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ev.arg = 02 | 0100 | 01000;	/* O_RDWR|O_CREAT|O_TRUNC */
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.arg.flags", "\"O_RDWR|O_CREAT|O_TRUNC\"");
	EXPECT_FIELD(line, "evt.rawarg.flags", "578");
	free(line);
	ev.arg = 01 | 0x80000000;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.arg.flags", "\"O_WRONLY|0x80000000\"");
	free(line);
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, "opened /proc/45/mem [write] of"));
	free(line);
}

TEST(unknown_event_type_still_prints)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ev.type = 99;
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: unknown event");
	EXPECT_FIELD(line, "cimon.type", "99");
	free(line);
}

/* A tiny xorshift so that the "random" names are the same on every run. */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void fill_random(void *p, size_t len, uint32_t *seed)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)next_rand(seed);
}

TEST(random_bytes_always_give_valid_json_and_safe_text)
{
	struct cimon_event *ev = malloc(sizeof(*ev));
	uint32_t seed = 0x1234567;
	char *line;
	size_t i, k;

	ASSERT_NE(NULL, ev);
	for (i = 0; i < 3000; i++) {
		test_event(ev, access_types[i % NR_ACCESS_TYPES]);
		fill_random(&ev->proc.comm, sizeof(ev->proc) -
			    offsetof(struct cimon_process, comm), &seed);
		fill_random(ev->target.comm, sizeof(ev->target.comm) +
			    sizeof(ev->target.exe), &seed);
		fill_random(ev->file, sizeof(ev->file), &seed);
		fill_random(&ev->flags, sizeof(ev->flags), &seed);
		fill_random(&ev->arg, sizeof(ev->arg), &seed);
		ev->proc.cmdline_len = next_rand(&seed) % 600;
		line = json_line(ev);
		ASSERT_TRUE(jc_valid(line, strlen(line) - 1))
			TH_LOG("%s", line);
		free(line);
		line = text_line(ev, false);
		for (k = 0; line[k + 1]; k++)
			ASSERT_FALSE((unsigned char)line[k] < 0x20 ||
				     line[k] == 0x7f) TH_LOG("%s", line);
		free(line);
	}
	free(ev);
}

/* ---- events that a loaded rule matched ---------------------------------- */

#define RULE_GEN	7

static void rule_event(struct cimon_event *ev, enum cimon_event_type type,
		       uint32_t id)
{
	test_event(ev, type);
	ev->rule_id = id;
	ev->rules_generation = RULE_GEN;
}

static const struct cimon_fmt_rule test_rule = {
	.id = 3,
	.name = "Memory of GitHub Runner Read or Written",
	.priority = CIMON_PRIORITY_CRITICAL,
	.action = CIMON_ACTION_BLOCK,
	.output = "Runner memory (file=%fd.name process=%proc.name pid=%proc.pid)",
	.tags = "CI/CD,T1003, memory ",
};

/* The line for @ev rendered with @rule; text lines in UTC. */
static char *rule_line(const struct cimon_event *ev,
		       const struct cimon_fmt_rule *rule, bool json)
{
	struct cimon_fmt_opts opts = {
		.json = json, .hostname = HOST, .rule = rule,
	};
	struct cimon_sbuf sb;

	setenv("TZ", "UTC", 1);
	tzset();
	cimon_sbuf_init(&sb);
	cimon_event_format(&sb, ev, &opts);
	return sb.buf;
}

/* The JSON "output" of @ev under @rule with the template @tmpl. */
static char *render(const struct cimon_event *ev, const char *tmpl)
{
	struct cimon_fmt_rule rule = test_rule;
	char *line, *out;

	rule.id = ev->rule_id;
	rule.output = tmpl;
	line = rule_line(ev, &rule, true);
	out = top_str(line, "output");
	free(line);
	return out;
}

#define EXPECT_RENDER(ev, tmpl, want) \
	do { \
		char *got_ = render(ev, tmpl); \
		EXPECT_STREQ(want, OR_MISSING(got_)) TH_LOG("%s", tmpl); \
		free(got_); \
	} while (0)

TEST(rule_name_priority_tags_and_output)
{
	struct cimon_event ev;
	char *line, *tags;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	line = rule_line(&ev, &test_rule, true);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "Memory of GitHub Runner Read or Written");
	EXPECT_TOP_STR(line, "priority", "Critical");
	EXPECT_TOP_STR(line, "output",
		       "Runner memory (file=/proc/45/mem process=memdump pid=123)");
	EXPECT_TOP_STR(line, "source", "cimon");
	EXPECT_TOP_STR(line, "time", TEST_TIME_UTC);
	tags = top(line, "tags");
	EXPECT_STREQ("[\"CI/CD\",\"T1003\",\"memory\"]", OR_MISSING(tags));
	free(tags);
	EXPECT_FIELD(line, "cimon.rule_id", "3");
	EXPECT_FIELD(line, "cimon.action", "\"block\"");
	/* The event's fields are all still there. */
	expect_common_fields(_metadata, line);
	EXPECT_FIELD(line, "fd.name", "\"/proc/45/mem\"");
	free(line);

	line = rule_line(&ev, &test_rule, false);
	EXPECT_STREQ(TEST_TIME_UTC " Critical Memory of GitHub Runner Read or "
		     "Written: Runner memory (file=/proc/45/mem "
		     "process=memdump pid=123)\n", line);
	free(line);
}

TEST(every_falco_priority_and_action)
{
	static const char *const names[] = {
		"Emergency", "Alert", "Critical", "Error", "Warning",
		"Notice", "Informational", "Debug",
	};
	struct cimon_fmt_rule rule = test_rule;
	struct cimon_event ev;
	unsigned int p;
	char *line;

	rule_event(&ev, CIMON_EVENT_VM_READ, 3);
	for (p = 0; p < 8; p++) {
		EXPECT_STREQ(names[p], cimon_priority_name(p));
		rule.priority = p;
		rule.action = p % 2 ? CIMON_ACTION_ALERT : CIMON_ACTION_BLOCK;
		line = rule_line(&ev, &rule, true);
		EXPECT_TOP_STR(line, "priority", names[p]);
		EXPECT_FIELD(line, "cimon.action",
			     p % 2 ? "\"alert\"" : "\"block\"");
		free(line);
	}
	EXPECT_EQ(NULL, cimon_priority_name(8));
	EXPECT_EQ(NULL, cimon_action_name(2));
	/* Values the module should never send: sane defaults, no crash. */
	rule.priority = 200;
	rule.action = 9;
	line = rule_line(&ev, &rule, true);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "priority", "Warning");
	EXPECT_FIELD(line, "cimon.action", "\"<NA>\"");
	free(line);
}

TEST(rule_tags_are_split_and_trimmed)
{
	static const struct { const char *tags, *json; } cases[] = {
		{ "", "[]" },
		{ "a", "[\"a\"]" },
		{ " a , b ,,c,", "[\"a\",\"b\",\"c\"]" },
		{ ",, ,", "[]" },
		{ "mitre_credential_access,host", "[\"mitre_credential_access\",\"host\"]" },
	};
	struct cimon_fmt_rule rule = test_rule;
	struct cimon_event ev;
	char *line, *tags;
	size_t i;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rule.tags = cases[i].tags;
		line = rule_line(&ev, &rule, true);
		tags = top(line, "tags");
		EXPECT_STREQ(cases[i].json, OR_MISSING(tags)) TH_LOG("%s",
								   cases[i].tags);
		free(tags);
		free(line);
	}
	rule.tags = NULL;
	line = rule_line(&ev, &rule, true);
	tags = top(line, "tags");
	EXPECT_STREQ("[]", OR_MISSING(tags));
	free(tags);
	free(line);
}

/* Every field of the table renders in a template exactly as in the JSON. */
TEST(template_values_are_the_output_fields)
{
	static const char *const keys[] = {
		"evt.type", "cimon.event", "proc.name", "proc.pid",
		"thread.tid", "proc.ppid", "proc.exepath", "proc.cmdline",
		"proc.pname", "proc.aname[2]", "proc.aname[3]",
		"proc.aname[4]", "user.uid", "user.euid", "proc.tty",
		"cimon.tty", "container.id", "fd.name", "evt.arg.flags",
		"evt.rawarg.flags", "cimon.access", "evt.arg.request",
		"evt.rawarg.request", "target.pid", "target.tid",
		"target.name", "target.exepath", "cimon.verdict", "cimon.seq",
		"evt.time", "cimon.rule_id", "cimon.action",
	};
	struct cimon_event ev;
	char tmpl[64], *line, *raw, *want, *got;
	size_t t, i;

	for (t = 0; t < NR_ACCESS_TYPES; t++) {
		rule_event(&ev, access_types[t], 3);
		/* A field with no value: <NA> in both. */
		ev.flags |= CIMON_F_EXE_UNAVAILABLE;
		test_set(ev.proc.ancestors[3], "");
		line = rule_line(&ev, &test_rule, true);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			snprintf(tmpl, sizeof(tmpl), "%%%s", keys[i]);
			raw = field(line, keys[i]);
			want = raw && raw[0] == '"' ? jc_decode(raw) :
			       raw ? strdup(raw) : strdup(CIMON_NA);
			got = render(&ev, tmpl);
			EXPECT_STREQ(OR_MISSING(want), OR_MISSING(got))
				TH_LOG("%s of %s", keys[i],
				       cimon_event_type_name(access_types[t]));
			free(raw);
			free(want);
			free(got);
		}
		free(line);
	}
}

TEST(template_field_kinds)
{
	struct cimon_event ev;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	/* Strings, numbers, an index, a path. */
	EXPECT_RENDER(&ev, "%proc.name %proc.pid %user.uid %fd.name",
		      "memdump 123 0 /proc/45/mem");
	/* proc.aname[N]: 0 is the process, 1 the parent, up to 4. */
	EXPECT_RENDER(&ev,
		      "%proc.aname[0]/%proc.aname[1]/%proc.aname[2]/"
		      "%proc.aname[3]/%proc.aname[4]/%proc.aname[5]",
		      "memdump/sudo/bash/Runner.Worker/Runner.Listener/<NA>");
	EXPECT_RENDER(&ev, "%proc.aname[02] %proc.aname[x] %proc.aname[]",
		      "bash <NA> <NA>");
	/* cmdline with its arguments; the container is "host". */
	EXPECT_RENDER(&ev, "command=%proc.cmdline container=%container.id",
		      "command=memdump memdump.py --all container=host");
	/* Fields next to punctuation. */
	EXPECT_RENDER(&ev, "(%proc.name)[%proc.pid],%target.name:%target.pid",
		      "(memdump)[123],Runner.Worker:45");
	/* A full stop after a field ends the sentence. */
	EXPECT_RENDER(&ev, "pid %proc.pid. name %proc.name...",
		      "pid 123. name memdump...");
	/* The seed rule's template, as Falco would print it here. */
	EXPECT_RENDER(&ev,
		      "A process %proc.name with pid %proc.pid is dumping memory of "
		      "other processes (file=%fd.name process=%proc.name "
		      "proc_exepath=%proc.exepath gparent=%proc.aname[2] "
		      "ggparent=%proc.aname[3] gggparent=%proc.aname[4] "
		      "command=%proc.cmdline terminal=%proc.tty "
		      "container_image=%container.image.repository)",
		      "A process memdump with pid 123 is dumping memory of other "
		      "processes (file=/proc/45/mem process=memdump "
		      "proc_exepath=/usr/bin/python3.11 gparent=bash "
		      "ggparent=Runner.Worker gggparent=Runner.Listener "
		      "command=memdump memdump.py --all terminal=34816 "
		      "container_image=<NA>)");
	/* A field of another event type: no value. */
	rule_event(&ev, CIMON_EVENT_VM_WRITE, 3);
	EXPECT_RENDER(&ev, "%fd.name %evt.type", "<NA> process_vm_writev");
}

TEST(template_unknown_fields_are_na)
{
	struct cimon_event ev;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	EXPECT_RENDER(&ev, "image=%container.image.repository name=%container.name",
		      "image=<NA> name=<NA>");
	EXPECT_RENDER(&ev, "%proc.env[RUNNER_TRACKING_ID]|%proc.env[\"RUNNER_TRACKING_ID\"]|"
		      "%proc.env['X']|%proc.env|%proc.aenv[1][HOME]|%user.name",
		      "<NA>|<NA>|<NA>|<NA>|<NA>|<NA>");
	EXPECT_RENDER(&ev, "%nosuch %proc.name.x %proc_name %PROC.NAME",
		      "<NA> <NA> <NA> <NA>");
	/* The second seed rule, with what cimon lacks as <NA>. */
	EXPECT_RENDER(&ev,
		      "Persistence attempt via GitHub Runner detected. Process "
		      "%proc.name (PID: %proc.pid) spawned in container "
		      "%container.name with RUNNER_TRACKING_ID="
		      "%proc.env[\"RUNNER_TRACKING_ID\"]. (user=%user.name "
		      "image=%container.image.repository cmdline=%proc.cmdline)",
		      "Persistence attempt via GitHub Runner detected. Process "
		      "memdump (PID: 123) spawned in container <NA> with "
		      "RUNNER_TRACKING_ID=<NA>. (user=<NA> image=<NA> "
		      "cmdline=memdump memdump.py --all)");
}

TEST(template_literal_percent)
{
	struct cimon_event ev;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	EXPECT_RENDER(&ev, "100% sure", "100% sure");
	EXPECT_RENDER(&ev, "%%proc.name", "%memdump");
	EXPECT_RENDER(&ev, "%1 %.x %[2] % %-", "%1 %.x %[2] % %-");
	EXPECT_RENDER(&ev, "ends with %", "ends with %");
	EXPECT_RENDER(&ev, "%", "%");
	EXPECT_RENDER(&ev, "pid=%proc.pid%", "pid=123%");
	/* An unclosed '[' is text after the field. */
	EXPECT_RENDER(&ev, "%proc.name[2 x", "memdump[2 x");
	EXPECT_RENDER(&ev, "%proc.pname[", "sudo[");
	/* No references at all; blanks around the whole are trimmed. */
	EXPECT_RENDER(&ev, "plain text", "plain text");
	EXPECT_RENDER(&ev, "  folded\nover lines\n", "folded\nover lines");
}

TEST(very_long_templates_are_bounded)
{
	struct cimon_event ev;
	char *tmpl, *out, *line;
	size_t i, len = 1 << 20;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	tmpl = malloc(len + 1);
	ASSERT_NE(NULL, tmpl);

	/* The longest a rule can have, every reference a long value. */
	memset(tmpl, 'a', 500);
	tmpl[0] = '\0';
	test_set_cmdline(&ev.proc, tmpl, 500);
	for (i = 0; i + 13 < CIMON_RULE_OUTPUT_MAX; i += 13)
		memcpy(tmpl + i, "%proc.cmdline", 13);
	tmpl[i] = '\0';
	out = render(&ev, tmpl);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(CIMON_OUTPUT_MAX, strlen(out));
	EXPECT_STREQ("...", out + strlen(out) - 3);
	EXPECT_EQ(0, strncmp(out, "memdump aaaa", 12));
	free(out);

	/* A megabyte of text, and one of bare '%'. */
	memset(tmpl, 'x', len);
	tmpl[len] = '\0';
	out = render(&ev, tmpl);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(CIMON_OUTPUT_MAX, strlen(out));
	free(out);
	memset(tmpl, '%', len);
	out = render(&ev, tmpl);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(CIMON_OUTPUT_MAX, strlen(out));
	free(out);

	/* Cut at a character, never inside one: UTF-8 stays valid. */
	for (i = 0; i + 3 <= len; i += 3)
		memcpy(tmpl + i, "\xe6\x97\xa5", 3);
	tmpl[i] = '\0';
	for (i = 0; i < 3; i++) {
		struct cimon_fmt_rule rule = test_rule;

		rule.output = tmpl + i;	/* start off a character boundary */
		line = rule_line(&ev, &rule, true);
		EXPECT_VALID(line);
		if (i == 0) {
			/* Whole characters only, then "...". */
			EXPECT_EQ(NULL, strstr(line, "\\u00"));
			out = top_str(line, "output");
			ASSERT_NE(NULL, out);
			EXPECT_GE(CIMON_OUTPUT_MAX, strlen(out));
			EXPECT_LE(CIMON_OUTPUT_MAX - 2, strlen(out));
			EXPECT_STREQ("\xe6\x97\xa5...", out + strlen(out) - 6);
			free(out);
		}
		free(line);
		line = rule_line(&ev, &rule, false);
		EXPECT_GT(CIMON_OUTPUT_MAX + 200, strlen(line));
		free(line);
	}
	free(tmpl);
}

TEST(unknown_rule_falls_back_to_its_id)
{
	struct cimon_fmt_rule other = test_rule;
	struct cimon_event ev, builtin;
	char *line, *out, *want, *tags;

	test_event(&builtin, CIMON_EVENT_MEM_OPEN);
	line = json_line(&builtin);
	want = top_str(line, "output");
	free(line);

	/* The rule set could not be read, or has no rule 42. */
	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 42);
	line = rule_line(&ev, NULL, true);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: rule 42");
	EXPECT_TOP_STR(line, "priority", "Warning");
	out = top_str(line, "output");
	EXPECT_STREQ(OR_MISSING(want), OR_MISSING(out));
	free(out);
	tags = top(line, "tags");
	EXPECT_STREQ("[\"CI/CD\"]", OR_MISSING(tags));
	free(tags);
	EXPECT_FIELD(line, "cimon.rule_id", "42");
	EXPECT_FIELD(line, "cimon.action", "\"<NA>\"");
	expect_common_fields(_metadata, line);
	free(line);

	/* Metadata of another rule is not used. */
	line = rule_line(&ev, &other, true);
	EXPECT_TOP_STR(line, "rule", "cimon: rule 42");
	free(line);

	line = rule_line(&ev, NULL, false);
	EXPECT_EQ(0, strncmp(line, TEST_TIME_UTC " Warning cimon: rule 42: "
			     "memdump (pid 123, uid 0, exe ", 69)) TH_LOG("%s", line);
	free(line);

	/* The biggest id, and a rule without a name. */
	rule_event(&ev, CIMON_EVENT_PTRACE_ATTACH, CIMON_RULE_BUILTIN - 1);
	line = rule_line(&ev, NULL, true);
	EXPECT_TOP_STR(line, "rule", "cimon: rule 4294967294");
	free(line);
	other.id = 5;
	other.name = "";
	rule_event(&ev, CIMON_EVENT_PTRACE_ATTACH, 5);
	line = rule_line(&ev, &other, true);
	EXPECT_TOP_STR(line, "rule", "cimon: rule 5");
	EXPECT_TOP_STR(line, "priority", "Critical");
	free(line);

	/* A rule without an output template gets the built-in one. */
	other.name = "quiet";
	other.output = "";
	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 5);
	line = rule_line(&ev, &other, true);
	EXPECT_TOP_STR(line, "rule", "quiet");
	out = top_str(line, "output");
	EXPECT_STREQ(OR_MISSING(want), OR_MISSING(out));
	free(out);
	free(line);
	free(want);
}

TEST(builtin_events_ignore_rule_metadata)
{
	struct cimon_fmt_rule rule = test_rule;
	struct cimon_event ev;
	char *plain, *with;
	size_t t;
	int json;

	for (t = 0; t < NR_ACCESS_TYPES; t++) {
		for (json = 0; json < 2; json++) {
			test_event(&ev, access_types[t]);
			ev.rule_id = CIMON_RULE_BUILTIN;
			plain = rule_line(&ev, NULL, json);
			rule.id = CIMON_RULE_BUILTIN;
			with = rule_line(&ev, &rule, json);
			EXPECT_STREQ(plain, with);
			EXPECT_TRUE(cimon_event_is_builtin(&ev));
			/* Generation 0 is no loaded set: built-in too. */
			ev.rule_id = 0;
			rule.id = 0;
			free(with);
			with = rule_line(&ev, &rule, json);
			EXPECT_STREQ(plain, with);
			EXPECT_TRUE(cimon_event_is_builtin(&ev));
			EXPECT_EQ(NULL, strstr(with, "cimon.rule_id"));
			EXPECT_EQ(NULL, strstr(with, "cimon.action"));
			free(with);
			free(plain);
		}
	}
	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 0);
	EXPECT_FALSE(cimon_event_is_builtin(&ev));
	/* A lost record is never a rule's. */
	rule_event(&ev, CIMON_EVENT_LOST, 3);
	plain = rule_line(&ev, &test_rule, true);
	EXPECT_TOP_STR(plain, "rule", "cimon: events lost");
	free(plain);
}

/* No raw control byte before the final newline of a text line. */
static bool text_is_safe(const char *line)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t k;

	for (k = 0; p[k] && p[k + 1]; k++)
		if (p[k] < 0x20 || p[k] == 0x7f ||
		    (p[k] == 0xc2 && p[k + 1] >= 0x80 && p[k + 1] < 0xa0))
			return false;
	return true;
}

TEST(hostile_rules_give_valid_json_and_safe_text)
{
	struct cimon_fmt_rule rule = test_rule;
	struct cimon_event ev;
	char *line, *out;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	test_set(ev.proc.comm, "a\"b\\c\x1b[2J\xff");
	rule.name = "evil \"rule\"\\\x1b]0;pwned\x07\xc3\x28\xc2\x9b\n";
	rule.output = "q\"uote\\ \x01\x1b[31m %proc.name \xff\xfe \xed\xa0\x80 "
		      "\xc0\xaf \xf4\x90\x80\x80 tab\there \xe6\x97\xa5 %";
	rule.tags = "\"x\",\x1b,\xff\xfe,ok";
	line = rule_line(&ev, &rule, true);
	EXPECT_VALID(line);
	out = top_str(line, "rule");
	EXPECT_EQ(0, strncmp(OR_MISSING(out), "evil \"rule\"\\\x1b]0;pwned\x07",
			     20)) TH_LOG("%s", OR_MISSING(out));
	free(out);
	out = top_str(line, "output");
	/* Values and text are both there, escaped only as JSON needs. */
	EXPECT_NE(NULL, strstr(OR_MISSING(out), "q\"uote\\ \x01\x1b[31m a\"b\\c\x1b[2J"))
		TH_LOG("%s", OR_MISSING(out));
	EXPECT_NE(NULL, strstr(OR_MISSING(out), "tab\there \xe6\x97\xa5 %"));
	free(out);
	free(line);

	line = rule_line(&ev, &rule, false);
	EXPECT_TRUE(text_is_safe(line)) TH_LOG("%s", line);
	EXPECT_EQ(NULL, strchr(line, '\x1b'));
	/* The rule's own quotes stay; the value's are escaped. */
	EXPECT_NE(NULL, strstr(line, "evil \"rule\"\\\\x1b]0;pwned\\x07\\xc3(\\xc2\\x9b\\x0a: "))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, ": q\"uote\\ \\x01\\x1b[31m a\\\"b\\\\c\\x1b[2J\\xff \\xff\\xfe"))
		TH_LOG("%s", line);
	free(line);
}

TEST(random_templates_always_give_valid_json_and_safe_text)
{
	static const char *const parts[] = {
		"%proc.name", "%proc.aname[", "]", "[", "%", "\"", "'", "\\",
		"%proc.env[\"", "%fd.name", "%proc.cmdline", ".", "%proc.pid",
		"\x1b", "\xff", "\xe6\x97", "\xa5", "\n", " ", ",", "%1",
		"%proc.aname[2]", "%cimon.rule_id", "%container.image.repository",
	};
	struct cimon_fmt_rule rule = test_rule;
	struct cimon_event *ev = malloc(sizeof(*ev));
	char tmpl[512], name[64], tags[64];
	uint32_t seed = 0xc1a0;
	size_t i, n, k, len;
	char *line;

	ASSERT_NE(NULL, ev);
	for (i = 0; i < 2000; i++) {
		rule_event(ev, access_types[i % NR_ACCESS_TYPES], 3);
		fill_random(&ev->proc.comm, sizeof(ev->proc) -
			    offsetof(struct cimon_process, comm), &seed);
		fill_random(ev->file, sizeof(ev->file), &seed);
		ev->proc.cmdline_len = next_rand(&seed) % 600;
		len = 0;
		n = next_rand(&seed) % 40;
		for (k = 0; k < n; k++) {
			const char *p = parts[next_rand(&seed) %
					      (sizeof(parts) / sizeof(parts[0]))];

			if (len + strlen(p) >= sizeof(tmpl))
				break;
			memcpy(tmpl + len, p, strlen(p));
			len += strlen(p);
		}
		tmpl[len] = '\0';
		fill_random(name, sizeof(name) - 1, &seed);
		name[sizeof(name) - 1] = '\0';
		fill_random(tags, sizeof(tags) - 1, &seed);
		tags[sizeof(tags) - 1] = '\0';
		rule.output = tmpl;
		rule.name = name;
		rule.tags = tags;
		rule.priority = next_rand(&seed) % 10;
		line = rule_line(ev, &rule, true);
		ASSERT_TRUE(jc_valid(line, strlen(line) - 1))
			TH_LOG("%s", line);
		free(line);
		line = rule_line(ev, &rule, false);
		ASSERT_TRUE(text_is_safe(line)) TH_LOG("%s", line);
		free(line);
	}
	free(ev);
}

/* ---- exec events, their environment, and the GitHub Actions step ------- */

TEST(exec_fields)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_EXEC);
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: program executed");
	EXPECT_TOP_STR(line, "priority", "Warning");
	EXPECT_FIELD(line, "evt.type", "\"execve\"");
	EXPECT_FIELD(line, "cimon.event", "\"exec\"");
	/* The process as the exec makes it: the new program. */
	EXPECT_FIELD(line, "proc.name", "\"nohup\"");
	EXPECT_FIELD(line, "proc.exepath", "\"/usr/bin/nohup\"");
	EXPECT_FIELD(line, "proc.cmdline", "\"nohup ./x\"");
	EXPECT_FIELD(line, "proc.pname", "\"bash\"");
	EXPECT_FIELD(line, "proc.aname[2]", "\"Runner.Worker\"");
	EXPECT_FIELD(line, "user.uid", "1001");
	EXPECT_FIELD(line, "cimon.verdict", "\"allowed\"");
	/* The carried variables, one key each, and joined as Falco shows. */
	EXPECT_FIELD(line, "proc.env", "\"RUNNER_TRACKING_ID=0\"");
	EXPECT_FIELD(line, "proc.env[RUNNER_TRACKING_ID]", "\"0\"");
	EXPECT_FIELD(line, "proc.aenv[1]",
		     "\"RUNNER_TRACKING_ID=" TEST_TRACKING_ID "\"");
	EXPECT_FIELD(line, "proc.aenv[1][RUNNER_TRACKING_ID]",
		     "\"" TEST_TRACKING_ID "\"");
	/* An exec acts on no other process and opens no file. */
	EXPECT_NO_FIELD(line, "target.name");
	EXPECT_NO_FIELD(line, "target.pid");
	EXPECT_NO_FIELD(line, "target.exepath");
	EXPECT_NO_FIELD(line, "fd.name");
	EXPECT_NO_FIELD(line, "evt.arg.flags");
	/* Outside a job: no github.* keys at all. */
	EXPECT_NO_FIELD(line, "github.repository");
	EXPECT_NO_FIELD(line, "github.action");
	free(line);

	ev.syscall_nr = 322;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"execveat\"");
	free(line);
	ev.syscall_nr = 358;
	ev.flags = CIMON_F_SYSCALL_IA32;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"execveat\"");
	free(line);
	ev.syscall_nr = 520;
	ev.flags = CIMON_F_SYSCALL_X32;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"execve\"");
	free(line);
}

TEST(exec_builtin_output_and_text)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_EXEC);
	line = json_line(&ev);
	EXPECT_TOP_STR(line, "output",
		"A program was executed (process=nohup pid=123 "
		"exepath=/usr/bin/nohup parent=bash gparent=Runner.Worker "
		"command=nohup ./x uid=1001 terminal=34816 container_id=host "
		"env=RUNNER_TRACKING_ID=0 parent_env=RUNNER_TRACKING_ID="
		TEST_TRACKING_ID ") verdict=allowed");
	free(line);
	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Warning cimon: program executed: nohup "
		     "(pid 123, uid 1001, exe /usr/bin/nohup) started (execve), "
		     "parent bash: cmdline=\"nohup ./x\" "
		     "env=\"RUNNER_TRACKING_ID=0\" parent_env=\"RUNNER_TRACKING_ID="
		     TEST_TRACKING_ID "\" tty=pts/0 container=host "
		     "verdict=allowed\n", line);
	free(line);
}

TEST(template_env_fields)
{
	struct cimon_event ev;

	rule_event(&ev, CIMON_EVENT_EXEC, 3);
	test_set_env(ev.env, ev.env_len,
		     "RUNNER_TRACKING_ID=0\0HOME=/home/runner\0EMPTY=\0");
	test_set_env(ev.aenv, ev.aenv_len,
		     "RUNNER_TRACKING_ID=" TEST_TRACKING_ID "\0HOME=/root\0");
	/* Bare, double- and single-quoted names: the same variable. */
	EXPECT_RENDER(&ev, "%proc.env[RUNNER_TRACKING_ID]|"
		      "%proc.env[\"RUNNER_TRACKING_ID\"]|%proc.env['HOME']",
		      "0|0|/home/runner");
	EXPECT_RENDER(&ev, "%proc.aenv[1][RUNNER_TRACKING_ID]|"
		      "%proc.aenv[1][\"HOME\"]|%proc.aenv[1]['HOME']",
		      TEST_TRACKING_ID "|/root|/root");
	/* Set to "" is a value, not <NA>; not carried is <NA>, as Falco. */
	EXPECT_RENDER(&ev, "empty=\"%proc.env[EMPTY]\" none=%proc.env[NOPE] "
		      "parent=%proc.aenv[1][EMPTY]",
		      "empty=\"\" none=<NA> parent=<NA>");
	/* The whole environment: the carried strings, joined by spaces. */
	EXPECT_RENDER(&ev, "%proc.env",
		      "RUNNER_TRACKING_ID=0 HOME=/home/runner EMPTY=");
	EXPECT_RENDER(&ev, "%proc.aenv[1]",
		      "RUNNER_TRACKING_ID=" TEST_TRACKING_ID " HOME=/root");
	/* Only the parent's is carried; names are case-sensitive. */
	EXPECT_RENDER(&ev, "%proc.aenv[2][HOME] %proc.aenv[2] %proc.aenv "
		      "%proc.env[home] %proc.aenv[1][] %proc.env[HOME][x]",
		      "<NA> <NA> <NA> <NA> <NA> <NA>");
	/* Text after a reference is text, brackets included. */
	EXPECT_RENDER(&ev, "%proc.aenv[1][HOME]x[HOME] %proc.env[HOME] [x]",
		      "/rootx[HOME] /home/runner [x]");
	/* The seed rule's output, as Falco prints it for this exec. */
	EXPECT_RENDER(&ev, "with RUNNER_TRACKING_ID=%proc.env[\"RUNNER_TRACKING_ID\"]. "
		      "(user=%user.name cmdline=%proc.cmdline)",
		      "with RUNNER_TRACKING_ID=0. (user=<NA> cmdline=nohup ./x)");
	/* Nothing carried (a set that names no variable): <NA>. */
	test_set_env(ev.env, ev.env_len, "");
	EXPECT_RENDER(&ev, "%proc.env %proc.env[HOME] %proc.aenv[1][HOME]",
		      "<NA> <NA> /root");
	/* Not an exec: no environment at all. */
	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	EXPECT_RENDER(&ev, "%proc.env %proc.aenv[1] %proc.aenv[1][HOME]",
		      "<NA> <NA> <NA>");
}

TEST(env_truncated_and_unavailable)
{
	struct cimon_event ev;
	char strs[CIMON_ENV_LEN], want[CIMON_ENV_LEN + 8], *line, *got;
	size_t n;

	/* A value cut by the kernel to CIMON_ENV_VALUE_LEN - 1 bytes. */
	test_event(&ev, CIMON_EVENT_EXEC);
	n = (size_t)snprintf(strs, sizeof(strs), "A=short");
	strs[n++] = '\0';
	memcpy(strs + n, "LONG=", 5);
	memset(strs + n + 5, 'v', CIMON_ENV_VALUE_LEN - 1);
	n += 5 + CIMON_ENV_VALUE_LEN - 1;
	strs[n++] = '\0';
	test_set_strings(ev.env, sizeof(ev.env), &ev.env_len, strs, n);
	ev.flags = CIMON_F_ENV_TRUNCATED;
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "proc.env[A]", "\"short\"");
	got = field_str(line, "proc.env[LONG]");
	ASSERT_NE(NULL, got);
	EXPECT_EQ(CIMON_ENV_VALUE_LEN - 1 + 3, strlen(got));
	EXPECT_STREQ("v...", got + strlen(got) - 4);
	free(got);
	got = field_str(line, "proc.env");
	ASSERT_NE(NULL, got);
	EXPECT_EQ(0, strncmp(got, "A=short LONG=vvv", 16));
	EXPECT_STREQ("v...", got + strlen(got) - 4);
	free(got);
	/* The parent's is whole: no mark there. */
	EXPECT_FIELD(line, "proc.aenv[1][RUNNER_TRACKING_ID]",
		     "\"" TEST_TRACKING_ID "\"");
	free(line);

	/* The section ran out: what is there is whole, the join is marked. */
	test_event(&ev, CIMON_EVENT_EXEC);
	ev.flags = CIMON_F_AENV_TRUNCATED;
	line = json_line(&ev);
	snprintf(want, sizeof(want), "\"RUNNER_TRACKING_ID=%s...\"",
		 TEST_TRACKING_ID);
	EXPECT_FIELD(line, "proc.aenv[1]", want);
	EXPECT_FIELD(line, "proc.aenv[1][RUNNER_TRACKING_ID]",
		     "\"" TEST_TRACKING_ID "\"");
	EXPECT_FIELD(line, "proc.env", "\"RUNNER_TRACKING_ID=0\"");
	free(line);

	/* Not read, and no parent's: <NA>, whatever the section holds. */
	test_event(&ev, CIMON_EVENT_EXEC);
	ev.flags = CIMON_F_ENV_UNAVAILABLE | CIMON_F_AENV_UNAVAILABLE;
	line = json_line(&ev);
	EXPECT_FIELD(line, "proc.env", "\"<NA>\"");
	EXPECT_FIELD(line, "proc.aenv[1]", "\"<NA>\"");
	EXPECT_NO_FIELD(line, "proc.env[RUNNER_TRACKING_ID]");
	EXPECT_NO_FIELD(line, "proc.aenv[1][RUNNER_TRACKING_ID]");
	free(line);
	rule_event(&ev, CIMON_EVENT_EXEC, 3);
	ev.flags = CIMON_F_ENV_UNAVAILABLE;
	EXPECT_RENDER(&ev, "%proc.env[RUNNER_TRACKING_ID] "
		      "%proc.aenv[1][RUNNER_TRACKING_ID]",
		      "<NA> " TEST_TRACKING_ID);
}

TEST(env_sections_are_bounded)
{
	/* Heap-allocated to its exact size, so ASan sees a read past the end. */
	struct cimon_event *ev = malloc(sizeof(*ev));
	char strs[CIMON_ENV_LEN], *line, *got;
	size_t n = 0, i;

	ASSERT_NE(NULL, ev);
	/* Strings without '=' or a name, empty ones: skipped; the first X. */
	test_event(ev, CIMON_EVENT_EXEC);
	test_set_env(ev->env, ev->env_len,
		     "NOEQUALS\0=nameless\0\0X=1\0X=2\0Y==\0");
	line = json_line(ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "proc.env", "\"X=1 X=2 Y==\"");
	EXPECT_FIELD(line, "proc.env[X]", "\"1\"");
	EXPECT_FIELD(line, "proc.env[Y]", "\"=\"");
	EXPECT_NO_FIELD(line, "proc.env[NOEQUALS]");
	EXPECT_NO_FIELD(line, "proc.env[]");
	free(line);

	/* A length past the array, and no final NUL: nothing read past it. */
	memset(ev->aenv, 'a', sizeof(ev->aenv));
	memcpy(ev->aenv, "K=", 2);
	ev->aenv_len = 100000;
	memset(ev->env, 'e', sizeof(ev->env));
	ev->env[1] = '=';
	ev->env_len = CIMON_ENV_LEN;
	line = json_line(ev);
	EXPECT_VALID(line);
	got = field_str(line, "proc.aenv[1][K]");
	ASSERT_NE(NULL, got);
	EXPECT_EQ(CIMON_ENV_LEN - 2, strlen(got));
	free(got);
	got = field_str(line, "proc.env[e]");
	ASSERT_NE(NULL, got);
	EXPECT_EQ(CIMON_ENV_LEN - 2, strlen(got));
	free(got);
	free(line);

	/* More variables than a set can name: the first CIMON_ENV_KEYS_MAX. */
	for (i = 0; n + 8 < sizeof(strs); i++)
		n += (size_t)snprintf(strs + n, sizeof(strs) - n, "V%zu=%zu",
				      i, i % 10) + 1;
	test_set_strings(ev->env, sizeof(ev->env), &ev->env_len, strs, n);
	ASSERT_LT(CIMON_ENV_KEYS_MAX, i);
	line = json_line(ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "proc.env[V0]", "\"0\"");
	EXPECT_FIELD(line, "proc.env[V31]", "\"1\"");
	EXPECT_NO_FIELD(line, "proc.env[V32]");
	free(line);
	free(ev);
}

TEST(github_fields_in_a_job)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	test_set_github(&ev, "changed-files", "tj-actions/changed-files", "v45");
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "github.repository", "\"octo/app\"");
	EXPECT_FIELD(line, "github.workflow", "\"build\"");
	EXPECT_FIELD(line, "github.run_id", "\"1234\"");
	EXPECT_FIELD(line, "github.job", "\"test\"");
	EXPECT_FIELD(line, "github.action", "\"changed-files\"");
	EXPECT_FIELD(line, "github.action_repository",
		     "\"tj-actions/changed-files\"");
	EXPECT_FIELD(line, "github.action_ref", "\"v45\"");
	/* Falco's keys are all still there, and the output unchanged. */
	expect_common_fields(_metadata, line);
	EXPECT_TOP_STR(line, "rule", "Process Dumping Memory of Others");
	free(line);

	/* A run: step has no action: <NA>, the keys stay. */
	test_set_github(&ev, "__run_2", NULL, NULL);
	line = json_line(&ev);
	EXPECT_FIELD(line, "github.action", "\"__run_2\"");
	EXPECT_FIELD(line, "github.action_repository", "\"<NA>\"");
	EXPECT_FIELD(line, "github.action_ref", "\"<NA>\"");
	free(line);

	/* Cut by the kernel: the string that fills its array is marked. */
	test_set_github(&ev, "__run_2", NULL, NULL);
	memset(ev.github.workflow, 'w', sizeof(ev.github.workflow) - 1);
	ev.flags = CIMON_F_GITHUB_TRUNCATED;
	line = json_line(&ev);
	{
		char *wf = field_str(line, "github.workflow");

		ASSERT_NE(NULL, wf);
		EXPECT_EQ(CIMON_GITHUB_WORKFLOW_LEN - 1 + 3, strlen(wf));
		EXPECT_STREQ("w...", wf + strlen(wf) - 4);
		free(wf);
	}
	EXPECT_FIELD(line, "github.repository", "\"octo/app\"");
	free(line);
	/* The same string without the flag: whole. */
	ev.flags = 0;
	line = json_line(&ev);
	{
		char *wf = field_str(line, "github.workflow");

		ASSERT_NE(NULL, wf);
		EXPECT_EQ(CIMON_GITHUB_WORKFLOW_LEN - 1, strlen(wf));
		free(wf);
	}
	free(line);
}

TEST(github_fields_in_templates)
{
	struct cimon_event ev;

	rule_event(&ev, CIMON_EVENT_EXEC, 3);
	test_set_github(&ev, "__run_2", NULL, NULL);
	EXPECT_RENDER(&ev, "repo=%github.repository wf=%github.workflow "
		      "run=%github.run_id job=%github.job step=%github.action "
		      "uses=%github.action_repository@%github.action_ref",
		      "repo=octo/app wf=build run=1234 job=test step=__run_2 "
		      "uses=<NA>@<NA>");
	/* Outside a job. */
	memset(&ev.github, 0, sizeof(ev.github));
	EXPECT_RENDER(&ev, "%github.repository %github.action %github.nosuch",
		      "<NA> <NA> <NA>");
}

TEST(text_line_names_the_step)
{
	struct cimon_event ev;
	char *line;

	/* The tj-actions case: which repository, run, job and step did it. */
	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	test_set_github(&ev, "changed-files", "tj-actions/changed-files", "v45");
	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Warning Process Dumping Memory of "
		     "Others [octo/app build#1234 job=test step=changed-files "
		     "uses=tj-actions/changed-files@v45]: memdump (pid 123, "
		     "uid 0, exe /usr/bin/python3.11) opened /proc/45/mem "
		     "[read] of Runner.Worker (pid 45, exe "
		     "/opt/runner/bin/Runner.Worker) cmdline=\"memdump "
		     "memdump.py --all\" parent=sudo tty=pts/0 container=host "
		     "verdict=allowed\n", line);
	free(line);

	/* A run: step; a loaded rule's output. */
	rule_event(&ev, CIMON_EVENT_EXEC, 3);
	test_set_github(&ev, "__run_2", NULL, NULL);
	line = rule_line(&ev, &test_rule, false);
	EXPECT_EQ(0, strncmp(line, TEST_TIME_UTC " Critical Memory of GitHub "
			     "Runner Read or Written [octo/app build#1234 "
			     "job=test step=__run_2]: Runner memory (",
			     strlen(TEST_TIME_UTC) + 103)) TH_LOG("%s", line);
	free(line);

	/* A workflow name with blanks reads as one word; parts may lack. */
	test_event(&ev, CIMON_EVENT_EXEC);
	test_set_github(&ev, "__run_2", NULL, NULL);
	test_set(ev.github.workflow, "CI / build [linux]");
	test_set(ev.github.repository, "");
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, " executed [\"CI / build [linux]\"#1234 "
			       "job=test step=__run_2]: nohup ")) TH_LOG("%s", line);
	free(line);
	memset(&ev.github, 0, sizeof(ev.github));
	test_set(ev.github.run_id, "99");
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, " executed [#99]: nohup ")) TH_LOG("%s", line);
	free(line);

	/* Outside a job: no tag at all. */
	memset(&ev.github, 0, sizeof(ev.github));
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, " program executed: nohup ")) TH_LOG("%s", line);
	EXPECT_EQ(NULL, strchr(line, '#'));
	free(line);

	/* Colour: the tag is not part of the bold rule name. */
	test_set_github(&ev, "__run_2", NULL, NULL);
	line = text_line(&ev, true);
	EXPECT_NE(NULL, strstr(line, "executed\033[0m [octo/app build#1234 "
			       "job=test step=__run_2]: ")) TH_LOG("%s", line);
	free(line);
}

TEST(step_tag_is_safe_and_marks_cuts)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_EXEC);
	test_set_github(&ev, "a\"b\\c", "evil/\x1b[2Jx", "v1\x07");
	test_set(ev.github.job, "j]ob");
	line = text_line(&ev, false);
	EXPECT_TRUE(text_is_safe(line)) TH_LOG("%s", line);
	EXPECT_EQ(NULL, strchr(line, '\x1b'));
	EXPECT_NE(NULL, strstr(line, " job=\"j]ob\" step=\"a\\\"b\\\\c\" "
			       "uses=\"evil/\\x1b[2Jx\"@\"v1\\x07\"]: "))
		TH_LOG("%s", line);
	free(line);

	test_set_github(&ev, "__run_2", NULL, NULL);
	memset(ev.github.repository, 'r', sizeof(ev.github.repository) - 1);
	ev.flags = CIMON_F_GITHUB_TRUNCATED;
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, "rrr... build#1234 job=test")) TH_LOG("%s", line);
	free(line);
}

/* Every field of an exec in a job renders in a template as in the JSON. */
TEST(exec_template_values_are_the_output_fields)
{
	static const char *const keys[] = {
		"evt.type", "cimon.event", "proc.name", "proc.pid",
		"proc.exepath", "proc.cmdline", "proc.pname", "proc.aname[2]",
		"user.uid", "proc.env", "proc.env[RUNNER_TRACKING_ID]",
		"proc.env[HOME]", "proc.aenv[1]",
		"proc.aenv[1][RUNNER_TRACKING_ID]", "github.repository",
		"github.workflow", "github.run_id", "github.job",
		"github.action", "github.action_repository",
		"github.action_ref", "cimon.verdict", "cimon.rule_id",
		"cimon.action", "target.name", "fd.name",
	};
	struct cimon_event ev;
	char tmpl[64], *line, *raw, *want, *got;
	size_t i;

	rule_event(&ev, CIMON_EVENT_EXEC, 3);
	test_set_github(&ev, "__run_2", NULL, NULL);
	test_set_env(ev.env, ev.env_len, "RUNNER_TRACKING_ID=\0HOME=/h\0");
	line = rule_line(&ev, &test_rule, true);
	EXPECT_VALID(line);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(tmpl, sizeof(tmpl), "<%%%s>", keys[i]);
		raw = field(line, keys[i]);
		want = raw && raw[0] == '"' ? jc_decode(raw) :
		       raw ? strdup(raw) : strdup(CIMON_NA);
		got = render(&ev, tmpl);
		ASSERT_NE(NULL, got);
		ASSERT_NE(NULL, want);
		EXPECT_EQ(strlen(want) + 2, strlen(got)) TH_LOG("%s", keys[i]);
		EXPECT_EQ(0, strncmp(want, got + 1, strlen(want)))
			TH_LOG("%s: %s vs %s", keys[i], want, got);
		free(raw);
		free(want);
		free(got);
	}
	free(line);
}

TEST(random_exec_events_give_valid_json_and_safe_text)
{
	struct cimon_event *ev = malloc(sizeof(*ev));
	struct cimon_fmt_rule rule = test_rule;
	uint32_t seed = 0xe7ec;
	char *line;
	size_t i;

	ASSERT_NE(NULL, ev);
	rule.output = "%proc.env %proc.aenv[1] %proc.env[A] %proc.aenv[1][A] "
		      "%github.repository %github.action_ref";
	for (i = 0; i < 3000; i++) {
		rule_event(ev, i % 2 ? CIMON_EVENT_EXEC : CIMON_EVENT_VM_READ, 3);
		fill_random(&ev->github, sizeof(ev->github), &seed);
		fill_random(ev->env, sizeof(ev->env), &seed);
		fill_random(ev->aenv, sizeof(ev->aenv), &seed);
		if (i % 3 == 0) {
			/* Mostly names and values, so that keys are made. */
			memcpy(ev->env, "A=", 2);
			memcpy(ev->aenv, "A=", 2);
		}
		fill_random(&ev->flags, sizeof(ev->flags), &seed);
		ev->env_len = next_rand(&seed) % 1200;
		ev->aenv_len = next_rand(&seed) % 1200;
		line = rule_line(ev, &rule, true);
		ASSERT_TRUE(jc_valid(line, strlen(line) - 1)) TH_LOG("%s", line);
		free(line);
		line = rule_line(ev, &rule, false);
		ASSERT_TRUE(text_is_safe(line)) TH_LOG("%s", line);
		free(line);
		line = rule_line(ev, NULL, false);
		ASSERT_TRUE(text_is_safe(line)) TH_LOG("%s", line);
		free(line);
	}
	free(ev);
}

/* ---- enforcement: verdicts, kernel memory, missed detections, tamper ---- */

TEST(verdict_names)
{
	EXPECT_STREQ("allowed", cimon_verdict_name(CIMON_VERDICT_ALLOWED));
	EXPECT_STREQ("blocked", cimon_verdict_name(CIMON_VERDICT_BLOCKED));
	EXPECT_STREQ("would_block",
		     cimon_verdict_name(CIMON_VERDICT_WOULD_BLOCK));
	EXPECT_EQ(NULL, cimon_verdict_name(3));
	EXPECT_STREQ("unload", cimon_tamper_name(CIMON_TAMPER_UNLOAD));
	EXPECT_STREQ("mode", cimon_tamper_name(CIMON_TAMPER_MODE));
	EXPECT_STREQ("rules", cimon_tamper_name(CIMON_TAMPER_RULES));
	EXPECT_STREQ("kprobes", cimon_tamper_name(CIMON_TAMPER_KPROBES));
	EXPECT_EQ(NULL, cimon_tamper_name(0));
	EXPECT_EQ(NULL, cimon_tamper_name(5));
	EXPECT_EQ(NULL, cimon_tamper_name(0xffffffff));
	EXPECT_STREQ("kmem_open", cimon_event_type_name(CIMON_EVENT_KMEM_OPEN));
	EXPECT_STREQ("missed", cimon_event_type_name(CIMON_EVENT_MISSED));
	EXPECT_STREQ("tamper", cimon_event_type_name(CIMON_EVENT_TAMPER));
}

/* The text line says first what cimon did, whatever the rule's output. */
TEST(text_marks_blocked_and_would_block)
{
	struct cimon_event ev;
	char *line;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ev.verdict = CIMON_VERDICT_BLOCKED;
	line = text_line(&ev, false);
	EXPECT_EQ(0, strncmp(line, TEST_TIME_UTC " Warning [BLOCKED] Process "
			     "Dumping Memory of Others: memdump (pid 123,",
			     strlen(TEST_TIME_UTC) + 67)) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " verdict=blocked\n"));
	EXPECT_EQ(NULL, strstr(line, "WOULD"));
	free(line);

	ev.verdict = CIMON_VERDICT_WOULD_BLOCK;
	line = text_line(&ev, false);
	EXPECT_EQ(0, strncmp(line, TEST_TIME_UTC " Warning [WOULD BLOCK] "
			     "Process Dumping", strlen(TEST_TIME_UTC) + 37))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " verdict=would_block\n"));
	free(line);
	line = json_line(&ev);
	EXPECT_FIELD(line, "cimon.verdict", "\"would_block\"");
	EXPECT_EQ(NULL, strstr(line, "WOULD BLOCK"));
	EXPECT_EQ(NULL, strstr(line, "[BLOCKED]"));
	free(line);

	/* Allowed, or a verdict this cimon does not know: no mark. */
	ev.verdict = CIMON_VERDICT_ALLOWED;
	line = text_line(&ev, false);
	EXPECT_EQ(NULL, strchr(line, '[') == strstr(line, "[read]") ?
		  NULL : line) TH_LOG("%s", line);
	EXPECT_EQ(NULL, strstr(line, "BLOCK"));
	free(line);
	ev.verdict = 7;
	line = text_line(&ev, false);
	EXPECT_EQ(NULL, strstr(line, "BLOCK"));
	EXPECT_NE(NULL, strstr(line, " verdict=unknown\n"));
	free(line);
	line = json_line(&ev);
	EXPECT_FIELD(line, "cimon.verdict", "\"unknown\"");
	free(line);

	/* In colour: red for blocked, yellow for would block. */
	ev.verdict = CIMON_VERDICT_BLOCKED;
	line = text_line(&ev, true);
	EXPECT_NE(NULL, strstr(line, "\033[1;31m[BLOCKED]\033[0m \033[1mProcess"))
		TH_LOG("%s", line);
	free(line);
	ev.verdict = CIMON_VERDICT_WOULD_BLOCK;
	line = text_line(&ev, true);
	EXPECT_NE(NULL, strstr(line, "\033[1;33m[WOULD BLOCK]\033[0m \033[1m"))
		TH_LOG("%s", line);
	free(line);
}

TEST(loaded_rule_blocked_in_a_job)
{
	struct cimon_event ev;
	char *line;

	rule_event(&ev, CIMON_EVENT_MEM_OPEN, 3);
	ev.verdict = CIMON_VERDICT_BLOCKED;
	test_set_github(&ev, "__tj-actions_changed-files",
			"tj-actions/changed-files", "v45");
	line = rule_line(&ev, &test_rule, false);
	EXPECT_STREQ(TEST_TIME_UTC " Critical [BLOCKED] Memory of GitHub "
		     "Runner Read or Written [octo/app build#1234 job=test "
		     "step=__tj-actions_changed-files "
		     "uses=tj-actions/changed-files@v45]: Runner memory "
		     "(file=/proc/45/mem process=memdump pid=123)\n", line);
	free(line);
	ev.verdict = CIMON_VERDICT_WOULD_BLOCK;
	line = rule_line(&ev, &test_rule, false);
	EXPECT_NE(NULL, strstr(line, " Critical [WOULD BLOCK] Memory of GitHub "
			       "Runner Read or Written [octo/app "))
		TH_LOG("%s", line);
	free(line);
	line = rule_line(&ev, &test_rule, true);
	EXPECT_VALID(line);
	EXPECT_FIELD(line, "cimon.verdict", "\"would_block\"");
	EXPECT_FIELD(line, "cimon.action", "\"block\"");
	free(line);
}

TEST(kmem_open_fields)
{
	struct cimon_event ev;
	char *line, *tags;

	test_event(&ev, CIMON_EVENT_KMEM_OPEN);
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: kernel memory opened");
	EXPECT_TOP_STR(line, "priority", "Critical");
	tags = top(line, "tags");
	EXPECT_STREQ("[\"CI/CD\"]", OR_MISSING(tags));
	free(tags);
	EXPECT_FIELD(line, "evt.type", "\"openat\"");
	EXPECT_FIELD(line, "cimon.event", "\"kmem_open\"");
	EXPECT_FIELD(line, "fd.name", "\"/dev/mem\"");
	EXPECT_FIELD(line, "evt.arg.flags", "\"O_RDONLY|O_LARGEFILE\"");
	EXPECT_FIELD(line, "evt.rawarg.flags", "32768");
	EXPECT_FIELD(line, "cimon.access", "\"read\"");
	EXPECT_FIELD(line, "proc.name", "\"cat\"");
	EXPECT_FIELD(line, "proc.cmdline", "\"cat /dev/mem\"");
	EXPECT_FIELD(line, "proc.pname", "\"sudo\"");
	EXPECT_FIELD(line, "cimon.verdict", "\"allowed\"");
	/* No process is the target. */
	EXPECT_NO_FIELD(line, "target.pid");
	EXPECT_NO_FIELD(line, "target.tid");
	EXPECT_NO_FIELD(line, "target.name");
	EXPECT_NO_FIELD(line, "target.exepath");
	EXPECT_NO_FIELD(line, "evt.arg.request");
	EXPECT_TOP_STR(line, "output",
		"Kernel or physical memory opened (file=/dev/mem "
		"flags=O_RDONLY|O_LARGEFILE process=cat pid=123 "
		"exepath=/usr/bin/cat parent=sudo gparent=bash "
		"command=cat /dev/mem uid=0 terminal=34816 "
		"container_id=host) verdict=allowed");
	free(line);

	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Critical cimon: kernel memory opened: "
		     "cat (pid 123, uid 0, exe /usr/bin/cat) opened /dev/mem "
		     "[read], the kernel's or the machine's memory: "
		     "cmdline=\"cat /dev/mem\" parent=sudo tty=pts/0 "
		     "container=host verdict=allowed\n", line);
	free(line);

	/* /proc/kcore by openat2, for writing; the other two names. */
	test_set(ev.file, "/proc/kcore");
	ev.syscall_nr = 437;
	ev.arg = 02;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"openat2\"");
	EXPECT_FIELD(line, "fd.name", "\"/proc/kcore\"");
	EXPECT_FIELD(line, "cimon.access", "\"read-write\"");
	free(line);
	test_set(ev.file, "/dev/port");
	ev.verdict = CIMON_VERDICT_WOULD_BLOCK;
	line = text_line(&ev, false);
	EXPECT_NE(NULL, strstr(line, " Critical [WOULD BLOCK] cimon: kernel "
			       "memory opened: cat (pid 123, uid 0, exe "
			       "/usr/bin/cat) opened /dev/port [read-write],"))
		TH_LOG("%s", line);
	free(line);
}

/* The shipped rule's output, as a loaded rule: the step is named. */
TEST(kmem_open_by_a_loaded_rule)
{
	struct cimon_fmt_rule rule = {
		.id = 9, .name = "Kernel or Physical Memory Opened",
		.priority = CIMON_PRIORITY_CRITICAL,
		.action = CIMON_ACTION_ALERT,
		.output = "Kernel or physical memory opened (file=%fd.name "
			  "flags=%evt.arg.flags syscall=%evt.type "
			  "target=%target.name step=%github.action "
			  "action=%github.action_repository)",
		.tags = "CI/CD,memory",
	};
	struct cimon_event ev;
	char *line;

	rule_event(&ev, CIMON_EVENT_KMEM_OPEN, 9);
	test_set_github(&ev, "__run_2", NULL, NULL);
	line = rule_line(&ev, &rule, true);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "Kernel or Physical Memory Opened");
	EXPECT_TOP_STR(line, "output",
		       "Kernel or physical memory opened (file=/dev/mem "
		       "flags=O_RDONLY|O_LARGEFILE syscall=openat "
		       "target=<NA> step=__run_2 action=<NA>)");
	EXPECT_FIELD(line, "github.action", "\"__run_2\"");
	EXPECT_FIELD(line, "cimon.rule_id", "9");
	EXPECT_FIELD(line, "cimon.action", "\"alert\"");
	free(line);
	line = rule_line(&ev, &rule, false);
	EXPECT_STREQ(TEST_TIME_UTC " Critical Kernel or Physical Memory Opened "
		     "[octo/app build#1234 job=test step=__run_2]: Kernel or "
		     "physical memory opened (file=/dev/mem "
		     "flags=O_RDONLY|O_LARGEFILE syscall=openat target=<NA> "
		     "step=__run_2 action=<NA>)\n", line);
	free(line);
}

TEST(missed_record)
{
	struct cimon_event ev;
	char *line, *fields, *tags, *out;

	test_event(&ev, CIMON_EVENT_MISSED);
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: detections missed");
	EXPECT_TOP_STR(line, "priority", "Critical");
	EXPECT_TOP_STR(line, "source", "cimon");
	EXPECT_TOP_STR(line, "time", TEST_TIME_UTC);
	fields = top(line, "output_fields");
	EXPECT_STREQ("{\"cimon.missed\":3}", OR_MISSING(fields));
	free(fields);
	tags = top(line, "tags");
	EXPECT_STREQ("[\"cimon\"]", OR_MISSING(tags));
	free(tags);
	out = top_str(line, "output");
	EXPECT_STREQ("3 detections could not happen or could not be reported "
		     "(a kernel probe missed, or no room to queue them): see "
		     "probe_misses and dropped in cimon status",
		     OR_MISSING(out));
	free(out);
	free(line);

	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Critical cimon: detections missed: 3 "
		     "detections could not happen or could not be reported (a "
		     "kernel probe missed, or no room to queue them): see "
		     "probe_misses and dropped in cimon status\n", line);
	free(line);

	/* Never a rule's, whatever its ids say. */
	rule_event(&ev, CIMON_EVENT_MISSED, 3);
	ev.lost = 18446744073709551615ULL;
	line = rule_line(&ev, &test_rule, true);
	EXPECT_TOP_STR(line, "rule", "cimon: detections missed");
	fields = top(line, "output_fields");
	EXPECT_STREQ("{\"cimon.missed\":18446744073709551615}",
		     OR_MISSING(fields));
	free(fields);
	free(line);
}

TEST(tamper_record)
{
	static const struct {
		uint32_t kind;
		const char *name, *what;
	} kinds[] = {
		{ CIMON_TAMPER_UNLOAD, "\"unload\"", "tried to unload the cimon module, " },
		{ CIMON_TAMPER_MODE, "\"mode\"", "tried to lower cimon's mode, " },
		{ CIMON_TAMPER_RULES, "\"rules\"", "tried to replace cimon's rule set, " },
		{ CIMON_TAMPER_KPROBES, "\"kprobes\"",
		  "tried to disarm every kprobe (debugfs kprobes/enabled), " },
		{ 0, "0", "tried to weaken cimon (attempt 0), " },
		{ 77, "77", "tried to weaken cimon (attempt 77), " },
	};
	struct cimon_event ev;
	char *line, *tags;
	size_t i;

	test_event(&ev, CIMON_EVENT_TAMPER);
	line = json_line(&ev);
	EXPECT_VALID(line);
	EXPECT_TOP_STR(line, "rule", "cimon: tamper attempt on a locked cimon");
	EXPECT_TOP_STR(line, "priority", "Critical");
	tags = top(line, "tags");
	EXPECT_STREQ("[\"cimon\"]", OR_MISSING(tags));
	free(tags);
	EXPECT_FIELD(line, "cimon.event", "\"tamper\"");
	EXPECT_FIELD(line, "cimon.tamper", "\"unload\"");
	EXPECT_FIELD(line, "evt.type", "\"delete_module\"");
	EXPECT_FIELD(line, "cimon.verdict", "\"blocked\"");
	EXPECT_FIELD(line, "proc.name", "\"rmmod\"");
	EXPECT_FIELD(line, "proc.exepath", "\"/usr/bin/kmod\"");
	EXPECT_FIELD(line, "proc.cmdline", "\"rmmod -f cimon\"");
	EXPECT_FIELD(line, "proc.pname", "\"sudo\"");
	EXPECT_FIELD(line, "user.uid", "0");
	EXPECT_FIELD(line, "cimon.seq", "7");
	EXPECT_NO_FIELD(line, "target.pid");
	EXPECT_NO_FIELD(line, "target.name");
	EXPECT_NO_FIELD(line, "fd.name");
	EXPECT_NO_FIELD(line, "cimon.rule_id");
	EXPECT_NO_FIELD(line, "cimon.action");
	EXPECT_TOP_STR(line, "output",
		"Tamper attempt on a locked cimon denied (attempt=unload "
		"syscall=delete_module process=rmmod pid=123 "
		"exepath=/usr/bin/kmod parent=sudo gparent=bash "
		"command=rmmod -f cimon uid=0 euid=0 terminal=34816 "
		"container_id=host) verdict=blocked");
	free(line);

	line = text_line(&ev, false);
	EXPECT_STREQ(TEST_TIME_UTC " Critical [BLOCKED] cimon: tamper attempt "
		     "on a locked cimon: rmmod (pid 123, uid 0, exe "
		     "/usr/bin/kmod) tried to unload the cimon module, and was "
		     "denied: cimon is locked until reboot; cmdline=\"rmmod -f "
		     "cimon\" parent=sudo tty=pts/0 container=host "
		     "verdict=blocked\n", line);
	free(line);

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		test_event(&ev, CIMON_EVENT_TAMPER);
		ev.arg = kinds[i].kind;
		line = json_line(&ev);
		EXPECT_VALID(line);
		EXPECT_FIELD(line, "cimon.tamper", kinds[i].name);
		free(line);
		line = text_line(&ev, false);
		EXPECT_NE(NULL, strstr(line, kinds[i].what)) TH_LOG("%s", line);
		EXPECT_NE(NULL, strstr(line, " [BLOCKED] cimon: tamper attempt"));
		free(line);
	}

	/* The call: known numbers by name; an unload is delete_module. */
	test_event(&ev, CIMON_EVENT_TAMPER);
	ev.syscall_nr = -1;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"delete_module\"");
	free(line);
	ev.arg = CIMON_TAMPER_RULES;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"<NA>\"");
	free(line);
	ev.syscall_nr = 46;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"sendmsg\"");
	free(line);
	ev.arg = CIMON_TAMPER_KPROBES;
	ev.syscall_nr = 4;
	ev.flags = CIMON_F_SYSCALL_IA32;
	line = json_line(&ev);
	EXPECT_FIELD(line, "evt.type", "\"write\"");
	EXPECT_FIELD(line, "cimon.tamper", "\"kprobes\"");
	free(line);

	/* A built-in alert: rule metadata never renames it. */
	test_event(&ev, CIMON_EVENT_TAMPER);
	{
		struct cimon_fmt_rule rule = test_rule;
		char *plain = rule_line(&ev, NULL, true);

		rule.id = CIMON_RULE_BUILTIN;
		line = rule_line(&ev, &rule, true);
		EXPECT_STREQ(plain, line);
		free(line);
		free(plain);
	}
	EXPECT_TRUE(cimon_event_is_builtin(&ev));
}

TEST(random_enforcement_records_give_valid_json_and_safe_text)
{
	static const enum cimon_event_type types[] = {
		CIMON_EVENT_KMEM_OPEN, CIMON_EVENT_MISSED, CIMON_EVENT_TAMPER,
	};
	struct cimon_event *ev = malloc(sizeof(*ev));
	uint32_t seed = 0xb10c;
	char *line;
	size_t i, k;

	ASSERT_NE(NULL, ev);
	for (i = 0; i < 1500; i++) {
		test_event(ev, types[i % 3]);
		fill_random(&ev->proc.comm, sizeof(ev->proc) -
			    offsetof(struct cimon_process, comm), &seed);
		fill_random(ev->file, sizeof(ev->file), &seed);
		fill_random(&ev->flags, sizeof(ev->flags), &seed);
		fill_random(&ev->arg, sizeof(ev->arg), &seed);
		fill_random(&ev->verdict, sizeof(ev->verdict), &seed);
		fill_random(&ev->syscall_nr, sizeof(ev->syscall_nr), &seed);
		fill_random(&ev->lost, sizeof(ev->lost), &seed);
		if (i % 2)
			fill_random(&ev->github, sizeof(ev->github), &seed);
		if (i % 5 == 0)
			ev->arg %= 6;
		if (i % 7 == 0)
			ev->verdict %= 4;
		ev->proc.cmdline_len = next_rand(&seed) % 600;
		line = json_line(ev);
		ASSERT_TRUE(jc_valid(line, strlen(line) - 1))
			TH_LOG("%s", line);
		free(line);
		line = text_line(ev, false);
		for (k = 0; line[k + 1]; k++)
			ASSERT_FALSE((unsigned char)line[k] < 0x20 ||
				     line[k] == 0x7f) TH_LOG("%s", line);
		free(line);
	}
	free(ev);
}

TEST_HARNESS_MAIN
