// SPDX-License-Identifier: GPL-2.0
/*
 * The cimon binary as a user runs it: `cimon watch` over saved captures
 * (a regular file of records, as /dev/cimon delivers them) and a FIFO,
 * `cimon status` over a fake sysfs directory, and the error messages that
 * tell a user what to do.  The binary is the one built next to this test.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "json_check.h"
#include "test_events.h"

static char cimon_bin[PATH_MAX];
static char cimon_copy[PATH_MAX];	/* when set, run this one */

/* $CIMON, else the cimon next to this test binary. */
static const char *cimon(void)
{
	char self[PATH_MAX];
	ssize_t n;

	if (cimon_copy[0])
		return cimon_copy;
	if (getenv("CIMON"))
		return getenv("CIMON");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return "cimon";
	self[n] = '\0';
	snprintf(cimon_bin, sizeof(cimon_bin), "%s/cimon", dirname(self));
	return cimon_bin;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return strdup("");
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

FIXTURE(cli) {
	char dir[64];
	char out_path[96];
	char err_path[96];
	char *out;
	char *err;
};

FIXTURE_SETUP(cli)
{
	strcpy(self->dir, "/tmp/cimon-cli-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->out_path, sizeof(self->out_path), "%s/out", self->dir);
	snprintf(self->err_path, sizeof(self->err_path), "%s/err", self->dir);
	self->out = self->err = NULL;
}

FIXTURE_TEARDOWN(cli)
{
	char cmd[128];

	free(self->out);
	free(self->err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Starts cimon with @args, its output going to files; returns its pid. */
static pid_t start(FIXTURE_DATA(cli) *self, const char *const *args,
		   uid_t uid)
{
	const char *argv[16] = { "cimon" };
	pid_t pid;
	int i;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid)
		return pid;
	if (!freopen(self->out_path, "w", stdout) ||
	    !freopen(self->err_path, "w", stderr))
		_exit(127);
	unsetenv("NO_COLOR");
	if (uid && (setgid(uid) || setuid(uid)))
		_exit(126);
	execv(cimon(), (char *const *)argv);
	_exit(127);
}

/* Collects the output of @pid; returns its exit status, -1 if killed. */
static int finish(FIXTURE_DATA(cli) *self, pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	free(self->out);
	free(self->err);
	self->out = slurp(self->out_path);
	self->err = slurp(self->err_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_as(FIXTURE_DATA(cli) *self, uid_t uid, const char *const *args)
{
	return finish(self, start(self, args, uid));
}

#define RUN(...) run_as(self, 0, (const char *const[]){ __VA_ARGS__, NULL })

/* Writes @n records of @size bytes (>= the struct) to @name in the dir. */
static void write_capture(FIXTURE_DATA(cli) *self, const char *name,
			  const struct cimon_event *evs, int n, size_t size)
{
	char path[128], *pad = calloc(1, size);
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	f = fopen(path, "w");
	for (i = 0; f && pad && i < n; i++) {
		memcpy(pad, &evs[i], sizeof(evs[i]));
		((struct cimon_event *)pad)->size = (__u32)size;
		fwrite(pad, 1, size, f);
	}
	if (f)
		fclose(f);
	free(pad);
}

static char *path_in(FIXTURE_DATA(cli) *self, const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	return path;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Every line of @s is one valid JSON document. */
static bool all_json(const char *s)
{
	const char *nl;

	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl || !jc_valid(s, (size_t)(nl - s)))
			return false;
	}
	return true;
}

/* The attack, a loss report, then more of it. */
static void attack_capture(FIXTURE_DATA(cli) *self, const char *name,
			   size_t size)
{
	struct cimon_event evs[4];

	test_event(&evs[0], CIMON_EVENT_MEM_OPEN);
	test_event(&evs[1], CIMON_EVENT_LOST);
	test_event(&evs[2], CIMON_EVENT_PTRACE_ATTACH);
	test_event(&evs[3], CIMON_EVENT_VM_READ);
	write_capture(self, name, evs, 4, size);
}

TEST_F(cli, version_help_and_prefixes)
{
	EXPECT_EQ(0, RUN("--version"));
	EXPECT_NE(NULL, strstr(self->out, "cimon "));
	EXPECT_NE(NULL, strstr(self->out, "event ABI 1"));
	EXPECT_EQ(0, RUN("ver"));
	EXPECT_NE(NULL, strstr(self->out, "event ABI 1"));
	EXPECT_EQ(0, RUN("help"));
	EXPECT_NE(NULL, strstr(self->out, "watch"));
	EXPECT_NE(NULL, strstr(self->out, "status"));
	EXPECT_EQ(2, RUN("frobnicate"));
	EXPECT_NE(NULL, strstr(self->err, "unknown command \"frobnicate\""));
	EXPECT_EQ(2, RUN("watch", "--bogus"));
	EXPECT_EQ(2, RUN("watch", "--count", "0"));
}

TEST_F(cli, watch_json_from_a_capture)
{
	attack_capture(self, "cap", sizeof(struct cimon_event));
	ASSERT_EQ(0, RUN("w", "--json", "--device", path_in(self, "cap")));
	EXPECT_EQ(4, count_lines(self->out));
	EXPECT_TRUE(all_json(self->out)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"rule\":\"cimon: events lost\""));
	EXPECT_NE(NULL, strstr(self->out, "\"target.name\":\"Runner.Worker\""));
	/* The loss is also told on stderr, where a person sees it. */
	EXPECT_NE(NULL, strstr(self->err, "42 events lost")) TH_LOG("%s",
								   self->err);
}

TEST_F(cli, watch_text_no_colour_into_a_file)
{
	attack_capture(self, "cap", sizeof(struct cimon_event));
	ASSERT_EQ(0, RUN("watch", "-d", path_in(self, "cap")));
	EXPECT_EQ(4, count_lines(self->out));
	EXPECT_EQ(NULL, strchr(self->out, '\033'));
	EXPECT_NE(NULL, strstr(self->out, " Warning Process Dumping Memory of "
			       "Others: memdump (pid 123,"));
	EXPECT_NE(NULL, strstr(self->out, " Error cimon: events lost: 42 "));
}

TEST_F(cli, watch_steps_over_bigger_records)
{
	/* A newer module appended 24 bytes (not a multiple of 8) per record. */
	attack_capture(self, "cap", sizeof(struct cimon_event) + 20);
	ASSERT_EQ(0, RUN("watch", "--json", "-d", path_in(self, "cap")));
	EXPECT_EQ(4, count_lines(self->out));
	EXPECT_TRUE(all_json(self->out)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"cimon.event\":\"process_vm_read\""));
}

TEST_F(cli, watch_count_stops_after_n_alerts)
{
	attack_capture(self, "cap", sizeof(struct cimon_event));
	ASSERT_EQ(0, RUN("watch", "--json", "-n", "2", "-d",
			 path_in(self, "cap")));
	/* Two alerts; the loss report between them is not an alert. */
	EXPECT_EQ(3, count_lines(self->out));
	EXPECT_EQ(NULL, strstr(self->out, "process_vm_read"));
	ASSERT_EQ(0, RUN("watch", "--once", "-d", path_in(self, "cap")));
	EXPECT_EQ(1, count_lines(self->out));
}

/* A missed-detections record: told on stderr too, and not an alert. */
TEST_F(cli, watch_missed_and_tamper_records)
{
	struct cimon_event evs[4];

	test_event(&evs[0], CIMON_EVENT_MISSED);
	test_event(&evs[1], CIMON_EVENT_TAMPER);
	test_event(&evs[2], CIMON_EVENT_KMEM_OPEN);
	test_event(&evs[3], CIMON_EVENT_MEM_OPEN);
	evs[3].verdict = CIMON_VERDICT_WOULD_BLOCK;
	write_capture(self, "cap", evs, 4, sizeof(evs[0]));
	ASSERT_EQ(0, RUN("watch", "--json", "-d", path_in(self, "cap")));
	EXPECT_EQ(4, count_lines(self->out));
	EXPECT_TRUE(all_json(self->out)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"cimon.missed\":3"));
	EXPECT_NE(NULL, strstr(self->out, "\"cimon.tamper\":\"unload\""));
	EXPECT_NE(NULL, strstr(self->out, "\"cimon.event\":\"kmem_open\""));
	EXPECT_NE(NULL, strstr(self->out, "\"cimon.verdict\":\"would_block\""));
	EXPECT_NE(NULL, strstr(self->err, "cimon: 3 detections missed"))
		TH_LOG("%s", self->err);

	/* --count 2: the tamper alert and the kmem one; MISSED is not one. */
	ASSERT_EQ(0, RUN("watch", "-n", "2", "-d", path_in(self, "cap")));
	EXPECT_EQ(3, count_lines(self->out)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, " Critical cimon: detections missed: 3 "));
	EXPECT_NE(NULL, strstr(self->out, " Critical [BLOCKED] cimon: tamper "
			       "attempt on a locked cimon: rmmod (pid 123,"));
	EXPECT_NE(NULL, strstr(self->out, " Critical cimon: kernel memory "
			       "opened: cat (pid 123,"));
	EXPECT_EQ(NULL, strstr(self->out, "WOULD BLOCK"));
	ASSERT_EQ(0, RUN("watch", "-d", path_in(self, "cap")));
	EXPECT_NE(NULL, strstr(self->out, " Warning [WOULD BLOCK] Process "
			       "Dumping Memory of Others: memdump"));
}

