#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tj-actions/changed-files attack end to end: a Runner.Worker holding
# a job's secret, a step running what memdump.py does as root, and the
# alert in `cimon watch --json` naming both.  Prints TAP.

TOKEN=ghs_cimonEndToEnd0123456789
RUNNER_DIR=/tmp/actions-runner
n=0
failed=0

ok() { # condition-status description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

has() { # file pattern
	grep -qF -- "$2" "$1"
}

echo "TAP version 13"
echo "1..12"

mkdir -p "$RUNNER_DIR/bin"
cp /tests/fake_runner "$RUNNER_DIR/bin/Runner.Worker"
FAKE_SECRET=$TOKEN "$RUNNER_DIR/bin/Runner.Worker" spawnclient 107 110 \
	>/tmp/runner.pid &
runner=$!

cimon watch --json >/tmp/alerts.json 2>/tmp/watch.err &
watcher=$!
cimon watch >/tmp/alerts.txt 2>&1 &
text_watcher=$!
sleep 1

/tests/memdump >/tmp/dump.txt 2>/tmp/dump.err
sleep 1
kill "$watcher" "$text_watcher"
wait "$watcher"
watch_rc=$?

has /tmp/dump.txt "\"GITHUB_TOKEN\":{\"value\":\"$TOKEN\",\"isSecret\":true}"
ok $? "the attack reads the secret out of Runner.Worker (monitor mode)"
ok "$watch_rc" "cimon watch --json exits 0 on SIGTERM"

grep -F "\"fd.name\":\"/proc/$runner/mem\"" /tmp/alerts.json >/tmp/alert.json
ok $? "an alert names /proc/$runner/mem"
alert=/tmp/alert.json
has $alert '"rule":"Process Dumping Memory of Others"'
ok $? "rule is Process Dumping Memory of Others"
has $alert '"priority":"Warning"' && has $alert '"source":"cimon"' &&
	has $alert '"tags":["CI/CD"]'
ok $? "priority Warning, source cimon, tags CI/CD"
has $alert '"proc.name":"memdump"' && has $alert '"proc.exepath":"/tests/memdump"'
ok $? "the attacker: proc.name and proc.exepath"
has $alert "\"target.pid\":$runner" && has $alert '"target.name":"Runner.Worker"' &&
	has $alert "\"target.exepath\":\"$RUNNER_DIR/bin/Runner.Worker\""
ok $? "the victim: target.pid, target.name, target.exepath"
has $alert '"user.uid":0' && has $alert '"cimon.verdict":"allowed"' &&
	has $alert '"evt.type":"openat"'
ok $? "user.uid 0, evt.type openat, verdict allowed"
has $alert '"proc.pname":"sh"' && has $alert '"container.id":"host"'
ok $? "proc.pname is the shell that ran it, container.id host"
[ "$(grep -c . /tmp/alert.json)" -eq 1 ]
ok $? "one alert for one open (maps and cmdline reads are not alerts)"
grep -q "Process Dumping Memory of Others: memdump" /tmp/alerts.txt &&
	grep -q "Runner.Worker (pid $runner" /tmp/alerts.txt
ok $? "the terminal line names the attacker and Runner.Worker"

# Inside a container: the id comes from the cgroup path.
cid=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
mkdir -p /sys/fs/cgroup/docker-$cid.scope
cimon watch --json >/tmp/alerts-ct.json 2>&1 &
watcher=$!
sleep 1
sh -c "echo \$\$ > /sys/fs/cgroup/docker-$cid.scope/cgroup.procs;
	exec /tests/memdump" >/dev/null 2>&1
sleep 1
kill "$watcher"
wait "$watcher"
grep -qF '"container.id":"0123456789ab"' /tmp/alerts-ct.json
ok $? "a container's alert carries its 12-digit container.id"
rmdir /sys/fs/cgroup/docker-$cid.scope 2>/dev/null

kill "$runner"
wait "$runner" 2>/dev/null
if [ $failed -ne 0 ]; then
	echo "# alerts seen:"
	sed 's/^/# /' /tmp/alerts.json /tmp/alerts-ct.json /tmp/watch.err /tmp/dump.err
fi
echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ $failed -eq 0 ]
