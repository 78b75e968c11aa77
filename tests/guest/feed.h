/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest tests: reading /dev/cimon, starting a
 * stand-in Runner.Worker, reading the module's counters.
 */
#ifndef CIMON_TESTS_FEED_H
#define CIMON_TESTS_FEED_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cimon.h"

#define FEED_PATH "/dev/cimon"
#define MODULE_PATH "/lib/cimon.ko"
/* How the rig loads the module for tests: no built-in rules, all reported. */
#define TEST_MODARGS "default_rules=0"
#define TARGET_NAME "Runner.Worker"
/* What the stand-in runner holds in memory, as the real one does. */
#define TARGET_SECRET "\"GITHUB_TOKEN\":{\"value\":\"ghs_cimonTestSecret\",\"isSecret\":true}"

static inline int feed_open(void)
{
	return open(FEED_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

/* The next record within @timeout_ms: 1 when read, 0 on timeout, -1 on error. */
static inline int feed_next(int fd, struct cimon_event *ev, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		n = read(fd, ev, sizeof(*ev));
		if (n == (ssize_t)sizeof(*ev))
			return 1;
		if (n >= 0 || errno != EAGAIN)
			return -1;
		n = poll(&pfd, 1, timeout_ms);
		if (n <= 0)
			return (int)n;
	}
}

/* Wait for a record of @type acting on @target_tgid, skipping others. */
static inline int feed_find(int fd, int type, pid_t target_tgid,
			    struct cimon_event *ev, int timeout_ms)
{
	int ret;

	for (;;) {
		ret = feed_next(fd, ev, timeout_ms);
		if (ret <= 0)
			return ret;
		if (ev->type == type && (pid_t)ev->target.tgid == target_tgid)
			return 1;
	}
}

static inline void feed_drain(int fd)
{
	struct cimon_event ev;

	while (read(fd, &ev, sizeof(ev)) > 0)
		;
}

/* A decimal counter from /sys/class/misc/cimon, or -1. */
static inline long long counter(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), CIMON_SYSFS_DIR "/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Filled in by the stand-in runner before it reports ready. */
static char target_memory[128] = "not the secret";

/*
 * Fork a process named Runner.Worker that writes the secret into its
 * memory and waits to be killed.  Returns its pid once it is ready.
 */
static inline pid_t target_start(void)
{
	int ready[2];
	char c = 0;
	pid_t pid;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, TARGET_NAME);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		strcpy(target_memory, TARGET_SECRET);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

static inline void target_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Unload cimon, as a test leaves it: an exec still in its handler (an
 * orphan the test started, a step's last process) holds a reference on
 * the module for a moment, so wait a little for it.  Return: as
 * delete_module(2).
 */
static inline int cimon_unload(void)
{
	int i, ret = -1;

	for (i = 0; i < 300; i++) {
		ret = syscall(SYS_delete_module, "cimon", O_NONBLOCK);
		if (!ret || errno != EWOULDBLOCK)
			break;
		usleep(10000);
	}
	return ret;
}

#endif /* CIMON_TESTS_FEED_H */