TEST_F(cli, watch_rejects_another_abi_version)
{
	struct cimon_event evs[2];

	test_event(&evs[0], CIMON_EVENT_MEM_OPEN);
	test_event(&evs[1], CIMON_EVENT_MEM_OPEN);
	evs[1].version = CIMON_ABI_VERSION + 1;
	write_capture(self, "cap", evs, 2, sizeof(evs[0]));
	EXPECT_EQ(1, RUN("watch", "-d", path_in(self, "cap")));
	EXPECT_NE(NULL, strstr(self->err, "wrong ABI version: module speaks 2, "
			       "this cimon speaks 1")) TH_LOG("%s", self->err);
	/* What came before the bad record was still printed. */
	EXPECT_EQ(1, count_lines(self->out));
}

TEST_F(cli, watch_rejects_short_and_cut_records)
{
	struct cimon_event ev;

	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ev.size = 64;
	write_capture(self, "short", &ev, 1, sizeof(ev));
	{
		/* write_capture sets the size; put the short one back. */
		FILE *f = fopen(path_in(self, "short"), "r+");

		ASSERT_NE(NULL, f);
		fwrite(&ev.size, sizeof(ev.size), 1, f);
		fclose(f);
	}
	EXPECT_EQ(1, RUN("watch", "-d", path_in(self, "short")));
	EXPECT_NE(NULL, strstr(self->err, "bad record of 64 bytes"));

	write_capture(self, "cut", &ev, 1, sizeof(ev));
	ASSERT_EQ(0, truncate(path_in(self, "cut"), sizeof(ev) - 10));
	EXPECT_EQ(1, RUN("watch", "-d", path_in(self, "cut")));
	EXPECT_NE(NULL, strstr(self->err, "ended inside a record"));
}

