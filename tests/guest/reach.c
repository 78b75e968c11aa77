// SPDX-License-Identifier: GPL-2.0
/*
 * reach HOW PID [ARG...]: one access to another process's memory, for the
 * guest tests to run from places a test binary cannot be (a 32-bit build,
 * a very long path, a terminal).  HOW is mem, environ, ptrace, vmread or
 * getfd.  Exits 0 when the access was attempted as asked.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_proc(pid_t pid, const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct iovec local, remote;
	char byte;
	pid_t pid;
	int pidfd;

	if (argc < 3)
		return 2;
	pid = atoi(argv[2]);
	if (!strcmp(argv[1], "mem"))
		return open_proc(pid, "mem");
	if (!strcmp(argv[1], "environ"))
		return open_proc(pid, "environ");
	if (!strcmp(argv[1], "ptrace")) {
		if (ptrace(PTRACE_ATTACH, pid, 0, 0))
			return 1;
		waitpid(pid, NULL, 0);
		return ptrace(PTRACE_DETACH, pid, 0, 0) ? 1 : 0;
	}
	if (!strcmp(argv[1], "vmread")) {
		/* The check comes before the copy: address 0 is enough. */
		local.iov_base = &byte;
		local.iov_len = 1;
		remote.iov_base = NULL;
		remote.iov_len = 1;
		process_vm_readv(pid, &local, 1, &remote, 1, 0);
		return 0;
	}
	if (!strcmp(argv[1], "getfd")) {
		pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			return 1;
		return syscall(SYS_pidfd_getfd, pidfd, 0, 0) < 0;
	}
	return 2;
}
