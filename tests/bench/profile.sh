#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench-profile: where one workload's time goes in the module, from
# ftrace's function_graph tracer in the guest (perf is not there).  Runs in
# the guest (the rig copies this directory to /scripts): loads cimon with
# its built-in rules, runs the workload of /tests/bench once untraced to
# warm up, then traced, and prints for each traced function its calls per
# operation and its mean time.  Tracing adds about 1-3 us per traced call
# under TCG, and more to a function traced alone and rarely called (seen:
# an early return of 18 us that shows 2 us once a busy function is traced
# too): compare functions, not totals with make bench, and trace a busy
# one (kmem_cache_alloc) alongside when in doubt.
#
# Settings from the kernel command line (make bench-profile passes them):
#   bench.profile=FUNC,FUNC...   functions to trace (default: the exec path)
#   bench.workload=NAME          a workload of /tests/bench (default fork_exec)
#   bench.ops=N                  operations traced (default 200)

T=/sys/kernel/tracing
funcs="exec_inspect cimon_env_read_bprm cimon_env_read_parent cimon_rule_match
cimon_fill_process cimon_fill_path cimon_fill_container_id cimon_event_init
cimon_match_begin cimon_step_exec step_fork step_exit"
workload=fork_exec
ops=200
# shellcheck disable=SC2013 # words, not lines
for arg in $(cat /proc/cmdline); do
	case $arg in
	bench.profile=*) funcs=$(echo "${arg#bench.profile=}" | tr , ' ') ;;
	bench.workload=*) workload=${arg#bench.workload=} ;;
	bench.ops=*) ops=${arg#bench.ops=} ;;
	esac
done

fail() {
	echo "PROFILE-FAIL $*"
	exit 1
}

mount -t tracefs none $T 2>/dev/null
[ -w $T/set_ftrace_filter ] || fail "no tracefs at $T"
rmmod cimon 2>/dev/null
insmod /lib/cimon.ko default_rules=1 || fail "insmod /lib/cimon.ko"
/tests/bench "$workload" "$ops" >/dev/null || fail "bench $workload"
echo 0 >$T/tracing_on
echo 8192 >$T/buffer_size_kb
echo >$T/set_ftrace_filter
for f in $funcs; do
	echo "$f" >>$T/set_ftrace_filter 2>/dev/null ||
		echo "# $f cannot be traced (inlined or unknown): left out"
done
echo function_graph >$T/current_tracer
echo funcgraph-tail >$T/trace_options
echo >$T/trace
echo 1 >$T/tracing_on
out=$(/tests/bench "$workload" "$ops") || fail "bench $workload"
echo 0 >$T/tracing_on
echo "# $workload, $ops operations traced: $out"
echo "# function                          calls/op    mean us"
awk -v ops="$ops" '
/[0-9.]+ us/ {
	match($0, /[0-9.]+ us/)
	t = substr($0, RSTART, RLENGTH - 3) + 0
	if ($0 ~ /\}/) {
		match($0, /\/\* [a-zA-Z0-9_.]+/)
		f = substr($0, RSTART + 3, RLENGTH - 3)
	} else {
		f = substr($0, index($0, "|") + 1)
		sub(/^ */, "", f)
		sub(/\(\);.*/, "", f)
	}
	sub(/ \[cimon\]/, "", f)
	s[f] += t
	n[f]++
}
END {
	for (f in s)
		printf "%-36s %8.2f %10.2f\n", f, n[f] / ops, s[f] / n[f]
}' $T/trace | sort -k3 -n -r
echo nop >$T/current_tracer
echo "PROFILE-DONE"
