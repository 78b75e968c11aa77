#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# embed.sh FILE SYMBOL: FILE as a C array SYMBOL[] and SYMBOL_len, on
# stdout (od and sed only: no xxd needed).
set -eu
printf '/* generated from %s by embed.sh; do not edit */\n' "$1"
printf 'const unsigned char %s[] = {\n' "$2"
od -An -v -tx1 "$1" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e '/^$/d'
printf '0x00\n};\n'
printf 'const unsigned int %s_len = sizeof(%s) - 1;\n' "$2" "$2"
