// SPDX-License-Identifier: GPL-2.0
/*
 * Every way one process reaches into another's memory is reported, with
 * the fields a person needs to act on the alert; the ways that are not an
 * attack (a process reading itself, its threads, what ps reads) are not.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "feed.h"
#include "kselftest_harness.h"

#define WAIT_MS 3000

FIXTURE(access) {
	int feed;
	pid_t target;
	char path[PATH_MAX];
};

FIXTURE_SETUP(access)
{
	self->feed = feed_open();
	ASSERT_LE(0, self->feed) TH_LOG("open " FEED_PATH ": %s", strerror(errno));
	self->target = target_start();
	ASSERT_LT(0, self->target);
	feed_drain(self->feed);
}

FIXTURE_TEARDOWN(access)
{
	target_stop(self->target);
	close(self->feed);
}

static void read_file(const char *path, char *buf, size_t size, size_t *len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	*len = n > 0 ? (size_t)n : 0;
	buf[*len] = '\0';
	if (fd >= 0)
		close(fd);
}

/* The acting process's fields: who did it, from where, how. */
static void check_actor(struct __test_metadata *_metadata,
			const struct cimon_event *ev,
			unsigned long long before)
{
	char exe[PATH_MAX], buf[4096], comm[32];
	size_t len;
	ssize_t n;

	EXPECT_EQ(sizeof(*ev), ev->size);
	EXPECT_EQ(CIMON_ABI_VERSION, ev->version);
	EXPECT_LE(before, ev->time_ns);
	EXPECT_GE(now_ns(), ev->time_ns);
	EXPECT_EQ(getpid(), (pid_t)ev->proc.tgid);
	EXPECT_EQ(gettid(), (pid_t)ev->proc.pid);
	EXPECT_EQ(getppid(), (pid_t)ev->proc.ppid);
	EXPECT_EQ(getuid(), ev->proc.uid);
	EXPECT_EQ(geteuid(), ev->proc.euid);
	EXPECT_EQ(CIMON_VERDICT_ALLOWED, ev->verdict);

	read_file("/proc/self/comm", comm, sizeof(comm), &len);
	comm[strcspn(comm, "\n")] = '\0';
	EXPECT_STREQ(comm, ev->proc.comm);

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	EXPECT_STREQ(exe, ev->proc.exe);

	/* argv as /proc/self/cmdline has it, NUL-separated. */
	read_file("/proc/self/cmdline", buf, sizeof(buf), &len);
	while (len && buf[len - 1] == '\0')
		len--;
	EXPECT_EQ(len, ev->proc.cmdline_len);
	EXPECT_EQ(0, memcmp(buf, ev->proc.cmdline, len));

	snprintf(buf, sizeof(buf), "/proc/%d/comm", getppid());
	read_file(buf, comm, sizeof(comm), &len);
	comm[strcspn(comm, "\n")] = '\0';
	EXPECT_STREQ(comm, ev->proc.ancestors[0]);
	EXPECT_STREQ("", ev->proc.container_id);
}

static void check_target(struct __test_metadata *_metadata,
			 const struct cimon_event *ev, pid_t target)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	ASSERT_LT(0, n);
	exe[n] = '\0';
	EXPECT_EQ(target, (pid_t)ev->target.tgid);
	EXPECT_EQ(target, (pid_t)ev->target.pid);
	EXPECT_STREQ(TARGET_NAME, ev->target.comm);
	EXPECT_STREQ(exe, ev->target.exe);
}

