/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turning a struct cimon_event into what a person or a log pipeline reads:
 * a text line for a terminal or a Falco-compatible JSON object.  Both are
 * rendered from one table of fields built once per event, so the two can
 * never disagree.  No I/O happens here.
 */
#ifndef CIMON_EVENT_FORMAT_H
#define CIMON_EVENT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"
#include "uapi/cimon.h"

#define CIMON_RULE_MEMORY	"Process Dumping Memory of Others"
#define CIMON_RULE_EXEC		"cimon: program executed"
#define CIMON_RULE_KMEM		"cimon: kernel memory opened"
#define CIMON_RULE_LOST		"cimon: events lost"
#define CIMON_RULE_MISSED	"cimon: detections missed"
#define CIMON_RULE_TAMPER	"cimon: tamper attempt on a locked cimon"
#define CIMON_RULE_UNKNOWN	"cimon: unknown event"
#define CIMON_NA		"<NA>"	/* what Falco prints for no value */

#define CIMON_RULE_FALLBACK	"cimon: rule %u"	/* metadata unknown */

/* Bound of a rendered output template, in bytes; a longer one is cut. */
#define CIMON_OUTPUT_MAX	16384

/**
 * struct cimon_fmt_rule - what the loaded rule set says about one rule
 * @id: the rule's id; it must equal the event's rule_id to be used.
 * @name: the rule's name.
 * @priority: enum cimon_priority.
 * @action: enum cimon_action.
 * @output: Falco output template (%proc.name ...); NULL or "" for the
 *	built-in one.
 * @tags: comma-separated tags; NULL or "" for none.
 *
 * The caller fetches this (cimon watch: over netlink, per generation);
 * the formatter only reads it.
 */
struct cimon_fmt_rule {
	uint32_t id;
	const char *name;
	unsigned int priority;
	unsigned int action;
	const char *output;
	const char *tags;
};

struct cimon_fmt_opts {
	bool json;		/* a JSON object instead of a text line */
	bool color;		/* ANSI colour in text lines */
	const char *hostname;	/* the "hostname" key of JSON output */
	/*
	 * The rule a rule-matched event names (cimon_event_is_builtin() is
	 * false), or NULL when it is not known: the event is then printed
	 * as rule "cimon: rule <id>" with the built-in output.  Ignored for
	 * built-in events and when its id is not the event's rule_id.
	 */
	const struct cimon_fmt_rule *rule;
};

/* Appends one line, '\n' included, describing @ev. */
void cimon_event_format(struct cimon_sbuf *sb, const struct cimon_event *ev,
			const struct cimon_fmt_opts *opts);

/*
 * True when @ev was reported with no rule set loaded (rule_id is
 * CIMON_RULE_BUILTIN, or rules_generation is 0, which no loaded set
 * has), false when it names a rule of set rules_generation.
 */
bool cimon_event_is_builtin(const struct cimon_event *ev);

/* Falco's name of an enum cimon_priority ("Warning"); NULL if none. */
const char *cimon_priority_name(unsigned int priority);

/* "alert" or "block" for an enum cimon_action; NULL if none. */
const char *cimon_action_name(unsigned int action);

/*
 * RFC 3339 with nanoseconds: "2026-11-23T19:30:14.123456789Z" in UTC, or
 * local time with its offset ("...+09:00", "Z" when the offset is zero).
 */
void cimon_format_time(char *buf, size_t len, uint64_t time_ns, bool utc);

/* The system call's name, or NULL when cimon does not know the number. */
const char *cimon_syscall_name(int32_t nr, uint32_t flags);

/* evt.type: the system call, else a name for what the event reports. */
const char *cimon_evt_type(const struct cimon_event *ev);

/* cimon.event: "mem_open", "ptrace_attach", ...; NULL for unknown types. */
const char *cimon_event_type_name(unsigned int type);

/* cimon.tamper: "unload", "mode", "rules", "kprobes"; NULL if none. */
const char *cimon_tamper_name(unsigned int tamper);

/* cimon.verdict: "allowed", "blocked", "would_block"; NULL if none. */
const char *cimon_verdict_name(unsigned int verdict);

#endif /* CIMON_EVENT_FORMAT_H */
