// SPDX-License-Identifier: GPL-2.0
/*
 * cimon watch: read /dev/cimon and print one line per event.
 *
 * The device is read with a buffer of many records (a read returns all
 * that are ready, up to its size); every record is checked (ABI version,
 * size) and stepped over by its own size.  The lines of one read go out
 * in one write(2) before watch waits again, since output usually goes to
 * a pipe or journald where a line held in a buffer is a line nobody sees.
 *
 * An event that a loaded rule matched carries only the rule's id and the
 * set's generation; the rule's name, priority, tags and output template
 * are asked of the module over netlink, once per generation, and only
 * when such an event comes (a saved capture of built-in events needs no
 * module at all).
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
#include <time.h>
#include <unistd.h>

#include "cimon.h"
#include "event_format.h"
#include "nl.h"
#include "record.h"
#include "sbuf.h"

#define WATCH_BATCH	256	/* records per read(): 1/16 of the default ring */
#define RULES_RETRY_NS	(5 * 1000000000LL)	/* after a failed fetch */

/* One loaded rule, as RULES_LIST told it. */
struct rule_meta {
	char *name;		/* NULL: no rule has this id */
	char *output;
	char *tags;
	uint8_t priority;
	uint8_t action;
};

/*
 * The rules of one loaded set, by id.  Fetched when an event names a set
 * other than the one held; a set whose rules cannot be had is remembered
 * in @missing so that its events do not each ask again.
 */
struct rule_cache {
	struct cimon_nl *nl;	/* opened on the first rule-matched event */
	uint32_t generation;	/* of @rules; 0: none held */
	struct rule_meta *rules;
	size_t n;
	uint32_t missing;	/* a set not to ask about again; 0: none */
	long long retry_ns;	/* ... until then, when it was an error */
	uint32_t warned;	/* the last set a warning was printed for */
};

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
	struct rule_cache rules;
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
	if (ev->type == CIMON_EVENT_MISSED)
		fprintf(stderr, "cimon: %" PRIu64 " detections missed: a kernel probe missed or there was no room to queue them (cimon status: probe_misses, dropped)\n",
			(uint64_t)ev->lost);
	else
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

/* ---- rule metadata ------------------------------------------------------ */

static void free_rules(struct rule_meta *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rules[i].name);
		free(rules[i].output);
		free(rules[i].tags);
	}
	free(rules);
}

/* What one RULES_LIST dump gave. */
struct rules_fetch {
	struct rule_meta *rules;
	size_t n;
	uint32_t generation;
	bool any;		/* at least one rule came */
	bool mixed;		/* rules of two sets: replaced mid-dump */
	bool oom;
};

