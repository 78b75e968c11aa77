// SPDX-License-Identifier: GPL-2.0
/*
 * cimon watch: read /dev/cimon and print one line per event.
 *
 * The device is read with a buffer of many records; every record is
 * checked (ABI version, size) and stepped over by its own size.  Output is
 * written and flushed once per read, since it usually goes to a pipe or
 * journald where a line held in a buffer is a line nobody sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimon.h"
#include "event_format.h"
#include "record.h"
#include "sbuf.h"

#define WATCH_BATCH	64	/* records per read() */

struct watch {
	const char *path;
	long long left;		/* alerts still to print; < 0: no limit */
	struct cimon_fmt_opts fmt;
	char hostname[256];
	int fd;
	unsigned char *buf;
	size_t cap;
	size_t have;		/* bytes in buf not yet decoded */
	struct cimon_sbuf out;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cimon watch [--json] [--device PATH] [--count N | --once]\n"
		"Print the events of the cimon module, one line each.\n"
		"  -j, --json         one Falco-compatible JSON object per line\n"
		"  -d, --device PATH  read PATH instead of " CIMON_DEVICE_PATH
		" (a saved capture works too)\n"
		"  -n, --count N      exit after N alerts\n"
		"  -1, --once         exit after the first alert\n");
}

static int parse_args(struct watch *w, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "device", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "jd:n:1h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			w->fmt.json = true;
			break;
		case 'd':
			w->path = optarg;
			break;
		case 'n':
			errno = 0;
			w->left = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg || w->left < 1) {
				fprintf(stderr, "cimon: --count wants a number of 1 or more, not \"%s\"\n",
					optarg);
				return CIMON_EXIT_USAGE;
			}
			break;
		case '1':
			w->left = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return CIMON_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cimon: watch: unexpected argument \"%s\"\n",
			argv[optind]);
		return CIMON_EXIT_USAGE;
	}
	return 0;
}

static int open_device(struct watch *w)
{
	int err;

	/* Non-blocking: waiting happens in ppoll, where signals get through. */
	w->fd = open(w->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd >= 0)
		return 0;
	err = errno;
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		fprintf(stderr, "cimon: %s not found: is the cimon module loaded? (modprobe cimon)\n",
			w->path);
	else if (err == EACCES || err == EPERM)
		fprintf(stderr, "cimon: permission denied opening %s: run as root\n",
			w->path);
	else
		fprintf(stderr, "cimon: cannot open %s: %s\n", w->path,
			strerror(err));
	return CIMON_EXIT_FAIL;
}

static bool grow(struct watch *w, size_t want)
{
	unsigned char *p;

	if (want <= w->cap)
		return true;
	p = realloc(w->buf, want);
	if (!p) {
		fprintf(stderr, "cimon: out of memory\n");
		return false;
	}
	w->buf = p;
	w->cap = want;
	return true;
}

static void report_lost(struct watch *w, const struct cimon_event *ev)
{
	/* Also on stderr: a person must see it even when stdout is a pipe. */
	fprintf(stderr, "cimon: %" PRIu64 " events lost: this reader fell behind the ring of %s\n",
		(uint64_t)ev->lost, w->path);
}

static int record_error(struct watch *w, enum cimon_rec_status st,
			const struct cimon_rec_hdr *hdr)
{
	if (st == CIMON_REC_BAD_VERSION)
		fprintf(stderr, "cimon: wrong ABI version: module speaks %u, this cimon speaks %u\n",
			hdr->version, CIMON_ABI_VERSION);
	else
		fprintf(stderr, "cimon: bad record of %" PRIu32 " bytes in %s (ABI version %u records take at least %zu)\n",
			hdr->size, w->path, CIMON_ABI_VERSION,
			sizeof(struct cimon_event));
	return CIMON_EXIT_FAIL;
}

/*
 * Prints every whole record in the buffer and keeps a cut one for the next
 * read.  Returns 0 to go on, -1 when --count is reached, or an exit status.
 */
