#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn the guest's benchmark lines (stdin: the console log of
# tests/guest/bench_suite.sh) into a Markdown report and a plot:
#
#   tests/bench/report.sh [OUT.md [OUT.png]] <log
#
# Defaults: bench/results.md and bench/results.png.  The report holds the
# median ns/op of each workload under each configuration and its ratio to
# no module in the same boot, the event-delivery figures, the module's
# memory, the kernel, CPU count and date; it is also printed.  The plot
# (ratio per workload and configuration) needs gnuplot (gnuplot-nox);
# without it, only the plot is skipped.  Never asserts a timing.
set -euo pipefail

out=${1:-bench/results.md}
png=${2:-${out%.md}.png}
mkdir -p "$(dirname "$out")" "$(dirname "$png")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tr -d '\r' | sed 's/\x1b[[?0-9;]*[a-zA-Z]//g; s/^# //' |
	grep -E '^(INFO|ROUND|DELIVERY|MEM|BENCH-FAIL) ' >"$tmp/lines" || true
if ! grep -q '^ROUND ' "$tmp/lines"; then
	echo "report: no ROUND lines in the input (did the guest run fail?)" >&2
	grep '^BENCH-FAIL' "$tmp/lines" >&2 || true
	exit 1
fi

host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
host_cpus=$(nproc 2>/dev/null || echo '?')

awk -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v host_cpu="${host_cpu:-unknown}" \
	-v host_cpus="$host_cpus" -v dat="$tmp/ratios.dat" '
