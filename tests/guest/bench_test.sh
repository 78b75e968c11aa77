#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark suite of `make bench`, in its smoke version (one short round,
# 2 s floods): it must run end to end, every configuration and workload
# giving a figure, so that it cannot rot.  Timings are never asserted.
# Prints TAP.

n=0
ok() { # status description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}

echo "TAP version 13"
SMOKE=1 sh /tests/bench_suite.sh >/tmp/bench-smoke.out 2>&1
rc=$?
sed 's/^/# /' /tmp/bench-smoke.out
ok $rc "the smoke run of the benchmark suite finishes"
grep -q '^BENCH-DONE' /tmp/bench-smoke.out
ok $? "it reaches its end"

missing=
for c in none monitor enforce rules1000; do
	for w in open proc_stat environ stat fork_exec fork_exec_job; do
		awk -v c=$c -v w=$w '$1 == "ROUND" && $3 == c && $4 == w && $5 > 0 { f = 1 }
			END { exit !f }' /tmp/bench-smoke.out || missing="$missing $c/$w"
	done
done
[ -z "$missing" ]
ok $? "a figure for every configuration and workload${missing:+ (missing:$missing)}"

grep -q '^INFO env vars 60 bytes 4096$' /tmp/bench-smoke.out
ok $? "fork_exec runs with 60 variables, 4096 bytes of environment"
grep -q '^MEM coresize [0-9]* .*record [0-9]* ' /tmp/bench-smoke.out
ok $? "the module's memory is reported"

# The default rules report environ opens of another process: the flood
# must reach both readers (how much of it is a timing, not asserted).
for r in raw watch; do
	awk -v r=$r '$1 == "DELIVERY" && $3 == r && $9 > 0 { f = 1 } END { exit !f }' \
		/tmp/bench-smoke.out
	ok $? "the flood reaches the $r reader's ring"
done
awk '$1 == "DELIVERY" && $3 == "raw" && $15 > 0 { f = 1 } END { exit !f }' /tmp/bench-smoke.out
ok $? "the raw reader reads records"
grep -q '^cimon ' /proc/modules
ok $? "the module is loaded again for the next test"
echo "1..$n"
