// SPDX-License-Identifier: GPL-2.0
/*
 * cimon status: the module's counters from sysfs, readable without
 * opening the device (and so without taking a reader's place).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cimon.h"
#include "json.h"
#include "nl.h"
#include "sbuf.h"

/* The files of CIMON_SYSFS_DIR, in the order they are shown. */
static const char *const counters[] = {
	"abi_version", "ring_size", "events", "dropped", "lost",
	"probe_misses", "readers",
};

#define NR_COUNTERS	(sizeof(counters) / sizeof(counters[0]))

struct counter {
	bool ok;
	uint64_t val;
};

/* Reads one decimal counter; 0 or an errno value. */
static int read_counter(const char *dir, const char *name, uint64_t *val)
{
	char path[512], buf[32], *end;
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return err;
	buf[n] = '\0';
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return EINVAL;
	return 0;
}

/* What only the netlink family tells: the mode and the rule set. */
struct rules_state {
	bool ok;
	struct cimon_nl_status st;
};

static void rules_state_read(struct rules_state *rs)
{
	struct cimon_nl *nl = cimon_nl_open();

	rs->ok = nl && !cimon_nl_status(nl, &rs->st);
	cimon_nl_close(nl);
}

static const char *mode_name(uint32_t mode)
{
	return mode == CIMON_MODE_ENFORCE ? "enforce" : "monitor";
}

/*
 * Whether cimon is locked: the sysfs file "locked" (a module without it
 * is not locked), else what the netlink family said; -1 when unknown.
 */
static int locked_state(const char *dir, const struct rules_state *rs)
{
	uint64_t val;
	int err = read_counter(dir, "locked", &val);

	if (!err)
		return val != 0;
	if (rs->ok && rs->st.locked >= 0)
		return rs->st.locked;
	return err == ENOENT ? 0 : -1;
}

static void print_text(struct cimon_sbuf *sb, const struct counter *c,
		       const struct rules_state *rs, int locked)
{
	size_t i;

	if (rs->ok)
		cimon_sbuf_addf(sb, "%-13s %s\n", "mode", mode_name(rs->st.mode));
	if (locked >= 0)
		cimon_sbuf_addf(sb, "%-13s %s\n", "locked",
				locked ? "yes (until reboot)" : "no");
	if (rs->ok) {
		if (rs->st.generation)
			cimon_sbuf_addf(sb, "%-13s %u (rule set %u)\n", "rules",
					rs->st.rules, rs->st.generation);
		else
			cimon_sbuf_addf(sb, "%-13s none loaded: every access is reported\n",
					"rules");
	}
	for (i = 0; i < NR_COUNTERS; i++) {
		if (c[i].ok)
			cimon_sbuf_addf(sb, "%-13s %" PRIu64 "\n", counters[i],
					c[i].val);
		else
			cimon_sbuf_addf(sb, "%-13s <NA>\n", counters[i]);
	}
}

static void print_json(struct cimon_sbuf *sb, const struct counter *c,
		       const struct rules_state *rs, int locked)
{
	struct cimon_json j;
	size_t i;

	cimon_json_init(&j, sb);
	cimon_json_obj_open(&j);
	cimon_json_key(&j, "locked");
	if (locked >= 0)
		cimon_json_bool(&j, locked);
	else
		cimon_json_null(&j);
	if (rs->ok) {
		cimon_json_key(&j, "mode");
		cimon_json_cstr(&j, mode_name(rs->st.mode));
		cimon_json_key(&j, "rules");
		cimon_json_u64(&j, rs->st.rules);
		cimon_json_key(&j, "rules_generation");
		cimon_json_u64(&j, rs->st.generation);
	}
	for (i = 0; i < NR_COUNTERS; i++) {
		cimon_json_key(&j, counters[i]);
		if (c[i].ok)
			cimon_json_u64(&j, c[i].val);
		else
			cimon_json_null(&j);
	}
	cimon_json_key(&j, "cimon_abi_version");
	cimon_json_u64(&j, CIMON_ABI_VERSION);
	cimon_json_obj_close(&j);
	cimon_sbuf_addc(sb, '\n');
}

/* Reads every counter; returns how many could not be read. */
static int read_all(const char *dir, struct counter *c)
{
	int bad = 0, err;
	size_t i;

	for (i = 0; i < NR_COUNTERS; i++) {
		err = read_counter(dir, counters[i], &c[i].val);
		c[i].ok = !err;
		if (err) {
			fprintf(stderr, "cimon: cannot read %s/%s: %s\n", dir,
				counters[i], strerror(err));
			bad++;
		}
	}
	return bad;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cimon status [--json] [--sysfs DIR]\n"
		"Show the cimon module's mode, lock, rule set and counters.\n"
		"  -j, --json       one JSON object\n"
		"  -s, --sysfs DIR  read DIR instead of " CIMON_SYSFS_DIR "\n");
}

int cimon_cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "sysfs", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = CIMON_SYSFS_DIR;
	struct counter c[NR_COUNTERS];
	struct cimon_sbuf sb;
	struct rules_state rs = { 0 };
	bool json = false;
	struct stat st;
	int opt, ret, locked;

	while ((opt = getopt_long(argc, argv, "js:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 's':
			dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return CIMON_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cimon: status: unexpected argument \"%s\"\n",
			argv[optind]);
		return CIMON_EXIT_USAGE;
	}
	if (stat(dir, &st)) {
		if (errno == ENOENT)
			fprintf(stderr, "cimon: %s not found: is the cimon module loaded? (modprobe cimon)\n",
				dir);
		else
			fprintf(stderr, "cimon: %s: %s\n", dir,
				strerror(errno));
		return CIMON_EXIT_FAIL;
	}
	ret = read_all(dir, c) ? CIMON_EXIT_FAIL : 0;
	/* A --sysfs directory is not the loaded module: do not mix them. */
	if (!strcmp(dir, CIMON_SYSFS_DIR))
		rules_state_read(&rs);

	locked = locked_state(dir, &rs);

	cimon_sbuf_init(&sb);
	if (json)
		print_json(&sb, c, &rs, locked);
	else
		print_text(&sb, c, &rs, locked);
	fputs(cimon_sbuf_str(&sb), stdout);
	cimon_sbuf_free(&sb);

	if (c[0].ok && c[0].val != CIMON_ABI_VERSION) {
		fprintf(stderr, "cimon: wrong ABI version: module speaks %" PRIu64 ", this cimon speaks %u\n",
			c[0].val, CIMON_ABI_VERSION);
		ret = CIMON_EXIT_FAIL;
	}
	if (fflush(stdout))
		ret = CIMON_EXIT_FAIL;
	return ret;
}
