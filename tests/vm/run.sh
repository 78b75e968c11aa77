#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the cimon test guest (Debian's kernel under QEMU/TCG, our initramfs).
#
#   run.sh check              run every /tests/*_test and *_test.sh
#   run.sh demo               run /tests/demo.sh
#   run.sh script PATH        copy PATH's directory to /scripts, run PATH as root
#   run.sh shell              interactive shell (Ctrl-A x quits QEMU)
#
# Environment (all optional):
#   FLAVOUR=amd64|rt-amd64|cloud-amd64   kernel flavour (tests/vm/kernel.sh)
#   KVER=... VMLINUZ=...      boot this kernel instead of the picked one
#   VM_TIMEOUT=secs           whole run (default 1500 check, 900 otherwise)
#   TEST_TIMEOUT=secs         each guest test in check mode (default 300)
#   ONLY="feed_test x_test.sh"  check mode: run only these guest tests
#   VM_MEM=1024 VM_SMP=2      guest size
#   VM_APPEND="..."           extra kernel command line
#   VM_QEMU_ARGS="..."        extra QEMU options, e.g. with VM_SMP=1,
#                             "-icount shift=2,sleep=on": the guest's clock
#                             counts instructions (4 ns each), so timings
#                             repeat to 0.1% from run to run (TCG's wall
#                             clock: 10-20%); with two vCPUs the boot
#                             stalls in delay-loop calibration
#   VM_NAME=name              log file build/vm/<name>.log (default: the mode)
#   VM_VERBOSE=1              also stream the dmesg dump
#   VM_NOBUILD=1              reuse build/vm/base.cpio.gz and <name>.project.cpio.gz
#   plus the variables of mkinitramfs.sh (KO, TOOLS, MODARGS, VM_MODULES, ...)
#
# Fails (non-zero) on: a failed test / non-zero script status, no CIMON-EXIT
# marker (hang, panic, crash: QEMU runs under timeout), or any BUG/WARNING/
# Oops/lockdep/... line in the guest kernel log (tests/vm/scan.sh).
# check mode writes build/vm/<name>.result: "passed=P failed=F skipped=S".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
out=build/vm

mode=${1:-}
case $mode in
check | demo | shell) ;;
script)
	[ $# -ge 2 ] || { echo "usage: $0 script PATH" >&2; exit 2; }
	script=$2
	[ -f "$script" ] || { echo "vm: no such script: $script" >&2; exit 2; }
	;;
*) echo "usage: $0 check|demo|shell|script PATH" >&2; exit 2 ;;
esac
name=${VM_NAME:-$mode}
# The guest tests start from the module without its built-in rules (every
# access reported); the tests that need the built-in set load it.
[ "$mode" = check ] && export MODARGS="${MODARGS-default_rules=0}"

if [ -z "${VMLINUZ:-}" ]; then
	eval "$("$here/kernel.sh" "${FLAVOUR:-amd64}")"
fi
[ -r "$VMLINUZ" ] || { echo "vm: cannot read $VMLINUZ (run as root?)" >&2; exit 2; }
export KVER

mkdir -p "$out"
if [ -z "${VM_NOBUILD:-}" ]; then
	"$here/mkinitramfs.sh" base "$out/base.cpio.gz"
	"$here/mkinitramfs.sh" project "$out/$name.project.cpio.gz"
fi
layers=("$out/base.cpio.gz" "$out/$name.project.cpio.gz")
append="console=ttyS0 quiet panic=-1 rig.mode=$mode"
if [ "$mode" = script ]; then
	"$here/mkinitramfs.sh" scripts "$(dirname "$script")" "$out/$name.scripts.cpio.gz"
	layers+=("$out/$name.scripts.cpio.gz")
	append+=" rig.script=$(basename "$script")"
fi
[ -n "${ONLY:-}" ] && append+=" rig.only=$(echo "$ONLY" | tr " " ,)"
append+=" rig.timeout=${TEST_TIMEOUT:-300} ${VM_APPEND:-}"
initrd=$out/$name.initrd.gz
cat "${layers[@]}" >"$initrd"

