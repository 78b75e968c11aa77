#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the test rig need (Debian 12).
# Idempotent: asks dpkg first and only runs apt-get for what is missing
# ("apt-get update" once, then "apt-get install" of the missing ones).
#   tests/deps.sh            install what is missing (root)
#   tests/deps.sh --check    only report, exit 1 when something is missing
# Extra packages: DEPS_EXTRA="..."; CHECK_FLAVOURS="amd64 rt-amd64" adds the
# image and headers of each flavour.
set -euo pipefail

pkgs=(
	build-essential		# gcc, make, libc6-dev (module and userspace builds)
	gcc-multilib		# 32-bit guest test programs (ia32 system calls)
	perl			# checkpatch.pl
	linux-image-amd64	# the kernel the QEMU guest boots
	linux-headers-amd64	# Kbuild tree of that kernel
	linux-source		# kselftest_harness.h, checkpatch.pl
	qemu-system-x86		# the guest (TCG)
	busybox-static		# the guest's userland
	cpio gzip xz-utils	# initramfs, linux-source tarball
	kmod			# modinfo/modprobe on the host (VM_MODULES)
	sparse			# make sparse
	dkms			# make dkms-check
	libnl-3-dev libnl-genl-3-dev libyaml-dev pkg-config	# userspace
	clang libclang-rt-14-dev	# make fuzz: clang's libFuzzer
)
list=("${pkgs[@]}")
# shellcheck disable=SC2206
list+=(${DEPS_EXTRA:-})
# kernel flavours make check boots besides amd64 (CHECK_FLAVOURS)
for f in ${CHECK_FLAVOURS:-}; do
	[ "$f" = amd64 ] || list+=("linux-image-$f" "linux-headers-$f")
done

missing=()
for p in "${list[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#list[@]} packages installed"
	exit 0
fi
echo "deps: missing: ${missing[*]}"
[ "${1:-}" = --check ] && exit 1
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root (or: sudo $0) to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]} in $(( $(date +%s) - start ))s"