TEST_F(cli, watch_says_when_the_module_is_not_loaded)
{
	EXPECT_EQ(1, RUN("watch", "-d", "/nonexistent/cimon"));
	EXPECT_STREQ("cimon: /nonexistent/cimon not found: is the cimon module "
		     "loaded? (modprobe cimon)\n", self->err);
}

TEST_F(cli, watch_says_run_as_root)
{
	attack_capture(self, "cap", sizeof(struct cimon_event));
	ASSERT_EQ(0, chmod(path_in(self, "cap"), 0600));
	if (geteuid() == 0) {
		char cmd[PATH_MAX * 2 + 16];

		/*
		 * As root the file is readable: drop to nobody to be refused.
		 * nobody may not reach the build tree (a checkout under
		 * /root), so run a copy of cimon from the test's own dir.
		 */
		ASSERT_EQ(0, chmod(self->dir, 0755));
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s/cimon'", cimon(),
			 self->dir);
		ASSERT_EQ(0, system(cmd));
		snprintf(cimon_copy, sizeof(cimon_copy), "%s/cimon", self->dir);
		EXPECT_EQ(1, run_as(self, 65534, (const char *const[]){
			"watch", "-d", path_in(self, "cap"), NULL }));
		cimon_copy[0] = '\0';
	} else {
		ASSERT_EQ(0, chmod(path_in(self, "cap"), 0));
		EXPECT_EQ(1, RUN("watch", "-d", path_in(self, "cap")));
	}
	EXPECT_NE(NULL, strstr(self->err, "permission denied opening "));
	EXPECT_NE(NULL, strstr(self->err, ": run as root"));
}

