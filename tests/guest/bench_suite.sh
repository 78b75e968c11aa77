#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What cimon costs, measured inside the guest (`make bench` runs this through
# tests/bench/run.sh; `make check` runs a smoke version through
# bench_test.sh).  In one boot, rounds interleaved (the order of the
# configurations rotates from round to round), each workload of
# /tests/bench runs under each configuration:
#   none       no module
#   monitor    cimon with its built-in rules, monitor mode
#   enforce    the same after `cimon mode enforce`
#   rules1000  the built-in rules' files plus 1000 rules that cannot match the
#              workloads but apply to the event types they produce
# then `cimon watch --json` and a raw reader each drain a flood of matching
# environ opens (flood on CPU 0, reader on CPU 1) with the default ring.
#
# Settings, from the environment or the kernel command line (make bench
# BENCH_ROUNDS=... passes bench.rounds=...):
#   ROUNDS / bench.rounds   rounds (default 9)
#   SCALE / bench.scale     iterations multiplier (default 1)
#   FLOOD / bench.flood     seconds of each flood (default 10)
#   SMOKE=1 / bench.smoke=1 one short round and 2 s floods: proves the suite
#                           runs, measures nothing
#
# Prints, for tests/bench/report.sh:
#   INFO key value...
#   ROUND round config workload ns/op n N events E late L dropped D
#         (E events written during the loop, L after it, D dropped)
#   DELIVERY reader R secs S opens N written W dropped D lost L
#            [events E lost_records R lost_sum S] (raw reader only)
#   MEM key value...
# and "BENCH-FAIL reason" (exit 1) when something did not work.

ko=/lib/cimon.ko
sysfs=/sys/class/misc/cimon
bench=/tests/bench
extra=/tmp/bench-extra.yaml
rig_modargs=$(cat /etc/cimon-modargs 2>/dev/null)

# shellcheck disable=SC2013 # words, not lines
for arg in $(cat /proc/cmdline); do
	case $arg in
	bench.rounds=*) ROUNDS=${arg#bench.rounds=} ;;
	bench.scale=*) SCALE=${arg#bench.scale=} ;;
	bench.flood=*) FLOOD=${arg#bench.flood=} ;;
	bench.smoke=1) SMOKE=1 ;;
	bench.clock=*) CLOCK=${arg#bench.clock=} ;;
	bench.rules=*) RULES=$(echo "${arg#bench.rules=}" | tr , " ") ;;
	esac
done
# The files of the built-in rule set (make bench passes the Makefile's
# DEFAULT_RULES); without them, every shipped file but the base macros.
if [ -n "${RULES:-}" ]; then
	default_rules=$(for f in $RULES; do printf '/rules/%s ' "$f"; done)
