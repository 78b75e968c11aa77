// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/cimon behaves as an event feed should: every reader sees every
 * event, reads return whole records, poll and O_NONBLOCK work, a reader
 * that fell behind is told how many events it lost, only root may read.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/epoll.h>

#include "feed.h"
#include "kselftest_harness.h"

#define WAIT_MS 3000

FIXTURE(feed) {
	int feed;
	pid_t target;
	char environ_path[64];
};

FIXTURE_SETUP(feed)
{
	self->feed = feed_open();
	ASSERT_LE(0, self->feed);
	self->target = target_start();
	ASSERT_LT(0, self->target);
	snprintf(self->environ_path, sizeof(self->environ_path),
		 "/proc/%d/environ", self->target);
	feed_drain(self->feed);
}

FIXTURE_TEARDOWN(feed)
{
	target_stop(self->target);
	close(self->feed);
}

/* One reportable access: an open of the target's environ. */
static int touch(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

TEST_F(feed, every_reader_sees_every_event)
{
	struct cimon_event a, b, c;
	int second = feed_open(), third = feed_open();

	ASSERT_LE(0, second);
	ASSERT_LE(0, third);
	EXPECT_LE(3, counter("readers"));
	ASSERT_EQ(0, touch(self->environ_path));
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_ENVIRON_OPEN,
			       self->target, &a, WAIT_MS));
	ASSERT_EQ(1, feed_find(second, CIMON_EVENT_ENVIRON_OPEN,
			       self->target, &b, WAIT_MS));
	ASSERT_EQ(1, feed_find(third, CIMON_EVENT_ENVIRON_OPEN,
			       self->target, &c, WAIT_MS));
	EXPECT_EQ(a.seq, b.seq);
	EXPECT_EQ(a.seq, c.seq);
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a)));
	close(second);
	close(third);
}

TEST_F(feed, a_new_reader_starts_at_the_head)
{
	struct cimon_event ev;
	int late;

	ASSERT_EQ(0, touch(self->environ_path));
	ASSERT_EQ(1, feed_find(self->feed, CIMON_EVENT_ENVIRON_OPEN,
			       self->target, &ev, WAIT_MS));
	late = feed_open();
	ASSERT_LE(0, late);
	EXPECT_EQ(0, feed_next(late, &ev, 100));
	close(late);
}

TEST_F(feed, nonblocking_read_of_empty_feed_says_eagain)
{
	struct cimon_event ev;

	EXPECT_EQ(-1, read(self->feed, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(feed, a_buffer_smaller_than_a_record_is_refused)
{
	char small[sizeof(struct cimon_event) - 1];
	struct cimon_event ev;

	ASSERT_EQ(0, touch(self->environ_path));
	usleep(100000);
	EXPECT_EQ(-1, read(self->feed, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	/* The record was not consumed by the failed read. */
	EXPECT_EQ(1, feed_next(self->feed, &ev, WAIT_MS));
}

TEST_F(feed, one_read_returns_several_whole_records)
{
	struct cimon_event evs[8];
	ssize_t n;
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, touch(self->environ_path));
	usleep(300000);
	n = read(self->feed, evs, sizeof(evs));
	ASSERT_EQ((ssize_t)(3 * sizeof(evs[0])), n);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(sizeof(evs[0]), evs[i].size);
		EXPECT_EQ(CIMON_EVENT_ENVIRON_OPEN, evs[i].type);
		if (i)
			EXPECT_EQ(evs[i - 1].seq + 1, evs[i].seq);
	}
	/* A buffer that is not a multiple of a record gets whole ones only. */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, touch(self->environ_path));
	usleep(300000);
	n = read(self->feed, evs, sizeof(evs[0]) + sizeof(evs[0]) / 2);
	EXPECT_EQ((ssize_t)sizeof(evs[0]), n);
}

TEST_F(feed, poll_and_epoll_wake_on_an_event)
{
	struct pollfd pfd = { .fd = self->feed, .events = POLLIN };
	struct epoll_event eev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->feed, &eev));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, epoll_wait(ep, &eev, 1, 0));
	ASSERT_EQ(0, touch(self->environ_path));
	EXPECT_EQ(1, poll(&pfd, 1, WAIT_MS));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(1, epoll_wait(ep, &eev, 1, WAIT_MS));
	close(ep);
}

struct delayed_touch {
	const char *path;
	int delay_ms;
};

static void *touch_later(void *arg)
{
	struct delayed_touch *t = arg;

	usleep(t->delay_ms * 1000);
	touch(t->path);
	return NULL;
}

TEST_F(feed, blocking_read_sleeps_until_an_event)
{
	struct delayed_touch t = { self->environ_path, 300 };
	struct cimon_event ev;
	unsigned long long start = now_ns();
	pthread_t thread;
	int fd = open(FEED_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, touch_later, &t));
	ASSERT_EQ((ssize_t)sizeof(ev), read(fd, &ev, sizeof(ev)));
	EXPECT_LE(start + 250000000ULL, now_ns());
	EXPECT_EQ(CIMON_EVENT_ENVIRON_OPEN, ev.type);
	pthread_join(thread, NULL);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(feed, a_signal_interrupts_a_blocked_read)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct cimon_event ev;
	int fd = open(FEED_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(-1, read(fd, &ev, sizeof(ev)));
	EXPECT_EQ(EINTR, errno);
	close(fd);
}

TEST_F(feed, a_slow_reader_is_told_what_it_lost)
{
	long long ring = counter("ring_size");
	long long written = counter("events");
	long long lost_before = counter("lost");
	long long extra = 100, produced, expect_lost, i;
	struct cimon_event ev;

	ASSERT_LT(0, ring);
	for (i = 0; i < ring + extra; i++) {
		ASSERT_EQ(0, touch(self->environ_path));
		/* Let the report worker keep up: a drop is not a loss. */
		if (i % 64 == 63)
			usleep(2000);
	}
	usleep(300000);
	produced = counter("events") - written;
	ASSERT_LT(ring, produced);
	expect_lost = produced - ring;

	ASSERT_EQ(1, feed_next(self->feed, &ev, WAIT_MS));
	ASSERT_EQ(CIMON_EVENT_LOST, ev.type);
	EXPECT_EQ((unsigned long long)expect_lost, ev.lost);
	EXPECT_EQ(sizeof(ev), ev.size);
	/* Then the oldest record still in the ring, and on in order. */
	ASSERT_EQ(1, feed_next(self->feed, &ev, WAIT_MS));
	EXPECT_EQ((unsigned long long)(written + expect_lost), ev.seq);
	EXPECT_EQ(lost_before + expect_lost, counter("lost"));
	EXPECT_EQ(0, counter("dropped"));
}

TEST(only_root_may_read)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (open(FEED_PATH, O_RDONLY) >= 0)
			_exit(3);
		_exit(errno == EACCES ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(counters_are_readable_without_a_reader)
{
	static const char * const names[] = {
		"abi_version", "ring_size", "events", "dropped", "lost",
		"probe_misses", "readers",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		EXPECT_LE(0, counter(names[i]));
	EXPECT_EQ(CIMON_ABI_VERSION, counter("abi_version"));
	EXPECT_EQ(CIMON_RING_DEFAULT, counter("ring_size"));
}

TEST_HARNESS_MAIN
