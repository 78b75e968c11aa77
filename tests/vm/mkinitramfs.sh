#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the layers of the guest initramfs (cpio newc + gzip).  The kernel
# unpacks concatenated archives in order, so the guest's initrd is
#   base.cpio.gz + project.cpio.gz [+ scripts.cpio.gz]
#
#   mkinitramfs.sh base OUT            busybox + applet links + /init
#                                      (rebuilt only when its inputs change)
#   mkinitramfs.sh project OUT         cimon.ko, tools + shared libraries,
#                                      guest tests, optional Debian modules
#   mkinitramfs.sh scripts DIR OUT     DIR's contents under /scripts
#
# project takes its inputs from the environment (paths relative to the repo):
#   KO=cimon.ko  TOOLS="build/cimon"  GUEST_BIN=build/guest
#   GUEST_SRC=tests/guest  MODARGS="..." (insmod parameters)
#   VM_MODULES="veth ..." (Debian modules, loaded before cimon; needs KVER)
#   EXTRA_BINS="/usr/bin/strace ..." (host programs copied with their libraries)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

die() { echo "mkinitramfs: $*" >&2; exit 1; }

pack() { # staging-dir out
	local tmp="$2.tmp.$$"
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -6 -n >"$tmp"
	mv -f "$tmp" "$2"
}

# copy a host ELF program and the libraries ldd lists, keeping their paths
copy_with_libs() { # src dest-in-stage stage
	local src=$1 dst=$2 stage=$3 lib
	install -D -m 0755 "$src" "$stage$dst"
	# ldd fails for scripts and static programs: nothing to copy then
	{ ldd "$src" 2>/dev/null || true; } | awk '
		$2 == "=>" && $3 ~ /^\// { print $3; next }
		$1 ~ /^\// { print $1 }' | while read -r lib; do
		[ -e "$stage$lib" ] && continue
		install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
	done
}

build_base() {
	local out=$1 bb stage
	bb=$(command -v busybox) || bb=/bin/busybox
	[ -x "$bb" ] || die "busybox not found (apt-get install busybox-static)"
	# a dynamically linked busybox would need its libraries: insist on static
	if ldd "$bb" >/dev/null 2>&1; then
		die "$bb is dynamically linked; install busybox-static"
	fi
	if [ -e "$out" ] && [ "$out" -nt "$here/init" ] && [ "$out" -nt "$bb" ] &&
	   [ "$out" -nt "$here/mkinitramfs.sh" ]; then
		return 0
	fi
	stage=$(mktemp -d "$(dirname "$out")/.stage.XXXXXX")
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,root,tests,scripts,mnt,var/log}
	chmod 1777 "$stage/tmp"
	install -m 0755 "$bb" "$stage/bin/busybox"
	"$bb" --list-full | while read -r applet; do
		[ "$applet" = bin/busybox ] && continue
		mkdir -p "$stage/$(dirname "$applet")"
		ln -sf /bin/busybox "$stage/$applet"
	done
	install -m 0755 "$here/init" "$stage/init"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$stage/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
	echo cimon-guest >"$stage/etc/hostname"
	printf 'export PS1="cimon-guest:\\w# "\n' >"$stage/etc/profile"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 600 "$stage/dev/console" c 5 1
		mknod -m 666 "$stage/dev/null" c 1 3
	fi
	pack "$stage" "$out"
	rm -rf "$stage"
	echo "mkinitramfs: $out (base)"
}

build_project() {
	local out=$1 stage ko=${KO:-cimon.ko} t f n=0
	stage=$(mktemp -d "$(dirname "$out")/.stage.XXXXXX")
	mkdir -p "$stage"/{lib,etc,tests,usr/bin}
	[ -f "$ko" ] || die "$ko not built (make module)"
	install -m 0644 "$ko" "$stage/lib/cimon.ko"
	printf '%s\n' "${MODARGS:-}" >"$stage/etc/cimon-modargs"
	for t in ${TOOLS:-build/cimon}; do
		if [ -f "$t" ]; then
			copy_with_libs "$t" "/usr/bin/$(basename "$t")" "$stage"
		else
			echo "mkinitramfs: note: tool $t not built, not in the guest" >&2
		fi
	done
	for t in ${EXTRA_BINS:-}; do
		f=$(command -v "$t") || die "EXTRA_BINS: $t not found"
		copy_with_libs "$f" "/usr/bin/$(basename "$f")" "$stage"
	done
	if [ -d "${GUEST_BIN:-build/guest}" ]; then
		for f in "${GUEST_BIN:-build/guest}"/*; do
			[ -f "$f" ] || continue
			case $f in *.o | *.d | *.a) continue ;; esac
			if [ -x "$f" ]; then
				copy_with_libs "$f" "/tests/$(basename "$f")" "$stage"
			else
				install -m 0644 "$f" "$stage/tests/$(basename "$f")"
			fi
			n=$((n + 1))
		done
	fi
	for f in "${GUEST_SRC:-tests/guest}"/*.sh; do
		[ -f "$f" ] || continue
		install -m 0755 "$f" "$stage/tests/$(basename "$f")"
		n=$((n + 1))
	done
	# the shipped rule files, for tests that load them: /rules/*.yaml
	mkdir -p "$stage/rules"
	for f in "${RULES_SRC:-rules}"/*.yaml; do
		[ -f "$f" ] && install -m 0644 "$f" "$stage/rules/$(basename "$f")"
	done
	if [ -n "${VM_MODULES:-}" ]; then
		[ -n "${KVER:-}" ] || die "VM_MODULES needs KVER"
		for m in $VM_MODULES; do
			modprobe -S "$KVER" --show-depends "$m" ||
				die "VM_MODULES: no module $m for $KVER"
		done | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' |
		while read -r f; do
			install -D -m 0644 "$f" "$stage$f"
			echo "$f" >>"$stage/etc/rig-modules"
		done
	fi
	pack "$stage" "$out"
	rm -rf "$stage"
	echo "mkinitramfs: $out (cimon.ko, tools, $n test files)"
}

build_scripts() {
	local dir=$1 out=$2 stage
	[ -d "$dir" ] || die "$dir is not a directory"
	stage=$(mktemp -d "$(dirname "$out")/.stage.XXXXXX")
	mkdir -p "$stage/scripts"
	cp -a "$dir"/. "$stage/scripts/"
	pack "$stage" "$out"
	rm -rf "$stage"
}

[ $# -ge 2 ] || die "usage: $0 base OUT | project OUT | scripts DIR OUT"
case $1 in
base) mkdir -p "$(dirname "$2")"; build_base "$2" ;;
project) mkdir -p "$(dirname "$2")"; build_project "$2" ;;
scripts) [ $# -eq 3 ] || die "usage: $0 scripts DIR OUT"
	mkdir -p "$(dirname "$3")"; build_scripts "$2" "$3" ;;
*) die "unknown layer $1" ;;
esac
