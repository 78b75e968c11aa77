#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Turn the guest's RESULT lines (stdin) into bench/results.md: ns/op and
# the ratio to no module, per workload and configuration.
kver=$1
out=${2:-bench/results.md}
mkdir -p "$(dirname "$out")"
awk -v kver="$kver" -v date="$(date -u +%Y-%m-%d)" '
/^RESULT/ { v[$2 " " $3] = $4; if (!($3 in seen)) { seen[$3] = 1; order[n++] = $3 } }
/^MODULE/ { sub(/^MODULE /, ""); mem = $0 }
END {
	printf "# cimon benchmark\n\nKernel %s, 2 vCPUs (QEMU TCG), %s. Median ns/op of interleaved rounds,\n", kver, date
	printf "and the ratio to no module in the same boot. Configurations: none (no\n"
	printf "module), default (built-in rules, monitor), all (default_rules=0: every\n"
	printf "access reported), rules1000 (built-in + 1000 rules that cannot match).\n\n"
	printf "| workload | none ns/op | default | all | rules1000 |\n|---|---|---|---|---|\n"
	for (i = 0; i < n; i++) {
		w = order[i]; b = v["none " w]
		printf "| %s | %.0f", w, b
		split("default all rules1000", cs, " ")
		for (j = 1; j <= 3; j++)
			printf " | %.0f (%.2f)", v[cs[j] " " w], b ? v[cs[j] " " w] / b : 0
		printf " |\n"
	}
	printf "\nMemory: %s.\n", mem
}' >"$out"
cat "$out"