function median(key,    n, i, j, t, a) {
	n = cnt[key]
	for (i = 1; i <= n; i++) a[i] = val[key, i]
	for (i = 2; i <= n; i++) {	# insertion sort: a handful of values
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	lo[key] = a[1]; hi[key] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function target(w, c) {	# the issue'"'"'s targets, by workload and configuration
	if (w == "open" || w == "fork_exec")
		return c == "rules1000" ? 1.05 : 1.03
	return 0
}
$1 == "INFO" { if ($2 == "clock") clock = $3
	if ($2 == "kernel") { kernel = $3; cpus = $5; rounds = $7; flood = $11; smoke = $13 }
	if ($2 == "env") envinfo = $4 " variables, " $6 " bytes"
	if ($2 == "extra_rules") extra = $3
	if ($2 == "default_rules") for (i = 3; i <= NF; i++) {
		fn = $i; sub(/.*\//, "", fn); defrules = defrules (defrules ? ", " : "") "`" fn "`" }
	if ($2 == "enforce_blocks") blocks = $3 }
function median_of(a, n,    i, j, t) {	# sorts a[1..n]
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$1 == "ROUND" { key = $3 " " $4
	if (!($4 in wseen)) { wseen[$4] = 1; worder[nw++] = $4 }
	val[key, ++cnt[key]] = $5
	byround[$2, key] = $5; if ($2 + 1 > nrounds) nrounds = $2 + 1
	for (i = 6; i < NF; i += 2) f[$i] = $(i + 1)
	if (f["n"]) { ops[key] += f["n"]; written[key] += f["events"] + f["late"]
		late[key] += f["late"]; drops[key] += f["dropped"] } }
$1 == "DELIVERY" { r = $3; dl[r] = $0
	for (i = 4; i < NF; i += 2) d[r, $i] = $(i + 1)
	if (!(r in rseen)) { rseen[r] = 1; rorder[nr++] = r } }
$1 == "MEM" { for (i = 2; i < NF; i += 2) mem[$i] = $(i + 1) }
$1 == "BENCH-FAIL" { failed = failed "\n- " substr($0, 12) }
END {
	split("monitor enforce rules1000", cs, " ")
	printf "# cimon benchmark: what the module costs\n\n"
	if (clock == "icount")
		printf "Guest kernel %s, %s vCPU (QEMU TCG with -icount: the guest'"'"'s clock counts\ninstructions, 4 ns each, so a figure is instructions x 4, repeatable to about\n0.1%%, and says nothing of caches; host: %s, %s CPUs), %s.\n",
			kernel, cpus, host_cpu, host_cpus, date
	else
		printf "Guest kernel %s, %s vCPUs (QEMU TCG, both on one host thread; host: %s, %s CPUs), %s.\n",
			kernel, cpus, host_cpu, host_cpus, date
	printf "Median of %d interleaved rounds (the order of the configurations rotates\n", rounds
	printf "each round), ns/op and, in brackets, the ratio to no module in the same boot.\n"
	if (smoke) printf "\n**Smoke run (one short round): the figures mean nothing.**\n"
	printf "\nConfigurations: **none** (no module); **monitor** (built-in rules, monitor\n"
	printf "mode); **enforce** (the same after `cimon mode enforce`"
	if (blocks == "no") printf "; blocking is not wired yet:\na block rule'"'"'s target was not denied in this run, so this measures the\nmode being set, not blocking"
	else if (blocks == "yes") printf "; a block rule'"'"'s\ntarget was denied in this run"
	printf "); **rules1000** (the files of the built-in set, %s, loaded with\n", defrules
	printf "`cimon rules load` together with %s generated rules that cannot match the\n", extra ? extra : "1000"
	printf "workloads but apply to the open and exec events they produce: `(open_read or\n"
	printf "spawned_process) and proc.name = never-N`, `proc.exepath = ...`,\n"
	printf "`proc.cmdline contains ...`, `proc.pname = ...`).\n\n"
	printf "| workload | none | monitor | enforce | rules1000 | none: spread of rounds | target (monitor / rules1000) |\n"
	printf "|---|---|---|---|---|---|---|\n"
	for (i = 0; i < nw; i++) {
		w = worder[i]
		b = median("none " w); bspread = b ? (hi["none " w] - lo["none " w]) / b : 0
		printf "| %s | %.0f", w, b
		line = w
		for (j = 1; j <= 3; j++) {
			k = cs[j] " " w
			m = cnt[k] ? median(k) : 0
			ratio[j] = b ? m / b : 0
			mark = ""
			if (target(w, cs[j]) && ratio[j] > target(w, cs[j])) mark = " **miss**"
			# the icount clock repeats to the instruction: allow 0.5%
			tol = bspread < 0.005 ? 0.005 : bspread
			if (w == "stat" && (ratio[j] > 1 + tol || ratio[j] < 1 - tol)) mark = " **outside noise**"
			printf " | %.0f (%.2f)%s", m, ratio[j], mark
			line = line " " ratio[j]
		}
		if (w == "open" || w == "fork_exec") tg = "<= 1.03 / <= 1.05"
		else if (w == "stat") tg = "1.00 within noise"
		else tg = "(none)"
		printf " | %.0f%% | %s |\n", bspread * 100, tg
		print line > dat
	}
	close(dat)
	printf "\nWorkloads: **open** open+close of a regular file; **proc_stat** open+read+close\n"
	printf "of `/proc/<child>/stat` (what `ps` does; one ptrace-access check per read);\n"
	printf "**environ** open+close of `/proc/<child>/environ` (one ptrace-access check;\n"
	printf "the built-in rule \"Environment of Another Process Read\" matches it, so\n"
	printf "under monitor and enforce every open is also an alert written to the ring);\n"
	printf "**stat** (cimon hooks nothing here: the control); **fork_exec** fork+exec+wait\n"
	printf "of a static no-libc program with a CI job'"'"'s environment (%s);\n", envinfo
	printf "**fork_exec_job** the same from a process that holds that environment too,\n"
	printf "as a job'"'"'s shell does: the rules on the parent'"'"'s variables (a tracking id\n"
	printf "replaced in a job) read its environment on every exec.\n"
	printf "\"none: spread of rounds\" is (max - min) / median of the no-module rounds: the\n"
	printf "noise a ratio has to be read against.\n"

	printf "\nThe same rounds paired: each round'"'"'s time against the no-module time of\n"
	printf "that round (measured minutes, not the whole run, apart), median (lowest -\n"
	printf "highest) over the rounds.  The spread is how far one round can be off.\n\n"
	printf "| workload | monitor | enforce | rules1000 |\n|---|---|---|---|\n"
	for (i = 0; i < nw; i++) {
		w = worder[i]
		printf "| %s", w
		for (j = 1; j <= 3; j++) {
			n = 0
			delete pr
			for (r = 0; r < nrounds; r++)
				if (byround[r, "none " w] > 0 && byround[r, cs[j] " " w] > 0)
					pr[++n] = byround[r, cs[j] " " w] / byround[r, "none " w]
			if (!n) { printf " | -"; continue }
			pm = median_of(pr, n)
			printf " | %.2f (%.2f - %.2f)", pm, pr[1], pr[n]
		}
		printf " |\n"
	}

	printf "\n## Events the timed workloads raised\n\n"
	printf "Totals over all rounds: events written to the ring per operation (the rule\n"
	printf "matched), the share of them written after the timed loop had ended (the\n"
	printf "report worker'"'"'s backlog, waited for before the next workload), and events\n"
	printf "dropped per operation (the pending-report pool was empty: an alert lost).\n\n"
	printf "| workload | configuration | written/op | written late | dropped/op |\n|---|---|---|---|---|\n"
	any = 0
	for (i = 0; i < nw; i++)
		for (j = 1; j <= 3; j++) {
			k = cs[j] " " worder[i]
			if (!ops[k] || written[k] + drops[k] == 0) continue
			any = 1
			printf "| %s | %s | %.3f | %.0f%% | %.3f%s |\n", worder[i], cs[j],
				written[k] / ops[k], written[k] ? 100 * late[k] / written[k] : 0,
				drops[k] / ops[k], drops[k] ? " **alerts lost**" : ""
		}
	if (!any) printf "| (none) | | | | |\n"
	printf "\nA workload that drops events skips the work of writing them: its time above\n"
	printf "is then lower than the cost of the alerts it should have raised.\n"

	printf "\n## Event delivery\n\n"
	printf "Environ opens of a child flat out on CPU 0 for %s s, matched by the built-in\n", flood
	printf "rules (monitor mode), ring of %s records; one reader on CPU 1. *lost* are\n", mem["ring_size"]
	printf "records the ring overwrote before the reader read them (sysfs `lost`, and the\n"
	printf "reader'"'"'s CIMON_EVENT_LOST records for the raw reader); *dropped* are events\n"
	printf "never written (no free slot in the pending pool, sysfs `dropped`).\n\n"
	printf "| reader | opens/s | events written/s | delivered/s | lost | dropped | target: zero loss |\n"
	printf "|---|---|---|---|---|---|---|\n"
	if (!nr) printf "| (not measured: one CPU in this run) | | | | | | |\n"
	for (i = 0; i < nr; i++) {
		r = rorder[i]; s = d[r, "secs"]
		delivered = (r == "raw") ? d[r, "events"] : d[r, "written"] - d[r, "lost"]
		loss = d[r, "lost"] + d[r, "dropped"]
		name = (r == "raw") ? "raw reader of /dev/cimon" : "`cimon watch --json > /dev/null`"
		printf "| %s | %.0f | %.0f | %.0f | %d | %d | %s |\n", name, d[r, "opens"] / s,
			d[r, "written"] / s, delivered / s, d[r, "lost"], d[r, "dropped"],
			loss ? "**miss** (" loss " of " d[r, "opens"] " events)" : "met"
	}

	printf "\n## Memory\n\n"
	rb = mem["ring_size"] * mem["record"]
	printf "- module (text and data, `/sys/module/cimon/coresize`): %.0f KiB\n", mem["coresize"] / 1024
	printf "- ring: %d records x %d bytes (sizeof(struct cimon_event)) = %.0f KiB\n",
		mem["ring_size"], mem["record"], rb / 1024
	printf "- kernel memory taken by `insmod` with the built-in rules (slab + vmalloc,\n"
	printf "  from /proc/meminfo: module, ring, pending-report pool, rule set): %d KiB\n", mem["load_kb"]
	printf "- %s extra rules (the rules1000 set, same measure): %d KiB\n", extra ? extra : "1000", mem["rules1000_kb"]
	if (failed) printf "\n## Failures\n%s\n", failed
}' "$tmp/lines" >"$out"

cat "$out"

if ! command -v gnuplot >/dev/null; then
	echo "report: gnuplot not installed (apt-get install gnuplot-nox): no plot" >&2
	exit 0
fi
gnuplot <<EOF
set terminal pngcairo noenhanced size 900,520 font ",10"
set output "$png"
set title "cimon: cost per workload, ratio to no module (same boot, median of rounds)"
set ylabel "ratio to no module"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top left
set yrange [0:*]
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "black"
set arrow from graph 0, first 1.03 to graph 1, first 1.03 nohead dt 2 lc rgb "#d62728"
set arrow from graph 0, first 1.05 to graph 1, first 1.05 nohead dt 3 lc rgb "#d62728"
plot "$tmp/ratios.dat" using 2:xtic(1) title "monitor" lc rgb "#1f77b4", \
	'' using 3 title "enforce" lc rgb "#ff7f0e", \
	'' using 4 title "rules1000" lc rgb "#2ca02c"
EOF
echo "report: $out, $png"