/* Open @path, expect one event of @type naming it as @expect_file. */
static void open_and_expect(struct __test_metadata *_metadata, int feed,
			    pid_t target, const char *path, int flags,
			    int type, const char *expect_file)
{
	unsigned long long before = now_ns();
	struct cimon_event ev;
	int fd;

	fd = open(path, flags | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", path, strerror(errno));
	close(fd);
	ASSERT_EQ(1, feed_find(feed, type, target, &ev, WAIT_MS));
	check_actor(_metadata, &ev, before);
	check_target(_metadata, &ev, target);
	EXPECT_STREQ(expect_file, ev.file);
	EXPECT_EQ(flags & O_ACCMODE, (int)(ev.arg & O_ACCMODE));
	EXPECT_EQ(SYS_openat, ev.syscall_nr);
	EXPECT_EQ(0, ev.flags & ~CIMON_F_CMDLINE_TRUNCATED);
}

TEST_F(access, proc_mem_read)
{
	snprintf(self->path, sizeof(self->path), "/proc/%d/mem", self->target);
	open_and_expect(_metadata, self->feed, self->target, self->path,
			O_RDONLY, CIMON_EVENT_MEM_OPEN, self->path);
}

TEST_F(access, proc_mem_write)
{
	snprintf(self->path, sizeof(self->path), "/proc/%d/mem", self->target);
	open_and_expect(_metadata, self->feed, self->target, self->path,
			O_WRONLY, CIMON_EVENT_MEM_OPEN, self->path);
	open_and_expect(_metadata, self->feed, self->target, self->path,
			O_RDWR, CIMON_EVENT_MEM_OPEN, self->path);
}

TEST_F(access, task_mem)
{
	snprintf(self->path, sizeof(self->path), "/proc/%d/task/%d/mem",
		 self->target, self->target);
	open_and_expect(_metadata, self->feed, self->target, self->path,
			O_RDONLY, CIMON_EVENT_MEM_OPEN, self->path);
}

TEST_F(access, proc_mem_through_symlink)
{
	char link[] = "/tmp/cimon-mem-link";

	snprintf(self->path, sizeof(self->path), "/proc/%d/mem", self->target);
	unlink(link);
	ASSERT_EQ(0, symlink(self->path, link));
	open_and_expect(_metadata, self->feed, self->target, link, O_RDONLY,
			CIMON_EVENT_MEM_OPEN, self->path);
	unlink(link);
}

TEST_F(access, proc_mem_through_dirfd_and_openat2)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	struct cimon_event ev;
	char dir[64];
	int dirfd, fd;

	snprintf(dir, sizeof(dir), "/proc/%d", self->target);
	snprintf(self->path, sizeof(self->path), "/proc/%d/mem", self->target);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dirfd);

	fd = openat(dirfd, "mem", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_STREQ(self->path, ev.file);

	fd = syscall(SYS_openat2, dirfd, "mem", &how, sizeof(how));
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_STREQ(self->path, ev.file);
	EXPECT_EQ(SYS_openat2, ev.syscall_nr);
	close(dirfd);
}

TEST_F(access, proc_environ)
{
	snprintf(self->path, sizeof(self->path), "/proc/%d/environ",
		 self->target);
	open_and_expect(_metadata, self->feed, self->target, self->path,
			O_RDONLY, CIMON_EVENT_ENVIRON_OPEN, self->path);
}

static void ptrace_and_expect(struct __test_metadata *_metadata, int feed,
			      pid_t target, int request)
{
	unsigned long long before = now_ns();
	struct cimon_event ev;

	ASSERT_EQ(0, ptrace(request, target, 0, 0)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(1, feed_find(feed, CIMON_EVENT_PTRACE_ATTACH, target, &ev,
			       WAIT_MS));
	check_actor(_metadata, &ev, before);
	check_target(_metadata, &ev, target);
	EXPECT_EQ((unsigned int)request, ev.arg);
	EXPECT_EQ(SYS_ptrace, ev.syscall_nr);
	EXPECT_STREQ("", ev.file);
}

TEST_F(access, ptrace_attach)
{
	ptrace_and_expect(_metadata, self->feed, self->target, PTRACE_ATTACH);
}

TEST_F(access, ptrace_seize)
{
	ptrace_and_expect(_metadata, self->feed, self->target, PTRACE_SEIZE);
}

static void vm_and_expect(struct __test_metadata *_metadata, int feed,
			  pid_t target, int write)
{
	char buf[sizeof(target_memory)] = "written by the test";
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { target_memory, sizeof(target_memory) };
	unsigned long long before = now_ns();
	struct cimon_event ev;
	ssize_t n;

	if (write)
		n = process_vm_writev(target, &local, 1, &remote, 1, 0);
	else
		n = process_vm_readv(target, &local, 1, &remote, 1, 0);
	ASSERT_EQ((ssize_t)sizeof(buf), n) TH_LOG("%s", strerror(errno));
	if (!write)
		EXPECT_STREQ(TARGET_SECRET, buf);
	ASSERT_EQ(1, feed_find(feed, write ? CIMON_EVENT_VM_WRITE :
			       CIMON_EVENT_VM_READ, target, &ev, WAIT_MS));
	check_actor(_metadata, &ev, before);
	check_target(_metadata, &ev, target);
	EXPECT_EQ(write ? SYS_process_vm_writev : SYS_process_vm_readv,
		  ev.syscall_nr);
}

TEST_F(access, process_vm_readv)
{
	vm_and_expect(_metadata, self->feed, self->target, 0);
}

TEST_F(access, process_vm_writev)
{
	vm_and_expect(_metadata, self->feed, self->target, 1);
}

TEST_F(access, pidfd_getfd)
{
	unsigned long long before = now_ns();
	struct cimon_event ev;
	int pidfd, fd;

	pidfd = syscall(SYS_pidfd_open, self->target, 0);
	ASSERT_LE(0, pidfd);
	fd = syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	close(fd);
	close(pidfd);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_PIDFD_GETFD,
			       self->target, &ev, WAIT_MS));
	check_actor(_metadata, &ev, before);
	check_target(_metadata, &ev, self->target);
	EXPECT_EQ(SYS_pidfd_getfd, ev.syscall_nr);
}

