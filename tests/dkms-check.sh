#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make dkms-check`: the DKMS path a runner-host owner takes, for real.
#  1. copy the module source to /usr/src/cimon-$VERSION, dkms add, build and
#     install for $KVER (the guest kernel's headers), check the installed
#     module's vermagic, then dkms remove;
#  2. against a copy of the same headers whose .config lacks CONFIG_KPROBES
#     and CONFIG_KRETPROBES, dkms build must refuse, saying why.
# Needs root (it writes /usr/src, /var/lib/dkms, /lib/modules/$KVER/updates).
# Env: KVER (default: tests/vm/kernel.sh), VERSION (default: dkms.conf's),
#      DKMS_CONF (test another dkms.conf instead of ./dkms.conf).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
conf=${DKMS_CONF:-$root/dkms.conf}
name=cimon

fail() { echo "dkms-check: FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root"
command -v dkms >/dev/null || fail "dkms is not installed (make deps)"
[ -f "$conf" ] || fail "no dkms.conf ($conf)"
if [ -z "${KVER:-}" ]; then
	eval "$(tests/vm/kernel.sh)"
fi
kdir=/lib/modules/$KVER/build
[ -e "$kdir/Makefile" ] || fail "no headers for $KVER ($kdir)"
ver=${VERSION:-$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}.*/\1/p' "$conf" | head -n1)}
[ -n "$ver" ] || fail "no PACKAGE_VERSION in $conf"
src=/usr/src/$name-$ver
work=$(mktemp -d /tmp/cimon-dkms.XXXXXX)

cleanup() {
	dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src" "$work"
}
trap cleanup EXIT
cleanup_quiet() { dkms remove "$name/$ver" --all >/dev/null 2>&1 || true; }

echo "dkms-check: $name/$ver for $KVER"
cleanup_quiet
rm -rf "$src"
mkdir -p "$src"
# the module's sources only, without build products
tar -C "$root" -c --exclude='*.o' --exclude='.*.cmd' --exclude='*.ko' \
	--exclude='*.mod' --exclude='*.mod.c' --exclude='modules.order' \
	--exclude='Module.symvers' \
	Kbuild Makefile kmod include $(cd "$root" && ls -d LICENSE* COPYING* 2>/dev/null) |
	tar -C "$src" -x
cp "$conf" "$src/dkms.conf"

dkms add "$name/$ver"
dkms build "$name/$ver" -k "$KVER" || fail "dkms build for $KVER"
dkms install "$name/$ver" -k "$KVER" --force || fail "dkms install for $KVER"
ko=$(find "/lib/modules/$KVER/updates" "/lib/modules/$KVER/extra" -name "$name.ko*" 2>/dev/null | head -n1 || true)
[ -n "$ko" ] || fail "dkms install put no $name.ko under /lib/modules/$KVER"
vermagic=$(modinfo -F vermagic "$ko")
case $vermagic in
"$KVER "*) echo "dkms-check: installed $ko (vermagic $vermagic)" ;;
*) fail "$ko has vermagic '$vermagic', not $KVER" ;;
esac
dkms status "$name/$ver"
# and it loads: boot the guest with the module DKMS installed
mkdir -p "$work/boot"
printf '#!/bin/sh\nset -e\ngrep "^cimon " /proc/modules\ntest -c /dev/cimon\nrmmod cimon\necho "dkms-check: the DKMS-built module loads and unloads"\n' >"$work/boot/dkms-load.sh"
KO=$ko VM_NAME=dkms VM_TIMEOUT=300 VMLINUZ=/boot/vmlinuz-$KVER KVER=$KVER \
	tests/vm/run.sh script "$work/boot/dkms-load.sh" || fail "the DKMS-built module did not load in the guest"
dkms remove "$name/$ver" --all || fail "dkms remove"
[ ! -e "$ko" ] || fail "dkms remove left $ko behind"
echo "dkms-check: add/build/install/remove OK"

# A kernel without kretprobes: the real headers, but a .config without
# CONFIG_KPROBES / CONFIG_KRETPROBES (and what depends on them).
fake=$work/headers-nokprobes
mkdir -p "$fake"
real=$(readlink -f "$kdir")
for f in "$real"/* "$real"/.[!.]*; do
	[ -e "$f" ] || continue
	case ${f##*/} in .config) continue ;; esac
	ln -s "$f" "$fake/${f##*/}"
done
grep -vE '^CONFIG_(KPROBES|KRETPROBES|OPTPROBES|KPROBES_ON_FTRACE|KPROBE_EVENTS)=' \
	"$real/.config" >"$fake/.config"
printf '# CONFIG_KPROBES is not set\n' >>"$fake/.config"
grep -q '^CONFIG_KRETPROBES=y' "$fake/.config" && fail "could not make the fake .config"

dkms add "$name/$ver" >/dev/null
set +e
out=$(dkms build "$name/$ver" -k "$KVER" --kernelsourcedir "$fake" 2>&1)
rc=$?
set -e
printf '%s\n' "$out" | sed 's/^/dkms-check:   /'
[ "$rc" != 0 ] || fail "dkms build succeeded against a kernel without CONFIG_KRETPROBES"
if ! printf '%s\n' "$out" | grep -qE 'BUILD_EXCLUSIVE|KRETPROBES|KPROBES'; then
	fail "dkms refused (exit $rc) but without naming the reason"
fi
ls "/var/lib/dkms/$name/$ver/$KVER"/*/module/$name.ko* >/dev/null 2>&1 &&
	fail "a module was built for the kernel without kretprobes"
echo "dkms-check: refused a kernel without CONFIG_KRETPROBES (exit $rc), as it should"
echo "dkms-check: OK"
