# SPDX-License-Identifier: GPL-2.0
# cimon: top-level build and test entry points.
#
#   make            module + userspace tools + guest tests
#   make demo       install what is missing, build, boot the guest, run the demo
#   make check      every stage (deps, style, sparse, unit, dkms, guest tests);
#                   ends with "N passed, N failed"
#   make vm-run SCRIPT=path/to/script.sh   run your own scenario in the guest
#   make vm-shell   interactive guest shell (Ctrl-A x quits)
#   make vm-check   the guest tests only (FLAVOUR=rt-amd64|cloud-amd64 to change
#                   kernel); vm-check-all: every installed flavour
#   make bench      what cimon costs (bench/results.md); bench-profile: where
#                   the module's time goes in one workload (ftrace)
#   make module | sparse | style | unit | fuzz | dkms-check | deps | clean
#
# The module itself is described by ./Kbuild, which kbuild reads when it is
# invoked with M=$(CURDIR); this file is only read by a plain `make`.

ifneq ($(KERNELRELEASE),)
# Invoked by kbuild (only when Kbuild is missing): defer to it.
include $(src)/Kbuild
else

SHELL := /bin/bash
.DEFAULT_GOAL := all

# Version (dkms.conf's PACKAGE_VERSION when present).
VERSION ?= $(or $(shell sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}.*/\1/p' \
	dkms.conf 2>/dev/null | head -n1),0.1.0)

# The kernel the QEMU guest boots and its headers (tests/vm/kernel.sh picks
# the newest installed /boot/vmlinuz-*-$(FLAVOUR) that has headers).
FLAVOUR ?= amd64
VM_KERNEL := $(shell tests/vm/kernel.sh $(FLAVOUR) 2>/dev/null)
VM_KVER := $(patsubst KVER=%,%,$(filter KVER=%,$(VM_KERNEL)))
VM_KDIR := $(patsubst KDIR=%,%,$(filter KDIR=%,$(VM_KERNEL)))

# Kernel to build against: the running kernel's build dir, else the
# guest's Debian headers (the hosts here run kernels without modules).
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),$(VM_KDIR))
KVER ?= $(VM_KVER)