/*
 * Nothing is reported between now and a known access: the next record
 * must be the environ open of the target done here.
 */
static void expect_nothing_before_sentinel(struct __test_metadata *_metadata,
					   int feed, pid_t target)
{
	struct cimon_event ev;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/environ", target);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(1, feed_next(feed, &ev, WAIT_MS));
	EXPECT_EQ(CIMON_EVENT_ENVIRON_OPEN, ev.type);
	EXPECT_EQ(target, (pid_t)ev.target.tgid);
	EXPECT_STREQ(path, ev.file);
}

/* Read up to 64 KiB, as a ps-like tool would (pagemap has no end). */
static void slurp(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < 16 && read(fd, buf, sizeof(buf)) > 0; i++)
		;
	close(fd);
}

TEST_F(access, self_is_not_an_alert)
{
	char buf[16], path[64];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { target_memory, sizeof(buf) };
	int fd;

	fd = open("/proc/self/mem", O_RDWR);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/mem", getpid());
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	slurp("/proc/self/environ");
	ASSERT_EQ((ssize_t)sizeof(buf),
		  process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
	expect_nothing_before_sentinel(_metadata, self->feed, self->target);
}

static void *thread_reads_main(void *arg)
{
	pid_t main_tid = *(pid_t *)arg;
	char buf[16], path[96];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { target_memory, sizeof(buf) };
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/mem", getpid(),
		 main_tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return (void *)1;
	close(fd);
	if (process_vm_readv(main_tid, &local, 1, &remote, 1, 0) < 0)
		return (void *)2;
	return NULL;
}

TEST_F(access, threads_are_not_an_alert)
{
	pid_t tid = gettid();
	pthread_t thread;
	void *ret;

	ASSERT_EQ(0, pthread_create(&thread, NULL, thread_reads_main, &tid));
	ASSERT_EQ(0, pthread_join(thread, &ret));
	ASSERT_EQ(NULL, ret);
	expect_nothing_before_sentinel(_metadata, self->feed, self->target);
}

TEST_F(access, ps_reads_are_not_an_alert)
{
	static const char * const files[] = {
		"stat", "status", "cmdline", "maps", "smaps", "statm", "comm",
		"limits", "io", "wchan", "sched", "fd", "fdinfo", "exe",
		"cwd", "root", "task", "auxv", "pagemap", "syscall", "stack",
		"personality", "map_files",
	};
	char path[64], link[PATH_MAX];
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", self->target,
			 files[i]);
		slurp(path);
		if (readlink(path, link, sizeof(link)) < 0)
			continue;
	}
	expect_nothing_before_sentinel(_metadata, self->feed, self->target);
}

TEST_F(access, each_access_counts_once)
{
	long long before = counter("events");
	struct cimon_event ev;

	ASSERT_LE(0, before);
	snprintf(self->path, sizeof(self->path), "/proc/%d/mem", self->target);
	slurp(self->path);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_EQ(0, feed_next(self->feed, &ev, 200));
	EXPECT_EQ(before + 1, counter("events"));
	EXPECT_EQ(0, counter("dropped"));
	EXPECT_EQ(0, counter("probe_misses"));
}

