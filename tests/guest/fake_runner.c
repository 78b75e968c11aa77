// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for GitHub Actions' Runner.Worker: it holds a job's secrets
 * in its heap in the form the real one does, so that memory-theft tools
 * find them, and waits.  Install it as .../bin/Runner.Worker and start it
 * as "Runner.Worker spawnclient <fd> <fd>", as the runner does.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	const char *token = getenv("FAKE_SECRET");
	char *secrets;

	if (!token)
		token = "ghs_cimonDemoSecret0123456789";
	secrets = malloc(4096);
	if (!secrets)
		return 1;
	/* Built at run time, so only the heap holds a whole secret. */
	snprintf(secrets, 4096,
		 "{\"variables\":{\"GITHUB_TOKEN\":{\"value\":\"%s\",\"%s\":true},"
		 "\"system.github.job\":{\"value\":\"build\",\"%s\":false}}}",
		 token, "isSecret", "isSecret");
	printf("%d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
	free(secrets);
	return 0;
}
