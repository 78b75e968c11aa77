#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every stage, in order, continuing after failures so that the
# summary is complete.  Each stage counts as one pass or one failure, except
# the unit and guest-test stages, which count their TAP results ("ok N" /
# "not ok N" lines of the kselftest harness and of the shell tests).  Ends
# with the line "N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
logs=build/check
# Kernels the guest tests boot (tests/deps.sh installs them).  rt-amd64 is
# there for its sleeping spinlocks, which catch what amd64 does not.
export CHECK_FLAVOURS=${CHECK_FLAVOURS:-amd64 rt-amd64}
make=(make --no-print-directory)

passed=0 failed=0 skipped=0
summary=()
t0=$(date +%s)

stage() { # name, command...
	local name=$1 rc s
	shift
	mkdir -p "$logs"
	echo
	echo "=== $name: $*"
	s=$(date +%s)
	"$@" 2>&1 | tee "$logs/$name.log"
	rc=${PIPESTATUS[0]}
	s=$(( $(date +%s) - s ))
	if [ "$rc" = 0 ]; then
		summary+=("$(printf 'PASS  %-16s %4ss' "$name" "$s")")
	else
		summary+=("$(printf 'FAIL  %-16s %4ss  (exit %s, log %s)' "$name" "$s" "$rc" "$logs/$name.log")")
	fi
	return "$rc"
}

count_stage() { # name rc   (a stage that is one result)
	if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

count_tap() { # name rc   (a stage whose log holds TAP lines)
	local p f s
	read -r p f s < <(tr -d '\r' <"$logs/$1.log" | awk '
		/^[ \t]*not ok [0-9]+/ { if ($0 ~ /# *(SKIP|TODO)/) s++; else f++; next }
		/^[ \t]*ok [0-9]+/ { if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++ }
		END { print p + 0, f + 0, s + 0 }')
	passed=$((passed + p)); skipped=$((skipped + s))
	# a failed stage with no "not ok" (build error, crash) is one failure
	if [ "$2" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	failed=$((failed + f))
	summary[-1]+="  [$p passed, $f failed, $s skipped]"
}

# 1. Debian packages (a fresh machine gets them here)
stage deps tests/deps.sh; count_stage deps $?
# 2. files from linux-source: kselftest harness, checkpatch
stage linux-source tests/linux-source.sh; count_stage linux-source $?

# The guest boots this kernel: build against its headers.
kdir=$(tests/vm/kernel.sh 2>/dev/null | sed -n 's/^KDIR=//p')

# 3. builds (the module from scratch, so every warning shows)
"${make[@]}" module-clean KDIR="$kdir" >/dev/null 2>&1
stage module "${make[@]}" module KDIR="$kdir"; count_stage module $?
stage userspace "${make[@]}" userspace; count_stage userspace $?
stage guest-tests "${make[@]}" guest-tests; count_stage guest-tests $?
# 4. static checks
stage style "${make[@]}" style; count_stage style $?
stage sparse "${make[@]}" sparse KDIR="$kdir"; count_stage sparse $?
# 5. host unit tests (TAP)
stage unit "${make[@]}" unit; count_tap unit $?
# 5b. the rule compiler under libFuzzer, for FUZZ_SECONDS (default 20)
stage fuzz "${make[@]}" fuzz; count_stage fuzz $?
stage default-rules "${make[@]}" default-rules-check; count_stage default-rules $?
# 6. DKMS install for the guest kernel, refusal without KRETPROBES
stage dkms "${make[@]}" dkms-check; count_stage dkms $?
# 7. guest tests under QEMU, for each flavour in CHECK_FLAVOURS (e.g.
#    CHECK_FLAVOURS="amd64 rt-amd64 cloud-amd64").  TAP counts
#    come from build/vm/<name>.result.
vm_stage() { # flavour
	local f=$1 name=vm rc res vp vf vs fkdir
	if [ "$f" != amd64 ]; then
		name=vm-$f
		fkdir=$(tests/vm/kernel.sh "$f" 2>/dev/null | sed -n 's/^KDIR=//p')
		# the module must match the kernel that boots
		"${make[@]}" module-clean KDIR="$fkdir" >/dev/null 2>&1
		stage "module-$f" "${make[@]}" module KDIR="$fkdir"
		count_stage "module-$f" $?
	fi
	rm -f "build/vm/$name.result"
	stage "$name" env FLAVOUR="$f" VM_NAME="$name" tests/vm/run.sh check
	rc=$?
	res=$(cat "build/vm/$name.result" 2>/dev/null || true)
	vp=$(sed -n 's/.*passed=\([0-9]*\).*/\1/p' <<<"$res")
	vf=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$res")
	vs=$(sed -n 's/.*skipped=\([0-9]*\).*/\1/p' <<<"$res")
	vp=${vp:-0} vf=${vf:-0} vs=${vs:-0}
	# a failed run without a failed test (hang, crash, kernel WARNING,
	# insmod failure) is one failure
	if [ "$rc" != 0 ] && [ "$vf" = 0 ]; then vf=1; fi
	passed=$((passed + vp)) failed=$((failed + vf)) skipped=$((skipped + vs))
	summary[-1]+="  [$vp passed, $vf failed, $vs skipped]"
}
for f in $CHECK_FLAVOURS; do
	vm_stage "$f"
done
# 8. the report of make bench, from the smoke run of the suite in the first
#    guest stage (bench_test.sh): what the guest prints must still make a
#    table (timings are never asserted)
first=${CHECK_FLAVOURS%% *}
bench_log=build/vm/vm.log
[ "$first" = amd64 ] || bench_log=build/vm/vm-$first.log
stage bench-report tests/bench/report.sh "$logs/bench-smoke.md" \
	"$logs/bench-smoke.png" <"$bench_log"
count_stage bench-report $?

echo
echo "=== summary ($(( $(date +%s) - t0 ))s)"
printf '%s\n' "${summary[@]}"
[ "$skipped" != 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
