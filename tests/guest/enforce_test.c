// SPDX-License-Identifier: GPL-2.0
/*
 * Enforce mode with the built-in rules: every path to the memory of a
 * process named Runner.Worker fails, as root, with the error the kernel
 * gives for a denial on that path, before a byte is read, and the record
 * says "blocked"; in monitor mode the same accesses work and say
 * "would block".  The host's own work keeps working in enforce mode:
 * a process reading itself and its threads, ps-style reads of the
 * runner's stat, other processes' memory (alerts only).  An exec that
 * zeroes or drops the job's RUNNER_TRACKING_ID fails with EPERM.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "feed.h"
#include "kselftest_harness.h"

#define WAIT_MS 3000
#define WORKER "/tmp/actions-runner/bin/Runner.Worker"

static int reload(const char *params)
{
	int fd = open(getenv("CIMON_MODULE") ? getenv("CIMON_MODULE") :
		      MODULE_PATH, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	syscall(SYS_delete_module, "cimon", O_NONBLOCK);
	ret = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return ret;
}

/* The next record of @type about @target; 1, 0 on timeout. */
static int expect_record(int feed, int type, pid_t target,
			 struct cimon_event *ev)
{
	return feed_find(feed, type, target, ev, WAIT_MS);
}

FIXTURE(enforce) {
	int feed;
	pid_t runner;
	char path[64];
};

FIXTURE_VARIANT(enforce) {
	const char *params;
	int enforcing;
};

FIXTURE_VARIANT_ADD(enforce, enforcing) {
	.params = "mode=1",
	.enforcing = 1,
};

FIXTURE_VARIANT_ADD(enforce, monitoring) {
	.params = "mode=0",
	.enforcing = 0,
};

FIXTURE_SETUP(enforce)
{
	/* The built-in rules (default_rules=1), in the variant's mode. */
	ASSERT_EQ(0, reload(variant->params)) TH_LOG("%s", strerror(errno));
	self->feed = feed_open();
	ASSERT_LE(0, self->feed);
	self->runner = target_start();
	ASSERT_LT(0, self->runner);
	feed_drain(self->feed);
}

FIXTURE_TEARDOWN(enforce)
{
	target_stop(self->runner);
	close(self->feed);
	ASSERT_EQ(0, reload(TEST_MODARGS));
}

/* What a denied or allowed access must look like, and its record. */
static void check(struct __test_metadata *_metadata,
		  FIXTURE_DATA(enforce) *self, int enforcing, int ret,
		  int denied_errno, int type)
{
	struct cimon_event ev;

	if (enforcing) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(denied_errno, errno);
	} else {
		EXPECT_LE(0, ret) TH_LOG("%s", strerror(errno));
	}
	ASSERT_EQ(1, expect_record(self->feed, type, self->runner, &ev));
	EXPECT_EQ(enforcing ? CIMON_VERDICT_BLOCKED :
		  CIMON_VERDICT_WOULD_BLOCK, ev.verdict);
	/* The other rules' records of the same access: not the next's. */
	while (feed_next(self->feed, &ev, 200) == 1)
		;
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0)
		close(fd);
	return fd;
}

TEST_F(enforce, proc_mem_by_every_path)
{
	char path[96], link[] = "/tmp/cimon-mem-link";
	int dirfd, fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", self->runner);
	check(_metadata, self, variant->enforcing,
	      open_close(path, O_RDONLY), EACCES, CIMON_EVENT_MEM_OPEN);
	check(_metadata, self, variant->enforcing,
	      open_close(path, O_RDWR), EACCES, CIMON_EVENT_MEM_OPEN);

	snprintf(path, sizeof(path), "/proc/%d/task/%d/mem", self->runner,
		 self->runner);
	check(_metadata, self, variant->enforcing,
	      open_close(path, O_RDONLY), EACCES, CIMON_EVENT_MEM_OPEN);

	snprintf(path, sizeof(path), "/proc/%d", self->runner);
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dirfd);
	fd = openat(dirfd, "mem", O_RDONLY);
	check(_metadata, self, variant->enforcing, fd, EACCES,
	      CIMON_EVENT_MEM_OPEN);
	if (fd >= 0)
		close(fd);
	close(dirfd);

	snprintf(path, sizeof(path), "/proc/%d/mem", self->runner);
	unlink(link);
	ASSERT_EQ(0, symlink(path, link));
	check(_metadata, self, variant->enforcing,
	      open_close(link, O_RDONLY), EACCES, CIMON_EVENT_MEM_OPEN);
	unlink(link);
}