/*
 * Run /tests/@prog (the reach helper) with @argv in a child; @in_child
 * runs there first.  Returns the child's pid, or -1 if it failed.
 */
static pid_t run_reach(const char *prog, char *const argv[],
		       void (*in_child)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (in_child)
			in_child(arg);
		execv(prog, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return pid;
}

#define REACH32 "/tests/reach32"

/* A 32-bit process gets the same alerts, with its own syscall numbers. */
TEST_F(access, ia32_system_calls)
{
	static const struct {
		const char *how;
		int type;
		int nr;		/* i386 numbering */
	} cases[] = {
		{ "mem", CIMON_EVENT_MEM_OPEN, 295 },		/* openat */
		{ "environ", CIMON_EVENT_ENVIRON_OPEN, 295 },
		{ "ptrace", CIMON_EVENT_PTRACE_ATTACH, 26 },
		{ "vmread", CIMON_EVENT_VM_READ, 347 },
		{ "getfd", CIMON_EVENT_PIDFD_GETFD, 438 },
	};
	char pid[16], how[16];
	char *argv[] = { "reach32", how, pid, NULL };
	struct cimon_event ev;
	unsigned int i;
	pid_t child;

	if (access(REACH32, X_OK))
		SKIP(return, "no 32-bit build of reach (gcc-multilib missing)");
	snprintf(pid, sizeof(pid), "%d", self->target);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(how, sizeof(how), "%s", cases[i].how);
		child = run_reach(REACH32, argv, NULL, NULL);
		ASSERT_LT(0, child) TH_LOG("reach32 %s failed", how);
		ASSERT_EQ(1, feed_find(self->feed, cases[i].type,
				       self->target, &ev, WAIT_MS));
		EXPECT_EQ(child, (pid_t)ev.proc.tgid);
		EXPECT_STREQ("reach32", ev.proc.comm);
		EXPECT_TRUE(ev.flags & CIMON_F_SYSCALL_IA32);
		EXPECT_EQ(cases[i].nr, ev.syscall_nr) TH_LOG("%s", how);
	}
}

static void chdir_to(void *dir)
{
	if (chdir(dir))
		_exit(126);
}

/* Paths and command lines too long for the record are cut and flagged. */
TEST_F(access, long_strings_are_cut_and_flagged)
{
	char dir[1024] = "/tmp", exe[1100], pid[16], arg[700];
	char *argv[] = { "reach", "mem", pid, arg, NULL };
	struct cimon_event ev;
	char cmd[2400];
	pid_t child;
	int i;

	for (i = 0; i < 4; i++) {
		strcat(dir, "/");
		memset(dir + strlen(dir), 'd', 100);
		dir[strlen(dir) + 100] = '\0';
		mkdir(dir, 0755);
	}
	snprintf(exe, sizeof(exe), "%s/reach", dir);
	snprintf(cmd, sizeof(cmd), "cp /tests/reach %s", exe);
	ASSERT_EQ(0, system(cmd));
	snprintf(pid, sizeof(pid), "%d", self->target);
	memset(arg, 'a', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';

	child = run_reach(exe, argv, chdir_to, dir);
	ASSERT_LT(0, child);
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_TRUE(ev.flags & CIMON_F_EXE_TRUNCATED);
	EXPECT_EQ(CIMON_PATH_LEN - 1, strnlen(ev.proc.exe, CIMON_PATH_LEN));
	EXPECT_EQ(0, strncmp(exe, ev.proc.exe, CIMON_PATH_LEN - 1));
	EXPECT_TRUE(ev.flags & CIMON_F_CMDLINE_TRUNCATED);
	EXPECT_EQ(CIMON_CMDLINE_LEN - 1, ev.proc.cmdline_len);
	EXPECT_EQ(0, memcmp("reach\0mem\0", ev.proc.cmdline, 10));
	EXPECT_EQ('\0', ev.proc.cmdline[CIMON_CMDLINE_LEN - 1]);
	EXPECT_FALSE(ev.flags & CIMON_F_FILE_TRUNCATED);
	snprintf(cmd, sizeof(cmd), "rm -rf /tmp/dddd*");
	system(cmd);
}

/* Become a session leader whose controlling terminal is the pty @arg. */
static void take_terminal(void *name)
{
	int fd;

	if (setsid() < 0)
		_exit(125);
	fd = open(name, O_RDWR);
	if (fd < 0)
		_exit(126);
}

static void leave_terminal(void *unused)
{
	(void)unused;
	if (setsid() < 0)
		_exit(125);
}

TEST_F(access, the_terminal_is_named)
{
	char pid[16], tty[64], want[16];
	char *argv[] = { "reach", "mem", pid, NULL };
	struct cimon_event ev;
	int master, n;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	ASSERT_LE(0, master);
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	ASSERT_EQ(0, ptsname_r(master, tty, sizeof(tty)));
	ASSERT_EQ(1, sscanf(tty, "/dev/pts/%d", &n));
	snprintf(pid, sizeof(pid), "%d", self->target);

	ASSERT_LT(0, run_reach("/tests/reach", argv, take_terminal, tty));
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	snprintf(want, sizeof(want), "pts/%d", n);
	EXPECT_STREQ(want, ev.proc.tty);
	/* Falco's proc.tty: the encoded device number, 34816 for pts/0. */
	EXPECT_EQ(34816U + n, ev.proc.tty_dev);
	close(master);

	/* And a process without a terminal has none. */
	ASSERT_LT(0, run_reach("/tests/reach", argv, leave_terminal, NULL));
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, self->target,
			       &ev, WAIT_MS));
	EXPECT_STREQ("", ev.proc.tty);
	EXPECT_EQ(0U, ev.proc.tty_dev);
}

