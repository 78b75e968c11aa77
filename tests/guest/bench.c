// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the guest side of `make bench` (tests/guest/bench_suite.sh runs
 * it); the numbers are never asserted by tests.
 *
 *   bench WORKLOAD N     time N iterations, print "WORKLOAD ns/op"
 *     open        open+close of a regular file
 *     proc_stat   open+read+close of /proc/<child>/stat (what ps does)
 *     environ     open+close of /proc/<child>/environ (ptrace-access check)
 *     stat        stat() of a regular file (cimon hooks nothing here)
 *     fork_exec   fork+execve+wait of bench_nop with a CI job's environment
 *                 (60 variables, 4096 bytes)
 *     fork_exec_job  the same from a process that holds that environment
 *                 too, as a job's shell does (bench executes itself with it
 *                 first): each exec's parent environment is a job's
 *   bench [-c CPU] flood SECS   environ opens of a child, flat out, for SECS
 *                 seconds: "FLOOD opens N secs S"
 *   bench [-c CPU] drain SECS   a raw reader of /dev/cimon: reads until it
 *                 has been idle for a second after the first record, or for
 *                 SECS seconds at most: "DRAIN records R events E
 *                 lost_records L lost L2 secs S"
 *   bench recsize        sizeof(struct cimon_event) of the header built with
 *   bench envinfo        "vars V bytes B" of the fork_exec environment
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cimon.h"

#define ENV_VARS	60
#define ENV_BYTES	4096	/* strings and their NULs */
#define NOP_PATH	"/tests/bench_nop"
#define FILE_PATH	"/tests/bench"

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("bench: sched_setaffinity");
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

/*
 * What a step of a GitHub Actions job gets: the runner's variables, a
 * login's, and a long token; the last one is padded so that the whole
 * is ENV_BYTES.
 */
static const char *const job_env[ENV_VARS - 1] = {
	"PATH=/home/runner/.local/bin:/opt/pipx_bin:/home/runner/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/home/runner", "USER=runner", "LOGNAME=runner",
	"SHELL=/bin/bash", "LANG=C.UTF-8", "TERM=dumb", "SHLVL=1",
	"PWD=/home/runner/work/app/app", "HOSTNAME=fv-az1234-567",
	"CI=true", "DEBIAN_FRONTEND=noninteractive",
	"GITHUB_ACTIONS=true", "GITHUB_ACTION=__run_2",
	"GITHUB_ACTION_REF=", "GITHUB_ACTION_REPOSITORY=",
	"GITHUB_ACTOR=octocat", "GITHUB_ACTOR_ID=583231",
	"GITHUB_API_URL=https://api.github.com", "GITHUB_BASE_REF=main",
	"GITHUB_ENV=/home/runner/work/_temp/_runner_file_commands/set_env_4f7d2a",
	"GITHUB_EVENT_NAME=pull_request",
	"GITHUB_EVENT_PATH=/home/runner/work/_temp/_github_workflow/event.json",
	"GITHUB_GRAPHQL_URL=https://api.github.com/graphql",
	"GITHUB_HEAD_REF=feature/faster-builds", "GITHUB_JOB=build",
	"GITHUB_OUTPUT=/home/runner/work/_temp/_runner_file_commands/set_output_4f7d2a",
	"GITHUB_PATH=/home/runner/work/_temp/_runner_file_commands/add_path_4f7d2a",
	"GITHUB_REF=refs/pull/1234/merge", "GITHUB_REF_NAME=1234/merge",
	"GITHUB_REF_PROTECTED=false", "GITHUB_REF_TYPE=branch",
	"GITHUB_REPOSITORY=example-org/app", "GITHUB_REPOSITORY_ID=123456789",
	"GITHUB_REPOSITORY_OWNER=example-org",
	"GITHUB_REPOSITORY_OWNER_ID=9919", "GITHUB_RETENTION_DAYS=90",
	"GITHUB_RUN_ATTEMPT=1", "GITHUB_RUN_ID=8123456789",
	"GITHUB_RUN_NUMBER=4711", "GITHUB_SERVER_URL=https://github.com",
	"GITHUB_SHA=3f786850e387550fdab836ed7e6dc881de23001b",
	"GITHUB_STATE=/home/runner/work/_temp/_runner_file_commands/save_state_4f7d2a",
	"GITHUB_STEP_SUMMARY=/home/runner/work/_temp/_runner_file_commands/step_summary_4f7d2a",
	"GITHUB_TRIGGERING_ACTOR=octocat", "GITHUB_WORKFLOW=CI",
	"GITHUB_WORKFLOW_REF=example-org/app/.github/workflows/ci.yml@refs/pull/1234/merge",
	"GITHUB_WORKFLOW_SHA=3f786850e387550fdab836ed7e6dc881de23001b",
	"GITHUB_WORKSPACE=/home/runner/work/app/app",
	"RUNNER_ARCH=X64", "RUNNER_ENVIRONMENT=self-hosted",
	"RUNNER_NAME=build-host-07", "RUNNER_OS=Linux",
	"RUNNER_TEMP=/home/runner/work/_temp",
	"RUNNER_TOOL_CACHE=/opt/hostedtoolcache",
	"RUNNER_TRACKING_ID=github_5c2f7a0e-8d4b-4c1e-9a3f-2b6d8e1f0a7c",
	"RUNNER_WORKSPACE=/home/runner/work/app",
	"ACTIONS_RUNTIME_URL=https://pipelines.actions.githubusercontent.com/abc123/",
	"ACTIONS_CACHE_URL=https://artifactcache.actions.githubusercontent.com/abc123/",
};