TEST_F(enforce, proc_environ)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/environ", self->runner);
	check(_metadata, self, variant->enforcing,
	      open_close(path, O_RDONLY), EACCES, CIMON_EVENT_ENVIRON_OPEN);
}

TEST_F(enforce, ptrace_attach_and_seize)
{
	long ret;

	ret = ptrace(PTRACE_ATTACH, self->runner, 0, 0);
	check(_metadata, self, variant->enforcing, (int)ret, EPERM,
	      CIMON_EVENT_PTRACE_ATTACH);
	if (!ret) {
		waitpid(self->runner, NULL, __WALL);
		ptrace(PTRACE_DETACH, self->runner, 0, 0);
	}
	ret = ptrace(PTRACE_SEIZE, self->runner, 0, 0);
	check(_metadata, self, variant->enforcing, (int)ret, EPERM,
	      CIMON_EVENT_PTRACE_ATTACH);
	if (!ret)
		ptrace(PTRACE_DETACH, self->runner, 0, 0);
}

TEST_F(enforce, process_vm_readv_and_writev)
{
	char buf[sizeof(target_memory)];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { target_memory, sizeof(target_memory) };
	ssize_t n;

	memset(buf, 0, sizeof(buf));
	n = process_vm_readv(self->runner, &local, 1, &remote, 1, 0);
	check(_metadata, self, variant->enforcing, (int)n, EPERM,
	      CIMON_EVENT_VM_READ);
	/* The secret was not read. */
	if (variant->enforcing) {
		EXPECT_EQ(NULL, strstr(buf, "ghs_cimonTestSecret"));
	} else {
		EXPECT_NE(NULL, strstr(buf, "ghs_cimonTestSecret"));
	}

	/* Writing back what is there changes nothing when allowed. */
	if (n > 0) {
		local.iov_len = n;
		remote.iov_len = n;
	}
	n = process_vm_writev(self->runner, &local, 1, &remote, 1, 0);
	check(_metadata, self, variant->enforcing, (int)n, EPERM,
	      CIMON_EVENT_VM_WRITE);
}

TEST_F(enforce, pidfd_getfd)
{
	int pidfd = syscall(SYS_pidfd_open, self->runner, 0);
	int fd;

	ASSERT_LE(0, pidfd);
	fd = syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	check(_metadata, self, variant->enforcing, fd, EPERM,
	      CIMON_EVENT_PIDFD_GETFD);
	if (fd >= 0)
		close(fd);
	close(pidfd);
}

static void *read_own_mem(void *arg)
{
	(void)arg;
	int fd = open("/proc/self/mem", O_RDONLY);

	if (fd >= 0)
		close(fd);
	return (void *)(long)(fd >= 0);
}

