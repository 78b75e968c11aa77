/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cimon - bounds internal to the module, in one place.  The bounds that
 * userspace must know live in include/uapi/cimon.h.
 */
#ifndef CIMON_LIMITS_H
#define CIMON_LIMITS_H

/*
 * Reports detected in atomic context wait in a preallocated pool until
 * the report worker resolves their paths; a detection that finds the pool
 * empty is counted as dropped.
 */
#define CIMON_PENDING_REPORTS	256

/*
 * Opens of /proc/<pid>/{mem,environ} in flight at once that can be told
 * apart from other ptrace-access checks; also the kretprobe maxactive.
 */
#define CIMON_OPEN_MARKERS	128

/*
 * Processes running in GitHub Actions steps at once that cimon can name
 * the step of; one more is counted as a probe miss and has no step.
 */
#define CIMON_STEP_PROCS	8192

#endif /* CIMON_LIMITS_H */