static int decode(struct watch *w)
{
	struct cimon_event ev;
	struct cimon_rec_hdr hdr;
	enum cimon_rec_status st;
	size_t off = 0, used;
	int ret = 0;

	while (off < w->have && !ret) {
		st = cimon_record_take(w->buf + off, w->have - off, &ev,
				       &used, &hdr);
		if (st == CIMON_REC_NEED_MORE) {
			if (!grow(w, hdr.size))
				ret = CIMON_EXIT_FAIL;
			break;
		}
		if (st != CIMON_REC_OK)
			return record_error(w, st, &hdr);
		off += used;
		cimon_event_format(&w->out, &ev, &w->fmt);
		if (ev.type == CIMON_EVENT_LOST)
			report_lost(w, &ev);
		else if (w->left > 0 && --w->left == 0)
			ret = -1;
	}
	memmove(w->buf, w->buf + off, w->have - off);
	w->have -= off;
	return ret;
}

static int flush_out(struct watch *w)
{
	if (w->out.oom) {
		fprintf(stderr, "cimon: out of memory\n");
		return CIMON_EXIT_FAIL;
	}
	fwrite(w->out.buf ? w->out.buf : "", 1, w->out.len, stdout);
	cimon_sbuf_reset(&w->out);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "cimon: writing output: %s\n", strerror(errno));
		return CIMON_EXIT_FAIL;
	}
	return 0;
}

/* Waits until the device has data or a signal asked us to stop. */
static int wait_readable(struct watch *w, const sigset_t *unblocked)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

	if (ppoll(&pfd, 1, NULL, unblocked) < 0 && errno != EINTR) {
		fprintf(stderr, "cimon: poll %s: %s\n", w->path,
			strerror(errno));
		return CIMON_EXIT_FAIL;
	}
	return 0;
}

/* One read and what follows from it: 0 to go on, -1 at the end. */
static int read_batch(struct watch *w)
{
	ssize_t n;
	int ret;

	n = read(w->fd, w->buf + w->have, w->cap - w->have);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* The device refuses a buffer too small for one record. */
	if (n < 0 && errno == EINVAL && w->cap < 2 * CIMON_RECORD_MAX)
		return grow(w, w->cap * 2) ? 0 : CIMON_EXIT_FAIL;
	if (n < 0) {
		fprintf(stderr, "cimon: reading %s: %s\n", w->path,
			strerror(errno));
		return CIMON_EXIT_FAIL;
	}
	if (n == 0) {
		if (!w->have)
			return -1;
		fprintf(stderr, "cimon: %s ended inside a record (%zu bytes left)\n",
			w->path, w->have);
		return CIMON_EXIT_FAIL;
	}
	w->have += (size_t)n;
	ret = decode(w);
	/* What was decoded before a bad record still goes out. */
	if (flush_out(w))
		return CIMON_EXIT_FAIL;
	return ret;
}

static int watch_loop(struct watch *w)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, orig;
	int ret = 0;

	/*
	 * SIGINT/SIGTERM stay blocked except inside ppoll, so a signal can
	 * never slip in between the check of @stop and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);

	while (!stop && !ret) {
		ret = wait_readable(w, &orig);
		if (!ret && !stop)
			ret = read_batch(w);
	}
	return ret < 0 ? 0 : ret;
}

static bool want_color(void)
{
	const char *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(no && *no);
}

int cimon_cmd_watch(int argc, char **argv)
{
	struct watch w = { .path = CIMON_DEVICE_PATH, .left = -1, .fd = -1 };
	int ret;

	ret = parse_args(&w, argc, argv);
	if (ret)
		return ret;
	if (gethostname(w.hostname, sizeof(w.hostname) - 1))
		strcpy(w.hostname, "<NA>");
	w.fmt.hostname = w.hostname;
	w.fmt.color = !w.fmt.json && want_color();
	cimon_sbuf_init(&w.out);
	ret = open_device(&w);
	if (!ret && !grow(&w, WATCH_BATCH * sizeof(struct cimon_event)))
		ret = CIMON_EXIT_FAIL;
	if (!ret)
		ret = watch_loop(&w);
	if (w.fd >= 0)
		close(w.fd);
	free(w.buf);
	cimon_sbuf_free(&w.out);
	return ret;
}
