// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a capture of records to stdout, as /dev/cimon would deliver
 * them: every event type, a loss report, and events whose strings hold
 * random bytes.  `make run` feeds it to `cimon watch --json` and checks
 * every line with Python's json module, a second, independent parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "test_events.h"

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void fill_random(void *p, size_t len, uint32_t *seed)
{
	unsigned char *b = p;

	while (len--)
		*b++ = (unsigned char)next_rand(seed);
}

int main(void)
{
	struct cimon_event ev;
	uint32_t seed = 0xc1c0;
	int type, i;

	for (type = CIMON_EVENT_LOST; type < CIMON_EVENT_TYPE_COUNT; type++) {
		test_event(&ev, type);
		fwrite(&ev, sizeof(ev), 1, stdout);
	}
	for (i = 0; i < 500; i++) {
		test_event(&ev, CIMON_EVENT_MEM_OPEN +
			   i % (CIMON_EVENT_TYPE_COUNT - CIMON_EVENT_MEM_OPEN));
		fill_random(ev.proc.comm, sizeof(ev.proc) -
			    offsetof(struct cimon_process, comm), &seed);
		fill_random(ev.target.comm, sizeof(ev.target.comm) +
			    sizeof(ev.target.exe), &seed);
		fill_random(ev.file, sizeof(ev.file), &seed);
		fill_random(&ev.flags, sizeof(ev.flags), &seed);
		ev.proc.cmdline_len = next_rand(&seed) % 600;
		/* The step, and for an exec its env and the parent's. */
		if (i % 3)
			fill_random(&ev.github, sizeof(ev.github), &seed);
		if (ev.type == CIMON_EVENT_EXEC) {
			fill_random(ev.env, sizeof(ev.env) + sizeof(ev.aenv),
				    &seed);
			ev.env_len = next_rand(&seed) % 600;
			ev.aenv_len = next_rand(&seed) % 600;
		}
		fwrite(&ev, sizeof(ev), 1, stdout);
	}
	return fflush(stdout) ? 1 : 0;
}