TEST_F(enforce, the_hosts_own_work_keeps_working)
{
	char path[64], buf[256];
	pthread_t thread;
	void *ok = NULL;
	pid_t other;
	int fd;

	/* Itself, and a thread of its own. */
	EXPECT_LE(0, open_close("/proc/self/mem", O_RDONLY));
	ASSERT_EQ(0, pthread_create(&thread, NULL, read_own_mem, NULL));
	pthread_join(thread, &ok);
	EXPECT_EQ((void *)1, ok);

	/* ps and top read the runner's stat, status and cmdline. */
	snprintf(path, sizeof(path), "/proc/%d/stat", self->runner);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_LT(0, read(fd, buf, sizeof(buf)));
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", self->runner);
	EXPECT_LE(0, open_close(path, O_RDONLY));

	/* Another process's memory: alerted, not blocked. */
	other = fork();
	if (other == 0) {
		prctl(PR_SET_NAME, "make");
		for (;;)
			pause();
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", other);
	EXPECT_LE(0, open_close(path, O_RDONLY)) TH_LOG("%s", strerror(errno));
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
}

/*
 * A step of a job (the stand-in runner from exec_test) that zeroes, then
 * drops, the job's RUNNER_TRACKING_ID, then keeps it.
 */
TEST_F(enforce, exec_zeroing_the_tracking_id)
{
	char *argv[] = { "Runner.Worker",
		"RUNNER_TRACKING_ID=0 /bin/true; echo $? >/tmp/zeroed; "
		"unset RUNNER_TRACKING_ID; /bin/true; echo $? >/tmp/dropped; "
		":", NULL };
	char *keep[] = { "Runner.Worker", "/bin/true; echo $? >/tmp/kept; :",
			 NULL };
	char *envp[] = { NULL };
	int status, rc;
	FILE *f;
	pid_t pid;

	ASSERT_EQ(0, system("mkdir -p /tmp/actions-runner/bin && "
			    "cp /tests/exec_test " WORKER));
	for (int round = 0; round < 2; round++) {
		pid = fork();
		if (pid == 0) {
			execve(WORKER, round ? keep : argv, envp);
			_exit(127);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
	}
	f = fopen("/tmp/zeroed", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%d", &rc));
	fclose(f);
	/* busybox sh: 126 when exec fails with EPERM/EACCES */
	EXPECT_EQ(variant->enforcing ? 126 : 0, rc);
	f = fopen("/tmp/dropped", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%d", &rc));
	fclose(f);
	EXPECT_EQ(variant->enforcing ? 126 : 0, rc);
	f = fopen("/tmp/kept", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%d", &rc));
	fclose(f);
	EXPECT_EQ(0, rc);
}

/* The machine's and the kernel's memory: alerts, never blocked. */
TEST_F(enforce, dev_mem_and_kcore_are_alerts)
{
	static const char *const paths[] = { "/dev/mem", "/proc/kcore" };
	struct cimon_event ev;
	unsigned int i;

	if (access("/dev/mem", F_OK))
		mknod("/dev/mem", S_IFCHR | 0640, makedev(1, 1));
	for (i = 0; i < 2; i++) {
		open_close(paths[i], O_RDONLY);
		ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_KMEM_OPEN, 0,
				       &ev, WAIT_MS)) TH_LOG("%s", paths[i]);
		EXPECT_STREQ(paths[i], ev.file);
		EXPECT_EQ(CIMON_VERDICT_ALLOWED, ev.verdict);
		EXPECT_EQ((unsigned int)getpid(), ev.proc.tgid);
	}
}

/* A child that opens @path for @ms milliseconds; exits 1 if one worked. */
static pid_t open_storm(const char *path, int ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsigned long long end = now_ns() + ms * 1000000ULL;
		int opened = 0;

		while (now_ns() < end)
			opened |= open_close(path, O_RDONLY) >= 0;
		_exit(opened);
	}
	return pid;
}

/* A child that executes /bin/true for @ms milliseconds. */
static pid_t exec_storm(int ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsigned long long end = now_ns() + ms * 1000000ULL;
		char *argv[] = { "true", NULL };
		char *envp[] = { "PATH=/bin", NULL };

		while (now_ns() < end) {
			pid_t child = fork();

			if (child == 0) {
				execve("/bin/true", argv, envp);
				_exit(127);
			}
			waitpid(child, NULL, 0);
		}
		_exit(0);
	}
	return pid;
}

TEST_F(enforce, a_storm_misses_nothing)
{
	char mem[64], env[64];
	pid_t pids[4];
	int i, status;

	snprintf(mem, sizeof(mem), "/proc/%d/mem", self->runner);
	snprintf(env, sizeof(env), "/proc/%d/environ", self->runner);
	pids[0] = open_storm(mem, 2000);
	pids[1] = open_storm(env, 2000);
	pids[2] = exec_storm(2000);
	pids[3] = exec_storm(2000);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		/* In enforce mode not one open of the runner got through. */
		if (i < 2)
			EXPECT_EQ(variant->enforcing ? 0 : 1,
				  WEXITSTATUS(status));
	}
	EXPECT_EQ(0, counter("probe_misses"));
}

TEST_HARNESS_MAIN
