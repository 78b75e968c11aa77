#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: the rig copies this directory to /scripts and runs this in the
# guest; the suite itself is /tests/bench_suite.sh (tests/guest/), which the
# smoke test of make check (bench_test.sh) runs too.
exec sh /tests/bench_suite.sh