/* fd.name is procfs's own name for the file, wherever proc is mounted. */
TEST_F(access, proc_mounted_elsewhere_is_named_as_proc)
{
	char path[96];
	int fd;

	mkdir("/tmp/cimon-proc", 0755);
	ASSERT_EQ(0, mount("proc", "/tmp/cimon-proc", "proc", 0, NULL));
	snprintf(path, sizeof(path), "/tmp/cimon-proc/%d/task/%d/mem",
		 self->target, self->target);
	snprintf(self->path, sizeof(self->path), "/proc/%d/task/%d/mem",
		 self->target, self->target);
	fd = open(path, O_RDONLY);
	umount("/tmp/cimon-proc");
	ASSERT_LE(0, fd);
	close(fd);
	{
		struct cimon_event ev;

		ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN,
				       self->target, &ev, WAIT_MS));
		EXPECT_STREQ(self->path, ev.file);
	}
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * An open another security module denies after cimon saw it is still
 * reported, and does not leave cimon holding a half-opened file: Yama
 * (ptrace_scope=1) refuses nobody the mem of a process it did not start.
 */
TEST_F(access, an_open_denied_by_yama_is_reported_safely)
{
	const char *scope = "/proc/sys/kernel/yama/ptrace_scope";
	pid_t victim, opener;
	struct cimon_event ev;
	int status, i;

	if (access(scope, W_OK))
		SKIP(return, "no Yama");
	victim = fork();
	ASSERT_LE(0, victim);
	if (victim == 0) {
		/* exec after setuid: dumpable again, so only Yama says no */
		if (setgid(65534) || setuid(65534))
			_exit(1);
		execl("/bin/sleep", "sleep", "1000", NULL);
		_exit(1);
	}
	usleep(200000);
	ASSERT_EQ(0, write_file(scope, "1"));
	for (i = 0; i < 20; i++) {
		opener = fork();
		ASSERT_LE(0, opener);
		if (opener == 0) {
			char path[64];

			if (setgid(65534) || setuid(65534))
				_exit(1);
			snprintf(path, sizeof(path), "/proc/%d/mem", victim);
			_exit(open(path, O_RDONLY) < 0 && errno == EACCES ? 0 : 2);
		}
		ASSERT_EQ(opener, waitpid(opener, &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	EXPECT_EQ(0, write_file(scope, "0"));
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_MEM_OPEN, victim, &ev,
			       WAIT_MS));
	EXPECT_EQ(65534U, ev.proc.uid);
	snprintf(self->path, sizeof(self->path), "/proc/%d/mem", victim);
	EXPECT_STREQ(self->path, ev.file);
	kill(victim, SIGKILL);
	waitpid(victim, NULL, 0);
}

TEST_HARNESS_MAIN