bios=()
# qboot (qemu-system-data) starts faster than SeaBIOS and prints nothing
[ -e /usr/share/qemu/qboot.rom ] && bios=(-bios qboot.rom)
# One host thread for all vCPUs (VM_TCG_THREAD=multi for MTTCG): under
# multi-threaded TCG, a module hooking a function another vCPU is busy
# calling (ftrace live-patching the call site) sometimes jumps to 0, even
# an empty kprobe module that does nothing else; with thread=single it has
# not been seen.  The vCPUs still interleave and preempt each other.
qemu=(qemu-system-x86_64 "${bios[@]}" -machine pc -accel "tcg,thread=${VM_TCG_THREAD:-single}"
	-cpu max -m "${VM_MEM:-1024}" -smp "${VM_SMP:-2}"
	-nographic -no-reboot -nic none
	-kernel "$VMLINUZ" -initrd "$initrd" -append "$append")
# shellcheck disable=SC2206 # words: extra QEMU options
[ -n "${VM_QEMU_ARGS:-}" ] && qemu+=($VM_QEMU_ARGS)

if [ "$mode" = shell ]; then
	exec "${qemu[@]}"
fi

if [ "$mode" = check ]; then
	tmo=${VM_TIMEOUT:-1500}
else
	tmo=${VM_TIMEOUT:-900}
fi
log=$out/$name.log
echo "vm: booting $KVER ($mode), log $log, timeout ${tmo}s"
start=$(date +%s)
set +e
# stdin from /dev/null: nothing types into the guest; -k: QEMU gets KILL if
# TERM did not end it.  The filter hides the dmesg dump (it is in the log).
timeout -k 10 "$tmo" "${qemu[@]}" </dev/null 2>&1 | tee "$log" |
	tr -d '\r' | sed -u 's/\x1b[[?0-9;]*[a-zA-Z]//g; s/\x1bc//g' | awk -v verbose="${VM_VERBOSE:-}" '
	/^CIMON-DMESG-BEGIN$/ && !verbose { hide = 1; next }
	/^CIMON-DMESG-END$/ && hide { hide = 0; next }
	/^\[ *[0-9.]+\] reboot: Power down$/ && !verbose { next }
	!hide { print; fflush() }'
qrc=${PIPESTATUS[0]}
set -e
secs=$(( $(date +%s) - start ))

fail=0
status=$(tr -d '\r' <"$log" | sed -n 's/^CIMON-EXIT \([0-9]*\)$/\1/p' | tail -n1)
if [ -z "$status" ]; then
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "vm: FAIL: the guest did not finish within ${tmo}s (hang); see $log"
	else
		echo "vm: FAIL: the guest ended without an exit marker (panic or crash, qemu status $qrc); see $log"
	fi
	echo "vm: last console lines:"
	tr -d "\r" <"$log" | sed "s/\x1b[[?0-9;]*[a-zA-Z]//g; s/\x1bc//g" | tail -n 25 | sed 's/^/vm:   /'
	fail=1
	status=1
elif [ "$status" != 0 ]; then
	echo "vm: FAIL: the guest exited with status $status"
	fail=1
fi
"$here/scan.sh" "$log" || fail=1

if [ "$mode" = check ]; then
	# TAP from every test program; a program that failed without a
	# "not ok" line (crash, timeout) counts as one failure, one that
	# passed without printing TAP as one pass.
	tr -d '\r' <"$log" | awk -v out="$out/$name.result" '
		/^CIMON-TEST-BEGIN / { t = $2; intest = 1; tok = 0; tnok = 0; next }
		/^CIMON-TEST-END / {
			rc = $3; intest = 0
			if (rc != 0 && tnok == 0) { failed++; tnok = 1;
				bad[++nbad] = t " (exit status " rc ", no \"not ok\" line)" }
			if (rc == 0 && tok == 0 && tnok == 0) passed++
			next
		}
		intest && /^[ \t]*not ok [0-9]+/ {
			if ($0 ~ /# *(TODO|SKIP)/) { skipped++; next }
			failed++; tnok++; bad[++nbad] = t ": " $0; next }
		intest && /^[ \t]*ok [0-9]+/ {
			tok++
			if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) skipped++; else passed++
			next }
		END {
			if (intest) { failed++; bad[++nbad] = t " (did not finish)" }
			printf "passed=%d failed=%d skipped=%d\n", passed, failed, skipped > out
			for (i = 1; i <= nbad; i++) print "vm: not ok: " bad[i]
			printf "vm: guest tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped
		}'
fi

echo "vm: $name finished in ${secs}s"
if [ "$fail" != 0 ]; then
	# keep the script's own status when it failed; 1 for everything else
	case $status in
	[1-9] | [1-9][0-9] | 1[01][0-9] | 12[0-5]) exit "$status" ;;
	esac
	exit 1
fi
exit 0
