// SPDX-License-Identifier: GPL-2.0
/*
 * Walking records: a reader must refuse another ABI version, refuse a
 * record too small to be one, and step over a grown record by its size.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "record.h"
#include "test_events.h"

TEST(takes_one_record)
{
	struct cimon_event in, out;
	struct cimon_rec_hdr hdr;
	size_t used = 0;

	test_event(&in, CIMON_EVENT_MEM_OPEN);
	ASSERT_EQ(CIMON_REC_OK,
		  cimon_record_take(&in, sizeof(in), &out, &used, &hdr));
	EXPECT_EQ(sizeof(in), used);
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));
}

TEST(steps_over_a_bigger_record_by_its_size)
{
	/* A later module appends 40 bytes to each record; they may misalign. */
	const size_t big = sizeof(struct cimon_event) + 40;
	unsigned char *buf = calloc(1, 2 * big + 1);
	struct cimon_event a, b, out;
	struct cimon_rec_hdr hdr;
	size_t used;

	ASSERT_NE(NULL, buf);
	test_event(&a, CIMON_EVENT_PTRACE_ATTACH);
	test_event(&b, CIMON_EVENT_VM_READ);
	a.size = b.size = (__u32)big;
	b.seq = 8;
	/* Offset 1: the record does not start on an aligned address. */
	memcpy(buf + 1, &a, sizeof(a));
	memset(buf + 1 + sizeof(a), 0xee, 40);
	memcpy(buf + 1 + big, &b, sizeof(b));

	ASSERT_EQ(CIMON_REC_OK,
		  cimon_record_take(buf + 1, 2 * big, &out, &used, &hdr));
	EXPECT_EQ(big, used);
	EXPECT_EQ(CIMON_EVENT_PTRACE_ATTACH, out.type);
	ASSERT_EQ(CIMON_REC_OK, cimon_record_take(buf + 1 + used,
						  2 * big - used, &out,
						  &used, &hdr));
	EXPECT_EQ(CIMON_EVENT_VM_READ, out.type);
	EXPECT_EQ(8, out.seq);
	free(buf);
}

TEST(rejects_another_abi_version)
{
	struct cimon_event in, out;
	struct cimon_rec_hdr hdr;
	size_t used;

	test_event(&in, CIMON_EVENT_MEM_OPEN);
	in.version = CIMON_ABI_VERSION + 1;
	ASSERT_EQ(CIMON_REC_BAD_VERSION,
		  cimon_record_take(&in, sizeof(in), &out, &used, &hdr));
	EXPECT_EQ(CIMON_ABI_VERSION + 1, hdr.version);
	/* Even when the other version's record is small. */
	in.size = 16;
	ASSERT_EQ(CIMON_REC_BAD_VERSION,
		  cimon_record_take(&in, 16, &out, &used, &hdr));
}

TEST(rejects_a_record_smaller_than_this_abi)
{
	struct cimon_event in, out;
	struct cimon_rec_hdr hdr;
	size_t used;

	test_event(&in, CIMON_EVENT_MEM_OPEN);
	in.size = sizeof(in) - 1;
	EXPECT_EQ(CIMON_REC_BAD_SIZE,
		  cimon_record_take(&in, sizeof(in), &out, &used, &hdr));
	in.size = 0;	/* would loop forever if taken */
	EXPECT_EQ(CIMON_REC_BAD_SIZE,
		  cimon_record_take(&in, sizeof(in), &out, &used, &hdr));
	in.size = CIMON_RECORD_MAX + 1;
	EXPECT_EQ(CIMON_REC_BAD_SIZE,
		  cimon_record_take(&in, sizeof(in), &out, &used, &hdr));
}

TEST(cut_record_asks_for_more)
{
	struct cimon_event in, out;
	struct cimon_rec_hdr hdr;
	size_t used;

	test_event(&in, CIMON_EVENT_MEM_OPEN);
	EXPECT_EQ(CIMON_REC_NEED_MORE,
		  cimon_record_take(&in, sizeof(in) - 1, &out, &used, &hdr));
	EXPECT_EQ(sizeof(in), hdr.size);
	EXPECT_EQ(CIMON_REC_NEED_MORE,
		  cimon_record_take(&in, 3, &out, &used, &hdr));
}

TEST_HARNESS_MAIN