/* Waits up to 5 s for @path to hold @lines lines. */
static bool wait_lines(const char *path, int lines)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	char *s;
	int i, n;

	for (i = 0; i < 500; i++) {
		s = slurp(path);
		n = count_lines(s);
		free(s);
		if (n >= lines)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

TEST_F(cli, watch_flushes_each_batch_and_ends_on_sigterm)
{
	struct cimon_event ev;
	pid_t pid;
	int fd;

	ASSERT_EQ(0, mkfifo(path_in(self, "fifo"), 0600));
	/* O_RDWR: hold the FIFO open without blocking for a reader. */
	fd = open(path_in(self, "fifo"), O_RDWR);
	ASSERT_LE(0, fd);
	pid = start(self, (const char *const[]){ "watch", "--json", "-d",
		    path_in(self, "fifo"), NULL }, 0);
	test_event(&ev, CIMON_EVENT_MEM_OPEN);
	ASSERT_EQ(sizeof(ev), write(fd, &ev, sizeof(ev)));
	/* The line must reach the pipe while cimon still waits for more. */
	EXPECT_TRUE(wait_lines(self->out_path, 1));
	kill(pid, SIGTERM);
	EXPECT_EQ(0, finish(self, pid));
	EXPECT_EQ(1, count_lines(self->out));
	EXPECT_TRUE(all_json(self->out));
	close(fd);
}

static void write_file(const char *dir, const char *name, const char *val)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(val, f);
		fclose(f);
	}
}

static void fake_sysfs(FIXTURE_DATA(cli) *self, const char *abi)
{
	char *dir = path_in(self, "sys");

	mkdir(dir, 0755);
	write_file(dir, "abi_version", abi);
	write_file(dir, "ring_size", "4096\n");
	write_file(dir, "events", "123\n");
	write_file(dir, "dropped", "0\n");
	write_file(dir, "lost", "7\n");
	write_file(dir, "probe_misses", "1\n");
	write_file(dir, "readers", "2\n");
}

TEST_F(cli, status_prints_the_counters)
{
	const char *path[] = { "lost" };
	char *v;

	fake_sysfs(self, "1\n");
	ASSERT_EQ(0, RUN("status", "--sysfs", path_in(self, "sys")));
	EXPECT_NE(NULL, strstr(self->out, "ring_size     4096\n"));
	EXPECT_NE(NULL, strstr(self->out, "events        123\n"));
	EXPECT_NE(NULL, strstr(self->out, "probe_misses  1\n"));
	EXPECT_NE(NULL, strstr(self->out, "readers       2\n"));

	ASSERT_EQ(0, RUN("st", "--json", "-s", path_in(self, "sys")));
	EXPECT_TRUE(all_json(self->out)) TH_LOG("%s", self->out);
	v = jc_get(self->out, path, 1);
	EXPECT_STREQ("7", v ? v : "(missing)");
	free(v);
}