static int take_rule(const struct cimon_nl_rule *r, void *arg)
{
	struct rules_fetch *f = arg;
	struct rule_meta *m;

	if (f->any && r->generation != f->generation) {
		f->mixed = true;
		return 1;
	}
	f->any = true;
	f->generation = r->generation;
	if (r->id >= CIMON_RULES_MAX)
		return 0;
	if (r->id >= f->n) {
		m = realloc(f->rules, (r->id + 1) * sizeof(*m));
		if (!m) {
			f->oom = true;
			return 1;
		}
		memset(m + f->n, 0, (r->id + 1 - f->n) * sizeof(*m));
		f->rules = m;
		f->n = r->id + 1;
	}
	m = &f->rules[r->id];
	free(m->name);
	free(m->output);
	free(m->tags);
	m->name = strndup(r->name ? r->name : "", CIMON_RULE_NAME_MAX - 1);
	m->output = strndup(r->output ? r->output : "",
			    CIMON_RULE_OUTPUT_MAX - 1);
	m->tags = strndup(r->tags ? r->tags : "", CIMON_RULE_TAGS_MAX - 1);
	m->priority = r->priority;
	m->action = r->action;
	if (!m->name || !m->output || !m->tags) {
		f->oom = true;
		return 1;
	}
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Asks the module for its loaded rules.  Returns 0 or an errno (@why then
 * says why); on 0, @f holds the rules of one set (f->any false: none).
 */
static int list_rules(struct rule_cache *c, struct rules_fetch *f,
		      char *why, size_t len)
{
	int err = 0, tries;

	memset(f, 0, sizeof(*f));
	for (tries = 0; tries < 2; tries++) {
		if (!c->nl) {
			c->nl = cimon_nl_open();
			if (!c->nl) {
				err = errno ? errno : EIO;
				snprintf(why, len, "%s", err == ENOENT ?
					 "the cimon module is not loaded" :
					 strerror(err));
				return err;
			}
		}
		err = cimon_nl_rules(c->nl, take_rule, f);
		if (!err && f->oom)
			err = ENOMEM;
		if (!err && !f->mixed)
			return 0;
		if (err)
			snprintf(why, len, "%s", *cimon_nl_error(c->nl) ?
				 cimon_nl_error(c->nl) : strerror(err));
		else
			snprintf(why, len, "it was replaced while listed");
		free_rules(f->rules, f->n);
		memset(f, 0, sizeof(*f));
		if (err == ENOMEM)
			return err;
		/* A new socket next time: the module may have been reloaded. */
		if (err) {
			cimon_nl_close(c->nl);
			c->nl = NULL;
		}
	}
	return err ? err : EAGAIN;
}

/* Makes the cache hold set @gen's rules if the module still has them. */
static void fetch_rules(struct rule_cache *c, uint32_t gen)
{
	struct rules_fetch f;
	char why[160] = "";
	int err;

	err = list_rules(c, &f, why, sizeof(why));
	if (!err && f.any) {
		free_rules(c->rules, c->n);
		c->rules = f.rules;
		c->n = f.n;
		c->generation = f.generation;
	} else if (!err) {
		free_rules(f.rules, f.n);
	}
	if (c->generation == gen)
		return;
	/*
	 * An error may pass (the module reloading): ask again later.  A set
	 * that is not the loaded one anymore can never be had.
	 */
	c->missing = gen;
	c->retry_ns = err ? now_ns() + RULES_RETRY_NS : 0;
	if (!err && f.any)
		snprintf(why, sizeof(why), "set %" PRIu32 " replaced it",
			 c->generation);
	else if (!err)
		snprintf(why, sizeof(why), "the module listed no rules");
	/* Once per set: its events show as "cimon: rule <id>". */
	if (c->warned != gen) {
		c->warned = gen;
		fprintf(stderr, "cimon: cannot read the rules of rule set %" PRIu32 " (%s): its alerts are shown by rule id\n",
			gen, why);
	}
}

/* The metadata of the rule @ev names, in @fr; NULL when not known. */
static const struct cimon_fmt_rule *rule_for(struct rule_cache *c,
					     const struct cimon_event *ev,
					     struct cimon_fmt_rule *fr)
{
	const struct rule_meta *m;
	uint32_t gen = ev->rules_generation;

	if (cimon_event_is_builtin(ev) || ev->type == CIMON_EVENT_LOST ||
	    ev->type == CIMON_EVENT_MISSED || ev->type == CIMON_EVENT_TAMPER ||
	    !cimon_event_type_name(ev->type))
		return NULL;
	if (gen != c->generation &&
	    (gen != c->missing || (c->retry_ns && now_ns() >= c->retry_ns)))
		fetch_rules(c, gen);
	if (gen != c->generation || ev->rule_id >= c->n)
		return NULL;
	m = &c->rules[ev->rule_id];
	if (!m->name)
		return NULL;
	fr->id = ev->rule_id;
	fr->name = m->name;
	fr->priority = m->priority;
	fr->action = m->action;
	fr->output = m->output;
	fr->tags = m->tags;
	return fr;
}

static void rule_cache_free(struct rule_cache *c)
{
	cimon_nl_close(c->nl);
	free_rules(c->rules, c->n);
	memset(c, 0, sizeof(*c));
}

/*
 * Prints every whole record in the buffer and keeps a cut one for the next
 * read.  Returns 0 to go on, -1 when --count is reached, or an exit status.
 */
static int decode(struct watch *w)
{
	struct cimon_event ev;
	struct cimon_fmt_rule rule;
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
		w->fmt.rule = rule_for(&w->rules, &ev, &rule);
		cimon_event_format(&w->out, &ev, &w->fmt);
		w->fmt.rule = NULL;
		if (ev.type == CIMON_EVENT_LOST ||
		    ev.type == CIMON_EVENT_MISSED)
			report_lost(w, &ev);
		else if (w->left > 0 && --w->left == 0)
			ret = -1;
	}
	memmove(w->buf, w->buf + off, w->have - off);
	w->have -= off;
	return ret;
}

/* Writes out what the last read gave, all of it, before watch waits. */
static int flush_out(struct watch *w)
{
	size_t off = 0;
	ssize_t n;

	if (w->out.oom) {
		fprintf(stderr, "cimon: out of memory\n");
		return CIMON_EXIT_FAIL;
	}
	while (off < w->out.len) {
		n = write(STDOUT_FILENO, w->out.buf + off, w->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cimon: writing output: %s\n",
				strerror(errno));
			return CIMON_EXIT_FAIL;
		}
		off += (size_t)n;
	}
	cimon_sbuf_reset(&w->out);
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
	rule_cache_free(&w.rules);
	return ret;
}
