// SPDX-License-Identifier: GPL-2.0
/*
 * cimon - /dev/cimon, the event feed, and its counters in sysfs.
 *
 * read() returns whole records, as many as fit in the buffer; a buffer
 * smaller than one record is refused with -EINVAL.  poll() and O_NONBLOCK
 * work as for any character device.  The device is root's only (0600).
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cimon.h"

struct cimon_counters cimon_counters;

/**
 * struct cimon_file - what an open /dev/cimon holds
 * @lock: serialises read() calls sharing the file.
 * @reader: its position in the ring.
 */
struct cimon_file {
	struct mutex lock; /* one read() at a time moves the reader */
	struct cimon_reader reader;
};

static int cimon_open(struct inode *inode, struct file *file)
{
	struct cimon_file *cf;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	mutex_init(&cf->lock);
	cimon_ring_reader_start(&cf->reader);
	file->private_data = cf;
	atomic_inc(&cimon_counters.readers);
	return stream_open(inode, file);
}

static int cimon_release(struct inode *inode, struct file *file)
{
	struct cimon_file *cf = file->private_data;

	atomic_dec(&cimon_counters.readers);
	kfree(cf);
	return 0;
}

/*
 * Copy the next record to @buf.  Returns the bytes copied, 0 when there
 * is nothing to read, or an error; the reader moves on only after the
 * copy succeeded, so a fault loses nothing.
 */
static ssize_t read_one(struct cimon_reader *reader, char __user *buf)
{
	u64 next_seq;

	if (cimon_ring_next(reader, &next_seq))
		return 0;
	if (copy_to_user(buf, &reader->record, sizeof(reader->record)))
		return -EFAULT;
	if (reader->record.type == CIMON_EVENT_LOST)
		atomic64_add(reader->record.lost, &cimon_counters.lost);
	reader->seq = next_seq;
	return sizeof(reader->record);
}

static ssize_t cimon_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	struct cimon_file *cf = file->private_data;
	struct cimon_reader *reader = &cf->reader;
	const size_t record = sizeof(struct cimon_event);
	ssize_t done = 0;
	ssize_t ret;

	if (count < record)
		return -EINVAL;
	/* A blocked reader holds the lock: O_NONBLOCK must not wait on it. */
	if (file->f_flags & O_NONBLOCK) {
		if (!mutex_trylock(&cf->lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&cf->lock)) {
		return -ERESTARTSYS;
	}
	while (count - done >= record) {
		ret = read_one(reader, buf + done);
		if (ret < 0) {
			if (!done)
				done = ret;
			break;
		}
		if (ret) {
			done += ret;
			continue;
		}
		if (done)
			break;
		if (file->f_flags & O_NONBLOCK) {
			done = -EAGAIN;
			break;
		}
		ret = cimon_ring_wait(reader);
		if (ret) {
			done = ret;
			break;
		}
	}
	mutex_unlock(&cf->lock);
	return done;
}

static __poll_t cimon_poll(struct file *file, poll_table *wait)
{
	struct cimon_file *cf = file->private_data;

	poll_wait(file, cimon_ring_waitqueue(), wait);
	if (cimon_ring_readable(&cf->reader))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static const struct file_operations cimon_fops = {
	.owner = THIS_MODULE,
	.open = cimon_open,
	.release = cimon_release,
	.read = cimon_read,
	.poll = cimon_poll,
};

static ssize_t abi_version_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", CIMON_ABI_VERSION);
}
static DEVICE_ATTR_RO(abi_version);

static ssize_t ring_size_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", cimon_ring_size());
}
static DEVICE_ATTR_RO(ring_size);

static ssize_t events_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%llu\n", cimon_ring_written());
}
static DEVICE_ATTR_RO(events);

static ssize_t dropped_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&cimon_counters.dropped));
}
static DEVICE_ATTR_RO(dropped);

static ssize_t lost_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&cimon_counters.lost));
}
static DEVICE_ATTR_RO(lost);

static ssize_t probe_misses_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", cimon_probe_misses());
}
static DEVICE_ATTR_RO(probe_misses);

static ssize_t locked_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", cimon_locked());
}
static DEVICE_ATTR_RO(locked);

static ssize_t readers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&cimon_counters.readers));
}
static DEVICE_ATTR_RO(readers);

static struct attribute *cimon_attrs[] = {
	&dev_attr_abi_version.attr,
	&dev_attr_ring_size.attr,
	&dev_attr_events.attr,
	&dev_attr_dropped.attr,
	&dev_attr_lost.attr,
	&dev_attr_probe_misses.attr,
	&dev_attr_locked.attr,
	&dev_attr_readers.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cimon);

static struct miscdevice cimon_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = CIMON_DEVICE_NAME,
	.fops = &cimon_fops,
	.groups = cimon_groups,
	.mode = 0600,
};

/**
 * cimon_chardev_init() - create /dev/cimon
 *
 * Return: 0 or the error from misc_register().
 */
int cimon_chardev_init(void)
{
	return misc_register(&cimon_misc);
}

/**
 * cimon_chardev_exit() - remove /dev/cimon
 *
 * No reader can be left: an open file holds a reference on the module.
 */
void cimon_chardev_exit(void)
{
	misc_deregister(&cimon_misc);
}
