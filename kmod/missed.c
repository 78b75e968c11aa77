// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - detections that could not happen, as records.
 *
 * A kprobe that could not run (nmissed), a full marker table, an exec
 * that found no memory to be inspected, a report that found the pending
 * pool empty: each is counted where it happens, in contexts that cannot
 * write a record.  Once a second this work compares the totals with what
 * it last reported and writes one CIMON_EVENT_MISSED record with the
 * difference, so that a reader sees in the feed itself that something
 * may have been missed, and how much.
 */

#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "cimon.h"

static void missed_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(missed_work, missed_fn);
static unsigned long reported;		/* only missed_fn touches it */
static struct cimon_event record;	/* likewise */

static unsigned long missed_total(void)
{
	return cimon_probe_misses() + atomic64_read(&cimon_counters.dropped);
}

static void missed_fn(struct work_struct *work)
{
	unsigned long total = missed_total();

	if (total != reported) {
		cimon_event_init(&record, CIMON_EVENT_MISSED);
		record.lost = total - reported;
		record.rule_id = CIMON_RULE_BUILTIN;
		cimon_ring_write(&record);
		reported = total;
	}
	schedule_delayed_work(&missed_work, HZ);
}

/**
 * cimon_missed_init() - start watching the counters
 */
void cimon_missed_init(void)
{
	reported = missed_total();
	schedule_delayed_work(&missed_work, HZ);
}

/**
 * cimon_missed_exit() - stop
 */
void cimon_missed_exit(void)
{
	cancel_delayed_work_sync(&missed_work);
}
