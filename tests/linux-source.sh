#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Take the few files the build needs from Debian's linux-source tarball
# (/usr/src/linux-source-*.tar.xz) into build/linux-source/, keeping their
# paths: the kselftest harness and checkpatch.pl with its data files.
# Runs once: a stamp records the tarball and the file list.
#   tests/linux-source.sh [DEST]      (default DEST: build/linux-source)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/linux-source}

files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	Documentation/dev-tools/checkpatch.rst
)

tarball=$(ls -1 /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$tarball" ]; then
	echo "linux-source: no /usr/src/linux-source-*.tar.xz; install linux-source (tests/deps.sh)" >&2
	exit 1
fi

stamp=$dest/.stamp
want="$tarball $(stat -c %Y "$tarball") ${files[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi

top=$(tar -tJf "$tarball" 2>/dev/null | head -n1 || true)
top=${top%%/*}
[ -n "$top" ] || { echo "linux-source: cannot list $tarball" >&2; exit 1; }

echo "linux-source: extracting ${#files[@]} files from $tarball"
rm -rf "$dest"
mkdir -p "$dest"
tar -xJf "$tarball" -C "$dest" --strip-components=1 "${files[@]/#/$top/}"
for f in "${files[@]}"; do
	[ -f "$dest/$f" ] || { echo "linux-source: $f missing from $tarball" >&2; exit 1; }
done
chmod +x "$dest/scripts/checkpatch.pl"
echo "$want" >"$stamp"
