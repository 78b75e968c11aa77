// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "record.h"

#define HDR_LEN	(offsetof(struct cimon_event, version) + \
		 sizeof(((struct cimon_event *)0)->version))

enum cimon_rec_status cimon_record_take(const void *buf, size_t len,
					struct cimon_event *ev, size_t *used,
					struct cimon_rec_hdr *hdr)
{
	const unsigned char *p = buf;

	memset(hdr, 0, sizeof(*hdr));
	if (len < HDR_LEN)
		return CIMON_REC_NEED_MORE;
	/* memcpy: a record that follows a grown one need not be aligned. */
	memcpy(&hdr->size, p + offsetof(struct cimon_event, size),
	       sizeof(hdr->size));
	memcpy(&hdr->version, p + offsetof(struct cimon_event, version),
	       sizeof(hdr->version));
	/* Version first: another version may have another size. */
	if (hdr->version != CIMON_ABI_VERSION)
		return CIMON_REC_BAD_VERSION;
	if (hdr->size < sizeof(*ev) || hdr->size > CIMON_RECORD_MAX)
		return CIMON_REC_BAD_SIZE;
	if (hdr->size > len)
		return CIMON_REC_NEED_MORE;
	memcpy(ev, p, sizeof(*ev));
	*used = hdr->size;
	return CIMON_REC_OK;
}
