// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading: bad parameters are refused, the module cannot go
 * away under a reader (which holds it) and goes cleanly once the reader
 * is gone, and load/unload under a storm of accesses or execs leaves the
 * kernel log clean (the rig fails the run on any splat).
 *
 * Every test leaves the module loaded with its defaults.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/syscall.h>

#include "feed.h"
#include "kselftest_harness.h"

static const char *module_path(void)
{
	const char *path = getenv("CIMON_MODULE");

	return path ? path : MODULE_PATH;
}

static int load(const char *params)
{
	int fd = open(module_path(), O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "cimon", O_NONBLOCK);
}

static int loaded(void)
{
	return access(CIMON_SYSFS_DIR "/events", F_OK) == 0;
}

/* Make sure the module is loaded with its defaults. */
static void ensure_default(struct __test_metadata *_metadata)
{
	if (loaded() && counter("ring_size") == CIMON_RING_DEFAULT)
		return;
	if (loaded())
		ASSERT_EQ(0, unload());
	ASSERT_EQ(0, load(TEST_MODARGS)) TH_LOG("load: %s", strerror(errno));
}

/* A child blocked in read() or poll() on the feed. */
static pid_t blocked_reader(int use_poll)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct cimon_event ev;
		struct pollfd pfd;
		int fd = open(FEED_PATH, O_RDONLY);

		if (fd < 0)
			_exit(1);
		pfd.fd = fd;
		pfd.events = POLLIN;
		for (;;) {
			if (use_poll)
				poll(&pfd, 1, -1);
			else if (read(fd, &ev, sizeof(ev)) < 0)
				_exit(2);
		}
	}
	usleep(300000);
	return pid;
}

static void unload_with_blocked_reader(struct __test_metadata *_metadata,
				       int use_poll)
{
	pid_t reader;

	ensure_default(_metadata);
	reader = blocked_reader(use_poll);
	ASSERT_LT(0, reader);

	/* The reader holds the module: unloading is refused, not hung. */
	EXPECT_EQ(-1, unload());
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY);
	EXPECT_TRUE(loaded());

	kill(reader, SIGKILL);
	ASSERT_EQ(reader, waitpid(reader, NULL, 0));
	EXPECT_EQ(0, unload()) TH_LOG("unload: %s", strerror(errno));
	EXPECT_FALSE(loaded());
	EXPECT_NE(0, access(FEED_PATH, F_OK));
	ensure_default(_metadata);
}

TEST(unload_waits_for_a_reader_blocked_in_read)
{
	unload_with_blocked_reader(_metadata, 0);
}

TEST(unload_waits_for_a_reader_blocked_in_poll)
{
	unload_with_blocked_reader(_metadata, 1);
}

TEST(ring_size_is_checked_and_rounded)
{
	ensure_default(_metadata);
	ASSERT_EQ(0, unload());

	EXPECT_EQ(-1, load("ring_size=1 " TEST_MODARGS));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, load("ring_size=1000000 " TEST_MODARGS));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(loaded());

	ASSERT_EQ(0, load("ring_size=100 " TEST_MODARGS));
	EXPECT_EQ(128, counter("ring_size"));
	ASSERT_EQ(0, unload());
	ensure_default(_metadata);
}

/* Children that keep opening the target's mem and environ. */
static pid_t storm(pid_t target)
{
	pid_t pid = fork();

	if (pid == 0) {
		char mem[64], env[64];
		int fd;

		snprintf(mem, sizeof(mem), "/proc/%d/mem", target);
		snprintf(env, sizeof(env), "/proc/%d/environ", target);
		for (;;) {
			fd = open(mem, O_RDONLY);
			if (fd >= 0)
				close(fd);
			fd = open(env, O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
	}
	return pid;
}

TEST(load_and_unload_under_a_storm_of_accesses)
{
	pid_t target, storms[2];
	int i;

	ensure_default(_metadata);
	target = target_start();
	ASSERT_LT(0, target);
	storms[0] = storm(target);
	storms[1] = storm(target);
	for (i = 0; i < 5; i++) {
		usleep(100000);
		ASSERT_EQ(0, unload()) TH_LOG("round %d: %s", i, strerror(errno));
		usleep(50000);
		ASSERT_EQ(0, load(TEST_MODARGS)) TH_LOG("round %d: %s", i, strerror(errno));
	}
	usleep(100000);
	for (i = 0; i < 2; i++) {
		kill(storms[i], SIGKILL);
		waitpid(storms[i], NULL, 0);
	}
	target_stop(target);
	EXPECT_LT(0, counter("events"));
	EXPECT_EQ(0, counter("probe_misses"));
}

/* Children that keep executing a program, as a build does. */
static pid_t exec_storm(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "true", NULL };
		char *envp[] = { "RUNNER_TRACKING_ID=0", "PATH=/bin", NULL };
		pid_t child;

		for (;;) {
			child = fork();
			if (child == 0) {
				execve("/bin/true", argv, envp);
				_exit(127);
			}
			waitpid(child, NULL, 0);
		}
	}
	return pid;
}

/*
 * An exec inside cimon's handler holds the module for that moment, like
 * any binary format's: unloading may have to be retried, never crashes.
 */
static int unload_retrying(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (!unload())
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -1;
		usleep(10000);
	}
	return -1;
}

TEST(load_and_unload_under_a_storm_of_execs)
{
	long long misses;
	pid_t storms[2];
	int i;

	ensure_default(_metadata);
	ASSERT_EQ(0, unload());
	ASSERT_EQ(0, load(""));		/* the default rules, exec rules too */
	storms[0] = exec_storm();
	storms[1] = exec_storm();
	for (i = 0; i < 5; i++) {
		usleep(100000);
		ASSERT_EQ(0, unload_retrying())
			TH_LOG("round %d: %s", i, strerror(errno));
		usleep(50000);
		ASSERT_EQ(0, load("")) TH_LOG("round %d: %s", i, strerror(errno));
	}
	usleep(200000);
	misses = counter("probe_misses");
	for (i = 0; i < 2; i++) {
		kill(storms[i], SIGKILL);
		waitpid(storms[i], NULL, 0);
	}
	EXPECT_EQ(0, misses);
	ASSERT_EQ(0, unload_retrying());
	ensure_default(_metadata);
}

TEST_HARNESS_MAIN
