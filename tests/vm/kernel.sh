#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pick the Debian kernel the QEMU guest boots and the headers to build against.
#
# usage: tests/vm/kernel.sh [FLAVOUR]      (default: $CIMON_FLAVOUR or amd64)
# Prints shell/make-compatible assignments:
#   KVER=6.1.0-NN-amd64
#   KDIR=/lib/modules/6.1.0-NN-amd64/build
#   VMLINUZ=/boot/vmlinuz-6.1.0-NN-amd64
# The newest /boot/vmlinuz-*-FLAVOUR with a matching /lib/modules/<ver>/build
# wins.  Exits 1 (with a message on stderr) when none is installed.
set -euo pipefail

flavour=${1:-${CIMON_FLAVOUR:-amd64}}
best=
for img in /boot/vmlinuz-*-"$flavour"; do
	[ -e "$img" ] || continue
	ver=${img#/boot/vmlinuz-}
	# "amd64" must not match "rt-amd64" / "cloud-amd64": the part before
	# the flavour has to end in the ABI number (6.1.0-NN).
	abi=${ver%-"$flavour"}
	case $abi in
	*[!0-9.-]*) continue ;;
	esac
	[ -e "/lib/modules/$ver/build/Makefile" ] || continue
	best=$(printf '%s\n%s\n' "$best" "$ver" | sed '/^$/d' | sort -V | tail -n1)
done

if [ -z "$best" ]; then
	echo "kernel.sh: no /boot/vmlinuz-*-$flavour with headers in /lib/modules/<ver>/build;" \
	     "install linux-image-$flavour and linux-headers-$flavour (tests/deps.sh)" >&2
	exit 1
fi
echo "KVER=$best"
echo "KDIR=/lib/modules/$best/build"
echo "VMLINUZ=/boot/vmlinuz-$best"
