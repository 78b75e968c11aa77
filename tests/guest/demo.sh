#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: the tj-actions/changed-files memory theft against a
# stand-in Runner.Worker, and what `cimon watch` shows of it.

RUNNER_DIR=/home/runner/actions-runner
mkdir -p "$RUNNER_DIR/bin"
cp /tests/fake_runner "$RUNNER_DIR/bin/Runner.Worker"

echo "== A self-hosted runner is running a job; its Runner.Worker holds the job's secrets."
FAKE_SECRET=ghs_demoTokenOfTheJob0123456789 \
	"$RUNNER_DIR/bin/Runner.Worker" spawnclient 107 110 >/dev/null &
runner=$!
echo "   Runner.Worker is pid $runner"

echo "== cimon is loaded; an operator runs 'cimon watch'."
cimon watch >/tmp/watch.txt 2>&1 &
watcher=$!
sleep 1

echo "== A compromised action runs the memdump.py payload as root:"
echo "   find Runner.Worker in /proc/*/cmdline, read /proc/<pid>/maps,"
echo "   read every region of /proc/<pid>/mem, grep for isSecret:true"
cp /tests/memdump /tmp/memdump
/tmp/memdump | sed 's/^/   stolen: /'
sleep 1
kill "$watcher"

echo
echo "== What 'cimon watch' printed:"
cat /tmp/watch.txt
echo
echo "== The same alert as 'cimon watch --json' sends to a log pipeline:"
cimon watch --json >/tmp/watch.json 2>&1 &
watcher=$!
sleep 1
/tmp/memdump >/dev/null
sleep 1
kill "$watcher"
cat /tmp/watch.json

echo
echo "== The fleet switches cimon to enforce mode and locks it until reboot:"
cimon mode enforce >/dev/null
cimon lock | sed 's/^/   /'
cimon watch >/tmp/enforce.txt 2>&1 &
watcher=$!
sleep 1
echo "== The same payload again:"
/tmp/memdump 2>&1 | sed 's/^/   memdump: /'
echo "== A root step tries to switch cimon off:"
rmmod cimon 2>&1 | sed 's/^/   /'
sleep 1
kill "$watcher"
echo "== What 'cimon watch' printed:"
cat /tmp/enforce.txt
kill "$runner"
grep -q "Process Dumping Memory of Others" /tmp/watch.txt &&
	grep -q "BLOCKED" /tmp/enforce.txt &&
	! /tmp/memdump 2>/dev/null | grep -q isSecret
