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

TEST_HARNESS_MAIN
