// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer: whatever bytes a process name or path holds, the
 * output must parse, and must carry the same text where it is valid.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "json.h"
#include "json_check.h"
#include "sbuf.h"
#include "utf8.h"

/* @len bytes of @s quoted; the caller frees the buffer. */
static char *quote(const char *s, size_t len)
{
	struct cimon_sbuf sb;

	cimon_sbuf_init(&sb);
	cimon_json_quote(&sb, s, len);
	return sb.buf;
}

#define ASSERT_QUOTES(in, len, want) \
	do { \
		char *got = quote(in, len); \
		EXPECT_STREQ(want, got); \
		EXPECT_TRUE(jc_valid(got, strlen(got))); \
		free(got); \
	} while (0)

TEST(quote_and_backslash)
{
	ASSERT_QUOTES("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
}

TEST(control_characters)
{
	ASSERT_QUOTES("\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"");
	ASSERT_QUOTES("\x01\x1b[31m\x1f\x7f", 8,
		      "\"\\u0001\\u001b[31m\\u001f\\u007f\"");
}

TEST(nul_inside_is_escaped_not_a_terminator)
{
	ASSERT_QUOTES("a\0b", 3, "\"a\\u0000b\"");
}

TEST(valid_utf8_passes_through)
{
	/* é, 日本, U+1F600, U+10FFFF: 2-, 3- and 4-byte forms. */
	ASSERT_QUOTES("\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80"
		      "\xf4\x8f\xbf\xbf", 16,
		      "\"\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80"
		      "\xf4\x8f\xbf\xbf\"");
}

TEST(invalid_utf8_bytes_escaped_one_by_one)
{
	/* A stray continuation byte and bytes that never occur. */
	ASSERT_QUOTES("a\x80z\xff\xfe", 5, "\"a\\u0080z\\u00ff\\u00fe\"");
	/* Overlong '/' (C0 AF) and overlong NUL in 3 bytes (E0 80 80). */
	ASSERT_QUOTES("\xc0\xaf", 2, "\"\\u00c0\\u00af\"");
	ASSERT_QUOTES("\xe0\x80\x80", 3, "\"\\u00e0\\u0080\\u0080\"");
	/* A UTF-16 surrogate (U+D800) and a code point above U+10FFFF. */
	ASSERT_QUOTES("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"");
	ASSERT_QUOTES("\xf4\x90\x80\x80", 4,
		      "\"\\u00f4\\u0090\\u0080\\u0080\"");
}

TEST(truncated_sequences)
{
	/* Cut by the end of the string, then cut by an ASCII byte. */
	ASSERT_QUOTES("ok\xe6\x97", 4, "\"ok\\u00e6\\u0097\"");
	ASSERT_QUOTES("\xf0\x9f\x98" "a", 4, "\"\\u00f0\\u009f\\u0098a\"");
	/* The valid character after a broken one is kept whole. */
	ASSERT_QUOTES("\xc3\xc3\xa9", 3, "\"\\u00c3\xc3\xa9\"");
}

TEST(every_byte_value_parses)
{
	char all[256], *got;
	int i;

	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	got = quote(all, sizeof(all));
	ASSERT_TRUE(jc_valid(got, strlen(got)));
	free(got);
}

TEST(utf8_seq_len_bounds)
{
	/* Never looks past n, even when the lead byte promises more. */
	EXPECT_EQ(0U, cimon_utf8_seq_len((const unsigned char *)"\xe6\x97\xa5",
					2));
	EXPECT_EQ(3U, cimon_utf8_seq_len((const unsigned char *)"\xe6\x97\xa5",
					3));
	EXPECT_EQ(0U, cimon_utf8_seq_len((const unsigned char *)"\xc1\xbf", 2));
	EXPECT_EQ(2U, cimon_utf8_seq_len((const unsigned char *)"\xc2\x80", 2));
}

TEST(writer_places_commas_and_nests)
{
	struct cimon_sbuf sb;
	struct cimon_json j;

	cimon_sbuf_init(&sb);
	cimon_json_init(&j, &sb);
	cimon_json_obj_open(&j);
	cimon_json_key(&j, "a");
	cimon_json_u64(&j, 18446744073709551615ULL);
	cimon_json_key(&j, "b");
	cimon_json_arr_open(&j);
	cimon_json_cstr(&j, "x");
	cimon_json_s64(&j, -1);
	cimon_json_null(&j);
	cimon_json_arr_close(&j);
	cimon_json_key(&j, "c");
	cimon_json_obj_open(&j);
	cimon_json_obj_close(&j);
	cimon_json_key(&j, "d\"");
	cimon_json_str(&j, "y", 1);
	cimon_json_obj_close(&j);
	EXPECT_STREQ("{\"a\":18446744073709551615,\"b\":[\"x\",-1,null],"
		     "\"c\":{},\"d\\\"\":\"y\"}", cimon_sbuf_str(&sb));
	EXPECT_TRUE(jc_valid(sb.buf, sb.len));
	cimon_sbuf_free(&sb);
}

/* The checker itself must reject what is not JSON, or the tests prove nothing. */
TEST(checker_rejects_bad_json)
{
	static const char *const bad[] = {
		"{\"a\":1,}", "{\"a\" 1}", "[1 2]", "\"a\x01\"", "\"\xff\"",
		"\"\\x41\"", "\"\\u12\"", "01", "{\"a\":1}x", "\"a", "",
		"\"\xed\xa0\x80\"", "{\"a\":tru}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_FALSE(jc_valid(bad[i], strlen(bad[i])))
			TH_LOG("accepted bad JSON #%zu", i);
	EXPECT_TRUE(jc_valid("{\"a\":[1,-2.5e3,\"\\u00e9\",true,null]}",
			     35));
}

TEST_HARNESS_MAIN