static char *bench_env[ENV_VARS + 1];
static char token[ENV_BYTES];

static void build_env(void)
{
	size_t used = 0, pad;
	int i;

	for (i = 0; i < ENV_VARS - 1; i++) {
		bench_env[i] = (char *)job_env[i];
		used += strlen(job_env[i]) + 1;
	}
	/* ACTIONS_RUNTIME_TOKEN=<JWT-like>, to ENV_BYTES in all */
	pad = ENV_BYTES - used - 1;
	snprintf(token, sizeof(token), "ACTIONS_RUNTIME_TOKEN=");
	for (i = strlen(token); (size_t)i < pad; i++)
		token[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789._-"[i % 49];
	token[pad] = '\0';
	bench_env[ENV_VARS - 1] = token;
	bench_env[ENV_VARS] = NULL;
}

static size_t env_bytes(void)
{
	size_t n = 0;
	int i;

	for (i = 0; bench_env[i]; i++)
		n += strlen(bench_env[i]) + 1;
	return n;
}

static void fork_exec(long n)
{
	char *argv[] = { "bench_nop", NULL };
	pid_t pid;
	int status;

	while (n--) {
		pid = fork();
		if (pid == 0) {
			execve(NOP_PATH, argv, bench_env);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || status != 0) {
			fprintf(stderr, "bench: %s failed (status %d)\n",
				NOP_PATH, status);
			exit(1);
		}
	}
}

static long flood(const char *path, int secs)
{
	unsigned long long end = now() + secs * 1000000000ULL;
	long n = 0;
	int fd;

	do {
		for (int i = 0; i < 64; i++, n++) {
			fd = open(path, O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
	} while (now() < end);
	return n;
}

/* The raw reader: whole records, stepped over by their size field. */
static int drain(int max_secs)
{
	static char buf[64 * sizeof(struct cimon_event)];
	unsigned long long start = now(), deadline, last = 0;
	unsigned long long records = 0, events = 0, lost_records = 0, lost = 0;
	struct pollfd pfd;
	ssize_t got, off;
	int fd;

	fd = open("/dev/cimon", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("bench: /dev/cimon");
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	deadline = start + max_secs * 1000000000ULL;
	printf("DRAIN ready\n");
	fflush(stdout);
	while (now() < deadline) {
		got = read(fd, buf, sizeof(buf));
		if (got < 0 && errno == EAGAIN) {
			/* idle for a second after the flood: caught up */
			if (poll(&pfd, 1, 1000) == 0 && records)
				break;
			continue;
		}
		if (got <= 0) {
			perror("bench: read /dev/cimon");
			return 1;
		}
		for (off = 0; off + 8 <= got;) {
			const struct cimon_event *ev = (void *)(buf + off);

			if (ev->size < 8 || off + (ssize_t)ev->size > got)
				break;
			records++;
			if (ev->type == CIMON_EVENT_LOST) {
				lost_records++;
				lost += ev->lost;
			} else {
				events++;
			}
			off += ev->size;
		}
		last = now();
	}
	printf("DRAIN records %llu events %llu lost_records %llu lost %llu secs %.2f\n",
	       records, events, lost_records, lost,
	       ((last ? last : now()) - start) / 1e9);
	close(fd);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench [-c CPU] open|proc_stat|environ|stat|fork_exec|\n"
		"                    fork_exec_job N\n"
		"       bench [-c CPU] flood|drain SECS\n"
		"       bench recsize|envinfo\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long t;
	char path[64];
	struct stat st;
	const char *w;
	int cpu = -1;
	pid_t child;
	long n, i;

	if (argc >= 3 && !strcmp(argv[1], "-c")) {
		cpu = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc == 2 && !strcmp(argv[1], "recsize")) {
		printf("%zu\n", sizeof(struct cimon_event));
		return 0;
	}
	build_env();
	if (argc == 2 && !strcmp(argv[1], "envinfo")) {
		for (i = 0; bench_env[i]; i++)
			;
		printf("vars %ld bytes %zu\n", i, env_bytes());
		return 0;
	}
	if (argc != 3)
		usage();
	w = argv[1];
	n = atol(argv[2]);
	if (n <= 0)
		usage();
	/* a job's shell: this process holds the job's environment */
	if (!strcmp(w, "fork_exec_job") && !getenv("ACTIONS_RUNTIME_TOKEN")) {
		char cpus[16], *pinned[] = { "bench", "-c", cpus, argv[1],
					     argv[2], NULL };
		char *plain[] = { "bench", argv[1], argv[2], NULL };

		snprintf(cpus, sizeof(cpus), "%d", cpu);
		execve("/proc/self/exe", cpu >= 0 ? pinned : plain, bench_env);
		perror("bench: execve /proc/self/exe");
		return 1;
	}
	pin(cpu);
	if (!strcmp(w, "drain"))
		return drain(n);

	/* The process whose /proc files are opened. */
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	t = now();
	if (!strcmp(w, "open")) {
		open_close(FILE_PATH, n);
	} else if (!strcmp(w, "proc_stat")) {
		snprintf(path, sizeof(path), "/proc/%d/stat", child);
		read_stat(path, n);
	} else if (!strcmp(w, "environ")) {
		snprintf(path, sizeof(path), "/proc/%d/environ", child);
		open_close(path, n);
	} else if (!strcmp(w, "stat")) {
		for (i = 0; i < n; i++)
			stat(FILE_PATH, &st);
	} else if (!strcmp(w, "fork_exec") || !strcmp(w, "fork_exec_job")) {
		fork_exec(n);
	} else if (!strcmp(w, "flood")) {
		snprintf(path, sizeof(path), "/proc/%d/environ", child);
		n = flood(path, n);
	} else {
		kill(child, SIGKILL);
		usage();
	}
	t = now() - t;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (!strcmp(w, "flood"))
		printf("FLOOD opens %ld secs %.2f\n", n, t / 1e9);
	else
		printf("%s %.1f\n", w, (double)t / n);
	return 0;
}
