#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Scan a guest console log for kernel trouble.  Looks only at kernel lines:
# the dmesg dump between CIMON-DMESG-BEGIN/END and console lines carrying a
# printk timestamp ("[   1.234567] ..."), so test output that merely
# mentions "WARNING:" is not mistaken for the kernel's.
# usage: scan.sh LOG     exit 0 clean, 1 when something was found (printed)
set -euo pipefail
log=$1
pattern='BUG:|WARNING:|Oops|general protection|lockdep|possible recursive locking|KASAN|UBSAN|scheduling while atomic|sleeping function called from invalid context|Call Trace|RCU stall|rcu_.*detected stall|hung_task|INFO: task .* blocked|[Kk]ernel panic'
hits=$(tr -d '\r' <"$log" | awk '
	/^CIMON-DMESG-BEGIN$/ { in_dmesg = 1; next }
	/^CIMON-DMESG-END$/ { in_dmesg = 0; next }
	in_dmesg || /^<[0-9]>/ || /^\[ *[0-9]+\.[0-9]+\]/ { print }' |
	# a line printed on the console is in the dmesg dump again: once is enough
	awk '!seen[$0]++' |
	grep -E -A 6 -- "$pattern" || true)
if [ -n "$hits" ]; then
	echo "vm: FAIL: the guest kernel log has errors ($log):"
	printf '%s\n' "$hits" | head -n 80 | sed 's/^/vm:   /'
	exit 1
fi
exit 0
