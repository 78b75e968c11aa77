#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Rule files end to end: `cimon rules load` compiles the shipped files and
# the kernel runs them; the seed Falco rule fires on the memdump attack
# under its own name, cimon's rules catch what it misses, a person's edit
# changes what fires, a broken file loads nothing.  Prints TAP.

n=0
failed=0
ok() { # status description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# Runs the memdump attack and ptrace against a fresh Runner.Worker while
# `cimon watch --json` records to $1.
attack() {
	mkdir -p /tmp/actions-runner/bin
	cp /tests/fake_runner /tmp/actions-runner/bin/Runner.Worker
	/tmp/actions-runner/bin/Runner.Worker spawnclient 1 2 >/dev/null &
	runner=$!
	sleep 0.3
	cimon watch --json >"$1" 2>&1 &
	watcher=$!
	sleep 0.5
	/tests/memdump >/dev/null 2>&1
	/tests/reach ptrace "$runner"
	sleep 0.5
	kill "$watcher" "$runner"
	wait "$watcher" 2>/dev/null
	wait "$runner" 2>/dev/null
}

echo "TAP version 13"

cimon rules load /rules/falco_seed.yaml >/tmp/load.out 2>&1
ok $? "the two Falco rules of the articles load unchanged"
cimon rules list >/tmp/list.out 2>&1 &&
	grep -q "Process Dumping Memory of Others" /tmp/list.out
ok $? "rules list shows the loaded rule"

attack /tmp/seed.json
grep -F '"rule":"Process Dumping Memory of Others"' /tmp/seed.json |
	grep -F '"cimon.rule_id":0' | grep -qF '"fd.name":"/proc/'
ok $? "the seed rule fires on the memdump attack, named from the file"
grep -F 'A process memdump with pid' /tmp/seed.json |
	grep -qF 'container_image=<NA>)","output_fields"'
ok $? "its output is the rule file's template, <NA> for what cimon lacks"
grep -qF '"cimon.event":"ptrace_attach"' /tmp/seed.json
[ $? -ne 0 ]
ok $? "the seed rule alone misses ptrace (Falco's gap)"

cimon rules load /rules/falco_seed.yaml /rules/memory_access.yaml >/tmp/load.out 2>&1
ok $? "the shipped rule set loads"
attack /tmp/all.json
grep -F '"cimon.event":"ptrace_attach"' /tmp/all.json |
	grep -qF '"rule":"Memory of GitHub Runner Read or Written"'
ok $? "cimon's rules catch ptrace of Runner.Worker"
grep -F '"cimon.event":"mem_open"' /tmp/all.json | grep -c '"rule"' >/tmp/c
[ "$(cat /tmp/c)" -ge 2 ]
ok $? "one mem open matching two rules gives an alert for each"

# A person edits the rule: only a process named cat counts now.
sed 's/open_read and fd.name startswith/open_read and proc.name = cat and fd.name startswith/' \
	/rules/falco_seed.yaml >/tmp/edited.yaml
cimon rules load /tmp/edited.yaml >/tmp/load.out 2>&1
ok $? "an edited rule file loads"
attack /tmp/edited.json
grep -qF '"rule":"Process Dumping Memory of Others"' /tmp/edited.json
[ $? -ne 0 ]
ok $? "the edited rule no longer fires on memdump"

cimon rules list >/tmp/before.out 2>&1
printf -- '- rule: broken\n  desc: x\n  condition: proc.nam = x\n  output: x\n  priority: WARNING\n' >/tmp/bad.yaml
cimon rules load /tmp/bad.yaml >/tmp/bad.out 2>&1
[ $? -ne 0 ] && grep -q "/tmp/bad.yaml:3:" /tmp/bad.out
ok $? "a broken file is refused with file:line"
cimon rules list >/tmp/after.out 2>&1
cmp -s /tmp/before.out /tmp/after.out
ok $? "and the loaded set is unchanged"

cimon status >/tmp/status.out 2>&1 && grep -q "^rules .*(rule set" /tmp/status.out &&
	grep -q "^mode  *monitor" /tmp/status.out
ok $? "cimon status shows the mode and the loaded rule set"
cimon mode enforce >/dev/null && cimon status --json | grep -qF '"mode":"enforce"' &&
	[ "$(cimon mode monitor)" = monitor ]
ok $? "cimon mode sets and shows the mode"

# Back to the module's defaults for whatever runs next.
rmmod cimon && insmod /lib/cimon.ko $(cat /etc/cimon-modargs)
ok $? "reloaded"

echo "1..$n"
if [ $failed -ne 0 ]; then
	for f in /tmp/load.out /tmp/bad.out /tmp/seed.json /tmp/all.json; do
		echo "# $f:"
		sed 's/^/#   /' "$f" | head -20
	done
fi
echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ $failed -eq 0 ]
