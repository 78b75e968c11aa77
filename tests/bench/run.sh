#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside the guest (make bench boots it): each workload
# with no module, with cimon and its built-in rules (monitor), with cimon
# reporting every access (default_rules=0), and with the built-in rules
# plus 1000 rules that cannot match; rounds interleaved, medians printed
# as "RESULT config workload ns/op".
ROUNDS=${ROUNDS:-5}
SCALE=${SCALE:-1}

ko=/lib/cimon.ko
rules=/tmp/extra.yaml
{
	cat /rules/falco_seed.yaml /rules/memory_access.yaml
	i=0
	while [ $i -lt 1000 ]; do
		printf -- '- rule: never %d\n  desc: x\n  condition: open_read and proc.name = "never-%d"\n  output: x\n  priority: DEBUG\n\n' $i $i
		i=$((i + 1))
	done
} >$rules

config() { # name
	rmmod cimon 2>/dev/null
	case $1 in
	none) ;;
	default) insmod $ko ;;
	all) insmod $ko default_rules=0 ;;
	rules1000) insmod $ko && cimon rules load "$rules" >/dev/null ;;
	esac
}

workloads="open:$((20000 * SCALE)) proc_stat:$((20000 * SCALE)) environ:$((20000 * SCALE)) stat:$((40000 * SCALE)) fork_exec:$((300 * SCALE))"
: >/tmp/raw
r=0
while [ $r -lt "$ROUNDS" ]; do
	for c in none default all rules1000; do
		config $c
		for w in $workloads; do
			echo "$c $(/tests/bench "${w%%:*}" "${w##*:}")" >>/tmp/raw
		done
	done
	r=$((r + 1))
done
config default

for c in none default all rules1000; do
	for w in $workloads; do
		w=${w%%:*}
		grep "^$c $w " /tmp/raw | awk '{print $3}' | sort -n |
			awk -v c=$c -v w=$w '{v[NR]=$1} END {print "RESULT", c, w, v[int((NR+1)/2)]}'
	done
done
echo "MODULE $(wc -c <$ko) bytes; ring $(cat /sys/class/misc/cimon/ring_size) x 1504 bytes"