else
	default_rules=
	for f in /rules/*.yaml; do
		[ "$f" = /rules/base.yaml ] || default_rules="$default_rules$f "
	done
fi
ROUNDS=${ROUNDS:-9}
SCALE=${SCALE:-1}
FLOOD=${FLOOD:-10}
[ "${SMOKE:-}" = 1 ] && ROUNDS=1 FLOOD=2
# Iterations of a workload: at SCALE=1 about 0.3-1 s each under TCG; the
# smoke run does a hundredth.
iterations() { # workload
	case $1 in
	open) i=20000 ;;
	proc_stat | environ) i=10000 ;;
	stat) i=40000 ;;
	fork_exec | fork_exec_job) i=400 ;;
	esac
	if [ "${SMOKE:-}" = 1 ]; then echo $((i / 100)); else echo $((i * SCALE)); fi
}
configs="none monitor enforce rules1000"
workloads="open proc_stat environ stat fork_exec fork_exec_job"

fail() {
	echo "BENCH-FAIL $*"
	restore
	exit 1
}

# The module as the rig left it (check mode: default_rules=0).
restore() {
	rmmod cimon 2>/dev/null
	# shellcheck disable=SC2086
	insmod $ko $rig_modargs 2>/dev/null
}

unload() {
	rmmod cimon 2>/dev/null
	! grep -q '^cimon ' /proc/modules
}

config() { # name
	unload || fail "rmmod cimon failed (a reader left open?)"
	case $1 in
	none)
		settle
		return 0
		;;
	esac
	insmod $ko default_rules=1 || fail "insmod $ko default_rules=1"
	case $1 in
	monitor) ;;
	enforce)
		cimon mode enforce >/dev/null 2>&1 || fail "cimon mode enforce"
		cimon mode 2>&1 | grep -q enforce || fail "mode is not enforce: $(cimon mode 2>&1)"
		;;
	rules1000)
		# shellcheck disable=SC2086
		cimon rules load $default_rules "$extra" >/tmp/bench-load.log 2>&1 ||
			fail "cimon rules load: $(tail -n 3 /tmp/bench-load.log)"
		;;
	esac
	# What unloading or loading left to do (RCU callbacks, freeing the
	# last module's ring) must not be timed as the next configuration's.
	settle
}

# 1000 rules that cannot match what the workloads do (no process here has
# these names, paths or command lines) but whose event types are the ones
# the workloads produce (opens of another process's /proc files, execs), so
# the kernel must look at them unless something filters them out first.
gen_extra() {
	i=0
	while [ $i -lt 1000 ]; do
		case $((i % 4)) in
		0) c="proc.name = never-$i" ;;
		1) c="proc.exepath = /opt/never/$i/bin/tool" ;;
		2) c="proc.cmdline contains \"--never-$i\"" ;;
		3) c="proc.pname = never-$i" ;;
		esac
		printf -- '- rule: bench never %d\n  desc: cannot match the benchmark\n  condition: (open_read or spawned_process) and %s\n  output: never (proc.name=%%proc.name)\n  priority: DEBUG\n\n' $i "$c"
		i=$((i + 1))
	done
}

counter() { cat "$sysfs/$1" 2>/dev/null || echo 0; }

# Wait until the guest is idle again (at most 5 s): the module's report
# worker may still be busy with what the last workload queued, and that
# must not be timed as part of the next one.
settle() {
	t=0
	while [ $t -lt 50 ]; do
		# shellcheck disable=SC2046 # two numbers: idle and total ticks
		set -- $(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
		sleep 0.1
		# shellcheck disable=SC2046
		set -- "$@" $(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
		# idle for at least 90% of the last 100 ms, both CPUs together
		[ $((($3 - $1) * 10)) -ge $((($4 - $2) * 9)) ] && [ $(($4 - $2)) -gt 0 ] && return 0
		t=$((t + 1))
	done
}

kb() { # /proc/meminfo field, kB
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

kernel_kb() { echo $(($(kb Slab) + $(kb VmallocUsed))); }

# Process state letter (R, S, ...) of a pid.
pstate() { sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null; }

delivery() { # raw|watch
	reader=$1
	config monitor
	e0=$(counter events) d0=$(counter dropped) l0=$(counter lost)
	if [ "$reader" = raw ]; then
		$bench -c 1 drain $((FLOOD + 60)) >/tmp/bench-drain.out &
	else
		# busybox taskset (a hex mask: 2 is CPU 1) execs cimon: $! is it
		taskset 2 cimon watch --json >/dev/null 2>/tmp/bench-watch.err &
	fi
	rpid=$!
	t=0
	while [ "$(counter readers)" -lt 1 ]; do
		t=$((t + 1))
		[ $t -gt 100 ] && fail "the $reader reader did not open /dev/cimon"
		sleep 0.1
	done
	flood=$($bench -c 0 flood "$FLOOD") || fail "bench flood"
	# let the reader catch up: the raw reader exits once idle for 1 s;
	# watch is done when it has been sleeping (in read) for a while
	if [ "$reader" = raw ]; then
		wait $rpid || fail "the raw reader failed"
	else
		idle=0 t=0
		while [ $idle -lt 5 ] && [ $t -lt 100 ]; do
			if [ "$(pstate $rpid)" = S ]; then idle=$((idle + 1)); else idle=0; fi
			t=$((t + 1))
			sleep 0.2
		done
		kill $rpid
		wait $rpid 2>/dev/null
	fi
	line="DELIVERY reader $reader secs ${FLOOD} opens $(echo "$flood" | awk '{print $3}')"
	line="$line written $(($(counter events) - e0)) dropped $(($(counter dropped) - d0))"
	line="$line lost $(($(counter lost) - l0))"
	if [ "$reader" = raw ]; then
		line="$line $(awk '/^DRAIN records/ { print "events", $5, "lost_records", $7, "lost_sum", $9 }' /tmp/bench-drain.out)"
	fi
	echo "$line"
}

echo "INFO kernel $(uname -r) cpus $(nproc) rounds $ROUNDS scale $SCALE flood $FLOOD smoke ${SMOKE:-0}"
echo "INFO clock ${CLOCK:-wall}"
echo "INFO env $($bench envinfo)"
echo "INFO default_rules $default_rules"
[ -e /tests/bench_nop ] || fail "/tests/bench_nop is missing"
gen_extra >"$extra"
grep -c '^- rule:' "$extra" | sed 's/^/INFO extra_rules /'

# Memory: the module's own size, the ring, and what the kernel allocated
# for it (slab + vmalloc, so module text, ring, report pool, rules).
unload || fail "rmmod cimon failed"
m0=$(kernel_kb)
insmod $ko default_rules=1 || fail "insmod $ko"
m1=$(kernel_kb)
# shellcheck disable=SC2086
cimon rules load $default_rules "$extra" >/tmp/bench-load.log 2>&1 || fail "cimon rules load: $(tail -n 3 /tmp/bench-load.log)"
m2=$(kernel_kb)
echo "INFO rules_loaded $(cimon rules list 2>/dev/null | grep -c .) lines in cimon rules list"
echo "MEM coresize $(cat /sys/module/cimon/coresize) proc_modules $(awk '$1 == "cimon" { print $2 }' /proc/modules) ring_size $(counter ring_size) record $($bench recsize) load_kb $((m1 - m0)) rules1000_kb $((m2 - m1))"

# Does enforce mode deny yet?  The built-in block rule protects
# Runner.Worker: open its environ with the mode set.
config enforce
mkdir -p /tmp/actions-runner/bin
cp /tests/fake_runner /tmp/actions-runner/bin/Runner.Worker
/tmp/actions-runner/bin/Runner.Worker spawnclient 1 2 >/dev/null &
runner=$!
sleep 0.3
if cat /proc/$runner/environ >/dev/null 2>&1; then
	echo "INFO enforce_blocks no"
else
	echo "INFO enforce_blocks yes"
fi
kill $runner
wait $runner 2>/dev/null

r=0
while [ $r -lt "$ROUNDS" ]; do
	# rotate the order of the configurations from round to round
	k=0 order=
	for c in $configs $configs; do
		[ $k -ge $((r % 4)) ] && [ $k -lt $((r % 4 + 4)) ] && order="$order $c"
		k=$((k + 1))
	done
	for c in $order; do
		config "$c"
		for w in $workloads; do
			n=$(iterations "$w")
			# Untimed first, so that what is slow only the first
			# time after a module came or went (the emulator
			# translating changed kernel text again) is not timed:
			# without it, open ran 9% slower under "none" than
			# under a module that hooks nothing it does.
			$bench "$w" $((n / 10 + 1)) >/dev/null ||
				fail "bench $w warm-up under $c"
			settle
			e0=$(counter events) d0=$(counter dropped)
			out=$($bench "$w" "$n") || fail "bench $w $n under $c: $out"
			e1=$(counter events)
			settle
			# what the module's worker still wrote after the loop ended
			e2=$(counter events) d2=$(counter dropped)
			echo "ROUND $r $c $out n $n events $((e1 - e0)) late $((e2 - e1)) dropped $((d2 - d0))"
		done
	done
	r=$((r + 1))
done

if [ "$(nproc)" -ge 2 ]; then
	delivery raw
	delivery watch
else
	echo "INFO delivery skipped: one CPU (the flood and the reader need two)"
fi
restore
echo "BENCH-DONE"