BUILD := $(CURDIR)/build
KSFT := $(BUILD)/linux-source/tools/testing/selftests
CHECKPATCH := $(BUILD)/linux-source/scripts/checkpatch.pl
STYLE_FILES = $(wildcard kmod/*.c kmod/*.h) include/uapi/cimon.h

# Kbuild output to keep out of the tree's way on `make clean`.
KBUILD_JUNK := cimon.ko cimon.o cimon.mod cimon.mod.c cimon.mod.o \
	.cimon*.cmd modules.order Module.symvers .modules.order.cmd \
	.Module.symvers.cmd

.PHONY: fuzz default-rules default-rules-check bench bench-profile
.PHONY: all module userspace guest-tests sparse style unit linux-source deps \
	dkms-check vm-check vm-run vm-shell demo check clean module-clean \
	print-kernel help vm-build vm-check-all

all: module userspace guest-tests

help:
	@sed -n '2,17s/^# \{0,1\}//p' Makefile

print-kernel:
	@echo "KDIR=$(KDIR)"; echo "KVER=$(KVER)"; echo "VM_KDIR=$(VM_KDIR)"; \
	 echo "VM_KVER=$(VM_KVER)"; echo "VERSION=$(VERSION)"

deps:
	@tests/deps.sh

linux-source:
	@tests/linux-source.sh

$(BUILD):
	@mkdir -p $@

# Kernel module.  Any compiler or modpost warning fails the build.
module: | $(BUILD)
	@test -n "$(KDIR)" -a -e "$(KDIR)/Makefile" || { echo "module: no kernel \
	build dir (KDIR=$(KDIR)); install linux-headers-amd64 (make deps)"; exit 1; }
	@set -o pipefail; \
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules 2>&1 | tee $(BUILD)/module.log; \
	if grep -qiE '(warning|error):' $(BUILD)/module.log; then \
		echo "module: FAIL: the build printed warnings (see above)"; exit 1; fi

# sparse over every source file of the module (C=2 checks even up-to-date
# objects).  Any sparse (or compiler) warning fails.
sparse: | $(BUILD)
	@test -n "$(KDIR)" -a -e "$(KDIR)/Makefile" || { echo "sparse: no KDIR"; exit 1; }
	@command -v sparse >/dev/null || { echo "sparse: not installed (make deps)"; exit 1; }
	@set -o pipefail; \
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules 2>&1 | tee $(BUILD)/sparse.log; \
	if grep -qiE '(warning|error):' $(BUILD)/sparse.log; then \
		echo "sparse: FAIL: warnings (see above)"; exit 1; fi; \
	echo "sparse: clean"

# checkpatch --strict over the module and the uapi header.
style: linux-source
	@set -o pipefail; \
	$(CHECKPATCH) --strict --no-tree --terse --show-types --color=never \
		-f $(STYLE_FILES) | tee $(BUILD)/style.log | \
		grep -vE '^total: 0 errors, 0 warnings, 0 checks' || true; \
	if grep -qE ': (ERROR|WARNING|CHECK):' $(BUILD)/style.log; then \
		echo "style: FAIL: checkpatch found problems (above)"; exit 1; fi; \
	echo "style: checkpatch clean on $(words $(STYLE_FILES)) files"

userspace:
	$(MAKE) -C userspace BUILD=$(BUILD)

guest-tests: linux-source
	$(MAKE) -C tests/guest KSFT=$(KSFT) BUILD=$(BUILD)/guest

unit: linux-source
	$(MAKE) -C tests/unit run KSFT=$(KSFT) BUILD=$(BUILD)/unit

# libFuzzer over the rule compiler for FUZZ_SECONDS (default 20)
FUZZ_SECONDS ?= 20
fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# What cimon costs: workloads in the guest with and without the module,
# in one boot (tests/guest/bench_suite.sh); writes bench/results.md and,
# with gnuplot (installed here, not by make check), bench/results.png.
# BENCH_ROUNDS, BENCH_SCALE, BENCH_FLOOD (seconds) override the suite's
# defaults (9 rounds, scale 1, 10 s floods); the rules1000 configuration
# loads $(DEFAULT_RULES), the built-in set, plus 1000 rules.
# BENCH_CLOCK=icount: one vCPU whose clock counts instructions (QEMU
# -icount, 4 ns each): the figures repeat to 0.1% (TCG's wall clock
# varies 10-20% a round), but count instructions, not time (a cache miss
# costs nothing); no delivery figures (no second CPU).  Written to
# bench/results-icount.md.
BENCH_APPEND = $(if $(BENCH_ROUNDS),bench.rounds=$(BENCH_ROUNDS)) \
	$(if $(BENCH_SCALE),bench.scale=$(BENCH_SCALE)) \
	$(if $(BENCH_FLOOD),bench.flood=$(BENCH_FLOOD)) \
	$(if $(filter icount,$(BENCH_CLOCK)),bench.clock=icount) \
	bench.rules=$(subst $(eval) ,$(comma),$(notdir $(DEFAULT_RULES)))
comma := ,
BENCH_OUT = bench/results$(if $(filter icount,$(BENCH_CLOCK)),-icount)
BENCH_VM = $(if $(filter icount,$(BENCH_CLOCK)),VM_SMP=1 \
	VM_QEMU_ARGS="-icount shift=2$(comma)sleep=on")
bench: vm-build
	@command -v gnuplot >/dev/null || DEPS_EXTRA=gnuplot-nox tests/deps.sh || \
		echo "bench: could not install gnuplot-nox: no plot"
	@mkdir -p $(BUILD)/bench
	@set -o pipefail; FLAVOUR=$(FLAVOUR) VM_NAME=bench $(BENCH_VM) \
		VM_APPEND="$(strip $(BENCH_APPEND) $(VM_APPEND))" \
		tests/vm/run.sh script tests/bench/run.sh | tee $(BUILD)/bench/guest.log
	@tests/bench/report.sh $(BENCH_OUT).md $(BENCH_OUT).png <$(BUILD)/bench/guest.log

# Where one workload's time goes in the module (ftrace in the guest):
# PROFILE_FUNCS (comma-separated), PROFILE_WORKLOAD, PROFILE_OPS.
bench-profile: vm-build
	@FLAVOUR=$(FLAVOUR) VM_NAME=bench-profile \
		VM_APPEND="$(strip $(if $(PROFILE_FUNCS),bench.profile=$(PROFILE_FUNCS)) \
		$(if $(PROFILE_WORKLOAD),bench.workload=$(PROFILE_WORKLOAD)) \
		$(if $(PROFILE_OPS),bench.ops=$(PROFILE_OPS)) $(VM_APPEND))" \
		tests/vm/run.sh script tests/bench/profile.sh

# The module's built-in rule set, compiled from the shipped rule files.
DEFAULT_RULES := rules/falco_seed.yaml rules/memory_access.yaml \
	rules/runner_persistence.yaml rules/runner_backdoor.yaml

default-rules: userspace
	build/cimon rules emit-c $(DEFAULT_RULES) >kmod/default_rules.c.new
	mv kmod/default_rules.c.new kmod/default_rules.c

# make check: the committed kmod/default_rules.c is what the files compile to.
default-rules-check: userspace
	@build/cimon rules emit-c $(DEFAULT_RULES) >build/default_rules.c
	@if cmp -s build/default_rules.c kmod/default_rules.c; then \
		echo "default-rules: kmod/default_rules.c is up to date"; \
	else \
		diff -u kmod/default_rules.c build/default_rules.c | head -20; \
		echo "default-rules: FAIL: kmod/default_rules.c is stale: run make default-rules"; \
		exit 1; \
	fi

dkms-check:
	@KVER=$(VM_KVER) VERSION=$(VERSION) tests/dkms-check.sh

# ---- QEMU guest ----------------------------------------------------------
# The guest boots $(VM_KVER): build the module against its headers.
vm-build:
	@test -n "$(VM_KDIR)" || { tests/vm/kernel.sh $(FLAVOUR); exit 1; }
	@$(MAKE) --no-print-directory module KDIR=$(VM_KDIR)
	@$(MAKE) --no-print-directory userspace guest-tests

vm-check: vm-build
	@FLAVOUR=$(FLAVOUR) tests/vm/run.sh check

# every installed flavour (amd64, rt-amd64, cloud-amd64), each with its module
FLAVOURS ?= $(shell for f in amd64 rt-amd64 cloud-amd64; do \
	tests/vm/kernel.sh $$f >/dev/null 2>&1 && echo $$f; done)
vm-check-all:
	@rc=0; for f in $(FLAVOURS); do \
		echo "=== vm-check $$f"; \
		$(MAKE) --no-print-directory module-clean FLAVOUR=$$f; \
		VM_NAME=check-$$f $(MAKE) --no-print-directory vm-check FLAVOUR=$$f || rc=1; \
	done; exit $$rc

vm-run: vm-build
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path/to/script"; exit 2; }
	@FLAVOUR=$(FLAVOUR) tests/vm/run.sh script "$(SCRIPT)"

vm-shell: vm-build
	@FLAVOUR=$(FLAVOUR) tests/vm/run.sh shell

demo: deps
	@$(MAKE) --no-print-directory vm-build
	@FLAVOUR=$(FLAVOUR) tests/vm/run.sh demo

check:
	@tests/check.sh

module-clean:
	@if [ -n "$(KDIR)" ] && [ -e "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null; fi
	@rm -f $(KBUILD_JUNK) kmod/*.o kmod/.*.cmd

clean: module-clean
	-@[ -f userspace/Makefile ] && $(MAKE) -C userspace clean BUILD=$(BUILD) >/dev/null
	rm -rf $(BUILD)

endif