TEST_F(cli, status_shows_the_lock)
{
	const char *path[] = { "locked" };
	char *v;

	/* A module without the file predates the lock: not locked. */
	fake_sysfs(self, "1\n");
	ASSERT_EQ(0, RUN("status", "-s", path_in(self, "sys")));
	EXPECT_NE(NULL, strstr(self->out, "locked        no\n")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, RUN("status", "--json", "-s", path_in(self, "sys")));
	v = jc_get(self->out, path, 1);
	EXPECT_STREQ("false", v ? v : "(missing)");
	free(v);

	write_file(path_in(self, "sys"), "locked", "1\n");
	ASSERT_EQ(0, RUN("status", "-s", path_in(self, "sys")));
	EXPECT_NE(NULL, strstr(self->out, "locked        yes (until reboot)\n"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, RUN("status", "--json", "-s", path_in(self, "sys")));
	EXPECT_TRUE(all_json(self->out)) TH_LOG("%s", self->out);
	v = jc_get(self->out, path, 1);
	EXPECT_STREQ("true", v ? v : "(missing)");
	free(v);

	write_file(path_in(self, "sys"), "locked", "0\n");
	ASSERT_EQ(0, RUN("status", "-s", path_in(self, "sys")));
	EXPECT_NE(NULL, strstr(self->out, "locked        no\n"));
	/* Unreadable: not shown as a state, and no error for it alone. */
	write_file(path_in(self, "sys"), "locked", "maybe\n");
	ASSERT_EQ(0, RUN("status", "--json", "-s", path_in(self, "sys")));
	v = jc_get(self->out, path, 1);
	EXPECT_STREQ("null", v ? v : "(missing)");
	free(v);
}

TEST_F(cli, lock_help_and_usage)
{
	EXPECT_EQ(0, RUN("help"));
	EXPECT_NE(NULL, strstr(self->out, "  lock     lock until reboot"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, RUN("lock", "--help"));
	EXPECT_NE(NULL, strstr(self->out, "Usage: cimon lock\n"));
	EXPECT_NE(NULL, strstr(self->out, "cannot be\nunloaded"));
	EXPECT_NE(NULL, strstr(self->out, "lock=1"));
	EXPECT_NE(NULL, strstr(self->out, "There is no unlock."));
	EXPECT_EQ(0, RUN("lo", "-h"));
	EXPECT_NE(NULL, strstr(self->out, "Usage: cimon lock\n"));
	EXPECT_EQ(2, RUN("lock", "now"));
	EXPECT_NE(NULL, strstr(self->err, "Usage: cimon lock\n"));
	EXPECT_EQ(0, RUN("mode", "--help"));
	EXPECT_NE(NULL, strstr(self->out, "would_block"));
	EXPECT_NE(NULL, strstr(self->out, "A locked cimon"));
}

/*
 * Not as root, so that a host with cimon loaded is never locked by a test:
 * either no module, or no permission; never success.
 */
TEST_F(cli, lock_fails_clearly_without_root_or_module)
{
	EXPECT_EQ(1, run_as(self, 65534, (const char *const[]){ "lock", NULL }));
	EXPECT_TRUE(strstr(self->err, "the cimon module is not loaded") ||
		    strstr(self->err, "cimon: lock: permission denied: run as root") ||
		    strstr(self->err, "cannot talk to the cimon module"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(0, strlen(self->out)) TH_LOG("%s", self->out);
}

TEST_F(cli, status_errors)
{
	EXPECT_EQ(1, RUN("status", "--sysfs", "/nonexistent/cimon"));
	EXPECT_NE(NULL, strstr(self->err, "is the cimon module loaded? "
			       "(modprobe cimon)"));

	fake_sysfs(self, "2\n");
	EXPECT_EQ(1, RUN("status", "-s", path_in(self, "sys")));
	EXPECT_NE(NULL, strstr(self->err, "wrong ABI version: module speaks 2, "
			       "this cimon speaks 1"));

	fake_sysfs(self, "1\n");
	write_file(path_in(self, "sys"), "events", "lots\n");
	EXPECT_EQ(1, RUN("status", "--json", "-s", path_in(self, "sys")));
	EXPECT_NE(NULL, strstr(self->out, "\"events\":null"));
	EXPECT_NE(NULL, strstr(self->err, "events"));
}

TEST_HARNESS_MAIN
