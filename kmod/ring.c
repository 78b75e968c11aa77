// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - the event ring.
 *
 * One ring of fixed-size records, overwritten oldest first, and a
 * sequence number per reader, as /dev/kmsg does: every reader sees every
 * event, and a reader that fell behind is handed a CIMON_EVENT_LOST record
 * saying how many it missed instead of losing them silently.
 *
 * Records are written only by the report worker (process context), so a
 * plain spinlock suffices; readers copy a record out under it.
 */

#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "cimon.h"

/**
 * struct cimon_ring - the ring itself
 * @lock: protects @head and the records.
 * @head: sequence number the next record will get.
 * @mask: number of records - 1 (the size is a power of two).
 * @records: the storage.
 * @wait: readers waiting for @head to move.
 */
static struct cimon_ring {
	spinlock_t lock; /* @head and the records */
	u64 head;
	u64 mask;
	struct cimon_event *records;
	wait_queue_head_t wait;
} ring;

/**
 * cimon_ring_init() - allocate the ring
 * @records: capacity wanted; rounded up to a power of two.
 *
 * Return: 0, or -ENOMEM.
 */
int cimon_ring_init(unsigned int records)
{
	unsigned long size = roundup_pow_of_two(records);

	ring.records = vzalloc(array_size(size, sizeof(*ring.records)));
	if (!ring.records)
		return -ENOMEM;
	ring.mask = size - 1;
	ring.head = 0;
	spin_lock_init(&ring.lock);
	init_waitqueue_head(&ring.wait);
	return 0;
}

/**
 * cimon_ring_exit() - free the ring; no reader may be left.
 */
void cimon_ring_exit(void)
{
	vfree(ring.records);
	ring.records = NULL;
}

/**
 * cimon_ring_write() - append a record and wake the readers
 * @event: the record; its @seq is set here.
 *
 * Context: process context; takes the ring lock.
 */
void cimon_ring_write(struct cimon_event *event)
{
	spin_lock(&ring.lock);
	event->seq = ring.head;
	memcpy(&ring.records[ring.head & ring.mask], event, sizeof(*event));
	/* Read without the lock by poll() and the counters. */
	WRITE_ONCE(ring.head, ring.head + 1);
	spin_unlock(&ring.lock);
	wake_up_interruptible(&ring.wait);
}

/**
 * cimon_ring_reader_start() - place a new reader at the ring's head
 * @reader: the reader
 *
 * A new reader sees what happens from now on, not the history.
 */
void cimon_ring_reader_start(struct cimon_reader *reader)
{
	spin_lock(&ring.lock);
	reader->seq = ring.head;
	spin_unlock(&ring.lock);
}

/**
 * cimon_ring_next() - copy the reader's next record into its bounce buffer
 * @reader: the reader; @reader->seq is not moved.
 * @next_seq: where the reader's position goes once the record is consumed.
 *
 * If records the reader had not read were overwritten, the record is a
 * CIMON_EVENT_LOST saying how many.
 *
 * Return: 0 with a record, -EAGAIN when the reader is at the head.
 */
int cimon_ring_next(struct cimon_reader *reader, u64 *next_seq)
{
	struct cimon_event *out = &reader->record;
	u64 oldest;
	int ret = 0;

	spin_lock(&ring.lock);
	oldest = ring.head > ring.mask ? ring.head - ring.mask - 1 : 0;
	if (reader->seq < oldest) {
		memset(out, 0, sizeof(*out));
		out->size = sizeof(*out);
		out->version = CIMON_ABI_VERSION;
		out->type = CIMON_EVENT_LOST;
		out->seq = reader->seq;
		out->lost = oldest - reader->seq;
		out->time_ns = ktime_get_real_ns();
		out->syscall_nr = -1;
		*next_seq = oldest;
	} else if (reader->seq == ring.head) {
		ret = -EAGAIN;
	} else {
		memcpy(out, &ring.records[reader->seq & ring.mask],
		       sizeof(*out));
		*next_seq = reader->seq + 1;
	}
	spin_unlock(&ring.lock);
	return ret;
}

/**
 * cimon_ring_readable() - whether the reader has something to read
 * @reader: the reader
 */
bool cimon_ring_readable(const struct cimon_reader *reader)
{
	return READ_ONCE(ring.head) != READ_ONCE(reader->seq);
}

/**
 * cimon_ring_wait() - sleep until the reader has something to read
 * @reader: the reader
 *
 * Return: 0, or -ERESTARTSYS when a signal came first.
 */
int cimon_ring_wait(const struct cimon_reader *reader)
{
	return wait_event_interruptible(ring.wait,
					cimon_ring_readable(reader));
}

/**
 * cimon_ring_waitqueue() - the wait queue poll() registers on
 */
struct wait_queue_head *cimon_ring_waitqueue(void)
{
	return &ring.wait;
}

/**
 * cimon_ring_size() - capacity in records
 */
unsigned int cimon_ring_size(void)
{
	return ring.mask + 1;
}

/**
 * cimon_ring_written() - records written since load
 */
u64 cimon_ring_written(void)
{
	return READ_ONCE(ring.head);
}
