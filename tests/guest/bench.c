// SPDX-License-Identifier: GPL-2.0
/*
 * bench WORKLOAD ITERATIONS: time one workload in the guest and print
 * "WORKLOAD ns/op".  tests/bench/run.sh runs it with and without cimon in
 * one boot and reports ratios; the numbers are never asserted by tests.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void open_close(const char *path, long n)
{
	int fd;

	while (n--) {
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
}

static void read_stat(const char *path, long n)
{
	char buf[512];
	int fd;

	while (n--) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) < 0)
			break;
		close(fd);
	}
}

static void fork_exec(long n)
{
	static char *env[61];
	static char vals[60][80];
	char *argv[] = { "/bin/true", NULL };
	pid_t pid;
	int i;

	/* A realistic environment: 60 variables, about 4 KiB. */
	for (i = 0; i < 60; i++) {
		snprintf(vals[i], sizeof(vals[i]), "BENCH_VAR_%02d=%060d", i, i);
		env[i] = vals[i];
	}
	while (n--) {
		pid = fork();
		if (pid == 0) {
			execve(argv[0], argv, env);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	char path[64];
	struct stat st;
	unsigned long long t;
	long n, i;
	pid_t child;

	if (argc != 3)
		return 2;
	n = atol(argv[2]);
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	t = now();
	if (!strcmp(argv[1], "open")) {
		open_close("/tests/bench", n);
	} else if (!strcmp(argv[1], "proc_stat")) {
		snprintf(path, sizeof(path), "/proc/%d/stat", child);
		read_stat(path, n);
	} else if (!strcmp(argv[1], "environ")) {
		snprintf(path, sizeof(path), "/proc/%d/environ", child);
		open_close(path, n);
	} else if (!strcmp(argv[1], "stat")) {
		for (i = 0; i < n; i++)
			stat("/tests/bench", &st);
	} else if (!strcmp(argv[1], "fork_exec")) {
		fork_exec(n);
	} else {
		return 2;
	}
	t = now() - t;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("%s %.1f\n", argv[1], (double)t / n);
	return 0;
}
