/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking the records read from /dev/cimon: checks the ABI version and
 * size of each and steps over it by its own size field, so that a module
 * that appends fields still works with this reader.
 */
#ifndef CIMON_RECORD_H
#define CIMON_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/cimon.h"

/* A record bigger than this is garbage, not a future ABI. */
#define CIMON_RECORD_MAX	(1U << 20)

enum cimon_rec_status {
	CIMON_REC_OK,		/* *ev filled, step over *used bytes */
	CIMON_REC_NEED_MORE,	/* the record is not all in the buffer yet */
	CIMON_REC_BAD_VERSION,	/* written for another CIMON_ABI_VERSION */
	CIMON_REC_BAD_SIZE,	/* smaller than this ABI's record, or huge */
};

/* The header every record starts with, whatever its version. */
struct cimon_rec_hdr {
	uint32_t size;
	uint16_t version;
};

/**
 * cimon_record_take() - decode the record at the start of a buffer
 * @buf: bytes read from the device, any alignment.
 * @len: bytes available at @buf.
 * @ev: receives the part of the record this cimon knows about.
 * @used: receives the record's size on CIMON_REC_OK.
 * @hdr: receives the record's header whenever @len holds one, so that
 *	errors can say what the module speaks.
 */
enum cimon_rec_status cimon_record_take(const void *buf, size_t len,
					struct cimon_event *ev, size_t *used,
					struct cimon_rec_hdr *hdr);

#endif /* CIMON_RECORD_H */
