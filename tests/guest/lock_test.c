// SPDX-License-Identifier: GPL-2.0
/*
 * Lock: once locked, cimon cannot be unloaded (forced or not; no module
 * can be force-unloaded), its mode
 * cannot be lowered, its rule set cannot be replaced, kprobes cannot be
 * disarmed nor ftrace switched off under it, until reboot; each attempt
 * fails and is reported as a tamper record, and cimon keeps working.
 *
 * The rig runs this last: the module stays locked for the rest of the
 * boot.  Tests run in order and build on each other.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include "feed.h"
#include "genl.h"
#include "kselftest_harness.h"

#define WAIT_MS 3000

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -1 : 0;
}

/* The next tamper record, of what @what. */
static int find_tamper(int feed, unsigned int what)
{
	struct cimon_event ev;

	while (feed_next(feed, &ev, WAIT_MS) == 1)
		if (ev.type == CIMON_EVENT_TAMPER && ev.arg == what &&
		    ev.verdict == CIMON_VERDICT_BLOCKED &&
		    ev.proc.tgid == (unsigned int)getpid())
			return 1;
	return 0;
}

static int set_mode(struct genl *g, unsigned int mode)
{
	struct nl_msg *msg = genl_new(g, CIMON_CMD_SET_MODE, 0);

	nla_put_u32(msg, CIMON_A_MODE, mode);
	return genl_call(g, msg, 0, NULL, NULL);
}

FIXTURE(lock) {
	struct genl g;
	int feed;
};

FIXTURE_SETUP(lock)
{
	ASSERT_EQ(0, genl_open(&self->g));
	self->feed = feed_open();
	ASSERT_LE(0, self->feed);
	feed_drain(self->feed);
}

FIXTURE_TEARDOWN(lock)
{
	close(self->feed);
	genl_close(&self->g);
}

TEST_F(lock, locking_shows)
{
	EXPECT_EQ(0, counter("locked"));
	ASSERT_EQ(0, set_mode(&self->g, CIMON_MODE_ENFORCE));
	ASSERT_EQ(0, genl_call(&self->g, genl_new(&self->g, CIMON_CMD_LOCK,
			       0), 0, NULL, NULL));
	EXPECT_EQ(1, counter("locked"));
	/* Locking again is harmless. */
	EXPECT_EQ(0, genl_call(&self->g, genl_new(&self->g, CIMON_CMD_LOCK,
			       0), 0, NULL, NULL));
}

TEST_F(lock, unload_fails_even_forced)
{
	EXPECT_EQ(-1, syscall(SYS_delete_module, "cimon", O_NONBLOCK));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(1, find_tamper(self->feed, CIMON_TAMPER_UNLOAD));
	EXPECT_EQ(-1, syscall(SYS_delete_module, "cimon",
			      O_NONBLOCK | O_TRUNC));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(1, find_tamper(self->feed, CIMON_TAMPER_UNLOAD));
	EXPECT_EQ(0, access(FEED_PATH, F_OK));
	/* Another module's name is none of cimon's business. */
	EXPECT_EQ(-1, syscall(SYS_delete_module, "no_such_module",
			      O_NONBLOCK));
	EXPECT_EQ(ENOENT, errno);
}

/*
 * The kernel reads the name again after cimon's probe: a name that the
 * probe cannot read (a page not faulted in yet) or that changes between
 * the two reads must not get a forced unload through.  No forced unload
 * passes while locked, whatever the name.
 */
TEST_F(lock, no_forced_unload_whatever_the_name)
{
	char path[] = "/tmp/cimon-lock-name-XXXXXX";
	int fd = mkstemp(path);
	char *name;

	ASSERT_LE(0, fd);
	ASSERT_EQ(6, write(fd, "cimon", 6));
	/* mapped, never touched: the probe's no-fault read fails */
	name = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, name);
	EXPECT_EQ(-1, syscall(SYS_delete_module, name, O_NONBLOCK | O_TRUNC));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(1, find_tamper(self->feed, CIMON_TAMPER_UNLOAD));
	EXPECT_EQ(-1, syscall(SYS_delete_module, "no_such_module",
			      O_NONBLOCK | O_TRUNC));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, access(FEED_PATH, F_OK));
	munmap(name, 4096);
	close(fd);
	unlink(path);
}

TEST_F(lock, mode_cannot_be_lowered)
{
	EXPECT_EQ(EPERM, set_mode(&self->g, CIMON_MODE_MONITOR));
	EXPECT_NE(NULL, strstr(self->g.message, "locked"));
	EXPECT_EQ(1, find_tamper(self->feed, CIMON_TAMPER_MODE));
	EXPECT_EQ(0, set_mode(&self->g, CIMON_MODE_ENFORCE));
}

TEST_F(lock, rules_cannot_be_replaced)
{
	EXPECT_EQ(EPERM, genl_call(&self->g, genl_new(&self->g,
				   CIMON_CMD_RULES_BEGIN, 0), 0, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->g.message, "locked"));
	EXPECT_EQ(1, find_tamper(self->feed, CIMON_TAMPER_RULES));
}

TEST_F(lock, kprobes_and_ftrace_stay_on)
{
	struct cimon_event ev;
	pid_t target;
	char path[64];
	int fd;

	mount("none", "/sys/kernel/debug", "debugfs", 0, NULL);
	EXPECT_EQ(-1, write_file("/sys/kernel/debug/kprobes/enabled", "0"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(1, find_tamper(self->feed, CIMON_TAMPER_KPROBES));
	EXPECT_EQ(-1, write_file("/proc/sys/kernel/ftrace_enabled", "0"));
	EXPECT_EQ(EBUSY, errno);

	/* The hooks still work (the rig loads cimon reporting every access). */
	target = target_start();
	ASSERT_LT(0, target);
	feed_drain(self->feed);
	snprintf(path, sizeof(path), "/proc/%d/mem", target);
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, target, &ev,
			       WAIT_MS));
	target_stop(target);
	EXPECT_EQ(0, counter("probe_misses"));
}

/* What a person at the terminal sees. */
TEST_F(lock, the_cli_says_it_is_locked)
{
	EXPECT_EQ(0, system("cimon status | grep -q 'locked.*yes'"));
	EXPECT_NE(0, system("cimon mode monitor 2>/tmp/mode.err"));
	EXPECT_EQ(0, system("grep -q 'locked until reboot' /tmp/mode.err"));
	EXPECT_NE(0, system("cimon rules load /rules/memory_access.yaml "
			    "2>/tmp/load.err"));
	EXPECT_EQ(0, system("grep -q 'locked until reboot' /tmp/load.err"));
}

TEST_HARNESS_MAIN
